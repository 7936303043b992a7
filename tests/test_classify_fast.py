"""The fast matcher and feature code give exactly what the straightforward implementations give.

References live in ``tests/reference_impl.py`` (the code as it was before the speed work).
"""

from __future__ import annotations

import pickle
import sys

import numpy as np
import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import example as with_example
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from reference_impl import ReferenceMatcher, reference_smooth_features

from textclean._features import count_words
from textclean._line_model import MODEL_FEATURES, SMOOTH_FEATURES, smooth_features
from textclean._matcher import MAX_PATTERN_CHARS, Matcher
from textclean._matcher_affixes import _never_letter_char
from textclean._matcher_probe import _TAIL, LEADING, fold_case_twins, respaced
from textclean._matcher_shape import Shape, shape_of
from textclean._rule import Rule, Verdict
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


@settings(max_examples=200, deadline=None)
@given(st.lists(arrays(np.float64, st.integers(1, 15), elements=st.floats(-50, 50)), min_size=1, max_size=6))
def test_smoothing_a_batch_is_smoothing_each_document(documents: list[np.ndarray]) -> None:  # type: ignore[type-arg]
    """Bit-identical: neighbours and windows never cross from one document into the next."""
    from textclean._features_context import window_mean, window_means
    from textclean._line_model import SMOOTH_FEATURES, _smooth_many

    sizes = [len(d) for d in documents]
    out = np.empty((sum(sizes), len(SMOOTH_FEATURES)))
    _smooth_many(np.concatenate(documents), sizes, out)
    assert np.array_equal(out, np.concatenate([reference_smooth_features(d) for d in documents]))
    for radius in (1, 2, 5):
        together = window_means(np.concatenate(documents), sizes, radius)
        assert np.array_equal(together, np.concatenate([window_mean(d, radius) for d in documents]))


FIRST_PASS_COLUMNS = len(MODEL_FEATURES) - len(SMOOTH_FEATURES)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        arrays(np.float64, st.tuples(st.integers(1, 12), st.just(FIRST_PASS_COLUMNS)), elements=st.floats(-5, 5)),
        max_size=5,
    )
)
def test_scoring_a_batch_is_scoring_each_document(documents: list[np.ndarray]) -> None:  # type: ignore[type-arg]
    from textclean._line_model import load_line_model

    model = load_line_model()
    for many, document in zip(model.score_many(documents), documents, strict=True):
        alone = model.score(document)
        for name in ("content", "features", "contributions", "first"):
            assert np.array_equal(getattr(many, name), getattr(alone, name)), name


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


# --- the matcher's screen (textclean/_matcher_probe.py): odd lines, caps, user rules, memo, pickling ---

USER_RULES = tuple(
    Rule(code=f"U{n:03d}", name=f"user-{n}", summary="s", why="w", patterns=patterns, max_words=cap)
    for n, (patterns, cap) in enumerate(
        [
            ((r"^\W*(?:sponsored|advertisement)\W*$",), 4),
            ((r"powered\s+by\s+\w+", r"(?#de)bereitgestellt\s+von"), 8),
            ((r"^[\d\s]+items?\s+in\s+(?:your\s+)?cart$",), 10),
            ((r"(?:^|\s)#\w+$",), 3),
            ((r"^(?:call|text)\s+(?:us\s+)?\d{3}-\d{4}",), 6),
            # Without a word to look for or a start or end to compare, the screen lets every line through:
            ((r"^(?:\w+)$",), 1),
            ((r"(?s)^total:\s+\d+$",), None),  # an inline flag acts on the whole alternation (and the slow path)
        ],
        start=1,
    )
)
# Rule sets: the built-in table; with user rules the screen can probe; with one it cannot.
RULE_SETS = {
    "built-in": PATTERN_RULES,
    "user": (*PATTERN_RULES, *USER_RULES[:-2]),
    "unprobed": (*PATTERN_RULES, *USER_RULES),
}
COMBINATIONS = [(name, languages) for name in RULE_SETS for languages in LANGUAGES]
FAST_SETS = {(name, languages): Matcher.build(RULE_SETS[name], languages) for name, languages in COMBINATIONS}
SLOW_SETS = {(name, languages): ReferenceMatcher.build(RULE_SETS[name], languages) for name, languages in COMBINATIONS}
USER_LINES = (
    "Sponsored", "-- ADVERTISEMENT --", "Powered by WordPress", "bereitgestellt von X", "total: 12",
    "3 items in your cart", "#tbt", "call us 555-1234", "Hello", "NEWS",
)
SPACES = ["\t", "  ", "\xa0", "\u3000", "\u2009", "\x1c", "\n", " \t "]
TWIN_SWAPS = [("s", "ſ"), ("S", "ſ"), ("σ", "ς"), ("k", "K"), ("i", "İ"), ("μ", "µ")]
# Starts of long lines whose first match belongs to a rule for short lines (so the next rules are searched):
SHORT = sorted({example for rule in PATTERN_RULES if (rule.max_words or 99) <= 16 for example in rule.examples})[::4]
FILLER = " ".join(["the council met on tuesday and agreed the new flood defences"] * 2)
DIGIT_LINES = ["١٢/٠٥/٢٠١٢", "१२:३०", "٣ comments", "(٣ votes)", "١ ٢ ٣ next", "२०१२-०५-१२", "12:30 pm", "3 votes"]
LEADS = ["", "-- ", "» » ", "1. ", "12/05/2012 ", "((", "0123456789", "¿", "“", "12 ", "•\t"]
TAILS = ["", ":", " »", " (12)", "!!", ".…", " →", "\u3002", " ©", "\t:", " ¤"]


