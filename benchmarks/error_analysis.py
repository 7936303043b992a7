"""Where chrome removal goes wrong: per source and per rule, chrome removed vs gold content eaten.

    python benchmarks/error_analysis.py --gold ../shared/data/boilerplate-dev.jsonl.gz \\
        --train ../shared/data/snippets-dev.jsonl.gz --folds 5 [--mode balanced] [--top 15]

With ``--folds K`` each page is classified by a line model trained on the other folds (plus the
``--train`` files), as in the cross-validated figures; without it, by the shipped model (which has
seen these pages: optimistic).

Lines are labelled against the gold as in ``train_line_model.label_lines`` (a line is content when
its tokens occur in the gold text). For every reason code the report gives the words of chrome it
removed, the words of gold content it removed (with examples), and, per source, the largest chrome
lines left in. Snippet files are labelled by their snippets (other lines are not counted).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter, defaultdict
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from quality import read_jsonl
from train_line_model import build_pages, cleaner_with, fold_of, label_lines, train

from textclean import CleanConfig, Cleaner
from textclean._classify import compile_rules
from textclean._line_model import line_model_from_dict

WORD = re.compile(r"\w+")


def cleaners_by_fold(
    records: list[dict[str, Any]], extra: list[dict[str, Any]], folds: int, mode: str
) -> dict[int, Cleaner]:
    """One cleaner per fold, its line model trained on the other folds and the extra pages."""
    rules = compile_rules(CleanConfig(disabled_rules=frozenset({"B510"})))
    pages, extra_pages = build_pages(records, rules), build_pages(extra, rules)
    return {
        fold: cleaner_with(
            line_model_from_dict(train([p for p in pages if fold_of(p.id, folds) != fold] + extra_pages)), mode
        )
        for fold in range(folds)
    }


def analyse(
    records: list[dict[str, Any]], mode: str, top: int, folds: int = 0, extra: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The per-rule and per-source error report."""
    shipped = Cleaner(CleanConfig(mode=mode))  # type: ignore[arg-type]
    by_fold = cleaners_by_fold(records, extra or [], folds, mode) if folds else {}
    by_code: dict[str, Counter[str]] = defaultdict(Counter)
    eaten: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    left_in: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    sources: dict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        cleaner = by_fold[fold_of(record["id"], folds)] if folds else shipped
        classified = cleaner.classify(record["scraped_text"])
        labels = label_lines(classified.lines, record)
        source = record.get("source_dataset", "?")
        for line, verdict, label in zip(classified.lines, classified.verdicts, labels, strict=True):
            if label is None:
                continue
            words = len(WORD.findall(line))
            kind = "content" if label else "chrome"
            outcome = "kept" if verdict.keep else "removed"
            sources[source][f"{kind}-{outcome}"] += words
            if not verdict.keep:
                by_code[f"{verdict.code} {verdict.rule}"][f"{kind}-words"] += words
                if label:
                    eaten[f"{verdict.code} {verdict.rule}"].append((words, line[:160], record["id"]))
            elif not label:
                left_in[source].append((words, line[:160], record["id"]))
    return {
        "sources": {s: dict(c) for s, c in sorted(sources.items())},
        "rules": {
            code: {**dict(counts), "content-examples": [f"{w}w {text}" for w, text, _ in sorted(eaten[code])[-5:]]}
            for code, counts in sorted(by_code.items())
        },
        "largest-chrome-left-in": {
            source: [f"{w}w [{page}] {text}" for w, text, page in sorted(lines)[-top:]]
            for source, lines in sorted(left_in.items())
        },
    }


def main(argv: list[str] | None = None) -> None:
    """Print the error report as JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", required=True, help="gold JSONL(.gz)")
    parser.add_argument("--mode", default="balanced", choices=("conservative", "balanced", "aggressive"))
    parser.add_argument("--top", type=int, default=15, help="chrome lines left in to show per source")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--folds", type=int, default=0, help="cross-validate the line model over K folds by page")
    parser.add_argument("--train", action="append", default=[], help="gold files that always train (with --folds)")
    args = parser.parse_args(argv)
    records = list(read_jsonl(args.gold))[: args.limit]
    extra = [r for path in args.train for r in read_jsonl(path)]
    print(json.dumps(analyse(records, args.mode, args.top, args.folds, extra), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
