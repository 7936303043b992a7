"""Scale-out benchmark: sharded clean/dedup throughput per engine and worker count, and peak RSS.

Each configuration runs ``python -m textclean {clean|dedup} DIR -o OUTDIR`` in a
subprocess; a sampler sums the resident memory of the whole process tree (main process, pool
workers, Dask nannies and workers) from ``/proc`` every 0.1 s, so the peak is for all processes.

    python benchmarks/scale_throughput.py --megabytes 8 --shards 8          # clean, all engines
    python benchmarks/scale_throughput.py --input /tmp/scale --command dedup --runs dask:2
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_RUNS = "inprocess:1,processes:1,processes:2,dask:1,dask:2"


def _children(pid: int) -> list[int]:
    found = []
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    for thread in threads:  # children started by any thread (Dask starts its nannies off the main thread)
        try:
            with open(f"/proc/{pid}/task/{thread}/children") as handle:
                found.extend(int(p) for p in handle.read().split())
        except OSError:
            continue
    return found


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss(pid: int) -> int:
    """The summed resident memory of ``pid`` and all its descendants."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += _rss_bytes(current)
        stack.extend(_children(current))
    return total


def timed_run(command: list[str]) -> dict[str, float]:
    """Run ``command``; return wall and CPU seconds (all reaped descendants) and the peak summed RSS."""
    env = dict(os.environ, PYTHONPATH=ROOT)
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    peak, finished = [0], threading.Event()

    def sample() -> None:
        while not finished.is_set():
            peak[0] = max(peak[0], tree_rss(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    finished.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{command} failed:\n{errors}")
    cpu = usage.ru_utime + usage.ru_stime
    return {"seconds": round(time.perf_counter() - started, 2), "cpu_seconds": round(cpu, 2),
            "peak_rss_mb": round(peak[0] / 2**20, 1)}


def main(argv: list[str] | None = None) -> int:
    """Measure each ``engine:workers`` run and print JSON with the machine and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", help="an existing directory of shards (default: generate one)")
    parser.add_argument("--megabytes", type=float, default=8.0, help="size of the generated corpus")
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--command", choices=("clean", "dedup"), default="clean")
    parser.add_argument("--runs", default=DEFAULT_RUNS, help=f"engine:workers list (default {DEFAULT_RUNS})")
    args = parser.parse_args(argv)
    workdir = tempfile.mkdtemp(prefix="textclean-scale-")
    try:
        source = args.input
        if source is None:
            from scale_corpus import write_corpus

            source = os.path.join(workdir, "in")
            write_corpus(source, args.megabytes / 1000, args.shards)
        size = sum(os.path.getsize(os.path.join(top, n)) for top, _, names in os.walk(source) for n in names)
        results = {}
        for run in args.runs.split(","):
            engine, workers = run.split(":")
            out = os.path.join(workdir, f"out-{engine}-{workers}")
            command = [sys.executable, "-m", "textclean", args.command, source, "-o", out,
                       "--engine", engine, "--workers", workers, "-q"]  # fmt: skip
            result = timed_run(command)
            result["mb_per_s"] = round(size / 2**20 / result["seconds"], 2)
            results[run] = result
            shutil.rmtree(out, ignore_errors=True)
            print(run, result, file=sys.stderr)
        ratios = {f"{e}:2 / {e}:1": round(results[f"{e}:1"]["seconds"] / results[f"{e}:2"]["seconds"], 2)
                  for e in ("processes", "dask") if f"{e}:1" in results and f"{e}:2" in results}  # fmt: skip
        # On a shared machine wall time depends on the neighbours; CPU seconds per run do not.
        for e in ("processes", "dask"):
            if f"{e}:1" in results and f"{e}:2" in results:
                cpu = results[f"{e}:2"]["cpu_seconds"] / results[f"{e}:1"]["cpu_seconds"]
                ratios[f"cpu {e}:2 / {e}:1"] = round(cpu, 2)
        machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()}
        print(json.dumps({"command": args.command, "input_mb": round(size / 2**20, 1), "machine": machine,
                          "results": results, "speedup": ratios}, indent=2))  # fmt: skip
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