@st.composite
def rough_lines(draw: st.DrawFn) -> str:
    """Rule phrases with odd whitespace, long leads and tails, digits, twins and lengths around the cap."""
    phrase = draw(st.sampled_from(PHRASES + list(USER_LINES)))
    if draw(st.booleans()):
        phrase = phrase.replace(" ", draw(st.sampled_from(SPACES)), draw(st.integers(1, 3)))
    lead = draw(st.sampled_from(LEADS))
    tail = draw(st.sampled_from(TAILS))
    line = lead + draw(st.sampled_from([str, str.upper, str.lower])) (phrase) + tail
    if draw(st.integers(0, 9)) == 0:
        line = (line + " ") * draw(st.integers(30, 50))  # around MAX_PATTERN_CHARS
    return line.strip() or "x"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(st.one_of(rough_lines(), phrase_lines().filter(bool)), min_size=1, max_size=12),
    words=st.lists(st.integers(0, 90), min_size=12, max_size=12),
    rules=st.sampled_from(sorted(RULE_SETS)),
    languages=st.sampled_from(LANGUAGES),
)
def test_matcher_agrees_with_the_reference_on_odd_lines_and_user_rules(
    lines: list[str], words: list[int], rules: str, languages: frozenset[str]
) -> None:
    """Any word count (caps and the slow path), user rules, whitespace the probes respace, long lines."""
    counts = words[: len(lines)]
    slow = [SLOW_SETS[rules, languages].match(line, count) for line, count in zip(lines, counts, strict=True)]
    assert FAST_SETS[rules, languages].match_lines(lines, counts) == slow
    assert FAST_SETS[rules, languages].match_lines(lines, counts) == slow  # again, from the memo


@pytest.mark.parametrize(
    ("rules", "languages"),
    [*(("built-in", languages) for languages in LANGUAGES), ("user", LANGUAGES[1]), ("unprobed", LANGUAGES[0])],
)
def test_every_phrase_with_odd_spaces_leads_and_tails(rules: str, languages: frozenset[str]) -> None:
    """Each rule example and keep, respaced, led and tailed in every way the probes treat specially."""
    phrases = [p.strip() for p in (*PHRASES, *USER_LINES) if p.strip()]
    lines = [p.replace(" ", space) for space in SPACES for p in phrases]
    lines += [lead + p + tail for lead, tail in zip(LEADS, TAILS, strict=True) for p in phrases]
    lines += [p.upper() + tail for tail in TAILS for p in phrases]
    lines += [p.replace(a, b) for a, b in TWIN_SWAPS for p in phrases]
    lines += [f"{short} {FILLER} {p.replace(a, b)}" for short in SHORT for p in phrases[::3] for a, b in TWIN_SWAPS[:2]]
    lines += [lead + line for lead in ("", "» ", "12 ") for line in DIGIT_LINES]
    lines = [line.strip() for line in lines]
    counts = [count_words(line) for line in lines]
    slow = [SLOW_SETS[rules, languages].match(line, count) for line, count in zip(lines, counts, strict=True)]
    assert FAST_SETS[rules, languages].match_lines(lines, counts) == slow


def test_a_rule_without_probes() -> None:
    """A user rule takes lines through an alternative the screen cannot probe (so it sends every line on)."""
    matcher = FAST_SETS["unprobed", frozenset()]
    assert matcher.probes.always and not FAST_SETS["user", frozenset()].probes.always
    assert matcher.match("Hello", 1) == Verdict(False, "U006", "user-6", "matched 'Hello'")
    assert FAST_SETS["user", frozenset()].match("Hello", 1) is None


def test_probes_hold_on_every_rule_example() -> None:
    """Soundness of each alternative's probes, checked directly: they hold on every line the alternative matches."""
    matcher = FAST[frozenset()]
    lines = sorted({line.strip().lower() for line in PHRASES if line.strip() and len(line) <= MAX_PATTERN_CHARS})
    filed = {entry for entries in matcher.filed.values() for _, entry in entries}
    for lower in lines:
        letter = lower[:1].isalpha()
        start = 0 if letter else LEADING.match(lower).end()  # type: ignore[union-attr]
        for entry in filed:
            if start <= 8 and entry.compiled().match(lower, start):
                assert respaced(lower[start:]).startswith(entry.probe.letter_starts or ("",)), (entry, lower)
        for entry in (*matcher.anchored, *matcher.floating):
            if (entry.compiled().match if entry in matcher.anchored else entry.compiled().search)(lower):
                assert entry.may_match(fold_case_twins(lower), letter, start), (entry, lower)


def test_screen_lets_through_every_line_a_rule_matches() -> None:
    matcher = FAST_SETS["user", frozenset()]
    lines = sorted({line.strip().lower() for line in (*PHRASES, *USER_LINES) if line.strip()})
    screened = matcher.probes.screen(lines)
    missed = [line for i, line in enumerate(lines) if i not in screened and matcher._rough_hit(line)]
    assert not missed


def test_routes_take_every_line_to_the_alternative_that_matches_it() -> None:
    """Each rule phrase, led, tailed and respaced: routed, it gets the first hit of trying every alternative."""
    for name in ("built-in", "user"):
        matcher = FAST_SETS[name, frozenset()]
        phrases = [p.strip() for p in (*PHRASES, *USER_LINES) if p.strip()]
        lines = [lead + p + tail for lead, tail in zip(LEADS, TAILS, strict=True) for p in phrases]
        lines += [p.replace(" ", space) for space in SPACES for p in phrases]
        lines = sorted({line.strip().lower() for line in lines if line.strip()})
        routed = matcher.routes.route(lines, matcher.probes)
        for i, line in enumerate(lines):
            rough = matcher._rough_hit(line)
            if rough is None:
                continue
            assert i in routed, line
            hit = matcher._hit(line, routed[i]) if routed[i].routes is not None else matcher._rough_hit(line)
            assert hit is not None and (hit[0], hit[1].span()) == (rough[0], rough[1].span()), line


