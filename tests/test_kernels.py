"""The compiled kernels against their references: the probe screen's line finder (Aho-Corasick against str.find)
and the rule screen (screen_lines against Probes._screen)."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textclean import _kernels
from textclean._matcher_probe import Probe, Probes, _LineFinder, _lines_holding

native = _kernels.kernel("lines_holding")
needs_native = pytest.mark.skipif(native is None, reason="textclean._native was not built")

LETTERS = "abcé(c)/> ßü中"  # few letters, so needles overlap, nest and repeat
needle = st.text(st.sampled_from(LETTERS), min_size=1, max_size=4)
line = st.text(st.sampled_from(LETTERS + " \u0301\U0001f600"), max_size=30)


@needs_native
@settings(max_examples=400, deadline=None)
@given(st.lists(line, max_size=12), st.lists(needle, max_size=10))
def test_aho_corasick_finds_the_lines_str_find_finds(lines: list[str], needles: list[str]) -> None:
    document = "\n".join(lines)
    finder = _LineFinder(document, lines)
    assert native(document, needles) == [list(finder.holding(n)) for n in needles]
    assert native(document, needles) == [[i for i, text in enumerate(lines) if n in text] for n in needles]


@needs_native
def test_needles_must_be_non_empty_and_single_line() -> None:
    for bad in ([""], ["a\nb"], [3]):
        with pytest.raises(ValueError, match="non-empty strings without a line break"):
            native("a\nb", bad)


@given(st.lists(line.map(lambda text: text.replace("a", "\n")), max_size=6), st.lists(needle, max_size=5))
def test_a_line_holding_a_newline_takes_the_reference_path(lines: list[str], needles: list[str]) -> None:
    document = "\n".join(lines)
    found = [list(lines_) for lines_ in _lines_holding(document, lines, needles)]
    assert found == [list(_LineFinder(document, lines).holding(n)) for n in needles]


# The rule screen (screen_lines) against Probes._screen: the real rules' probes, and made-up ones for the edge cases.

screen_native = _kernels.kernel("screen_lines")
needs_screen = pytest.mark.skipif(screen_native is None, reason="textclean._native was not built")


def _probes_of_the_rules() -> list[Probes]:
    from textclean._classify import compile_rules
    from textclean._config import CleanConfig

    return [compile_rules(CleanConfig(mode=mode)).matcher.probes for mode in ("conservative", "aggressive")]


RULE_PROBES = _probes_of_the_rules()
FRAGMENTS = [
    "share", "comments", "read more", "next", "»", "›", "/", "©", "(c)", "2024", "12", "١٢", "says:", "votes",
    "комментарии", "评论", "ſ", "µ", "ς", "ﬅ", "  ", " ", "\t", "\xa0", "\u2028", "\x00", "\x85", "...", "…", "!", "?",
    ":", "-", "•", "|", "é", "e\u0301", "\U0001d400", "\U0001f600", "a", "x", "ß", "İ", "\n", "privacy", "cookies",
]  # fmt: skip
screen_line = st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join).map(str.lower)


def _same_screen(probes: Probes, lines: list[str]) -> None:
    native, reference = probes.screen(lines), probes._screen(lines)
    assert native.keys() == reference.keys()
    for row, screened in native.items():
        assert screened.mask == reference[row].mask, lines[row]
        assert sorted(screened.words) == sorted(reference[row].words), lines[row]


@needs_screen
@settings(max_examples=300, deadline=None)
@given(st.lists(screen_line, max_size=20), st.sampled_from(RULE_PROBES))
def test_screen_kernel_lets_through_what_the_python_screen_does(lines: list[str], probes: Probes) -> None:
    _same_screen(probes, lines)


letters = st.text(st.sampled_from("ab c"), min_size=1, max_size=4)
made_up_probes = st.builds(
    lambda starts, ends, words, firsts, digits: Probes.build(
        [Probe(letter_starts=tuple(starts))],
        [
            Probe(ends=tuple(ends)) if ends else Probe(words=frozenset(words) or frozenset({"a"})),
            Probe(firsts=frozenset(firsts), digits=digits, words=frozenset(words) or frozenset({"b c"})),
        ],
    ),
    st.lists(letters, max_size=4),
    st.lists(letters, max_size=3),
    st.lists(letters.filter(str.strip), max_size=3),
    st.text(st.sampled_from("(«1-a "), max_size=3),
    st.booleans(),
)


@needs_screen
@settings(max_examples=300, deadline=None)
@given(made_up_probes, st.lists(st.text(st.sampled_from("ab c\t(«1-١!\x00ſ"), max_size=12), max_size=12))
def test_screen_kernel_on_made_up_probes(probes: Probes, lines: list[str]) -> None:
    _same_screen(probes, lines)


def test_the_screen_without_the_kernel_is_the_python_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_kernels, "kernel", lambda name: None)
    lines = ["share this", "12 comments", "» next", "the river rose"]
    probes = Probes.build([], [])
    assert probes.screen(lines) == probes._screen(lines)
    assert RULE_PROBES[0].screen(lines) == RULE_PROBES[0]._screen(lines)


def test_compiled_probes_are_not_pickled() -> None:
    probes = RULE_PROBES[0]
    probes.screen(["share this"])
    copy = pickle.loads(pickle.dumps(probes))
    assert copy == probes and copy._compiled == []
    assert copy.screen(["share this", "12 comments"]) == probes.screen(["share this", "12 comments"])


@needs_screen
def test_screen_kernel_respaces_as_the_python_screen_does() -> None:
    """Lines whose first characters hold two spaces or an unprintable one are compared respaced (and only those)."""
    probes = Probes.build([Probe(letter_starts=("read more", "ab"))], [Probe(words=frozenset({"zz"}))])
    lines = ["read  more", "read\tmore here", "read \t more", "read\xa0more", "a  b", "a b", "read\x00 more", "readmo"]
    _same_screen(probes, lines)
    assert sorted(probes.screen(lines)) == [0, 1, 2, 3]  # a tab and a no-break space are unprintable: respaced



def test_the_built_extension_has_every_kernel_the_code_asks_for() -> None:
    """A stale build (an old ``_native*.so`` left beside newer sources) would quietly send a kernel down its
    reference path: every ``kernel("name")`` in the package must name a function of the built module."""
    import re
    from pathlib import Path

    import textclean

    try:
        from textclean import _native
    except ImportError:
        pytest.skip("textclean._native was not built")
    package = Path(textclean.__file__).parent
    callers = [path for path in package.glob("*.py") if path.name != "_kernels.py"]  # its docs name a "name"
    asked = {name for path in callers for name in re.findall(r'kernel\("(\w+)"\)', path.read_text())}
    assert asked and not {name for name in asked if not hasattr(_native, name)}
