"""Throughput of textclean's normalisation against plain ``ftfy.fix_text`` on the same text.

Usage::

    .venv/bin/python benchmarks/bench_normalize.py                 # synthetic mixed-language web text
    .venv/bin/python benchmarks/bench_normalize.py --input pages.txt --repeats 7

Prints one JSON object: MB/s (UTF-8 megabytes of input per CPU second of this process, and per
wall-clock second; medians of the repeats)
for ``normalize``, for ``split_lines`` + ``normalize_line`` (the cleaner's path) and for
``ftfy.fix_text`` with its defaults, plus the input's shape and the machine.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import ftfy

from textclean._normalize import NormalizeConfig, normalize, normalize_line, split_lines

# Word pools per kind of line, and the share of lines of each kind (web text is mostly ASCII).
_WORDS = {
    "english": "the of and to in is that for it as was with be by on not he this are or his from at which "
    "but have an they you were her she there one all we their can has more when will would about if said "
    "time people year market report data city school water model system policy",
    "accented": "été café déjà où très français über straße größe mädchen año niño señor canción "
    "información económico naïve façade crème brûlée Zürich São Paulo coração ação",
    "cyrillic": "и в не на я быть он с что а по это она этот к но они мы как из у который то за "
    "свой весь год от так о для ты же все тот мочь вы человек такой его",
    "cjk": "我们 的 是 在 中国 人民 经济 发展 社会 文化 今日は 東京 天気 です 日本語 한국어 서울 "
    "경제 뉴스 学校 大学 研究 技术 互联网 公司",
    "arabic": "في من على إلى أن هذا التي كان عن مع می‌خواهم کتاب‌ها خانه ایران زبان فارسی",
}
_POOLS = {kind: words.split() for kind, words in _WORDS.items()}
_SHARES = (
    ("english", 0.55),
    ("accented", 0.10),
    ("cyrillic", 0.07),
    ("cjk", 0.08),
    ("quotes", 0.05),
    ("arabic", 0.02),
    ("noisy", 0.05),
    ("blank", 0.08),
)
_NOISE = (
    "AT&amp;T &copy; 2024 &mdash; all rights reserved",
    "Itâ€™s a â€œquotedâ€\x9d word with cafÃ© and naÃ¯ve",
    "price:\u00a0100\u00a0€ \u2009\u2013\u2009 free\u200b shipping\u00a0 ",
    "family 👨\u200d👩\u200d👧 and flags 🏳\ufe0f\u200d🌈 ok",
    "tab\tseparated\tvalues\t",
    "?a=1&para=2&lang=en page \ufeff",
)


def generate_lines(seed: int) -> Iterator[str]:
    """Yield synthetic web-text lines forever (deterministic for a seed)."""
    rng = random.Random(seed)
    kinds = [kind for kind, _ in _SHARES]
    weights = [share for _, share in _SHARES]
    while True:
        kind = rng.choices(kinds, weights)[0]
        if kind == "blank":
            yield ""
        elif kind == "noisy":
            yield rng.choice(_NOISE)
        elif kind == "quotes":
            words = rng.choices(_POOLS["english"], k=rng.randint(4, 20))
            yield f"\u201c{' '.join(words)},\u201d she said. It\u2019s fine."
        else:
            sep = "" if kind == "cjk" and rng.random() < 0.5 else " "
            words = rng.choices(_POOLS[kind], k=rng.randint(3, 30))
            yield sep.join(words).capitalize() + rng.choice((".", ".", "?", ":", ""))


def build_text(size_mb: float, seed: int) -> str:
    """Stream lines until the text holds ``size_mb`` megabytes of UTF-8."""
    target = int(size_mb * 1_000_000)
    parts, total = [], 0
    for line in generate_lines(seed):
        parts.append(line)
        total += len(line.encode()) + 1
        if total >= target:
            break
    return "\n".join(parts) + "\n"


def _median_seconds(function: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median CPU seconds and median wall-clock seconds of ``repeats`` runs."""
    cpu, wall = [], []
    for _ in range(repeats):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        function()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    return statistics.median(cpu), statistics.median(wall)


def _per_line(text: str, config: NormalizeConfig) -> list[str]:
    return [normalize_line(text[start:end], config) for start, end in split_lines(text)]


def measure(text: str, repeats: int) -> dict[str, dict[str, float]]:
    """MB/s (per CPU second and per wall-clock second) of each contender on ``text``."""
    megabytes = len(text.encode()) / 1_000_000
    config = NormalizeConfig()
    contenders: dict[str, Callable[[], object]] = {
        "textclean.normalize": lambda: normalize(text, config),
        "textclean.split_lines+normalize_line": lambda: _per_line(text, config),
        "ftfy.fix_text": lambda: ftfy.fix_text(text),
    }
    speeds: dict[str, dict[str, float]] = {"cpu": {}, "wall": {}}
    for name, run in contenders.items():
        cpu, wall = _median_seconds(run, repeats)
        speeds["cpu"][name] = round(megabytes / cpu, 2)
        speeds["wall"][name] = round(megabytes / wall, 2)
    return speeds


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print JSON to stdout."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = parser.add_argument_group("Input")
    group.add_argument("--input", type=Path, help="a UTF-8 text file (default: synthetic web text)")
    group.add_argument("--size-mb", type=float, default=8.0, help="size of the synthetic text (default 8)")
    group.add_argument("--seed", type=int, default=1, help="seed of the synthetic text (default 1)")
    group = parser.add_argument_group("Measurement")
    group.add_argument("--repeats", type=int, default=5, help="runs per contender; the median is kept")
    args = parser.parse_args(argv)
    text = args.input.read_text(encoding="utf-8") if args.input else build_text(args.size_mb, args.seed)
    speeds = measure(text, args.repeats)
    cpu = speeds["cpu"]
    report = {
        "input": str(args.input) if args.input else f"synthetic (seed {args.seed})",
        "megabytes": round(len(text.encode()) / 1_000_000, 2),
        "lines": len(split_lines(text)),
        "non_ascii_lines": sum(not text[a:b].isascii() for a, b in split_lines(text)),
        "repeats": args.repeats,
        "mb_per_cpu_s": speeds["cpu"],
        "mb_per_wall_s": speeds["wall"],
        "speedup_vs_ftfy_cpu": round(cpu["textclean.normalize"] / cpu["ftfy.fix_text"], 2),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "ftfy": ftfy.__version__,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
