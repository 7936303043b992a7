"""The comment detector's batch path (``CommentDetector.section_starts``) against the plain references.

``section_start`` (one page, line by line) and the two plain alternations (``CompiledRules.comment_headers``
and ``comment_markers``, through ``tests/reference_impl.py``) are the references; the batch path finds the
header candidates, the word gates, the markers and the bare dates of a whole batch at once. The lines here are
made to hit its edges: case twins and dotted capitals, digits of other scripts, lines about 200 characters
long, long runs of leading punctuation, markers at the edge of the lookahead, many pages in one batch.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_impl import reference_comment_section

from textclean import _classify_gates, _kernels
from textclean._classify import compile_rules
from textclean._classify_comments import CommentDetector
from textclean._classify_comments_batch import (
    _DATE,
    _DATE_OR_MARKER,
    _DATE_OR_NONE,
    _MARKER,
    _NONE,
    WordGate,
    _headers_in,
    _kinds_of,
    _rows_with,
    _settled,
)
from textclean._config import CleanConfig
from textclean._features import PreparedLines, prepare_lines, prepare_many
from textclean._lineshape import LineText, line_text
from textclean._rules.comments import COMMENT_LOOKAHEAD, COMMENT_RULES

T = TypeVar("T")
RULES = compile_rules(CleanConfig())
HEADERS, MARKERS = RULES.comment_headers, RULES.comment_markers
ARTICLE = " ".join(["The council met on Tuesday and agreed the new flood defences for the old town."] * 2)
# headers long enough to be a page's first line of main text (which is never a header of its page)
LONG_HEADERS = ["Leave a Reply to the council that met on Tuesday and agreed the new flood defences for the town",
                "Comments on the council meeting that agreed the new flood defences for the old town on Tuesday"]
PHRASES = sorted(
    {line for rule in COMMENT_RULES for line in (*rule.examples, *rule.keeps)}
    | {"Comments", "12 Comments", "Comments (3)", "(12) comments", "[3 Replies]", "soundoff (78 Responses)",
       "35 Responses to “Title”", "One thought on X", "Join the discussion", "Your opinion", "Kommentare (5)",
       "3 commentaires", "Comentarios", "Commenti", "Комментарии (2)", "评论(3)", "コメント", "Name *", "E-mail *",
       "Tom says:", "Reply", "Reply ↓", "report abuse", "Posted by Ann on March 3, 2021", "August 9, 2012 02:07 pm",
       "October 22, 2012 | Maggie", "3 hours ago", "vor 2 Tagen", "il y a 3 jours", "12/05/2012", "at 10:30",
       "1. tomstoned - 20 August, 2011", "Permalink", "Quote", "Antworten", "Répondre", "返信", "回复", "Ответить",
       "YOUR OPİNİON", "Joİn the dİscussİon"}
)
# a case twin, a dotted capital I, another script's digits: what lowering and the word gates must not lose
SWAPS = {"s": "ſ", "k": "\u212a", "i": "İ", "I": "İ", "1": "١", "2": "٢", "0": "٠", "3": "३", "o": "ο", "c": "с"}
OTHER_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# the first letters of a gate string ending in a space ("no ", "one "...): the line break after a row is none
SHORT = ["no", "No", "one", "be", "i", "o", "il", "tu", "je", "add", "ein", "sin", "sem", "les", "un", "una", "ten",
         "read", "view", "what", "have", "your", "join", "start", "post", "log", "e-", "nome", "x"]


def _twisted(line: str, swaps: list[int]) -> str:
    """``line`` with the characters at these positions (modulo its length) swapped for a look-alike."""
    chars = list(line)
    for at in swaps:
        if chars:
            at %= len(chars)
            chars[at] = SWAPS.get(chars[at], chars[at])
    return "".join(chars)


phrase = st.builds(
    lambda lead, case, text, tail, swaps, digits: _twisted(lead + case(text) + tail, swaps).translate(digits),
    st.sampled_from(["", " ", "» ", "1. ", "12 ", "(", "...", "— ", "[", "_", "©2012 ", "-" * 9, "." * 250, "# " * 130,
                     "1" * 257]),
    st.sampled_from([str, str.upper, str.lower, str.title, str.swapcase]),
    st.sampled_from(PHRASES),
    st.sampled_from(["", " ", ":", " (3)", "!", " ↓", " 12:30", " ago", "s", ")", " x" * 60, " Reply", " | Quote"]),
    st.lists(st.integers(0, 200), max_size=3),
    st.sampled_from([{}, {}, {}, OTHER_DIGITS]),
)
# two phrases on one line: a marker after a bare date ("3 hours ago, 12/05/2012" is a bare date: the date
# alternative comes first in the alternation)
pair = st.builds(lambda a, sep, b: a + sep + b, phrase, st.sampled_from([" ", ", ", " | ", " - "]), phrase)
# a marker the bare date beats (a later alternative, or one matching further in) beside a date, either way round
LATER = ["3 hours ago", "vor 2 Tagen", "il y a 3 jours", "Reply", "report abuse", "Antworten ↓", "Tom says:"]
DATES = ["12/05/2012", "October 22, 2012", "20 August, 2011", "1.5.2012", "March 3rd, 2021"]
dated = st.builds(
    lambda parts, sep, flip: sep.join(parts[::-1] if flip else parts),
    st.tuples(st.sampled_from(LATER), st.sampled_from(DATES)),
    st.sampled_from([" ", ", ", " | ", " - "]),
    st.booleans(),
)
noise = st.one_of(
    st.text(alphabet="aA1١ ,.:;()[]*-—ſKİıς|/éк评", max_size=40),
    st.builds(lambda n, c: c * n, st.integers(195, 205), st.sampled_from(["a", "é", " x", "评"])),  # about 200 long
    st.sampled_from(["", "   ", "Home | About", "© 2019 Example", "Subscribe", "10:30", "2012", "𝐀𝐁 comments", *SHORT]),
)
line = st.one_of(phrase, phrase, pair, dated, noise, st.just(ARTICLE))
filler = st.one_of(noise, st.just(""), st.just(" "))
page = st.builds(lambda head, rest: head + rest, st.lists(st.one_of(st.just(ARTICLE), noise), max_size=3),
                 st.lists(line, max_size=2 * COMMENT_LOOKAHEAD))
heading = st.builds(
    lambda case, text: case(text),
    st.sampled_from([str, str.upper, str.lower]),
    st.sampled_from(["Comments", "12 Comments", "Leave a Reply", "Reader comments:", "Kommentare (5)", "YOUR OPİNİON",
                     "Join the discussion", "(3 replies)", "No comments yet", "コメント"]),
)
marker = st.one_of(
    dated,
    st.sampled_from(["Tom says:", "Reply", "3 hours ago", "October 22, 2012 | Maggie", "12:30", "Report abuse",
                     "Posted by Ann on March 3, 2021", "12/05/2012", "١٢/٠٥/٢٠١٢", "Antworten"]),
)
# a header, then markers close to it, or about the lookahead's edge (blank lines count towards it, no rows)
close = st.builds(
    lambda lead, header, first, one, more, two, tail: [lead, header, *first, one, *more, two, *tail],
    st.sampled_from([ARTICLE, *LONG_HEADERS]),
    st.one_of(heading, st.sampled_from(LONG_HEADERS)),
    st.lists(filler, max_size=4),
    marker,
    st.lists(filler, max_size=4),
    marker,
    st.lists(st.one_of(marker, filler), max_size=6),
)
edge = st.builds(
    lambda header, first, one, more, two, tail: [ARTICLE, header, *first, one, *more, two, *tail],
    heading,
    st.lists(filler, max_size=3),
    marker,
    st.lists(filler, min_size=COMMENT_LOOKAHEAD - 4, max_size=COMMENT_LOOKAHEAD),
    marker,
    st.lists(line, max_size=4),
)
pages = st.lists(st.one_of(page, page, close, edge), min_size=1, max_size=6)


def fresh() -> CommentDetector:
    """The detector of the rules with empty memos (so a line one path saw is not read back by the other)."""
    return dataclasses.replace(RULES.comments, _header_seen={}, _marker_seen={}, _marker_hints={})


def pure(function: Callable[[], T]) -> T:
    """``function()`` with the compiled kernels switched off (the line finder's ``str.find`` path)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_kernels, "kernel", lambda name: None)
        return function()


class _HeadersWithWords:
    """The header alternation, on lines holding a header word (``str.lower``): what the detector has always done."""

    def __init__(self, broken: bool) -> None:
        self.broken = broken

    def match(self, text: str) -> object:
        return HEADERS.match(text) if RULES.comments._has_header_word(text, self.broken) else None


def reference_start(lines: list[str]) -> int | None:
    """Where the plain alternations put the page's comment section (``None``: nowhere)."""
    headers = _HeadersWithWords(any("\n" in line for line in lines))
    flags = reference_comment_section(lines, headers, MARKERS)  # type: ignore[arg-type]
    return flags.index(True) if True in flags else None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(pages=pages)
def test_a_batch_gives_each_page_its_own_start(pages: list[list[str]]) -> None:
    alone = [fresh().section_start(prepare_lines(lines)) for lines in pages]
    assert fresh().section_starts(prepare_many(pages)) == alone == [reference_start(lines) for lines in pages]
    assert pure(lambda: fresh().section_starts(prepare_many(pages))) == alone


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(pages=pages, data=st.data())
def test_pages_of_several_batches_alone_and_twice_in_one_call(pages: list[list[str]], data: st.DataObject) -> None:
    """Pages from two batches, pages prepared alone, a page twice and a page holding a line break, in any order,
    and one detector (its memos filled by the calls before) for all of them."""
    split = data.draw(st.integers(0, len(pages)))
    prepared: list[PreparedLines] = [
        *prepare_many(pages[:split]), *prepare_many(pages[split:]), *map(prepare_lines, pages[:2]),
        prepare_lines([ARTICLE, "Comments", "one\ntwo", "Reply", "Tom says:"]),
    ]
    prepared += data.draw(st.lists(st.sampled_from(prepared), max_size=3))
    order = data.draw(st.permutations(range(len(prepared))))
    documents = [prepared[k] for k in order]
    detector = RULES.comments
    assert detector.section_starts(documents) == [fresh().section_start(document) for document in documents]


def reference_kind(text: str) -> int:
    hit = MARKERS.search(text)
    return _NONE if hit is None else _DATE if hit.group("date") is not None else _MARKER


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.one_of(phrase, pair, dated, noise), min_size=1, max_size=80))
def test_marker_hints_settle_to_the_alternations_kinds(lines: list[str]) -> None:
    """A hint is the kind, or says which two kinds the bare-date marker decides between."""
    lines = [text for text in (text.strip() for text in lines) if text]
    detector = fresh()
    for kinds in (_kinds_of(detector, lines), pure(lambda: _kinds_of(fresh(), lines))):
        for text in lines:
            kind, want = kinds[text], reference_kind(text)
            if kind == _DATE_OR_NONE:
                assert want in (_DATE, _NONE)
            elif kind == _DATE_OR_MARKER:
                assert want in (_DATE, _MARKER)
            else:
                assert kind == want
            if kind > _MARKER:
                assert _settled(detector, text, kind) == want
    again = _kinds_of(detector, lines)  # read back from the memos
    assert all(again[text] == reference_kind(text) or again[text] > _MARKER for text in lines)


