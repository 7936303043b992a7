"""Train the line model (``textclean/data/line_model.json``) from gold pages, and cross-validate it.

    python benchmarks/train_line_model.py --gold ../shared/data/boilerplate-dev.jsonl.gz \\
        --gold ../shared/data/snippets-dev.jsonl.gz --folds 5 --write

The gold data is read from the paths given and never copied: only the fitted weights (means,
scales, coefficients: a few hundred numbers) and a provenance note are written.

Line labels: a line of the scraped page is content when its token sequence occurs in the gold
text (lines of 1–3 tokens must equal a gold line); long lines that do not occur verbatim count as
content when half of their token trigrams do. Snippet pages label only the lines that contain a
``gold_with`` (content) or ``gold_without`` (chrome) snippet. Lines that a pattern rule or the
comment detector already removes are not trained on (they still shape their neighbours' features).
The model is a two-pass L2 logistic regression fitted by Newton's method, each line weighted by
its word count (the metric counts words).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import hashlib
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from quality import read_jsonl, score

import textclean
from textclean import CleanConfig, Cleaner
from textclean._classify import RULESET_VERSION, CompiledRules, compile_rules, rule_pass
from textclean._line_model import (
    MODEL_FEATURES,
    LineModel,
    line_model_from_dict,
    smooth_features,
)
from textclean._normalize import normalize_line

WORD = re.compile(r"\w+")
L2 = 1.0
MODEL_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "textclean", "data",
                          "line_model.json")
DEFAULT_THRESHOLDS = {"conservative": 0.1, "balanced": 0.45, "aggressive": 0.7}
"""Content-score thresholds per mode *outside* a page's main-text block (inside it, times
``textclean._adaptive.INSIDE_FACTOR``; for lines of 20+ words outside it, times ``LONG_LINE_FACTOR``), tuned by
cross-validation on the dev gold (docs/quality.md): balanced is the default (word F1 >= 0.92 with recall >= 0.94,
snippets >= 0.87), aggressive the F1-best, conservative the recall-leaning one (word recall >= 0.95)."""
LINE_WEIGHT = "words"
"""Training weight of a line: its word count (the metric counts words; was its square root before 2026.11.3)."""


def _token_string(text: str) -> str:
    return " " + " ".join(WORD.findall(text.lower())) + " "


def label_lines(lines: Sequence[str], record: dict[str, Any]) -> list[float | None]:
    """Per line: 1.0 content, 0.0 chrome, ``None`` unknown (blank, or unlabeled snippet-page lines)."""
    if "gold_text" not in record:
        return _snippet_labels(lines, record)
    gold = _token_string(record["gold_text"])
    gold_lines = {_token_string(line) for line in record["gold_text"].splitlines()}
    gold_trigrams = _trigrams(gold.split())
    labels: list[float | None] = []
    for line in lines:
        toks = _token_string(line)
        count = len(toks.split())
        if count == 0:
            labels.append(None)
        elif count < 4:
            labels.append(float(toks in gold_lines or (count > 1 and toks in gold)))
        elif toks in gold:
            labels.append(1.0)
        else:
            grams = _trigrams(toks.split())
            labels.append(float(len(grams & gold_trigrams) >= 0.5 * max(len(grams), 1)))
    return labels


def _trigrams(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + 3]) for i in range(max(len(words) - 2, 0))}


def _snippet_labels(lines: Sequence[str], record: dict[str, Any]) -> list[float | None]:
    def space(text: str) -> str:
        return re.sub(r"\s+", " ", text).strip()

    with_ = [space(s) for s in record["gold_with"] if s.strip()]
    without = [space(s) for s in record["gold_without"] if s.strip()]
    labels: list[float | None] = []
    for line in lines:
        text = space(line)
        if text and any(s in text for s in with_):
            labels.append(1.0)
        elif text and any(s in text for s in without):
            labels.append(0.0)
        else:
            labels.append(None)
    return labels


@dataclasses.dataclass
class Page:
    """One page's training rows."""

    id: str
    features: np.ndarray
    labels: np.ndarray  # nan: not trained on
    weights: np.ndarray


def build_pages(records: Sequence[dict[str, Any]], rules: CompiledRules) -> list[Page]:
    """Features and labels of every page."""
    pages = []
    for record in records:
        lines = [normalize_line(line) for line in record["scraped_text"].splitlines()]
        verdicts, features, index, words = rule_pass(lines, rules)
        labels = label_lines(lines, record)
        y = np.array([np.nan if labels[i] is None or not verdicts[i].keep else labels[i] for i in index])
        pages.append(Page(record["id"], features, y, np.maximum(words, 1.0)))
    return pages


def fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> dict[str, Any]:
    """L2 logistic regression on standardised columns (Newton's method); returns the layer's JSON form."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    mean[0], scale[0] = 0.0, 1.0  # the bias column
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    beta = np.zeros(z.shape[1])
    penalty = L2 * np.eye(z.shape[1])
    penalty[0, 0] = 0.0
    for _ in range(25):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ beta, -30, 30)))
        gradient = z.T @ (w * (p - y)) + penalty @ beta
        hessian = (z * (w * p * (1 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    return {"mean": mean.tolist(), "scale": scale.tolist(), "weights": beta.tolist(), "bias": 0.0}


def train(pages: Sequence[Page]) -> dict[str, Any]:
    """Fit both passes; return the model's JSON form (without provenance)."""
    x = np.vstack([p.features for p in pages])
    y = np.concatenate([p.labels for p in pages])
    w = np.concatenate([p.weights for p in pages])
    known = ~np.isnan(y)
    first = fit_logistic(x[known], y[known], w[known])
    layer = line_model_from_dict(_model_json(first, first)).first
    stacked = [np.hstack([p.features, smooth_features(layer.contributions(p.features).sum(axis=1))]) for p in pages]
    second = fit_logistic(np.vstack(stacked)[known], y[known], w[known])
    return _model_json(first, second)


