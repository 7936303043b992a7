"""Repeated paragraphs inside one document (reason codes ``D0xx``).

A paragraph here is one non-blank line (scrapers emit one line per block). The first copy
is kept; a later copy is removed with its twin's line number and the similarity:

- ``D001 repeated-paragraph``: the same text once lowercased and reduced to its words.
- ``D002 near-repeated-paragraph``: MinHash (word 3-grams, datasketch's ``affine32``
  permutations) estimates a Jaccard similarity at or above the configured threshold.

Short lines (fewer than four words and twenty characters) are never deduplicated: a
repeated "Yes." in an interview or a repeated table cell is content.
"""

from __future__ import annotations

import functools
import itertools
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textclean._rule import Rule

__all__ = ["PARAGRAPH_RULES", "Repeat", "find_repeats", "lowercase_words", "number_words"]

_WORD = re.compile(r"\w+")
_NEAR_NGRAM = 3
_MIN_EXACT_WORDS = 4
_MIN_EXACT_CHARS = 20
_PREFILTER_PERMUTATIONS = 16
_DENSE_ROWS = 3000  # pages with more candidate paragraphs use the sort-based path
_DENSE_CELLS = 4_000_000  # paragraphs x distinct words, the dense presence matrix's size
_PAIR_CHUNK = 2048

PARAGRAPH_RULES: tuple[Rule, ...] = (
    Rule(
        code="D001",
        name="repeated-paragraph",
        summary="A later copy of a paragraph that already appeared in the same document.",
        why="Scrapers often print a block twice (a teaser and the article, a sticky header, a "
        "slideshow caption); the second copy adds no content. The first copy is kept.",
        examples=("The same paragraph, printed a second time lower on the page.",),
    ),
    Rule(
        code="D002",
        name="near-repeated-paragraph",
        summary="A later paragraph whose MinHash similarity to an earlier one reaches the threshold.",
        why="The repeated copy often differs by a word, a date or trailing punctuation (a teaser "
        "and the article lead); exact hashing misses it. The earlier paragraph is kept.",
        examples=("The deployment of 10,000 troops marks an escalation, and the copy below adds 'now'.",),
    ),
)


@dataclass(frozen=True)
class Repeat:
    """A paragraph found again.

    Attributes:
        index: position (in the list given to :func:`find_repeats`) of the later copy.
        twin: position of the kept first copy.
        similarity: 1.0 for exact copies, else the MinHash-estimated Jaccard similarity.
        code: ``"D001"`` or ``"D002"``.
    """

    index: int
    twin: int
    similarity: float
    code: str


def lowercase_words(text: str) -> list[str]:
    """The lowercased ``\\w+`` words of ``text`` (the word definition used everywhere).

    Examples:
        >>> lowercase_words("Don't stop!")
        ['don', 't', 'stop']
    """
    return _WORD.findall(text.lower())


def number_words(words: list[str]) -> tuple[Any, list[str]]:
    """Number ``words`` by first occurrence: each word's number (a numpy array) and the distinct words in order.

    One dictionary pass over the words; the per-word work that follows can run once per distinct word.

    Examples:
        >>> numbers, distinct = number_words(["the", "river", "the", "flood"])
        >>> numbers.tolist(), distinct
        ([0, 1, 0, 2], ['the', 'river', 'flood'])
    """
    import numpy as np

    first_at: dict[str, int] = {}
    position = np.fromiter(map(first_at.setdefault, words, itertools.count()), dtype=np.intp, count=len(words))
    number = np.empty(len(words), dtype=np.intp)
    number[np.fromiter(first_at.values(), dtype=np.intp, count=len(first_at))] = np.arange(len(first_at))
    return number[position], list(first_at)


def _key(words: list[str]) -> str:
    return " ".join(words)


