"""The line classifier: one verdict per line, from the rule table, the comment detector and the line model.

Order of decisions for each non-blank line:

1. pattern rules (``B0xx``, then the user's ``U*`` rules): the first that matches removes the line;
2. the comment-section detector (``B505``) removes reader comments unless ``keep_comments``;
3. the line model scores what is left; a chrome score is reported under the structure rule that
   describes the line best (``B501`` menu run, ``B502`` separator menu, ``B503`` header band,
   ``B504`` footer band, otherwise ``B510``), with the model's strongest features as evidence.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import regex

from textclean._adaptive import adaptive_note, line_thresholds
from textclean._config import CleanConfig
from textclean._features import (
    BASE_FEATURES,
    CONTEXT_FEATURES,
    LineModel,
    LineScores,
    count_words,
    document_features,
    load_line_model,
)
from textclean._matcher import MAX_PATTERN_CHARS, Matcher, fold_case_twins
from textclean._rule import KEEP, MODES, Verdict
from textclean._rules import PATTERN_RULES, rule_by_code_or_name
from textclean._rules._literals import required_words
from textclean._rules.comments import (
    COMMENT_HEADERS,
    COMMENT_LOOKAHEAD,
    COMMENT_MAIN_TEXT_WORDS,
    COMMENT_MARKERS,
    COMMENT_MIN_MARKERS,
)

__all__ = [
    "MAX_PATTERN_CHARS",
    "RULESET_VERSION",
    "CompiledRules",
    "classify_lines",
    "compile_rules",
    "rule_pass",
    "score_lines",
]

RULESET_VERSION = "2026.11.4"
"""Bumped whenever a rule or the line model changes what is removed."""

_FLAGS = regex.IGNORECASE | regex.V0
_NAMES = {rule.code: rule.name for rule in PATTERN_RULES}


_Matcher = Matcher  # the compiled pattern rules (see :mod:`textclean._matcher`)


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


def classify_lines(
    lines: Sequence[str], rules: CompiledRules, *, tokens: Sequence[list[str]] | None = None
) -> list[Verdict]:
    """Classify each line of a document as content (kept) or chrome (removed, with its reason).

    Args:
        lines: the document's normalised lines, blank ones (``""``) included.
        rules: from :func:`compile_rules`.
        tokens: per line, its lowercased words (:func:`~textclean._paragraphs.lowercase_words`), when the
            caller has them already (the cleaner's paragraph dedup needs them too).

    Returns:
        One verdict per line, in order; blank lines are kept.

    Examples:
        >>> rules = compile_rules(CleanConfig())
        >>> page = ["Share on Facebook", "", "The river rose two metres overnight, flooding the old town."]
        >>> [(v.keep, v.code) for v in classify_lines(page, rules)]
        [(False, 'B030'), (True, None), (True, None)]
    """
    verdicts, scores, index = score_lines(lines, rules, tokens=tokens)
    if scores is None or len(index) < 2:  # a lone line has no neighbours to be told apart from
        return verdicts
    cuts = line_thresholds(scores, rules.threshold)  # see textclean/_adaptive.py
    low = np.flatnonzero(scores.content < cuts)
    if rules.keep_comments:  # the reader comments the user keeps are not the model's to remove either
        low = low[scores.features[low, _COLUMN["comment-section"]] == 0]
    rows = low[[verdicts[index[row]].keep for row in low.tolist()]] if len(low) else low
    for row, verdict in zip(rows.tolist(), _model_verdicts(rows, scores, rules, cuts), strict=True):
        verdicts[index[row]] = verdict
    return verdicts


def score_lines(
    lines: Sequence[str], rules: CompiledRules, *, tokens: Sequence[list[str]] | None = None
) -> tuple[list[Verdict], LineScores | None, list[int]]:
    """Rule and comment verdicts for every line, and the model's content scores for the non-blank ones."""
    verdicts, features, index, _ = rule_pass(lines, rules, tokens=tokens)
    if rules.model is None or not index:
        return verdicts, None, index
    return verdicts, rules.model.score(features), index


def rule_pass(
    lines: Sequence[str], rules: CompiledRules, *, tokens: Sequence[list[str]] | None = None
) -> tuple[list[Verdict], npt.NDArray[np.float64], list[int], npt.NDArray[np.float64]]:
    """Pattern-rule and comment-section verdicts, and the feature matrix of the non-blank lines.

    Returns:
        The verdicts (one per line), the features (one row per non-blank line), the indexes of
        those lines, and their word counts.
    """
    verdicts: list[Verdict] = [KEEP] * len(lines)
    in_comments = _comment_section(lines, rules)
    features, index, words = document_features(lines, [False] * len(lines), in_comments, tokens)
    hits = features[:, BASE_FEATURES.index("pattern-rule-hit")]
    matched = rules.matcher.match_lines([lines[i].strip() for i in index], words.astype(int).tolist())
    for row, (i, verdict) in enumerate(zip(index, matched, strict=True)):
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
    """Mark lines from a confirmed comment header to the end of the page.

    A header counts only below the page's first long line (the article comes before its
    comments, so a "Comments" menu link never opens a section), and only when at least
    :data:`COMMENT_MIN_MARKERS` comment markers ("X says:", "Reply", a dated byline, a clock
    time; not all of them bare dates) follow within :data:`COMMENT_LOOKAHEAD` lines.
    """
    flags = [False] * len(lines)
    candidates = _header_candidates(lines)
    if not candidates:
        return flags
    main = next(
        (i for i, text in enumerate(map(str.strip, lines))
         if len(text.split()) >= COMMENT_MAIN_TEXT_WORDS  # count_words is never below the token count;
         or (len(text) >= 2 * COMMENT_MAIN_TEXT_WORDS and count_words(text) >= COMMENT_MAIN_TEXT_WORDS)),  # CJK
        len(lines),
    )
    for i in candidates:
        text = lines[i].strip()
        if i <= main or not text or len(text) > 200 or rules.comment_headers.match(text) is None:
            continue
        following = (s.strip() for s in lines[i + 1 : i + 1 + COMMENT_LOOKAHEAD])
        found = [rules.comment_markers.search(s) for s in following if s and len(s) <= 200]
        markers = [hit for hit in found if hit is not None]
        if len(markers) >= COMMENT_MIN_MARKERS and any(hit.group("date") is None for hit in markers):
            flags[i:] = [True] * (len(lines) - i)
            break
    return flags


def _header_candidates(lines: Sequence[str]) -> Sequence[int]:
    """The lines that may hold a comment header: those containing one of the headers' required words.

    The words come from :func:`~textclean._rules._literals.required_words` (looked up lowercased,
    case twins folded, as the pattern matcher's gates are); all lines when a header has none.
    """
    words = _header_words(COMMENT_HEADERS)
    if words is None:
        return range(len(lines))
    lowered = list(map(str.lower, lines))
    document = fold_case_twins("\n".join(lowered))
    present = [word for word in words if word in document]
    if not present:
        return ()
    if document.count("\n") != len(lines) - 1:
        return range(len(lines))
    ends = np.cumsum(np.fromiter(map(len, lowered), dtype=np.intp, count=len(lowered)) + 1)
    found: set[int] = set()
    for word in present:
        at = document.find(word)
        while at >= 0:
            line = int(np.searchsorted(ends, at, side="right"))
            found.add(line)
            at = document.find(word, int(ends[line]))
    return sorted(found)


@functools.cache
def _header_words(headers: tuple[str, ...]) -> tuple[str, ...] | None:
    """Strings (lowercase, twins folded) one of which every header match contains, or ``None``."""
    words: set[str] = set()
    for pattern in headers:
        required = required_words(pattern)
        if required is None:
            return None
        words |= {fold_case_twins(word) for word in required}
    return tuple(sorted(words))


def _model_verdicts(
    rows: npt.NDArray[np.intp], scores: LineScores, rules: CompiledRules, cuts: npt.NDArray[np.float64]
) -> list[Verdict]:
    """The verdicts of the lines (rows of ``scores``) the model scores as chrome, one argsort for all."""
    tops = np.argsort(scores.contributions[rows], axis=1)[:, :3].tolist()
    verdicts = []
    for row, top in zip(rows.tolist(), tops, strict=True):
        code, name, where = _structure_of(row, scores.features)
        if code in rules.disabled:
            verdicts.append(KEEP)
            continue
        against = scores.contributions[row]
        named = ", ".join(scores.names[k] for k in top if against[k] < 0)
        evidence = f"{where}; content score {scores.content[row]:.2f} (most against: {named})" + adaptive_note(
            float(scores.content[row]), float(cuts[row]), rules.threshold)
        verdicts.append(Verdict(keep=False, code=code, rule=name, evidence=evidence))
    return verdicts


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


