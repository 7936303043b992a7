"""The rule table: stable codes, documented rules, and every rule's own examples and keeps."""

from __future__ import annotations

import pathlib
import re

import pytest

from textclean import CleanConfig
from textclean._classify import classify_lines, compile_rules
from textclean._errors import ConfigError
from textclean._matcher import Matcher
from textclean._matcher_probe import ALL
from textclean._rule import Rule
from textclean._rules import PATTERN_RULES, RULES, rule_by_code_or_name
from textclean._rules_doc import render_rules_reference

# Every code ever published, in order. Append only: a retired rule keeps its line (never reuse a code).
PUBLISHED_CODES = (
    "B001 B002 B003 B004 B005 B006 B007 B010 B011 B012 B013 B020 B021 B022 B030 B031 B032 B033 "
    "B040 B041 B042 B043 B044 B050 B051 B501 B502 B503 B504 B505 B510 B506 B023"
).split()

ARTICLE = [
    "The river rose two metres overnight, flooding the old town and forcing hundreds of families out.",
    "Rescue teams worked through the night, and by morning most residents had reached the shelters.",
    "The mayor said the town would need months to repair the damage to its bridges and roads.",
]
ALL_RULES = compile_rules(CleanConfig(mode="aggressive"))
BALANCED = compile_rules(CleanConfig())
_MODEL_ONLY = {"B510"}  # its example, menu lines around a short article, goes as B501 menu runs and B041
ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_codes_are_unique_well_formed_and_never_reused() -> None:
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"B(?:0\d\d|5\d\d|9\d\d)", code) for code in codes)
    assert set(codes) <= set(PUBLISHED_CODES), "add new codes to PUBLISHED_CODES (never reuse one)"
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z]+(?:-[a-z]+)*", name) for name in names)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_is_documented(rule: Rule) -> None:
    assert rule.summary and rule.why and rule.examples and rule.keeps
    assert rule.code.startswith("B0") == bool(rule.patterns)


@pytest.mark.parametrize(
    ("rule", "example"), [(r, e) for r in PATTERN_RULES for e in r.examples], ids=lambda x: getattr(x, "code", "")
)
def test_pattern_rule_removes_its_examples(rule: Rule, example: str) -> None:
    verdict = classify_lines([example], ALL_RULES)[0]
    assert (verdict.keep, verdict.code) == (False, rule.code), verdict
    assert verdict.rule == rule.name and verdict.evidence


@pytest.mark.parametrize(
    ("rule", "keep"), [(r, k) for r in RULES for k in r.keeps], ids=lambda x: getattr(x, "code", "")
)
def test_rule_keeps_its_keeps(rule: Rule, keep: str) -> None:
    lines = keep.split("\n") if "\n" in keep else [ARTICLE[0], keep, *ARTICLE[1:]]
    verdicts = classify_lines(lines, BALANCED)
    assert all(v.code != rule.code for v in verdicts), verdicts
    if "\n" not in keep:
        assert verdicts[1].keep, verdicts[1]


@pytest.mark.parametrize(
    ("rule", "example"),
    [(r, e) for r in RULES if not r.patterns for e in r.examples],
    ids=lambda x: getattr(x, "code", ""),
)
def test_structure_rule_fires_on_its_examples(rule: Rule, example: str) -> None:
    if rule.code in _MODEL_ONLY:
        pytest.xfail("the example's lines go as B501 menu runs and B041 instead (docs/quality.md, known gaps)")
    verdicts = classify_lines(example.split("\n"), BALANCED)
    assert any(v.code == rule.code for v in verdicts), verdicts


def test_lookup_by_code_or_name() -> None:
    assert rule_by_code_or_name("B010") is rule_by_code_or_name("rss-footer")
    with pytest.raises(ConfigError, match="unknown rule"):
        rule_by_code_or_name("B999")
    with pytest.raises(ConfigError):
        compile_rules(CleanConfig(disabled_rules=frozenset({"no-such-rule"})))


def test_rule_reference_is_generated() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == render_rules_reference("markdown")
    text = render_rules_reference("text")
    assert all(rule.code in text for rule in RULES)


@pytest.mark.parametrize("rule", PATTERN_RULES, ids=lambda r: r.code)
def test_every_pattern_alternative_has_a_probe(rule: Rule) -> None:
    """The matcher screens lines by each alternative's start, end or words (textclean/_matcher_probe.py).

    An alternative none of them can be read from sends every line to the exact matching: correct,
    but the whole corpus then pays for it. Give the phrase a literal start, end or word.
    """
    matcher = Matcher.build([rule], frozenset())
    others = (*matcher.anchored, *matcher.floating)
    unprobed = [e.source for e in others if ALL in (e.probe.kind(True), e.probe.kind(False))]
    assert not unprobed
    assert not matcher.probes.always and not matcher.probes.always_nonletter
