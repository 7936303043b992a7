"""The compiled lexical kernels (``lexical_columns``, ``lexical_flags``) against their numpy references in
``textclean/_lexical.py``, on adversarial words, and their refusal of bad arguments."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textclean import _kernels
from textclean._lexical import (
    CONTENT_WORD_LETTERS,
    _joined,
    _lexical_columns,
    _native_columns,
    chrome_lexicon,
    word_flags,
)
from textclean._tokens import PageTokens, tokenize_pages

columns_kernel = _kernels.kernel("lexical_columns")
flags_kernel = _kernels.kernel("lexical_flags")
needs_native = pytest.mark.skipif(columns_kernel is None, reason="textclean._native was not built")

# words of the chrome lexicon (some in other cases), case twins, digits of several kinds, non-ASCII, empty lines
WORDS = ["share", "SHARE", "Newsletter", "comments", "kommentar", "ΣΑΣ", "σας", "İstanbul", "straße", "STRASSE",
         "ſhare", "2024", "٣٣٣٣", "½½½½", "river", "flood", "the", "a", "中文评论", "ǅemal", "\U00010400\U00010428x",
         "x" * 30, "_", "abc_", "Ⅻⅻⅻⅻ"]  # fmt: skip
line = st.lists(st.sampled_from(WORDS), max_size=14).map(" ".join)
page = st.lists(line, max_size=8)
lexicon = st.frozensets(st.sampled_from([word.lower() for word in WORDS] + ["ſhare", "x"]), max_size=8)


def _chosen(page_lines: list[str], keep: list[bool]) -> list[int]:
    """The lines of a page with words, and some without (those may be left out)."""
    kept = keep + [True] * len(page_lines)
    return [k for k, text in enumerate(page_lines) if text or kept[k]]


@needs_native
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(page, min_size=1, max_size=5), st.lists(st.booleans(), max_size=8), st.data())
def test_the_kernel_gives_the_numpy_columns(pages: list[list[str]], keep: list[bool], data: st.DataObject) -> None:
    table = tokenize_pages(pages)
    numbers = data.draw(st.lists(st.integers(0, len(pages) - 1), min_size=1, max_size=4, unique=True))
    tokens = [table.page(k) for k in numbers]
    rows: list[list[int] | None] = [_chosen(pages[k], keep) for k in numbers]
    if data.draw(st.booleans()):  # some pages whole (the kernel then reads the pages joined)
        rows[0] = None
    sizes = [len(pages[k]) if lines is None else len(lines) for k, lines in zip(numbers, rows, strict=True)]
    words = np.array(data.draw(st.lists(st.sampled_from([0.0, 3.0, 11.0, 12.0, 40.0]), min_size=sum(sizes),
                                        max_size=sum(sizes))), dtype=np.float64)  # fmt: skip
    expected = _lexical_columns(_joined(tokens, rows), words)
    found = _native_columns(columns_kernel, tokens, rows, words)
    assert found.shape == expected.shape and np.array_equal(found, expected)


@needs_native
@settings(max_examples=300, deadline=None)
@given(st.lists(page, min_size=1, max_size=3), lexicon)
def test_the_flags_kernel_gives_the_reference_flags(pages: list[list[str]], words: frozenset[str]) -> None:
    table = tokenize_pages(pages)
    found = np.frombuffer(flags_kernel(table.vocabulary, words, CONTENT_WORD_LETTERS), dtype=np.uint8)
    assert found.tolist() == word_flags(table, words).tolist()


@needs_native
def test_the_flags_kernel_on_the_chrome_lexicon() -> None:
    vocabulary = sorted(chrome_lexicon()) + [word.upper() for word in sorted(chrome_lexicon())] + ["", "x", "1234"]
    table = tokenize_pages([[" ".join(vocabulary)]])
    found = np.frombuffer(flags_kernel(table.vocabulary, chrome_lexicon(), CONTENT_WORD_LETTERS), dtype=np.uint8)
    assert found.tolist() == word_flags(table, chrome_lexicon()).tolist()


@needs_native
def test_the_log_column_is_math_log1p() -> None:
    counts = [0, 1, 2, 3, 7, 100, 4096]
    table = tokenize_pages([[" ".join(["share"] * count) for count in counts]])
    out = _native_columns(columns_kernel, [table.page(0)], [None], np.zeros(len(counts)))
    assert out[:, 2].tolist() == [math.log1p(count) for count in counts]


@needs_native
def test_the_kernels_refuse_bad_arguments() -> None:
    table = tokenize_pages([["the river flood", "", "share"]])
    flags = word_flags(table, chrome_lexicon())
    arrays = (table.local, table.line_starts.astype(np.int64), table.page_starts.astype(np.int64),
              table.page_distinct, table.distinct_starts.astype(np.int64), flags)  # fmt: skip

    def run(*changed: object, pages: object = None, rows: object = None, words: object = None) -> None:
        given_arrays = list(arrays)
        for k, value in zip(range(0, len(changed), 2), changed[1::2], strict=True):
            given_arrays[changed[k]] = value  # type: ignore[index, call-overload]
        measured = np.zeros(3) if words is None else words
        out = np.empty((len(measured), 3))  # type: ignore[arg-type]
        columns_kernel(*given_arrays, [0] if pages is None else pages, rows, measured, 12.0, out)

    run()  # the arguments as they are: fine
    with pytest.raises(ValueError, match="page or row number out of range"):
        run(pages=[1])
    with pytest.raises(ValueError, match="page or row number out of range"):
        run(pages=[-1])
    with pytest.raises(ValueError, match="page or row number out of range"):
        run(rows=[[0, 5]], words=np.zeros(2))
    with pytest.raises(ValueError, match="left out have words"):
        run(rows=[[0, 1]], words=np.zeros(2))
    with pytest.raises(ValueError, match="more rows"):
        run(words=np.zeros(2))
    with pytest.raises(ValueError, match="fewer rows"):
        run(words=np.zeros(4))
    with pytest.raises(TypeError):
        run(rows=[(0, 1, 2)])
    with pytest.raises(TypeError):
        run(rows=[[0, 1, 2], [0]])
    with pytest.raises(TypeError):
        run(pages=(0,))
    with pytest.raises(TypeError):
        run(rows=[["0", 1, 2]])
    with pytest.raises(ValueError, match="word number out of range"):
        run(0, np.full(len(table.local), 99, dtype=np.int32))
    with pytest.raises(ValueError, match="vocabulary number out of range"):
        run(3, np.full(len(table.page_distinct), 99, dtype=np.int32))
    with pytest.raises(ValueError, match="starts out of order or range"):
        run(1, np.array([0, 9, 2, 3], dtype=np.int64))
    with pytest.raises(ValueError, match="starts out of order or range"):
        run(2, np.array([0, 7], dtype=np.int64))
    with pytest.raises(ValueError, match="starts out of order or range"):
        run(4, np.array([0, 99], dtype=np.int64))
    with pytest.raises(ValueError, match="inconsistent array sizes"):
        run(4, np.array([0, 1, 2], dtype=np.int64))
    with pytest.raises(TypeError, match="expected items of 4 bytes"):
        run(0, table.local.astype(np.int64))
    with pytest.raises(ValueError, match="inconsistent array sizes"):
        columns_kernel(*arrays, [0], None, np.zeros(3), 12.0, np.empty((3, 2)))
    with pytest.raises(ValueError, match="C-contiguous"):
        columns_kernel(*arrays, [0], None, np.zeros(3), 12.0, np.empty((3, 3))[:, ::-1])
    with pytest.raises(TypeError, match="lexicon must be a set"):
        flags_kernel(["share"], ["share"], 4)
    with pytest.raises(TypeError, match="words must be str"):
        flags_kernel(["share", 3], frozenset(), 4)
    with pytest.raises(TypeError):
        flags_kernel(("share",), frozenset(), 4)


@needs_native
def test_a_lexicon_holding_other_objects_is_looked_up_word_by_word() -> None:
    class Word(str):
        """A str subclass: equal to its text, whatever the kernel's filter makes of it."""

    words = ["share", "river", "rivers"]
    for lexicon_ in ({Word("share"), 7}, {"river", Word("rivers")}):
        found = np.frombuffer(flags_kernel(words, lexicon_, 4), dtype=np.uint8).tolist()
        assert found == [1 | 2 * (word in lexicon_) for word in words]


