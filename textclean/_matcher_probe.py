"""Which lines of a document can match a pattern rule at all: cheap probes, mapped over every line.

Most lines match no rule, so :class:`~textclean._matcher.Matcher` runs its ordered, exact matching
only on the lines a probe lets through, and there only the alternatives whose probe did
(:mod:`textclean._matcher_routes`). :class:`Probes` is the screen of its Python path: string
methods mapped over the whole list (Python code runs only for the few lines a probe singles
out); the compiled ``route_lines`` tests the same probes in its pass over each line. Every probe
is a necessary condition for one alternative to match, read off the pattern
(:mod:`textclean._matcher_affixes`):

* ``STARTS``: an alternative anchored at the start matches only where the line, after its
  leading punctuation and with its whitespace runs made single spaces, starts with one of its
  start strings (looked up by their first two characters; only lines whose first characters
  hold other whitespace than single spaces are respaced);
* ``ENDS``: an alternative anchored at the end (``...says\\s*:?[\\W\\d_]{0,12}$``) matches only if
  the line, stripped of common trailing non-letters, ends with one of its final words or with
  another character that is not a letter;
* ``FIRST``: on a line starting with a non-letter, an anchored alternative matches only if one
  of the characters its matches start with is among the line's first nine;
* ``WORDS``: any other alternative needs one of its words, found with one ``str.find`` pass
  over the whole document per word.

Strings are compared case-twin-folded (``ſ`` as ``s``, ``ς`` as ``σ``, ...), so lines holding a
case twin, and every line when some alternative has no probe at all, are marked ``ALL``: the
exact matching then tries every alternative behind the probes that hold on them.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple, cast

import regex

from textclean import _kernels

__all__ = [
    "ALL",
    "ENDS",
    "FIRST",
    "LEADING",
    "MAX_LEAD",
    "NONLETTER",
    "PREFIX",
    "STARTS",
    "WORDS",
    "Probe",
    "Probes",
    "Screened",
    "ends_match",
    "first_match",
    "fold_case_twins",
    "open_end",
    "respaced",
    "strip_tail",
]

STARTS, ENDS, WORDS, FIRST, NONLETTER, ALL = 1, 2, 4, 8, 16, 32
"""What let a line through the screen; ``NONLETTER``: the line starts with a non-letter."""

MAX_LEAD = 8
"""Phrase patterns skip at most this much leading punctuation (``^[\\W\\d_]{0,8}``)."""

PREFIX = 32
"""The longest start string or final word a probe compares."""

LEADING = regex.compile(r"[\W\d_]*")
"""The leading punctuation phrase patterns may skip."""

# Lowercase characters that case-insensitive matching (``regex``, simple folding) equates with
# another lowercase character. Gate words are compared after mapping each class to its first member.
_CASE_CLASSES = (
    "s\u017f \xb5\u03bc \u0345\u03b9\u1fbe \u0390\u1fd3 \u03b0\u1fe3 \u03b2\u03d0 \u03b5\u03f5 \u03b8\u03d1 "
    "\u03ba\u03f0 \u03c0\u03d6 \u03c1\u03f1 \u03c2\u03c3 \u03c6\u03d5 \u0432\u1c80 \u0434\u1c81 \u043e\u1c82 "
    "\u0441\u1c83 \u0442\u1c84\u1c85 \u044a\u1c86 \u0463\u1c87 \u1c88\ua64b \u1e61\u1e9b \ufb05\ufb06"
)
_FOLD = {ord(ch): group[0] for group in _CASE_CLASSES.split() for ch in group[1:]}
_TWINS = frozenset(chr(code) for code in _FOLD)

# Stripped from the end of a line before the ends probe: every ASCII character but the letters, and
# common non-ASCII punctuation (none of them a letter, so no final word loses a character).
_TAIL = "".join(chr(code) for code in range(128) if not chr(code).isalpha()) + (
    "\xa0\xa9\xab\xae\xb0\xb7\xbb\u2013\u2014\u2019\u201d\u2022\u2026\u203a\u2192\u3001\u3002\uff01\uff09\uff1f"
)
_Slicer = Callable[[str], str]
_first = cast(_Slicer, operator.itemgetter(slice(0, 1)))
_pair = cast(_Slicer, operator.itemgetter(slice(0, 2)))
_last = cast(_Slicer, operator.itemgetter(slice(-1, None)))
_head = cast(_Slicer, operator.itemgetter(slice(0, MAX_LEAD + 1)))
_spaced_head = cast(_Slicer, operator.itemgetter(slice(0, PREFIX + 1)))  # see Probes._starting
_END = operator.methodcaller("end")


def fold_case_twins(text: str) -> str:
    """Map case twins to one representative (only lines holding a twin pay for it).

    Examples:
        >>> fold_case_twins("Copyright ſince 1999")
        'Copyright since 1999'
    """
    if text.isascii() or _TWINS.isdisjoint(text):
        return text
    return text.translate(_FOLD)


def has_case_twin(text: str) -> bool:
    """Whether ``text`` holds a character :func:`fold_case_twins` would change."""
    return not text.isascii() and not _TWINS.isdisjoint(text)


def respaced(text: str) -> str:
    """``text`` with every run of whitespace made one space (and none at either end)."""
    return " ".join(text.split())


def ends_match(line: str, ends: tuple[str, ...]) -> bool:
    """The ends probe on one lowered line (see the module docstring).

    Examples:
        >>> ends_match("john says:", ("says",)), ends_match("john says so", ("says",))
        (True, False)
    """
    stripped = strip_tail(line)
    return stripped.endswith(ends) or open_end(stripped)


def strip_tail(line: str) -> str:
    """The line without the trailing non-letters the ends probe skips."""
    return line.rstrip(_TAIL)


def open_end(stripped: str) -> bool:
    """Whether a line without its tail (:func:`strip_tail`) ends with a character that is not a letter: the ends
    probe then lets it through whatever its final word."""
    return not (stripped[-1:] + "a").isalpha()


def first_match(head: str, firsts: frozenset[str], digits: bool) -> bool:
    """The first-characters probe on the first characters of a line."""
    return not firsts.isdisjoint(head) or (digits and any(map(str.isdecimal, head)))


class Probe(NamedTuple):
    """The probes of one alternative (``None``: that probe is not available).

    Attributes:
        letter_starts: start strings (single spaces) of its matches that start with a letter
            (empty: none does).
        ends: the last words of its matches, when it is anchored at the end of the line.
        words: the words (case-twin-folded) one of which every match contains.
        firsts: the characters its matches start with (alternatives anchored at the start).
        digits: a decimal digit may also start a match.
    """

    letter_starts: tuple[str, ...] | None = None
    ends: tuple[str, ...] | None = None
    words: frozenset[str] | None = None
    firsts: frozenset[str] | None = None
    digits: bool = False

    def kind(self, letter: bool) -> int:
        """The probe that screens lines for this alternative (lines starting with a letter or not)."""
        if letter and self.letter_starts is not None and "" not in self.letter_starts:
            return STARTS
        if self.ends is not None:
            return ENDS
        if self.words is not None and all(word and "\n" not in word for word in self.words):
            return WORDS  # before FIRST: its words rule out far more lines than a digit or a bracket at the start
        if not letter and self.firsts is not None:
            return FIRST
        return ALL


_Lookup = Callable[[str, tuple[str, ...]], tuple[str, ...]]  # a dict's get with a default


class _Starts(NamedTuple):
    """Start strings by their first two characters (those of one character by that character)."""

    by_pair: dict[str, tuple[str, ...]]
    by_letter: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, strings: Iterable[str]) -> _Starts:
        by_letter: dict[str, set[str]] = {}
        by_pair: dict[str, set[str]] = {}
        for string in strings:
            (by_letter if len(string) == 1 else by_pair).setdefault(string[:2], set()).add(string)
        for pair, found in by_pair.items():
            found.update(by_letter.get(pair[0], ()))
        return cls(
            {pair: tuple(sorted(found)) for pair, found in by_pair.items()},
            {letter: tuple(sorted(found)) for letter, found in by_letter.items()},
        )

    def starting(self, texts: Sequence[str]) -> Iterator[bool]:
        """Whether each text starts with one of the strings."""
        by_letter = cast(_Lookup, self.by_letter.get)
        by_pair = cast(_Lookup, self.by_pair.get)
        found = map(by_pair, map(_pair, texts), map(by_letter, map(_first, texts), itertools.repeat(())))
        return map(str.startswith, texts, found)


class Screened(NamedTuple):
    """What let a line through the screen: probes (``STARTS | ENDS | ...``), and the words found in it."""

    mask: int
    words: Sequence[str]


class _Side(NamedTuple):
    """The ends and words probes of the alternatives screened by them, on one kind of line."""

    ends: tuple[str, ...]
    words: frozenset[str]


@dataclass(frozen=True)
class Probes:
    """The probes of all alternatives, grouped for one pass each over a document's lines.

    Attributes:
        starts: start strings of the alternatives screened by them (single spaces).
        letter: the ends and words probes used on lines starting with a letter.
        nonletter: those used on the other lines.
        firsts: first characters of the alternatives screened by them there (digits included).
        digits: some of those may start with any decimal digit.
        always: some alternative has no probe on lines starting with a letter.
        always_nonletter: some alternative has no probe on the other lines.
    """

    starts: _Starts
    letter: _Side
    nonletter: _Side
    firsts: frozenset[str]
    digits: bool
    always: bool
    always_nonletter: bool

    @classmethod
    def build(cls, filed: Iterable[Probe], others: Iterable[Probe]) -> Probes:
        """Group the probes: filed alternatives by their starts, the others by :meth:`Probe.kind`."""
        starts: set[str] = set()
        ends: tuple[set[str], set[str]] = (set(), set())
        words: tuple[set[str], set[str]] = (set(), set())
        firsts: set[str] = set()
        digits = False
        always = [False, False]
        for probe in filed:
            starts.update(probe.letter_starts or ())
        for probe in others:
            for side, letter in enumerate((True, False)):
                kind = probe.kind(letter)
                if kind == STARTS:
                    starts.update(probe.letter_starts or ())
                elif kind == ENDS:
                    ends[side].update(probe.ends or ())
                elif kind == FIRST:
                    firsts.update(probe.firsts or ())
                    firsts.update("0123456789" if probe.digits else "")
                    digits = digits or probe.digits
                elif kind == WORDS:
                    words[side].update(probe.words or ())
                else:
                    always[side] = True
        return cls(
            starts=_Starts.of(starts),
            letter=_Side(tuple(sorted(ends[0])), frozenset(words[0])),
            nonletter=_Side(tuple(sorted(ends[1])), frozenset(words[1])),
            firsts=frozenset(firsts),
            digits=digits,
            always=always[0],
            always_nonletter=always[1],
        )

    def screen(self, lowers: Sequence[str]) -> dict[int, Screened]:
        """The lowered lines some alternative may match, by index, with what let each through.

        String methods mapped over the lines, a pass per probe (the Python path of
        :meth:`Routes.route <textclean._matcher_routes.Routes.route>`).
        """
        numbers = range(len(lowers))
        if self.always:
            return dict.fromkeys(numbers, Screened(ALL, ()))
        masks: dict[int, int] = {}
        lettered = list(map(str.isalpha, map(_first, lowers)))
        letter = list(itertools.compress(numbers, lettered))
        texts = list(itertools.compress(lowers, lettered))
        _mark(masks, (letter[j] for j in self._starting(texts)), STARTS)
        _mark(masks, (letter[j] for j in _ending(texts, self.letter.ends)), ENDS)
        nonletter = list(itertools.compress(numbers, map(operator.not_, lettered)))
        if nonletter:
            self._screen_nonletter(masks, nonletter, [lowers[i] for i in nonletter])
        document = "\n".join(lowers)
        words = list(self.letter.words | self.nonletter.words)
        found: dict[int, list[str]] = {}
        for word, lines in zip(words, _lines_holding(document, lowers, words), strict=True):
            sides = (word in self.letter.words, word in self.nonletter.words)
            for i in lines:
                if sides[not lettered[i]]:
                    found.setdefault(i, []).append(word)
        _mark(masks, found, WORDS)
        if not document.isascii() and any(twin in document for twin in _TWINS):
            _mark(masks, itertools.compress(numbers, map(has_case_twin, lowers)), ALL)
        for i in nonletter:
            if i in masks:
                masks[i] |= NONLETTER
        # Screened(mask, words) per line through tuple.__new__: the named tuple's own __new__ is a Python function
        held = zip(masks.values(), map(found.get, masks, itertools.repeat(())), strict=True)
        return dict(zip(masks, map(tuple.__new__, itertools.repeat(Screened), held), strict=True))

    def _starting(self, texts: Sequence[str]) -> list[int]:
        """The positions of the texts that, respaced, start with a start string.

        A text whose first characters hold no whitespace but single spaces is compared as it is;
        the others are respaced first.
        """
        found = set(itertools.compress(range(len(texts)), self.starts.starting(texts)))
        heads = list(map(_spaced_head, texts))
        unprintable = map(operator.not_, map(str.isprintable, heads))
        odd = map(operator.or_, unprintable, map(operator.contains, heads, itertools.repeat("  ")))
        rough = [i for i in itertools.compress(range(len(texts)), odd) if i not in found]
        spaced = [respaced(texts[i]) for i in rough]
        found.update(itertools.compress(rough, self.starts.starting(spaced)))
        return sorted(found)

    def _screen_nonletter(self, masks: dict[int, int], numbers: list[int], lowers: list[str]) -> None:
        """Lines starting with a non-letter: start strings after the leading punctuation, first characters, ends."""
        if self.always_nonletter:
            _mark(masks, numbers, ALL)
            return
        leads = list(map(_END, map(LEADING.match, lowers)))
        near = list(itertools.compress(range(len(lowers)), map(operator.le, leads, itertools.repeat(MAX_LEAD))))
        rests = [lowers[j][leads[j] :] for j in near]
        _mark(masks, (numbers[near[j]] for j in self._starting(rests)), STARTS)
        _mark(masks, (numbers[j] for j in _ending(lowers, self.nonletter.ends)), ENDS)
        heads = list(map(_head, lowers))
        _mark(masks, itertools.compress(numbers, map(operator.not_, map(self.firsts.isdisjoint, heads))), FIRST)
        if self.digits:
            wide = itertools.compress(zip(numbers, heads, strict=True), map(operator.not_, map(str.isascii, heads)))
            _mark(masks, (i for i, head in wide if any(map(str.isdecimal, head))), FIRST)


def _ending(texts: Sequence[str], ends: tuple[str, ...]) -> Iterator[int]:
    """The positions of the texts the ends probe lets through (see :func:`ends_match`)."""
    if not ends:
        return iter(())
    stripped = list(map(str.rstrip, texts, itertools.repeat(_TAIL)))
    ended = map(str.endswith, stripped, itertools.repeat(ends))
    lasts = map(_last, stripped)
    open_end = map(operator.not_, map(str.isalpha, map(operator.add, lasts, itertools.repeat("a"))))
    return itertools.compress(range(len(texts)), map(operator.or_, ended, open_end))


def _mark(masks: dict[int, int], lines: Iterable[int], bit: int) -> None:
    for line in lines:
        masks[line] = masks.get(line, 0) | bit


def _lines_holding(document: str, lines: Sequence[str], needles: list[str]) -> Iterable[Iterable[int]]:
    """For each needle (non-empty, no newline), the lines (joined by newlines in ``document``) holding it: one
    Aho-Corasick pass (the compiled ``lines_holding``), or :class:`_LineFinder`'s ``str.find`` per needle."""
    native = _kernels.kernel("lines_holding")
    if native is not None and all(needles) and document.count("\n") == len(lines) - 1:  # no line holds a newline
        found: list[list[int]] = native(document, needles)
        return found
    finder = _LineFinder(document, lines)
    return map(finder.holding, needles)


class _LineFinder:
    """Find the lines holding a string, in a document made of lines joined by newlines."""

    def __init__(self, document: str, lines: Sequence[str]) -> None:
        self.document = document
        self.lines = lines
        self.ends: list[int] = []  # one past each line's newline, worked out on the first hit

    def holding(self, needle: str) -> Iterator[int]:
        """The lines holding ``needle`` (which holds no newline)."""
        if max(needle) not in self.document:  # its least common character, as a cheap first test
            return
        at = self.document.find(needle)
        if at >= 0 and not self.ends:
            counts = itertools.accumulate(map(len, self.lines))
            self.ends = list(map(operator.add, counts, range(1, len(self.lines) + 1)))
        while at >= 0:
            line = bisect.bisect_right(self.ends, at)
            yield line
            at = self.document.find(needle, self.ends[line])
