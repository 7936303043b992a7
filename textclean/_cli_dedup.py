"""The ``textclean dedup`` command line: its options (the work is in ``textclean._dedup_run``).

Kept light on purpose: building the ``textclean`` parser must not import numpy or numba,
so ``textclean clean`` starts fast. ``run`` imports the dedup machinery when called.
"""

from __future__ import annotations

import argparse

from textclean._cli_options import add_record_options
from textclean._executors import add_engine_arguments

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``dedup`` subcommand."""
    parser = subparsers.add_parser(
        "dedup",
        help="remove near-duplicate documents (or paragraphs) across a corpus",
        description="Remove near-duplicate documents across JSONL corpora; every removal is verified.",
    )
    group = parser.add_argument_group("Input")
    group.add_argument("inputs", nargs="+", metavar="INPUT", help="JSONL(.gz) files, or - for standard input")
    add_record_options(group)
    group = parser.add_argument_group("Output")
    group.add_argument("-o", "--output", default="-", help="kept records (default: standard output)")
    group.add_argument(
        "--clusters", metavar="FILE", help="one JSON line per input document: id, duplicate_of, similarity"
    )
    group.add_argument("--report", metavar="FILE", help="one JSON line per removal, with shared and differing spans")
    group = parser.add_argument_group("Dedup")
    group.add_argument("--threshold", type=float, default=0.8, help="Jaccard similarity of word n-grams (0.8)")
    group.add_argument("--ngram", type=int, default=5, help="words per shingle (5)")
    group.add_argument("--num-perm", type=int, default=128, help="MinHash permutations (128)")
    group.add_argument("--bands", type=int, help="LSH bands (derived from --threshold unless given with --rows)")
    group.add_argument("--rows", type=int, help="rows per LSH band")
    group.add_argument("--seed", type=int, default=1, help="MinHash seed (1)")
    group.add_argument("--fold-digits", action="store_true", help="treat all digits as 0 when comparing")
    group.add_argument("--unit", choices=("document", "paragraph"), default="document", help="what to remove")
    group.add_argument(
        "--keep", choices=("central", "first", "longest"), default="central",
        help="which document of a cluster to keep: the best-connected (default), the first, the longest",
    )  # fmt: skip
    group.add_argument("--workers", type=int, default=1, help="signing threads (same output for any number)")
    add_engine_arguments(group)
    group.add_argument("--components", choices=("auto", "local", "distributed"), default="auto",
                       help="sharded runs: cluster on one node, or keep edges on shared storage "
                       "(auto: distributed above 20M documents)")
    group = parser.add_argument_group("Index")
    group.add_argument("--index", metavar="DIR", help="persistent index: match against earlier runs, then add")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run ``textclean dedup``; returns the exit code."""
    from textclean._shards import is_sharded_input

    if is_sharded_input(args.inputs):
        from textclean._dask_dedup import run_dedup_sharded
        from textclean._dedup_run import dedup_config

        return run_dedup_sharded(args, dedup_config(args))
    from textclean._dedup_run import run as run_dedup

    return run_dedup(args)
