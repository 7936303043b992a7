"""The token table: the compiled kernel and its pure-Python reference number the same words the same way."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textclean import Cleaner, _kernels, _tokens
from textclean._tokens import (
    TokenTable,
    gather_pages,
    gather_rows,
    join_pages,
    lowercase_words,
    native_tokenizer,
    table_from_lists,
    tokenize_pages,
)

needs_native = pytest.mark.skipif(
    native_tokenizer() is None, reason="textclean._native was not built (no C compiler at install time)"
)

# Letters of several scripts and cases (final sigma, dotted capital I), digits of several kinds, marks,
# joiners, "_", punctuation, spaces and line breaks of several kinds, and characters beyond the BMP.
ALPHABET = [
    *"aZé_9٣²½ Σσς İı ß ǅ Ⅻ 中文かナ 한 ا\u0301\u200d\u200c\n\r\t.,'-—\u2028\u00a0",
    *"@[`{AMz\x00\x7f\u212a",  # beside the ASCII letters (lowered by the kernel itself), the Kelvin sign
    "\U0001d400",  # mathematical bold capital A (a letter beyond the BMP)
    "\U0001f600",  # an emoji (not a word character)
    "\U00010400",  # Deseret capital long I (lowercases beyond the BMP)
]
line_text = st.text(st.sampled_from(ALPHABET), max_size=40)
batches = st.lists(st.lists(line_text.map(lambda s: s.replace("\n", " ")), max_size=6), max_size=5)


def _arrays(table: TokenTable) -> list[list[int]]:
    fields = ("ids", "local", "line_starts", "page_starts", "page_distinct", "distinct_starts")
    return [getattr(table, name).tolist() for name in fields]


def _with_repeats(table: TokenTable) -> list[list[int]]:
    assert table.line_repeats is not None
    return [*_arrays(table), table.line_repeats.tolist()]


def _reference(pages: list[list[str]]) -> TokenTable:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_kernels, "kernel", lambda name: None)
        return tokenize_pages(pages)


@needs_native
@settings(max_examples=300, deadline=None)
@given(batches)
def test_native_kernel_equals_the_reference(pages: list[list[str]]) -> None:
    native, reference = tokenize_pages(pages), _reference(pages)
    assert _with_repeats(native) == _with_repeats(reference)
    assert native.vocabulary == reference.vocabulary


@needs_native
@pytest.mark.parametrize("pages", [("a",), [("a",)], [["a", 3]], [["a"], None], "text"])
def test_native_kernel_refuses_anything_but_lists_of_lists_of_str(pages: object) -> None:
    with pytest.raises(TypeError, match="lists of str"):
        native_tokenizer()(pages, 500)


@needs_native
def test_native_kernel_lowers_ascii_lines_itself_and_others_by_str_lower() -> None:
    lines = ["THE River_9 @ Zz", "ΟΔΟΣ ΟΔΟΣ's", "İstanbul K", "\x00AZ[`az{"]  # final sigma, dotted I, Kelvin
    table = tokenize_pages([lines[:2], lines[2:]])
    assert table.vocabulary == list(dict.fromkeys(w for line in lines for w in lowercase_words(line)))
    assert "k" in table.vocabulary and "az" in table.vocabulary  # the Kelvin sign lowers to an ASCII "k"


@needs_native
def test_native_kernel_lowers_every_character_of_the_bmp_as_str_lower() -> None:
    """The kernel lowers the lines of the BMP by its own table (the Latin-1 ones and the others), str.lower the
    rest: each code point, alone and beside letters, in lines whose repeat keys are lowered too (a line and its
    lowercase copy are repeats of each other), against the reference."""
    pages = []
    for block in range(0, 0x10000, 256):
        lines = []
        for point in range(block, block + 256):
            char = chr(point)
            lines += [f"Ab{char}{char.upper()} {char}Z", f"ab{char}{char.upper()} {char}z".lower()]
        pages.append(lines)
    native, reference = tokenize_pages(pages), _reference(pages)
    assert _with_repeats(native) == _with_repeats(reference)
    assert native.vocabulary == reference.vocabulary


# lines that repeat in a page: a repeat key is the stripped line, lowercased when it has at most 500 characters
# (final sigma, dotted capital I, the Kelvin sign, whitespace str.strip takes), the line itself when longer
REPEATING = ["Share", "SHARE", " share\t", "ΣΑΣ", "σας", "σασ ", "İstanbul", "i̇stanbul", "\u212aiss", "kiss",
             "x" * 500, "X" * 500, " " + "X" * 500 + "\u2028", "x" * 501, "X" * 501, "İ" * 500, "i̇" * 500, "i̇" * 250,
             "é" * 501, "É" * 501, "a\nb", "A\nB", "", "  ", "\x1c", "\u3000中文\u3000", "中文", "\U00010400",
             "\U00010428"]


@needs_native
@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.one_of(st.sampled_from(REPEATING), line_text), max_size=12), max_size=4))
def test_native_repeat_counts_equal_the_reference(pages: list[list[str]]) -> None:
    from textclean._features_repeats import line_repeats

    native, reference = tokenize_pages(pages), _reference(pages)
    assert _with_repeats(native) == _with_repeats(reference)
    assert native.line_repeats is not None
    assert native.line_repeats.tolist() == [count for lines in pages for count in line_repeats(lines)]


@settings(max_examples=200, deadline=None)
@given(batches)
def test_each_line_has_its_lowercased_words(pages: list[list[str]]) -> None:
    for table in (tokenize_pages(pages), _reference(pages)):
        for k, lines in enumerate(pages):
            page = table.page(k)
            assert [page.words(i) for i in range(len(lines))] == [lowercase_words(line) for line in lines]


@settings(max_examples=200, deadline=None)
@given(batches)
def test_page_numbers_count_distinct_words_by_first_occurrence(pages: list[list[str]]) -> None:
    table = tokenize_pages(pages)
    every_word = [w for lines in pages for line in lines for w in lowercase_words(line)]
    assert table.vocabulary == list(dict.fromkeys(every_word))
    for k, lines in enumerate(pages):
        page = table.page(k)
        words = [w for line in lines for w in lowercase_words(line)]
        distinct = list(dict.fromkeys(words))
        assert [table.vocabulary[i] for i in page.distinct.tolist()] == distinct
        assert page.local.tolist() == [distinct.index(w) for w in words]
        assert page.distinct[page.local].tolist() == page.ids.tolist()  # local -> batch numbers


@settings(max_examples=100, deadline=None)
@given(batches)
def test_word_lists_give_the_same_table(pages: list[list[str]]) -> None:
    from_lists = table_from_lists([[lowercase_words(line) for line in lines] for lines in pages])
    tokenized = tokenize_pages(pages)
    assert _arrays(from_lists) == _arrays(tokenized) and from_lists.vocabulary == tokenized.vocabulary


@given(st.lists(st.text(st.sampled_from(ALPHABET), max_size=30), max_size=6))
def test_a_line_break_inside_a_line_splits_words_like_a_space(lines: list[str]) -> None:
    page = tokenize_pages([lines]).page(0)
    assert [page.words(i) for i in range(len(lines))] == [lowercase_words(line) for line in lines]


@given(st.lists(st.integers(0, 5), max_size=8), st.data())
def test_gather_rows_takes_the_listed_rows_in_order(counts: list[int], data: st.DataObject) -> None:
    items = np.arange(sum(counts), dtype=np.int32)
    rows = data.draw(st.lists(st.integers(0, len(counts) - 1), max_size=8)) if counts else []
    ids, chosen = gather_rows(items, np.array(counts, dtype=np.intp), rows)
    starts = np.cumsum([0, *counts])
    assert ids.tolist() == [x for row in rows for x in range(starts[row], starts[row + 1])]
    assert chosen.tolist() == [counts[row] for row in rows]


def test_rows_refuses_to_leave_out_a_line_with_words() -> None:
    page = tokenize_pages([["The river", "", "the flood"]]).page(0)
    assert page.rows([0, 2]).counts.tolist() == [2, 2]
    with pytest.raises(ValueError, match="left out have words"):
        page.rows([0, 1])


def _plain_rows(pages: list[list[str]], chosen: list[int], rows: list[list[int]]) -> dict[str, list[int]]:
    """The joined words of the chosen lines of the chosen pages, built word by word: a word's local number counts
    the (page, word) pairs, its page's first occurrences first."""
    vocabulary = tokenize_pages(pages).vocabulary
    ids, local, counts, distinct = [], [], [], []
    for k, lines in zip(chosen, rows, strict=True):
        page_words = list(dict.fromkeys(word for line in pages[k] for word in lowercase_words(line)))
        base = len(distinct)
        distinct += [vocabulary.index(word) for word in page_words]
        for line in lines:
            words = lowercase_words(pages[k][line])
            counts.append(len(words))
            ids += [vocabulary.index(word) for word in words]
            local += [base + page_words.index(word) for word in words]
    return {"ids": ids, "local": local, "counts": counts, "distinct": distinct}


