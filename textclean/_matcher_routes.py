"""Which alternatives to try on each line of a batch: the routes, worked out in one pass per line.

Every alternative the matcher may try on a line is a *route*, numbered in the order the matcher tries them: the
filed phrase alternatives (one route per filing, in alternation order: matched at the end of the line's leading
punctuation), then the other alternatives anchored at the line's start, then the floating ones (searched
anywhere). :meth:`Routes.route` gives, for each line some alternative may match, the routes whose probes hold on
it, in that order, so the matcher runs a regex only on those:

* a filed route holds where the line's first characters (after its leading punctuation) start with one of its
  filing keys, and the line from there, respaced, with one of its start strings;
* an anchored or floating alternative holds where its own probe (:meth:`~textclean._matcher_probe.Probe.kind`:
  start strings, final words, words, first characters) holds;
* a route with a :class:`~textclean._matcher_shape.Shape` (an alternative whose matches run to the line's end)
  holds only where the line's rest fits it;
* an alternative reached by several filings is tried once, at its first.

One pass of the compiled ``route_lines`` over the lines does all of it (its probes compiled once, by
:meth:`Routes._spec`); the Python path screens the lines with :class:`~textclean._matcher_probe.Probes` and takes
each line's routes through small dictionaries (:meth:`Routes.candidates`). :meth:`Routes.reference` tests every
route on its own: the plain definition both are checked against. Lines holding a case twin (and every line when
some alternative has no probe at all) get ``None``: the matcher then tries every alternative behind the probes
that hold on them.
"""

from __future__ import annotations

import functools
import itertools
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from textclean import _kernels
from textclean._matcher_probe import (
    _TAIL,
    _TWINS,
    ALL,
    ENDS,
    FIRST,
    LEADING,
    MAX_LEAD,
    STARTS,
    WORDS,
    Probe,
    Probes,
    Screened,
    ends_match,
    first_match,
    has_case_twin,
    open_end,
    respaced,
    strip_tail,
)
from textclean._matcher_shape import ALL_ASCII, MOST_CLASSES, Shape

__all__ = ["KEY", "Filing", "Routed", "Routes"]

KEY = 4
"""The longest filing key: filed alternatives are looked up by at most this many of a line's first characters."""

_Ids = tuple[int, ...]
_HALF = (1 << 64) - 1


class Filing(NamedTuple):
    """One filing of a phrase alternative: a route of its own (the filings of one alternative share its starts and
    shape).

    Attributes:
        keys: the filing keys (at most :data:`KEY` characters) a line's first characters must start with.
        starts: the start strings (single spaces) the line, respaced from there, must start with.
        owner: the alternative's number (its filings share it).
        shape: its shape (``None``: none known).
    """

    keys: tuple[str, ...]
    starts: tuple[str, ...]
    owner: int
    shape: Shape | None


class Routed(NamedTuple):
    """A line's routes: where its leading punctuation ends, and the routes to try (``None``: every alternative)."""

    start: int
    routes: _Ids | None


