"""Cost per item of online near-duplicate detection: embedded (SQLite) and shared (Redis) indexes.

For each index size N, the index is filled with N kept documents, then 2,000 items are checked
one at a time (half near-duplicates of kept documents, half new, interleaved) and the median
cost per item is printed, split into the MinHash signature and the check-and-insert. Against
Redis the same is measured next to the bare round trip (PING), and next to datasketch's
``MinHashLSH`` with Redis storage used as people glue it by hand (query, then insert if no
candidate: two steps, no verification). Finally a race: 4 processes insert the same planted
clusters at once, with textclean's atomic script and with datasketch's query-then-insert, and
the clusters kept more than once are counted.

    python benchmarks/online_index.py --sizes 10000 100000 --redis-size 10000 --race-rounds 5

Without ``--redis-url`` a throwaway ``redis-server`` (127.0.0.1, random port, no persistence)
is started if the binary is on PATH; ``--no-redis`` skips the Redis part.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from textclean._minhash import minhash_signatures
from textclean._online import OnlineIndex, OnlineIndexConfig, SQLiteIndex, open_index

MEASURED = 2000
VOCABULARY = np.array([f"w{n}" for n in range(50000)])


def texts(count: int, seed: int, words: int = 300) -> list[str]:
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(VOCABULARY, words)) for _ in range(count)]


def edited(text: str, seed: int, count: int = 3) -> str:
    """A near-duplicate: ``count`` words replaced (3 of 300: Jaccard about 0.9)."""
    rng = np.random.default_rng(seed)
    words = text.split()
    for position in rng.choice(len(words), count, replace=False):
        words[position] = f"edit{seed}"
    return " ".join(words)


def fill(index: OnlineIndex, size: int, originals: list[str]) -> None:
    """N kept documents: random signatures (unrelated documents) plus the originals."""
    rng = np.random.default_rng(size)
    for number in range(size - len(originals)):
        index.insert_signature_if_new(f"filler{number}", rng.integers(0, 2**32, 128, dtype=np.uint32))
    for number, signature in enumerate(minhash_signatures(originals)):
        index.insert_signature_if_new(f"original{number}", signature)


def measure(check: Callable[[str, np.ndarray], bool], items: list[tuple[str, bool]]) -> dict[str, Any]:
    """Median microseconds per item: signature, check-and-insert, both; and the accuracy."""
    signature_us, check_us, wrong = [], [], 0
    for number, (text, is_duplicate) in enumerate(items):
        started = time.perf_counter()
        signature = minhash_signatures([text])[0]
        signed = time.perf_counter()
        kept = check(f"item{number}", signature)
        done = time.perf_counter()
        signature_us.append((signed - started) * 1e6)
        check_us.append((done - signed) * 1e6)
        wrong += kept == is_duplicate
    totals = [a + b for a, b in zip(signature_us, check_us, strict=True)]
    return {
        "signature_us": round(statistics.median(signature_us), 1),
        "check_insert_us": round(statistics.median(check_us), 1),
        "check_insert_mean_us": round(statistics.fmean(check_us), 1),
        "check_insert_p99_us": round(float(np.percentile(check_us, 99)), 1),
        "total_us": round(statistics.median(totals), 1),
        "wrong_decisions": wrong,
    }


def workload(size: int) -> tuple[list[str], list[tuple[str, bool]]]:
    originals = texts(MEASURED // 2, seed=size + 1)
    new = texts(MEASURED // 2, seed=size + 2)
    items = [pair for i in range(MEASURED // 2) for pair in ((edited(originals[i], i), True), (new[i], False))]
    return originals, items


def bench_index(index: OnlineIndex, size: int) -> dict[str, Any]:
    originals, items = workload(size)
    started = time.perf_counter()
    fill(index, size, originals)
    fill_seconds = time.perf_counter() - started
    result = measure(lambda doc_id, sig: index.insert_signature_if_new(doc_id, sig).kept, items)
    return {"kept_documents": size, "fill_seconds": round(fill_seconds, 1), **result}


def bench_datasketch(url: str, size: int) -> dict[str, Any]:
    """datasketch MinHashLSH on Redis: query, then insert when there is no candidate."""
    from datasketch import MinHashLSH  # type: ignore[import-untyped]  # datasketch has no type information

    host, port = url.split("//")[1].split("/")[0].split(":")
    basename = f"bench-datasketch-{os.getpid()}".encode()
    storage = {"type": "redis", "basename": basename, "redis": {"host": host, "port": int(port)}}
    lsh = MinHashLSH(threshold=0.8, num_perm=128, storage_config=storage)
    originals, items = workload(size)
    rng = np.random.default_rng(size)
    with lsh.insertion_session() as session:
        for number in range(size - len(originals)):
            session.insert(f"filler{number}", lean(rng.integers(0, 2**32, 128, dtype=np.uint32)))
        for number, signature in enumerate(minhash_signatures(originals)):
            session.insert(f"original{number}", lean(signature))

    def check(doc_id: str, signature: np.ndarray) -> bool:
        minhash = lean(signature)
        if lsh.query(minhash):
            return False
        lsh.insert(doc_id, minhash)
        return True

    return {"kept_documents": size, "bands_rows": list(lsh.b_r) if hasattr(lsh, "b_r") else [lsh.b, lsh.r],
            **measure(check, items)}  # fmt: skip


def lean(signature: np.ndarray) -> Any:
    """A datasketch LeanMinHash holding a textclean signature (same ``affine32`` scheme)."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=1, hashvalues=signature, scheme="affine32")


def used_memory(url: str) -> int:
    import redis

    return int(redis.Redis.from_url(url).info("memory")["used_memory"])