def _shaped(matcher: Matcher) -> list[tuple[int, Shape]]:
    routes = matcher.routes
    return [(route, shape) for route, shape in enumerate(routes.shapes) if shape is not None]


def test_shapes_hold_on_every_line_their_alternative_matches() -> None:
    """Soundness of each shape on the real rules: rule phrases with leads, tails, padding and twins, lowered or not."""
    matcher = FAST[frozenset()]
    shaped = _shaped(matcher)
    assert len(shaped) > 300  # most phrase alternatives end with $
    phrases = [p.strip() for p in PHRASES if p.strip()]
    lines = [lead + p + tail for lead, tail in zip(LEADS, TAILS, strict=True) for p in phrases]
    lines += [p + pad for p in phrases for pad in ("\n", " x", "!" * 12, "!" * 13, " 12", "»", "\t\n")]
    lines += [p.replace(a, b) for a, b in TWIN_SWAPS for p in phrases] + DIGIT_LINES
    lines = sorted({text for line in lines for text in (line, line.lower(), line.upper())})
    for route, shape in shaped:
        compiled = matcher.routed[route].compiled()
        for line in lines:
            start = LEADING.match(line).end() if route < matcher.routes.filed else 0  # type: ignore[union-attr]
            if compiled.match(line, start):
                assert shape.fits(line, start), (matcher.routed[route].source, line)


_ATOMS = [
    "a", "B", "k", "\\.", "-", " ", "1", "»", "ſ", "é", "[\\W\\d_]", "\\w", "\\s", "\\d", "\\W", "[a-c]", "[^x]", ".",
    "[»/]", "[\\w\\s.-]", "[^\\W\\d_]", "\\b", "(?=a)", "(?!b)", "[K]", "[S-T]",
]  # fmt: skip
_QUANTIFIERS = ["", "", "?", "*", "+", "{0,3}", "{2}", "{1,2}?", "*+", "{0,12}"]


@st.composite
def patterns(draw: st.DrawFn, depth: int = 0) -> str:
    """Small patterns of the shapes the rules use: classes, groups, alternations, repeats, anchors."""
    def sequence() -> str:
        items = []
        for _ in range(draw(st.integers(1, 4))):
            inner = depth < 2 and draw(st.booleans())
            atom = f"(?:{draw(patterns(depth + 1))})" if inner else draw(st.sampled_from(_ATOMS))
            items.append(atom + ("" if atom.startswith(("\\b", "(?=", "(?!")) else draw(st.sampled_from(_QUANTIFIERS))))
        return "".join(items)

    body = "|".join(sequence() for _ in range(draw(st.integers(1, 2))))
    if depth:
        return body + draw(st.sampled_from(["", "", "$"]))
    head = draw(st.sampled_from(["", "^", "^[\\W\\d_]{0,8}"]))
    return head + f"(?:{body})" + draw(st.sampled_from(["$", "[\\W\\d_]{0,12}$", ""]))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patterns(), st.lists(st.text(st.sampled_from("aAbBkKſsS1 \t-._|»\nxé/"), max_size=14), max_size=8))
def test_a_shape_holds_wherever_its_pattern_matches(pattern: str, lines: list[str]) -> None:
    """Soundness of the shape reader on made-up patterns: a line the pattern matches from a place fits there."""
    import regex

    from textclean._matcher_entries import FLAGS

    for flags in (regex.V0, FLAGS):
        shape = shape_of(pattern, flags)
        if shape is None:
            continue
        compiled = regex.compile(pattern, flags)
        for line in lines:
            for at in range(len(line) + 1):
                if compiled.match(line, at):
                    assert shape.fits(line, at), (pattern, flags, line, at, shape)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(patterns(depth=1), min_size=1, max_size=4), st.lists(st.text(st.sampled_from("aAbBk1 -.»"))))
def test_a_floating_pattern_searched_by_its_alternatives(alternatives: list[str], lines: list[str]) -> None:
    """The leftmost match of the alternatives, the earlier on a tie, is the match of the whole alternation."""
    import regex

    from textclean._matcher import _floating_parts
    from textclean._matcher_entries import FLAGS

    source = "|".join(alternatives)
    parts = _floating_parts(source)
    whole = regex.compile(f"(?:{source})", FLAGS)
    for line in lines:
        best = None
        for part in parts:
            hit = regex.compile(f"(?:{part})", FLAGS).search(line)
            if hit is not None and (best is None or hit.start() < best.start()):
                best = hit
        found = whole.search(line)
        assert (found and found.span()) == (best and best.span()), (parts, line)


