"""Sharded directory I/O: one output shard per input shard, done-markers, resume.

``textclean clean DIR -o OUTDIR`` (and ``dedup``) read every shard of ``DIR`` (or of a glob)
and write each output shard under the same relative name into ``OUTDIR``. The bookkeeping
lives in ``OUTDIR/.textclean/`` and never ends in ``.jsonl``, so a later glob over the
outputs does not pick it up::

    OUTDIR/.textclean/manifest.json      the command and options; a resumed run must match
    OUTDIR/.textclean/lock               held (flock) while a run writes OUTDIR
    OUTDIR/.textclean/done/REL.done      one marker per finished shard, with its statistics

A shard is written to a temporary file and renamed into place, and its marker is written
only afterwards. A run killed at any point and started again redoes exactly the shards
without a (valid) marker, so every record ends up in the output exactly once. Stale
temporary files of a killed run are removed when the next run takes the lock.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import glob
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from textclean._errors import InputError, OutputError
from textclean._io import STDIO, atomic_output

__all__ = [
    "JSONL_SUFFIXES",
    "RECORD_SUFFIXES",
    "Shard",
    "discover_shards",
    "fingerprint",
    "is_sharded_input",
    "plan_shards",
    "read_marker",
    "shard_run",
    "write_marker",
]

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
RECORD_SUFFIXES = (*JSONL_SUFFIXES, ".parquet")
"""Shard files of records: JSON Lines (optionally gzipped) and Parquet (``textclean[parquet]``)."""
STATE_DIR = ".textclean"
_MAGIC = ("*", "?", "[")


@dataclass(frozen=True)
class Shard:
    """One input shard and where its output and marker go.

    Attributes:
        number: the shard's position in the sorted list of shards (0-based).
        source: the input file.
        relative: its name relative to the input directory (``/``-separated).
        target: the output file, ``OUTDIR/relative``.
        marker: the done-marker, ``OUTDIR/.textclean/done/relative.done``.
    """

    number: int
    source: str
    relative: str
    target: str
    marker: str

    def state_path(self, outdir: str, kind: str, suffix: str) -> str:
        """A per-shard bookkeeping file: ``OUTDIR/.textclean/KIND/RELATIVE.SUFFIX``."""
        return os.path.join(outdir, STATE_DIR, kind, *self.relative.split("/")) + suffix


def is_sharded_input(inputs: Sequence[str]) -> bool:
    """True when the inputs name one directory or one glob pattern (sharded mode).

    Examples:
        >>> is_sharded_input(["data/*.jsonl.gz"]), is_sharded_input(["a.jsonl", "b.jsonl"])
        (True, False)
    """
    if len(inputs) != 1 or inputs[0] == STDIO:
        return False
    spec = inputs[0]
    return os.path.isdir(spec) or (not os.path.exists(spec) and any(c in spec for c in _MAGIC))


def _glob_base(pattern: str) -> str:
    parts = pattern.split(os.sep)
    fixed = []
    for part in parts:
        if any(c in part for c in _MAGIC):
            break
        fixed.append(part)
    return os.sep.join(fixed) or "."


def _hidden(relative: str) -> bool:
    return any(part.startswith(".") for part in relative.split("/"))


def discover_shards(spec: str, *, suffixes: Sequence[str] | None = JSONL_SUFFIXES) -> list[tuple[str, str]]:
    """Return the ``(path, relative name)`` of every shard, sorted by relative name.

    ``spec`` is a directory (searched recursively) or a glob pattern (``**`` allowed). Hidden
    files and directories are skipped; with ``suffixes`` only files ending in one of them count.

    Examples:
        >>> import tempfile, pathlib
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> for name in ("b.jsonl", "sub/a.jsonl.gz", "notes.txt", ".textclean/x.done"):
        ...     (root / name).parent.mkdir(exist_ok=True); (root / name).touch()
        >>> [relative for _, relative in discover_shards(str(root))]
        ['b.jsonl', 'sub/a.jsonl.gz']
    """
    if os.path.isdir(spec):
        base = spec
        paths = [os.path.join(top, name) for top, _, names in os.walk(spec) for name in names]
    else:
        base = _glob_base(spec)
        paths = [path for path in glob.glob(spec, recursive=True) if os.path.isfile(path)]
    found = []
    for path in paths:
        relative = os.path.relpath(path, base).replace(os.sep, "/")
        if _hidden(relative) or (suffixes is not None and not relative.lower().endswith(tuple(suffixes))):
            continue
        found.append((path, relative))
    if not found:
        wanted = ", ".join(f"*{s}" for s in suffixes) if suffixes else "files"
        raise InputError(f"{spec}: no shards found ({wanted}); check the directory or the glob pattern")
    return sorted(found, key=lambda item: item[1])


def _inside(path: str, directory: str) -> bool:
    path, directory = os.path.realpath(path), os.path.realpath(directory)
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def plan_shards(spec: str, outdir: str, *, suffixes: Sequence[str] | None = JSONL_SUFFIXES) -> list[Shard]:
    """Pair every input shard with its output and marker paths under ``outdir``.

    Refuses an ``outdir`` that is, or is inside, the input directory, and one that is a file.
    """
    if outdir == STDIO:
        raise OutputError(f"{spec}: a directory of shards needs an output directory: pass -o OUTDIR")
    if os.path.exists(outdir) and not os.path.isdir(outdir):
        raise OutputError(f"{outdir}: is a file; -o must name a directory when the input is a directory or glob")
    base = spec if os.path.isdir(spec) else _glob_base(spec)
    if _inside(outdir, base):
        raise OutputError(f"{outdir}: is inside the input {base}; choose an output directory outside it")
    shards = []
    for number, (path, relative) in enumerate(discover_shards(spec, suffixes=suffixes)):
        target = os.path.join(outdir, *relative.split("/"))
        marker = os.path.join(outdir, STATE_DIR, "done", *relative.split("/")) + ".done"
        shards.append(Shard(number, path, relative, target, marker))
    return shards


def fingerprint(command: str, options: Any) -> str:
    """A short stable hash of a command and its options (recorded in the manifest).

    Examples:
        >>> fingerprint("clean", {"mode": "balanced"}) == fingerprint("clean", {"mode": "balanced"})
        True
    """
    text = json.dumps([command, options], sort_keys=True, default=_jsonable, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _jsonable(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"__type__": type(value).__name__, **dataclasses.asdict(value)}
    return repr(value)


def _source_identity(path: str) -> dict[str, int]:
    status = os.stat(path)
    return {"size": status.st_size, "mtime_ns": status.st_mtime_ns}


def read_marker(shard: Shard) -> dict[str, Any] | None:
    """The payload of the shard's done-marker, or ``None`` if the shard must be (re)done.

    A marker counts only if it parses, its output exists and the input has not changed since.
    """
    try:
        with open(shard.marker, encoding="utf-8") as handle:
            payload: dict[str, Any] = json.load(handle)
    except (OSError, ValueError):
        return None
    if not os.path.exists(shard.target) or payload.get("source") != _source_identity(shard.source):
        return None
    return payload


def write_marker(shard: Shard, payload: dict[str, Any]) -> None:
    """Write the shard's done-marker (atomically), after its output is in place."""
    os.makedirs(os.path.dirname(shard.marker), exist_ok=True)
    payload = {"relative": shard.relative, "source": _source_identity(shard.source), **payload}
    with atomic_output(shard.marker) as handle:
        handle.write(json.dumps(payload, ensure_ascii=False, sort_keys=True) + "\n")


