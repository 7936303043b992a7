"""Helpers that turn phrase tables into :class:`~textclean._rule.Rule` records.

Phrase rules are written as one small table per language. Each language's phrases become one
pattern, tagged with the language in an inline regex comment (``(?#de)``), so that
``CleanConfig.languages`` can select patterns without a side table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from textclean._rule import Mode, Rule

__all__ = ["ANCHORS", "Anchor", "language_of", "phrase_rule"]

Anchor = Literal["line", "start", "any"]

ANCHORS: dict[Anchor, tuple[str, str]] = {
    # The whole stripped line is the phrase, give or take punctuation, arrows and counts.
    "line": (r"^[\W\d_]{0,8}(?:", r")[\W\d_]{0,12}$"),
    # The line starts with the phrase.
    "start": (r"^[\W\d_]{0,8}(?:", r")"),
    # The phrase appears anywhere (the rule's max_words keeps it to short lines).
    "any": (r"(?:", r")"),
}


def language_of(pattern: str) -> str:
    """The language tag of a pattern built by :func:`phrase_rule` (``""`` for untagged ones).

    Examples:
        >>> language_of("(?#de)^(?:weiterlesen)$")
        'de'
        >>> language_of("^foo$")
        ''
    """
    if pattern.startswith("(?#") and ")" in pattern:
        return pattern[3 : pattern.index(")")]
    return ""


def _spaced(phrase: str) -> str:
    """Let a literal space in a phrase match a run of whitespace (`` ?``: an optional one)."""
    return phrase.replace(" ?", r"\s*").replace(" ", r"\s+")


def phrase_rule(
    *,
    code: str,
    name: str,
    summary: str,
    why: str,
    phrases: Mapping[str, Sequence[str]],
    anchor: Anchor = "line",
    max_words: int | None = None,
    mode: Mode = "conservative",
    examples: Sequence[str] = (),
    keeps: Sequence[str] = (),
) -> Rule:
    """Build a rule whose patterns are per-language alternations of phrases (regex syntax)."""
    head, tail = ANCHORS[anchor]
    patterns = tuple(
        f"(?#{language}){head}{'|'.join(_spaced(a) for a in alternatives)}{tail}"
        for language, alternatives in phrases.items()
    )
    languages = frozenset(language for language in phrases if language != "*")
    return Rule(
        code=code,
        name=name,
        summary=summary,
        why=why,
        patterns=patterns,
        max_words=max_words,
        mode=mode,
        languages=languages,
        examples=tuple(examples),
        keeps=tuple(keeps),
    )
