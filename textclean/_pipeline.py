"""The cleaning pipeline as pure, picklable functions over batches and shards.

A stage is a module-level function (or a frozen dataclass with ``__call__``) of its inputs
only, so that any executor of :mod:`textclean._executors` can run it anywhere: a loop in this
process, a local worker process or a Dask worker. No stage knows which engine runs it.

- :func:`textclean._job.process_batch` (the per-batch stage): records -> one processed result each;
- :class:`CleanShard`: one input shard -> its output shard, report part and done-marker;
- :func:`run_clean_sharded`: ``textclean clean DIR -o OUTDIR`` over any executor, with resume.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import itertools
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, TypeVar

from textclean._errors import ConfigError
from textclean._executors import Executor, executor_from_args
from textclean._io import ErrorPolicy, Record, atomic_output, iter_records, read_text_document
from textclean._job import CleanJob, Processed, process_batch
from textclean._parquet import is_parquet, iter_parquet_records, parquet_writer
from textclean._result import CleanStats, sum_counts
from textclean._shards import (
    RECORD_SUFFIXES,
    Shard,
    fingerprint,
    plan_shards,
    read_marker,
    shard_run,
    write_marker,
)

__all__ = [
    "CleanShard",
    "ReadOptions",
    "batched",
    "clean_stream",
    "read_shard",
    "run_clean_sharded",
    "shard_sources",
]

T = TypeVar("T")
log = logging.getLogger("textclean")
BATCH_SIZE = 256


@dataclass(frozen=True)
class ReadOptions:
    """How shards are read (the ``Input`` options of the command line).

    Attributes:
        fmt: ``"jsonl"`` or ``"text"`` (one file, one document).
        text_field: the JSONL field holding the text.
        id_field: the JSONL field holding the id (else ``FILE:LINE``).
        errors: invalid UTF-8: ``"strict"`` or ``"replace"``.
        skip_bad: skip malformed JSONL lines instead of stopping.
    """

    fmt: str = "jsonl"
    text_field: str = "text"
    id_field: str = "id"
    errors: ErrorPolicy = "strict"
    skip_bad: bool = False

    @classmethod
    def from_args(cls, args: argparse.Namespace, fmt: str = "jsonl") -> ReadOptions:
        """The options of a parsed command line."""
        return cls(fmt, args.text_field, args.id_field, args.errors, args.skip_bad)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Yield lists of ``size`` items (the last may be shorter).

    Examples:
        >>> list(batched(range(5), 2))
        [[0, 1], [2, 3], [4]]
    """
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def read_shard(path: str, options: ReadOptions, bad: list[str] | None = None) -> Iterator[Record]:
    """Stream the records of one shard; malformed lines skipped with ``skip_bad`` land in ``bad``."""
    if options.fmt == "text":
        yield read_text_document(path, errors=options.errors)
        return
    if is_parquet(path):
        yield from iter_parquet_records(path, text_field=options.text_field, id_field=options.id_field,
                                        skip_bad=options.skip_bad, bad_lines=bad)  # fmt: skip
        return
    yield from iter_records(
        path, text_field=options.text_field, id_field=options.id_field, errors=options.errors,
        skip_bad=options.skip_bad, bad_lines=bad,
    )  # fmt: skip


def clean_stream(
    job: CleanJob, records: Iterable[Record], executor: Executor, *, batch_size: int = 32
) -> Iterator[Processed]:
    """Clean a stream of records on any executor; results in input order (the single-output path).

    Examples:
        >>> from textclean import Cleaner
        >>> from textclean._executors import InProcessExecutor
        >>> job = CleanJob(Cleaner(), "text", "text", False, False, False, False, "v")
        >>> records = [Record("-", 1, "a", "Skip to main content\\nThe river rose.", None)]
        >>> [p.output for p in clean_stream(job, records, InProcessExecutor())]
        ['The river rose.\\n']
    """
    for processed in executor.map(functools.partial(process_batch, job), batched(records, batch_size)):
        yield from processed


def stats_to_dict(stats: CleanStats) -> dict[str, Any]:
    """A JSON-ready form of :class:`CleanStats` (stored in done-markers)."""
    return dataclasses.asdict(stats)


def stats_from_dict(data: dict[str, Any]) -> CleanStats:
    """The inverse of :func:`stats_to_dict`."""
    return CleanStats(**data)


