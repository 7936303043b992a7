"""Reading and writing: errors name the file and the line, outputs are atomic."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from textclean._errors import DecodeError, InputError, OutputError, RecordError
from textclean._io import atomic_output, check_output_not_input, iter_records, read_text_document


def test_invalid_utf8_names_file_and_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"hello\nw\xc3\x28rld\n")
    with pytest.raises(DecodeError) as info:
        read_text_document(str(path))
    assert info.value.offset == 7
    assert "bad.txt" in str(info.value) and "byte offset 7" in str(info.value)
    assert read_text_document(str(path), errors="replace").text == "hello\nw\ufffd(rld\n"


def test_nul_bytes_are_refused_as_binary_unless_replace(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(InputError, match="binary"):
        read_text_document(str(path))
    assert "\x00" not in read_text_document(str(path), errors="replace").text


def test_empty_file_is_an_empty_document(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert read_text_document(str(path)).text == ""


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_text_document(str(tmp_path / "nope.txt"))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": 1, "text": "ok"', "malformed JSON"),
        ('["a list"]', "expected a JSON object"),
        ('{"id": 1, "body": "x"}', "no 'text' field"),
        ('{"id": 1, "text": null}', "not a string"),
    ],
)
def test_bad_jsonl_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": 0, "text": "fine"}\n\n' + line + "\n", encoding="utf-8")
    with pytest.raises(RecordError) as info:
        list(iter_records(str(path)))
    assert info.value.line == 3
    assert message in str(info.value) and "in.jsonl: line 3" in str(info.value)


def test_skip_bad_counts_lines(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "a"}\nnot json\n{"text": "b"}\n', encoding="utf-8")
    bad: list[str] = []
    records = list(iter_records(str(path), skip_bad=True, bad_lines=bad))
    assert [r.text for r in records] == ["a", "b"]
    assert [r.doc_id for r in records] == [f"{path}:1", f"{path}:3"]
    assert len(bad) == 1 and "line 2" in bad[0]


def test_gzip_jsonl_and_corrupt_gzip(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "x", "text": "héllo"}) + "\n")
    assert [r.text for r in iter_records(str(path))] == ["héllo"]
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(path.read_bytes()[:-6])
    with pytest.raises(InputError, match="gzip"):
        list(iter_records(str(broken)))


def test_atomic_output_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("previous", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(str(target)) as out:
        out.write("half")
        raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_atomic_gzip_output_is_deterministic(tmp_path: Path) -> None:
    blobs = []
    for name in ("a.jsonl.gz", "b.jsonl.gz"):
        with atomic_output(str(tmp_path / name)) as out:
            out.write("same\n")
        blobs.append((tmp_path / name).read_bytes())
    assert blobs[0] == blobs[1]
    assert gzip.decompress(blobs[0]) == b"same\n"


def test_output_may_not_be_an_input(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="refusing to overwrite"):
        check_output_not_input(str(tmp_path / "." / "in.txt"), [str(path)])
