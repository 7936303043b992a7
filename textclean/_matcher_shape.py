"""What the whole rest of a line must look like for an alternative whose every match runs to the line's end.

An alternative tried with ``match`` at a known place (``^...`` at the line's start, a filed phrase after the leading
punctuation) and ending in ``$`` on every branch covers the line from there to its end, so the rest of the line
must fit the pattern as a whole: a :class:`Shape`, read off the pattern by ``regex``'s own parser
(:func:`shape_of`). Its three checks are necessary conditions, so the matcher can skip an alternative whose shape
the line does not fit (:meth:`Shape.fits`) without a regex call:

* **width**: the rest is no longer than the longest match (``(?:go)[\\W\\d_]{0,12}$``: 14 characters);
* **letters**: it holds no more ASCII letters than a match can (a pagination line ``1 2 3 next``: 4);
* **least**: it holds at least as many characters of a class as a match must, for a few classes (each a set of
  ASCII characters, and every character beyond ASCII) read off the pattern's items: a breadcrumb
  ``Home > News > World`` holds two separators and three letters; a pagination line ``1 2 3`` two spaces or bars;
* **alphabet**: between the first ``head`` and the last ``tail`` characters (bounded items at either end, such as
  ``^[\\W\\d_]{0,8}`` and ``[\\W\\d_]{0,12}$``) it holds only the ASCII characters the items in between can match
  (a breadcrumb ``Home > News > World`` holds no ``,``, ``:`` or ``(``).

``$`` (without ``MULTILINE``) also matches before a final newline, so the rest is taken without one (but for the
least counts, which a match holds wherever it ends). Case-insensitive
items count every character ``regex`` equates with one they match. Anything the reader does not know (lookbehind
past the start, conditionals, fuzzy matching, group references, ...) gives no shape (``None``): the alternative is
then tried on every line its other probes let through.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, NamedTuple

import regex

__all__ = ["ALL_ASCII", "MOST_CLASSES", "Shape", "shape_of"]

ALL_ASCII = (1 << 128) - 1
"""The alphabet bits of a shape that lets any ASCII character through."""

_LIMIT = 1 << 20  # widths and letter counts above this are as good as unbounded
_EDGE = 16  # the longest head or tail the alphabet check leaves out
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LETTER_BITS = sum(1 << ord(char) for char in _LETTERS)
_NOT_LETTERS = bytes(code for code in range(128) if chr(code) not in _LETTERS)  # deleted, the ASCII letters are left
_ALLOWED: dict[int, bytes] = {}  # per alphabet, its ASCII characters
MOST_CLASSES = 4
"""The most classes a shape counts the characters of."""


class Shape(NamedTuple):
    """Necessary conditions on a line's rest (from where the alternative is tried to its end, less a final newline).

    Attributes:
        width: the most characters it may hold (``None``: no bound).
        letters: the most ASCII letters it may hold (``None``: no bound).
        least: per class (bit ``c`` for each ASCII character ``c`` in it; every character beyond ASCII is), the
            fewest characters of it the line from where the alternative is tried (a final newline included) must
            hold.
        head: how many of its first characters the alphabet check skips.
        tail: how many of its last characters the alphabet check skips.
        alphabet: bit ``c`` set for each ASCII character ``c`` it may hold in between (:data:`ALL_ASCII`: any).
    """

    width: int | None
    letters: int | None
    least: tuple[tuple[int, int], ...]
    head: int
    tail: int
    alphabet: int

    def fits(self, line: str, at: int) -> bool:
        """Whether an alternative with this shape may match ``line`` from ``at`` to its end.

        :meth:`plain_fits` counted with ``bytes.translate`` on the line's ASCII characters.

        Examples:
            >>> shape = shape_of(r"(?:go)[\\W\\d_]{0,12}$", regex.V0)
            >>> shape.fits("go!", 0), shape.fits("going", 0), shape.fits("» go", 2)
            (True, False, True)
        """
        end = len(line) - line.endswith("\n")
        rest = line[at:end]
        if self.width is not None and len(rest) > self.width:
            return False
        if self.letters is not None and len(rest.encode("ascii", "ignore").translate(None, _NOT_LETTERS)) > (
            self.letters
        ):
            return False
        if self.least:
            tried = line[at:]
            ascii = tried.encode("ascii", "ignore")
            for bits, fewest in self.least:  # those of the class: the characters beyond ASCII, and the ASCII ones
                if len(tried) - len(ascii.translate(None, _chars(bits))) < fewest:
                    return False
        if self.alphabet == ALL_ASCII:
            return True
        allowed = _chars(self.alphabet)
        return not line[at + self.head : max(end - self.tail, 0)].encode("ascii", "ignore").translate(None, allowed)

    def plain_fits(self, line: str, at: int) -> bool:
        """:meth:`fits`, character by character (the reference of it, and of the compiled ``route_lines``)."""
        end = len(line) - line.endswith("\n")
        rest = line[at:end]
        if self.width is not None and len(rest) > self.width:
            return False
        if self.letters is not None and sum(char in _LETTERS for char in rest) > self.letters:
            return False
        for bits, fewest in self.least:
            if sum(ord(char) > 127 or bits >> ord(char) & 1 for char in line[at:]) < fewest:
                return False
        middle = line[at + self.head : max(end - self.tail, 0)]
        return all(ord(char) > 127 or self.alphabet >> ord(char) & 1 for char in middle)


def _chars(bits: int) -> bytes:
    """The ASCII characters of a class, as ``bytes.translate`` deletes them (kept for the next line)."""
    chars = _ALLOWED.get(bits)
    if chars is None:
        chars = _ALLOWED[bits] = bytes(code for code in range(128) if bits >> code & 1)
    return chars


def shape_of(source: str, flags: int) -> Shape | None:
    """The shape of a pattern every match of which ends at the end of the line (``None``: not one, or unknown).

    Examples:
        >>> shape = shape_of(r"^[\\W\\d_]{0,8}(?:\\^?\\s*top)[\\W\\d_]{0,12}$", regex.I | regex.V0)
        >>> shape.width, shape.letters, shape.head, shape.tail
        (None, 3, 9, 15)
        >>> shape_of(r"(?:\\bpr\\b)[\\W\\d_]{0,12}$", regex.V0)[:2]
        (14, 2)
        >>> shape_of(r"share\\s+this", regex.V0) is None
        True
    """
    try:
        return _shape(source, flags)
    except Exception:  # the parser is regex's private module: whatever goes wrong, no shape
        return None


_core: Any = importlib.import_module("regex._regex_core")


def _parse(source: str, flags: int) -> tuple[Any, int]:
    """The pattern as ``regex`` parses it (as ``regex.compile`` does, before its optimisations), and its flags."""
    global_flags = int(flags)
    while True:
        text = _core.Source(source)
        info = _core.Info(global_flags, text.char_type, {})
        text.ignore_space = bool(info.flags & regex.VERBOSE)
        try:
            parsed = _core._parse_pattern(text, info)
            break
        except _core._UnscopedFlagSet:
            global_flags = info.global_flags
    if not text.at_end():
        raise ValueError("unbalanced parenthesis")
    found = int(info.flags)
    if not found & int(regex.ASCII | regex.LOCALE | regex.UNICODE):
        found |= int(regex.UNICODE)
    return parsed, found


def _shape(source: str, flags: int) -> Shape | None:
    parsed, found = _parse(source, flags)
    if found & int(regex.REVERSE | regex.MULTILINE | regex.WORD | regex.LOCALE | regex.FULLCASE) or not _ends(parsed):
        return None
    items = _items(parsed)
    widths = [_width(item) for item in items]
    alphabets = [_ascii(item, found) for item in items]
    letters = _count(parsed, found)
    best: tuple[tuple[int, int], int, int, int] | None = None
    for first in range(len(items) + 1):
        head = sum(widths[:first])
        if head > _EDGE:
            break
        for last in range(len(items), first - 1, -1):
            tail = sum(widths[last:])
            if tail > _EDGE:
                break
            bits = 0
            for alphabet in alphabets[first:last]:
                bits |= alphabet
            key = (bin(bits).count("1"), head + tail)
            if best is None or key < best[0]:
                best = (key, head, tail, bits)
    width = _width(parsed)
    shape = Shape(
        width=width if width <= _LIMIT else None,
        letters=letters if letters <= _LIMIT else None,
        least=_least(parsed, found),
        head=best[1] if best else 0,
        tail=best[2] if best else 0,
        alphabet=best[3] if best else ALL_ASCII,
    )
    return None if shape == Shape(None, None, (), shape.head, shape.tail, ALL_ASCII) else shape


def _ends(node: Any) -> bool:
    """Whether every match of ``node`` ends with ``$`` (the end of the string, or before a final newline)."""
    if type(node) is _core.EndOfStringLine:
        return True
    if type(node) is _core.Sequence:
        return bool(node.items) and _ends(node.items[-1])
    if type(node) is _core.Branch:
        return all(map(_ends, node.branches))
    if type(node) in (_core.Group, _core.Atomic):
        return _ends(node.subpattern)
    return False


def _items(node: Any) -> list[Any]:
    """The items matched one after another (sequences and groups opened)."""
    if type(node) is _core.Sequence:
        return [item for inner in node.items for item in _items(inner)]
    if type(node) in (_core.Group, _core.Atomic):
        return _items(node.subpattern)
    return [node]


def _width(node: Any) -> int:
    """The most characters ``node`` can match (above :data:`_LIMIT`: unbounded)."""
    return min(_walk(node, lambda leaf: int(leaf.max_width())), _LIMIT + 1)


def _count(node: Any, flags: int) -> int:
    """The most ASCII letters a match of ``node`` can hold (above :data:`_LIMIT`: unbounded)."""
    return min(_walk(node, lambda leaf: 1 if _ascii(leaf, flags) & _LETTER_BITS else 0), _LIMIT + 1)


def _least(parsed: Any, flags: int) -> tuple[tuple[int, int], ...]:
    """The classes worth counting, with the fewest characters of each a match holds: a class of each character
    item and alternation, less those another class at most as wide, with at least as many, makes useless. At most
    :data:`MOST_CLASSES`: those without ASCII letters (rarer in text) first, then the narrowest."""
    counted = []
    for bits in _classes(parsed, flags, set()):
        fewest = min(_fewest(parsed, flags, bits), _LIMIT)
        if fewest:
            counted.append((bits, fewest))
    kept = [
        (bits, fewest)
        for bits, fewest in counted
        if not any(other & ~bits == 0 and more >= fewest and (other, more) != (bits, fewest) for other, more in counted)
    ]
    kept.sort(key=lambda count: (bool(count[0] & _LETTER_BITS), bin(count[0]).count("1"), -count[1], count[0]))
    return tuple(kept[:MOST_CLASSES])


def _classes(node: Any, flags: int, found: set[int]) -> set[int]:
    """The ASCII characters of each character item and each alternation in ``node`` (added to ``found``)."""
    kind = type(node)
    if kind is _core.Sequence:
        for item in node.items:
            _classes(item, flags, found)
    elif kind is _core.Branch:
        found.add(_ascii(node, flags))
        for branch in node.branches:
            _classes(branch, flags, found)
    elif kind in (_core.Group, _core.Atomic, _core.GreedyRepeat, _core.LazyRepeat, _core.PossessiveRepeat):
        _classes(node.subpattern, flags, found)
    elif kind in _LEAVES or issubclass(kind, _core.SetBase):
        found.add(_ascii(node, flags))
    return found


def _fewest(node: Any, flags: int, bits: int) -> int:
    """The fewest characters of a class (``bits``, and every character beyond ASCII) a match of ``node`` must hold
    (``ValueError``: a node this reader does not know)."""
    kind = type(node)
    if kind is _core.Sequence:
        return sum(_fewest(item, flags, bits) for item in node.items)
    if kind is _core.Branch:
        return min(_fewest(branch, flags, bits) for branch in node.branches)
    if kind in (_core.Group, _core.Atomic):
        return _fewest(node.subpattern, flags, bits)
    if kind in (_core.GreedyRepeat, _core.LazyRepeat, _core.PossessiveRepeat):
        return min(_fewest(node.subpattern, flags, bits) * int(node.min_count), _LIMIT)
    if kind is _core.LookAround or (issubclass(kind, _core.ZeroWidthBase) and kind is not _core.Failure):
        return 0
    if kind in _LEAVES or issubclass(kind, _core.SetBase):
        return 0 if _ascii(node, flags) & ~bits else 1  # it may match an ASCII character out of the class
    raise ValueError(f"a {kind.__name__} node")


def _walk(node: Any, leaf: Callable[[Any], int]) -> int:
    """The most of something a match of ``node`` holds, ``leaf`` counting it for one character (``ValueError``: a
    node this reader does not know)."""
    kind = type(node)
    if kind is _core.Sequence:
        return sum(_walk(item, leaf) for item in node.items)
    if kind is _core.Branch:
        return max(_walk(branch, leaf) for branch in node.branches)
    if kind in (_core.Group, _core.Atomic):
        return _walk(node.subpattern, leaf)
    if kind in (_core.GreedyRepeat, _core.LazyRepeat, _core.PossessiveRepeat):
        each = _walk(node.subpattern, leaf)
        if each == 0:
            return 0
        return _LIMIT + 1 if node.max_count is None else min(each * node.max_count, _LIMIT + 1)
    if kind is _core.LookAround:
        if node.behind:
            raise ValueError("a lookbehind may look before where the match starts")
        return 0
    if issubclass(kind, _core.ZeroWidthBase) and kind is not _core.Failure:
        return 0
    if kind in _LEAVES or issubclass(kind, _core.SetBase):
        return leaf(node)
    raise ValueError(f"a {kind.__name__} node")


def _ascii(node: Any, flags: int) -> int:
    """The ASCII characters (bit per code) a match of ``node`` can hold (``ValueError``: an unknown node)."""
    kind = type(node)
    if kind is _core.Sequence:
        return _union(node.items, flags)
    if kind is _core.Branch:
        return _union(node.branches, flags)
    if kind in (_core.Group, _core.Atomic, _core.GreedyRepeat, _core.LazyRepeat, _core.PossessiveRepeat):
        return _ascii(node.subpattern, flags)
    if kind is _core.LookAround:
        if node.behind:
            raise ValueError("a lookbehind may look before where the match starts")
        return 0
    if issubclass(kind, _core.ZeroWidthBase) and kind is not _core.Failure:
        return 0
    if kind in (_core.Any, _core.AnyU, _core.AnyAll):
        return ALL_ASCII
    if kind in (_core.Character, _core.Property, _core.Range) or issubclass(kind, _core.SetBase):
        key = (node._key, flags)
        if key not in _SEEN:
            _SEEN[key] = _leaf_ascii(node, flags)
        return _SEEN[key]
    raise ValueError(f"a {kind.__name__} node")


def _leaf_ascii(node: Any, flags: int) -> int:
    """The ASCII characters one character item matches (case-insensitively: one of the characters equated with
    them, as ``regex`` matches)."""
    caseless = int(node.case_flags) & int(regex.IGNORECASE)
    bits = 0
    for code in range(128):
        cases = tuple(_regex.get_all_cases(flags, code)) if caseless else (code,)
        if any(node.matches(case) for case in cases):
            bits |= 1 << code
    return bits


def _union(nodes: Any, flags: int) -> int:
    bits = 0
    for node in nodes:
        bits |= _ascii(node, flags)
    return bits


_regex: Any = importlib.import_module("regex._regex")
_SEEN: dict[tuple[object, int], int] = {}  # the ASCII characters of each character item met so far
_LEAVES = (_core.Character, _core.Property, _core.Range, _core.Any, _core.AnyU, _core.AnyAll)
