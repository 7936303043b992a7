"""How often each line of a page occurs in it (the ``log-repeats`` feature): one page, or a whole batch at once.

A line's key is its text, lowercased when it is at most :data:`REPEAT_CHARS` characters; a page's counts are its
own (a key repeated on another page of the batch does not count). :func:`repeats_of_many` is the batch path
:func:`~textclean._classify.classify_many` takes; :func:`_repeats` (one page) is its reference.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from textclean._features import PreparedLines
    from textclean._tokens import PageTokens

__all__ = ["REPEAT_CHARS", "line_repeats", "repeats_of_many"]

REPEAT_CHARS = 500
"""Lines up to this long count as repeats whatever their case."""


def line_repeats(lines: Sequence[str]) -> list[int]:
    """How many of a page's lines have each line's repeat key: its stripped text, lowercased when at most
    :data:`REPEAT_CHARS` characters (0 for a blank line). The reference of the counts the tokenizer kernel makes
    (:attr:`~textclean._tokens.TokenTable.line_repeats`), which :func:`repeats_of_many` reads when it has them.

    Examples:
        >>> line_repeats(["Share", "", "the river", " SHARE"])
        [2, 0, 1, 2]
    """
    stripped = [line.strip() for line in lines]
    keys = [line.lower() if len(line) <= REPEAT_CHARS else line for line in stripped]
    counts = Counter(key for key, line in zip(keys, stripped, strict=True) if line)
    return [counts[key] if line else 0 for key, line in zip(keys, stripped, strict=True)]


def _repeats(prepared: PreparedLines) -> npt.NDArray[np.intp]:
    """How often each row's text (lowercased when at most 500 characters) occurs among the rows."""
    rows, text = prepared.rows, prepared.text
    if text is None:
        keys = [line.lower() if len(line) <= REPEAT_CHARS else line for line in rows]
    elif text.full.max() <= REPEAT_CHARS:  # lowercased at once: "\n" keeps each line's own (final sigma) context
        keys = text.joined.lower().split("\n")
    else:
        short = (text.full <= REPEAT_CHARS).nonzero()[0].tolist()
        keys = list(rows)
        lowered = "\n".join([rows[row] for row in short]).lower().split("\n") if short else []
        for row, key in zip(short, lowered, strict=True):
            keys[row] = key
    counts = Counter(keys)
    return np.fromiter(map(counts.__getitem__, keys), dtype=np.intp, count=len(keys))


def repeats_of_many(
    prepared: Sequence[PreparedLines], tokens: Sequence[PageTokens | None] | None = None
) -> list[npt.NDArray[np.intp]]:
    """:func:`_repeats` of several prepared documents, counted at once: each row's key numbered in one dictionary
    pass over the batch, and the (page, key) pairs counted by numpy, so each page's counts stay its own (a key
    repeated on another page does not count). ``tokens``: the documents' words, whose table may hold its lines'
    counts already (:attr:`~textclean._tokens.PageTokens.repeats`, counted by the tokenizer kernel), read for
    the non-blank rows when every document has them.

    The short rows are lowered one by one (``map(str.lower)``), not joined: one accented row in a joined text
    sends all of it down ``str.lower``'s slow non-ASCII path, while an ASCII row alone takes the fast one.
    """
    if not prepared:
        return []
    counted = _counted(tokens) if tokens is not None else None
    if counted is not None:  # a non-blank line counts itself: its rows' counts are the counts that are not 0
        rows = [found[found != 0].astype(np.intp) for found in counted]
        if all(len(found) == len(document.rows) for found, document in zip(rows, prepared, strict=True)):
            return rows
    rows = list(itertools.chain.from_iterable(document.rows for document in prepared))
    total = len(rows)
    lengths = np.concatenate(
        [
            document.text.full if document.text is not None else np.fromiter(map(len, document.rows), dtype=np.intp)
            for document in prepared
        ]
    )
    short = lengths <= REPEAT_CHARS
    first_at: dict[str, int] = {}  # a key's number: the first row given it (short rows first, then the others)
    number = np.empty(total, dtype=np.intp)
    given = 0
    for chosen, lower in ((short, True), (~short, False)):
        where = np.flatnonzero(chosen)
        if len(where):
            selected = itertools.compress(rows, chosen.tolist())
            keys = map(str.lower, selected) if lower else selected
            found = map(first_at.setdefault, keys, itertools.count(given))
            number[where] = np.fromiter(found, dtype=np.intp, count=len(where))
            given += len(where)
    sizes = [len(document.rows) for document in prepared]
    pair = np.repeat(np.arange(len(sizes), dtype=np.intp) * total, sizes) + number  # (page, key) as one number
    _, inverse, counts = np.unique(pair, return_inverse=True, return_counts=True)
    return np.split(counts[inverse.reshape(total)].astype(np.intp), np.cumsum(sizes)[:-1])


def _counted(tokens: Sequence[PageTokens | None]) -> list[npt.NDArray[np.int32]] | None:
    """Each page's line repeat counts from its token table, or ``None`` unless every page has them."""
    found = []
    for page in tokens:
        repeats = None if page is None else page.repeats
        if repeats is None:
            return None
        found.append(repeats)
    return found
