"""The exact strings a pattern alternative's matches start or end with, for the matcher's probes.

:mod:`textclean._matcher_probe` screens lines with ``str.startswith`` and ``str.endswith``;
this module reads those strings off the patterns (with the token reader of
:mod:`textclean._rules._literals`). Groups of alternatives, optional items and small classes of
plain characters are expanded; any other item ends the string there. Two readings make the
strings longer than a plain literal prefix:

* **single spaces**: a whitespace item (``\\s+``, ``\\s*``, ``\\s``) stands for one space or
  none, so ``share\\s+on\\s+facebook`` gives ``"share on facebook"``. Such strings hold for the
  line with each run of whitespace made one space (``" ".join(line.split())``).
* **letter start**: on a line (or at a place) whose first character is a letter, ways to start
  with a character that is never a letter (a digit, punctuation, ``\\W``) are left out.

Everything is conservative: ``None`` (or a ``""`` among the strings) means "cannot say".
"""

from __future__ import annotations

import unicodedata

from textclean._rules._index import _split, strip_skippable
from textclean._rules._literals import _class_chars, _class_members, _read_tokens

__all__ = ["final_words", "first_chars", "letter_starts"]

_Token = tuple[str, str, int, "int | None"]
_Strings = set[tuple[str, bool]]  # each string, and whether it may still grow (its items were all literal)

_ZERO_WIDTH = frozenset({"\\b", "\\B"})
_NEVER_LETTER_ESCAPES = frozenset({"\\s", "\\W", "\\d", "[\\W\\d_]"})
# General categories whose characters ``regex`` never counts as letters (not \w, or digits): the
# letter-start reading may leave out items made of them. (Connector punctuation and symbols can be \w.)
_NEVER_LETTER_CATEGORIES = frozenset("Nd Pd Ps Pe Pi Pf Po Sm Sc Sk Zs Zl Zp Cc".split())
_LIMIT = 256


def split_alternatives(source: str) -> tuple[str, ...]:
    return _split(source)


def tokens(alternative: str) -> tuple[_Token, ...]:
    return _read_tokens(alternative)


def letter_starts(alternative: str, size: int = 32) -> frozenset[str] | None:
    """Start strings (single spaces) of the matches of ``alternative`` that start with a letter.

    An empty set: no match starts with a letter. The skippable lead-in is ignored, as in
    :func:`~textclean._rules._index.first_prefixes`.

    Examples:
        >>> sorted(letter_starts(r"\\(?(?:\\d+|no)\\s+comments?"))
        ['no comment', 'no comments']
        >>> letter_starts(r"[«<]\\s*\\d+")
        frozenset()
    """
    return _strings(strip_skippable(alternative), size, reverse=False, letter=True)


def final_words(source: str, size: int = 32) -> frozenset[str] | None:
    """The last words (no whitespace) of the matches of a pattern ending in ``$``, before its non-letter tail.

    Every alternative must end with ``$``; the items before it that never match a letter
    (``\\s*``, ``:?``, ``[\\W\\d_]{0,12}``, punctuation) are skipped, and the words are read
    from the items before those, right to left. Each word ends with a letter.

    Examples:
        >>> sorted(final_words(r"(?:[\\w\\s]{1,40}\\s+(?:says|a\\s+dit)\\s*:?)[\\W\\d_]{0,12}$"))
        ['dit', 'says']
        >>> sorted(final_words(r"(?:\\d+\\s+comments?(?:\\s+yet)?\\W*$)"))
        ['comment', 'comments', 'yet']
        >>> final_words(r"foo\\w*$") is None
        True
    """
    found: set[str] = set()
    try:
        for alternative in split_alternatives(source):
            items = _before_tail(tokens(alternative))
            strings = None if items is None else _item_strings(items, size, reverse=True, letter=False)
            if strings is None:
                return None
            found |= {s.rsplit(" ", 1)[-1] for s, _ in strings}
    except ValueError:
        return None
    if not found or len(found) > _LIMIT or not all(s[-1:].isalpha() for s in found):
        return None
    return frozenset(found)


