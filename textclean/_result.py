"""What cleaning returns: removals, per-document results and additive statistics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, TypeVar

__all__ = ["CleanResult", "CleanStats", "Removal", "add_counts", "sum_counts"]

MOSTLY_CHROME_RATIO = 0.8


@dataclass(frozen=True)
class Removal:
    """One removed line, or a run of consecutive lines removed for the same reason.

    Attributes:
        line_start: 1-based number of the first removed line in the input.
        line_end: 1-based number of the last removed line (inclusive).
        start: character offset of the removed text in the original input.
        end: character offset just past it; ``original[start:end] == text``.
        text: the original (not normalised) text removed.
        code: the stable reason code, e.g. ``"B012"``.
        rule: the rule's kebab name, e.g. ``"rss-footer"``.
        evidence: why the rule fired, in words.
        twin_line: for repeated paragraphs, the 1-based line of the kept first copy.
        similarity: for repeated paragraphs, the (estimated) Jaccard similarity with the twin.
    """

    line_start: int
    line_end: int
    start: int
    end: int
    text: str
    code: str
    rule: str
    evidence: str = ""
    twin_line: int | None = None
    similarity: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The removal as a JSON-ready dict (the ``--report`` line, minus document id and ruleset)."""
        data: dict[str, Any] = {
            "code": self.code,
            "rule": self.rule,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "evidence": self.evidence,
        }
        if self.twin_line is not None:
            data["twin_line"] = self.twin_line
            data["similarity"] = self.similarity
        return data


@dataclass(frozen=True)
class CleanResult:
    """The cleaned document.

    Attributes:
        text: the cleaned text: kept lines, normalised, blank-line runs collapsed.
        removed: every removal, in input order.
        lines_total: lines in the input.
        lines_kept: non-blank lines kept.
        lines_blank: lines blank after normalisation (they only separate paragraphs).
        words_in: words (``\\w+``) in the normalised input.
        words_removed: words in the removed lines.
        doc_id: the document's id, if one was given.
    """

    text: str
    removed: tuple[Removal, ...]
    lines_total: int
    lines_kept: int
    lines_blank: int
    words_in: int
    words_removed: int
    doc_id: Any = None

    @property
    def lines_removed(self) -> int:
        """Number of input lines removed (kept + removed + blank == total)."""
        return sum(r.line_end - r.line_start + 1 for r in self.removed)

    @property
    def removed_word_ratio(self) -> float:
        """Share of the input's words that were removed (0.0 for an empty input)."""
        return self.words_removed / self.words_in if self.words_in else 0.0

    @property
    def is_empty(self) -> bool:
        """True when nothing is left after cleaning."""
        return not self.text

    @property
    def mostly_chrome(self) -> bool:
        """True when at least 80% of the words were removed, or the document became empty."""
        return self.is_empty or self.removed_word_ratio >= MOSTLY_CHROME_RATIO


@dataclass(frozen=True)
class CleanStats:
    """Counts over many documents; shards merge with ``+``.

    Examples:
        >>> a = CleanStats(documents=1, lines_total=3, lines_kept=2, lines_removed=1, by_code={"B012": 1})
        >>> (a + a).by_code
        {'B012': 2}
    """

    documents: int = 0
    documents_empty: int = 0
    lines_total: int = 0
    lines_kept: int = 0
    lines_removed: int = 0
    lines_blank: int = 0
    words_in: int = 0
    words_removed: int = 0
    by_code: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_result(cls, result: CleanResult) -> CleanStats:
        """Counts of one document."""
        by_code: Counter[str] = Counter()
        for removal in result.removed:
            by_code[removal.code] += removal.line_end - removal.line_start + 1
        return cls(
            documents=1,
            documents_empty=int(result.is_empty),
            lines_total=result.lines_total,
            lines_kept=result.lines_kept,
            lines_removed=result.lines_removed,
            lines_blank=result.lines_blank,
            words_in=result.words_in,
            words_removed=result.words_removed,
            by_code=dict(by_code),
        )

    def __add__(self, other: CleanStats) -> CleanStats:
        return add_counts(self, other)


Counts = TypeVar("Counts")


def add_counts(left: Counts, right: Counts) -> Counts:
    """Add two statistics dataclasses field by field (counts add, count dicts merge, nested stats add).

    Every field takes part, so a counter added to a statistics class can never be forgotten
    when shards merge.

    Examples:
        >>> add_counts(CleanStats(documents=1, by_code={"B001": 2}), CleanStats(documents=2, by_code={"B001": 1}))
        CleanStats(documents=3, documents_empty=0, lines_total=0, lines_kept=0, lines_removed=0, lines_blank=0, \
words_in=0, words_removed=0, by_code={'B001': 3})
    """
    return sum_counts(left, [right])


def sum_counts(start: Counts, items: Sequence[Counts]) -> Counts:
    """``start`` plus each of ``items`` (:func:`add_counts` over them all), each field summed in one pass.

    Examples:
        >>> one = CleanStats(documents=1, by_code={"B030": 1})
        >>> sum_counts(CleanStats(), [one, one, one]).by_code
        {'B030': 3}
    """
    values: dict[str, Any] = {}
    for item in fields(start):  # type: ignore[arg-type]
        name = item.name
        mine = getattr(start, name)
        if isinstance(mine, dict):
            merged = Counter(mine)
            for other in items:
                merged.update(getattr(other, name))
            values[name] = dict(sorted(merged.items()))
        elif items and is_dataclass(mine):
            values[name] = sum_counts(mine, [getattr(other, name) for other in items])
        else:
            values[name] = sum((getattr(other, name) for other in items), mine)
    return type(start)(**values)
