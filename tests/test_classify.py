"""The line classifier: golden cases, interface properties, speed on huge lines."""

from __future__ import annotations

import json
import pathlib
import pickle
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textclean import CleanConfig, Rule
from textclean._classify import classify_lines, compile_rules

CASES = [
    json.loads(line)
    for line in (pathlib.Path(__file__).parent / "cases" / "rules.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]
DEFAULT = compile_rules(CleanConfig())
ARTICLE = [
    "The river rose two metres overnight, flooding the old town and forcing hundreds of families out.",
    "Rescue teams worked through the night, and by morning most residents had reached the shelters.",
]


@pytest.mark.parametrize("case", CASES, ids=[c["note"][:50] for c in CASES])
def test_golden_case(case: dict[str, Any], request: pytest.FixtureRequest) -> None:
    if case.get("xfail"):
        request.applymarker(pytest.mark.xfail(reason=case["xfail"], strict=True))
    config = CleanConfig(mode=case["mode"], keep_comments=case.get("keep_comments", False))
    verdicts = classify_lines(case["lines"], compile_rules(config))
    assert [v.code for v in verdicts] == case["expected_codes"], [(v.code, v.evidence) for v in verdicts]
    assert all(v.keep == (v.code is None) for v in verdicts)
    assert all(v.evidence for v in verdicts if not v.keep)


def test_blank_lines_are_kept() -> None:
    assert [v.keep for v in classify_lines(["", "   ", ""], DEFAULT)] == [True, True, True]


def test_disabled_rules_by_code_or_name() -> None:
    lines = ["Share on Facebook", *ARTICLE]
    rules = compile_rules(CleanConfig(disabled_rules=frozenset({"share-buttons", "B510", "B503"})))
    assert classify_lines(lines, rules)[0].code != "B030"


def test_user_rule() -> None:
    rule = Rule(code="U001", name="river-promo", summary="promo", why="promo", patterns=(r"^win a boat",), max_words=10)
    verdicts = classify_lines(["Win a boat today!", *ARTICLE], compile_rules(CleanConfig(extra_rules=(rule,))))
    assert (verdicts[0].code, verdicts[0].rule) == ("U001", "river-promo")


def test_languages_scope_phrase_rules() -> None:
    rules = compile_rules(CleanConfig(languages=frozenset({"en"}), disabled_rules=frozenset({"B510"})))
    assert classify_lines(["Weiterlesen", *ARTICLE], rules)[0].code != "B040"
    assert classify_lines(["Read more", *ARTICLE], rules)[0].code == "B040"


def test_compiled_rules_pickle() -> None:
    lines = ["Share on Facebook", *ARTICLE, "Privacy Policy"]
    assert classify_lines(lines, pickle.loads(pickle.dumps(DEFAULT))) == classify_lines(lines, DEFAULT)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=120), max_size=30))
def test_one_verdict_per_line_and_deterministic(lines: list[str]) -> None:
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    first = classify_lines(lines, DEFAULT)
    assert len(first) == len(lines)
    assert first == classify_lines(list(lines), DEFAULT)


@pytest.mark.parametrize("unit", ["a", "Share ", "1 2 ", "Home > ", "© ", "x says: ", "河水", "<!-- "])
def test_huge_line_is_linear(unit: str) -> None:
    line = (unit * (5_000_000 // len(unit)))[:5_000_000]
    start = time.perf_counter()
    classify_lines([ARTICLE[0], line, ARTICLE[1]], DEFAULT)
    assert time.perf_counter() - start < 1.0


def test_many_short_pattern_lines_are_fast() -> None:
    lines = ["Home > News > " + "a" * 30 + " | " * 20] * 2000
    start = time.perf_counter()
    classify_lines(lines, DEFAULT)
    assert time.perf_counter() - start < 2.0


def test_comment_header_above_the_article_opens_no_section() -> None:
    lines = ["Home", "Comments", "Posted by Ann Lee on March 3, 2021 at 4:12 pm", "Reply", *ARTICLE]
    assert all(v.code != "B505" for v in classify_lines(lines, DEFAULT))


def test_comment_section_needs_a_marker_that_is_not_a_bare_date() -> None:
    reply = "A long reply that readers wrote about the flood and the bridge."
    tail = ["3 Comments", "March 3, 2021", reply, "March 4, 2021"]
    assert classify_lines([*ARTICLE, *tail], DEFAULT)[4].keep
    verdicts = classify_lines([*ARTICLE, *tail, "Tom says:"], DEFAULT)
    assert verdicts[4].code == "B505"


def test_keep_comments_keeps_the_section() -> None:
    reply = "I was there and it was worse than described, the whole street flooded."
    lines = [*ARTICLE, "3 Comments", "Mary says:", reply]
    rules = compile_rules(CleanConfig(keep_comments=True))
    assert all(v.code != "B505" for v in classify_lines(lines, rules))