def test_pure_path_gives_the_same_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the kernels switched off, lexical_many runs the numpy reference (the same columns)."""
    from textclean._lexical import lexical_many

    article = "The flood barrier along the river held back the water on Tuesday night again and again."
    chrome = ["Share this on Facebook", "", "Newsletter: sign up for the river newsletter"]
    pages = [[article, *chrome], ["a b c", "river"]]
    table = tokenize_pages(pages)
    tokens: list[PageTokens] = [table.page(0), table.page(1)]
    words = [np.array([16.0, 4.0, 0.0, 7.0]), np.array([3.0, 1.0])]
    native = lexical_many(tokens, words)
    _kernels.kernel.cache_clear()
    monkeypatch.setenv("TEXTCLEAN_PURE_PYTHON", "1")
    try:
        pure = lexical_many(tokens, words)
    finally:
        monkeypatch.delenv("TEXTCLEAN_PURE_PYTHON")
        _kernels.kernel.cache_clear()
    assert all(np.array_equal(a, b) for a, b in zip(native, pure, strict=True))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.lists(st.one_of(line, st.just("share " * 400 + "river"), st.just(""), st.just("  ")), max_size=6),
                max_size=5))  # fmt: skip
def test_long_rows_of_a_batch_are_those_of_each_document(batch: list[list[str]]) -> None:
    """The rows over HEAD_CHARS found once per batch text are each document's own (whose words are then re-read)."""
    from textclean._features import _has_long_row, _have_long_rows, features_of, lexical_of_many, prepare_many

    prepared = prepare_many(batch)
    assert _have_long_rows(prepared) == [_has_long_row(document) for document in prepared]
    table = tokenize_pages(batch)
    lexical = lexical_of_many(prepared, [table.page(k) for k in range(len(batch))])
    for document, lines, columns in zip(prepared, batch, lexical, strict=True):
        none = np.zeros(len(lines), dtype=bool)
        assert np.array_equal(columns, features_of(document, none, none)[:, -3:])


@needs_native
def test_the_flags_kernel_follows_a_changing_lexicon() -> None:
    """The bitmap kept for the last frozenset is not used for another lexicon, nor for a set that changed since."""
    words = ["share", "river", "rivers"]

    def flags(lexicon_: set[str] | frozenset[str]) -> list[int]:
        return np.frombuffer(flags_kernel(words, lexicon_, 4), dtype=np.uint8).tolist()  # type: ignore[no-any-return]

    mutable = {"river"}
    assert flags(frozenset({"share"})) == [3, 1, 1]
    assert flags(mutable) == [1, 3, 1]
    assert flags(frozenset({"rivers"})) == [1, 1, 3]
    assert flags(frozenset({"share"})) == [3, 1, 1]
    mutable.add("rivers")
    assert flags(mutable) == [1, 3, 3]
    mutable.discard("river")
    assert flags(mutable) == [1, 1, 3]
