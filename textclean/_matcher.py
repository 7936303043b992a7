"""The pattern-rule matcher: every phrase alternative behind cheap probes, compiled on first use.

Most lines match no rule, so a line should cost a few string-method calls mapped over the whole
document, not a regex search:

* a document's lines are first looked up in a bounded memo of lines already matched (web pages
  repeat their menus and footers), so each distinct line is matched once per process;
* the new ones are routed together by :class:`~textclean._matcher_routes.Routes` (at C speed):
  each line gets the alternatives whose probes hold on it (start strings, final words, first
  characters and required words, :mod:`textclean._matcher_probe`) and whose shape it fits (the
  width, letters and characters of a line an alternative ending in ``$`` can match,
  :mod:`textclean._matcher_shape`); only the few lines that get one reach the exact matching,
  and there only those alternatives;
* an alternative of an anchored phrase rule is filed under the exact characters it starts with
  (up to :data:`_KEY` of them, after the line's leading punctuation), so a line tries only the
  alternatives filed under a prefix of its own first characters;
* a floating pattern's alternatives are searched each on its own (:func:`_floating_parts`), each
  behind its own words.

Matching is the order-preserving equivalent of one big alternation per family: the verdict is
the first rule (in table order) whose alternative matches, exactly as without the probes.
Patterns are compiled the first time a line needs them, so building a matcher is cheap.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import regex

from textclean._matcher_entries import (
    HEAD,
    Entry,
    Gates,
    anchored_entry,
    filed_entry,
    floating_entry,
    pattern_gates,
    rule_sources,
    search_rule,
)
from textclean._matcher_probe import (
    LEADING,
    MAX_LEAD,
    Probes,
    fold_case_twins,
    respaced,
)
from textclean._matcher_routes import KEY, Filing, Routed, Routes
from textclean._matcher_shape import Shape, shape_of
from textclean._rule import Rule, Verdict
from textclean._rules._build import language_of
from textclean._rules._index import anchored_parts, first_prefixes, required_literals, split_alternatives
from textclean._rules._literals import literal_starts

__all__ = ["MAX_PATTERN_CHARS", "Matcher", "fold_case_twins"]

MAX_PATTERN_CHARS = 600
"""Pattern rules only look at lines up to this long (so no pattern ever runs on a huge line)."""

_KEY = KEY
_CACHE_LIMIT = 200_000
_MEMO_LINES = 1 << 17
_MEMO_CHARS = 1 << 23

_Hit = tuple[int, Verdict]  # the first matching rule (index into Matcher.rules) and its verdict
_UNSEEN: _Hit = (-1, Verdict(keep=True))
_Run = Callable[..., "regex.Match[str] | None"]  # a compiled route's match (or search) method


class _Memo:
    """First hits of lines already matched (``None``: no rule), bounded in lines and characters.

    ``slow`` keeps the verdicts of :meth:`Matcher._slow_match` (by line and word count) as well.
    """

    def __init__(self) -> None:
        self.hits: dict[str, _Hit | None] = {}
        self.slow: dict[tuple[str, int], Verdict | None] = {}
        self.chars = 0

    def add(self, found: dict[str, _Hit | None]) -> None:
        """Remember ``found`` (forgetting everything first when the memo would outgrow its bounds)."""
        size = sum(map(len, found))
        if len(self.hits) + len(found) > _MEMO_LINES or self.chars + size > _MEMO_CHARS:
            self.hits.clear()
            self.slow.clear()
            self.chars = 0
        if len(self.slow) > _MEMO_LINES:
            self.slow.clear()
        self.hits.update(found)
        self.chars += size


@dataclass(frozen=True)
class Matcher:
    """Pattern rules compiled behind cheap probes (see the module docstring).

    Attributes:
        rules: the rules with at least one pattern in the selected languages, in table order.
        filed: anchored phrase alternatives by exact prefix (at most ``_KEY`` characters), each
            with its order key.
        anchored: other alternatives anchored at the line's start, in order.
        floating: alternatives searched anywhere in the line, in order.
        floating_gate: the words one of which a line must contain for any floating search.
        probes: the document-wide screen (:class:`~textclean._matcher_probe.Probes`).
        routes: which alternatives to try on each line (:class:`~textclean._matcher_routes.Routes`): the
            filed ones, then ``anchored``, then ``floating``, by route.
        routed: the alternative of each route.
        max_words: the largest ``max_words`` of the rules (``None``: some rule has no cap).
        gates: per rule, the words one of which each match of each of its patterns holds
            (:func:`~textclean._matcher_entries.pattern_gates`), for the rule-by-rule search of
            :meth:`_first_rule`. Read off the patterns with the rest (not on first use), so that a matcher
            read back from the rule cache (:mod:`textclean._rule_cache`) has them too.
    """

    rules: tuple[Rule, ...]
    filed: dict[str, tuple[tuple[tuple[int, int, int], Entry], ...]]
    anchored: tuple[Entry, ...]
    floating: tuple[Entry, ...]
    floating_gate: tuple[str, ...] | None
    probes: Probes
    routes: Routes
    routed: tuple[Entry, ...]
    max_words: int | None
    gates: tuple[Gates, ...]
    _keys: dict[str, tuple[Entry, ...]] = field(default_factory=dict, compare=False, repr=False)
    _runs: list[_Run | None] = field(default_factory=list, compare=False, repr=False)
    _memo: _Memo = field(default_factory=_Memo, compare=False, repr=False)

    @classmethod
    def build(cls, rules: Sequence[Rule], languages: frozenset[str]) -> Matcher:
        """File every alternative of the rules on in ``languages`` (compiling nothing yet)."""
        kept: list[Rule] = []
        filed: dict[str, list[tuple[tuple[int, int, int], Entry]]] = {}
        anchored: list[Entry] = []
        loose: list[Entry] = []
        literals: set[str] = set()
        ungated = False
        filing = itertools.count()
        for rule in rules:
            patterns = [p for p in rule.patterns if _language_on(language_of(p), languages)]
            if not patterns:
                continue
            kept.append(rule)
            number = len(kept) - 1
            for pattern in patterns:
                head, alternatives, tail = anchored_parts(pattern)
                if not head and not tail:  # one floating pattern: its alternatives each searched on their own
                    alternatives = [part for alternative in alternatives for part in _floating_parts(alternative)]
                for alternative in alternatives:
                    prefixes = first_prefixes(alternative) if head == HEAD else None
                    if prefixes is not None:
                        entry = filed_entry(number, alternative, tail, prefixes)
                        starts = literal_starts(alternative, _KEY) or frozenset({""})
                        for prefix in prefixes:
                            order = (number, 1 if len(prefix) == 1 else 0, next(filing))
                            for key in _keys_for(prefix, starts):
                                filed.setdefault(key, []).append((order, entry))
                        continue
                    if head.startswith("^"):
                        anchored.append(anchored_entry(number, head, alternative, tail))
                        continue
                    old = required_literals(alternative)
                    ungated = ungated or old is None
                    literals |= old or set()
                    loose.append(floating_entry(number, f"{head}(?:{alternative}){tail}"))
        anchored.sort(key=lambda entry: entry.rule)  # stable: alternation order is (rule, filing)
        loose.sort(key=lambda entry: entry.rule)
        others = (*anchored, *loose)
        filings, firsts = _filings(filed)
        return cls(
            rules=tuple(kept),
            filed={key: tuple(entries) for key, entries in filed.items()},
            anchored=tuple(anchored),
            floating=tuple(loose),
            floating_gate=None if ungated else tuple(sorted(literals)),
            probes=Probes.build((e.probe for found in filed.values() for _, e in found), (e.probe for e in others)),
            routes=Routes.build(
                filings, [e.probe for e in others], [shape_of(e.source, e.flags) for e in anchored], len(anchored)
            ),
            routed=(*firsts, *others),
            max_words=_largest_cap(kept),
            gates=tuple(map(pattern_gates, kept)),
        )

    def pattern_sources(self) -> list[tuple[str, int]]:
        """Every pattern (source and flags) its matching may compile: what :func:`textclean._patterns.preload` takes."""
        entries = [*self.anchored, *self.floating, *(entry for found in self.filed.values() for _, entry in found)]
        found = [(entry.source, entry.flags) for entry in entries]
        for rule, gates in zip(self.rules, self.gates, strict=True):
            found += rule_sources(rule, gates)
        return found

    def __getstate__(self) -> dict[str, object]:
        """Pickle without the caches (a worker process builds its own)."""
        return {**self.__dict__, "_keys": {}, "_memo": _Memo(), "_runs": []}

    def match_lines(self, lines: Sequence[str], words: Sequence[int]) -> list[Verdict | None]:
        """:meth:`match` for each of a document's stripped lines, with their word counts.

        Lines met before (in this process) are answered from the memo; the others are screened
        together, and matched only where a probe lets them through.

        Examples:
            >>> from textclean._rules import PATTERN_RULES
            >>> matcher = Matcher.build(PATTERN_RULES, frozenset())
            >>> lines = ["Share on Facebook", "The river rose two metres overnight."]
            >>> [v and v.code for v in matcher.match_lines(lines, [3, 6])]
            ['B030', None]
            >>> [v and v.code for v in matcher.match_lines(lines, [30, 6])]  # too many words for B030
            [None, None]
        """
        hits = list(map(self._memo.hits.get, lines, itertools.repeat(_UNSEEN)))
        new = list(map(operator.is_, hits, itertools.repeat(_UNSEEN)))
        if any(new):
            found = self._first_hits(list(itertools.compress(lines, new)), list(itertools.compress(words, new)))
            hits = list(map(found.get, lines, hits))
        verdicts: list[Verdict | None] = [None] * len(lines)
        for i in itertools.compress(range(len(lines)), hits):
            number, verdict = hits[i] or _UNSEEN
            cap = self.rules[number].max_words
            verdicts[i] = verdict if cap is None or words[i] <= cap else self._slow_match(lines[i], words[i])
        return verdicts

    def match(self, line: str, words: int) -> Verdict | None:
        """The verdict of the first rule matching ``line`` (stripped), or ``None``."""
        return self.match_lines([line], [words])[0]

    def _first_hits(self, lines: list[str], words: list[int]) -> dict[str, _Hit | None]:
        """The first hits of lines not in the memo (``None``: no rule may take the line).

        A line longer than :data:`MAX_PATTERN_CHARS`, or with more words than any rule allows,
        gets ``None`` (whatever its first hit, no rule could keep it within its ``max_words``).
        """
        short = list(map(operator.le, map(len, lines), itertools.repeat(MAX_PATTERN_CHARS)))
        if self.max_words is not None:
            short = list(map(operator.and_, short, map(operator.le, words, itertools.repeat(self.max_words))))
        found: dict[str, _Hit | None] = dict.fromkeys(itertools.compress(lines, short))
        found.pop("", None)  # an empty line is never matched
        texts = list(found)
        lowers = list(map(str.lower, texts))
        for j, routed in self.routes.route(lowers, self.probes).items():
            found[texts[j]] = self._first_hit(texts[j], lowers[j], routed)
        self._memo.add(found)
        found.update(dict.fromkeys(itertools.compress(lines, map(operator.not_, short))))  # not remembered
        found[""] = None
        return found

    def _first_hit(self, line: str, lower: str, routed: Routed) -> _Hit | None:
        found = self._rough_hit(lower) if routed.routes is None else self._hit(lower, routed)
        if found is None:
            return None
        number, hit = found
        return number, _removed(self.rules[number], line[hit.start() : hit.end()])

    def _hit(self, lower: str, routed: Routed) -> tuple[int, regex.Match[str]] | None:
        """The first alternative (in alternation order) matching the lowered line, and its match.

        ``routed`` says which alternatives to try (:meth:`Routes.route <textclean._matcher_routes.Routes.route>`):
        the filed ones where the line's leading punctuation ends, the anchored ones at its start, and the
        floating ones anywhere (the leftmost match wins).
        """
        runs = self._runs
        if not runs:
            runs.extend([None] * len(self.routed))
        filed, searching, start = self.routes.filed, self.routes.searched, routed.start
        routes = routed.routes or ()
        for at, route in enumerate(routes):
            if route >= searching:  # the floating ones, all the rest (the routes come in order)
                return self._search_floating(lower, [self.routed[route] for route in routes[at:]])
            hit = (runs[route] or self._run(route))(lower, start if route < filed else 0)
            if hit is not None:
                return self.routed[route].rule, hit
        return None

    def _run(self, route: int) -> _Run:
        """The match method of a route's compiled pattern, kept for the next line."""
        run: _Run = self.routed[route].compiled().match
        self._runs[route] = run
        return run

    def _rough_hit(self, lower: str) -> tuple[int, regex.Match[str]] | None:
        """:meth:`_hit` on a line the screen could not sort: every alternative, behind the probes that hold."""
        letter = lower[:1].isalpha()
        start = 0 if letter else LEADING.match(lower).end()  # type: ignore[union-attr]  # [..]* always matches
        if start <= MAX_LEAD:
            found = self._filed_hit(lower, respaced(lower[start:]), start)
            if found is not None:
                return found
        folded = fold_case_twins(lower)
        for entry in self.anchored:
            if entry.may_match(folded, letter, start):
                hit = entry.compiled().match(lower)
                if hit is not None:
                    return entry.rule, hit
        return self._search_floating(lower, [e for e in self.floating if e.may_match(folded, letter, start)])

    def _filed_hit(self, lower: str, rest: str, start: int) -> tuple[int, regex.Match[str]] | None:
        """The first filed alternative matching at ``start`` (``rest``: the line from there, respaced)."""
        for entry in self._candidates(lower[start : start + _KEY]):
            if rest.startswith(entry.probe.letter_starts or ("",)):
                hit = entry.compiled().match(lower, start)
                if hit is not None:
                    return entry.rule, hit
        return None

    def _search_floating(self, lower: str, entries: Sequence[Entry]) -> tuple[int, regex.Match[str]] | None:
        """The leftmost floating match (earliest rule first among matches at the same place)."""
        if not entries or (self.floating_gate is not None and not any(word in lower for word in self.floating_gate)):
            return None
        best: tuple[int, regex.Match[str]] | None = None
        for entry in entries:
            hit = entry.compiled().search(lower)
            if hit is not None and (best is None or hit.start() < best[1].start()):
                best = entry.rule, hit
        return best

    def _candidates(self, key: str) -> tuple[Entry, ...]:
        """The filed alternatives a line starting with ``key`` may match, in alternation order."""
        found = self._keys.get(key)
        if found is None:
            entries = [item for j in range(1, len(key) + 1) for item in self.filed.get(key[:j], ())]
            entries.sort(key=lambda item: item[0])
            found = tuple(entry for _, entry in entries)
            if len(self._keys) < _CACHE_LIMIT:
                self._keys[key] = found
        return found

    def _slow_match(self, line: str, words: int) -> Verdict | None:
        """Try each rule in turn (when the first match belonged to a rule for shorter lines)."""
        known = self._memo.slow
        if (line, words) not in known:
            known[(line, words)] = self._first_rule(line, words)
        return known[(line, words)]

    def _first_rule(self, line: str, words: int) -> Verdict | None:
        text = fold_case_twins(line.replace("\u0130", "i").lower())  # İ lowers to two characters
        for number, rule in enumerate(self.rules):
            if rule.max_words is None or words <= rule.max_words:
                hit = search_rule(rule, self.gates[number], line, text)
                if hit is not None:
                    return _removed(rule, hit.group(0))
        return None


