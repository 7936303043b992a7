"""``textclean dedup`` end to end, through a real subprocess."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

VOCABULARY = [f"word{i}" for i in range(300)]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "textclean", "dedup", *args], capture_output=True, text=True,
                          input=stdin, check=False)  # fmt: skip


def write_corpus(path: Path, seed: int, prefix: str, base: list[str] | None = None) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    for i in range(40):
        if base and i % 4 == 0:
            text = base[i // 4] + " plus one more line"
        elif i % 5 == 4:
            text = records[i - 3]["text"] + " Share this article."
        else:
            text = " ".join(rng.choices(VOCABULARY, k=80))
        records.append({"id": f"{prefix}{i}", "text": text, "extra": [i]})
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return records


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    path = tmp_path_factory.mktemp("dedup") / "corpus.jsonl"
    return path, write_corpus(path, 1, "a")


def test_outputs_kept_records_unchanged_in_order(corpus: tuple[Path, list[dict[str, Any]]], tmp_path: Path) -> None:
    path, records = corpus
    out, clusters, report = tmp_path / "out.jsonl", tmp_path / "c.jsonl", tmp_path / "r.jsonl"
    done = run(str(path), "-o", str(out), "--clusters", str(clusters), "--report", str(report))
    assert done.returncode == 0, done.stderr
    lines = path.read_text().splitlines()
    rows = [json.loads(line) for line in clusters.read_text().splitlines()]
    assert [row["id"] for row in rows] == [r["id"] for r in records]
    removed = {row["id"] for row in rows if row["duplicate_of"]}
    assert removed == {f"a{i}" for i in range(4, 40, 5)}
    assert out.read_text().splitlines() == [
        line for line, r in zip(lines, records, strict=True) if r["id"] not in removed
    ]
    first = json.loads(report.read_text().splitlines()[0])
    assert first["code"] == "D101" and first["only_in_removed"] == ["Share this article"]
    assert all(row["similarity"] >= 0.8 for row in rows if row["duplicate_of"])


def test_same_output_for_any_worker_count(corpus: tuple[Path, list[dict[str, Any]]], tmp_path: Path) -> None:
    path, _ = corpus
    outputs = []
    for workers in ("1", "3"):
        target = tmp_path / f"c{workers}.jsonl"
        assert (
            run(
                str(path), "-o", str(tmp_path / "kept.jsonl"), "--clusters", str(target), "--workers", workers
            ).returncode
            == 0
        )
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


def test_index_second_batch_finds_old_duplicates(corpus: tuple[Path, list[dict[str, Any]]], tmp_path: Path) -> None:
    path, records = corpus
    index = tmp_path / "index"
    assert run(str(path), "-o", str(tmp_path / "kept.jsonl"), "--index", str(index)).returncode == 0
    second = tmp_path / "second.jsonl"
    write_corpus(second, 2, "b", base=[r["text"] for r in records])
    clusters = tmp_path / "c.jsonl"
    assert (
        run(
            str(second),
            "-o",
            str(tmp_path / "kept.jsonl"),
            "--index",
            str(index),
            "--clusters",
            str(clusters),
        ).returncode
        == 0
    )
    rows = {row["id"]: row["duplicate_of"] for row in map(json.loads, clusters.read_text().splitlines())}
    assert rows["b0"] == "a0" and rows["b8"] == "a2"
    mismatch = run(str(second), "-o", str(tmp_path / "kept.jsonl"), "--index", str(index), "--ngram", "3")
    assert mismatch.returncode != 0 and "ngram=5 (requested 3)" in mismatch.stderr


def test_paragraph_unit_and_stdin(tmp_path: Path) -> None:
    shared = "This paragraph was pasted into many pages by the same site editor today."
    lines = [json.dumps({"id": i, "text": f"Own text number {i} here.\n{shared}\nMenu"}) for i in range(3)]
    done = run("-", "--unit", "paragraph", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    texts = [json.loads(line)["text"] for line in done.stdout.splitlines()]
    assert texts == [
        f"Own text number 0 here.\n{shared}\nMenu",
        "Own text number 1 here.\n",
        "Own text number 2 here.\n",
    ]


def test_refuses_to_overwrite_input(corpus: tuple[Path, list[dict[str, Any]]]) -> None:
    path, _ = corpus
    done = run(str(path), "-o", str(path))
    assert done.returncode != 0 and "refusing to overwrite" in done.stderr


def test_progress_on_a_terminal_only(corpus: tuple[Path, list[dict[str, Any]]], tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    path, _ = corpus
    leader, follower = os.openpty()
    try:
        subprocess.run([sys.executable, "-m", "textclean", "dedup", str(path), "-o", str(tmp_path / "a.jsonl")],
                       stderr=follower, stdout=subprocess.DEVNULL, check=True, timeout=120)  # fmt: skip
        os.close(follower)
        seen = b""
        while True:
            try:
                block = os.read(leader, 65536)
            except OSError:
                break
            if not block:
                break
            seen += block
    finally:
        os.close(leader)
    assert b"documents signed" in seen
    piped = subprocess.run([sys.executable, "-m", "textclean", "dedup", str(path), "-o", str(tmp_path / "b.jsonl")],
                           capture_output=True, text=True, check=True, timeout=120)  # fmt: skip
    assert "documents signed" not in piped.stderr
