"""Distributed near-duplicate removal over a directory of shards, on any executor.

The same decisions as the local ``textclean dedup`` (:func:`textclean._dedup.deduplicate_signed`),
byte for byte, computed in stages that never move a text:

1. **sign** (a map over shards): signatures and unique shingle sets, saved beside the output
   in ``OUTDIR/.textclean/signed/`` (``.npy`` files, read back memory-mapped);
2. **band keys, shuffled by key** (:meth:`~textclean._executors.Executor.exchange`): each shard
   emits ``(band, key, row)`` per band, hash-partitioned by key; each bucket pairs the rows of
   every run of equal ``(band, key)`` exactly as :func:`textclean._lsh.candidate_pairs` does
   (run ordered by row; each row with the run's first row and its ``partners`` predecessors);
3. **verify** (a map over blocks of candidate pairs): only the signatures and shingle sets of
   the rows in the block are read, and :func:`textclean._dedup.verify_pairs` keeps the pairs
   whose exact Jaccard similarity reaches the threshold;
4. **cluster**: by default on one node, the local run's policy over the verified edges
   (16 bytes an edge, 8 a document). When they are too many (:func:`dedup_shards_distributed`),
   the edges stay in files: connected components by alternating large-star and small-star
   steps over the same shuffle, then the edges are shuffled by component and each bucket of
   whole components is clustered by the same policy (clusters never span components);
5. **filter** (a map over shards): each output shard receives the kept raw lines of its input.

Every stage is resumable: signed shards and written shards have done-markers, and the
decisions are saved once computed.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import itertools
import json
import logging
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from textclean._dedup import DedupConfig, cluster_verified, unique_shingles, verify_pairs
from textclean._errors import ConfigError
from textclean._executors import Executor, executor_from_args
from textclean._io import atomic_output, iter_raw_lines
from textclean._lsh import _group_pairs, band_keys
from textclean._parquet import is_parquet, write_parquet_rows
from textclean._pipeline import ReadOptions, batched, read_shard
from textclean._shards import RECORD_SUFFIXES, Shard, fingerprint, plan_shards, read_marker, shard_run, write_marker

__all__ = ["SignedShard", "dedup_shards", "run_dedup_sharded"]

log = logging.getLogger("textclean.dedup")
SIGN_BATCH = 2048
PAIRS_PER_TASK = 1 << 18
DISTRIBUTED_ABOVE = 20_000_000
"""Documents above which ``components="auto"`` keeps edges off the driver (large-star/small-star)."""
_ROW_BITS = np.uint64(40)
_ROW_MASK = np.uint64((1 << 40) - 1)
_PAIR_BITS = np.uint64(32)
_LOW32 = np.uint64(0xFFFFFFFF)
_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class SignedShard:
    """Where a shard's signing results are, and its first global row.

    Attributes:
        prefix: the common prefix of the ``.signatures.npy``, ``.hashes.npy``, ``.bounds.npy``,
            ``.lines.npy`` and ``.ids.json`` files.
        offset: the global row of the shard's first record.
        count: the number of records signed.
    """

    prefix: str
    offset: int
    count: int

    def load(self, part: str) -> NDArray[Any]:
        """One array, memory-mapped (only the pages touched are read)."""
        return np.load(self.prefix + f".{part}.npy", mmap_mode="r")  # type: ignore[no-any-return]


def _signed_view(shard: Shard, outdir: str) -> Shard:
    """The shard as seen by the sign stage: its 'output' is the signatures file."""
    prefix = shard.state_path(outdir, "signed", "")
    return dataclasses.replace(shard, target=prefix + ".signatures.npy", marker=prefix + ".done")


def _save(path: str, array: NDArray[Any]) -> None:
    with atomic_output(path, binary=True) as sink:
        np.save(sink, array)


@dataclass(frozen=True)
class SignShard:
    """Stage 1: sign one shard; saves its arrays and marker, returns ``{"count", "skipped"}``."""

    read: ReadOptions
    config: DedupConfig
    outdir: str

    def __call__(self, shard: Shard) -> dict[str, Any]:
        view = _signed_view(shard, self.outdir)
        prefix = view.target[: -len(".signatures.npy")]
        os.makedirs(os.path.dirname(prefix), exist_ok=True)
        bad: list[str] = []
        ids: list[Any] = []
        lines: list[int] = []
        parts: list[tuple[NDArray[np.uint32], NDArray[np.uint32], NDArray[np.int64]]] = []
        for batch in batched(read_shard(shard.source, self.read, bad), SIGN_BATCH):
            ids.extend(record.doc_id for record in batch)
            lines.extend(record.line for record in batch)
            parts.append(unique_shingles([record.text for record in batch], self.config))
        signatures = np.concatenate([p[0] for p in parts]) if parts else np.zeros((0, self.config.num_perm), np.uint32)
        hashes = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.uint32)
        sizes = np.concatenate([np.diff(p[2]) for p in parts]) if parts else np.zeros(0, np.int64)
        _save(prefix + ".hashes.npy", hashes)
        _save(prefix + ".bounds.npy", np.concatenate(([0], np.cumsum(sizes))).astype(np.int64))
        _save(prefix + ".lines.npy", np.array(lines, dtype=np.int64))
        with atomic_output(prefix + ".ids.json") as handle:
            json.dump(ids, handle, ensure_ascii=False)
        _save(view.target, signatures)
        payload = {"count": len(ids), "skipped": bad}
        write_marker(view, payload)
        return payload


@dataclass(frozen=True)
class BandPieces:
    """Stage 2a (mapper): the band keys of one shard, split into ``buckets`` by key.

    Each piece is a ``(2, n)`` uint64 array: the key, and ``band << 40 | global row``.
    """

    bands: int
    rows: int
    buckets: int

    def __call__(self, signed: SignedShard) -> list[NDArray[np.uint64]]:
        keys = band_keys(np.asarray(signed.load("signatures")), self.bands, self.rows)
        rows = np.arange(signed.offset, signed.offset + signed.count, dtype=np.uint64)
        tags = (np.arange(self.bands, dtype=np.uint64)[None, :] << _ROW_BITS) | rows[:, None]
        flat_keys, flat_tags = keys.ravel(), tags.ravel()
        bucket = (flat_keys % np.uint64(self.buckets)).astype(np.int64)
        order = np.argsort(bucket, kind="stable")
        edges = np.searchsorted(bucket[order], np.arange(self.buckets + 1))
        return [np.stack((flat_keys[order[a:b]], flat_tags[order[a:b]])) for a, b in itertools.pairwise(edges)]


def candidate_codes(partners: int, bucket: int, pieces: list[NDArray[np.uint64]]) -> NDArray[np.uint64]:
    """Stage 2b (reducer): the candidate pairs of one bucket, as sorted unique ``i << 32 | j`` codes.

    Examples:
        >>> piece = np.array([[5, 5, 7], [0, 1, 2]], dtype=np.uint64)  # rows 0 and 1 share key 5 in band 0
        >>> candidate_codes(4, 0, [piece]).tolist()
        [1]
    """
    both = np.concatenate(pieces, axis=1) if pieces else np.zeros((2, 0), np.uint64)
    keys, tags = both[0], both[1]
    bands, rows = tags >> _ROW_BITS, tags & _ROW_MASK
    order = np.lexsort((rows, keys, bands))
    keys, bands, rows = keys[order], bands[order], rows[order]
    starts = np.ones(len(keys), dtype=bool)
    starts[1:] = (keys[1:] != keys[:-1]) | (bands[1:] != bands[:-1])
    run_ids = np.cumsum(starts).astype(np.uint64)
    found = [np.zeros(0, np.uint64)]
    for earlier, later in _group_pairs(rows.astype(np.int64), run_ids, partners):
        low, high = np.minimum(earlier, later).astype(np.uint64), np.maximum(earlier, later).astype(np.uint64)
        found.append((low << _PAIR_BITS) | high)
    return np.unique(np.concatenate(found))


@dataclass(frozen=True)
class VerifyBlock:
    """Stage 3: verify a block of candidate codes, reading only the rows it needs."""

    config: DedupConfig
    signed: tuple[SignedShard, ...]

    def __call__(self, codes: NDArray[np.uint64]) -> tuple[NDArray[np.uint64], NDArray[np.float64]]:
        left, right = (codes >> _PAIR_BITS).astype(np.int64), (codes & _LOW32).astype(np.int64)
        needed, local = np.unique(np.concatenate((left, right)), return_inverse=True)
        signatures, hashes, bounds = self._gather(needed)
        pairs = local.reshape(2, -1).T.astype(np.int64)
        good, similarity = verify_pairs(pairs, signatures, hashes, bounds, self.config)
        kept = (needed[good[:, 0]].astype(np.uint64) << _PAIR_BITS) | needed[good[:, 1]].astype(np.uint64)
        return kept, similarity

    def _gather(self, rows: NDArray[np.int64]) -> tuple[NDArray[np.uint32], NDArray[np.uint32], NDArray[np.int64]]:
        offsets = np.array([s.offset for s in self.signed], dtype=np.int64)
        owner = np.searchsorted(offsets, rows, side="right") - 1
        signatures: list[NDArray[np.uint32]] = []
        hashes: list[NDArray[np.uint32]] = []
        for number in np.unique(owner).tolist():
            shard = self.signed[number]
            local = rows[owner == number] - shard.offset
            signatures.append(np.asarray(shard.load("signatures")[local]))
            all_hashes, all_bounds = shard.load("hashes"), shard.load("bounds")
            hashes.extend(np.asarray(all_hashes[all_bounds[r] : all_bounds[r + 1]]) for r in local.tolist())
        sizes = np.array([len(h) for h in hashes], dtype=np.int64)
        bounds = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
        flat = np.concatenate(hashes) if hashes else np.zeros(0, np.uint32)
        return np.concatenate(signatures), flat.astype(np.uint32), bounds


def dedup_shards(
    signed: Sequence[SignedShard], config: DedupConfig, executor: Executor, *, buckets: int | None = None
) -> tuple[NDArray[np.int64], NDArray[np.float64], int, int]:
    """Stages 2-4 over signed shards: ``(duplicate_of, similarity, candidates, verified)``.

    The result equals :func:`textclean._dedup.deduplicate_signed` over the concatenated shards.
    """
    count = sum(s.count for s in signed)
    if count >= 1 << 32:
        raise ConfigError(f"{count} documents: more than 2**32 in one run; deduplicate in several runs")
    bands, rows = config.banding
    buckets = buckets or max(1, 2 * executor.workers)
    codes = executor.exchange(BandPieces(bands, rows, buckets), list(signed),
                              functools.partial(candidate_codes, 4), buckets)  # fmt: skip
    candidates = np.unique(np.concatenate(codes)) if codes else np.zeros(0, np.uint64)
    del codes
    blocks = [candidates[low : low + PAIRS_PER_TASK] for low in range(0, len(candidates), PAIRS_PER_TASK)]
    verified = list(executor.map(VerifyBlock(config, tuple(signed)), blocks))
    kept = np.concatenate([v[0] for v in verified]) if verified else np.zeros(0, np.uint64)
    similarity = np.concatenate([v[1] for v in verified]) if verified else np.zeros(0, np.float64)
    edges = np.stack(((kept >> _PAIR_BITS).astype(np.int64), (kept & _LOW32).astype(np.int64)), axis=1)
    lengths = np.concatenate([np.diff(np.asarray(s.load("bounds"))) for s in signed]) if signed else np.zeros(0)
    duplicate_of, best = cluster_verified(count, edges, similarity, lengths.astype(np.int64), config)
    return duplicate_of, best, len(candidates), len(edges)


@dataclass(frozen=True)
class FilterShard:
    """Stage 5: copy the kept raw lines of one input shard to its output shard, then mark it done."""

    outdir: str

    def __call__(self, job: tuple[Shard, SignedShard, NDArray[np.bool_]]) -> dict[str, Any]:
        shard, signed, removed = job
        lines = np.asarray(signed.load("lines"))
        if is_parquet(shard.source):
            written = write_parquet_rows(shard.source, shard.target, lines[~removed].tolist())
            payload = {"records_in": len(lines), "records_out": written}
            write_marker(shard, payload)
            return payload
        written = row = 0
        with atomic_output(shard.target, binary=True) as sink:
            for line_number, _, raw in iter_raw_lines(shard.source):
                if row < len(lines) and lines[row] == line_number:
                    if not removed[row]:
                        sink.write(raw if raw.endswith(b"\n") else raw + b"\n")
                        written += 1
                    row += 1
        payload = {"records_in": len(lines), "records_out": written}
        write_marker(shard, payload)
        return payload


def _sign(shards: Sequence[Shard], stage: SignShard, executor: Executor) -> list[SignedShard]:
    payloads: dict[int, dict[str, Any]] = {}
    todo = []
    for shard in shards:
        payload = read_marker(_signed_view(shard, stage.outdir))
        if payload is None:
            todo.append(shard)
        else:
            payloads[shard.number] = payload
    for shard, payload in zip(todo, executor.map(stage, todo), strict=True):
        payloads[shard.number] = payload
    signed, offset = [], 0
    for shard in shards:
        for message in payloads[shard.number]["skipped"]:
            log.warning("skipped: %s", message)
        prefix = _signed_view(shard, stage.outdir).target[: -len(".signatures.npy")]
        signed.append(SignedShard(prefix, offset, int(payloads[shard.number]["count"])))
        offset += signed[-1].count
    return signed


def _decide(
    shards: Sequence[Shard], signed: Sequence[SignedShard], config: DedupConfig, outdir: str, executor: Executor,
    components: str = "auto",
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The dedup decisions, computed once and saved (a resumed run reuses them)."""
    path = os.path.join(outdir, ".textclean", "decisions.npz")
    key = fingerprint("decisions", [[s.relative, os.stat(s.source).st_size, os.stat(s.source).st_mtime_ns]
                                    for s in shards])  # fmt: skip
    try:
        with np.load(path) as saved:
            if str(saved["key"]) == key:
                return saved["duplicate_of"], saved["similarity"]
    except (OSError, KeyError, ValueError):
        pass
    if components == "distributed" or (components == "auto" and sum(s.count for s in signed) > DISTRIBUTED_ABOVE):
        scratch = os.path.join(outdir, ".textclean", "components")
        buckets = max(4, 2 * executor.workers)
        from textclean._dask_components import dedup_shards_distributed

        duplicate_of, similarity, candidates, verified = dedup_shards_distributed(signed, config, executor, scratch,
                                                                                  buckets=buckets)  # fmt: skip
        shutil.rmtree(scratch, ignore_errors=True)
    else:
        duplicate_of, similarity, candidates, verified = dedup_shards(signed, config, executor)
    log.info("%d documents, %d removed (%d candidate pairs, %d verified)", len(duplicate_of),
             int((duplicate_of >= 0).sum()), candidates, verified)  # fmt: skip
    with atomic_output(path, binary=True) as sink:
        np.savez(sink, key=np.array(key), duplicate_of=duplicate_of, similarity=similarity)
    return duplicate_of, similarity


