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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Any

from textclean import _kernels
from textclean._paragraph_prefilter import NEAR_NGRAM, gathered_pairs, prefiltered_pairs_many, word_hashes_of
from textclean._rule import Rule, Verdict
from textclean._tokens import PageTokens, gather_pages, lowercase_words, table_from_lists, tokenize_pages

__all__ = [
    "PARAGRAPH_RULES",
    "Repeat",
    "find_repeats",
    "find_repeats_many",
    "lowercase_words",
    "repeats_of_pages",
    "repeats_of_words",
]

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


def repeats_of_pages(
    pages: Sequence[tuple[list[str], PageTokens, list[Verdict]]],
    *,
    threshold: float | None,
    min_words: int,
    num_perm: int,
    seed: int,
) -> list[list[Repeat]]:
    """The repeated paragraphs among each page's kept non-blank lines, numbered as the page's lines.

    Each page is its lines, their words (pages of one token table) and a verdict per line; a line takes part
    when its verdict keeps it and it is not empty. A :class:`Repeat`'s ``index`` and ``twin`` are line numbers
    of the page (not positions among the kept lines): :func:`repeats_of_words` of the kept lines, renumbered.
    The compiled ``paragraph_rows`` picks the kept lines, finds their exact copies and gathers the near-copy
    candidates' words for the whole batch in one call when it was built (:mod:`textclean._kernels`), else
    :func:`_repeats_of_pages_reference` does.
    """
    if not pages:
        return []
    native = _kernels.kernel("paragraph_rows")
    vocabulary = pages[0][1].table.vocabulary
    found = None
    if native is not None and (threshold is None or min_words >= 1):
        found = native(
            [(lines, verdicts, words.ids, words.starts) for lines, words, verdicts in pages],
            Verdict,
            len(vocabulary),
            0 if threshold is None else min_words,
        )  # None: inputs outside the kernel's (a verdict of another type...): the reference takes them
    if found is None:
        return _repeats_of_pages_reference(
            pages, threshold=threshold, min_words=min_words, num_perm=num_perm, seed=seed
        )
    import numpy as np

    kept, sizes, twins, chosen, owners, words, lengths, used = (
        np.frombuffer(part, dtype=np.int32 if k == 5 else np.int64) for k, part in enumerate(found)
    )
    firsts = np.cumsum(sizes) - sizes  # each page's first kept line among all pages' kept lines
    out: list[dict[int, Repeat]] = [{} for _ in pages]
    copies = np.flatnonzero(twins >= 0)
    if len(copies):
        page_of = np.searchsorted(firsts, copies, side="right") - 1
        lines_of = kept[copies].tolist()
        twin_lines = kept[twins[copies] + firsts[page_of]].tolist()
        for d, line, twin in zip(page_of.tolist(), lines_of, twin_lines, strict=True):
            out[d][line] = Repeat(line, twin, 1.0, "D001")
    if threshold is not None and len(chosen) >= 2:
        hashes = word_hashes_of(vocabulary, used)
        pairs = gathered_pairs(words, lengths, owners, hashes, threshold, len(pages), num_perm)
        if any(pairs):
            candidate_firsts = np.searchsorted(owners, np.arange(len(pages) + 1)).tolist()
            candidates = [
                chosen[candidate_firsts[d] : candidate_firsts[d + 1]].tolist() if page_pairs else []
                for d, page_pairs in enumerate(pairs)
            ]
            page_firsts = firsts.tolist()
            kept_lines = kept.tolist()

            def text_of(d: int, position: int) -> str:
                text: str = pages[d][0][kept_lines[page_firsts[d] + position]]
                return text

            near = _signed_near_repeats(text_of, candidates, pairs, threshold, num_perm, seed)
            for d, page_near in enumerate(near):
                for repeat in page_near:
                    line = kept_lines[page_firsts[d] + repeat.index]
                    twin = kept_lines[page_firsts[d] + repeat.twin]
                    out[d][line] = Repeat(line, twin, repeat.similarity, repeat.code)
    return [[repeats[i] for i in sorted(repeats)] for repeats in out]


def _repeats_of_pages_reference(
    pages: Sequence[tuple[list[str], PageTokens, list[Verdict]]],
    *,
    threshold: float | None,
    min_words: int,
    num_perm: int,
    seed: int,
) -> list[list[Repeat]]:
    """:func:`repeats_of_pages` in plain steps: each page's kept lines, their words gathered, :func:`repeats_of_words`
    of them, and the positions mapped back to line numbers (the reference of the compiled path)."""
    kept = [  # the kept non-blank lines
        list(compress(range(len(lines)), map(operator.and_, map(_KEEP, verdicts), map(bool, lines))))
        for lines, _, verdicts in pages
    ]
    gathered = gather_pages([(words, rows) for (_, words, _), rows in zip(pages, kept, strict=True)])
    found = repeats_of_words(
        [
            ([lines[row] for row in rows], ids, counts)
            for (lines, _, _), rows, (ids, counts) in zip(pages, kept, gathered, strict=True)
        ],
        pages[0][1].table.vocabulary,
        threshold=threshold,
        min_words=min_words,
        num_perm=num_perm,
        seed=seed,
    )
    return [
        [Repeat(rows[r.index], rows[r.twin], r.similarity, r.code) for r in repeats]
        for rows, repeats in zip(kept, found, strict=True)
    ]


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
    chosen = [(ids, counts, rows) for (_, ids, counts), rows in zip(pages, candidates, strict=True)]
    pairs = prefiltered_pairs_many(chosen, vocabulary, threshold, num_perm)
    return _signed_near_repeats(
        lambda d, position: pages[d][0][position], candidates, pairs, threshold, num_perm, seed
    )


def _signed_near_repeats(
    text_of: Callable[[int, int], str],
    candidates: Sequence[list[int]],
    pairs: Sequence[list[tuple[int, list[int]]]],
    threshold: float,
    num_perm: int,
    seed: int,
) -> list[list[Repeat]]:
    """Each document's near copies (``D002``) among the prefilter's ``pairs`` (in positions among its
    ``candidates``, which are paragraph positions): MinHash of word 3-grams of the paragraphs in some pair
    (``text_of(document, paragraph)``)."""
    out: list[list[Repeat]] = [[] for _ in pairs]
    if not any(pairs):
        return out  # no pair shares enough words: no MinHash needed (the common case)
    import numpy as np

    from textclean._minhash import minhash_signatures

    involved = [sorted({i for later, earlier in page for i in (later, *earlier)}) for page in pairs]
    texts = [text_of(d, candidates[d][i]) for d, rows in enumerate(involved) for i in rows]
    signatures = np.concatenate(
        [
            minhash_signatures(chunk, num_perm=num_perm, ngram=NEAR_NGRAM, seed=seed)
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
_KEEP = operator.attrgetter("keep")
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