def _text(lines: list[str]) -> LineText:
    text = line_text([row for row in (line.strip() for line in lines) if row])
    assert text is not None
    return text


def _rows_of(lines: list[str], data: st.DataObject) -> tuple[list[str], LineText, np.ndarray] | None:
    """The stripped, non-empty single lines, their text and some of its rows (drawn, ascending); ``None``: no line."""
    lines = [text for text in (text.strip() for text in lines) if text and "\n" not in text]
    if not lines:
        return None
    rows = np.array(sorted(data.draw(st.sets(st.integers(0, len(lines) - 1), min_size=1))), dtype=np.intp)
    return lines, _text(lines), rows


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.one_of(phrase, pair, noise), min_size=1, max_size=60), data=st.data())
def test_header_rows_are_the_alternations(lines: list[str], data: st.DataObject) -> None:
    drawn = _rows_of(lines, data)
    if drawn is None:
        return
    lines, text, rows = drawn
    want = [row for row in rows.tolist() if HEADERS.match(lines[row]) is not None]
    assert _headers_in(fresh(), text, rows) == want == pure(lambda: _headers_in(fresh(), text, rows))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.one_of(phrase, noise, st.text(max_size=6), st.sampled_from(SHORT)), min_size=1, max_size=40))
def test_first_letter_masks_of_a_text_are_those_line_by_line(lines: list[str]) -> None:
    """Rows at the text's end, rows of one to four characters, astral characters, letters 8 and 256 characters in."""
    text = line_text([row for row in (line.strip() for line in lines) if row and "\n" not in row])
    if text is None:
        return
    rows = np.arange(len(text.lines))
    starts = RULES.comments.starts
    assert starts.masks_of(text, rows) == starts.masks_by_line(text, rows)
    assert starts.masks_of(text, rows[::2]) == starts.masks_by_line(text, rows[::2])
    with pytest.MonkeyPatch.context() as patch:  # the first letters looked for a few rows at a time
        patch.setattr(_classify_gates, "_PEEK_CELLS", 20)
        assert starts.masks_of(text, rows) == starts.masks_by_line(text, rows)