def first_chars(source: str) -> tuple[frozenset[str], bool] | None:
    """The characters every match of ``source`` starts with, and whether a decimal digit may start one.

    ``None`` when unknown (a class such as ``\\W`` or ``.`` may start a match, or it may be empty).

    Examples:
        >>> first_chars(r"\\(?\\d+\\s+votes")
        (frozenset({'('}), True)
        >>> first_chars(r"\\W*next") is None
        True
    """
    chars: set[str] = set()
    digits = False
    try:
        for alternative in split_alternatives(source):
            found = _first_of_items(tokens(alternative))
            if found is None:
                return None
            chars |= found[0]
            digits = digits or found[1]
    except ValueError:
        return None
    return frozenset(chars), digits


def _first_of_items(items: tuple[_Token, ...]) -> tuple[frozenset[str], bool] | None:
    chars: set[str] = set()
    digits = False
    for kind, value, low, _ in items:
        if value in _ZERO_WIDTH:
            continue
        listed = _class_literals(value) if kind == "other" else None
        if kind == "lit":
            found: tuple[frozenset[str], bool] | None = (frozenset({value}), False)
        elif kind == "group":
            found = first_chars(value)
        elif value == "\\d":
            found = (frozenset(), True)
        else:
            found = None if listed is None else (listed, False)
        if found is None:
            return None
        chars |= found[0]
        digits = digits or found[1]
        if low >= 1:
            return frozenset(chars), digits
    return None  # every item is optional: the match may be empty


def _strings(source: str, size: int, *, reverse: bool, letter: bool) -> frozenset[str] | None:
    try:
        found = _alternation_strings(source, size, reverse=reverse, letter=letter)
    except ValueError:
        return None
    return None if found is None else frozenset(s for s, _ in found)


def _alternation_strings(source: str, size: int, *, reverse: bool, letter: bool) -> _Strings | None:
    """The strings of every alternative of ``source``."""
    result: _Strings = set()
    for alternative in split_alternatives(source):
        strings = _item_strings(tokens(alternative), size, reverse=reverse, letter=letter)
        if strings is None:
            return None
        result |= strings
        if len(result) > _LIMIT:
            return None
    return result


def _item_strings(items: tuple[_Token, ...], size: int, *, reverse: bool, letter: bool) -> _Strings | None:
    """The strings of one alternative, read from its items (right to left when ``reverse``)."""
    partial: _Strings = {("", True)}
    chunked = _chunks(items, reverse=reverse)
    for item in reversed(chunked) if reverse else chunked:
        low, high = item[2], item[3]
        if not any(is_open and len(s) < size for s, is_open in partial):
            break
        inner = _one(item, size, reverse=reverse, letter=False)
        first = _one(item, size, reverse=reverse, letter=True) if letter and ("", True) in partial else inner
        if inner is None or first is None:
            return None
        if item[1] == "\\s":
            low, high = min(low, 1), 1  # respaced, a run of whitespace is one space
        step: _Strings = set()
        for s, is_open in partial:
            if not is_open or len(s) >= size:
                step.add((s[-size:] if reverse else s[:size], False))
                continue
            if low == 0:
                step.add((s, True))
            for t, t_open in first if s == "" else inner:
                joined = t + s if reverse else s + t
                step.add((joined[-size:] if reverse else joined[:size], t_open and high == 1 and len(joined) < size))
        if len(step) > _LIMIT:
            return {(s, False) for s, _ in partial}  # too many ways on: the strings stop here
        partial = step
    return partial


