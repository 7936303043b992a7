"""The line model's verdicts for a run of pages at once (thresholds, structure rules) against each page alone."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textclean._adaptive import _ENDINGS, _LOG_WORDS, line_thresholds, line_thresholds_many
from textclean._classify import _apply_model, _apply_model_many, compile_rules
from textclean._classify_model import _COLUMN, _RULES, plain_model_verdicts, plain_model_verdicts_many
from textclean._config import CleanConfig
from textclean._features import BASE_FEATURES, CONTEXT_FEATURES, LEXICAL_FEATURES
from textclean._line_model import MODEL_FEATURES, LineScores
from textclean._rule import KEEP, Verdict

WIDTH = len(BASE_FEATURES) + len(CONTEXT_FEATURES) + len(LEXICAL_FEATURES)
COMMENT = BASE_FEATURES.index("comment-section")


@st.composite
def page_features(draw: st.DrawFn, max_lines: int = 24) -> np.ndarray:
    """A page's feature matrix, its columns near the edges the thresholds and structure rules test."""
    n = draw(st.integers(0, max_lines))
    picks = st.integers(0, 2**31 - 1)
    rng = np.random.default_rng(draw(picks))
    features = rng.random((n, WIDTH))
    # words around the anchor (12) and long-line (20) counts; endings on or off
    features[:, _LOG_WORDS] = np.log1p(rng.choice([0, 2, 11, 12, 19, 20, 35], size=n))
    features[:, _ENDINGS] = rng.integers(0, 2, size=(n, len(_ENDINGS)))
    # the structure rules' columns: at, under and over their cuts, and the page's own "no long line" value
    features[:, _COLUMN["separators"]] = np.log1p(rng.choice([0, 1, 2, 5], size=n))
    features[:, _COLUMN["ends-sentence"]] = rng.integers(0, 2, size=n)
    features[:, _COLUMN["log-short-run"]] = np.log1p(rng.choice([0, 2, 3, 7], size=n))
    features[:, _COLUMN["long-lines-before-fraction"]] = rng.choice([0.0, 0.5], size=n)
    none = np.log1p(n + 1)
    for name in ("log-distance-long-before", "log-distance-long-after"):
        features[:, _COLUMN[name]] = rng.choice([none, np.log1p(3), np.log1p(n + 2)], size=n)
    features[:, COMMENT] = rng.integers(0, 2, size=n)
    return features


def scores_of(features: np.ndarray, seed: int) -> LineScores:
    rng = np.random.default_rng(seed)
    content = rng.choice([0.05, 0.09, 0.1, 0.11, 0.3, 0.79, 0.8, 0.95], size=len(features))
    return LineScores(content, features, features, MODEL_FEATURES)


@settings(max_examples=200, deadline=None)
@given(st.lists(page_features(), max_size=8), st.integers(0, 2**31 - 1), st.sampled_from([0.05, 0.2, 0.4, 0.9]))
def test_thresholds_of_many_pages_are_each_page_s(pages: list[np.ndarray], seed: int, threshold: float) -> None:
    scores = [scores_of(features, seed + k) for k, features in enumerate(pages)]
    found = line_thresholds_many(scores, threshold)
    assert len(found) == len(scores)
    for cuts, page in zip(found, scores, strict=True):
        assert cuts.tolist() == line_thresholds(page, threshold).tolist()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(page_features(), max_size=8),
    st.data(),
    st.sets(st.sampled_from([code for code, _ in _RULES])),
)
def test_structure_verdicts_of_many_pages_are_each_page_s(
    pages: list[np.ndarray], data: st.DataObject, disabled: set[str]
) -> None:
    scores = [scores_of(features, k) for k, features in enumerate(pages)]
    rows = [
        np.array(sorted(data.draw(st.sets(st.integers(0, len(features) - 1)))) if len(features) else [], dtype=np.intp)
        for features in pages
    ]
    found = plain_model_verdicts_many(rows, scores, frozenset(disabled))
    expected = [
        plain_model_verdicts(chosen, page, frozenset(disabled))
        for chosen, page in zip(rows, scores, strict=True)
    ]
    assert found == expected


