"""Per-page adaptive thresholds for the line model.

A lenient cut inside the main text, the mode's cut outside.

A page's main-text block runs from its first to its last *confident content line* (a line of at least
:data:`MAIN_TEXT_WORDS` words whose content score is at least :data:`MAIN_TEXT_SCORE`), and on to the
last of the next :data:`TRAILING_LINES` lines that ends like a sentence (a last short paragraph, a closing
quote; not a heading, a link or a byline). Inside the block a line is chrome only when its score is below
``threshold * INSIDE_FACTOR`` (short subheads, captions and one-line paragraphs between paragraphs are
content, as jusText's context rule has it); outside it, the mode's threshold applies (teaser lists, link
rows and footers before or after the article), except that a line of at least :data:`LONG_LINE_WORDS`
words is cut only below ``threshold * LONG_LINE_FACTOR`` (a long line carries many words: it takes more
evidence to drop it). A page with no confident content line, or with fewer than :data:`SHORT_PAGE_LINES`
non-blank lines (an item already extracted, a nearly clean text), gets the lenient cut everywhere (nothing to
tell the main text from).

Pure numpy over one document's score arrays; the constants were chosen by 5-fold cross-validation by page
on the development gold (docs/quality.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from textclean._features import BASE_FEATURES
from textclean._line_model import LineScores

__all__ = [
    "INSIDE_FACTOR",
    "LONG_LINE_FACTOR",
    "LONG_LINE_WORDS",
    "MAIN_TEXT_SCORE",
    "MAIN_TEXT_WORDS",
    "SHORT_PAGE_LINES",
    "TRAILING_LINES",
    "adaptive_note",
    "adaptive_notes",
    "line_thresholds",
    "line_thresholds_many",
]

MAIN_TEXT_SCORE = 0.8
"""Content score at or above which a long line anchors the main-text block."""

MAIN_TEXT_WORDS = 12
"""Words a line needs to anchor the main-text block."""

INSIDE_FACTOR = 0.25
"""Inside the main-text block the threshold is the mode's threshold times this."""

TRAILING_LINES = 2
"""The block extends to the last of this many non-blank lines past its last anchor that ends a sentence
(before 2026.11.4 over both lines, whatever they were: the lines after the last paragraph are more often a
newsletter box or a teaser's heading than text)."""

SHORT_PAGE_LINES = 10
"""A page with fewer non-blank lines gets the lenient cut everywhere (no menus or footers to tell apart)."""

LONG_LINE_WORDS = 20
"""Outside the block, a line of at least this many words gets the lower cut ``threshold * LONG_LINE_FACTOR``."""

LONG_LINE_FACTOR = 0.5
"""Outside the block, the threshold of a long line is the mode's threshold times this."""

_LOG_WORDS = BASE_FEATURES.index("log-words")
_ENDINGS = [BASE_FEATURES.index("ends-sentence"), BASE_FEATURES.index("ends-closing-quote")]


def line_thresholds(scores: LineScores, threshold: float) -> npt.NDArray[np.float64]:
    """Per non-blank line, the content score under which it is chrome.

    Examples:
        >>> from textclean._line_model import MODEL_FEATURES
        >>> features = np.zeros((10, 63))
        >>> features[:, _LOG_WORDS] = np.log1p([3, 3, 3, 30, 2, 30, 3, 25, 3, 3])
        >>> scores = LineScores(np.array([0.1] * 3 + [0.9, 0.1, 0.9] + [0.1] * 4), features, features, MODEL_FEATURES)
        >>> line_thresholds(scores, 0.4).round(3).tolist()
        [0.4, 0.4, 0.4, 0.1, 0.1, 0.1, 0.4, 0.2, 0.4, 0.4]
        >>> features[7, _ENDINGS[0]] = 1.0  # the second line after the last anchor ends a sentence: the block grows
        >>> line_thresholds(scores, 0.4).round(3).tolist()
        [0.4, 0.4, 0.4, 0.1, 0.1, 0.1, 0.1, 0.1, 0.4, 0.4]
        >>> line_thresholds(LineScores(scores.content[:6], features[:6], features[:6], MODEL_FEATURES), 0.4).tolist()
        [0.1, 0.1, 0.1, 0.1, 0.1, 0.1]
    """
    content = scores.content
    words = np.expm1(scores.features[:, _LOG_WORDS])
    anchors = np.flatnonzero((content >= MAIN_TEXT_SCORE) & (words >= MAIN_TEXT_WORDS - 0.5))
    lenient = threshold * INSIDE_FACTOR
    if len(anchors) == 0 or len(content) < SHORT_PAGE_LINES:
        return np.full(len(content), lenient)
    cuts = np.where(words >= LONG_LINE_WORDS - 0.5, threshold * LONG_LINE_FACTOR, threshold)
    after = np.flatnonzero(scores.features[anchors[-1] + 1 : anchors[-1] + 1 + TRAILING_LINES][:, _ENDINGS].any(axis=1))
    cuts[anchors[0] : anchors[-1] + 1 + (int(after[-1]) + 1 if len(after) else 0)] = lenient
    return cuts


