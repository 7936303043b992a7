"""The compiled ``paragraph_rows`` path of :func:`repeats_of_pages` finds exactly the reference's repeats."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textclean import _kernels
from textclean._paragraphs import _repeats_of_pages_reference, repeats_of_pages
from textclean._rule import KEEP, Verdict
from textclean._tokens import tokenize_pages

paragraph_rows = _kernels.kernel("paragraph_rows")
needs_native = pytest.mark.skipif(paragraph_rows is None, reason="textclean._native was not built")

LEAD = "The deployment of ten thousand troops marks a sharp escalation of the war in the east"
LINES = [
    "",  # blank: never a paragraph
    " ",
    "   \u3000  ",
    "Yes.",  # short: never deduplicated
    "Yes.",
    "----------------------------",  # no words, long: compared by its stripped text
    "  ----------------------------\u3000",
    "---------------------------- ",
    "\u2014\u2014\u2014\u2014\u2014\u2014\u2014\u2014\u2014\u2014\u2014\u2014\u2014\u2014\u2014\u2014\u2014\u2014\u2014\u2014",
    "a b c",  # three words, under twenty characters
    "a b c, and then again a b c",  # the same words as the next: an exact copy
    "A B C and then AGAIN a b c!!",
    "one two three four",
    "one two three four",
    LEAD,
    LEAD + " now",
    LEAD.lower() + ".",
    "Officials in Seoul said the troops had been training near the border for several weeks",
    "Officials in Seoul said the soldiers had been training near the border for several weeks",
    " ".join(["word"] * 300),  # long
    " ".join(f"w{k}" for k in range(200)),
    " ".join(f"w{k}" for k in range(199)),
]

REMOVED = Verdict(keep=False, code="B030", rule="share-links", evidence="x")


@st.composite
def batches(draw: st.DrawFn) -> list[tuple[list[str], list[Verdict]]]:
    """Pages of lines drawn from :data:`LINES` (and edited copies), each with a verdict per line."""
    out = []
    for _ in range(draw(st.integers(1, 5))):
        lines = draw(st.lists(st.sampled_from(LINES), max_size=25))
        if lines and draw(st.booleans()):  # near copies: a word changed or added
            at = draw(st.integers(0, len(lines) - 1))
            lines.append(lines[at] + draw(st.sampled_from([" again", "!", " w7", ""])))
        verdicts = [
            draw(st.sampled_from([KEEP, KEEP, Verdict(keep=True), REMOVED, Verdict(keep=False)])) for _ in lines
        ]
        out.append((lines, verdicts))
    return out


def both_paths(
    batch: list[tuple[list[str], list[Any]]], threshold: float | None, min_words: int
) -> tuple[list[Any], list[Any]]:
    table = tokenize_pages([lines for lines, _ in batch])
    pages = [(lines, table.page(k), verdicts) for k, (lines, verdicts) in enumerate(batch)]
    options = {"threshold": threshold, "min_words": min_words, "num_perm": 32, "seed": 1}
    found = repeats_of_pages(pages, **options)  # type: ignore[arg-type]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_kernels, "kernel", lambda name: None)
        reference = _repeats_of_pages_reference(pages, **options)  # type: ignore[arg-type]
    return found, reference


@needs_native
@settings(max_examples=300, deadline=None)
@given(batches(), st.sampled_from([None, 0.3, 0.5, 0.8]), st.integers(1, 9))
def test_compiled_path_equals_the_reference(
    batch: list[tuple[list[str], list[Verdict]]], threshold: float | None, min_words: int
) -> None:
    found, reference = both_paths(batch, threshold, min_words)
    assert found == reference


@needs_native
def test_exact_copies_by_words_and_by_stripped_text() -> None:
    lines = ["a b c, and then again a b c", "-" * 25, "A B C and then AGAIN a b c!!", "  " + "-" * 25 + "\u3000", "x"]
    found, reference = both_paths([(lines, [KEEP] * len(lines))], None, 8)
    assert [(r.index, r.twin, r.code) for r in found[0]] == [(2, 0, "D001"), (3, 1, "D001")]
    assert found == reference


@dataclass(frozen=True)
class OtherVerdict:
    """A verdict of another type: the kernel leaves the page to the reference."""

    keep: Any


@needs_native
@pytest.mark.parametrize("verdict", [OtherVerdict(True), Verdict(keep=1)])  # type: ignore[arg-type]
def test_other_verdicts_fall_back_to_the_reference(verdict: Any) -> None:
    lines = [LEAD, LEAD]
    table = tokenize_pages([lines])
    page = table.page(0)
    pages = [(lines, [verdict, verdict], page.ids, page.starts)]
    assert paragraph_rows(pages, Verdict, len(table.vocabulary), 4) is None
    found, reference = both_paths([(lines, [verdict, verdict])], 0.8, 4)
    assert found == reference and [(r.index, r.twin) for r in found[0]] == [(1, 0)]


@needs_native
def test_bad_arguments_raise() -> None:
    lines = ["one two three four", "one two three four"]
    table = tokenize_pages([lines])
    page = table.page(0)
    size = len(table.vocabulary)
    with pytest.raises(TypeError):
        paragraph_rows((lines,), Verdict, size, 4)
    with pytest.raises(TypeError):
        paragraph_rows([(lines, [KEEP, KEEP], page.ids)], Verdict, size, 4)
    with pytest.raises(TypeError):
        paragraph_rows([(lines, [KEEP, KEEP], page.ids, page.starts)], "Verdict", size, 4)
    with pytest.raises(ValueError):
        paragraph_rows([(lines, [KEEP, KEEP], page.ids, page.starts)], Verdict, -1, 4)
    with pytest.raises(ValueError):  # a word number outside the vocabulary
        paragraph_rows([(lines, [KEEP, KEEP], page.ids, page.starts)], Verdict, 2, 4)
    with pytest.raises(ValueError):  # starts that fall
        paragraph_rows([(lines, [KEEP, KEEP], page.ids, np.array([0, 4, 2]))], Verdict, size, 4)
    with pytest.raises(ValueError):  # starts beyond the ids
        paragraph_rows([(lines, [KEEP, KEEP], page.ids, np.array([0, 4, 9]))], Verdict, size, 4)
    # inputs the kernel does not read (other lengths, types of arrays or lines): the caller's reference path
    assert paragraph_rows([(lines, [KEEP], page.ids, page.starts)], Verdict, size, 4) is None
    assert paragraph_rows([(lines, [KEEP, KEEP], page.ids.astype(np.int64), page.starts)], Verdict, size, 4) is None
    assert paragraph_rows([(lines, [KEEP, KEEP], page.ids, page.starts[::-1])], Verdict, size, 4) is None
    short = tokenize_pages([["a b", "c"]]).page(0)  # lines of under four words are read: they must be str
    assert paragraph_rows([([b"a b", b"c"], [KEEP, KEEP], short.ids, short.starts)], Verdict, size, 4) is None
    assert paragraph_rows([(tuple(lines), [KEEP, KEEP], page.ids, page.starts)], Verdict, size, 4) is None
    assert paragraph_rows([(lines, [KEEP, KEEP], "ids", page.starts)], Verdict, size, 4) is None
    _, _, twins, *_ = paragraph_rows([(lines, [KEEP, KEEP], page.ids, page.starts)], Verdict, size, 0)
    assert np.frombuffer(twins, dtype=np.int64).tolist() == [-1, 0]
