"""Repeated paragraphs: the fast near-dup prefilter finds exactly the pairs the set-based reference finds."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference_impl import reference_find_repeats, reference_prefiltered_pairs

from textclean import _kernels, _paragraph_prefilter
from textclean._paragraph_prefilter import prefiltered_pairs_many
from textclean._paragraphs import find_repeats, find_repeats_many
from textclean._tokens import table_from_lists


def prefiltered_pairs_of(
    batch: list[list[list[str]]], chosen: list[list[int]], threshold: float, num_perm: int = 128
) -> list[list[tuple[int, list[int]]]]:
    """The prefilter of a batch of documents given as word lists (numbered together, as the cleaner does)."""
    table = table_from_lists(batch)
    pages = [(table.page(k).ids, table.page(k).counts, rows) for k, rows in enumerate(chosen)]
    return prefiltered_pairs_many(pages, table.vocabulary, threshold, num_perm)


def numpy_prefiltered_pairs_of(
    batch: list[list[list[str]]], chosen: list[list[int]], threshold: float, num_perm: int = 128
) -> list[list[tuple[int, list[int]]]]:
    """:func:`prefiltered_pairs_of` on the numpy path (the compiled kernels switched off)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_kernels, "kernel", lambda name: None)
        return prefiltered_pairs_of(batch, chosen, threshold, num_perm)


def prefiltered_pairs(
    words: list[list[str]], candidates: list[int], threshold: float, num_perm: int = 128
) -> list[tuple[int, list[int]]]:
    """The prefilter of one document (a batch of one), the same on the numpy path."""
    found = prefiltered_pairs_of([words], [candidates], threshold, num_perm)[0]
    assert found == numpy_prefiltered_pairs_of([words], [candidates], threshold, num_perm)[0]
    return found


VOCABULARY = "the of and troops north korea russia sent ten thousand week front war city river rose old town".split()

paragraph = st.lists(st.sampled_from(VOCABULARY), min_size=8, max_size=30)


@st.composite
def pages(draw: st.DrawFn) -> list[list[str]]:
    """Paragraphs from a small vocabulary, with edited copies of earlier ones (so pairs meet)."""
    out: list[list[str]] = []
    for _ in range(draw(st.integers(2, 40))):
        if out and draw(st.booleans()):
            words = list(draw(st.sampled_from(out)))
            for _ in range(draw(st.integers(0, 3))):
                at = draw(st.integers(0, len(words) - 1))
                words[at] = draw(st.sampled_from(VOCABULARY))
            out.append(words)
        else:
            out.append(draw(paragraph))
    return out


@settings(max_examples=200, deadline=None)
@given(pages(), st.sampled_from([0.5, 0.8, 0.95]), st.sampled_from([16, 128, 512]))
def test_prefilter_equals_reference(page: list[list[str]], threshold: float, num_perm: int) -> None:
    candidates = list(range(len(page)))
    found = prefiltered_pairs(page, candidates, threshold, num_perm)
    assert found == reference_prefiltered_pairs(page, candidates, threshold, num_perm)


@settings(max_examples=50, deadline=None)
@given(pages())
def test_chunks_do_not_change_the_pairs(page: list[list[str]]) -> None:
    candidates = list(range(len(page)))
    whole = prefiltered_pairs(page, candidates, 0.8)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_paragraph_prefilter, "_LOOKUP_CHUNK", 7)  # a chunk of a pair or a few
        patch.setattr(_paragraph_prefilter, "_MINIMA_WORDS", 9)  # a paragraph or two per run of minima
        assert numpy_prefiltered_pairs_of([page], [candidates], 0.8)[0] == whole


@settings(max_examples=100, deadline=None)
@given(st.lists(pages(), min_size=1, max_size=5), st.sampled_from([0.5, 0.8]), st.data())
def test_batch_prefilter_equals_reference_per_document(
    batch: list[list[list[str]]], threshold: float, data: st.DataObject
) -> None:
    chosen = [sorted(data.draw(st.sets(st.integers(0, len(page) - 1)))) for page in batch]
    found = prefiltered_pairs_of(batch, chosen, threshold)
    assert found == numpy_prefiltered_pairs_of(batch, chosen, threshold)
    expected = [
        reference_prefiltered_pairs(page, candidates, threshold) if len(candidates) > 1 else []
        for page, candidates in zip(batch, chosen, strict=True)
    ]
    assert found == expected


