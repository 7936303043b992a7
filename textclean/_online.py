"""The online near-duplicate index: "have we already kept a near-duplicate of this document?"

Batch deduplication (``textclean dedup``) sees the whole corpus at once. A crawler does not: it
asks, one item at a time, whether an item is new, and keeps it only if it is. The index answers
that question and remembers the answer, in one atomic step::

    insert_if_new(doc_id, text)  ->  kept (now stored)  |  duplicate of <a kept doc_id>

A document is a near-duplicate of a kept one when their MinHash signatures (word ``ngram``-grams
of the lowercased text, :mod:`textclean._minhash`) agree on at least ``threshold`` of their
``num_perm`` values: the *estimated* Jaccard similarity. Candidates come from LSH buckets
(``bands`` x ``rows``, derived from the threshold for high recall, :func:`textclean._lsh.choose_bands`)
and every candidate is verified against its stored signature, so a document is dropped if and
only if it is a near-duplicate of a document already kept (not merely of a dropped one).

Two backends share these semantics:

* :class:`SQLiteIndex` (this module): embedded, in memory or in one SQLite file, no server.
  Each check-and-insert is one ``BEGIN IMMEDIATE`` transaction, so processes sharing the file
  on one machine are serialised too.
* :class:`textclean._online_redis.RedisIndex`: one Redis server shared by many crawler
  processes; check-and-insert is one Lua script, atomic on the server.

An index records its parameters and refuses to be reopened with others
(:class:`~textclean.IndexMismatchError`).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from textclean._errors import IndexMismatchError, IndexUnavailableError
from textclean._lsh import MinHashParameters
from textclean._minhash import EMPTY_HASH, minhash_signatures

__all__ = [
    "IndexDecision",
    "IndexUnavailableError",
    "OnlineIndex",
    "OnlineIndexConfig",
    "SQLiteIndex",
    "open_index",
]

FORMAT_NAME = "textclean-online-index"
FORMAT_VERSION = 1
CODE_NEAR_DUPLICATE = "D101"
RULE_NEAR_DUPLICATE = "near-duplicate-document"

_U64 = np.uint64
_BUCKET_CONSTANTS = np.random.default_rng(4049).integers(0, 2**63, size=1024 + 256, dtype=np.uint64)
_ROW_MULTIPLIERS = _BUCKET_CONSTANTS[:256] * _U64(2) + _U64(1)
_BAND_SALTS = _BUCKET_CONSTANTS[256:]


@dataclass(frozen=True)
class OnlineIndexConfig(MinHashParameters):
    """The parameters of an online index (recorded in the index; a mismatch is refused).

    The fields are those of :class:`textclean._lsh.MinHashParameters`; ``threshold`` is an
    *estimated* Jaccard similarity here (the share of agreeing signature values), so that one
    round trip decides.

    Examples:
        >>> OnlineIndexConfig().banding
        (21, 6)
        >>> OnlineIndexConfig(threshold=0.9).needed_agreement
        116
    """

    @property
    def needed_agreement(self) -> int:
        """The number of agreeing signature values that makes a near-duplicate."""
        return int(np.ceil(self.threshold * self.num_perm - 1e-9))

    def describe(self) -> dict[str, Any]:
        """The parameters recorded in an index (JSON-ready; equal dicts mean compatible indexes)."""
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            **self.signature_parameters(),
            "threshold": self.threshold,
        }


@dataclass(frozen=True)
class IndexDecision:
    """The answer of :meth:`OnlineIndex.insert_if_new`.

    Attributes:
        kept: True when the document was new and is now stored (or has no words to compare).
        duplicate_of: the id of the kept document it duplicates, when not kept.
        similarity: the estimated Jaccard similarity with that document.
    """

    kept: bool
    duplicate_of: str | None = None
    similarity: float | None = None

    @property
    def code(self) -> str | None:
        """The reason code of a dropped duplicate (``D101``), else ``None``."""
        return None if self.kept else CODE_NEAR_DUPLICATE


def bucket_keys(signature: NDArray[np.uint32], bands: int, rows: int) -> NDArray[np.int64]:
    """Return one signed 64-bit bucket key per band (band number mixed in), for storage.

    Examples:
        >>> a = np.arange(12, dtype=np.uint32)
        >>> b = a.copy(); b[11] = 99
        >>> keys_a, keys_b = bucket_keys(a, 3, 4), bucket_keys(b, 3, 4)
        >>> (keys_a == keys_b).tolist()
        [True, True, False]
    """
    block = signature[: bands * rows].reshape(bands, rows).astype(np.uint64)
    key = (block * _ROW_MULTIPLIERS[:rows]).sum(axis=1, dtype=np.uint64) + _BAND_SALTS[:bands]
    key ^= key >> _U64(33)
    key *= _U64(0xFF51AFD7ED558CCD)
    key ^= key >> _U64(33)
    key *= _U64(0xC4CEB9FE1A85EC53)
    key ^= key >> _U64(33)
    keys: NDArray[np.int64] = key.view(np.int64)
    return keys


def mismatch_message(location: str, found: dict[str, Any], expected: dict[str, Any]) -> str:
    """Describe the parameters that differ between an existing index and the requested ones."""
    keys = sorted(set(found) | set(expected))
    shown = ", ".join(
        f"{key}={found.get(key)!r} (requested {expected.get(key)!r})"
        for key in keys
        if found.get(key) != expected.get(key)
    )
    return (
        f"{location}: index built with other parameters: {shown}; "
        "open it with the index's parameters, or use a new index location or namespace"
    )


class OnlineIndex(ABC):
    """An index of kept documents answering "is this a near-duplicate of one of them?".

    Subclasses implement :meth:`insert_signature_if_new`, :meth:`__len__`, :meth:`clear`
    and :meth:`close`. Indexes are context managers.
    """

    config: OnlineIndexConfig
    location: str

    def signature(self, text: str) -> NDArray[np.uint32]:
        """The MinHash signature of ``text`` under this index's parameters."""
        config = self.config
        signatures = minhash_signatures(
            [text], num_perm=config.num_perm, ngram=config.ngram, seed=config.seed, simplify=config.simplify
        )
        signature: NDArray[np.uint32] = signatures[0]
        return signature

    def insert_if_new(self, doc_id: str, text: str) -> IndexDecision:
        """Store ``text`` unless it is a near-duplicate of a document already kept.

        Check and insert are one atomic step. A text without words is never a duplicate and
        is not stored (``kept=True``).

        Args:
            doc_id: the document's id (a URL, say), reported as ``duplicate_of`` to later copies.
            text: the document's text (usually already cleaned).

        Returns:
            ``kept=True``, or ``kept=False`` with the kept document's id and the similarity.

        Examples:
            >>> index = SQLiteIndex()
            >>> story = "Rain fell on the plain for a third day on Monday, officials in the valley said."
            >>> index.insert_if_new("a", story).kept
            True
            >>> index.insert_if_new("b", story + " Updated.")
            IndexDecision(kept=False, duplicate_of='a', similarity=0.921875)
        """
        return self.insert_signature_if_new(doc_id, self.signature(text))

    @abstractmethod
    def insert_signature_if_new(self, doc_id: str, signature: NDArray[np.uint32]) -> IndexDecision:
        """Like :meth:`insert_if_new`, for a signature computed by :meth:`signature`."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of kept documents."""

    @abstractmethod
    def clear(self) -> None:
        """Forget every kept document (the parameters stay)."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection; the index cannot be used afterwards."""

    def __enter__(self) -> OnlineIndex:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.location!r}, threshold={self.config.threshold})"