def test_shapes_of_the_rules_patterns() -> None:
    """What the reader makes of the rules' typical tails, and of what it cannot read."""
    import regex

    more = shape_of(r"(?:more)[\W\d_]{0,12}$", regex.V0)  # "more", then no letter
    assert more is not None and (more.width, more.letters) == (16, 4) and not more.fits("mor", 0)
    assert more.fits("more!!", 0) and more.fits("» more", 2) and not more.fits("mores", 0)
    item = r"[^\W\d_][\w\s+.&'’-]{0,29}"
    breadcrumb = shape_of(rf"^[\W\d_]{{0,8}}(?:{item}(?:\s*[>»›/→]\s*{item}){{2,10}}$)", regex.I)
    separators = sum(1 << ord(char) for char in ">/")  # and »›→, beyond ASCII
    assert breadcrumb is not None and (separators, 2) in breadcrumb.least and breadcrumb.fits("home > news > world", 0)
    assert not breadcrumb.fits("home > news, today > world", 0) and not breadcrumb.fits("12/05/2012 - 12/06/2012", 0)
    assert shape_of(r"share\s+this", regex.V0) is None  # may end anywhere
    assert shape_of(r"(?:a|b$)", regex.V0) is None  # one branch may end anywhere
    assert shape_of(r"(?<=x)a$", regex.V0) is None  # a lookbehind
    assert shape_of(r"(a)\1$", regex.V0) is None  # a group reference
    assert shape_of(r"(?:ab){e<=1}$", regex.V0) is None  # fuzzy
    assert shape_of(r"(?m)ab$", regex.V0) is None  # $ at every line end
    assert shape_of(r"ß$", regex.V1 | regex.I) is None  # full case folding
    assert shape_of(r"a$(", regex.V0) is None  # not a pattern


def test_character_classes_the_probes_rely_on() -> None:
    """``regex`` and Python agree where the probes assume they do (checked on every code point)."""
    import regex

    every = "".join(chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code < 0xE000)
    lead = set(regex.findall(r"[\W\d_]", every, flags=regex.V0))
    assert set(regex.findall(r"\s", every, flags=regex.V0)) <= {char for char in every if char.isspace()}
    assert not any(char.isalpha() for char in lead)  # a line starting with a letter has no leading punctuation
    assert all(char in lead for char in every if _never_letter_char(char))
    assert not any(char.isalpha() for char in _TAIL)


def test_matcher_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import textclean._matcher as matcher_module

    monkeypatch.setattr(matcher_module, "_MEMO_LINES", 50)
    matcher = Matcher.build(PATTERN_RULES, frozenset())
    lines = [f"Share on Facebook {n}" if n % 2 else f"Line number {n} of the text." for n in range(200)]
    for chunk in range(0, 200, 20):
        batch = lines[chunk : chunk + 20]
        assert matcher.match_lines(batch, [4] * 20) == [SLOW[frozenset()].match(line, 4) for line in batch]
        assert len(matcher._memo.hits) <= 50


def test_matcher_pickles_without_its_caches() -> None:
    matcher = Matcher.build(PATTERN_RULES, frozenset())
    lines = [f"Share on Facebook {n}" for n in range(500)]
    verdicts = matcher.match_lines(lines, [4] * 500)
    copy = pickle.loads(pickle.dumps(matcher))
    assert copy == matcher and not copy._memo.hits and not copy._keys
    assert len(pickle.dumps(matcher)) == len(pickle.dumps(Matcher.build(PATTERN_RULES, frozenset())))
    assert copy.match_lines(lines, [4] * 500) == verdicts


# --- per-document features, comment sections and model verdicts (tests/reference_impl.py) ---

from reference_impl import (  # noqa: E402
    reference_comment_section,
    reference_document_features,
    reference_model_verdict,
)

from textclean._adaptive import line_thresholds  # noqa: E402
from textclean._classify import CompiledRules, classify_lines, compile_rules, rule_pass  # noqa: E402
from textclean._classify_model import structure_of as _structure_of  # noqa: E402
from textclean._features import prepare_lines as _prepare_lines  # noqa: E402


def _comment_section(lines: list[str], rules: CompiledRules) -> list[bool]:
    """Per line, whether the detector puts it in the comment section (from its start to the page's end)."""
    section = rules.comments.section_start(_prepare_lines(lines))
    start = len(lines) if section is None else section
    return [False] * start + [True] * (len(lines) - start)
from textclean._config import CleanConfig  # noqa: E402
from textclean._features import document_features  # noqa: E402
from textclean._lineshape_classes import BMP as _BMP  # noqa: E402
from textclean._lineshape_classes import _ClassTable, char_bits  # noqa: E402

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
    "@handle", "x@y.co", "a:/b", "see .COM", "Www.Example", "2012年", "99-12-31", "at 1:23", "12:3", "1.5.2012",
    "(12) comments", "— 12 Replies", "Reply ↓", "3 hours ago", "vor 2 Tagen", "Σ ΣΑΣ", "İstanbul İİ", "a / b", "x|y",
    "Posted by: Jeff | November 9, 2012 at 8:01 AM", "e-mail *", "I campi obbligatori sono contrassegnati *",
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
    every = np.arange(_BMP, dtype=np.uint32)
    table = _ClassTable().covering(_BMP, every)
    assert all(int(table[code]) == char_bits(chr(code)) for code in range(_BMP))


@given(st.lists(st.text(alphabet=CHARS, max_size=40) | st.text(max_size=40), max_size=8))
def test_character_table_filled_by_blocks_matches_the_predicates(texts: list[str]) -> None:
    """A fresh table, filled block by block as texts come (as in a process), gives every character its bits."""
    fresh = _ClassTable()
    for text in texts:
        points = np.array([min(ord(ch), _BMP - 1) for ch in text], dtype=np.uint32)
        if not len(points):
            continue
        bits = fresh.covering(int(points.max()) + 1, points)[points]
        assert bits.tolist() == [char_bits(chr(code)) for code in points.tolist()]


RULES = {mode: compile_rules(CleanConfig(mode=mode)) for mode in ("balanced", "aggressive")}
ARTICLE = " ".join(["The council met on Tuesday and agreed the new flood defences for the old town."] * 2)
comment_docs = st.lists(
    st.one_of(realistic, st.sampled_from([ARTICLE, "Comments", "12 Comments", "John says:", "Reply", "Leave a Reply"])),
    max_size=40,
)


