"""An ordered, bounded-memory parallel map over worker processes.

Results come back in input order whatever the number of workers, and at most
``workers * PREFETCH`` chunks are in flight, so a huge input streams in bounded memory.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

__all__ = ["ordered_map"]

T = TypeVar("T")
R = TypeVar("R")
PREFETCH = 4


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def ordered_map(
    function: Callable[[list[T]], list[R]],
    items: Iterable[T],
    *,
    workers: int = 1,
    chunk_size: int = 64,
) -> Iterator[R]:
    """Apply ``function`` to chunks of ``items`` and yield the results in input order.

    ``function`` takes a list (a chunk) and returns one result per item; with ``workers > 1``
    it must be picklable (a module-level function or a ``functools.partial`` of one).

    Examples:
        >>> list(ordered_map(lambda chunk: [x * 2 for x in chunk], range(5), chunk_size=2))
        [0, 2, 4, 6, 8]
    """
    if workers <= 1:
        for chunk in _chunks(items, chunk_size):
            yield from function(chunk)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[list[R]]] = deque()
        for chunk in _chunks(items, chunk_size):
            pending.append(pool.submit(function, chunk))
            if len(pending) >= workers * PREFETCH:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
