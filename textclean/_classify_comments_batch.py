"""The comment detector's batch path: the pages of a batch worked at once (``CommentDetector.section_starts``).

:func:`batch_starts` finds where the main text of each page starts, the header candidates of all the
pages (their first-letter and character gates, :class:`~textclean._classify_gates.StartTable`), and checks
the candidates' word gates in one pass over their lines (:class:`WordGate`): a line may be a header only if
it holds a word of one of the headers it may match (by the compiled kernels when they were built: all the
rows gated in one pass, the lines lowered as they are scanned, :mod:`textclean._classify_gates_native`).
Then, in rounds, the lines after each page's next header (a page's later headers matter only when its
earlier ones are not confirmed), their marker words found in one pass again; each distinct line is tested
once, and the bare-date marker, the slowest, only where the count of markers depends on it
(:func:`_hint_of`). The verdicts are those of ``CommentDetector.section_start``, one page line by line
(``tests/test_classify_comments.py``).

The helpers both paths share (:func:`_lowered`, the memos, :func:`_rows_with`) live here too.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import numpy.typing as npt
import regex

from textclean._classify_gates_native import line_masks, row_gates, start_kernel, word_kernel
from textclean._matcher import fold_case_twins
from textclean._matcher_probe import _TWINS, _lines_holding
from textclean._rules.comments import COMMENT_LOOKAHEAD, COMMENT_MAIN_TEXT_WORDS, COMMENT_MIN_MARKERS

if TYPE_CHECKING:
    from textclean._classify_comments import CommentDetector
    from textclean._features import PreparedLines
    from textclean._lineshape import LineText

__all__ = ["WordGate", "batch_starts"]

_LONG = 200  # a longer line is main text, never a header or a marker
_NONE, _DATE, _MARKER = 0, 1, 2  # what a line is to the detector: nothing, a bare date, another marker
_DATE_OR_NONE, _DATE_OR_MARKER = 3, 4  # what it is unless the bare-date marker matches it (then a bare date)
_DIGIT = regex.compile(r"\d")
_SEEN_LINES = 1 << 15  # lines remembered as header or not, and as marker or not
_SMALL_TEXT = 2048  # lines shorter than this together: WordGate looks for each word with "in" (no automaton to build)
_T = TypeVar("_T")
_TWIN = regex.compile("[" + "".join(map(regex.escape, sorted(_TWINS))) + "]")  # a character fold_case_twins changes


def batch_starts(
    detector: CommentDetector, text: LineText, pages: list[tuple[int, PreparedLines]]
) -> list[int | None]:
    """``detector.section_start`` of pages whose rows are rows of ``text`` (each page with its first row there, in
    order), all at once: where their main text starts, their header candidates and word gates, the lines after
    their headers and those lines' marker gates, each for all the pages together."""
    sizes = [len(page.rows) for _, page in pages]
    offsets = np.cumsum([0, *sizes])  # where each page starts among all their rows
    full = np.concatenate([page.text.full for _, page in pages if page.text is not None])
    tokens = np.concatenate([page.shape.tokens for _, page in pages])
    words = np.concatenate([page.shape.words for _, page in pages])
    # as in CommentDetector._after_main: below the page's first line of main text, the lines not too long
    least = COMMENT_MAIN_TEXT_WORDS
    long = np.flatnonzero((tokens >= least) | ((full >= 2 * least) & (words >= least)))
    # the first long line at or after each page's first row: when it lies past the page, no row of the page
    # comes after it
    mains = np.append(long, offsets[-1])[np.searchsorted(long, offsets[:-1])]
    after = np.flatnonzero((full <= _LONG) & (np.arange(len(full)) > np.repeat(mains, sizes)))
    firsts = [first for first, _ in pages]
    batch_rows = after + np.repeat(np.array(firsts) - offsets[:-1], sizes)[after]  # their rows in the batch's text
    found = _headers_in(detector, text, batch_rows)  # the batch rows holding a header, in order
    short = (full <= _LONG).tolist()
    headers: list[list[int]] = [[] for _ in pages]  # per page, its header rows, in order
    for batch_row in found:
        at = bisect.bisect_right(firsts, batch_row) - 1
        first, page = pages[at]
        line = page.rows[batch_row - first]
        # a header passed the word gate of its pattern: a header word is in the line, but for "İ" (see _lowered)
        if "\u0130" not in line or detector._has_header_word(line, page.broken):
            headers[at].append(batch_row - first)
    starts: list[int | None] = [None] * len(pages)
    kinds: dict[str, int] = {}
    # in rounds: the next header of each page not settled yet (a page's later headers matter only when its
    # earlier ones are not confirmed), the lines after them gated at once
    turn, waiting = 0, [at for at, rows in enumerate(headers) if rows]
    while waiting:
        windows = []
        for at in waiting:
            page, row, offset = pages[at][1], headers[at][turn], int(offsets[at])
            index, rows = page.index, page.rows
            end = bisect.bisect_right(index, index[row] + COMMENT_LOOKAHEAD, lo=row + 1)
            windows.append([rows[following] for following in range(row + 1, end) if short[offset + following]])
        kinds.update(_kinds_of(detector, [line for lines in windows for line in lines if line not in kinds]))
        for at, lines in zip(waiting, windows, strict=True):
            if _confirms(detector, lines, kinds):
                starts[at] = pages[at][1].index[headers[at][turn]]
        turn += 1
        waiting = [at for at in waiting if starts[at] is None and turn < len(headers[at])]
    return starts


