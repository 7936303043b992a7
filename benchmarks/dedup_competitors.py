"""The same dedup pipeline written with public toolkits, for a side-by-side comparison.

Each engine reads JSONL, shingles exactly like textclean (lowercase ``\\w+`` words, 5-grams),
signs with 128 permutations, searches with LSH, clusters with union-find (keeping the earliest
member) and writes the kept records plus a clusters file (``id``, ``duplicate_of``)::

    python benchmarks/dedup_competitors.py rensa corpus.jsonl -o kept.jsonl --clusters clusters.jsonl

Engines: ``rensa`` (``RMinHash`` + ``RMinHashLSH``, 16 bands), ``datasketch-update`` (one
``MinHash.update`` per shingle, ``MinHashLSH`` at the threshold) and ``datasketch-bulk``
(``MinHash.bulk`` + ``MinHashLSH``).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import regex

_WORD = regex.compile(r"\w+")


def shingles(text: str, ngram: int = 5) -> list[str]:
    """Word n-grams of lowercase ``\\w+`` words (one shingle when shorter), unique."""
    words = _WORD.findall(text.lower())
    if not words:
        return []
    return list(dict.fromkeys(" ".join(words[i : i + ngram]) for i in range(max(1, len(words) - ngram + 1))))


def _find(parent: list[int], node: int) -> int:
    while parent[node] != node:
        parent[node] = parent[parent[node]]
        node = parent[node]
    return node


def _cluster(count: int, pairs: list[tuple[int, int]]) -> list[int]:
    parent = list(range(count))
    for a, b in pairs:
        ra, rb = _find(parent, a), _find(parent, b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [_find(parent, i) for i in range(count)]


def _sign_and_search(engine: str, texts: list[str], threshold: float) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    if engine == "rensa":
        from rensa import RMinHash, RMinHashLSH  # type: ignore[import-untyped]

        lsh = RMinHashLSH(threshold=threshold, num_perm=128, num_bands=16)
        signatures = []
        for i, text in enumerate(texts):
            sig = RMinHash(num_perm=128, seed=1)
            sig.update(shingles(text))
            signatures.append(sig)
            lsh.insert(i, sig)
        for i, sig in enumerate(signatures):
            pairs.extend((i, j) for j in lsh.query(sig) if j != i and sig.jaccard(signatures[j]) >= threshold)
        return pairs
    from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    if engine == "datasketch-bulk":
        hashed: list[Any] = MinHash.bulk([[s.encode() for s in shingles(t)] for t in texts], num_perm=128)
    else:
        hashed = []
        for text in texts:
            sig = MinHash(num_perm=128)
            for shingle in shingles(text):
                sig.update(shingle.encode())
            hashed.append(sig)
    for i, sig in enumerate(hashed):
        lsh.insert(i, sig)
    for i, sig in enumerate(hashed):
        pairs.extend((i, j) for j in lsh.query(sig) if j != i and sig.jaccard(hashed[j]) >= threshold)
    return pairs


def main(argv: list[str] | None = None) -> int:
    """Run one engine over one JSONL file."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("engine", choices=("rensa", "datasketch-update", "datasketch-bulk"))
    parser.add_argument("input")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--clusters")
    parser.add_argument("--threshold", type=float, default=0.8)
    args = parser.parse_args(argv)
    with open(args.input, encoding="utf-8") as handle:
        lines = handle.readlines()
    records = [json.loads(line) for line in lines]
    roots = _cluster(len(records), _sign_and_search(args.engine, [r["text"] for r in records], args.threshold))
    with open(args.output, "w", encoding="utf-8") as out:
        out.writelines(line for i, line in enumerate(lines) if roots[i] == i)
    if args.clusters:
        with open(args.clusters, "w", encoding="utf-8") as out:
            for i, record in enumerate(records):
                other = None if roots[i] == i else records[roots[i]]["id"]
                out.write(json.dumps({"id": record["id"], "duplicate_of": other, "similarity": None}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
