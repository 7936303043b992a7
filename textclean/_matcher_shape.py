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
    if "$" not in source:
        return None  # (nothing ends it)
    parsed, found = _parse(source, flags)
    if found & int(regex.REVERSE | regex.MULTILINE | regex.WORD | regex.LOCALE | regex.FULLCASE) or not _ends(parsed):
        return None
    tree = _tree(parsed, found)
    items = list(_items(tree))
    widths = [_most(item, _ALL) for item in items]
    alphabets = [_chars_of(item) for item in items]
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
    width, letters = _most(tree, _ALL), _most(tree, _LETTER_BITS)
    shape = Shape(
        width=width if width <= _LIMIT else None,
        letters=letters if letters <= _LIMIT else None,
        least=_least(tree),
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


# The pattern as the reader sees it: a character item is the ASCII characters it matches (an int, bit per code);
# ("seq", items), ("alt", branches, their characters) and ("rep", item, least, most or None) hold the others. Items
# that match nothing (anchors, lookaheads) are left out.
_Tree = Any
_ALL = ALL_ASCII


def _tree(node: Any, flags: int) -> _Tree:
    """``node`` read into a :data:`_Tree` (``None``: it matches no character; ``ValueError``: a node this reader
    does not know, or a lookbehind, which may look before where the match starts)."""
    kind = type(node)
    if kind is _core.Sequence:
        items = tuple(item for item in (_tree(inner, flags) for inner in node.items) if item is not None)
        return ("seq", items) if items else None
    if kind is _core.Branch:
        branches = tuple(_tree(branch, flags) for branch in node.branches)
        return ("alt", branches, _chars_of(("alt", branches, 0)))
    if kind in (_core.Group, _core.Atomic):
        return _tree(node.subpattern, flags)
    if kind in (_core.GreedyRepeat, _core.LazyRepeat, _core.PossessiveRepeat):
        inner = _tree(node.subpattern, flags)
        if inner is None:
            return None
        most = None if node.max_count is None else int(node.max_count)
        return ("rep", inner, int(node.min_count), most)
    if kind is _core.LookAround:
        if node.behind:
            raise ValueError("a lookbehind may look before where the match starts")
        return None
    if issubclass(kind, _core.ZeroWidthBase) and kind is not _core.Failure:
        return None
    if kind in (_core.Any, _core.AnyU, _core.AnyAll):
        return ALL_ASCII
    if kind in (_core.Character, _core.Property, _core.Range) or issubclass(kind, _core.SetBase):
        key = (node._key, flags)
        if key not in _SEEN:
            _SEEN[key] = _leaf_ascii(node, flags)
        return _SEEN[key]
    raise ValueError(f"a {kind.__name__} node")


def _items(tree: _Tree) -> tuple[_Tree, ...]:
    """The items matched one after another (sequences opened)."""
    if tree is None:
        return ()
    if isinstance(tree, tuple) and tree[0] == "seq":
        return tuple(item for inner in tree[1] for item in _items(inner))
    return (tree,)


def _chars_of(tree: _Tree) -> int:
    """The ASCII characters a match of ``tree`` can hold."""
    if tree is None:
        return 0
    if isinstance(tree, int):
        return tree
    if tree[0] == "rep":
        return _chars_of(tree[1])
    if tree[0] == "alt" and tree[2]:
        return int(tree[2])
    bits = 0
    for item in tree[1]:
        bits |= _chars_of(item)
    return bits


def _most(tree: _Tree, bits: int) -> int:
    """The most characters a match of ``tree`` holds that may be among ``bits`` (above :data:`_LIMIT`: unbounded)."""
    if tree is None:
        return 0
    if isinstance(tree, int):
        return 1 if tree & bits or (bits == _ALL) else 0
    if tree[0] == "seq":
        return min(sum(_most(item, bits) for item in tree[1]), _LIMIT + 1)
    if tree[0] == "alt":
        return max(_most(branch, bits) for branch in tree[1])
    each = _most(tree[1], bits)
    if not each:
        return 0
    return _LIMIT + 1 if tree[3] is None else min(each * tree[3], _LIMIT + 1)


def _least(tree: _Tree) -> tuple[tuple[int, int], ...]:
    """The classes worth counting, with the fewest characters of each a match holds: a class of each character
    item and alternation, less those another class at most as wide, with at least as many, makes useless. At most
    :data:`MOST_CLASSES`: those without ASCII letters (rarer in text) first, then the narrowest."""
    classes = sorted(_classes(tree, set()))
    fewest = _fewest(tree, classes)
    counted = [(bits, min(count, _LIMIT)) for bits, count in zip(classes, fewest, strict=True) if count]
    kept = [
        (bits, count)
        for bits, count in counted
        if not any(other & ~bits == 0 and more >= count and (other, more) != (bits, count) for other, more in counted)
    ]
    kept.sort(key=lambda pair: (bool(pair[0] & _LETTER_BITS), bin(pair[0]).count("1"), -pair[1], pair[0]))
    return tuple(kept[:MOST_CLASSES])


def _classes(tree: _Tree, found: set[int]) -> set[int]:
    """The ASCII characters of each character item and each alternation in ``tree`` (added to ``found``)."""
    if isinstance(tree, int):
        found.add(tree)
    elif tree is not None:
        if tree[0] == "alt":
            found.add(_chars_of(tree))
        for inner in tree[1] if tree[0] != "rep" else (tree[1],):
            _classes(inner, found)
    return found


def _fewest(tree: _Tree, classes: list[int]) -> list[int]:
    """For each class (its ASCII characters, and every character beyond ASCII), the fewest characters of it a
    match of ``tree`` must hold."""
    if tree is None:
        return [0] * len(classes)
    if isinstance(tree, int):
        return [0 if tree & ~bits else 1 for bits in classes]  # an item that may match an ASCII character out of it
    if tree[0] == "rep":
        return [count * tree[2] for count in _fewest(tree[1], classes)]
    counts = [_fewest(inner, classes) for inner in tree[1]]
    if tree[0] == "seq":
        return [sum(column) for column in zip(*counts, strict=True)]
    return [min(column) for column in zip(*counts, strict=True)]


def _leaf_ascii(node: Any, flags: int) -> int:
    """The ASCII characters one character item matches (case-insensitively: one of the characters equated with
    them, as ``regex`` matches)."""
    caseless = int(node.case_flags) & _IGNORECASE
    cases = _CASES.get(flags) if caseless else _UNCASED
    if cases is None:
        cases = _CASES[flags] = tuple(tuple(_regex.get_all_cases(flags, code)) for code in range(128))
    if type(node) is _core.Character and node.positive and not node.zerowidth:  # the common case, at once
        return sum(1 << code for code, equated in enumerate(cases) if node.value in equated)
    matches = node.matches
    bits = 0
    for code, equated in enumerate(cases):
        if any(map(matches, equated)):
            bits |= 1 << code
    return bits


_regex: Any = importlib.import_module("regex._regex")
_SEEN: dict[tuple[object, int], int] = {}  # the ASCII characters of each character item met so far
_CASES: dict[int, tuple[tuple[int, ...], ...]] = {}  # per flags, the characters regex equates with each ASCII one
_UNCASED = tuple((code,) for code in range(128))
_IGNORECASE = int(regex.IGNORECASE)
