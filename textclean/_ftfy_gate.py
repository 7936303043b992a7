"""Which text can ftfy's mojibake detector flag? Pre-filters derived from ftfy itself.

ftfy's ``is_bad`` searches ``BADNESS_RE``, a large alternation of short character sequences,
which is slow on long text. We parse that pattern once at import and derive three things:

- the *clues*: characters of which every match contains one (one mandatory element per
  alternative, preferring characters rare in clean text);
- each clue's *context*: the characters that can stand just before it, or just after it, in a
  match (from the element beside the chosen one), so a clue between other characters is ruled
  out without running the pattern;
- the widest match, so the pattern only runs in a short window around each remaining clue.

:func:`looks_bad` combines them and answers exactly what ``is_bad`` answers. If the installed
ftfy's pattern has an unexpected shape, the clues are "every character", no context rules
anything out and the window is the whole text: slower, still correct. Both the soundness of
the clues and ``looks_bad == is_bad`` are property-tested in ``tests/test_normalize.py``.
"""

from __future__ import annotations

import importlib
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from ftfy.badness import BADNESS_RE, is_bad

__all__ = ["ClueContext", "clue_contexts", "looks_bad", "mojibake_clues"]

# The standard library's regex parser, used once to analyse ftfy's pattern (private modules).
_NEW_SRE = sys.version_info >= (3, 11)
_sre: Any = importlib.import_module("re._constants" if _NEW_SRE else "sre_constants")
_sre_parser: Any = importlib.import_module("re._parser" if _NEW_SRE else "sre_parse")

_Element = tuple[Any, Any]  # one (opcode, argument) pair of a parsed pattern
_EVERY_CHARACTER = "\x00-\U0010ffff"
_MAX_WINDOW = 64  # wider matches than this: search the whole text instead of windows


class ClueContext(NamedTuple):
    """The characters that can stand beside one clue in a match of ftfy's ``BADNESS_RE``.

    A clue at ``text[i]`` can be part of a match only if ``text[i - 1]`` is in ``before`` or
    ``text[i + 1]`` is in ``after``.

    Attributes:
        before: characters allowed just before the clue.
        after: characters allowed just after the clue.
    """

    before: frozenset[str]
    after: frozenset[str]


class _Analysis(NamedTuple):
    clues: str  # the body of a character class
    contexts: dict[str, ClueContext]  # a clue missing here can be anywhere in a match
    width: int | None  # the widest match, or None if windows are not safe


def _char_class(chars: Iterable[str]) -> str:
    return "".join(re.escape(char) for char in sorted(set(chars)))


def mojibake_clues() -> str:
    """Characters of which every match of ftfy's ``BADNESS_RE`` must contain one.

    Each alternative of the pattern has mandatory one-character elements; we pick one per
    alternative, preferring sets of characters rare in clean text, and return the union.
    If a text holds none of them, ``is_bad`` is False. Derived from the installed ftfy;
    anything unexpected returns every character (no pre-filter, still correct).

    Returns:
        The body of a regular-expression character class.

    Example:
        >>> re.search(f"[{mojibake_clues()}]", "caf\u00c3\u00a9") is not None
        True
    """
    return _ANALYSIS.clues


def clue_contexts() -> Mapping[str, ClueContext]:
    """Each clue's context (see :class:`ClueContext`); a clue not listed can be anywhere.

    Returns:
        A read-only mapping from clue characters to their contexts.

    Example:
        >>> context = clue_contexts()["“"]  # ftfy flags it after an accented letter, …
        >>> " " in context.before, "A" in context.after  # … not in “Quoted” English
        (False, False)
    """
    return _CONTEXTS


def looks_bad(text: str) -> bool:
    """Exactly ``ftfy.badness.is_bad(text)``, much faster on long clean text.

    ftfy's pattern only runs in a window as wide as its widest match around each clue whose
    neighbours fit its context.

    Args:
        text: any text.

    Returns:
        True if ftfy would consider ``text`` to contain mojibake.

    Example:
        >>> looks_bad("caf\\u00c3\\u00a9"), looks_bad("«café»")
        (True, False)
    """
    width = _ANALYSIS.width
    if width is None:
        return _CLUE_RE.search(text) is not None and is_bad(text)
    contexts, search = _ANALYSIS.contexts, BADNESS_RE.search
    for match in _CLUE_RE.finditer(text):
        position = match.start()
        context = contexts.get(match.group())
        if (
            context is None
            or text[position - 1 : position] in context.before
            or text[position + 1 : position + 2] in context.after
        ) and search(text, max(position - width + 1, 0), position + width) is not None:
            return True
    return False


def _analyse() -> _Analysis:
    try:
        tree = _sre_parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
        assert not BADNESS_RE.flags & re.IGNORECASE
        (branch, (_, alternatives)), *rest = tree
        assert branch is _sre.BRANCH and not rest
        options = [[(k, s) for k, (op, av) in enumerate(alt) if (s := _literal_set(op, av))] for alt in alternatives]
        assert all(options)
    except (AssertionError, ValueError, TypeError, AttributeError):
        return _Analysis(_EVERY_CHARACTER, {}, None)
    chosen = _choose(options)
    clues = set().union(*(options[i][k][1] for i, k in enumerate(chosen)))
    contexts = _contexts(alternatives, [options[i][k] for i, k in enumerate(chosen)])
    high = tree.getwidth()[1]
    width = high if high <= _MAX_WINDOW and _window_safe(tree) else None
    return _Analysis(_char_class(map(chr, clues)), contexts, width)


