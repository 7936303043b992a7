"""The shape features of a whole document's lines at once (the fast path of ``_features._shape``).

Per-line regex calls cost a microsecond each, so the character counts (digits, punctuation,
capitals, CJK, word starts, commas) come from one pass over the document's code points: the
lines' heads are joined with ``"\\n"``, each code point is looked up in a table of class bits
built from the very predicates the per-line code uses (``str`` methods, ``re`` and ``regex``
classes), and the bits are summed per line with ``numpy.add.reduceat``. The rarer patterns
(bullet, separators, URL, byline, date) run only on the lines a cheap, conservative gate lets
through, so the result is exactly the per-line code's.
"""

from __future__ import annotations

import functools
import math
import operator
import re
from collections.abc import Callable, Sequence
from itertools import repeat

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
    HEAD_CHARS,
)

__all__ = ["shape_matrix"]

_SPACE, _UPPER, _LOWTITLE, _DIGITB, _WORD, _CJKB, _RXDIGIT, _RXSPACE = (1 << k for k in range(8))
_SEPA, _SEPB, _BULLETB, _BYLINEB = (1 << k for k in range(8, 12))
_BMP = 0x10000
_ENDS = frozenset(_SENTENCE_END) - {":"}
_URL_WORDS = ("://", "www.", "@", ".com", ".org", ".net", ".htm")  # one is in every _URL match (lowercased)
_BULLET_CHAR = regex.compile(r"[-–—•*·▪►◦‣●○■□]", regex.I)
_BYLINE_FIRST = regex.compile(r"(?i:[bvpdаt])")  # the first letters of _BYLINE's words
_LAST = operator.itemgetter(slice(-1, None))
_RE_WORD = re.compile(r"\w")
_COMMA, _DOT, _PAREN = ord(","), ord("."), ord(")")


def _char_classes() -> tuple[tuple[Callable[[str], bool], int], ...]:
    """Per class bit, a test of one character (the per-line code's own predicates)."""
    return (
        (str.isspace, _SPACE),  # str.split and re's \s
        (str.isupper, _UPPER),  # str.isupper of a one-character string
        (lambda ch: not ("A" + ch).isupper(), _LOWTITLE),  # a character that makes a string not upper
        (lambda ch: _DIGIT.match(ch) is not None, _DIGITB),
        (lambda ch: _RE_WORD.match(ch) is not None, _WORD),
        (lambda ch: _CJK.match(ch) is not None, _CJKB),
        (lambda ch: regex.match(r"\d", ch) is not None, _RXDIGIT),
        (lambda ch: regex.match(r"\s", ch) is not None or ch == "\n", _RXSPACE),
        (lambda ch: ch in "|·•»›/", _SEPA),
        (lambda ch: ch in "|·•", _SEPB),
        (lambda ch: _BULLET_CHAR.match(ch) is not None, _BULLETB),
        (lambda ch: _BYLINE_FIRST.match(ch) is not None, _BYLINEB),
    )


def char_bits(ch: str) -> int:
    """The class bits of one character (astral characters are looked up with this)."""
    return sum(bit for test, bit in _char_classes() if test(ch))


@functools.cache
def _table() -> npt.NDArray[np.uint16]:
    """Class bits of every BMP code point (built once per process, a few milliseconds)."""
    chars = "".join(map(chr, range(_BMP)))
    table = np.zeros(_BMP, dtype=np.uint16)
    table[np.fromiter(map(str.isspace, chars), bool, _BMP)] |= _SPACE
    table[np.fromiter(map(str.isupper, chars), bool, _BMP)] |= _UPPER
    table[~np.fromiter(map(str.isupper, map("A".__add__, chars)), bool, _BMP)] |= _LOWTITLE
    for pattern, bit in ((_DIGIT, _DIGITB), (_RE_WORD, _WORD), (_CJK, _CJKB), (regex.compile(r"\d"), _RXDIGIT),
                         (regex.compile(r"\s"), _RXSPACE), (_BULLET_CHAR, _BULLETB), (_BYLINE_FIRST, _BYLINEB)):
        table[[match.start() for match in pattern.finditer(chars)]] |= bit
    for ch in "|·•»›/":
        table[ord(ch)] |= _SEPA
    for ch in "|·•":
        table[ord(ch)] |= _SEPB
    table[ord("\n")] |= _RXSPACE
    return table


def _bits(text: str) -> tuple[npt.NDArray[np.uint16], npt.NDArray[np.uint32] | npt.NDArray[np.uint8]]:
    """The class bits of each character of ``text``, and its code points."""
    if text.isascii():
        codes = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        return _table()[codes], codes
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    bits = _table()[np.minimum(points, _BMP - 1)]
    astral = points >= _BMP
    if astral.any():
        found = points[astral]
        unique = np.unique(found)
        values = np.array([char_bits(chr(int(code))) for code in unique], dtype=np.uint16)
        bits[astral] = values[np.searchsorted(unique, found)]
    return bits, points


def _lines_of(positions: npt.NDArray[np.intp], starts: npt.NDArray[np.intp], n: int) -> npt.NDArray[np.bool_]:
    """Which of ``n`` lines (starting at ``starts`` in the joined text) hold one of ``positions``."""
    out = np.zeros(n, dtype=bool)
    out[np.searchsorted(starts, positions, side="right") - 1] = True
    return out