def _headers_in(detector: CommentDetector, text: LineText, after: npt.NDArray[np.intp]) -> list[int]:
    """The rows among ``after`` (ascending) of ``text`` that a header pattern matches, in order: gated by their
    first letters or characters, then by the headers' words (the gate words of all those rows found at once; by
    the compiled kernels when they were built, :func:`~textclean._classify_gates_native.row_gates`)."""
    if not len(after):
        return []
    if start_kernel() is not None and word_kernel() is not None and not (text.full[after] > text.size[after]).any():
        chars = [(1 << k, gated.chars) for k, gated in enumerate(detector.headers) if gated.starts is None]
        rows, passed = row_gates(detector.starts, chars, detector._header_gate, text, after)
        pairs = zip(rows.tolist(), passed.tolist(), strict=True)
        return [row for row, mask in pairs if _header_in(detector, text.lines[row], mask)]
    found = detector.starts.masks_of(text, after)
    for k, gated in enumerate(detector.headers):
        if gated.starts is None:
            holding = dict.fromkeys(_rows_with(text, gated.chars, after), 1 << k)
            for row in holding.keys() & found.keys():
                holding[row] |= found[row]
            found.update(holding)
    lines = list(map(text.lines.__getitem__, found))
    masks = list(map(operator.and_, found.values(), detector._header_gate.masks(_lowered_many(lines))))
    candidates = itertools.compress(zip(found, lines, masks, strict=True), masks)
    return sorted(row for row, line, mask in candidates if _header_in(detector, line, mask))


def _header_in(detector: CommentDetector, line: str, mask: int) -> bool:
    """Whether a header matches ``line``, which only those in ``mask`` may match (remembered per line text)."""
    found = detector._header_seen.get(line)
    if found is not None:
        return found
    digit: bool | None = None
    for k in _bits_of(mask):
        gated = detector.headers[k]
        if gated.digit:
            if digit is None:
                digit = _DIGIT.search(line) is not None
            if not digit:
                continue
        if gated.pattern.match(line) is not None:
            return _remember(detector._header_seen, line, True)
    return _remember(detector._header_seen, line, False)


def _kinds_of(detector: CommentDetector, lines: list[str]) -> dict[str, int]:
    """What each of ``lines`` is to the detector, by line text: its kind (``CommentDetector._marker_kind``), or its hint
    (:func:`_hint_of`) where only the bare-date marker would tell the kind.

    The marker word gates of the lines not seen before, and which of them hold an ASCII digit, are checked at
    once; a line no marker but the bare date may match gets its hint without a regex."""
    kinds: dict[str, int] = {}
    unseen = []
    seen, hinted = detector._marker_seen.get, detector._marker_hints.get
    for line in dict.fromkeys(lines):
        kind = seen(line)
        if kind is None:
            kind = hinted(line)
        if kind is None:
            unseen.append(line)
        else:
            kinds[line] = kind
    digits, date = detector._digit_markers, detector._date_bit
    ascii_digit = 1 << len(detector.markers)  # the gate's last pattern: the ASCII digits
    found: dict[str, int] = {}
    for line, mask in zip(unseen, detector._marker_gate.line_masks(unseen), strict=True):
        if mask & digits and not mask & ascii_digit and (line.isascii() or _DIGIT.search(line) is None):
            mask &= ~digits  # no digit
        mask &= ~ascii_digit
        found[line] = _NONE if not mask else _DATE_OR_NONE if mask == date else _hint_of(detector, line, mask)
    _remember_all(detector._marker_seen, {line: kind for line, kind in found.items() if kind <= _MARKER})
    _remember_all(detector._marker_hints, {line: kind for line, kind in found.items() if kind > _MARKER})
    kinds.update(found)
    return kinds


