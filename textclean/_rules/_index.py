"""Cheap gates in front of the pattern rules, derived from the patterns themselves.

Trying hundreds of phrase alternatives on every line is slow, so patterns are indexed:

* a pattern anchored at the line's start is filed under the letters its alternatives can start
  with (after the optional leading punctuation); a line only tries the patterns filed under its
  first letter (plus those whose first letter could not be worked out);
* a floating pattern is filed under a literal word that every match must contain; a line only
  tries it when the word occurs in the line.

Both analyses are conservative: when in doubt a pattern is tried on every line. The token-level
analysis (exact prefixes, required words) is in :mod:`textclean._rules._literals`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

__all__ = [
    "anchored_parts",
    "first_letters",
    "first_prefixes",
    "required_literals",
    "split_alternatives",
    "strip_skippable",
    "unwrap",
]

_META = set("\\.^$*+?{}[]()|")


def split_alternatives(source: str) -> list[str]:
    """Split a regex at its top-level ``|`` (ignoring groups, classes and escapes).

    Examples:
        >>> split_alternatives(r"a(?:b|c)|[|]d|e\\|f")
        ['a(?:b|c)', '[|]d', 'e\\\\|f']
    """
    return list(_split(source))


@functools.lru_cache(maxsize=8192)
def _split(source: str) -> tuple[str, ...]:
    """:func:`split_alternatives`, cached (rule tables are analysed in several ways)."""
    parts, start = [], 0
    for i, char, depth in _structure(source):
        if char == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
    parts.append(source[start:])
    return tuple(parts)


def _structure(source: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """Yield ``(index, character, depth)`` for the characters of ``source`` that shape it: group
    parentheses and ``|`` outside character classes and escapes. ``depth`` counts the groups open
    after an opening and before a closing parenthesis is taken into account.
    """
    depth, i, in_class = 0, start, False
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()|":
            depth += char == "("
            yield i, char, depth
            depth -= char == ")"
        i += 1


def _group_end(source: str, start: int) -> int:
    """Index just after the group opening at ``start``."""
    for i, char, depth in _structure(source, start):
        if char == ")" and depth == 1:
            return i + 1
    return len(source)


def _optional_after(source: str, end: int) -> bool:
    return source[end : end + 1] in ("?", "*") or source[end : end + 3] == "{0,"


_SKIPPABLE = ("\\b", "^", "\\(?", "\\W{0,3}", "[\\W\\d_]{0,8}", "\\W*")


def strip_skippable(alternative: str) -> str:
    """Drop the leading pieces of a pattern that match no letter (word boundaries, anchors, punctuation runs).

    Examples:
        >>> strip_skippable(r"^\\W*share")
        'share'
    """
    text = alternative
    while skip := next((s for s in _SKIPPABLE if text.startswith(s)), None):
        text = text[len(skip) :]
    return text


def unwrap(source: str) -> str:
    """Drop a leading ``(?#...)`` comment and one group wrapping the whole pattern.

    Examples:
        >>> unwrap(r"(?#de)(?:a|b)")
        'a|b'
    """
    if source.startswith("(?#"):
        source = source[source.index(")") + 1 :]
    if source.startswith("(?:") and _group_end(source, 0) == len(source):
        return source[3:-1]
    return source


def first_letters(source: str) -> frozenset[str] | None:
    """Lowercase letters every match of ``source`` starts with (after leading punctuation), or ``None``.

    Examples:
        >>> sorted(first_letters(r"(?:share|tweet)(?: this)?"))
        ['s', 't']
        >>> first_letters(r"\\d+ votes") is None
        True
    """
    letters: set[str] = set()
    for alternative in split_alternatives(unwrap(source)):
        found = _first_of(alternative)
        if found is None:
            return None
        letters |= found
    return frozenset(letters)


def _first_of(alternative: str) -> frozenset[str] | None:
    text = strip_skippable(alternative)
    if text.startswith("(?:"):
        end = _group_end(text, 0)
        inner = first_letters(text[:end])
        if not _optional_after(text, end):
            return inner
        rest = _first_of(text[end + 1 :])
        return None if inner is None or rest is None else inner | rest
    if not text or text[0] in _META or not text[0].isalpha() or _optional_after(text, 1):
        return None
    return frozenset({text[0].lower()})


def first_prefixes(alternative: str) -> frozenset[str] | None:
    """The lowercase one- or two-letter prefixes every match of ``alternative`` starts with, or ``None``.

    Two letters when the alternative starts with two plain letters, else its possible first letters.

    Examples:
        >>> sorted(first_prefixes(r"share(?:\\s+this)?"))
        ['sh']
        >>> sorted(first_prefixes(r"(?:e-?mail|print)"))
        ['e', 'p']
    """
    text = strip_skippable(alternative)
    pair = text[:2]
    if len(pair) == 2 and pair.isalpha() and not _optional_after(text, 1) and not _optional_after(text, 2):
        return frozenset({pair.lower()})
    return first_letters(alternative)


def anchored_parts(pattern: str) -> tuple[str, list[str], str]:
    """Split ``head(?:a|b|c)tail`` (the shape phrase rules build) into head, alternatives and tail.

    Examples:
        >>> anchored_parts(r"(?#en)^\\W*(?:a|b)$")
        ('^\\\\W*', ['a', 'b'], '$')
    """
    source = unwrap(pattern)
    start = source.find("(?:")
    head = source[:start]
    if start < 0 or any(ch in head for ch in "()|"):
        return "", [source], ""
    end = _group_end(source, start)
    tail = source[end:]
    if "|" in tail.replace("[|", "").replace("\\|", "") or _optional_after(source, end):
        return "", [source], ""
    return head, split_alternatives(source[start + 3 : end - 1]), tail


def required_literals(source: str, minimum: int = 2) -> frozenset[str] | None:
    """Lowercase words (one per alternative) one of which every match of ``source`` contains, or ``None``.

    Examples:
        >>> sorted(required_literals(r"\\bwe\\s+use\\s+cookies|all\\s+rights\\s+reserved\\b"))
        ['cookies', 'reserved']
        >>> required_literals(r"(?:a|b)c") is None
        True
    """
    words: set[str] = set()
    for alternative in split_alternatives(unwrap(source)):
        word = _longest_required(alternative)
        if word is None or (len(word) < minimum and word.isascii()):
            return None
        words.add(word)
    return frozenset(words)


def _longest_required(alternative: str) -> str | None:
    """The longest run of literal characters at the top level of an alternative, none of them optional."""
    best, run, i = "", "", 0
    while i < len(alternative):
        ch = alternative[i]
        if ch == "\\":
            run, i = "", i + 2
        elif ch == "[":
            run, i = "", alternative.find("]", i + 2) + 1 or len(alternative)
        elif ch == "(":
            run, i = "", _group_end(alternative, i)
        elif ch == "{":
            run, i = "", alternative.find("}", i) + 1 or len(alternative)
        elif ch in _META or _optional_after(alternative, i + 1):
            run, i = "", i + 1
        else:
            run, i = run + ch.lower(), i + 1
        best = max(best, run, key=len)
    return best.strip() or None
