"""The pattern-rule matcher: every phrase alternative behind a cheap gate, compiled on first use.

Most lines match no rule, so a line should cost a dictionary lookup, not a regex search:

* an alternative of an anchored phrase rule is filed under the exact characters it starts
  with (up to :data:`_KEY` of them, after the line's leading punctuation); a line tries only
  the alternatives filed under a prefix of its own first characters, and the list for each
  4-character key is worked out once and cached;
* every other alternative (anchored elsewhere, or floating) carries the words one of which
  any match must contain (:func:`~textclean._rules._literals.required_words`); the words are
  first looked up in the whole document, then in the line. Alternatives without such words
  are tried only on lines that do not start with a letter when every match must start with a
  digit or punctuation, else on every line.

Matching is the order-preserving equivalent of one big alternation per family: the verdict is
the first rule (in table order) whose alternative matches, exactly as before the gates.
Patterns are compiled the first time a line needs them, so building a matcher is cheap.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import regex

from textclean._rule import Rule, Verdict
from textclean._rules._build import ANCHORS, language_of
from textclean._rules._index import anchored_parts, first_prefixes, required_literals
from textclean._rules._literals import literal_starts, required_words, starts_with_non_letter

__all__ = ["MAX_PATTERN_CHARS", "Matcher", "fold_case_twins"]

MAX_PATTERN_CHARS = 600
"""Pattern rules only look at lines up to this long (so no pattern ever runs on a huge line)."""

_FLAGS = regex.IGNORECASE | regex.V0
_LEADING = regex.compile(r"[\W\d_]*")
_HEAD = ANCHORS["start"][0][: -len("(?:")]  # the optional leading punctuation phrase rules allow
_MAX_LEAD = 8
_KEY = 4
_CACHE_LIMIT = 200_000

# Lowercase characters that case-insensitive matching (``regex``, simple folding) equates with
# another lowercase character. Gate words are compared after mapping each class to its first member.
_CASE_CLASSES = (
    "s\u017f \xb5\u03bc \u0345\u03b9\u1fbe \u0390\u1fd3 \u03b0\u1fe3 \u03b2\u03d0 \u03b5\u03f5 \u03b8\u03d1 "
    "\u03ba\u03f0 \u03c0\u03d6 \u03c1\u03f1 \u03c2\u03c3 \u03c6\u03d5 \u0432\u1c80 \u0434\u1c81 \u043e\u1c82 "
    "\u0441\u1c83 \u0442\u1c84\u1c85 \u044a\u1c86 \u0463\u1c87 \u1c88\ua64b \u1e61\u1e9b \ufb05\ufb06"
)
_FOLD = {ord(ch): group[0] for group in _CASE_CLASSES.split() for ch in group[1:]}
_TWINS = frozenset(chr(code) for code in _FOLD)


def fold_case_twins(text: str) -> str:
    """Map case twins to one representative (only lines holding a twin pay for it)."""
    if text.isascii() or _TWINS.isdisjoint(text):
        return text
    return text.translate(_FOLD)


_fold = fold_case_twins


@dataclass(frozen=True)
class _Entry:
    """One alternative: its rule (index into ``Matcher.rules``), source, flags and gate."""

    rule: int
    source: str
    flags: int
    words: frozenset[str] | None = None
    non_letter: bool = False  # every match starts with a character that is not an ASCII letter

    def compiled(self) -> regex.Pattern[str]:
        return _compile(self.source, self.flags)


class _Active(NamedTuple):
    """The gate words present in a document, and the alternatives that may match in it."""

    words: tuple[str, ...]
    anchored: tuple[_Entry, ...]
    floating: tuple[_Entry, ...]


_PATTERNS: dict[tuple[str, int], regex.Pattern[str]] = {}


def _compile(source: str, flags: int) -> regex.Pattern[str]:
    pattern = _PATTERNS.get((source, flags))
    if pattern is None:
        pattern = _PATTERNS[(source, flags)] = regex.compile(source, flags)
    return pattern


@dataclass(frozen=True)
class Matcher:
    """Pattern rules compiled behind cheap gates (see the module docstring).

    Attributes:
        rules: the rules with at least one pattern in the selected languages, in table order.
        filed: anchored phrase alternatives by exact prefix (at most ``_KEY`` characters), each
            with its order key.
        anchored: other alternatives anchored at the line's start, in order.
        floating: alternatives searched anywhere in the line, in order.
        floating_gate: the words one of which a line must contain for any floating search.
    """

    rules: tuple[Rule, ...]
    filed: dict[str, tuple[tuple[tuple[int, int, int], _Entry], ...]]
    anchored: tuple[_Entry, ...]
    floating: tuple[_Entry, ...]
    floating_gate: tuple[str, ...] | None
    gate_words: tuple[str, ...]
    max_words: int | None
    _keys: dict[str, tuple[tuple[int, regex.Pattern[str]], ...]] = field(default_factory=dict, compare=False)

    @classmethod
    def build(cls, rules: Sequence[Rule], languages: frozenset[str]) -> Matcher:
        """File every alternative of the rules on in ``languages`` (compiling nothing yet)."""
        kept: list[Rule] = []
        filed: dict[str, list[tuple[tuple[int, int, int], _Entry]]] = {}
        anchored: list[_Entry] = []
        loose: list[_Entry] = []
        literals: set[str] = set()
        ungated = False
        filing = itertools.count()
        for rule in rules:
            patterns = [p for p in rule.patterns if _language_on(language_of(p), languages)]
            if not patterns:
                continue
            kept.append(rule)
            number = len(kept) - 1
            for pattern in patterns:
                head, alternatives, tail = anchored_parts(pattern)
                for alternative in alternatives:
                    prefixes = first_prefixes(alternative) if head == _HEAD else None
                    if prefixes is not None:
                        entry = _Entry(number, f"(?:{alternative}){tail}", regex.V0)
                        starts = literal_starts(alternative, _KEY) or frozenset({""})
                        for prefix in prefixes:
                            order = (number, 1 if len(prefix) == 1 else 0, next(filing))
                            for key in _keys_for(prefix, starts):
                                filed.setdefault(key, []).append((order, entry))
                        continue
                    source = f"{head}(?:{alternative}){tail}"
                    words = required_words(alternative)
                    gate = frozenset(_fold(word) for word in words) if words else None
                    if head.startswith("^"):
                        non_letter = head == _HEAD and starts_with_non_letter(alternative)
                        anchored.append(_Entry(number, source, _FLAGS, gate, non_letter))
                        continue
                    old = required_literals(alternative)
                    ungated = ungated or old is None
                    literals |= old or set()
                    loose.append(_Entry(number, source, _FLAGS, gate))
        anchored.sort(key=lambda entry: entry.rule)  # stable: alternation order is (rule, filing)
        loose.sort(key=lambda entry: entry.rule)
        words_used = {w for entry in (*anchored, *loose) for w in entry.words or ()}
        return cls(
            rules=tuple(kept),
            filed={key: tuple(entries) for key, entries in filed.items()},
            anchored=tuple(anchored),
            floating=tuple(loose),
            floating_gate=None if ungated else tuple(sorted(literals)),
            gate_words=tuple(sorted(words_used)),
            max_words=_largest_cap(kept),
        )

    def match_lines(self, lines: Sequence[str], words: Sequence[int]) -> list[Verdict | None]:
        """:meth:`match` for each of a document's stripped lines (gate words looked up once per document)."""
        limit = self.max_words
        lowers = [
            line.lower() if len(line) <= MAX_PATTERN_CHARS and (limit is None or count <= limit) else ""
            for line, count in zip(lines, words, strict=True)
        ]
        document = _fold("\n".join(lower for lower in lowers if lower))
        present = frozenset(word for word in self.gate_words if word in document)
        gated = _Active(
            tuple(word for word in self.gate_words if word in present),
            tuple(e for e in self.anchored if e.words is None or not present.isdisjoint(e.words)),
            tuple(e for e in self.floating if e.words is None or not present.isdisjoint(e.words)),
        )
        return [
            None if not lower else self._match(line, lower, count, gated)
            for line, lower, count in zip(lines, lowers, words, strict=True)
        ]

    def match(self, line: str, words: int) -> Verdict | None:
        """The verdict of the first rule matching ``line`` (stripped), or ``None``."""
        return self.match_lines([line], [words])[0]

    def _match(self, line: str, lower: str, words: int, gated: _Active) -> Verdict | None:
        found = self._first_hit(lower, gated)
        if found is None:
            return None
        number, hit = found
        rule = self.rules[number]
        if rule.max_words is None or words <= rule.max_words:
            return _removed(rule, line[hit.start() : hit.end()])
        return self._slow_match(line, words)

    def _first_hit(self, lower: str, gated: _Active) -> tuple[int, regex.Match[str]] | None:
        letter = "a" <= lower[:1] <= "z"
        start = 0 if letter else _LEADING.match(lower).end()  # type: ignore[union-attr]
        if start <= _MAX_LEAD:
            for number, pattern in self._candidates(lower[start : start + _KEY]):
                hit = pattern.match(lower, start)
                if hit is not None:
                    return number, hit
        folded = _fold(lower)
        words = frozenset(word for word in gated.words if word in folded) if gated.words else frozenset()
        if words or not letter:
            for entry in gated.anchored:
                if (entry.words is None or not words.isdisjoint(entry.words)) and not (letter and entry.non_letter):
                    hit = entry.compiled().match(lower)
                    if hit is not None:
                        return entry.rule, hit
        if not gated.floating:
            return None
        if self.floating_gate is not None and not any(word in lower for word in self.floating_gate):
            return None
        return _search_floating(lower, words, gated.floating)

    def _candidates(self, key: str) -> tuple[tuple[int, regex.Pattern[str]], ...]:
        """The filed alternatives a line starting with ``key`` may match, in alternation order."""
        found = self._keys.get(key)
        if found is None:
            entries = [item for j in range(1, len(key) + 1) for item in self.filed.get(key[:j], ())]
            entries.sort(key=lambda item: item[0])
            found = tuple((entry.rule, entry.compiled()) for _, entry in entries)
            if len(self._keys) < _CACHE_LIMIT:
                self._keys[key] = found
        return found

    def _slow_match(self, line: str, words: int) -> Verdict | None:
        """Try each rule in turn (when the first match belonged to a rule for shorter lines)."""
        for rule in self.rules:
            if rule.max_words is None or words <= rule.max_words:
                hit = _compile("|".join(f"(?:{p})" for p in rule.patterns), _FLAGS).search(line)
                if hit is not None:
                    return _removed(rule, hit.group(0))
        return None


