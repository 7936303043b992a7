"""The line model's verdicts: which structure rule describes a chrome line, and the evidence.

A line the model scores as chrome is reported under the structure rule that describes it best
(``B502`` separator menu, ``B501`` menu run, ``B503`` header band, ``B504`` footer band, otherwise
``B510``), with the model's strongest features against it as evidence. The rules are told apart on
the whole document's feature matrix at once; only the evidence strings are built line by line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from textclean._features import BASE_FEATURES, CONTEXT_FEATURES
from textclean._line_model import MODEL_FEATURES, LineScores
from textclean._rule import KEEP, Verdict

__all__ = [
    "model_verdicts",
    "plain_model_verdicts",
    "plain_model_verdicts_many",
    "structure_of",
    "structures",
]

_COLUMN = {name: k for k, name in enumerate(BASE_FEATURES + CONTEXT_FEATURES)}
_RULES = (
    ("B502", "separator-menu"),
    ("B501", "menu-run"),
    ("B503", "header-band"),
    ("B504", "footer-band"),
    ("B510", "low-content-line"),
)
_MOST_AGAINST = 3
_KEY_SHIFTS = np.arange(0, 8 * _MOST_AGAINST, 8)  # a feature index and its sign in 8 bits each (57 features)
_MOST_AGAINST_FIRST = 3  # the first pass's strongest, of which those the second pass does not name are shown
_FIRST_SHIFTS = np.arange(0, 8 * _MOST_AGAINST_FIRST, 8)
_FIRST_AT = np.uint64(8 * _MOST_AGAINST)
_SHOWN_FIRST = 2
_FIRST_PASS = MODEL_FEATURES.index("first-pass-logit")


def structure_of(row: int, features: npt.NDArray[np.float64]) -> tuple[str, str, str]:
    """The structure rule that best describes a line the model scores as chrome (code, name, where).

    Examples:
        >>> features = np.zeros((4, len(_COLUMN)))
        >>> structure_of(2, features)
        ('B510', 'low-content-line', 'short or isolated line')
    """
    kinds, counts = structures(np.array([row]), features)
    return _describe(int(kinds[0]), int(counts[0]), row, len(features))


def structures(
    rows: npt.NDArray[np.intp], features: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64]]:
    """For each of ``rows``: which of the structure rules describes it (an index into the rule list), and
    its separator count (``B502``) or run length (``B501``)."""
    return _structures_of(features[rows], np.log1p(len(features) + 1))


def _structures_of(f: npt.NDArray[np.float64], none_before: Any) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64]]:
    """:func:`structures` of the feature rows ``f``; ``none_before``: ``log1p`` of their page's line count + 1 (what
    the ``log-distance`` columns hold where no long line is before or after), one value or one per row."""
    separators = f[:, _COLUMN["separators"]]
    menu = (separators >= np.log1p(2)) & (f[:, _COLUMN["ends-sentence"]] == 0)
    runs = np.rint(np.expm1(f[:, _COLUMN["log-short-run"]])).astype(np.int64)
    header = f[:, _COLUMN["long-lines-before-fraction"]] == 0
    header &= f[:, _COLUMN["log-distance-long-before"]] == none_before
    footer = f[:, _COLUMN["log-distance-long-after"]] == none_before
    kinds = np.full(len(f), 4)  # B510, unless (the first of) B502, B501, B503, B504 describes the line
    kinds[footer] = 3
    kinds[header] = 2
    kinds[runs >= 3] = 1
    kinds[menu] = 0
    counts = np.where(menu, np.rint(np.expm1(separators)).astype(np.int64), runs)
    return kinds, counts


def plain_model_verdicts_many(
    rows: Sequence[npt.NDArray[np.intp]], pages: Sequence[LineScores], disabled: frozenset[str]
) -> list[list[Verdict]]:
    """:func:`plain_model_verdicts` of each page's ``rows``, the structures of all the pages' rows found at once
    (each page's ``log-distance`` columns compared with its own line count, as :func:`structures` does).

    Examples:
        >>> from textclean._line_model import LineScores
        >>> def page(n):
        ...     return LineScores(np.zeros(n), np.zeros((n, len(_COLUMN))), np.zeros((n, 1)), MODEL_FEATURES)
        >>> found = plain_model_verdicts_many([np.array([0, 2]), np.array([1])], [page(3), page(2)], frozenset())
        >>> [[v.code for v in verdicts] for verdicts in found]
        [['B510', 'B510'], ['B510']]
    """
    sizes = [len(chosen) for chosen in rows]
    if not sum(sizes):
        return [[] for _ in rows]
    f = np.concatenate([page.features[chosen] for page, chosen in zip(pages, rows, strict=True)])
    # np.log1p of each page's own line count + 1, as a scalar: the very value structures() compares with
    none_before = np.repeat([np.log1p(len(page.features) + 1) for page in pages], sizes)
    kinds, _ = _structures_of(f, none_before)
    plain = [KEEP if code in disabled else verdict for (code, _), verdict in zip(_RULES, _PLAIN, strict=True)]
    found = list(map(plain.__getitem__, kinds.tolist()))
    out = []
    at = 0
    for size in sizes:
        out.append(found[at : at + size])
        at += size
    return out


def _describe(kind: int, count: int, row: int, n: int) -> tuple[str, str, str]:
    code, name = _RULES[kind]
    if kind == 4:
        return code, name, "short or isolated line"
    if kind == 0:
        return code, name, f"{count} separators between short items"
    if kind == 1:
        return code, name, f"run of {count} short link-like lines"
    return code, name, f"line {row + 1} of {n}, {'before' if kind == 2 else 'after'} the main text"


def _named(names: Sequence[str], top: list[int], against: list[bool], first_pass: str = "") -> str:
    """The names of the strongest features against a line (those with a negative contribution).

    ``first_pass`` names the first pass's own strongest features against the line: the
    ``first-pass-logit`` is then shown as what it stands for, ``first pass (chrome-word-share, …)``.
    """
    return ", ".join(
        f"first pass ({first_pass})" if k == _FIRST_PASS and first_pass else names[k]
        for k, negative in zip(top, against, strict=True)
        if negative
    )


def _strongest_against(
    contributions: npt.NDArray[np.float64], count: int
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_]]:
    """Per row, the ``count`` features with the lowest contributions and whether each is negative; the
    constant ``bias`` column (the same for every line: it explains nothing about one) is left out."""
    tops = np.argsort(contributions[:, 1:], axis=1, kind="stable")[:, :count] + 1
    return tops, np.take_along_axis(contributions, tops, axis=1) < 0


def _first_pass_tops(
    rows: npt.NDArray[np.intp], scores: LineScores, tops: npt.NDArray[np.intp], negative: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_]] | None:
    """For each row: its :data:`_MOST_AGAINST_FIRST` strongest first-pass features and whether each is against it
    (all zero on rows whose named second-pass features do not include the first-pass logit)."""
    shown = np.flatnonzero(((tops == _FIRST_PASS) & negative).any(axis=1))
    if scores.first is None or not len(shown):
        return None
    first_tops = np.zeros((len(rows), _MOST_AGAINST_FIRST), dtype=np.intp)
    first_negative = np.zeros((len(rows), _MOST_AGAINST_FIRST), dtype=bool)
    first_tops[shown], first_negative[shown] = _strongest_against(scores.first[rows[shown]], _MOST_AGAINST_FIRST)
    return first_tops, first_negative


def model_verdicts(
    rows: npt.NDArray[np.intp], scores: LineScores, disabled: frozenset[str], notes: Sequence[str]
) -> list[Verdict]:
    """The verdicts of the lines (``rows`` of ``scores``) the model scores as chrome.

    Args:
        rows: the lines, as rows of the score arrays.
        scores: the model's scores of the document.
        disabled: codes of disabled rules (a line whose structure rule is disabled is kept).
        notes: per line, the adaptive-threshold note closing its evidence.
    """
    if not len(rows):
        return []
    kinds, counts = structures(rows, scores.features)
    tops, negative = _strongest_against(scores.contributions[rows], _MOST_AGAINST)
    numbered = ((tops * 2 + negative) << _KEY_SHIFTS).sum(axis=1).astype(np.uint64)  # the features named
    first_pass_tops = _first_pass_tops(rows, scores, tops, negative)
    if first_pass_tops is not None:  # which first-pass features the first-pass logit stands for, in the next bits
        first_tops, first_negative = first_pass_tops
        numbered |= ((first_tops * 2 + first_negative) << _FIRST_SHIFTS).sum(axis=1).astype(np.uint64) << _FIRST_AT
    unique, first = np.unique(numbered, return_index=True)
    known = _NAMED if scores.names is MODEL_FEATURES else {}  # a key names the same features in every page
    if len(known) >= _CACHED_VERDICTS:
        known.clear()
    names = {}
    for key, at in zip(unique.tolist(), first.tolist(), strict=True):
        if key in known:
            names[key] = known[key]
            continue
        top, against = tops[at].tolist(), negative[at].tolist()
        first_pass = ""
        if first_pass_tops is not None:
            shown = [
                (k, no)
                for k, no in zip(first_pass_tops[0][at].tolist(), first_pass_tops[1][at].tolist(), strict=True)
                if k not in top
            ][:_SHOWN_FIRST]
            first_pass = _named(scores.names, [k for k, _ in shown], [no for _, no in shown])
        names[key] = known[key] = _named(scores.names, top, against, first_pass)
    keys = numbered.tolist()
    n = len(scores.features)
    verdicts = []
    for row, kind, count, key, content, note in zip(
        rows.tolist(),
        kinds.tolist(),
        counts.tolist(),
        keys,
        map("{:.2f}".format, scores.content[rows].tolist()),
        notes,
        strict=True,
    ):
        if _RULES[kind][0] in disabled:
            verdicts.append(KEEP)
            continue
        place = count if kind < 2 else row if kind < 4 else 0  # what the evidence says besides score and features
        cached = (kind, place, n if kind in (2, 3) else 0, content, names[key], note)
        verdict = _VERDICTS.get(cached)
        if verdict is None:
            code, name, where = _describe(kind, count, row, n)
            evidence = f"{where}; content score {content} (most against: {names[key]}){note}"
            verdict = Verdict(False, code, name, evidence)
            if len(_VERDICTS) >= _CACHED_VERDICTS:
                _VERDICTS.clear()
            _VERDICTS[cached] = verdict
        verdicts.append(verdict)
    return verdicts


def plain_model_verdicts(
    rows: npt.NDArray[np.intp], scores: LineScores, disabled: frozenset[str]
) -> list[Verdict]:
    """:func:`model_verdicts` without evidence: the structure rule of each line alone (``evidence=False``).

    Examples:
        >>> from textclean._line_model import LineScores
        >>> features = np.zeros((3, len(_COLUMN)))
        >>> scores = LineScores(np.zeros(3), features, np.zeros((3, 1)), MODEL_FEATURES, None)
        >>> [v.code for v in plain_model_verdicts(np.array([0, 2]), scores, frozenset())]
        ['B510', 'B510']
    """
    kinds, _ = structures(rows, scores.features)
    plain = [KEEP if code in disabled else verdict for (code, _), verdict in zip(_RULES, _PLAIN, strict=True)]
    return list(map(plain.__getitem__, kinds.tolist()))


_PLAIN = tuple(Verdict(False, code, name, "") for code, name in _RULES)

_CACHED_VERDICTS = 1 << 12  # ~4k verdicts (~2 MB): a page repeats its chrome; a bigger cache bought no speed
_VERDICTS: dict[tuple[int, int, int, str, str, str], Verdict] = {}
"""Verdicts already built: the same structure, score (to two places) and features name the same, immutable verdict;
chrome repeats, within a page and from page to page."""
_NAMED: dict[int, str] = {}
"""The evidence's feature names by their key (the features and their signs, as one number), for the shipped
model's feature list."""
