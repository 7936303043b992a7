"""The line classifier: one verdict per line, from the rule table, the comment detector and the line model.

Order of decisions for each non-blank line:

1. pattern rules (``B0xx``, then the user's ``U*`` rules): the first that matches removes the line;
2. the comment-section detector (``B505``) removes reader comments unless ``keep_comments``;
3. the line model scores what is left; a chrome score is reported under the structure rule that
   describes the line best (``B501`` menu run, ``B502`` separator menu, ``B503`` header band,
   ``B504`` footer band, otherwise ``B510``), with the model's strongest features as evidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import regex

from textclean._config import CleanConfig
from textclean._features import (
    BASE_FEATURES,
    CONTEXT_FEATURES,
    LineModel,
    LineScores,
    document_features,
    load_line_model,
)
from textclean._rule import KEEP, MODES, Rule, Verdict
from textclean._rules import PATTERN_RULES, rule_by_code_or_name
from textclean._rules._build import ANCHORS, language_of
from textclean._rules._index import anchored_parts, first_prefixes, required_literals, unwrap
from textclean._rules.comments import COMMENT_HEADERS, COMMENT_MARKERS

__all__ = [
    "MAX_PATTERN_CHARS",
    "RULESET_VERSION",
    "CompiledRules",
    "classify_lines",
    "compile_rules",
    "rule_pass",
    "score_lines",
]

RULESET_VERSION = "2026.11.1"
"""Bumped whenever a rule or the line model changes what is removed."""

MAX_PATTERN_CHARS = 600
"""Pattern rules only look at lines up to this long (so no pattern ever runs on a huge line)."""

_FLAGS = regex.IGNORECASE | regex.V0
_COMMENT_LOOKAHEAD = 40
_NAMES = {rule.code: rule.name for rule in PATTERN_RULES}


_LEADING = regex.compile(r"[\W\d_]*")
_HEAD = ANCHORS["start"][0][: -len("(?:")]  # the optional leading punctuation phrase rules allow
_MAX_LEAD = 8


@dataclass(frozen=True)
class _Matcher:
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
    def build(cls, rules: Sequence[Rule], languages: frozenset[str]) -> _Matcher:
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


def _is_anchored(pattern: str) -> bool:
    """Whether a pattern (after its language tag) starts with ``^``."""
    return unwrap(pattern).startswith("^")


def _language_on(language: str, languages: frozenset[str]) -> bool:
    return not languages or language in ("", "*") or language in languages


def _removed(rule: Rule, phrase: str) -> Verdict:
    return Verdict(keep=False, code=rule.code, rule=rule.name, evidence=f"matched {phrase.strip()[:80]!r}")


@dataclass(frozen=True)
class CompiledRules:
    """Everything :func:`classify_lines` needs, built once per configuration (immutable, picklable).

    Attributes:
        mode: the precision/recall preset.
        matcher: built-in then user pattern rules, compiled.
        disabled: codes of disabled rules.
        keep_comments: keep reader-comment sections.
        model: the line model (``None`` when ``B510`` is disabled).
        threshold: lines whose content score is below this are chrome.
    """

    mode: str
    matcher: _Matcher
    disabled: frozenset[str]
    keep_comments: bool
    model: LineModel | None
    threshold: float
    comment_headers: regex.Pattern[str]
    comment_markers: regex.Pattern[str]


def compile_rules(config: CleanConfig) -> CompiledRules:
    """Compile the rule table for one configuration.

    Args:
        config: the cleaning configuration (mode, disabled_rules, extra_rules, languages, keep_comments).

    Returns:
        The compiled rules, to pass to :func:`classify_lines`.

    Raises:
        ConfigError: ``disabled_rules`` names a rule that does not exist.

    Examples:
        >>> rules = compile_rules(CleanConfig(disabled_rules=frozenset({"read-more"})))
        >>> "B040" in rules.disabled
        True
    """
    user_codes = {rule.code: rule for rule in config.extra_rules}
    disabled = frozenset(
        user_codes[key].code if key in user_codes else rule_by_code_or_name(key).code for key in config.disabled_rules
    )
    rank = MODES.index(config.mode)
    active = [r for r in PATTERN_RULES if r.code not in disabled and MODES.index(r.mode) <= rank]
    active += [r for r in config.extra_rules if r.code not in disabled]
    model = None if "B510" in disabled else load_line_model()
    return CompiledRules(
        mode=config.mode,
        matcher=_Matcher.build(active, config.languages),
        disabled=disabled,
        keep_comments=config.keep_comments,
        model=model,
        threshold=model.thresholds[config.mode] if model is not None else 0.0,
        comment_headers=regex.compile("|".join(f"(?:{p})" for p in COMMENT_HEADERS), _FLAGS),
        comment_markers=regex.compile("|".join(f"(?:{p})" for p in COMMENT_MARKERS), _FLAGS),
    )


def classify_lines(lines: Sequence[str], rules: CompiledRules) -> list[Verdict]:
    """Classify each line of a document as content (kept) or chrome (removed, with its reason).

    Args:
        lines: the document's normalised lines, blank ones (``""``) included.
        rules: from :func:`compile_rules`.

    Returns:
        One verdict per line, in order; blank lines are kept.

    Examples:
        >>> rules = compile_rules(CleanConfig())
        >>> page = ["Share on Facebook", "", "The river rose two metres overnight, flooding the old town."]
        >>> [(v.keep, v.code) for v in classify_lines(page, rules)]
        [(False, 'B030'), (True, None), (True, None)]
    """
    verdicts, scores, index = score_lines(lines, rules)
    if scores is None:
        return verdicts
    for row, i in enumerate(index):
        if verdicts[i].keep and scores.content[row] < rules.threshold:
            verdicts[i] = _model_verdict(row, scores, rules)
    return verdicts


def score_lines(
    lines: Sequence[str], rules: CompiledRules
) -> tuple[list[Verdict], LineScores | None, list[int]]:
    """Rule and comment verdicts for every line, and the model's content scores for the non-blank ones."""
    verdicts, features, index, _ = rule_pass(lines, rules)
    if rules.model is None or not index:
        return verdicts, None, index
    return verdicts, rules.model.score(features), index


