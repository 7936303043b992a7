"""The prefilter of near-repeated paragraphs: which pairs may be near copies, before MinHash.

Near copies (``D002``, :mod:`textclean._paragraphs`) share most of their words. A cheap MinHash of each
paragraph's *word set* finds the pairs that may be that close, and an exact word-set Jaccard bound keeps
only those that could reach the threshold. Sharing words is not enough, though: on a site whose pages
use a small vocabulary (or a generated corpus) every long paragraph shares most words with every other.
So the pairs left are counted once more on the word *trigrams*, the shingles the MinHash estimates the
similarity of, and only pairs whose exact trigram similarity comes near the threshold
(:func:`trigram_bound`) go on to the 3-gram MinHash. Everything runs over a whole batch of documents at
once, each document's pairs its own.
"""

from __future__ import annotations

import functools
import math
import zlib
from collections.abc import Sequence
from typing import Any

from textclean import _kernels

__all__ = ["NEAR_NGRAM", "gathered_pairs", "prefiltered_pairs_many", "trigram_bound", "word_hashes_of"]

NEAR_NGRAM = 3
"""Words per shingle of the near-repeat MinHash (:mod:`textclean._paragraphs`), which the trigram stage counts (the
compiled ``trigram_overlaps`` counts runs of three words)."""
_PREFILTER_PERMUTATIONS = 16
_MINIMA_WORDS = 1 << 15  # words whose permuted hashes are gathered at once (4 MB at 16 permutations)
_LOOKUP_CHUNK = 1 << 16  # word lookups per chunk of pairs in the exact overlaps (a few MB of temporaries)


def prefiltered_pairs_many(
    pages: Sequence[tuple[Any, Any, list[int]]], vocabulary: Sequence[str], threshold: float, num_perm: int
) -> list[list[tuple[int, list[int]]]]:
    """Per document, its earlier candidate paragraphs sharing enough distinct words to possibly reach the threshold.

    Paragraphs whose 3-gram similarity reaches ``threshold`` share most of their words. A
    cheap MinHash of the *word sets* (CRC-32 word hashes, 16 affine permutations, 8 bands of
    2 rows, in numpy) finds the pairs that may be that close: a pair with word-set Jaccard
    ``J`` meets in some band with probability ``1 - (1 - J**2)**8`` (0.9997 at J = 0.85).
    Only pairs that meet, pass a permissive word-set Jaccard bound (``threshold - 0.15``) and
    whose word trigrams' exact Jaccard similarity reaches :func:`trigram_bound` of the
    ``num_perm``-slot MinHash go on to the 3-gram MinHash. Deterministic: CRC-32 is not salted
    per process.

    Each page is its paragraphs' word numbers end to end, how many each paragraph has, and its candidate
    paragraphs; the numbers are positions in ``vocabulary``. The words in play are hashed once each; the
    signatures, the pairs that meet and their exact word-set overlaps come from the compiled
    ``prefilter_pairs`` when it was built (:mod:`textclean._kernels`), else from numpy for the whole batch at
    once (:func:`_pairs_reference`). Pairs are ``(later, [earlier, ...])`` in candidate positions, by later then
    earlier.
    """
    import numpy as np

    from textclean._tokens import gather_ragged

    if sum(len(chosen) for _, _, chosen in pages) < 2:
        return [[] for _ in pages]
    numbers, lengths = gather_ragged(pages)  # the chosen paragraphs of every page at once
    present = np.zeros(len(vocabulary), dtype=bool)
    present[numbers] = True
    used = np.flatnonzero(present)  # the words in play, renumbered 0, 1, ... (by vocabulary order)
    ids = (np.cumsum(present) - 1)[numbers]
    sizes = [len(chosen) for _, _, chosen in pages]
    document = np.repeat(np.arange(len(pages), dtype=np.int64), sizes)
    hashes = word_hashes_of(vocabulary, used)
    return gathered_pairs(ids, lengths, document, hashes, threshold, len(pages), num_perm)


