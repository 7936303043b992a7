"""The whole rule catalogue: codes stable, unique, documented; the reference is generated."""

from __future__ import annotations

import regex

from textclean._rules_doc import all_rules, render_rules_reference
from textclean._summary import rule_names

KEBAB = regex.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
FAMILIES = ("B0", "B5", "B9", "D0", "D1", "D2", "T0")


def test_codes_and_names_are_unique_across_every_family() -> None:
    rules = all_rules()
    codes = [rule.code for rule in rules]
    names = [rule.name for rule in rules]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))


def test_every_rule_is_documented() -> None:
    for rule in all_rules():
        assert rule.code[:2] in FAMILIES, rule.code
        assert KEBAB.fullmatch(rule.name), rule.name
        assert rule.summary.strip() and rule.why.strip(), rule.code
        assert rule.examples, f"{rule.code} has no example"


def test_reference_and_summary_name_every_code() -> None:
    text = render_rules_reference("text")
    names = rule_names()
    for rule in all_rules():
        assert rule.code in text and names[rule.code] == rule.name
