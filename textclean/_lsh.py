"""Locality-sensitive hashing over MinHash signatures: banding, band keys and a sort-based join.

A pair of documents with Jaccard similarity ``s`` becomes a candidate when all ``rows`` values
of at least one of ``bands`` bands agree, with probability ``1 - (1 - s**rows)**bands`` (the
S-curve). Every candidate is verified afterwards, so a false positive costs only time while a
false negative is a missed duplicate: :func:`choose_bands` therefore requires a high detection
rate at the threshold (datasketch's default, which weighs both errors alike, picks 9 bands of 13
rows for 128 permutations at 0.8, and detects only ~2/3 of the pairs with s in [0.8, 0.9)).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from textclean._errors import ConfigError
from textclean._minhash import HASH_SCHEME, Simplify, sorted_unique

__all__ = [
    "MinHashParameters",
    "band_keys",
    "candidate_pairs",
    "choose_bands",
    "detection_probability",
    "matching_pairs",
]

_U64 = np.uint64
_ROW_MULTIPLIERS = np.random.default_rng(977).integers(0, 2**63, size=256, dtype=np.uint64) * _U64(2) + _U64(1)


def detection_probability(similarity: float, bands: int, rows: int) -> float:
    """Return the probability that a pair of the given Jaccard similarity becomes a candidate.

    Examples:
        >>> round(detection_probability(0.8, 9, 13), 3)
        0.399
        >>> round(detection_probability(0.8, 32, 4), 3)
        1.0
    """
    return float(1.0 - (1.0 - similarity**rows) ** bands)


def _false_positive_area(threshold: float, bands: int, rows: int) -> float:
    grid = np.linspace(0.0, threshold, 200)
    return float(np.mean(1.0 - (1.0 - grid**rows) ** bands) * threshold)


def choose_bands(threshold: float, num_perm: int, *, min_detection: float = 0.99) -> tuple[int, int]:
    """Choose ``(bands, rows)`` for a Jaccard threshold, favouring recall (candidates are verified).

    Among the bandings with ``bands * rows <= num_perm`` whose detection probability at the
    threshold is at least ``min_detection``, return the one with the fewest expected candidates
    below the threshold; if none reaches it, the one with the highest detection rate.

    Examples:
        >>> choose_bands(0.8, 128)
        (21, 6)
        >>> choose_bands(0.5, 128)
        (42, 3)
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], not {threshold}")
    best: tuple[float, int, int] | None = None
    fallback = (0.0, 1, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        detection = detection_probability(threshold, bands, rows)
        if detection > fallback[0]:
            fallback = (detection, bands, rows)
        if detection >= min_detection:
            area = _false_positive_area(threshold, bands, rows)
            if best is None or area < best[0]:
                best = (area, bands, rows)
    chosen = best or fallback
    return chosen[1], chosen[2]


def band_keys(signatures: NDArray[np.uint32], bands: int, rows: int) -> NDArray[np.uint64]:
    """Return one 64-bit key per band of each signature, shape ``(len(signatures), bands)``.

    Two signatures share the key of band ``k`` exactly when their values ``k*rows`` to
    ``(k+1)*rows - 1`` agree (up to 64-bit hash collisions, which verification catches).

    Examples:
        >>> signatures = np.array([[1, 2, 3, 4], [1, 2, 9, 4]], dtype=np.uint32)
        >>> keys = band_keys(signatures, 2, 2)
        >>> bool(keys[0, 0] == keys[1, 0]), bool(keys[0, 1] == keys[1, 1])
        (True, False)
    """
    if bands * rows > signatures.shape[1]:
        raise ValueError(f"{bands} bands of {rows} rows need {bands * rows} permutations")
    keys = np.empty((len(signatures), bands), dtype=np.uint64)
    for band in range(bands):
        block = signatures[:, band * rows : (band + 1) * rows].astype(np.uint64)
        key = (block * _ROW_MULTIPLIERS[:rows]).sum(axis=1, dtype=np.uint64)
        key ^= key >> _U64(31)
        key *= _U64(0x9E3779B97F4A7C15)
        keys[:, band] = key ^ (key >> _U64(29))
    return keys


def _group_pairs(
    order: NDArray[np.int64], sorted_keys: NDArray[np.uint64], partners: int
) -> Iterator[tuple[NDArray[np.int64], NDArray[np.int64]]]:
    """Yield (earlier, later) pairs inside runs of equal keys: each member with its run's first
    member and with up to ``partners`` members just before it."""
    starts_flag = np.empty(len(sorted_keys), dtype=bool)
    starts_flag[:1] = True
    np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=starts_flag[1:])
    run_start = np.maximum.accumulate(np.where(starts_flag, np.arange(len(order)), 0))
    position = np.arange(len(order)) - run_start
    later = position > 0
    yield order[run_start[later]], order[later]
    for back in range(1, partners + 1):
        chosen = position > back
        yield order[np.flatnonzero(chosen) - back], order[chosen]