def rule_pass(
    lines: Sequence[str], rules: CompiledRules
) -> tuple[list[Verdict], npt.NDArray[np.float64], list[int], npt.NDArray[np.float64]]:
    """Pattern-rule and comment-section verdicts, and the feature matrix of the non-blank lines.

    Returns:
        The verdicts (one per line), the features (one row per non-blank line), the indexes of
        those lines, and their word counts.
    """
    verdicts: list[Verdict] = [KEEP] * len(lines)
    in_comments = _comment_section(lines, rules)
    features, index, words = document_features(lines, [False] * len(lines), in_comments)
    hits = features[:, BASE_FEATURES.index("pattern-rule-hit")]
    for row, i in enumerate(index):
        verdict = rules.matcher.match(lines[i].strip(), int(words[row]))
        if verdict is not None:
            verdicts[i] = verdict
            hits[row] = 1.0
        elif rules.mode != "conservative" and "B502" not in rules.disabled and _separator_items(lines[i]) >= 3:
            evidence = f"{_separator_items(lines[i])} short items joined by separators"
            verdicts[i] = Verdict(False, "B502", "separator-menu", evidence)
        elif in_comments[i] and not rules.keep_comments and "B505" not in rules.disabled:
            verdicts[i] = Verdict(False, "B505", "comment-section", "inside the reader-comment section")
    return verdicts, features, index, words


_MENU_SEPARATOR = regex.compile(r"\s*[|·•]\s*")


def _separator_items(line: str) -> int:
    """How many short items a separator-joined menu line has (0 when it is not one)."""
    text = line.strip()
    if len(text) > 300 or not ("|" in text or "·" in text or "•" in text) or text[-1:] in ".!?。":
        return 0
    items = [item for item in _MENU_SEPARATOR.split(text) if item]
    return len(items) if all(len(item.split()) <= 4 for item in items) else 0


def _comment_section(lines: Sequence[str], rules: CompiledRules) -> list[bool]:
    """Mark lines from a confirmed comment header to the end of the page."""
    flags = [False] * len(lines)
    for i, line in enumerate(lines):
        text = line.strip()
        if not text or len(text) > 200 or rules.comment_headers.match(text) is None:
            continue
        following = [s.strip() for s in lines[i + 1 : i + 1 + _COMMENT_LOOKAHEAD]]
        if any(s and len(s) <= 200 and rules.comment_markers.search(s) for s in following):
            flags[i:] = [True] * (len(lines) - i)
            break
    return flags


def _model_verdict(row: int, scores: LineScores, rules: CompiledRules) -> Verdict:
    code, name, where = _structure_of(row, scores.features)
    if code in rules.disabled:
        return KEEP
    top = np.argsort(scores.contributions[row])[:3]
    named = ", ".join(scores.names[k] for k in top if scores.contributions[row][k] < 0)
    evidence = f"{where}; content score {scores.content[row]:.2f} (most against: {named})"
    return Verdict(keep=False, code=code, rule=name, evidence=evidence)


_COLUMN = {name: k for k, name in enumerate(BASE_FEATURES + CONTEXT_FEATURES)}


def _structure_of(row: int, features: npt.NDArray[np.float64]) -> tuple[str, str, str]:
    """The structure rule that best describes a line the model scores as chrome."""
    f = features[row]
    if f[_COLUMN["separators"]] >= np.log1p(2) and not f[_COLUMN["ends-sentence"]]:
        separators = round(float(np.expm1(f[_COLUMN["separators"]])))
        return "B502", "separator-menu", f"{separators} separators between short items"
    run = round(float(np.expm1(f[_COLUMN["log-short-run"]])))
    if run >= 3:
        return "B501", "menu-run", f"run of {run} short link-like lines"
    n = len(features)
    if f[_COLUMN["long-lines-before-fraction"]] == 0 and f[_COLUMN["log-distance-long-before"]] == np.log1p(n + 1):
        return "B503", "header-band", f"line {row + 1} of {n}, before the main text"
    if f[_COLUMN["log-distance-long-after"]] == np.log1p(n + 1):
        return "B504", "footer-band", f"line {row + 1} of {n}, after the main text"
    return "B510", "low-content-line", "short or isolated line"