def _remove_stale_temporaries(shards: Sequence[Shard], outdir: str) -> int:
    removed = 0
    directories = {os.path.dirname(s.target) for s in shards} | {os.path.dirname(s.marker) for s in shards}
    state = os.path.join(outdir, STATE_DIR)
    if os.path.isdir(state):
        directories |= {top for top, _, _ in os.walk(state)}
    names = {os.path.basename(s.target) for s in shards}
    for directory in directories:
        with contextlib.suppress(FileNotFoundError):
            for entry in os.scandir(directory):
                if not (entry.name.startswith(".") and entry.name.endswith(".tmp")):
                    continue
                if directory.startswith(state) or any(entry.name.startswith(f".{name}.") for name in names):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def _check_manifest(outdir: str, manifest: dict[str, Any]) -> None:
    path = os.path.join(outdir, STATE_DIR, "manifest.json")
    try:
        with open(path, encoding="utf-8") as handle:
            previous = json.load(handle)
    except FileNotFoundError:
        previous = None
    except ValueError:
        previous = None
    if previous is not None and previous.get("fingerprint") != manifest["fingerprint"]:
        raise OutputError(
            f"{outdir}: holds the output of a run with other options ({previous.get('command')}); "
            f"to resume, repeat that run's options; to start afresh, choose another -o or delete {outdir}"
        )
    if previous is None:
        with atomic_output(path) as handle:
            handle.write(json.dumps(manifest, sort_keys=True, ensure_ascii=False, default=_jsonable) + "\n")


@contextlib.contextmanager
def shard_run(outdir: str, shards: Sequence[Shard], manifest: dict[str, Any]) -> Iterator[None]:
    """Take ``outdir`` for a run: create it, lock it, check the manifest, remove stale temporaries.

    ``manifest`` must hold a ``fingerprint`` (see :func:`fingerprint`); a run over an ``outdir``
    left by a run with another fingerprint is refused, so that no output mixes two settings.
    """
    state = os.path.join(outdir, STATE_DIR)
    try:
        os.makedirs(state, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{outdir}: cannot create the output directory: {exc.strerror}") from None
    with open(os.path.join(state, "lock"), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(
                f"{outdir}: another textclean run is writing there; wait for it or choose another -o"
            ) from None
        _check_manifest(outdir, manifest)
        _remove_stale_temporaries(shards, outdir)
        for directory in sorted({os.path.dirname(shard.target) for shard in shards}):
            os.makedirs(directory, exist_ok=True)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