def _write_clusters(path: str, signed: Sequence[SignedShard], duplicate_of: NDArray[np.int64],
                    similarity: NDArray[np.float64]) -> None:  # fmt: skip
    """One JSON line per document, as the local ``--clusters`` writes it."""
    wanted = np.unique(duplicate_of[duplicate_of >= 0])
    names: dict[int, Any] = {}
    for shard in signed:
        low, high = np.searchsorted(wanted, [shard.offset, shard.offset + shard.count])
        if low == high:
            continue
        with open(shard.prefix + ".ids.json", encoding="utf-8") as handle:
            ids = json.load(handle)
        names.update((row, ids[row - shard.offset]) for row in wanted[low:high].tolist())
    with atomic_output(path) as out:
        for shard in signed:
            with open(shard.prefix + ".ids.json", encoding="utf-8") as handle:
                ids = json.load(handle)
            for row, doc_id in enumerate(ids, start=shard.offset):
                other = names[int(duplicate_of[row])] if duplicate_of[row] >= 0 else None
                value = float(similarity[row]) if duplicate_of[row] >= 0 else None
                out.write(json.dumps({"id": doc_id, "duplicate_of": other, "similarity": value},
                                     ensure_ascii=False) + "\n")  # fmt: skip


def _refuse_unsupported(args: argparse.Namespace) -> None:
    for flag, value in (("--report", getattr(args, "report", None)), ("--index", getattr(args, "index", None))):
        if value:
            raise ConfigError(f"{flag} is not available for a directory of shards yet; "
                              "pass the shard files as a list instead (textclean dedup a.jsonl b.jsonl ...)")
    if getattr(args, "unit", "document") != "document":
        raise ConfigError("--unit paragraph is not available for a directory of shards; pass the files as a list")


