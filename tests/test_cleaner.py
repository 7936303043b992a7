"""The cleaning pipeline: golden cases and the invariants every result must hold."""

from __future__ import annotations

import itertools
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import textclean
from tests.conftest import EXAMPLE
from textclean import CleanConfig, Cleaner, clean_text
from textclean._normalize import normalize_line, split_lines
from textclean._result import CleanStats

CASES = Path(__file__).parent / "cases"


def load_cases(name: str) -> list[dict[str, Any]]:
    lines = (CASES / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.mark.parametrize("case", load_cases("clean.jsonl"), ids=lambda case: case["name"])
def test_golden_case(case: dict[str, Any]) -> None:
    config = CleanConfig(**case.get("config", {}))
    result = Cleaner(config).clean(case["input"])
    assert result.text == case["expected"]
    assert [r.code for r in result.removed] == case["codes"]


def test_example_page() -> None:
    result = clean_text(EXAMPLE.read_text(encoding="utf-8"))
    assert result.text + "\n" == (CASES / "example_page.expected.txt").read_text(encoding="utf-8")
    repeats = [r for r in result.removed if r.code == "D001"]
    assert [(r.line_start, r.twin_line, r.similarity) for r in repeats] == [(9, 5, 1.0), (11, 7, 1.0)]


def test_near_repeated_paragraph_cites_twin_and_similarity() -> None:
    first = ("The council voted on Tuesday to close the old ferry pier at the end of March, ending a "
             "century of passenger service from the waterfront of the old town.")
    later = first.replace("Tuesday", "Tuesday evening")
    result = clean_text(f"{first}\n\nSomething else happened in between, entirely unrelated to piers.\n\n{later}")
    (removal,) = result.removed
    assert (removal.code, removal.rule, removal.twin_line) == ("D002", "near-repeated-paragraph", 1)
    assert removal.similarity is not None and 0.8 <= removal.similarity < 1.0
    assert textclean.clean_text(result.text).text == result.text


def test_near_threshold_none_keeps_near_copies() -> None:
    first = "A long enough paragraph about the ferry pier and the council vote that closed it this week."
    later = first + " Officials agreed."
    text = f"{first}\n{later}"
    assert clean_text(text, CleanConfig(near_duplicate_threshold=None)).text == text
    assert clean_text(text).text == first


def test_cleaner_is_picklable_and_reusable() -> None:
    cleaner = pickle.loads(pickle.dumps(Cleaner(CleanConfig(mode="aggressive"))))
    assert cleaner.clean("About admin").text == ""


def test_dedup_can_be_switched_off() -> None:
    para = "The same paragraph appears twice on this page, word for word."
    assert clean_text(f"{para}\n{para}", CleanConfig(dedup_paragraphs=False)).text == f"{para}\n{para}"


def test_document_verdicts() -> None:
    chrome = clean_text("About admin\nShare on Facebook")
    assert chrome.is_empty and chrome.mostly_chrome and chrome.removed_word_ratio == 1.0
    empty = clean_text("")
    assert empty.is_empty and empty.removed == () and empty.lines_total == 0


# --- properties ---

LINE = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=60),
    st.sampled_from([
        "", "   ", "About admin", "Share on Facebook", "Read more", "© 2024 Example Ltd. All rights reserved.",
        "Home | News | Sport | Weather", "The council voted 7 to 2 on Tuesday to close the old ferry pier.",
        "The council voted 7 to 2 on Tuesday to close the old ferry pier!", "Next page »", "\u00a0\u200b",
        "«Nous ne savons pas», a-t-il déclaré au conseil municipal mardi soir.", "北朝鮮は兵士を派遣した。",
    ]),
)
LINE_ENDING = st.sampled_from(["\n", "\r\n", "\r", "\n\n"])


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = draw(st.lists(LINE, max_size=25))
    return "".join(line + draw(LINE_ENDING) for line in lines)


@settings(max_examples=200, deadline=None)
@given(documents())
def test_cleaning_never_invents_text_and_keeps_order(text: str) -> None:
    result = clean_text(text)
    normalised = [normalize_line(text[s:e]) for s, e in split_lines(text)]
    kept = [line for line in result.text.split("\n") if line]
    iterator = iter(normalised)
    assert all(any(line == candidate for candidate in iterator) for line in kept)


@settings(max_examples=200, deadline=None)
@given(documents())
def test_every_line_is_accounted_for(text: str) -> None:
    result = clean_text(text)
    assert result.lines_kept + result.lines_removed + result.lines_blank == result.lines_total
    assert result.lines_total == len(split_lines(text))
    assert result.lines_kept == sum(1 for line in result.text.split("\n") if line)
    previous_end = -1
    for removal in result.removed:
        assert text[removal.start : removal.end] == removal.text
        assert removal.start > previous_end or removal.start == removal.end
        previous_end = removal.end
    stats = CleanStats.from_result(result)
    assert sum(stats.by_code.values()) == stats.lines_removed == result.lines_removed


@settings(max_examples=100, deadline=None)
@given(documents())
def test_cleaning_is_deterministic_and_stable(text: str) -> None:
    first = clean_text(text)
    assert clean_text(text) == first
    again = clean_text(first.text)
    assert set(again.text.split("\n")) <= set(first.text.split("\n"))


@settings(max_examples=50, deadline=None)
@given(st.lists(documents(), max_size=5))
def test_stats_add_up_across_shards(texts: list[str]) -> None:
    results = [clean_text(t) for t in texts]
    total = sum((CleanStats.from_result(r) for r in results), CleanStats())
    assert total.documents == len(texts)
    assert total.lines_total == total.lines_kept + total.lines_removed + total.lines_blank
    assert total.lines_removed == sum(total.by_code.values())


_LEAN = Cleaner(CleanConfig(evidence=False))


def _removed_lines(result: textclean.CleanResult) -> dict[int, str]:
    return {line: r.code for r in result.removed for line in range(r.line_start, r.line_end + 1)}


@settings(max_examples=150, deadline=None)
@given(st.lists(documents(), max_size=4))
def test_without_evidence_the_text_and_counts_are_the_same(texts: list[str]) -> None:
    """``evidence=False`` removes the same lines for the same reasons; it only stops saying why in words."""
    for full, lean in zip([clean_text(t) for t in texts], _LEAN.clean_many(texts), strict=True):
        assert lean.text == full.text
        assert CleanStats.from_result(lean) == CleanStats.from_result(full)
        assert _removed_lines(lean) == _removed_lines(full)
        assert all(r.evidence == "" for r in lean.removed)
        assert [(r.twin_line, r.similarity) for r in lean.removed if r.twin_line] == [
            (r.twin_line, r.similarity) for r in full.removed if r.twin_line
        ]
        for before, after in itertools.pairwise(lean.removed):  # consecutive lines of one rule form one removal
            assert before.line_end + 1 < after.line_start or before.code != after.code or after.twin_line


def test_without_evidence_a_menu_is_one_removal() -> None:
    page = EXAMPLE.read_text(encoding="utf-8")
    full, lean = clean_text(page), _LEAN.clean(page)
    assert lean.text == full.text and len(lean.removed) <= len(full.removed)
    assert {r.code for r in lean.removed} == {r.code for r in full.removed}
