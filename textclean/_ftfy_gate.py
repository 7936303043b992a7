"""Which lines can ftfy's mojibake detector flag? A pre-filter derived from ftfy itself.

ftfy's ``is_bad`` searches ``BADNESS_RE``; every match of that pattern contains at least one
character from a small set we derive here by parsing the pattern once at import. A line
holding none of them cannot be flagged, so the normaliser skips ``is_bad`` for it. If the
installed ftfy's pattern has an unexpected shape, the set is "every character" (no
pre-filter: slower, still correct). Soundness is property-tested in tests/test_normalize.py.
"""

from __future__ import annotations

import importlib
import re
import sys
import unicodedata
from collections.abc import Iterable
from typing import Any

from ftfy.badness import BADNESS_RE

__all__ = ["mojibake_clues"]

# The standard library's regex parser, used once to analyse ftfy's pattern (private modules).
_NEW_SRE = sys.version_info >= (3, 11)
_sre: Any = importlib.import_module("re._constants" if _NEW_SRE else "sre_constants")
_sre_parser: Any = importlib.import_module("re._parser" if _NEW_SRE else "sre_parse")


def _char_class(chars: Iterable[str]) -> str:
    return "".join(re.escape(char) for char in sorted(set(chars)))


def mojibake_clues() -> str:
    """Characters of which every match of ftfy's ``BADNESS_RE`` must contain one.

    Each alternative of the pattern has mandatory one-character elements; we pick one per
    alternative, preferring sets of characters rare in clean text, and return the union.
    If a text holds none of them, ``is_bad`` is False. Derived from the installed ftfy;
    anything unexpected returns every character (no pre-filter, still correct).
    """
    try:
        tree = _sre_parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
        (branch, (_, alternatives)), *rest = tree
        assert branch is _sre.BRANCH and not rest
        options = [[s for op, av in alt if (s := _literal_set(op, av))] for alt in alternatives]
        assert all(options)
    except (AssertionError, ValueError, TypeError, AttributeError):
        return "\x00-\U0010ffff"
    chosen = [min(sets, key=lambda s: sum(map(_cost, s))) for sets in options]
    for _ in range(3):  # re-choose each given the others, to share characters
        for index, sets in enumerate(options):
            others = set().union(*chosen[:index], *chosen[index + 1 :])
            chosen[index] = min(sets, key=lambda s: sum(_cost(c) for c in s - others))
    return _char_class(map(chr, set().union(*chosen)))


def _literal_set(op: Any, av: Any) -> frozenset[int]:
    """The non-ASCII characters one parsed element matches, or empty if not a plain set."""
    if op not in (_sre.LITERAL, _sre.IN):
        return frozenset()
    items = [(op, av)] if op is _sre.LITERAL else av
    chars: set[int] = set()
    for kind, value in items:
        if kind is _sre.LITERAL:
            chars.add(value)
        elif kind is _sre.RANGE:
            chars.update(range(value[0], value[1] + 1))
        else:
            return frozenset()
    return frozenset(chars) if min(chars) >= 0x80 else frozenset()


def _cost(char: int) -> int:
    """How common a character is in clean text (lowercase Latin/Cyrillic, quotes: very)."""
    category = unicodedata.category(chr(char))
    if (category == "Ll" and char < 0x530 and char != 0xB5) or chr(char) in "“”‘’«»–—…":
        return 100
    return 10 if category.startswith("L") else 1


