"""Line features for the line model: the line's shape, its neighbours and its place in the page.

Everything here is language-agnostic: lengths, punctuation (Unicode sentence marks and closing
quotes included), digits, capitals, separators, repetition and position. Long lines are measured
on their first :data:`HEAD_CHARS` characters (and counted with ``str.split``), so a 50 MB line
costs one linear pass.
"""

from __future__ import annotations

import bisect
import functools
import math
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress, pairwise, repeat
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import regex

from textclean._features_context import context_many
from textclean._features_repeats import _repeats

if TYPE_CHECKING:
    from textclean._lineshape import LineText, Shape
    from textclean._tokens import PageTokens

__all__ = [
    "BASE_FEATURES",
    "CONTEXT_FEATURES",
    "HEAD_CHARS",
    "LEXICAL_FEATURES",
    "PreparedLines",
    "batch_rows",
    "context_of_many",
    "count_words",
    "document_features",
    "features_of",
    "features_of_many",
    "lexical_of_many",
    "prepare_lines",
    "prepare_many",
]

HEAD_CHARS = 2000
"""Ratios (digits, capitals, punctuation...) are measured on this many leading characters."""

_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
_SENTENCE_END = frozenset(".!?。！？…;；:")
_CLOSERS = "\"'”’»」』)]）›"
_BULLET = regex.compile(r"^(?:[-–—•*·▪►◦‣●○■□]|\d{1,3}[.)]|[a-z][.)])\s", regex.I)
_SEPARATORS = regex.compile(r"\s[|·•»›/]\s|\s[|·•]|[|·•]\s")
_URL = regex.compile(r"https?://|www\.|\S@\S+\.\w{2,}|\.(?:com|org|net|html?)\b", regex.I)
_BYLINE = regex.compile(r"^(?i:by|von|par|por|di|door|автор|av|af|texte?:?)\s+\p{Lu}")
_DATE = regex.compile(
    r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b|\d{4}年"
)

_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[^\w\s]")
_WORD_BINS = (1, 2, 4, 7, 12, 20, 40)

BASE_FEATURES: tuple[str, ...] = (
    "bias",
    "log-words",
    *(f"words<={edge}" for edge in _WORD_BINS),
    "ends-sentence",
    "ends-colon",
    "ends-closing-quote",
    "starts-bullet",
    "digit-ratio",
    "capitalised-word-ratio",
    "all-caps",
    "separators",
    "punctuation-ratio",
    "commas-per-word",
    "cjk-ratio",
    "has-url",
    "byline-shape",
    "has-date",
    "ends-ellipsis",
    "log-mean-word-length",
    "repeated-in-page",
    "pattern-rule-hit",
    "comment-section",
)
"""Features of the line itself (plus two flags the rules set), in matrix column order."""

CONTEXT_FEATURES: tuple[str, ...] = (
    "position",
    "words-before-fraction",
    "words-after-fraction",
    "previous-log-words",
    "next-log-words",
    "previous-ends-sentence",
    "next-ends-sentence",
    "window2-log-words",
    "window5-log-words",
    "log-distance-long-before",
    "log-distance-long-after",
    "long-lines-before-fraction",
    "long-lines-after-fraction",
    "log-short-run",
    "blank-before",
    "blank-after",
    "first-line",
    "last-line",
)
"""Features of the line's neighbourhood and position (non-blank lines only)."""

LEXICAL_FEATURES: tuple[str, ...] = ("main-text-overlap", "chrome-word-share", "log-chrome-words")
"""The line's words: shared with the page's other long lines, from the chrome lexicon (:mod:`textclean._lexical`)."""


