"""The line classifier: one verdict per line, from the rule table, the comment detector and the line model.

Order of decisions for each non-blank line:

1. pattern rules (``B0xx``, then the user's ``U*`` rules): the first that matches removes the line;
2. the comment-section detector (``B505``) removes reader comments unless ``keep_comments``;
3. the line model scores what is left; a chrome score is reported under the structure rule that
   describes the line best (``B501`` menu run, ``B502`` separator menu, ``B503`` header band,
   ``B504`` footer band, otherwise ``B510``), with the model's strongest features as evidence.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import is_not
from types import EllipsisType
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import regex

from textclean._adaptive import adaptive_notes, line_thresholds, line_thresholds_many
from textclean._classify_comments import CommentDetector
from textclean._classify_model import model_verdicts, plain_model_verdicts, plain_model_verdicts_many
from textclean._config import CleanConfig
from textclean._features import (
    BASE_FEATURES,
    PreparedLines,
    batch_rows,
    context_of_many,
    features_of,
    features_of_many,
    lexical_of_many,
    prepare_lines,
)
from textclean._features_repeats import repeats_of_many
from textclean._line_model import LineModel, LineScores, load_line_model
from textclean._matcher import MAX_PATTERN_CHARS, Matcher
from textclean._patterns import preload
from textclean._rule import KEEP, MODES, Rule, Verdict
from textclean._rule_cache import load_or_build
from textclean._rules import PATTERN_RULES, rule_by_code_or_name
from textclean._rules.comments import COMMENT_HEADERS, COMMENT_MARKERS, MONTH_NAME
from textclean._tokens import PageTokens

if TYPE_CHECKING:
    from textclean._lineshape import LineText

__all__ = [
    "MAX_PATTERN_CHARS",
    "RULESET_VERSION",
    "CompiledRules",
    "classify_lines",
    "classify_many",
    "compile_rules",
    "match_many",
    "rule_pass",
]

RULESET_VERSION = "2026.11.5"
"""Bumped whenever a rule or the line model changes what is removed."""

_FLAGS = regex.IGNORECASE | regex.V0
_NAMES = {rule.code: rule.name for rule in PATTERN_RULES}


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
        comments: the comment-section headers and markers, gated for speed (:mod:`textclean._classify_comments`).
        evidence: build the line model's evidence (``False``: its verdicts say only the rule).
    """

    mode: str
    matcher: Matcher
    disabled: frozenset[str]
    keep_comments: bool
    model: LineModel | None
    threshold: float
    comments: CommentDetector
    evidence: bool = True

    @property
    def comment_headers(self) -> regex.Pattern[str]:
        """The comment-section headers as one plain alternation (matched at a line's start): the reference
        the gated detector is tested against, compiled on first use."""
        return _comment_alternations()[0]

    @property
    def comment_markers(self) -> regex.Pattern[str]:
        """The comment markers as one plain alternation (searched): the detector's reference, compiled on first use."""
        return _comment_alternations()[1]


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
    matcher = _matcher(active, config.languages)
    comments = _comment_detector()
    preload([*matcher.pattern_sources(), *comments.pattern_sources()])
    return CompiledRules(
        mode=config.mode,
        matcher=matcher,
        disabled=disabled,
        keep_comments=config.keep_comments,
        model=model,
        threshold=model.thresholds[config.mode] if model is not None else 0.0,
        comments=comments,
        evidence=config.evidence,
    )


def _matcher(rules: list[Rule], languages: frozenset[str]) -> Matcher:
    """``Matcher.build(rules, languages)`` (some 70 ms), or the same matcher read from the rule cache
    (:mod:`textclean._rule_cache`) where an earlier process stored it. The entry holds the rules' positions in
    ``rules``, not the rules: the matcher read back holds these very rule objects."""
    inputs = [rules, languages]
    return load_or_build("matcher", inputs, lambda: Matcher.build(rules, languages), Matcher, shared=rules)


@functools.cache
def _comment_alternations() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    return (
        regex.compile("|".join(f"(?:{p})" for p in COMMENT_HEADERS), _FLAGS),
        regex.compile("|".join(f"(?:{p})" for p in COMMENT_MARKERS), _FLAGS),
    )


