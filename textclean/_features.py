"""Line features for the line model: the line's shape, its neighbours and its place in the page.

Everything here is language-agnostic: lengths, punctuation (Unicode sentence marks and closing
quotes included), digits, capitals, separators, repetition and position. Long lines are measured
on their first :data:`HEAD_CHARS` characters (and counted with ``str.split``), so a 50 MB line
costs one linear pass.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import regex

__all__ = [
    "BASE_FEATURES",
    "CONTEXT_FEATURES",
    "HEAD_CHARS",
    "LEXICAL_FEATURES",
    "MODEL_FEATURES",
    "SMOOTH_FEATURES",
    "LineModel",
    "LineScores",
    "count_words",
    "document_features",
    "line_model_from_dict",
    "load_line_model",
    "smooth_features",
]

HEAD_CHARS = 2000
"""Ratios (digits, capitals, punctuation...) are measured on this many leading characters."""

_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
_SENTENCE_END = frozenset(".!?。！？…;；:")
_CLOSERS = "\"'”’»」』)]）›"
_BULLET = regex.compile(r"^(?:[-–—•*·▪►◦‣●○■□]|\d{1,3}[.)]|[a-z][.)])\s", regex.I)
_SEPARATORS = regex.compile(r"\s[|·•»›/]\s|\s[|·•]|[|·•]\s")
_URL = regex.compile(r"https?://|www\.|\S@\S+\.\w{2,}|\.(?:com|org|net|html?)\b", regex.I)
_BYLINE = regex.compile(
    r"^(?i:by|von|par|por|di|door|автор|av|af|texte?:?)\s+\p{Lu}"
)
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


def document_features(
    lines: Sequence[str],
    rule_hits: Sequence[bool],
    comment_lines: Sequence[bool],
    tokens: Sequence[list[str]] | None = None,
) -> tuple[npt.NDArray[np.float64], list[int], npt.NDArray[np.float64]]:
    """Base, context and lexical features of a document's non-blank lines.

    Args:
        lines: the document's lines (blank ones included).
        rule_hits: per line, whether a pattern rule removed it.
        comment_lines: per line, whether it lies in a detected comment section.
        tokens: per line, its lowercased words (:func:`~textclean._paragraphs.lowercase_words`), when the
            caller has them already; computed here otherwise (lines over HEAD_CHARS are re-read up to it).

    Returns:
        The feature matrix (one row per non-blank line, BASE_FEATURES, CONTEXT_FEATURES, then
        LEXICAL_FEATURES), the indexes of those lines in ``lines``, and their word counts.
    """
    from textclean._lexical import lexical_features  # numpy-heavy: loaded with the first document
    from textclean._lineshape import shape_matrix

    everything = list(map(str.strip, lines))
    nonblank = np.fromiter(map(bool, everything), dtype=bool, count=len(everything))
    rows = np.flatnonzero(nonblank)
    index: list[int] = rows.tolist()
    stripped = [everything[i] for i in index]
    shaped = shape_matrix(stripped) if stripped else None
    if shaped is None:  # no lines, or a line holding "\n": measure line by line
        words = np.array([count_words(line) for line in stripped], dtype=np.float64)
        shape = np.array([_shape(line, int(w)) for line, w in zip(stripped, words, strict=True)], dtype=np.float64)
    else:
        shape, words = shaped
    keys = [line.lower() if len(line) <= 500 else line for line in stripped]
    repeats = Counter(keys)
    base = np.column_stack(
        [
            np.ones(len(index)),
            shape.reshape(len(index), len(BASE_FEATURES) - 4),
            np.fromiter(map(math.log, map(repeats.__getitem__, keys)), dtype=np.float64, count=len(keys)),
            np.asarray(rule_hits, dtype=np.float64).reshape(len(lines))[rows],
            np.asarray(comment_lines, dtype=np.float64).reshape(len(lines))[rows],
        ]
    )
    context = _context(words, base[:, BASE_FEATURES.index("ends-sentence")], rows, ~nonblank)
    return np.hstack([base, context, lexical_features(_head_tokens(stripped, index, tokens), words)]), index, words


def _head_tokens(stripped: Sequence[str], index: Sequence[int], tokens: Sequence[list[str]] | None) -> list[list[str]]:
    """Each line's lowercased words, of its first HEAD_CHARS characters (the caller's tokens where they are those)."""
    from textclean._paragraphs import lowercase_words

    if tokens is None:
        return [lowercase_words(line[:HEAD_CHARS]) for line in stripped]
    heads = [tokens[i] for i in index]
    lengths = np.fromiter(map(len, stripped), dtype=np.intp, count=len(stripped))
    for row in np.flatnonzero(lengths > HEAD_CHARS).tolist():  # a 50 MB line is re-read up to HEAD_CHARS only
        heads[row] = lowercase_words(stripped[row][:HEAD_CHARS])
    return heads


def _window_mean(values: npt.NDArray[np.float64], radius: int) -> npt.NDArray[np.float64]:
    padded = np.concatenate([np.zeros(radius), values, np.zeros(radius)])
    sums = np.convolve(padded, np.ones(2 * radius + 1), mode="valid")
    counts = np.convolve(
        np.concatenate([np.zeros(radius), np.ones(len(values)), np.zeros(radius)]),
        np.ones(2 * radius + 1),
        mode="valid",
    )
    result: npt.NDArray[np.float64] = sums / np.maximum(counts, 1.0)
    return result


def _distance_to_flag(flags: npt.NDArray[np.bool_], reverse: bool) -> npt.NDArray[np.float64]:
    """Distance (in lines) to the nearest flagged line before (or after) each line; n+1 when none."""
    n = len(flags)
    at = np.arange(n)
    if reverse:
        following = np.minimum.accumulate(np.where(flags, at, n)[::-1])[::-1]  # first flagged line >= i
        nearest = np.append(following[1:], n)
        return np.where(nearest < n, nearest - at, n + 1).astype(np.float64)
    preceding = np.maximum.accumulate(np.where(flags, at, -1))  # last flagged line <= i
    nearest = np.insert(preceding[:-1], 0, -1)
    return np.where(nearest >= 0, at - nearest, n + 1).astype(np.float64)


def _short_runs(short: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """For each line, the length of the run of consecutive short lines it belongs to (0 if not short)."""
    edges = np.flatnonzero(np.diff(np.concatenate([[False], short, [False]]).astype(np.int8)))
    lengths = edges[1::2] - edges[::2]
    out = np.zeros(len(short), dtype=np.float64)
    out[short] = np.repeat(lengths, lengths)
    return out


def _context(
    words: npt.NDArray[np.float64],
    ends: npt.NDArray[np.float64],
    index: npt.NDArray[np.intp],
    blank: npt.NDArray[np.bool_],
) -> npt.NDArray[np.float64]:
    n = len(words)
    if n == 0:
        return np.zeros((0, len(CONTEXT_FEATURES)))
    logw = np.log1p(words)
    total = max(words.sum(), 1.0)
    before = (np.cumsum(words) - words) / total
    long_lines = words >= 15
    long_before: npt.NDArray[np.float64] = (np.cumsum(long_lines) - long_lines).astype(np.float64)
    long_total = max(int(long_lines.sum()), 1)
    shifted = np.concatenate([[0.0], logw[:-1]]), np.concatenate([logw[1:], [0.0]])
    short = (words < 6) & (ends < 1)
    padded = np.concatenate([[False], blank, [False]])
    columns = [
        np.arange(n) / max(n - 1, 1),
        before,
        1.0 - before - words / total,
        shifted[0],
        shifted[1],
        np.concatenate([[0.0], ends[:-1]]),
        np.concatenate([ends[1:], [0.0]]),
        _window_mean(logw, 2),
        _window_mean(logw, 5),
        np.log1p(_distance_to_flag(long_lines, reverse=False)),
        np.log1p(_distance_to_flag(long_lines, reverse=True)),
        long_before / long_total,
        (long_total - long_before - long_lines) / long_total if long_lines.any() else np.zeros(n),
        np.log1p(_short_runs(short)),
        padded[index].astype(np.float64),  # blank line before
        padded[index + 2].astype(np.float64),  # blank line after
        (np.arange(n) == 0).astype(np.float64),
        (np.arange(n) == n - 1).astype(np.float64),
    ]
    return np.column_stack(columns)


SMOOTH_FEATURES: tuple[str, ...] = (
    "first-pass-logit",
    "previous-score",
    "next-score",
    "window2-score",
    "window5-score",
    "sandwiched-score",
    "score-before-max",
    "score-after-max",
)
"""Second-pass features: the first pass's content scores of the line's neighbours."""


def smooth_features(logits: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Neighbour-score features for the second pass, from the first pass's logits.

    Examples:
        >>> smooth_features(np.array([2.0, -1.0, 2.0])).shape
        (3, 8)
    """
    n = len(logits)
    score = 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
    previous = np.concatenate([[0.0], score[:-1]])
    following = np.concatenate([score[1:], [0.0]])
    padded = np.concatenate([np.zeros(3), score, np.zeros(3)])
    before_max = np.maximum(np.maximum(padded[2 : n + 2], padded[1 : n + 1]), np.maximum(padded[:n], 0.0))
    after_max = np.maximum(np.maximum(padded[4 : n + 4], padded[5 : n + 5]), np.maximum(padded[6 : n + 6], 0.0))
    return np.column_stack(
        [
            np.clip(logits, -10, 10),
            previous,
            following,
            _window_mean(score, 2),
            _window_mean(score, 5),
            np.minimum(before_max, after_max),
            before_max,
            after_max,
        ]
    ).reshape(n, len(SMOOTH_FEATURES))


