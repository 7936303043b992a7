"""Per-page adaptive thresholds for the line model.

A lenient cut inside the main text, the mode's cut outside.

A page's main-text block runs from its first to its last *confident content line* (a line of at least
:data:`MAIN_TEXT_WORDS` words whose content score is at least :data:`MAIN_TEXT_SCORE`), plus
:data:`TRAILING_LINES` lines after it. Inside the block a line is chrome only when its score is below
``threshold * INSIDE_FACTOR`` (short subheads, captions and one-line paragraphs between paragraphs are
content, as jusText's context rule has it); outside it, the mode's threshold applies (teaser lists, link
rows and footers before or after the article). A page with no confident content line gets the lenient cut
everywhere (nothing to tell the main text from).

Pure numpy over one document's score arrays; the constants were chosen by 5-fold cross-validation by page
on the development gold (docs/quality.md).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from textclean._features import BASE_FEATURES, LineScores

__all__ = [
    "INSIDE_FACTOR",
    "MAIN_TEXT_SCORE",
    "MAIN_TEXT_WORDS",
    "TRAILING_LINES",
    "adaptive_note",
    "adaptive_notes",
    "line_thresholds",
]

MAIN_TEXT_SCORE = 0.8
"""Content score at or above which a long line anchors the main-text block."""

MAIN_TEXT_WORDS = 12
"""Words a line needs to anchor the main-text block."""

INSIDE_FACTOR = 0.1
"""Inside the main-text block the threshold is the mode's threshold times this."""

TRAILING_LINES = 2
"""The block extends this many non-blank lines past its last anchor (a reporting credit, a dateline)."""

_LOG_WORDS = BASE_FEATURES.index("log-words")


def line_thresholds(scores: LineScores, threshold: float) -> npt.NDArray[np.float64]:
    """Per non-blank line, the content score under which it is chrome.

    Examples:
        >>> from textclean._features import MODEL_FEATURES
        >>> features = np.zeros((5, 60))
        >>> features[:, _LOG_WORDS] = np.log1p([3, 30, 2, 3, 3])
        >>> scores = LineScores(np.array([0.1, 0.9, 0.1, 0.1, 0.1]), features, features, MODEL_FEATURES)
        >>> line_thresholds(scores, 0.2).round(3).tolist()
        [0.2, 0.02, 0.02, 0.02, 0.2]
    """
    content = scores.content
    words = np.expm1(scores.features[:, _LOG_WORDS])
    anchors = np.flatnonzero((content >= MAIN_TEXT_SCORE) & (words >= MAIN_TEXT_WORDS - 0.5))
    lenient = threshold * INSIDE_FACTOR
    if len(anchors) == 0:
        return np.full(len(content), lenient)
    cuts = np.full(len(content), threshold)
    cuts[anchors[0] : anchors[-1] + 1 + TRAILING_LINES] = lenient
    return cuts


def adaptive_note(score: float, threshold: float) -> str:
    """Evidence suffix for a removal that only the stricter cut outside the main-text block made.

    Examples:
        >>> adaptive_note(0.15, 0.2)
        '; outside the main-text block (adaptive threshold 0.20 there, 0.02 inside)'
        >>> adaptive_note(0.01, 0.2)
        ''
    """
    lenient = threshold * INSIDE_FACTOR
    if score < lenient:
        return ""
    return f"; outside the main-text block (adaptive threshold {threshold:.2f} there, {lenient:.2f} inside)"


def adaptive_notes(scores: npt.NDArray[np.float64], threshold: float) -> list[str]:
    """:func:`adaptive_note` of each score (one comparison for all of them).

    Examples:
        >>> adaptive_notes(np.array([0.01, 0.15]), 0.2) == [adaptive_note(0.01, 0.2), adaptive_note(0.15, 0.2)]
        True
    """
    note = adaptive_note(threshold * INSIDE_FACTOR, threshold)  # the note for any score at or above the lenient cut
    return [note if outside else "" for outside in (~(scores < threshold * INSIDE_FACTOR)).tolist()]