def gathered_pairs(
    ids: Any, lengths: Any, document: Any, hashes: Any, threshold: float, documents: int, num_perm: int
) -> list[list[tuple[int, list[int]]]]:
    """:func:`prefiltered_pairs_many` of the candidate paragraphs gathered already: their words end to end
    (``ids``, numbered 0, 1, ... among the words in play), how many each has (at least one), the document of each
    (``document``, ascending, below ``documents``) and the CRC-32 of each word in play (``hashes``, uint32);
    ``num_perm`` is the 3-gram MinHash's, which sets the trigram stage's margin.

    Pairs are ``(later, [earlier, ...])`` in positions among the document's candidates, by later then earlier.
    """
    import numpy as np

    out: list[list[tuple[int, list[int]]]] = [[] for _ in range(documents)]
    if len(lengths) < 2:
        return out
    multipliers, offsets = _prefilter_permutations()
    bound = max(0.2, threshold - 0.15)
    native = _kernels.kernel("prefilter_pairs")
    if native is not None:  # the same pairs, from textclean/_native.c
        found = native(
            np.ascontiguousarray(ids, dtype=np.int32),
            np.ascontiguousarray(lengths, dtype=np.int64),
            np.ascontiguousarray(document, dtype=np.int64),
            np.ascontiguousarray(hashes, dtype=np.uint32),
            multipliers,
            offsets,
            bound,
        )  # numpy arrays are passed as buffers, not copied
        later, earlier = (np.frombuffer(part, dtype=np.int64) for part in found)
    else:
        permuted = (hashes.astype(np.uint64)[:, None] * multipliers + offsets) & np.uint64(0xFFFFFFFF)
        later, earlier = _pairs_reference(permuted, ids, lengths, document, len(hashes), bound)
    if len(later):
        later, earlier = _trigram_pass(ids, lengths, later, earlier, trigram_bound(threshold, num_perm))
    if not len(later):
        return out
    page = document[later]
    first = np.searchsorted(document, page)  # each pair's document's first candidate
    for d, row, other in zip(page.tolist(), (later - first).tolist(), (earlier - first).tolist(), strict=True):
        pairs = out[d]
        if pairs and pairs[-1][0] == row:
            pairs[-1][1].append(other)
        else:
            pairs.append((row, [other]))
    return out


def word_hashes_of(vocabulary: Sequence[str], used: Any) -> Any:
    """The CRC-32 of the UTF-8 of each used word (numbers into ``vocabulary``), as uint32: unsalted, the same in
    every process. The compiled ``word_hashes`` when it was built, else zlib (its reference)."""
    import numpy as np

    native = _kernels.kernel("word_hashes")
    if native is not None and isinstance(vocabulary, list):
        found = native(vocabulary, used.astype(np.int64))
        if found is not None:  # None: a lone surrogate, which the reference reports as str.encode does
            return np.frombuffer(found, dtype=np.uint32)
    words = map(vocabulary.__getitem__, used.tolist())
    return np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint32, count=len(used))


def _pairs_reference(permuted: Any, ids: Any, lengths: Any, document: Any, size: int, bound: float) -> tuple[Any, Any]:
    """The pairs of paragraphs (``later``, ``earlier`` arrays) whose signatures meet in a band and whose distinct
    words reach the bound: numpy, the reference of the compiled ``prefilter_pairs``."""
    import numpy as np

    minima = _minima(permuted, ids, lengths)
    band_keys = (minima[:, 0::2] << np.uint64(32)) | minima[:, 1::2]
    later, earlier = _meeting_pairs(band_keys, document)
    if not len(later):
        return later, earlier
    shared, union = _shared_words(ids, lengths, size, later, earlier)
    keep = shared >= bound * union
    return later[keep], earlier[keep]


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
    from textclean._tokens import ragged_ranges

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
        later = np.repeat(order[1:], behind)
        earlier = order[np.repeat(run_start, behind) + ragged_ranges(behind)]
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
    from textclean._tokens import gather_rows, ragged_ranges

    involved = sorted_unique(np.concatenate([later, earlier]))
    local = np.zeros(len(lengths), dtype=np.int64)
    local[involved] = np.arange(len(involved))
    later, earlier = local[later], local[earlier]
    words, counts = gather_rows(ids, lengths, involved)
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
        mine = codes[np.repeat(bounds[later[chunk]], number) + ragged_ranges(number)] % size
        wanted = np.repeat(earlier[chunk], number) * size + mine
        position = np.minimum(np.searchsorted(codes, wanted), len(codes) - 1)
        pair = np.repeat(np.arange(len(number)), number)
        shared[chunk] = np.bincount(pair, weights=codes[position] == wanted, minlength=len(number)).astype(np.intp)
        at = chunk.stop
    return shared, distinct[later] + distinct[earlier] - shared


