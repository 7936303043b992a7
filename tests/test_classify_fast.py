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
from textclean._rules._literals import literal_starts, required_words, starts_with_non_letter

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


# --- per-document features, comment sections and model verdicts (tests/reference_impl.py) ---

from reference_impl import (  # noqa: E402
    reference_comment_section,
    reference_document_features,
    reference_model_verdict,
)

from textclean._adaptive import line_thresholds  # noqa: E402
from textclean._classify import _comment_section, _structure_of, classify_lines, compile_rules, score_lines  # noqa: E402
from textclean._config import CleanConfig  # noqa: E402
from textclean._features import document_features  # noqa: E402
from textclean._lineshape import _BMP, _table, char_bits  # noqa: E402

SCRIPTS = (
    "The river rose two metres overnight, flooding the old town.",
    "Der Fluss stieg über Nacht um zwei Meter. „Zitat“ — Ende…",
    "Река поднялась за ночь на два метра; АВТОР: Иван",
    "河水一夜之间上涨了两米。「東京」のニュース、カタカナ。한국어 문장입니다.",
    "النهر ارتفع مترين ١٢٣ ٤٥٦ ؟",
    "नदी रात भर में दो मीटर बढ़ गई। ९८७",
    "Ωμέγα ΣΊΣΥΦΟΣ ſtraße Kelvin K ǅemal ǈ ᾈ 𝐀𝐁 𐐀𐐨 🙂 𠀀𠀁",
)
FURNITURE = (
    "- item", "• Home", "1. First", "12) second", "a) third", "K. kelvin", "ſ) long s", "Home | About | Contact",
    "News · Sport · Weather", "a / b / c", "Home » Blog » Post", "By John Smith", "von Anna Müller", "par Jean",
    "автор Иван", "Posted 12/05/2012 at 10:30", "2012-03-04", "© 2019 Example", "1999年", "١٢/٠٥/٢٠١٢",
    "Visit www.example.com or mail me@example.org", "see HTTPS://EXAMPLE.NET/page.HTML", "index.htm",
    "WWW.SHOUTING.COM", "“Quoted.”", "(Aside.)", "Wait...", "Wait…", "Title:", "ALL CAPS LINE", "A1B2",
    "Comments", "12 Comments", "Leave a Reply", "John says:", "Reply", "3 hours ago", "October 22, 2012 | Maggie",
    "x\u2028y", "tab\tseparated\u00a0nbsp", "\x1cfs\x1dgs", "0123456789" * 30, "10,000 people, 5 dogs",
)
CHARS = "aA1 ,.:;!?…|·•»›/-–—*()[]\"'”’»」』）›@\t\u3000\u00a0\u2028ſKİı5٣۵߃०১੧૧" + "".join(SCRIPTS)

realistic = st.one_of(
    st.sampled_from(SCRIPTS + FURNITURE),
    st.text(alphabet=CHARS, max_size=60),
    st.text(max_size=30),
    st.builds(lambda a, b: a + " " + b, st.sampled_from(FURNITURE), st.sampled_from(SCRIPTS)),
    st.builds(lambda s, k: (s + " ") * k, st.sampled_from(SCRIPTS + FURNITURE), st.integers(30, 60)),  # > 2000 chars
    st.just(""),
    st.just("   "),
)
documents = st.lists(realistic, max_size=30)


def same_features(lines: list[str], hits: list[bool], comments: list[bool]) -> None:
    fast, index, words = document_features(lines, hits, comments)
    slow, slow_index, slow_words = reference_document_features(lines, hits, comments)
    assert fast.shape == slow.shape and fast.dtype == slow.dtype
    assert np.array_equal(fast, slow), np.argwhere(fast != slow)[:5]
    assert index == slow_index and np.array_equal(words, slow_words)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=documents, data=st.data())
def test_document_features_agree_with_the_reference(lines: list[str], data: st.DataObject) -> None:
    flags = st.lists(st.booleans(), min_size=len(lines), max_size=len(lines))
    same_features(lines, data.draw(flags), data.draw(flags))


@pytest.mark.parametrize(
    "lines",
    [[], [""], ["", "  "], ["a"], ["x" * 5000], ["\u4e00" * 2500, "", "b c"], ["one\ntwo", "three"], ["é" * 2001]],
)
def test_document_features_edge_cases(lines: list[str]) -> None:
    same_features(lines, [False] * len(lines), [True] * len(lines))


def test_character_table_matches_the_predicates() -> None:
    table = _table()
    assert all(int(table[code]) == char_bits(chr(code)) for code in range(_BMP))


RULES = {mode: compile_rules(CleanConfig(mode=mode)) for mode in ("balanced", "aggressive")}
ARTICLE = " ".join(["The council met on Tuesday and agreed the new flood defences for the old town."] * 2)
comment_docs = st.lists(
    st.one_of(realistic, st.sampled_from([ARTICLE, "Comments", "12 Comments", "John says:", "Reply", "Leave a Reply"])),
    max_size=40,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=comment_docs)
def test_comment_section_agrees_with_the_reference(lines: list[str]) -> None:
    rules = RULES["balanced"]
    assert _comment_section(lines, rules) == reference_comment_section(
        lines, rules.comment_headers, rules.comment_markers
    )


def reference_classify(lines: list[str], mode: str) -> list[object]:
    rules = RULES[mode]
    verdicts, scores, index = score_lines(lines, rules)
    if scores is None or len(index) < 2:
        return list(verdicts)
    cuts = line_thresholds(scores, rules.threshold)
    in_comments = scores.features[:, scores.names.index("comment-section")]
    for row, i in enumerate(index):
        if rules.keep_comments and in_comments[row]:
            continue
        if verdicts[i].keep and scores.content[row] < cuts[row]:
            code, name, where = _structure_of(row, scores.features)
            verdicts[i] = reference_model_verdict(
                row, scores, code, name, where, rules.disabled, threshold=rules.threshold, cut=float(cuts[row])
            )
    return list(verdicts)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=comment_docs, mode=st.sampled_from(sorted(RULES)))
def test_model_verdicts_agree_with_the_reference(lines: list[str], mode: str) -> None:
    assert classify_lines(lines, RULES[mode]) == reference_classify(lines, mode)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=documents)
def test_features_from_the_cleaners_tokens_are_the_same(lines: list[str]) -> None:
    """The cleaner hands classify_lines the words it tokenised for paragraph dedup: same features either way."""
    from textclean._paragraphs import lowercase_words

    flags = [False] * len(lines)
    given_tokens = document_features(lines, flags, flags, [lowercase_words(line) for line in lines])
    computed = document_features(lines, flags, flags)
    assert np.array_equal(given_tokens[0], computed[0]) and given_tokens[1] == computed[1]


def test_chrome_lexicon_comes_from_the_phrase_tables() -> None:
    from textclean._lexical import CONTENT_WORD_LETTERS, chrome_lexicon
    from textclean._rules.comments import COMMENT_HEADERS, COMMENT_MARKERS

    sources = " ".join([p for rule in PATTERN_RULES for p in rule.patterns] + [*COMMENT_HEADERS, *COMMENT_MARKERS])
    lexicon = chrome_lexicon()
    assert {"newsletter", "abonnieren", "commentaires", "подписаться"} <= lexicon
    assert all(len(word) >= CONTENT_WORD_LETTERS and word in sources.lower() for word in lexicon)
