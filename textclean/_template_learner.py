"""Learning site templates: count, per site, on how many distinct pages each line occurs."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, fields
from typing import Any

from textclean._errors import ConfigError
from textclean._normalize import NormalizeConfig, normalize_lines
from textclean._templates import TemplateConfig, TemplateStore, _key, _Site

__all__ = ["TemplateLearner", "learn_templates"]

_WORD_BITS = 10  # a line's word count (capped) is packed into the low bits of its page count
_WORD_MASK = (1 << _WORD_BITS) - 1


class TemplateLearner:
    """Counts, per site, on how many distinct pages each line occurs; :meth:`build` makes the store.

    The only stateful part of the templates. Each distinct line is counted once per page, and a page
    whose normalised text was already seen on its site (an exact copy) is not counted again, so a site
    mirrored twice does not turn its articles into template. The result does not depend on the order
    of the pages.

    Args:
        normalize: the normalisation options; use the cleaner's (``config.normalize``) so that the keys
            learned are the keys the cleaner looks up.

    Example:
        >>> learner = TemplateLearner()
        >>> for n in range(6):
        ...     learner.add("example.com", f"Example News\\nStory {'ab'[n % 2] * (n + 1)}.")
        >>> store = learner.build()
        >>> store.sites, store.template_size("example.com"), learner.pages_added
        (('example.com',), 1, 6)
    """

    def __init__(self, normalize: NormalizeConfig | None = None) -> None:
        self.normalize = normalize
        self.pages_added = 0
        self.duplicate_pages = 0
        self._counts: dict[str, dict[int, int]] = {}  # site -> key -> (pages << _WORD_BITS | capped words)
        self._fingerprints: dict[str, set[bytes]] = {}

    def __repr__(self) -> str:
        return f"TemplateLearner({len(self._counts)} sites, {self.pages_added} pages)"

    def add(self, site: str, text: str) -> None:
        """Count the lines of one page of ``site`` (blank lines are ignored).

        Example:
            >>> learner = TemplateLearner()
            >>> learner.add("a.org", "Home\\nHome\\n\\nText")
            >>> learner.add("a.org", "Home\\nHome\\nText")  # the same lines: counted once
            >>> learner.pages_added, learner.duplicate_pages
            (2, 1)
        """
        self.pages_added += 1
        words: dict[int, int] = {}
        page = hashlib.blake2b(digest_size=16)
        for line in normalize_lines(text, self.normalize)[1]:
            if line:
                words[_key(line)] = min(len(line.split()), _WORD_MASK)
                page.update(line.encode("utf-8", "surrogatepass") + b"\n")
        if not words:
            return
        fingerprint = page.digest()
        seen = self._fingerprints.setdefault(site, set())
        if fingerprint in seen:
            self.duplicate_pages += 1
            return
        seen.add(fingerprint)
        counts = self._counts.setdefault(site, {})
        for key, length in words.items():
            packed = counts.get(key)
            counts[key] = (1 << _WORD_BITS | length) if packed is None else packed + (1 << _WORD_BITS)

    def build(self, config: TemplateConfig | None = None, **overrides: Any) -> TemplateStore:
        """The templates of the sites with enough pages.

        Args:
            config: the thresholds (default :class:`TemplateConfig`).
            **overrides: fields of ``config`` to change, e.g. ``min_pages=10, min_share=0.6``.

        Returns:
            An immutable store; the learner can go on counting.

        Raises:
            ConfigError: a threshold is out of range or unknown.

        Example:
            >>> TemplateLearner().build(min_share=2.0)
            Traceback (most recent call last):
            ...
            textclean._errors.ConfigError: template min_share must be a share in (0, 1], e.g. 0.5, not 2.0
        """
        config = _with_overrides(config or TemplateConfig(), overrides)
        sites: dict[str, _Site] = {}
        for site, counts in self._counts.items():
            pages = len(self._fingerprints[site])
            if pages < config.min_pages:
                continue
            lines = {
                key: packed >> _WORD_BITS
                for key, packed in counts.items()
                if config.is_template(packed >> _WORD_BITS, pages, packed & _WORD_MASK)
            }
            sites[site] = _Site(pages, dict(sorted(lines.items())))
        return TemplateStore(config, dict(sorted(sites.items())))


def _with_overrides(config: TemplateConfig, overrides: Mapping[str, Any]) -> TemplateConfig:
    names = {f.name for f in fields(TemplateConfig)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise ConfigError(f"unknown template option(s) {', '.join(unknown)}: use {', '.join(sorted(names))}")
    changes = {name: value for name, value in overrides.items() if value is not None}
    return TemplateConfig(**{**asdict(config), **changes})


def learn_templates(
    pages: Iterable[tuple[str | None, str]],
    config: TemplateConfig | None = None,
    *,
    normalize: NormalizeConfig | None = None,
    **overrides: Any,
) -> TemplateStore:
    """Learn site templates from ``(site, text)`` pairs in one call (pages without a site are skipped).

    Args:
        pages: ``(site, text)`` pairs; ``site`` ``None`` or empty skips the page.
        config: the thresholds (default :class:`TemplateConfig`).
        normalize: the cleaner's normalisation options.
        **overrides: fields of ``config`` to change, e.g. ``min_pages=3``.

    Returns:
        The store, to pass to ``Cleaner(config, templates=store)``.

    Example:
        >>> from textclean import Cleaner
        >>> pages = [("news.example", f"Subscribe to News Example today\\nThe council met on {day} and voted.")
        ...          for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")]
        >>> store = learn_templates(pages)
        >>> result = Cleaner(templates=store).clean(pages[0][1], site="news.example")
        >>> result.text, result.removed[0].evidence
        ('The council met on Monday and voted.', 'seen on 5 of 5 pages of news.example')
    """
    learner = TemplateLearner(normalize)
    for site, text in pages:
        if site:
            learner.add(site, text)
    return learner.build(config, **overrides)
