"""Normalisation: ftfy's encoding fixes, then spaces, invisible characters and line structure.

Every line goes through the same named steps (see ``docs/normalization.md``), repeated until
nothing changes, so ``normalize(normalize(text)) == normalize(text)``. A cheap per-line gate
skips the whole pipeline for lines no step can change, and one scan of the whole document
(``_normalize_lines``) finds the few lines the gate must look at; the output is the same as
running every step on every line (``tests/test_normalize*.py`` check these properties).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal, NamedTuple

import ftfy
from ftfy.chardata import LIGATURES, WIDTH_MAP

from textclean._errors import ConfigError
from textclean._ftfy_gate import clue_contexts, looks_bad, mojibake_clues
from textclean._normalize_lines import (
    TERMINATOR_RE,
    TERMINATORS,
    DocumentScan,
    document_scan,
    split_lines,
    split_pieces,
)
from textclean._normalize_scan import scan_document
from textclean._normalize_steps import (
    BIDI_CONTROLS,
    ENTITY_RE,
    STEP_NAMES,
    UNICODE_SPACES,
    ZERO_WIDTH,
    Step,
    decode_entities,
    ftfy_step_name,
    own_steps,
)

__all__ = [
    "STEP_NAMES",
    "NormalizeConfig",
    "NormalizeStep",
    "normalize",
    "normalize_and_explain",
    "normalize_line",
    "normalize_lines",
    "split_lines",
]

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

    trigger: re.Pattern[str]  # a character some step may change (but ``&``, see entity_trigger)
    entity_trigger: re.Pattern[str] | None  # something the entity step decodes
    ftfy_trigger: re.Pattern[str]  # a character some enabled ftfy fixer may change
    scan: DocumentScan  # the lines of a document the gate must look at
    check_mojibake: bool
    form: Literal["NFC", "NFKC"] | None
    entities: bool
    ftfy_quiet: ftfy.TextFixerConfig
    ftfy_explain: ftfy.TextFixerConfig
    own_steps: tuple[Step, ...]
    spaced_nbsp: bool  # a no-break space is only ever the normalize-spaces step's (see _spaced)


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
    entities = config.html_entities == "strict"
    own_chars = UNICODE_SPACES if config.normalize_spaces else ""
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
    trigger = re.compile(f"[{TERMINATORS}{ftfy_chars}{own_chars}]")
    return _Plan(
        trigger=trigger,
        entity_trigger=ENTITY_RE if entities else None,
        ftfy_trigger=re.compile(f"[{TERMINATORS}{ftfy_chars}]"),
        scan=_document_scan(trigger, f"{ftfy_chars}{own_chars}", config),
        check_mojibake=config.fix_encoding,
        form=None if config.unicode_form == "none" else config.unicode_form,
        entities=entities,
        ftfy_quiet=ftfy_config,
        ftfy_explain=ftfy_config._replace(explain=True),
        own_steps=own_steps(
            normalize_spaces=config.normalize_spaces,
            remove_zero_width=config.remove_zero_width,
            remove_control_characters=config.remove_control_characters,
            remove_bidi_controls=config.remove_bidi_controls,
        ),
        spaced_nbsp=config.normalize_spaces and re.match(f"[{TERMINATORS}{ftfy_chars}]", "\xa0") is None,
    )


def _document_scan(trigger: re.Pattern[str], chars: str, config: NormalizeConfig) -> DocumentScan:
    """Suspect: every trigger character and, with ``fix_encoding``, the mojibake clues."""
    mojibake = config.fix_encoding
    contexts = {clue: ctx for clue, ctx in clue_contexts().items() if not trigger.match(clue)} if mojibake else {}
    return document_scan(
        suspect=chars + (mojibake_clues() if mojibake else ""),
        entities=ENTITY_RE if config.html_entities == "strict" else None,
        contexts=contexts,
        form=None if config.unicode_form == "none" else config.unicode_form,
    )


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
    """No mojibake by ftfy's own pre-check (``is_bad``), and already in the normal form."""
    if plan.check_mojibake and looks_bad(text):
        return False
    return plan.form is None or unicodedata.is_normalized(plan.form, text)


def _is_clean(text: str, plan: _Plan) -> bool:
    """The gate: True only if no step can change ``text`` (already right-stripped)."""
    return (
        plan.trigger.search(text) is None
        and (plan.entity_trigger is None or "&" not in text or plan.entity_trigger.search(text) is None)
        and (text.isascii() or _looks_fixed(text, plan))
    )


