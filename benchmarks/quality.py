"""Chrome-removal quality: word-level P/R/F1 (or snippet P/R/F1) of textclean vs keep-all and jusText.

    python benchmarks/quality.py --gold ../shared/data/boilerplate-dev.jsonl.gz --with-justext
    python benchmarks/quality.py --gold ../shared/data/boilerplate-dev.jsonl.gz \\
        --train ../shared/data/snippets-dev.jsonl.gz --folds 5 --mode all --with-justext
    python benchmarks/quality.py --gold ../shared/data/snippets-dev.jsonl.gz --mode aggressive --out preds.jsonl

Metric (as in the shared scorer, re-implemented here): tokens are lowercased ``\\w+``; per page the
overlap is the sum of the minimum token counts; micro sums overlaps and lengths over pages, macro
averages per-page P/R/F1. Snippet files: a ``gold_with`` snippet found (whitespace-normalised
substring) in the output is a TP, a missing one a FN; a ``gold_without`` snippet found is a FP.
Records are cleaned from their id and text only (the url is never used).
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

WORD = re.compile(r"\w+")
Predictor = Callable[[str], str]


def read_jsonl(path: str) -> Iterator[dict[str, Any]]:
    """Yield the records of a JSONL file (gzip-compressed when the name ends in .gz)."""
    opener: Any = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def tokens(text: str) -> Counter[str]:
    """The bag of lowercased word tokens."""
    return Counter(WORD.findall((text or "").lower()))


def _normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class Tally:
    """Sums for one group of pages (adds with ``+`` so groups merge)."""

    def __init__(self) -> None:
        self.pages = 0
        self.counts = Counter[str]()
        self.macro = Counter[str]()

    def add_page(self, prediction: str, record: dict[str, Any]) -> None:
        """Score one page against its gold."""
        self.pages += 1
        if "gold_text" in record:
            pred, gold = tokens(prediction), tokens(record["gold_text"])
            overlap, n_pred, n_gold = sum((pred & gold).values()), sum(pred.values()), sum(gold.values())
            self.counts.update({"overlap": overlap, "pred": n_pred, "gold": n_gold})
            p, r, f = prf(overlap, n_pred, n_gold)
            self.macro.update({"p": p, "r": r, "f": f})
            return
        text = _normalise_space(prediction)
        found_with = sum(_normalise_space(s) in text for s in record["gold_with"])
        found_without = sum(_normalise_space(s) in text for s in record["gold_without"])
        self.counts.update(
            {
                "tp": found_with,
                "fn": len(record["gold_with"]) - found_with,
                "fp": found_without,
                "tn": len(record["gold_without"]) - found_without,
            }
        )

    def summary(self) -> dict[str, Any]:
        """P/R/F1 of the group (micro and macro for full gold; snippet P/R/F1 otherwise)."""
        c = self.counts
        if "overlap" in c or "pred" in c:
            p, r, f = prf(c["overlap"], c["pred"], c["gold"])
            n = max(self.pages, 1)
            return {
                "pages": self.pages,
                "micro": {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)},
                "macro": {k: round(self.macro[k] / n, 4) for k in ("p", "r", "f")},
            }
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"pages": self.pages, "snippets": {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}, **dict(c)}


def prf(overlap: float, n_pred: float, n_gold: float) -> tuple[float, float, float]:
    """Precision, recall and F1 with the shared scorer's conventions for empty pages."""
    if n_pred == 0 and n_gold == 0:
        return 1.0, 1.0, 1.0
    p = overlap / n_pred if n_pred else 0.0
    r = overlap / n_gold if n_gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(records: Iterable[dict[str, Any]], predictions: dict[str, str]) -> dict[str, Any]:
    """Per source_dataset and overall ("ALL") scores of the predictions."""
    groups: dict[str, Tally] = defaultdict(Tally)
    for record in records:
        prediction = predictions.get(record["id"], "")
        for key in (record.get("source_dataset", "?"), "ALL"):
            groups[key].add_page(prediction, record)
    return {key: groups[key].summary() for key in sorted(groups, key=lambda k: (k == "ALL", k))}


