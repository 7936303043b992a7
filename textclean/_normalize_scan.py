r"""The document scan in one compiled pass: a document's lines, right-stripped, and the lines the gate must see.

:func:`scan_document` returns what :func:`~textclean._normalize_lines.split_pieces`, ``str.rstrip`` of each piece
and :func:`~textclean._normalize_lines.find_suspect_lines` return together (those three are the reference, and the
path taken when the kernel is not built or ``TEXTCLEAN_PURE_PYTHON=1``). The kernel ``_native.normalize_scan``
reads each character once (runs of plain ASCII a machine word at a time), looking it up in tables of the BMP built
here from the :class:`~textclean._normalize_lines.DocumentScan`, once per scan:

* ``flags``, a byte per code point: ``SUSPECT``, a character of the scan's suspect class without a context;
  ``CLUE``, a suspect clue with a context; ``FORM``, a character that may keep a text from being in the scan's
  normal form (:func:`form_marks`): only the lines holding one (or a character beyond the BMP) are checked with
  ``unicodedata.is_normalized``, as the reference checks all the lines beyond ASCII at once;
* ``contexts``, a ``uint64`` per code point: a clue's number (bits 0-7), which of the distinct ``before`` sets of
  the contexts hold the character (bits 8-31), which ``after`` sets (bits 32-55); ``clues[number]`` has the
  clue's own sets.

A scan the tables cannot express exactly (a class with characters beyond the BMP, an ASCII clue, a context holding
a terminator or a character beyond the BMP, an entity pattern other than ``ENTITY_RE``, ``controls`` not the ASCII
part of the class, too many clues or context sets) takes the reference path. ``tests/test_normalize_scan.py``
checks the kernel against the reference on adversarial documents and scans.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from textclean import _kernels
from textclean._ftfy_gate import _sre, _sre_parser  # the re module's own parser, as the gate reads ftfy's pattern
from textclean._normalize_lines import TERMINATORS, DocumentScan, find_suspect_lines, split_pieces
from textclean._normalize_steps import ENTITY_RE

__all__ = ["ScanTables", "form_marks", "scan_document", "scan_tables"]

BMP = 0x10000
SUSPECT, CLUE, FORM = 1, 2, 4
_BEFORE_SHIFT, _AFTER_SHIFT = 8, 32  # the first bit of the before and after sets (bits 0-7: a clue's number)
_MAX_CLUES = 255  # clue numbers 1-255 (0: none)
_MAX_SETS = 24  # distinct before (and after) sets
_HANGUL_JAMO = range(0x1100, 0x1200)  # composed by rule, not by the decomposition table

_Words = npt.NDArray[np.uint64]


class ScanTables(NamedTuple):
    """What the kernel reads for one :class:`~textclean._normalize_lines.DocumentScan`.

    Attributes:
        flags: ``uint8`` per BMP code point: ``SUSPECT``, ``CLUE``, ``FORM``.
        contexts: ``uint64`` per BMP code point: a clue's number (bits 0-7), the before sets (bits 8-31) and the
            after sets (bits 32-55) the character is in.
        clues: ``uint64`` per clue number: its own before and after sets, as those bits.
        entities: whether to look for ``ENTITY_RE`` references.
        form: the normal form, or ``None``.
    """

    flags: bytes
    contexts: bytes
    clues: bytes
    entities: bool
    form: Literal["NFC", "NFKC"] | None


def scan_document(text: str, scan: DocumentScan) -> tuple[list[tuple[int, int]], list[str], list[int]]:
    r"""The spans of ``text``'s lines, the lines right-stripped, and the lines the per-line gate must see.

    The same as ``spans, pieces = split_pieces(text)``, ``[piece.rstrip() for piece in pieces]`` and
    ``find_suspect_lines(text, spans, pieces, scan)``, through the kernel when it can take ``scan``.

    Example:
        >>> from textclean._normalize import _plan_for
        >>> scan_document("caf\u00c3\u00a9  \r\nok \n", _plan_for(None).scan)  # mojibake: line 0 is suspect
        ([(0, 7), (9, 12)], ['cafÃ©', 'ok'], [0])
    """
    native = _kernels.kernel("normalize_scan")
    tables = scan_tables(scan) if native is not None else None
    if tables is None:
        spans, pieces = split_pieces(text)
        return spans, list(map(str.rstrip, pieces)), find_suspect_lines(text, spans, pieces, scan)
    form = tables.form
    spans, lines, suspect, recheck = native(text, *tables[:3], tables.entities, form is not None)
    if recheck and form is not None:
        joined = "\n".join([text[start:end] for start, end in map(spans.__getitem__, recheck)])
        if not unicodedata.is_normalized(form, joined):  # "\n" never combines: a line is, or is not, on its own
            others = [index for index, (start, end) in enumerate(spans) if not text[start:end].isascii()]
            suspect = sorted(set(suspect).union(others))
    return spans, lines, suspect


_TABLES: dict[int, tuple[DocumentScan, ScanTables | None]] = {}
_MAX_TABLES = 8


def scan_tables(scan: DocumentScan) -> ScanTables | None:
    """The kernel's tables for ``scan`` (built on first use, kept per scan object), or ``None``: the reference path."""
    found = _TABLES.get(id(scan))
    if found is not None and found[0] is scan:
        return found[1]
    if len(_TABLES) >= _MAX_TABLES:
        _TABLES.clear()
    tables = _build_tables(scan)
    _TABLES[id(scan)] = (scan, tables)
    return tables


def _class_ranges(pattern: re.Pattern[str]) -> list[tuple[int, int]] | None:
    """The inclusive code point ranges of a one-character-class pattern, or ``None`` if it is something else."""
    if pattern.flags != re.UNICODE:
        return None
    try:
        (op, av), *rest = _sre_parser.parse(pattern.pattern, pattern.flags)
    except (ValueError, TypeError):
        return None
    if rest:
        return None
    items = [(op, av)] if op is _sre.LITERAL else av if op is _sre.IN else []
    ranges = []
    for kind, value in items:
        if kind is _sre.LITERAL:
            ranges.append((value, value))
        elif kind is _sre.RANGE:
            ranges.append(value)
        else:  # NEGATE, CATEGORY, …
            return None
    return ranges or None


def _build_tables(scan: DocumentScan) -> ScanTables | None:
    """The tables of ``scan`` (see the module docstring), or ``None`` if they cannot express it exactly."""
    ranges = _class_ranges(scan.suspect)
    if ranges is None or max(high for _, high in ranges) >= BMP:
        return None
    pattern = scan.entities
    if pattern is not None and (pattern.pattern, pattern.flags) != (ENTITY_RE.pattern, ENTITY_RE.flags):
        return None  # the kernel knows ENTITY_RE only
    flags = np.zeros(BMP, dtype=np.uint8)
    for low, high in ranges:
        flags[low : high + 1] = SUSPECT
    if bytes(np.flatnonzero(flags[:128]).tolist()) != scan.controls:
        return None  # the reference looks for controls in ASCII lines only when some of them holds one of these
    contexts = _context_tables(scan, flags)
    if contexts is None:
        return None
    if scan.form is not None:
        flags |= np.frombuffer(form_marks(scan.form), dtype=np.uint8) * np.uint8(FORM)
    return ScanTables(flags.tobytes(), contexts[0].tobytes(), contexts[1].tobytes(), pattern is not None, scan.form)


def _context_tables(scan: DocumentScan, flags: npt.NDArray[np.uint8]) -> tuple[_Words, _Words] | None:
    """Flag the suspect clues with a context (``CLUE``, no longer ``SUSPECT``) in ``flags``; return each character's
    clue number and the context sets it is in (``contexts``), and each clue's own sets (``clues``)."""
    contexts = np.zeros(BMP, dtype=np.uint64)
    clues = np.zeros(_MAX_CLUES + 1, dtype=np.uint64)
    numbered: tuple[dict[frozenset[str], int], dict[frozenset[str], int]] = ({}, {})  # the distinct sets by side
    taken = [clue for clue in scan.contexts if len(clue) == 1 and flags[ord(clue)] & SUSPECT]  # the others: no matter
    if len(taken) > _MAX_CLUES or any(ord(clue) < 0x80 for clue in taken):  # an ASCII clue: the reference ignores
        return None  # its context in ASCII lines
    for number, clue in enumerate(taken, start=1):
        for sets, chars, shift in zip(numbered, scan.contexts[clue], (_BEFORE_SHIFT, _AFTER_SHIFT), strict=True):
            if chars:
                clues[number] |= np.uint64(1 << (shift + sets.setdefault(chars, len(sets))))
        flags[ord(clue)] = CLUE
        contexts[ord(clue)] = number
    for sets, shift in zip(numbered, (_BEFORE_SHIFT, _AFTER_SHIFT), strict=True):
        if len(sets) > _MAX_SETS:
            return None
        for chars, bit in sets.items():
            joined = "".join(chars)
            if len(joined) != len(chars) or max(joined) >= "\U00010000" or any(t in joined for t in TERMINATORS):
                return None  # the kernel reads single BMP characters; a line's edge is no neighbour of a context
            points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4")
            contexts[points] |= np.uint64(1 << (shift + bit))
    return contexts, clues


def form_marks(form: Literal["NFC", "NFKC"]) -> bytes:
    """One byte per BMP code point, 1 where the character may keep a text from being in ``form``, read from the
    start-up cache (:mod:`textclean._rule_cache`) when an earlier process stored it.

    A text without any marked character is in the form: ``unicodedata.is_normalized`` answers yes at once when
    every character has combining class 0 and its quick-check property is "yes" (not "no", not "maybe").

    Example:
        >>> marks = form_marks("NFC")
        >>> marks[ord("e")], marks[ord("\u00e9")], marks[0x0301], marks[0x2126]  # e, é, a combining acute, ohm
        (0, 0, 1, 1)
    """
    from textclean._rule_cache import load_or_build

    return load_or_build("form-marks", [form], lambda: _form_marks(form), bytes)


def _form_marks(form: Literal["NFC", "NFKC"]) -> bytes:
    """:func:`form_marks`, built: combining class not 0, quick check "no" (the character alone is not in the form)
    or "maybe" (the second character of a canonical decomposition, or a Hangul jamo, which may compose)."""
    chars = [chr(code) for code in range(BMP)]
    marks = bytearray(map(bool, map(unicodedata.combining, chars)))
    for code, alone in enumerate(map(unicodedata.is_normalized, [form] * BMP, chars)):
        if not alone:
            marks[code] = 1
    for decomposition in map(unicodedata.decomposition, chars):
        parts = decomposition.split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            second = int(parts[1], 16)
            if second < BMP:
                marks[second] = 1
    for code in _HANGUL_JAMO:
        marks[code] = 1
    return bytes(marks)
