"""Site templates on the development pages: word-level P/R/F1 with and without learned templates.

    python benchmarks/templates_eval.py --gold ../shared/data/boilerplate-dev.jsonl.gz
    python benchmarks/templates_eval.py --gold ../shared/data/boilerplate-dev.jsonl.gz --min-pages 3 --min-share 0.3

Pages are grouped by the host of their ``url`` (``textclean._sites.site_of``); records without a
url have no site and are cleaned identically in both runs. Templates are learned on all the pages'
scraped text; learning never reads the gold text, so learning on the pages that are then scored is
what ``clean --learn-templates`` does on any corpus, not a leak. Metric (as in the shared scorer):
tokens are lowercased ``\\w+``; per page the overlap is the sum of the minimum token counts; micro
P/R/F1 sum overlaps and lengths over pages. Figures per source dataset and overall, for pages whose
site has a template (at least ``min_pages`` distinct pages) and for all pages. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections import Counter, defaultdict
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from quality import prf as word_prf
from quality import read_jsonl, tokens

from textclean import Cleaner, CleanResult
from textclean._sites import site_of
from textclean._template_learner import learn_templates
from textclean._templates import TemplateStore


def prf(overlap: int, predicted: int, gold: int) -> dict[str, float]:
    """Precision, recall and F1 (the shared scorer's conventions), rounded."""
    p, r, f = word_prf(overlap, predicted, gold)
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


class Tally:
    """Summed token counts of one group of pages, for both runs."""

    def __init__(self) -> None:
        self.pages = 0
        self.changed = 0
        self.worse = 0
        self.template_lines = 0
        self.counts: dict[str, Counter[str]] = {"without": Counter(), "with": Counter()}

    def add(self, gold: Counter[str], plain: str, templated: CleanResult) -> None:
        """Score one page cleaned without and with templates."""
        self.pages += 1
        self.changed += plain != templated.text
        self.template_lines += sum(r.line_end - r.line_start + 1 for r in templated.removed if r.code == "T001")
        page_f1 = {}
        for run, text in (("without", plain), ("with", templated.text)):
            predicted = tokens(text)
            overlap = sum((predicted & gold).values())
            self.counts[run].update({"overlap": overlap, "pred": sum(predicted.values()), "gold": sum(gold.values())})
            page_f1[run] = prf(overlap, sum(predicted.values()), sum(gold.values()))["f1"]
        self.worse += page_f1["with"] < page_f1["without"]

    def summary(self) -> dict[str, Any]:
        """Pages, pages changed / made worse, T001 lines, and P/R/F1 of both runs with the F1 gain."""
        runs = {run: prf(c["overlap"], c["pred"], c["gold"]) for run, c in self.counts.items()}
        return {
            "pages": self.pages,
            "pages_changed": self.changed,
            "pages_f1_lower": self.worse,
            "template_lines_removed": self.template_lines,
            **runs,
            "f1_gain": round(runs["with"]["f1"] - runs["without"]["f1"], 4),
        }


def evaluate(records: list[dict[str, Any]], store: TemplateStore) -> dict[str, Any]:
    """Clean every record with and without ``store``; tallies per source and overall, templated sites and all."""
    plain, templated = Cleaner(), Cleaner(templates=store)
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for record in records:
        site = site_of(record.get("url"))
        text = record["scraped_text"]
        result = templated.clean(text, site=site)
        without = plain.clean(text).text
        gold = tokens(record["gold_text"])
        scopes = ("all", "sites_with_template") if site in store.sites else ("all",)
        for scope in scopes:
            for source in (record["source_dataset"], "overall"):
                tallies[scope, source].add(gold, without, result)
    out: dict[str, Any] = defaultdict(dict)
    for (scope, source), tally in sorted(tallies.items()):
        out[scope][source] = tally.summary()
    return dict(out)


def main(argv: list[str] | None = None) -> None:
    """Learn templates on the pages grouped by host, then score cleaning with and without them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", required=True, help="JSONL(.gz) with url, scraped_text, gold_text")
    parser.add_argument("--min-pages", type=int, help="pages a site needs for a template (default: the library's)")
    parser.add_argument("--min-share", type=float, help="share of pages a template line needs (default: the library's)")
    args = parser.parse_args(argv)
    records = list(read_jsonl(args.gold))
    started = time.perf_counter()
    pages = ((site_of(r.get("url")), r["scraped_text"]) for r in records)
    store = learn_templates(pages, min_pages=args.min_pages, min_share=args.min_share)
    learn_seconds = time.perf_counter() - started
    sites = Counter(site_of(r.get("url")) for r in records)
    result = {
        "benchmark": "templates_eval",
        "gold": os.path.basename(args.gold),
        "parameters": store.to_dict()["parameters"],
        "pages": len(records),
        "pages_with_site": sum(n for site, n in sites.items() if site),
        "sites": sum(1 for site in sites if site),
        "template_lines_per_site": {site: store.template_size(site) for site in store.sites},
        "learn_seconds": round(learn_seconds, 3),
        **evaluate(records, store),
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()},
    }
    json.dump(result, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