def _url_lines(joined: str, starts: npt.NDArray[np.intp], n: int) -> npt.NDArray[np.bool_]:
    """Lines that may hold a URL (a superset: each is then searched with ``_URL``)."""
    lower = joined.lower()
    if len(lower) != len(joined):
        return np.ones(n, dtype=bool)
    positions = []
    for word in _URL_WORDS:
        at = lower.find(word)
        while at >= 0:
            positions.append(at)
            at = lower.find(word, at + 1)
    return _lines_of(np.array(positions, dtype=np.intp), starts, n)


def _run(
    pattern: Callable[[str], object], heads: Sequence[str], rows: npt.NDArray[np.bool_]
) -> npt.NDArray[np.float64]:
    """``float(bool(pattern(head)))`` on the rows the gate let through, 0.0 elsewhere."""
    out = np.zeros(len(heads), dtype=np.float64)
    for row in np.flatnonzero(rows).tolist():
        out[row] = float(bool(pattern(heads[row])))
    return out


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
    return np.where(cjk > 0, np.maximum(tokens, tokens - np.minimum(tokens, cjk) + cjk // 2), tokens)


def shape_matrix(stripped: Sequence[str]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] | None:
    """The ``_shape`` columns of each stripped, non-empty line, and the lines' word counts.

    Returns ``None`` when a line holds a ``"\\n"`` (the caller then measures line by line).
    """
    n = len(stripped)
    full = np.fromiter(map(len, stripped), dtype=np.intp, count=n)
    long_rows = np.flatnonzero(full > HEAD_CHARS).tolist()
    heads = list(stripped)
    for row in long_rows:
        heads[row] = stripped[row][:HEAD_CHARS]
    joined = "\n".join(heads)
    if joined.count("\n") != n - 1:
        return None
    size = np.minimum(full, HEAD_CHARS)
    starts = np.zeros(n, dtype=np.intp)
    np.cumsum(size[:-1] + 1, out=starts[1:])
    bits, points = _bits(joined)
    space = (bits & _SPACE) != 0
    token_start = ~space
    token_start[1:] &= space[:-1]
    counted = np.column_stack(
        [
            token_start,
            token_start & ((bits & _UPPER) != 0),
            (bits & _DIGITB) != 0,
            (bits & (_WORD | _SPACE)) == 0,
            (bits & _CJKB) != 0,
            (bits & _UPPER) != 0,
            (bits & _LOWTITLE) != 0,
            points == _COMMA,
        ]
    )
    sums = np.add.reduceat(counted, starts, axis=0, dtype=np.int64)
    tokens, upper_starts, digits, punct, cjk, upper, lowtitle, commas = sums.T
    n_tokens = np.maximum(tokens, 1)
    words = _count_words(tokens, cjk, full, stripped, long_rows)
    word_list = words.tolist()

    first = bits[starts]
    second = np.zeros(n, dtype=bool)
    two = size > 1
    after_first = points[starts[two] + 1]
    second[two] = (after_first == _DOT) | (after_first == _PAREN)
    bullet = _run(_BULLET.match, heads, ((first & (_BULLETB | _RXDIGIT)) != 0) | second)
    byline = _run(_BYLINE.match, heads, ((first & _BYLINEB) != 0) & (words <= 6))
    rxspace = (bits & _RXSPACE) != 0
    before = np.zeros_like(rxspace)
    before[1:] = rxspace[:-1]
    after = np.zeros_like(rxspace)
    after[:-1] = rxspace[1:]
    near = (((bits & _SEPB) != 0) & (before | after)) | (((bits & _SEPA) != 0) & before & after)
    separators = np.zeros(n, dtype=np.int64)
    for row in np.flatnonzero(_lines_of(np.flatnonzero(near), starts, n)).tolist():
        separators[row] = len(_SEPARATORS.findall(heads[row]))
    url = _run(_URL.search, heads, _url_lines(joined, starts, n))
    rxdigit = (bits & _RXDIGIT) != 0
    pairs = np.flatnonzero(rxdigit[:-1] & rxdigit[1:])
    pair_lines = np.searchsorted(starts, pairs, side="right") - 1
    dated = np.zeros(n, dtype=bool)
    dated[pair_lines[pairs + 1 - starts[pair_lines] < 200]] = True
    date = _run(lambda head: _DATE.search(head[:200]), heads, dated)

    rstripped = list(map(str.rstrip, stripped, repeat(_CLOSERS + " ")))
    sizes_f = size.astype(np.float64)
    columns = [
        np.fromiter(map(math.log1p, word_list), dtype=np.float64, count=n),
        *((words <= edge).astype(np.float64) for edge in _WORD_BINS),
        np.fromiter(map(_ENDS.__contains__, map(_LAST, rstripped)), dtype=np.float64, count=n),
        np.fromiter(map(str.endswith, stripped, repeat(":")), dtype=np.float64, count=n),
        (np.fromiter(map(len, rstripped), dtype=np.intp, count=n) < full).astype(np.float64),
        bullet,
        digits / sizes_f,
        upper_starts / n_tokens,
        ((lowtitle == 0) & (upper > 0) & (size > 3)).astype(np.float64),
        np.fromiter(map(math.log1p, separators.tolist()), dtype=np.float64, count=n),
        punct / sizes_f,
        commas / np.maximum(words, 1),
        cjk / sizes_f,
        url,
        byline,
        date,
        np.fromiter(map(str.endswith, stripped, repeat(("...", "…"))), dtype=np.float64, count=n),
        np.fromiter(map(math.log1p, (size / n_tokens).tolist()), dtype=np.float64, count=n),
    ]
    return np.column_stack(columns), words.astype(np.float64)
