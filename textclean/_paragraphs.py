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

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textclean._paragraph_prefilter import prefiltered_pairs_many
from textclean._rule import Rule
from textclean._tokens import lowercase_words, table_from_lists, tokenize_pages

__all__ = ["PARAGRAPH_RULES", "Repeat", "find_repeats", "find_repeats_many", "lowercase_words", "repeats_of_words"]

_NEAR_NGRAM = 3
_MIN_EXACT_WORDS = 4
_MIN_EXACT_CHARS = 20

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
    results as :func:`find_repeats` of each document. The near-copy prefilter runs over the whole batch at
    once and MinHash signs runs of documents together, which saves their fixed cost per document.

    Examples:
        >>> lead = "The deployment of ten thousand troops marks a sharp escalation of the war in the east"
        >>> first, second = [lead, "Other news.", lead + " now"], [lead]  # the second page copies nothing of its own
        >>> [[(r.index, r.twin, r.code) for r in found] for found in find_repeats_many([(first, None), (second, None)])]
        [[(2, 0, 'D002')], []]
    """
    if min_words < 1:
        raise ValueError(f"min_words must be at least 1, not {min_words}")
    if all(words is None for _, words in documents):
        table = tokenize_pages([paragraphs for paragraphs, _ in documents])
    else:
        table = table_from_lists(
            [[lowercase_words(p) for p in paragraphs] if words is None else words for paragraphs, words in documents]
        )
    words = [table.page(k) for k in range(len(documents))]
    pages = [(paragraphs, page.ids, page.counts) for (paragraphs, _), page in zip(documents, words, strict=True)]
    return repeats_of_words(
        pages, table.vocabulary, threshold=threshold, min_words=min_words, num_perm=num_perm, seed=seed
    )


def repeats_of_words(
    pages: Sequence[tuple[Sequence[str], Any, Any]],
    vocabulary: Sequence[str],
    *,
    threshold: float | None,
    min_words: int,
    num_perm: int,
    seed: int,
) -> list[list[Repeat]]:
    """:func:`find_repeats_many` of documents whose paragraphs' words are numbered already.

    Each page is its paragraphs, their words' numbers in ``vocabulary`` end to end, and how many words each
    paragraph has (:meth:`~textclean._tokens.PageTokens.gather`).
    """
    found: list[dict[int, Repeat]] = [_exact_repeats(paragraphs, ids, counts) for paragraphs, ids, counts in pages]
    if threshold is not None:
        candidates = [
            [i for i, count in enumerate(counts.tolist()) if count >= min_words and i not in repeats]
            for (_, _, counts), repeats in zip(pages, found, strict=True)
        ]
        near = _near_repeats_many(pages, vocabulary, candidates, threshold, num_perm, seed)
        for repeats, page_near in zip(found, near, strict=True):
            for repeat in page_near:
                repeats[repeat.index] = repeat
    return [[repeats[i] for i in sorted(repeats)] for repeats in found]


def _exact_repeats(paragraphs: Sequence[str], ids: Any, counts: Any) -> dict[int, Repeat]:
    """The later exact copies (``D001``): the same words once lowercased, or the same text when it has none."""
    repeats: dict[int, Repeat] = {}
    first_seen: dict[bytes | str, int] = {}
    raw = ids.astype("<i4", copy=False).tobytes()  # a paragraph's words are the bytes of its numbers
    end = 0
    for index, (paragraph, count) in enumerate(zip(paragraphs, counts.tolist(), strict=True)):
        start, end = end, end + 4 * count
        if count < _MIN_EXACT_WORDS and len(paragraph) < _MIN_EXACT_CHARS:
            continue
        key = raw[start:end] if count else paragraph.strip()
        if key in first_seen:
            repeats[index] = Repeat(index, first_seen[key], 1.0, "D001")
        else:
            first_seen[key] = index
    return repeats


def _near_repeats_many(
    pages: Sequence[tuple[Sequence[str], Any, Any]],
    vocabulary: Sequence[str],
    candidates: Sequence[list[int]],
    threshold: float,
    num_perm: int,
    seed: int,
) -> list[list[Repeat]]:
    """Each document's near copies (``D002``) among its candidate paragraphs (MinHash of word 3-grams)."""
    out: list[list[Repeat]] = [[] for _ in pages]
    chosen = [(ids, counts, rows) for (_, ids, counts), rows in zip(pages, candidates, strict=True)]
    pairs = prefiltered_pairs_many(chosen, vocabulary, threshold)
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
