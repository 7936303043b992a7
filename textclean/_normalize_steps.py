"""The named normalisation steps: textclean's own, each a plain ``str -> str`` function, and ftfy's.

ftfy does the encoding repairs; textclean's steps add strict HTML entity decoding, Unicode
spaces, zero-width characters (with the ZWJ/ZWNJ policy), inner line breaks and control
characters (see ``docs/normalization.md``). :func:`own_steps` lists the enabled ones, named, in
order; :func:`ftfy_step_name` names what ftfy's explanation reports; :data:`STEP_NAMES` lists
every name.
"""

from __future__ import annotations

import html
import html.entities
import re
from collections.abc import Callable

import regex

__all__ = [
    "BIDI_CONTROLS",
    "CONTROL_CHARACTERS",
    "ENTITY_RE",
    "INNER_LINE_BREAKS",
    "STEP_NAMES",
    "UNICODE_SPACES",
    "ZERO_WIDTH",
    "decode_entities",
    "ftfy_step_name",
    "own_steps",
]

#: Every Unicode space separator (category Zs) except U+0020 itself.
UNICODE_SPACES = "\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
#: Invisible characters removed by ``remove_zero_width`` (ZWNJ/ZWJ only outside meaningful contexts).
ZERO_WIDTH = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
#: Bidirectional marks and embeddings, removed only with ``remove_bidi_controls``.
BIDI_CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: C0 (except tab and the terminators), DEL, C1, and ftfy's other invisible controls.
CONTROL_CHARACTERS = "\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u206a-\u206f\ufff9-\ufffc"
#: Characters that break a line inside a line; each becomes one space (never output by normalize_line).
INNER_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
#: A reference the strict entity step decodes (named ones only if HTML5 knows them).
ENTITY_RE = re.compile(r"&(?:#[0-9]{1,10}|#[xX][0-9A-Fa-f]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")

Step = tuple[str, Callable[[str], str]]

_NAMED_ENTITIES = {name[:-1]: char for name, char in html.entities.html5.items() if name.endswith(";")}
_INNER_LINE_BREAK_RE = re.compile(f"[{INNER_LINE_BREAKS}]")  # faster than str.translate on non-ASCII text
_UNICODE_SPACE_RE = re.compile(f"[{UNICODE_SPACES}]")
_COMPLEX_LETTER = r"[[\p{L}\p{M}]--[\p{Latin}\p{Greek}\p{Cyrillic}\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]]"
_ZERO_WIDTH_RE = regex.compile(
    r"(?<=[\p{Extended_Pictographic}\p{Emoji_Modifier}\ufe0f])\u200d(?=\p{Extended_Pictographic})"
    rf"|(?<={_COMPLEX_LETTER})[\u200c\u200d](?={_COMPLEX_LETTER})"
    rf"|(?P<drop>[{ZERO_WIDTH}])",
    regex.V1,
)


#: Every step name, in pipeline order (the order of :func:`normalize_and_explain`'s steps).
STEP_NAMES = (
    "unify-line-endings",
    "decode-html-entities",
    "fix-mojibake",
    "fix-c1-controls",
    "fix-latin-ligatures",
    "fix-character-width",
    "uncurl-quotes",
    "fix-surrogates",
    "remove-terminal-escapes",
    "normalize-unicode",
    "replace-inner-line-breaks",
    "normalize-spaces",
    "remove-zero-width",
    "remove-control-characters",
    "strip-trailing-whitespace",
    "collapse-blank-lines",
)

_FTFY_NAMES = {
    "decode_inconsistent_utf8": "fix-mojibake",
    "fix_c1_controls": "fix-c1-controls",
    "fix_latin_ligatures": "fix-latin-ligatures",
    "fix_character_width": "fix-character-width",
    "uncurl_quotes": "uncurl-quotes",
    "fix_line_breaks": "replace-inner-line-breaks",
    "fix_surrogates": "fix-surrogates",
    "remove_terminal_escapes": "remove-terminal-escapes",
    "remove_control_chars": "remove-control-characters",
}


def ftfy_step_name(action: str, parameter: str) -> str | None:
    """The step name of one ``(action, parameter)`` of ftfy's explanation, or None if it names no step.

    Example:
        >>> ftfy_step_name("decode", "windows-1252"), ftfy_step_name("apply", "uncurl_quotes")
        ('fix-c1-controls', 'uncurl-quotes')
    """
    if action == "normalize":
        return "normalize-unicode"
    if action == "decode":
        return "fix-c1-controls" if parameter == "windows-1252" else "fix-mojibake"
    return _FTFY_NAMES.get(parameter)  # None for "encode" and the transcoders inside a decode


def own_steps(
    *, normalize_spaces: bool, remove_zero_width: bool, remove_control_characters: bool, remove_bidi_controls: bool
) -> tuple[Step, ...]:
    """The enabled steps that run after ftfy, as ``(name, function)`` pairs in pipeline order.

    Example:
        >>> steps = own_steps(normalize_spaces=True, remove_zero_width=False,
        ...                   remove_control_characters=False, remove_bidi_controls=False)
        >>> [(name, step("a\\u00a0b\\u2028c")) for name, step in steps]
        [('replace-inner-line-breaks', 'a\\xa0b c'), ('normalize-spaces', 'a b\\u2028c')]
    """
    removed = CONTROL_CHARACTERS if remove_control_characters else ""
    removed += BIDI_CONTROLS if remove_bidi_controls else ""
    steps: list[Step] = [("replace-inner-line-breaks", _replace_inner_breaks)]
    if normalize_spaces:
        steps.append(("normalize-spaces", _normalize_spaces))
    if remove_zero_width:
        steps.append(("remove-zero-width", _remove_zero_width))
    if removed:
        removed_re = re.compile(f"[{removed}]")
        steps.append(("remove-control-characters", lambda text: removed_re.sub("", text)))
    return tuple(steps)


def decode_entities(text: str) -> str:
    """Decode the well-formed references ended by ``;`` (the ``"strict"`` policy).

    Example:
        >>> decode_entities("AT&amp;T &copy 2024 &#8217; &EACUTE;")
        'AT&T &copy 2024 ’ &EACUTE;'
    """
    return ENTITY_RE.sub(_decode_entity, text)


def _replace_inner_breaks(text: str) -> str:
    return _INNER_LINE_BREAK_RE.sub(" ", text)


def _normalize_spaces(text: str) -> str:
    return _UNICODE_SPACE_RE.sub(" ", text)


def _keep_or_drop(match: regex.Match[str]) -> str:
    return "" if match.group("drop") is not None else str(match.group())


def _remove_zero_width(text: str) -> str:
    return str(_ZERO_WIDTH_RE.sub(_keep_or_drop, text))


def _decode_entity(match: re.Match[str]) -> str:
    reference = match.group()
    if reference[1] == "#":
        return html.unescape(reference)
    return _NAMED_ENTITIES.get(reference[1:-1], reference)
