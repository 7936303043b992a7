"""The shape features of a whole document's lines at once (the fast path of ``_features._shape``).

Per-line regex calls cost a microsecond each, so the character counts (digits, punctuation,
capitals, CJK, word starts, commas) come from one pass over the document's code points: the
lines' heads are joined with ``"\\n"`` (:class:`LineText`), each code point is looked up in a table
of class bits built from the very predicates the per-line code uses (``str`` methods, ``re`` and
``regex`` classes), and the bits are summed per line with ``numpy.add.reduceat`` (five counts at
once, packed in twelve-bit fields of one integer). The rarer patterns (bullet, separators, URL,
byline, date) run only on the lines a cheap, conservative gate lets through, so the result is
exactly the per-line code's.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import regex

from textclean._features import (
    _BULLET,
    _BYLINE,
    _CJK,
    _CLOSERS,
    _DATE,
    _DIGIT,
    _SENTENCE_END,
    _SEPARATORS,
    _URL,
    _WORD_BINS,
    BASE_FEATURES,
    HEAD_CHARS,
)

__all__ = ["LETTER", "LineText", "Shape", "line_text", "log1p_counts", "shape_matrix"]

# The five counted classes take the low bits (see _counts); the gates' classes follow.
_DIGITB, _PUNCT, _CJKB, _UPPER, _LOWTITLE = (1 << k for k in range(5))
_SPACE, _WORD, _RXDIGIT, _RXSPACE, _SEPA, _SEPB, _BULLETB, _BYLINEB = (1 << k for k in range(5, 13))
LETTER = 1 << 13
"""Class bit of a letter: a character ``regex``'s ``[\\W\\d_]`` does not match (the comment gates)."""
_URLB = 1 << 14  # "@", ":" and ".": the URL gate looks around them

_COUNTED = 5
_FIELD = 12  # bits per packed count: a line head holds at most HEAD_CHARS < 2**12 characters
_SPREAD = np.uint64(sum(1 << ((_FIELD - 1) * k) for k in range(_COUNTED)))  # bit k moves to bit 12k
_FIELDS = np.uint64(sum(1 << (_FIELD * k) for k in range(_COUNTED)))
_MASK = (1 << _FIELD) - 1
_SHIFTS = np.arange(0, _FIELD * _COUNTED, _FIELD, dtype=np.uint64)
_COLUMN = {name: k for k, name in enumerate(BASE_FEATURES[1:-3])}  # the shape columns: BASE_FEATURES less 4
_BINS = np.array(_WORD_BINS)
_THREE = np.arange(3, 0, -1)
_BMP = 0x10000
_ENDS = frozenset(_SENTENCE_END) - {":"}
_BULLET_CHAR = regex.compile(r"[-–—•*·▪►◦‣●○■□]", regex.I)
_BYLINE_FIRST = regex.compile(r"(?i:[bvpdаt])")  # the first letters of _BYLINE's words
_NOT_LETTER = regex.compile(r"[\W\d_]")
_RE_WORD = re.compile(r"\w")
_RX_DIGIT = regex.compile(r"\d")
_RX_SPACE = regex.compile(r"\s")
_COMMA, _DOT, _PAREN, _COLON, _AT = map(ord, ",.):@")
_MARK_DATE, _MARK_W, _MARK_CONH, _MARK_SLASH = 1, 2, 4, 8  # ASCII characters the date and URL gates look beside
_ASCII_MARKS = np.zeros(128, dtype=np.uint8)
_ASCII_MARKS[[ord(ch) for ch in ":./-"]] |= _MARK_DATE
_ASCII_MARKS[[ord(ch) for ch in "wW"]] |= _MARK_W
_ASCII_MARKS[[ord(ch) for ch in "conhCONH"]] |= _MARK_CONH
_ASCII_MARKS[ord("/")] |= _MARK_SLASH
_TAIL_CLOSER, _TAIL_END, _TAIL_COLON, _TAIL_ELLIPSIS = 1, 2, 4, 8


