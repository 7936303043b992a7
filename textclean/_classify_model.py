"""The line model's verdicts: which structure rule describes a chrome line, and the evidence.

A line the model scores as chrome is reported under the structure rule that describes it best
(``B502`` separator menu, ``B501`` menu run, ``B503`` header band, ``B504`` footer band, otherwise
``B510``), with the model's strongest features against it as evidence. The rules are told apart on
the whole document's feature matrix at once; only the evidence strings are built line by line.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from textclean._features import BASE_FEATURES, CONTEXT_FEATURES, LineScores
from textclean._rule import KEEP, Verdict

__all__ = ["model_verdicts", "structure_of", "structures"]

_COLUMN = {name: k for k, name in enumerate(BASE_FEATURES + CONTEXT_FEATURES)}
_RULES = (
    ("B502", "separator-menu"),
    ("B501", "menu-run"),
    ("B503", "header-band"),
    ("B504", "footer-band"),
    ("B510", "low-content-line"),
)
_MOST_AGAINST = 3
_KEY_SHIFTS = np.arange(0, 16 * _MOST_AGAINST, 16)  # a feature index and its sign in 16 bits each


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
    f = features[rows]
    n = len(features)
    separators = f[:, _COLUMN["separators"]]
    menu = (separators >= np.log1p(2)) & (f[:, _COLUMN["ends-sentence"]] == 0)
    runs = np.rint(np.expm1(f[:, _COLUMN["log-short-run"]])).astype(np.int64)
    none_before = np.log1p(n + 1)
    header = f[:, _COLUMN["long-lines-before-fraction"]] == 0
    header &= f[:, _COLUMN["log-distance-long-before"]] == none_before
    footer = f[:, _COLUMN["log-distance-long-after"]] == none_before
    kinds = np.full(len(rows), 4)  # B510, unless (the first of) B502, B501, B503, B504 describes the line
    kinds[footer] = 3
    kinds[header] = 2
    kinds[runs >= 3] = 1
    kinds[menu] = 0
    counts = np.where(menu, np.rint(np.expm1(separators)).astype(np.int64), runs)
    return kinds, counts


def _describe(kind: int, count: int, row: int, n: int) -> tuple[str, str, str]:
    code, name = _RULES[kind]
    if kind == 4:
        return code, name, "short or isolated line"
    if kind == 0:
        return code, name, f"{count} separators between short items"
    if kind == 1:
        return code, name, f"run of {count} short link-like lines"
    return code, name, f"line {row + 1} of {n}, {'before' if kind == 2 else 'after'} the main text"


def _named(names: Sequence[str], top: list[int], against: list[bool]) -> str:
    """The names of the strongest features against a line (those with a negative contribution)."""
    return ", ".join(names[k] for k, negative in zip(top, against, strict=True) if negative)


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
    against = scores.contributions[rows]
    tops = np.argsort(against, axis=1)[:, :_MOST_AGAINST]
    negative = np.take_along_axis(against, tops, axis=1) < 0
    numbered = ((tops * 2 + negative) << _KEY_SHIFTS).sum(axis=1)  # the features named, as one number
    unique, first = np.unique(numbered, return_index=True)
    names = {
        key: _named(scores.names, tops[at].tolist(), negative[at].tolist())
        for key, at in zip(unique.tolist(), first.tolist(), strict=True)
    }
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


_CACHED_VERDICTS = 1 << 16
_VERDICTS: dict[tuple[int, int, int, str, str, str], Verdict] = {}
"""Verdicts already built: the same structure, score (to two places) and features name the same, immutable verdict;
chrome repeats, within a page and from page to page."""
