"""The class bits of characters: per code point, the line-shape classes it belongs to.

Each bit stands for one predicate of the per-line code (``_features._shape``: ``str`` methods, ``re``
and ``regex`` classes), so the counts and gates of :mod:`textclean._lineshape_rows` made from the bits
are exactly the per-line code's. The bits of the BMP sit in a table filled one block of 256 code
points at a time, for the blocks the texts use (:class:`_ClassTable`); astral characters are looked
up one by one (:func:`char_bits`). :func:`class_bits` gives the bits of each character of a text:
the compiled kernels ``code_blocks`` (the blocks and astral code points a text holds) and
``class_bits`` (the lookup, reading the ``str`` in place, and its code points) when they were built, else
numpy (the reference). The table is filled in Python either way: C cannot reproduce the predicates.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import regex

from textclean import _kernels
from textclean._features import _CJK, _DIGIT
from textclean._rule_cache import cache_directory, load_or_build

__all__ = ["BMP", "LETTER", "char_bits", "class_bits"]

# The five counted classes take the low bits (see _lineshape_rows); the gates' classes follow. textclean/_native.c
# (row_measures) reads this layout: change both together.
DIGIT, PUNCT, CJK, UPPER, LOWTITLE = (1 << k for k in range(5))
SPACE, WORD, RXDIGIT, RXSPACE, SEPA, SEPB, BULLET, BYLINE = (1 << k for k in range(5, 13))
LETTER = 1 << 13
"""Class bit of a letter: a character ``regex``'s ``[\\W\\d_]`` does not match (the comment gates)."""
URL = 1 << 14  # "@", ":" and ".": the URL gate looks around them
COUNTED = 5  # the counted classes: the five lowest bits

BMP = 0x10000
_BULLET_CHAR = regex.compile(r"[-–—•*·▪►◦‣●○■□]", regex.I)
_BYLINE_FIRST = regex.compile(r"(?i:[abvpdаt])")  # the first letters of _BYLINE's words (Latin a: av, af)
_NOT_LETTER = regex.compile(r"[\W\d_]")
_RE_WORD = re.compile(r"\w")
_RX_DIGIT = regex.compile(r"\d")
_RX_SPACE = regex.compile(r"\s")


def _char_classes() -> tuple[tuple[Callable[[str], bool], int], ...]:
    """Per class bit, a test of one character (the per-line code's own predicates)."""
    return (
        (lambda ch: _DIGIT.match(ch) is not None, DIGIT),
        (lambda ch: _RE_WORD.match(ch) is None and not ch.isspace(), PUNCT),  # re's [^\w\s]
        (lambda ch: _CJK.match(ch) is not None, CJK),
        (str.isupper, UPPER),  # str.isupper of a one-character string
        (lambda ch: not ("A" + ch).isupper(), LOWTITLE),  # a character that makes a string not upper
        (str.isspace, SPACE),  # str.split and re's \s
        (lambda ch: _RE_WORD.match(ch) is not None, WORD),
        (lambda ch: regex.match(r"\d", ch) is not None, RXDIGIT),
        (lambda ch: regex.match(r"\s", ch) is not None or ch == "\n", RXSPACE),
        (lambda ch: ch in "|·•»›/", SEPA),
        (lambda ch: ch in "|·•", SEPB),
        (lambda ch: _BULLET_CHAR.match(ch) is not None, BULLET),
        (lambda ch: _BYLINE_FIRST.match(ch) is not None, BYLINE),
        (lambda ch: _NOT_LETTER.match(ch) is None, LETTER),
        (lambda ch: ch in "@:.", URL),
    )


def char_bits(ch: str) -> int:
    """The class bits of one character (astral characters are looked up with this).

    Examples:
        >>> char_bits("7") & DIGIT == DIGIT, char_bits("a") & LETTER == LETTER
        (True, True)
    """
    return sum(bit for test, bit in _char_classes() if test(ch))


_BLOCK = 256  # the class table is filled a block of code points at a time, for the blocks a text uses


