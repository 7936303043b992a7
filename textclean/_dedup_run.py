"""What ``textclean dedup`` does: near-duplicate documents (or paragraphs) across a corpus.

Two passes over the inputs: the first signs every document (keeping only signatures and
shingle-hash sets in memory, never the texts), the second copies the kept records unchanged,
in input order. Standard input is spooled to a temporary file first.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import shutil
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import IO, Any

import numpy as np
import regex
from numpy.typing import NDArray

from textclean._dedup import (
    CODE_NAMES,
    DedupConfig,
    DedupResult,
    deduplicate_signed,
    describe_removal,
    unique_shingles,
)
from textclean._dedup_index import DedupIndex
from textclean._dedup_rules import PARAGRAPH_CODE_NAMES
from textclean._errors import ConfigError
from textclean._io import Record, atomic_output, check_output_not_input, detect_format, iter_records
from textclean._io import read_text_document as _read_text
from textclean._minhash import Simplify, _shingles
from textclean._progress import Progress

__all__ = ["run"]

logger = logging.getLogger("textclean.dedup")
_CHUNK = 2048


@dataclass
class _Signed:
    """What the first pass keeps: no texts, only ids, positions, signatures and shingle sets."""

    ids: list[Any] = field(default_factory=list)
    places: list[tuple[int, int]] = field(default_factory=list)
    signatures: list[NDArray[np.uint32]] = field(default_factory=list)
    hashes: list[NDArray[np.uint32]] = field(default_factory=list)
    sizes: list[NDArray[np.int64]] = field(default_factory=list)

    def arrays(self, num_perm: int) -> tuple[NDArray[np.uint32], NDArray[np.uint32], NDArray[np.int64]]:
        signatures = np.concatenate(self.signatures) if self.signatures else np.zeros((0, num_perm), np.uint32)
        hashes = np.concatenate(self.hashes) if self.hashes else np.zeros(0, np.uint32)
        sizes = np.concatenate(self.sizes) if self.sizes else np.zeros(0, np.int64)
        return signatures, hashes, np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)


def dedup_config(args: argparse.Namespace) -> DedupConfig:
    if args.workers < 1:
        raise ConfigError(f"--workers must be at least 1, not {args.workers}")
    return DedupConfig(
        threshold=args.threshold,
        ngram=args.ngram,
        num_perm=args.num_perm,
        seed=args.seed,
        bands=args.bands,
        rows=args.rows,
        simplify=Simplify(fold_digits=args.fold_digits),
        keep=args.keep,
    )


def _records(path: str, number: int, args: argparse.Namespace, bad: list[str]) -> Iterator[Record]:
    if detect_format(path) == "jsonl" or path.endswith(".tmp-stdin"):
        yield from iter_records(
            path, text_field=args.text_field, id_field=args.id_field, errors=args.errors,
            skip_bad=args.skip_bad, bad_lines=bad,
        )  # fmt: skip
    else:
        yield _read_text(path, errors=args.errors)


def _chunks(paths: list[str], args: argparse.Namespace, bad: list[str]) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for number, path in enumerate(paths):
        for record in _records(path, number, args, bad):
            chunk.append(record)
            if len(chunk) >= _CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def _sign_all(paths: list[str], args: argparse.Namespace, config: DedupConfig) -> _Signed:
    signed = _Signed()
    bad: list[str] = []
    number_of = {path: number for number, path in enumerate(paths)}

    def sign(chunk: list[Record]) -> tuple[list[Record], Any]:
        return chunk, unique_shingles([record.text for record in chunk], config)

    progress = Progress(enabled=not getattr(args, "quiet", False) and sys.stderr.isatty(), unit="documents signed")
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        pending: list[Any] = []
        for chunk in _chunks(paths, args, bad):
            pending.append(pool.submit(sign, chunk))
            if len(pending) > 2 * args.workers:
                _collect(pending.pop(0).result(), signed, number_of)
                progress.update(len(signed.ids))
        for future in pending:
            _collect(future.result(), signed, number_of)
            progress.update(len(signed.ids))
    progress.close()
    for line in bad:
        logger.warning("skipped: %s", line)
    return signed


def _collect(done: tuple[list[Record], Any], signed: _Signed, number_of: dict[str, int]) -> None:
    chunk, (signatures, hashes, bounds) = done
    signed.ids.extend(record.doc_id for record in chunk)
    signed.places.extend((number_of[record.path], record.line) for record in chunk)
    signed.signatures.append(signatures)
    signed.hashes.append(hashes)
    signed.sizes.append(np.diff(bounds))


@contextlib.contextmanager
def _spooled_inputs(inputs: list[str]) -> Iterator[list[str]]:
    """Copy standard input to a temporary file, so that it can be read twice."""
    if "-" not in inputs:
        yield inputs
        return
    with tempfile.NamedTemporaryFile(suffix=".tmp-stdin", delete=True) as spool:
        shutil.copyfileobj(sys.stdin.buffer, spool)
        spool.flush()
        yield [spool.name if path == "-" else path for path in inputs]


def run(args: argparse.Namespace) -> int:
    """Run ``textclean dedup``; return the exit code."""
    config = dedup_config(args)
    if args.unit == "paragraph" and (args.clusters or args.index):
        raise ConfigError("--clusters and --index work with --unit document only; drop them or the --unit option")
    for target in (args.output, args.clusters, args.report):
        check_output_not_input(target, args.inputs)
    bands, rows = config.banding
    curve = ", ".join(f"J={s:.2f}: {p:.1%}" for s, p in config.expected_detection().items())
    logger.info("banding %d x %d of %d permutations; expected detection %s", bands, rows, config.num_perm, curve)
    with _spooled_inputs(list(args.inputs)) as paths:
        if args.unit == "paragraph":
            return _run_paragraphs(paths, args, config)
        signed = _sign_all(paths, args, config)
        signatures, hashes, bounds = signed.arrays(config.num_perm)
        index = DedupIndex(args.index, config) if args.index else None
        old = {m.index: (m.doc_id, m.similarity) for m in index.match(signatures, hashes, bounds)} if index else {}
        exclude = np.zeros(len(signed.ids), dtype=bool)
        exclude[list(old)] = True
        result = deduplicate_signed(signatures, hashes, bounds, config, exclude)
        if index is not None:
            _append_kept(index, signatures, hashes, bounds, result, exclude, signed.ids)
        _write_outputs(paths, args, signed, result, old)
    removed = int(result.removed.sum()) + len(old)
    logger.info("%d documents, %d removed (%d found in the index; %d candidate pairs, %d verified)",
                len(signed.ids), removed, len(old), result.candidates, result.verified)  # fmt: skip
    return 0


def _append_kept(
    index: DedupIndex,
    signatures: NDArray[np.uint32],
    hashes: NDArray[np.uint32],
    bounds: NDArray[np.int64],
    result: DedupResult,
    exclude: NDArray[np.bool_],
    ids: list[Any],
) -> None:
    """Add the documents kept by this run to the index, as a new run."""
    kept = np.flatnonzero((result.duplicate_of < 0) & ~exclude)
    sizes = np.diff(bounds)[kept]
    pieces = [hashes[bounds[r] : bounds[r + 1]] for r in kept]
    kept_hashes = np.concatenate(pieces) if pieces else hashes[:0]
    kept_bounds = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    index.append(signatures[kept], kept_hashes, kept_bounds, ids=[ids[r] for r in kept])


def _write_outputs(
    paths: list[str], args: argparse.Namespace, signed: _Signed, result: DedupResult, old: dict[int, Any]
) -> None:
    removed = {row for row in range(len(signed.ids)) if result.duplicate_of[row] >= 0 or row in old}
    needed = {int(result.duplicate_of[row]) for row in removed if row not in old} | removed
    texts: dict[int, str] = {}
    with atomic_output(args.output, binary=True) as sink:
        for row, raw, text in _second_pass(paths, signed, args):
            if args.report and row in needed:
                texts[row] = text
            if row not in removed:
                sink.write(raw)
    if args.clusters:
        with atomic_output(args.clusters) as handle:
            for row, doc_id in enumerate(signed.ids):
                _write_cluster_line(handle, row, doc_id, signed, result, old)
    if args.report:
        with atomic_output(args.report) as handle:
            for row in sorted(removed):
                handle.write(json.dumps(_report_line(row, signed, result, old, texts), ensure_ascii=False) + "\n")


def _second_pass(paths: list[str], signed: _Signed, args: argparse.Namespace) -> Iterator[tuple[int, bytes, str]]:
    """Yield (row, raw output line, text) of every signed record, in input order."""
    from textclean._io import iter_raw_lines

    row = 0
    for number, path in enumerate(paths):
        if not (detect_format(path) == "jsonl" or path.endswith(".tmp-stdin")):
            record = _read_text(path, errors=args.errors)
            line = json.dumps({"id": record.doc_id, "text": record.text}, ensure_ascii=False) + "\n"
            yield row, line.encode("utf-8"), record.text
            row += 1
            continue
        for line_number, _, raw in iter_raw_lines(path):
            if row < len(signed.places) and signed.places[row] == (number, line_number):
                text = json.loads(raw.decode("utf-8", args.errors))[args.text_field] if args.report else ""
                yield row, raw if raw.endswith(b"\n") else raw + b"\n", text
                row += 1


def _write_cluster_line(
    handle: IO[str], row: int, doc_id: Any, signed: _Signed, result: DedupResult, old: dict[int, Any]
) -> None:
    if row in old:
        other, similarity = old[row]
    elif result.duplicate_of[row] >= 0:
        other, similarity = signed.ids[int(result.duplicate_of[row])], float(result.similarity[row])
    else:
        other, similarity = None, None
    line = {"id": doc_id, "duplicate_of": other, "similarity": similarity}
    handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def _report_line(
    row: int, signed: _Signed, result: DedupResult, old: dict[int, Any], texts: dict[int, str]
) -> dict[str, Any]:
    if row in old:
        other_id, similarity = old[row]
        other_text = None
    else:
        rep = int(result.duplicate_of[row])
        other_id, similarity, other_text = signed.ids[rep], float(result.similarity[row]), texts.get(rep)
    code = "D102" if similarity >= 1.0 else "D101"
    line: dict[str, Any] = {
        "id": signed.ids[row], "code": code, "rule": CODE_NAMES[code], "duplicate_of": other_id,
        "similarity": round(similarity, 4), "verified_by": "exact-shingle-jaccard",
        "matched_in": "index" if row in old else "batch",
    }  # fmt: skip
    if other_text is not None:
        line.update(describe_removal(texts.get(row, ""), other_text))
    return line


_LINE = regex.compile(r"[^\n]*\S[^\n]*")


def _run_paragraphs(paths: list[str], args: argparse.Namespace, config: DedupConfig) -> int:
    """Drop paragraphs (non-blank lines) already seen earlier in the corpus, exactly or nearly."""
    bad: list[str] = []
    places: list[tuple[str, int, Any]] = []
    owners: list[int] = []
    spans: list[tuple[int, int]] = []
    texts: list[str] = []
    for record in (r for chunk in _chunks(paths, args, bad) for r in chunk):
        for match in _LINE.finditer(record.text):
            owners.append(len(places))
            spans.append(match.span())
            texts.append(match.group())
        places.append((record.path, record.line, record.doc_id))
    signatures, hashes, bounds = unique_shingles(texts, config)
    sizes = np.diff(bounds)
    exact, exact_bounds = _shingles(texts, 64, config.simplify)
    whole = np.where(np.diff(exact_bounds) == 1, exact[np.minimum(exact_bounds[:-1], len(exact) - 1)], 0)
    short = (sizes > 0) & (sizes <= config.ngram)
    duplicate_of = np.full(len(texts), -1, dtype=np.int64)
    similarity = np.ones(len(texts))
    first_seen: dict[int, int] = {}
    for row in np.flatnonzero(short).tolist():
        duplicate_of[row] = first_seen.setdefault(int(whole[row]), row)
    duplicate_of[duplicate_of == np.arange(len(texts))] = -1
    long_rows = np.flatnonzero(sizes > config.ngram)
    sub_bounds = np.concatenate(([0], np.cumsum(sizes[long_rows])))
    sub_hashes = np.concatenate([hashes[bounds[r] : bounds[r + 1]] for r in long_rows]) if len(long_rows) else hashes
    found = deduplicate_signed(signatures[long_rows], sub_hashes, sub_bounds, replace(config, keep="first"))
    hit = found.duplicate_of >= 0
    duplicate_of[long_rows[hit]] = long_rows[found.duplicate_of[hit]]
    similarity[long_rows[hit]] = found.similarity[hit]
    _write_paragraphs(args, places, owners, spans, duplicate_of, similarity)
    logger.info("%d paragraphs, %d removed", len(texts), int((duplicate_of >= 0).sum()))
    return 0


def _write_paragraphs(
    args: argparse.Namespace,
    places: list[tuple[str, int, Any]],
    owners: list[int],
    spans: list[tuple[int, int]],
    duplicate_of: NDArray[np.int64],
    similarity: NDArray[np.float64],
) -> None:
    removed_by_doc: dict[int, list[int]] = {}
    for row in np.flatnonzero(duplicate_of >= 0).tolist():
        removed_by_doc.setdefault(owners[row], []).append(row)
    first_row: dict[int, int] = {}
    for row, owner in enumerate(owners):
        first_row.setdefault(owner, row)
    doc = 0
    with atomic_output(args.output, binary=True) as sink:
        for path in dict.fromkeys(place[0] for place in places):
            for record in _records(path, 0, args, []):
                rows = removed_by_doc.get(doc, [])
                doc += 1
                if not rows:
                    sink.write(json.dumps(record.data or {"id": record.doc_id, "text": record.text},
                                          ensure_ascii=False).encode() + b"\n")  # fmt: skip
                    continue
                text = _cut(record.text, [spans[r] for r in rows])
                if text.strip():
                    data = dict(record.data or {"id": record.doc_id})
                    data[args.text_field if record.data else "text"] = text
                    sink.write(json.dumps(data, ensure_ascii=False).encode() + b"\n")
    if args.report:
        with atomic_output(args.report) as handle:
            for row in np.flatnonzero(duplicate_of >= 0).tolist():
                other = int(duplicate_of[row])
                code = "D202" if similarity[row] >= 1.0 else "D201"
                where = {"id": places[owners[other]][2], "paragraph": other - first_row[owners[other]]}
                line = {
                    "id": places[owners[row]][2],
                    "paragraph": row - first_row[owners[row]],
                    "code": code,
                    "rule": PARAGRAPH_CODE_NAMES[code],
                    "similarity": round(float(similarity[row]), 4),
                    "duplicate_of": where,
                    "span": list(spans[row]),
                }
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    """Remove the given line spans (and their line breaks) from ``text``."""
    pieces, last = [], 0
    for start, end in sorted(spans):
        pieces.append(text[last:start])
        last = end + 1 if text[end : end + 1] == "\n" else end
    pieces.append(text[last:])
    return "".join(pieces)

