"""Batch search cost per document: band keys, sort-based self-join, verification, clustering.

Signs a planted corpus (``dedup_corpus.py``) once, then times only the search stages on the
signatures, as ``textclean dedup`` runs them, over several repeats (medians):

    python benchmarks/dedup_search.py --docs 100000 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dedup_corpus import families

from textclean._dedup import DedupConfig, cluster_verified, unique_shingles, verify_pairs
from textclean._lsh import band_keys, candidate_pairs


def main(argv: list[str] | None = None) -> int:
    """Print the per-stage and total search cost per document as JSON."""
    parser = argparse.ArgumentParser(description="batch search cost per document")
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    texts = [text for family in families(args.docs, args.seed) for _, text, _ in family][: args.docs]
    config = DedupConfig()
    signatures, hashes, bounds = unique_shingles(texts, config)
    bands, rows = config.banding
    timings: dict[str, list[float]] = {"band_keys": [], "self_join": [], "verify": [], "cluster": []}
    for _ in range(args.repeats):
        started = time.perf_counter()
        keys = band_keys(signatures, bands, rows)
        joined = time.perf_counter()
        pairs = candidate_pairs(keys)
        verified_at = time.perf_counter()
        good, similarity = verify_pairs(pairs, signatures, hashes, bounds, config)
        clustered_at = time.perf_counter()
        cluster_verified(len(texts), good, similarity, bounds[1:] - bounds[:-1], config)
        done = time.perf_counter()
        for name, seconds in zip(timings, (joined - started, verified_at - joined, clustered_at - verified_at,
                                           done - clustered_at), strict=True):
            timings[name].append(seconds)
    per_doc = {name: round(statistics.median(values) / len(texts) * 1e6, 2) for name, values in timings.items()}
    report = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "docs": len(texts),
        "banding": {"bands": bands, "rows": rows},
        "candidate_pairs": len(pairs),
        "verified_pairs": len(good),
        "median_us_per_doc": per_doc,
        "search_us_per_doc": round(per_doc["band_keys"] + per_doc["self_join"], 2),
        "total_us_per_doc": round(sum(per_doc.values()), 2),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
