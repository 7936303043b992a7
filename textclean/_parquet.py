"""Parquet shards (``pip install 'textclean[parquet]'``): records in, records out, same columns.

A Parquet shard is read row by row as records (``line`` is the 1-based row number), exactly like a
JSONL shard; the output shard is Parquet again, written through a temporary file renamed into
place. ``pyarrow`` is imported only when a Parquet shard is met.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

from textclean._errors import InputError, RecordError
from textclean._io import Record, atomic_output

__all__ = ["PARQUET_SUFFIX", "is_parquet", "iter_parquet_records", "parquet_writer", "write_parquet_rows"]

PARQUET_SUFFIX = ".parquet"
_BATCH_ROWS = 1024


def is_parquet(path: str) -> bool:
    """Whether ``path`` names a Parquet file (by its suffix).

    Examples:
        >>> is_parquet("shards/part-0001.parquet"), is_parquet("part.jsonl")
        (True, False)
    """
    return path.lower().endswith(PARQUET_SUFFIX)


def _pyarrow() -> Any:
    try:
        import pyarrow.parquet as parquet
    except ImportError:
        raise InputError("reading Parquet shards needs pyarrow: pip install 'textclean[parquet]'") from None
    return parquet


def iter_parquet_records(
    path: str, *, text_field: str = "text", id_field: str = "id", skip_bad: bool = False,
    bad_lines: list[str] | None = None,
) -> Iterator[Record]:
    """Stream the rows of a Parquet file as records; a missing or non-string text names the row."""
    parquet = _pyarrow()
    try:
        handle = parquet.ParquetFile(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
    if text_field not in handle.schema_arrow.names:
        raise RecordError(
            f"{path}: no {text_field!r} column (columns: {', '.join(handle.schema_arrow.names)}); "
            "name the text column with --text-field",
            path=path,
            line=1,
        )
    row = 0
    for batch in handle.iter_batches(batch_size=_BATCH_ROWS):
        for data in batch.to_pylist():
            row += 1
            if not isinstance(data[text_field], str):
                message = f"{path}: row {row}: column {text_field!r} is {type(data[text_field]).__name__}, not a string"
                if not skip_bad:
                    raise RecordError(message, path=path, line=row)
                if bad_lines is not None:
                    bad_lines.append(message)
                continue
            yield Record(path=path, line=row, doc_id=data.get(id_field, f"{path}:{row}"), text=data[text_field],
                         data=data)  # fmt: skip


@contextlib.contextmanager
def parquet_writer(target: str, source: str) -> Iterator[Any]:
    """A writer of rows shaped like ``source``'s, into ``target`` (temporary file, renamed on success).

    Yields a function taking a list of row dicts. Columns the rows add (``--annotate``) are
    inferred; the source's columns keep their types.
    """
    parquet = _pyarrow()
    import pyarrow

    schema = parquet.read_schema(source)
    with atomic_output(target, binary=True) as sink:
        writer: Any = None

        def write(rows: Sequence[dict[str, Any]]) -> None:
            nonlocal writer
            if not rows:
                return
            extra = [name for name in rows[0] if name not in schema.names]
            table = pyarrow.Table.from_pylist(list(rows), schema=schema if not extra else None)
            if writer is None:
                writer = parquet.ParquetWriter(sink, table.schema)
            writer.write_table(table.cast(writer.schema) if table.schema != writer.schema else table)

        try:
            yield write
        finally:
            if writer is None:
                writer = parquet.ParquetWriter(sink, schema)
            writer.close()


def write_parquet_rows(source: str, target: str, keep: Sequence[int]) -> int:
    """Copy the rows numbered ``keep`` (1-based, increasing) of ``source`` to ``target``; returns how many."""
    parquet = _pyarrow()
    import pyarrow

    table = parquet.read_table(source)
    kept = table.take(pyarrow.array([row - 1 for row in keep], type=pyarrow.int64()))
    with atomic_output(target, binary=True) as sink:
        parquet.write_table(kept, sink)
    return int(kept.num_rows)
