"""Gates for the comment detector's patterns: what a line must look like for a pattern to have a chance.

The comment detector (:mod:`textclean._classify_comments`) tries a few dozen header and marker
patterns; trying them all on every line is slow, so each pattern gets *gates*, necessary conditions
worked out from the pattern itself:

* :func:`letter_gate`: strings a line's *first letters* must begin with (counted from its first
  character that is not punctuation, a digit, a space or ``_``). A pattern may allow any punctuation,
  digits and spaces before its first letter (``^\\W{0,3}(?:\\d+\\s+)?comments``) and still be gated on
  ``comm``; after the first letter the strings may hold literal punctuation and ``" "`` (any space).
* :func:`required_chars`: characters one of which every match holds; :func:`requires_digit`:
  every match holds a digit.

All are conservative: syntax they do not follow gives ``None`` (or ``False``) and the caller then
does without that gate. :class:`StartTable` checks the first-letter gates of many lines at once: it
numbers the gate characters as ``regex``'s case-insensitive matching equates them, and packs a line's
first four characters into one integer.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import regex

from textclean._lineshape import LETTER, LineText
from textclean._rules._index import split_alternatives
from textclean._rules._literals import _class_members, tokens

__all__ = [
    "GATE_LETTERS",
    "StartTable",
    "is_letter",
    "letter_gate",
    "required_chars",
    "requires_digit",
    "strip_comment",
]

GATE_LETTERS = 4
"""Gates look at (at most) this many letters."""

_NOT_LETTER = regex.compile(r"[\W\d_]", regex.IGNORECASE | regex.V0)
_SPACE = regex.compile(r"\s", regex.V0)
_ZERO_WIDTH = frozenset({"\\b", "\\B", "\\A", "\\Z"})
_NOT_LETTER_ITEMS = frozenset({"\\W", "\\d", "\\s", "[\\W\\d_]"})

_BMP = 0x10000
_FLAGS = regex.IGNORECASE | regex.V0
_CLASS_OF = {" ": r"\s"}  # the gate strings' " " stands for any space
_SKIP_LEAD = regex.compile(r"[\W\d_]*+")  # what comes before a line's first letter
_PEEK = np.arange(8)  # how far into a line its first letter is looked for with numpy
_FAR_PEEK = np.arange(256)  # how far, when it is not in the first eight characters
_OFFSETS = np.arange(GATE_LETTERS)
_PEEK_CELLS = 1 << 18  # characters looked at in one numpy pass at most (a bound on its arrays)

_SKIP, _OPEN, _CLOSED = 0, 1, 2
_State = tuple[str, int]  # the letters read so far, and whether more may be read
_START: frozenset[_State] = frozenset({("", _SKIP)})


class _Unknown(Exception):
    """The first letters cannot be worked out (the caller then does without the gate)."""


def is_letter(char: str) -> bool:
    """Whether ``char`` is a letter for the gates: not matched by ``[\\W\\d_]``.

    Examples:
        >>> is_letter("é"), is_letter("_"), is_letter("٣"), is_letter("評")
        (True, False, False, True)
    """
    return _NOT_LETTER.match(char) is None


def strip_comment(pattern: str) -> str:
    """Drop a leading ``(?#...)`` comment (the language tag of phrase rules).

    Examples:
        >>> strip_comment("(?#en)^reply$")
        '^reply$'
    """
    return pattern[pattern.index(")") + 1 :] if pattern.startswith("(?#") else pattern


def letter_gate(pattern: str) -> frozenset[str] | None:
    """Strings one of which the first letters of any line the pattern matches (at its start) begin with.

    In the strings, ``" "`` stands for any space. ``None`` when no such strings can be worked out.

    Examples:
        >>> sorted(letter_gate(r"^\\W{0,3}(?:(?:\\d+|no)\\s+)?(?:comments?|replies)\\W*$"))
        ['comm', 'no ', 'repl']
        >>> sorted(letter_gate(r"^[\\W\\d_]{0,8}(?:e-?mail|i\\s+campi)"))
        ['e-ma', 'emai', 'i ']
        >>> letter_gate(r"^.{0,30}\\((?:comments?|replies)\\)") is None
        True
    """
    source = strip_comment(pattern).removeprefix("^")
    try:
        states = _alternation(source, _START)
    except (_Unknown, ValueError):
        return None
    if any(phase == _SKIP for _, phase in states):
        return None  # a match may hold no letter at all
    if any(len(text.lower()) != len(text) for text, _ in states):
        return None  # a letter whose lowercase is longer
    return frozenset(text.lower() for text, _ in states)


def _alternation(source: str, states: frozenset[_State]) -> frozenset[_State]:
    """The states after matching one of ``source``'s alternatives from ``states``."""
    out: set[_State] = set()
    for alternative in split_alternatives(source):
        items = tokens(alternative)
        current = states
        for item in items:
            if all(phase == _CLOSED for _, phase in current):
                break
            current = _step(item, current)
        out |= current
    return frozenset(out)


def _step(item: tuple[str, str, int, int | None], states: frozenset[_State]) -> frozenset[_State]:
    """The states after one item (with its quantifier)."""
    kind, value, low, high = item
    if kind == "other" and value in _ZERO_WIDTH:
        return states
    done = {state for state in states if state[1] == _CLOSED}
    live = states - done
    if kind == "group":
        once = set(_alternation(value, live))
        if high != 1:  # repeated: a later repetition could hold the first letter
            if any(phase == _SKIP for _, phase in once) and _alternation(value, _START) != _START:
                raise _Unknown
            once = {(text, _CLOSED if phase == _OPEN else phase) for text, phase in once}
        return frozenset(done | once | (live if low == 0 else set()))
    letter = kind == "lit" and is_letter(value)
    skipped = not letter and _matches_no_letter(kind, value)  # punctuation, digits, spaces
    char = _char_of(kind, value)
    out = set(done)
    for text, phase in live:
        if phase == _SKIP and not letter:
            if not skipped:
                raise _Unknown  # the first letter could be anywhere in this item
            out.add((text, _SKIP))  # skipped before the first letter, however many
            continue
        if low == 0:
            out.add((text, phase))  # the item may be absent
        if char is None:
            out.add((text, _CLOSED))
            continue
        grown = text + char
        out.add((grown, _OPEN if high == 1 and len(grown) < GATE_LETTERS else _CLOSED))
    return frozenset(out)


def _char_of(kind: str, value: str) -> str | None:
    """The character a gate string records for an item once its letters have started (``" "``: any space)."""
    if kind == "lit":
        return " " if _SPACE.match(value) else value
    return " " if value == "\\s" else None


def _matches_no_letter(kind: str, value: str) -> bool:
    """Whether an item (a literal, escape or class) can only match characters that are not letters."""
    if kind == "lit":
        return not is_letter(value)
    if value in _NOT_LETTER_ITEMS:
        return True
    return _listed_non_letters(value)


@functools.cache
def _listed_non_letters(item: str) -> bool:
    """Whether ``item`` is a class listing only literal non-letters (``[(\\[]``, ``[:：]``; no ranges, no ``\\w``)."""
    chars = _class_members(item)
    return chars is not None and all(not is_letter(char) for char in chars)


def requires_digit(pattern: str) -> bool:
    """Whether every match of ``pattern`` contains a digit (``\\d``); ``False`` when unsure.

    A named group wrapping the whole pattern is looked through.

    Examples:
        >>> requires_digit(r"^.{0,60}(?:\\d+|an?) hours? ago"), requires_digit(r"^.{0,9}\\d{1,2}:\\d{2}")
        (False, True)
        >>> requires_digit(r"(?P<date>^.{0,5}(?:\\d{4}|\\d{1,2}\\.\\d{1,2}))")
        True
    """
    source = strip_comment(pattern)
    if source.startswith("(?P<") and source.endswith(")"):
        source = source[source.index(">") + 1 : -1]
    try:
        return all(_alternative_requires_digit(tokens(alternative)) for alternative in split_alternatives(source))
    except ValueError:
        return False


def _alternative_requires_digit(items: list[tuple[str, str, int, int | None]]) -> bool:
    for kind, value, low, _ in items:
        if low < 1:
            continue
        if kind == "other" and value == "\\d":
            return True
        if kind == "group" and requires_digit(value):
            return True
    return False


def required_chars(source: str) -> frozenset[str] | None:
    """Characters (non-letters, literal or listed in a class) one of which every match holds, or ``None``.

    Examples:
        >>> sorted(required_chars(r"^.{0,30}[(\\[]\\d+ comments[)\\]]$"))
        ['(', '[']
        >>> required_chars(r"^\\W{0,3}comments") is None
        True
    """
    found: frozenset[str] | None = None
    for alternative in split_alternatives(source):
        try:
            items = tokens(alternative)
        except ValueError:
            return None
        best = None
        for kind, value, low, _ in items:
            chars = _listed(kind, value) if low >= 1 else None
            if chars is not None and (best is None or len(chars) < len(best)):
                best = chars
        if best is None:
            return None
        found = best if found is None else found | best
    return found


def _listed(kind: str, value: str) -> frozenset[str] | None:
    if kind == "lit":
        return None if is_letter(value) or value.isspace() else frozenset({value})
    if len(value) < 3 or not value.startswith("[") or value.startswith("[^") or not value.endswith("]"):
        return None
    body = value[1:-1].replace("\\[", "[").replace("\\]", "]")
    if "\\" in body or "-" in body[1:-1] or any(is_letter(char) or char.isspace() for char in body):
        return None
    return frozenset(body)


@dataclass(frozen=True, eq=False)
class StartTable:
    """Several patterns' first-letter gates as numbers, to check many lines at once.

    Each gate character gets a number (characters ``regex`` equates case-insensitively share one;
    ``" "`` stands for any space); a gate string is its characters' numbers, one byte each; a set of
    patterns is a bit mask.

    Attributes:
        classes: per BMP code point, the number of the gate character it equals (0: none).
        by_key: per packed gate string, the mask of the patterns it gates.
        row_numbers: :attr:`classes` as an array, but ``"\\n"`` (the line break between two rows of a text) has
            no number.
        prefixes: :attr:`by_key` as tables, to look up many lines' first letters at once.
    """

    classes: bytes
    by_key: dict[int, int]
    row_numbers: npt.NDArray[np.uint8]
    prefixes: _Prefixes

    @classmethod
    def build(cls, starts: Sequence[frozenset[str] | None]) -> StartTable:
        """The table of these patterns' gates (``None``: a pattern without one), some milliseconds."""
        if len(starts) > 64:
            raise ValueError("at most 64 gated patterns (one bit each)")
        chars = sorted({char for strings in starts for string in strings or () for char in string})
        number, classes = _char_numbers(chars)
        by_key: dict[int, int] = {}
        for k, strings in enumerate(starts):
            for string in strings or ():
                key = _pack(number[char] for char in string)
                by_key[key] = by_key.get(key, 0) | 1 << k
        return cls.of(classes, by_key)

    @classmethod
    def of(cls, classes: bytes, by_key: dict[int, int]) -> StartTable:
        """The table of these gate characters and gate strings (the arrays are read off them)."""
        row_numbers = np.frombuffer(classes, dtype=np.uint8).copy()
        row_numbers[ord("\n")] = 0
        if row_numbers[_BMP - 1]:
            raise ValueError("U+FFFF must not be a gate character (astral characters are read as it)")
        return cls(classes, by_key, row_numbers, _Prefixes.of(by_key))

    def __getstate__(self) -> dict[str, object]:
        """Pickle ``classes`` and ``by_key`` only: the arrays follow from them (and the rule cache holds no numpy)."""
        return {"classes": self.classes, "by_key": self.by_key}

    def __setstate__(self, state: dict[str, Any]) -> None:
        table = StartTable.of(state["classes"], state["by_key"])
        for name in ("classes", "by_key", "row_numbers", "prefixes"):
            object.__setattr__(self, name, getattr(table, name))  # frozen: set as __init__ would

    def mask_of(self, line: str) -> int:
        """The patterns whose gate strings the first letters of ``line`` begin with."""
        start = _SKIP_LEAD.match(line).end()  # type: ignore[union-attr]
        key, mask = 0, 0
        for k, char in enumerate(line[start : start + GATE_LETTERS]):
            number = self.classes[ord(char)] if ord(char) < _BMP else 0
            if not number:
                break
            key |= number << (8 * k)
            mask |= self.by_key.get(key, 0)
        return mask

    def masks_of(self, text: LineText, rows: npt.NDArray[np.intp]) -> dict[int, int]:
        """:meth:`mask_of` of each of ``rows`` of ``text`` (numpy for all of them), for those with patterns.

        A row's first letter is looked for beyond its first character only when that is no letter. Its first
        four letters are read from the text as they are: the ``"\\n"`` after a row (no row holds one) ends them.
        """
        starts, size = text.starts[rows], text.size[rows]
        lead = np.flatnonzero((text.bits[starts] & LETTER) == 0)  # the rows not starting with a letter
        late: list[int] = []
        if len(lead):
            lead_starts, lead_size = starts[lead], size[lead]
            first = _first_letters(text, lead_starts, lead_size, _PEEK)
            further = np.flatnonzero((first == lead_size) & (lead_size > len(_PEEK)))
            if len(further):  # the first letter (if any) lies further in
                first[further] = _first_letters(text, lead_starts[further], lead_size[further], _FAR_PEEK)
            late = rows[lead[(first == lead_size) & (lead_size > len(_FAR_PEEK))]].tolist()  # further still
            found = first < lead_size
            starts = starts.copy()
            starts[lead] += first
            if not found.all():
                keep = np.ones(len(rows), dtype=bool)
                keep[lead[~found]] = False
                rows, starts = rows[keep], starts[keep]
        near_end = starts >= len(text.points) - GATE_LETTERS  # the last row: no "\n" after it
        if near_end.any():
            late += rows[near_end].tolist()
            rows, starts = rows[~near_end], starts[~near_end]
        # an astral character takes the number of U+FFFF: none
        masks = self.prefixes.masks(np.take(self.row_numbers, text.points[starts[:, None] + _OFFSETS], mode="clip"))
        hit = masks.nonzero()[0]
        out = dict(zip(rows[hit].tolist(), masks[hit].tolist(), strict=True))
        for row in late:
            mask = self.mask_of(text.lines[row])
            if mask:
                out[row] = mask
        return out

    def masks_by_line(self, text: LineText, rows: npt.NDArray[np.intp]) -> dict[int, int]:
        """:meth:`masks_of`, line by line (its reference)."""
        masks = {row: self.mask_of(text.lines[row]) for row in rows.tolist()}
        return {row: mask for row, mask in masks.items() if mask}


def _first_letters(
    text: LineText, starts: npt.NDArray[np.intp], size: npt.NDArray[np.intp], peek_at: npt.NDArray[np.intp]
) -> npt.NDArray[np.intp]:
    """Where the first letter of each row (from ``starts``, ``size`` long) is, or ``size`` when it has none at
    the offsets ``peek_at`` (``0, 1, ...``)."""
    peek_at = peek_at[: int(size.max(initial=1))]
    found: npt.NDArray[np.intp] = size.copy()
    step = max(1, _PEEK_CELLS // len(peek_at))
    for at in range(0, len(starts), step):
        some_starts, some_size = starts[at : at + step], size[at : at + step]
        peek = text.bits[np.minimum(some_starts[:, None] + peek_at, len(text.bits) - 1)]
        lettered = ((peek & LETTER) != 0) & (some_size[:, None] > peek_at)
        first = lettered.argmax(axis=1)
        found[at : at + step] = np.where(lettered[np.arange(len(first)), first], first, some_size)
    return found


class _Prefixes(NamedTuple):
    """The packed gate strings of a :class:`StartTable` as tables indexed by gate numbers (for numpy).

    Attributes:
        two: per first two numbers (the first shifted by 8), the mask of the gate strings of one or two characters
            they begin with.
        pair_ids: per first two numbers, the number of the pair among those that begin longer gate strings (0: none).
        third: per pair number and third number, the mask of the gate strings of three characters.
        triple_ids: per pair number and third number, the number of the triple among those that begin gate strings
            of four characters (0: none).
        fourth: per triple number and fourth number, the mask of the gate strings of four characters.
    """

    two: npt.NDArray[np.uint64]
    pair_ids: npt.NDArray[np.uint16]
    third: npt.NDArray[np.uint64]
    triple_ids: npt.NDArray[np.uint16]
    fourth: npt.NDArray[np.uint64]

    @classmethod
    def of(cls, by_key: dict[int, int]) -> _Prefixes:
        """The tables of these packed gate strings (see :func:`_pack`) and masks."""
        pairs = {(key & 0xFF) << 8 | (key >> 8 & 0xFF) for key in by_key if key >= 1 << 16}
        pair_ids = np.zeros(1 << 16, dtype=np.uint16)
        pair_ids[sorted(pairs)] = np.arange(1, len(pairs) + 1)
        two = np.zeros(1 << 16, dtype=np.uint64)
        third = np.zeros((len(pairs) + 1, 256), dtype=np.uint64)
        long = [key for key in by_key if key >= 1 << 24]
        triples = sorted({(int(pair_ids[(key & 0xFF) << 8 | (key >> 8 & 0xFF)]), key >> 16 & 0xFF) for key in long})
        triple_ids = np.zeros((len(pairs) + 1, 256), dtype=np.uint16)
        for number, (pair, char) in enumerate(triples, 1):
            triple_ids[pair, char] = number
        fourth = np.zeros((len(triples) + 1, 256), dtype=np.uint64)
        for key, mask in by_key.items():
            first, second, third_number, last = (key >> 8 * k & 0xFF for k in range(GATE_LETTERS))
            pair = first << 8 | second
            if key < 1 << 8:
                two[first << 8 : (first + 1) << 8] |= np.uint64(mask)  # one character: whatever follows it
            elif key < 1 << 16:
                two[pair] |= np.uint64(mask)
            elif key < 1 << 24:
                third[pair_ids[pair], third_number] |= np.uint64(mask)
            else:
                fourth[triple_ids[pair_ids[pair], third_number], last] |= np.uint64(mask)
        return cls(two, pair_ids, third, triple_ids, fourth)

    def masks(self, numbers: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint64]:
        """The mask of the gate strings each row of ``numbers`` begins with: a line's first four characters' numbers
        from its first letter on (0: a character no gate string holds, or the line has ended)."""
        pair = numbers[:, 0].astype(np.intp) << 8 | numbers[:, 1]
        masks: npt.NDArray[np.uint64] = self.two[pair]
        ids = self.pair_ids[pair]
        longer = np.flatnonzero(ids)  # the rows whose first two letters begin longer gate strings
        ids, third = ids[longer], numbers[longer, 2]
        masks[longer] |= self.third[ids, third] | self.fourth[self.triple_ids[ids, third], numbers[longer, 3]]
        return masks


def _char_numbers(chars: list[str]) -> tuple[dict[str, int], bytes]:
    """A number per gate character, and per BMP code point the number of the gate character it equals."""
    if len(chars) > 255:
        raise ValueError("too many distinct gate characters for one byte each")
    if not chars:
        return {}, bytes(_BMP)  # no pattern has a first-letter gate
    # One group per character: a match's group is the first character (in order) the code point equals.
    groups = regex.compile("|".join(f"({_CLASS_OF.get(char, regex.escape(char))})" for char in chars), _FLAGS)
    numbers = {char: k + 1 for k, char in enumerate(chars)}
    for char in chars:  # a gate character equal to an earlier one shares its number
        first = groups.fullmatch(" " if char == " " else char)
        if first is not None:
            numbers[char] = numbers[chars[first.lastindex - 1]]  # type: ignore[operator]
    classes = bytearray(_BMP)
    for hit in groups.finditer("".join(map(chr, range(_BMP)))):
        classes[hit.start()] = numbers[chars[hit.lastindex - 1]]  # type: ignore[operator]
    return numbers, bytes(classes)


def _pack(numbers: Iterable[int]) -> int:
    return sum(value << (8 * k) for k, value in enumerate(numbers))
