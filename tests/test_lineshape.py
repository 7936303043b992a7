"""The line shapes: the compiled kernels (code_blocks, class_bits, row_shapes) against their numpy references."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import TypeVar

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textclean import _kernels, _lineshape_classes
from textclean._features import HEAD_CHARS
from textclean._lineshape import LineText, Shape, line_text, shape_matrix
from textclean._lineshape_classes import BMP, _ClassTable, char_bits, class_bits
from textclean._lineshape_rows import _tails, row_measures

T = TypeVar("T")
native = _kernels.kernel("row_shapes")
needs_native = pytest.mark.skipif(native is None, reason="textclean._native was not built")

# The characters the classes, gates and tails tell apart, in every str kind: ASCII (gate marks, closers, sentence
# ends), Latin-1, the rest of the BMP (digits of other scripts, odd cases, CJK, bullets, spaces str and regex disagree
# on, U+2028, combining marks, joiners, a lone surrogate) and beyond it (letters, an emoji, a Han ideograph, a digit).
ASCII = list("aZk1907 ,.:;!?|/@-*()[]\"'wWcCoOnNhHbBvVpPdDtT\t\r\x0b\x0c\x1c\x1d\x1e\x1f")
LATIN1 = list("é\xa0\xbb\xb7\x85²½ßÀ")
BMP_CHARS = list("٣۵߃०১੧૧Ⅻ中文かナ한。！？…；：”’」』）›–—•▪►◦‣●○■□аАſKİıǅΣσς")
BMP_CHARS += list("\u3000\u2028\u2029\u0301\u200d\u200c\ud800")
ASTRAL = ["\U0001d400", "\U0001f600", "\U00010400", "\U00020000", "\U0001d7d9"]
ALPHABETS = (ASCII, ASCII + LATIN1, ASCII + LATIN1 + BMP_CHARS, ASCII + LATIN1 + BMP_CHARS + ASTRAL)
EDGES = ["|", "| x", "x |", "» x", "x »", "a / b", "12", "1999", "12:30", "x.com", "www.", "a@b", ":/", "...", "“x”"]


def rows_of(alphabet: list[str]) -> st.SearchStrategy[list[str]]:
    """Non-empty rows without a line break: short ones, separators and digits at their edges, long ones."""
    short = st.text(st.sampled_from(alphabet), min_size=1, max_size=40)
    long = st.builds(
        lambda text, size: (text * (size // len(text) + 1))[:size],
        short,
        st.sampled_from([HEAD_CHARS - 1, HEAD_CHARS, HEAD_CHARS + 1, 2 * HEAD_CHARS + 7]),
    )
    late = st.builds(  # a date or URL mark about where the date gate stops looking (200 characters in)
        lambda pad, mark: pad + mark,
        st.text(st.sampled_from(alphabet), min_size=190, max_size=205),
        st.sampled_from(EDGES),
    )
    return st.lists(st.one_of(short, short, st.sampled_from(EDGES), long, late), min_size=1, max_size=12)


batches = st.sampled_from(ALPHABETS).flatmap(rows_of)


def _pure(function: Callable[..., T], *args: object) -> T:
    """``function(*args)`` on the numpy path (the compiled kernels switched off)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_kernels, "kernel", lambda name: None)
        return function(*args)


def _text(rows: list[str]) -> LineText:
    text = line_text(rows)
    assert text is not None
    return text


@needs_native
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches)
def test_row_measures_equal_the_reference(rows: list[str]) -> None:
    text = _text(rows)
    (measures, logs), (reference, reference_logs) = row_measures(text), _pure(row_measures, text)
    assert measures.dtype == reference.dtype == np.int64
    assert np.array_equal(measures, reference), np.argwhere(measures != reference)[:5]
    assert logs.dtype == reference_logs.dtype == np.float64 and logs.tobytes() == reference_logs.tobytes()