@functools.cache
def _comment_detector() -> CommentDetector:
    return CommentDetector.build(COMMENT_HEADERS, COMMENT_MARKERS)


def classify_lines(
    lines: Sequence[str],
    rules: CompiledRules,
    *,
    tokens: PageTokens | None = None,
    prepared: PreparedLines | None = None,
    matched: Sequence[Verdict | None] | None = None,
) -> list[Verdict]:
    """Classify each line of a document as content (kept) or chrome (removed, with its reason).

    Args:
        lines: the document's normalised lines, blank ones (``""``) included.
        rules: from :func:`compile_rules`.
        tokens: the lines' lowercased words (a page of :func:`~textclean._tokens.tokenize_pages`), when the
            caller has them already (the cleaner's paragraph dedup needs them too).
        prepared: the lines prepared already (:func:`~textclean._features.prepare_many` for a batch).
        matched: the pattern rules' verdicts of the prepared rows already (:func:`match_many`).

    Returns:
        One verdict per line, in order; blank lines are kept.

    Examples:
        >>> rules = compile_rules(CleanConfig())
        >>> page = ["Share on Facebook", "", "The river rose two metres overnight, flooding the old town."]
        >>> [(v.keep, v.code) for v in classify_lines(page, rules)]
        [(False, 'B030'), (True, None), (True, None)]
    """
    return classify_many([lines], rules, tokens=[tokens], prepared=[prepared], matched=[matched])[0]


def classify_many(
    documents: Sequence[Sequence[str]],
    rules: CompiledRules,
    *,
    tokens: Sequence[PageTokens | None] | None = None,
    prepared: Sequence[PreparedLines | None] | None = None,
    matched: Sequence[Sequence[Verdict | None] | None] | None = None,
) -> list[list[Verdict]]:
    """:func:`classify_lines` of several documents (each argument one entry per document, or ``None``).

    The context columns are measured for all the documents' lines at once; the documents run in runs of up to
    :data:`_SCORED_ROWS` lines, whose lexical columns are measured at once and which the line model scores at
    once; the rules and the other features run per document. Each document's verdicts are those it gets alone.
    """
    count = len(documents)
    given = prepared if prepared is not None else [None] * count
    ready = [doc if doc is not None else prepare_lines(lines) for doc, lines in zip(given, documents, strict=True)]
    contexts = context_of_many(ready)  # the neighbour and position columns, for the whole batch at once
    repeats = repeats_of_many(ready, tokens)  # each row's repeats in its page, for the whole batch at once
    sections = rules.comments.section_starts(ready)  # the comment sections' header candidates, a batch at once
    gates = _structure_gates_many(ready)  # the rows the structure rules look at, a batch at once
    out: list[list[Verdict]] = []
    for run in _runs_of_rows([len(document.index) for document in ready]):
        words = [tokens[k] if tokens is not None else None for k in run]
        lexicals = lexical_of_many([ready[k] for k in run], words)  # the lexical columns, for the run at once
        stacked, features = features_of_many(
            [ready[k] for k in run],
            [sections[k] for k in run],
            [contexts[k] for k in run],
            lexicals,
            [repeats[k] for k in run],
        )  # the run's feature matrices in one array
        passes = [
            rule_pass(
                documents[k],
                rules,
                prepared=ready[k],
                matched=matched[k] if matched is not None else None,
                section=sections[k],
                features=document_features,
                gates=gates[k],
            )
            for k, document_features in zip(run, features, strict=True)
        ]
        # a lone line has no neighbours to be told apart from: only documents of two lines or more are scored
        scored = [found for found in passes if len(found[2]) >= 2]
        if rules.model is not None and scored:
            together = stacked if len(scored) == len(passes) else None  # the stacked rows are the scored ones
            scores = rules.model.score_many([features for _, features, _, _ in scored], stacked=together)
            _apply_model_many([(verdicts, index) for verdicts, _, index, _ in scored], scores, rules)
        out.extend(verdicts for verdicts, _, _, _ in passes)
    return out


