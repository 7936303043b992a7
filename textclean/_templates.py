"""Corpus-learned site templates (``T001``): lines that recur on a large share of one site's pages.

Two passes. First a :class:`TemplateLearner` reads many pages, each with its site (usually the
host of its URL, see :func:`site_of`), and counts on how many distinct pages of that site each
line occurs; :meth:`TemplateLearner.build` keeps the lines seen on enough of them as the site's
template, in an immutable :class:`TemplateStore`. Then a ``Cleaner(config, templates=store)``
removes those lines from any page of the same site, citing the counts ("seen on 37 of 40 pages
of example.com"). Templates are scoped per site: a quotation printed by two sites is no one's
template.

Lines are matched by a key, not by their text: a 64-bit BLAKE2b hash of the normalised line,
lowercased, runs of whitespace collapsed, runs of digits folded to ``0`` (so "Page 3 of 12" and
"Page 4 of 12" are one line). The saved file (:meth:`TemplateStore.save`, versioned JSON, read
back by :func:`load_templates`) holds only those keys and counts, never the text.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from textclean._errors import ConfigError, InputError
from textclean._rule import Rule, Verdict

__all__ = [
    "FORMAT_VERSION",
    "TEMPLATE_RULES",
    "TemplateConfig",
    "TemplateStore",
    "line_key",
    "load_templates",
]

FORMAT_NAME = "textclean-templates"
FORMAT_VERSION = 1
"""Version of the template file format; :func:`load_templates` refuses any other."""

SITE_TEMPLATE = Rule(
    code="T001",
    name="site-template",
    summary="Lines that recur on a large share of the pages of the same site: its learned template.",
    why=(
        "Headers, menus, footers and widgets are printed on every page of a site, while its articles differ from "
        "page to page. A line seen on most of a site's pages (learned from the corpus with `textclean templates "
        "learn` or `clean --learn-templates`) is that site's chrome, even when no phrase rule knows its wording."
    ),
    examples=("Daily Courier - Your town, your news (seen on 37 of 40 pages of dailycourier.example)",),
    keeps=(
        "A quotation printed by two different sites (templates are per site).",
        "An article paragraph syndicated on a few pages of a site (below the share).",
    ),
)
TEMPLATE_RULES: tuple[Rule, ...] = (SITE_TEMPLATE,)
"""The rules of this module, for the rule reference and the summary names."""

_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_HEX_KEY = re.compile(r"[0-9a-f]{16}")


def _key(line: str) -> int:
    simplified = _DIGITS.sub("0", _SPACES.sub(" ", line.strip().lower()))
    digest = hashlib.blake2b(simplified.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def line_key(line: str) -> str:
    """The key a template file stores for a line: 16 hex digits, the same for lines differing in case or digits.

    Args:
        line: a normalised line.

    Returns:
        The BLAKE2b-64 hash (hex) of the line lowercased, whitespace runs collapsed, digit runs folded to ``0``.

    Example:
        >>> line_key("Page 3 of 12") == line_key("page 47 of 9")
        True
        >>> len(line_key("Home"))
        16
    """
    return f"{_key(line):016x}"


@dataclass(frozen=True)
class TemplateConfig:
    """When a line is part of a site's template.

    Attributes:
        min_pages: a site needs at least this many distinct pages to get a template (fewer pages cannot tell
            its template from its content).
        min_share: a line is template when seen on at least this share of its site's pages...
        min_count: ...and on at least this many pages.
        long_line_words: a line of more than this many words is prose (e.g. an article syndicated within
            the site), template only when...
        long_line_share: ...seen on at least this share of the site's pages.
    """

    min_pages: int = 5
    min_share: float = 0.5
    min_count: int = 3
    long_line_words: int = 40
    long_line_share: float = 0.9

    def __post_init__(self) -> None:
        for name in ("min_pages", "min_count", "long_line_words"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"template {name} must be a whole number of at least 1, not {value!r}")
        for name in ("min_share", "long_line_share"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value <= 1:
                raise ConfigError(f"template {name} must be a share in (0, 1], e.g. 0.5, not {value!r}")

    def is_template(self, count: int, pages: int, words: int) -> bool:
        """Whether a line seen on ``count`` of ``pages`` pages, ``words`` words long, is template.

        Example:
            >>> TemplateConfig().is_template(3, 6, 2), TemplateConfig().is_template(2, 4, 2)
            (True, False)
        """
        share = self.long_line_share if words > self.long_line_words else self.min_share
        return pages >= self.min_pages and count >= self.min_count and count / pages >= share


@dataclass(frozen=True)
class _Site:
    pages: int
    lines: dict[int, int] = field(default_factory=dict)  # key -> pages seen on


@dataclass(frozen=True, repr=False)
class TemplateStore:
    """Learned site templates: which lines of each site are its template, with their counts.

    Immutable once built (by :class:`TemplateLearner` or :func:`load_templates`) and picklable;
    pass it to ``Cleaner(config, templates=store)``.

    Attributes:
        config: the thresholds the templates were learned with.
    """

    config: TemplateConfig
    _sites: dict[str, _Site]

    def __repr__(self) -> str:
        lines = sum(len(site.lines) for site in self._sites.values())
        return f"TemplateStore({len(self._sites)} sites, {lines} template lines, {self.config!r})"

    @property
    def sites(self) -> tuple[str, ...]:
        """The sites with enough pages to have a template (sorted)."""
        return tuple(sorted(self._sites))

    def pages(self, site: str) -> int:
        """How many distinct pages of ``site`` the templates were learned from (0 if none)."""
        entry = self._sites.get(site)
        return entry.pages if entry is not None else 0

    def template_size(self, site: str) -> int:
        """How many distinct template lines (keys) ``site`` has."""
        entry = self._sites.get(site)
        return len(entry.lines) if entry is not None else 0

    def match(self, site: str, lines: Sequence[str]) -> dict[int, Verdict]:
        """The template lines among a page's lines, as ``T001`` removals.

        Args:
            site: the page's site, as given to the learner (e.g. from :func:`site_of`).
            lines: the page's normalised lines (``""`` for blank ones).

        Returns:
            ``{line index: Verdict}`` for every line that is part of the site's template.

        Example:
            >>> pages = [("example.com", f"Example News\\nStory {word}.") for word in "abcde"]
            >>> from textclean import learn_templates
            >>> store = learn_templates(pages)
            >>> store.match("example.com", ["Example News", "", "A new story."])
            {0: Verdict(keep=False, code='T001', rule='site-template', evidence='seen on 5 of 5 pages of example.com')}
            >>> store.match("other.org", ["Example News"])
            {}
        """
        entry = self._sites.get(site)
        if entry is None or not entry.lines:
            return {}
        found: dict[int, Verdict] = {}
        for index, line in enumerate(lines):
            if not line:
                continue
            count = entry.lines.get(_key(line))
            if count is not None:
                evidence = f"seen on {count} of {entry.pages} pages of {site}"
                found[index] = Verdict(keep=False, code=SITE_TEMPLATE.code, rule=SITE_TEMPLATE.name, evidence=evidence)
        return found

    def to_dict(self) -> dict[str, Any]:
        """The template file's content (see ``docs/templates.md``): keys and counts, never text.

        Example:
            >>> from textclean import learn_templates
            >>> data = learn_templates([("a.org", f"Menu\\nText {w}") for w in "vwxyz"]).to_dict()
            >>> data["format"], data["version"], data["sites"]["a.org"]["pages"], len(data["sites"]["a.org"]["lines"])
            ('textclean-templates', 1, 5, 1)
        """
        from textclean import __version__

        sites = {
            name: {"pages": site.pages, "lines": {f"{key:016x}": count for key, count in sorted(site.lines.items())}}
            for name, site in sorted(self._sites.items())
        }
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "textclean_version": __version__,
            "key": "blake2b-64 of the normalised line, lowercased, whitespace collapsed, digit runs folded to 0",
            "parameters": asdict(self.config),
            "sites": sites,
        }

    def save(self, path: str) -> None:
        """Write the templates to ``path`` as JSON (atomically; ``-`` is standard output).

        Example:
            >>> import os, tempfile
            >>> from textclean import learn_templates
            >>> store = learn_templates([("a.org", f"Menu\\nText {w}") for w in "vwxyz"])
            >>> path = os.path.join(tempfile.mkdtemp(), "templates.json")
            >>> store.save(path)
            >>> load_templates(path) == store
            True
        """
        from textclean._io import atomic_output

        with atomic_output(path) as out:
            json.dump(self.to_dict(), out, ensure_ascii=False, indent=1, sort_keys=True)
            out.write("\n")


def _problem(source: str, what: str) -> InputError:
    return InputError(
        f"{source}: {what}; this is not a valid textclean template file "
        "(write one with `textclean templates learn INPUT... -o FILE`)"
    )


def _parse_store(data: object, source: str) -> TemplateStore:
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise _problem(source, f'no "format": "{FORMAT_NAME}" field')
    version = data.get("version")
    if version != FORMAT_VERSION:
        written = data.get("textclean_version", "an unknown version")
        raise InputError(
            f"{source}: template format version {version!r} (written by textclean {written}) is not supported: "
            f"this textclean reads version {FORMAT_VERSION}; learn the templates again with "
            "`textclean templates learn`"
        )
    parameters = data.get("parameters")
    names = {f.name for f in fields(TemplateConfig)}
    if not isinstance(parameters, dict) or set(parameters) - names:
        raise _problem(source, f'"parameters" must be an object with keys among {sorted(names)}')
    try:
        config = TemplateConfig(**parameters)
    except ConfigError as exc:
        raise _problem(source, f"bad parameters ({exc})") from None
    sites = data.get("sites")
    if not isinstance(sites, dict):
        raise _problem(source, '"sites" must be an object')
    return TemplateStore(config, {name: _parse_site(source, name, entry) for name, entry in sites.items()})


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _parse_site(source: str, name: str, entry: object) -> _Site:
    if not isinstance(entry, dict) or not _is_count(entry.get("pages")) or not isinstance(entry.get("lines"), dict):
        raise _problem(source, f'site {name!r} needs "pages" (a positive integer) and "lines" (an object)')
    pages: int = entry["pages"]
    lines: dict[int, int] = {}
    for key, count in entry["lines"].items():
        if not _HEX_KEY.fullmatch(key) or not _is_count(count) or count > pages:
            raise _problem(source, f"site {name!r}: line {key!r}: expected 16 hex digits -> pages seen (1 to {pages})")
        lines[int(key, 16)] = count
    return _Site(pages, lines)


def load_templates(path: str) -> TemplateStore:
    """Read a template file written by :meth:`TemplateStore.save` (plain JSON; never unpickles anything).

    Args:
        path: the file.

    Returns:
        The store.

    Raises:
        InputError: the file is missing, not JSON, not a template file, or of another format version.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "t.json")
        >>> with open(path, "w") as f:
        ...     _ = f.write('{"format": "textclean-templates", "version": 99}')
        >>> load_templates(path)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        textclean._errors.InputError: ...t.json: template format version 99 (...) is not supported: ...
    """
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise InputError(
            f"{path}: no such template file; check the path, or learn one with `textclean templates learn`"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the template file: {exc}") from None
    except json.JSONDecodeError as exc:
        raise _problem(path, f"malformed JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise _problem(path, "JSON nested too deeply") from None
    return _parse_store(data, path)