def run_dedup_sharded(args: argparse.Namespace, config: DedupConfig) -> int:
    """Run ``textclean dedup DIR -o OUTDIR``: one output shard per input shard, resumable.

    The kept records are the ones the local run over the same shards (in sorted order) keeps,
    byte for byte; a killed run started again finishes with every record exactly once.
    """
    _refuse_unsupported(args)
    read = ReadOptions.from_args(args, "jsonl")
    shards = plan_shards(args.inputs[0], args.output, suffixes=RECORD_SUFFIXES)
    manifest = {"command": "dedup", "fingerprint": fingerprint("dedup", {"config": config, "read": read})}
    with shard_run(args.output, shards, manifest), executor_from_args(args) as executor:
        signed = _sign(shards, SignShard(read, config, args.output), executor)
        components = getattr(args, "components", "auto")
        duplicate_of, similarity = _decide(shards, signed, config, args.output, executor, components)
        removed = duplicate_of >= 0
        todo = [(shard, signed[shard.number], removed[signed[shard.number].offset :][: signed[shard.number].count])
                for shard in shards if read_marker(shard) is None]  # fmt: skip
        for (shard, _, _), payload in zip(todo, executor.map(FilterShard(args.output), todo), strict=True):
            log.info("done %s: %d of %d records kept", shard.relative, payload["records_out"], payload["records_in"])
        if args.clusters:
            _write_clusters(args.clusters, signed, duplicate_of, similarity)
    return 0


# --- When the verified edges are too many for one node: everything stays in files on shared storage.
