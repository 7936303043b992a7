"""Connected components over a shuffle, for edge sets too large for one node.

Large-star / small-star rounds (Kiveris et al., "Connected Components in MapReduce and Beyond")
run as executor exchanges keyed by node; each component is then clustered on a worker with the
local policy (:func:`textclean._dedup.cluster_verified`), so the result equals a local run.
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from textclean._dask_dedup import (
    _LOW32,
    _MIX,
    _PAIR_BITS,
    BandPieces,
    SignedShard,
    VerifyBlock,
    candidate_codes,
)
from textclean._dedup import DedupConfig, cluster_verified
from textclean._executors import Executor
from textclean._io import atomic_output

__all__ = ["dedup_shards_distributed"]


def verify_bucket(
    config: DedupConfig, signed: tuple[SignedShard, ...], directory: str, bucket: int, pieces: list[NDArray[np.uint64]]
) -> tuple[str, int]:
    """Reducer: the candidate pairs of one band-key bucket, verified and saved as ``(n, 2)`` edges + similarity."""
    codes = candidate_codes(4, bucket, pieces)
    kept, similarity = VerifyBlock(config, signed)(codes) if len(codes) else (codes, np.zeros(0))
    edges = np.stack(((kept >> _PAIR_BITS).astype(np.int64), (kept & _LOW32).astype(np.int64)), axis=1)
    path = os.path.join(directory, f"verified-{bucket:05d}.npz")
    with atomic_output(path, binary=True) as sink:
        np.savez(sink, edges=edges.reshape(-1, 2), similarity=similarity)
    return path, len(codes)


def _edges_of(path: str) -> NDArray[np.int64]:
    if path.endswith(".npz"):
        with np.load(path) as saved:
            return saved["edges"]  # type: ignore[no-any-return]
    return np.load(path)  # type: ignore[no-any-return]


def star_pieces(buckets: int, path: str) -> list[NDArray[np.int64]]:
    """Mapper: the edges of a file in both directions, split by the bucket of their first node."""
    edges = _edges_of(path)
    both = np.concatenate((edges, edges[:, ::-1]))
    owner = both[:, 0] % buckets
    return [both[owner == bucket] for bucket in range(buckets)]


def star_step(large: bool, directory: str, bucket: int, pieces: list[NDArray[np.int64]]) -> tuple[str, int, int]:
    """Reducer: one large-star (or small-star) step for the nodes of a bucket; returns (file, edges, checksum).

    Large-star links every larger neighbour of ``u`` to the smallest node of ``u``'s closed
    neighbourhood; small-star links ``u`` and its smaller neighbours to the smallest of them.
    Alternated, they converge to one star per connected component, centred on its smallest node.
    """
    arcs = np.concatenate([np.zeros((0, 2), np.int64), *pieces])
    arcs = np.unique(arcs, axis=0) if len(arcs) else arcs
    starts = np.flatnonzero(np.r_[True, arcs[1:, 0] != arcs[:-1, 0]]) if len(arcs) else np.zeros(0, np.int64)
    node = arcs[starts, 0] if len(arcs) else np.zeros(0, np.int64)
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(arcs)]))
    chosen = arcs[:, 1] > arcs[:, 0] if large else arcs[:, 1] < arcs[:, 0]
    candidates = arcs[:, 1] if large else np.where(chosen, arcs[:, 1], arcs[:, 0])
    smallest = np.minimum(np.minimum.reduceat(candidates, starts), node) if len(arcs) else node
    new = np.stack((arcs[chosen, 1], smallest[group[chosen]]), axis=1)
    if not large:
        new = np.concatenate((new, np.stack((node, smallest), axis=1)))
    new = new[new[:, 0] != new[:, 1]]
    new = np.unique(np.sort(new, axis=1), axis=0)
    path = os.path.join(directory, f"{'large' if large else 'small'}-{bucket:05d}.npy")
    with atomic_output(path, binary=True) as sink:
        np.save(sink, new)
    codes = ((new[:, 0].astype(np.uint64) << _PAIR_BITS) | new[:, 1].astype(np.uint64)) * _MIX
    return path, len(new), int(np.bitwise_xor.reduce(codes)) if len(new) else 0


def label_pieces(buckets: int, item: tuple[str, str]) -> list[tuple[NDArray[Any], NDArray[Any], NDArray[Any]]]:
    """Mapper: verified edges by the bucket of their first node; star edges (node, centre) by node."""
    kind, path = item
    if kind == "labels":
        stars = np.load(path)
        owner = stars[:, 1] % buckets
        empty = np.zeros((0, 2), np.int64)
        return [(empty, np.zeros(0), stars[owner == b][:, ::-1]) for b in range(buckets)]
    with np.load(path) as saved:
        edges, similarity = saved["edges"], saved["similarity"]
    owner = edges[:, 0] % buckets
    return [(edges[owner == b], similarity[owner == b], np.zeros((0, 2), np.int64)) for b in range(buckets)]


def label_join(directory: str, bucket: int, pieces: list[tuple[NDArray[Any], NDArray[Any], NDArray[Any]]]) -> str:
    """Reducer: attach to each verified edge its component (the smallest node, the centre of its star)."""
    edges = np.concatenate([p[0] for p in pieces])
    similarity = np.concatenate([p[1] for p in pieces])
    labels = np.concatenate([p[2] for p in pieces])
    labels = labels[np.argsort(labels[:, 0], kind="stable")]
    at = np.searchsorted(labels[:, 0], edges[:, 0])
    found = at < len(labels)
    found[found] = labels[at[found], 0] == edges[found, 0]
    component = np.where(found, labels[np.minimum(at, max(len(labels) - 1, 0)), 1] if len(labels) else 0,
                         edges[:, 0])  # fmt: skip
    path = os.path.join(directory, f"labelled-{bucket:05d}.npz")
    with atomic_output(path, binary=True) as sink:
        np.savez(sink, edges=edges, similarity=similarity, component=component)
    return path


def component_pieces(buckets: int, path: str) -> list[tuple[NDArray[Any], NDArray[Any]]]:
    """Mapper: labelled edges split by the bucket of their component."""
    with np.load(path) as saved:
        edges, similarity, component = saved["edges"], saved["similarity"], saved["component"]
    owner = component % buckets
    return [(edges[owner == b], similarity[owner == b]) for b in range(buckets)]


def cluster_components(
    config: DedupConfig, signed: tuple[SignedShard, ...], bucket: int, pieces: list[tuple[NDArray[Any], NDArray[Any]]]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], int]:
    """Reducer: the local clustering policy over whole components: (removed, duplicate_of, similarity, edges)."""
    edges = np.concatenate([p[0] for p in pieces]).reshape(-1, 2)
    similarity = np.concatenate([p[1] for p in pieces])
    edges, first = np.unique(edges, axis=0, return_index=True)
    nodes, local = np.unique(edges, return_inverse=True)
    offsets = np.array([s.offset for s in signed], dtype=np.int64)
    owner = np.searchsorted(offsets, nodes, side="right") - 1
    lengths = np.empty(len(nodes), dtype=np.int64)
    for number in np.unique(owner).tolist():
        rows = nodes[owner == number] - signed[number].offset
        bounds = signed[number].load("bounds")
        lengths[owner == number] = np.asarray(bounds[rows + 1]) - np.asarray(bounds[rows])
    duplicate_of, best = cluster_verified(len(nodes), local.reshape(-1, 2), similarity[first], lengths, config)
    removed = np.flatnonzero(duplicate_of >= 0)
    return nodes[removed], nodes[duplicate_of[removed]], best[removed], len(edges)


def dedup_shards_distributed(
    signed: Sequence[SignedShard], config: DedupConfig, executor: Executor, directory: str, *, buckets: int
) -> tuple[NDArray[np.int64], NDArray[np.float64], int, int]:
    """Stages 2-4 without gathering pairs or edges on one node (connected components by large/small-star).

    Same result as :func:`dedup_shards`; the candidate count is before removing pairs found in
    several buckets.
    """
    os.makedirs(directory, exist_ok=True)
    bands, rows = config.banding
    signed = tuple(signed)
    verified = executor.exchange(BandPieces(bands, rows, buckets), list(signed),
                                 functools.partial(verify_bucket, config, signed, directory), buckets)  # fmt: skip
    files, state, large = [path for path, _ in verified], None, True
    for round_number in itertools.count():
        step = executor.exchange(functools.partial(star_pieces, buckets), files,
                                 functools.partial(star_step, large, directory), buckets)  # fmt: skip
        files = [path for path, _, _ in step]
        signature = (sum(n for _, n, _ in step), functools.reduce(lambda a, b: a ^ b, (c for _, _, c in step), 0))
        if not large and signature == state:
            break
        state = signature if not large else state
        large = not large
        if round_number > 200:  # pragma: no cover - the algorithm converges in O(log n) rounds
            raise RuntimeError("connected components did not converge")
    items = [("verified", path) for path, _ in verified] + [("labels", path) for path in files]
    labelled = executor.exchange(functools.partial(label_pieces, buckets), items,
                                 functools.partial(label_join, directory), buckets)  # fmt: skip
    parts = executor.exchange(functools.partial(component_pieces, buckets), labelled,
                              functools.partial(cluster_components, config, signed), buckets)  # fmt: skip
    count = sum(s.count for s in signed)
    duplicate_of, best = np.full(count, -1, dtype=np.int64), np.full(count, np.nan)
    for removed, representative, similarity, _ in parts:
        duplicate_of[removed], best[removed] = representative, similarity
    return duplicate_of, best, sum(n for _, n in verified), sum(part[3] for part in parts)
