r"""A document's lines: where they are, and which of them normalisation may change.

:func:`split_lines` finds the lines with ``str.split`` whenever the terminators allow it.
:func:`find_suspect_lines` scans the whole document once for the characters a normalisation
step could act on, so the per-line gate only runs on the lines that hold one (on real pages,
about one line in a thousand). Both are proven equal to their plain references by property tests
(``tests/test_normalize_lines.py``). With the compiled kernels, :mod:`textclean._normalize_scan` does both in one
pass; these stay its reference and the pure-Python path.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping
from itertools import accumulate, compress, filterfalse
from operator import itemgetter, not_
from typing import Literal, NamedTuple

from textclean._ftfy_gate import ClueContext

__all__ = ["DocumentScan", "document_scan", "find_suspect_lines", "split_lines", "split_pieces"]

TERMINATORS = "\n\r\x0b\x0c\u2028\u2029"
TERMINATOR_RE = re.compile(f"\r\n|[{TERMINATORS}]")
_OTHER_TERMINATORS = TERMINATORS[1:]
_start = itemgetter(0)


class DocumentScan(NamedTuple):
    """What to look for in a whole document, derived from one normalisation config.

    Attributes:
        suspect: one character class: every character some step may change (but ``&``), and
            the mojibake clues.
        controls: the ASCII characters of ``suspect``, as bytes.
        entities: what the entity step decodes (``None``: nothing).
        contexts: for the clues that are not suspect anywhere, the neighbours that make them
            suspect (see :class:`~textclean._ftfy_gate.ClueContext`).
        form: the Unicode normal form lines must already be in (``None``: any).
    """

    suspect: re.Pattern[str]
    controls: bytes
    entities: re.Pattern[str] | None
    contexts: Mapping[str, ClueContext]
    form: Literal["NFC", "NFKC"] | None


def document_scan(
    suspect: str,
    entities: re.Pattern[str] | None,
    contexts: Mapping[str, ClueContext],
    form: Literal["NFC", "NFKC"] | None,
) -> DocumentScan:
    r"""Build a :class:`DocumentScan` from the body of the ``suspect`` character class.

    Example:
        >>> document_scan("\x00-\x03\u00a0&", None, {}, "NFC").controls
        b'\x00\x01\x02\x03&'
    """
    pattern = re.compile(f"[{suspect}]")
    controls = bytes(code for code in range(128) if pattern.match(chr(code)))
    return DocumentScan(pattern, controls, entities, contexts, form)


def split_lines(text: str) -> list[tuple[int, int]]:
    r"""Find the lines of ``text`` as ``(start, end)`` spans, terminators excluded.

    Terminators are ``\r\n``, ``\n``, ``\r``, ``\v``, ``\f``, U+2028 and U+2029. U+0085 and
    ``\x1c``–``\x1e`` are not: they are mojibake or controls, fixed inside the line.

    Args:
        text: any text.

    Returns:
        One span per line; a final terminator does not start another line.

    Example:
        >>> split_lines("a\r\nbc\n\nd\n")
        [(0, 1), (3, 5), (6, 6), (7, 8)]
    """
    return split_pieces(text)[0]


def split_pieces(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    r"""The spans of :func:`split_lines`, and the lines ``text[start:end]`` themselves.

    Args:
        text: any text.

    Returns:
        The spans, and the line strings in the same order.

    Example:
        >>> split_pieces("a\r\nbc\n")
        ([(0, 1), (3, 5)], ['a', 'bc'])
    """
    if not any(terminator in text for terminator in _OTHER_TERMINATORS):
        return _spans_and_pieces(text.split("\n"), 1)
    if "\r\n" not in text:
        return _spans_and_pieces(TERMINATOR_RE.split(text), 1)
    if text.count("\r") == text.count("\n") == text.count("\r\n") and not _has_rare_terminator(text):
        return _spans_and_pieces(text.split("\r\n"), 2)
    spans = _search_spans(text)
    return spans, [text[start:end] for start, end in spans]


def find_suspect_lines(text: str, spans: list[tuple[int, int]], pieces: list[str], scan: DocumentScan) -> list[int]:
    r"""The indices (ascending) of the lines the per-line gate must see; every other line is clean.

    A line is suspect if it holds a suspect character, a clue whose neighbours fit its context,
    or an entity, or if it is not ASCII and the non-ASCII lines together are not in the normal
    form. ASCII lines are only searched for entities and controls (with fast C-level calls), the
    non-ASCII lines, joined, by one regular-expression scan.

    Args:
        text: the document.
        spans: its :func:`split_lines`.
        pieces: the lines at ``spans``.
        scan: what to look for.

    Returns:
        Line indices, each once, in order.

    Example:
        >>> after_e = {"«": ClueContext(before=frozenset("é"), after=frozenset())}
        >>> scan = document_scan("\x00«", re.compile("&amp;"), after_e, "NFC")
        >>> text = "AT&T\n«quoted»\ncafé«\n&amp;\nnul\x00"
        >>> find_suspect_lines(text, *split_pieces(text), scan)
        [2, 3, 4]
    """
    found: set[int] = set()
    if scan.entities is not None and "&" in text:
        found.update(_line_at(spans, match.start()) for match in scan.entities.finditer(text))
    if text.isascii():
        ascii_text, others = text, []
    else:
        ascii_text = "\n".join(filter(str.isascii, pieces))
        others = list(filterfalse(str.isascii, pieces))
    if scan.controls and _holds_any(ascii_text, scan.controls):  # rare: find them in the whole text
        found.update(_line_at(spans, match.start()) for match in scan.suspect.finditer(text) if match.group().isascii())
    if others and (among := _suspect_among(others, scan)):
        indices = list(compress(range(len(pieces)), map(not_, map(str.isascii, pieces))))
        found.update(indices[index] for index in among)
    return sorted(found)


def _suspect_among(lines: list[str], scan: DocumentScan) -> list[int]:
    """The positions in ``lines`` (non-ASCII) of the suspect ones, with the lines scanned as one string."""
    joined = "\n".join(lines)
    if scan.form is not None and not unicodedata.is_normalized(scan.form, joined):
        return list(range(len(lines)))  # "\n" never combines, so each line is normalised if the whole is
    starts: list[int] | None = None
    found = []
    contexts = scan.contexts
    next_line = 0  # matches before this position are in a line already found
    for match in scan.suspect.finditer(joined):
        position = match.start()
        if position < next_line:
            continue
        context = contexts.get(match.group())
        if (
            context is None
            or joined[position - 1 : position] in context.before
            or joined[position + 1 : position + 2] in context.after
        ):
            if starts is None:
                starts = list(accumulate([len(line) + 1 for line in lines], initial=0))
            index = bisect_right(starts, position) - 1
            found.append(index)
            next_line = starts[index + 1]
    return found


def _line_at(spans: list[tuple[int, int]], position: int) -> int:
    return bisect_right(spans, position, key=_start) - 1


def _holds_any(text: str, chars: bytes) -> bool:
    """True if the ASCII ``text`` holds one of ``chars`` (ASCII), with C-level calls only."""
    data = text.encode("ascii")
    return len(data.translate(None, chars)) != len(data)


def _has_rare_terminator(text: str) -> bool:
    return "\x0b" in text or "\x0c" in text or "\u2028" in text or "\u2029" in text


def _spans_and_pieces(pieces: list[str], width: int) -> tuple[list[tuple[int, int]], list[str]]:
    """Spans of ``pieces``, the parts of a text split at terminators all ``width`` long."""
    if not pieces[-1]:
        pieces.pop()
    spans: list[tuple[int, int]] = []
    append = spans.append
    start = 0
    for length in map(len, pieces):
        end = start + length
        append((start, end))
        start = end + width
    return spans, pieces


def _search_spans(text: str) -> list[tuple[int, int]]:
    """The reference: every terminator found by one regex scan."""
    spans = []
    start = 0
    for match in TERMINATOR_RE.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans
