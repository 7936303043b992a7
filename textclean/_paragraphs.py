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
import operator
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textclean._rule import Rule

__all__ = ["PARAGRAPH_RULES", "Repeat", "find_repeats", "find_repeats_many", "lowercase_words", "number_words"]

_WORD = re.compile(r"\w+")
_NEAR_NGRAM = 3
_MIN_EXACT_WORDS = 4
_MIN_EXACT_CHARS = 20
_PREFILTER_PERMUTATIONS = 16
_MINIMA_WORDS = 1 << 15  # words whose permuted hashes are gathered at once (4 MB at 16 permutations)
_LOOKUP_CHUNK = 1 << 16  # word lookups per chunk of pairs in the prefilter's exact overlaps (a few MB of temporaries)

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
    (at least 1) are compared exactly only. ``words`` may pass each paragraph's lowercased ``\\w+``
    words when the caller has them already.

    Examples:
        >>> paras = ["North Korea sent ten thousand troops to Russia this week.",
        ...          "Something else entirely happened in between these two.",
        ...          "north korea sent ten thousand troops to russia this week!"]
        >>> [(r.index, r.twin, r.code) for r in find_repeats(paras)]
        [(2, 0, 'D001')]
    """
    if words is None:
        words = [lowercase_words(p) for p in paragraphs]
    return find_repeats_many(
        [(paragraphs, words)], threshold=threshold, min_words=min_words, num_perm=num_perm, seed=seed
    )[0]


def find_repeats_many(
    documents: Sequence[tuple[Sequence[str], Sequence[list[str]] | None]],
    *,
    threshold: float | None = 0.8,
    min_words: int = 8,
    num_perm: int = 128,
    seed: int = 1,
) -> list[list[Repeat]]:
    """:func:`find_repeats` of several documents (each its paragraphs and their words), in fewer numpy calls.

    Each document's repeats are its own (a paragraph is never a copy of another document's): the same
    results as :func:`find_repeats` of each document. The near-copy prefilter and the MinHash signatures
    are computed for the whole batch at once, which saves their fixed cost per document.

    Examples:
        >>> lead = "The deployment of ten thousand troops marks a sharp escalation of the war in the east"
        >>> first, second = [lead, "Other news.", lead + " now"], [lead]  # the second page copies nothing of its own
        >>> [[(r.index, r.twin, r.code) for r in found] for found in find_repeats_many([(first, None), (second, None)])]
        [[(2, 0, 'D002')], []]
    """
    if min_words < 1:
        raise ValueError(f"min_words must be at least 1, not {min_words}")
    pages = [
        (paragraphs, [lowercase_words(p) for p in paragraphs] if words is None else words)
        for paragraphs, words in documents
    ]
    found: list[dict[int, Repeat]] = [_exact_repeats(paragraphs, words) for paragraphs, words in pages]
    if threshold is not None:
        candidates = [
            [i for i, tokens in enumerate(words) if len(tokens) >= min_words and i not in repeats]
            for (_, words), repeats in zip(pages, found, strict=True)
        ]
        near = _near_repeats_many(pages, candidates, threshold, num_perm, seed)
        for repeats, page_near in zip(found, near, strict=True):
            for repeat in page_near:
                repeats[repeat.index] = repeat
    return [[repeats[i] for i in sorted(repeats)] for repeats in found]


def _exact_repeats(paragraphs: Sequence[str], words: Sequence[list[str]]) -> dict[int, Repeat]:
    """The later exact copies (``D001``): the same words once lowercased, or the same text when it has none."""
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
    return repeats


def _near_repeats_many(
    pages: Sequence[tuple[Sequence[str], Sequence[list[str]]]],
    candidates: Sequence[list[int]],
    threshold: float,
    num_perm: int,
    seed: int,
) -> list[list[Repeat]]:
    """Each document's near copies (``D002``) among its candidate paragraphs (MinHash of word 3-grams)."""
    out: list[list[Repeat]] = [[] for _ in pages]
    chosen = [(words, page_candidates) for (_, words), page_candidates in zip(pages, candidates, strict=True)]
    pairs = _prefiltered_pairs_many(chosen, threshold)
    if not any(pairs):
        return out  # no pair shares enough words: no MinHash needed (the common case)
    import numpy as np

    from textclean._minhash import minhash_signatures

    involved = [sorted({i for later, earlier in page for i in (later, *earlier)}) for page in pairs]
    texts = [pages[d][0][candidates[d][i]] for d, rows in enumerate(involved) for i in rows]
    signatures = np.concatenate(
        [
            minhash_signatures(chunk, num_perm=num_perm, ngram=_NEAR_NGRAM, seed=seed)
            for chunk in _signature_chunks(texts, [len(rows) for rows in involved])
        ]
    )
    later_rows: list[int] = []
    earlier_rows: list[int] = []
    first = 0
    for page_pairs, rows in zip(pairs, involved, strict=True):
        row = {index: first + position for position, index in enumerate(rows)}
        first += len(rows)
        for later, earlier_options in page_pairs:
            later_rows.extend([row[later]] * len(earlier_options))
            earlier_rows.extend(row[e] for e in earlier_options)
    agreements = _agreements(signatures, np.array(later_rows), np.array(earlier_rows)).tolist()
    at = 0
    for d, page_pairs in enumerate(pairs):
        removed: set[int] = set()
        for later, earlier_options in page_pairs:
            options = agreements[at : at + len(earlier_options)]
            at += len(earlier_options)
            earlier = [(e, value) for e, value in zip(earlier_options, options, strict=True) if e not in removed]
            if not earlier:
                continue
            best, similarity = max(earlier, key=_AGREEMENT)  # the first of the most similar, as numpy.argmax
            if similarity >= threshold:
                removed.add(later)
                out[d].append(Repeat(candidates[d][later], candidates[d][best], round(similarity, 4), "D002"))
    return out


_AGREEMENT = operator.itemgetter(1)
_SIGNATURE_CHARS = 16_000  # characters of paragraphs signed per MinHash call (about 1.5 MB of temporaries)
_AGREEMENT_CHUNK = 1 << 12  # pairs of signatures compared at once (two chunk x num_perm gathers: 4 MB at 128)


def _agreements(signatures: Any, later: Any, earlier: Any) -> Any:
    """The share of equal slots of each pair of signature rows (the MinHash similarity estimate)."""
    import numpy as np

    out = np.empty(len(later))
    for at in range(0, len(later), _AGREEMENT_CHUNK):
        chunk = slice(at, at + _AGREEMENT_CHUNK)
        out[chunk] = (signatures[later[chunk]] == signatures[earlier[chunk]]).mean(axis=1)
    return out


def _signature_chunks(texts: list[str], sizes: list[int]) -> list[list[str]]:
    """The texts in runs of whole documents of at most :data:`_SIGNATURE_CHARS` characters together.

    A document on its own may be longer (it is signed alone, as it was before batches). The bound keeps
    MinHash's temporaries small (a run's shingles x permutations) and a batch of small documents under
    the work at which MinHash loads numba, which none of them would have paid alone.
    """
    chunks: list[list[str]] = []
    chunk: list[str] = []
    work = first = 0
    for size in sizes:
        document = texts[first : first + size]
        first += size
        length = sum(map(len, document))
        if chunk and work + length > _SIGNATURE_CHARS:
            chunks.append(chunk)
            chunk, work = [], 0
        chunk.extend(document)
        work += length
    if chunk:
        chunks.append(chunk)
    return chunks


def _prefiltered_pairs(
    words: Sequence[list[str]], candidates: list[int], threshold: float
) -> list[tuple[int, list[int]]]:
    """The prefilter of :func:`_prefiltered_pairs_many` for one document."""
    return _prefiltered_pairs_many([(words, candidates)], threshold)[0]


def _prefiltered_pairs_many(
    pages: Sequence[tuple[Sequence[list[str]], list[int]]], threshold: float
) -> list[list[tuple[int, list[int]]]]:
    """Per document, its earlier candidate paragraphs sharing enough distinct words to possibly reach the threshold.

    Paragraphs whose 3-gram similarity reaches ``threshold`` share most of their words. A
    cheap MinHash of the *word sets* (CRC-32 word hashes, 16 affine permutations, 8 bands of
    2 rows, in numpy) finds the pairs that may be that close: a pair with word-set Jaccard
    ``J`` meets in some band with probability ``1 - (1 - J**2)**8`` (0.9997 at J = 0.85).
    Only pairs that meet and pass a permissive word-set Jaccard bound (``threshold - 0.15``)
    go on to the 3-gram MinHash. Deterministic: CRC-32 is not salted per process.

    The whole batch's words are numbered and hashed at once (each distinct word once), the pairs
    that meet are found by sorting each band's keys by document, and their exact word-set overlaps
    are counted for the whole batch at once (:func:`_shared_words`). Pairs are
    ``(later, [earlier, ...])`` in candidate positions, by later then earlier.
    """
    import numpy as np

    out: list[list[tuple[int, list[int]]]] = [[] for _ in pages]
    lists = [words[i] for words, chosen in pages for i in chosen]
    if len(lists) < 2:
        return out
    flat = list(itertools.chain.from_iterable(lists))
    ids, numbers = number_words(flat)
    vocabulary = np.fromiter(map(zlib.crc32, map(str.encode, numbers)), dtype=np.uint64, count=len(numbers))
    lengths = np.fromiter(map(len, lists), dtype=np.intp, count=len(lists))
    multipliers, offsets = _prefilter_permutations()
    permuted = (vocabulary[:, None] * multipliers + offsets) & np.uint64(0xFFFFFFFF)
    minima = _minima(permuted, ids, lengths)
    band_keys = (minima[:, 0::2] << np.uint64(32)) | minima[:, 1::2]
    sizes = [len(chosen) for _, chosen in pages]
    document = np.repeat(np.arange(len(pages)), sizes)
    later, earlier = _meeting_pairs(band_keys, document)
    if not len(later):
        return out
    shared, union = _shared_words(ids, lengths, len(numbers), later, earlier)
    keep = shared >= max(0.2, threshold - 0.15) * union
    later, earlier = later[keep], earlier[keep]
    if not len(later):
        return out
    page_start = np.concatenate([[0], np.cumsum(sizes[:-1])]).astype(np.intp)
    page = document[later]
    first = page_start[page]
    for d, row, other in zip(page.tolist(), (later - first).tolist(), (earlier - first).tolist(), strict=True):
        pairs = out[d]
        if pairs and pairs[-1][0] == row:
            pairs[-1][1].append(other)
        else:
            pairs.append((row, [other]))
    return out


def _minima(permuted: Any, ids: Any, lengths: Any) -> Any:
    """Each paragraph's minimum of ``permuted`` rows over its words (``ids``, ``lengths`` words each), for
    runs of paragraphs of about :data:`_MINIMA_WORDS` words at a time (bounded temporaries)."""
    import numpy as np

    ends = np.cumsum(lengths)
    starts = ends - lengths
    minima = np.empty((len(lengths), permuted.shape[1]), dtype=permuted.dtype)
    first = 0
    while first < len(lengths):
        last = max(first + 1, int(np.searchsorted(ends, starts[first] + _MINIMA_WORDS, side="right")))
        low, high = int(starts[first]), int(ends[last - 1])
        minima[first:last] = np.minimum.reduceat(permuted[ids[low:high]], starts[first:last] - low, axis=0)
        first = last
    return minima