_SCORED_ROWS = 1024
"""Lines classified together at most (a longer document alone): their features and the model's arrays are
alive at once, so this bounds the memory a batch takes."""


def _runs_of_rows(rows: list[int]) -> list[list[int]]:
    """The documents (by position; ``rows`` lines each) in runs of at most :data:`_SCORED_ROWS` lines together
    (a longer one alone)."""
    runs: list[list[int]] = []
    total = 0
    for document, size in enumerate(rows):
        if not runs or total + size > _SCORED_ROWS:
            runs.append([])
            total = 0
        runs[-1].append(document)
        total += size
    return runs


def _apply_model(verdicts: list[Verdict], scores: LineScores, index: list[int], rules: CompiledRules) -> None:
    """Replace the verdicts of the kept lines the model scores under their threshold by its own (one page: the
    reference of :func:`_apply_model_many`)."""
    cuts = line_thresholds(scores, rules.threshold)  # see textclean/_adaptive.py
    low = np.flatnonzero(scores.content < cuts)
    if rules.keep_comments:  # the reader comments the user keeps are not the model's to remove either
        low = low[scores.features[low, _COMMENT_COLUMN] == 0]
    rows = low[[verdicts[index[row]].keep for row in low.tolist()]] if len(low) else low
    for row, verdict in zip(rows.tolist(), _model_verdicts(rows, scores, rules, cuts), strict=True):
        verdicts[index[row]] = verdict


def _apply_model_many(
    pages: Sequence[tuple[list[Verdict], list[int]]], scores: Sequence[LineScores], rules: CompiledRules
) -> None:
    """:func:`_apply_model` of each page (its verdicts and index, its scores), the thresholds (and, without
    evidence, the structure rules) of all the pages computed at once."""
    all_cuts = line_thresholds_many(scores, rules.threshold)
    chosen = []
    for (verdicts, index), page, cuts in zip(pages, scores, all_cuts, strict=True):
        low = np.flatnonzero(page.content < cuts)
        if rules.keep_comments:  # the reader comments the user keeps are not the model's to remove either
            low = low[page.features[low, _COMMENT_COLUMN] == 0]
        chosen.append(low[[verdicts[index[row]].keep for row in low.tolist()]] if len(low) else low)
    if rules.evidence:
        found = [
            _model_verdicts(rows, page, rules, cuts) for rows, page, cuts in zip(chosen, scores, all_cuts, strict=True)
        ]
    else:
        found = plain_model_verdicts_many(chosen, scores, rules.disabled)
    for (verdicts, index), rows, replaced in zip(pages, chosen, found, strict=True):
        for row, verdict in zip(rows.tolist(), replaced, strict=True):
            verdicts[index[row]] = verdict


_HIT = BASE_FEATURES.index("pattern-rule-hit")
_IN_COMMENTS = Verdict(False, "B505", "comment-section", "inside the reader-comment section")