def count_words(line: str) -> int:
    """Count words, counting two CJK characters as one word (CJK text has no spaces).

    Examples:
        >>> count_words("The river rose two metres.")
        5
        >>> count_words("河水一夜之间上涨了两米。")
        5
    """
    cjk = len(_CJK.findall(line[:HEAD_CHARS]))
    if len(line) > HEAD_CHARS:
        cjk = cjk * len(line) // HEAD_CHARS
    tokens = len(line.split())
    return max(tokens, tokens - min(tokens, cjk) + cjk // 2) if cjk else tokens


def _ends_sentence(line: str) -> tuple[float, float]:
    stripped = line.rstrip(_CLOSERS + " ")
    closing = float(len(stripped) < len(line.rstrip()))
    return float(bool(stripped) and stripped[-1] in _SENTENCE_END and stripped[-1] != ":"), closing


def _shape(line: str, words: int) -> list[float]:
    """The shape features of one stripped, non-empty line (columns 1.. of BASE_FEATURES, minus flags)."""
    head = line[:HEAD_CHARS]
    size = len(head)
    tokens = head.split()
    n_tokens = max(len(tokens), 1)
    ends_sentence, closing = _ends_sentence(line)
    return [
        math.log1p(words),
        *(float(words <= edge) for edge in _WORD_BINS),
        ends_sentence,
        float(line.endswith(":")),
        closing,
        float(bool(_BULLET.match(head))),
        len(_DIGIT.findall(head)) / size,
        sum(map(str.isupper, (token[:1] for token in tokens))) / n_tokens,
        float(head.isupper() and size > 3),
        math.log1p(len(_SEPARATORS.findall(head))),
        len(_PUNCT.findall(head)) / size,
        head.count(",") / max(words, 1),
        len(_CJK.findall(head)) / size,
        float(bool(_URL.search(head))),
        float(bool(_BYLINE.match(head)) and words <= 6),
        float(bool(_DATE.search(head[:200]))),
        float(line.endswith(("...", "…"))),
        math.log1p(size / n_tokens),
    ]


@dataclass(frozen=True)
class PreparedLines:
    """A document's lines as the classifier's stages share them (see :func:`prepare_lines`).

    Attributes:
        count: how many lines the document has (blank ones included).
        index: the indexes of its non-blank lines.
        rows: those lines, stripped.
        text: the rows as one text with their characters as arrays (``None`` when there are no
            rows or one holds a ``"\\n"``).
        shape: the rows' shape columns, word and token counts.
        broken: some line holds a ``"\\n"``.
        batch: the batch's :class:`~textclean._lineshape.LineText` that ``text`` is a part of, with the
            batch row of this document's first row (:func:`prepare_many`), so stages can work a batch at once.
    """

    count: int
    index: list[int]
    rows: list[str]
    text: LineText | None
    shape: Shape
    broken: bool = False
    batch: tuple[LineText, int] | None = field(default=None, compare=False, repr=False)


def prepare_lines(lines: Sequence[str]) -> PreparedLines:
    """Strip a document's lines, keep the non-blank ones and measure their shape (once per document)."""
    from textclean._lineshape import Shape, line_text, shape_matrix  # numpy-heavy: loaded with the first document

    stripped = list(map(str.strip, lines))
    rows = list(filter(None, stripped))
    text = line_text(rows)
    if text is not None:
        return _prepared(lines, stripped, rows, text, shape_matrix(text))
    words = np.array([count_words(line) for line in rows], dtype=np.float64)
    shape = np.array([_shape(line, int(w)) for line, w in zip(rows, words, strict=True)], dtype=np.float64)
    tokens = np.array([len(line[:HEAD_CHARS].split()) for line in rows], dtype=np.int64)
    index = list(compress(range(len(stripped)), stripped))
    return PreparedLines(len(lines), index, rows, None, Shape(shape, words, tokens), bool(rows))


def _prepared(
    lines: Sequence[str],
    stripped: list[str],
    rows: list[str],
    text: LineText,
    shape: Shape,
    batch: tuple[LineText, int] | None = None,
) -> PreparedLines:
    """The :class:`PreparedLines` of a document whose rows are measured (``text`` and ``shape`` are theirs)."""
    index = list(compress(range(len(stripped)), stripped))
    blank = compress(lines, map(operator.not_, stripped))
    broken = any(map(operator.contains, blank, repeat("\n")))
    return PreparedLines(len(lines), index, rows, text, shape, broken, batch)


def prepare_many(documents: Sequence[Sequence[str]]) -> list[PreparedLines]:
    """:func:`prepare_lines` of each document, with the shape of all their lines measured in one pass.

    The shape columns of a line depend on that line alone, so the lines of a whole batch of documents
    are joined into one :class:`~textclean._lineshape.LineText` and measured at once (the fixed cost of
    the numpy passes is paid once per batch, not once per page); each document gets its own slice.
    """
    from textclean._lineshape import line_text, shape_matrix

    stripped = [list(map(str.strip, lines)) for lines in documents]
    rows = [list(filter(None, lines)) for lines in stripped]
    text = line_text(list(chain.from_iterable(rows)))
    if text is None:  # no rows at all, or a row holding a "\n": each document on its own
        return [prepare_lines(lines) for lines in documents]
    whole = shape_matrix(text)
    bounds = list(accumulate(map(len, rows), initial=0))
    parts = iter(text.parts(bounds))
    prepared = []
    for lines, stripped_lines, document_rows, (first, stop) in zip(
        documents, stripped, rows, pairwise(bounds), strict=True
    ):
        if first == stop:  # a page without rows has nothing to slice
            prepared.append(prepare_lines(lines))
            continue
        shape, batch = whole.part(first, stop), (text, first)
        if len(document_rows) == len(lines):  # no blank line: every line is a row, none is broken
            count = len(lines)
            prepared.append(PreparedLines(count, list(range(count)), document_rows, next(parts), shape, False, batch))
        else:
            prepared.append(_prepared(lines, stripped_lines, document_rows, next(parts), shape, batch))
    return prepared


def document_features(
    lines: Sequence[str],
    rule_hits: Sequence[bool],
    comment_lines: Sequence[bool],
    tokens: PageTokens | None = None,
) -> tuple[npt.NDArray[np.float64], list[int], npt.NDArray[np.float64]]:
    """Base, context and lexical features of a document's non-blank lines.

    Args:
        lines: the document's lines (blank ones included).
        rule_hits: per line, whether a pattern rule removed it.
        comment_lines: per line, whether it lies in a detected comment section.
        tokens: the lines' lowercased words (a page of :func:`~textclean._tokens.tokenize_pages`), when the
            caller has them already; computed here otherwise (lines over HEAD_CHARS are re-read up to it).

    Returns:
        The feature matrix (one row per non-blank line, BASE_FEATURES, CONTEXT_FEATURES, then
        LEXICAL_FEATURES), the indexes of those lines in ``lines``, and their word counts.
    """
    prepared = prepare_lines(lines)
    return features_of(prepared, rule_hits, comment_lines, tokens), prepared.index, prepared.shape.words


def _head_tokens(prepared: PreparedLines, tokens: PageTokens | None) -> PageTokens:
    """Each row's lowercased words, of its first HEAD_CHARS characters (the caller's tokens where they are those)."""
    from textclean._tokens import tokenize_pages

    stripped = prepared.rows
    if tokens is not None and not _has_long_row(prepared):
        return tokens.rows(prepared.index)  # the blank lines left out have no words
    # a 50 MB line is re-read up to HEAD_CHARS only
    return tokenize_pages([[line[:HEAD_CHARS] for line in stripped]]).page(0)


def features_of(
    prepared: PreparedLines,
    rule_hits: Sequence[bool] | npt.NDArray[np.bool_],
    comment_lines: Sequence[bool] | npt.NDArray[np.bool_],
    tokens: PageTokens | None = None,
    context: npt.NDArray[np.float64] | None = None,
    lexical: npt.NDArray[np.float64] | None = None,
    repeats: npt.NDArray[np.intp] | None = None,
) -> npt.NDArray[np.float64]:
    """The feature matrix of :func:`document_features`, from the prepared lines (``context`` and ``lexical``:
    its CONTEXT_FEATURES and LEXICAL_FEATURES columns, when :func:`context_of_many` and :func:`lexical_of_many`
    measured them for a batch; ``repeats``: its rows' repeat counts, when
    :func:`~textclean._features_repeats.repeats_of_many` counted them)."""
    from textclean._lexical import lexical_features

    n = len(prepared.index)
    shape, words = prepared.shape.matrix, prepared.shape.words
    rows = np.array(prepared.index, dtype=np.intp)
    out = np.empty((n, len(BASE_FEATURES) + len(CONTEXT_FEATURES) + len(LEXICAL_FEATURES)))
    base = len(BASE_FEATURES)
    out[:, 0] = 1.0
    out[:, 1 : 1 + _SHAPE_COLUMNS] = shape.reshape(n, _SHAPE_COLUMNS)
    out[:, base - 3] = _log_counts(_repeats(prepared) if repeats is None else repeats)
    out[:, base - 2] = np.asarray(rule_hits, dtype=np.float64).reshape(prepared.count)[rows]
    out[:, base - 1] = np.asarray(comment_lines, dtype=np.float64).reshape(prepared.count)[rows]
    last = base + len(CONTEXT_FEATURES)
    if context is None:
        context = context_many(words, out[:, _ENDS], rows, [n], [prepared.count])
    out[:, base:last] = context
    out[:, last:] = lexical_features(_head_tokens(prepared, tokens), words) if lexical is None else lexical
    return out


def features_of_many(
    prepared: Sequence[PreparedLines],
    sections: Sequence[int | None],
    context: Sequence[npt.NDArray[np.float64]],
    lexical: Sequence[npt.NDArray[np.float64]],
    repeats: Sequence[npt.NDArray[np.intp]],
) -> tuple[npt.NDArray[np.float64], list[npt.NDArray[np.float64]]]:
    """:func:`features_of` of several documents, no line hit by a rule and each one's lines from ``sections[k]``
    on (a line index, or ``None``) in its comment section, with their measured context, lexical and repeat
    columns: the documents' matrices stacked in one array, and each one's rows (views of it).

    One array and one copy per column group for the run, instead of some fifteen numpy calls per document.
    """
    sizes = [len(document.index) for document in prepared]
    out = np.empty((sum(sizes), len(BASE_FEATURES) + len(CONTEXT_FEATURES) + len(LEXICAL_FEATURES)))
    base = len(BASE_FEATURES)
    last = base + len(CONTEXT_FEATURES)
    out[:, 0] = 1.0
    shapes = [d.shape.matrix.reshape(size, _SHAPE_COLUMNS) for d, size in zip(prepared, sizes, strict=True)]
    np.concatenate(shapes, out=out[:, 1 : 1 + _SHAPE_COLUMNS])
    out[:, base - 3] = _log_counts(np.concatenate(repeats))
    out[:, base - 2] = 0.0
    index = np.fromiter(chain.from_iterable(d.index for d in prepared), dtype=np.intp, count=len(out))
    starts = [section if section is not None else _NEVER for section in sections]
    out[:, base - 1] = index >= np.repeat(np.array(starts, dtype=np.intp), sizes)
    np.concatenate(context, out=out[:, base:last])
    np.concatenate(lexical, out=out[:, last:])
    return out, np.split(out, np.cumsum(sizes)[:-1])


_NEVER = np.iinfo(np.intp).max  # the section start of a document without a comment section
_SHAPE_COLUMNS = len(BASE_FEATURES) - 4
"""The shape matrix's columns: BASE_FEATURES after the bias and before the repeat, rule and comment columns."""
_ENDS = BASE_FEATURES.index("ends-sentence")


def context_of_many(prepared: Sequence[PreparedLines]) -> list[npt.NDArray[np.float64]]:
    """The CONTEXT_FEATURES columns of several prepared documents, measured in one pass (as
    :func:`features_of` measures them for each alone)."""
    if not prepared:
        return []
    words = np.concatenate([document.shape.words for document in prepared])
    ends = np.concatenate([d.shape.matrix.reshape(len(d.index), _SHAPE_COLUMNS)[:, _ENDS - 1] for d in prepared])
    index = np.concatenate([np.array(document.index, dtype=np.intp) for document in prepared])
    sizes = [len(document.index) for document in prepared]
    context = context_many(words, ends, index, sizes, [document.count for document in prepared])
    bounds = np.cumsum(sizes)[:-1]
    return np.split(context, bounds)


def lexical_of_many(
    prepared: Sequence[PreparedLines], tokens: Sequence[PageTokens | None]
) -> list[npt.NDArray[np.float64]]:
    """The LEXICAL_FEATURES columns of several prepared documents (``tokens``: each one's words, if the caller has
    them), measured in one pass (as :func:`features_of` measures them for each alone)."""
    from textclean._lexical import lexical_many

    heads: list[PageTokens] = []
    rows: list[list[int] | None] = []
    for document, page, long in zip(prepared, tokens, _have_long_rows(prepared), strict=True):
        if page is not None and page.number is not None and not long:
            heads.append(page)  # its non-blank lines, gathered with the run's other pages at once
            rows.append(document.index)
        else:
            heads.append(_head_tokens(document, page))
            rows.append(None)
    return lexical_many(heads, [document.shape.words for document in prepared], rows)


def _have_long_rows(prepared: Sequence[PreparedLines]) -> list[bool]:
    """:func:`_has_long_row` of each document (those of a batch looked up in the long rows of its text, found once)."""
    found = batch_rows(prepared, lambda text: np.flatnonzero(text.full > HEAD_CHARS).tolist())
    return [bool(rows) if rows is not None else _has_long_row(d) for d, rows in zip(prepared, found, strict=True)]


def batch_rows(
    prepared: Sequence[PreparedLines], rows_of: Callable[[LineText], list[int]]
) -> list[list[int] | None]:
    """For each document that is part of a batch (:func:`prepare_many`), its rows among ``rows_of`` of the batch's
    text (ascending rows of the whole batch), counted from the document's first row: ``rows_of`` runs once per
    batch, not once per document. ``None`` for a document on its own (no batch)."""
    found: dict[int, list[int]] = {}
    out: list[list[int] | None] = []
    for document in prepared:
        if document.batch is None:
            out.append(None)
            continue
        text, first = document.batch
        rows = found.get(id(text))
        if rows is None:
            rows = found[id(text)] = rows_of(text)
        stop = first + len(document.rows)
        out.append([row - first for row in rows[bisect.bisect_left(rows, first) : bisect.bisect_left(rows, stop)]])
    return out


def _has_long_row(prepared: PreparedLines) -> bool:
    """Whether a row is longer than HEAD_CHARS (its words are then re-read up to it)."""
    if prepared.text is not None:
        return bool(len(prepared.rows)) and int(prepared.text.full.max()) > HEAD_CHARS
    return max(map(len, prepared.rows), default=0) > HEAD_CHARS


@functools.cache
def _log_table(size: int) -> npt.NDArray[np.float64]:
    return np.fromiter(map(math.log, range(1, size)), dtype=np.float64, count=size - 1)


def _log_counts(counts: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
    """``math.log`` of each count (positive integers), by table for the usual small ones."""
    table = _log_table(4096)
    if not len(counts) or int(counts.max()) <= len(table):
        result: npt.NDArray[np.float64] = table[counts - 1]
        return result
    return np.fromiter(map(math.log, counts.tolist()), dtype=np.float64, count=len(counts))