def _ftfy_is_identity(text: str, plan: _Plan) -> bool:
    """True only if every enabled ftfy fixer leaves ``text`` unchanged."""
    return plan.ftfy_trigger.search(text) is None and (text.isascii() or _looks_fixed(text, plan))


def _run_ftfy(text: str, plan: _Plan, seen: set[str] | None) -> str:
    if seen is None:
        return ftfy.fix_and_explain(text, plan.ftfy_quiet).text
    fixed, explanation = ftfy.fix_and_explain(text, plan.ftfy_explain)
    if fixed != text:
        names = (ftfy_step_name(action, parameter) for action, parameter in explanation or ())
        seen.update(name for name in names if name is not None)
    return fixed


def _apply(name: str, step: Callable[[str], str], text: str, seen: set[str] | None) -> str:
    fixed = step(text)
    if seen is not None and fixed != text:
        seen.add(name)
    return fixed


def _one_pass(text: str, plan: _Plan, gated: bool, seen: set[str] | None) -> str:
    if plan.entities and "&" in text:
        text = _apply("decode-html-entities", decode_entities, text, seen)
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
    return _run_passes(text, plan, gated, seen)


def _run_passes(text: str, plan: _Plan, gated: bool, seen: set[str] | None) -> str:
    for _ in range(_MAX_PASSES):
        fixed = _one_pass(text, plan, gated, seen)
        if fixed == text or (gated and _is_clean(fixed, plan)):  # the gate proves the next pass idle
            return fixed
        text = fixed
    return text


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
    return _normalized(line.rstrip(), _plan_for(config))


def normalize_lines(text: str, config: NormalizeConfig | None = None) -> tuple[list[tuple[int, int]], list[str]]:
    r"""Split a document into lines and normalise each: :func:`split_lines` and :func:`normalize_line`, faster.

    The result equals ``spans = split_lines(text)`` and
    ``[normalize_line(text[start:end], config) for start, end in spans]``, for every text and
    config; the per-line gate only runs on the lines a scan of the whole document points at.

    Args:
        text: any text.
        config: the options; ``None`` means the defaults.

    Returns:
        The line spans in ``text``, and the normalised lines (one per span).

    Example:
        >>> normalize_lines("Caf\u00c3\u00a9 &amp; co\r\nplain  \n")
        ([(0, 14), (16, 23)], ['Café & co', 'plain'])
    """
    return _normalize_document(text, _plan_for(config))


def _normalized(text: str, plan: _Plan) -> str:
    """One right-stripped line through the gate, and the steps if it fails (:func:`_spaced` a short cut)."""
    if _is_clean(text, plan):
        return text
    spaced = _spaced(text, plan)
    return spaced if spaced is not None else _run_passes(text, plan, True, None)


def _spaced(text: str, plan: _Plan) -> str | None:
    """The passes' result for a line failing the gate by its no-break spaces (a scraper's ``&nbsp;``) alone, or
    ``None`` for another line: ``text`` with spaces in their place, when that is clean and ``text`` looks fixed.

    Then no entity is decoded (the spaces are in none), ``_ftfy_is_identity`` holds (no other trigger character;
    no ftfy fixer's is a no-break space, ``spaced_nbsp``), the own steps replace the no-break spaces and touch
    nothing else, the right strip strips nothing (``text`` is right-stripped and ends with no space of its own)
    and the gate passes what that gives: the passes would give the spaced line. (1,952 lines of the generated
    pages: 15 µs each through the passes.)
    """
    if not plan.spaced_nbsp or "\xa0" not in text:
        return None
    spaced = text.replace("\xa0", " ")
    return spaced if _is_clean(spaced, plan) and _looks_fixed(text, plan) else None


def _normalize_document(text: str, plan: _Plan) -> tuple[list[tuple[int, int]], list[str]]:
    """The spans of ``text``'s lines and the lines normalised: the gate only where the document scan points."""
    spans, lines, suspect = scan_document(text, plan.scan)
    for index in suspect:
        lines[index] = _normalized(lines[index], plan)
    return spans, lines


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
    return _collapse_blank_lines(_normalize_document(text, _plan_for(config))[1])


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
    counts["unify-line-endings"] = sum(match.group() != "\n" for match in TERMINATOR_RE.finditer(text))
    fixed = []
    for line in split_pieces(text)[1]:
        seen: set[str] = set()
        fixed.append(_fix_line(line, plan, seen=seen))
        counts.update(seen)
    result = _collapse_blank_lines(fixed)
    counts["collapse-blank-lines"] = len(fixed) - (result.count("\n") + 1 if result else 0)
    steps = (NormalizeStep(name, counts[name]) for name in STEP_NAMES if counts[name])
    return result, tuple(steps)