def _one(item: _Token, size: int, *, reverse: bool, letter: bool) -> _Strings | None:
    """The strings one occurrence of an item matches (``letter``: only those that can start with a letter)."""
    kind, value, _, _ = item
    if value in _ZERO_WIDTH:
        return {("", True)}
    if kind == "group":
        inner = _alternation_strings(value, size, reverse=reverse, letter=letter)
        return {("", False)} if inner is None else inner
    if letter and _never_letter(item):
        return set()
    if kind == "lit":
        return {(value, True)}
    if value == "\\s":
        return {(" ", True)}
    listed = _class_literals(value)
    if listed is not None:
        return {(ch, True) for ch in listed}
    return {("", False)}


def _chunks(items: tuple[_Token, ...], *, reverse: bool) -> tuple[_Token, ...]:
    """``items`` with repetitions spelt out, and each run of plain characters made one literal item.

    An item repeated ``{n,m}`` (n >= 2) becomes n copies (at most three), and, if more may
    follow, an item that ends the strings (after the copies; before them when read backwards).
    """
    out: list[_Token] = []
    for kind, value, low, high in items:
        if low >= 2 and value != "\\s":
            copies = min(low, 3)
            spelt: list[_Token] = [(kind, value, 1, 1)] * copies
            if high != copies:
                spelt.insert(0 if reverse else copies, ("other", "", 1, 1))
        else:
            spelt = [(kind, value, low, high)]
        for item in spelt:
            if item[0] == "lit" and item[2:] == (1, 1) and out and out[-1][0] == "lit" and out[-1][2:] == (1, 1):
                out[-1] = ("lit", out[-1][1] + item[1], 1, 1)
            else:
                out.append(item)
    return tuple(out)


def _never_letter(item: _Token) -> bool:
    """Whether an item (not a group) only matches characters ``regex`` never counts as letters (at its start)."""
    kind, value, _, _ = item
    if kind == "lit":
        return _never_letter_char(value[0])
    chars = _class_chars(value)
    return value in _NEVER_LETTER_ESCAPES or (chars is not None and all(map(_never_letter_char, chars)))


def _never_letter_char(char: str) -> bool:
    return (char == "_" or unicodedata.category(char) in _NEVER_LETTER_CATEGORIES) and _caseless_non_alpha(char)


def _before_tail(items: tuple[_Token, ...]) -> tuple[_Token, ...] | None:
    """The items before a final ``$`` and the items just before it that never match a letter."""
    items = _open_last_group(items)
    if not items or items[-1] != ("other", "", 1, 1):  # "$" here (also "^" or ".": rejected below)
        return None
    items = items[:-1]
    while items and _never_alpha(items[-1]):
        items = _open_last_group(items[:-1])
    if not items or (items[-1][0] == "other" and items[-1][1] == ""):
        return None  # "^", "." or a lookaround: nothing to read
    return items


def _open_last_group(items: tuple[_Token, ...]) -> tuple[_Token, ...]:
    """Replace a final once-only group with a single alternative by its own items."""
    while items and items[-1][0] == "group" and items[-1][2:] == (1, 1):
        inner = split_alternatives(items[-1][1])
        if len(inner) != 1:
            break
        items = items[:-1] + tokens(inner[0])
    return items


def _never_alpha(item: _Token) -> bool:
    """Whether an item only matches characters that are not letters (``str.isalpha``), or nothing."""
    kind, value, _, _ = item
    if kind == "lit":
        return _caseless_non_alpha(value)
    if kind == "group":
        return all(all(map(_never_alpha, tokens(a))) for a in split_alternatives(value))
    if value in _NEVER_LETTER_ESCAPES or value in _ZERO_WIDTH:
        return True
    chars = _class_chars(value)
    return chars is not None and all(map(_caseless_non_alpha, chars))


def _caseless_non_alpha(char: str) -> bool:
    """Not a letter, and without case (so a case-insensitive pattern matches nothing else with it)."""
    return not char.isalpha() and char.lower() == char.upper() == char


def _class_literals(item: str, most: int = 8) -> frozenset[str] | None:
    """The characters of a small class listing plain characters (no ranges, negation or class escapes)."""
    chars = _class_members(item)
    return chars if chars is not None and 0 < len(chars) <= most else None