def _as_lists(tokens: _tokens.PageTokens) -> dict[str, list[int]]:
    return {name: getattr(tokens, name).tolist() for name in ("ids", "local", "counts", "distinct")}


@settings(max_examples=300, deadline=None)
@given(batches, st.data())
def test_pages_rows_are_the_pages_rows_joined(pages: list[list[str]], data: st.DataObject) -> None:
    """Any pages of a table, in any order (consecutive or not), and any of their lines holding all their words."""
    table = tokenize_pages(pages)
    chosen = data.draw(st.lists(st.sampled_from(range(len(pages))), unique=True)) if pages else []
    rows = [
        [line for line, text in enumerate(pages[k]) if lowercase_words(text) or data.draw(st.booleans())]
        for k in chosen
    ]
    joined = table.pages_rows(chosen, rows)
    assert _as_lists(joined) == _plain_rows(pages, chosen, rows)
    if chosen:
        each = [table.page(k).rows(lines) for k, lines in zip(chosen, rows, strict=True)]
        assert _as_lists(joined) == _as_lists(join_pages(each))
    assert joined.number is None and all(table.page(k).number == k for k in range(len(pages)))


@given(batches, st.data())
def test_gather_pages_is_each_page_s_gather(pages: list[list[str]], data: st.DataObject) -> None:
    """Any pages (repeated, in any order), any rows of each (repeated, in any order, none), words or no words."""
    table = tokenize_pages(pages)
    chosen = data.draw(st.lists(st.sampled_from(range(len(pages))))) if pages else []
    picks = [(table.page(k), data.draw(st.lists(st.integers(0, len(pages[k]) - 1)) if pages[k] else st.just([])))
             for k in chosen]
    found = gather_pages(picks)
    assert len(found) == len(picks)
    for (ids, counts), (page, rows) in zip(found, picks, strict=True):
        expected_ids, expected_counts = page.gather(rows)
        assert (ids.tolist(), counts.tolist()) == (expected_ids.tolist(), expected_counts.tolist())


