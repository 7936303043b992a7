"""The line model: a two-pass logistic model over a document's line features, and its data file.

The first pass scores each line from its own features (:mod:`textclean._features`); the second adds
its neighbours' first-pass scores (:data:`SMOOTH_FEATURES`). The weights ship as
``textclean/data/line_model.json``, trained by ``benchmarks/train_line_model.py`` (with its provenance).
"""

from __future__ import annotations

import functools
import json
import pkgutil
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from textclean._features import BASE_FEATURES, CONTEXT_FEATURES, LEXICAL_FEATURES
from textclean._features_context import window_means

__all__ = [
    "MODEL_FEATURES",
    "MODEL_FILE",
    "SMOOTH_FEATURES",
    "LineModel",
    "LineScores",
    "line_model_from_dict",
    "load_line_model",
    "smooth_features",
]


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
    out = np.empty((len(logits), len(SMOOTH_FEATURES)))
    _smooth_many(logits, [len(logits)], out)
    return out


def _smooth_many(logits: npt.NDArray[np.float64], sizes: Sequence[int], out: npt.NDArray[np.float64]) -> None:
    """Fill ``out`` (one row per line, SMOOTH_FEATURES columns) from the first pass's logits of several
    documents end to end (``sizes`` lines each), in one pass.

    Each document's lines sit between zeros of their own in the padded arrays, as they do alone, so every
    neighbour and window sees the same values in the same order (bit-identical to one document at a time).
    """
    n = len(logits)
    score = 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
    document = np.repeat(np.arange(len(sizes)), sizes)
    at = np.arange(n) + 3 + 6 * document  # each line's place in the padded array: 3 zeros either side
    padded = np.zeros(n + 6 * len(sizes))
    padded[at] = score
    before_max = np.maximum(np.maximum(padded[at - 1], padded[at - 2]), np.maximum(padded[at - 3], 0.0))
    after_max = np.maximum(np.maximum(padded[at + 1], padded[at + 2]), np.maximum(padded[at + 3], 0.0))
    out[:, 0] = np.clip(logits, -10, 10)
    out[:, 1] = padded[at - 1]  # the previous line's score
    out[:, 2] = padded[at + 1]  # the next line's
    out[:, 3] = window_means(score, sizes, 2)
    out[:, 4] = window_means(score, sizes, 5)
    out[:, 5] = np.minimum(before_max, after_max)
    out[:, 6] = before_max
    out[:, 7] = after_max


@dataclass(frozen=True)
class LineScores:
    """The line model's view of a document's non-blank lines.

    Attributes:
        content: per line, the probability that it is content.
        features: the first-pass feature matrix (BASE_FEATURES, CONTEXT_FEATURES, LEXICAL_FEATURES).
        contributions: per line and second-pass feature, its standardised contribution to the logit.
        names: the second-pass feature names.
        first: per line and first-pass feature, its contribution to the first pass's logit (the first
            columns of ``names``), so evidence can say what the ``first-pass-logit`` stands for.
    """

    content: npt.NDArray[np.float64]
    features: npt.NDArray[np.float64]
    contributions: npt.NDArray[np.float64]
    names: tuple[str, ...]
    first: npt.NDArray[np.float64] | None = None


@dataclass(frozen=True)
class _Layer:
    mean: npt.NDArray[np.float64]
    scale: npt.NDArray[np.float64]
    weights: npt.NDArray[np.float64]
    bias: float

    def contributions(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """``(x - mean) / scale * weights``, the same operations in the same order, in one array: each temporary
        of the plain expression is as large as ``x`` (half a megabyte for a run of 1024 lines), and allocating
        and faulting them in made it six times slower."""
        result: npt.NDArray[np.float64] = np.subtract(x, self.mean)
        np.divide(result, self.scale, out=result)
        np.multiply(result, self.weights, out=result)
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
        return self.score_many([features])[0]

    def score_many(
        self, documents: Sequence[npt.NDArray[np.float64]], *, stacked: npt.NDArray[np.float64] | None = None
    ) -> list[LineScores]:
        """Score several documents' feature matrices at once: the same scores as :meth:`score` of each.

        The layers run over all the documents' lines together; the neighbour features never cross from
        one document to the next (:func:`_smooth_many`). ``stacked``: the matrices already stacked in one
        array (``numpy.concatenate(documents)``), when the caller built them so.
        """
        if not documents:
            return []
        sizes = [len(features) for features in documents]
        if stacked is None:
            stacked = np.concatenate(documents) if len(documents) > 1 else documents[0]
        elif len(stacked) != sum(sizes):
            raise ValueError("score_many: the stacked matrix does not hold the documents' rows")
        first_contributions = self.first.contributions(stacked)
        first = first_contributions.sum(axis=1) + self.first.bias
        width = stacked.shape[1]
        full = np.empty((len(stacked), width + len(SMOOTH_FEATURES)))
        full[:, :width] = stacked
        _smooth_many(first, sizes, full[:, width:])
        contributions = self.second.contributions(full)
        logits = contributions.sum(axis=1) + self.second.bias
        content = 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
        scores = []
        at = 0
        for features, size in zip(documents, sizes, strict=True):
            rows = slice(at, at + size)
            at += size
            scores.append(
                LineScores(content[rows], features, contributions[rows], MODEL_FEATURES, first_contributions[rows])
            )
        return scores


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
    # read through the package's loader (a zip import too), not importlib.resources, whose import alone (zipfile
    # and its readers) costs ~10 ms of every process's start
    try:
        raw = pkgutil.get_data("textclean", f"data/{MODEL_FILE}")
    except FileNotFoundError:
        return None
    if raw is None:
        return None
    data: dict[str, Any] = json.loads(raw.decode("utf-8"))
    return line_model_from_dict(data)
