"""Sharded directory I/O: discovery, output paths, markers, the lock and stale temporaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from textclean._errors import InputError, OutputError
from textclean._shards import (
    discover_shards,
    is_sharded_input,
    plan_shards,
    read_marker,
    shard_run,
    write_marker,
)


def make(root: Path, *names: str) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text('{"text": "x"}\n')


def test_discovery_is_sorted_recursive_and_skips_hidden_and_foreign_files(tmp_path: Path) -> None:
    make(tmp_path, "b.jsonl", "a/c.jsonl.gz", "notes.txt", ".hidden/d.jsonl", "e.ndjson")
    assert [rel for _, rel in discover_shards(str(tmp_path))] == ["a/c.jsonl.gz", "b.jsonl", "e.ndjson"]
    assert [rel for _, rel in discover_shards(str(tmp_path / "*.jsonl"))] == ["b.jsonl"]
    with pytest.raises(InputError, match="no shards found"):
        discover_shards(str(tmp_path / "none-*.jsonl"))


def test_sharded_mode_is_one_directory_or_one_pattern(tmp_path: Path) -> None:
    make(tmp_path, "a.jsonl")
    assert is_sharded_input([str(tmp_path)]) and is_sharded_input([str(tmp_path / "*.jsonl")])
    assert not is_sharded_input([str(tmp_path / "a.jsonl")]) and not is_sharded_input(["-"])


def test_outputs_keep_relative_names_and_may_not_overwrite_inputs(tmp_path: Path) -> None:
    make(tmp_path / "in", "x/a.jsonl")
    (shard,) = plan_shards(str(tmp_path / "in"), str(tmp_path / "out"))
    assert shard.target == str(tmp_path / "out" / "x" / "a.jsonl")
    assert shard.marker.endswith(".textclean/done/x/a.jsonl.done")
    for bad in (tmp_path / "in", tmp_path / "in" / "out", tmp_path / "in" / "x" / "a.jsonl"):
        with pytest.raises(OutputError):
            plan_shards(str(tmp_path / "in"), str(bad))
    with pytest.raises(OutputError, match="-o OUTDIR"):
        plan_shards(str(tmp_path / "in"), "-")


def test_marker_counts_only_with_its_output_and_an_unchanged_input(tmp_path: Path) -> None:
    make(tmp_path / "in", "a.jsonl")
    (shard,) = plan_shards(str(tmp_path / "in"), str(tmp_path / "out"))
    with shard_run(str(tmp_path / "out"), [shard], {"fingerprint": "f"}):
        write_marker(shard, {"records_out": 1})
        assert read_marker(shard) is None  # no output yet
        Path(shard.target).write_text("{}\n")
        assert read_marker(shard) == {"records_out": 1, "relative": "a.jsonl", "source": read_marker(shard)["source"]}
        (tmp_path / "in" / "a.jsonl").write_text('{"text": "changed"}\n')
        assert read_marker(shard) is None


def test_one_run_at_a_time_and_stale_temporaries_are_removed(tmp_path: Path) -> None:
    make(tmp_path / "in", "a.jsonl")
    shards = plan_shards(str(tmp_path / "in"), str(tmp_path / "out"))
    (tmp_path / "out").mkdir()
    stale = tmp_path / "out" / ".a.jsonl.k3j2.tmp"
    foreign = tmp_path / "out" / ".someone-else.tmp"
    stale.write_text("half")
    foreign.write_text("keep")
    with shard_run(str(tmp_path / "out"), shards, {"fingerprint": "f"}):
        assert not stale.exists() and foreign.exists()
        with pytest.raises(OutputError, match="another textclean run"), \
                shard_run(str(tmp_path / "out"), shards, {"fingerprint": "f"}):
            pass
    with pytest.raises(OutputError, match="other options"), shard_run(str(tmp_path / "out"), shards,
                                                                       {"fingerprint": "g"}):
        pass
