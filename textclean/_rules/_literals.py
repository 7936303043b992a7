"""Token-level analysis of rule patterns: the exact strings every match starts with, and the words it must contain.

The pattern matcher (:mod:`textclean._matcher`) files alternatives under their exact prefixes
(:func:`literal_starts`) and gates the rest on required words (:func:`required_words`). Every
analysis is conservative: unsupported syntax gives ``None`` (or ``False``), and the caller then
tries the pattern on every line.
"""

from __future__ import annotations

import functools

from textclean._rules._index import _group_end, split_alternatives, strip_skippable

__all__ = ["literal_prefix", "literal_starts", "required_words", "starts_with_non_letter", "tokens"]


class _Unsupported(Exception):
    """Raised inside the token reader for syntax it does not analyse (the caller then gives up)."""


_Token = tuple[str, str, int, "int | None"]  # kind ("lit", "group", "other"), value, min, max


def _class_end(source: str, start: int) -> int:
    """Index just after the character class opening at ``start``."""
    i = start + 1
    if source[i : i + 1] == "^":
        i += 1
    if source[i : i + 1] == "]":
        i += 1
    if source[i : i + 2] == "[:":
        raise _Unsupported
    while i < len(source):
        if source[i] == "\\":
            i += 2
            continue
        if source[i] == "]":
            return i + 1
        i += 1
    raise _Unsupported


def _read_item(source: str, i: int) -> tuple[str, str, int]:
    """One item (before its quantifier): its kind, value and the index after it."""
    ch = source[i]
    if ch == "\\":
        nxt = source[i + 1 : i + 2]
        if not nxt:
            raise _Unsupported
        if not nxt.isalnum():
            return "lit", nxt, i + 2
        if nxt in "wWsSdDbBAZ":
            return "other", source[i : i + 2], i + 2
        if nxt in "pPN" and source[i + 2 : i + 3] == "{":
            return "other", "", source.index("}", i) + 1
        raise _Unsupported
    if ch == "[":
        end = _class_end(source, i)
        return "other", source[i:end], end
    if ch == "(":
        end = _group_end(source, i)
        if source.startswith("(?:", i):
            return "group", source[i + 3 : end - 1], end
        if source.startswith(("(?=", "(?!", "(?<=", "(?<!", "(?#"), i):
            return "other", "", end
        if source.startswith("(?", i):
            raise _Unsupported
        return "group", source[i + 1 : end - 1], end
    if ch in ".^$":
        return "other", "", i + 1
    if ch in "|)*+?{":
        raise _Unsupported
    return "lit", ch, i + 1


def _read_quantifier(source: str, i: int) -> tuple[int, int | None, int]:
    """The quantifier at ``i`` (``1, 1`` when there is none) and the index after it."""
    ch = source[i : i + 1]
    if ch in ("?", "*", "+"):
        low, high, i = {"?": (0, 1), "*": (0, None), "+": (1, None)}[ch] + (i + 1,)
    elif ch == "{":
        end = source.find("}", i)
        body = source[i + 1 : end].split(",")
        if end < 0 or len(body) > 2 or not all(part.isdigit() or part == "" for part in body):
            raise _Unsupported
        low = int(body[0] or 0)
        high = int(body[-1]) if body[-1] else None
        i = end + 1
    else:
        return 1, 1, i
    if source[i : i + 1] in ("?", "+"):
        i += 1
    return low, high, i


def tokens(alternative: str) -> list[_Token]:
    """Read one alternative (no top-level ``|``) into items with their repetition bounds.

    Raises:
        ValueError: the alternative uses syntax this reader does not analyse.

    Examples:
        >>> tokens(r"ab?(?:c|d)+")
        [('lit', 'a', 1, 1), ('lit', 'b', 0, 1), ('group', 'c|d', 1, None)]
    """
    return list(_read_tokens(alternative))


@functools.lru_cache(maxsize=8192)
def _read_tokens(alternative: str) -> tuple[_Token, ...]:
    """:func:`tokens`, cached (rule tables are analysed in several ways)."""
    out: list[_Token] = []
    i = 0
    try:
        while i < len(alternative):
            kind, value, i = _read_item(alternative, i)
            low, high, i = _read_quantifier(alternative, i)
            out.append((kind, value, low, high))
    except (_Unsupported, IndexError, ValueError) as error:
        raise ValueError(f"unsupported syntax in {alternative!r}") from error
    return tuple(out)


def literal_prefix(alternative: str) -> str:
    """The exact characters every match of ``alternative`` starts with (after the skippable lead-in).

    Examples:
        >>> literal_prefix(r"\\bshare(?:\\s+this)?")
        'share'
        >>> literal_prefix(r"(?:e-?mail|print)")
        ''
    """
    text = strip_skippable(alternative)
    try:
        items = tokens(text)
    except ValueError:
        return ""
    prefix = ""
    for kind, value, low, high in items:
        if kind != "lit" or low < 1:
            break
        prefix += value
        if high != 1:
            break
    return prefix


