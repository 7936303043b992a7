"""Executors: where the pipeline's pure batch functions run.

Three adapters behind one small interface, so that no stage knows which engine runs it:

- :class:`InProcessExecutor` (the library default): a plain loop in the calling process.
- :class:`ProcessExecutor` (the CLI default): a bounded pool of local worker processes.
- :class:`DaskExecutor` (``pip install 'textclean[dask]'``): a Dask ``LocalCluster`` started for
  the run, or an existing cluster joined by its scheduler address.

Each executor offers two primitives:

- :meth:`Executor.map`: apply a picklable function to items, results in input order, with at
  most a few items per worker in flight (bounded memory whatever the input size);
- :meth:`Executor.exchange`: a hash-partitioned shuffle. A mapper splits each item into
  ``buckets`` pieces; a reducer receives piece ``b`` of every item. Local executors route the
  pieces through the calling process; Dask moves them from worker to worker.

Results never depend on the executor or the number of workers.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import logging
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # the pool is imported when a second worker starts (start-up of one-worker runs)
    from concurrent.futures import Future, ProcessPoolExecutor

from textclean._errors import ConfigError

__all__ = [
    "ENGINES",
    "DaskExecutor",
    "Executor",
    "InProcessExecutor",
    "ProcessExecutor",
    "add_engine_arguments",
    "executor_from_args",
    "make_executor",
]

T = TypeVar("T")
R = TypeVar("R")
P = TypeVar("P")
ENGINES = ("processes", "inprocess", "dask")
PREFETCH = 2
DASK_EXTRA_HINT = "the Dask engine needs the 'dask' extra: pip install 'textclean[dask]'"
log = logging.getLogger("textclean")


def _reduce_bucket(reducer: Callable[[int, list[P]], R], job: tuple[int, list[P]]) -> R:
    return reducer(job[0], job[1])


def _bucket_of(pieces: Sequence[P], bucket: int) -> P:
    return pieces[bucket]


class Executor:
    """The interface every executor implements; also a context manager that closes it.

    Attributes:
        workers: how many items are processed at once.
    """

    name = "base"
    workers = 1

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Yield ``function(item)`` for each item, in input order.

        With more than one worker ``function`` must be picklable: a module-level function or
        a ``functools.partial`` of one.
        """
        raise NotImplementedError

    def exchange(
        self,
        mapper: Callable[[T], Sequence[P]],
        items: Sequence[T],
        reducer: Callable[[int, list[P]], R],
        buckets: int,
    ) -> list[R]:
        """Shuffle: ``reducer(b, [mapper(item)[b] for item in items])`` for each bucket ``b``.

        Examples:
            >>> def split(n): return [[x for x in range(n) if x % 2 == b] for b in range(2)]
            >>> def total(b, pieces): return (b, sum(map(sum, pieces)))
            >>> InProcessExecutor().exchange(split, [3, 4], total, 2)
            [(0, 4), (1, 5)]
        """
        pieces = list(self.map(mapper, items))
        jobs = [(bucket, [piece[bucket] for piece in pieces]) for bucket in range(buckets)]
        del pieces
        return list(self.map(functools.partial(_reduce_bucket, reducer), jobs))

    def close(self) -> None:
        """Release the workers (idempotent)."""

    def __enter__(self: Any) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class InProcessExecutor(Executor):
    """Run everything in the calling process: no pickling, easiest to debug.

    Examples:
        >>> with InProcessExecutor() as executor:
        ...     list(executor.map(abs, [-1, 2, -3]))
        [1, 2, 3]
    """

    name = "inprocess"

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Yield ``function(item)`` for each item, in order."""
        return (function(item) for item in items)


class ProcessExecutor(Executor):
    """A pool of local worker processes with an ordered, bounded map.

    At most ``workers * PREFETCH`` items are in flight, so a huge input streams in bounded
    memory. With ``workers == 1`` it runs in-process (no pool).

    Examples:
        >>> with ProcessExecutor(workers=1) as executor:
        ...     list(executor.map(abs, [-1, 2]))
        [1, 2]
    """

    name = "processes"

    def __init__(self, workers: int = 2) -> None:
        if workers < 1:
            raise ConfigError(f"--workers must be at least 1, not {workers}")
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        return self._pool

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Yield ``function(item)`` for each item, in order, computed by the worker processes.

        The function is pickled once; each worker unpickles it once and keeps it for the items that follow
        (:func:`_call_shipped`), so a job's state built in a worker (the matcher's memo of lines seen, its
        compiled screen) lives on from batch to batch instead of being rebuilt from a fresh copy each time.
        """
        if self.workers == 1:
            yield from (function(item) for item in items)
            return
        pool = self._get_pool()
        blob = pickle.dumps(function, protocol=pickle.HIGHEST_PROTOCOL)
        digest = hashlib.blake2b(blob, digest_size=16).digest()
        pending: deque[Future[R]] = deque()
        try:
            for item in items:
                pending.append(pool.submit(_call_shipped, digest, blob, item))
                if len(pending) >= self.workers * PREFETCH:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        """Shut the pool down."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


_SHIPPED: dict[bytes, Callable[[Any], Any]] = {}
"""In a worker process: the functions of the maps it serves, by the digest of their pickle (a handful)."""
_SHIPPED_LIMIT = 8


def _call_shipped(digest: bytes, blob: bytes, item: T) -> Any:
    """``function(item)`` in a worker, the function unpickled from ``blob`` on its first item only."""
    function = _SHIPPED.get(digest)
    if function is None:
        if len(_SHIPPED) >= _SHIPPED_LIMIT:
            _SHIPPED.clear()
        function = _SHIPPED[digest] = pickle.loads(blob)
    return function(item)


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ConfigError(DASK_EXTRA_HINT) from None
    return distributed


def _call(function: Callable[[T], R], item: T) -> R:
    return function(item)


class DaskExecutor(Executor):
    """Run on Dask: a ``LocalCluster`` of ``workers`` processes, or an existing cluster.

    Args:
        workers: worker processes of the local cluster (ignored when joining a cluster).
        scheduler: the address of a running scheduler (``tcp://host:8786``), or ``None`` to
            start a local cluster for this run.
        client: an existing ``distributed.Client`` to use (not closed by :meth:`close`).
        connect_timeout: seconds to wait for the scheduler before giving up.

    Every worker must see the same files (a shared file system) when the pipeline reads or
    writes shards.
    """

    name = "dask"

    def __init__(
        self,
        workers: int = 2,
        *,
        scheduler: str | None = None,
        client: Any = None,
        connect_timeout: float = 10.0,
    ) -> None:
        self._cluster: Any = None
        self._owns_client = client is None
        if client is None:
            client = self._connect(workers, scheduler, connect_timeout)
        self.client = client
        self.workers = max(1, sum(client.nthreads().values()) or workers)  # worker threads cluster-wide

    def _connect(self, workers: int, scheduler: str | None, timeout: float) -> Any:
        distributed = _import_distributed()
        if scheduler is None:
            if workers < 1:
                raise ConfigError(f"--workers must be at least 1, not {workers}")
            self._cluster = distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                silence_logs=logging.CRITICAL,
            )  # fmt: skip
            return distributed.Client(self._cluster)
        try:
            return distributed.Client(scheduler, timeout=f"{timeout}s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise ConfigError(
                f"cannot reach the Dask scheduler at {scheduler} ({type(exc).__name__}: {exc}); check the address "
                "and that the scheduler is running (`dask scheduler`), or drop --scheduler to start a local cluster"
            ) from None

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Yield ``function(item)`` for each item, in order, computed on the cluster."""
        shared = self.client.scatter(function, broadcast=True, hash=False)
        pending: deque[Any] = deque()
        try:
            for item in items:
                pending.append(self.client.submit(_call, shared, item, pure=False))
                if len(pending) >= self.workers * PREFETCH:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()

    def exchange(
        self,
        mapper: Callable[[T], Sequence[P]],
        items: Sequence[T],
        reducer: Callable[[int, list[P]], R],
        buckets: int,
    ) -> list[R]:
        """Shuffle on the cluster: the pieces go from worker to worker, never through the caller."""
        client = self.client
        mapped = client.map(mapper, list(items), pure=False)
        reduced = []
        for bucket in range(buckets):
            pieces = [client.submit(_bucket_of, future, bucket, pure=False) for future in mapped]
            reduced.append(client.submit(reducer, bucket, pieces, pure=False))
        del mapped
        return list(client.gather(reduced))

    def close(self) -> None:
        """Close the client and the local cluster this executor started."""
        if self._owns_client and self.client is not None:
            self.client.close()
            self.client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def make_executor(
    engine: str = "inprocess", *, workers: int = 1, scheduler: str | None = None, connect_timeout: float = 10.0
) -> Executor:
    """Return the executor named ``engine`` (one of :data:`ENGINES`).

    Examples:
        >>> make_executor("processes", workers=1).name
        'processes'
        >>> make_executor("spark")
        Traceback (most recent call last):
        ...
        textclean._errors.ConfigError: unknown engine 'spark': choose one of processes, inprocess, dask
    """
    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    if scheduler is not None and engine != "dask":
        raise ConfigError("--scheduler joins a Dask cluster: pass it with --engine dask")
    if engine == "dask":
        return DaskExecutor(workers, scheduler=scheduler, connect_timeout=connect_timeout)
    if engine == "processes":
        return ProcessExecutor(workers)
    return InProcessExecutor()


def add_engine_arguments(group: Any) -> None:
    """Add ``--engine`` and ``--scheduler`` to an argparse group (``--workers`` is the command's own)."""
    group.add_argument("--engine", choices=ENGINES, default="processes",
                       help="where to run: local worker processes (default), in this process, or on Dask "
                            "(a local cluster of --workers processes, or the cluster at --scheduler)")
    group.add_argument("--scheduler", metavar="ADDRESS",
                       help="join the Dask cluster whose scheduler is at ADDRESS (e.g. tcp://host:8786)")


def executor_from_args(args: argparse.Namespace) -> Executor:
    """The executor chosen by ``--engine``, ``--scheduler`` and ``--workers``."""
    engine = getattr(args, "engine", "processes")
    if not getattr(args, "verbose", 0):  # the command line: Dask's own INFO lines only with -v
        for name in ("distributed", "dask"):
            logging.getLogger(name).setLevel(logging.WARNING)
    scheduler = getattr(args, "scheduler", None)
    if scheduler is not None and engine == "processes":
        engine = "dask"
    return make_executor(engine, workers=getattr(args, "workers", 1), scheduler=scheduler)
