"""Lexical features for the line model: a line's overlap with the page's main text, and its chrome words.

- ``main-text-overlap``: the share of a line's *content words* (four letters or more, not all
  digits) that occur in one of the page's *other* long lines (at least :data:`LONG_LINE_WORDS`
  words). A paragraph of the article shares much of its vocabulary with the rest of the article;
  a teaser of another article, a newsletter box or a comment policy shares little. Language-agnostic.
- ``chrome-word-share`` and ``log-chrome-words``: the share (and the log count) of a line's words
  that belong to the *chrome lexicon*, the words of four letters or more in the built-in
  phrase tables (the pattern rules' phrases and the comment headers and markers, every language):
  "newsletter", "abonnieren", "partager", "comments"... A long line that talks like a widget
  ("Sign up for the free daily newsletter for more news!") is chrome even when no rule matches it
  whole.

Words are the lowercased ``\\w+`` tokens of each line's first :data:`~textclean._features.HEAD_CHARS`
characters, the ones paragraph dedup uses (the cleaner numbers a batch's words once for both,
:mod:`textclean._tokens`). The word tests (length, digits, lexicon) run once per distinct word of the
batch, and numpy does the rest over the document's word numbers: no Python loop per word or line. The compiled
kernel ``lexical_columns`` (``textclean/_native.c``) does that rest in one pass over the chosen rows of a batch's
pages, read straight from the token table; :func:`_lexical_columns` (numpy) is its reference, and the path taken
with ``TEXTCLEAN_PURE_PYTHON=1``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from textclean import _kernels
from textclean._features import LEXICAL_FEATURES
from textclean._tokens import PageTokens, TokenTable, join_pages

__all__ = ["CONTENT_WORD_LETTERS", "LONG_LINE_WORDS", "chrome_lexicon", "lexical_features", "lexical_many"]

LONG_LINE_WORDS = 12
"""A line of at least this many words is part of the vocabulary the other lines are compared with."""

CONTENT_WORD_LETTERS = 4
"""A word of at least this many characters (and not all digits) is a content word / a lexicon word."""

_PHRASE_WORD = re.compile(r"[^\W\d_]+")
_ESCAPE = re.compile(r"\\[a-zA-Z]|\(\?#\w*\)")  # regex escapes (\d, \s, \w) and language tags


@functools.cache
def chrome_lexicon() -> frozenset[str]:
    """The lowercased words of the built-in phrase tables (pattern rules, comment headers and markers).

    Examples:
        >>> {"newsletter", "weiterlesen", "commentaires"} <= chrome_lexicon()
        True
        >>> "river" in chrome_lexicon()
        False
    """
    from textclean._rules import PATTERN_RULES
    from textclean._rules.comments import COMMENT_HEADERS, COMMENT_MARKERS

    patterns = [pattern for rule in PATTERN_RULES for pattern in rule.patterns]
    words = set()
    for pattern in (*patterns, *COMMENT_HEADERS, *COMMENT_MARKERS):
        words.update(_PHRASE_WORD.findall(_ESCAPE.sub(" ", pattern).lower()))
    return frozenset(word for word in words if len(word) >= CONTENT_WORD_LETTERS)


def lexical_features(tokens: PageTokens, words: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The :data:`LEXICAL_FEATURES` columns of a document's non-blank lines.

    Args:
        tokens: the lines' lowercased ``\\w+`` words (:func:`~textclean._tokens.tokenize_pages`), one line per row.
        words: their word counts (:func:`~textclean._features.count_words`).

    Returns:
        One row per line, the columns of :data:`LEXICAL_FEATURES`.

    Examples:
        >>> article = ["The flood barrier along the river held back the water on Tuesday night again.",
        ...            "Engineers said the barrier along the river will be raised by another metre.",
        ...            "Sign up for our newsletter"]
        >>> from textclean._tokens import tokenize_pages
        >>> lexical_features(tokenize_pages([article]).page(0), np.array([15.0, 14.0, 5.0])).round(2).tolist()
        [[0.3, 0.07, 0.69], [0.33, 0.15, 1.1], [0.0, 0.4, 1.1]]
    """
    return lexical_many([tokens], [words])[0]


def lexical_many(
    tokens: Sequence[PageTokens],
    words: Sequence[npt.NDArray[np.float64]],
    rows: Sequence[Sequence[int] | None] | None = None,
) -> list[npt.NDArray[np.float64]]:
    """:func:`lexical_features` of several documents, in one pass over their words (as each alone).

    Documents whose tokens share a table are measured together: a word of one document is told apart
    from the same word of another (each document's own word numbers, offset), so every row's columns
    depend on its own document alone. ``rows``: per document, the lines of its tokens to measure (the
    others must have no words: ``tokens[k].rows(rows[k])``), or ``None`` (all); the pages of a table
    (:meth:`~textclean._tokens.TokenTable.page`) are gathered at once.
    """
    chosen = rows if rows is not None else [None] * len(tokens)
    out: list[npt.NDArray[np.float64]] = [np.empty((0, len(LEXICAL_FEATURES)))] * len(tokens)
    groups: dict[int, list[int]] = {}
    for k, page in enumerate(tokens):
        groups.setdefault(id(page.table), []).append(k)
    for members in groups.values():
        pages, lines = [tokens[k] for k in members], [chosen[k] for k in members]
        measured = np.concatenate([words[k] for k in members])
        kernel = _kernels.kernel("lexical_columns")
        if kernel is None:
            columns = _lexical_columns(_joined(pages, lines), measured)
        else:
            columns = _native_columns(kernel, pages, lines, measured)
        stop = 0
        for k in members:  # each document's rows, a view
            start, stop = stop, stop + len(words[k])
            out[k] = columns[start:stop]
    return out


