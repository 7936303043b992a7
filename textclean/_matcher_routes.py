"""Which anchored and floating alternatives to try on a line, from what let it through the screen.

:class:`~textclean._matcher_probe.Probes` screens a document's lines; for each line it lets
through it says which probes held (``STARTS``, ``ENDS``, ``FIRST``, ``WORDS``) and which words
it found. :class:`Routes` turns that into the few alternatives worth a regex on that line: the
ones whose own probe holds there, found through small dictionaries rather than by trying each.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from textclean._matcher_probe import ENDS, FIRST, MAX_LEAD, STARTS, WORDS, Probe, Screened, open_end, strip_tail

__all__ = ["Routes"]

_Ids = tuple[int, ...]


@dataclass(frozen=True)
class Routes:
    """Alternatives by probe (an id is a position in the ``probes`` the routes were built from).

    Per side (0: lines starting with a letter, 1: the others).

    Attributes:
        probes: the probes of the alternatives, by id.
        by_pair: ids screened by start strings (letter side), by the strings' first two characters.
        by_letter: the same for one-character strings, by that character.
        ends: per side, ids screened by their final words.
        by_end: per side, those ids by final word.
        end_lengths: per side, the lengths of those words (longest first).
        words: per side, ids screened by words, by word.
        firsts: ids screened by their first characters (other side), by character.
        digits: those of them that may also start with any decimal digit.
        always: per side, ids with no probe there.
    """

    probes: tuple[Probe, ...]
    by_pair: dict[str, _Ids]
    by_letter: dict[str, _Ids]
    ends: tuple[_Ids, _Ids]
    by_end: tuple[dict[str, _Ids], dict[str, _Ids]]
    end_lengths: tuple[tuple[int, ...], tuple[int, ...]]
    words: tuple[dict[str, _Ids], dict[str, _Ids]]
    firsts: dict[str, _Ids]
    digits: _Ids
    always: tuple[_Ids, _Ids]

    @classmethod
    def build(cls, probes: Sequence[Probe]) -> Routes:
        by_pair: dict[str, set[int]] = {}
        by_letter: dict[str, set[int]] = {}
        ends: tuple[list[int], list[int]] = ([], [])
        by_end: tuple[dict[str, set[int]], dict[str, set[int]]] = ({}, {})
        words: tuple[dict[str, set[int]], dict[str, set[int]]] = ({}, {})
        firsts: dict[str, set[int]] = {}
        digits: list[int] = []
        always: tuple[list[int], list[int]] = ([], [])
        for number, probe in enumerate(probes):
            for side, letter in enumerate((True, False)):
                kind = probe.kind(letter)
                if kind == STARTS:
                    for start in probe.letter_starts or ():
                        (by_letter if len(start) == 1 else by_pair).setdefault(start[:2], set()).add(number)
                elif kind == ENDS:
                    ends[side].append(number)
                    for end in probe.ends or ():
                        by_end[side].setdefault(end, set()).add(number)
                elif kind == WORDS:
                    for word in probe.words or ():
                        words[side].setdefault(word, set()).add(number)
                elif kind == FIRST:
                    for char in probe.firsts or ():
                        firsts.setdefault(char, set()).add(number)
                    if probe.digits:
                        digits.append(number)
                else:
                    always[side].append(number)
        return cls(
            probes=tuple(probes),
            by_pair=_sorted(by_pair),
            by_letter=_sorted(by_letter),
            ends=(tuple(ends[0]), tuple(ends[1])),
            by_end=(_sorted(by_end[0]), _sorted(by_end[1])),
            end_lengths=(_lengths(by_end[0]), _lengths(by_end[1])),
            words=(_sorted(words[0]), _sorted(words[1])),
            firsts=_sorted(firsts),
            digits=tuple(digits),
            always=(tuple(always[0]), tuple(always[1])),
        )

    def ids(self, lower: str, spaced: str, start: int, screened: Screened) -> list[int]:
        """The ids of the alternatives whose probe holds on a lowered line without case twins, in order.

        ``spaced`` is the line respaced if it starts with a letter (else ``""``), ``start`` the
        length of its leading punctuation.
        """
        mask = screened.mask
        side = 0 if spaced else 1
        found: set[int] = set(self.always[side])
        if mask & STARTS and spaced:
            pair = self.by_pair.get(spaced[:2], ())
            letter = self.by_letter.get(spaced[:1], ())
            found.update(i for i in (*pair, *letter) if spaced.startswith(self.probes[i].letter_starts or ()))
        if mask & ENDS:
            found.update(self._ending(lower, side))
        for word in screened.words:
            found.update(self.words[side].get(word, ()))
        if mask & FIRST:
            head = lower[: min(start, MAX_LEAD) + 1]
            for char in set(head).intersection(self.firsts):
                found.update(self.firsts[char])
            if self.digits and any(map(str.isdecimal, head)):
                found.update(self.digits)
        return sorted(found)

    def _ending(self, lower: str, side: int) -> Iterable[int]:
        """The ids screened by final words whose ends probe holds on the line (``ends_match`` of each): every one
        on an open end, else those of the words the line (less its tail) ends with, looked up by length."""
        stripped = strip_tail(lower)
        if open_end(stripped):
            return self.ends[side]
        by_end = self.by_end[side]
        found: list[int] = []
        for length in self.end_lengths[side]:
            found.extend(by_end.get(stripped[-length:], ()) if length else by_end.get("", ()))
        return found


def _lengths(by_end: dict[str, set[int]]) -> tuple[int, ...]:
    return tuple(sorted({len(end) for end in by_end}, reverse=True))


def _sorted(found: dict[str, set[int]]) -> dict[str, _Ids]:
    return {key: tuple(sorted(ids)) for key, ids in found.items()}