def rule_pass(
    lines: Sequence[str],
    rules: CompiledRules,
    *,
    tokens: PageTokens | None = None,
    prepared: PreparedLines | None = None,
    matched: Sequence[Verdict | None] | None = None,
    context: npt.NDArray[np.float64] | None = None,
    lexical: npt.NDArray[np.float64] | None = None,
    section: int | EllipsisType | None = ...,
    repeats: npt.NDArray[np.intp] | None = None,
    features: npt.NDArray[np.float64] | None = None,
    gates: tuple[list[int], list[int]] | None = None,
) -> tuple[list[Verdict], npt.NDArray[np.float64], list[int], npt.NDArray[np.float64]]:
    """Pattern-rule and comment-section verdicts, and the feature matrix of the non-blank lines (``section``: where
    the comment section starts, when :meth:`~textclean._classify_comments.CommentDetector.section_starts` found it
    for a batch; ``...``: found here; ``repeats``: the rows' repeat counts, when
    :func:`~textclean._features_repeats.repeats_of_many` counted them for a batch; ``features``: the feature matrix,
    when :func:`~textclean._features.features_of_many` built it for a run, with the same ``section``; ``gates``:
    the rows the separator-menu and archive-list rules look at, when :func:`_structure_gates_many` found them for a
    batch).

    Returns:
        The verdicts (one per line), the features (one row per non-blank line), the indexes of
        those lines, and their word counts.
    """
    if prepared is None:
        prepared = prepare_lines(lines)
    if section is ...:
        section = rules.comments.section_start(prepared)
    if features is None:
        in_comments = np.zeros(len(lines), dtype=bool)
        if section is not None:
            in_comments[section:] = True
        no_hits = np.zeros(len(lines), dtype=bool)
        features = features_of(prepared, no_hits, in_comments, tokens, context, lexical, repeats)
    index, rows, words = prepared.index, prepared.rows, prepared.shape.words
    if matched is None:
        matched = rules.matcher.match_lines(rows, words.astype(int).tolist())
    verdicts: list[Verdict] = [KEEP] * len(lines)
    hit = list(compress(range(len(matched)), map(is_not, matched, repeat(None))))
    if hit:
        features[hit, _HIT] = 1.0
    for row in hit:
        verdicts[index[row]] = matched[row]  # type: ignore[assignment]
    taken = set(hit)
    if rules.mode != "conservative" and "B502" not in rules.disabled:
        for row in _separator_rows(prepared) if gates is None else gates[0]:
            items = _separator_items(rows[row]) if row not in taken else 0
            if items >= 3:
                evidence = f"{items} short items joined by separators"
                verdicts[index[row]] = Verdict(False, "B502", "separator-menu", evidence)
                taken.add(row)
    if "B506" not in rules.disabled:
        for first, last in _archive_runs(prepared, taken, None if gates is None else gates[1]):
            archive = Verdict(False, "B506", "archive-list", f"run of {last - first + 1} archive or category entries")
            for row in range(first, last + 1):
                verdicts[index[row]] = archive
                taken.add(row)
    if section is not None and not rules.keep_comments and "B505" not in rules.disabled:
        first = bisect.bisect_left(index, section)
        for row in range(first, len(index)):
            if row not in taken:
                verdicts[index[row]] = _IN_COMMENTS
    return verdicts, features, index, words


def match_many(prepared: Sequence[PreparedLines], rules: CompiledRules) -> list[list[Verdict | None]]:
    """The pattern rules' verdicts of the rows of several prepared documents, matched in one call.

    Equal to ``rules.matcher.match_lines`` of each document's rows: the matcher's answer for a line depends
    on the line and its word count alone; one call screens the whole batch's new lines together.
    """
    rows = list(chain.from_iterable(document.rows for document in prepared))
    counts = [document.shape.words for document in prepared]
    words = (np.concatenate(counts) if len(counts) > 1 else counts[0]).astype(int).tolist() if counts else []
    matched = rules.matcher.match_lines(rows, words)
    out = []
    first = 0
    for document in prepared:
        stop = first + len(document.rows)
        out.append(matched[first:stop])
        first = stop
    return out


_MENU_SEPARATOR = regex.compile(r"\s*[|·•]\s*")
_MENU_CHARS = "|·•"


def _separator_rows(prepared: PreparedLines) -> list[int]:
    """The rows holding one of the menu separators (the only ones ``_separator_items`` can count)."""
    if prepared.text is None:
        return [row for row, line in enumerate(prepared.rows) if any(char in line for char in _MENU_CHARS)]
    return _menu_rows(prepared.text)


def _menu_rows(text: LineText) -> list[int]:
    """The rows (ascending) of ``text`` whose head holds one of the menu separators, found by ``str.find`` on the
    joined heads (a ``memchr`` scan, where a pass over the class bits reads every character: 18–27 ms a run of the
    real pages, against 3.5)."""
    joined = text.joined
    positions = []
    for char in _MENU_CHARS:
        at = joined.find(char)
        while at >= 0:
            positions.append(at)
            at = joined.find(char, at + 1)
    if not positions:
        return []
    return sorted(set((text.starts.searchsorted(positions, side="right") - 1).tolist()))