class _HeadersWithWords:
    """The header alternation, on lines holding a header word (``str.lower``): what the detector has always done."""

    def __init__(self, headers: object, broken: bool) -> None:
        self.headers, self.broken = headers, broken

    def match(self, text: str) -> object:
        detector = RULES["balanced"].comments
        return self.headers.match(text) if detector._has_header_word(text, self.broken) else None  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=comment_docs)
def test_comment_section_agrees_with_the_reference(lines: list[str]) -> None:
    rules = RULES["balanced"]
    headers = _HeadersWithWords(rules.comment_headers, any("\n" in line for line in lines))
    assert _comment_section(lines, rules) == reference_comment_section(
        lines, headers, rules.comment_markers  # type: ignore[arg-type]
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages=st.lists(comment_docs, min_size=1, max_size=5))
def test_comment_sections_of_a_batch_are_each_page_alone(pages: list[list[str]]) -> None:
    """The header candidates of a batch's pages, found over the batch's text at once, give each page's own start."""
    from textclean._features import prepare_lines, prepare_many

    detector = RULES["balanced"].comments
    alone = [detector.section_start(prepare_lines(lines)) for lines in pages]
    assert detector.section_starts(prepare_many(pages)) == alone


def reference_classify(lines: list[str], mode: str) -> list[object]:
    rules = RULES[mode]
    verdicts, features, index, _ = rule_pass(lines, rules)
    scores = rules.model.score(features) if rules.model is not None and index else None
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


# --- the comment detector's gates, the vectorised structure rules, the rule pass ---

from textclean._classify import _separator_items  # noqa: E402
from textclean._classify_comments import _DATE, _MARKER, _NONE  # noqa: E402
from textclean._classify_gates import is_letter, letter_gate  # noqa: E402
from textclean._classify_model import structures  # noqa: E402
from textclean._features import BASE_FEATURES, CONTEXT_FEATURES  # noqa: E402
from textclean._lineshape import line_text  # noqa: E402
from textclean._rules.comments import COMMENT_HEADERS, COMMENT_MARKERS, COMMENT_RULES  # noqa: E402

DETECTOR = RULES["balanced"].comments
COMMENT_PHRASES = sorted(
    {line for rule in COMMENT_RULES for line in (*rule.examples, *rule.keeps)}
    | {"Comments", "12 Comments", "Comments (3)", "Reader comments:", "35 Responses to “Title”", "One thought on X",
       "soundoff (78 Responses)", "There are 4 comments. Add yours.", "Join the discussion", "Kommentare (5)",
       "3 commentaires", "Comentarios", "Commenti", "Комментарии (2)", "评论(3)", "コメント", "No comments yet",
       "Tom says:", "Posted by Ann on March 3, 2021", "August 9, 2012 02:07 pm", "October 22, 2012 | Maggie",
       "3 hours ago", "vor 2 Tagen", "il y a 3 jours", "Reply ↓", "report abuse", "1. tomstoned - 20 August, 2011",
       "Name *", "E-mail *", "Email *", "I campi obbligatori sono contrassegnati *", "O seu e-mail não será publicado"}
)
comment_lines = st.builds(
    lambda lead, case, phrase, tail: (lead + case(phrase) + tail).strip(),
    st.sampled_from(["", " ", "» ", "1. ", "12 ", "© ", "(", "...", "— ", "ſ", "K", "İ", "  ", "[", "_"]),
    st.sampled_from([str, str.upper, str.lower, str.title]),
    st.sampled_from(COMMENT_PHRASES),
    st.sampled_from(["", " ", ":", " (3)", "!", " ↓", " 12:30", " actions", " x", "s", ")", " ago"]),
).filter(bool)
gate_lines = st.one_of(comment_lines, st.text(alphabet=CHARS, min_size=1, max_size=30).map(str.strip).filter(bool))


def reference_kind(line: str) -> int:
    hit = RULES["balanced"].comment_markers.search(line)
    return _NONE if hit is None else _DATE if hit.group("date") is not None else _MARKER


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(line=gate_lines)
def test_gated_headers_and_markers_agree_with_the_alternations(line: str) -> None:
    """The gates never turn away a line a pattern matches (line by line, and by numpy over a document)."""
    header = RULES["balanced"].comment_headers.match(line) is not None
    unstarted = tuple(gated for gated in DETECTOR.headers if gated.starts is None)
    assert DETECTOR._is_header(line, DETECTOR.starts.mask_of(line), unstarted) is header
    assert DETECTOR._marker_kind(line, fold_case_twins(line.lower()), list(range(len(DETECTOR.markers)))) == (
        reference_kind(line)
    )
    for k, gated in enumerate(DETECTOR.headers):
        if gated.starts is not None and gated.pattern.match(line):
            assert DETECTOR.starts.mask_of(line) >> k & 1
            text = line_text(["x", line])
            assert text is not None and DETECTOR.starts.masks_of(text, np.array([1]))[1] >> k & 1


def test_every_pattern_has_a_gate() -> None:
    """Only the headers with no first letters to go by are tried on lines chosen otherwise (by characters)."""
    assert all(gated.starts is not None or gated.chars for gated in DETECTOR.headers)
    assert letter_gate(COMMENT_HEADERS[0]) and letter_gate(COMMENT_MARKERS[0]) is None