def test_pages_rows_refuse_to_leave_out_a_line_with_words() -> None:
    table = tokenize_pages([["The river", "", "the flood"], ["A flood"]])
    assert table.pages_rows([1, 0], [[0], [0, 2]]).counts.tolist() == [2, 2, 2]
    with pytest.raises(ValueError, match="left out have words"):
        table.pages_rows([0, 1], [[0, 2], []])


def test_per_word_tests_run_once_per_table() -> None:
    table = tokenize_pages([["The river", "the 2 rivers"]])
    calls: list[str] = []

    def test(word: str) -> int:
        calls.append(word)
        return len(word)

    assert table.per_word(test, np.int64).tolist() == [3, 5, 1, 6]
    assert table.per_word(test, np.int64).tolist() == [3, 5, 1, 6]
    assert calls == ["the", "river", "2", "rivers"]


PAGES = [
    "Home | News | Sport | Contact\n\nThe flood barrier along the river held back the water on Tuesday.\n"
    "Engineers said the barrier along the river will be raised by another metre.\n"
    "The flood barrier along the river held back the water on Tuesday.\nΣΟΦΙΑ ΚΑΙ ΟΔΟΣ\nİSTANBUL İÇİN\n"
    "© 2024 The Daily River. All rights reserved.",
    "Sign up for our newsletter\n\nA second page, in its own words, about the weather in the hills and valleys.",
    "",
]


@needs_native
def test_cleaning_is_the_same_with_and_without_the_kernel() -> None:
    cleaner = Cleaner()
    with_kernel = cleaner.clean_many(PAGES)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_kernels, "kernel", lambda name: None)
        without = cleaner.clean_many(PAGES)
    assert with_kernel == without
    assert [r.text for r in with_kernel] == [cleaner.clean(page).text for page in PAGES]


@needs_native
def test_the_cli_writes_the_same_bytes_on_the_pure_python_path(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    example = Path(__file__).resolve().parent.parent / "examples" / "page.txt"
    outputs = []
    for pure in ("0", "1"):
        env = {**os.environ, "TEXTCLEAN_PURE_PYTHON": pure}
        out, report = tmp_path / f"out{pure}.txt", tmp_path / f"report{pure}.jsonl"
        command = [sys.executable, "-m", "textclean", "clean", str(example), "-o", str(out), "--report", str(report)]
        subprocess.run(command, env=env, check=True, capture_output=True)
        outputs.append((out.read_bytes(), report.read_bytes()))
    assert outputs[0] == outputs[1] and outputs[0][0]