def _char_classes() -> tuple[tuple[Callable[[str], bool], int], ...]:
    """Per class bit, a test of one character (the per-line code's own predicates)."""
    return (
        (lambda ch: _DIGIT.match(ch) is not None, _DIGITB),
        (lambda ch: _RE_WORD.match(ch) is None and not ch.isspace(), _PUNCT),  # re's [^\w\s]
        (lambda ch: _CJK.match(ch) is not None, _CJKB),
        (str.isupper, _UPPER),  # str.isupper of a one-character string
        (lambda ch: not ("A" + ch).isupper(), _LOWTITLE),  # a character that makes a string not upper
        (str.isspace, _SPACE),  # str.split and re's \s
        (lambda ch: _RE_WORD.match(ch) is not None, _WORD),
        (lambda ch: regex.match(r"\d", ch) is not None, _RXDIGIT),
        (lambda ch: regex.match(r"\s", ch) is not None or ch == "\n", _RXSPACE),
        (lambda ch: ch in "|·•»›/", _SEPA),
        (lambda ch: ch in "|·•", _SEPB),
        (lambda ch: _BULLET_CHAR.match(ch) is not None, _BULLETB),
        (lambda ch: _BYLINE_FIRST.match(ch) is not None, _BYLINEB),
        (lambda ch: _NOT_LETTER.match(ch) is None, LETTER),
        (lambda ch: ch in "@:.", _URLB),
    )


def char_bits(ch: str) -> int:
    """The class bits of one character (astral characters are looked up with this)."""
    return sum(bit for test, bit in _char_classes() if test(ch))


_BLOCK = 256  # the class table is filled a block of code points at a time, for the blocks a text uses