def _model_json(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    n_first = len(MODEL_FEATURES) - 8
    trimmed = {k: (v[:n_first] if isinstance(v, list) else v) for k, v in first.items()}
    padded = second if len(second["weights"]) == len(MODEL_FEATURES) else {
        k: (v + [0.0] * 8 if isinstance(v, list) else v) for k, v in second.items()}
    return {"version": "2", "features": list(MODEL_FEATURES), "first": trimmed, "second": padded,
            "thresholds": dict(DEFAULT_THRESHOLDS)}


def fold_of(page_id: str, folds: int) -> int:
    """A page's fold, from a hash of its id (stable across runs)."""
    return int(hashlib.sha256(str(page_id).encode()).hexdigest(), 16) % folds


def cleaner_with(model: LineModel, mode: str) -> Cleaner:
    """The default one-pass cleaner, with another line model (the shipped one is never loaded: after a feature
    change it no longer fits)."""
    cleaner = Cleaner(CleanConfig(mode=mode, disabled_rules=frozenset({"B510"})))  # type: ignore[arg-type]
    cleaner.rules = dataclasses.replace(cleaner.rules, model=model, threshold=model.thresholds[mode],
                                        disabled=cleaner.rules.disabled - {"B510"})
    return cleaner


def cross_validated_predictions(
    records: Sequence[dict[str, Any]], folds: int, mode: str, extra: Sequence[dict[str, Any]] = ()
) -> dict[str, str]:
    """Clean each page with a model trained on the other folds only (``extra`` pages always train)."""
    return cross_validated_by_mode(records, folds, (mode,), extra)[mode]


def cross_validated_by_mode(
    records: Sequence[dict[str, Any]],
    folds: int,
    modes: Sequence[str],
    extra: Sequence[dict[str, Any]] = (),
    *,
    by_source: bool = False,
) -> dict[str, dict[str, str]]:
    """Per mode, each page cleaned with a model trained on the other folds (and ``extra``) only.

    With ``by_source`` the folds are the records' ``source_dataset`` (leave one source out): each source's
    pages are cleaned by a model that never saw a page of that source, the closest the development data
    comes to a source it has never seen.
    """
    rules = compile_rules(CleanConfig(disabled_rules=frozenset({"B510"})))
    pages = build_pages(records, rules)
    extra_pages = build_pages(extra, rules)
    if by_source:
        sources = sorted({str(r.get("source_dataset")) for r in records})
        group = {r["id"]: sources.index(str(r.get("source_dataset"))) for r in records}
        folds = len(sources)

        def fold(page_id: str) -> int:
            return group[page_id]
    else:

        def fold(page_id: str) -> int:
            return fold_of(page_id, folds)

    predictions: dict[str, dict[str, str]] = {mode: {} for mode in modes}
    for held_out in range(folds):
        training = [p for p in pages if fold(p.id) != held_out] + extra_pages
        model = line_model_from_dict(train(training))
        for mode in modes:
            cleaner = cleaner_with(model, mode)
            for record in records:
                if fold(record["id"]) == held_out:
                    predictions[mode][record["id"]] = cleaner.clean(record["scraped_text"]).text
    return predictions


def main(argv: list[str] | None = None) -> None:
    """Cross-validate on the gold files, then (with --write) fit on all of them and write the model."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", action="append", required=True, help="gold JSONL(.gz); repeat for several")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (0: skip)")
    parser.add_argument("--mode", default="balanced", choices=tuple(DEFAULT_THRESHOLDS))
    parser.add_argument("--write", action="store_true", help=f"write the model trained on all pages to {MODEL_PATH}")
    args = parser.parse_args(argv)
    sets = {path: list(read_jsonl(path)) for path in args.gold}
    report: dict[str, Any] = {}
    if args.folds:
        for path, records in sets.items():
            others = [r for p, rs in sets.items() if p != path for r in rs]
            predictions = cross_validated_predictions(records, args.folds, args.mode, others)
            report[os.path.basename(path)] = score(records, predictions)
    print(json.dumps(report, indent=1))
    if args.write:
        rules = compile_rules(CleanConfig(disabled_rules=frozenset({"B510"})))
        model = train(build_pages([r for records in sets.values() for r in records], rules))
        model["provenance"] = {
            "trained": datetime.date.today().isoformat(),
            "script": "benchmarks/train_line_model.py",
            "textclean_version": textclean.__version__,
            "ruleset": RULESET_VERSION,
            "data": {os.path.basename(p): len(rs) for p, rs in sets.items()},
            "fold_scheme": f"{args.folds} folds by sha256(page id) mod {args.folds}; the other gold files always train",
            "thresholds_mode": args.mode,
            "feature_list": list(MODEL_FEATURES),
            "cross_validation": report,
            "note": "weights only; no text from the training pages is stored",
            "training": {"l2": L2, "line_weight": LINE_WEIGHT, "passes": 2, "solver": "newton",
                         "labels": "gold-text token match (boilerplate); gold_with/gold_without snippets"},
            "thresholds_note": "per mode, the cut outside the main-text block; inside it the cut is times "
                               "textclean._adaptive.INSIDE_FACTOR, for lines of LONG_LINE_WORDS+ words outside it "
                               "times LONG_LINE_FACTOR (per-page adaptive threshold)",
        }
        os.makedirs(os.path.dirname(MODEL_PATH), exist_ok=True)
        with open(MODEL_PATH, "w", encoding="utf-8") as handle:
            json.dump(model, handle, indent=1)
            handle.write("\n")


if __name__ == "__main__":
    main()
