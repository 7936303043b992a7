"""The reader-comment section detector (``B505``): from a confirmed comment header to the end of the page.

A header (:data:`~textclean._rules.comments.COMMENT_HEADERS`) counts only below the page's first
long line (the article comes before its comments, so a "Comments" menu link never opens a
section), and only when at least ``COMMENT_MIN_MARKERS`` comment markers ("X says:", "Reply", a
dated byline, a clock time; not all of them bare dates) follow within ``COMMENT_LOOKAHEAD`` lines.

Trying some forty patterns on every line would be slow, so each pattern has a gate
(:mod:`textclean._classify_gates`): a header is tried only on lines whose first letters fit it
(checked for all lines at once with numpy), or that hold the characters and words it needs; a marker
only on lines holding the words (or the digit) it needs. Markers are looked at only in the lines after
a header.

:meth:`CommentDetector.section_starts` works the pages of a batch at once: where each page's main text
starts, the header candidates of all of them, whose lines must also hold a word of one of the headers
they may match (all the candidates' words found in one pass, :class:`~textclean._classify_gates.WordGate`),
then in rounds the lines after each page's next header (their marker words found in one pass); each
distinct line is tested once, and the bare-date marker, the slowest, only where the count depends on it.
:meth:`CommentDetector.section_start` works one page line by line, the reference: the verdicts of both
are exactly those of matching the two alternations line by line (``tests/test_classify_fast.py`` and
``tests/test_classify_comments.py``).
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import regex

from textclean._classify_comments_batch import (
    _DATE,
    _DIGIT,
    _LONG,
    _MARKER,
    _NONE,
    WordGate,
    _bits_of,
    _lowered,
    _remember,
    _rows_with,
    batch_starts,
)
from textclean._classify_gates import StartTable, letter_gate, required_chars, requires_digit, strip_comment
from textclean._features import PreparedLines
from textclean._lineshape import LineText
from textclean._matcher import fold_case_twins
from textclean._patterns import compile_pattern
from textclean._rule_cache import load_or_build
from textclean._rules._literals import required_words
from textclean._rules.comments import COMMENT_LOOKAHEAD, COMMENT_MAIN_TEXT_WORDS, COMMENT_MIN_MARKERS

__all__ = ["CommentDetector"]

_FLAGS = regex.IGNORECASE | regex.V0
_Candidates = list[tuple[int, tuple[int, tuple["_Gated", ...]]]]  # rows that may be headers: masks and headers
_Main = tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]  # a page's row lengths, and the rows where a header may stand


@dataclass(frozen=True, eq=False)
class _Gated:
    """One pattern (an alternative of the header or marker alternation) and its gates.

    Attributes:
        source: the pattern (compiled alone, on first use: see :attr:`pattern`).
        anchored: it can only match at the line's start (``Pattern.match`` then gives its matches).
        starts: strings a matching line's first letters begin with (see :func:`letter_gate`), or ``None``.
        chars: characters one of which a matching line holds, or ``None``.
        words: strings one of which a matching line holds (as :func:`_lowered` gives it), or ``None``.
        digit: every match holds a digit.
    """

    source: str
    anchored: bool
    starts: frozenset[str] | None
    chars: frozenset[str] | None
    words: frozenset[str] | None
    digit: bool

    @classmethod
    def build(cls, source: str, *, matched: bool) -> _Gated:
        """Gate ``source``, used with ``Pattern.match`` (``matched``) or ``Pattern.search``."""
        words = _required_words(source)
        body = strip_comment(source)
        anchored = matched or body.startswith("^") or bool(regex.match(r"\(\?P<\w+>\^", body))
        return cls(
            source=source,
            anchored=anchored,
            starts=letter_gate(source) if anchored else None,
            chars=required_chars(body),
            words=None if words is None else frozenset(fold_case_twins(word) for word in words),
            digit=requires_digit(source),
        )

    @functools.cached_property
    def pattern(self) -> regex.Pattern[str]:
        """The pattern, compiled (case-insensitively, as in the alternation it belongs to)."""
        return compile_pattern(self.source, _FLAGS)

    def may_match(self, line: str, lowered: str) -> bool:
        """The word and digit gates (``lowered``: :func:`_lowered` of the line)."""
        if self.words is not None and not any(map(lowered.__contains__, self.words)):
            return False
        return not self.digit or _DIGIT.search(line) is not None


def _required_words(source: str) -> frozenset[str] | None:
    body = strip_comment(source)
    if body.startswith("(?P<") and body.endswith(")"):
        body = body[body.index(">") + 1 : -1]
    return required_words(body)


@dataclass(frozen=True)
class CommentDetector:
    """The header and marker patterns behind their gates (built once per process and configuration).

    Pickled as its two pattern lists, and rebuilt (once per process) from them: its gates are read from the
    rule cache on disk (:mod:`textclean._rule_cache`) when an earlier process stored them.

    Attributes:
        header_patterns: the header patterns (matched at a line's start).
        marker_patterns: the marker patterns (searched; their alternation's leftmost match counts).
        headers: the header patterns, gated.
        markers: the marker patterns, gated, in order.
        date: which marker is the bare date (a weak marker), by its named group ``date``.
        starts: the headers' first-letter gates, as numbers.
        header_words: the words one of which a header line must hold, lowercased by ``str.lower``
            (``None``: no such words). Kept from the first version of the detector, which looked for
            headers only on such lines: a line whose ``İ`` stands for an ``i`` of those words is not a
            header (``"İ".lower()`` is two characters), although the header pattern matches it.
    """

    header_patterns: tuple[str, ...]
    marker_patterns: tuple[str, ...]
    headers: tuple[_Gated, ...] = field(compare=False, repr=False)
    markers: tuple[_Gated, ...] = field(compare=False, repr=False)
    date: int | None = field(compare=False, repr=False)
    starts: StartTable = field(compare=False, repr=False)
    header_words: tuple[str, ...] | None = field(compare=False, repr=False)
    _header_seen: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)
    _marker_seen: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    _marker_hints: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, headers: Sequence[str], markers: Sequence[str]) -> CommentDetector:
        """The detector for these header and marker patterns (built once per process)."""
        return _detector(tuple(headers), tuple(markers))

    def pattern_sources(self) -> list[tuple[str, int]]:
        """Its header and marker patterns and their flags, as each is compiled on first use."""
        return [(gated.source, _FLAGS) for gated in (*self.headers, *self.markers)]

    def __reduce__(self) -> tuple[object, tuple[tuple[str, ...], tuple[str, ...]]]:
        return _detector, (self.header_patterns, self.marker_patterns)

    def section_start(self, prepared: PreparedLines) -> int | None:
        """The line where the page's comment section starts, or ``None``."""
        main = self._after_main(prepared)
        return None if main is None else self._start(prepared, *main, None)

    def section_starts(self, documents: Sequence[PreparedLines]) -> list[int | None]:
        """:meth:`section_start` of each document, the documents of a batch (:func:`~textclean._features.prepare_many`)
        worked at once (:func:`~textclean._classify_comments_batch.batch_starts`)."""
        starts: list[int | None] = [None] * len(documents)
        # a gate character "\n" would find the line break after a document's last row in the batch's text
        whole_rows = not any(gated.chars and "\n" in gated.chars for gated in self.headers if gated.starts is None)
        batches: dict[int, tuple[LineText, dict[int, tuple[int, PreparedLines]]]] = {}  # by text: pages by first row
        for k, document in enumerate(documents):
            if document.text is None or not whole_rows:  # no rows, or a "\n" in one: the page alone, line by line
                starts[k] = self.section_start(document)
                continue
            text, first = document.batch if document.batch is not None else (document.text, 0)  # a page alone
            pages = batches.setdefault(id(text), (text, {}))[1]
            if first in pages:  # the same page twice
                starts[k] = self.section_start(document)
            else:
                pages[first] = (k, document)
        for text, pages in batches.values():
            ordered = sorted(pages.items())
            found = batch_starts(self, text, [(first, document) for first, (_, document) in ordered])
            for (_, (k, _)), start in zip(ordered, found, strict=True):
                starts[k] = start
        return starts

    @functools.cached_property
    def _header_gate(self) -> WordGate:
        """The headers' word gates, for many lines at once."""
        return WordGate.build([gated.words for gated in self.headers])

    @functools.cached_property
    def _marker_gate(self) -> WordGate:
        """The markers' word gates, for many lines at once, and after them one more "pattern": the ASCII digits."""
        return WordGate.build([*(gated.words for gated in self.markers), frozenset("0123456789")])

    @functools.cached_property
    def _date_bit(self) -> int:
        """The mask of the bare-date marker (0: there is none, or it is not anchored: :meth:`_hint_of`)."""
        date = self.date
        return 0 if date is None or not self.markers[date].anchored else 1 << date

    @functools.cached_property
    def _digit_markers(self) -> int:
        """The mask of the markers every match of which holds a digit."""
        return sum(1 << k for k, gated in enumerate(self.markers) if gated.digit)

    def _after_main(self, prepared: PreparedLines) -> _Main | None:
        """The rows' lengths and the rows where a header may stand (after the first line of main text, not too
        long), or ``None`` when there are none."""
        rows = prepared.rows
        if not rows:
            return None
        text = prepared.text
        full = np.fromiter(map(len, rows), dtype=np.intp, count=len(rows)) if text is None else text.full
        # the article has started at the first line of enough words (counted, not measured in characters: a long
        # stock ticker or a link list is not an article); count_words is never below the token count (CJK)
        words = prepared.shape.words
        long = (prepared.shape.tokens >= COMMENT_MAIN_TEXT_WORDS) | (
            (full >= 2 * COMMENT_MAIN_TEXT_WORDS) & (words >= COMMENT_MAIN_TEXT_WORDS)
        )
        main = int(long.argmax())
        if not long[main]:
            return None  # no main text: no header counts
        after = (full[main + 1 :] <= _LONG).nonzero()[0] + (main + 1)
        if not len(after):
            return None
        return full, after

    def _start(
        self,
        prepared: PreparedLines,
        full: npt.NDArray[np.intp],
        after: npt.NDArray[np.intp],
        candidates: _Candidates | None,
    ) -> int | None:
        """The comment section's first line: the first header candidate that is a header confirmed by markers."""
        rows = prepared.rows
        if candidates is None:
            candidates = self._header_candidates(prepared, after)
        kinds: dict[int, int] = {}
        for row, (mask, unstarted) in candidates:
            line = rows[row]
            header = self._is_header(line, mask, unstarted) and self._has_header_word(line, prepared.broken)
            if header and self._confirmed(prepared, row, full, kinds):
                return prepared.index[row]
        return None

    def _has_header_word(self, line: str, broken: bool) -> bool:
        """Whether ``line`` holds one of :attr:`header_words` (any line does in a page with a line break in a line)."""
        if self.header_words is None or broken:
            return True
        lowered = fold_case_twins(line.lower())
        return any(map(lowered.__contains__, self.header_words))

    def _header_candidates(self, prepared: PreparedLines, after: npt.NDArray[np.intp]) -> _Candidates:
        """The rows (among ``after``, in order) that pass the gate of some header, each with the mask of the
        first-letter gated headers it may match and the other headers it may match."""
        unstarted = tuple(gated for gated in self.headers if gated.starts is None)
        if prepared.text is None:
            return [(row, (self.starts.mask_of(prepared.rows[row]), unstarted)) for row in after.tolist()]
        return self._candidates_in(prepared.text, after, self.starts.masks_of(prepared.text, after))

    def _candidates_in(self, text: LineText, after: npt.NDArray[np.intp], masks: dict[int, int]) -> _Candidates:
        """:meth:`_header_candidates` of rows ``after`` of ``text`` (``masks``: their first-letter gates' masks)."""
        found: dict[int, tuple[int, tuple[_Gated, ...]]] = {row: (mask, ()) for row, mask in masks.items()}
        for gated in self.headers:
            if gated.starts is None:
                for row in _rows_with(text, gated.chars, after):
                    mask, others = found.get(row, (0, ()))
                    found[row] = (mask, (*others, gated))
        return sorted(found.items())

    def _is_header(self, line: str, mask: int, unstarted: tuple[_Gated, ...]) -> bool:
        """Whether a header matches ``line``: one of the first-letter gated ones in ``mask``, or of ``unstarted``
        (remembered per line text: chrome repeats from page to page)."""
        found = self._header_seen.get(line)
        if found is not None:
            return found
        if mask and any(self.headers[k].pattern.match(line) is not None for k in _bits_of(mask)):
            return _remember(self._header_seen, line, True)
        lowered = _lowered(line) if unstarted else ""
        found = any(gated.may_match(line, lowered) and gated.pattern.match(line) is not None for gated in unstarted)
        return _remember(self._header_seen, line, found)

    def _confirmed(self, prepared: PreparedLines, row: int, full: npt.NDArray[np.intp], kinds: dict[int, int]) -> bool:
        """Whether enough comment markers follow the header on ``row`` (``kinds``: markers seen so far)."""
        index, rows = prepared.index, prepared.rows
        end = bisect.bisect_right(index, index[row] + COMMENT_LOOKAHEAD, lo=row + 1)
        window = [following for following in range(row + 1, end) if full[following] <= _LONG]
        unseen = []
        for following in window:
            if following not in kinds:
                kind = self._marker_seen.get(rows[following])
                if kind is None:
                    unseen.append(following)
                else:
                    kinds[following] = kind
        if unseen:
            lowered = [_lowered(rows[following]) for following in unseen]
            joined = "\n".join(lowered)  # a marker whose words are in none of the lines matches none of them
            possible = [
                k
                for k, gated in enumerate(self.markers)
                if gated.words is None or any(map(joined.__contains__, gated.words))
            ]
            for following, lower in zip(unseen, lowered, strict=True):
                line = rows[following]
                kinds[following] = _remember(self._marker_seen, line, self._marker_kind(line, lower, possible))
        hits = strong = 0
        for following in window:
            kind = kinds[following]
            hits += kind != _NONE
            strong += kind == _MARKER
        return hits >= COMMENT_MIN_MARKERS and strong > 0

    def _marker_kind(self, line: str, lowered: str, possible: list[int]) -> int:
        """What ``line`` is: no marker, a bare date, or another marker (the alternation's leftmost match decides).

        ``lowered`` is :func:`_lowered` of the line; ``possible`` the markers that may match it, in order.
        """
        digit: bool | None = None

        def gated_in(k: int) -> bool:
            nonlocal digit
            gated = self.markers[k]
            if gated.words is not None and not any(map(lowered.__contains__, gated.words)):
                return False
            if gated.digit and digit is None:
                digit = _DIGIT.search(line) is not None
            return not gated.digit or bool(digit)

        return self.leftmost_kind(line, filter(gated_in, possible))

    def leftmost_kind(self, line: str, markers: Iterable[int]) -> int:
        """What ``line`` is by the leftmost match of ``markers`` (indices, in order; the earlier on a tie)."""
        best: tuple[int, int] | None = None  # (start, alternative) of the leftmost match so far
        for k in markers:
            gated = self.markers[k]
            hit = gated.pattern.match(line) if gated.anchored else gated.pattern.search(line)
            if hit is not None and (best is None or hit.start() < best[0]):
                best = (hit.start(), k)
                if not hit.start():
                    break
        if best is None:
            return _NONE
        return _DATE if best[1] == self.date else _MARKER


@functools.lru_cache(maxsize=8)
def _detector(headers: tuple[str, ...], markers: tuple[str, ...]) -> CommentDetector:
    """The detector of these patterns: its gates read from the rule cache (:mod:`textclean._rule_cache`), or built."""
    gates = load_or_build("comments", [headers, markers], lambda: _gates(headers, markers), _Gates)
    return CommentDetector(headers, markers, *gates)


class _Gates(NamedTuple):
    """What a :class:`CommentDetector` builds from its patterns (its attributes of the same names)."""

    headers: tuple[_Gated, ...]
    markers: tuple[_Gated, ...]
    date: int | None
    starts: StartTable
    header_words: tuple[str, ...] | None


def _gates(headers: tuple[str, ...], markers: tuple[str, ...]) -> _Gates:
    """Gate the header and marker patterns (some 25 ms: what the rule cache saves)."""
    gated_markers = tuple(_Gated.build(pattern, matched=False) for pattern in markers)
    date = next((k for k, marker in enumerate(gated_markers) if "(?P<date>" in marker.source), None)
    gated_headers = tuple(_Gated.build(pattern, matched=True) for pattern in headers)
    starts = StartTable.build([gated.starts for gated in gated_headers])
    known = [gated.words for gated in gated_headers]
    header_words = None if None in known else tuple(sorted({word for words in known for word in words or ()}))
    return _Gates(gated_headers, gated_markers, date, starts, header_words)
