"""Repeated paragraphs: the fast near-dup prefilter finds exactly the pairs the set-based reference finds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference_impl import reference_prefiltered_pairs

from textclean import _paragraphs
from textclean._paragraphs import _prefiltered_pairs, find_repeats, number_words

VOCABULARY = "the of and troops north korea russia sent ten thousand week front war city river rose old town".split()

paragraph = st.lists(st.sampled_from(VOCABULARY), min_size=8, max_size=30)


@st.composite
def pages(draw: st.DrawFn) -> list[list[str]]:
    """Paragraphs from a small vocabulary, with edited copies of earlier ones (so pairs meet)."""
    out: list[list[str]] = []
    for _ in range(draw(st.integers(2, 40))):
        if out and draw(st.booleans()):
            words = list(draw(st.sampled_from(out)))
            for _ in range(draw(st.integers(0, 3))):
                at = draw(st.integers(0, len(words) - 1))
                words[at] = draw(st.sampled_from(VOCABULARY))
            out.append(words)
        else:
            out.append(draw(paragraph))
    return out


@settings(max_examples=200, deadline=None)
@given(pages(), st.sampled_from([0.5, 0.8, 0.95]))
def test_prefilter_equals_reference(page: list[list[str]], threshold: float) -> None:
    candidates = list(range(len(page)))
    assert _prefiltered_pairs(page, candidates, threshold) == reference_prefiltered_pairs(page, candidates, threshold)


@settings(max_examples=50, deadline=None)
@given(pages())
def test_large_page_path_equals_dense_path(page: list[list[str]]) -> None:
    candidates = list(range(len(page)))
    dense = _prefiltered_pairs(page, candidates, 0.8)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_paragraphs, "_DENSE_ROWS", 0)
        assert _prefiltered_pairs(page, candidates, 0.8) == dense


@given(st.lists(st.sampled_from(["the", "river", "Fluss", "1999", "", "é", "e\u0301"]), max_size=40))
def test_number_words_numbers_by_first_occurrence(words: list[str]) -> None:
    numbers, distinct = number_words(words)
    assert distinct == list(dict.fromkeys(words))  # distinct, in order of first occurrence
    assert [distinct[k] for k in numbers.tolist()] == words  # each word's number points at it


def test_pair_chunks_cover_every_pair() -> None:
    page = [["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]] * 120  # 7140 pairs
    candidates = list(range(len(page)))
    pairs = _prefiltered_pairs(page, candidates, 0.8)
    assert sum(len(earlier) for _, earlier in pairs) == 120 * 119 // 2
    assert pairs == reference_prefiltered_pairs(page, candidates, 0.8)


def test_near_copy_is_found_and_twin_recorded() -> None:
    first = "The deployment of ten thousand troops marks a sharp escalation of the war in the east"
    later = "The deployment of ten thousand troops marks a sharp escalation of the war in the east now"
    repeats = find_repeats([first, "Something else happened in the capital on Tuesday evening.", later])
    assert [(r.index, r.twin, r.code) for r in repeats] == [(2, 0, "D002")]
    assert 0.8 <= repeats[0].similarity < 1.0
