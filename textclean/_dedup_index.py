"""Indexes of kept documents: persistent and append-only (batches), or in memory (one at a time).

Layout of an index directory::

    meta.json              format name and version, hash scheme, seed, n-gram size, permutations,
                           bands, rows and simplification; a mismatch is refused
    run-000001/            one directory per batch (append-only, never rewritten)
        signatures.npy     (n, num_perm) uint32
        band_keys.npy      (bands, n) uint64, each band sorted
        band_order.npy     (bands, n) int64, the row of each sorted key
        hashes.npy         unique shingle hashes of all rows, concatenated (uint32)
        bounds.npy         row i's shingles are hashes[bounds[i]:bounds[i+1]] (int64)
        ids.jsonl          one JSON value per row: the document id

Arrays are ``.npy`` files read memory-mapped with ``allow_pickle=False``; ids are JSON. Nothing
is ever unpickled. Matches against old runs are verified exactly, on the stored shingle sets.
"""

from __future__ import annotations

import json
import os
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from textclean._dedup import DedupConfig, exact_jaccard, unique_shingles
from textclean._errors import IndexMismatchError, OutputError
from textclean._minhash import sorted_unique

__all__ = ["DedupIndex", "Deduplicator", "DuplicateMatch", "IndexMatch"]

FORMAT_NAME = "textclean-dedup-index"
FORMAT_VERSION = 1
_ARRAYS = ("signatures", "band_keys", "band_order", "hashes", "bounds")


@dataclass(frozen=True)
class IndexMatch:
    """A new document found to duplicate a document kept in an earlier run.

    Attributes:
        index: the row of the new document in its batch.
        doc_id: the id of the old document.
        similarity: their exact Jaccard similarity (on the stored shingle sets).
        run: the name of the run holding the old document.
    """

    index: int
    doc_id: Any
    similarity: float
    run: str


def _describe(config: DedupConfig) -> dict[str, Any]:
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, **config.signature_parameters()}


