"""Site templates on a generated corpus: chrome recall and content lost for a sweep of thresholds, and speed.

    python benchmarks/templates_synthetic.py
    python benchmarks/templates_synthetic.py --sites 200 --seed 2

Each site has a size drawn from ``--sizes`` and its own chrome: lines on every page (some with
varying numbers), a menu item on 90% of pages and a banner on 70%. Pages carry unique article lines
and "recirculated" content lines, each printed on a given share of the site's pages (5% to 45%,
e.g. a pull quote, a correction notice, a syndicated paragraph), which must survive. Prints JSON:
per (min_pages, min_share): chrome lines removed (share of all chrome lines) and content lines
removed (count and share), plus learning and matching speed at the library's defaults.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from typing import Any

from textclean._normalize import normalize_line, split_lines
from textclean._template_learner import TemplateLearner
from textclean._templates import TemplateStore

_WORDS = (
    "river council bridge harvest museum teacher winter station market village engineer report budget garden "
    "festival library hospital election orchestra mountain harbour factory railway painter forest vote repair "
    "study open close measure describe announce finish travel build remember follow discover quickly slowly"
).split()
_RECIRCULATED_SHARES = (0.05, 0.15, 0.25, 0.35, 0.45)
Page = tuple[str, list[str], set[int], dict[int, float]]  # site, lines, chrome lines, recirculated line -> share


def _sentence(rng: random.Random, words: int) -> str:
    return (" ".join(rng.choice(_WORDS) for _ in range(words)) + ".").capitalize()


def generate(sites: int, sizes: tuple[int, ...], seed: int) -> list[Page]:
    """The generated pages (see the module docstring)."""
    rng = random.Random(seed)
    pages: list[Page] = []
    for s in range(sites):
        name = f"site{s}.example"
        always = [f"{name} home", "Menu", f"{_sentence(rng, 6)}", "Page {n} of {m}", f"© 20{s % 90:02d} {name}"]
        sometimes = [(0.9, f"Special section {s}"), (0.7, f"Banner: {_sentence(rng, 5)}")]
        recirculated = [(share, _sentence(rng, rng.choice((12, 60)))) for share in _RECIRCULATED_SHARES]
        size = rng.choice(sizes)
        for p in range(size):
            chrome = [line.format(n=p + 1, m=size) for line in always]
            chrome += [line for share, line in sometimes if rng.random() < share]
            content = [_sentence(rng, rng.randint(10, 30)) for _ in range(rng.randint(3, 8))]
            shares = {}
            for share, line in recirculated:
                if rng.random() < share:
                    shares[3 + len(content)] = share
                    content.append(line)
            lines = chrome[:3] + content + chrome[3:]
            marks = set(range(3)) | set(range(3 + len(content), len(lines)))
            pages.append((name, lines, marks, shares))
    return pages


def score(store: TemplateStore, pages: list[Page]) -> dict[str, Any]:
    """Chrome lines removed and content lines removed by ``store``."""
    chrome = chrome_removed = content = content_removed = unique_removed = 0
    recirculated: dict[float, list[int]] = {share: [0, 0] for share in _RECIRCULATED_SHARES}
    for site, lines, marks, shares in pages:
        found = set(store.match(site, lines))
        chrome += len(marks)
        chrome_removed += len(found & marks)
        content += len(lines) - len(marks)
        content_removed += len(found - marks)
        unique_removed += len(found - marks - set(shares))
        for index, share in shares.items():
            recirculated[share][0] += 1
            recirculated[share][1] += index in found
    return {
        "chrome_removed": round(chrome_removed / chrome, 4),
        "content_removed": content_removed,
        "content_removed_share": round(content_removed / content, 6),
        "unique_content_removed": unique_removed,
        "recirculated_removed_by_share": {f"{s:.2f}": round(r / n, 4) for s, (n, r) in recirculated.items() if n},
    }


def main(argv: list[str] | None = None) -> None:
    """Generate the corpus, learn once, build and score every threshold pair, time learning and matching."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=100, help="sites (default 100)")
    parser.add_argument("--sizes", default="5,10,30,100", help="pages per site, drawn from this list")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    pages = generate(args.sites, tuple(int(n) for n in args.sizes.split(",")), args.seed)
    texts = [(site, "\n".join(lines)) for site, lines, _, _ in pages]
    started = time.perf_counter()
    learner = TemplateLearner()
    for site, text in texts:
        learner.add(site, text)
    learn_seconds = time.perf_counter() - started
    sweep = {}
    for min_pages in (3, 5, 10):
        for min_share in (0.4, 0.5, 0.6, 0.7):
            sweep[f"min_pages={min_pages} min_share={min_share}"] = score(
                learner.build(min_pages=min_pages, min_share=min_share), pages
            )
    store = learner.build()
    started = time.perf_counter()
    for site, text in texts:
        store.match(site, [normalize_line(text[a:b]) for a, b in split_lines(text)])
    match_seconds = time.perf_counter() - started
    result = {
        "benchmark": "templates_synthetic",
        "sites": args.sites,
        "pages": len(pages),
        "lines": sum(len(page[1]) for page in pages),
        "learn_pages_per_second": round(len(pages) / learn_seconds),
        "match_pages_per_second": round(len(pages) / match_seconds),
        "sweep": sweep,
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()},
    }
    json.dump(result, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