@dataclass(frozen=True)
class CleanShard:
    """The stage that cleans one shard: ``CleanShard(...)(shard)`` returns the marker payload.

    The output shard (and the report part, with ``job.report``) are written through temporary
    files renamed into place; the done-marker is written last.
    """

    job: CleanJob
    read: ReadOptions
    outdir: str
    batch_size: int = BATCH_SIZE

    def _output(self, shard: Shard) -> contextlib.AbstractContextManager[Callable[[list[str]], None]]:
        return _shard_output(shard)

    def __call__(self, shard: Shard) -> dict[str, Any]:
        bad: list[str] = []
        stats = CleanStats()
        written = 0
        report_path = shard.state_path(self.outdir, "reports", ".report") if self.job.report else None
        if report_path:
            os.makedirs(os.path.dirname(report_path), exist_ok=True)
        with self._output(shard) as write, _optional_output(report_path) as report:
            for batch in batched(read_shard(shard.source, self.read, bad), self.batch_size):
                outputs = []
                processed_batch = process_batch(self.job, batch)
                stats = sum_counts(stats, [processed.stats for processed in processed_batch])
                for processed in processed_batch:
                    if processed.output is not None:
                        outputs.append(processed.output)
                    if report is not None:
                        report.writelines(line + "\n" for line in processed.report)
                write(outputs)
                written += len(outputs)
        payload = {"stats": stats_to_dict(stats), "skipped": bad, "records_out": written}
        write_marker(shard, payload)
        return payload


@contextlib.contextmanager
def _shard_output(shard: Shard) -> Iterator[Callable[[list[str]], None]]:
    """A writer of output lines into the shard's target: JSONL as is, Parquet rows for a Parquet shard."""
    if is_parquet(shard.source):
        with parquet_writer(shard.target, shard.source) as write_rows:
            yield lambda lines: write_rows([json.loads(line) for line in lines])
        return
    with atomic_output(shard.target) as out:
        yield out.writelines


@contextlib.contextmanager
def _optional_output(path: str | None) -> Iterator[IO[str] | None]:
    if path is None:
        yield None
        return
    with atomic_output(path) as handle:
        yield handle


def _concatenate(parts: Sequence[str], target: str) -> None:
    with atomic_output(target, binary=True) as sink:
        for part in parts:
            with open(part, "rb") as source:
                while block := source.read(1 << 20):
                    sink.write(block)


def clean_options(job: CleanJob, read: ReadOptions) -> dict[str, Any]:
    """What a resumed run must repeat: everything that changes an output byte."""
    return {"config": job.cleaner.config, "job": {f.name: getattr(job, f.name) for f in dataclasses.fields(job)
                                                  if f.name not in ("cleaner", "explain")}, "read": read}


def run_clean_sharded(args: argparse.Namespace, job: CleanJob) -> int:
    """Run ``textclean clean DIR -o OUTDIR``: one output shard per input shard, resumable.

    Shards with a valid done-marker are skipped, so a killed run started again finishes with
    every record exactly once. The summary counts every shard, also those done before.
    """
    if args.explain:
        raise ConfigError("--explain is not available for a directory of shards; use --report FILE instead")
    fmt = "text" if args.format == "text" else "jsonl"
    shards = plan_shards(args.inputs[0], args.output, suffixes=None if fmt == "text" else RECORD_SUFFIXES)
    read = ReadOptions.from_args(args, job.fmt)
    templates = {name: getattr(args, name, None) for name in ("learn_templates", "templates", "min_pages", "min_share")}
    manifest = {"command": "clean", "fingerprint": fingerprint("clean", [clean_options(job, read), templates])}
    stage = CleanShard(job, read, args.output)
    payloads: dict[int, dict[str, Any]] = {}
    with shard_run(args.output, shards, manifest):
        todo = []
        for shard in shards:
            payload = read_marker(shard)
            if payload is None:
                todo.append(shard)
            else:
                payloads[shard.number] = payload
        if payloads:
            log.info("resuming: %d of %d shards already done", len(payloads), len(shards))
        with executor_from_args(args) as executor:
            for shard, payload in zip(todo, executor.map(stage, todo), strict=True):
                payloads[shard.number] = payload
                log.info("done %s (%d/%d)", shard.relative, len(payloads), len(shards))
        if args.report:
            _concatenate([shard.state_path(args.output, "reports", ".report") for shard in shards], args.report)
    stats, skipped = CleanStats(), []
    for shard in shards:
        stats = stats + stats_from_dict(payloads[shard.number]["stats"])
        skipped.extend(payloads[shard.number]["skipped"])
    for message in skipped:
        log.warning("skipped: %s", message)
    if not args.quiet:
        from textclean._summary import summary_text

        sys.stderr.write(summary_text(stats, skipped=len(skipped)))
    return 0


def write_json(path: str, data: Any) -> None:
    """Write ``data`` as one JSON line, atomically."""
    with atomic_output(path) as handle:
        handle.write(json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n")


def shard_sources(args: argparse.Namespace, fmt: str) -> list[str]:
    """The input shard files of a sharded command line (for learning site templates first)."""
    suffixes = None if fmt == "text" else RECORD_SUFFIXES
    return [shard.source for shard in plan_shards(args.inputs[0], args.output, suffixes=suffixes)]
