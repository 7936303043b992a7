"""The fast matcher and feature code give exactly what the straightforward implementations give.

References live in ``tests/reference_impl.py`` (the code as it was before the speed work).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from reference_impl import ReferenceMatcher, reference_smooth_features

from textclean._features import count_words, smooth_features
from textclean._matcher import Matcher
from textclean._rules import PATTERN_RULES
from textclean._rules._index import literal_starts, required_words, starts_with_non_letter

LANGUAGES = (frozenset(), frozenset({"en", "de"}), frozenset({"ja", "ru"}))
FAST = {languages: Matcher.build(PATTERN_RULES, languages) for languages in LANGUAGES}
SLOW = {languages: ReferenceMatcher.build(PATTERN_RULES, languages) for languages in LANGUAGES}
PHRASES = sorted({line for rule in PATTERN_RULES for line in (*rule.examples, *rule.keeps)})
TWINS = "ſςσϲµΜK\u1c80\u1c82İı"


def same_verdicts(lines: list[str], languages: frozenset[str]) -> None:
    words = [count_words(line) for line in lines]
    fast = FAST[languages].match_lines(lines, words)
    slow = [SLOW[languages].match(line, count) for line, count in zip(lines, words, strict=True)]
    assert fast == slow


@pytest.mark.parametrize("languages", LANGUAGES)
def test_rule_examples_and_keeps(languages: frozenset[str]) -> None:
    same_verdicts([p.strip() for p in PHRASES if p.strip()], languages)


edits = st.sampled_from(["", " ", "» ", "1. ", "© ", "(", ":", "...", " 12", "  ", "|", TWINS, "Ⅻ", "ß"])


@st.composite
def phrase_lines(draw: st.DrawFn) -> str:
    phrase = draw(st.sampled_from(PHRASES))
    cut = draw(st.integers(0, len(phrase)))
    phrase = phrase[:cut] + draw(edits) + phrase[cut:] if draw(st.booleans()) else phrase
    case = draw(st.sampled_from([str, str.upper, str.lower, str.title]))
    return (draw(edits) + case(phrase) + draw(edits) + draw(st.text(max_size=8))).strip()


lines_strategy = st.lists(
    st.one_of(phrase_lines(), st.text(min_size=1, max_size=40), st.text(alphabet=TWINS + "says: 12/", max_size=20)),
    min_size=1,
    max_size=12,
).map(lambda lines: [line.strip() for line in lines if line.strip()])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=lines_strategy, languages=st.sampled_from(LANGUAGES))
def test_matcher_agrees_with_the_reference(lines: list[str], languages: frozenset[str]) -> None:
    same_verdicts(lines, languages)


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, st.integers(1, 40), elements=st.floats(-50, 50)))
def test_smooth_features_agree_with_the_reference(logits: np.ndarray) -> None:  # type: ignore[type-arg]
    assert np.array_equal(smooth_features(logits), reference_smooth_features(logits))


def test_gate_analysis_is_sound_on_the_rule_examples() -> None:
    """Every example a rule removes contains one of the gate words of the alternative that matched it."""
    import regex

    for rule in PATTERN_RULES:
        for pattern in rule.patterns:
            compiled = regex.compile(pattern, regex.I | regex.V0)
            for example in rule.examples:
                if compiled.search(example) is None:
                    continue
                words = required_words(pattern.split(")", 1)[1] if pattern.startswith("(?#") else pattern)
                if words is not None:
                    assert any(word in example.lower() for word in words), (rule.code, example)


def test_literal_analysis_examples() -> None:
    assert literal_starts(r"(?:sign|log) ?in") == frozenset({"sign", "log ", "login"[:4]})
    assert required_words(r"(?:no|\d+)\s+comments?") == frozenset({"comment"})
    assert starts_with_non_letter(r"\d{1,2}:\d{2}") and not starts_with_non_letter(r"(?:\d+|no) comments")
