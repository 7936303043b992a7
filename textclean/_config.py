"""The cleaning configuration: one immutable object, variants by ``dataclasses.replace``."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import regex

from textclean._errors import ConfigError
from textclean._normalize import NormalizeConfig
from textclean._rule import MODES, Mode, Rule

__all__ = ["CleanConfig", "config_from_mapping", "load_config"]


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
        evidence: say why each line was removed (:attr:`Removal.evidence`: the matched text, the line
            model's strongest features...). ``False`` skips building it, which is much faster when only the
            cleaned text and the counts are wanted (the CLI's choice without ``--report``, ``--explain`` and
            ``--annotate``): the text and the line counts by code are the same, every removal's evidence is
            empty, and consecutive lines removed by the same rule form one removal.
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
    evidence: bool = True

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ConfigError(f"mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        threshold = self.near_duplicate_threshold
        if threshold is not None and not 0.0 < threshold <= 1.0:
            raise ConfigError(f"near_duplicate_threshold must be in (0, 1], not {threshold!r}")
        if self.near_duplicate_min_words < 1:
            raise ConfigError(f"near_duplicate_min_words must be at least 1, not {self.near_duplicate_min_words}")
        if self.num_perm < 16:
            raise ConfigError(f"num_perm must be at least 16, not {self.num_perm}")
        for rule in self.extra_rules:
            if not rule.code.startswith("U"):
                raise ConfigError(f"user rule {rule.name!r}: its code {rule.code!r} must start with 'U'")


def load_config(path: str, base: CleanConfig | None = None) -> CleanConfig:
    """Read a TOML configuration file over ``base`` (default: the defaults).

    The file's keys are those of docs/configuration.md; they may stand at the top level or
    under a ``[textclean]`` table (so a ``pyproject.toml`` section works too). Unknown keys
    are errors, so a typo never silently does nothing.

    Examples:
        >>> import os, tempfile
        >>> with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
        ...     _ = f.write('mode = "conservative"\\ndisable = ["read-more"]\\n')
        >>> config = load_config(f.name)
        >>> config.mode, sorted(config.disabled_rules)
        ('conservative', ['read-more'])
        >>> os.unlink(f.name)
    """
    if sys.version_info >= (3, 11):  # imported here: a run without a configuration file never needs it
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    if isinstance(data.get("textclean"), dict) and len(data) == 1:
        data = data["textclean"]
    return config_from_mapping(data, base=base, source=path)


_TOP_KEYS = {"mode", "languages", "keep_comments", "evidence", "disable", "paragraphs", "normalize", "rules"}
_PARAGRAPH_KEYS = {
    "dedup": "dedup_paragraphs",
    "near_threshold": "near_duplicate_threshold",
    "min_words": "near_duplicate_min_words",
    "num_perm": "num_perm",
    "seed": "seed",
}
_RULE_KEYS = {"code", "name", "summary", "why", "patterns", "max_words", "examples", "keeps"}


def config_from_mapping(
    data: Mapping[str, Any], *, base: CleanConfig | None = None, source: str = "config"
) -> CleanConfig:
    """Build a configuration from a parsed TOML/JSON mapping (the schema of :func:`load_config`)."""
    config = base or CleanConfig()
    _check_keys(data, _TOP_KEYS, source)
    changes: dict[str, Any] = {}
    if "mode" in data:
        changes["mode"] = data["mode"]
    if "languages" in data:
        changes["languages"] = frozenset(_str_list(data["languages"], "languages", source))
    if "keep_comments" in data:
        changes["keep_comments"] = _bool(data["keep_comments"], "keep_comments", source)
    if "evidence" in data:
        changes["evidence"] = _bool(data["evidence"], "evidence", source)
    if "disable" in data:
        changes["disabled_rules"] = config.disabled_rules | frozenset(_str_list(data["disable"], "disable", source))
    paragraphs = _table(data.get("paragraphs", {}), "paragraphs", source)
    _check_keys(paragraphs, set(_PARAGRAPH_KEYS), f"{source}: [paragraphs]")
    for key, attribute in _PARAGRAPH_KEYS.items():
        if key in paragraphs:
            value = paragraphs[key]
            changes[attribute] = None if key == "near_threshold" and value is False else value
    normalize = _table(data.get("normalize", {}), "normalize", source)
    if normalize:
        known = {f.name for f in dataclasses.fields(NormalizeConfig)}
        _check_keys(normalize, known, f"{source}: [normalize]")
        changes["normalize"] = dataclasses.replace(config.normalize, **normalize)
    if "rules" in data:
        changes["extra_rules"] = config.extra_rules + tuple(_user_rules(data["rules"], source))
    try:
        return dataclasses.replace(config, **changes)
    except TypeError as exc:
        raise ConfigError(f"{source}: {exc}") from None


def _user_rules(items: Any, source: str) -> list[Rule]:
    if not isinstance(items, list):
        raise ConfigError(f"{source}: 'rules' must be an array of tables ([[rules]])")
    rules = []
    for number, item in enumerate(items, start=1):
        where = f"{source}: rule #{number}"
        item = _table(item, f"rule #{number}", source)
        _check_keys(item, _RULE_KEYS, where)
        missing = [k for k in ("code", "name", "patterns") if k not in item]
        if missing:
            raise ConfigError(f"{where}: missing {', '.join(missing)}")
        patterns = tuple(_str_list(item["patterns"], "patterns", where))
        for pattern in patterns:
            try:
                regex.compile(pattern)
            except regex.error as exc:
                raise ConfigError(f"{where}: pattern {pattern!r} is not a valid regular expression: {exc}") from None
        rules.append(
            Rule(
                code=str(item["code"]),
                name=str(item["name"]),
                summary=str(item.get("summary", "User rule.")),
                why=str(item.get("why", "Configured by the user.")),
                patterns=patterns,
                max_words=item.get("max_words"),
                examples=tuple(_str_list(item.get("examples", []), "examples", where)),
                keeps=tuple(_str_list(item.get("keeps", []), "keeps", where)),
            )
        )
    return rules


def _check_keys(data: Mapping[str, Any], known: set[str], where: str) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; known keys: {', '.join(sorted(known))}")


def _table(value: Any, name: str, source: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: {name!r} must be a table")
    return value


def _str_list(value: Any, name: str, source: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{source}: {name!r} must be a list of strings")
    return value


def _bool(value: Any, name: str, source: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{source}: {name!r} must be true or false")
    return value