def line_thresholds_many(pages: Sequence[LineScores], threshold: float) -> list[npt.NDArray[np.float64]]:
    """:func:`line_thresholds` of each page, computed for all of them at once (each page's block is its own).

    Examples:
        >>> from textclean._line_model import MODEL_FEATURES
        >>> features = np.zeros((10, 63))
        >>> features[:, _LOG_WORDS] = np.log1p([3, 3, 3, 30, 2, 30, 3, 25, 3, 3])
        >>> page = LineScores(np.array([0.1] * 3 + [0.9, 0.1, 0.9] + [0.1] * 4), features, features, MODEL_FEATURES)
        >>> short = LineScores(page.content[:6], features[:6], features[:6], MODEL_FEATURES)
        >>> [cuts.round(3).tolist() for cuts in line_thresholds_many([page, short], 0.4)]
        [[0.4, 0.4, 0.4, 0.1, 0.1, 0.1, 0.4, 0.2, 0.4, 0.4], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1]]
    """
    if not pages:
        return []
    sizes = np.fromiter((len(page.content) for page in pages), dtype=np.intp, count=len(pages))
    ends = np.cumsum(sizes)
    starts = ends - sizes
    content = np.concatenate([page.content for page in pages])
    features = np.concatenate([page.features for page in pages])
    words = np.expm1(features[:, _LOG_WORDS])
    anchors = np.flatnonzero((content >= MAIN_TEXT_SCORE) & (words >= MAIN_TEXT_WORDS - 0.5))
    page_of = np.repeat(np.arange(len(pages)), sizes)
    first = np.full(len(pages), len(content), dtype=np.intp)  # each page's first and last anchor (global rows)
    last = np.full(len(pages), -1, dtype=np.intp)
    np.minimum.at(first, page_of[anchors], anchors)
    np.maximum.at(last, page_of[anchors], anchors)
    anchored = (last >= 0) & (sizes >= SHORT_PAGE_LINES)
    endings = np.any(features[:, _ENDINGS], axis=1)
    grown = np.zeros(len(pages), dtype=np.intp)  # the block's lines past the last anchor: the last that ends well
    for past in range(TRAILING_LINES, 0, -1):
        row = last + past
        ends_well = anchored & (grown == 0) & (row < ends)
        ends_well[ends_well] = endings[row[ends_well]]
        grown[ends_well] = past
    lenient = threshold * INSIDE_FACTOR
    cuts = np.where(words >= LONG_LINE_WORDS - 0.5, threshold * LONG_LINE_FACTOR, threshold)
    # lenient from each block's first line to its end (a page without a block: all of it), by a running count
    low = np.where(anchored, first, starts)
    high = np.where(anchored, last + 1 + grown, ends)
    inside = np.zeros(len(content) + 1, dtype=np.intp)
    np.add.at(inside, low, 1)
    np.add.at(inside, high, -1)
    cuts[np.cumsum(inside[:-1]) > 0] = lenient
    return np.split(cuts, ends[:-1].tolist())


def adaptive_note(score: float, cut: float, threshold: float) -> str:
    """Evidence suffix for a removal that only the stricter cut outside the main-text block made.

    Args:
        score: the line's content score.
        cut: the line's threshold (from :func:`line_thresholds`).
        threshold: the mode's threshold.

    Examples:
        >>> adaptive_note(0.15, 0.4, 0.4)
        '; outside the main-text block (adaptive threshold 0.40 there, 0.10 inside)'
        >>> adaptive_note(0.01, 0.4, 0.4)
        ''
    """
    lenient = threshold * INSIDE_FACTOR
    if score < lenient:
        return ""
    return f"; outside the main-text block (adaptive threshold {cut:.2f} there, {lenient:.2f} inside)"


def adaptive_notes(
    scores: npt.NDArray[np.float64], cuts: npt.NDArray[np.float64], threshold: float
) -> list[str]:
    """:func:`adaptive_note` of each line (score and cut), for a page's model removals at once.

    Examples:
        >>> adaptive_notes(np.array([0.01, 0.15]), np.array([0.4, 0.4]), 0.4) == [
        ...     adaptive_note(0.01, 0.4, 0.4), adaptive_note(0.15, 0.4, 0.4)]
        True
    """
    lenient = threshold * INSIDE_FACTOR
    return [
        adaptive_note(score, cut, threshold) if score >= lenient else ""
        for score, cut in zip(scores.tolist(), cuts.tolist(), strict=True)
    ]