_TIED = regex.compile(r"\\[1-9g]|\(\?(?![:=!#]|<[=!])")  # a backreference, or a group with a flag or a name


def _floating_parts(source: str) -> list[str]:
    """The top-level alternatives of a pattern searched anywhere, to be searched each on its own.

    The leftmost match of an alternation is the leftmost of its alternatives' leftmost matches (the earlier
    alternative's on a tie), so the matcher, which keeps the leftmost match of the alternatives in order, finds
    the same; each alternative then has its own words to screen lines by. A pattern whose alternatives an inline
    flag, a group name or a backreference ties together stays whole.

    Examples:
        >>> _floating_parts(r"^\\W{0,3}disclaimer\\s*:|\\bprovided as is")
        ['^\\\\W{0,3}disclaimer\\\\s*:', '\\\\bprovided as is']
        >>> _floating_parts(r"(?i)a|b")
        ['(?i)a|b']
    """
    if _TIED.search(source):
        return [source]
    return split_alternatives(source)


def _filings(
    filed: dict[str, list[tuple[tuple[int, int, int], Entry]]],
) -> tuple[list[Filing], list[Entry]]:
    """The filed routes in alternation order (one per filing, with all its keys), and the alternative of each."""
    keys: dict[tuple[int, int, int], set[str]] = {}
    entries: dict[tuple[int, int, int], Entry] = {}
    for key, found in filed.items():
        for order, entry in found:
            keys.setdefault(order, set()).add(key)
            entries[order] = entry
    owners: dict[int, int] = {}
    shapes: dict[int, Shape | None] = {}
    filings: list[Filing] = []
    for order in sorted(keys):
        entry = entries[order]
        owner = owners.setdefault(id(entry), len(owners))
        if owner not in shapes:
            shapes[owner] = shape_of(entry.source, entry.flags)
        starts = entry.probe.letter_starts or ()
        filings.append(Filing(tuple(sorted(keys[order])), starts, owner, shapes[owner]))
    return filings, [entries[order] for order in sorted(keys)]


def _keys_for(prefix: str, starts: frozenset[str]) -> set[str]:
    """Filing keys of an alternative filed under ``prefix`` whose matches start with one of ``starts``."""
    keys = set()
    for start in starts:
        if start.startswith(prefix):
            keys.add(start)
        elif prefix.startswith(start):
            keys.add(prefix)
    return keys


def _largest_cap(rules: Sequence[Rule]) -> int | None:
    """The largest ``max_words`` of the rules (``None`` when one of them has no cap)."""
    if any(rule.max_words is None for rule in rules):
        return None
    return max((rule.max_words or 0 for rule in rules), default=0)


def _language_on(language: str, languages: frozenset[str]) -> bool:
    return not languages or language in ("", "*") or language in languages


def _removed(rule: Rule, phrase: str) -> Verdict:
    return Verdict(keep=False, code=rule.code, rule=rule.name, evidence=f"matched {phrase.strip()[:80]!r}")
