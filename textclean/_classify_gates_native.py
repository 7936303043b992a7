"""The comment detector's gates by the compiled kernels (``textclean/_native.c``): ``start_masks`` and ``word_masks``.

The batch path of the comment detector (:mod:`textclean._classify_comments_batch`) gates many lines at once: a
header candidate must pass the first-letter gate of a header (:class:`~textclean._classify_gates.StartTable`) or
its character gate, then the word gate (:class:`~textclean._classify_comments_batch.WordGate`) of one of the headers
it may match; a line after a header, the marker word gates. In Python those are numpy over the rows' first letters,
``str.find`` for the characters, and Aho-Corasick over the lines lowered one by one (:func:`_lowered`). The kernels
do each in one pass over the rows as they lie in the batch's text, the words' automaton built once per gate and the
lines lowered as they are scanned: :func:`row_gates` and :func:`line_masks` here, with :func:`row_gates_reference`
and ``WordGate.masks`` (of the lowered lines) their references, which ``TEXTCLEAN_PURE_PYTHON=1`` runs.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from textclean import _kernels
from textclean._lineshape import LETTER, LineText
from textclean._matcher_probe import _FOLD

if TYPE_CHECKING:
    from textclean._classify_comments_batch import WordGate
    from textclean._classify_gates import StartTable

__all__ = ["line_masks", "row_gates", "row_gates_reference", "start_kernel", "word_kernel"]

_TWIN_PAIRS = "".join(chr(code) + folded for code, folded in sorted(_FOLD.items()))
"""The case twins as the kernels take them: each code point, then the one it folds to."""


def start_kernel() -> Any:
    """The compiled ``start_masks``, or ``None`` (see :mod:`textclean._kernels`)."""
    return _kernels.kernel("start_masks")


def word_kernel() -> Any:
    """The compiled ``word_masks``, or ``None``."""
    return _kernels.kernel("word_masks")


@functools.lru_cache(maxsize=16)
def _compiled_words(gate: WordGate) -> Any:
    """The compiled word automaton of ``gate`` (built once per gate and process; never pickled)."""
    build = _kernels.kernel("gate_words")
    return build(list(gate.needles), list(gate.bits), gate.always, _TWIN_PAIRS)


@functools.lru_cache(maxsize=16)
def _start_keys(table: StartTable) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint64]]:
    """The packed gate strings of ``table``, ascending, and their masks (as the kernel takes them)."""
    keys = sorted(table.by_key)
    return np.array(keys, dtype=np.int64), np.array([table.by_key[key] for key in keys], dtype=np.uint64)


def line_masks(gate: WordGate, lines: Sequence[str]) -> list[int]:
    """``gate.masks`` of the lines lowered as :func:`~textclean._classify_comments_batch._lowered` lowers them, by the
    compiled ``word_masks`` (the caller checks :func:`word_kernel`; no line holds a ``"\\n"``)."""
    sizes = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
    starts = np.cumsum(sizes + 1) - sizes - 1
    found = word_kernel()(_compiled_words(gate), "\n".join(lines), starts, sizes)
    return np.frombuffer(found, dtype=np.uint64).tolist()  # type: ignore[no-any-return]


def row_gates(
    table: StartTable,
    chars: Sequence[tuple[int, frozenset[str] | None]],
    gate: WordGate,
    text: LineText,
    rows: npt.NDArray[np.intp],
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.uint64]]:
    """The rows (among ``rows``, ascending; each shorter than the heads' cut, so whole in ``text.joined``) that
    pass a first-letter gate of ``table`` or a character gate of ``chars`` (a pattern's bit and characters, or
    ``None``: every row), and then the word gate of one of those patterns, with the mask of those patterns, in
    order: by the compiled ``start_masks`` and ``word_masks``."""
    starts = text.starts[rows].astype(np.int64)
    sizes = text.size[rows].astype(np.int64)
    keys, masks = _start_keys(table)
    everywhere = sum(bit for bit, held in chars if held is None)
    sets = [(bit, "".join(sorted(held))) for bit, held in chars if held is not None]
    found = np.frombuffer(
        start_kernel()(text.joined, text.bits, starts, sizes, LETTER, table.classes, keys, masks, sets),
        dtype=np.uint64,
    ) | np.uint64(everywhere)
    some = np.flatnonzero(found)
    words = np.frombuffer(word_kernel()(_compiled_words(gate), text.joined, starts[some], sizes[some]), np.uint64)
    gated = found[some] & words
    kept = np.flatnonzero(gated)
    return rows[some[kept]], gated[kept]


def row_gates_reference(
    table: StartTable,
    chars: Sequence[tuple[int, frozenset[str] | None]],
    gate: WordGate,
    text: LineText,
    rows: npt.NDArray[np.intp],
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.uint64]]:
    """:func:`row_gates` in Python: :meth:`~textclean._classify_gates.StartTable.masks_of`, the characters found with
    ``str.find`` and the word gate over the lowered lines (``WordGate.masks``)."""
    from textclean._classify_comments_batch import _lowered_many, _rows_with

    if not len(rows):
        return rows, np.zeros(0, dtype=np.uint64)
    found = table.masks_of(text, rows)
    for bit, held in chars:
        for row in _rows_with(text, held, rows):
            found[row] = found.get(row, 0) | bit
    ordered = sorted(found)
    words = gate.masks(_lowered_many([text.lines[row] for row in ordered]))
    pairs = [(row, found[row] & mask) for row, mask in zip(ordered, words, strict=True) if found[row] & mask]
    return np.array([row for row, _ in pairs], dtype=np.intp), np.array([mask for _, mask in pairs], dtype=np.uint64)
