"""The context columns of the line features: each line's neighbours and its place in the page.

Whole-document numpy over the lines' word counts; the window means keep the summation order of
``numpy.convolve``, so the columns are bit-identical to the straightforward code's.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["context_many", "window_mean", "window_means"]


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


def context_many(
    words: npt.NDArray[np.float64],
    ends: npt.NDArray[np.float64],
    index: npt.NDArray[np.intp],
    sizes: Sequence[int],
    counts: Sequence[int],
) -> npt.NDArray[np.float64]:
    """The CONTEXT_FEATURES columns of several documents' non-blank lines, end to end, in one pass.

    Args:
        words: the lines' word counts (whole numbers), document after document.
        ends: whether each ends a sentence (0.0 or 1.0).
        index: each line's index among its own document's lines.
        sizes: how many of these lines each document has.
        counts: how many lines each document has, blank ones included.

    Returns:
        One row per line, bit-identical to each document's alone: every sum is of whole numbers (exact in
        floating point), and every neighbour and window stops at the document's edges.
    """
    n = len(words)
    out = np.zeros((n, _CONTEXT_COLUMNS))
    if n == 0:
        return out
    size = np.array([rows for rows in sizes if rows], dtype=np.int64)  # documents without lines have no rows
    count = np.array([lines for rows, lines in zip(sizes, counts, strict=True) if rows], dtype=np.int64)
    document = np.repeat(np.arange(len(size)), size)
    starts = np.cumsum(size) - size
    local = np.arange(n) - starts[document]
    lines = size[document]
    first, last = local == 0, local == lines - 1
    logw = np.log1p(words)
    total = np.maximum(np.add.reduceat(words, starts), 1.0)[document]
    summed = words.cumsum()
    before = (summed - (summed - words)[starts][document] - words) / total
    long_lines = words >= 15
    long_summed = long_lines.cumsum()
    long_before = (long_summed - (long_summed - long_lines)[starts][document] - long_lines).astype(np.float64)
    long_count = np.add.reduceat(long_lines.astype(np.int64), starts)[document]
    long_total = np.maximum(long_count, 1)
    out[:, 0] = local / np.maximum(lines - 1, 1)
    out[:, 1] = before
    out[:, 2] = 1.0 - before - words / total
    out[1:, 3], out[1:, 5] = logw[:-1], ends[:-1]
    out[:-1, 4], out[:-1, 6] = logw[1:], ends[1:]
    out[first, 3] = out[first, 5] = out[last, 4] = out[last, 6] = 0.0
    sized = size.tolist()
    out[:, 7] = window_means(logw, sized, 2)
    out[:, 8] = window_means(logw, sized, 5)
    distance_before, distance_after = _distances_many(long_lines, local, lines)
    out[:, 9] = np.log1p(distance_before)
    out[:, 10] = np.log1p(distance_after)
    out[:, 11] = long_before / long_total
    out[:, 12] = np.where(long_count > 0, (long_total - long_before - long_lines) / long_total, 0.0)
    out[:, 13] = np.log1p(_short_runs_many((words < 6) & (ends < 1), first))
    joined_before = np.zeros(n, dtype=bool)  # the line before is the previous row (not blank)
    joined_before[1:] = index[1:] - 1 == index[:-1]
    joined_before[first] = False
    joined_after = np.zeros(n, dtype=bool)  # a document's last row: the next row opens another document
    joined_after[:-1] = joined_before[1:]
    out[:, 14] = (index >= 1) & ~joined_before  # blank line before
    out[:, 15] = (index + 1 < count[document]) & ~joined_after  # blank line after
    out[:, 16] = first
    out[:, 17] = last
    return out


_CONTEXT_COLUMNS = 18


def _distances_many(
    flags: npt.NDArray[np.bool_], local: npt.NDArray[np.int64], lines: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Per row, the distance (in rows) to the nearest flagged row of its document before it, and after it;
    the document's row count plus one when there is none."""
    n = len(flags)
    at = np.arange(n)
    upto = np.maximum.accumulate(np.where(flags, at, -1))  # the last flagged row at or before each
    previous = np.full(n, -1)
    previous[1:] = upto[:-1]
    start = at - local
    before = np.where(previous >= start, at - previous, lines + 1).astype(np.float64)
    onward = np.minimum.accumulate(np.where(flags, at, n)[::-1])[::-1]  # the first flagged row at or after each
    following = np.full(n, n)
    following[:-1] = onward[1:]
    after = np.where(following < start + lines, following - at, lines + 1).astype(np.float64)
    return before, after


def _short_runs_many(short: npt.NDArray[np.bool_], first: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """For each row, the length of the run of consecutive short rows it belongs to (0 if not short); runs stop
    at each document's first row."""
    opens = short.copy()
    opens[1:] &= ~short[:-1] | first[1:]
    run = np.cumsum(opens) - 1
    lengths = np.bincount(run[short], minlength=int(opens.sum()))
    out = np.zeros(len(short), dtype=np.float64)
    out[short] = lengths[run[short]]
    return out
