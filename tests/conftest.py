"""Shared fixtures: paths and a runner for the real ``textclean`` command (the suite's settings: ``conftest.py``)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "page.txt"

Runner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_cli() -> Runner:
    """Run ``python -m textclean ARGS`` in a real subprocess."""

    def run(args: Sequence[str], *, input: str | bytes | None = None, cwd: Path | None = None,
            check: bool = False) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, PYTHONIOENCODING="utf-8")
        text_mode = not isinstance(input, bytes)
        completed = subprocess.run(
            [sys.executable, "-m", "textclean", *map(str, args)],
            input=input,
            capture_output=True,
            text=text_mode,
            cwd=cwd,
            env=env,
            timeout=120,
        )
        if not text_mode:
            completed = subprocess.CompletedProcess(
                completed.args, completed.returncode,
                completed.stdout.decode("utf-8", "replace"), completed.stderr.decode("utf-8", "replace"),
            )
        if check:
            assert completed.returncode == 0, completed.stderr
        return completed

    return run
