"""Batch near-duplicate detection, clustering policy, the online and persistent indexes."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textclean._dedup import DedupConfig, exact_jaccard, find_duplicates, unique_shingles
from textclean._dedup_index import DedupIndex, Deduplicator
from textclean._errors import ConfigError, IndexMismatchError
from textclean._lsh import candidate_pairs, choose_bands, detection_probability
from textclean._minhash import shingle_hashes

VOCABULARY = [f"w{i}" for i in range(400)]


def document(rng: random.Random, words: int = 120) -> str:
    return " ".join(rng.choices(VOCABULARY, k=words))


def edited(rng: random.Random, text: str, changes: int) -> str:
    words = text.split()
    for i in rng.sample(range(len(words)), changes):
        words[i] = rng.choice(VOCABULARY)
    return " ".join(words)


def corpus(seed: int, families: int = 30) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(families):
        base = document(rng)
        texts.append(base)
        texts.extend(edited(rng, base, rng.randint(0, 6)) for _ in range(rng.randint(0, 3)))
    rng.shuffle(texts)
    return texts


def true_jaccard(a: str, b: str) -> float:
    x, y = set(shingle_hashes(a).tolist()), set(shingle_hashes(b).tolist())
    return len(x & y) / len(x | y) if x | y else 1.0


@pytest.mark.parametrize("keep", ["central", "first", "longest"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_removal_resembles_its_representative(seed: int, keep: str) -> None:
    texts = corpus(seed)
    result = find_duplicates(texts, DedupConfig(keep=keep))  # type: ignore[arg-type]
    for row in np.flatnonzero(result.removed):
        rep = int(result.duplicate_of[row])
        assert result.duplicate_of[rep] == -1, "a representative is never removed"
        assert true_jaccard(texts[row], texts[rep]) >= 0.8
        assert result.similarity[row] == pytest.approx(true_jaccard(texts[row], texts[rep]))


def test_chain_is_not_collapsed() -> None:
    rng = random.Random(5)
    a = document(rng, 200)
    b = edited(rng, a, 4)
    c = edited(rng, b, 4)
    while true_jaccard(a, c) >= 0.8 or true_jaccard(b, c) < 0.8:
        c = edited(rng, c, 1)
    result = find_duplicates([a, b, c], DedupConfig(keep="first"))
    assert result.duplicate_of.tolist() == [-1, 0, -1]


def test_recall_on_planted_copies() -> None:
    texts = corpus(7, families=60)
    result = find_duplicates(texts)
    pairs = [(i, j) for i in range(len(texts)) for j in range(i) if true_jaccard(texts[i], texts[j]) >= 0.8]
    head = [int(d) if d >= 0 else i for i, d in enumerate(result.duplicate_of)]
    assert sum(head[i] == head[j] for i, j in pairs) / len(pairs) >= 0.95


def test_identical_documents_are_d102_and_first_kept() -> None:
    text = "an identical page crawled twice by the same crawler on two days"
    result = find_duplicates(["unrelated text here about something", text, text.upper(), text])
    assert result.duplicate_of.tolist() == [-1, -1, 1, 1]
    assert result.code(2) == "D102" and result.code(1) is None
    assert result.clusters()[0].members == (2, 3)


def test_exact_jaccard_matches_sets() -> None:
    rng = np.random.default_rng(0)
    sets = [np.unique(rng.integers(0, 50, rng.integers(0, 30))).astype(np.uint32) for _ in range(20)]
    hashes = np.concatenate(sets)
    bounds = np.concatenate(([0], np.cumsum([len(s) for s in sets])))
    left, right = np.arange(20), rng.permutation(20)
    got = exact_jaccard(hashes, bounds, left, right)
    for k in range(20):
        a, b = set(sets[left[k]].tolist()), set(sets[right[k]].tolist())
        assert got[k] == pytest.approx(len(a & b) / len(a | b) if a | b else 1.0)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.integers(0, 3), min_size=2, max_size=2), max_size=40))
def test_candidate_pairs_find_every_shared_key(rows: list[list[int]]) -> None:
    keys = np.array(rows, dtype=np.uint64).reshape(-1, 2)
    found = {tuple(p) for p in candidate_pairs(keys, partners=len(rows)).tolist()}
    expected = {(i, j) for j in range(len(rows)) for i in range(j) if (keys[i] == keys[j]).any()}
    assert found == expected


def test_banding_favours_recall() -> None:
    bands, rows = choose_bands(0.8, 128)
    assert detection_probability(0.8, bands, rows) >= 0.99
    assert detection_probability(0.8, 9, 13) < 0.5  # datasketch's default banding at 0.8


def test_config_errors_say_what_to_do() -> None:
    with pytest.raises(ConfigError, match="both bands and rows"):
        DedupConfig(bands=4)
    with pytest.raises(ConfigError, match="threshold"):
        DedupConfig(threshold=1.5)


def test_deduplicator_online() -> None:
    rng = random.Random(3)
    base = document(rng)
    dedup = Deduplicator()
    assert dedup.add(1, base) is None
    match = dedup.add(2, edited(rng, base, 1))
    assert match is not None and match.key == 1 and match.similarity >= 0.8
    assert dedup.add(3, document(rng)) is None
    assert [m.key for m in dedup.query(base)] == [1]
    with pytest.raises(ValueError, match="already added"):
        dedup.add(1, "x")


def test_persistent_index_matches_old_batch(tmp_path: object) -> None:
    path = str(tmp_path)
    rng = random.Random(4)
    old = [document(rng) for _ in range(20)]
    config = DedupConfig()
    DedupIndex(path, config).append(*unique_shingles(old, config), ids=[f"old{i}" for i in range(20)])
    new = [edited(rng, old[3], 2), document(rng), old[17]]
    matches = DedupIndex(path, config).match(*unique_shingles(new, config))
    assert [(m.index, m.doc_id) for m in matches] == [(0, "old3"), (2, "old17")]
    assert matches[1].similarity == 1.0
    with pytest.raises(IndexMismatchError, match="ngram=5 \\(requested 4\\)"):
        DedupIndex(path, DedupConfig(ngram=4))


def test_numpy_fallback_gives_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    from textclean import _minhash

    texts = corpus(11)
    monkeypatch.setattr(_minhash, "accelerator", lambda work: _minhash.load_kernels())
    fast = find_duplicates(texts)
    monkeypatch.setattr(_minhash, "accelerator", lambda work: None)
    slow = find_duplicates(texts)
    assert fast.duplicate_of.tolist() == slow.duplicate_of.tolist()
    assert np.allclose(fast.similarity, slow.similarity, equal_nan=True)
