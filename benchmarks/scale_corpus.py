"""Stream a large sharded corpus to disk (for the scale-out benchmarks): >= 2 GB in constant memory.

Pages come from ``benchmarks/corpus.py``; a share of them are re-posted later with a few words
changed (near-duplicates across shards), so that dedup has work to do. Deterministic for a seed.

    python benchmarks/scale_corpus.py --gigabytes 2.1 --shards 32 -o /tmp/scale
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
from collections import deque

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import generate_page


def pages(seed: int, repost: float):
    """Endless ``{"id", "text"}`` records; ``repost`` of them are edited copies of recent pages."""
    rng = random.Random(seed)
    recent: deque[str] = deque(maxlen=5000)
    number = 0
    while True:
        if recent and rng.random() < repost:
            words = rng.choice(recent).split(" ")
            for _ in range(rng.randint(0, 3)):
                words[rng.randrange(len(words))] = rng.choice(words)
            text = " ".join(words)
        else:
            text = str(generate_page(rng, number)["text"])
            recent.append(text)
        yield {"id": f"doc-{number}", "text": text}
        number += 1


def write_corpus(directory: str, gigabytes: float, shards: int, seed: int = 1, repost: float = 0.1,
                 gzip_output: bool = False) -> dict[str, int]:  # fmt: skip
    """Write ``shards`` shards of about ``gigabytes / shards`` each; return documents and bytes."""
    os.makedirs(directory, exist_ok=True)
    per_shard = int(gigabytes * 1e9 / shards)
    stream = pages(seed, repost)
    documents = written = 0
    for number in range(shards):
        name = os.path.join(directory, f"part-{number:05d}.jsonl" + (".gz" if gzip_output else ""))
        size = 0
        with (gzip.open(name, "wt", encoding="utf-8", compresslevel=1) if gzip_output
              else open(name, "w", encoding="utf-8")) as handle:  # fmt: skip
            while size < per_shard:
                line = json.dumps(next(stream), ensure_ascii=False) + "\n"
                handle.write(line)
                size += len(line.encode("utf-8"))
                documents += 1
        written += size
    return {"documents": documents, "bytes": written, "shards": shards}


def main(argv: list[str] | None = None) -> int:
    """Write the corpus and print its size as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", required=True, help="directory to write the shards into")
    parser.add_argument("--gigabytes", type=float, default=2.1, help="uncompressed size (default 2.1)")
    parser.add_argument("--shards", type=int, default=32)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repost", type=float, default=0.1, help="share of near-duplicate re-posts (0.1)")
    parser.add_argument("--gzip", action="store_true", help="write .jsonl.gz shards")
    args = parser.parse_args(argv)
    print(json.dumps(write_corpus(args.output, args.gigabytes, args.shards, args.seed, args.repost, args.gzip)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
