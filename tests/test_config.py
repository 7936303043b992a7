"""Configuration: TOML files, validation, user rules."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from textclean import CleanConfig, Cleaner, ConfigError, Rule, load_config


def write(tmp_path: Path, body: str) -> str:
    path = tmp_path / "textclean.toml"
    path.write_text(body, encoding="utf-8")
    return str(path)


def test_full_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, """
mode = "aggressive"
languages = ["en", "de"]
keep_comments = true
evidence = false
disable = ["B001"]
[paragraphs]
near_threshold = 0.9
min_words = 5
[normalize]
uncurl_quotes = true
[[rules]]
code = "U100"
name = "shop-hours"
patterns = ["^opening hours:"]
max_words = 12
examples = ["Opening hours: 9 to 5"]
"""))
    assert config.mode == "aggressive" and config.languages == frozenset({"en", "de"})
    assert config.keep_comments and config.disabled_rules == frozenset({"B001"}) and not config.evidence
    assert config.near_duplicate_threshold == 0.9 and config.near_duplicate_min_words == 5
    assert config.normalize.uncurl_quotes
    (rule,) = config.extra_rules
    assert rule.code == "U100" and rule.max_words == 12
    result = Cleaner(config).clean("Opening hours: 9 to 5\nThe shop on the corner has sold bread since 1921.")
    assert [r.code for r in result.removed] == ["U100"]


def test_textclean_table_is_accepted(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, '[textclean]\nmode = "conservative"\n')).mode == "conservative"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('mood = "balanced"', "unknown key(s) mood"),
        ('mode = "wild"', "mode must be one of"),
        ("[paragraphs]\nnear_threshold = 1.5", "near_duplicate_threshold"),
        ("[paragraphs]\nmin_words = 0", "near_duplicate_min_words must be at least 1"),
        ("[normalize]\nuncurl = true", "unknown key(s) uncurl"),
        ('[[rules]]\ncode = "B777"\nname = "x"\npatterns = ["a"]', "must start with 'U'"),
        ('[[rules]]\ncode = "U1"\nname = "x"\npatterns = ["(unclosed"]', "not a valid regular expression"),
        ('[[rules]]\ncode = "U1"\nname = "x"', "missing patterns"),
        ("mode = ", "not valid TOML"),
    ],
)
def test_bad_files_say_what_is_wrong(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_config(write(tmp_path, body))


def test_missing_file() -> None:
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config("/nonexistent/textclean.toml")


def test_unknown_disabled_rule_is_an_error() -> None:
    with pytest.raises(ConfigError):
        Cleaner(CleanConfig(disabled_rules=frozenset({"no-such-rule"})))


def test_disabling_a_rule_keeps_its_lines() -> None:
    text = "About admin\nThe harbour council voted to close the pier on Tuesday night."
    assert Cleaner().clean(text).removed
    rule = next(r for r in Cleaner().clean(text).removed)
    disabled = Cleaner(CleanConfig(disabled_rules=frozenset({rule.rule}))).clean(text)
    assert rule.code not in {r.code for r in disabled.removed}


def test_config_is_frozen_and_replaceable() -> None:
    config = CleanConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.mode = "aggressive"  # type: ignore[misc]
    assert dataclasses.replace(config, mode="conservative").mode == "conservative"
    with pytest.raises(ConfigError):
        CleanConfig(extra_rules=(Rule(code="B1", name="x", summary="", why="", patterns=("a",)),))
