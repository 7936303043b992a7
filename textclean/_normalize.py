"""Normalisation: ftfy's encoding fixes, then spaces, invisible characters and line structure.

Every line goes through the same named steps (see ``docs/normalization.md``), repeated until
nothing changes, so ``normalize(normalize(text)) == normalize(text)``. A cheap per-line gate
skips the whole pipeline for lines no step can change; its output is the same as running
every step on every line (``tests/test_normalize.py`` checks this property).
"""

from __future__ import annotations

import html
import html.entities
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal, NamedTuple

import ftfy
import regex
from ftfy.badness import is_bad
from ftfy.chardata import LIGATURES, WIDTH_MAP

from textclean._errors import ConfigError
from textclean._ftfy_gate import mojibake_clues

__all__ = [
    "STEP_NAMES",
    "NormalizeConfig",
    "NormalizeStep",
    "normalize",
    "normalize_and_explain",
    "normalize_line",
    "split_lines",
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

_TERMINATORS = "\n\r\x0b\x0c\u2028\u2029"
_TERMINATOR_RE = re.compile(f"\r\n|[{_TERMINATORS}]")
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,10}|#[xX][0-9A-Fa-f]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")
_NAMED_ENTITIES = {name[:-1]: char for name, char in html.entities.html5.items() if name.endswith(";")}
_BREAKS_TO_SPACE = dict.fromkeys(map(ord, INNER_LINE_BREAKS), " ")
_SPACES_TO_SPACE = dict.fromkeys(map(ord, UNICODE_SPACES), " ")
_COMPLEX_LETTER = r"[[\p{L}\p{M}]--[\p{Latin}\p{Greek}\p{Cyrillic}\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]]"
_ZERO_WIDTH_RE = regex.compile(
    r"(?<=[\p{Extended_Pictographic}\p{Emoji_Modifier}\ufe0f])\u200d(?=\p{Extended_Pictographic})"
    rf"|(?<={_COMPLEX_LETTER})[\u200c\u200d](?={_COMPLEX_LETTER})"
    rf"|(?P<drop>[{ZERO_WIDTH}])",
    regex.V1,
)
_MAX_PASSES = 8  # a pass never oscillates in practice; the cap only bounds adversarial input


@dataclass(frozen=True)
class NormalizeConfig:
    """Options of :func:`normalize`; the defaults suit language-model training data.

    Attributes:
        fix_encoding: repair mojibake with ftfy (text decoded in the wrong encoding, such as
            ``Ã©`` for ``é``), and read stray C1 controls as Windows-1252, as browsers do.
        html_entities: ``"strict"`` decodes only well-formed references ended by ``;``:
            HTML5 named ones (case-sensitive, ``&eacute;``) and numeric ones (``&#8217;``,
            ``&#x2019;``); legacy forms without ``;`` (``&copy``, ``?a=1&para=2``) stay.
            A ``<`` in the text does not switch decoding off. ``"none"`` decodes nothing.
        unicode_form: the Unicode normal form, ``"NFC"``, ``"NFKC"`` (also folds
            compatibility characters such as ``²`` and ``ﬁ``) or ``"none"``.
        uncurl_quotes: replace curly quotes (and ``ʼ``) with ``'`` and ``"``.
        fix_character_width: fold full-width Latin and half-width Katakana to standard width.
        fix_latin_ligatures: split Latin ligatures such as ``ﬁ`` into letters.
        normalize_spaces: replace every Unicode space separator (no-break, thin,
            ideographic, …) with a plain space.
        remove_zero_width: remove zero-width space, word joiner, soft hyphen and BOM, and
            zero-width (non-)joiners except where they carry meaning: inside emoji sequences
            and between letters of scripts that use them (Arabic, Persian, Indic, …).
        remove_control_characters: remove C0 and C1 control characters (tab is kept) and
            ftfy's other invisible controls.
        remove_terminal_escapes: remove ANSI terminal escapes such as ``ESC[31m``.
        remove_bidi_controls: also remove bidirectional marks and embeddings (off: they
            can change how mixed right-to-left text reads).
    """

    fix_encoding: bool = True
    html_entities: Literal["strict", "none"] = "strict"
    unicode_form: Literal["NFC", "NFKC", "none"] = "NFC"
    uncurl_quotes: bool = False
    fix_character_width: bool = False
    fix_latin_ligatures: bool = False
    normalize_spaces: bool = True
    remove_zero_width: bool = True
    remove_control_characters: bool = True
    remove_terminal_escapes: bool = True
    remove_bidi_controls: bool = False

    def __post_init__(self) -> None:
        if self.html_entities not in ("strict", "none"):
            raise ConfigError(f"html_entities must be 'strict' or 'none', not {self.html_entities!r}")
        if self.unicode_form not in ("NFC", "NFKC", "none"):
            raise ConfigError(f"unicode_form must be 'NFC', 'NFKC' or 'none', not {self.unicode_form!r}")


