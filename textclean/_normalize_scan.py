r"""The document scan in one compiled pass: a document's lines, right-stripped, and the lines the gate must see.

:func:`scan_document` returns what :func:`~textclean._normalize_lines.split_pieces`, ``str.rstrip`` of each piece
and :func:`~textclean._normalize_lines.find_suspect_lines` return together (those three are the reference, and the
path taken when the kernel is not built or ``TEXTCLEAN_PURE_PYTHON=1``). The kernel ``_native.normalize_scan``
reads each character once, looking it up in a table of the BMP built here from the
:class:`~textclean._normalize_lines.DocumentScan` (once per scan):

* ``SUSPECT``: a character of the scan's suspect class without a context;
* ``CLUE``: a suspect clue with a context, its number in bits 8-15; bits 16-39 of every entry say which of the
  distinct ``before`` sets of the contexts hold the character, bits 40-63 which ``after`` sets; the clue's own sets
  are ``clues[number]``;
* ``FORM``: a character that may keep a text from being in the scan's normal form (a non-zero combining class,
  not in the form alone, the second character of a canonical decomposition, or a Hangul jamo): only the lines
  holding one (or a character beyond the BMP) are checked with ``unicodedata.is_normalized``. These marks take
  some 15 ms to derive and are kept in the start-up cache (:mod:`textclean._rule_cache`).

A scan the table cannot express exactly (a class with characters beyond the BMP, an ASCII clue, a context holding
a terminator, an entity pattern other than ``ENTITY_RE``, ``controls`` not the ASCII part of the class, too many
clues or context sets) takes the reference path. ``tests/test_normalize_scan.py`` checks the kernel against the
reference on adversarial documents.
"""

from __future__ import annotations

import importlib
import re
import sys
import unicodedata
from typing import Any, Literal, NamedTuple

import numpy as np

from textclean import _kernels
from textclean._normalize_lines import TERMINATORS, DocumentScan, find_suspect_lines, split_pieces
from textclean._normalize_steps import ENTITY_RE

__all__ = ["ScanTables", "form_marks", "scan_document", "scan_tables"]

BMP = 0x10000
SUSPECT, CLUE, FORM = 1, 2, 4
_CLUE_SHIFT, _BEFORE_SHIFT, _AFTER_SHIFT = 8, 16, 40
_MAX_CLUES = 255  # clue numbers 1-255 (0: none)
_MAX_SETS = 24  # distinct before (and after) sets
_HANGUL_JAMO = range(0x1100, 0x1200)  # composed by rule, not by the decomposition table

_NEW_SRE = sys.version_info >= (3, 11)
_sre: Any = importlib.import_module("re._constants" if _NEW_SRE else "sre_constants")
_sre_parser: Any = importlib.import_module("re._parser" if _NEW_SRE else "sre_parse")


class ScanTables(NamedTuple):
    """What the kernel reads for one :class:`~textclean._normalize_lines.DocumentScan`.

    Attributes:
        table: ``uint64`` per BMP code point (flags, clue number, context set membership).
        clues: ``uint64`` per clue number: the bits of its own before and after sets.
        entities: whether to look for ``ENTITY_RE`` references.
        form: the normal form, or ``None``.
    """

    table: bytes
    clues: bytes
    entities: bool
    form: Literal["NFC", "NFKC"] | None


def scan_document(text: str, scan: DocumentScan) -> tuple[list[tuple[int, int]], list[str], list[int]]:
    r"""The spans of ``text``'s lines, the lines right-stripped, and the lines the per-line gate must see.

    The same as ``spans, pieces = split_pieces(text)``, ``[piece.rstrip() for piece in pieces]`` and
    ``find_suspect_lines(text, spans, pieces, scan)``, through the kernel when it can take ``scan``.

    Example:
        >>> from textclean._normalize import _plan_for
        >>> scan_document("caf\u00c3\u00a9  \r\nok \n", _plan_for(None).scan)
        ([(0, 7), (9, 12)], ['café', 'ok'], [0])
    """
    native = _kernels.kernel("normalize_scan")
    tables = scan_tables(scan) if native is not None else None
    if tables is None:
        spans, pieces = split_pieces(text)
        return spans, list(map(str.rstrip, pieces)), find_suspect_lines(text, spans, pieces, scan)
    form = tables.form
    spans, lines, suspect, recheck = native(text, tables.table, tables.clues, tables.entities, form is not None)
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
    if scan.entities is not None and (scan.entities.pattern, scan.entities.flags) != (ENTITY_RE.pattern, ENTITY_RE.flags):
        return None
    table = np.zeros(BMP, dtype=np.uint64)
    for low, high in ranges:
        table[low : high + 1] |= np.uint64(SUSPECT)
    if bytes(np.flatnonzero(table[:128]).tolist()) != scan.controls:
        return None  # the reference looks for controls in ASCII lines only when some of them holds one of these
    clues = np.zeros(_MAX_CLUES + 1, dtype=np.uint64)
    before_sets: dict[frozenset[str], int] = {}
    after_sets: dict[frozenset[str], int] = {}
    number = 0
    for clue, context in scan.contexts.items():
        if len(clue) != 1 or not table[ord(clue)] & np.uint64(SUSPECT):
            continue  # the reference looks contexts up for suspect characters only
        number += 1
        neighbours = context.before | context.after
        if (
            ord(clue) < 0x80  # an ASCII clue: the reference ignores its context in ASCII lines
            or number > _MAX_CLUES
            or any(len(char) != 1 or ord(char) >= BMP or char in TERMINATORS for char in neighbours)
        ):
            return None
        own = 0
        for sets, chars, shift in ((before_sets, context.before, _BEFORE_SHIFT), (after_sets, context.after, _AFTER_SHIFT)):
            if chars:
                bit = sets.setdefault(chars, len(sets))
                if bit >= _MAX_SETS:
                    return None
                table[[ord(char) for char in chars]] |= np.uint64(1 << (shift + bit))
                own |= 1 << (shift + bit)
        clues[number] = own
        table[ord(clue)] = (table[ord(clue)] & ~np.uint64(0xFFFF)) | np.uint64(CLUE | number << _CLUE_SHIFT)
    if scan.form is not None:
        table[np.frombuffer(form_marks(scan.form), dtype=np.uint8).astype(bool)] |= np.uint64(FORM)
    return ScanTables(table.tobytes(), clues.tobytes(), scan.entities is not None, scan.form)


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