gate_string = st.text(alphabet="abcé", min_size=1, max_size=1).flatmap(
    lambda first: st.text(alphabet="abcé -", max_size=3).map(lambda rest: first + rest)
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    gates=st.lists(st.one_of(st.none(), st.frozensets(gate_string, min_size=1, max_size=4)), min_size=1, max_size=5),
    lines=st.lists(st.text(alphabet="abcéABCÉ -.1\t", min_size=1, max_size=12), min_size=1, max_size=30),
)
def test_first_letter_masks_of_any_gate_strings(gates: list[frozenset[str] | None], lines: list[str]) -> None:
    """Gate strings of one to four characters (the rules' own have no single letter) against lines made of them."""
    from textclean._classify_gates import StartTable

    text = line_text([row for row in (line.strip() for line in lines) if row])
    if text is None:
        return
    table = StartTable.build(gates)
    rows = np.arange(len(text.lines))
    assert table.masks_of(text, rows) == table.masks_by_line(text, rows)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lowered=st.lists(st.text(alphabet="commentsaiylr ṡ评论é-", max_size=30), max_size=200))
def test_word_gate_masks_are_the_words_each_line_holds(lowered: list[str]) -> None:
    """A few lines (looked for word by word) and many (the automaton, or ``str.find``)."""
    spelled = [("comment", "says"), None, ("reply", "評論", "a"), ("comments", "comment", "é")]
    words = [None if strings is None else frozenset(strings) for strings in spelled]
    gate = WordGate.build(words)
    want = [
        sum(1 << k for k, strings in enumerate(words) if strings is None or any(word in text for word in strings))
        for text in lowered
    ]
    assert gate.masks(lowered) == want == pure(lambda: gate.masks(lowered))
    assert "comments" not in gate.needles  # "comment" gates the same pattern and more


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.one_of(phrase, noise, st.sampled_from(["(", "[", "x(", "]["])), min_size=1, max_size=30),
       data=st.data())
def test_rows_holding_a_gate_character(lines: list[str], data: st.DataObject) -> None:
    drawn = _rows_of(lines, data)
    if drawn is None:
        return
    _, text, rows = drawn
    chars = frozenset("([")
    assert _rows_with(text, chars, rows) == [row for row in rows.tolist() if not chars.isdisjoint(text.heads[row])]
