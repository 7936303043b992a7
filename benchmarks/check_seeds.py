"""Check the two seed pages the project was specified from (development only).

The seeds are third-party pages kept outside the project (``../shared/seeds``); this script
reads them from there and checks the acceptance of the cleaning core:

- netvamo: the hit-counter title line, the second copy of the two intro paragraphs, the
  RSS footer and "About admin" are removed; every other paragraph is kept exactly once.
- japantimes: every paragraph is kept.

    python benchmarks/check_seeds.py --seeds ../shared/seeds
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import textclean


def paragraphs(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def check_netvamo(text: str) -> dict[str, object]:
    result = textclean.clean_text(text)
    source = paragraphs(text)
    kept = paragraphs(result.text)
    chrome = [p for p in source if p.startswith(("free website hit counter", "The post ", "About admin"))]
    expected: list[str] = []
    for paragraph in source:
        if paragraph not in chrome and paragraph not in expected:
            expected.append(paragraph)
    return {
        "ok": kept == expected,
        "kept": len(kept),
        "expected": len(expected),
        "removed": [(r.line_start, r.code, r.rule, r.text[:60]) for r in result.removed],
        "missing": [p[:80] for p in expected if p not in kept],
        "extra": [p[:80] for p in kept if p not in expected],
    }


def check_japantimes(text: str) -> dict[str, object]:
    result = textclean.clean_text(text)
    source = paragraphs(text)
    kept = paragraphs(result.text)
    return {
        "ok": kept == source,
        "kept": len(kept),
        "expected": len(source),
        "removed": [(r.line_start, r.code, r.rule, r.text[:60]) for r in result.removed],
    }


def main(argv: list[str] | None = None) -> int:
    """Print the checks as JSON; exit 1 if one fails."""
    parser = argparse.ArgumentParser(description="check the seed pages")
    parser.add_argument("--seeds", default=str(Path(__file__).resolve().parents[2] / "shared" / "seeds"))
    args = parser.parse_args(argv)
    seeds = Path(args.seeds)
    report = {
        "netvamo": check_netvamo((seeds / "netvamo-nk-troops.txt").read_text(encoding="utf-8")),
        "japantimes": check_japantimes((seeds / "japantimes-nk-troops.txt").read_text(encoding="utf-8")),
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if all(part["ok"] for part in report.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
