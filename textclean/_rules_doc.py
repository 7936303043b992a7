"""Render the rule reference (``docs/rules.md`` and ``textclean rules``) from the rule table."""

from __future__ import annotations

from typing import Literal

from textclean._rule import Rule
from textclean._rules import RULES
from textclean._rules._build import language_of

__all__ = ["all_rules", "render_rules_reference"]

_FAMILIES = (
    ("B00", "Site widgets"),
    ("B01", "Page furniture"),
    ("B02", "Legal and footer"),
    ("B03", "Social"),
    ("B04", "Navigation"),
    ("B05", "Reader comments"),
    ("B5", "Context and structure"),
    ("B9", "Document"),
    ("D0", "Repeated paragraphs in a document"),
    ("T0", "Site templates (learned from a corpus)"),
    ("D1", "Document dedup across a corpus (textclean dedup)"),
    ("D2", "Paragraph dedup across a corpus (textclean dedup --unit paragraph)"),
)


def all_rules() -> tuple[Rule, ...]:
    """Every built-in rule record: line rules, repeated paragraphs, site templates, corpus dedup."""
    from textclean._dedup_rules import DEDUP_RULES
    from textclean._paragraphs import PARAGRAPH_RULES
    from textclean._templates import TEMPLATE_RULES

    return (*RULES, *PARAGRAPH_RULES, *TEMPLATE_RULES, *DEDUP_RULES)


def render_rules_reference(fmt: Literal["markdown", "text"] = "markdown") -> str:
    """The reference of every built-in rule: code, name, summary, why, scope, examples.

    Args:
        fmt: ``"markdown"`` (docs/rules.md) or ``"text"`` (the ``textclean rules`` command).

    Returns:
        The reference, ending with a newline.

    Examples:
        >>> print(render_rules_reference("text").splitlines()[0])
        textclean rules (generated from the rule table; codes are stable and never reused)
    """
    render = _markdown if fmt == "markdown" else _text
    out = [render(None, None)]
    catalog = all_rules()
    for prefix, title in _FAMILIES:
        rules = [r for r in catalog if r.code.startswith(prefix) and not _in_narrower(r.code, prefix)]
        if rules:
            out.append(render(title, None))
            out.extend(render(None, rule) for rule in rules)
    return "\n".join(out).rstrip("\n") + "\n"


def _in_narrower(code: str, prefix: str) -> bool:
    return len(prefix) == 2 and code[:3] in {p for p, _ in _FAMILIES if len(p) == 3}


def _scope(rule: Rule) -> str:
    languages = sorted({language_of(p) for p in rule.patterns} - {"", "*"})
    words = f"lines of at most {rule.max_words} words" if rule.max_words else "lines of any length"
    where = f"phrases in {', '.join(languages)}" if languages else "language-agnostic"
    kind = where + (f"; {words}" if rule.patterns else "; implemented in code")
    return f"on from {rule.mode} mode; {kind}"


def _markdown(title: str | None, rule: Rule | None) -> str:
    if rule is None:
        if title is None:
            return (
                "# Rule reference\n\n"
                "Generated from the rule table (`textclean/_rules/`) by `textclean rules`; do not edit by hand.\n"
                "Codes are stable and never reused. Disable a rule with `disabled_rules` (code or name).\n"
            )
        return f"## {title}\n"
    lines = [
        f"### {rule.code} `{rule.name}`\n",
        f"{rule.summary}\n",
        f"**Why.** {rule.why}\n",
        f"*Scope:* {_scope(rule)}.\n",
    ]
    if rule.examples:
        lines.append("**Removed:**\n")
        lines.extend(_block(example) for example in rule.examples)
    if rule.keeps:
        lines.append("**Kept:**\n")
        lines.extend(_block(keep) for keep in rule.keeps)
    return "\n".join(lines)


def _block(example: str) -> str:
    if "\n" in example:
        return "```text\n" + example + "\n```\n"
    return f"- `{example}`"


def _text(title: str | None, rule: Rule | None) -> str:
    if rule is None:
        if title is None:
            return "textclean rules (generated from the rule table; codes are stable and never reused)\n"
        return f"{title}\n{'=' * len(title)}"
    lines = [f"{rule.code}  {rule.name}", f"    {rule.summary}", f"    why: {rule.why}", f"    scope: {_scope(rule)}"]
    lines.extend(f"    removes: {example.splitlines()[0]}" for example in rule.examples[:3])
    lines.extend(f"    keeps:   {keep.splitlines()[0]}" for keep in rule.keeps[:2])
    return "\n".join(lines) + "\n"
