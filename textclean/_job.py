"""One cleaning job: what to do with each record, as a pure, picklable function of a batch.

A :class:`CleanJob` holds the :class:`~textclean.Cleaner` and the output options; any executor
(in-process, worker processes, Dask) runs :func:`process_batch` on batches of records and gets
back, per record, the output line, the report lines and the statistics.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from textclean._cleaner import Cleaner
from textclean._io import Record
from textclean._normalize import split_lines
from textclean._result import CleanResult, CleanStats, Removal
from textclean._sites import site_for_record

__all__ = ["CleanJob", "Processed", "process_batch"]

_JSON = json.JSONEncoder(ensure_ascii=False)  # json.dumps(..., ensure_ascii=False), without a new encoder per line


@dataclass(frozen=True)
class Processed:
    """What a worker hands back for one record: the output line, report lines, explain lines, stats."""

    output: str | None
    report: list[str]
    doc_id: Any
    removed: tuple[Removal, ...]
    stats: CleanStats


@dataclass(frozen=True)
class CleanJob:
    cleaner: Cleaner
    fmt: str
    text_field: str
    annotate: bool
    drop_empty: bool
    report: bool
    explain: bool
    ruleset: str
    site_field: str | None = None
    url_field: str | None = None


def process_batch(job: CleanJob, records: list[Record]) -> list[Processed]:
    """Clean a batch of records: one processed result (output line, report lines, stats) each.

    Examples:
        >>> from textclean import Cleaner
        >>> job = CleanJob(Cleaner(), "jsonl", "text", False, False, False, False, "v")
        >>> record = Record("-", 1, "a", "Share on Facebook\\nThe river rose.", {"id": "a", "text": "x"})
        >>> process_batch(job, [record])[0].output
        '{"id": "a", "text": "The river rose."}\\n'
    """
    sites = [site_for_record(record.data, job.site_field, job.url_field) for record in records]
    texts = [record.text for record in records]
    if not (job.report or job.explain or job.annotate):  # nothing reads the removals: only texts and counts
        counted = job.cleaner.texts_and_counts(texts, sites=sites)
        return [
            Processed(_output_text(job, record, text), [], record.doc_id, (), stats)
            for record, (text, stats) in zip(records, counted, strict=True)
        ]
    results = job.cleaner.clean_many(texts, doc_ids=[record.doc_id for record in records], sites=sites)
    return [_process(job, record, result) for record, result in zip(records, results, strict=True)]


def _process(job: CleanJob, record: Record, result: CleanResult) -> Processed:
    report = [_report_line(job, record, result, i) for i in range(len(result.removed))] if job.report else []
    removed = result.removed if job.explain else ()
    stats = CleanStats.from_result(result)
    return Processed(_output(job, record, result), report, record.doc_id, removed, stats)


def _report_line(job: CleanJob, record: Record, result: CleanResult, index: int) -> str:
    entry: dict[str, Any] = {"doc": record.doc_id}
    entry.update(result.removed[index].to_dict())
    entry["ruleset"] = job.ruleset
    return _JSON.encode(entry)


def _output(job: CleanJob, record: Record, result: CleanResult) -> str | None:
    if not job.annotate:
        return _output_text(job, record, result.text)
    if job.fmt == "text":
        return _annotated_text(record.text, result)
    assert record.data is not None
    data = dict(record.data)
    data["textclean"] = {
        "removed": [r.to_dict() for r in result.removed],
        "removed_word_ratio": round(result.removed_word_ratio, 4),
        "mostly_chrome": result.mostly_chrome,
        "empty": result.is_empty,
    }
    return _JSON.encode(data) + "\n"


def _output_text(job: CleanJob, record: Record, text: str) -> str | None:
    """The output line of a record whose text is replaced by its cleaned ``text`` (``None``: dropped empty)."""
    if job.drop_empty and not text:
        return None
    if job.fmt == "text":
        return text + "\n" if text else ""
    assert record.data is not None
    data = dict(record.data)
    data[job.text_field] = text
    return _JSON.encode(data) + "\n"


def _annotated_text(text: str, result: CleanResult) -> str:
    """Every input line behind its verdict: the reason code, ``.`` for kept, nothing for blank."""
    codes = {line: r.code for r in result.removed for line in range(r.line_start, r.line_end + 1)}
    out = []
    for number, (start, end) in enumerate(split_lines(text), start=1):
        line = text[start:end]
        mark = codes.get(number, ".") if line.strip() else ""
        out.append(f"{mark}\t{line}\n")
    return "".join(out)
