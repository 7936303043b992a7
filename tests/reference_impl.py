"""Reference implementations for tests/test_classify_fast.py: the straightforward code the fast paths replace.

Kept verbatim from before the speed work (one big alternation per bucket; features by small regexes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import regex

from textclean._matcher import MAX_PATTERN_CHARS
from textclean._rule import Rule, Verdict
from textclean._rules._build import ANCHORS, language_of
from textclean._rules._index import anchored_parts, first_prefixes, required_literals

_FLAGS = regex.IGNORECASE | regex.V0

_LEADING = regex.compile(r"[\W\d_]*")
_HEAD = ANCHORS["start"][0][: -len("(?:")]  # the optional leading punctuation phrase rules allow
_MAX_LEAD = 8


@dataclass(frozen=True)
class ReferenceMatcher:
    """Pattern rules compiled behind cheap gates (see :mod:`textclean._rules._index`).

    Lines are matched lowercased. Alternatives of anchored phrase rules are filed by the first
    one or two letters they can start with (after up to eight leading punctuation characters): a
    line tries only the bucket of its own first letters. Floating patterns run only when the line
    contains one of their required words. Lines longer than :data:`MAX_PATTERN_CHARS` are never
    matched.
    """

    rules: tuple[Rule, ...]
    buckets: dict[str, regex.Pattern[str]]
    fallback: regex.Pattern[str] | None
    gate: tuple[str, ...] | None
    floating: regex.Pattern[str] | None
    singles: tuple[regex.Pattern[str], ...]

    @classmethod
    def build(cls, rules: Sequence[Rule], languages: frozenset[str]) -> ReferenceMatcher:
        kept: list[Rule] = []
        filed: dict[str, list[tuple[int, str]]] = defaultdict(list)
        anchored: list[tuple[int, str]] = []  # tried at the line's start on every line
        loose: list[tuple[int, str]] = []  # searched in lines that contain one of their words
        literals: set[str] = set()
        ungated = False
        for rule in rules:
            patterns = [p for p in rule.patterns if _language_on(language_of(p), languages)]
            if not patterns:
                continue
            kept.append(rule)
            for pattern in patterns:
                head, alternatives, tail = anchored_parts(pattern)
                for alternative in alternatives:
                    prefixes = first_prefixes(alternative) if head == _HEAD else None
                    if prefixes is not None:
                        for prefix in prefixes:
                            filed[prefix].append((len(kept) - 1, f"(?:{alternative}){tail}"))
                        continue
                    source = f"{head}(?:{alternative}){tail}"
                    if head.startswith("^"):
                        anchored.append((len(kept) - 1, source))
                        continue
                    words = required_literals(alternative)
                    ungated = ungated or words is None
                    literals |= words or set()
                    loose.append((len(kept) - 1, source))
        return cls(
            rules=tuple(kept),
            buckets=_buckets(filed),
            fallback=_alternation(anchored, _FLAGS) if anchored else None,
            gate=None if ungated else tuple(sorted(literals)),
            floating=_alternation(loose, _FLAGS) if loose else None,
            singles=tuple(regex.compile("|".join(f"(?:{p})" for p in r.patterns), _FLAGS) for r in kept),
        )

    def match(self, line: str, words: int) -> Verdict | None:
        """The verdict of the first rule matching ``line`` (stripped), or ``None``."""
        if len(line) > MAX_PATTERN_CHARS:
            return None
        lower = line.lower()
        found = None
        lead = _LEADING.match(lower)
        start = lead.end() if lead else 0
        if start <= _MAX_LEAD:
            bucket = self.buckets.get(lower[start : start + 2]) or self.buckets.get(lower[start : start + 1])
            found = bucket.match(lower, start) if bucket is not None else None
        if found is None and self.fallback is not None:
            found = self.fallback.match(lower)
        if found is None and self.floating is not None and (
            self.gate is None or any(word in lower for word in self.gate)
        ):
            found = self.floating.search(lower)
        if found is None:
            return None
        rule = self.rules[int(str(found.lastgroup)[1:].split("_")[0])]
        if rule.max_words is None or words <= rule.max_words:
            return _removed(rule, line[found.start() : found.end()])
        return self._slow_match(line, words)

    def _slow_match(self, line: str, words: int) -> Verdict | None:
        """Try each rule in turn (when the first match belonged to a rule for shorter lines)."""
        for rule, pattern in zip(self.rules, self.singles, strict=True):
            if rule.max_words is None or words <= rule.max_words:
                hit = pattern.search(line)
                if hit is not None:
                    return _removed(rule, hit.group(0))
        return None


def _buckets(filed: dict[str, list[tuple[int, str]]]) -> dict[str, regex.Pattern[str]]:
    """One alternation per one- or two-letter prefix; a two-letter bucket includes its letter's entries."""
    buckets = {}
    for prefix, entries in filed.items():
        shorter = filed.get(prefix[0], []) if len(prefix) == 2 else []
        buckets[prefix] = _alternation(entries + shorter, regex.V0)
    return buckets


def _alternation(entries: Sequence[tuple[int, str]], flags: int) -> regex.Pattern[str]:
    """One pattern with a named group per entry (``r<rule>_<k>``), in rule order."""
    ordered = sorted(enumerate(entries), key=lambda item: (item[1][0], item[0]))
    return regex.compile("|".join(f"(?P<r{rule}_{k}>{source})" for k, (rule, source) in ordered), flags)





def _language_on(language: str, languages: frozenset[str]) -> bool:
    return not languages or language in ("", "*") or language in languages


def _removed(rule: Rule, phrase: str) -> Verdict:
    return Verdict(keep=False, code=rule.code, rule=rule.name, evidence=f"matched {phrase.strip()[:80]!r}")




def reference_window_mean(values: npt.NDArray[np.float64], radius: int) -> npt.NDArray[np.float64]:
    padded = np.concatenate([np.zeros(radius), values, np.zeros(radius)])
    sums = np.convolve(padded, np.ones(2 * radius + 1), mode="valid")
    counts = np.convolve(
        np.concatenate([np.zeros(radius), np.ones(len(values)), np.zeros(radius)]),
        np.ones(2 * radius + 1),
        mode="valid",
    )
    result: npt.NDArray[np.float64] = sums / np.maximum(counts, 1.0)
    return result


def reference_smooth_features(logits: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The second-pass neighbour features, one Python slice per line."""
    n = len(logits)
    score = 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
    previous = np.concatenate([[0.0], score[:-1]])
    following = np.concatenate([score[1:], [0.0]])
    before_max = np.array([score[max(0, i - 3) : i].max(initial=0.0) for i in range(n)])
    after_max = np.array([score[i + 1 : i + 4].max(initial=0.0) for i in range(n)])
    return np.column_stack(
        [
            np.clip(logits, -10, 10),
            previous,
            following,
            reference_window_mean(score, 2),
            reference_window_mean(score, 5),
            np.minimum(before_max, after_max),
            before_max,
            after_max,
        ]
    ).reshape(n, 8)
