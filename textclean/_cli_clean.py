"""``textclean clean``: clean plain-text and JSONL files."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from collections.abc import Sequence
from typing import Any

from textclean._cleaner import Cleaner
from textclean._cli_options import add_record_options
from textclean._cli_templates import add_site_options, add_threshold_options, templates_for_clean
from textclean._config import CleanConfig, load_config
from textclean._errors import ConfigError, InputError
from textclean._executors import add_engine_arguments, executor_from_args
from textclean._io import (
    STDIO,
    atomic_output,
    check_inputs_exist,
    check_output_not_input,
    detect_format,
)
from textclean._job import CleanJob
from textclean._progress import Progress
from textclean._result import CleanStats, sum_counts
from textclean._rule import MODES
from textclean._shards import is_sharded_input
from textclean._summary import explain_lines, summary_text

__all__ = ["add_parser", "run"]

log = logging.getLogger("textclean")
_STATS_GROUP = 256
"""Records whose statistics are added up together (one pass per field; the pending ones are all that is held)."""


def add_parser(subparsers: Any) -> None:
    """Add the ``clean`` subcommand."""
    parser = subparsers.add_parser(
        "clean",
        help="remove boilerplate and repeated paragraphs",
        description="Clean scraped text: normalise it, remove site chrome and repeated paragraphs, "
        "and account for every removed line.",
    )
    group = parser.add_argument_group("Input")
    group.add_argument(
        "inputs", nargs="*", default=[STDIO], metavar="INPUT", help="files to clean (default: - = stdin)"
    )
    group.add_argument("--format", choices=("auto", "text", "jsonl"), default="auto",
                       help="input format (default: by file name; .jsonl/.jsonl.gz are JSONL, others plain text)")
    add_record_options(group)
    group = parser.add_argument_group("Cleaning")
    group.add_argument("--config", metavar="FILE", help="TOML configuration file (see docs/configuration.md)")
    group.add_argument("--mode", choices=MODES, help="precision/recall preset (default: balanced)")
    group.add_argument("--disable", action="append", default=[], metavar="RULE",
                       help="switch off a rule by code or name (repeatable)")
    group.add_argument("--language", action="append", default=[], metavar="CODE",
                       help="use only these languages' phrase rules (repeatable; default: all)")
    group.add_argument("--keep-comments", action="store_true", help="keep reader-comment sections")
    group.add_argument("--no-paragraph-dedup", action="store_true", help="keep repeated paragraphs")
    group.add_argument("--near-threshold", type=float, metavar="J",
                       help="similarity for near-repeated paragraphs (default 0.8)")
    group = parser.add_argument_group("Site templates")
    group.add_argument("--learn-templates", action="store_true",
                       help="first learn each site's template from the inputs (JSONL files: read twice)")
    group.add_argument("--templates", metavar="FILE",
                       help="remove the site templates saved in FILE by `textclean templates learn`")
    add_site_options(group)
    add_threshold_options(group)
    group = parser.add_argument_group("Output")
    group.add_argument("-o", "--output", default=STDIO, metavar="OUTPUT",
                       help="output file (default: - = stdout); never one of the inputs")
    group.add_argument("--report", metavar="FILE", help="write one JSON line per removal to FILE")
    group.add_argument("--annotate", action="store_true",
                       help="keep the text and add the verdicts (JSONL: a 'textclean' field; text: code per line)")
    group.add_argument("--explain", action="store_true", help="show each removed line and why on stderr")
    group.add_argument("--drop-empty", action="store_true", help="do not write records whose text became empty")
    group = parser.add_argument_group("Execution")
    group.add_argument("--workers", type=int, default=1, metavar="N",
                       help="worker processes (default 1; output is identical for any N)")
    add_engine_arguments(group)
    parser.set_defaults(handler=run)


def build_config(args: argparse.Namespace) -> CleanConfig:
    """The configuration from ``--config`` and the command-line overrides."""
    config = load_config(args.config) if args.config else CleanConfig()
    changes: dict[str, Any] = {}
    if args.mode:
        changes["mode"] = args.mode
    if args.disable:
        changes["disabled_rules"] = config.disabled_rules | frozenset(args.disable)
    if args.language:
        changes["languages"] = frozenset(args.language)
    if args.keep_comments:
        changes["keep_comments"] = True
    if args.no_paragraph_dedup:
        changes["dedup_paragraphs"] = False
    if args.near_threshold is not None:
        changes["near_duplicate_threshold"] = args.near_threshold
    return dataclasses.replace(config, **changes)


def _input_format(paths: Sequence[str], requested: str) -> str:
    parquet = [path for path in paths if path.lower().endswith(".parquet")]
    if parquet:
        raise InputError(
            f"{parquet[0]}: Parquet files are cleaned as shards: put them in a directory and run "
            "`textclean clean DIR -o OUTDIR` (one Parquet output per input)"
        )
    formats = {detect_format(path, requested) for path in paths}
    if len(formats) > 1:
        raise InputError("inputs mix plain text and JSONL; clean them in separate runs (or pass --format)")
    return formats.pop()


def build_job(args: argparse.Namespace, paths: Sequence[str], fmt: str) -> CleanJob:
    """The cleaning job of a parsed command line: configuration, templates (learned or loaded), output options."""
    from textclean._classify import RULESET_VERSION

    config = build_config(args)
    if not (args.report or args.explain or args.annotate):  # nothing shows why a line went: do not say it
        config = dataclasses.replace(config, evidence=False)
    templates = templates_for_clean(
        paths, text_field=args.text_field, site_field=args.site_field, url_field=args.url_field,
        errors=args.errors, skip_bad=args.skip_bad, learn=args.learn_templates, template_file=args.templates,
        min_pages=args.min_pages, min_share=args.min_share, normalize=config.normalize,
    )  # fmt: skip
    return CleanJob(
        Cleaner(config, templates=templates), fmt, args.text_field, args.annotate, args.drop_empty,
        bool(args.report), args.explain, RULESET_VERSION, args.site_field, args.url_field,
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Run ``textclean clean``; returns the exit code."""
    if args.workers < 1:
        raise ConfigError(f"--workers must be at least 1, not {args.workers}")
    paths: list[str] = list(args.inputs) or [STDIO]
    if paths.count(STDIO) > 1:
        raise InputError("standard input (-) can be read only once")
    if is_sharded_input(paths):
        from textclean._pipeline import run_clean_sharded, shard_sources

        fmt = "text" if args.format == "text" else "jsonl"
        return run_clean_sharded(args, build_job(args, shard_sources(args, fmt), fmt))
    check_inputs_exist(paths)
    for extra in (args.output, args.report):
        check_output_not_input(extra, paths)
    if args.report and args.report not in (STDIO,) and args.report == args.output:
        raise ConfigError("--report and -o name the same file; choose two files")
    fmt = _input_format(paths, args.format)
    job = build_job(args, paths, fmt)
    bad: list[str] = []
    stats = CleanStats()
    progress = Progress(enabled=not args.quiet and sys.stderr.isatty())
    from textclean._pipeline import ReadOptions, clean_stream, read_shard

    read = ReadOptions.from_args(args, fmt)
    records = (record for path in paths for record in read_shard(path, read, bad))

    with atomic_output(args.output) as out, _maybe_output(args.report) as report, \
            executor_from_args(args) as executor:  # fmt: skip
        batch_size = 1 if fmt == "text" else 32
        counted: list[CleanStats] = []  # added up in groups: one pass per field, and bounded memory
        documents = 0
        for processed in clean_stream(job, records, executor, batch_size=batch_size):
            counted.append(processed.stats)
            documents += processed.stats.documents
            if len(counted) == _STATS_GROUP:
                stats = sum_counts(stats, counted)
                counted.clear()
            if processed.output is not None:
                out.write(processed.output)
            if report is not None:
                report.writelines(line + "\n" for line in processed.report)
            if processed.removed:
                sys.stderr.write(explain_lines(processed.doc_id, processed.removed, colour=sys.stderr.isatty()))
            progress.update(documents)
    stats = sum_counts(stats, counted)
    progress.close()
    for message in bad:
        log.warning("skipped: %s", message)
    if not args.quiet:
        sys.stderr.write(summary_text(stats, skipped=len(bad)))
    return 0


class _NullContext:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _maybe_output(path: str | None) -> Any:
    if path is None:
        return _NullContext()
    if path == STDIO:
        raise ConfigError("--report needs a file name (standard output carries the cleaned text)")
    return atomic_output(path)