def _separator_items(line: str) -> int:
    """How many short items a separator-joined menu line has (0 when it is not one): the pieces between the
    separators, each of at most four words, the empty ones not counted.

    Split by ``str`` methods (4 µs a line by ``_MENU_SEPARATOR.split``, 1.5 by these): ``str.strip`` takes the
    very whitespace of ``\\s``, but for the four separator controls U+001C to U+001F, which only ``str`` counts as
    whitespace; a line holding one of those is split by ``_MENU_SEPARATOR``.
    """
    text = line.strip()
    if len(text) > 300 or not ("|" in text or "·" in text or "•" in text) or text[-1:] in ".!?。":
        return 0
    if not _SEPARATOR_CONTROLS.isdisjoint(text):
        items = [item for item in _MENU_SEPARATOR.split(text) if item]
        return len(items) if all(len(item.split()) <= 4 for item in items) else 0
    count = 0
    for piece in text.replace("·", "|").replace("•", "|").split("|"):
        words = len(piece.split())
        if words > 4:
            return 0
        count += words > 0
    return count


_SEPARATOR_CONTROLS = frozenset("\x1c\x1d\x1e\x1f")


_ARCHIVE_LEAD = r"[►▼▸▹»›•·*–—-]?\s*"
_ARCHIVE_COUNTED = regex.compile(
    # a label and its count, not a year: "Politics (48)", "► May 2012 (7)"
    _ARCHIVE_LEAD + r"[\p{L}\p{N}][\p{L}\p{N}\p{M} &'’.,/:+-]{0,60}\s*\((?!\s*(?:1\d|20)\d\d\s*\))\s*\d{1,6}\s*\)",
    regex.IGNORECASE,
)
_ARCHIVE_MONTH = regex.compile(_ARCHIVE_LEAD + rf"{MONTH_NAME},? (?:19|20)\d\d", regex.IGNORECASE)  # "January 2004"


@functools.lru_cache(maxsize=1 << 14)
def _archive_entry(line: str) -> bool:
    """Whether the whole line is an archive or category entry: a label and its count (``_ARCHIVE_COUNTED``) or an
    archive month (``_ARCHIVE_MONTH``). One ends with ")", the other with a year after a space, so the line's end
    picks the one pattern that can match (one pattern of two alternatives, tried in turn, took 18 ms a run of the
    real pages, against 11). Remembered for the last 16k lines: a site's archive list comes back on each of its
    pages (half the lines asked over the real pages are asked again: 19 → 14 ms)."""
    if line[-1:] == ")":
        return _ARCHIVE_COUNTED.fullmatch(line) is not None
    return line[-5:-2] in (" 19", " 20") and _ARCHIVE_MONTH.fullmatch(line) is not None


_ARCHIVE_CHARS = 80  # an entry is short: a label of at most 60 characters and its count
_ARCHIVE_RUN = 3


def _archive_runs(prepared: PreparedLines, taken: set[int], entries: list[int] | None = None) -> list[tuple[int, int]]:
    """Runs (first and last row) of at least three consecutive rows, not taken by another rule, that are each an
    archive or category entry: a short label and a count in parentheses (``"► May 2012 (7)"``), or a month and
    a year (``"January 2004"``). ``entries``: the :func:`_archive_candidates`, when the caller has them."""
    rows, text = prepared.rows, prepared.text
    if entries is None and text is not None:
        entries = _archive_candidates(text)
    elif entries is None:
        gated = [row for row, line in enumerate(rows) if line[-1:] in _ARCHIVE_ENDS and len(line) <= _ARCHIVE_CHARS]
        entries = [row for row in _in_runs(np.array(gated, dtype=np.intp)) if _archive_entry(rows[row])]
    # a run of free entries is a run of entries: the rows taken by another rule only break runs
    free = [row for row in entries if row not in taken] if taken else entries
    return [(free[first], free[last]) for first, last in _runs(free)]


