"""Near-duplicate documents: candidate search, verification and clustering.

Pipeline: sign each text (:mod:`textclean._minhash`), find candidate pairs by banding
(:mod:`textclean._lsh`), verify every candidate (signature agreement first, then the exact
Jaccard similarity of the two shingle sets), and cluster the verified pairs into *stars*: in
priority order (input order, or longest first), a document not yet removed is kept and every
not-yet-removed verified neighbour is removed as its duplicate. So every removed document is
itself a near-duplicate (exact J >= threshold) of the document it is reported against, which
plain union-find chains (A~B~C) do not guarantee.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import regex
from numpy.typing import NDArray

from textclean import _minhash
from textclean._dedup_rules import DOCUMENT_CODE_NAMES
from textclean._errors import ConfigError
from textclean._lsh import MinHashParameters, band_keys, candidate_pairs, detection_probability
from textclean._minhash import _signatures_of_shingles, sorted_unique, unique_shingle_hashes

__all__ = [
    "DedupConfig",
    "DedupResult",
    "DuplicateCluster",
    "describe_removal",
    "exact_jaccard",
    "find_duplicates",
]

KeepPolicy = Literal["central", "first", "longest"]
CODE_NEAR_DUPLICATE = "D101"
CODE_EXACT_DUPLICATE = "D102"
CODE_NAMES = DOCUMENT_CODE_NAMES


@dataclass(frozen=True)
class DedupConfig(MinHashParameters):
    """Every option of near-duplicate detection: the shared MinHash parameters, plus the policy.

    Attributes:
        threshold, ngram, num_perm, seed, bands, rows, simplify: see
            :class:`textclean._lsh.MinHashParameters` (``threshold`` is an exact Jaccard
            similarity here: every candidate is verified on the shingle sets).
        keep: which documents are kept as cluster representatives, chosen greedily in this
            order: ``"central"`` (default) the best-connected first (most verified
            near-duplicates; ties in input order), which keeps the most near-duplicate pairs
            inside one cluster; ``"first"`` in input order; ``"longest"`` the most shingles first.
        margin: candidates whose estimated similarity (signature agreement) is below
            ``threshold - margin`` are rejected without computing the exact similarity.

    Examples:
        >>> DedupConfig().banding
        (21, 6)
    """

    keep: KeepPolicy = "central"
    margin: float = 0.1

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.keep not in ("central", "first", "longest"):
            raise ConfigError(f"keep must be 'central', 'first' or 'longest', not {self.keep!r}")

    def expected_detection(self) -> dict[float, float]:
        """The S-curve: the probability that a pair of a given similarity becomes a candidate.

        Examples:
            >>> round(DedupConfig().expected_detection()[0.8], 3)
            0.998
        """
        bands, rows = self.banding
        points = sorted({round(self.threshold + step, 2) for step in (-0.1, -0.05, 0.0, 0.05, 0.1)})
        return {s: detection_probability(s, bands, rows) for s in points if 0.0 < s <= 1.0}


@dataclass(frozen=True)
class DuplicateCluster:
    """A kept document and the documents removed as its duplicates.

    Attributes:
        representative: the index of the kept document.
        members: the indices of the removed documents, ascending.
        similarities: the exact Jaccard similarity of each member with the representative.
    """

    representative: int
    members: tuple[int, ...]
    similarities: tuple[float, ...]


@dataclass(frozen=True)
class DedupResult:
    """What batch deduplication found.

    Attributes:
        duplicate_of: for each document, the index of the kept document it duplicates, or -1.
        similarity: for each removed document, the exact Jaccard similarity with ``duplicate_of``
            (NaN for kept documents).
        candidates: the number of candidate pairs examined.
        verified: the number of candidate pairs whose exact similarity reached the threshold.
    """

    duplicate_of: NDArray[np.int64]
    similarity: NDArray[np.float64]
    candidates: int = 0
    verified: int = 0

    @property
    def removed(self) -> NDArray[np.bool_]:
        """A mask of the removed documents."""
        return self.duplicate_of >= 0

    def code(self, index: int) -> str | None:
        """The reason code of a removal (``D102`` for identical shingle sets), ``None`` if kept."""
        if self.duplicate_of[index] < 0:
            return None
        return CODE_EXACT_DUPLICATE if self.similarity[index] >= 1.0 else CODE_NEAR_DUPLICATE

    def clusters(self) -> list[DuplicateCluster]:
        """The clusters with at least one removed member, by representative."""
        removed = np.flatnonzero(self.duplicate_of >= 0)
        order = removed[np.argsort(self.duplicate_of[removed], kind="stable")]
        clusters: list[DuplicateCluster] = []
        for rep in sorted_unique(self.duplicate_of[removed]):
            members = order[self.duplicate_of[order] == rep]
            sims = tuple(float(s) for s in self.similarity[members])
            clusters.append(DuplicateCluster(int(rep), tuple(int(m) for m in members), sims))
        return clusters


def exact_jaccard(
    hashes: NDArray[np.uint32], bounds: NDArray[np.int64], left: NDArray[np.int64], right: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Return the exact Jaccard similarity of the unique-hash sets ``left[k]`` and ``right[k]``.

    Set ``i`` is ``hashes[bounds[i]:bounds[i + 1]]`` (unique values). Two empty sets have
    similarity 1.0. Vectorised: both sides of all pairs are sorted once together.

    Examples:
        >>> hashes = np.array([1, 2, 3, 2, 3, 4], dtype=np.uint32)
        >>> exact_jaccard(hashes, np.array([0, 3, 6]), np.array([0]), np.array([1])).tolist()
        [0.5]
    """
    sizes = bounds[1:] - bounds[:-1]
    if not len(left):
        return np.zeros(0, dtype=np.float64)
    kernels = _minhash.accelerator(int(sizes[left].sum() + sizes[right].sum()))
    if kernels is not None:
        common = np.zeros(len(left), dtype=np.int64)
        kernels.intersections(hashes, bounds, left, right, common)
        return _ratio(common, sizes[left] + sizes[right] - common)
    sides = np.concatenate((left, right))
    lengths = sizes[sides]
    pair = np.repeat(np.tile(np.arange(len(left), dtype=np.uint64), 2), lengths)
    starts = np.repeat(bounds[sides] - np.cumsum(lengths) + lengths, lengths)
    values = hashes[np.arange(len(pair)) + starts]
    keys = np.sort((pair << np.uint64(32)) | values)
    same = np.flatnonzero(keys[1:] == keys[:-1])
    common = np.bincount((keys[same] >> np.uint64(32)).astype(np.int64), minlength=len(left))
    return _ratio(common, sizes[left] + sizes[right] - common)