def is_empty_signature(signature: NDArray[np.uint32]) -> bool:
    """True for the signature of a text without words."""
    return bool((signature == EMPTY_HASH).all())


_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS documents (number INTEGER PRIMARY KEY, doc_id TEXT NOT NULL,"
    " signature BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS buckets (bucket INTEGER NOT NULL, number INTEGER NOT NULL,"
    " PRIMARY KEY (bucket, number)) WITHOUT ROWID",
)


class SQLiteIndex(OnlineIndex):
    """The embedded online index: in memory (default) or in one SQLite file, no server.

    Safe to share between threads (one lock) and, for a file, between processes on one
    machine (each check-and-insert is a ``BEGIN IMMEDIATE`` transaction). For many crawler
    machines, use :class:`~textclean.RedisIndex`.

    Args:
        path: a file name, or ``":memory:"``.
        config: the index parameters (default :class:`OnlineIndexConfig`).
        timeout: seconds to wait for another process's transaction on the same file.

    Examples:
        >>> with SQLiteIndex(":memory:", OnlineIndexConfig(threshold=0.9)) as index:
        ...     first = index.insert_if_new("a", "one two three four five six seven eight")
        ...     again = index.insert_if_new("b", "One, two, three, four, five, six, seven, eight!")
        >>> first.kept, again.duplicate_of, again.code
        (True, 'a', 'D101')
    """

    def __init__(
        self, path: str = ":memory:", config: OnlineIndexConfig | None = None, *, timeout: float = 30.0
    ) -> None:
        self.config = config or OnlineIndexConfig()
        self.location = path
        self._bands, self._rows = self.config.banding
        self._lock = threading.Lock()
        try:
            self._connection = sqlite3.connect(
                path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
            self._prepare()
        except sqlite3.DatabaseError as exc:
            raise IndexUnavailableError(
                f"{path}: cannot open as a textclean online index ({exc}); "
                "check the path, or choose a new file"
            ) from None
        placeholders = ",".join("?" * self._bands)
        self._candidates_sql = (
            "SELECT number, doc_id, signature FROM documents WHERE number IN "
            f"(SELECT number FROM buckets WHERE bucket IN ({placeholders}))"
        )

    def _prepare(self) -> None:
        connection = self._connection
        if self.location != ":memory:":
            # WAL: readers never block; NORMAL: no fsync per commit, only at checkpoints, which
            # happen every ~40 MB of log instead of every 4 MB (fsync dominated the mean cost).
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("PRAGMA wal_autocheckpoint=10000")
        connection.execute("PRAGMA cache_size=-65536")  # at most 64 MiB of pages in memory
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in _SCHEMA:
                connection.execute(statement)
            expected = self.config.describe()
            row = connection.execute("SELECT value FROM meta WHERE key = 'parameters'").fetchone()
            if row is None:
                described = json.dumps(expected, sort_keys=True)
                connection.execute("INSERT INTO meta VALUES ('parameters', ?)", (described,))
            elif json.loads(row[0]) != expected:
                raise IndexMismatchError(mismatch_message(self.location, json.loads(row[0]), expected))
        finally:
            connection.execute("COMMIT")

    def insert_signature_if_new(self, doc_id: str, signature: NDArray[np.uint32]) -> IndexDecision:
        """Like :meth:`insert_if_new`, for a signature computed by :meth:`signature`."""
        if is_empty_signature(signature):
            return IndexDecision(kept=True)
        buckets = bucket_keys(signature, self._bands, self._rows).tolist()
        with self._lock:
            connection = self._connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                rows = connection.execute(self._candidates_sql, buckets).fetchall()
                decision = self._best_match(rows, signature)
                if decision is None:
                    number = connection.execute(
                        "INSERT INTO documents (doc_id, signature) VALUES (?, ?)",
                        (doc_id, np.ascontiguousarray(signature, dtype=np.uint32).tobytes()),
                    ).lastrowid
                    rows_to_add = [(bucket, number) for bucket in buckets]
                    connection.executemany("INSERT INTO buckets VALUES (?, ?)", rows_to_add)
                    decision = IndexDecision(kept=True)
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return decision

    def _best_match(
        self, rows: list[tuple[int, str, bytes]], signature: NDArray[np.uint32]
    ) -> IndexDecision | None:
        if not rows:
            return None
        rows.sort()
        stored = np.frombuffer(b"".join(row[2] for row in rows), dtype=np.uint32).reshape(len(rows), -1)
        agreement = (stored == signature).sum(axis=1)
        best = int(np.argmax(agreement))  # the earliest kept document among the most similar
        if agreement[best] < self.config.needed_agreement:
            return None
        similarity = float(agreement[best]) / len(signature)
        return IndexDecision(kept=False, duplicate_of=rows[best][1], similarity=similarity)

    def __len__(self) -> int:
        with self._lock:
            return int(self._connection.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def clear(self) -> None:
        """Forget every kept document (the parameters stay)."""
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            self._connection.execute("DELETE FROM buckets")
            self._connection.execute("DELETE FROM documents")
            self._connection.execute("COMMIT")

    def close(self) -> None:
        """Close the database (everything committed is on disk)."""
        with self._lock:
            self._connection.close()


def open_index(
    location: str, config: OnlineIndexConfig | None = None, *, namespace: str = "textclean"
) -> OnlineIndex:
    """Open (or create) an online index from a location string.

    Args:
        location: ``":memory:"``, a file path (embedded SQLite index), or a Redis URL
            (``redis://host:port/db``, ``rediss://…``, ``unix://…``; needs ``textclean[redis]``).
        config: the index parameters (default :class:`OnlineIndexConfig`).
        namespace: the Redis key namespace (ignored for SQLite).

    Examples:
        >>> with open_index(":memory:") as index:
        ...     type(index).__name__, len(index)
        ('SQLiteIndex', 0)
    """
    if location.startswith(("redis://", "rediss://", "unix://")):
        from textclean._online_redis import RedisIndex

        return RedisIndex(location, config, namespace=namespace)
    return SQLiteIndex(location, config)
