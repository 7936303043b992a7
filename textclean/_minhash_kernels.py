"""The compiled loops of MinHash signing: from ``textclean/_native.c`` when it is built, else numba's, loaded only
when a batch is large enough to earn them.

The numpy code in :mod:`textclean._minhash` is the reference and the fallback: all give bit-identical results
(tested). ``TEXTCLEAN_PURE_PYTHON=1`` leaves out the C loops; ``TEXTCLEAN_NO_NUMBA=1`` the numba ones.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import numpy as np

from textclean import _kernels

__all__ = ["MAX_WORD_POSITION", "MIN_ACCELERATED_WORK", "accelerator", "load_kernels", "native_kernels"]

MAX_WORD_POSITION = 1024
"""Words are hashed with a multiplier per position; positions wrap at this power of two."""


def _shingle_loop(
    points: Any,
    text_bounds: Any,
    table: Any,
    fold_digits: bool,
    ngram: int,
    position_mult: Any,
    ngram_mult: Any,
    out: Any,
    bounds: Any,
) -> None:
    """Write the shingle hashes of each text to ``out`` and their group bounds to ``bounds``."""
    ring = np.zeros(ngram, dtype=np.uint64)
    emitted = 0
    for text in range(len(text_bounds) - 1):
        words, state, length = 0, np.uint64(0), 0
        for i in range(text_bounds[text], text_bounds[text + 1] + 1):
            point = points[i] if i < text_bounds[text + 1] else np.uint32(0x20)
            flag = table[point]
            if flag & 1:
                if fold_digits and flag & 2:
                    point = np.uint32(0x30)
                state += np.uint64(point) * position_mult[length & (MAX_WORD_POSITION - 1)]
                length += 1
            elif length:
                ring[words % ngram] = _fmix64_scalar(state + np.uint64(length))
                words, state, length = words + 1, np.uint64(0), 0
                if words >= ngram:
                    out[emitted] = _combine(ring, words - ngram, ngram, ngram_mult)
                    emitted += 1
        if 0 < words < ngram:
            out[emitted] = _combine(ring, 0, words, ngram_mult)
            emitted += 1
        emitted = _sort_unique(out, bounds[text], emitted)
        bounds[text + 1] = emitted


def _sort_unique(values: Any, start: int, end: int) -> int:
    """Sort ``values[start:end]`` in place, move its unique values to the front; return the new end."""
    if end - start < 2:
        return end
    values[start:end].sort()
    last = start
    for i in range(start + 1, end):
        if values[i] != values[last]:
            last += 1
            values[last] = values[i]
    return last + 1


def _intersection_loop(hashes: Any, bounds: Any, left: Any, right: Any, out: Any) -> None:
    """Count the common values of the sorted unique sets ``left[k]`` and ``right[k]``."""
    for k in range(len(left)):
        i, i_end = bounds[left[k]], bounds[left[k] + 1]
        j, j_end = bounds[right[k]], bounds[right[k] + 1]
        common = 0
        while i < i_end and j < j_end:
            if hashes[i] < hashes[j]:
                i += 1
            elif hashes[i] > hashes[j]:
                j += 1
            else:
                common, i, j = common + 1, i + 1, j + 1
        out[k] = common


def _combine(ring: Any, first: int, count: int, ngram_mult: Any) -> Any:
    combined = np.uint64(0)
    for k in range(count):
        combined += ring[(first + k) % len(ring)] * ngram_mult[k]
    return np.uint32(_fmix64_scalar(combined) >> np.uint64(32))


def _fmix64_scalar(value: Any) -> Any:
    value ^= value >> np.uint64(33)
    value *= np.uint64(0xFF51AFD7ED558CCD)
    value ^= value >> np.uint64(33)
    value *= np.uint64(0xC4CEB9FE1A85EC53)
    return value ^ (value >> np.uint64(33))


def _signature_loop(hashes: Any, bounds: Any, a: Any, b: Any, signatures: Any) -> None:
    """Fold the permuted (``affine32``) shingle hashes of each group into its signature row."""
    mask = np.uint64(0xFFFFFFFF)
    for text in range(len(bounds) - 1):
        row = signatures[text]
        for i in range(bounds[text], bounds[text + 1]):
            value = np.uint64(hashes[i])
            value ^= value >> np.uint64(16)
            value = (value * np.uint64(0x85EBCA6B)) & mask
            value ^= value >> np.uint64(13)
            value = (value * np.uint64(0xC2B2AE35)) & mask
            value ^= value >> np.uint64(16)
            for p in range(len(a)):
                permuted = np.uint32((np.uint64(a[p]) * value + np.uint64(b[p])) & mask)
                if permuted < row[p]:
                    row[p] = permuted


class _Kernels:
    def __init__(self) -> None:
        import numba

        def jit(function: Any) -> Any:
            return numba.njit(cache=True, nogil=True)(function)

        global _combine, _fmix64_scalar, _sort_unique
        _fmix64_scalar, _combine, _sort_unique = jit(_fmix64_scalar), jit(_combine), jit(_sort_unique)
        self.shingles = jit(_shingle_loop)
        self.intersections = jit(_intersection_loop)
        self.signatures = jit(_signature_loop)


def _load_kernels() -> _Kernels | None:
    if os.environ.get("TEXTCLEAN_NO_NUMBA"):
        return None
    try:
        return _Kernels()
    except ImportError:
        return None


MIN_ACCELERATED_WORK = 200_000
"""Below this much work (characters of text), numpy beats loading numba (about a second)."""
_loaded: list[_Kernels | None] = []


class _NativeKernels:
    """The same three loops, compiled in ``textclean/_native.c`` (no start-up cost: used for every batch)."""

    def __init__(self, shingles: Any, signatures: Any, intersections: Any) -> None:
        self.shingles = shingles
        self.signatures = signatures
        self._intersections = intersections

    def intersections(self, hashes: Any, bounds: Any, left: Any, right: Any, out: Any) -> None:
        as_int64 = functools.partial(np.ascontiguousarray, dtype=np.int64)
        self._intersections(hashes, as_int64(bounds), as_int64(left), as_int64(right), out)


def native_kernels() -> _NativeKernels | None:
    """The C loops (:mod:`textclean._kernels`), or ``None`` when the extension is not built or not wanted."""
    names = ("minhash_shingles", "minhash_signatures", "sorted_intersections")
    found = [_kernels.kernel(name) for name in names]
    return None if None in found else _NativeKernels(*found)


def accelerator(work: int) -> _Kernels | _NativeKernels | None:
    """The compiled loops for a batch of ``work`` characters; ``None`` means "use numpy".

    All paths give bit-identical results (tested), so the choice is only about speed: the C loops when they are
    built; else numba's, loaded on first need, except for a small batch (a document's paragraphs in ``textclean
    clean``), which never pays numba's import and start-up; once they are loaded, every batch uses them.
    """
    native = native_kernels()
    if native is not None:
        return native
    if not _loaded and work < MIN_ACCELERATED_WORK:
        return None
    return load_kernels()


def load_kernels() -> _Kernels | None:
    """Load (once) and return the numba kernels; ``None`` without numba or with ``TEXTCLEAN_NO_NUMBA`` set."""
    if not _loaded:
        _loaded.append(_load_kernels())
    return _loaded[0]