def _joined(pages: Sequence[PageTokens], rows: Sequence[Sequence[int] | None]) -> PageTokens:
    """The chosen rows of pages sharing one table as one :class:`PageTokens` (its (page, word) pairs distinct)."""
    numbers = [page.number for page in pages]
    if all(number is not None for number in numbers) and all(lines is not None for lines in rows):
        return pages[0].table.pages_rows(numbers, rows)  # type: ignore[arg-type]  # checked: no None
    return join_pages([page if lines is None else page.rows(lines) for page, lines in zip(pages, rows, strict=True)])


def _native_columns(
    kernel: Any, pages: Sequence[PageTokens], rows: Sequence[Sequence[int] | None], words: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """:func:`_lexical_columns` of the chosen rows of pages sharing one table, by the compiled ``lexical_columns``:
    the rows' words read from the table itself (pages of it, their rows chosen), else from the pages joined."""
    table = pages[0].table
    numbers = [page.number for page in pages]
    measured = np.ascontiguousarray(words, dtype=np.float64)
    out = np.empty((len(measured), len(LEXICAL_FEATURES)), dtype=np.float64)
    given = [list(lines) for lines in rows if lines is not None]
    chosen: list[list[int]] | None = given
    if all(number is not None for number in numbers) and len(given) == len(rows):
        arrays = (table.local, table.line_starts, table.page_starts, table.page_distinct, table.distinct_starts)
    else:
        page = _joined(pages, rows)  # one page of the joined rows' words: its (page, word) pairs are distinct
        bounds = np.array([0, len(page.starts) - 1], dtype=np.int64)
        arrays = (page.local, page.starts, bounds, page.distinct, np.array([0, len(page.distinct)], dtype=np.int64))
        numbers, chosen = [0], None
    local, line_starts, page_starts, distinct, distinct_starts = arrays
    kernel(
        np.ascontiguousarray(local, dtype=np.int32),
        np.ascontiguousarray(line_starts, dtype=np.int64),
        np.ascontiguousarray(page_starts, dtype=np.int64),
        np.ascontiguousarray(distinct, dtype=np.int32),
        np.ascontiguousarray(distinct_starts, dtype=np.int64),
        _word_flags(table),
        numbers,
        chosen,
        measured,
        float(LONG_LINE_WORDS),
        out,
    )
    return out


def _word_flags(table: TokenTable) -> npt.NDArray[np.uint8]:
    """Per vocabulary word of ``table``: 1 when it is a content word, 2 more when the chrome lexicon holds it too
    (computed once per table: the compiled ``lexical_flags``, or :func:`word_flags`)."""
    key = ("lexical_flags", chrome_lexicon())
    if key not in table._per_word:
        native = _kernels.kernel("lexical_flags")
        if native is not None:
            flags = np.frombuffer(native(table.vocabulary, chrome_lexicon(), CONTENT_WORD_LETTERS), dtype=np.uint8)
        else:
            flags = word_flags(table, chrome_lexicon())
        table._per_word[key] = flags
    found: npt.NDArray[np.uint8] = table._per_word[key]
    return found


def word_flags(table: TokenTable, lexicon: frozenset[str]) -> npt.NDArray[np.uint8]:
    """Per vocabulary word of ``table``: 1 when it is a content word, 2 more when ``lexicon`` holds it too (the
    reference of the compiled ``lexical_flags``, from :meth:`~textclean._tokens.TokenTable.word_tests`)."""
    lengths, digits, held = table.word_tests(lexicon)
    content = (lengths >= CONTENT_WORD_LETTERS) & ~digits
    return (content.astype(np.uint8) | (content & held).astype(np.uint8) << 1).astype(np.uint8)


def _lexical_columns(page: PageTokens, words: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The LEXICAL_FEATURES columns of the rows of one page (or of pages joined: :func:`~textclean._tokens.join_pages`,
    :meth:`~textclean._tokens.TokenTable.pages_rows`)."""
    table, counts, distinct, number = page.table, page.counts, page.distinct, page.local
    n = len(counts)
    size = len(distinct)
    # content words only (lexicon words are content words too); the word tests run once per word of the table
    lengths, digits, lexicon = table.word_tests(chrome_lexicon())
    is_content = lengths[distinct] >= CONTENT_WORD_LETTERS
    is_content &= ~digits[distinct]
    content = is_content[number]
    word, line = number[content], np.repeat(np.arange(n, dtype=np.int64), counts)[content]
    in_lexicon = lexicon[distinct][word]
    chrome = np.bincount(line, weights=in_lexicon, minlength=n)
    # the first and last long line each word occurs in: a word is "elsewhere" when one of them is another line
    in_long = (words >= LONG_LINE_WORDS)[line]
    first, last = np.full(size, n, dtype=np.int64), np.full(size, -1, dtype=np.int64)
    np.minimum.at(first, word[in_long], line[in_long])
    np.maximum.at(last, word[in_long], line[in_long])
    elsewhere = (last[word] >= 0) & ((first[word] != line) | (last[word] != line))
    return np.column_stack(
        [
            np.bincount(line, weights=elsewhere, minlength=n) / np.maximum(np.bincount(line, minlength=n), 1),
            chrome / np.maximum(counts, 1),
            np.fromiter(map(math.log1p, chrome.tolist()), dtype=np.float64, count=n),  # as the reference: math
        ]
    ).reshape(n, len(LEXICAL_FEATURES))
