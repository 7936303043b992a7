"""The rule table's regexes, compiled once per process, and read back compiled from the rule cache.

``regex.compile`` parses a pattern in Python: the 300 or so alternatives a page of real text needs take about
0.1 s in every process, which the start-up cache (:mod:`textclean._rule_cache`) did not cover. ``regex``
pickles a compiled pattern as its compiled program (a call of its own constructor, not the source to parse
again), so :func:`preload` keeps every pattern a configuration can use in one cache entry, compiled: reading
back the 900 or so patterns of the default rules takes some 6 ms. Without a cache the patterns are compiled
one by one on first use, as before: the result is the same pattern either way.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from textclean._rule_cache import cache_directory, load_or_build

__all__ = ["compile_pattern", "compiled_already", "preload"]

Source = tuple[str, int]
"""A pattern and its flags."""

_COMPILED: dict[Source, regex.Pattern[str]] = {}


def compile_pattern(source: str, flags: int) -> regex.Pattern[str]:
    """``regex.compile(source, flags)``, once per process for each source."""
    pattern = _COMPILED.get((source, flags))
    if pattern is None:
        pattern = _COMPILED[(source, flags)] = regex.compile(source, flags)
    return pattern


def compiled_already(source: str, flags: int) -> regex.Pattern[str] | None:
    """The pattern if this process has compiled (or preloaded) it, else ``None``."""
    return _COMPILED.get((source, flags))


def preload(sources: Iterable[Source]) -> None:
    """Make every one of ``sources`` compiled, reading them from the rule cache (or compiling and storing them).

    Does nothing when the cache is off (``TEXTCLEAN_NO_CACHE=1``, no cache directory): compiling every pattern
    up front would cost more than the few a run uses.

    Examples:
        >>> preload([(r"\\bread more\\b", regex.IGNORECASE)])
        >>> compile_pattern(r"\\bread more\\b", regex.IGNORECASE).search("Read more").group()
        'Read more'
    """
    wanted = sorted(set(sources) - _COMPILED.keys())
    if not wanted or cache_directory() is None:
        return
    found = load_or_build("patterns", wanted, lambda: _compile_all(wanted), dict)
    if set(found) != set(wanted) or not all(isinstance(pattern, regex.Pattern) for pattern in found.values()):
        found = _compile_all(wanted)  # an entry of other patterns under this key: never trust it
    _COMPILED.update(found)


def _compile_all(sources: list[Source]) -> dict[Source, regex.Pattern[str]]:
    return {(source, flags): compile_pattern(source, flags) for source, flags in sources}
