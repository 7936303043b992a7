"""MinHash signatures: datasketch compatibility, determinism, the numpy fallback."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import regex
from datasketch import LeanMinHash, MinHash, MinHashLSH  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st

from textclean import _minhash
from textclean._minhash import Simplify, minhash_signatures, shingle_hashes, shingle_hashes_batch

WORDS = ["alpha", "Beta", "gamma", "δέλτα", "東京", "हिन्दी", "x_y", "2024", "١٢", "naïve", "e\u0301"]
texts_strategy = st.lists(
    st.lists(st.sampled_from([*WORDS, ",", ".", "\n", "  "]), max_size=30).map(" ".join), max_size=12
)


def reference_shingles(text: str, ngram: int = 5) -> set[str]:
    words = regex.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + ngram]) for i in range(max(1, len(words) - ngram + 1))} if words else set()


@settings(max_examples=60, deadline=None)
@given(texts_strategy)
def test_signature_equals_datasketch_fed_the_shingle_hashes(texts: list[str]) -> None:
    signatures = minhash_signatures(texts, num_perm=32, seed=5)
    for text, signature in zip(texts, signatures, strict=True):
        reference = MinHash(num_perm=32, seed=5, hashfunc=int)
        reference.update_batch(shingle_hashes(text))
        assert (reference.hashvalues == signature).all()


@settings(max_examples=60, deadline=None)
@given(texts_strategy, st.integers(1, 6), st.booleans())
def test_shingle_count_matches_the_definition(texts: list[str], ngram: int, fold: bool) -> None:
    for text, hashes in zip(
        texts, shingle_hashes_batch(texts, ngram=ngram, simplify=Simplify(fold_digits=fold)), strict=True
    ):
        if not fold:
            assert len(hashes) == len(reference_shingles(text, ngram))
        assert (np.diff(hashes.astype(np.int64)) > 0).all()


def force_numba(work: int) -> Any:
    """The accelerator whatever the batch size (numba must be installed: it is a dependency)."""
    kernels = _minhash.load_kernels()
    assert kernels is not None
    return kernels


def force_numpy(work: int) -> None:
    return None


@settings(max_examples=40, deadline=None)
@given(texts_strategy, st.integers(1, 6), st.booleans())
def test_compiled_kernels_equal_numpy_reference(texts: list[str], ngram: int, fold: bool) -> None:
    simplify = Simplify(fold_digits=fold)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_minhash, "accelerator", force_numba)
        fast, fast_bounds = _minhash.unique_shingle_hashes(texts, ngram, simplify)
        patch.setattr(_minhash, "accelerator", force_numpy)
        slow, slow_bounds = _minhash.unique_shingle_hashes(texts, ngram, simplify)
    assert fast_bounds.tolist() == slow_bounds.tolist()
    assert fast.tolist() == slow.tolist()


def test_numpy_fallback_signatures_equal(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [" ".join(WORDS[i:] + WORDS[:i]) * 3 for i in range(len(WORDS))] + ["", "one"]
    monkeypatch.setattr(_minhash, "accelerator", force_numba)
    fast = minhash_signatures(texts, num_perm=64)
    monkeypatch.setattr(_minhash, "accelerator", force_numpy)
    monkeypatch.setattr(_minhash, "_CHUNK_ELEMENTS", 200)
    assert (minhash_signatures(texts, num_perm=64) == fast).all()


def test_lean_minhash_works_with_minhash_lsh() -> None:
    base = "the same article was syndicated across many news sites on monday morning " * 3
    signatures = minhash_signatures([base, base + " updated", "a different story entirely about cats"])
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    for key, signature in zip("abc", signatures, strict=True):
        lsh.insert(key, LeanMinHash(seed=1, hashvalues=signature, scheme="affine32"))
    assert sorted(lsh.query(LeanMinHash(seed=1, hashvalues=signatures[0], scheme="affine32"))) == ["a", "b"]


def test_simplification_never_changes_input_and_folds_digits() -> None:
    text = "Price 2024: 19 euros today only here"
    assert (
        shingle_hashes(text, simplify=Simplify(fold_digits=True))
        == shingle_hashes("price 0000 00 euros today only here", simplify=Simplify(fold_digits=True))
    ).all()
    assert not np.array_equal(shingle_hashes(text), shingle_hashes("price 1999 19 euros today only here"))


def test_deterministic_and_seeded() -> None:
    texts = ["some words here and there again and again", "other words"]
    assert (minhash_signatures(texts, seed=3) == minhash_signatures(texts, seed=3)).all()
    assert not (minhash_signatures(texts, seed=3) == minhash_signatures(texts, seed=4)).all()
    assert (minhash_signatures([""]) == 0xFFFFFFFF).all()


def _flags_by_regex(code: int) -> int:
    """The flags of one code point from the definition (scheme v1: U+0001 counts as a word character and digit)."""
    if code == 1:
        return 3
    char = " " if 0xD800 <= code < 0xE000 else chr(code)
    return (regex.match(r"\w", char) is not None) | (regex.match(r"\d", char) is not None) << 1


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 0x10FFFF), max_size=50))
def test_character_table_filled_by_blocks_gives_each_code_point_its_flags(codes: list[int]) -> None:
    """A fresh table filled block by block, as texts come in a process, flags each code point by its definition."""
    table = _minhash._CharacterTable()
    for at in range(0, len(codes), 7):
        points = np.array(codes[at : at + 7], dtype=np.uint32)
        flags = table.covering(points)[points]
        assert flags.tolist() == [_flags_by_regex(code) for code in points.tolist()]


def test_character_table_blocks_equal_the_whole_range_at_once() -> None:
    """Block by block or every code point at once (how the table was first built), the same table."""
    everything = np.arange(0x110000, dtype=np.uint32)
    everything[0xD800:0xE000] = 0x20
    text = everything.tobytes().decode("utf-32-le")
    whole = np.zeros(0x110000, dtype=np.uint8)
    for pattern, flag in ((r"\w", 1), (r"\d", 2)):
        whole[[match.start() for match in regex.finditer(pattern, text)]] |= flag
    whole[1] = 3  # scheme v1's U+0001
    table = _minhash._CharacterTable().covering(np.arange(0x110000, dtype=np.uint32))
    assert (table == whole).all()


def force_native(work: int) -> Any:
    """The C loops whatever the batch size (skipped when textclean._native was not built)."""
    from textclean._minhash_kernels import native_kernels

    kernels = native_kernels()
    if kernels is None:
        pytest.skip("textclean._native was not built")
    return kernels


@settings(max_examples=60, deadline=None)
@given(texts_strategy, st.integers(1, 6), st.booleans(), st.integers(1, 40))
def test_c_loops_equal_the_numpy_reference(texts: list[str], ngram: int, fold: bool, num_perm: int) -> None:
    """Shingles (sorted, unique), signatures and pair intersections from textclean/_native.c are numpy's."""
    from textclean._dedup import exact_jaccard

    simplify = Simplify(fold_digits=fold)
    results = []
    for force in (force_native, force_numpy):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_minhash, "accelerator", force)
            hashes, bounds = _minhash.unique_shingle_hashes(texts, ngram, simplify)
            signatures = minhash_signatures(texts, num_perm=num_perm, ngram=ngram, seed=3, simplify=simplify)
            pairs = np.array([(i, j) for i in range(len(texts)) for j in range(i)], dtype=np.int64).reshape(-1, 2)
            with patch.context() as inner:
                import textclean._dedup as dedup

                inner.setattr(dedup._minhash, "accelerator", force)
                jaccard = exact_jaccard(hashes, bounds, pairs[:, 0], pairs[:, 1])
            results.append((hashes.tolist(), bounds.tolist(), signatures.tolist(), jaccard.tolist()))
    assert results[0] == results[1]