@dataclass(frozen=True)
class NormalizeStep:
    """A named step that changed something, and how often.

    Attributes:
        name: the stable kebab-case step name (listed in ``docs/normalization.md``).
        count: for per-line steps, the number of lines it changed; for
            ``unify-line-endings``, the terminators rewritten; for ``collapse-blank-lines``,
            the blank lines dropped.
    """

    name: str
    count: int


class _Plan(NamedTuple):
    """Everything derived from one config, built once."""

    trigger: re.Pattern[str]  # a character some step may change
    text_trigger: re.Pattern[str]  # the same, less the line terminators
    ftfy_trigger: re.Pattern[str]  # a character some enabled ftfy fixer may change
    check_mojibake: bool
    form: Literal["NFC", "NFKC"] | None
    entities: bool
    ftfy_quiet: ftfy.TextFixerConfig
    ftfy_explain: ftfy.TextFixerConfig
    own_steps: tuple[tuple[str, Callable[[str], str]], ...]


def _char_class(chars: Iterable[str]) -> str:
    return "".join(re.escape(char) for char in sorted(set(chars)))


def _build_plan(config: NormalizeConfig) -> _Plan:
    ftfy_chars = "\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\u206a-\u206f\ufeff\ufff9-\ufffc"
    if config.fix_latin_ligatures:
        ftfy_chars += _char_class(map(chr, LIGATURES))
    if config.fix_character_width:
        ftfy_chars += _char_class(map(chr, WIDTH_MAP))
    if config.uncurl_quotes:
        ftfy_chars += "\u02bc\u2018-\u201f"
    own_chars = "&" if config.html_entities == "strict" else ""
    own_chars += UNICODE_SPACES if config.normalize_spaces else ""
    own_chars += ZERO_WIDTH if config.remove_zero_width else ""
    own_chars += BIDI_CONTROLS if config.remove_bidi_controls else ""
    ftfy_config = ftfy.TextFixerConfig(
        unescape_html=False,  # decoded by our strict step instead
        remove_terminal_escapes=config.remove_terminal_escapes,
        fix_encoding=config.fix_encoding,
        fix_c1_controls=config.fix_encoding,
        fix_latin_ligatures=config.fix_latin_ligatures,
        fix_character_width=config.fix_character_width,
        uncurl_quotes=config.uncurl_quotes,
        remove_control_chars=config.remove_control_characters,
        normalization=None if config.unicode_form == "none" else config.unicode_form,
        explain=False,
    )
    return _Plan(
        trigger=re.compile(f"[{_TERMINATORS}{ftfy_chars}{own_chars}]"),
        text_trigger=re.compile(f"[{ftfy_chars}{own_chars}]"),
        ftfy_trigger=re.compile(f"[{_TERMINATORS}{ftfy_chars}]"),
        check_mojibake=config.fix_encoding,
        form=None if config.unicode_form == "none" else config.unicode_form,
        entities=config.html_entities == "strict",
        ftfy_quiet=ftfy_config,
        ftfy_explain=ftfy_config._replace(explain=True),
        own_steps=_own_steps(config),
    )


def _own_steps(config: NormalizeConfig) -> tuple[tuple[str, Callable[[str], str]], ...]:
    removed = CONTROL_CHARACTERS if config.remove_control_characters else ""
    removed += BIDI_CONTROLS if config.remove_bidi_controls else ""
    steps: list[tuple[str, Callable[[str], str]]] = [("replace-inner-line-breaks", _replace_inner_breaks)]
    if config.normalize_spaces:
        steps.append(("normalize-spaces", _normalize_spaces))
    if config.remove_zero_width:
        steps.append(("remove-zero-width", _remove_zero_width))
    if removed:
        removed_re = re.compile(f"[{removed}]")
        steps.append(("remove-control-characters", lambda text: removed_re.sub("", text)))
    return tuple(steps)


def _replace_inner_breaks(text: str) -> str:
    return text.translate(_BREAKS_TO_SPACE)