def required_words(source: str) -> frozenset[str] | None:
    """Lowercase strings one of which every match of ``source`` contains, or ``None`` when unknown.

    Unlike :func:`required_literals` this looks inside required groups and reads escaped
    punctuation as literal.

    Examples:
        >>> sorted(required_words(r"[\\w\\s]{1,40}\\s+(?:says|wrote)\\s*:?"))
        ['says', 'wrote']
        >>> sorted(required_words(r"\\(c\\)\\s*\\d{4}"))
        ['(c)']
        >>> required_words(r"\\d{1,2}\\s\\d{2}") is None
        True
    """
    words: set[str] = set()
    for alternative in split_alternatives(source):
        try:
            found = _best_required(tokens(alternative))
        except ValueError:
            return None
        if found is None:
            return None
        words |= found
    return frozenset(words)


def _best_required(items: list[_Token]) -> frozenset[str] | None:
    """The most selective required set among an alternative's literal runs and required groups."""
    candidates: list[frozenset[str]] = []
    run = ""
    for kind, value, low, high in items:
        if kind == "lit" and low >= 1:
            run += value
            if high == 1:
                continue
        if run:
            candidates.append(frozenset({run}))
            run = ""
        if kind == "group" and low >= 1:
            inner = required_words(value)
            if inner is not None:
                candidates.append(inner)
        listed = _class_chars(value) if kind == "other" and low >= 1 else None
        if listed is not None:
            candidates.append(listed)
    if run:
        candidates.append(frozenset({run}))
    lowered = [frozenset(w.lower() for w in c) for c in candidates if all(len(w.lower()) == len(w) for w in c)]
    if not lowered:
        return None
    return max(lowered, key=lambda c: (min(len(w) for w in c), -len(c)))


def literal_starts(alternative: str, size: int = 4, limit: int = 256) -> frozenset[str] | None:
    """Exact strings (at most ``size`` characters) one of which every match of ``alternative`` starts with.

    Groups of alternatives and optional items are expanded; ``None`` when the set would exceed
    ``limit`` strings or the syntax is not analysed. The skippable lead-in is ignored, as in
    :func:`first_prefixes`.

    Examples:
        >>> sorted(literal_starts(r"(?:e-?mail|print)(?: this)?"))
        ['e-ma', 'emai', 'prin']
        >>> sorted(literal_starts(r"\\d+ votes"))
        ['']
    """
    text = strip_skippable(alternative)
    try:
        found = _starts(text, size, limit)
    except ValueError:
        return None
    return None if found is None else frozenset(s for s, _ in found)


def _starts(source: str, size: int, limit: int) -> set[tuple[str, bool]] | None:
    """Prefix strings of an alternation, each flagged open when its alternative was wholly literal."""
    result: set[tuple[str, bool]] = set()
    for alternative in split_alternatives(source):
        partial: set[tuple[str, bool]] = {("", True)}
        for kind, value, low, high in tokens(alternative):
            if not any(is_open and len(s) < size for s, is_open in partial):
                break
            if kind == "lit":
                inner: set[tuple[str, bool]] | None = {(value, True)}
            elif kind == "group":
                inner = _starts(value, size, limit)
            else:
                inner = {("", False)}
            if inner is None:
                return None
            step: set[tuple[str, bool]] = set()
            for s, is_open in partial:
                if not is_open or len(s) >= size:
                    step.add((s[:size], False))
                    continue
                if low == 0:
                    step.add((s, True))
                for t, t_open in inner:
                    step.add(((s + t)[:size], t_open and high == 1 and len(s + t) < size))
            partial = step
            if len(partial) > limit:
                return None
        result |= partial
        if len(result) > limit:
            return None
    return result


def _class_members(item: str) -> frozenset[str] | None:
    """The characters a class lists one by one, or ``None`` (negated, a range, a class escape such as ``\\d``).

    A ``-`` first or last in the class is a plain character; an escaped character stands for itself.
    """
    if not item.startswith("[") or item.startswith("[^") or len(item) < 3:
        return None
    chars, body, i = set(), item[1:-1], 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            char, i = body[i + 1 : i + 2], i + 1
            if not char or char.isalnum():
                return None
        elif char in "[]" or (char == "-" and 0 < i < len(body) - 1):  # a range (a first or last "-" is plain)
            return None
        chars.add(char)
        i += 1
    return frozenset(chars)


def _class_chars(item: str) -> frozenset[str] | None:
    """The characters of a class listing literal non-alphanumeric characters only (no ranges), or ``None``."""
    chars = _class_members(item)
    if chars is None or any(char.isalnum() or char in "-[]\\" for char in chars):
        return None
    return chars


def starts_with_non_letter(alternative: str) -> bool:
    """Whether every match of ``alternative`` starts with a character that is not an ASCII letter.

    Conservative: ``False`` when unsure.

    Examples:
        >>> starts_with_non_letter(r"\\d{1,2}:\\d{2}"), starts_with_non_letter(r"[«‹<←]\\s*")
        (True, True)
        >>> starts_with_non_letter("next")
        False
    """
    try:
        items = tokens(alternative)
    except ValueError:
        return False
    if not items:
        return False
    kind, value, low, _ = items[0]
    if low < 1:
        return False
    if kind == "lit":
        return not value.isalnum()
    if kind == "group":
        return all(starts_with_non_letter(inner) for inner in split_alternatives(value))
    return value in ("\\d", "\\W", "\\s") or _class_chars(value) is not None
