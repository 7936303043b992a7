"""Tests of the document-level path: ``normalize_lines`` and ``split_lines`` equal their per-line references.

``normalize_lines(text, config)`` must return exactly ``split_lines(text)`` and
``[normalize_line(text[s:e], config) for s, e in split_lines(text)]`` for every text and config;
``split_lines`` must equal one regex scan of the terminators. The strategies mix the pieces of
``test_normalize`` (mojibake, entities, controls, spaces, invisibles, …) with every line terminator
and the characters that sit next to them in real pages.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, example, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample
from test_normalize import ALL_ON, DEFAULT, PROPERTY, config_or_default, rich_text, ungated_line

from textclean._ftfy_gate import ClueContext, clue_contexts
from textclean._normalize import (
    NormalizeConfig,
    _normalize_document,
    _plan_for,
    normalize,
    normalize_line,
    normalize_lines,
    split_lines,
)
from textclean._normalize_lines import find_suspect_lines, split_pieces

_TERMINATOR = re.compile("\r\n|[\n\r\x0b\x0c\u2028\u2029]")


def reference_spans(text: str) -> list[tuple[int, int]]:
    """The plain reference: every terminator found by one regex scan."""
    spans, start = [], 0
    for match in _TERMINATOR.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def reference_lines(text: str, config: NormalizeConfig) -> tuple[list[tuple[int, int]], list[str]]:
    spans = reference_spans(text)
    return spans, [normalize_line(text[start:end], config) for start, end in spans]


# What stands at line edges in real pages, and every terminator (and the breaks that are not).
_EDGES = [
    "\n", "\n", "\r\n", "\r", "\x0b", "\x0c", "\u2028", "\u2029", "\n\n", "\r\n\r\n", "\r\r\n",
    " \n", "\t\n", "\xa0\n", "\u3000\n", " \r\n", "\x85", "\x1c", "\x1d\n", "\ufeff", "\u200b\n",
    "\n\u0301", "\ne\u0301", "\n\u200d👩", "👨\u200d\n", "Ã\n", "\nÃ ", "Â \n", "\n©", "©\n", "“\n", "\n”",
    "&amp;\n", "&\namp;", "\n\x1b[0m", "\x00\n", "\n\x7f", "\ud83d\n\udca9",
]  # fmt: skip
lines_and_breaks = st.lists(rich_text | st.sampled_from(_EDGES), max_size=12).map("".join)
# Mostly ASCII documents with rare non-ASCII lines: the partition into ASCII and other lines.
ascii_lines = st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=12)
mostly_ascii = st.lists(ascii_lines | st.sampled_from(_EDGES) | rich_text, max_size=12).map("\n".join)
documents = lines_and_breaks | mostly_ascii
configs = config_or_default | st.sampled_from(
    [
        ALL_ON,
        NormalizeConfig(unicode_form="NFKC"),
        NormalizeConfig(normalize_spaces=False, remove_zero_width=False),
        NormalizeConfig(fix_encoding=False, html_entities="none", unicode_form="none"),
        NormalizeConfig(remove_control_characters=False, remove_terminal_escapes=False, remove_bidi_controls=True),
    ]
)


@PROPERTY
@given(text=documents, config=configs)
@example(text="", config=DEFAULT)
@example(text="\n", config=DEFAULT)
@example(text="a\r\nb\rc\n", config=DEFAULT)
@example(text="a\r\nb\r\n", config=DEFAULT)
@example(text="plain\nÃ\xa0 x\nnext", config=DEFAULT)
@example(text="ok\nÃ ok", config=DEFAULT)  # ftfy's "^[ÃÂ] " matches at the start of a line only
@example(text="line \n  \nend\t", config=DEFAULT)
@example(text="x\xa0\ny", config=NormalizeConfig(normalize_spaces=False))
@example(text="e\n\u0301x\ncaf\u00e9", config=DEFAULT)
@example(text="ascii\x07\nnon-ascii é", config=DEFAULT)
@example(text="AT&T\n&amp;lt;\n&#10;", config=DEFAULT)
def test_normalize_lines_equals_split_lines_and_normalize_line(text: str, config: NormalizeConfig) -> None:
    assert normalize_lines(text, config) == reference_lines(text, config)


@PROPERTY
@given(text=documents)
def test_normalize_lines_equals_the_ungated_pipeline(text: str) -> None:
    spans, lines = normalize_lines(text)
    assert lines == [ungated_line(text[start:end], DEFAULT) for start, end in spans]


@PROPERTY
@given(text=documents, config=configs)
def test_normalize_is_the_collapsed_lines(text: str, config: NormalizeConfig) -> None:
    lines = reference_lines(text, config)[1]
    expected = re.sub("\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    assert normalize(text, config) == expected


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(st.sampled_from(["a", "é", " ", "\n", "\r", "\r\n", "\x0b", "\x0c", "\u2028", "\u2029", "\x85"]),
                     max_size=20).map("".join))  # fmt: skip
@example(text="a\r\nb\r\n")  # every terminator a CRLF
@example(text="a\r\nb\n")  # CRLF and LF
@example(text="a\rb\n")  # no CRLF
@example(text="\r\n\r")
def test_split_lines_equals_the_regex_scan(text: str) -> None:
    spans = reference_spans(text)
    assert split_lines(text) == spans
    assert split_pieces(text) == (spans, [text[start:end] for start, end in spans])


@pytest.mark.parametrize(
    ("text", "suspect"),
    [
        ("plain\nAT&T\n&amp;\n", [2]),  # only a decodable entity
        ("“Quoted” — fine\ncafé «ok»\nwordÃ© mojibake", [2]),  # clues in context only
        ("ascii\x07\nnon-ascii é\n", [0]),  # a control in an ASCII line of a non-ASCII text
        ("ascii\nnbsp\xa0here\n", [1]),
        ("ascii\ncafe\u0301\nné", [1, 2]),  # not in NFC: every non-ASCII line
    ],
)
def test_find_suspect_lines_points_only_at_lines_to_look_at(text: str, suspect: list[int]) -> None:
    spans, pieces = split_pieces(text)
    assert find_suspect_lines(text, spans, pieces, _plan_for(DEFAULT).scan) == suspect


def test_normalize_lines_examples() -> None:
    text = "Caf\u00c3\u00a9\r\n\r\nAT&amp;T\u00a0 \n\u2028x\x00"
    assert normalize_lines(text) == ([(0, 5), (7, 7), (9, 19), (20, 20), (21, 23)], ["Café", "", "AT&T", "", "x"])
    assert normalize_lines("") == ([], [])
    assert normalize_lines("x", NormalizeConfig(html_entities="none")) == ([(0, 1)], ["x"])


# A document gate that forgets one of its checks must be caught by the document strategy.
def _scan_change(**changes: Any) -> Any:
    return lambda plan: plan._replace(scan=plan.scan._replace(**changes))


def _suspect_without(chars: str) -> Any:
    return lambda plan: plan._replace(
        scan=plan.scan._replace(suspect=re.compile(plan.scan.suspect.pattern.replace(chars, "")))
    )


_NO_CONTEXT = ClueContext(frozenset(), frozenset())

BROKEN_DOCUMENT_GATES: dict[str, tuple[NormalizeConfig, Any]] = {
    "no entity scan": (DEFAULT, _scan_change(entities=None)),
    "no control check on ASCII lines": (DEFAULT, _scan_change(controls=b"")),
    "no normal-form check": (DEFAULT, _scan_change(form=None)),
    "no NBSP in the suspect class": (DEFAULT, _suspect_without("\xa0")),
    "clues never in context": (DEFAULT, _scan_change(contexts=dict.fromkeys(clue_contexts(), _NO_CONTEXT))),
    "clue contexts before-only": (
        DEFAULT,
        _scan_change(contexts={c: ctx._replace(after=frozenset()) for c, ctx in clue_contexts().items()}),
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN_DOCUMENT_GATES))
def test_strategy_catches_a_broken_document_gate(name: str) -> None:
    config, mutate = BROKEN_DOCUMENT_GATES[name]
    plan = _plan_for(config)
    broken = mutate(plan)
    assert broken != plan

    def differs(text: str) -> bool:
        return bool(_normalize_document(text, broken)[1] != reference_lines(text, config)[1])

    try:
        find(documents, differs, settings=settings(max_examples=3000, database=None, derandomize=True))
    except NoSuchExample:  # pragma: no cover - the failure this test exists to report
        pytest.fail(f"the document strategy cannot tell a gate with {name} from the real one")

