"""The cleaning configuration: one immutable object, variants by ``dataclasses.replace``."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from textclean._errors import ConfigError
from textclean._normalize import NormalizeConfig
from textclean._rule import MODES, Mode, Rule

__all__ = ["CleanConfig", "load_config"]


@dataclass(frozen=True)
class CleanConfig:
    """Every option of the cleaner.

    Attributes:
        normalize: the normalisation options (see :class:`NormalizeConfig`).
        mode: the precision/recall preset: ``"conservative"`` removes only lines that are
            chrome beyond doubt, ``"balanced"`` (default) also uses shape and context,
            ``"aggressive"`` also removes short uncertain lines at the page edges.
        disabled_rules: codes or names of rules to switch off (e.g. ``{"B012", "read-more"}``).
        extra_rules: user rules, applied after the built-in ones (codes must start with ``U``).
        languages: ISO 639-1 codes whose phrase rules are used; empty (default) means all.
        keep_comments: keep reader-comment sections instead of removing them.
        dedup_paragraphs: drop later copies of paragraphs repeated inside one document.
        near_duplicate_threshold: estimated Jaccard similarity (word 3-grams) at or above which a
            later paragraph is a near-copy of an earlier one; ``None`` keeps exact copies only.
        near_duplicate_min_words: paragraphs shorter than this are deduplicated exactly only.
        num_perm: MinHash permutations used for near-duplicate paragraphs.
        seed: MinHash seed.
    """

    normalize: NormalizeConfig = field(default_factory=NormalizeConfig)
    mode: Mode = "balanced"
    disabled_rules: frozenset[str] = frozenset()
    extra_rules: tuple[Rule, ...] = ()
    languages: frozenset[str] = frozenset()
    keep_comments: bool = False
    dedup_paragraphs: bool = True
    near_duplicate_threshold: float | None = 0.8
    near_duplicate_min_words: int = 8
    num_perm: int = 128
    seed: int = 1

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ConfigError(f"mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        threshold = self.near_duplicate_threshold
        if threshold is not None and not 0.0 < threshold <= 1.0:
            raise ConfigError(f"near_duplicate_threshold must be in (0, 1], not {threshold!r}")
        if self.num_perm < 16:
            raise ConfigError(f"num_perm must be at least 16, not {self.num_perm}")
        for rule in self.extra_rules:
            if not rule.code.startswith("U"):
                raise ConfigError(f"user rule {rule.name!r}: its code {rule.code!r} must start with 'U'")


def load_config(path: str, base: CleanConfig | None = None) -> CleanConfig:
    """Read a TOML configuration file (documented in docs/configuration.md)."""
    raise NotImplementedError  # written next, with the TOML schema


def _replace(config: CleanConfig, **changes: Any) -> CleanConfig:
    return dataclasses.replace(config, **changes)