def test_gate_characters_are_numbered_as_regex_equates_them() -> None:
    """Every code point ``regex`` matches case-insensitively with a gate character gets that character's number."""
    import regex

    chars = sorted({char for gated in DETECTOR.headers for start in gated.starts or () for char in start})
    table = DETECTOR.starts
    everything = "".join(map(chr, range(_BMP)))
    number = {char: table.classes[ord(char)] for char in chars if char != " "}
    for char in chars:
        found = regex.compile(r"\s" if char == " " else regex.escape(char), regex.I | regex.V0).finditer(everything)
        assert {table.classes[hit.start()] for hit in found} == {number.get(char, table.classes[32])}
    astral = "".join(map(chr, range(_BMP, 0x110000)))
    gate = regex.compile("|".join(regex.escape(char) for char in chars if char != " ") + r"|\s", regex.I | regex.V0)
    assert gate.search(astral) is None
    assert all(not is_letter(char) for char in everything if regex.match(r"\s", char))  # spaces are skipped


def reference_structure(row: int, features: np.ndarray) -> tuple[str, str, str]:  # type: ignore[type-arg]
    """``_structure_of`` before it was vectorised."""
    column = {name: k for k, name in enumerate(BASE_FEATURES + CONTEXT_FEATURES)}
    f = features[row]
    if f[column["separators"]] >= np.log1p(2) and not f[column["ends-sentence"]]:
        separators = round(float(np.expm1(f[column["separators"]])))
        return "B502", "separator-menu", f"{separators} separators between short items"
    run = round(float(np.expm1(f[column["log-short-run"]])))
    if run >= 3:
        return "B501", "menu-run", f"run of {run} short link-like lines"
    n = len(features)
    if f[column["long-lines-before-fraction"]] == 0 and f[column["log-distance-long-before"]] == np.log1p(n + 1):
        return "B503", "header-band", f"line {row + 1} of {n}, before the main text"
    if f[column["log-distance-long-after"]] == np.log1p(n + 1):
        return "B504", "footer-band", f"line {row + 1} of {n}, after the main text"
    return "B510", "low-content-line", "short or isolated line"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=comment_docs)
def test_structure_rules_agree_with_the_line_by_line_code(lines: list[str]) -> None:
    features, _, _ = document_features(lines, [False] * len(lines), [False] * len(lines))
    rows = np.arange(len(features))
    kinds, counts = structures(rows, features)
    assert [_structure_of(row, features) for row in rows.tolist()] == [
        reference_structure(row, features) for row in rows.tolist()
    ]
    assert len(kinds) == len(counts) == len(rows)


def reference_rule_pass(lines: list[str], mode: str) -> list[Verdict]:
    """The rule pass line by line: pattern rules, then separator menus, then runs of three or more archive entries
    among the rows no rule took, then the comment section."""
    from textclean._classify import _archive_entry

    rules = RULES[mode]
    comments = _comment_section(lines, rules)
    _, index, words = document_features(lines, [False] * len(lines), comments)
    matched = rules.matcher.match_lines([lines[i].strip() for i in index], words.astype(int).tolist())
    verdicts = [Verdict(keep=True)] * len(lines)
    taken = [False] * len(index)
    for row, (i, verdict) in enumerate(zip(index, matched, strict=True)):
        if verdict is not None:
            verdicts[i] = verdict
        elif _separator_items(lines[i]) >= 3:
            evidence = f"{_separator_items(lines[i])} short items joined by separators"
            verdicts[i] = Verdict(False, "B502", "separator-menu", evidence)
        else:
            continue
        taken[row] = True
    entry = [not taken[row] and len(lines[i].strip()) <= 80 and _archive_entry(lines[i].strip())
             for row, i in enumerate(index)]
    start = 0
    for k in range(len(index) + 1):
        if k == len(index) or not entry[k]:
            for row in range(start, k) if k - start >= 3 else ():
                evidence = f"run of {k - start} archive or category entries"
                verdicts[index[row]] = Verdict(False, "B506", "archive-list", evidence)
                taken[row] = True
            start = k + 1
    for row, i in enumerate(index):
        if comments[i] and not taken[row]:
            verdicts[i] = Verdict(False, "B505", "comment-section", "inside the reader-comment section")
    return verdicts


MENUS = ("Home | News | Sport", "a · b · c · d", "• x • y • z", "a|b|c.", "| one | two | three four five six seven |")
ARCHIVE = ("Politics (48)", "► May 2012 (7)", "January 2004", "1. tomstoned - 20 August, 2011 (3)")
menu_docs = st.lists(st.one_of(realistic, comment_lines, st.sampled_from(MENUS + ARCHIVE)), max_size=40)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=menu_docs, mode=st.sampled_from(sorted(RULES)))
@with_example(lines=["1. tomstoned - 20 August, 2011 (3)"] * 3, mode="balanced")
def test_rule_pass_agrees_with_the_line_by_line_code(lines: list[str], mode: str) -> None:
    assert rule_pass(lines, RULES[mode])[0] == reference_rule_pass(lines, mode)


def test_word_gates_see_letters_as_regex_does() -> None:
    """Every character ``regex`` equates case-insensitively with a letter of a gate word lowers to that letter."""
    import regex

    from textclean._classify_comments import _lowered

    letters = {c for g in (*DETECTOR.headers, *DETECTOR.markers) for w in g.words or () for c in w if is_letter(c)}
    everything = "".join(map(chr, range(_BMP)))
    for letter in letters:
        for hit in regex.compile(regex.escape(letter), regex.I | regex.V0).finditer(everything):
            assert _lowered(hit.group()) == letter, (letter, hit.group())
    astral = "".join(map(chr, range(_BMP, 0x110000)))
    assert regex.compile("|".join(map(regex.escape, sorted(letters))), regex.I | regex.V0).search(astral) is None