class _ClassTable:
    """Class bits of every BMP code point, filled one block of :data:`_BLOCK` code points at a time.

    Most pages use a handful of blocks (ASCII and Latin-1 alone for most), so a process fills only
    those; the bits of a code point never depend on its neighbours, so a block is the same whether
    filled alone or with the whole BMP.
    """

    def __init__(self) -> None:
        self.bits = np.zeros(_BMP, dtype=np.uint16)
        self.filled = np.zeros(_BMP // _BLOCK, dtype=bool)

    def covering(self, top: int, points: npt.NDArray[np.uint32] | npt.NDArray[np.uint8]) -> npt.NDArray[np.uint16]:
        """The table, with every block of ``points`` (all below ``top``, exclusive, and the BMP) filled."""
        if top <= _BLOCK:
            if not self.filled[0]:
                self._fill([0])
            return self.bits
        blocks = np.flatnonzero((np.bincount(points >> 8) > 0) & ~self.filled[: ((top - 1) >> 8) + 1])
        if len(blocks):
            self._fill(blocks.tolist())
        return self.bits

    def _fill(self, blocks: list[int]) -> None:
        for block in blocks:
            first = block * _BLOCK
            self.bits[first : first + _BLOCK] = _block_bits(first)
            self.filled[block] = True


def _block_bits(first: int) -> npt.NDArray[np.uint16]:
    """Class bits of the code points ``first`` to ``first + _BLOCK - 1`` (from the per-line code's predicates)."""
    chars = "".join(map(chr, range(first, first + _BLOCK)))
    table = np.zeros(_BLOCK, dtype=np.uint16)
    table[np.fromiter(map(str.isspace, chars), bool, _BLOCK)] |= _SPACE
    table[np.fromiter(map(str.isupper, chars), bool, _BLOCK)] |= _UPPER
    table[~np.fromiter(map(str.isupper, map("A".__add__, chars)), bool, _BLOCK)] |= _LOWTITLE
    for pattern, bit in (
        (_DIGIT, _DIGITB),
        (_RE_WORD, _WORD),
        (_CJK, _CJKB),
        (_RX_DIGIT, _RXDIGIT),
        (_RX_SPACE, _RXSPACE),
        (_BULLET_CHAR, _BULLETB),
        (_BYLINE_FIRST, _BYLINEB),
    ):
        table[[match.start() for match in pattern.finditer(chars)]] |= bit
    table[(table & (_WORD | _SPACE)) == 0] |= _PUNCT
    letters = np.ones(_BLOCK, dtype=bool)
    letters[[match.start() for match in _NOT_LETTER.finditer(chars)]] = False
    table[letters] |= LETTER
    for chars_of, bit in (("|·•»›/", _SEPA), ("|·•", _SEPB), ("@:.", _URLB), ("\n", _RXSPACE)):
        for ch in chars_of:
            if first <= ord(ch) < first + _BLOCK:
                table[ord(ch) - first] |= bit
    return table


@functools.cache
def _class_table() -> _ClassTable:
    return _ClassTable()


def _bits(text: str) -> tuple[npt.NDArray[np.uint16], npt.NDArray[np.uint32] | npt.NDArray[np.uint8]]:
    """The class bits of each character of ``text``, and its code points."""
    if text.isascii():
        codes = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        return _class_table().covering(128, codes)[codes], codes
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    top = int(points.max()) + 1
    if top <= _BMP:
        return _class_table().covering(top, points)[points], points
    clipped = np.minimum(points, _BMP - 1)
    bits = _class_table().covering(_BMP, clipped)[clipped]
    astral = points >= _BMP
    found = points[astral]
    unique = np.unique(found)
    values = np.array([char_bits(chr(int(code))) for code in unique], dtype=np.uint16)
    bits[astral] = values[np.searchsorted(unique, found)]
    return bits, points


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
    bits, points = _bits(joined)
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


def _separator_rows(text: LineText) -> list[int]:
    """Lines with a separator beside a space, as ``_SEPARATORS`` needs: one of ``|·•`` beside a space, or
    one of ``»›/`` between spaces (a superset: each is then counted)."""
    bits = text.bits
    at = (bits & _SEPA).nonzero()[0]
    if not len(at):
        return []
    last = len(bits) - 1
    before = (bits[at - 1] & _RXSPACE) * (at > 0) != 0  # at - 1 == -1 wraps around, masked
    after = (bits[np.minimum(at + 1, last)] & _RXSPACE) * (at < last) != 0
    near = (((bits[at] & _SEPB) != 0) & (before | after)) | (before & after)
    return sorted(set((text.starts.searchsorted(at[near], side="right") - 1).tolist()))


def _url_places(text: LineText) -> _Firsts:
    """Lines that may hold a URL (``_URL``, case-insensitive), each with the first of these it holds: every
    match holds ``@``, ``:/`` (``://``), ``w.`` or ``W.`` (``www.``) or a dot before one of ``conhCONH``
    (``.com``, ``.org``, ``.net``, ``.htm``; regex equates these letters with their ASCII cases only), at
    most five characters after its start."""
    at = (text.bits & _URLB).nonzero()[0]
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
    digits = (bits & _RXDIGIT).nonzero()[0]
    pairs = digits[:-1][digits[1:] - digits[:-1] == 1]
    if not len(pairs):
        return [], []
    last = len(bits) - 1
    runs = (bits[np.minimum(pairs + 2, last)] & bits[np.minimum(pairs + 3, last)] & _RXDIGIT) != 0  # 4 in a row
    marked = (_ASCII_MARKS[np.minimum(points[pairs - 1], 127)] & _MARK_DATE) != 0  # pairs - 1 == -1: a superset
    pairs = pairs[runs | marked]
    rows = text.starts.searchsorted(pairs, side="right") - 1
    return _firsts(text, pairs[pairs + 1 - text.starts[rows] < 200])


_Firsts = tuple[list[int], list[int]]  # rows, and where in each the first place of interest is


def _firsts(text: LineText, positions: npt.NDArray[np.intp]) -> _Firsts:
    """The rows holding ``positions`` (sorted offsets in ``joined``), with the first offset in each row."""
    rows = text.starts.searchsorted(positions, side="right") - 1
    new = np.ones(len(rows), dtype=bool)
    new[1:] = rows[1:] != rows[:-1]
    rows = rows[new]
    return rows.tolist(), (positions[new] - text.starts[rows]).tolist()


def _run(pattern: Callable[[str], object], heads: Sequence[str], rows: npt.NDArray[np.bool_]) -> list[int]:
    """The rows, among those the gate let through, on which ``pattern(head)`` finds something."""
    return [row for row in rows.nonzero()[0].tolist() if pattern(heads[row])]


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


def _counts(text: LineText) -> npt.NDArray[np.int64]:
    """Per line (rows) and count (columns): digits, punctuation, CJK, capitals, non-capitalisable
    characters, tokens (``str.split``), tokens starting with a capital, commas; all of its head."""
    counts = np.empty((len(text.lines), _COUNTED + 3), dtype=np.int64)
    spread = (text.bits & ((1 << _COUNTED) - 1)).astype(np.uint64)
    spread *= _SPREAD
    spread &= _FIELDS
    packed = np.add.reduceat(spread, text.starts)
    counts[:, :_COUNTED] = (packed[:, None] >> _SHIFTS) & np.uint64(_MASK)
    space = (text.bits & _SPACE) != 0
    starts = ~space
    starts[1:] &= space[:-1]
    counts[:, _COUNTED] = np.add.reduceat(starts, text.starts, dtype=np.int64)
    starts &= (text.bits & _UPPER) != 0
    counts[:, _COUNTED + 1] = np.add.reduceat(starts, text.starts, dtype=np.int64)
    counts[:, _COUNTED + 2] = np.add.reduceat(text.points == _COMMA, text.starts, dtype=np.int64)
    return counts


@functools.cache
def _tails() -> npt.NDArray[np.uint8]:
    """Per BMP code point: closes a quote (or is a space), ends a sentence, is a colon, an ellipsis."""
    table = np.zeros(_BMP, dtype=np.uint8)
    for chars, flag in ((_CLOSERS + " ", _TAIL_CLOSER), (_ENDS, _TAIL_END), (":", _TAIL_COLON), ("…", _TAIL_ELLIPSIS)):
        table[[ord(ch) for ch in chars]] |= flag
    return table


def _line_ends(text: LineText) -> npt.NDArray[np.float64]:
    """Per line: ends a sentence, ends with a colon, ends with a closing quote, ends with an ellipsis."""
    ends = text.starts + text.size
    last = text.points[ends - 1].astype(np.uint32)
    tail = _tails()[np.minimum(last, _BMP - 1)] * (last < _BMP)
    out = np.zeros((len(ends), 4))
    dots = np.zeros(len(ends), dtype=bool)
    three = np.flatnonzero(text.size >= 3)
    dots[three] = (text.points[ends[three, None] - _THREE] == _DOT).all(axis=1)
    out[:, 0] = (tail & _TAIL_END) != 0
    out[:, 1] = (tail & _TAIL_COLON) != 0
    out[:, 3] = dots | ((tail & _TAIL_ELLIPSIS) != 0)
    for row in np.flatnonzero(((tail & _TAIL_CLOSER) != 0) | (text.full > HEAD_CHARS)).tolist():
        line = text.lines[row]
        stripped = line.rstrip(_CLOSERS + " ")
        out[row] = (stripped[-1:] in _ENDS, line.endswith(":"), len(stripped) < len(line), line.endswith(("...", "…")))
    return out


def shape_matrix(text: LineText) -> Shape:
    """The ``_shape`` columns of each line (stripped, non-empty), their word and token counts."""
    n = len(text.lines)
    heads, bits, points, size, starts = text.heads, text.bits, text.points, text.size, text.starts
    long_rows = np.flatnonzero(text.full > HEAD_CHARS).tolist()
    counts = _counts(text)
    tokens = counts[:, _COUNTED]
    words = _count_words(tokens, counts[:, 2], text.full, text.lines, long_rows)
    out = np.zeros((n, len(_COLUMN)))
    out[:, _COLUMN["log-words"]] = log1p_counts(words)
    out[:, _COLUMN["words<=1"] : _COLUMN["words<=1"] + len(_BINS)] = words[:, None] <= _BINS
    ends = _line_ends(text)
    out[:, _COLUMN["ends-sentence"] : _COLUMN["ends-closing-quote"] + 1] = ends[:, :3]
    out[:, _COLUMN["ends-ellipsis"]] = ends[:, 3]

    first = bits[starts]
    second = np.zeros(n, dtype=bool)
    two = size > 1
    after_first = points[starts[two] + 1]
    second[two] = (after_first == _DOT) | (after_first == _PAREN)
    out[_run(_BULLET.match, heads, ((first & (_BULLETB | _RXDIGIT)) != 0) | second), _COLUMN["starts-bullet"]] = 1.0
    out[_run(_BYLINE.match, heads, ((first & _BYLINEB) != 0) & (words <= 6)), _COLUMN["byline-shape"]] = 1.0
    separator_rows = _separator_rows(text)
    (url_rows, url_at), (date_rows, date_at) = _url_places(text), _date_places(text)
    found = [row for row, at in zip(url_rows, url_at, strict=True) if _URL.search(heads[row], max(at - 5, 0))]
    out[found, _COLUMN["has-url"]] = 1.0
    found = [row for row, at in zip(date_rows, date_at, strict=True) if _DATE.search(heads[row], max(at - 6, 0), 200)]
    out[found, _COLUMN["has-date"]] = 1.0
    separators = np.zeros(n, dtype=np.int64)
    separators[separator_rows] = [len(_SEPARATORS.findall(heads[row])) for row in separator_rows]

    n_tokens = np.maximum(tokens, 1)
    sizes_f = size.astype(np.float64)
    ratios = counts[:, :3] / sizes_f[:, None]  # digits, punctuation, CJK per character
    out[:, _COLUMN["digit-ratio"]] = ratios[:, 0]
    out[:, _COLUMN["capitalised-word-ratio"]] = counts[:, _COUNTED + 1] / n_tokens
    out[:, _COLUMN["all-caps"]] = (counts[:, 4] == 0) & (counts[:, 3] > 0) & (size > 3)
    out[:, _COLUMN["separators"]] = log1p_counts(separators)
    out[:, _COLUMN["punctuation-ratio"]] = ratios[:, 1]
    out[:, _COLUMN["commas-per-word"]] = counts[:, _COUNTED + 2] / np.maximum(words, 1)
    out[:, _COLUMN["cjk-ratio"]] = ratios[:, 2]
    mean_length = np.fromiter(map(math.log1p, (size / n_tokens).tolist()), dtype=np.float64, count=n)
    out[:, _COLUMN["log-mean-word-length"]] = mean_length
    return Shape(out, words.astype(np.float64), tokens)
