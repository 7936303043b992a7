"""The built-in rule table: every boilerplate rule textclean knows, as data.

Codes are stable and never reused: ``B00x``–``B05x`` line pattern rules (one module per
family), ``B5xx`` context and structure rules (implemented in :mod:`textclean._classify`),
``B9xx`` document rules.
"""

from __future__ import annotations

from textclean._errors import ConfigError
from textclean._rule import Rule
from textclean._rules.comments import COMMENT_RULES
from textclean._rules.legal import LEGAL_RULES
from textclean._rules.navigation import NAVIGATION_RULES
from textclean._rules.page import PAGE_RULES
from textclean._rules.social import SOCIAL_RULES
from textclean._rules.structure import STRUCTURE_RULES
from textclean._rules.widgets import WIDGET_RULES

__all__ = ["PATTERN_RULES", "RULES", "rule_by_code_or_name"]

PATTERN_RULES: tuple[Rule, ...] = (
    *WIDGET_RULES,
    *PAGE_RULES,
    *LEGAL_RULES,
    *SOCIAL_RULES,
    *NAVIGATION_RULES,
    *COMMENT_RULES,
)
"""Rules that match a line on its own, by their patterns."""

RULES: tuple[Rule, ...] = (*PATTERN_RULES, *STRUCTURE_RULES)
"""Every built-in rule, in code order."""

_BY_KEY: dict[str, Rule] = {key: rule for rule in RULES for key in (rule.code.lower(), rule.name)}


def rule_by_code_or_name(key: str) -> Rule:
    """Look a built-in rule up by its code (any case) or its kebab name.

    Args:
        key: a code such as ``"B010"`` or a name such as ``"rss-footer"``.

    Returns:
        The rule.

    Raises:
        ConfigError: no built-in rule has that code or name.

    Examples:
        >>> rule_by_code_or_name("rss-footer").code
        'B010'
        >>> rule_by_code_or_name("b030").name
        'share-buttons'
    """
    rule = _BY_KEY.get(key.strip().lower())
    if rule is None:
        raise ConfigError(
            f"unknown rule {key!r}: use a code or name listed by `textclean rules` (e.g. 'B010' or 'rss-footer')"
        )
    return rule
