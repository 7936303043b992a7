"""Reading inputs and writing outputs safely.

Inputs are plain text (one file is one document) or JSON Lines (one record per line,
optionally gzip-compressed). Every reading error names the file and the line (JSONL) or the
byte offset (invalid UTF-8). Outputs are written to a temporary file beside the target and
renamed into place only when complete, so a failed run never leaves a half-written file,
and an output that is also an input is refused before anything is read.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import sys
import tempfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, Literal, cast

from textclean._errors import DecodeError, InputError, OutputError, RecordError

__all__ = [
    "STDIO",
    "ErrorPolicy",
    "Record",
    "atomic_output",
    "check_inputs_exist",
    "check_output_not_input",
    "detect_format",
    "iter_raw_lines",
    "iter_records",
    "read_text_document",
]

STDIO = "-"
Format = Literal["text", "jsonl"]
ErrorPolicy = Literal["strict", "replace"]
_READ_BUFFER = 1 << 20
_JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json.gz")


@dataclass(frozen=True)
class Record:
    """One input document.

    Attributes:
        path: the file it came from (``-`` for standard input).
        line: its 1-based line number in a JSONL file (1 for a plain-text file).
        doc_id: the value of the id field, else ``"<file>:<line>"`` (JSONL) or the file name (text).
        text: the document's text.
        data: the whole JSON object (JSONL), or ``None`` for plain text.
    """

    path: str
    line: int
    doc_id: Any
    text: str
    data: dict[str, Any] | None


def detect_format(path: str, requested: str | None = None) -> Format:
    """Return the input format: the requested one, else by the file name.

    Examples:
        >>> detect_format("pages.jsonl.gz")
        'jsonl'
        >>> detect_format("page.txt"), detect_format("-")
        ('text', 'text')
    """
    if requested in ("text", "jsonl"):
        return requested  # type: ignore[return-value]
    if requested not in (None, "auto"):
        raise InputError(f"unknown format {requested!r}: use 'text' or 'jsonl'")
    return "jsonl" if path.lower().endswith(_JSONL_SUFFIXES) else "text"


def _display(path: str) -> str:
    return "<stdin>" if path == STDIO else path


def _open_input(path: str, *, decompress: bool) -> IO[bytes]:
    """Open a file for binary reading, turning OS errors into messages that name the file."""
    try:
        if decompress and path.lower().endswith(".gz"):
            return cast("IO[bytes]", gzip.open(path, "rb"))
        return open(path, "rb", buffering=_READ_BUFFER)  # the caller closes it
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory; pass the files inside it") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None


def _read_bytes(path: str) -> bytes:
    if path == STDIO:
        return sys.stdin.buffer.read()
    with _open_input(path, decompress=False) as handle:
        raw = handle.read()
    if path.lower().endswith(".gz"):
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"{path}: not a valid gzip file ({exc}); is it compressed?") from None
    return raw


def _decode(raw: bytes, path: str, errors: ErrorPolicy, base_offset: int = 0, line: int | None = None) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if errors == "replace":
            return raw.decode("utf-8", errors="replace")
        where = f"line {line}, " if line is not None else ""
        offset = base_offset + exc.start
        raise DecodeError(
            f"{_display(path)}: {where}byte offset {offset}: invalid UTF-8 (byte 0x{raw[exc.start]:02x}); "
            "convert the file to UTF-8, or pass --errors replace to substitute U+FFFD",
            path=_display(path),
            offset=offset,
        ) from None


def read_text_document(path: str, *, errors: ErrorPolicy = "strict") -> Record:
    """Read a plain-text file as one document.

    A file holding NUL bytes is taken for binary and refused (with ``errors="replace"``
    the NUL bytes are dropped instead). An empty file is an empty document.
    """
    raw = _read_bytes(path)
    if b"\x00" in raw:
        if errors != "replace":
            offset = raw.index(b"\x00")
            raise InputError(
                f"{_display(path)}: byte offset {offset}: NUL byte; this looks like a binary file, not text "
                "(pass --errors replace to drop NUL bytes and read it anyway)"
            )
        raw = raw.replace(b"\x00", b"")
    text = _decode(raw, path, errors)
    return Record(path=path, line=1, doc_id=_display(path), text=text, data=None)


def iter_raw_lines(path: str) -> Iterator[tuple[int, int, bytes]]:
    """Yield (line number, byte offset, raw line) of a (possibly gzipped) file, streaming."""
    stream = sys.stdin.buffer if path == STDIO else _open_input(path, decompress=True)
    offset = 0
    try:
        with contextlib.ExitStack() as stack:
            if path != STDIO:
                stack.enter_context(stream)
            for number, raw in enumerate(stream, start=1):
                yield number, offset, raw
                offset += len(raw)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise InputError(f"{path}: not a valid gzip file, or truncated ({exc})") from None


def iter_records(
    path: str,
    *,
    text_field: str = "text",
    id_field: str = "id",
    errors: ErrorPolicy = "strict",
    skip_bad: bool = False,
    bad_lines: list[str] | None = None,
) -> Iterator[Record]:
    """Stream the records of a JSON Lines file.

    Blank lines are skipped. A line that is not a JSON object, or lacks ``text_field``, or whose
    text is not a string, raises :class:`RecordError` naming the file and line; with
    ``skip_bad`` it is skipped instead and a description is appended to ``bad_lines``.

    Examples:
        >>> import tempfile, os
        >>> with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        ...     _ = f.write('{"id": "a", "text": "hello"}\\n')
        >>> [r.text for r in iter_records(f.name)]
        ['hello']
        >>> os.unlink(f.name)
    """
    shown = _display(path)
    for number, offset, raw in iter_raw_lines(path):
        try:
            if not raw.strip():
                continue
            line = _decode(raw, path, errors, base_offset=offset, line=number)
            record = _parse_record(line, shown, number, text_field)
        except RecordError as exc:
            if not skip_bad:
                raise
            if bad_lines is not None:
                bad_lines.append(str(exc))
            continue
        doc_id = record.get(id_field, f"{shown}:{number}")
        yield Record(path=path, line=number, doc_id=doc_id, text=record[text_field], data=record)


def _parse_record(line: str, shown: str, number: int, text_field: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordError(
            f"{shown}: line {number}: malformed JSON ({exc.msg} at column {exc.colno}); "
            "fix the line, or pass --skip-bad to skip such lines",
            path=shown,
            line=number,
        ) from None
    except RecursionError:
        raise RecordError(f"{shown}: line {number}: JSON nested too deeply", path=shown, line=number) from None
    if not isinstance(record, dict):
        raise RecordError(
            f"{shown}: line {number}: expected a JSON object, got {type(record).__name__}",
            path=shown,
            line=number,
        )
    if text_field not in record:
        raise RecordError(
            f"{shown}: line {number}: no {text_field!r} field (fields: {', '.join(sorted(record)) or 'none'}); "
            "name the text field with --text-field",
            path=shown,
            line=number,
        )
    if not isinstance(record[text_field], str):
        kind = type(record[text_field]).__name__
        raise RecordError(
            f"{shown}: line {number}: field {text_field!r} is {kind}, not a string",
            path=shown,
            line=number,
        )
    return record


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_inputs_exist(paths: Sequence[str]) -> None:
    """Refuse, before anything is written, inputs that are missing or are directories.

    Examples:
        >>> check_inputs_exist(["-"])
        >>> check_inputs_exist(["/no/such/file.txt"])
        Traceback (most recent call last):
        ...
        textclean._errors.InputError: /no/such/file.txt: no such file; check the path
    """
    for path in paths:
        if path == STDIO:
            continue
        if not os.path.exists(path):
            raise InputError(f"{path}: no such file; check the path")
        if os.path.isdir(path):
            raise InputError(f"{path}: is a directory; pass the files inside it (or one directory of shards)")


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def check_output_not_input(output: str | None, inputs: Sequence[str]) -> None:
    """Refuse an output path that names one of the inputs."""
    if output in (None, STDIO):
        return
    assert output is not None
    for path in inputs:
        if path != STDIO and _same_file(output, path):
            raise OutputError(f"{output}: is also an input; refusing to overwrite it (choose another -o)")


@contextlib.contextmanager
def atomic_output(path: str | None, *, binary: bool = False) -> Iterator[IO[Any]]:
    """Open ``path`` for writing through a temporary file renamed into place on success.

    ``None`` or ``-`` writes to standard output. A ``.gz`` path is gzip-compressed
    (deterministically: no name or time in the header). On any exception the temporary
    file is removed and the target is left as it was.
    """
    if path in (None, STDIO):
        if binary:
            yield sys.stdout.buffer
            sys.stdout.buffer.flush()
        else:
            yield sys.stdout
            sys.stdout.flush()
        return
    assert path is not None
    if os.path.exists(path) and not os.path.isfile(path):
        if os.path.isdir(path):
            raise OutputError(f"{path}: is a directory; name a file (or use a sharded run for directories)")
        # A device or pipe (e.g. /dev/null, a FIFO): never replace it, write into it.
        with open(path, "wb") as device:
            yield device if binary else io.TextIOWrapper(device, encoding="utf-8", newline="\n", write_through=True)
        return
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise OutputError(f"{path}: directory {directory} does not exist; create it first")
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; an output gets the usual permissions
    try:
        with os.fdopen(fd, "wb") as raw:
            sink: Any = raw
            gz = None
            if path.lower().endswith(".gz"):
                gz = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0)
                sink = gz
            if binary:
                yield sink
            else:
                text = io.TextIOWrapper(sink, encoding="utf-8", newline="\n", write_through=True)
                yield text
                text.flush()
                text.detach()
            if gz is not None:
                gz.close()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
