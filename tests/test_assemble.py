"""Assembly: the text-and-counts path (``assemble_counts``) equals the full result (``assemble``)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from textclean import Cleaner, CleanStats
from textclean._assemble import Classified, assemble, assemble_counts
from textclean._rule import KEEP, Verdict

_SHARED = [
    Verdict(False, "B030", "share-buttons", "Share on Facebook"),
    Verdict(False, "B030", "share-buttons", ""),
    Verdict(False, "B501", "menu-run", "run of 4 short lines"),
    Verdict(False, "D001", "exact-repeat", "copy of line 1"),
]


@st.composite
def classified_documents(draw: st.DrawFn) -> tuple[str, Classified]:
    """A document's lines (some blank), verdicts drawn from shared objects and fresh equal or unequal copies,
    twins on some removed lines, and word counts; the original text is the lines joined."""
    count = draw(st.integers(0, 30))
    lines = [draw(st.sampled_from(["", "", "a b", "menu", "The river rose.", "x"])) for _ in range(count)]
    verdicts: list[Verdict] = []
    for _ in range(count):
        choice = draw(st.integers(0, 6))
        if choice < 2:
            verdicts.append(KEEP)
        elif choice < 5:
            verdicts.append(draw(st.sampled_from(_SHARED)))
        else:  # a fresh object: equal to a shared one, or with its own evidence
            base = draw(st.sampled_from(_SHARED))
            evidence = draw(st.sampled_from([base.evidence, "other words", ""]))
            verdicts.append(Verdict(False, base.code, base.rule, evidence))
    removed = [i for i in range(count) if lines[i] and not verdicts[i].keep]
    twins = {row: (1, 0.9) for row in draw(st.lists(st.sampled_from(removed), unique=True))} if removed else {}
    spans = []
    start = 0
    for line in lines:
        spans.append((start, start + len(line)))
        start += len(line) + 1
    words = [len(line.split()) for line in lines]
    return "\n".join(lines), Classified(spans, lines, verdicts, twins, words)


@settings(max_examples=400, deadline=None)
@given(classified_documents(), st.booleans())
def test_counts_equal_the_full_result(document: tuple[str, Classified], evidence: bool) -> None:
    text, classified = document
    result = assemble(text, classified, None, evidence)
    assert assemble_counts(classified) == (result.text, CleanStats.from_result(result))


def test_blank_lines_between_kept_lines_become_one() -> None:
    lines = ["", "first", "", "", "gone", "second", "gone", "", "third", ""]
    gone = Verdict(False, "B030", "share-buttons", "")
    verdicts = [KEEP if line != "gone" else gone for line in lines]
    classified = Classified([(0, 0)] * len(lines), lines, verdicts, {}, [1] * len(lines))
    text, stats = assemble_counts(classified)
    assert text == "first\n\nsecond\n\nthird"
    assert (stats.lines_kept, stats.lines_removed, stats.lines_blank, stats.by_code) == (3, 2, 5, {"B030": 2})


def test_cleaner_texts_and_counts_match_clean_many() -> None:
    pages = [
        "Share on Facebook\nThe river rose two metres overnight.\n\nThe river rose two metres overnight.",
        "",
        "Cookies help us. Accept all",
        "Home | News | Sport | Weather\nVoters went to the polls on Sunday in a calm mood.",
    ]
    cleaner = Cleaner()
    expected = [(r.text, CleanStats.from_result(r)) for r in cleaner.clean_many(pages)]
    assert cleaner.texts_and_counts(pages) == expected
