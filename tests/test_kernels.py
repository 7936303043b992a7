"""The compiled kernels against their references: the probe screen's line finder (Aho-Corasick against str.find)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textclean import _kernels
from textclean._matcher_probe import _LineFinder, _lines_holding

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