class _ClassTable:
    """Class bits of every BMP code point, filled one block of :data:`_BLOCK` code points at a time.

    Most pages use a handful of blocks (ASCII and Latin-1 alone for most), so a process fills only
    those; the bits of a code point never depend on its neighbours, so a block is the same whether
    filled alone or with the whole BMP.
    """

    def __init__(self) -> None:
        self.bits = np.zeros(BMP, dtype=np.uint16)
        self.filled = np.zeros(BMP // _BLOCK, dtype=bool)

    def covering(self, top: int, points: npt.NDArray[np.uint32] | npt.NDArray[np.uint8]) -> npt.NDArray[np.uint16]:
        """The table, with every block of ``points`` (all below ``top``, exclusive, and the BMP) filled."""
        if top <= _BLOCK:
            if not self.filled[0]:
                self.fill([0])
            return self.bits
        blocks = np.flatnonzero((np.bincount(points >> 8) > 0) & ~self.filled[: ((top - 1) >> 8) + 1])
        if len(blocks):
            self.fill(blocks.tolist())
        return self.bits

    def fill(self, blocks: list[int]) -> None:
        """Fill the blocks numbered ``blocks`` (block ``k``: code points ``256 k`` to ``256 k + 255``)."""
        for block in blocks:
            first = block * _BLOCK
            self.bits[first : first + _BLOCK] = _block_bits(first)
            self.filled[block] = True


def _block_bits(first: int) -> npt.NDArray[np.uint16]:
    """Class bits of the code points ``first`` to ``first + _BLOCK - 1`` (from the per-line code's predicates)."""
    chars = "".join(map(chr, range(first, first + _BLOCK)))
    table = np.zeros(_BLOCK, dtype=np.uint16)
    table[np.fromiter(map(str.isspace, chars), bool, _BLOCK)] |= SPACE
    table[np.fromiter(map(str.isupper, chars), bool, _BLOCK)] |= UPPER
    table[~np.fromiter(map(str.isupper, map("A".__add__, chars)), bool, _BLOCK)] |= LOWTITLE
    for pattern, bit in (
        (_DIGIT, DIGIT),
        (_RE_WORD, WORD),
        (_CJK, CJK),
        (_RX_DIGIT, RXDIGIT),
        (_RX_SPACE, RXSPACE),
        (_BULLET_CHAR, BULLET),
        (_BYLINE_FIRST, BYLINE),
    ):
        table[[match.start() for match in pattern.finditer(chars)]] |= bit
    table[(table & (WORD | SPACE)) == 0] |= PUNCT
    letters = np.ones(_BLOCK, dtype=bool)
    letters[[match.start() for match in _NOT_LETTER.finditer(chars)]] = False
    table[letters] |= LETTER
    for chars_of, bit in (("|·•»›/", SEPA), ("|·•", SEPB), ("@:.", URL), ("\n", RXSPACE)):
        for ch in chars_of:
            if first <= ord(ch) < first + _BLOCK:
                table[ord(ch) - first] |= bit
    return table


@functools.cache
def _class_table() -> _ClassTable:
    """The process's class table: the whole BMP from the start-up cache (:mod:`textclean._rule_cache`) when there is
    one, else filled as texts need it (the real pages use 115 blocks, 26 ms of predicates in every process)."""
    table = _ClassTable()
    if cache_directory() is not None:
        bits = load_or_build("line-classes", [], _every_block, bytes)
        if len(bits) == 2 * BMP:
            table.bits[:] = np.frombuffer(bits, dtype="<u2")
            table.filled[:] = True
    return table


def _every_block() -> bytes:
    """The class bits of every BMP code point, as little-endian ``uint16`` (0.1 s: on a miss of the cache only)."""
    table = _ClassTable()
    table.fill(list(range(BMP // _BLOCK)))
    return table.bits.astype("<u2").tobytes()


def class_bits(text: str) -> tuple[npt.NDArray[np.uint16], npt.NDArray[np.uint32] | npt.NDArray[np.uint8]]:
    """The class bits of each character of ``text``, and its code points (``uint8`` when it is ASCII).

    Examples:
        >>> bits, points = class_bits("A1")
        >>> [bool(bit & UPPER) for bit in bits.tolist()], points.tolist()
        ([True, False], [65, 49])
    """
    blocks_of, bits_of = _kernels.kernel("code_blocks"), _kernels.kernel("class_bits")
    if blocks_of is None or bits_of is None:
        if text.isascii():
            points: npt.NDArray[np.uint32] | npt.NDArray[np.uint8] = np.frombuffer(text.encode(), dtype=np.uint8)
        else:
            points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        return _bits_reference(text, points), points
    blocks, astral = blocks_of(text)
    table = _class_table()
    table.fill(np.flatnonzero(np.frombuffer(blocks, dtype=bool) & ~table.filled).tolist())
    codes = np.frombuffer(astral, dtype=np.uint32)
    bits, found = bits_of(text, table.bits, codes, _astral_bits(codes.tolist()))
    points = np.frombuffer(found, dtype=np.uint8 if text.isascii() else np.uint32)
    return np.frombuffer(bits, dtype=np.uint16), points


def _astral_bits(codes: list[int]) -> npt.NDArray[np.uint16]:
    """The class bits of each of ``codes`` (code points beyond the BMP)."""
    return np.array([char_bits(chr(code)) for code in codes], dtype=np.uint16)


def _bits_reference(text: str, points: npt.NDArray[np.uint32] | npt.NDArray[np.uint8]) -> npt.NDArray[np.uint16]:
    """The class bits of each character of ``text`` (its code points ``points``), by numpy lookups in the table."""
    if text.isascii():
        bits: npt.NDArray[np.uint16] = _class_table().covering(128, points)[points]
        return bits
    top = int(points.max()) + 1
    if top <= BMP:
        bits = _class_table().covering(top, points)[points]
        return bits
    clipped = np.minimum(points, BMP - 1)
    bits = _class_table().covering(BMP, clipped)[clipped]
    astral = points >= BMP
    found = points[astral]
    unique = np.unique(found)
    bits[astral] = _astral_bits(unique.tolist())[np.searchsorted(unique, found)]
    return bits