def _archive_gated(text: LineText) -> npt.NDArray[np.intp]:
    """The gate of the archive entries: the short rows ending with ")" or a digit."""
    last = text.points[text.starts + text.size - 1]
    ends = (last == _CLOSE_PAREN) | ((last >= _ZERO) & (last <= _NINE))
    return np.flatnonzero(ends & (text.full <= _ARCHIVE_CHARS))


def _archive_candidates(text: LineText, firsts: Sequence[int] = ()) -> list[int]:
    """The rows (ascending) of ``text`` that are archive entries in a run of at least :data:`_ARCHIVE_RUN` gated
    rows (:func:`_archive_gated`), the only ones :func:`_archive_runs` can keep; ``firsts``: the rows where
    documents start, when ``text`` holds several (a run stops there). The runs are found by numpy, and the
    pattern runs on the rows in them alone."""
    lines = text.lines
    return [row for row in _in_runs(_archive_gated(text), firsts) if _archive_entry(lines[row])]


def _structure_gates_many(prepared: Sequence[PreparedLines]) -> list[tuple[list[int], list[int]] | None]:
    """Each document's :func:`_separator_rows` and :func:`_archive_candidates` rows, found once for each batch
    (:func:`~textclean._features.prepare_many`) the documents are part of (``None``: a document on its own)."""
    if all(document.batch is None for document in prepared):
        return [None] * len(prepared)
    firsts: dict[int, list[int]] = {}  # per batch text, where its documents start
    for document in prepared:
        if document.batch is not None:
            firsts.setdefault(id(document.batch[0]), []).append(document.batch[1])
    separators = batch_rows(prepared, _menu_rows)
    archive = batch_rows(prepared, lambda text: _archive_candidates(text, firsts[id(text)]))
    return [
        (menu, entries) if menu is not None and entries is not None else None
        for menu, entries in zip(separators, archive, strict=True)
    ]


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """The runs of at least :data:`_ARCHIVE_RUN` consecutive rows among ``rows`` (ascending), as the positions of
    their first and last rows in ``rows``."""
    runs: list[tuple[int, int]] = []
    start = 0
    for k in range(1, len(rows) + 1):
        if k == len(rows) or rows[k] != rows[k - 1] + 1:
            if k - start >= _ARCHIVE_RUN:
                runs.append((start, k - 1))
            start = k
    return runs


def _in_runs(rows: npt.NDArray[np.intp], firsts: Sequence[int] = ()) -> list[int]:
    """The rows (ascending) that lie in a run of at least :data:`_ARCHIVE_RUN` consecutive rows among ``rows``
    (ascending); ``firsts``: rows (ascending) where a run stops and another may start (the documents' first rows of a
    batch)."""
    if len(rows) < _ARCHIVE_RUN:
        return []
    breaks = np.empty(len(rows), dtype=bool)  # where a run starts, the first row aside
    breaks[0] = False
    np.not_equal(np.diff(rows), 1, out=breaks[1:])
    if len(firsts):
        at = np.searchsorted(rows, firsts)  # both ascending: a first row is in rows where it is found
        at = at[at < len(rows)]
        breaks[at[rows[at] == np.asarray(firsts)[: len(at)]]] = True
        breaks[0] = False
    starts = np.flatnonzero(breaks)
    lengths = np.diff(np.concatenate(([0], starts, [len(rows)])))
    kept: list[int] = rows[np.repeat(lengths >= _ARCHIVE_RUN, lengths)].tolist()
    return kept


_CLOSE_PAREN, _ZERO, _NINE = map(ord, ")09")
_ARCHIVE_ENDS = frozenset(")0123456789")


_COMMENT_COLUMN = BASE_FEATURES.index("comment-section")


def _model_verdicts(
    rows: npt.NDArray[np.intp], scores: LineScores, rules: CompiledRules, cuts: npt.NDArray[np.float64]
) -> list[Verdict]:
    """The verdicts of the lines (rows of ``scores``) the model scores as chrome (``cuts``: every line's threshold)."""
    if not rules.evidence:
        return plain_model_verdicts(rows, scores, rules.disabled)
    notes = adaptive_notes(scores.content[rows], cuts[rows], rules.threshold)
    return model_verdicts(rows, scores, rules.disabled, notes)
