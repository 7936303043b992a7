"""Executors: ordered maps, the exchange (shuffle), and the same clean output from each."""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from textclean import Cleaner
from textclean._errors import ConfigError
from textclean._executors import InProcessExecutor, ProcessExecutor, make_executor
from textclean._io import iter_records
from textclean._job import CleanJob, process_batch
from textclean._pipeline import CleanShard, ReadOptions
from textclean._shards import plan_shards

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import generate  # noqa: E402  (the benchmark corpus, importable only from benchmarks/)


def write_shards(directory: Path, shards: int, docs: int, seed: int = 7) -> list[dict[str, object]]:
    """Write ``shards`` JSONL shards (odd ones gzipped, some in a subdirectory); return the records."""
    import gzip

    records = list(generate(shards * docs, seed))
    for number in range(shards):
        name = f"sub/part-{number:03d}.jsonl" if number % 3 == 2 else f"part-{number:03d}.jsonl"
        name += ".gz" if number % 2 else ""
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[number * docs : (number + 1) * docs])
        path.write_bytes(gzip.compress(data.encode(), mtime=0) if name.endswith(".gz") else data.encode())
    return records


def read_outputs(outdir: Path) -> dict[str, list[str]]:
    """Every output shard's lines, by relative name (bookkeeping excluded)."""
    found = {}
    for path in sorted(outdir.rglob("*.jsonl*")):
        relative = path.relative_to(outdir).as_posix()
        if not relative.startswith("."):
            found[relative] = [json.dumps(r.data, ensure_ascii=False) for r in iter_records(str(path))]
    return found


def double(chunk: int) -> int:
    return chunk * 2


def split_parity(n: int) -> list[list[int]]:
    return [[x for x in range(n) if x % 2 == b] for b in range(2)]


def total(bucket: int, pieces: list[list[int]]) -> tuple[int, int]:
    return bucket, sum(map(sum, pieces))


@pytest.mark.parametrize("executor", [InProcessExecutor(), ProcessExecutor(1), ProcessExecutor(2)],
                         ids=["inprocess", "processes-1", "processes-2"])
def test_map_is_ordered_and_exchange_groups_by_bucket(executor: InProcessExecutor) -> None:
    with executor:
        assert list(executor.map(double, range(50))) == [2 * x for x in range(50)]
        assert executor.exchange(split_parity, [3, 4, 5], total, 2) == [(0, 2 + 2 + 6), (1, 1 + 4 + 4)]


def test_unknown_engine_and_misplaced_scheduler_are_refused() -> None:
    with pytest.raises(ConfigError, match="unknown engine"):
        make_executor("ray")
    with pytest.raises(ConfigError, match="--engine dask"):
        make_executor("processes", scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(ConfigError, match="at least 1"):
        ProcessExecutor(0)


def clean_job(**changes: object) -> CleanJob:
    fields = dict(cleaner=Cleaner(), fmt="jsonl", text_field="text", annotate=False, drop_empty=False,
                  report=True, explain=False, ruleset="test")
    fields.update(changes)
    return CleanJob(**fields)  # type: ignore[arg-type]


def reference_clean(paths: list[str], job: CleanJob) -> list[str]:
    """The single-process output of ``textclean clean`` over the shards in order, one line each."""
    inputs = [record for path in paths for record in iter_records(path)]
    return [p.output.rstrip("\n") for p in process_batch(job, inputs) if p.output is not None]


@pytest.mark.parametrize("engine,workers", [("inprocess", 1), ("processes", 1), ("processes", 2)])
def test_every_local_executor_writes_the_same_shards(tmp_path: Path, engine: str, workers: int) -> None:
    records = write_shards(tmp_path / "in", shards=5, docs=4)
    job = clean_job()
    shards = plan_shards(str(tmp_path / "in"), str(tmp_path / "out"))
    (tmp_path / "out" / "sub").mkdir(parents=True)
    with make_executor(engine, workers=workers) as executor:
        payloads = list(executor.map(CleanShard(job, ReadOptions(), str(tmp_path / "out")), shards))
    assert sum(p["stats"]["documents"] for p in payloads) == len(records)
    outputs = read_outputs(tmp_path / "out")
    assert list(outputs) == [shard.relative for shard in shards]
    assert [line for lines in outputs.values() for line in lines] == reference_clean([s.source for s in shards], job)


def test_stage_functions_pickle() -> None:
    import pickle

    stage = CleanShard(clean_job(), ReadOptions(), "/tmp/x")
    assert repr(pickle.loads(pickle.dumps(stage))) == repr(stage)
    assert pickle.loads(pickle.dumps(functools.partial(double)))(2) == 4


class _Unpickled:
    """A job that says how often this worker process has unpickled it."""

    def __setstate__(self, state: dict[str, Any]) -> None:
        global _UNPICKLED
        _UNPICKLED += 1
        self.__dict__.update(state)

    def __call__(self, item: int) -> tuple[int, int, int]:
        return item, os.getpid(), _UNPICKLED


_UNPICKLED = 0


def test_worker_processes_unpickle_the_job_once_and_keep_its_state() -> None:
    """A worker keeps the job it unpickled for the next items: its memos live from batch to batch."""
    job = _Unpickled()
    job.seen = True  # a state to restore
    with ProcessExecutor(workers=2) as executor:
        results = list(executor.map(job, range(20)))
    assert [item for item, _, _ in results] == list(range(20))
    assert {count for _, _, count in results} == {1}  # once in each worker, whatever its share of the items