def _search_floating(
    lower: str, words: frozenset[str], entries: Sequence[_Entry]
) -> tuple[int, regex.Match[str]] | None:
    """The leftmost floating match (earliest rule first among matches at the same place)."""
    best: tuple[int, regex.Match[str]] | None = None
    for entry in entries:
        if entry.words is not None and words.isdisjoint(entry.words):
            continue
        hit = entry.compiled().search(lower)
        if hit is not None and (best is None or hit.start() < best[1].start()):
            best = entry.rule, hit
    return best


def _keys_for(prefix: str, starts: frozenset[str]) -> set[str]:
    """Filing keys of an alternative filed under ``prefix`` whose matches start with one of ``starts``."""
    keys = set()
    for start in starts:
        if start.startswith(prefix):
            keys.add(start)
        elif prefix.startswith(start):
            keys.add(prefix)
    return keys


def _largest_cap(rules: Sequence[Rule]) -> int | None:
    """The largest ``max_words`` of the rules (``None`` when one of them has no cap)."""
    if any(rule.max_words is None for rule in rules):
        return None
    return max((rule.max_words or 0 for rule in rules), default=0)


def _language_on(language: str, languages: frozenset[str]) -> bool:
    return not languages or language in ("", "*") or language in languages


def _removed(rule: Rule, phrase: str) -> Verdict:
    return Verdict(keep=False, code=rule.code, rule=rule.name, evidence=f"matched {phrase.strip()[:80]!r}")
