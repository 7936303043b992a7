"""The Dask engine: the same outputs as the local executors, on a session-scoped LocalCluster."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from textclean._dask_components import dedup_shards_distributed
from textclean._dask_dedup import SignShard, _sign, dedup_shards
from textclean._dedup import DedupConfig, deduplicate_signed, unique_shingles
from textclean._errors import ConfigError
from textclean._executors import DaskExecutor, Executor, make_executor
from textclean._io import iter_records
from textclean._pipeline import CleanShard, ReadOptions
from textclean._shards import plan_shards

distributed = pytest.importorskip("distributed")
from test_executors import ROOT, clean_job, read_outputs, reference_clean, write_shards  # noqa: E402


@pytest.fixture(scope="session")
def dask_client() -> Iterator[Any]:
    """Two worker processes on loopback, shared by every Dask test."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=":0", silence_logs=50)  # fmt: skip
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def near_duplicate_corpus(directory: Path, shards: int = 4, docs: int = 120, seed: int = 3) -> list[str]:
    """Shards of edited copies of a few base texts: many candidate runs, clusters across shards."""
    rng = random.Random(seed)
    vocabulary = [f"w{n}" for n in range(400)]
    bases = [[rng.choice(vocabulary) for _ in range(rng.randint(20, 120))] for _ in range(40)]
    texts = []
    for _ in range(shards * docs):
        words = list(rng.choice(bases))
        for _ in range(rng.choice([0, 0, 1, 2, 5, 15])):
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        texts.append(" ".join(words))
    directory.mkdir(parents=True, exist_ok=True)
    for number in range(shards):
        with open(directory / f"s{number:02d}.jsonl", "w", encoding="utf-8") as handle:
            for row in range(number * docs, (number + 1) * docs):
                handle.write(json.dumps({"id": f"d{row}", "text": texts[row]}) + "\n")
    return texts


def distributed_decisions(tmp: Path, executor: Executor, config: DedupConfig) -> tuple[Any, Any, int, int]:
    shards = plan_shards(str(tmp / "in"), str(tmp / f"out-{executor.name}"))
    signed = _sign(shards, SignShard(ReadOptions(), config, str(tmp / f"out-{executor.name}")), executor)
    return dedup_shards(signed, config, executor)


@pytest.mark.parametrize("keep", ["first", "longest"])
def test_distributed_dedup_equals_the_local_batch_on_every_engine(tmp_path: Path, dask_client: Any,
                                                                   keep: str) -> None:  # fmt: skip
    texts = near_duplicate_corpus(tmp_path / "in")
    config = DedupConfig(threshold=0.7, keep=keep)  # type: ignore[arg-type]
    local = deduplicate_signed(*unique_shingles(texts, config), config)
    assert local.removed.sum() > 100 and local.candidates > local.verified
    executors = [make_executor("inprocess"), make_executor("processes", workers=2), DaskExecutor(client=dask_client)]
    for executor in executors:
        with executor:
            duplicate_of, similarity, candidates, verified = distributed_decisions(tmp_path, executor, config)
        assert (candidates, verified) == (local.candidates, local.verified), executor.name
        assert np.array_equal(duplicate_of, local.duplicate_of), executor.name
        assert np.array_equal(similarity, local.similarity, equal_nan=True), executor.name


def test_dask_cleans_the_same_shards(tmp_path: Path, dask_client: Any) -> None:
    write_shards(tmp_path / "in", shards=4, docs=3)
    job = clean_job()
    shards = plan_shards(str(tmp_path / "in"), str(tmp_path / "out"))
    (tmp_path / "out" / "sub").mkdir(parents=True)
    with DaskExecutor(client=dask_client) as executor:
        list(executor.map(CleanShard(job, ReadOptions(), str(tmp_path / "out")), shards))
    lines = [line for lines in read_outputs(tmp_path / "out").values() for line in lines]
    assert lines == reference_clean([s.source for s in shards], job)


def test_joining_a_cluster_by_address_and_failing_clearly(dask_client: Any) -> None:
    with make_executor("dask", scheduler=dask_client.scheduler.address) as executor:
        assert executor.workers == 2
        assert list(executor.map(abs, [-1, -2])) == [1, 2]
    with pytest.raises(ConfigError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        make_executor("dask", scheduler="tcp://127.0.0.1:9", connect_timeout=1.0)


def test_command_line_engine_dask_starts_a_local_cluster(tmp_path: Path) -> None:
    write_shards(tmp_path / "in", shards=3, docs=2)
    command = [sys.executable, "-m", "textclean", "clean", str(tmp_path / "in"), "-o", str(tmp_path / "a"),
               "--engine", "dask", "--workers", "2", "-q"]  # fmt: skip
    subprocess.run(command, check=True, cwd=ROOT, timeout=120)
    sources = [s.source for s in plan_shards(str(tmp_path / "in"), str(tmp_path / "b"))]
    lines = [line for lines in read_outputs(tmp_path / "a").values() for line in lines]
    assert lines == reference_clean(sources, clean_job(report=False))
    assert sum(1 for _ in iter_records(str(tmp_path / "a" / "part-000.jsonl"))) == 2


@pytest.mark.parametrize("engine", ["processes", "dask"])
def test_sharded_dedup_is_byte_identical_to_the_local_command(tmp_path: Path, dask_client: Any, engine: str) -> None:
    near_duplicate_corpus(tmp_path / "in", shards=3, docs=80)
    shards = sorted((tmp_path / "in").glob("*.jsonl"))
    options = ["--threshold", "0.7", "--keep", "longest", "-q"]
    subprocess.run([sys.executable, "-m", "textclean", "dedup", *map(str, shards), "-o", str(tmp_path / "local.jsonl"),
                    "--clusters", str(tmp_path / "local.clusters"), *options], check=True, cwd=ROOT, timeout=120)
    engine_options = ["--scheduler", dask_client.scheduler.address] if engine == "dask" else ["--workers", "2"]
    subprocess.run([sys.executable, "-m", "textclean", "dedup", str(tmp_path / "in"), "-o",
                    str(tmp_path / "out"), "--clusters", str(tmp_path / "sharded.clusters"), *options,
                    *engine_options], check=True, cwd=ROOT, timeout=120)  # fmt: skip
    sharded = b"".join((tmp_path / "out" / shard.name).read_bytes() for shard in shards)
    assert sharded == (tmp_path / "local.jsonl").read_bytes()
    assert (tmp_path / "sharded.clusters").read_bytes() == (tmp_path / "local.clusters").read_bytes()


@pytest.mark.parametrize("keep", ["first", "central"])
def test_components_off_the_driver_give_the_same_decisions(tmp_path: Path, dask_client: Any, keep: str) -> None:
    texts = near_duplicate_corpus(tmp_path / "in", shards=3, docs=100, seed=11)
    config = DedupConfig(threshold=0.6, keep=keep)  # type: ignore[arg-type]
    local = deduplicate_signed(*unique_shingles(texts, config), config)
    for executor in [make_executor("inprocess"), DaskExecutor(client=dask_client)]:
        out = tmp_path / executor.name
        with executor:
            signed = _sign(plan_shards(str(tmp_path / "in"), str(out)), SignShard(ReadOptions(), config, str(out)),
                           executor)  # fmt: skip
            duplicate_of, similarity, _, verified = dedup_shards_distributed(signed, config, executor,
                                                                             str(out / "cc"), buckets=3)  # fmt: skip
        assert verified == local.verified
        assert np.array_equal(duplicate_of, local.duplicate_of), executor.name
        assert np.array_equal(similarity, local.similarity, equal_nan=True), executor.name