@pytest.mark.parametrize("evidence", [True, False])
@pytest.mark.parametrize("keep_comments", [True, False])
@settings(max_examples=60, deadline=None)
@given(pages=st.lists(page_features(), min_size=1, max_size=6), data=st.data())
def test_model_verdicts_of_a_run_are_each_page_s(
    pages: list[np.ndarray], data: st.DataObject, evidence: bool, keep_comments: bool
) -> None:
    rules = compile_rules(CleanConfig(mode="balanced", evidence=evidence, keep_comments=keep_comments))
    assert rules.model is not None
    scored = [features for features in pages if len(features) >= 2]
    if not scored:
        return
    scores = rules.model.score_many(scored)
    ruled = Verdict(False, "B030", "share-buttons", "")
    pages_verdicts = [
        (data.draw(st.lists(st.sampled_from([KEEP, ruled]), min_size=len(f), max_size=len(f))), list(range(len(f))))
        for f in scored
    ]
    one_by_one = [(list(verdicts), index) for verdicts, index in pages_verdicts]
    for (verdicts, index), page in zip(one_by_one, scores, strict=True):
        _apply_model(verdicts, page, index, rules)
    at_once = [(list(verdicts), index) for verdicts, index in pages_verdicts]
    _apply_model_many(at_once, scores, rules)
    assert [verdicts for verdicts, _ in at_once] == [verdicts for verdicts, _ in one_by_one]


_LINES = st.sampled_from(
    ["", "Home", "Share on Facebook", "The river rose two metres overnight, flooding the old town.", "12 May 2024",
     "Politics (48)", "Reply", "x " * 400, "Ça va? Très bien.", "Home"]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_LINES, max_size=12), min_size=1, max_size=6), st.data())
def test_features_of_many_are_each_page_s(pages: list[list[str]], data: st.DataObject) -> None:
    from textclean._features import context_of_many, features_of, features_of_many, lexical_of_many, prepare_many
    from textclean._features_repeats import repeats_of_many
    from textclean._line_model import load_line_model

    prepared = prepare_many(pages)
    sections = [data.draw(st.none() | st.integers(0, max(len(lines), 1))) for lines in pages]
    context = context_of_many(prepared)
    lexical = lexical_of_many(prepared, [None] * len(prepared))
    repeats = repeats_of_many(prepared)
    stacked, found = features_of_many(prepared, sections, context, lexical, repeats)
    assert len(found) == len(pages)
    for k, (document, lines) in enumerate(zip(prepared, pages, strict=True)):
        in_comments = np.zeros(len(lines), dtype=bool)
        if sections[k] is not None:
            in_comments[sections[k] :] = True
        alone = features_of(document, np.zeros(len(lines), dtype=bool), in_comments, None, context[k], lexical[k],
                            repeats[k])
        assert found[k].tobytes() == alone.tobytes()
        assert np.shares_memory(found[k], stacked) or not len(found[k])
    model = load_line_model()
    assert model is not None
    if not all(len(features) >= 2 for features in found):  # only pages of two lines or more are scored
        return
    together = model.score_many(found, stacked=stacked)
    apart = model.score_many(found)
    assert [s.content.tobytes() for s in together] == [s.content.tobytes() for s in apart]
    with pytest.raises(ValueError, match="stacked"):
        model.score_many(found, stacked=stacked[1:])


_STRUCTURE_LINES = st.sampled_from(
    ["", "Home | News | Sport", "a·b·c", "• one", "Politics (48)", "► May 2012 (7)", "January 2004", "12",
     "x" * 90 + "1", "The river rose two metres overnight.", "Ça va (3)", "(2)"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_STRUCTURE_LINES, max_size=10), min_size=1, max_size=6))
def test_structure_gates_of_a_batch_are_each_page_s(pages: list[list[str]]) -> None:
    from textclean._classify import _archive_candidates, _separator_rows, _structure_gates_many
    from textclean._features import prepare_many

    prepared = prepare_many(pages)
    for document, gates in zip(prepared, _structure_gates_many(prepared), strict=True):
        if document.text is None:
            assert gates is None
            continue
        assert gates == (_separator_rows(document), _archive_candidates(document.text))


@settings(max_examples=200, deadline=None)
@given(st.lists(_STRUCTURE_LINES, max_size=14), st.data())
def test_archive_runs_are_the_runs_of_free_entries(lines: list[str], data: st.DataObject) -> None:
    """A run is three or more consecutive rows, none taken by another rule, each a short archive entry: found from
    the gated candidates (with the batch's or the document's own) as by its plain definition."""
    from textclean._classify import _archive_entry, _archive_runs, _structure_gates_many
    from textclean._features import prepare_lines, prepare_many

    prepared = prepare_lines(lines)
    rows = prepared.rows
    taken = set(data.draw(st.lists(st.integers(0, max(len(rows) - 1, 0)), max_size=3))) if rows else set()
    entry = [row not in taken and len(line) <= 80 and _archive_entry(line) for row, line in enumerate(rows)]
    want, start = [], 0
    for k in range(len(rows) + 1):
        if k == len(rows) or not entry[k]:
            if k - start >= 3:
                want.append((start, k - 1))
            start = k + 1
    assert _archive_runs(prepared, taken) == want
    batch = prepare_many([["Politics (48)"], lines, ["January 2004"]])  # runs never cross into another page
    gates = _structure_gates_many(batch)[1]
    assert _archive_runs(batch[1], taken, None if gates is None else gates[1]) == want