def _hint_of(detector: CommentDetector, line: str, mask: int) -> int:
    """The kind of ``line`` (which only the markers in ``mask`` may match, their digit gates checked) found
    without the bare-date marker where possible: ``_NONE`` or ``_MARKER``, else ``_DATE_OR_NONE`` or
    ``_DATE_OR_MARKER`` (the date marker decides, :func:`_settled`). An earlier alternative matching at the
    line's start beats the date marker; a later one, or one starting further in, loses to it."""
    date = detector.date
    if date is None or not detector.markers[date].anchored:
        return _kind_in(detector, line, mask)
    hit_some = False
    for k in _bits_of(mask & ~(1 << date)):
        if hit_some and k > date:
            break
        gated = detector.markers[k]
        hit = gated.pattern.match(line) if gated.anchored else gated.pattern.search(line)
        if hit is not None:
            if k < date and not hit.start():
                return _MARKER
            hit_some = True
    if mask >> date & 1:
        return _DATE_OR_MARKER if hit_some else _DATE_OR_NONE
    return _MARKER if hit_some else _NONE


def _confirms(detector: CommentDetector, lines: list[str], kinds: dict[str, int]) -> bool:
    """Whether enough comment markers are among ``lines`` (``kinds``: :func:`_kinds_of` of them, where the
    bare-date marker is tried only when the count depends on it)."""
    counts = [0] * 5
    for line in lines:
        counts[kinds[line]] += 1
    strong, sure = counts[_MARKER], counts[_MARKER] + counts[_DATE] + counts[_DATE_OR_MARKER]
    if strong and sure >= COMMENT_MIN_MARKERS:
        return True
    if not strong + counts[_DATE_OR_MARKER] or sure + counts[_DATE_OR_NONE] < COMMENT_MIN_MARKERS:
        return False
    hits = strong = 0
    for line in lines:
        kind = kinds[line]
        if kind > _MARKER:
            kind = kinds[line] = _settled(detector, line, kind)
        hits += kind != _NONE
        strong += kind == _MARKER
    return hits >= COMMENT_MIN_MARKERS and strong > 0


def _settled(detector: CommentDetector, line: str, hint: int) -> int:
    """The kind of a line whose hint (:func:`_hint_of`) leaves it to the bare-date marker (remembered)."""
    assert detector.date is not None
    if detector.markers[detector.date].pattern.match(line) is not None:
        kind = _DATE
    else:
        kind = _MARKER if hint == _DATE_OR_MARKER else _NONE
    detector._marker_hints.pop(line, None)
    return _remember(detector._marker_seen, line, kind)


def _kind_in(detector: CommentDetector, line: str, mask: int) -> int:
    """``CommentDetector._marker_kind`` of ``line``, which only the markers in ``mask`` may match."""
    return detector.leftmost_kind(line, _bits_of(mask))


def _lowered(line: str) -> str:
    """``line`` as word gates look at it: lowercase, case twins folded, and ``İ`` as ``i`` (``regex`` equates
    them case-insensitively, but ``"İ".lower()`` is two characters)."""
    lowered = (line.replace("İ", "i") if "İ" in line else line).lower()
    return fold_case_twins(lowered) if _TWIN.search(lowered) else lowered


def _lowered_many(lines: Sequence[str]) -> list[str]:
    """:func:`_lowered` of each line (an ASCII line is just lowercased)."""
    return [line.lower() if line.isascii() else _lowered(line) for line in lines]


@functools.lru_cache(maxsize=4096)
def _bits_of(mask: int) -> tuple[int, ...]:
    return tuple(k for k in range(mask.bit_length()) if mask >> k & 1)