PARAGRAPHS = [
    "The deployment of ten thousand troops marks a sharp escalation of the war in the east",
    "The deployment of ten thousand troops marks a sharp escalation of the war in the east now",
    "Officials in Seoul said the troops had been training near the border for several weeks",
    "officials in seoul said the troops had been training near the border for several weeks!",
    "Officials in Seoul said the soldiers had been training near the border for several weeks",
    "Short line.",
    "Short line.",
]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PARAGRAPHS), max_size=8), max_size=6), st.sampled_from([None, 0.5, 0.8]))
def test_batch_repeats_equal_each_document_alone(batch: list[list[str]], threshold: float | None) -> None:
    together = find_repeats_many([(page, None) for page in batch], threshold=threshold, min_words=4, num_perm=32)
    assert together == [find_repeats(page, threshold=threshold, min_words=4, num_perm=32) for page in batch]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PARAGRAPHS), max_size=8), max_size=4), st.sampled_from([0.3, 0.5, 0.8]))
def test_batch_repeats_equal_the_datasketch_reference(batch: list[list[str]], threshold: float) -> None:
    together = find_repeats_many([(page, None) for page in batch], threshold=threshold, min_words=4, num_perm=32)
    found = [[(r.index, r.twin, r.similarity, r.code) for r in page] for page in together]
    assert found == [
        reference_find_repeats(page, threshold=threshold, min_words=4, num_perm=32) for page in batch
    ]


def test_a_paragraph_is_never_a_copy_of_another_documents() -> None:
    first, second = PARAGRAPHS[:1], PARAGRAPHS[:2]
    found = find_repeats_many([(first, None), (second, None)])
    assert found[0] == [] and [(r.index, r.twin, r.code) for r in found[1]] == [(1, 0, "D002")]


def test_signature_chunks_are_whole_documents_under_the_bound() -> None:
    from textclean._minhash_kernels import MIN_ACCELERATED_WORK
    from textclean._paragraphs import _SIGNATURE_CHARS, _signature_chunks

    assert _SIGNATURE_CHARS < MIN_ACCELERATED_WORK  # a batch of small documents never loads numba
    size = _SIGNATURE_CHARS // 3
    texts = ["a" * size] * 4 + ["b" * (2 * _SIGNATURE_CHARS)] + ["c"]
    chunks = _signature_chunks(texts, [2, 2, 1, 1])
    assert [len(chunk) for chunk in chunks] == [2, 2, 1, 1]  # two documents of 2/3 each, the long one alone
    assert [text for chunk in chunks for text in chunk] == texts


def test_min_words_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="min_words must be at least 1"):
        find_repeats(["a b c"], min_words=0)


def test_pair_chunks_cover_every_pair() -> None:
    page = [["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]] * 120  # 7140 pairs
    candidates = list(range(len(page)))
    pairs = prefiltered_pairs(page, candidates, 0.8)
    assert sum(len(earlier) for _, earlier in pairs) == 120 * 119 // 2
    assert pairs == reference_prefiltered_pairs(page, candidates, 0.8)


def test_near_copy_is_found_and_twin_recorded() -> None:
    first = "The deployment of ten thousand troops marks a sharp escalation of the war in the east"
    later = "The deployment of ten thousand troops marks a sharp escalation of the war in the east now"
    repeats = find_repeats([first, "Something else happened in the capital on Tuesday evening.", later])
    assert [(r.index, r.twin, r.code) for r in repeats] == [(2, 0, "D002")]
    assert 0.8 <= repeats[0].similarity < 1.0


word_hashes = _kernels.kernel("word_hashes")
needs_word_hashes = pytest.mark.skipif(word_hashes is None, reason="textclean._native was not built")


@needs_word_hashes
@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.characters(exclude_categories=("Cs",)), max_size=8), min_size=1, max_size=20), st.data())
def test_word_hashes_are_zlib_crc32_of_utf8(words: list[str], data: st.DataObject) -> None:
    import zlib

    import numpy as np

    used = data.draw(st.lists(st.integers(0, len(words) - 1), max_size=30))
    found = word_hashes(words, np.array(used, dtype=np.int64))
    assert found is not None
    assert np.frombuffer(found, dtype=np.uint32).tolist() == [zlib.crc32(words[k].encode()) for k in used]
    compiled = _paragraph_prefilter.word_hashes_of(words, np.array(used, dtype=np.intp))
    with pytest.MonkeyPatch.context() as patch:  # the Python path gives the same uint32 hashes
        patch.setattr(_kernels, "kernel", lambda name: None)
        reference = _paragraph_prefilter.word_hashes_of(words, np.array(used, dtype=np.intp))
    assert compiled.dtype == reference.dtype == np.uint32 and compiled.tolist() == reference.tolist()