class DedupIndex:
    """An on-disk index of the documents kept by earlier runs.

    Examples:
        >>> import tempfile
        >>> from textclean._dedup import unique_shingles
        >>> config = DedupConfig()
        >>> text = "one two three four five six seven eight nine ten eleven twelve"
        >>> index = DedupIndex(tempfile.mkdtemp(), config)
        >>> index.append(*unique_shingles([text], config), ids=["a"])
        >>> [(m.doc_id, m.similarity) for m in index.match(*unique_shingles([text + "!"], config))]
        [('a', 1.0)]
    """

    def __init__(self, path: str, config: DedupConfig) -> None:
        self.path = path
        self.config = config
        self._check_or_create()
        self.runs = sorted(name for name in os.listdir(path) if name.startswith("run-"))

    def _check_or_create(self) -> None:
        meta_path = os.path.join(self.path, "meta.json")
        expected = _describe(self.config)
        if not os.path.exists(meta_path):
            if os.path.isdir(self.path) and os.listdir(self.path):
                raise OutputError(f"{self.path}: not empty and not a textclean dedup index; choose another --index")
            os.makedirs(self.path, exist_ok=True)
            with open(meta_path, "w", encoding="utf-8") as handle:
                json.dump(expected, handle, indent=1, sort_keys=True)
            return
        try:
            with open(meta_path, encoding="utf-8") as handle:
                found = json.load(handle)
        except (OSError, json.JSONDecodeError) as exc:
            raise IndexMismatchError(f"{meta_path}: unreadable index metadata ({exc})") from None
        different = [key for key in expected if found.get(key) != expected[key]]
        if different:
            shown = ", ".join(f"{key}={found.get(key)!r} (requested {expected[key]!r})" for key in different)
            raise IndexMismatchError(
                f"{self.path}: index built with other parameters: {shown}; "
                "rerun with the index's parameters, or start a new index directory"
            )

    def _load(self, run: str) -> dict[str, NDArray[Any]]:
        folder = os.path.join(self.path, run)
        return {name: np.load(os.path.join(folder, f"{name}.npy"), mmap_mode="r") for name in _ARRAYS}

    def _ids(self, run: str) -> list[Any]:
        with open(os.path.join(self.path, run, "ids.jsonl"), encoding="utf-8") as handle:
            return [json.loads(line) for line in handle]

    def __len__(self) -> int:
        return sum(len(self._load(run)["bounds"]) - 1 for run in self.runs)

    def match(
        self, signatures: NDArray[np.uint32], hashes: NDArray[np.uint32], bounds: NDArray[np.int64]
    ) -> list[IndexMatch]:
        """Return, for each new document duplicating an old one, its best match (ties: oldest)."""
        from textclean._lsh import band_keys

        bands, rows = self.config.banding
        keys = band_keys(signatures, bands, rows)
        best: dict[int, IndexMatch] = {}
        for run in self.runs:
            for new, old, similarity in self._match_run(run, keys, signatures, hashes, bounds):
                known = best.get(new)
                if known is None or similarity > known.similarity:
                    best[new] = IndexMatch(new, old, similarity, run)
        return [best[key] for key in sorted(best)]

    def _match_run(
        self,
        run: str,
        keys: NDArray[np.uint64],
        signatures: NDArray[np.uint32],
        hashes: NDArray[np.uint32],
        bounds: NDArray[np.int64],
    ) -> list[tuple[int, Any, float]]:
        stored = self._load(run)
        found: list[tuple[NDArray[np.int64], NDArray[np.int64]]] = []
        for band in range(keys.shape[1]):
            column = stored["band_keys"][band]
            low = np.searchsorted(column, keys[:, band], side="left")
            high = np.searchsorted(column, keys[:, band], side="right")
            hit = np.flatnonzero(high > low)
            for offset in range(8):
                hit = hit[low[hit] + offset < high[hit]]
                rows = np.asarray(stored["band_order"][band][low[hit] + offset])
                found.append((hit, rows))
        codes = np.concatenate([h.astype(np.uint64) << np.uint64(32) | r.astype(np.uint64) for h, r in found])
        codes = sorted_unique(codes)
        pairs = np.stack(
            [(codes >> np.uint64(32)).astype(np.int64), (codes & np.uint64(0xFFFFFFFF)).astype(np.int64)], 1
        )
        if not len(pairs):
            return []
        old_signatures = np.asarray(stored["signatures"][pairs[:, 1]])
        agreement = (signatures[pairs[:, 0]] == old_signatures).mean(axis=1)
        pairs = pairs[agreement >= self.config.threshold - self.config.margin]
        similarity = self._exact(pairs, hashes, bounds, stored)
        good = similarity >= self.config.threshold - 1e-12
        ids = self._ids(run)
        return [(int(n), ids[int(o)], float(s)) for (n, o), s in zip(pairs[good], similarity[good], strict=True)]

    @staticmethod
    def _exact(
        pairs: NDArray[np.int64],
        hashes: NDArray[np.uint32],
        bounds: NDArray[np.int64],
        stored: dict[str, Any],
    ) -> NDArray[np.float64]:
        old_bounds = stored["bounds"]
        pieces = [np.asarray(stored["hashes"][old_bounds[o] : old_bounds[o + 1]]) for o in pairs[:, 1]]
        sizes = np.array([len(p) for p in pieces], dtype=np.int64)
        merged = np.concatenate([hashes, *pieces]).astype(np.uint32)
        merged_bounds = np.concatenate((bounds, bounds[-1] + np.cumsum(sizes)))
        old_rows = len(bounds) - 1 + np.arange(len(pairs))
        return exact_jaccard(merged, merged_bounds, pairs[:, 0], old_rows)

    def append(
        self,
        signatures: NDArray[np.uint32],
        hashes: NDArray[np.uint32],
        bounds: NDArray[np.int64],
        *,
        ids: list[Any],
    ) -> None:
        """Store documents as a new run (written to a temporary directory, then renamed)."""
        from textclean._lsh import band_keys

        bands, rows = self.config.banding
        keys = band_keys(signatures, bands, rows).T
        order = np.argsort(keys, axis=1, kind="stable")
        name = f"run-{len(self.runs) + 1:06d}"
        temporary = os.path.join(self.path, f".{name}.tmp")
        os.makedirs(temporary, exist_ok=True)
        arrays = {
            "signatures": signatures,
            "band_keys": np.take_along_axis(keys, order, axis=1),
            "band_order": order.astype(np.int64),
            "hashes": hashes,
            "bounds": bounds.astype(np.int64),
        }
        for key, value in arrays.items():
            np.save(os.path.join(temporary, f"{key}.npy"), np.ascontiguousarray(value), allow_pickle=False)
        with open(os.path.join(temporary, "ids.jsonl"), "w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(doc_id, ensure_ascii=False) + "\n" for doc_id in ids)
        os.replace(temporary, os.path.join(self.path, name))
        self.runs.append(name)


@dataclass(frozen=True)
class DuplicateMatch:
    """An earlier document that a new one nearly duplicates.

    Attributes:
        key: the key the earlier document was added with.
        similarity: the exact Jaccard similarity of their shingle sets.
    """

    key: Hashable
    similarity: float


class Deduplicator:
    """Online near-duplicate detection, one document at a time (for scrapers).

    Signatures go to a datasketch ``MinHashLSH`` (as ``LeanMinHash``, scheme ``affine32``, with
    the banding of :attr:`DedupConfig.banding`); every candidate is verified on the exact
    shingle sets, which this object keeps in memory (4 bytes per shingle).

    Examples:
        >>> dedup = Deduplicator()
        >>> page = "the same article syndicated across many sites with a small edit at the end"
        >>> dedup.add("a", page) is None
        True
        >>> dedup.add("b", page + " today")
        DuplicateMatch(key='a', similarity=0.9090909090909091)
        >>> len(dedup)
        1
    """

    def __init__(self, config: DedupConfig | None = None) -> None:
        from datasketch import MinHashLSH  # type: ignore[import-untyped]  # no type information

        self.config = config or DedupConfig()
        self._lsh = MinHashLSH(num_perm=self.config.num_perm, params=self.config.banding)
        self._shingles: dict[Hashable, NDArray[np.uint32]] = {}

    def __len__(self) -> int:
        return len(self._shingles)

    def _sign(self, text: str) -> tuple[Any, NDArray[np.uint32]]:
        from datasketch import LeanMinHash

        signatures, hashes, _ = unique_shingles([text], self.config)
        lean = LeanMinHash(seed=self.config.seed, hashvalues=signatures[0], scheme="affine32")
        return lean, hashes

    def query(self, text: str) -> list[DuplicateMatch]:
        """Return the added documents that ``text`` nearly duplicates, most similar first."""
        lean, hashes = self._sign(text)
        return self._verified(lean, hashes)

    def _verified(self, lean: Any, hashes: NDArray[np.uint32]) -> list[DuplicateMatch]:
        matches = []
        for key in self._lsh.query(lean):
            other = self._shingles[key]
            union = len(np.union1d(hashes, other))
            similarity = len(np.intersect1d(hashes, other, assume_unique=True)) / union if union else 1.0
            if similarity >= self.config.threshold - 1e-12:
                matches.append(DuplicateMatch(key, similarity))
        return sorted(matches, key=lambda match: -match.similarity)

    def add(self, key: Hashable, text: str) -> DuplicateMatch | None:
        """Add a document unless it nearly duplicates one added before; return that match if so.

        Raises:
            ValueError: if ``key`` was added before.
        """
        if key in self._shingles:
            raise ValueError(f"key {key!r} was already added; keys must be unique")
        lean, hashes = self._sign(text)
        matches = self._verified(lean, hashes)
        if matches:
            return matches[0]
        self._lsh.insert(key, lean)
        self._shingles[key] = hashes
        return None