def _normalize_spaces(text: str) -> str:
    return text.translate(_SPACES_TO_SPACE)


def _keep_or_drop(match: regex.Match[str]) -> str:
    return "" if match.group("drop") is not None else str(match.group())


def _remove_zero_width(text: str) -> str:
    return str(_ZERO_WIDTH_RE.sub(_keep_or_drop, text))


def _decode_entity(match: re.Match[str]) -> str:
    reference = match.group()
    if reference[1] == "#":
        return html.unescape(reference)
    return _NAMED_ENTITIES.get(reference[1:-1], reference)


_DEFAULT_CONFIG = NormalizeConfig()
_PLANS: dict[NormalizeConfig, _Plan] = {}
_last: tuple[NormalizeConfig, _Plan] = (_DEFAULT_CONFIG, _build_plan(_DEFAULT_CONFIG))


def _plan_for(config: NormalizeConfig | None) -> _Plan:
    global _last
    config = _DEFAULT_CONFIG if config is None else config
    last_config, last_plan = _last
    if config is last_config:
        return last_plan
    plan = _PLANS.get(config)
    if plan is None:
        plan = _PLANS[config] = _build_plan(config)
    _last = (config, plan)
    return plan


def _looks_fixed(text: str, plan: _Plan) -> bool:
    """No mojibake by ftfy's own pre-check, and already in the normal form."""
    if plan.check_mojibake and _MOJIBAKE_CLUE_RE.search(text) is not None and is_bad(text):
        return False
    return plan.form is None or unicodedata.is_normalized(plan.form, text)


def _is_clean(text: str, plan: _Plan) -> bool:
    """The gate: True only if no step can change ``text`` (already right-stripped)."""
    return plan.trigger.search(text) is None and (text.isascii() or _looks_fixed(text, plan))


def _ftfy_is_identity(text: str, plan: _Plan) -> bool:
    """True only if every enabled ftfy fixer leaves ``text`` unchanged."""
    return plan.ftfy_trigger.search(text) is None and (text.isascii() or _looks_fixed(text, plan))


_MOJIBAKE_CLUE_RE = re.compile(f"[{mojibake_clues()}]")


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


def _ftfy_step_name(action: str, parameter: str) -> str | None:
    if action == "normalize":
        return "normalize-unicode"
    if action == "decode":
        return "fix-c1-controls" if parameter == "windows-1252" else "fix-mojibake"
    return _FTFY_NAMES.get(parameter)  # None for "encode" and the transcoders inside a decode


def _run_ftfy(text: str, plan: _Plan, seen: set[str] | None) -> str:
    if seen is None:
        return ftfy.fix_and_explain(text, plan.ftfy_quiet).text
    fixed, explanation = ftfy.fix_and_explain(text, plan.ftfy_explain)
    if fixed != text:
        names = (_ftfy_step_name(action, parameter) for action, parameter in explanation or ())
        seen.update(name for name in names if name is not None)
    return fixed


def _apply(name: str, step: Callable[[str], str], text: str, seen: set[str] | None) -> str:
    fixed = step(text)
    if seen is not None and fixed != text:
        seen.add(name)
    return fixed


def _decode_entities(text: str) -> str:
    return _ENTITY_RE.sub(_decode_entity, text)


def _one_pass(text: str, plan: _Plan, gated: bool, seen: set[str] | None) -> str:
    if plan.entities and "&" in text:
        text = _apply("decode-html-entities", _decode_entities, text, seen)
    if not (gated and _ftfy_is_identity(text, plan)):
        text = _run_ftfy(text, plan, seen)
    for name, step in plan.own_steps:
        text = _apply(name, step, text, seen)
    return _apply("strip-trailing-whitespace", str.rstrip, text, seen)


def _fix_line(line: str, plan: _Plan, gated: bool = True, seen: set[str] | None = None) -> str:
    """Run passes to a fixed point; ``gated=False`` is the reference the gate must match."""
    text = line.rstrip()
    if seen is not None and len(text) != len(line):
        seen.add("strip-trailing-whitespace")
    if gated and _is_clean(text, plan):
        return text
    for _ in range(_MAX_PASSES):
        fixed = _one_pass(text, plan, gated, seen)
        if fixed == text or (gated and _is_clean(fixed, plan)):  # the gate proves the next pass idle
            return fixed
        text = fixed
    return text