@dataclass(frozen=True)
class LineScores:
    """The line model's view of a document's non-blank lines.

    Attributes:
        content: per line, the probability that it is content.
        features: the first-pass feature matrix (BASE_FEATURES, CONTEXT_FEATURES, LEXICAL_FEATURES).
        contributions: per line and second-pass feature, its standardised contribution to the logit.
        names: the second-pass feature names.
    """

    content: npt.NDArray[np.float64]
    features: npt.NDArray[np.float64]
    contributions: npt.NDArray[np.float64]
    names: tuple[str, ...]


@dataclass(frozen=True)
class _Layer:
    mean: npt.NDArray[np.float64]
    scale: npt.NDArray[np.float64]
    weights: npt.NDArray[np.float64]
    bias: float

    def contributions(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        result: npt.NDArray[np.float64] = (x - self.mean) / self.scale * self.weights
        return result


@dataclass(frozen=True)
class LineModel:
    """A two-pass logistic line model: line and context features, then the neighbours' first-pass scores.

    Attributes:
        first: the first pass over BASE_FEATURES + CONTEXT_FEATURES + LEXICAL_FEATURES.
        second: the second pass over those plus SMOOTH_FEATURES.
        thresholds: per mode, the content score under which a line is chrome.
        version: the model file's version.
    """

    first: _Layer
    second: _Layer
    thresholds: dict[str, float]
    version: str

    def score(self, features: npt.NDArray[np.float64]) -> LineScores:
        """Score a document's feature matrix (from :func:`document_features`)."""
        first = self.first.contributions(features).sum(axis=1) + self.first.bias
        full = np.hstack([features, smooth_features(first)])
        contributions = self.second.contributions(full)
        logits = contributions.sum(axis=1) + self.second.bias
        content = 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
        return LineScores(content, features, contributions, MODEL_FEATURES)


MODEL_FEATURES: tuple[str, ...] = BASE_FEATURES + CONTEXT_FEATURES + LEXICAL_FEATURES + SMOOTH_FEATURES
"""The second pass's feature names, in column order."""

MODEL_FILE = "line_model.json"


def _layer(data: dict[str, Any]) -> _Layer:
    return _Layer(
        mean=np.asarray(data["mean"], dtype=np.float64),
        scale=np.asarray(data["scale"], dtype=np.float64),
        weights=np.asarray(data["weights"], dtype=np.float64),
        bias=float(data["bias"]),
    )


def line_model_from_dict(data: dict[str, Any]) -> LineModel:
    """Build a model from its JSON form (the file ``textclean/data/line_model.json``)."""
    if tuple(data["features"]) != MODEL_FEATURES:
        raise ValueError("the line model was trained on other features: retrain it (benchmarks/train_line_model.py)")
    return LineModel(_layer(data["first"]), _layer(data["second"]), dict(data["thresholds"]), str(data["version"]))


@functools.lru_cache(maxsize=1)
def load_line_model() -> LineModel | None:
    """The shipped line model, or ``None`` when the package carries none."""
    resource = importlib.resources.files("textclean") / "data" / MODEL_FILE
    if not resource.is_file():
        return None
    data: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    return line_model_from_dict(data)