def textclean_predictor(mode: str) -> Predictor:
    """The default one-pass cleaner in the given mode."""
    from textclean import CleanConfig, Cleaner

    cleaner = Cleaner(CleanConfig(mode=mode))  # type: ignore[arg-type]
    return lambda text: cleaner.clean(text).text


def justext_predictor() -> Predictor:
    """jusText on the scraped lines (one <p> per line), with the stoplist that fits the page best."""
    import html

    import justext

    stoplists = {name: justext.get_stoplist(name) for name in
                 ("English", "German", "French", "Spanish", "Portuguese", "Italian", "Dutch", "Russian")}

    def predict(text: str) -> str:
        words = Counter(WORD.findall(text.lower()))
        language = max(stoplists, key=lambda name: sum(words[w] for w in stoplists[name]))
        page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
        paragraphs = justext.justext(page + "</body></html>", stoplists[language])
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return predict


def run(records: list[dict[str, Any]], predict: Predictor) -> tuple[dict[str, str], float]:
    """Predictions for every record, and the seconds they took."""
    start = time.perf_counter()
    predictions = {record["id"]: predict(record["scraped_text"]) for record in records}
    return predictions, time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    """Score textclean (and optionally keep-all and jusText) on a gold file; print JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_argument_group("Input")
    group.add_argument("--gold", required=True, help="gold JSONL(.gz): gold_text, or gold_with/gold_without")
    group.add_argument("--limit", type=int, default=None, help="score only the first N pages")
    group = parser.add_argument_group("Cleaner")
    group.add_argument("--mode", default="balanced", choices=("conservative", "balanced", "aggressive", "all"),
                       help="the preset to score ('all': the three, in one run)")
    group.add_argument("--folds", type=int, default=0,
                       help="score a freshly trained line model by K-fold cross-validation (pages never scored "
                            "by a model trained on them)")
    group.add_argument("--hold-out-source", action="store_true",
                       help="cross-validate by leaving one source out instead of --folds (each source's pages "
                            "scored by a model trained on the other sources only)")
    group.add_argument("--train", action="append", default=[],
                       help="with --folds: gold files whose pages always train (never scored)")
    group = parser.add_argument_group("Output")
    group.add_argument("--out", help="write textclean's predictions here (JSONL: id, cleaned_text)")
    group.add_argument("--with-justext", action="store_true", help="also score keep-all and jusText in this run")
    args = parser.parse_args(argv)

    records = list(read_jsonl(args.gold))[: args.limit]
    modes = ("conservative", "balanced", "aggressive") if args.mode == "all" else (args.mode,)
    started = time.perf_counter()
    if args.folds or args.hold_out_source:
        from train_line_model import cross_validated_by_mode  # benchmarks/ sibling

        extra = [r for path in args.train for r in read_jsonl(path)]
        by_mode = cross_validated_by_mode(records, args.folds, modes, extra, by_source=args.hold_out_source)
    else:
        by_mode = {mode: run(records, textclean_predictor(mode))[0] for mode in modes}
    seconds = time.perf_counter() - started
    predictions = by_mode[modes[-1]] if args.mode != "all" else by_mode["balanced"]
    result: dict[str, Any] = {
        "gold": args.gold,
        "train": args.train,
        "mode": args.mode,
        "folds": "one per source" if args.hold_out_source else args.folds,
        "machine": {"python": sys.version.split()[0], "platform": platform.platform()},
        "textclean": {"seconds": round(seconds, 2), "scores": score(records, predictions)},
        **{f"textclean-{mode}": {"scores": score(records, by_mode[mode])} for mode in modes if len(modes) > 1},
    }
    if args.with_justext:
        result["keep-all"] = {"scores": score(records, {r["id"]: r["scraped_text"] for r in records})}
        jt_predictions, jt_seconds = run(records, justext_predictor())
        result["justext"] = {"seconds": round(jt_seconds, 2), "scores": score(records, jt_predictions)}
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            for key, text in predictions.items():
                handle.write(json.dumps({"id": key, "cleaned_text": text}, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
