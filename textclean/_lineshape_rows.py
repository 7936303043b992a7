"""Per line of a :class:`~textclean._lineshape.LineText`: its character counts, how it ends, where rare patterns may be.

:func:`row_measures` gives one ``int64`` matrix, a row per line and these columns (all of the line's head):

- ``DIGITS`` to ``UNCASED``: the characters of the five counted classes (digits, punctuation, CJK,
  capitals, characters that make a string not upper-case);
- ``TOKENS``, ``CAPITALISED``, ``COMMAS``: ``str.split`` tokens, those starting with a capital, commas;
- ``TAIL``: how it ends: ``TAIL_END`` (a sentence end, before any closers and spaces), ``TAIL_COLON``,
  ``TAIL_CLOSER`` (a closing quote or bracket, or a space), ``TAIL_ELLIPSIS`` (``"..."`` or ``"…"``);
- ``GATES``: the ``GATE_*`` flags, lines the bullet, byline and separator patterns may match;
- ``URL_AT``, ``DATE_AT``: where the URL and date patterns may first match (``-1``: nowhere);
- ``BULLET_MATCH``, ``BYLINE_MATCH``, ``URL_MATCH``, ``DATE_MATCH``: whether ``_BULLET``, ``_BYLINE``, ``_URL``
  and ``_DATE`` (in the first 200 characters) match, 0 or 1; ``SEPARATOR_COUNT``: ``len(_SEPARATORS.findall)``.

The gates are cheap and conservative: they may say yes too often, never too rarely, and the patterns run on
the lines they let through alone. The compiled kernel ``row_shapes`` reads the joined text and its class
bits once and decides the patterns itself, exactly (the few lines it cannot settle it leaves to them); the
reference below (when it was not built) makes a numpy pass per class and runs the patterns on the gated
lines. Both give the same matrix.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from textclean import _kernels
from textclean._features import _BULLET, _BYLINE, _CLOSERS, _DATE, _SENTENCE_END, _SEPARATORS, _URL
from textclean._lineshape_classes import (
    BMP,
    BULLET,
    BYLINE,
    COUNTED,
    RXDIGIT,
    RXSPACE,
    SEPA,
    SEPB,
    SPACE,
    UPPER,
    URL,
)

if TYPE_CHECKING:
    from textclean._lineshape import LineText

__all__ = ["ENDS", "row_measures"]

# The columns and flags; textclean/_native.c (row_shapes) writes the same: change both together.
DIGITS, PUNCTUATION, CJK, CAPITALS, UNCASED, TOKENS, CAPITALISED, COMMAS, TAIL, GATES, URL_AT, DATE_AT = range(12)
BULLET_MATCH, BYLINE_MATCH, URL_MATCH, DATE_MATCH, SEPARATOR_COUNT = range(12, 17)
TAIL_CLOSER, TAIL_END, TAIL_COLON, TAIL_ELLIPSIS = 1, 2, 4, 8  # closes a quote, ends a sentence, ":", "…"
GATE_BULLET, GATE_BYLINE, GATE_SEPARATOR = 1, 2, 4
ENDS = frozenset(_SENTENCE_END) - {":"}
"""The characters that end a sentence."""

_COLUMNS = 17
_UNSURE = 2  # the kernel's verdict on a line it leaves to the pattern
_FIELD = 12  # bits per packed count: a line head holds at most HEAD_CHARS < 2**12 characters
_SPREAD = np.uint64(sum(1 << ((_FIELD - 1) * k) for k in range(COUNTED)))  # bit k moves to bit 12k
_FIELDS = np.uint64(sum(1 << (_FIELD * k) for k in range(COUNTED)))
_MASK = (1 << _FIELD) - 1
_SHIFTS = np.arange(0, _FIELD * COUNTED, _FIELD, dtype=np.uint64)
_THREE = np.arange(3, 0, -1)
_DATE_REACH = 200  # _DATE is searched for in a line's first 200 characters
_COMMA, _DOT, _PAREN, _COLON, _AT = map(ord, ",.):@")
_MARK_DATE, _MARK_W, _MARK_CONH, _MARK_SLASH = 1, 2, 4, 8  # ASCII characters the date and URL gates look beside
_ASCII_MARKS = np.zeros(128, dtype=np.uint8)
_ASCII_MARKS[[ord(ch) for ch in ":./-"]] |= _MARK_DATE
_ASCII_MARKS[[ord(ch) for ch in "wW"]] |= _MARK_W
_ASCII_MARKS[[ord(ch) for ch in "conhCONH"]] |= _MARK_CONH
_ASCII_MARKS[ord("/")] |= _MARK_SLASH


@functools.cache
def _tails() -> npt.NDArray[np.uint8]:
    """Per BMP code point: its ``TAIL_*`` flags (a space counts as closing a quote: ``rstrip`` takes both)."""
    table = np.zeros(BMP, dtype=np.uint8)
    for chars, flag in ((_CLOSERS + " ", TAIL_CLOSER), (ENDS, TAIL_END), (":", TAIL_COLON), ("…", TAIL_ELLIPSIS)):
        table[[ord(ch) for ch in chars]] |= flag
    return table


def row_measures(text: LineText) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """The measures of each line of ``text`` (a row per line, the columns of this module's docstring; every line
    non-empty, as :func:`~textclean._lineshape.line_text` gets them), and the ``math.log1p`` of each line's mean
    token length (of its head: its length over its ``str.split`` tokens, at least one)."""
    native = _kernels.kernel("row_shapes")
    if native is None:
        measures = _measures_reference(text)
        return measures, _mean_logs(text.size, measures[:, TOKENS])
    found, logs = native(text.joined, text.bits, _tails(), len(text.starts))
    measures = np.frombuffer(found, dtype=np.int32).reshape(len(text.starts), _COLUMNS).astype(np.int64)
    for column, pattern in _PATTERNS:
        for row in np.flatnonzero(measures[:, column] == _UNSURE).tolist():
            measures[row, column] = pattern(text.heads[row]) is not None
    return measures, np.frombuffer(logs, dtype=np.float64)


def _mean_logs(size: npt.NDArray[np.intp], tokens: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """``math.log1p(size / max(tokens, 1))`` of each line (the kernel's libm ``log1p`` is the one it calls)."""
    ratios = (size / np.maximum(tokens, 1)).tolist()
    return np.fromiter(map(math.log1p, ratios), dtype=np.float64, count=len(ratios))


def _date_search(head: str, start: int = 0) -> object:
    """``_DATE`` in the line's first 200 characters, from ``start``."""
    return _DATE.search(head, start, _DATE_REACH)


_PATTERNS: tuple[tuple[int, Callable[[str], object]], ...] = (
    (BULLET_MATCH, _BULLET.match),
    (BYLINE_MATCH, _BYLINE.match),
    (URL_MATCH, _URL.search),
    (DATE_MATCH, _date_search),
)


def _measures_reference(text: LineText) -> npt.NDArray[np.int64]:
    """:func:`row_measures` by numpy passes over the text's class bits and code points."""
    n = len(text.starts)
    out = np.empty((n, _COLUMNS), dtype=np.int64)
    out[:, :TAIL] = _counts(text)
    out[:, TAIL] = _tail_flags(text)
    out[:, GATES] = _first_gates(text)
    out[_separator_rows(text), GATES] |= GATE_SEPARATOR
    for column, (rows, at) in ((URL_AT, _url_places(text)), (DATE_AT, _date_places(text))):
        out[:, column] = -1
        out[rows, column] = at
    heads, gates = text.heads, out[:, GATES]
    out[:, BULLET_MATCH:] = 0
    out[_run(_BULLET.match, heads, gates & GATE_BULLET), BULLET_MATCH] = 1
    out[_run(_BYLINE.match, heads, gates & GATE_BYLINE), BYLINE_MATCH] = 1
    out[_confirmed(_URL.search, heads, out[:, URL_AT], 5), URL_MATCH] = 1
    out[_confirmed(_date_search, heads, out[:, DATE_AT], 6), DATE_MATCH] = 1
    separator_rows = np.flatnonzero(gates & GATE_SEPARATOR).tolist()
    out[separator_rows, SEPARATOR_COUNT] = [len(_SEPARATORS.findall(heads[row])) for row in separator_rows]
    return out


def _run(pattern: Callable[[str], object], heads: Sequence[str], gated: npt.NDArray[np.int64]) -> list[int]:
    """The rows the gate let through (``gated`` non-zero) on which ``pattern(head)`` finds something."""
    return [row for row in np.flatnonzero(gated).tolist() if pattern(heads[row])]


def _confirmed(
    search: Callable[[str, int], object], heads: Sequence[str], places: npt.NDArray[np.int64], back: int
) -> list[int]:
    """The rows with a place (``places``: an offset, or -1) where ``search(head, place - back)`` finds something: the
    pattern's every match holds a place at most ``back`` characters after its start."""
    rows = np.flatnonzero(places >= 0)
    at = places[rows].tolist()
    return [row for row, place in zip(rows.tolist(), at, strict=True) if search(heads[row], max(place - back, 0))]


def _counts(text: LineText) -> npt.NDArray[np.int64]:
    """Per line (rows) and count (columns): digits, punctuation, CJK, capitals, non-capitalisable
    characters, tokens (``str.split``), tokens starting with a capital, commas; all of its head."""
    counts = np.empty((len(text.starts), COUNTED + 3), dtype=np.int64)
    spread = (text.bits & ((1 << COUNTED) - 1)).astype(np.uint64)
    spread *= _SPREAD
    spread &= _FIELDS
    packed = np.add.reduceat(spread, text.starts)  # five counts at once, in twelve-bit fields
    counts[:, :COUNTED] = (packed[:, None] >> _SHIFTS) & np.uint64(_MASK)
    space = (text.bits & SPACE) != 0
    starts = ~space
    starts[1:] &= space[:-1]
    counts[:, TOKENS] = np.add.reduceat(starts, text.starts, dtype=np.int64)
    starts &= (text.bits & UPPER) != 0
    counts[:, CAPITALISED] = np.add.reduceat(starts, text.starts, dtype=np.int64)
    counts[:, COMMAS] = np.add.reduceat(text.points == _COMMA, text.starts, dtype=np.int64)
    return counts


def _tail_flags(text: LineText) -> npt.NDArray[np.uint8]:
    """Per line: the ``TAIL_*`` flags of its last character, with ``TAIL_ELLIPSIS`` for three dots; for a line
    ending with closers or spaces, ``TAIL_CLOSER`` and ``TAIL_END`` if the character before them ends a sentence."""
    ends = text.starts + text.size
    last = text.points[ends - 1].astype(np.uint32)
    tail: npt.NDArray[np.uint8] = _tails()[np.minimum(last, BMP - 1)] * (last < BMP)
    three = np.flatnonzero(text.size >= 3)
    dots = (text.points[ends[three, None] - _THREE] == _DOT).all(axis=1)
    tail[three[dots]] |= TAIL_ELLIPSIS
    for row in np.flatnonzero(tail & TAIL_CLOSER).tolist():
        stripped = text.heads[row].rstrip(_CLOSERS + " ")
        tail[row] = TAIL_CLOSER | (TAIL_END if stripped[-1:] in ENDS else 0)
    return tail


def _first_gates(text: LineText) -> npt.NDArray[np.int64]:
    """Per line: ``GATE_BULLET`` when it starts with a bullet character or a digit or its second character is
    ``.`` or ``)``; ``GATE_BYLINE`` when it starts with the first letter of a byline word."""
    first = text.bits[text.starts]
    second = np.zeros(len(text.starts), dtype=bool)
    two = text.size > 1
    after_first = text.points[text.starts[two] + 1]
    second[two] = (after_first == _DOT) | (after_first == _PAREN)
    bullet = ((first & (BULLET | RXDIGIT)) != 0) | second
    gates: npt.NDArray[np.int64] = bullet * GATE_BULLET + ((first & BYLINE) != 0) * GATE_BYLINE
    return gates


def _separator_rows(text: LineText) -> list[int]:
    """Lines with a separator beside a space, as ``_SEPARATORS`` needs: one of ``|·•`` beside a space, or
    one of ``»›/`` between spaces (a superset: each is then counted)."""
    bits = text.bits
    at = (bits & SEPA).nonzero()[0]
    if not len(at):
        return []
    last = len(bits) - 1
    before = (bits[at - 1] & RXSPACE) * (at > 0) != 0  # at - 1 == -1 wraps around, masked
    after = (bits[np.minimum(at + 1, last)] & RXSPACE) * (at < last) != 0
    near = (((bits[at] & SEPB) != 0) & (before | after)) | (before & after)
    return sorted(set((text.starts.searchsorted(at[near], side="right") - 1).tolist()))


_Firsts = tuple[list[int], list[int]]  # rows, and where in each the first place of interest is


def _url_places(text: LineText) -> _Firsts:
    """Lines that may hold a URL (``_URL``, case-insensitive), each with the first of these it holds: every
    match holds ``@``, ``:/`` (``://``), ``w.`` or ``W.`` (``www.``) or a dot before one of ``conhCONH``
    (``.com``, ``.org``, ``.net``, ``.htm``; regex equates these letters with their ASCII cases only), at
    most five characters after its start."""
    at = (text.bits & URL).nonzero()[0]
    points = text.points
    char = points[at]
    before = _ASCII_MARKS[np.minimum(points[at - 1], 127)]  # at - 1 == -1 wraps around: a superset
    after = _ASCII_MARKS[np.minimum(points[np.minimum(at + 1, len(points) - 1)], 127)]
    url = (char == _AT) | ((char == _COLON) & ((after & _MARK_SLASH) != 0))
    url |= (char == _DOT) & (((before & _MARK_W) | (after & _MARK_CONH)) != 0)
    return _firsts(text, at[url])


def _date_places(text: LineText) -> _Firsts:
    """Lines that may hold a date (``_DATE``) in their first 200 characters, each with the first place a
    match may hold: four digits in a row, or two right after one of ``:./-`` (``12:30``, ``1.5.2012``,
    ``2012-03-04``, ``1999``, ``1999年``); every match has one at most six characters in."""
    bits, points = text.bits, text.points
    digits = (bits & RXDIGIT).nonzero()[0]
    pairs = digits[:-1][digits[1:] - digits[:-1] == 1]
    if not len(pairs):
        return [], []
    last = len(bits) - 1
    runs = (bits[np.minimum(pairs + 2, last)] & bits[np.minimum(pairs + 3, last)] & RXDIGIT) != 0  # 4 in a row
    marked = (_ASCII_MARKS[np.minimum(points[pairs - 1], 127)] & _MARK_DATE) != 0  # pairs - 1 == -1: a superset
    pairs = pairs[runs | marked]
    rows = text.starts.searchsorted(pairs, side="right") - 1
    return _firsts(text, pairs[pairs + 1 - text.starts[rows] < _DATE_REACH])


def _firsts(text: LineText, positions: npt.NDArray[np.intp]) -> _Firsts:
    """The rows holding ``positions`` (sorted offsets in ``joined``), with the first offset in each row."""
    rows = text.starts.searchsorted(positions, side="right") - 1
    new = np.ones(len(rows), dtype=bool)
    new[1:] = rows[1:] != rows[:-1]
    rows = rows[new]
    return rows.tolist(), (positions[new] - text.starts[rows]).tolist()
