"""Parquet shards through the real command line: records in, records out, columns kept."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

pyarrow = pytest.importorskip("pyarrow")
parquet = pytest.importorskip("pyarrow.parquet")

WORDS = ("harbour council ferry pier river market bridge station garden museum winter budget railway festival "
         "teacher village engineer report harvest library orchestra mountain factory painter forest").split()


def article(n: int) -> str:
    """A sentence of its own for each n (distinct articles share no 5-gram beyond chance)."""
    rng = random.Random(n)
    return "The " + " ".join(rng.choice(WORDS) for _ in range(40)) + " on Tuesday."


def shard_rows(shard: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for row in range(20):
        n = shard * 100 + row // 2  # every other row repeats its predecessor's article: a near-duplicate
        text = f"Share on Facebook\n{article(n)}\nAbout admin"
        if row % 2:
            text = text.replace("Tuesday", "Tuesday evening")
        rows.append({"id": f"s{shard}-{row}", "text": text, "score": float(row), "tags": ["a", str(shard)]})
    return rows


def run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "textclean", *map(str, args)], capture_output=True, text=True,
                          timeout=180, check=False)  # fmt: skip


@pytest.fixture
def shards(tmp_path: Path) -> Path:
    source = tmp_path / "in"
    source.mkdir()
    for shard in range(3):
        parquet.write_table(pyarrow.Table.from_pylist(shard_rows(shard)), source / f"part-{shard}.parquet")
    return source


def test_clean_parquet_shards(shards: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run("clean", shards, "-o", out, "-q", "--workers", "2")
    assert done.returncode == 0, done.stderr
    for shard in range(3):
        table = parquet.read_table(out / f"part-{shard}.parquet")
        assert table.schema.names == ["id", "text", "score", "tags"]
        rows = table.to_pylist()
        assert [r["id"] for r in rows] == [r["id"] for r in shard_rows(shard)]
        assert all(r["text"].startswith("The ") and "About admin" not in r["text"] for r in rows)
        assert rows[3]["tags"] == ["a", str(shard)] and rows[3]["score"] == 3.0


def test_dedup_parquet_shards(shards: Path, tmp_path: Path) -> None:
    out = tmp_path / "dedup"
    done = run("dedup", shards, "-o", out, "-q")
    assert done.returncode == 0, done.stderr
    kept = [row for shard in range(3) for row in parquet.read_table(out / f"part-{shard}.parquet").to_pylist()]
    assert len(kept) == 30  # one of each near-duplicate pair
    assert {row["id"] for row in kept} <= {row["id"] for shard in range(3) for row in shard_rows(shard)}


def test_a_single_parquet_file_points_to_the_sharded_mode(shards: Path) -> None:
    done = run("clean", shards / "part-0.parquet")
    assert done.returncode == 1 and "put them in a directory" in done.stderr and "Traceback" not in done.stderr
