"""The context columns of the line features: each line's neighbours and its place in the page.

Whole-document numpy over the lines' word counts; the window means keep the summation order of
``numpy.convolve``, so the columns are bit-identical to the straightforward code's.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["context_into", "window_mean", "window_means"]


def window_mean(values: npt.NDArray[np.float64], radius: int) -> npt.NDArray[np.float64]:
    """The mean of each value and its ``radius`` neighbours either side (as many as there are).

    Examples:
        >>> window_mean(np.array([1.0, 2.0, 3.0, 4.0]), 1).tolist()
        [1.5, 2.0, 3.0, 3.5]
    """
    padded = np.zeros(len(values) + 2 * radius)
    padded[radius : radius + len(values)] = values
    sums = np.convolve(padded, np.ones(2 * radius + 1), mode="valid")
    n = len(values)
    result: npt.NDArray[np.float64] = sums / (_window_sizes(n, radius) if n <= _CACHED else _sizes(n, radius))
    return result


def window_means(values: npt.NDArray[np.float64], sizes: Sequence[int], radius: int) -> npt.NDArray[np.float64]:
    """:func:`window_mean` of several documents' values end to end (``sizes`` values each), in one pass.

    Each document sits between ``radius`` zeros of its own, as alone, so each window sums the same values
    in the same order: bit-identical to :func:`window_mean` of each document.

    Examples:
        >>> window_means(np.array([1.0, 2.0, 3.0, 4.0, 10.0]), [4, 1], 1).tolist()
        [1.5, 2.0, 3.0, 3.5, 10.0]
    """
    if len(sizes) == 1:
        return window_mean(values, radius)
    document = np.repeat(np.arange(len(sizes)), sizes)
    at = np.arange(len(values)) + 2 * radius * document  # each value's window in the 'valid' sums
    padded = np.zeros(len(values) + 2 * radius * len(sizes))
    padded[at + radius] = values
    sums = np.convolve(padded, np.ones(2 * radius + 1), mode="valid")[at]
    counts = np.concatenate([_window_sizes(n, radius) if n <= _CACHED else _sizes(n, radius) for n in sizes])
    result: npt.NDArray[np.float64] = sums / counts
    return result


def _sizes(n: int, radius: int) -> npt.NDArray[np.float64]:
    """How many of the ``n`` lines each line's window (``radius`` lines either side) holds."""
    at = np.arange(n)
    sizes: npt.NDArray[np.float64] = (np.minimum(at + radius, n - 1) - np.maximum(at - radius, 0) + 1).astype(float)
    sizes.flags.writeable = False
    return sizes


_window_sizes = functools.lru_cache(maxsize=1024)(_sizes)  # pages of up to _CACHED lines share them
_CACHED = 4096


def _distances(flags: npt.NDArray[np.bool_]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Distance (in lines) to the nearest flagged line before, and after, each line; n+1 when none."""
    n = len(flags)
    flagged = flags.nonzero()[0]
    if not len(flagged):
        return np.full(n, n + 1.0), np.full(n, n + 1.0)
    at = np.arange(n)
    previous = flagged.searchsorted(at) - 1
    following = flagged.searchsorted(at, side="right")
    before = np.where(previous >= 0, at - flagged[previous], n + 1).astype(np.float64)
    after = np.where(following < len(flagged), flagged[np.minimum(following, len(flagged) - 1)] - at, n + 1)
    return before, after.astype(np.float64)


def _short_runs(short: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """For each line, the length of the run of consecutive short lines it belongs to (0 if not short)."""
    edges = np.flatnonzero(np.diff(np.concatenate([[False], short, [False]]).astype(np.int8)))
    lengths = edges[1::2] - edges[::2]
    out = np.zeros(len(short), dtype=np.float64)
    out[short] = np.repeat(lengths, lengths)
    return out


def context_into(
    words: npt.NDArray[np.float64],
    ends: npt.NDArray[np.float64],
    index: npt.NDArray[np.intp],
    blank: npt.NDArray[np.bool_],
    out: npt.NDArray[np.float64],
) -> None:
    """Fill ``out`` (one row per non-blank line, the CONTEXT_FEATURES columns in order).

    Args:
        words: the lines' word counts.
        ends: whether each ends a sentence (0.0 or 1.0).
        index: the lines' indexes among all lines.
        blank: per line of the document, whether it is blank.
        out: where the columns go.
    """
    n = len(words)
    if n == 0:
        return
    logw = np.log1p(words)
    total = max(words.sum(), 1.0)
    before = (words.cumsum() - words) / total
    long_lines = words >= 15
    long_before = (long_lines.cumsum() - long_lines).astype(np.float64)
    long_count = int(long_lines.sum())
    long_total = max(long_count, 1)
    out[:, 0] = _positions(n) if n <= _CACHED else np.arange(n) / max(n - 1, 1)
    out[:, 1] = before
    out[:, 2] = 1.0 - before - words / total
    out[0, 3], out[1:, 3] = 0.0, logw[:-1]
    out[:-1, 4], out[-1, 4] = logw[1:], 0.0
    out[0, 5], out[1:, 5] = 0.0, ends[:-1]
    out[:-1, 6], out[-1, 6] = ends[1:], 0.0
    out[:, 7] = window_mean(logw, 2)
    out[:, 8] = window_mean(logw, 5)
    distance_before, distance_after = _distances(long_lines)
    out[:, 9] = np.log1p(distance_before)
    out[:, 10] = np.log1p(distance_after)
    out[:, 11] = long_before / long_total
    out[:, 12] = (long_total - long_before - long_lines) / long_total if long_count else 0.0
    out[:, 13] = np.log1p(_short_runs((words < 6) & (ends < 1)))
    padded = np.zeros(len(blank) + 2, dtype=bool)
    padded[1:-1] = blank
    out[:, 14] = padded[index]  # blank line before
    out[:, 15] = padded[index + 2]  # blank line after
    out[:, 16:] = 0.0
    out[0, 16] = 1.0
    out[-1, 17] = 1.0


@functools.lru_cache(maxsize=1024)
def _positions(n: int) -> npt.NDArray[np.float64]:
    positions: npt.NDArray[np.float64] = np.arange(n) / max(n - 1, 1)
    positions.flags.writeable = False
    return positions
