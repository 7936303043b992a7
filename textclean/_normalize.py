"""Normalisation (first cut; being replaced by the full implementation)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["NormalizeConfig", "normalize", "normalize_line"]


@dataclass(frozen=True)
class NormalizeConfig:
    """Options of :func:`normalize`."""

    fix_encoding: bool = True
    html_entities: Literal["strict", "none"] = "strict"
    unicode_form: Literal["NFC", "NFKC", "none"] = "NFC"
    uncurl_quotes: bool = False
    fix_character_width: bool = False
    fix_latin_ligatures: bool = False


def normalize_line(line: str, config: NormalizeConfig | None = None) -> str:
    """Normalise one line (no line breaks in, none out)."""
    return line.replace("\u00a0", " ").rstrip()


def normalize(text: str, config: NormalizeConfig | None = None) -> str:
    """Normalise a whole text."""
    return "\n".join(normalize_line(line, config) for line in text.splitlines())
