"""Where chrome removal goes wrong: per source and per rule, chrome removed vs gold content eaten.

    python benchmarks/error_analysis.py --gold ../shared/data/boilerplate-dev.jsonl.gz [--mode balanced] [--top 15]

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
from train_line_model import label_lines

from textclean import CleanConfig, Cleaner

WORD = re.compile(r"\w+")


def analyse(records: list[dict[str, Any]], mode: str, top: int) -> dict[str, Any]:
    """The per-rule and per-source error report."""
    cleaner = Cleaner(CleanConfig(mode=mode))  # type: ignore[arg-type]
    by_code: dict[str, Counter[str]] = defaultdict(Counter)
    eaten: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    left_in: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    sources: dict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
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
    args = parser.parse_args(argv)
    records = list(read_jsonl(args.gold))[: args.limit]
    print(json.dumps(analyse(records, args.mode, args.top), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
