"""The rule record: what a boilerplate rule is, as data.

A rule has a stable code (never reused: ``B0xx`` line rules, ``B5xx`` context rules,
``B9xx`` document rules, ``D0xx`` paragraph dedup, ``D1xx`` document dedup, ``T0xx`` site
templates, ``U***`` user rules), a kebab-case name, and a fixed doc (summary, why, examples).
Pattern rules carry their regular expressions here; structural rules (menus, position
bands, duplicates) are implemented in code and carry only their doc.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["KEEP", "MODES", "Mode", "Rule", "Verdict"]

Mode = Literal["conservative", "balanced", "aggressive"]
MODES: tuple[Mode, ...] = ("conservative", "balanced", "aggressive")


@dataclass(frozen=True)
class Rule:
    """One boilerplate rule.

    Attributes:
        code: stable reason code, e.g. ``"B012"``; never reused for another rule.
        name: stable kebab-case name, e.g. ``"rss-footer"``.
        summary: one line: what the rule removes.
        why: why such lines are chrome and not content.
        patterns: regular expressions (``regex`` module syntax, case-insensitive) searched in
            the stripped line; empty for rules implemented in code.
        max_words: the rule only fires on lines with at most this many words (``None``: any).
        mode: the least aggressive mode in which the rule is on (``"conservative"`` rules are on
            in every mode, ``"aggressive"`` ones only in aggressive mode).
        languages: ISO 639-1 codes the rule's phrases are written in (empty: any language).
        examples: lines the rule removes (tested).
        keeps: lines that look alike but the rule must keep (tested).
    """

    code: str
    name: str
    summary: str
    why: str
    patterns: tuple[str, ...] = ()
    max_words: int | None = None
    mode: Mode = "conservative"
    languages: frozenset[str] = field(default_factory=frozenset)
    examples: tuple[str, ...] = ()
    keeps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """What the classifier decided about one line.

    Attributes:
        keep: ``True`` for content.
        code: the reason code of the rule that removed the line (``None`` when kept).
        rule: that rule's kebab name (``None`` when kept).
        evidence: a short human-readable reason: the phrase matched, the run length, the twin line...
    """

    keep: bool
    code: str | None = None
    rule: str | None = None
    evidence: str = ""


KEEP = Verdict(keep=True)
