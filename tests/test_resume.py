"""Kill -9 in the middle of a sharded run, start it again: every record exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from test_dask import near_duplicate_corpus
from test_executors import ROOT, read_outputs, write_shards

from textclean._cli import main

SHARDED = [sys.executable, "-m", "textclean"]


def start(command: list[str]) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip


def kill_when(process: subprocess.Popen[bytes], markers: Path, pattern: str, at_least: int) -> int:
    """SIGKILL the run's whole process group once ``at_least`` markers exist; return how many did."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if len(list(markers.rglob(pattern))) >= at_least:
            break
        time.sleep(0.02)
    done = len(list(markers.rglob(pattern)))
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return done


def leftover_temporaries(outdir: Path) -> list[Path]:
    return [p for p in outdir.rglob("*") if p.name.endswith(".tmp")]


def test_killed_clean_run_resumes_with_every_record_exactly_once(tmp_path: Path) -> None:
    records = write_shards(tmp_path / "in", shards=20, docs=3)
    out = tmp_path / "out"
    command = [*SHARDED, "clean", str(tmp_path / "in"), "-o", str(out), "--workers", "2", "-q"]
    done = kill_when(start(command), out / ".textclean" / "done", "*.done", at_least=4)
    assert 4 <= done < 20, "the run should be killed midway"
    restarted = start(command)
    assert restarted.wait(timeout=300) == 0, restarted.stderr.read() if restarted.stderr else ""
    outputs = read_outputs(out)
    assert len(outputs) == 20
    ids = Counter(json.loads(line)["id"] for lines in outputs.values() for line in lines)
    assert ids == Counter(str(r["id"]) for r in records)
    assert not leftover_temporaries(out)
    assert not [p for p in (out / ".textclean").rglob("*") if p.name.endswith((".jsonl", ".jsonl.gz"))]


def test_killed_dedup_run_resumes_with_the_uninterrupted_output(tmp_path: Path) -> None:
    near_duplicate_corpus(tmp_path / "in", shards=20, docs=150)
    reference, out = tmp_path / "reference", tmp_path / "out"
    options = ["--threshold", "0.7", "--workers", "2", "-q"]
    subprocess.run([*SHARDED, "dedup", str(tmp_path / "in"), "-o", str(reference), *options],
                   check=True, cwd=ROOT, timeout=300)  # fmt: skip
    command = [*SHARDED, "dedup", str(tmp_path / "in"), "-o", str(out), *options]
    kill_when(start(command), out / ".textclean", "*.done", at_least=3)
    restarted = start(command)
    assert restarted.wait(timeout=300) == 0, restarted.stderr.read() if restarted.stderr else ""
    assert read_outputs(out) == read_outputs(reference)
    assert not leftover_temporaries(out)


def test_a_resumed_run_must_repeat_the_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_shards(tmp_path / "in", shards=2, docs=1)
    base = ["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--engine", "inprocess", "-q"]
    assert main(base) == 0
    assert main([*base, "--mode", "aggressive"]) == 1
    assert "holds the output of a run with other options" in capsys.readouterr().err


def test_glob_input_keeps_names_relative_to_the_pattern_base(tmp_path: Path) -> None:
    write_shards(tmp_path / "in", shards=3, docs=1)
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "in" / "**" / "*.jsonl"), "-o", str(out), "--engine", "inprocess", "-q"]) == 0
    assert list(read_outputs(out)) == ["part-000.jsonl", "sub/part-002.jsonl"]
