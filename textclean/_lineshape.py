"""The shape features of a whole document's lines at once (the fast path of ``_features._shape``).

Per-line regex calls cost a microsecond each, so the character counts (digits, punctuation,
capitals, CJK, word starts, commas) come from one pass over the document's code points: the
lines' heads are joined with ``"\\n"`` (:class:`LineText`), each code point gets the class bits
of the very predicates the per-line code uses (:mod:`textclean._lineshape_classes`), and the
bits are counted per line (:mod:`textclean._lineshape_rows`: the compiled kernel
``row_shapes``, or numpy). The rarer patterns (bullet, separators, URL, byline, date) are decided only
on the lines a cheap, conservative gate lets through (by the kernel, or by the regexes themselves), so the
result is exactly the per-line code's.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from textclean._features import _CLOSERS, _WORD_BINS, BASE_FEATURES, HEAD_CHARS
from textclean._lineshape_classes import LETTER, class_bits
from textclean._lineshape_rows import (
    BULLET_MATCH,
    BYLINE_MATCH,
    CAPITALISED,
    CAPITALS,
    CJK,
    COMMAS,
    DATE_MATCH,
    DIGITS,
    ENDS,
    SEPARATOR_COUNT,
    TAIL,
    TAIL_CLOSER,
    TAIL_COLON,
    TAIL_ELLIPSIS,
    TAIL_END,
    TOKENS,
    UNCASED,
    URL_MATCH,
    row_measures,
)

__all__ = ["LETTER", "LineText", "Shape", "line_text", "log1p_counts", "shape_matrix"]

_COLUMN = {name: k for k, name in enumerate(BASE_FEATURES[1:-3])}  # the shape columns: BASE_FEATURES less 4
_BINS = np.array(_WORD_BINS)


@dataclass(frozen=True)
class LineText:
    """A document's stripped, non-blank lines as one text: their heads joined with ``"\\n"``, as arrays.

    Attributes:
        lines: the lines.
        full: their lengths.
        heads: their first :data:`HEAD_CHARS` characters.
        joined: the heads joined with ``"\\n"``.
        starts: where each head starts in ``joined``.
        size: the heads' lengths.
        bits: the class bits of each character of ``joined``.
        points: its code points.
    """

    lines: Sequence[str]
    full: npt.NDArray[np.intp]
    heads: list[str]
    joined: str
    starts: npt.NDArray[np.intp]
    size: npt.NDArray[np.intp]
    bits: npt.NDArray[np.uint16]
    points: npt.NDArray[np.uint32] | npt.NDArray[np.uint8]

    def part(self, first: int, stop: int) -> LineText:
        """The :class:`LineText` of rows ``first`` to ``stop - 1`` alone, equal to :func:`line_text` of those lines
        (up to the code points' dtype); its arrays are views of this one's."""
        base = int(self.starts[first])
        end = int(self.starts[stop - 1] + self.size[stop - 1])
        return LineText(
            self.lines[first:stop],
            self.full[first:stop],
            self.heads[first:stop],
            self.joined[base:end],
            self.starts[first:stop] - base,
            self.size[first:stop],
            self.bits[base:end],
            self.points[base:end],
        )

    def parts(self, bounds: Sequence[int]) -> list[LineText]:
        """:meth:`part` of each run of rows ``bounds[k]`` to ``bounds[k + 1] - 1`` that is not empty (``bounds``:
        rising, from 0 to the number of rows), in order; their offsets into ``joined`` are found for all at once."""
        edges = np.asarray(bounds, dtype=np.intp)
        kept = np.flatnonzero(edges[1:] > edges[:-1])
        firsts, stops = edges[kept], edges[kept + 1]
        bases = self.starts[firsts]
        ends = self.starts[stops - 1] + self.size[stops - 1]
        relative = self.starts - np.repeat(bases, stops - firsts)  # every row lies in one run
        lines, full, heads, joined, size, bits, points = (
            self.lines, self.full, self.heads, self.joined, self.size, self.bits, self.points
        )
        return [
            LineText(
                lines[first:stop],
                full[first:stop],
                heads[first:stop],
                joined[base:end],
                relative[first:stop],
                size[first:stop],
                bits[base:end],
                points[base:end],
            )
            for first, stop, base, end in zip(
                firsts.tolist(), stops.tolist(), bases.tolist(), ends.tolist(), strict=True
            )
        ]


def line_text(lines: Sequence[str]) -> LineText | None:
    """The :class:`LineText` of stripped, non-blank lines; ``None`` when there are none or one holds a ``"\\n"``."""
    n = len(lines)
    if not n:
        return None
    full = np.fromiter(map(len, lines), dtype=np.intp, count=n)
    long_rows = np.flatnonzero(full > HEAD_CHARS).tolist()
    heads = list(lines)
    for row in long_rows:
        heads[row] = lines[row][:HEAD_CHARS]
    joined = "\n".join(heads)
    if joined.count("\n") != n - 1:
        return None
    size = np.minimum(full, HEAD_CHARS)
    starts = np.zeros(n, dtype=np.intp)
    np.cumsum(size[:-1] + 1, out=starts[1:])
    bits, points = class_bits(joined)
    return LineText(lines, full, heads, joined, starts, size, bits, points)


@dataclass(frozen=True)
class Shape:
    """The ``_shape`` columns of a document's lines, their word counts and ``str.split`` token counts (heads)."""

    matrix: npt.NDArray[np.float64]
    words: npt.NDArray[np.float64]
    tokens: npt.NDArray[np.int64]

    def part(self, first: int, stop: int) -> Shape:
        """The rows ``first`` to ``stop - 1`` (every column of a row depends on that row alone)."""
        return Shape(self.matrix[first:stop], self.words[first:stop], self.tokens[first:stop])


@functools.cache
def _log1p_table(size: int) -> npt.NDArray[np.float64]:
    return np.fromiter(map(math.log1p, range(size)), dtype=np.float64, count=size)


def log1p_counts(counts: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """``math.log1p`` of each count (non-negative integers), by table for the usual small ones.

    Examples:
        >>> log1p_counts(np.array([0, 3, 10**6])).tolist() == [math.log1p(0), math.log1p(3), math.log1p(10**6)]
        True
    """
    table = _log1p_table(4096)
    if not len(counts) or int(counts.max()) < len(table):
        result: npt.NDArray[np.float64] = table[counts]
        return result
    return np.fromiter(map(math.log1p, counts.tolist()), dtype=np.float64, count=len(counts))


def _count_words(
    tokens: npt.NDArray[np.int64],
    cjk: npt.NDArray[np.int64],
    full: npt.NDArray[np.intp],
    stripped: Sequence[str],
    long_rows: list[int],
) -> npt.NDArray[np.int64]:
    """``count_words`` of each line from its head's token and CJK counts (long lines re-split whole)."""
    if long_rows:
        tokens, cjk = tokens.copy(), cjk.copy()
        for row in long_rows:
            tokens[row] = len(stripped[row].split())
            cjk[row] = int(cjk[row]) * int(full[row]) // HEAD_CHARS
    if not cjk.any():
        return tokens
    return np.where(cjk > 0, np.maximum(tokens, tokens - np.minimum(tokens, cjk) + cjk // 2), tokens)


def _line_ends(text: LineText, tail: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """Per line: ends a sentence, ends with a colon, ends with a closing quote, ends with an ellipsis (``tail``:
    the ``TAIL_*`` flags of its head; a long line is read whole)."""
    out = np.zeros((len(tail), 4))
    out[:, 0] = (tail & TAIL_END) != 0
    out[:, 1] = (tail & TAIL_COLON) != 0
    out[:, 2] = (tail & TAIL_CLOSER) != 0
    out[:, 3] = (tail & TAIL_ELLIPSIS) != 0
    for row in np.flatnonzero(text.full > HEAD_CHARS).tolist():
        line = text.lines[row]
        stripped = line.rstrip(_CLOSERS + " ")
        out[row] = (stripped[-1:] in ENDS, line.endswith(":"), len(stripped) < len(line), line.endswith(("...", "…")))
    return out


def shape_matrix(text: LineText) -> Shape:
    """The ``_shape`` columns of each line (stripped, non-empty), their word and token counts."""
    n = len(text.lines)
    size = text.size
    long_rows = np.flatnonzero(text.full > HEAD_CHARS).tolist()
    counts, mean_logs = row_measures(text)
    tokens = counts[:, TOKENS]
    words = _count_words(tokens, counts[:, CJK], text.full, text.lines, long_rows)
    out = np.zeros((n, len(_COLUMN)))
    out[:, _COLUMN["log-words"]] = log1p_counts(words)
    out[:, _COLUMN["words<=1"] : _COLUMN["words<=1"] + len(_BINS)] = words[:, None] <= _BINS
    ends = _line_ends(text, counts[:, TAIL])
    out[:, _COLUMN["ends-sentence"] : _COLUMN["ends-closing-quote"] + 1] = ends[:, :3]
    out[:, _COLUMN["ends-ellipsis"]] = ends[:, 3]

    out[:, _COLUMN["starts-bullet"]] = counts[:, BULLET_MATCH]
    out[:, _COLUMN["byline-shape"]] = (counts[:, BYLINE_MATCH] != 0) & (words <= 6)
    out[:, _COLUMN["has-url"]] = counts[:, URL_MATCH]
    out[:, _COLUMN["has-date"]] = counts[:, DATE_MATCH]

    n_tokens = np.maximum(tokens, 1)
    sizes_f = size.astype(np.float64)
    ratios = counts[:, DIGITS : CJK + 1] / sizes_f[:, None]  # digits, punctuation, CJK per character
    out[:, _COLUMN["digit-ratio"]] = ratios[:, 0]
    out[:, _COLUMN["capitalised-word-ratio"]] = counts[:, CAPITALISED] / n_tokens
    out[:, _COLUMN["all-caps"]] = (counts[:, UNCASED] == 0) & (counts[:, CAPITALS] > 0) & (size > 3)
    out[:, _COLUMN["separators"]] = log1p_counts(counts[:, SEPARATOR_COUNT])
    out[:, _COLUMN["punctuation-ratio"]] = ratios[:, 1]
    out[:, _COLUMN["commas-per-word"]] = counts[:, COMMAS] / np.maximum(words, 1)
    out[:, _COLUMN["cjk-ratio"]] = ratios[:, 2]
    out[:, _COLUMN["log-mean-word-length"]] = mean_logs
    return Shape(out, words.astype(np.float64), tokens)