def _remember(seen: dict[str, _T], line: str, value: _T) -> _T:
    """Store what a line was found to be (the memo is bounded: full, it starts over)."""
    if len(seen) >= _SEEN_LINES:
        seen.clear()
    seen[line] = value
    return value


def _remember_all(seen: dict[str, _T], found: dict[str, _T]) -> None:
    """Store what lines were found to be (:func:`_remember` of each)."""
    if len(seen) + len(found) > _SEEN_LINES:
        seen.clear()
    seen.update(found)


def _rows_with(text: LineText, chars: frozenset[str] | None, rows: npt.NDArray[np.intp]) -> list[int]:
    """The rows (among ``rows``, ascending) holding one of ``chars`` (all of them when ``chars`` is ``None``)."""
    if chars is None:
        return rows.tolist()  # type: ignore[no-any-return]
    positions = []
    first, last = int(text.starts[rows[0]]), int(text.starts[rows[-1]] + text.size[rows[-1]])
    find = text.joined.find
    for char in chars:
        at = find(char, first, last)
        while at >= 0:
            positions.append(at)
            at = find(char, at + 1, last)
    if not positions:
        return []
    held = np.zeros(len(text.starts), dtype=bool)
    held[text.starts.searchsorted(positions, side="right") - 1] = True
    return rows[held[rows]].tolist()  # type: ignore[no-any-return]


@dataclass(frozen=True, eq=False)
class WordGate:
    """Several patterns' word gates (see :func:`~textclean._rules._literals.required_words`), to check many lines
    at once: a pattern may match a line only if the line (lowercased as the gate words are) holds one of its words.

    The words are looked for in one pass over all the lines (the Aho-Corasick kernel ``lines_holding``); in a
    few lines, a word at a time (``in``), cheaper than building the automaton.

    Attributes:
        needles: the gate words, each once.
        bits: per needle, the mask of the patterns it gates (bit ``k``: pattern ``k``).
        always: the mask of the patterns without a word gate (every line may hold a match).
    """

    needles: tuple[str, ...]
    bits: tuple[int, ...]
    always: int

    @classmethod
    def build(cls, words: Sequence[frozenset[str] | None]) -> WordGate:
        """The gate of these patterns' words (``None``: a pattern without a word gate).

        Examples:
            >>> gate = WordGate.build([frozenset({"reply", "says"}), None, frozenset({"says", "說"})])
            >>> gate.masks(["john says:", "no", "reply", "他說"])
            [7, 2, 3, 6]
        """
        by_needle: dict[str, int] = {}
        always = 0
        for k, strings in enumerate(words):
            if strings is None or not all(strings) or any("\n" in string for string in strings):
                always |= 1 << k  # no gate (or one the line finder cannot look for)
                continue
            for string in strings:
                by_needle[string] = by_needle.get(string, 0) | 1 << k
        # a word holding another that gates the same patterns (or more) adds nothing: "comments" beside "comment"
        needles = tuple(
            sorted(
                word
                for word, bits in by_needle.items()
                if not any(other != word and other in word and not bits & ~by_needle[other] for other in by_needle)
            )
        )
        return cls(needles, tuple(by_needle[needle] for needle in needles), always)

    def line_masks(self, lines: Sequence[str]) -> list[int]:
        """:meth:`masks` of the lines lowered as :func:`_lowered` lowers them (no line holds a ``"\\n"``): by the
        compiled ``word_masks``, which lowers them as it scans, when it was built."""
        if word_kernel() is None or not lines:
            return self.masks(_lowered_many(lines))
        return line_masks(self, lines)

    def masks(self, lowered: Sequence[str]) -> list[int]:
        """Per line (lowercased as the gate words are), the mask of the patterns whose word gates it passes."""
        masks = [self.always] * len(lowered)
        document = "\n".join(lowered)
        if len(document) < _SMALL_TEXT:  # a few lines: a word in none of them is not looked for line by line
            for needle, bits in zip(self.needles, self.bits, strict=True):
                if needle in document:
                    for k, line in enumerate(lowered):
                        if needle in line:
                            masks[k] |= bits
            return masks
        for bits, lines in zip(self.bits, _lines_holding(document, lowered, list(self.needles)), strict=True):
            for k in lines:
                masks[k] |= bits
        return masks
