"""The ``textclean`` command through a real subprocess: round trips and bad inputs."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, Runner

EXPECTED_EXAMPLE = (Path(__file__).parent / "cases" / "example_page.expected.txt").read_text(encoding="utf-8")


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_version_and_help(run_cli: Runner) -> None:
    assert run_cli(["--version"], check=True).stdout.startswith("textclean ")
    assert "clean" in run_cli(["--help"], check=True).stdout


def test_example_page_round_trip(run_cli: Runner, tmp_path: Path) -> None:
    out = tmp_path / "page.clean.txt"
    done = run_cli(["clean", EXAMPLE, "-o", out, "--explain"], check=True)
    assert out.read_text(encoding="utf-8") == EXPECTED_EXAMPLE
    assert "hit-counter" in done.stderr and "rss-footer" in done.stderr and "repeated-paragraph" in done.stderr
    assert "1 document: " in done.stderr  # the summary


def test_stdin_to_stdout(run_cli: Runner) -> None:
    done = run_cli(["clean", "-q"], input=EXAMPLE.read_text(encoding="utf-8"), check=True)
    assert done.stdout == EXPECTED_EXAMPLE
    assert done.stderr == ""


def test_jsonl_fields_pass_through_in_order(run_cli: Runner, tmp_path: Path) -> None:
    records = [
        {"id": "a", "text": EXAMPLE.read_text(encoding="utf-8"), "url": "http://x/1", "n": 1},
        {"id": "b", "text": "About admin", "meta": {"k": [1, 2]}},
        {"id": "c", "text": ""},
    ]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    run_cli(["clean", source, "-o", out, "-q"], check=True)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    assert rows[0]["text"] + "\n" == EXPECTED_EXAMPLE
    assert list(rows[0]) == ["id", "text", "url", "n"] and rows[0]["url"] == "http://x/1"
    assert rows[1] == {"id": "b", "text": "", "meta": {"k": [1, 2]}}
    run_cli(["clean", source, "-o", out, "-q", "--drop-empty"], check=True)
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["a"]


def test_report_offsets_undo_every_removal(run_cli: Runner, tmp_path: Path) -> None:
    original = EXAMPLE.read_text(encoding="utf-8")
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": 7, "text": original}])
    report = tmp_path / "report.jsonl"
    run_cli(["clean", source, "-o", tmp_path / "out.jsonl", "--report", report, "-q"], check=True)
    entries = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert entries and {e["doc"] for e in entries} == {7}
    for entry in entries:
        assert original[entry["start"] : entry["end"]] == entry["text"]
        assert entry["code"] and entry["rule"] and entry["ruleset"]
    assert {"D001", "B001"} <= {e["code"] for e in entries}


def test_output_and_summary_are_the_same_with_or_without_a_report(run_cli: Runner, tmp_path: Path) -> None:
    """Without --report, --explain or --annotate the CLI builds no evidence: the same output, the same summary."""
    page = EXAMPLE.read_text(encoding="utf-8")
    records = [{"id": i, "text": page.replace("Harbour", f"Harbour {i}")} for i in range(40)]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    runs = []
    for extra in ([], ["--report", tmp_path / "report.jsonl"]):
        out = tmp_path / f"out{len(extra)}.jsonl"
        done = run_cli(["clean", source, "-o", out, *extra], check=True)
        runs.append((out.read_bytes(), done.stderr))
    assert runs[0] == runs[1] and "B001" in runs[0][1]


def test_annotate_keeps_text_and_adds_verdicts(run_cli: Runner, tmp_path: Path) -> None:
    original = EXAMPLE.read_text(encoding="utf-8")
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": original}])
    done = run_cli(["clean", source, "--annotate", "-q"], check=True)
    row = json.loads(done.stdout)
    assert row["text"] == original
    assert row["textclean"]["removed"] and 0 < row["textclean"]["removed_word_ratio"] < 0.5


def test_workers_give_identical_output(run_cli: Runner, tmp_path: Path) -> None:
    page = EXAMPLE.read_text(encoding="utf-8")
    records = [{"id": i, "text": page.replace("Harbour", f"Harbour {i}")} for i in range(300)]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}.jsonl.gz"
        report = tmp_path / f"report{workers}.jsonl"
        run_cli(["clean", source, "-o", out, "--report", report, "--workers", workers, "-q"], check=True)
        outputs.append((out.read_bytes(), report.read_bytes()))
    assert outputs[0] == outputs[1]
    assert len(gzip.decompress(outputs[0][0]).splitlines()) == 300


def test_config_file_with_user_rule(run_cli: Runner, tmp_path: Path) -> None:
    config = tmp_path / "tc.toml"
    config.write_text(
        'mode = "balanced"\n[[rules]]\ncode = "U001"\nname = "ferry-timetable"\npatterns = ["^Timetable:"]\n',
        encoding="utf-8",
    )
    text = "Timetable: boats leave hourly from 6am.\nThe ferry pier closes at the end of March after a long vote.\n"
    done = run_cli(["clean", "--config", config, "--explain"], input=text, check=True)
    assert done.stdout == "The ferry pier closes at the end of March after a long vote.\n"
    assert "U001 ferry-timetable" in done.stderr


def test_rules_reference(run_cli: Runner) -> None:
    done = run_cli(["rules"], check=True)
    assert "B001" in done.stdout and "rss-footer" in done.stdout


# --- bad input: a clear error naming file and line, exit 1, no output file, no traceback ---


def assert_clean_failure(done: object, *needles: str) -> None:
    assert done.returncode == 1, done.stderr  # type: ignore[attr-defined]
    stderr: str = done.stderr  # type: ignore[attr-defined]
    assert stderr.startswith("textclean: error: ") and "Traceback" not in stderr
    for needle in needles:
        assert needle in stderr


def test_invalid_utf8(run_cli: Runner, tmp_path: Path) -> None:
    source = tmp_path / "latin1.txt"
    sentence = "The café on the corner has served the same coffee to the harbour workers since 1921.\n"
    source.write_bytes(sentence.encode("latin-1"))
    out = tmp_path / "out.txt"
    assert_clean_failure(run_cli(["clean", source, "-o", out]), "latin1.txt", "byte offset 7")
    assert not out.exists()
    done = run_cli(["clean", source, "-o", out, "--errors", "replace", "-q"], check=True)
    assert done.returncode == 0 and out.read_text(encoding="utf-8") == sentence.replace("é", "\ufffd")


def test_malformed_jsonl_leaves_no_output(run_cli: Runner, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "fine"}\n{"text": broken}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert_clean_failure(run_cli(["clean", source, "-o", out]), "in.jsonl: line 2", "malformed JSON")
    assert not out.exists() and list(tmp_path.iterdir()) == [source]
    done = run_cli(["clean", source, "-o", out, "--skip-bad"], check=True)
    assert "1 malformed line(s) skipped" in done.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1


def test_missing_text_field_names_line(run_cli: Runner, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"text": "a"}, {"body": "b"}])
    assert_clean_failure(run_cli(["clean", source]), "line 2", "no 'text' field", "--text-field")
    done = run_cli(["clean", source, "--text-field", "body", "-q"])
    assert_clean_failure(done, "line 1", "no 'body' field")


def test_output_equal_to_input_is_refused(run_cli: Runner, tmp_path: Path) -> None:
    source = tmp_path / "page.txt"
    source.write_text("About admin\n", encoding="utf-8")
    assert_clean_failure(run_cli(["clean", source, "-o", source]), "refusing to overwrite")
    assert source.read_text(encoding="utf-8") == "About admin\n"


@pytest.mark.parametrize(
    ("content", "needle"),
    [(None, "no such file"), (b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary")],
)
def test_missing_and_binary_files(run_cli: Runner, tmp_path: Path, content: bytes | None, needle: str) -> None:
    source = tmp_path / "input.txt"
    if content is not None:
        source.write_bytes(content)
    assert_clean_failure(run_cli(["clean", source]), "input.txt", needle)


def test_empty_file_gives_empty_output(run_cli: Runner, tmp_path: Path) -> None:
    source = tmp_path / "empty.txt"
    source.write_bytes(b"")
    out = tmp_path / "out.txt"
    done = run_cli(["clean", source, "-o", out], check=True)
    assert out.read_bytes() == b"" and "1 document" in done.stderr


def test_fifty_megabyte_single_line(run_cli: Runner, tmp_path: Path) -> None:
    source = tmp_path / "long.jsonl"
    sentence = "The harbour council met again on Tuesday to discuss the pier. "
    text = sentence * (50_000_000 // len(sentence))
    source.write_text(json.dumps({"id": 1, "text": text}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run_cli(["clean", source, "-o", out, "-q"], check=True)
    assert json.loads(out.read_text(encoding="utf-8"))["text"] == text.rstrip()


def test_usage_error_exit_code(run_cli: Runner) -> None:
    done = run_cli(["clean", "--workers", "0"])
    assert done.returncode == 1 and "--workers" in done.stderr
    assert run_cli(["clean", "--mode", "nonsense"]).returncode == 2


def test_missing_second_input_fails_before_any_output(run_cli: Runner, tmp_path: Path) -> None:
    first = tmp_path / "first.txt"
    first.write_text("The harbour council voted on Tuesday to close the old ferry pier in March.\n", encoding="utf-8")
    done = run_cli(["clean", first, tmp_path / "missing.txt"])
    assert_clean_failure(done, "missing.txt", "no such file")
    assert done.stdout == ""


def test_annotate_plain_text_marks_every_line(run_cli: Runner) -> None:
    text = "About admin\n\nThe harbour council voted on Tuesday to close the old ferry pier at the end of March.\n"
    done = run_cli(["clean", "--annotate", "-q"], input=text, check=True)
    assert done.stdout.splitlines() == [
        "B011\tAbout admin",
        "\t",
        ".\tThe harbour council voted on Tuesday to close the old ferry pier at the end of March.",
    ]


def test_the_console_script_collects_the_young_generation_rarely() -> None:
    """``textclean`` (and ``python -m textclean``) raise the collector's threshold before running the command:
    a run allocates millions of objects without cycles (``_cli.settle_collector``)."""
    probe = (
        "import gc, sys\n"
        "from textclean import _cli\n"
        "before = gc.get_threshold()[0]\n"
        "_cli.main = lambda: print(before, gc.get_threshold()[0]) or 0\n"
        "_cli.entry_point()\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["700", "20000"]


@pytest.mark.parametrize(("chosen", "expected"), [(None, "1"), ("3", "3")])
def test_the_console_script_asks_openblas_for_one_thread_before_numpy_loads(
    chosen: str | None, expected: str
) -> None:
    """textclean does no linear algebra: OpenBLAS's thread per core only slows the start (``one_blas_thread``);
    a number the user set is kept."""
    probe = (
        "import os, sys\n"
        "from textclean import _cli\n"
        "def main():\n"
        "    before = 'numpy' in sys.modules\n"
        "    import numpy\n"
        "    print(before, os.environ['OPENBLAS_NUM_THREADS'])\n"
        "    return 0\n"
        "_cli.main = main\n"
        "_cli.entry_point()\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_NUM_THREADS"}
    if chosen is not None:
        env["OPENBLAS_NUM_THREADS"] = chosen
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", expected]
