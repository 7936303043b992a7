"""Assembly: a classified document's cleaned text and its removals, in runs of one reason.

:func:`assemble` builds the whole :class:`~textclean._result.CleanResult`, walking the lines one by one;
:func:`assemble_counts` gives only the text and the counts (a property test holds them equal), for callers that need
no removals: it skips the ``Removal`` objects, which are most of the cost (tens of thousands per run).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import accumulate, compress
from operator import and_, attrgetter, gt, ne, not_
from typing import Any, NamedTuple

from textclean._result import CleanResult, CleanStats, Removal
from textclean._rule import Verdict

__all__ = ["Classified", "assemble", "assemble_counts", "plain_verdict"]


class Classified(NamedTuple):
    """A document after classification: its line spans in the original text, its normalised lines, one verdict
    per line, the repeated paragraphs' twins (line index → twin's 1-based line and similarity) and each line's
    word count."""

    spans: list[tuple[int, int]]
    lines: list[str]
    verdicts: list[Verdict]
    twins: dict[int, tuple[int, float]]
    word_counts: list[int]


_KEEP = attrgetter("keep")
_CODE = attrgetter("code")


def assemble_counts(classified: Classified) -> tuple[str, CleanStats]:
    """The cleaned text of a classified document and its counts, without the removals themselves.

    Equal to ``(result.text, CleanStats.from_result(result))`` of ``result = assemble(...)`` (with or without
    evidence), for the callers that need no :class:`~textclean._result.Removal` (the command line without
    ``--report``, ``--explain`` or ``--annotate``). Its per-line work is C-level calls: the kept lines picked by
    ``compress``, the blank lines between two of them found from a running count, the removed lines' codes
    counted by ``Counter``.
    """
    _, lines, verdicts, _, word_counts = classified
    count = len(lines)
    keeps = list(map(_KEEP, verdicts))
    filled = list(map(bool, lines))
    kept_rows = list(compress(range(count), map(and_, keeps, filled)))
    gone_rows = list(compress(range(count), map(gt, filled, keeps)))  # filled and not kept
    blank = count - sum(filled)
    out = list(map(lines.__getitem__, kept_rows))
    if blank and len(out) > 1:  # blank lines between two kept lines are kept as one
        blanks_before = list(accumulate(map(not_, filled), initial=0))
        marks = list(map(blanks_before.__getitem__, kept_rows))
        for j in compress(range(1, len(marks)), map(ne, marks[1:], marks)):
            out[j] = "\n" + out[j]
    text = "\n".join(out)
    stats = CleanStats(
        documents=1,
        documents_empty=int(not text),
        lines_total=count,
        lines_kept=len(kept_rows),
        lines_removed=len(gone_rows),
        lines_blank=blank,
        words_in=sum(word_counts),
        words_removed=sum(map(word_counts.__getitem__, gone_rows)),
        by_code=dict(Counter(map(_CODE, map(verdicts.__getitem__, gone_rows)))),
    )
    return text, stats


def assemble(text: str, classified: Classified, doc_id: Any, evidence: bool = True) -> CleanResult:
    """The result of a classified document: the kept lines, and the removals in runs of one reason.

    A run is consecutive lines removed with the same verdict (``evidence=False``: by the same rule), the
    repeated paragraphs one by one (each has its own twin).
    """
    spans, lines, verdicts, twins, word_counts = classified
    out: list[str] = []
    removed: list[Removal] = []
    kept = blank = words_removed = 0
    pending_blank = False
    first = last = -2  # the run of consecutive lines removed for the same reason (not repeats): its ends
    current: Verdict | None = None  # and its verdict
    for index, line in enumerate(lines):
        if not line:
            blank += 1
            pending_blank = bool(out)
            continue
        verdict = verdicts[index]
        if verdict.keep:
            if pending_blank:
                out.append("")
                pending_blank = False
            out.append(line)
            kept += 1
            continue
        if not evidence:
            verdict = plain_verdict(verdict)
        words_removed += word_counts[index]
        if (
            last == index - 1
            and (current is verdict or current == verdict)  # shared verdicts: identity first
            and index not in twins
            and first not in twins
        ):
            last = index
            continue
        if current is not None:
            removed.append(_removal(text, spans, first, last, current, twins.get(first)))
        first = last = index
        current = verdict
    if current is not None:
        removed.append(_removal(text, spans, first, last, current, twins.get(first)))
    return CleanResult(
        text="\n".join(out),
        removed=tuple(removed),
        lines_total=len(lines),
        lines_kept=kept,
        lines_blank=blank,
        words_in=sum(word_counts),
        words_removed=words_removed,
        doc_id=doc_id,
    )


def _removal(
    text: str, spans: Sequence[tuple[int, int]], first: int, last: int, verdict: Verdict, twin: tuple[int, float] | None
) -> Removal:
    """One removal for a run of consecutive lines (``first`` to ``last``) removed for the same reason (a repeat is a
    run of one)."""
    assert verdict.code is not None and verdict.rule is not None
    start, end = spans[first][0], spans[last][1]
    twin_line, similarity = twin if twin is not None else (None, None)
    # positional (line_start, line_end, start, end, text, code, rule, evidence, twin_line, similarity): one per
    # removal, tens of thousands per run, and keywords cost a third more
    return Removal(
        first + 1, last + 1, start, end, text[start:end], verdict.code, verdict.rule, verdict.evidence,
        twin_line, similarity,
    )


def plain_verdict(verdict: Verdict) -> Verdict:
    """A verdict without its evidence (one shared object per rule, so runs of a rule compare by identity)."""
    if verdict.keep or not verdict.evidence:
        return verdict
    plain = _PLAIN_BY_RULE.get((verdict.code, verdict.rule))
    if plain is None:
        plain = _PLAIN_BY_RULE[(verdict.code, verdict.rule)] = Verdict(False, verdict.code, verdict.rule, "")
    return plain


_PLAIN_BY_RULE: dict[tuple[str | None, str | None], Verdict] = {}  # one per rule: as many as there are rules
