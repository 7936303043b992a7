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

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import regex
from numpy.typing import NDArray

from textclean._minhash_kernels import MAX_WORD_POSITION, accelerator, load_kernels

__all__ = [
    "EMPTY_HASH",
    "HASH_SCHEME",
    "Simplify",
    "accelerator",
    "load_kernels",
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
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_FMIX64 = (_U64(33), _U64(0xFF51AFD7ED558CCD), _U64(33), _U64(0xC4CEB9FE1A85EC53), _U64(33))
_FLAG_WORD = np.uint8(1)
_FLAG_DIGIT = np.uint8(2)
# Fixed constants of the hash scheme (changing them changes HASH_SCHEME).
_CONSTANTS = np.random.default_rng(20240601).integers(0, 2**63, size=MAX_WORD_POSITION + 64, dtype=np.uint64)
_POSITION_MULTIPLIERS = _CONSTANTS[:MAX_WORD_POSITION] * _U64(2) + _U64(1)
_NGRAM_MULTIPLIERS = _CONSTANTS[MAX_WORD_POSITION:] * _U64(2) + _U64(1)
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


class _CharacterTable:
    """Flags of every code point (bit 0: ``\\w`` of the regex module, bit 1: ``\\d``), filled a block of
    :data:`_BLOCK` code points at a time for the blocks a text uses (a process rarely meets more than a few
    dozen; the flags of a code point never depend on its neighbours, so a block is the same filled alone)."""

    def __init__(self) -> None:
        self.flags = np.zeros(0x110000, dtype=np.uint8)
        self.filled = np.zeros(0x110000 // _BLOCK, dtype=bool)

    def covering(self, points: NDArray[np.uint32]) -> NDArray[np.uint8]:
        """The table, with every block holding one of ``points`` filled."""
        if len(points):
            used = np.flatnonzero(np.bincount(points >> 8, minlength=len(self.filled)) > 0)
            for block in used[~self.filled[used]].tolist():
                self.flags[block * _BLOCK : (block + 1) * _BLOCK] = _block_flags(block * _BLOCK)
                self.filled[block] = True
        return self.flags


_BLOCK = 256


def _block_flags(first: int) -> NDArray[np.uint8]:
    """Flags of the code points ``first`` to ``first + _BLOCK - 1`` (lone surrogates have none)."""
    points = np.arange(first, first + _BLOCK, dtype=np.uint32)
    points[(points >= 0xD800) & (points < 0xE000)] = 0x20  # lone surrogates are not word characters
    chars = points.tobytes().decode("utf-32-le")
    flags = np.zeros(_BLOCK, dtype=np.uint8)
    for pattern, flag in ((_WORD_CHAR, _FLAG_WORD), (_DIGIT_CHAR, _FLAG_DIGIT)):
        flags[[match.start() for match in pattern.finditer(chars)]] |= flag
    if first == 0:
        # Scheme v1 (HASH_SCHEME) counts U+0001 as a word character and a digit: the first table marked matches
        # with it. Normalised text never holds it; kept so that signatures in persistent indexes stay comparable.
        flags[1] = _FLAG_WORD | _FLAG_DIGIT
    return flags


_WORD_CHAR = regex.compile(r"\w")
_DIGIT_CHAR = regex.compile(r"\d")


@functools.cache
def _table() -> _CharacterTable:
    return _CharacterTable()


def _character_table(points: NDArray[np.uint32]) -> NDArray[np.uint8]:
    """The flags table, filled for the blocks of ``points`` (other blocks may still be zero)."""
    return _table().covering(points)


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
    flags = _character_table(points)[points]
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
    characters *= _POSITION_MULTIPLIERS[position & (MAX_WORD_POSITION - 1)]
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
        points, text_bounds, _character_table(points), simplify.fold_digits, ngram,
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
    a, b = _permutations(num_perm, seed)
    return a.copy(), b.copy()


@functools.lru_cache(maxsize=16)
def _permutations(num_perm: int, seed: int) -> tuple[NDArray[np.uint32], NDArray[np.uint32]]:
    """:func:`permutations`, drawn once per process (a ``RandomState`` costs ~0.1 ms; callers get copies)."""
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
