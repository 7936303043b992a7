"""The compiled kernels against their references: the probe screen's line finder (Aho-Corasick against str.find)
and the rule routes (route_lines against Routes.routed and Routes.reference)."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textclean import _kernels
from textclean._matcher import Matcher
from textclean._matcher_probe import Probe, Probes, _LineFinder, _lines_holding
from textclean._matcher_routes import KEY, Filing, Routes
from textclean._matcher_shape import MOST_CLASSES, Shape

try:
    from textclean import _native
except ImportError:  # not built: the kernel tests skip
    _native = None  # type: ignore[assignment]

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


# The rule routes (route_lines) against the Python path (Probes.screen, Routes.candidates) and the plain definition
# (Routes.reference, each route tested on its own): the real rules' routes, and made-up ones for the edge cases.

route_native = _kernels.kernel("route_lines")
needs_routes = pytest.mark.skipif(route_native is None, reason="textclean._native was not built")


def _matchers_of_the_rules() -> list[Matcher]:
    from textclean._classify import compile_rules
    from textclean._config import CleanConfig

    return [compile_rules(CleanConfig(mode=mode)).matcher for mode in ("conservative", "aggressive")]


RULE_MATCHERS = _matchers_of_the_rules()
FRAGMENTS = [
    "share", "comments", "read more", "next", "»", "›", "/", "©", "(c)", "2024", "12", "١٢", "says:", "votes",
    "комментарии", "评论", "ſ", "µ", "ς", "ﬅ", "  ", " ", "\t", "\xa0", "\u2028", "\x00", "\x85", "...", "…", "!", "?",
    ":", "-", "•", "|", "é", "e\u0301", "\U0001d400", "\U0001f600", "a", "x", "ß", "İ", "\n", "privacy", "cookies",
    "home", " > ", "go", "1 2 3 ", "pr", ",", "top", "» ", "edit", "(", "advertisement", "said", "x" * 30,
]  # fmt: skip
screen_line = st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join).map(str.lower)


def _same_routes(routes: Routes, probes: Probes, lines: list[str]) -> None:
    """The kernel, the Python path and the plain definition give the same routes."""
    routed = routes.route(lines, probes)
    assert routed == routes.routed(lines, probes)
    reference = {row: routes.reference(line, probes) for row, line in enumerate(lines)}
    assert routed == {row: found for row, found in reference.items() if found.routes != ()}


@needs_routes
@settings(max_examples=300, deadline=None)
@given(st.lists(screen_line, max_size=20), st.sampled_from(RULE_MATCHERS))
def test_route_kernel_gives_the_routes_of_the_python_path(lines: list[str], matcher: Matcher) -> None:
    _same_routes(matcher.routes, matcher.probes, lines)


letters = st.text(st.sampled_from("ab c"), min_size=1, max_size=4)
LEAD_CHARS = "ab1 _-»©é\u0301\u0661\u2160\u24b6\u200d\U0001d7d8\U0001f600"  # marks, digits, letter numbers, joiners
ends = letters.filter(str.strip)
ascii_sets = st.sets(st.sampled_from("ab c(-1!\n"), max_size=5).map(lambda chars: sum(1 << ord(c) for c in chars))
shapes = st.one_of(
    st.none(),
    st.builds(
        Shape,
        st.one_of(st.none(), st.integers(0, 8)),
        st.one_of(st.none(), st.integers(0, 4)),
        st.lists(st.tuples(ascii_sets, st.integers(1, 3)), max_size=MOST_CLASSES).map(tuple),
        st.integers(0, 3),
        st.integers(0, 3),
        ascii_sets,
    ),
)


@settings(max_examples=500, deadline=None)
@given(shapes.filter(bool), st.text(st.sampled_from("ab c(-1!\nAZé\U0001f600\udc80"), max_size=14), st.integers(0, 15))
def test_a_shape_fits_as_it_fits_character_by_character(shape: Shape, line: str, at: int) -> None:
    assert shape.fits(line, at) == shape.plain_fits(line, at)


@st.composite
def made_up_routes(draw: st.DrawFn) -> tuple[Routes, Probes]:
    """A few filings (keys, starts, shared alternatives) and probes of every kind, with shapes."""
    alternatives = [(tuple(draw(st.lists(letters, min_size=1, max_size=3))), draw(shapes)) for _ in range(3)]
    filings = []
    for _ in range(draw(st.integers(0, 4))):
        keys = draw(st.lists(letters.map(lambda key: key[:KEY]), min_size=1, max_size=2))
        owner = draw(st.integers(0, min(len(filings), 2)))  # some filings of one alternative: its starts and shape
        filings.append(Filing(tuple(sorted(set(keys))), *alternatives[owner][:1], owner, alternatives[owner][1]))
    owners = sorted({filing.owner for filing in filings})
    filings = [filing._replace(owner=owners.index(filing.owner)) for filing in filings]
    probes = draw(
        st.lists(
            st.one_of(
                st.builds(lambda starts: Probe(letter_starts=tuple(starts)), st.lists(letters, min_size=1, max_size=3)),
                st.builds(lambda ends: Probe(ends=tuple(ends)), st.lists(ends, min_size=1, max_size=3)),
                st.builds(lambda words: Probe(words=frozenset(words)), st.lists(letters, min_size=1, max_size=3)),
                st.builds(
                    lambda firsts, digits, words: Probe(firsts=frozenset(firsts), digits=digits, words=words),
                    st.text(st.sampled_from("(«1-a "), max_size=3),
                    st.booleans(),
                    st.one_of(st.none(), st.just(frozenset({"b c"}))),
                ),
            ),
            max_size=5,
        )
    )
    anchored = draw(st.integers(0, len(probes)))
    routes = Routes.build(filings, probes, [draw(shapes) for _ in probes], anchored)
    filed = [Probe(letter_starts=filing.starts) for filing in filings]
    return routes, Probes.build(filed, probes)


@needs_routes
@settings(max_examples=400, deadline=None)
@given(made_up_routes(), st.lists(st.text(st.sampled_from("ab c\t(«1-١!\x00ſ\n\u0301Ⅰ"), max_size=12), max_size=12))
def test_route_kernel_on_made_up_routes(routed: tuple[Routes, Probes], lines: list[str]) -> None:
    routes, probes = routed
    _same_routes(routes, probes, [line.lower() for line in lines])


def test_the_routes_without_the_kernel_are_the_python_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_kernels, "kernel", lambda name: None)
    lines = ["share this", "12 comments", "» next", "the river rose", "home » news » world"]
    matcher = RULE_MATCHERS[0]
    assert matcher.routes.route(lines, matcher.probes) == matcher.routes.routed(lines, matcher.probes)
    assert sorted(matcher.routes.route(lines, matcher.probes)) == [0, 1, 2, 4]


def test_compiled_routes_are_not_pickled() -> None:
    matcher = RULE_MATCHERS[0]
    matcher.routes.route(["share this"], matcher.probes)
    copy = pickle.loads(pickle.dumps(matcher.routes))
    assert copy == matcher.routes and copy._compiled == []
    lines = ["share this", "12 comments"]
    assert copy.route(lines, matcher.probes) == matcher.routes.route(lines, matcher.probes)


@needs_routes
def test_route_kernel_respaces_as_the_python_path_does() -> None:
    """Start strings are compared with the line respaced: a tab, a no-break space or two spaces are one space."""
    filing = Filing(("read", "ab"), ("read more", "ab"), 0, None)
    routes = Routes.build([filing], [Probe(words=frozenset({"zz"}))], [None], 0)
    probes = Probes.build([Probe(letter_starts=("read more", "ab"))], [Probe(words=frozenset({"zz"}))])
    lines = ["read  more", "read\tmore here", "read \t more", "read\xa0more", "a  b", "a b", "read\x00 more", "readmo"]
    _same_routes(routes, probes, lines)
    assert sorted(routes.route(lines, probes)) == [0, 1, 2, 3]  # "ab" is a filing key: "a b" is not filed under it


@needs_routes
def test_route_spec_rejects_bad_tables() -> None:
    spec = _native.route_spec
    good = ([], [], [[], []], [[], []], [], [], [], [0], 0, bytes(144), "", "")
    assert spec(*good) is not None
    for at, bad in [(0, [("a", [5])]), (1, [("a", [0])]), (7, [3]), (8, 2), (9, bytes(10)), (4, [("", [0], [])])]:
        args = list(good)
        args[at] = bad
        with pytest.raises((ValueError, TypeError)):
            spec(*args)
    assert _native.route_lines(spec(*good), ["12 ab", "ab", "»"], lambda line: 1) == ([], [], [])
    with pytest.raises(ValueError, match="negative"):
        _native.route_lines(spec(*good), ["» a"], lambda line: -1)
    with pytest.raises(ZeroDivisionError):
        _native.route_lines(spec(*good), ["» a"], lambda line: 1 // 0)


@needs_routes
@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.sampled_from(LEAD_CHARS), max_size=6).map(lambda line: f"-{line}a"), max_size=10))
def test_route_kernel_measures_leads_as_regex_does(lines: list[str]) -> None:
    """The kernel measures a line's leading punctuation itself until a character beyond ASCII that is not a letter
    (a mark, a digit, a symbol, a letter number, a joiner), and asks there."""
    from textclean import _matcher_routes
    from textclean._matcher_probe import LEADING

    probe = Probe(letter_starts=("a", "b"), firsts=frozenset("-"), digits=True)
    routes, probes = Routes.build([], [probe], [None], 1), Probes.build([], [probe])
    _same_routes(routes, probes, lines)
    asked: list[str] = []
    measure = _matcher_routes._lead
    measured = _native.route_lines(routes._spec(), lines, lambda line: asked.append(line) or measure(line))
    assert measured[1] == [LEADING.match(line).end() for line in lines]  # type: ignore[union-attr]
    assert all(any(ord(char) > 127 and not char.isalpha() for char in line) for line in asked)


def test_the_built_extension_has_every_kernel_the_code_asks_for() -> None:
    """A stale build (an old ``_native*.so`` left beside newer sources) would quietly send a kernel down its
    reference path: every ``kernel("name")`` in the package must name a function of the built module, and the
    type stub ``_native.pyi`` must declare exactly the module's functions."""
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
    built = {name for name in dir(_native) if not name.startswith("_")}
    declared = set(re.findall(r"^def (\w+)\(", (package / "_native.pyi").read_text(), re.MULTILINE))
    assert declared == built, f"_native.pyi declares {sorted(declared - built)}, misses {sorted(built - declared)}"