@dataclass(frozen=True)
class Routes:
    """The routes, and the tables that find a line's routes (see the module docstring).

    The anchored and floating alternatives are routed by their probe, per side (0: lines starting with a letter,
    1: the others); their ids below are positions in ``probes`` (route ``filed + id``).

    Attributes:
        filings: the filed routes, in order.
        filed: how many there are (the anchored alternatives' routes follow).
        searched: the first floating alternative's route.
        by_key: the filed routes by filing key.
        probes: the probes of the anchored and floating alternatives, by id.
        shapes: per route, its shape (``None``: a floating alternative, or none known).
        owners: per route, the alternative's number.
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

    filings: tuple[Filing, ...]
    filed: int
    searched: int
    by_key: dict[str, _Ids]
    probes: tuple[Probe, ...]
    shapes: tuple[Shape | None, ...]
    owners: _Ids
    by_pair: dict[str, _Ids]
    by_letter: dict[str, _Ids]
    ends: tuple[_Ids, _Ids]
    by_end: tuple[dict[str, _Ids], dict[str, _Ids]]
    end_lengths: tuple[tuple[int, ...], tuple[int, ...]]
    words: tuple[dict[str, _Ids], dict[str, _Ids]]
    firsts: dict[str, _Ids]
    digits: _Ids
    always: tuple[_Ids, _Ids]
    _compiled: list[object] = field(default_factory=list, compare=False, repr=False)  # route_spec's, on first use

    def __getstate__(self) -> dict[str, object]:
        """Pickle without the compiled tables (a process compiles its own)."""
        return {**self.__dict__, "_compiled": []}

    @classmethod
    def build(
        cls, filings: Sequence[Filing], probes: Sequence[Probe], shapes: Sequence[Shape | None], anchored: int
    ) -> Routes:
        """The routes of the filings (in order), then of the anchored (the first ``anchored`` of ``probes``, with
        their ``shapes``) and floating alternatives."""
        by_key: dict[str, set[int]] = {}
        for number, filing in enumerate(filings):
            for key in filing.keys:
                by_key.setdefault(key, set()).add(number)
        first_owner = max((filing.owner for filing in filings), default=-1) + 1
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
            filings=tuple(filings),
            filed=len(filings),
            searched=len(filings) + anchored,
            by_key=_sorted(by_key),
            probes=tuple(probes),
            shapes=(
                *(filing.shape for filing in filings),
                *(shapes[number] if number < anchored else None for number in range(len(probes))),
            ),
            owners=(*(filing.owner for filing in filings), *range(first_owner, first_owner + len(probes))),
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

    def route(self, lowers: Sequence[str], probes: Probes) -> dict[int, Routed]:
        """The lowered lines some route holds on (or that take every alternative), by index, with their routes.

        One pass of the compiled ``route_lines`` over the lines when it is built; else the lines screened by
        ``probes`` (those of the same alternatives) and routed by :meth:`candidates`. Both give
        :meth:`reference` of each line, less the lines it gives no route.
        """
        native = _kernels.kernel("route_lines")
        spec = self._spec() if native is not None and not probes.always and not probes.always_nonletter else None
        if spec is None:
            return self.routed(lowers, probes)
        lines = lowers if isinstance(lowers, list) else list(lowers)
        rows, starts, found = native(spec, lines, _lead)
        held = zip(starts, found, strict=True)
        return dict(zip(rows, map(tuple.__new__, itertools.repeat(Routed), held), strict=True))

    def routed(self, lowers: Sequence[str], probes: Probes) -> dict[int, Routed]:
        """:meth:`route` in Python: the lines screened by ``probes``, each routed by :meth:`candidates`."""
        routed = {row: self.candidates(lowers[row], screened) for row, screened in probes.screen(lowers).items()}
        return {row: found for row, found in routed.items() if found.routes != ()}

    def candidates(self, lower: str, screened: Screened) -> Routed:
        """The routes of a lowered line the screen let through (``screened``: what let it through)."""
        mask = screened.mask
        letter = lower[:1].isalpha()  # (not in the mask of a line marked ALL because some alternative has no probe)
        start = 0 if letter else LEADING.match(lower).end()  # type: ignore[union-attr]  # [..]* always matches
        if mask & ALL:
            return Routed(start, None)
        rest = respaced(lower[start:]) if letter or mask & STARTS else ""
        found: list[int] = []
        if mask & STARTS and start <= MAX_LEAD:
            key = lower[start : start + KEY]
            for number in {number for j in range(1, len(key) + 1) for number in self.by_key.get(key[:j], ())}:
                if rest.startswith(self.filings[number].starts):
                    found.append(number)
        spaced = rest if letter else ""
        found += (self.filed + i for i in self.ids(lower, spaced, start, screened))
        return Routed(start, self._kept(lower, start, found))

    def reference(self, lower: str, probes: Probes) -> Routed:
        """The routes of a lowered line, each route's probes tested on their own (the plain definition)."""
        letter = lower[:1].isalpha()
        start = 0 if letter else LEADING.match(lower).end()  # type: ignore[union-attr]  # [..]* always matches
        if has_case_twin(lower) or probes.always or (not letter and probes.always_nonletter):
            return Routed(start, None)
        found = []
        rest = respaced(lower[start:])
        for number, filing in enumerate(self.filings):
            keyed = any(lower.startswith(key, start) for key in filing.keys)
            if start <= MAX_LEAD and keyed and rest.startswith(filing.starts):
                found.append(number)
        head = lower[: min(start, MAX_LEAD) + 1]
        for number, probe in enumerate(self.probes):
            kind = probe.kind(letter)
            if kind == STARTS:
                holds = respaced(lower).startswith(probe.letter_starts or ())
            elif kind == ENDS:
                holds = ends_match(lower, probe.ends or ())
            elif kind == WORDS:
                holds = any(word in lower for word in probe.words or ())
            elif kind == FIRST:
                holds = first_match(head, probe.firsts or frozenset(), probe.digits)
            else:
                holds = True
            if holds:
                found.append(self.filed + number)
        return Routed(start, self._kept(lower, start, found, plain=True))

    def _kept(self, lower: str, start: int, found: Iterable[int], *, plain: bool = False) -> _Ids:
        """The routes found, in order, each alternative once, less those whose shape the line does not fit
        (``plain``: tested by :meth:`Shape.plain_fits <textclean._matcher_shape.Shape.plain_fits>`)."""
        kept: list[int] = []
        owners: set[int] = set()
        for route in sorted(set(found)):
            owner = self.owners[route]
            if owner in owners:
                continue
            shape = self.shapes[route]
            at = start if route < self.filed else 0
            if shape is None or (shape.plain_fits(lower, at) if plain else shape.fits(lower, at)):
                owners.add(owner)
                kept.append(route)
        return tuple(kept)

    def ids(self, lower: str, spaced: str, start: int, screened: Screened) -> list[int]:
        """The ids of the anchored and floating alternatives whose probe holds on a lowered line without case twins.

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

    def _spec(self) -> object | None:
        """The routes compiled for ``route_lines`` (``None``: a case it leaves to the Python path)."""
        if not self._compiled:
            self._compiled.append(self._compile())
        return self._compiled[0]

    def _compile(self) -> object | None:
        build = _kernels.kernel("route_spec")
        filed = self.filed
        starts: dict[str, set[int]] = {}
        owners: set[int] = set()
        for number, filing in enumerate(self.filings):  # an alternative's first filing stands for its others
            if filing.owner not in owners:
                owners.add(filing.owner)
                for string in filing.starts:
                    starts.setdefault(string, set()).add(number)
        for ids in (*self.by_pair.values(), *self.by_letter.values()):
            for i in ids:
                for string in self.probes[i].letter_starts or ():
                    starts.setdefault(string, set()).add(filed + i)
        if build is None or any(self.always) or "" in starts:  # the Python path compares "" by first characters
            return None
        spec: object = build(
            _table(starts),
            _table(self.by_key, filed=0),
            [_table(self.by_end[side], filed, reverse=True) for side in (0, 1)],
            [[filed + i for i in self.ends[side]] for side in (0, 1)],
            _words(self.words, filed),
            _table({char: ids for char, ids in self.firsts.items() if len(char) == 1}, filed),  # never in a head
            [filed + i for i in self.digits],
            list(self.owners),
            filed,
            b"".join(map(functools.lru_cache(maxsize=None)(_packed), self.shapes)),
            _TAIL,
            "".join(sorted(_TWINS)),
        )
        return spec


def _lead(line: str) -> int:
    """The length of a line's leading punctuation (what ``route_lines`` asks when the line's own characters do not
    tell it)."""
    return LEADING.match(line).end()  # type: ignore[union-attr]  # [..]* always matches


def _table(found: dict[str, set[int]] | dict[str, _Ids], filed: int = 0, *, reverse: bool = False) -> list[object]:
    """``(string, ids)`` pairs for ``route_spec`` (ids made routes by adding ``filed``; strings reversed), in no
    particular order (the kernel sorts each line's routes)."""
    if not filed:
        return [(text[::-1] if reverse else text, list(ids)) for text, ids in found.items()]
    return [(text[::-1] if reverse else text, [filed + i for i in ids]) for text, ids in found.items()]


def _words(words: tuple[dict[str, _Ids], dict[str, _Ids]], filed: int) -> list[object]:
    """``(word, letter-side routes, other-side routes)`` for ``route_spec``."""
    every = sorted(set(words[0]) | set(words[1]))
    return [(word, *([filed + i for i in side.get(word, ())] for side in words)) for word in every]


def _packed(shape: Shape | None) -> bytes:
    """A shape as ``route_spec`` reads it, in the machine's byte order: width, letters, head, tail (int64, -1: no
    bound), the least counts of four classes (int64, 0 for none), then the classes' and the alphabet's characters
    (two uint64 each, characters 0-63 first)."""
    if shape is None:
        shape = Shape(None, None, (), 0, 0, ALL_ASCII)
    bounds = [-1 if n is None else n for n in (shape.width, shape.letters, shape.head, shape.tail)]
    least = [*shape.least, *[(0, 0)] * (MOST_CLASSES - len(shape.least))]
    halves = [half for bits in (*(bits for bits, _ in least), shape.alphabet) for half in (bits & _HALF, bits >> 64)]
    return struct.pack(f"=4q{MOST_CLASSES}q{2 * MOST_CLASSES + 2}Q", *bounds, *(fewest for _, fewest in least), *halves)


def _lengths(by_end: dict[str, set[int]]) -> tuple[int, ...]:
    return tuple(sorted({len(end) for end in by_end}, reverse=True))


def _sorted(found: dict[str, set[int]]) -> dict[str, _Ids]:
    return {key: tuple(sorted(ids)) for key, ids in found.items()}