@needs_word_hashes
def test_word_hashes_leave_a_lone_surrogate_and_bad_input_to_the_caller() -> None:
    import numpy as np

    assert word_hashes(["ok", "a\ud800"], np.array([0, 1], dtype=np.int64)) is None
    with pytest.raises(UnicodeEncodeError):
        _paragraph_prefilter.word_hashes_of(["ok", "a\ud800"], np.array([0, 1], dtype=np.intp))
    with pytest.raises(IndexError):
        word_hashes(["ok"], np.array([1], dtype=np.int64))
    with pytest.raises(TypeError):
        word_hashes(["ok", 3], np.array([1], dtype=np.int64))


prefilter_kernel = _kernels.kernel("prefilter_pairs")


@pytest.mark.skipif(prefilter_kernel is None, reason="textclean._native was not built")
@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 7), min_size=1, max_size=6), min_size=1, max_size=12),
    st.data(),
    st.sampled_from([0.2, 0.5, 0.85]),
)
def test_prefilter_kernel_equals_numpy(paragraphs: list[list[int]], data: st.DataObject, bound: float) -> None:
    """The kernel permutes the words' 32-bit hashes in uint32 arithmetic and counts distinct words with stamps,
    not sorted sets: the pairs are the numpy reference's (the uint64 products masked to 32 bits)."""
    import numpy as np

    ids = np.array([word for paragraph in paragraphs for word in paragraph], dtype=np.int32)
    lengths = np.array([len(paragraph) for paragraph in paragraphs], dtype=np.int64)
    splits = sorted(data.draw(st.lists(st.integers(0, len(paragraphs)), max_size=3)))
    document = np.searchsorted(np.array(splits), np.arange(len(paragraphs)), side="right").astype(np.int64)
    hashes = np.array(data.draw(st.lists(st.integers(0, 2**32 - 1), min_size=8, max_size=8)), dtype=np.uint32)
    hashes[1] = hashes[0]  # two words alike in every column: paragraphs of either meet
    multipliers, offsets = _paragraph_prefilter._prefilter_permutations()
    found = prefilter_kernel(ids, lengths, document, hashes, multipliers, offsets, bound)
    later, earlier = (np.frombuffer(part, dtype=np.int64) for part in found)
    permuted = (hashes.astype(np.uint64)[:, None] * multipliers + offsets) & np.uint64(0xFFFFFFFF)
    expected = _paragraph_prefilter._pairs_reference(permuted, ids.astype(np.intp), lengths, document, 8, bound)
    assert later.tolist() == expected[0].tolist() and earlier.tolist() == expected[1].tolist()


trigram_kernel = _kernels.kernel("trigram_overlaps")
needs_trigram_kernel = pytest.mark.skipif(trigram_kernel is None, reason="textclean._native was not built")


def _trigram_arrays(ids: list[int], lengths: list[int], pairs: list[tuple[int, int]]) -> tuple[Any, ...]:
    """The kernel's four arguments: the words end to end, the lengths, the pairs' later and earlier paragraphs."""
    import numpy as np

    return (
        np.array(ids, dtype=np.int32),
        np.array(lengths, dtype=np.int64),
        np.array([a for a, _ in pairs], dtype=np.int64),
        np.array([b for _, b in pairs], dtype=np.int64),
    )


def _trigram_counts(paragraphs: list[list[int]], pairs: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The kernel's shared and union trigram counts of each pair, checked against Python sets."""
    import numpy as np

    assert trigram_kernel is not None
    found = trigram_kernel(*_trigram_arrays([w for p in paragraphs for w in p], list(map(len, paragraphs)), pairs))
    assert found is not None
    shared, union = (np.frombuffer(part, dtype=np.int64).tolist() for part in found)
    sets = [set(zip(p, p[1:], p[2:], strict=False)) for p in paragraphs]
    assert shared == [len(sets[a] & sets[b]) for a, b in pairs]
    assert union == [len(sets[a] | sets[b]) for a, b in pairs]
    return shared, union


@needs_trigram_kernel
@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 5), max_size=70), min_size=1, max_size=10),
    st.data(),
)
def test_trigram_kernel_equals_numpy_and_sets(paragraphs: list[list[int]], data: st.DataObject) -> None:
    """The kernel packs a trigram into one uint64 and sorts each paragraph's keys (long paragraphs take the
    quicksort, short ones the insertion sort); the numpy reference numbers them densely. Both are the sets'."""
    index = st.integers(0, len(paragraphs) - 1)
    pairs = data.draw(st.lists(st.tuples(index, index), max_size=20))
    shared, union = _trigram_counts(paragraphs, pairs)
    arrays = _trigram_arrays([w for p in paragraphs for w in p], list(map(len, paragraphs)), pairs)
    reference = _paragraph_prefilter._trigram_overlaps_reference(*arrays)
    assert shared == reference[0].tolist() and union == reference[1].tolist()


@needs_trigram_kernel
@pytest.mark.parametrize("vocabulary", [2, 12, 5000])
def test_trigram_kernel_counts_long_paragraphs_as_sets(vocabulary: int) -> None:
    """Paragraphs of up to 600 words (the quicksort's partitions; two words only: runs of equal keys) against
    Python sets."""
    import numpy as np

    rng = np.random.default_rng(vocabulary)
    paragraphs = [rng.integers(0, vocabulary, int(rng.integers(0, 600))).tolist() for _ in range(40)]
    paragraphs[1] = paragraphs[0][5:] + paragraphs[0][:5]  # a rotated copy: most trigrams shared
    pairs = [(1, 0)] + [(a, b) for a, b in rng.integers(0, 40, (200, 2)).tolist()]
    _trigram_counts(paragraphs, pairs)


@needs_trigram_kernel
def test_trigram_kernel_refuses_what_it_cannot_read() -> None:
    def call(ids: list[int], lengths: list[int], later: list[int], earlier: list[int]) -> object:
        assert trigram_kernel is not None
        return trigram_kernel(*_trigram_arrays(ids, lengths, list(zip(later, earlier, strict=False))))

    assert call([0, 1, 1 << 21], [3], [0], [0]) is None  # too large to pack: the numpy reference takes it
    with pytest.raises(ValueError, match="within ids"):
        call([0, 1, 2], [4], [0], [0])
    with pytest.raises(ValueError, match="at least 0"):
        call([0, -1, 2], [3], [0], [0])
    with pytest.raises(IndexError):
        call([0, 1, 2], [3], [1], [0])
    ids, lengths, later, _ = _trigram_arrays([0, 1, 2], [3], [(0, 0)])
    assert trigram_kernel is not None
    with pytest.raises(ValueError, match="one entry per pair"):
        trigram_kernel(ids, lengths, later.repeat(2), later)


def test_reordered_copies_share_words_but_not_trigrams() -> None:
    """Paragraphs of the same words in another order meet on their word sets; their trigrams keep them from the
    MinHash (on a site with a small vocabulary, most long paragraphs are like this)."""
    words = "the council voted on tuesday to close the old ferry pier after three years of debate".split()
    shuffled = words[1::2] + words[0::2]
    assert prefiltered_pairs([words, shuffled], [0, 1], 0.8) == []
    assert prefiltered_pairs([words, shuffled], [0, 1], 0.8, num_perm=4) == [(1, [0])]  # a wide margin: kept
    assert prefiltered_pairs([words, [*words[:-1], "now"]], [0, 1], 0.8) == [(1, [0])]


MIXED = "the of troops north korea war city river नमस्ते किताब हिन्दी café naïve 10,000 don't".split()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(MIXED), min_size=8, max_size=24), min_size=1, max_size=6),
    st.data(),
    st.sampled_from([0.5, 0.7, 0.8]),
)
def test_the_trigram_stage_never_changes_the_repeats(
    originals: list[list[str]], data: st.DataObject, threshold: float
) -> None:
    """Whatever pairs the trigram stage drops, the MinHash would not have found them near enough: the repeats
    are those found with the stage switched off (its bound at -1). Words from several scripts, including
    Devanagari, whose vowel signs split the cleaner's words (``re``) but not the MinHash's (``regex``)."""
    page = []
    for words in originals:
        page.append(" ".join(words))
        for _ in range(data.draw(st.integers(0, 2))):  # edited copies: a few words replaced, dropped or added
            copy = list(words)
            for _ in range(data.draw(st.integers(0, 4))):
                at = data.draw(st.integers(0, len(copy) - 1))
                action = data.draw(st.sampled_from(["replace", "drop", "add"]))
                if action == "drop" and len(copy) > 8:
                    del copy[at]
                else:
                    copy[at : at + (action == "replace")] = [data.draw(st.sampled_from(MIXED))]
            page.append(" ".join(copy))
    found = find_repeats(page, threshold=threshold, min_words=8, num_perm=128)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_paragraph_prefilter, "trigram_bound", lambda threshold, num_perm: -1.0)
        assert find_repeats(page, threshold=threshold, min_words=8, num_perm=128) == found
