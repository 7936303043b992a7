"""One alternative of a pattern rule, as the matcher tries it: its regex (compiled on first use) and its probes.

:class:`~textclean._matcher.Matcher` splits every pattern into its alternatives
(:func:`~textclean._rules._index.anchored_parts`): a phrase alternative after the optional
leading punctuation is *filed* (matched case-sensitively on the lowered line, at the end of its
leading punctuation); any other alternative is *anchored* at the line's start or *floating*
(searched anywhere), case-insensitively. Each gets the probes its shape allows
(:mod:`textclean._matcher_probe`, read off the pattern by :mod:`textclean._matcher_affixes`).

The slow path of a verdict (the first match belonged to a rule for shorter lines, so every rule
is searched again in table order) is here as well: :func:`search_rule`.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from textclean._matcher_affixes import final_words, first_chars, letter_starts
from textclean._matcher_probe import MAX_LEAD, PREFIX, Probe, ends_match, first_match, fold_case_twins, respaced
from textclean._patterns import Source, compile_pattern, compiled_already
from textclean._rule import Rule
from textclean._rules._build import ANCHORS
from textclean._rules._index import anchored_parts
from textclean._rules._literals import required_words, starts_with_non_letter

__all__ = [
    "FLAGS",
    "HEAD",
    "Entry",
    "Gates",
    "anchored_entry",
    "filed_entry",
    "floating_entry",
    "pattern_gates",
    "rule_sources",
]

FLAGS = regex.IGNORECASE | regex.V0
"""How rule patterns are compiled (filed alternatives run on the lowered line without ``IGNORECASE``)."""

HEAD = ANCHORS["start"][0][: -len("(?:")]
"""The optional leading punctuation phrase rules allow (``^[\\W\\d_]{0,8}``)."""

Gates = tuple["frozenset[str] | None", ...]
"""Per pattern of a rule, words one of which each match contains (see :func:`pattern_gates`)."""

_INLINE_FLAGS = regex.compile(r"\(\?[a-zA-Z]+\)")  # a global inline flag such as (?s)


@dataclass(frozen=True)
class Entry:
    """One alternative: its rule (index into ``Matcher.rules``), source, flags and probes.

    Attributes:
        probe: its probes (:class:`~textclean._matcher_probe.Probe`, read with single spaces).
    """

    rule: int
    source: str
    flags: int
    probe: Probe

    def compiled(self) -> regex.Pattern[str]:
        return compile_pattern(self.source, self.flags)

    def may_match(self, folded: str, letter: bool, start: int) -> bool:
        """Whether its probes let this anchored or floating alternative try a folded, lowered line.

        ``letter``: the line starts with a letter; ``start``: the length of its leading punctuation.
        """
        probe = self.probe
        if letter and probe.letter_starts is not None and not respaced(folded).startswith(probe.letter_starts):
            return False
        if probe.ends is not None and not ends_match(folded, probe.ends):
            return False
        head = folded[: min(start, MAX_LEAD) + 1]
        if not letter and probe.firsts is not None and not first_match(head, probe.firsts, probe.digits):
            return False
        return probe.words is None or any(word in folded for word in probe.words)


def filed_entry(number: int, alternative: str, tail: str, prefixes: frozenset[str]) -> Entry:
    """A phrase alternative matched (case-sensitively, on the lowered line) after the leading punctuation.

    ``prefixes``: the letters it is filed under, its start strings when they cannot be read.
    """
    letter = letter_starts(alternative, PREFIX)
    starts = tuple(sorted(letter if letter is not None and "" not in letter else prefixes))
    return Entry(number, f"(?:{alternative}){tail}", regex.V0, Probe(letter_starts=starts))


def anchored_entry(number: int, head: str, alternative: str, tail: str) -> Entry:
    """An alternative anchored at the line's start (``head`` begins with ``^``), case-insensitive."""
    source = f"{head}(?:{alternative}){tail}"
    ends = final_words(f"(?:{alternative}){tail}", PREFIX)
    if head not in (HEAD, "^"):  # where a match starts is not known
        return Entry(number, source, FLAGS, Probe(ends=_folded(ends), words=_gate(source)))
    letter = frozenset() if starts_with_non_letter(alternative) else letter_starts(alternative, PREFIX)
    found = first_chars(alternative)
    firsts = _folded(found[0]) if found is not None else None
    probe = Probe(
        letter_starts=_folded(letter),
        ends=_folded(ends),
        words=_gate(source),
        firsts=frozenset(firsts) if firsts is not None else None,
        digits=firsts is not None and found is not None and found[1],
    )
    return Entry(number, source, FLAGS, probe)


def floating_entry(number: int, source: str) -> Entry:
    """An alternative searched anywhere in the line, case-insensitive."""
    return Entry(number, source, FLAGS, Probe(words=_gate(source)))


def pattern_gates(rule: Rule) -> Gates:
    """Per pattern of ``rule``, words one of which each of its matches contains (``None``: unknown).

    Empty for a rule with an inline flag such as ``(?s)``, which acts on the whole alternation.
    """
    if any(_INLINE_FLAGS.search(pattern) for pattern in rule.patterns):
        return ()
    gates: list[frozenset[str] | None] = []
    for pattern in rule.patterns:
        found: set[str] | None = set()
        for alternative in anchored_parts(pattern)[1]:
            words = _gate(alternative)
            found = None if words is None or found is None else found | words
        gates.append(None if found is None else frozenset(found))
    return tuple(gates)


def rule_sources(rule: Rule, gates: Gates) -> list[Source]:
    """The patterns :func:`search_rule` compiles for ``rule``: the alternation of its patterns when it has no gates
    (an inline flag acts on the whole), else each pattern on its own (in the rule's order)."""
    if not gates:
        return [("|".join(f"(?:{p})" for p in rule.patterns), FLAGS)]
    return [(f"(?:{pattern})", FLAGS) for pattern in rule.patterns]


def search_rule(rule: Rule, gates: Gates, line: str, text: str) -> regex.Match[str] | None:
    """The search of the alternation of a rule's patterns in ``line`` (``text``: lowered and folded).

    Each pattern is searched on its own, and only when one of its words is in ``text`` (the
    leftmost match wins, the earlier pattern on a tie, as in the alternation); a rule with an
    inline flag (no ``gates``) is searched as one alternation.
    """
    sources = rule_sources(rule, gates)  # what compile_rules preloaded
    if not gates:
        return compile_pattern(*sources[0]).search(line)
    best: regex.Match[str] | None = None
    for source, gate in zip(sources, gates, strict=True):
        compiled = compiled_already(*source)  # once compiled, a search is cheaper than the words
        if compiled is not None or gate is None or any(word in text for word in gate):
            hit = (compiled or compile_pattern(*source)).search(line)
            if hit is not None and (best is None or hit.start() < best.start()):
                best = hit
    return best


def _folded(strings: frozenset[str] | None) -> tuple[str, ...] | None:
    """Strings as a case-insensitive pattern matches them on a lowered, folded line (``None``: cannot say)."""
    if strings is None or any(len(s.lower()) != len(s) for s in strings):
        return None
    return tuple(sorted({fold_case_twins(s.lower()) for s in strings}))


def _gate(source: str) -> frozenset[str] | None:
    words = required_words(source)
    return frozenset(fold_case_twins(word) for word in words) if words else None