def find_repeats(
    paragraphs: Sequence[str],
    *,
    threshold: float | None = 0.8,
    min_words: int = 8,
    num_perm: int = 128,
    seed: int = 1,
    words: Sequence[list[str]] | None = None,
) -> list[Repeat]:
    """Find later copies of earlier paragraphs, exact and near.

    ``threshold=None`` finds exact copies only; paragraphs of fewer than ``min_words`` words
    are compared exactly only. ``words`` may pass each paragraph's lowercased ``\\w+`` words
    when the caller has them already.

    Examples:
        >>> paras = ["North Korea sent ten thousand troops to Russia this week.",
        ...          "Something else entirely happened in between these two.",
        ...          "north korea sent ten thousand troops to russia this week!"]
        >>> [(r.index, r.twin, r.code) for r in find_repeats(paras)]
        [(2, 0, 'D001')]
    """
    if words is None:
        words = [lowercase_words(p) for p in paragraphs]
    repeats: dict[int, Repeat] = {}
    first_seen: dict[str, int] = {}
    for index, (paragraph, tokens) in enumerate(zip(paragraphs, words, strict=True)):
        if len(tokens) < _MIN_EXACT_WORDS and len(paragraph) < _MIN_EXACT_CHARS:
            continue
        key = _key(tokens) if tokens else paragraph.strip()
        if key in first_seen:
            repeats[index] = Repeat(index, first_seen[key], 1.0, "D001")
        else:
            first_seen[key] = index
    if threshold is not None:
        candidates = [i for i, t in enumerate(words) if len(t) >= min_words and i not in repeats]
        if len(candidates) > 1:
            for repeat in _near_repeats(paragraphs, words, candidates, threshold, num_perm, seed):
                repeats[repeat.index] = repeat
    return [repeats[i] for i in sorted(repeats)]


def _near_repeats(
    paragraphs: Sequence[str], words: Sequence[list[str]], candidates: list[int], threshold: float,
    num_perm: int, seed: int,
) -> list[Repeat]:
    pairs = _prefiltered_pairs(words, candidates, threshold)
    if not pairs:
        return []  # no pair shares enough words: no MinHash needed (the common case)
    import numpy as np

    from textclean._minhash import minhash_signatures

    involved = sorted({i for later, earlier in pairs for i in (later, *earlier)})
    row = {index: position for position, index in enumerate(involved)}
    signatures = minhash_signatures(
        [paragraphs[candidates[i]] for i in involved], num_perm=num_perm, ngram=_NEAR_NGRAM, seed=seed
    )
    found: list[Repeat] = []
    removed: set[int] = set()
    for later, earlier_options in pairs:
        earlier = [e for e in earlier_options if e not in removed]
        if not earlier:
            continue
        agreement = (signatures[[row[e] for e in earlier]] == signatures[row[later]]).mean(axis=1)
        best = int(np.argmax(agreement))
        similarity = float(agreement[best])
        if similarity >= threshold:
            removed.add(later)
            found.append(Repeat(candidates[later], candidates[earlier[best]], round(similarity, 4), "D002"))
    return found


