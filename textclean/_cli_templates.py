"""``textclean templates learn``, and the template pass of ``textclean clean`` (``--learn-templates``, ``--templates``).

Learning reads JSONL records, takes each record's site from ``--site-field`` or from the host of
``--url-field`` (default ``url``), and writes the sites' templates as JSON (see ``docs/templates.md``).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any

from textclean._cli_options import add_record_options, add_verbosity
from textclean._errors import ConfigError, InputError
from textclean._io import STDIO, check_output_not_input, detect_format, iter_records
from textclean._normalize import NormalizeConfig
from textclean._sites import site_for_record
from textclean._template_learner import TemplateLearner
from textclean._templates import TemplateConfig, TemplateStore, load_templates

__all__ = ["add_parser", "run", "templates_for_clean"]

log = logging.getLogger("textclean")
_DEFAULTS = TemplateConfig()


def add_parser(subparsers: Any) -> None:
    """Add the ``templates`` subcommand (``templates learn``)."""
    parser = subparsers.add_parser(
        "templates",
        help="learn per-site templates (lines repeated on most pages of a site)",
        description="Learn each site's template from many of its pages, for `textclean clean --templates FILE`.",
    )
    actions = parser.add_subparsers(dest="templates_command", metavar="ACTION", required=True)
    learn = actions.add_parser(
        "learn",
        help="learn the templates of the sites in JSONL files",
        description="Learn the lines that recur on a large share of each site's pages, and save them "
        "(hashed keys and counts, never the text) as a JSON template file.",
    )
    group = learn.add_argument_group("Input")
    group.add_argument("inputs", nargs="+", metavar="INPUT", help="JSONL(.gz) files, or - for standard input")
    add_record_options(group, id_field=False)
    add_site_options(group)
    group = learn.add_argument_group("Templates")
    add_threshold_options(group)
    group = learn.add_argument_group("Output")
    group.add_argument("-o", "--output", required=True, metavar="FILE", help="the template file to write (JSON)")
    add_verbosity(learn)
    parser.set_defaults(handler=run)
    learn.set_defaults(handler=run)


def add_site_options(group: Any) -> None:
    """Add ``--site-field`` / ``--url-field`` (where a record's site comes from) to an argument group."""
    sites = group.add_mutually_exclusive_group()
    sites.add_argument(
        "--site-field", metavar="FIELD", help="JSONL field naming each record's site (default: the host of --url-field)"
    )
    sites.add_argument(
        "--url-field",
        default="url",
        metavar="FIELD",
        help="JSONL field holding the page URL, whose host is the site (default: url)",
    )


def add_threshold_options(group: Any) -> None:
    """Add ``--min-pages`` / ``--min-share`` (when a line is template) to an argument group."""
    group.add_argument(
        "--min-pages",
        type=int,
        metavar="N",
        help=f"pages a site needs to get a template (default {_DEFAULTS.min_pages})",
    )
    group.add_argument(
        "--min-share",
        type=float,
        metavar="F",
        help=f"share of a site's pages a line must be on to be template (default {_DEFAULTS.min_share})",
    )


def _learn(
    paths: Sequence[str],
    *,
    text_field: str,
    site_field: str | None,
    url_field: str | None,
    errors: Any,
    skip_bad: bool,
    normalize: NormalizeConfig | None,
) -> tuple[TemplateLearner, int, list[str]]:
    """Count every record's lines; returns the learner, the records without a site, and the skipped lines."""
    learner = TemplateLearner(normalize)
    without_site = 0
    bad: list[str] = []
    for path in paths:
        for record in iter_records(path, text_field=text_field, errors=errors, skip_bad=skip_bad, bad_lines=bad):
            site = site_for_record(record.data, site_field, url_field)
            if site is None:
                without_site += 1
            else:
                learner.add(site, record.text)
    return learner, without_site, bad


def _check_jsonl(paths: Sequence[str], why: str) -> None:
    for path in paths:
        if detect_format(path) != "jsonl" and path != STDIO:
            raise InputError(
                f"{path}: {why} reads JSONL records with a site or URL field; "
                "plain-text files have no site (name JSONL files .jsonl or .jsonl.gz)"
            )


def _build(learner: TemplateLearner, min_pages: int | None, min_share: float | None) -> TemplateStore:
    return learner.build(min_pages=min_pages, min_share=min_share)


def _summary(learner: TemplateLearner, store: TemplateStore, without_site: int, skipped: int) -> str:
    lines = sum(store.template_size(site) for site in store.sites)
    return (
        f"textclean: {learner.pages_added} pages ({learner.duplicate_pages} exact copies counted once), "
        f"{without_site} without a site, {skipped} skipped; {len(store.sites)} sites with at least "
        f"{store.config.min_pages} pages, {lines} template lines\n"
    )


def run(args: argparse.Namespace) -> int:
    """Run ``textclean templates learn``; returns the exit code."""
    paths: list[str] = list(args.inputs)
    if paths.count(STDIO) > 1:
        raise InputError("standard input (-) can be read only once")
    check_output_not_input(args.output, paths)
    _check_jsonl(paths, "templates learn")
    learner, without_site, bad = _learn(
        paths, text_field=args.text_field, site_field=args.site_field, url_field=args.url_field,
        errors=args.errors, skip_bad=args.skip_bad, normalize=None,
    )  # fmt: skip
    store = _build(learner, args.min_pages, args.min_share)
    store.save(args.output)
    for message in bad:
        log.warning("skipped: %s", message)
    if not args.quiet:
        sys.stderr.write(_summary(learner, store, without_site, len(bad)))
    return 0


def templates_for_clean(
    paths: Sequence[str],
    *,
    text_field: str = "text",
    site_field: str | None = None,
    url_field: str | None = "url",
    errors: Any = "strict",
    skip_bad: bool = False,
    learn: bool = False,
    template_file: str | None = None,
    min_pages: int | None = None,
    min_share: float | None = None,
    normalize: NormalizeConfig | None = None,
) -> TemplateStore | None:
    """The templates ``textclean clean`` applies: loaded from ``template_file``, learned from ``paths``, or none.

    With ``learn`` this is the first of two passes over ``paths`` (the caller's cleaning pass is the second),
    so the inputs must be JSONL files that can be read twice (not standard input).

    Args:
        paths: the inputs of ``clean``.
        text_field: the JSONL text field.
        site_field: the field naming each record's site (``None``: the host of ``url_field``).
        url_field: the field holding each record's URL.
        errors: ``"strict"`` or ``"replace"`` for invalid UTF-8.
        skip_bad: skip malformed JSONL lines (the cleaning pass reports them).
        learn: learn the templates from ``paths`` first (``--learn-templates``).
        template_file: a template file to load (``--templates FILE``).
        min_pages: override of the pages a site needs (learning only).
        min_share: override of the share of pages a template line needs (learning only).
        normalize: the cleaner's normalisation options, so learned keys match what it looks up.

    Returns:
        The store, or ``None`` when neither ``learn`` nor ``template_file`` is given.

    Raises:
        ConfigError: both ``learn`` and ``template_file``, or thresholds without ``learn``.
        InputError: standard input or plain-text inputs with ``learn``; an unreadable template file.

    Example:
        >>> templates_for_clean(["pages.jsonl"]) is None
        True
    """
    if learn and template_file is not None:
        raise ConfigError(
            "--learn-templates and --templates exclude each other: learn from the inputs, "
            "or load a file written by `textclean templates learn`"
        )
    if not learn and (min_pages is not None or min_share is not None):
        raise ConfigError(
            "--min-pages and --min-share apply when learning; add --learn-templates "
            "(a --templates file keeps the thresholds it was learned with)"
        )
    if template_file is not None:
        return load_templates(template_file)
    if not learn:
        return None
    if STDIO in paths:
        raise InputError(
            "--learn-templates reads the inputs twice and cannot re-read standard input; "
            "pass files, or learn first with `textclean templates learn` and use --templates"
        )
    _check_jsonl(paths, "--learn-templates")
    learner, without_site, _ = _learn(
        paths, text_field=text_field, site_field=site_field, url_field=url_field,
        errors=errors, skip_bad=skip_bad, normalize=normalize,
    )  # fmt: skip
    store = _build(learner, min_pages, min_share)
    log.info("%s", _summary(learner, store, without_site, 0).removeprefix("textclean: ").rstrip())
    return store