@needs_native
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches, st.data())
def test_row_measures_of_a_part_equal_the_reference(rows: list[str], data: st.DataObject) -> None:
    """A page's slice of a batch (its text starts inside the batch's) is measured as the page alone."""
    first = data.draw(st.integers(0, len(rows) - 1))
    stop = data.draw(st.integers(first + 1, len(rows)))
    part = _text(rows).part(first, stop)
    measures, logs = row_measures(part)
    for other, other_logs in (_pure(row_measures, part), row_measures(_text(rows[first:stop]))):
        assert np.array_equal(measures, other) and logs.tobytes() == other_logs.tobytes()


@needs_native
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches)
def test_class_bits_equal_the_reference_from_a_fresh_table(rows: list[str]) -> None:
    """The kernels fill the blocks they need themselves: run first, on an empty table, they still agree."""
    joined = "\n".join(rows)
    with pytest.MonkeyPatch.context() as patch:
        fresh = _ClassTable()
        patch.setattr(_lineshape_classes, "_class_table", lambda: fresh)
        bits, points = class_bits(joined)
    reference_bits, reference_points = _pure(class_bits, joined)
    assert bits.dtype == reference_bits.dtype and points.dtype == reference_points.dtype
    assert np.array_equal(bits, reference_bits) and np.array_equal(points, reference_points)
    if len(joined) < 400:  # the predicates themselves, one character at a time (slow)
        assert bits.tolist() == [char_bits(ch) for ch in joined]


@needs_native
@given(st.text(st.sampled_from(ALPHABETS[-1] + ["\n"]), max_size=60))
def test_code_blocks_are_the_blocks_and_astral_code_points_of_the_text(text: str) -> None:
    blocks, astral = _kernels.kernel("code_blocks")(text)
    found = np.flatnonzero(np.frombuffer(blocks, dtype=bool)).tolist()
    points = {ord(ch) for ch in text}
    if text and max(text) < "\u0100":  # a one-byte str: its one block, without a look at the characters
        assert found == [0]
    else:
        assert found == sorted({code >> 8 for code in points if code < BMP})
    assert np.frombuffer(astral, dtype=np.uint32).tolist() == sorted(code for code in points if code >= BMP)


@needs_native
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches)
def test_shape_matrix_equals_the_pure_path(rows: list[str]) -> None:
    fast, pure = shape_matrix(_text(rows)), _pure(lambda: shape_matrix(_text(rows)))
    for name in Shape.__dataclass_fields__:
        a, b = getattr(fast, name), getattr(pure, name)
        assert a.dtype == b.dtype and np.array_equal(a, b), name


@needs_native
def test_row_measures_counts_rows_longer_than_a_head() -> None:
    """The kernel's counts stay exact past 4095 characters of a class (the reference packs them in 12 bits)."""
    rows = ["7" * 10_000, "Ab, " * 3000, "中" * 5000, "Ω" * 4095 + "ω"]
    text = "\n".join(rows)
    bits, _ = class_bits(text)
    measures = np.frombuffer(native(text, bits, _tails(), len(rows))[0], dtype=np.int32).reshape(len(rows), -1)
    for row, got in zip(rows, measures.tolist(), strict=True):
        classes = np.array([char_bits(ch) for ch in set(row)])[:, None] & (1 << np.arange(5)) != 0
        per_char = dict(zip(set(row), classes.tolist(), strict=True))
        counts = np.sum([per_char[ch] for ch in row], axis=0).tolist()
        tokens = row.split()
        assert got[:8] == [*counts, len(tokens), sum(token[:1].isupper() for token in tokens), row.count(",")]


@needs_native
def test_row_measures_refuses_rows_that_disagree_with_the_text() -> None:
    bits, _ = class_bits("a\nb")
    for rows in (1, 3):
        with pytest.raises(ValueError, match="non-empty lines"):
            native("a\nb", bits, _tails(), rows)
    empty, _ = class_bits("a\n\nb")
    with pytest.raises(ValueError, match="non-empty lines"):
        native("a\n\nb", empty, _tails(), 3)
    with pytest.raises(ValueError, match="bits per character"):
        native("a\nb", bits[:2], _tails(), 2)