def test_a_dotted_capital_i_in_a_header_word_opens_no_section() -> None:
    """Kept as it was: headers are looked for on lines holding a header word once ``str.lower`` lowercased them
    (``"İ".lower()`` is ``"i̇"``), so "YOUR OPİNİON" opens no section though the header pattern matches it."""
    tail = ["Tom says:", "Reply", "JOHN SAİD:"]
    assert RULES["balanced"].comment_headers.match("YOUR OPİNİON")
    assert not any(_comment_section([ARTICLE, "YOUR OPİNİON", *tail], RULES["balanced"]))
    assert _comment_section([ARTICLE, "YOUR OPINION", *tail], RULES["balanced"])[1]
    assert _comment_section([ARTICLE, "YOUR OPINION", "JOHN SAİD:", "March 3, 2021"], RULES["balanced"])[1]
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=documents)
def test_features_from_the_cleaners_tokens_are_the_same(lines: list[str]) -> None:
    """The cleaner hands classify_lines the words it tokenised for paragraph dedup: same features either way."""
    from textclean._tokens import tokenize_pages

    flags = [False] * len(lines)
    given_tokens = document_features(lines, flags, flags, tokenize_pages([lines]).page(0))
    computed = document_features(lines, flags, flags)
    assert np.array_equal(given_tokens[0], computed[0]) and given_tokens[1] == computed[1]


def test_chrome_lexicon_comes_from_the_phrase_tables() -> None:
    from textclean._lexical import CONTENT_WORD_LETTERS, chrome_lexicon
    from textclean._rules.comments import COMMENT_HEADERS, COMMENT_MARKERS

    sources = " ".join([p for rule in PATTERN_RULES for p in rule.patterns] + [*COMMENT_HEADERS, *COMMENT_MARKERS])
    lexicon = chrome_lexicon()
    assert {"newsletter", "abonnieren", "commentaires", "подписаться"} <= lexicon
    assert all(len(word) >= CONTENT_WORD_LETTERS and word in sources.lower() for word in lexicon)


from textclean._cleaner import Cleaner  # noqa: E402
from textclean._features import prepare_lines, prepare_many  # noqa: E402

_CLEANERS = {mode: Cleaner(CleanConfig(mode=mode)) for mode in ("balanced", "conservative")}


def _same_prepared(batch: object, alone: object) -> None:
    from textclean._features import PreparedLines

    assert isinstance(batch, PreparedLines) and isinstance(alone, PreparedLines)
    assert (batch.count, batch.index, batch.rows, batch.broken) == (alone.count, alone.index, alone.rows, alone.broken)
    for name in ("matrix", "words", "tokens"):
        assert np.array_equal(getattr(batch.shape, name), getattr(alone.shape, name)), name
    if alone.text is None:
        assert batch.text is None
        return
    assert batch.text is not None
    assert (batch.text.joined, list(batch.text.heads), list(batch.text.lines)) == (
        alone.text.joined, list(alone.text.heads), list(alone.text.lines))
    for name in ("full", "starts", "size", "bits", "points"):
        assert getattr(batch.text, name).tolist() == getattr(alone.text, name).tolist(), name


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(documents, max_size=6))
def test_prepare_many_is_prepare_lines_of_each_document(batch: list[list[str]]) -> None:
    """One shape pass over a batch gives every document exactly what preparing it alone gives."""
    for many, document in zip(prepare_many(batch), batch, strict=True):
        _same_prepared(many, prepare_lines(document))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(documents, max_size=6))
def test_context_of_a_batch_is_the_context_of_each_document(batch: list[list[str]]) -> None:
    """Bit-identical context columns: positions, neighbours, windows and runs stop at each document's edges."""
    from textclean._features import context_of_many, features_of

    prepared = prepare_many(batch)
    for document, lines, context in zip(prepared, batch, context_of_many(prepared), strict=True):
        none = np.zeros(len(lines), dtype=bool)
        assert np.array_equal(features_of(document, none, none, context=context), features_of(document, none, none))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(documents, max_size=6))
def test_lexical_columns_of_a_batch_are_those_of_each_document(batch: list[list[str]]) -> None:
    """Bit-identical lexical columns from one pass over a batch's shared token table (its pages' non-blank lines
    gathered at once; pages with a long line re-read their heads alone), as each document measures them alone."""
    from textclean._features import features_of, lexical_of_many
    from textclean._lexical import LEXICAL_FEATURES
    from textclean._tokens import tokenize_pages

    prepared = prepare_many(batch)
    table = tokenize_pages(batch)
    for tokens in ([table.page(k) for k in range(len(batch))], [None] * len(batch)):
        for document, lines, lexical in zip(prepared, batch, lexical_of_many(prepared, tokens), strict=True):
            none = np.zeros(len(lines), dtype=bool)
            alone = features_of(document, none, none)[:, -len(LEXICAL_FEATURES) :]
            assert lexical.shape == alone.shape and np.array_equal(lexical, alone)


# rows that repeat, within a page and across pages, in several cases: a repeat key is the row lowercased when it
# has at most 500 characters (final sigma, dotted capital I), the row itself when it is longer
REPEATED = ("Share", "SHARE", "share ", "ΣΑΣ", "σας", "Σ", "İstanbul", "i̇stanbul", "x" * 500, "X" * 500, "x" * 501,
            "X" * 501, "İ" * 500, "i̇" * 500, "a\nb", "A\nB", "", "  ")
