"""Where a ``textclean clean`` run spends its time, stage by stage, against the speed floor's budget.

The core's speed floor asks one worker for 6x jusText and 2x ``ftfy.fix_text`` as whole processes. This
script runs the cleaner's stages one after another over a JSONL corpus, in this process with cold caches
(as in a real run), and times each: reading and writing the JSON, normalising, the word numbers, the line
shapes, the pattern rules, the rest of the classifier (comment sections, features, the line model and its
verdicts), the paragraph repeats and the assembly. It also times the process start-up (``textclean clean``
on an empty file) and, with ``--competitors``, jusText and ``ftfy.fix_text`` as whole processes on the same
input, and prints the budget they set beside each stage.

    python benchmarks/stage_budget.py --input pages.jsonl
    python benchmarks/stage_budget.py --input pages.jsonl --competitors

Prints one JSON object (seconds; the same batches of 32 pages as the CLI).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _timed_process(command: list[str], repeats: int = 3) -> float:
    """Median wall time of ``command`` as a whole process."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def stages(source: str, batch: int) -> dict[str, float]:
    """Seconds per stage of cleaning ``source`` (JSONL with a ``text`` field), cold caches."""
    started = time.perf_counter()
    from textclean._assemble import Classified, assemble_counts
    from textclean._classify import classify_many, match_many
    from textclean._cleaner import Cleaner
    from textclean._config import CleanConfig
    from textclean._features import prepare_many
    from textclean._normalize import normalize_lines
    from textclean._tokens import tokenize_pages

    # as `textclean clean` without --report, --explain, --annotate: no evidence, texts and counts only
    cleaner = Cleaner(CleanConfig(evidence=False))
    spent = {"imports and rule compilation": time.perf_counter() - started}

    def clock(name: str, since: float) -> float:
        now = time.perf_counter()
        spent[name] = spent.get(name, 0.0) + now - since
        return now

    with open(source, encoding="utf-8") as handle, tempfile.TemporaryFile("w", encoding="utf-8") as out:
        lines = handle.readlines()
        for at in range(0, len(lines), batch):
            now = time.perf_counter()
            records = [json.loads(line) for line in lines[at : at + batch]]
            texts = [record["text"] for record in records]
            now = clock("read JSON", now)
            normalized = [normalize_lines(text, cleaner.config.normalize) for text in texts]
            now = clock("normalise", now)
            table = tokenize_pages([page for _, page in normalized])
            words = [table.page(k) for k in range(len(normalized))]
            now = clock("word numbers", now)
            prepared = prepare_many([page for _, page in normalized])
            now = clock("line shapes", now)
            matched = match_many(prepared, cleaner.rules)
            now = clock("pattern rules", now)
            verdicts = classify_many(
                [page for _, page in normalized], cleaner.rules, tokens=words, prepared=prepared, matched=matched
            )
            now = clock("comments, features, line model, verdicts", now)
            marked = cleaner._mark_repeats(
                [(page, w, v) for (_, page), w, v in zip(normalized, words, verdicts, strict=True)]
            )
            now = clock("paragraph repeats", now)
            results = [
                assemble_counts(Classified(spans, page, v, twins, w.counts.tolist()))
                for (spans, page), w, (v, twins) in zip(normalized, words, marked, strict=True)
            ]
            clock("assembly", now)
            if at == 0 and results != cleaner.texts_and_counts(texts):  # untimed: the stages must be the cleaner's
                raise SystemExit("stage_budget.py: the stages no longer give Cleaner.texts_and_counts; update them")
            now = time.perf_counter()
            for record, (text, _) in zip(records, results, strict=True):
                record["text"] = text
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            clock("write JSON", now)
    return spent


def main(argv: list[str] | None = None) -> int:
    """Print the stage times (and the competitors' budget) as JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", required=True, help="JSONL corpus, one {'text': ...} per line")
    parser.add_argument("--batch", type=int, default=32, help="pages per batch (the CLI's)")
    parser.add_argument("--competitors", action="store_true", help="also time jusText and ftfy as whole processes")
    args = parser.parse_args(argv)
    size = os.path.getsize(args.input)
    with tempfile.TemporaryDirectory() as work:
        empty = Path(work, "empty.jsonl")
        empty.write_text("", encoding="utf-8")
        start_up = _timed_process([sys.executable, "-m", "textclean", "clean", str(empty), "-o", f"{work}/o", "-q"])
        spent = stages(args.input, args.batch)
        report: dict[str, object] = {
            "machine": {"python": platform.python_version(), "platform": platform.platform()},
            "input": {"file": args.input, "megabytes": round(size / 1e6, 2)},
            "process start-up (textclean clean on an empty file)": round(start_up, 3),
            "stages_s": {name: round(seconds, 3) for name, seconds in spent.items()},
            "stages_total_s": round(sum(spent.values()), 3),
        }
        if args.competitors:
            me = str(HERE / "throughput.py")
            justext = _timed_process([sys.executable, me, "--run", "justext", args.input, f"{work}/j"])
            ftfy = _timed_process([sys.executable, me, "--run", "ftfy", args.input, f"{work}/f"])
            report["competitors_s"] = {"justext": round(justext, 3), "ftfy.fix_text": round(ftfy, 3)}
            report["floor_budget_s"] = round(min(justext / 6, ftfy / 2), 3)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