def _meeting_pairs(band_keys: Any, document: Any) -> tuple[Any, Any]:
    """The pairs of rows of the same document that share a key in some band column, as ``(later, earlier)``
    arrays sorted by later row, then earlier row."""
    import numpy as np

    from textclean._minhash import sorted_unique

    rows = len(document)
    found = []
    for column in band_keys.T:
        order = np.lexsort((column, document))  # by document, then key; stable: equal keys stay in row order
        same = (column[order][1:] == column[order][:-1]) & (document[order][1:] == document[order][:-1])
        if not same.any():
            continue
        position = np.arange(1, rows)
        run_start = np.maximum.accumulate(np.where(same, 0, position))  # where each position's run starts
        behind = np.where(same, position - run_start, 0)  # how many rows of its run come before it
        total = int(behind.sum())
        later = np.repeat(order[1:], behind)
        offsets = np.arange(total) - np.repeat(np.cumsum(behind) - behind, behind)
        earlier = order[np.repeat(run_start, behind) + offsets]
        found.append(later.astype(np.int64) * rows + earlier)
    codes = sorted_unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    return codes // rows, codes % rows


def _shared_words(ids: Any, lengths: Any, size: int, later: Any, earlier: Any) -> tuple[Any, Any]:
    """How many distinct words each pair of paragraphs shares, and how many the two have together.

    ``ids`` are the paragraphs' word numbers end to end (``lengths`` words each, ``size`` distinct in all).
    The distinct words of the paragraphs in some pair are kept as sorted ``paragraph * size + word``
    codes; a pair's shared words are those of the later paragraph whose code under the earlier one
    exists, looked up by binary search, in chunks of at most :data:`_LOOKUP_CHUNK` lookups (bounded
    memory, any number of pairs).
    """
    import numpy as np

    from textclean._minhash import sorted_unique

    involved = sorted_unique(np.concatenate([later, earlier]))
    local = np.zeros(len(lengths), dtype=np.int64)
    local[involved] = np.arange(len(involved))
    later, earlier = local[later], local[earlier]
    ends = np.cumsum(lengths)
    counts = lengths[involved]
    step = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    words = ids[np.repeat(ends[involved] - counts, counts) + step]
    codes = sorted_unique(np.repeat(np.arange(len(involved), dtype=np.int64), counts) * size + words)
    bounds = np.searchsorted(codes, np.arange(len(involved) + 1, dtype=np.int64) * size)
    distinct = np.diff(bounds)
    shared = np.empty(len(later), dtype=np.intp)
    lookups = distinct[later]
    done = np.cumsum(lookups)  # lookups up to and including each pair
    at = 0
    while at < len(later):
        before = int(done[at - 1]) if at else 0
        stop = max(at + 1, int(np.searchsorted(done, before + _LOOKUP_CHUNK, side="right")))
        chunk = slice(at, stop)
        number = lookups[chunk]
        offset = np.arange(int(number.sum())) - np.repeat(np.cumsum(number) - number, number)
        mine = codes[np.repeat(bounds[later[chunk]], number) + offset] % size
        wanted = np.repeat(earlier[chunk], number) * size + mine
        position = np.minimum(np.searchsorted(codes, wanted), len(codes) - 1)
        pair = np.repeat(np.arange(len(number)), number)
        shared[chunk] = np.bincount(pair, weights=codes[position] == wanted, minlength=len(number)).astype(np.intp)
        at = chunk.stop
    return shared, distinct[later] + distinct[earlier] - shared


@functools.cache
def _prefilter_permutations() -> tuple[Any, Any]:
    """Fixed odd multipliers and offsets of the word-set prefilter (not the configurable seed)."""
    import numpy as np

    generator = np.random.default_rng(20261122)
    multipliers = generator.integers(1, 1 << 32, _PREFILTER_PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
    return multipliers, generator.integers(0, 1 << 32, _PREFILTER_PERMUTATIONS, dtype=np.uint64)