@needs_routes
def test_route_spec_refuses_a_shape_that_would_index_before_the_line() -> None:
    import struct

    good = ([], [], [[], []], [[], []], [], [], [], [0], 0, bytes(144), "", "")
    for bounds in ([-1, -1, -1, 0], [-1, -1, 0, -1], [-2, -1, 0, 0]):  # width, letters, head, tail
        shape = struct.pack("=4q4q10Q", *bounds, 0, 0, 0, 0, *[0] * 10)
        with pytest.raises(ValueError, match="negative"):
            _native.route_spec(*good[:9], shape, "", "")
    assert _native.route_spec(*good[:9], struct.pack("=4q4q10Q", -1, -1, 0, 0, 0, 0, 0, 0, *[0] * 10), "", "")


def test_minhash_kernels_check_their_group_bounds() -> None:
    """sorted_intersections refuses bounds that do not ascend within the hashes; minhash_shingles writes every
    text's bounds itself (garbage in the output array changes nothing)."""
    import numpy as np

    from textclean import _minhash

    native = _kernels.kernel("sorted_intersections")
    if native is None:
        pytest.skip("textclean._native was not built")
    hashes = np.array([1, 2, 3, 4], dtype=np.uint32)
    pair = np.zeros(1, dtype=np.int64), np.ones(1, dtype=np.int64), np.zeros(1, dtype=np.int64)
    native(hashes, np.array([0, 2, 4], dtype=np.int64), *pair)
    for bounds in ([0, 3, 2], [-1, 2, 4], [0, 2, 5]):
        with pytest.raises(ValueError, match="bounds"):
            native(hashes, np.array(bounds, dtype=np.int64), *pair)
    texts = ["the river rose two metres", "", "a flood a flood a flood"]
    expected = _minhash._shingles(texts, 3, _minhash.Simplify())
    points, starts = _minhash._simplified_code_points(texts, _minhash.Simplify())
    out = np.empty(len(points) // 2 + len(texts) + 1, dtype=np.uint32)
    bounds = np.full(len(texts) + 1, 10**9, dtype=np.int64)  # garbage where the kernel writes
    _kernels.kernel("minhash_shingles")(
        points, np.append(starts, len(points)), _minhash._character_table(points), False, 3,
        _minhash._POSITION_MULTIPLIERS, _minhash._NGRAM_MULTIPLIERS, out, bounds,
    )  # fmt: skip
    assert bounds.tolist() == expected[1].tolist() and out[: bounds[-1]].tolist() == expected[0].tolist()


@needs_routes
def test_route_kernel_finds_a_word_that_ends_inside_a_longer_one() -> None:
    """A word ending where the scan is partway through a longer word ("b" inside "a b c") is found, though the state
    there ends no word of its own: the kernel marks the moves into such states too."""
    probes = [Probe(words=frozenset({"a b c"})), Probe(words=frozenset({"b"}))]
    routes = Routes.build([], probes, [None, None], 0)
    screened = Probes.build([], probes)
    _same_routes(routes, screened, ["a b", "a b!", "x a b", "a bc", "a b c", "b"])
    assert routes.route(["a b"], screened)[0].routes == (1,)