def candidate_pairs(keys: NDArray[np.uint64], *, partners: int = 4) -> NDArray[np.int64]:
    """Return the unique candidate pairs ``(i, j)``, ``i < j``, of a batch: rows sharing a band key.

    A sort-based self-join: per band, rows are sorted by key (ties in input order) and each row
    is paired with the first row of its run and with up to ``partners`` rows just before it, so
    a run of ``m`` identical keys costs ``O(m)`` pairs, not ``O(m**2)``.

    Returns:
        An ``(n_pairs, 2)`` array sorted by ``(i, j)``.

    Examples:
        >>> keys = np.array([[5, 1], [5, 2], [7, 2], [5, 3]], dtype=np.uint64)
        >>> candidate_pairs(keys).tolist()
        [[0, 1], [0, 3], [1, 2], [1, 3]]
    """
    found: list[NDArray[np.uint64]] = []
    count = np.uint64(len(keys))
    for band in range(keys.shape[1]):
        order = np.argsort(keys[:, band], kind="stable")
        for earlier, later in _group_pairs(order, keys[order, band], partners):
            low, high = np.minimum(earlier, later), np.maximum(earlier, later)
            found.append(low.astype(np.uint64) * count + high.astype(np.uint64))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    codes = sorted_unique(np.concatenate(found))
    return np.stack([(codes // count).astype(np.int64), (codes % count).astype(np.int64)], axis=1)


def matching_pairs(
    query_keys: NDArray[np.uint64], stored_keys: NDArray[np.uint64], *, limit: int = 8
) -> NDArray[np.int64]:
    """Return the unique pairs ``(query row, stored row)`` that share a band key.

    For each band and query key, at most ``limit`` stored rows (the earliest) are returned.

    Examples:
        >>> stored = np.array([[5, 1], [6, 2]], dtype=np.uint64)
        >>> query = np.array([[6, 1], [9, 9]], dtype=np.uint64)
        >>> matching_pairs(query, stored).tolist()
        [[0, 0], [0, 1]]
    """
    found: list[NDArray[np.uint64]] = []
    width = np.uint64(max(len(stored_keys), 1))
    for band in range(query_keys.shape[1]):
        order = np.argsort(stored_keys[:, band], kind="stable")
        ordered = stored_keys[order, band]
        low = np.searchsorted(ordered, query_keys[:, band], side="left")
        high = np.searchsorted(ordered, query_keys[:, band], side="right")
        for offset in range(limit):
            hit = np.flatnonzero(low + offset < high)
            if not len(hit):
                break
            found.append(hit.astype(np.uint64) * width + order[low[hit] + offset].astype(np.uint64))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    codes = sorted_unique(np.concatenate(found))
    return np.stack([(codes // width).astype(np.int64), (codes % width).astype(np.int64)], axis=1)


@dataclass(frozen=True)
class MinHashParameters:
    """What every MinHash index shares: shingling, signature and banding (validated once, here).

    The batch :class:`~textclean.DedupConfig` and the online
    :class:`~textclean.OnlineIndexConfig` extend it with their own options.

    Attributes:
        threshold: the Jaccard similarity at or above which two documents are near-duplicates.
        ngram: words per shingle (lowercase ``\\w+`` words).
        num_perm: MinHash permutations (signature length).
        seed: chooses the permutations; signatures of different seeds never match.
        bands: LSH bands; ``None`` derives bands and rows from the threshold (see
            :func:`choose_bands`). Give both ``bands`` and ``rows`` or neither.
        rows: signature values per band.
        simplify: how texts are simplified before hashing (never the output).

    Examples:
        >>> MinHashParameters().banding
        (21, 6)
        >>> MinHashParameters(bands=30, rows=6)
        Traceback (most recent call last):
        ...
        textclean._errors.ConfigError: 30 bands x 6 rows do not fit num_perm=128
    """

    threshold: float = 0.8
    ngram: int = 5
    num_perm: int = 128
    seed: int = 1
    bands: int | None = None
    rows: int | None = None
    simplify: Simplify = field(default_factory=Simplify)

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ConfigError(f"threshold must be in (0, 1], not {self.threshold!r}")
        if not 1 <= self.ngram <= 64:
            raise ConfigError(f"ngram must be between 1 and 64, not {self.ngram!r}")
        if not 16 <= self.num_perm <= 1024:
            raise ConfigError(f"num_perm must be between 16 and 1024, not {self.num_perm!r}")
        if (self.bands is None) != (self.rows is None):
            raise ConfigError("give both bands and rows, or neither (then both derive from the threshold)")
        bands, rows = self.bands, self.rows
        fits = bands is None or rows is None or (bands >= 1 and 1 <= rows <= 256 and bands * rows <= self.num_perm)
        if not fits:
            raise ConfigError(f"{bands} bands x {rows} rows do not fit num_perm={self.num_perm}")

    @property
    def banding(self) -> tuple[int, int]:
        """The ``(bands, rows)`` used: the given ones, else derived from the threshold."""
        if self.bands is not None and self.rows is not None:
            return self.bands, self.rows
        return choose_bands(self.threshold, self.num_perm)

    def signature_parameters(self) -> dict[str, Any]:
        """What makes two signatures comparable (recorded in persistent indexes; JSON-ready)."""
        bands, rows = self.banding
        return {
            "hash_scheme": HASH_SCHEME,
            "seed": self.seed,
            "ngram": self.ngram,
            "num_perm": self.num_perm,
            "bands": bands,
            "rows": rows,
            "simplify": self.simplify.describe(),
        }
