"""Human-readable views: the end-of-run summary and ``--explain`` lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textclean._result import CleanStats, Removal

__all__ = ["explain_lines", "rule_names", "summary_text"]

_MAX_ROWS = 15
_RED, _DIM, _BOLD, _RESET = "\x1b[31m", "\x1b[2m", "\x1b[1m", "\x1b[0m"


def rule_names() -> dict[str, str]:
    """Map every built-in reason code to its rule name."""
    from textclean._rules_doc import all_rules

    return {rule.code: rule.name for rule in all_rules()}


def summary_text(stats: CleanStats, *, skipped: int = 0) -> str:
    """The one-screen summary printed on stderr at the end of ``textclean clean``.

    Examples:
        >>> print(summary_text(CleanStats(documents=1, lines_total=4, lines_kept=2, lines_removed=1,
        ...       lines_blank=1, words_in=20, words_removed=5, by_code={"D001": 1})), end="")
        textclean: 1 document: 4 lines = 2 kept + 1 removed + 1 blank; 25.0% of words removed
          D001  repeated-paragraph               1 line
    """
    names = rule_names()
    ratio = 100.0 * stats.words_removed / stats.words_in if stats.words_in else 0.0
    plural = "" if stats.documents == 1 else "s"
    lines = [
        f"textclean: {stats.documents} document{plural}: {stats.lines_total} lines = {stats.lines_kept} kept + "
        f"{stats.lines_removed} removed + {stats.lines_blank} blank; {ratio:.1f}% of words removed"
    ]
    if stats.documents_empty:
        lines.append(f"  {stats.documents_empty} document(s) empty after cleaning")
    if skipped:
        lines.append(f"  {skipped} malformed line(s) skipped (--skip-bad)")
    ranked = sorted(stats.by_code.items(), key=lambda item: (-item[1], item[0]))
    for code, count in ranked[:_MAX_ROWS]:
        unit = "line" if count == 1 else "lines"
        lines.append(f"  {code:<5} {names.get(code, '?'):<30} {count:>3} {unit}")
    if len(ranked) > _MAX_ROWS:
        rest = sum(count for _, count in ranked[_MAX_ROWS:])
        lines.append(f"  ... {len(ranked) - _MAX_ROWS} more codes, {rest} lines")
    return "\n".join(lines) + "\n"


def explain_lines(doc_id: Any, removed: Sequence[Removal], *, colour: bool = False) -> str:
    """One line per removal: where, which rule, the text, and the evidence.

    Examples:
        >>> r = Removal(3, 3, 10, 21, "About admin", "B011", "author-box", "matched 'About admin'")
        >>> print(explain_lines("page.txt", [r]), end="")
        page.txt:3  B011 author-box              'About admin'  (matched 'About admin')
    """
    out = []
    for removal in removed:
        where = f"{doc_id}:{removal.line_start}"
        if removal.line_end != removal.line_start:
            where += f"-{removal.line_end}"
        text = removal.text if len(removal.text) <= 80 else removal.text[:77] + "..."
        code = f"{removal.code} {removal.rule:<22}"
        evidence = f"({removal.evidence})" if removal.evidence else ""
        if colour:
            code = f"{_BOLD}{_RED}{code}{_RESET}"
            evidence, where = f"{_DIM}{evidence}{_RESET}", f"{_DIM}{where}{_RESET}"
        out.append(f"{where}  {code}  {text!r}  {evidence}".rstrip() + "\n")
    return "".join(out)
