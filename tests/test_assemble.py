"""Assembly: the text-and-counts path (``assemble_counts``) equals the full result (``assemble``)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from textclean import Cleaner, CleanStats
from textclean._assemble import Classified, assemble, assemble_counts
from textclean._result import sum_counts
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


_COUNTS = st.builds(
    CleanStats,
    documents=st.integers(0, 5),
    lines_removed=st.integers(0, 50),
    words_in=st.integers(0, 500),
    by_code=st.dictionaries(st.sampled_from(["B030", "B501", "D001", "T001"]), st.integers(1, 9), max_size=3),
)


@settings(max_examples=200, deadline=None)
@given(_COUNTS, st.lists(_COUNTS, max_size=6))
def test_sum_counts_adds_every_field(start: CleanStats, items: list[CleanStats]) -> None:
    everything = [start, *items]
    codes: dict[str, int] = {}
    for item in everything:
        for code, count in item.by_code.items():
            codes[code] = codes.get(code, 0) + count
    expected = {
        name: sum(getattr(item, name) for item in everything)
        for name in ("documents", "documents_empty", "lines_total", "lines_kept", "lines_removed", "words_in")
    }
    total = sum_counts(start, items)
    assert {name: getattr(total, name) for name in expected} == expected
    assert total.by_code == codes
    assert list(total.by_code) == sorted(total.by_code)  # merged codes come sorted, as add_counts gives them


def test_sum_counts_adds_nested_statistics() -> None:
    from textclean._stream import StreamStats

    one = StreamStats(cleaning=CleanStats(documents=1, by_code={"B030": 2}))
    total = sum_counts(StreamStats(), [one, one])
    assert total.cleaning == CleanStats(documents=2, by_code={"B030": 4})
