"""MinHash signatures of word n-grams, vectorised over batches of texts.

The text is *simplified* for hashing only (lowercase, optionally digits folded to ``0``) and
split into Unicode ``\\w+`` words (the ``regex`` module's definition). Each word is hashed
once, the hashes of ``ngram`` consecutive words are combined into one 32-bit shingle hash,
and the permutations of datasketch's ``affine32`` scheme are applied to all shingles of a
batch as one matrix operation. The result is bit-for-bit the signature datasketch computes::

    MinHash(num_perm, seed=seed, hashfunc=int).update_batch(shingle_hashes(text))

so textclean signatures can be wrapped as ``LeanMinHash`` and used with ``MinHashLSH``.

The word and shingle hashes (scheme ``HASH_SCHEME``) are fixed constants of this module, not
seeded: they define *what* a shingle is. The MinHash ``seed`` only chooses the permutations.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import regex
from numpy.typing import NDArray

__all__ = [
    "EMPTY_HASH",
    "HASH_SCHEME",
    "Simplify",
    "minhash_signatures",
    "permutations",
    "shingle_hashes",
    "shingle_hashes_batch",
    "sorted_unique",
    "unique_shingle_hashes",
]

HASH_SCHEME = "textclean-words-v1+affine32"
"""Names the word/shingle hashing and permutation scheme; recorded in persistent indexes."""

EMPTY_HASH = np.uint32(0xFFFFFFFF)
"""The value of every signature slot of a text without words (datasketch's empty value)."""

_U64 = np.uint64
_MAX_WORD_POSITION = 1024
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_FMIX64 = (_U64(33), _U64(0xFF51AFD7ED558CCD), _U64(33), _U64(0xC4CEB9FE1A85EC53), _U64(33))
_FLAG_WORD = np.uint8(1)
_FLAG_DIGIT = np.uint8(2)
_TABLE: NDArray[np.uint8] | None = None
# Fixed constants of the hash scheme (changing them changes HASH_SCHEME).
_CONSTANTS = np.random.default_rng(20240601).integers(0, 2**63, size=_MAX_WORD_POSITION + 64, dtype=np.uint64)
_POSITION_MULTIPLIERS = _CONSTANTS[:_MAX_WORD_POSITION] * _U64(2) + _U64(1)
_NGRAM_MULTIPLIERS = _CONSTANTS[_MAX_WORD_POSITION:] * _U64(2) + _U64(1)
_CHUNK_ELEMENTS = 1 << 21  # shingles x permutations computed at once (8 MB of uint32)
_MAX_NGRAM = 64


@dataclass(frozen=True)
class Simplify:
    """How a text is simplified before it is split into words (the output text is never changed).

    Attributes:
        lowercase: compare words case-insensitively (``str.lower``). Default on.
        fold_digits: map every decimal digit to ``0``, so that pages differing only in dates,
            prices or counters hash alike. Default off.
    """

    lowercase: bool = True
    fold_digits: bool = False

    def describe(self) -> str:
        """Return a short stable name, recorded in persistent indexes.

        Examples:
            >>> Simplify().describe(), Simplify(fold_digits=True).describe()
            ('lower', 'lower+digits')
        """
        parts = (["lower"] if self.lowercase else []) + (["digits"] if self.fold_digits else [])
        return "+".join(parts) or "none"


def sorted_unique(values: NDArray[Any]) -> NDArray[Any]:
    """Return the sorted unique values (``np.unique`` by sorting: numpy 2.x's is much slower).

    Examples:
        >>> sorted_unique(np.array([3, 1, 3, 2])).tolist()
        [1, 2, 3]
    """
    ordered = np.sort(values, kind="stable" if values.dtype.kind == "f" else None)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def _character_table() -> NDArray[np.uint8]:
    """Flags of every code point: bit 0 for ``\\w`` (regex module), bit 1 for ``\\d``."""
    global _TABLE
    if _TABLE is None:
        points = np.arange(0x110000, dtype=np.uint32)
        points[0xD800:0xE000] = 0x20  # lone surrogates are not word characters
        everything = points.tobytes().decode("utf-32-le")
        table = np.zeros(0x110000, dtype=np.uint8)
        for pattern, flag in ((r"\w", _FLAG_WORD), (r"\d", _FLAG_DIGIT)):
            marked = regex.sub(pattern, "\x01", everything).encode("utf-32-le")
            table[np.frombuffer(marked, dtype=np.uint32) == 1] |= flag
        _TABLE = table
    return _TABLE


def _fmix64(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    s1, m1, s2, m2, s3 = _FMIX64
    values = values ^ (values >> s1)
    values *= m1
    values ^= values >> s2
    values *= m2
    values ^= values >> s3
    return values


def _fmix32(values: NDArray[np.uint32]) -> NDArray[np.uint32]:
    s1, m1, s2, m2, s3 = _FMIX32
    values = values ^ (values >> s1)
    values *= m1
    values ^= values >> s2
    values *= m2
    values ^= values >> s3
    return values


def _simplified_code_points(texts: Sequence[str], simplify: Simplify) -> tuple[NDArray[np.uint32], NDArray[np.int64]]:
    """Join the simplified texts with spaces; return their code points and each text's start."""
    if simplify.lowercase:
        texts = [text.lower() for text in texts]
    lengths = np.fromiter((len(text) + 1 for text in texts), dtype=np.int64, count=len(texts))
    starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    joined = " ".join(texts).encode("utf-32-le", "surrogatepass")
    return np.frombuffer(joined, dtype=np.uint32), starts


def _word_hashes(texts: Sequence[str], simplify: Simplify) -> tuple[NDArray[np.uint64], NDArray[np.int64]]:
    """Return the 64-bit hash of every word of the batch, and the batch index of its text."""
    points, text_starts = _simplified_code_points(texts, simplify)
    flags = _character_table()[points]
    is_word = (flags & _FLAG_WORD).view(np.bool_)
    if simplify.fold_digits:
        points = np.where(flags & _FLAG_DIGIT, np.uint32(0x30), points)
    edges = np.diff(np.concatenate(([0], is_word.view(np.int8), [0])))
    word_starts = np.flatnonzero(edges == 1)
    word_lengths = np.flatnonzero(edges == -1) - word_starts
    if not len(word_starts):
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    characters = points[is_word].astype(np.uint64)
    offsets = np.zeros(len(word_starts), dtype=np.int64)
    np.cumsum(word_lengths[:-1], out=offsets[1:])
    position = np.arange(len(characters), dtype=np.int64) - np.repeat(offsets, word_lengths)
    characters *= _POSITION_MULTIPLIERS[position & (_MAX_WORD_POSITION - 1)]
    hashes = np.add.reduceat(characters, offsets)
    hashes += word_lengths.astype(np.uint64)
    text_of_word = np.searchsorted(text_starts, word_starts, side="right") - 1
    return _fmix64(hashes), text_of_word


def _shingles_numpy(
    texts: Sequence[str], ngram: int, simplify: Simplify
) -> tuple[NDArray[np.uint32], NDArray[np.int64]]:
    """The reference implementation of :func:`_shingles` in numpy (used without numba)."""
    words, text_of_word = _word_hashes(texts, simplify)
    count = len(words)
    combined = np.zeros(count, dtype=np.uint64)
    word_counts = np.bincount(text_of_word, minlength=len(texts))
    first_word = np.concatenate(([0], np.cumsum(word_counts)[:-1]))
    short_hashes = np.zeros(len(texts), dtype=np.uint64)
    for k in range(ngram):
        if k < count:
            combined[: count - k] += words[k:] * _NGRAM_MULTIPLIERS[k]
        short = np.flatnonzero(word_counts == k + 1) if k + 1 < ngram else np.zeros(0, dtype=np.int64)
        short_hashes[short] = combined[first_word[short]]
    last = np.arange(count) + (ngram - 1)
    valid = last < count
    valid[valid] = text_of_word[last[valid]] == text_of_word[valid]
    short_texts = np.flatnonzero((word_counts > 0) & (word_counts < ngram))
    hashes = np.concatenate((combined[valid], short_hashes[short_texts]))
    owners = np.concatenate((text_of_word[valid], short_texts))
    if len(short_texts):
        order = np.argsort(owners, kind="stable")
        hashes, owners = hashes[order], owners[order]
    bounds = np.searchsorted(owners, np.arange(len(texts) + 1))
    return (_fmix64(hashes) >> _U64(32)).astype(np.uint32), bounds


def _shingles(texts: Sequence[str], ngram: int, simplify: Simplify) -> tuple[NDArray[np.uint32], NDArray[np.int64]]:
    """Return every shingle hash of the batch, grouped by text (sorted and unique with numba).

    Returns ``(hashes, bounds)``: the shingles of text ``i`` are ``hashes[bounds[i]:bounds[i + 1]]``.
    """
    if not 1 <= ngram <= _MAX_NGRAM:
        raise ValueError(f"ngram must be between 1 and {_MAX_NGRAM}, not {ngram}")
    kernels = accelerator(sum(map(len, texts)))
    if kernels is None:
        return _shingles_numpy(texts, ngram, simplify)
    points, starts = _simplified_code_points(texts, simplify)
    text_bounds = np.append(starts, len(points))
    hashes = np.empty(len(points) // 2 + len(texts) + 1, dtype=np.uint32)
    bounds = np.zeros(len(texts) + 1, dtype=np.int64)
    kernels.shingles(
        points, text_bounds, _character_table(), simplify.fold_digits, ngram,
        _POSITION_MULTIPLIERS, _NGRAM_MULTIPLIERS, hashes, bounds,
    )  # fmt: skip
    return hashes[: bounds[-1]], bounds


def shingle_hashes_batch(
    texts: Sequence[str], *, ngram: int = 5, simplify: Simplify = Simplify()
) -> list[NDArray[np.uint32]]:
    """Return the sorted unique shingle hashes of each text (see :func:`shingle_hashes`).

    Examples:
        >>> [len(h) for h in shingle_hashes_batch(["a b c d e f", "", "one two"])]
        [2, 0, 1]
    """
    hashes, bounds = unique_shingle_hashes(texts, ngram, simplify)
    return [hashes[bounds[i] : bounds[i + 1]] for i in range(len(texts))]


def unique_shingle_hashes(
    texts: Sequence[str], ngram: int, simplify: Simplify
) -> tuple[NDArray[np.uint32], NDArray[np.int64]]:
    """Return the sorted unique shingle hashes of all texts, concatenated, and each text's bounds."""
    hashes, bounds = _shingles(texts, ngram, simplify)
    if accelerator(sum(map(len, texts))) is not None:  # the numba kernel returns them sorted and unique
        return hashes, bounds
    owners = np.repeat(np.arange(len(texts), dtype=np.uint64), np.diff(bounds))
    keys = sorted_unique((owners << np.uint64(32)) | hashes)
    unique_bounds = np.searchsorted(keys >> np.uint64(32), np.arange(len(texts) + 1, dtype=np.uint64))
    return (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32), unique_bounds.astype(np.int64)


def shingle_hashes(text: str, *, ngram: int = 5, simplify: Simplify = Simplify()) -> NDArray[np.uint32]:
    """Return the sorted unique 32-bit hashes of the word n-grams of ``text``.

    Words are the ``\\w+`` runs of the simplified text. A text with fewer than ``ngram`` (but
    at least one) words has one shingle made of all its words; a text without words has none.

    Args:
        text: the text (not modified).
        ngram: the number of consecutive words per shingle.
        simplify: how the text is simplified before splitting it into words.

    Returns:
        A sorted array of unique ``uint32`` hashes.

    Examples:
        >>> len(shingle_hashes("The cat sat on the mat today", ngram=5))
        3
        >>> bool((shingle_hashes("THE CAT, sat.") == shingle_hashes("the cat sat")).all())
        True
        >>> shingle_hashes("  ...  ").size
        0
    """
    return shingle_hashes_batch([text], ngram=ngram, simplify=simplify)[0]


def permutations(num_perm: int, seed: int = 1) -> tuple[NDArray[np.uint32], NDArray[np.uint32]]:
    """Return the ``(a, b)`` parameters of datasketch's ``affine32`` permutations.

    Examples:
        >>> from datasketch import MinHash
        >>> a, b = permutations(4, seed=7)
        >>> bool((MinHash(num_perm=4, seed=7).permutations == np.array([a, b])).all())
        True
    """
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _signatures_of_shingles(
    hashes: NDArray[np.uint32], bounds: NDArray[np.int64], num_perm: int, seed: int
) -> NDArray[np.uint32]:
    """Return the signature of each group ``hashes[bounds[i]:bounds[i + 1]]``."""
    a, b = permutations(num_perm, seed)
    signatures = np.full((len(bounds) - 1, num_perm), EMPTY_HASH, dtype=np.uint32)
    kernels = accelerator(len(hashes) * num_perm // 64)
    if kernels is not None:
        kernels.signatures(hashes, bounds, a, b, signatures)
        return signatures
    mixed = _fmix32(hashes)
    step = max(1, _CHUNK_ELEMENTS // num_perm)
    first, count = 0, len(bounds) - 1
    while first < count:
        last = int(np.searchsorted(bounds, bounds[first] + step, side="right")) - 1
        last = min(max(last, first + 1), count)
        low, high = bounds[first], bounds[last]
        if high > low:
            present = np.flatnonzero(bounds[first + 1 : last + 1] > bounds[first:last]) + first
            block = a[:, None] * mixed[None, low:high]
            block += b[:, None]
            signatures[present] = np.minimum.reduceat(block, bounds[present] - low, axis=1).T
        first = last
    return signatures


def minhash_signatures(
    texts: Sequence[str],
    *,
    num_perm: int = 128,
    ngram: int = 5,
    seed: int = 1,
    simplify: Simplify = Simplify(),
) -> NDArray[np.uint32]:
    """Return the MinHash signature of each text, one row per text.

    The signatures equal datasketch's (scheme ``affine32``) for the same shingle hashes:
    ``MinHash(num_perm=num_perm, seed=seed, hashfunc=int)`` updated with
    :func:`shingle_hashes`. A text without words has every slot at ``0xFFFFFFFF``.

    Args:
        texts: the texts.
        num_perm: the number of permutations (signature length).
        ngram: the number of consecutive words per shingle.
        seed: chooses the permutations (datasketch's ``seed``).
        simplify: how the texts are simplified before splitting them into words.

    Returns:
        A ``(len(texts), num_perm)`` array of ``uint32``.

    Examples:
        >>> from datasketch import MinHash
        >>> text = "the same article, syndicated across many different sites today"
        >>> signatures = minhash_signatures([text, text.upper(), ""], num_perm=16)
        >>> signatures.shape, bool((signatures[0] == signatures[1]).all()), int(signatures[2, 0])
        ((3, 16), True, 4294967295)
        >>> reference = MinHash(num_perm=16, seed=1, hashfunc=int)
        >>> reference.update_batch(shingle_hashes(text))
        >>> bool((reference.hashvalues == signatures[0]).all())
        True
    """
    if num_perm < 1:
        raise ValueError(f"num_perm must be at least 1, not {num_perm}")
    hashes, bounds = _shingles(texts, ngram, simplify)
    return _signatures_of_shingles(hashes, bounds, num_perm, seed)


# --- compiled kernels (numba); the numpy code above is the reference and the fallback ---------


def _shingle_loop(
    points: Any,
    text_bounds: Any,
    table: Any,
    fold_digits: bool,
    ngram: int,
    position_mult: Any,
    ngram_mult: Any,
    out: Any,
    bounds: Any,
) -> None:
    """Write the shingle hashes of each text to ``out`` and their group bounds to ``bounds``."""
    ring = np.zeros(ngram, dtype=np.uint64)
    emitted = 0
    for text in range(len(text_bounds) - 1):
        words, state, length = 0, np.uint64(0), 0
        for i in range(text_bounds[text], text_bounds[text + 1] + 1):
            point = points[i] if i < text_bounds[text + 1] else np.uint32(0x20)
            flag = table[point]
            if flag & 1:
                if fold_digits and flag & 2:
                    point = np.uint32(0x30)
                state += np.uint64(point) * position_mult[length & (_MAX_WORD_POSITION - 1)]
                length += 1
            elif length:
                ring[words % ngram] = _fmix64_scalar(state + np.uint64(length))
                words, state, length = words + 1, np.uint64(0), 0
                if words >= ngram:
                    out[emitted] = _combine(ring, words - ngram, ngram, ngram_mult)
                    emitted += 1
        if 0 < words < ngram:
            out[emitted] = _combine(ring, 0, words, ngram_mult)
            emitted += 1
        emitted = _sort_unique(out, bounds[text], emitted)
        bounds[text + 1] = emitted


def _sort_unique(values: Any, start: int, end: int) -> int:
    """Sort ``values[start:end]`` in place, move its unique values to the front; return the new end."""
    if end - start < 2:
        return end
    values[start:end].sort()
    last = start
    for i in range(start + 1, end):
        if values[i] != values[last]:
            last += 1
            values[last] = values[i]
    return last + 1


def _intersection_loop(hashes: Any, bounds: Any, left: Any, right: Any, out: Any) -> None:
    """Count the common values of the sorted unique sets ``left[k]`` and ``right[k]``."""
    for k in range(len(left)):
        i, i_end = bounds[left[k]], bounds[left[k] + 1]
        j, j_end = bounds[right[k]], bounds[right[k] + 1]
        common = 0
        while i < i_end and j < j_end:
            if hashes[i] < hashes[j]:
                i += 1
            elif hashes[i] > hashes[j]:
                j += 1
            else:
                common, i, j = common + 1, i + 1, j + 1
        out[k] = common


def _combine(ring: Any, first: int, count: int, ngram_mult: Any) -> Any:
    combined = np.uint64(0)
    for k in range(count):
        combined += ring[(first + k) % len(ring)] * ngram_mult[k]
    return np.uint32(_fmix64_scalar(combined) >> np.uint64(32))


def _fmix64_scalar(value: Any) -> Any:
    value ^= value >> np.uint64(33)
    value *= np.uint64(0xFF51AFD7ED558CCD)
    value ^= value >> np.uint64(33)
    value *= np.uint64(0xC4CEB9FE1A85EC53)
    return value ^ (value >> np.uint64(33))


def _signature_loop(hashes: Any, bounds: Any, a: Any, b: Any, signatures: Any) -> None:
    """Fold the permuted (``affine32``) shingle hashes of each group into its signature row."""
    mask = np.uint64(0xFFFFFFFF)
    for text in range(len(bounds) - 1):
        row = signatures[text]
        for i in range(bounds[text], bounds[text + 1]):
            value = np.uint64(hashes[i])
            value ^= value >> np.uint64(16)
            value = (value * np.uint64(0x85EBCA6B)) & mask
            value ^= value >> np.uint64(13)
            value = (value * np.uint64(0xC2B2AE35)) & mask
            value ^= value >> np.uint64(16)
            for p in range(len(a)):
                permuted = np.uint32((np.uint64(a[p]) * value + np.uint64(b[p])) & mask)
                if permuted < row[p]:
                    row[p] = permuted


class _Kernels:
    def __init__(self) -> None:
        import numba

        def jit(function: Any) -> Any:
            return numba.njit(cache=True, nogil=True)(function)

        global _combine, _fmix64_scalar, _sort_unique
        _fmix64_scalar, _combine, _sort_unique = jit(_fmix64_scalar), jit(_combine), jit(_sort_unique)
        self.shingles = jit(_shingle_loop)
        self.intersections = jit(_intersection_loop)
        self.signatures = jit(_signature_loop)


def _load_kernels() -> _Kernels | None:
    if os.environ.get("TEXTCLEAN_NO_NUMBA"):
        return None
    try:
        return _Kernels()
    except ImportError:
        return None


_ACCELERATE_MIN_WORK = 200_000
"""Below this much work (characters of text), numpy beats loading numba (about a second)."""
_loaded: list[_Kernels | None] = []


def accelerator(work: int) -> _Kernels | None:
    """The numba kernels, loaded on first need; ``None`` means "use numpy".

    Both paths give bit-identical results (tested), so the choice is only about speed: a
    small batch (a document's paragraphs in ``textclean clean``) never pays numba's import
    and start-up; once the kernels are loaded, every batch uses them.
    """
    if not _loaded and work < _ACCELERATE_MIN_WORK:
        return None
    return load_kernels()


def load_kernels() -> _Kernels | None:
    """Load (once) and return the numba kernels; ``None`` without numba or with ``TEXTCLEAN_NO_NUMBA`` set."""
    if not _loaded:
        _loaded.append(_load_kernels())
    return _loaded[0]
