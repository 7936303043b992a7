"""Accuracy and speed of ``textclean dedup`` against rensa and datasketch, in the same run.

Generates a planted corpus (``dedup_corpus.py``), runs every engine as a whole process under
``/usr/bin/time -v`` (wall time, peak RSS), and scores each clusters file against the exact
Jaccard ground truth: removal precision (share of removed documents whose exact J with their
``duplicate_of`` is >= 0.75) and pair recall (share of pairs with J >= 0.8 ending in the same
cluster), overall and per edit type. Prints JSON with machine info::

    python benchmarks/dedup_bench.py --docs 20000 --datasketch-docs 2000 --work /tmp/dedup-bench
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
from collections import defaultdict
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dedup_corpus import jaccard, shingle_set

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(command: list[str]) -> dict[str, float]:
    """Run a command under ``/usr/bin/time -v``; return wall seconds and peak RSS (MB)."""
    done = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{command} failed:\n{done.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    assert wall and rss
    seconds = float(wall.group(1) or 0) * 3600 + float(wall.group(2)) * 60 + float(wall.group(3))
    return {"seconds": round(seconds, 3), "peak_rss_mb": round(int(rss.group(1)) / 1024, 1)}


def score(clusters_path: str, truth_path: str, corpus_path: str) -> dict[str, Any]:
    """Precision and recall of a clusters file against the ground truth."""
    with open(clusters_path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    head = {row["id"]: row["duplicate_of"] or row["id"] for row in rows}
    kinds: dict[str, str] = {}
    truth: dict[tuple[str, str], float] = {}
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    with open(truth_path, encoding="utf-8") as handle:
        for line in handle:
            family = json.loads(line)
            kinds.update({doc_id: kind for doc_id, kind in family["members"]})
            for a, b, similarity in family["pairs"]:
                truth[(a, b)] = truth[(b, a)] = similarity
                if similarity >= 0.8:
                    kind = kinds[b] if kinds[a] == "original" else "copy-copy"
                    for key in (kind, "all"):
                        found[key][0] += head.get(a) == head.get(b)
                        found[key][1] += 1
    removed = [(row["id"], row["duplicate_of"]) for row in rows if row["duplicate_of"] is not None]
    unknown = [pair for pair in removed if pair not in truth]
    if unknown:
        texts = _texts(corpus_path, {doc_id for pair in unknown for doc_id in pair})
        for a, b in unknown:
            truth[(a, b)] = jaccard(shingle_set(texts[a]), shingle_set(texts[b]))
    good = sum(truth[pair] >= 0.75 for pair in removed)
    recall = {kind: round(hit / total, 4) for kind, (hit, total) in sorted(found.items())}
    return {"removed": len(removed), "precision": round(good / max(len(removed), 1), 4), "recall": recall,
            "pairs_with_j_ge_0.8": {kind: total for kind, (_, total) in sorted(found.items())}}  # fmt: skip


def _texts(path: str, wanted: set[str]) -> dict[str, str]:
    texts = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["id"] in wanted:
                texts[record["id"]] = record["text"]
    return texts


def _head(path: str, out: str, count: int) -> None:
    with open(path, encoding="utf-8") as source, open(out, "w", encoding="utf-8") as target:
        for number, line in enumerate(source):
            if number >= count:
                break
            target.write(line)


def main(argv: list[str] | None = None) -> int:
    """Generate, run every engine, score, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--datasketch-docs", type=int, default=2000, help="subset for the slow engine")
    parser.add_argument("--work", default="/tmp/textclean-dedup-bench")
    parser.add_argument("--textclean", default=f"{sys.executable} -m textclean", help="command running textclean")
    args = parser.parse_args(argv)
    os.makedirs(args.work, exist_ok=True)
    corpus, truth = os.path.join(args.work, "corpus.jsonl"), os.path.join(args.work, "truth.jsonl")
    subprocess.run([sys.executable, os.path.join(HERE, "dedup_corpus.py"), "--docs", str(args.docs),
                    "-o", corpus, "--truth", truth], check=True)  # fmt: skip
    small = os.path.join(args.work, "small.jsonl")
    _head(corpus, small, args.datasketch_docs)
    results: dict[str, Any] = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                           "platform": platform.platform()}, "docs": args.docs}  # fmt: skip
    competitor = [sys.executable, os.path.join(HERE, "dedup_competitors.py")]
    for name, data, count in (("full", corpus, args.docs), ("subset", small, args.datasketch_docs)):
        engines = {"textclean": [*args.textclean.split(), "dedup", data],
                   "rensa": [*competitor, "rensa", data]}  # fmt: skip
        if name == "subset":
            engines["datasketch-update"] = [*competitor, "datasketch-update", data]
            engines["datasketch-bulk"] = [*competitor, "datasketch-bulk", data]
        for engine, command in engines.items():
            clusters = os.path.join(args.work, f"{engine}-{name}-clusters.jsonl")
            measured = timed([*command, "-o", os.path.join(args.work, "kept.jsonl"), "--clusters", clusters])
            measured["docs_per_second"] = round(count / measured["seconds"], 1)
            if name == "full":
                measured.update(score(clusters, truth, corpus))
            results.setdefault(name, {})[engine] = measured
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