def _choose(options: list[list[tuple[int, frozenset[int]]]]) -> list[int]:
    """For each alternative, the option whose characters are rarest in clean text."""

    def cheapest(index: int, others: set[int]) -> int:
        costs = [sum(_cost(c) for c in chars - others) for _, chars in options[index]]
        return costs.index(min(costs))

    chosen = [cheapest(index, set()) for index in range(len(options))]
    for _ in range(3):  # re-choose each given the others, to share characters
        for index in range(len(options)):
            others = set().union(*(options[i][k][1] for i, k in enumerate(chosen) if i != index))
            chosen[index] = cheapest(index, others)
    return chosen


def _contexts(alternatives: list[list[_Element]], chosen: list[tuple[int, frozenset[int]]]) -> dict[str, ClueContext]:
    """For each clue, the union over its alternatives of one neighbour set each (the rarer side)."""
    before: dict[int, set[int]] = {}
    after: dict[int, set[int]] = {}
    anywhere: set[int] = set()
    for alternative, (k, clues) in zip(alternatives, chosen, strict=True):
        left = _char_set(*alternative[k - 1]) if k > 0 else None
        right = _char_set(*alternative[k + 1]) if k + 1 < len(alternative) else None
        sides = [(_rarity(chars), index, chars) for index, chars in enumerate((left, right)) if chars is not None]
        if not sides:
            anywhere |= clues
            continue
        _, index, neighbours = min(sides)
        for clue in clues:
            (before, after)[index].setdefault(clue, set()).update(neighbours)
    return {
        chr(clue): ClueContext(frozenset(map(chr, before.get(clue, ()))), frozenset(map(chr, after.get(clue, ()))))
        for clue in (before.keys() | after.keys()) - anywhere
    }


def _window_safe(tree: Any) -> bool:
    """True if no match depends on text outside it: no lookaround, no anchor but ``^``."""
    allowed = {_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.ANY}
    for op, av in tree:
        if op in allowed or (op is _sre.AT and av is _sre.AT_BEGINNING):
            continue
        if op is _sre.BRANCH:
            if not all(_window_safe(alternative) for alternative in av[1]):
                return False
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            if not _window_safe(av[2]):
                return False
        elif op is _sre.SUBPATTERN:
            if not _window_safe(av[-1]):
                return False
        else:
            return False
    return True


def _char_set(op: Any, av: Any) -> frozenset[int] | None:
    """The characters one parsed element matches, or None if it is not a plain set of one character."""
    if op is _sre.LITERAL:
        return frozenset((av,))
    if op is not _sre.IN:
        return None
    chars: set[int] = set()
    for kind, value in av:
        if kind is _sre.LITERAL:
            chars.add(value)
        elif kind is _sre.RANGE:
            chars.update(range(value[0], value[1] + 1))
        else:  # NEGATE, CATEGORY, …
            return None
    return frozenset(chars)


def _literal_set(op: Any, av: Any) -> frozenset[int]:
    """The non-ASCII characters one parsed element matches, or empty if not a plain non-ASCII set."""
    chars = _char_set(op, av)
    return chars if chars and min(chars) >= 0x80 else frozenset()


def _cost(char: int) -> int:
    """How common a character is in clean text (lowercase Latin/Cyrillic, quotes: very)."""
    category = unicodedata.category(chr(char))
    if (category == "Ll" and char < 0x530 and char != 0xB5) or chr(char) in "“”‘’«»–—…":
        return 100
    return 10 if category.startswith("L") else 1


def _rarity(chars: frozenset[int]) -> int:
    """How often some character of ``chars`` stands beside a clue in clean text (ASCII: very)."""
    return sum(1000 if char < 0x80 else _cost(char) for char in chars)


def _packed() -> tuple[str, dict[str, tuple[str, str]], int | None]:
    """:func:`_analyse` as plain strings (what the rule cache stores: read back in a third of the time)."""
    clues, contexts, width = _analyse()
    return clues, {clue: ("".join(sorted(c.before)), "".join(sorted(c.after))) for clue, c in contexts.items()}, width


def _cached_analysis() -> _Analysis:
    """:func:`_analyse` of the installed ftfy's pattern (some 13 ms), read from the rule cache
    (:mod:`textclean._rule_cache`) where an earlier process stored it."""
    from textclean._rule_cache import load_or_build

    inputs = [BADNESS_RE.pattern, int(BADNESS_RE.flags), _MAX_WINDOW]
    packed = load_or_build("ftfy-gate", inputs, _packed, tuple)
    try:
        clues, contexts, width = packed
        sets: dict[str, frozenset[str]] = {}  # one set per distinct string: 348 sets, some 25 different ones
        unpacked = {
            clue: ClueContext(_shared(sets, before), _shared(sets, after)) for clue, (before, after) in contexts.items()
        }
        if isinstance(clues, str) and (width is None or isinstance(width, int)):
            return _Analysis(clues, unpacked, width)
    except (AttributeError, TypeError, ValueError):  # an entry of another shape: never trust it
        pass
    return _analyse()


def _shared(sets: dict[str, frozenset[str]], chars: str) -> frozenset[str]:
    """The set of ``chars``, built once per distinct string (``sets`` keeps them)."""
    found = sets.get(chars)
    if found is None:
        found = sets[chars] = frozenset(chars)
    return found


_ANALYSIS = _cached_analysis()
_CONTEXTS: Mapping[str, ClueContext] = _ANALYSIS.contexts
_CLUE_RE = re.compile(f"[{_ANALYSIS.clues}]")