def split_lines(text: str) -> list[tuple[int, int]]:
    r"""Find the lines of ``text`` as ``(start, end)`` spans, terminators excluded.

    Terminators are ``\r\n``, ``\n``, ``\r``, ``\v``, ``\f``, U+2028 and U+2029. U+0085 and
    ``\x1c``–``\x1e`` are not: they are mojibake or controls, fixed inside the line.

    Args:
        text: any text.

    Returns:
        One span per line; a final terminator does not start another line.

    Example:
        >>> split_lines("a\r\nbc\n\nd\n")
        [(0, 1), (3, 5), (6, 6), (7, 8)]
    """
    spans = []
    start = 0
    for match in _TERMINATOR_RE.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _lines(text: str) -> list[str]:
    """The line strings of :func:`split_lines`, faster."""
    lines = _TERMINATOR_RE.split(text)
    if not lines[-1]:
        lines.pop()
    return lines


def normalize_line(line: str, config: NormalizeConfig | None = None) -> str:
    r"""Normalise one line: the output never contains a line break and has no trailing space.

    Args:
        line: one line, without its terminator (one inside is turned into a space).
        config: the options; ``None`` means the defaults.

    Returns:
        The normalised line (empty if nothing visible is left).

    Example:
        >>> normalize_line("Caf\u00c3\u00a9 &amp; cr\u00e8me\u00a0br\u00fbl\u00e9e\u200b  ")
        'Café & crème brûlée'
    """
    plan = _plan_for(config)
    text = line.rstrip()
    if plan.trigger.search(text) is None and (text.isascii() or _looks_fixed(text, plan)):
        return text
    return _fix_line(text, plan)


def _collapse_blank_lines(lines: list[str]) -> str:
    kept = []
    previous_blank = True  # so leading blank lines are dropped
    for line in lines:
        if line or not previous_blank:
            kept.append(line)
        previous_blank = not line
    if kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)


def normalize(text: str, config: NormalizeConfig | None = None) -> str:
    r"""Normalise a text line by line, collapse blank-line runs, drop edge blank lines.

    Args:
        text: any text.
        config: the options; ``None`` means the defaults.

    Returns:
        The normalised lines joined with ``\n`` (no final newline).

    Example:
        >>> normalize("\r\nIt\u00e2\u0080\u0099s  \r\n\r\n\r\n&lt;ok&gt;\n")
        'It’s\n\n<ok>'
    """
    plan = _plan_for(config)
    lines = _lines(text)
    if text.isascii() and plan.text_trigger.search(text) is None:
        return _collapse_blank_lines([line.rstrip() for line in lines])
    trigger, fix = plan.trigger, _fix_line
    fixed = []
    for line in lines:
        stripped = line.rstrip()
        if trigger.search(stripped) is None and (stripped.isascii() or _looks_fixed(stripped, plan)):
            fixed.append(stripped)
        else:
            fixed.append(fix(stripped, plan))
    return _collapse_blank_lines(fixed)


def normalize_and_explain(
    text: str, config: NormalizeConfig | None = None
) -> tuple[str, tuple[NormalizeStep, ...]]:
    r"""Normalise like :func:`normalize`, and name the steps that changed something.

    Args:
        text: any text.
        config: the options; ``None`` means the defaults.

    Returns:
        The normalised text, and the steps in pipeline order with their counts.

    Example:
        >>> text, steps = normalize_and_explain("caf\u00c3\u00a9\r\n\r\n\r\nAT&amp;T ")
        >>> text
        'café\n\nAT&T'
        >>> [(step.name, step.count) for step in steps]  # doctest: +NORMALIZE_WHITESPACE
        [('unify-line-endings', 3), ('decode-html-entities', 1), ('fix-mojibake', 1),
         ('strip-trailing-whitespace', 1), ('collapse-blank-lines', 1)]
    """
    plan = _plan_for(config)
    counts: Counter[str] = Counter()
    counts["unify-line-endings"] = sum(match.group() != "\n" for match in _TERMINATOR_RE.finditer(text))
    fixed = []
    for line in _lines(text):
        seen: set[str] = set()
        fixed.append(_fix_line(line, plan, seen=seen))
        counts.update(seen)
    result = _collapse_blank_lines(fixed)
    counts["collapse-blank-lines"] = len(fixed) - (result.count("\n") + 1 if result else 0)
    steps = (NormalizeStep(name, counts[name]) for name in STEP_NAMES if counts[name])
    return result, tuple(steps)


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
