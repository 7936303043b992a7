"""The compiled document scan (``_native.normalize_scan`` through ``scan_document``) against its reference.

``scan_document(text, scan)`` must equal ``split_pieces``, ``str.rstrip`` of each piece and ``find_suspect_lines``
for every text and every scan (the real configs' and broken ones), and the kernel must refuse bad arguments
without crashing. The normal-form marks must be sound: a text holding none of them is in the form.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_normalize import ALL_ON, DEFAULT, PROPERTY
from test_normalize_lines import BROKEN_DOCUMENT_GATES, configs, documents

from textclean import _kernels, _normalize_scan
from textclean._ftfy_gate import ClueContext
from textclean._normalize import NormalizeConfig, _plan_for
from textclean._normalize_lines import DocumentScan, document_scan, find_suspect_lines, split_pieces
from textclean._normalize_scan import form_marks, scan_document, scan_tables
from textclean._normalize_steps import ENTITY_RE

native = _kernels.kernel("normalize_scan")
needs_native = pytest.mark.skipif(native is None, reason="textclean._native was not built")


def reference(text: str, scan: DocumentScan) -> tuple[list[tuple[int, int]], list[str], list[int]]:
    spans, pieces = split_pieces(text)
    return spans, [piece.rstrip() for piece in pieces], find_suspect_lines(text, spans, pieces, scan)


# What the kernel treats one by one: every terminator and what only looks like one, whitespace str.rstrip strips
# (and what it does not), the edges of the entity pattern, clues beside their contexts, what the normal forms
# change (combining marks, singletons, jamo, compatibility characters), beyond the BMP, lone surrogates.
_TRICKY = [
    "\n", "\r", "\r\n", "\n\r", "\r\r\n", "\x0b", "\x0c", "\u2028", "\u2029", "\x85", "\x1c", "\x1d", "\x1e", "\x1f",
    " ", "\t", "\xa0", "\u3000", "\u2000", "\u200a", "\u200b", "\u180e", "\ufeff", "\x00", "\x07", "\x1b", "\x7f",
    "\x80", "\x9f", "&", "&amp;", "&amp", "&#", "&#;", "&#1;", "&#1234567890;", "&#12345678901;", "&#x;", "&#xA;",
    "&#X1f;", "&#x12345678;", "&#x123456789;", "&#xg;", "&a;", "&ab;", "&a1;", "&" + "a" * 32 + ";",
    "&" + "a" * 33 + ";", "&1a;", "&é;", "&a\n;", ";", "#", "x", "é", "Ã", "Â", "©", "“", "”", "’", "«", "»", "—",
    "Ã©", "â€™", "Ð¿", "е", "\u0301", "e\u0301", "\u0327", "\u0344", "\u2126", "\u212b", "\u1100", "\u1161",
    "\u11a8", "가", "\u3099", "か\u3099", "²", "ﬁ", "Ｗ", "ｶ", "😀", "\U0001d15e", "\U000110ba", "\ud800", "\udfff",
]  # fmt: skip
tricky = st.lists(st.sampled_from(_TRICKY) | st.text(max_size=2), max_size=16).map("".join)
texts = documents | tricky


def _scan_of(config: NormalizeConfig) -> DocumentScan:
    return _plan_for(config).scan


@needs_native
@PROPERTY
@given(text=texts, config=configs)
@example(text="", config=DEFAULT)
@example(text="a\r\n\r\nb\r", config=DEFAULT)
@example(text="ok \u3000\nx\xa0", config=DEFAULT)
@example(text="“Quoted” — fine\ncafé «ok»\nwordÃ© mojibake", config=DEFAULT)
@example(text="ascii\ncafe\u0301\nné\n😀", config=DEFAULT)
@example(text="x\u2000\ny", config=DEFAULT)  # stripped, but not in NFC before: the reference checks the piece
@example(text="&#1234567890;\n&#12345678901;\n&#x12345678;\n&#x123456789;", config=DEFAULT)
def test_scan_document_equals_the_reference(text: str, config: NormalizeConfig) -> None:
    scan = _scan_of(config)
    assert scan_tables(scan) is not None
    assert scan_document(text, scan) == reference(text, scan)


@needs_native
@settings(max_examples=300, deadline=None)
@given(text=texts, name=st.sampled_from(sorted(BROKEN_DOCUMENT_GATES)))
def test_scan_document_equals_the_reference_on_broken_scans(text: str, name: str) -> None:
    """The tables follow the scan they are built from, whatever it holds."""
    config, mutate = BROKEN_DOCUMENT_GATES[name]
    scan = mutate(_plan_for(config)).scan
    assert scan_document(text, scan) == reference(text, scan)


@needs_native
@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from("&#xX0123456789afgzAZ;é\n"), max_size=40).map("".join))
def test_the_kernel_finds_the_entities_the_pattern_finds(text: str) -> None:
    scan = document_scan("\x00", ENTITY_RE, {}, None)
    pieces = split_pieces(text)[1]
    expected = sorted({index for index, piece in enumerate(pieces) if ENTITY_RE.search(piece)})
    assert scan_document(text, scan)[2] == expected == reference(text, scan)[2]


def test_the_reference_path_without_the_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "caf\u00c3\u00a9 \r\nplain\n&amp;"
    expected = ([(0, 6), (8, 13), (14, 19)], ["caf\u00c3\u00a9", "plain", "&amp;"], [0, 2])
    assert scan_document(text, _scan_of(DEFAULT)) == expected
    monkeypatch.setattr(_kernels, "kernel", lambda name: None)
    assert scan_document(text, _scan_of(DEFAULT)) == expected


_CONTEXT = ClueContext(before=frozenset("é"), after=frozenset())


@pytest.mark.parametrize(
    ("scan", "why"),
    [
        (document_scan("\x00\U0001f600", None, {}, "NFC"), "a suspect character beyond the BMP"),
        (document_scan("\x00\\w", None, {}, "NFC"), "a class the parser does not spell out"),
        (document_scan("\x00x", None, {"x": _CONTEXT}, "NFC"), "an ASCII clue"),
        (document_scan("\x00«", None, {"«": ClueContext(frozenset("\n"), frozenset())}, "NFC"), "a terminator"),
        (document_scan("\x00«", None, {"«": ClueContext(frozenset("😀"), frozenset())}, "NFC"), "beyond the BMP"),
        (document_scan("\x00", re.compile("&amp;"), {}, "NFC"), "another entity pattern"),
        (document_scan("\x00", None, {}, "NFC")._replace(controls=b""), "controls not the class's ASCII part"),
        (
            document_scan(
                "".join(map(chr, range(0x100, 0x120))),
                None,
                {chr(0x100 + k): ClueContext(frozenset(chr(0x200 + k)), frozenset()) for k in range(32)},
                "NFC",
            ),
            "too many distinct context sets",
        ),
    ],
)
def test_scans_the_tables_cannot_express_take_the_reference_path(scan: DocumentScan, why: str) -> None:
    assert scan_tables(scan) is None, why
    text = "a\x00\né«b\nx😀 \nc\u0301&amp;\n\nĀȀ"
    assert scan_document(text, scan) == reference(text, scan)


@needs_native
def test_tables_are_built_once_per_scan() -> None:
    scan = _scan_of(ALL_ON)
    assert scan_tables(scan) is scan_tables(scan)
    copy = scan._replace()
    assert copy is not scan and scan_tables(copy) == scan_tables(scan)


# --- the normal-form marks ---


def _composing_firsts() -> str:
    """The first characters of the canonical two-character decompositions, and Hangul syllables and leading jamo."""
    firsts = {"\u1100", "\uac00"}
    for code in range(0x10000):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            firsts.add(chr(int(parts[0], 16)))
    return "".join(sorted(firsts))


@pytest.mark.parametrize("form", ["NFC", "NFKC"])
def test_every_character_the_quick_check_can_stop_at_is_marked(form: Any) -> None:
    """Marked: a non-zero combining class, not in the form alone, able to compose with the character before."""
    marks = np.frombuffer(form_marks(form), dtype=np.uint8)
    assert len(marks) == 0x10000 and set(np.unique(marks)) <= {0, 1}
    unmarked = [chr(code) for code in np.flatnonzero(marks == 0)]
    assert not any(map(unicodedata.combining, unmarked))
    assert all(unicodedata.is_normalized(form, char) for char in unmarked)
    firsts = [char for char in _composing_firsts() if not marks[ord(char)]]
    for turn in range(8):  # each unmarked character after 8 of the characters that compose with another
        joined = "".join(firsts[(k * 8 + turn) % len(firsts)] + char for k, char in enumerate(unmarked))
        assert unicodedata.is_normalized(form, joined)


@given(st.text(st.characters(max_codepoint=0xFFFF), max_size=30))
def test_a_text_without_marks_is_in_the_form(text: str) -> None:
    marks = form_marks("NFC")
    if not any(marks[ord(char)] for char in text):
        assert unicodedata.is_normalized("NFC", text)


def test_the_marks_read_back_equal_a_live_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTCLEAN_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("TEXTCLEAN_NO_CACHE", raising=False)
    cold = form_marks("NFKC")
    assert [path.name.split("-")[0] for path in tmp_path.glob("*.pickle")] == ["form"]
    assert form_marks("NFKC") == cold == _normalize_scan._form_marks("NFKC")


# --- bad arguments ---


@needs_native
def test_the_kernel_refuses_bad_arguments() -> None:
    tables = scan_tables(_scan_of(DEFAULT))
    assert tables is not None
    flags, contexts, clues = tables[:3]
    assert native("a\nb", flags, contexts, clues, True, True)[:2] == ([(0, 1), (2, 3)], ["a", "b"])
    for args in (
        (b"a\nb", flags, contexts, clues, True, True),  # not a str
        ("a", "flags", contexts, clues, True, True),  # not a buffer
        ("a", flags, contexts, clues, True),  # too few
        ("a", flags, contexts, clues, True, True, 0),  # too many
    ):
        with pytest.raises(TypeError):
            native(*args)
    misaligned = memoryview(b"\0" + contexts)[1:]
    for args in (
        ("a", flags[:-1], contexts, clues, True, True),  # a short table
        ("a", flags, contexts + bytes(8), clues, True, True),  # a long one
        ("a", flags, contexts, clues[:-1], True, True),  # short clue sets
        ("a", flags, misaligned, clues, True, True),  # not aligned for uint64
        ("a", flags, contexts, memoryview(b"\0" + clues)[1:], True, True),
    ):
        with pytest.raises(ValueError, match="normalize_scan needs"):
            native(*args)


@needs_native
@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**32), text=texts)
def test_any_table_is_read_safely(seed: int, text: str) -> None:
    """Whatever the tables hold (clue numbers, set bits), the kernel reads within them and splits the same."""
    random = np.random.default_rng(seed)
    flags = random.integers(0, 256, 1 << 16, dtype=np.uint8).tobytes()
    contexts, clues = (random.integers(0, 2**64, size, dtype=np.uint64).tobytes() for size in (1 << 16, 256))
    spans, lines, suspect, recheck = native(text, flags, contexts, clues, True, True)
    expected_spans, pieces = split_pieces(text)
    assert (spans, lines) == (expected_spans, [piece.rstrip() for piece in pieces])
    assert suspect == sorted(set(suspect)) and recheck == sorted(set(recheck))
    assert set(suspect) | set(recheck) <= set(range(len(spans)))
