"""Throughput of ``textclean clean`` against jusText and ftfy, whole processes, same run.

Each contender is a separate process reading the same JSONL corpus and writing cleaned
JSONL: ``textclean clean`` (one worker), jusText run on the page's lines (each line a
``<p>``; English stoplist) and ``ftfy.fix_text`` on each text. The runs alternate
(A, B, C, A, B, C, ...) so a drift of the shared machine hits all alike; the script prints
medians of wall time, MB/s, peak RSS, and the per-round ratios. Then it checks memory:
peak RSS of textclean at 1x and 10x the input size.

    python benchmarks/throughput.py --docs 2000 --repeats 5
    python benchmarks/throughput.py --input pages.jsonl --repeats 5   # a given corpus
"""

from __future__ import annotations

import argparse
import html
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
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402


def run_justext(source: str, target: str) -> None:
    """jusText on lines: every line becomes a paragraph element."""
    import justext

    stoplist = justext.get_stoplist("English")
    with open(source, encoding="utf-8") as inp, open(target, "w", encoding="utf-8") as out:
        for line in inp:
            record = json.loads(line)
            body = "".join(f"<p>{html.escape(part)}</p>" for part in record["text"].splitlines() if part.strip())
            page = f"<html><body>{body}</body></html>".encode()
            paragraphs = justext.justext(page, stoplist) if body else []
            record["text"] = "\n".join(p.text for p in paragraphs if not p.is_boilerplate)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def run_ftfy(source: str, target: str) -> None:
    """ftfy.fix_text on every text (ftfy's defaults)."""
    import ftfy

    with open(source, encoding="utf-8") as inp, open(target, "w", encoding="utf-8") as out:
        for line in inp:
            record = json.loads(line)
            record["text"] = ftfy.fix_text(record["text"])
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def timed(command: list[str]) -> tuple[float, float]:
    """Run a command; return (wall seconds, peak RSS in MB) of that process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        assert process.stderr is not None
        raise SystemExit(f"{command} failed: {process.stderr.read().decode()}")
    return wall, usage.ru_maxrss / 1024


def write_corpus(path: str, docs: int) -> int:
    with open(path, "w", encoding="utf-8") as out:
        for record in generate(docs):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return os.path.getsize(path)


def commands(source: str, workdir: str) -> dict[str, list[str]]:
    me = str(Path(__file__).resolve())
    return {
        "textclean": [sys.executable, "-m", "textclean", "clean", source, "-o", f"{workdir}/tc.jsonl", "-q"],
        "justext": [sys.executable, me, "--run", "justext", source, f"{workdir}/jt.jsonl"],
        "ftfy": [sys.executable, me, "--run", "ftfy", source, f"{workdir}/ff.jsonl"],
    }


def _compile_bytecode() -> str:
    """Byte-compile textclean's modules, as ``pip install`` does for jusText and ftfy.

    An editable install (``pip install -e .``) leaves that to the first import, which never
    happens where ``PYTHONDONTWRITEBYTECODE`` is set: every run would then re-compile textclean's
    source while its competitors load theirs compiled.
    """
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("textclean")
    if spec is None or spec.origin is None:
        return "textclean not found"
    package = Path(spec.origin).parent
    ok = compileall.compile_dir(str(package), quiet=1)
    return f"compiled {package}" if ok else f"compileall failed on {package}"


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and print JSON."""
    parser = argparse.ArgumentParser(description="textclean clean vs jusText vs ftfy, whole processes")
    parser.add_argument("--docs", type=int, default=2000, help="pages in the 1x corpus")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-rss-scaling", action="store_true", help="skip the 1x vs 10x memory check")
    parser.add_argument("--input", help="use this JSONL corpus ({'text': ...} per line) instead of generating one")
    parser.add_argument("--run", nargs=3, metavar=("TOOL", "IN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        {"justext": run_justext, "ftfy": run_ftfy}[args.run[0]](args.run[1], args.run[2])
        return 0
    compiled = _compile_bytecode()
    with tempfile.TemporaryDirectory() as workdir:
        source = args.input or f"{workdir}/pages.jsonl"
        size = os.path.getsize(source) if args.input else write_corpus(source, args.docs)
        rounds: dict[str, list[tuple[float, float]]] = {}
        for _ in range(args.repeats):
            for name, command in commands(source, workdir).items():
                rounds.setdefault(name, []).append(timed(command))
        report: dict[str, object] = {
            "machine": {"python": platform.python_version(), "platform": platform.platform(),
                        "cpus": os.cpu_count()},
            "input": {"docs": args.docs, "megabytes": round(size / 1e6, 2)},
            "bytecode": compiled,
            "repeats": args.repeats,
            "median": {
                name: {
                    "wall_s": round(statistics.median(w for w, _ in runs), 3),
                    "mb_per_s": round(size / 1e6 / statistics.median(w for w, _ in runs), 2),
                    "peak_rss_mb": round(statistics.median(r for _, r in runs), 1),
                }
                for name, runs in rounds.items()
            },
            "speedup_vs": {
                other: round(statistics.median(
                    o[0] / t[0] for o, t in zip(rounds[other], rounds["textclean"], strict=True)), 2)
                for other in ("justext", "ftfy")
            },
        }
        if args.input:
            report["input"] = {"file": args.input, "megabytes": round(size / 1e6, 2)}
        if not args.no_rss_scaling and not args.input:
            big = f"{workdir}/pages10.jsonl"
            big_size = write_corpus(big, args.docs * 10)
            small_rss = statistics.median(r for _, r in rounds["textclean"])
            wall, big_rss = timed(commands(big, workdir)["textclean"])
            report["rss_scaling"] = {"1x_mb": round(small_rss, 1), "10x_mb": round(big_rss, 1),
                                     "10x_input_mb": round(big_size / 1e6, 1),
                                     "10x_mb_per_s": round(big_size / 1e6 / wall, 2)}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