@needs_native
def test_class_bits_refuses_a_table_or_astral_bits_that_do_not_fit() -> None:
    table = np.zeros(BMP, dtype=np.uint16)
    no_codes, no_bits = np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.uint16)
    kernel = _kernels.kernel("class_bits")
    with pytest.raises(ValueError, match="missing from astral"):
        kernel("a\U0001f600", table, no_codes, no_bits)
    with pytest.raises(ValueError, match="uint16 table"):
        kernel("a", table[:100], no_codes, no_bits)
    with pytest.raises(ValueError, match="uint16 table"):
        kernel("a", table, np.array([0x1F600], dtype=np.uint32), no_bits)


def test_the_class_table_from_the_start_up_cache_is_the_predicates_table(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written by one process and read back by the next (a fresh cache), the table is every block's predicates."""
    monkeypatch.setenv("TEXTCLEAN_CACHE_DIR", str(tmp_path))
    lazily = _ClassTable()
    lazily.fill(list(range(BMP // 256)))
    for _ in range(2):  # a miss (built and written), then a hit (read)
        _lineshape_classes._class_table.cache_clear()
        table = _lineshape_classes._class_table()
        assert table.filled.all() and (table.bits == lazily.bits).all()
    monkeypatch.setenv("TEXTCLEAN_NO_CACHE", "1")
    _lineshape_classes._class_table.cache_clear()
    assert not _lineshape_classes._class_table().filled.any()  # no cache: filled as texts need it
    _lineshape_classes._class_table.cache_clear()


@pytest.mark.parametrize("pure", [False, True])
def test_bylines_starting_with_a_latin_a_are_found(pure: bool) -> None:
    """``av`` and ``af`` (Swedish, Danish) start bylines too: the gate once let only ``а`` (Cyrillic) through."""
    from textclean._features import _shape, count_words

    rows = ["Av Johan Berg", "af Peter Hansen", "AV  Ola", "автор Иван", "By John", "av dem", "Avis Berg"]
    shape = _pure(shape_matrix, _text(rows)) if pure else shape_matrix(_text(rows))
    assert np.array_equal(shape.matrix, np.array([_shape(row, count_words(row)) for row in rows]))


# --- the kernel's verdicts on the rarer patterns, against the patterns themselves ---

# Pieces of bylines, URLs, dates, bullets and separators, and the characters their classes and IGNORECASE tell apart
# (spaces str and regex disagree on, digits of other scripts and digit-like non-digits, \w beyond letters: marks,
# joiners, "_"; letters that fold onto ASCII ones: ſ K İ, and their look-alikes that do not: ı; Cyrillic letters
# that fold onto the byline's: ᲀ ᲂ ᲄ; upper case beyond \p{Lu}: ǅ Ⓐ).
# Pieces of bylines, URLs, dates, bullets and separators (a theme per batch), and the characters their classes and
# IGNORECASE tell apart: spaces str and regex disagree on, digits of other scripts and digit-like non-digits, \w beyond
# letters (marks, joiners, "_"), letters that fold onto ASCII ones (ſ K İ) and a look-alike that does not (ı), Cyrillic
# letters that fold onto the byline's (ᲀ ᲄ), upper case beyond \p{Lu} (ǅ Ⓐ).
THEMES = [
    "by von par por di door av af text texte texte: text: автор АВТОР ᲀᲄ Ав bY dİ AF VON".split(),
    "http https HTTPS httpſ hTtP :// :/ / www WwW wſw www. . .. com CoM org net htm html HTML htmlx html_ .cOm .html"
    " .htm .htm5 .netx @ a@b x@y.co @b.cd a@.co a@b.c1 _@x.y_z s@t.u.vw https:// HTTPſ:// http:// httpſ:/ wwW.".split(),
    "1 12 123 1234 19 20 1999 2012 20122 ٣ ٢٠١٢ ² ½ 年 : . / - .5 12:30 1.5.2012 99-12-31 2012-03-04 12:3 1:234".split()
    + "1.5.3012 12/12/12 1-1-123 3012-01-01 ٣٠١٢-٠١-٠١ 1:30 ٣:٣٠ 123:45 1.5.12345 3012年 ١٢٣٤年".split(),
    "- – • * ▪ ● ■ □ | · » › / a) 1. 12) 123. 1234. ſ. K) İ. ı. a z Z . )".split(),
    ["|", "·", "•", "»", "›", "/", "x", "_", "|||", "|·•", " | ", " |", "| ", " / ", " »", "|  ", " •|", " ||", "\t·"],
]
SHARED = [*"A Z É Σ ǅ Ⓐ a z é _ x1 \u0301 \u200d \u200c 中 ü".split(), " ", " ", " ", "  ", "\t", "\xa0", "\u3000"]
SHARED += ["\x1c", "\x85", "\u2028"]


def pattern_rows() -> st.SearchStrategy[list[str]]:
    """Non-empty rows (no line break) glued from one theme's pieces, some of them well past the date pattern's
    window."""

    def rows_of(pieces: list[str]) -> st.SearchStrategy[list[str]]:
        glued = st.lists(st.sampled_from(pieces + SHARED), min_size=1, max_size=12).map("".join)
        padded = st.builds(lambda pad, row: "x" * pad + row, st.integers(185, 205), glued)
        row = st.one_of(glued, glued, padded).filter(lambda text: "\n" not in text and bool(text))
        return st.lists(row, min_size=1, max_size=10)

    return st.sampled_from(THEMES).flatmap(rows_of)


def _verdicts(head: str) -> list[int]:
    """The patterns on a row's head, as the per-line code runs them."""
    from textclean._features import _BULLET, _BYLINE, _DATE, _SEPARATORS, _URL

    found = (_BULLET.match(head), _BYLINE.match(head), _URL.search(head), _DATE.search(head[:200]))
    return [*(int(match is not None) for match in found), len(_SEPARATORS.findall(head))]


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pattern_rows())
def test_the_pattern_columns_are_the_patterns_verdicts(rows: list[str]) -> None:
    """The bullet, byline, URL, date and separator columns are the patterns' own verdicts, on both paths."""
    from textclean._lineshape_rows import BULLET_MATCH

    text = _text(rows)
    expected = [_verdicts(head) for head in text.heads]
    assert _pure(row_measures, text)[0][:, BULLET_MATCH:].tolist() == expected
    if native is not None:
        assert row_measures(text)[0][:, BULLET_MATCH:].tolist() == expected


@needs_native
def test_rows_the_kernel_leaves_to_the_pattern_are_decided_by_it() -> None:
    """A Cyrillic byline word, or an upper-case letter beyond ASCII after a byline word: the pattern decides."""
    from textclean._lineshape_rows import BYLINE_MATCH

    rows = ["автор Иван", "Автор иван", "by Émile", "by émile", "By Ⓐnne", "by  ǅemal", "by Z", "by"]
    text = _text(rows)
    found = native(text.joined, text.bits, _tails(), len(rows))[0]
    raw = np.frombuffer(found, dtype=np.int32).reshape(len(rows), -1)
    assert raw[:, BYLINE_MATCH].tolist() == [2, 2, 2, 2, 2, 2, 1, 0]
    assert row_measures(text)[0][:, BYLINE_MATCH].tolist() == [1, 0, 1, 0, 0, 0, 1, 0]


def _every_code_point() -> str:
    return "".join(map(chr, range(0x110000)))


def test_ignorecase_equates_an_ascii_letter_with_its_cases_and_three_code_points_alone() -> None:
    """What the kernel's fold_letter knows of regex's IGNORECASE, checked on every code point: a letter of the
    patterns, or one of [a-z], matches its two ASCII cases and İ (i), K (k), ſ (s) alone."""
    import regex

    every = _every_code_point()
    extra = {"i": "\u0130", "k": "\u212a", "s": "\u017f"}
    for letter in "abcdefghijklmnopqrstuvwxyz":
        found = {match.group() for match in regex.finditer(letter, every, regex.I)}
        assert found == {letter, letter.upper(), *extra.get(letter, "")}, letter
    found = {match.group() for match in regex.finditer("[a-z]", every, regex.I)}
    assert found == set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") | set(extra.values())
    assert {match.group() for match in regex.finditer(r"\p{Lu}", every[:128])} == set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def test_regex_word_characters_are_letters_digits_and_the_underscore() -> None:
    """The kernel's \\w (class bits LETTER or RXDIGIT, or "_") and \\b (between a \\w and a non-\\w), checked on
    every code point."""
    import regex

    every = _every_code_point()
    words = {match.start() for match in regex.finditer(r"\w", every)}
    letters = {match.start() for match in regex.finditer(r"[^\W\d_]", every)}
    digits = {match.start() for match in regex.finditer(r"\d", every)}
    assert words == letters | digits | {ord("_")}
    is_word = np.zeros(len(every) + 2, dtype=bool)
    is_word[np.array(sorted(words)) + 1] = True  # is_word[k + 1]: whether every[k] is \w; nothing around it
    boundaries = np.flatnonzero(is_word[:-1] != is_word[1:]).tolist()
    assert [match.start() for match in regex.finditer(r"\b", every)] == boundaries


@needs_native
def test_mean_logs_are_math_log1p_of_the_mean_token_length() -> None:
    """The kernel's libm log1p is math.log1p, bit for bit, on rows of every length up to a head and many token
    counts (the ratios the shape matrix takes)."""
    import math

    rows = [("a " * (tokens - 1) + "a" * (size - 2 * (tokens - 1))) for size in range(1, HEAD_CHARS + 1, 7)
            for tokens in range(1, (size + 1) // 2 + 1, 1 + size // 40)]
    rows += ["   x  ", "\u3000", "x\u3000y", "中" * 17]
    text = _text([row.strip() or "x" for row in rows])
    measures, logs = row_measures(text)
    tokens = [len(head.split()) for head in text.heads]
    assert measures[:, 5].tolist() == tokens
    expected = [math.log1p(len(head) / max(count, 1)) for head, count in zip(text.heads, tokens, strict=True)]
    assert logs.tobytes() == np.array(expected, dtype=np.float64).tobytes()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches, st.data())
def test_parts_are_each_part(rows: list[str], data: st.DataObject) -> None:
    """The runs of rows of a batch (some empty) sliced at once are those sliced one by one."""
    cuts = data.draw(st.lists(st.integers(0, len(rows)), max_size=6))
    bounds = [0, *sorted(cuts), len(rows)]
    text = _text(rows)
    runs = [(first, stop) for first, stop in pairwise(bounds) if first < stop]
    parts = text.parts(bounds)
    assert len(parts) == len(runs)
    for part, (first, stop) in zip(parts, runs, strict=True):
        alone = text.part(first, stop)
        assert (part.joined, part.heads, list(part.lines)) == (alone.joined, alone.heads, list(alone.lines))
        for name in ("full", "starts", "size", "bits", "points"):
            a, b = getattr(part, name), getattr(alone, name)
            assert a.dtype == b.dtype and np.array_equal(a, b), name


def test_prepare_many_finds_the_document_with_a_broken_blank_line() -> None:
    """A blank line holding a line break marks its document broken (one with rows), and that one alone."""
    from textclean._features import prepare_lines, prepare_many

    batch = [["a b", " \n ", "c"], ["d", "  ", "e"], [], ["\t\n"], ["f"]]
    for many, lines in zip(prepare_many(batch), batch, strict=True):
        alone = prepare_lines(lines)
        assert (many.count, many.index, many.rows, many.broken) == (alone.count, alone.index, alone.rows, alone.broken)
    assert [document.broken for document in prepare_many(batch)] == [True, False, False, False, False]
    assert not any(document.broken for document in prepare_many([batch[1], batch[4]]))