def _prefiltered_pairs(
    words: Sequence[list[str]], candidates: list[int], threshold: float
) -> list[tuple[int, list[int]]]:
    """Earlier paragraphs sharing enough distinct words to possibly reach the threshold.

    Paragraphs whose 3-gram similarity reaches ``threshold`` share most of their words. A
    cheap MinHash of the *word sets* (CRC-32 word hashes, 16 affine permutations, 8 bands of
    2 rows, in numpy) finds the pairs that may be that close: a pair with word-set Jaccard
    ``J`` meets in some band with probability ``1 - (1 - J**2)**8`` (0.9997 at J = 0.85).
    Only pairs that meet and pass a permissive word-set Jaccard bound (``threshold - 0.15``)
    go on to the 3-gram MinHash. Deterministic: CRC-32 is not salted per process.

    Words are numbered per document (one dictionary pass), so each distinct word is hashed
    once, and the pairs and their exact word-set overlaps are found with whole-array numpy
    operations (a Python loop only for pages too large for the dense matrices).
    """
    import numpy as np

    lists = [words[i] for i in candidates]
    flat = list(itertools.chain.from_iterable(lists))
    ids, numbers = number_words(flat)
    vocabulary = np.fromiter(map(zlib.crc32, map(str.encode, numbers)), dtype=np.uint64, count=len(numbers))
    lengths = np.fromiter(map(len, lists), dtype=np.intp, count=len(lists))
    starts = np.concatenate([[0], np.cumsum(lengths[:-1])])
    multipliers, offsets = _prefilter_permutations()
    permuted = (vocabulary[:, None] * multipliers + offsets) & np.uint64(0xFFFFFFFF)
    minima = np.minimum.reduceat(permuted[ids], starts, axis=0)
    band_keys = (minima[:, 0::2] << np.uint64(32)) | minima[:, 1::2]
    rows, size = len(lists), len(numbers)
    if rows > _DENSE_ROWS or rows * size > _DENSE_CELLS:
        return _pairs_by_sets(lists, _colliding(band_keys), threshold)
    met = np.zeros((rows, rows), dtype=bool)
    for column in band_keys.T:
        met |= column[:, None] == column[None, :]
    later, earlier = np.nonzero(np.tril(met, -1))  # row-major: by later row, then earlier row
    if not len(later):
        return []
    present = np.zeros((rows, -(-size // 64) * 64), dtype=bool)
    present[np.repeat(np.arange(rows), lengths), ids] = True
    packed = np.packbits(present, axis=1).view(np.uint64)  # each row's word set as a bit set
    distinct = np.count_nonzero(present, axis=1)
    shared = np.empty(len(later), dtype=np.intp)
    for at in range(0, len(later), _PAIR_CHUNK):  # bounded memory: chunk x vocabulary bits
        chunk = slice(at, at + _PAIR_CHUNK)
        shared[chunk] = np.bitwise_count(packed[later[chunk]] & packed[earlier[chunk]]).sum(axis=1, dtype=np.intp)
    union = distinct[later] + distinct[earlier] - shared
    keep = shared >= max(0.2, threshold - 0.15) * union
    later, earlier = later[keep], earlier[keep]
    if not len(later):
        return []
    cuts = np.flatnonzero(np.diff(later)) + 1
    return [
        (int(group[0]), options.tolist())
        for group, options in zip(np.split(later, cuts), np.split(earlier, cuts), strict=True)
    ]


def _pairs_by_sets(
    lists: Sequence[list[str]], met: dict[int, set[int]], threshold: float
) -> list[tuple[int, list[int]]]:
    """The word-set bound of :func:`_prefiltered_pairs` with Python sets (for very large pages)."""
    bound = max(0.2, threshold - 0.15)
    sets = {i: frozenset(lists[i]) for pair in met.items() for i in (pair[0], *pair[1])}
    pairs = []
    for later in sorted(met):
        mine = sets[later]
        earlier = [e for e in sorted(met[later]) if len(mine & sets[e]) >= bound * len(mine | sets[e])]
        if earlier:
            pairs.append((later, earlier))
    return pairs


def _colliding(band_keys: Any) -> dict[int, set[int]]:
    """For each row, the earlier rows sharing a key with it in some column (numpy sort per band)."""
    import numpy as np

    met: dict[int, set[int]] = {}
    for column in band_keys.T:
        order = np.argsort(column, kind="stable")
        ordered = column[order]
        repeated = np.flatnonzero(ordered[1:] == ordered[:-1]) + 1
        if not len(repeated):
            continue
        run_start = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        starts = run_start[np.searchsorted(run_start, repeated, side="right") - 1]
        for position, start in zip(repeated.tolist(), starts.tolist(), strict=True):
            met.setdefault(int(order[position]), set()).update(order[start:position].tolist())
    return met


@functools.cache
def _prefilter_permutations() -> tuple[Any, Any]:
    """Fixed odd multipliers and offsets of the word-set prefilter (not the configurable seed)."""
    import numpy as np

    generator = np.random.default_rng(20261122)
    multipliers = generator.integers(1, 1 << 32, _PREFILTER_PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
    return multipliers, generator.integers(0, 1 << 32, _PREFILTER_PERMUTATIONS, dtype=np.uint64)
