"""The words of a batch of pages, numbered once: the token table the line features and paragraph dedup share.

A word is a lowercased ``\\w+`` token (:func:`lowercase_words`). The stages that look
at words (the lexical features, exact and near repeated paragraphs) only need to tell words apart and to
test each distinct word once, so the batch's words are numbered once, here, and the stages work on the
numbers: no per-word Python object, no dictionary pass per stage.

:func:`tokenize_pages` runs the compiled kernel ``textclean._native.tokenize`` when it was built (see
``setup.py`` and :mod:`textclean._kernels`), else :func:`_tokenize_reference`, its pure-Python reference: both
give the same table (a property test compares them).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from textclean import _kernels
from textclean._features_repeats import REPEAT_CHARS, line_repeats

__all__ = [
    "PageTokens",
    "TokenTable",
    "gather_pages",
    "gather_ragged",
    "gather_rows",
    "join_pages",
    "lowercase_words",
    "native_tokenizer",
    "ragged_ranges",
    "table_from_lists",
    "tokenize_pages",
]

_WORD = re.compile(r"\w+")


def lowercase_words(text: str) -> list[str]:
    """The lowercased ``\\w+`` words of ``text`` (the word definition used everywhere).

    Examples:
        >>> lowercase_words("Don't stop!")
        ['don', 't', 'stop']
    """
    return _WORD.findall(text.lower())


_Ints = npt.NDArray[np.int32]
_Offsets = npt.NDArray[np.intp]


@dataclass(frozen=True, eq=False)
class TokenTable:
    """Every word of a batch of pages, numbered by the batch's vocabulary and by its page's own.

    Attributes:
        ids: per word (page after page, line after line), its number in :attr:`vocabulary`.
        local: per word, its number among its page's distinct words (by first occurrence in the page).
        line_starts: per line, where its words start in ``ids`` (one more entry: the end).
        page_starts: per page, its first line (one more entry: the end).
        page_distinct: per page, the vocabulary numbers of its distinct words, by first occurrence.
        distinct_starts: per page, where its distinct words start in ``page_distinct`` (and the end).
        vocabulary: the batch's distinct words, by first occurrence.
        line_repeats: per line, how many lines of its page have its repeat key (0 for a blank line; see
            :func:`~textclean._features_repeats.line_repeats`), when the table was made from the lines' text.
    """

    ids: _Ints
    local: _Ints
    line_starts: _Offsets
    page_starts: _Offsets
    page_distinct: _Ints
    distinct_starts: _Offsets
    vocabulary: list[str]
    line_repeats: _Ints | None = None
    _per_word: dict[Any, Any] = field(default_factory=dict, repr=False)

    def page(self, k: int) -> PageTokens:
        """The words of page ``k`` (views, no copy)."""
        first, last = int(self.page_starts[k]), int(self.page_starts[k + 1])
        starts = self.line_starts[first : last + 1]
        low, high = int(starts[0]), int(starts[-1])
        distinct = self.page_distinct[self.distinct_starts[k] : self.distinct_starts[k + 1]]
        return PageTokens(self.ids[low:high], self.local[low:high], starts - low, distinct, self, k)

    def pages_rows(self, pages: Sequence[int], rows: Sequence[Sequence[int]]) -> PageTokens:
        """The words of the listed lines of several pages, end to end, as one :class:`PageTokens` (in a few numpy
        calls, whatever the number of pages): ``join_pages`` of ``page(k).rows(rows[i])`` for each ``k = pages[i]``.

        A word's ``local`` number counts (page, word) pairs: the same word on two pages is two words. The lines
        left out of a page must have no words.

        Examples:
            >>> table = tokenize_pages([["The river", "", "the flood"], ["A", "river"]])
            >>> joined = table.pages_rows([0, 1], [[0, 2], [0, 1]])
            >>> joined.counts.tolist(), joined.local.tolist(), joined.distinct.tolist()
            ([2, 2, 1, 1], [0, 1, 0, 2, 3, 4], [0, 1, 2, 3, 1])
        """
        numbers = np.asarray(pages, dtype=np.intp)
        sizes = np.fromiter(map(len, rows), dtype=np.intp, count=len(rows))
        first_line = self.page_starts[numbers]
        lines = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.intp, count=int(sizes.sum()))
        lines += np.repeat(first_line, sizes)
        counts: _Offsets = self.line_starts[lines + 1] - self.line_starts[lines]
        low, high = self.line_starts[first_line], self.line_starts[self.page_starts[numbers + 1]]
        page_words = high - low
        if int(counts.sum()) != int(page_words.sum()):
            raise ValueError("the lines left out have words")
        distinct_low, distinct_high = self.distinct_starts[numbers], self.distinct_starts[numbers + 1]
        distinct_sizes = distinct_high - distinct_low
        if len(numbers) and np.array_equal(numbers, np.arange(numbers[0], numbers[0] + len(numbers))):
            words = slice(int(low[0]), int(high[-1]))  # consecutive pages: their words are one slice
            distinct = self.page_distinct[int(distinct_low[0]) : int(distinct_high[-1])]
        else:
            words = np.repeat(low, page_words) + ragged_ranges(page_words)  # type: ignore[assignment]
            distinct = self.page_distinct[np.repeat(distinct_low, distinct_sizes) + ragged_ranges(distinct_sizes)]
        bases = np.cumsum(distinct_sizes) - distinct_sizes
        local = (self.local[words] + np.repeat(bases, page_words)).astype(np.int32)
        return PageTokens(self.ids[words], local, _starts(counts), distinct, self)

    def word_tests(
        self, lexicon: frozenset[str]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
        """Per vocabulary word: its length, whether it is all digits (``str.isdigit``), whether ``lexicon`` holds it
        (computed once per table and lexicon, by :meth:`per_word`: the reference of the compiled ``lexical_flags``).

        Examples:
            >>> tokenize_pages([["Share 2 rivers"]]).word_tests(frozenset({"share"}))[0].tolist()
            [5, 1, 6]
            >>> [found.tolist() for found in tokenize_pages([["Share 2 rivers"]]).word_tests(frozenset({"share"}))[1:]]
            [[False, True, False], [True, False, False]]
        """
        key = ("word_tests", lexicon)
        if key not in self._per_word:
            self._per_word[key] = (
                self.per_word(len, np.int64),
                self.per_word(str.isdigit, bool),
                self.per_word(lexicon.__contains__, bool),
            )
        tests: tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.bool_]] = self._per_word[key]
        return tests

    def per_word(self, test: Callable[[str], Any], dtype: Any) -> npt.NDArray[Any]:
        """``test`` of each vocabulary word, as a numpy array (computed once per table and test).

        Examples:
            >>> tokenize_pages([["The 2 rivers"]]).per_word(len, int).tolist()
            [3, 1, 6]
        """
        key = (test, dtype)
        if key not in self._per_word:
            self._per_word[key] = np.fromiter(map(test, self.vocabulary), dtype=dtype, count=len(self.vocabulary))
        values: npt.NDArray[Any] = self._per_word[key]
        return values


@dataclass(frozen=True, eq=False)
class PageTokens:
    """The words of one page's lines (a view into its batch's :class:`TokenTable`).

    Attributes:
        ids: per word, its number in the batch vocabulary.
        local: per word, its number among the page's distinct words.
        starts: per line, where its words start in ``ids`` (and the end).
        distinct: the batch vocabulary numbers of the page's distinct words, by first occurrence.
        table: the batch.
        number: the page's number in ``table`` when these are its words and lines as :meth:`TokenTable.page` gives
            them (``None`` otherwise), so a run of pages can be gathered at once (:meth:`TokenTable.pages_rows`).
    """

    ids: _Ints
    local: _Ints
    starts: _Offsets
    distinct: _Ints
    table: TokenTable
    number: int | None = None

    @property
    def repeats(self) -> _Ints | None:
        """Per line, how many lines of the page have its repeat key (0: blank), when :meth:`TokenTable.page` gave
        these words and the table has the counts; else ``None``.

        Examples:
            >>> tokenize_pages([["Share", "", "the river", "SHARE "]]).page(0).repeats.tolist()
            [2, 0, 1, 2]
        """
        table, number = self.table, self.number
        if table.line_repeats is None or number is None:
            return None
        repeats: _Ints = table.line_repeats[table.page_starts[number] : table.page_starts[number + 1]]
        return repeats

    @property
    def counts(self) -> _Offsets:
        """How many words each line has."""
        counts: _Offsets = np.diff(self.starts)
        return counts

    def words(self, line: int) -> list[str]:
        """The words of one line, as strings.

        Examples:
            >>> tokenize_pages([["The river, the flood.", "", "RIVER"]]).page(0).words(0)
            ['the', 'river', 'the', 'flood']
        """
        vocabulary = self.table.vocabulary
        return [vocabulary[i] for i in self.ids[self.starts[line] : self.starts[line + 1]].tolist()]

    def rows(self, lines: Sequence[int]) -> PageTokens:
        """The same words seen as the listed lines only (in order): the lines left out must have no words.

        Examples:
            >>> tokenize_pages([["The river", "  ", "the flood"]]).page(0).rows([0, 2]).counts.tolist()
            [2, 2]
        """
        rows = np.asarray(lines, dtype=np.intp)
        starts = np.append(self.starts[rows], self.starts[-1]).astype(np.intp)
        if int(np.diff(self.starts)[rows].sum()) != len(self.ids):
            raise ValueError("the lines left out have words")
        return PageTokens(self.ids, self.local, starts, self.distinct, self.table)

    def gather(self, lines: Sequence[int]) -> tuple[_Ints, _Offsets]:
        """The vocabulary numbers of the words of ``lines`` end to end, and how many each line has.

        Examples:
            >>> ids, counts = tokenize_pages([["the river", "a flood", "the end"]]).page(0).gather([2, 0])
            >>> ids.tolist(), counts.tolist()
            ([0, 4, 0, 1], [2, 2])
        """
        return gather_rows(self.ids, self.counts, lines)


def join_pages(pages: Sequence[PageTokens]) -> PageTokens:
    """The words of pages sharing one table, end to end, as one :class:`PageTokens` whose ``local`` numbers count
    (page, word) pairs: the same word on two pages is two words (one page: itself).

    Examples:
        >>> table = tokenize_pages([["the river"], ["a river"]])
        >>> joined = join_pages([table.page(0), table.page(1)])
        >>> joined.local.tolist(), joined.distinct.tolist()
        ([0, 1, 2, 3], [0, 1, 2, 1])
    """
    if len(pages) == 1:
        return pages[0]
    bases = np.cumsum([0] + [len(page.distinct) for page in pages[:-1]])
    local = np.concatenate([page.local.astype(np.int64) + base for page, base in zip(pages, bases, strict=True)])
    return PageTokens(
        np.concatenate([page.ids for page in pages]),
        local.astype(np.int32),
        _starts(np.concatenate([page.counts for page in pages])),
        np.concatenate([page.distinct for page in pages]),
        pages[0].table,
    )


def gather_pages(pages: Sequence[tuple[PageTokens, Sequence[int]]]) -> list[tuple[_Ints, _Offsets]]:
    """:meth:`PageTokens.gather` of each page's rows, in a few numpy calls whatever the number of pages (the pages'
    words end to end, one gather, split again: each page's arrays are views of one array).

    Examples:
        >>> table = tokenize_pages([["the river", "a flood"], ["the end"]])
        >>> found = gather_pages([(table.page(0), [1]), (table.page(1), []), (table.page(1), [0])])
        >>> [(ids.tolist(), counts.tolist()) for ids, counts in found]
        [([2, 3], [2]), ([], []), ([0, 4], [2])]
    """
    if not pages:
        return []
    ids, counts = gather_ragged([(page.ids, page.counts, chosen) for page, chosen in pages])
    row_ends = np.cumsum(np.fromiter((len(chosen) for _, chosen in pages), dtype=np.intp, count=len(pages)))
    word_ends = np.concatenate(([0], np.cumsum(counts)))[row_ends]  # the words before each page's end
    return list(zip(np.split(ids, word_ends[:-1].tolist()), np.split(counts, row_ends[:-1].tolist()), strict=True))


def gather_ragged(parts: Sequence[tuple[_Ints, _Offsets, Sequence[int]]]) -> tuple[_Ints, _Offsets]:
    """:func:`gather_rows` of each part (``ids``, ``counts``, ``rows``), end to end, in one gather: the parts' items
    joined, each part's rows shifted past the rows of the parts before it.

    Examples:
        >>> parts = [(np.array([5, 6, 7]), np.array([2, 1]), [1]), (np.array([8, 9]), np.array([1, 1]), [1, 0])]
        >>> [found.tolist() for found in gather_ragged(parts)]
        [[7, 9, 8], [1, 1, 1]]
    """
    rows: list[int] = []
    base = 0
    for _, counts, chosen in parts:
        rows += [row + base for row in chosen]
        base += len(counts)
    return gather_rows(np.concatenate([ids for ids, _, _ in parts]), np.concatenate([c for _, c, _ in parts]), rows)


def gather_rows(ids: _Ints, counts: _Offsets, rows: Sequence[int] | npt.NDArray[np.intp]) -> tuple[_Ints, _Offsets]:
    """The items of ragged ``rows`` (``counts`` items each, end to end in ``ids``) end to end, and their counts."""
    rows = np.asarray(rows, dtype=np.intp)
    chosen: _Offsets = counts[rows]
    starts = np.cumsum(counts) - counts
    return ids[np.repeat(starts[rows], chosen) + ragged_ranges(chosen)], chosen


def ragged_ranges(counts: npt.NDArray[Any]) -> _Offsets:
    """``0, 1, ..., count - 1`` for each of ``counts``, end to end: the offsets within ragged segments.

    Examples:
        >>> ragged_ranges(np.array([2, 0, 3])).tolist()
        [0, 1, 0, 1, 2]
    """
    ranges: _Offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return ranges


def tokenize_pages(pages: Sequence[Sequence[str]]) -> TokenTable:
    """Number the lowercased ``\\w+`` words of pages' lines (a ``"\\n"`` inside a line splits words, as a space),
    and count each page's repeated lines (:attr:`TokenTable.line_repeats`).

    Examples:
        >>> table = tokenize_pages([["The river, the flood."], ["A flood", "the river"]])
        >>> table.vocabulary
        ['the', 'river', 'flood', 'a']
        >>> table.ids.tolist(), table.local.tolist()
        ([0, 1, 0, 2, 3, 2, 0, 1], [0, 1, 0, 2, 0, 1, 2, 3])
        >>> table.page(1).distinct.tolist()
        [3, 2, 0, 1]
    """
    # Each line is lowered on its own (by the kernel itself, without a str, unless it holds U+0130, U+03A3 or a
    # character beyond the BMP: a table of the BMP's lowercase, 58 -> 41 ms over the generated pages), so it
    # keeps its own context (the final sigma), and no joined text is built: joining the lowered lines of a batch
    # with a non-Latin-1 line widened every character to two bytes (28 ms over the real pages).
    # The kernel counts each page's repeated lines in the same pass (the lowered lines are at hand).
    listed = [lines if type(lines) is list else list(lines) for lines in pages]
    kernel = native_tokenizer()
    parts = kernel(listed, REPEAT_CHARS) if kernel is not None else _tokenize_reference(listed)
    return _table(parts[:5], [len(lines) for lines in listed], parts[5], parts[6])


def table_from_lists(pages: Sequence[Sequence[list[str]]]) -> TokenTable:
    """The table of pages whose lines are given as word lists (words the caller already has).

    Examples:
        >>> table = table_from_lists([[["the", "river"], [], ["the"]], [["a", "river"]]])
        >>> table.ids.tolist(), table.local.tolist(), table.page(1).counts.tolist(), table.vocabulary
        ([0, 1, 0, 2, 1], [0, 1, 0, 0, 1], [2], ['the', 'river', 'a'])
    """
    page_lines = [len(lines) for lines in pages]
    parts = _number_pages(list(itertools.chain.from_iterable(pages)), page_lines)
    return _table(parts[:5], page_lines, parts[5])


def native_tokenizer() -> Any:
    """The compiled ``tokenize`` kernel, or ``None`` (see :mod:`textclean._kernels`)."""
    return _kernels.kernel("tokenize")


def _tokenize_reference(pages: list[list[str]]) -> tuple[bytes, bytes, bytes, bytes, bytes, list[str], bytes]:
    """The pure-Python reference of ``textclean._native.tokenize`` (the same seven results)."""
    word_lists = [_WORD.findall(line.lower()) for line in itertools.chain.from_iterable(pages)]
    parts = _number_pages(word_lists, [len(lines) for lines in pages])
    repeats = [count for lines in pages for count in line_repeats(lines)]
    return (*(part.tobytes() for part in parts[:5]), parts[5], np.array(repeats, dtype=np.int32).tobytes())


def _number_pages(word_lists: list[list[str]], page_lines: list[int]) -> tuple[Any, Any, Any, Any, Any, list[str]]:
    """The kernel's five int32 arrays and vocabulary, of every line's words (``page_lines`` lines per page)."""
    line_words = np.fromiter(map(len, word_lists), dtype=np.int32, count=len(word_lists))
    number: dict[str, int] = {}  # the batch's vocabulary: a word's first page lists it before any later word
    ids, local, page_distinct, page_sizes = [], [], [], []
    line = 0
    for count in page_lines:
        words = list(itertools.chain.from_iterable(word_lists[line : line + count]))
        line += count
        numbers, distinct = _first_occurrence(words)  # one dictionary pass over the page's words
        number.update(zip(itertools.filterfalse(number.__contains__, distinct), itertools.count(len(number))))
        batch = np.fromiter(map(number.__getitem__, distinct), dtype=np.int32, count=len(distinct))
        ids.append(batch[numbers])
        local.append(numbers.astype(np.int32))
        page_distinct.append(batch)
        page_sizes.append(len(distinct))
    empty = np.zeros(0, dtype=np.int32)
    return (
        np.concatenate(ids) if ids else empty,
        np.concatenate(local) if local else empty,
        line_words,
        np.concatenate(page_distinct) if page_distinct else empty,
        np.array(page_sizes, dtype=np.int32),
        list(number),
    )


def _first_occurrence(items: list[Any]) -> tuple[npt.NDArray[np.intp], list[Any]]:
    """Number ``items`` by first occurrence: each one's number, and the distinct items in order.

    One dictionary pass, in C (``dict.setdefault`` mapped over the items).

    Examples:
        >>> numbers, distinct = _first_occurrence(["the", "river", "the", "flood"])
        >>> numbers.tolist(), distinct
        ([0, 1, 0, 2], ['the', 'river', 'flood'])
    """
    first_at: dict[Any, int] = {}
    position = np.fromiter(map(first_at.setdefault, items, itertools.count()), dtype=np.intp, count=len(items))
    number = np.empty(len(items), dtype=np.intp)
    number[np.fromiter(first_at.values(), dtype=np.intp, count=len(first_at))] = np.arange(len(first_at))
    return number[position], list(first_at)


def _table(
    parts: Sequence[Any], page_lines: Sequence[int], vocabulary: list[str], repeats: bytes | None = None
) -> TokenTable:
    """The :class:`TokenTable` of the kernel's five int32 arrays (as bytes, or numpy arrays), its vocabulary and
    its lines' repeat counts (int32, as bytes)."""
    ids, local, line_words, page_distinct, page_sizes = (
        np.frombuffer(part, dtype=np.int32) if isinstance(part, bytes) else part for part in parts
    )
    return TokenTable(
        ids=ids,
        local=local,
        line_starts=_starts(line_words),
        page_starts=_starts(np.asarray(page_lines, dtype=np.int64)),
        page_distinct=page_distinct,
        distinct_starts=_starts(page_sizes),
        vocabulary=vocabulary,
        line_repeats=None if repeats is None else np.frombuffer(repeats, dtype=np.int32),
    )


def _starts(counts: npt.NDArray[Any]) -> _Offsets:
    """Offsets of ragged segments of ``counts`` items each: 0, then the running totals."""
    starts = np.zeros(len(counts) + 1, dtype=np.intp)
    np.cumsum(counts, out=starts[1:])
    return starts