repeat_documents = st.lists(st.one_of(st.sampled_from(REPEATED), realistic), max_size=30)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(repeat_documents, max_size=6))
def test_repeats_of_a_batch_are_those_of_each_page_alone(batch: list[list[str]]) -> None:
    """One count over the batch gives each page's own repeat counts: a key repeated on another page does not count."""
    from textclean._features import prepare_lines
    from textclean._features_repeats import _repeats, repeats_of_many
    from textclean._tokens import tokenize_pages

    prepared = prepare_many(batch)
    table = tokenize_pages(batch)  # the kernel's counts (or the reference's), read by the batch path
    words = [table.page(k) for k in range(len(batch))]
    assert all(page.repeats is not None for page in words)
    for lines, counts, counted in zip(batch, repeats_of_many(prepared), repeats_of_many(prepared, words), strict=True):
        alone = _repeats(prepare_lines(lines))
        assert counts.dtype == alone.dtype == counted.dtype
        assert counts.tolist() == alone.tolist() == counted.tolist()
        keys = [row.lower() if len(row) <= 500 else row for row in filter(None, map(str.strip, lines))]
        assert counts.tolist() == [keys.count(key) for key in keys]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(documents, max_size=5), st.sampled_from(sorted(RULES)))
def test_classify_many_is_classify_lines_of_each_document(batch: list[list[str]], mode: str) -> None:
    from textclean import _classify
    from textclean._tokens import tokenize_pages

    alone = [classify_lines(lines, RULES[mode]) for lines in batch]
    assert _classify.classify_many(batch, RULES[mode]) == alone
    table = tokenize_pages(batch)  # the cleaner's way: one token table for the batch
    tokens = [table.page(k) for k in range(len(batch))]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_classify, "_SCORED_ROWS", 7)  # runs of a document or a few, long ones alone
        assert _classify.classify_many(batch, RULES[mode]) == alone
        assert _classify.classify_many(batch, RULES[mode], tokens=tokens) == alone


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(realistic, max_size=25).map("\n".join), max_size=5), st.sampled_from(sorted(_CLEANERS)))
def test_clean_many_is_clean_of_each_page(pages: list[str], mode: str) -> None:
    """The batch entry point gives each page exactly the result of cleaning it alone."""
    cleaner = _CLEANERS[mode]
    ids = list(range(len(pages)))
    assert cleaner.clean_many(pages, doc_ids=ids) == [cleaner.clean(p, doc_id=i) for i, p in enumerate(pages)]


ROUTES = [rules.matcher.routes for rules in RULES.values()]
FINAL_WORDS = sorted({end for routes in ROUTES for side in (0, 1) for end in routes.by_end[side]})
ENDINGS = [*FINAL_WORDS, "said:", "(3)", " 12", "…", "!", "...", "»", "€", "★", " ", ""]  # with tails, open ends


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from([*ENDINGS, "john", "a", "é"]), max_size=5).map(" ".join), max_size=10))
def test_routes_by_final_word_are_the_ends_probe_of_each_alternative(lines: list[str]) -> None:
    """The alternatives the routes take by final word are those whose own ends probe holds on the line."""
    from textclean._matcher_probe import ends_match

    for routes in ROUTES:
        for line in lines:
            for side in (0, 1):
                expected = {i for i in routes.ends[side] if ends_match(line, routes.probes[i].ends or ())}
                assert set(routes._ending(line, side)) == expected


_ARCHIVE_REFERENCE = regex.compile(  # the archive entry as one pattern of two alternatives (before the split)
    r"[►▼▸▹»›•·*–—-]?\s*(?:[\p{L}\p{N}][\p{L}\p{N}\p{M} &'’.,/:+-]{0,60}?\s*\((?!\s*(?:1\d|20)\d\d\s*\))\s*\d{1,6}\s*\)"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|januar|februar|märz|mai|juni|juli|okt|dez|janv|févr|mars|"
    r"avr|juin|juil|août|sept|déc|ene|abr|ago|dic|fev|mai|set|out|dez|gen|mag|giu|lug|ott|mei|okt)[a-zéû]{0,7}\.?"
    r",? (?:19|20)\d\d)",
    regex.IGNORECASE,
)
archive_pieces = st.sampled_from(
    ["► ", "» ", "- ", " ", "  ", "May", "JANUARY", "août", "Sept.", "Politics", "Q & A", "e\u0301", "٣", "7",
     "2012", "1999", "2100", "(", ")", "(7)", "( 48 )", "(2012)", "(1999 )", ",", ".", "x", "\u00a0", "\t", ":", "/"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(archive_pieces, min_size=1, max_size=8).map("".join))
def test_archive_entry_is_the_two_alternatives_pattern(line: str) -> None:
    """The end of the line picks the one archive pattern that can match: the same answer as both tried in turn."""
    from textclean._classify import _archive_entry

    assert _archive_entry(line) == (_ARCHIVE_REFERENCE.fullmatch(line) is not None)
    for example in ("► May 2012 (7)", "Politics (48)", "January 2004", "» Sept. 1999"):
        assert _archive_entry(example)


_MENU_REFERENCE = regex.compile(r"\s*[|·•]\s*")


def _separator_items_reference(line: str) -> int:
    """The menu items counted by splitting on the separators' pattern (before the ``str`` split)."""
    text = line.strip()
    if len(text) > 300 or not ("|" in text or "·" in text or "•" in text) or text[-1:] in ".!?。":
        return 0
    items = [item for item in _MENU_REFERENCE.split(text) if item]
    return len(items) if all(len(item.split()) <= 4 for item in items) else 0


menu_pieces = st.sampled_from(["|", "·", "•", " ", "  ", "\u00a0", "\u2028", "\x1c", "\x1f", "\t", "Home", "News",
                               "a b c d", "a b c d e", ".", "!", "。", "x" * 150])


@settings(max_examples=500, deadline=None)
@given(st.lists(menu_pieces, max_size=12).map("".join))
def test_separator_items_split_by_str_is_the_pattern_split(line: str) -> None:
    """Counted by ``str`` methods (the separator controls left to the pattern), the items are the pattern's."""
    assert _separator_items(line) == _separator_items_reference(line)