def ping_us(url: str) -> float:
    import redis

    client = redis.Redis.from_url(url)
    times = []
    for _ in range(MEASURED):
        started = time.perf_counter()
        client.ping()
        times.append((time.perf_counter() - started) * 1e6)
    return round(statistics.median(times), 1)


# --- the race -----------------------------------------------------------------------------------


def race_corpus(clusters: int = 40, members: int = 5) -> list[tuple[str, int, np.ndarray]]:
    """Clusters of mutual near-duplicates (one word of 400 edited: estimated J >= 0.86 in every pair)."""
    bases = texts(clusters, seed=99, words=400)
    corpus = [(f"c{c}-m{m}", c, edited(bases[c], 1000 * c + m, 1)) for c in range(clusters) for m in range(members)]
    signatures = minhash_signatures([text for _, _, text in corpus])
    agreement = (signatures[:, None, :] == signatures[None, :, :]).mean(axis=2)
    cluster = np.array([c for _, c, _ in corpus])
    same = cluster[:, None] == cluster[None, :]
    assert agreement[same].min() >= 0.85 and agreement[~same].max() < 0.5, "clusters not well separated"
    return [(doc_id, c, signature) for (doc_id, c, _), signature in zip(corpus, signatures, strict=True)]


def _racer(kind: str, url: str, namespace: str, corpus: list[Any], seed: int, barrier: Any, out: Any) -> None:
    order = list(corpus)
    np.random.default_rng(seed).shuffle(order)
    if kind == "textclean":
        index = open_index(url, OnlineIndexConfig(), namespace=namespace)

        def check(doc_id: str, signature: np.ndarray) -> bool:
            return index.insert_signature_if_new(doc_id, signature).kept
    else:
        from datasketch import MinHashLSH

        host, port = url.split("//")[1].split("/")[0].split(":")
        storage = {"type": "redis", "basename": namespace.encode(), "redis": {"host": host, "port": int(port)}}
        lsh = MinHashLSH(threshold=0.8, num_perm=128, storage_config=storage)

        def check(doc_id: str, signature: np.ndarray) -> bool:
            minhash = lean(signature)
            if lsh.query(minhash):
                return False
            lsh.insert(f"{doc_id}@{seed}", minhash)  # datasketch refuses a key inserted twice
            return True

    barrier.wait(timeout=60)
    out.put([(doc_id, cluster) for doc_id, cluster, signature in order if check(doc_id, signature)])


def bench_race(url: str, rounds: int, processes: int = 4) -> dict[str, Any]:
    corpus = race_corpus()
    context = multiprocessing.get_context("spawn")
    result: dict[str, Any] = {"processes": processes, "rounds": rounds, "clusters": 40, "documents": len(corpus)}
    for kind in ("textclean", "datasketch-query-then-insert"):
        double_kept, rounds_with_double = 0, 0
        for number in range(rounds):
            barrier, out = context.Barrier(processes), context.Queue()
            namespace = f"race-{kind}-{number}-{os.getpid()}"
            workers = [
                context.Process(target=_racer, args=(kind.split("-")[0], url, namespace, corpus, p, barrier, out))
                for p in range(processes)
            ]
            for worker in workers:
                worker.start()
            kept = [pair for _ in workers for pair in out.get(timeout=120)]
            for worker in workers:
                worker.join()
            extra = len(kept) - len({cluster for _, cluster in kept})
            double_kept += extra
            rounds_with_double += extra > 0
        result[kind] = {"extra_keeps": double_kept, "rounds_with_extra_keeps": rounds_with_double}
    return result


@contextmanager
def redis_server(url: str | None) -> Iterator[str | None]:
    if url is not None:
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    directory = tempfile.mkdtemp()
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no", "--dir", directory],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait()
        shutil.rmtree(directory, ignore_errors=True)


def machine(url: str | None) -> dict[str, Any]:
    info: dict[str, Any] = {"python": sys.version.split()[0], "platform": platform.platform(),
                            "cpus": os.cpu_count(), "load_average": os.getloadavg()}  # fmt: skip
    if url is not None:
        import redis

        info["redis_server"] = redis.Redis.from_url(url).info("server")["redis_version"]
    return info


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000], help="embedded index sizes")
    parser.add_argument("--redis-size", type=int, default=10_000, help="Redis index size")
    parser.add_argument("--redis-url", default=None, help="an existing server (keys under bench-*/race-*)")
    parser.add_argument("--no-redis", action="store_true", help="skip the Redis measurements")
    parser.add_argument("--race-rounds", type=int, default=5, help="rounds of the 4-process race (0: skip)")
    args = parser.parse_args(argv)

    report: dict[str, Any] = {"measured_items": MEASURED, "embedded": {}, "embedded_file": {}}
    for size in args.sizes:
        with SQLiteIndex() as index:
            report["embedded"][str(size)] = bench_index(index, size)
        with tempfile.TemporaryDirectory() as directory, SQLiteIndex(os.path.join(directory, "i.sqlite")) as index:
            report["embedded_file"][str(size)] = bench_index(index, size)
    with redis_server(None if args.no_redis else args.redis_url) as url:
        report["machine"] = machine(url)
        if url is not None and not args.no_redis:
            report["redis_ping_us"] = ping_us(url)
            with open_index(url, namespace=f"bench-{os.getpid()}") as index:
                index.clear()
                before = used_memory(url)
                report["redis"] = bench_index(index, args.redis_size)
                report["redis"]["bytes_per_document"] = round((used_memory(url) - before) / len(index))
                index.clear()
            report["datasketch_redis"] = bench_datasketch(url, args.redis_size)
            if args.race_rounds:
                report["race"] = bench_race(url, args.race_rounds)
    json.dump(report, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