def trigram_bound(threshold: float, num_perm: int) -> float:
    """The least trigram Jaccard similarity of a pair that goes on to the MinHash: ``threshold`` less six times the
    largest standard deviation of a ``num_perm``-slot estimate (``0.5 / sqrt(num_perm)``).

    A pair whose true similarity is below it reaches ``threshold`` by chance far less than once in a billion times
    at 128 permutations; the margin also covers the small differences between the cleaner's words (``re``) and
    the MinHash's (``regex``).

    Examples:
        >>> round(trigram_bound(0.8, 128), 3)
        0.535
    """
    return threshold - 3.0 / math.sqrt(num_perm)


def _trigram_pass(ids: Any, lengths: Any, later: Any, earlier: Any, bound: float) -> tuple[Any, Any]:
    """The pairs (``later``, ``earlier`` arrays) whose distinct word trigrams reach ``bound`` x the trigrams of the
    two together, and those where a paragraph has fewer than three words (its one shingle is all its words).

    The trigrams are what the 3-gram MinHash estimates the Jaccard similarity of, so this is that similarity
    exactly; ``bound`` leaves room for the estimate's spread. The compiled ``trigram_overlaps`` counts them
    when it was built (:mod:`textclean._kernels`), else :func:`_trigram_overlaps_reference`.
    """
    import numpy as np

    native = _kernels.kernel("trigram_overlaps")
    found = None
    if native is not None:
        found = native(
            np.ascontiguousarray(ids, dtype=np.int32),
            np.ascontiguousarray(lengths, dtype=np.int64),
            np.ascontiguousarray(later, dtype=np.int64),
            np.ascontiguousarray(earlier, dtype=np.int64),
        )  # None: a word number too large for the kernel's keys
    if found is None:
        shared, union = _trigram_overlaps_reference(ids, lengths, later, earlier)
    else:
        shared, union = (np.frombuffer(part, dtype=np.int64) for part in found)
    short = lengths < NEAR_NGRAM
    keep = short[later] | short[earlier] | (shared >= bound * union)
    return later[keep], earlier[keep]


def _trigram_overlaps_reference(ids: Any, lengths: Any, later: Any, earlier: Any) -> tuple[Any, Any]:
    """How many distinct word trigrams each pair of paragraphs shares, and how many the two have together: each
    trigram numbered densely (by its first two words' pair, then the third word), then :func:`_shared_words`."""
    import numpy as np

    from textclean._minhash import sorted_unique
    from textclean._tokens import gather_rows

    involved = sorted_unique(np.concatenate([later, earlier]))
    local = np.zeros(len(lengths), dtype=np.int64)
    local[involved] = np.arange(len(involved))
    words, counts = gather_rows(ids, lengths, involved)
    words = words.astype(np.int64)
    owner = np.repeat(np.arange(len(involved)), counts)
    starts = np.flatnonzero(owner[NEAR_NGRAM - 1 :] == owner[: len(owner) - NEAR_NGRAM + 1])  # where a trigram starts
    size = int(words.max()) + 1 if len(words) else 1
    heads = words[starts] * size + words[starts + 1]
    unique_heads = sorted_unique(heads)
    keys = np.searchsorted(unique_heads, heads) * size + words[starts + 2]
    unique_keys = sorted_unique(keys)
    trigrams = np.searchsorted(unique_keys, keys)
    counted = np.maximum(counts - (NEAR_NGRAM - 1), 0)  # each paragraph's trigrams
    return _shared_words(trigrams, counted, len(unique_keys), local[later], local[earlier])


@functools.cache
def _prefilter_permutations() -> tuple[Any, Any]:
    """Fixed odd multipliers and offsets of the word-set prefilter (not the configurable seed)."""
    import numpy as np

    generator = np.random.default_rng(20261122)
    multipliers = generator.integers(1, 1 << 32, _PREFILTER_PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
    return multipliers, generator.integers(0, 1 << 32, _PREFILTER_PERMUTATIONS, dtype=np.uint64)