def _ratio(common: NDArray[np.int64], union: NDArray[np.int64]) -> NDArray[np.float64]:
    return np.where(union > 0, common / np.maximum(union, 1), 1.0)


def verify_pairs(
    pairs: NDArray[np.int64],
    signatures: NDArray[np.uint32],
    hashes: NDArray[np.uint32],
    bounds: NDArray[np.int64],
    config: DedupConfig,
    chunk: int = 65536,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Keep the candidate pairs whose exact similarity reaches the threshold; return them and it."""
    kept: list[NDArray[np.int64]] = []
    sims: list[NDArray[np.float64]] = []
    for low in range(0, len(pairs), chunk):
        block = pairs[low : low + chunk]
        agreement = (signatures[block[:, 0]] == signatures[block[:, 1]]).mean(axis=1)
        block = block[agreement >= config.threshold - config.margin]
        similarity = exact_jaccard(hashes, bounds, block[:, 0], block[:, 1])
        good = similarity >= config.threshold - 1e-12
        kept.append(block[good])
        sims.append(similarity[good])
    if not kept:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.float64)
    return np.concatenate(kept), np.concatenate(sims)


def star_clusters(
    count: int,
    pairs: NDArray[np.int64],
    similarity: NDArray[np.float64],
    rank: NDArray[np.int64],
    exclude: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Assign each document to the first kept neighbour in ``rank`` order (lower rank = preferred).

    Documents in ``exclude`` (already removed elsewhere) are neither kept nor assigned.
    Returns ``(duplicate_of, similarity)`` with -1 and NaN for kept documents.
    """
    duplicate_of = np.full(count, -1, dtype=np.int64)
    best = np.full(count, np.nan)
    if not len(pairs):
        return duplicate_of, best
    ends = np.concatenate((pairs, pairs[:, ::-1]))
    both = np.concatenate((similarity, similarity))
    order = np.lexsort((rank[ends[:, 1]], ends[:, 0]))
    ends, both = ends[order], both[order]
    starts = np.searchsorted(ends[:, 0], np.arange(count + 1))
    removed = np.zeros(count, dtype=bool) if exclude is None else exclude.copy()
    for node in sorted_unique(ends[:, 0])[np.argsort(rank[sorted_unique(ends[:, 0])], kind="stable")].tolist():
        if removed[node]:
            continue
        for k in range(starts[node], starts[node + 1]):
            neighbour = int(ends[k, 1])
            if not removed[neighbour] and rank[neighbour] > rank[node]:
                removed[neighbour] = True
                duplicate_of[neighbour], best[neighbour] = node, both[k]
    return duplicate_of, best


def priority_rank(lengths: NDArray[np.int64], keep: KeepPolicy, degree: NDArray[np.int64]) -> NDArray[np.int64]:
    """Rank documents for keeping (0 = kept first); ties in input order."""
    position = np.arange(len(lengths))
    key = degree if keep == "central" else lengths
    order = position if keep == "first" else np.lexsort((position, -key))
    rank = np.empty(len(lengths), dtype=np.int64)
    rank[order] = np.arange(len(lengths))
    return rank


def deduplicate_signed(
    signatures: NDArray[np.uint32],
    hashes: NDArray[np.uint32],
    bounds: NDArray[np.int64],
    config: DedupConfig,
    exclude: NDArray[np.bool_] | None = None,
) -> DedupResult:
    """Deduplicate documents already signed: signatures and unique shingle sets (CSR).

    Documents in ``exclude`` (e.g. matched in a persistent index) are neither kept nor assigned.
    """
    bands, rows = config.banding
    pairs = candidate_pairs(band_keys(signatures, bands, rows))
    good, similarity = verify_pairs(pairs, signatures, hashes, bounds, config)
    duplicate_of, best = cluster_verified(len(signatures), good, similarity, bounds[1:] - bounds[:-1], config, exclude)
    return DedupResult(duplicate_of, best, candidates=len(pairs), verified=len(good))


def cluster_verified(
    count: int,
    edges: NDArray[np.int64],
    similarity: NDArray[np.float64],
    lengths: NDArray[np.int64],
    config: DedupConfig,
    exclude: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The clustering policy over verified edges: ``(duplicate_of, similarity)`` per document.

    Shared by the local and the distributed dedup, so both decide alike byte for byte.
    """
    degree = np.bincount(edges.ravel(), minlength=count)
    rank = priority_rank(lengths, config.keep, degree)
    return star_clusters(count, edges, similarity, rank, exclude)


def unique_shingles(
    texts: Sequence[str], config: DedupConfig
) -> tuple[NDArray[np.uint32], NDArray[np.uint32], NDArray[np.int64]]:
    """Sign texts; return ``(signatures, unique sorted shingle hashes, bounds)``."""
    hashes, bounds = unique_shingle_hashes(texts, config.ngram, config.simplify)
    return _signatures_of_shingles(hashes, bounds, config.num_perm, config.seed), hashes, bounds


def find_duplicates(texts: Sequence[str], config: DedupConfig | None = None) -> DedupResult:
    """Find the near-duplicate documents of a batch held in memory.

    Args:
        texts: the documents.
        config: the options (default :class:`DedupConfig`).

    Returns:
        A :class:`DedupResult`: for each document, the index of the kept document it
        duplicates (or -1) and their exact Jaccard similarity.

    Examples:
        >>> base = "the quick brown fox jumps over the lazy dog near the quiet river bank today"
        >>> texts = [base, "Something else entirely, about cats and their many moods.", base + " again"]
        >>> result = find_duplicates(texts)
        >>> result.duplicate_of.tolist(), round(float(result.similarity[2]), 3)
        ([-1, -1, 0], 0.917)
        >>> result.clusters()[0].members
        (2,)
    """
    config = config or DedupConfig()
    signatures, hashes, bounds = unique_shingles(texts, config)
    return deduplicate_signed(signatures, hashes, bounds, config)


_WORD = regex.compile(r"\w+")
_SNIPPET = 160


def _snippet(text: str, words: list[regex.Match[str]], low: int, high: int) -> str:
    piece = text[words[low].start() : words[high - 1].end()]
    return piece if len(piece) <= _SNIPPET else piece[: _SNIPPET // 2] + " … " + piece[-_SNIPPET // 2 :]


def describe_removal(removed: str, kept: str, *, max_words: int = 4000, max_spans: int = 20) -> dict[str, list[str]]:
    """Return the spans a removed document shares with the kept one, and those that differ.

    A word-level diff of the simplified words (case-insensitive), for a person to audit the
    removal; each span is quoted from the original texts (long spans are elided in the middle).

    Examples:
        >>> spans = describe_removal("Breaking: the cat sat on the mat", "The cat sat on the mat. Share this")
        >>> spans["shared"], spans["only_in_removed"], spans["only_in_kept"]
        (['the cat sat on the mat'], ['Breaking'], ['Share this'])
    """
    left = list(_WORD.finditer(removed))[:max_words]
    right = list(_WORD.finditer(kept))[:max_words]
    matcher = difflib.SequenceMatcher(
        None, [m.group().lower() for m in left], [m.group().lower() for m in right], autojunk=False
    )
    spans: dict[str, list[str]] = {"shared": [], "only_in_removed": [], "only_in_kept": []}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            spans["shared"].append(_snippet(removed, left, i1, i2))
            continue
        if i2 > i1:
            spans["only_in_removed"].append(_snippet(removed, left, i1, i2))
        if j2 > j1:
            spans["only_in_kept"].append(_snippet(kept, right, j1, j2))
    return {key: value[:max_spans] for key, value in spans.items()}
