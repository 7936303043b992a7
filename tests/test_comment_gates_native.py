"""The compiled comment gates (``start_masks``, ``gate_words``, ``word_masks``) against their Python references
(:func:`~textclean._classify_gates_native.row_gates_reference`, ``WordGate.masks`` of the lowered lines): adversarial
lines (case twins, dotted capitals, other scripts, astral characters), every code point lowered as ``_lowered`` lowers
it, and bad arguments refused."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textclean import _kernels
from textclean._classify import compile_rules
from textclean._classify_comments_batch import WordGate, _lowered, _lowered_many
from textclean._classify_gates import StartTable
from textclean._classify_gates_native import _TWIN_PAIRS, line_masks, row_gates, row_gates_reference
from textclean._config import CleanConfig
from textclean._lineshape import LETTER, line_text

needs_native = pytest.mark.skipif(_kernels.kernel("start_masks") is None, reason="textclean._native was not built")
DETECTOR = compile_rules(CleanConfig()).comments
FRAGMENTS = ["comments", "Comments", "COMMENTS", "(3)", "[12 comments]", "leave a reply", "İ", "KOMMENTARE", "ſ", "Σ",
             "σας", "ς", "K", "\u212a", "ß", "ẞ", "评论", "コメント", "Ответить", "1", "١", " ", "  ", "—", "»", "...",
             "\U0001f600", "\U00010400", "𝐀", "reply", "says:", "no ", "one ", "Join the discussion", "e-mail", "x",
             "ǅ", "ﬅ", "µ", "ϐ", "\u0345", "(", "[", "\t"]  # fmt: skip
line = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8).map("".join)


def _chars(detector: object) -> list[tuple[int, frozenset[str] | None]]:
    headers = detector.headers  # type: ignore[attr-defined]
    return [(1 << k, gated.chars) for k, gated in enumerate(headers) if gated.starts is None]


@needs_native
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(line, min_size=1, max_size=40), st.data())
def test_row_gates_are_the_python_gates(lines: list[str], data: st.DataObject) -> None:
    text = line_text([row for row in (text.strip() for text in lines) if row])
    if text is None:
        return
    chosen = data.draw(st.lists(st.booleans(), min_size=len(text.lines), max_size=len(text.lines)))
    rows = np.flatnonzero(np.array(chosen, dtype=bool))
    gate = DETECTOR._header_gate
    for chars in (_chars(DETECTOR), [], [(1, None)], [(2, frozenset("(ſ评\U0001f600"))]):
        found = row_gates(DETECTOR.starts, chars, gate, text, rows)
        want = row_gates_reference(DETECTOR.starts, chars, gate, text, rows)
        assert found[0].tolist() == want[0].tolist() and found[1].tolist() == want[1].tolist()


gate_string = st.text(alphabet="abcéß", min_size=1, max_size=1).flatmap(
    lambda first: st.text(alphabet="abcé -", max_size=3).map(lambda rest: first + rest)
)


@needs_native
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    gates=st.lists(st.one_of(st.none(), st.frozensets(gate_string, min_size=1, max_size=4)), min_size=1, max_size=6),
    lines=st.lists(st.text(alphabet="abcéßABCÉẞ -.1\t\U0001f600", min_size=1, max_size=12), min_size=1, max_size=30),
)
def test_start_masks_of_any_gate_strings(gates: list[frozenset[str] | None], lines: list[str]) -> None:
    """Gate strings of one to four characters, some prefixes of others, against lines made of them."""
    text = line_text([row for row in (text.strip() for text in lines) if row])
    if text is None:
        return
    table = StartTable.build(gates)
    gate = WordGate.build([None] * len(gates))  # every row passes the words
    rows = np.arange(len(text.lines))
    found = row_gates(table, [], gate, text, rows)
    want = row_gates_reference(table, [], gate, text, rows)
    assert found[0].tolist() == want[0].tolist() and found[1].tolist() == want[1].tolist()


needle = st.text(alphabet="abcsσςkßé评-", min_size=1, max_size=4)


@needs_native
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(st.none(), st.frozensets(needle, min_size=1, max_size=3)), min_size=1, max_size=8),
    st.lists(st.text(alphabet="aAbcSsſΣσςKk\u212aßẞÉé评İi\n -\U00010400", max_size=20), max_size=60),
)
def test_word_masks_lower_as_the_python_path(words: list[frozenset[str] | None], lines: list[str]) -> None:
    """Lines lowered as they are scanned: the gate words each holds as ``_lowered`` gives it (a line break inside a
    line is one more character no needle holds)."""
    gate = WordGate.build([None if held is None else frozenset(map(_lowered, held)) for held in words])
    want = gate.masks(_lowered_many(lines))
    assert gate.line_masks(lines) == want
    assert want == [
        sum(1 << k for k, held in enumerate(gate_words) if held is None or any(w in _lowered(text) for w in held))
        for text in lines
        for gate_words in [[None if held is None else frozenset(map(_lowered, held)) for held in words]]
    ]


@needs_native
def test_the_marker_gate_on_the_real_markers() -> None:
    lines = ["Tom says:", "REPLY", "Antworten ↓", "İl y a 3 jours", "3 hours ago", "Ответить", "回复", "x", "2021"]
    gate = DETECTOR._marker_gate
    assert gate.line_masks(lines) == gate.masks(_lowered_many(lines))


@needs_native
def test_every_code_point_is_lowered_as_lowered_lowers_it() -> None:
    """Each code point alone on a line, against needles of every single character a code point lowers to: the
    kernel's simple lowercase, U+0130 and the case twins give what ``_lowered`` gives, everywhere."""
    points = [code for code in range(sys.maxunicode + 1) if code != ord("\n")]
    lowered = [_lowered(chr(code)) for code in points]
    images = sorted({low for code, low in zip(points, lowered, strict=True) if low != chr(code)})
    assert all(len(image) == 1 for image in images)
    document = "\n".join(map(chr, points))
    for first in range(0, len(images), 64):
        chunk = images[first : first + 64]
        gate = WordGate(tuple(chunk), tuple(1 << k for k in range(len(chunk))), 0)
        bit = {image: 1 << k for k, image in enumerate(chunk)}
        found = np.frombuffer(
            _kernels.kernel("word_masks")(
                _compiled(gate), document, np.arange(len(points), dtype=np.int64) * 2, np.ones(len(points), np.int64)
            ),
            dtype=np.uint64,
        )
        want = np.array([bit.get(low, 0) for low in lowered], dtype=np.uint64)
        wrong = np.flatnonzero(found != want)
        assert not len(wrong), [hex(points[k]) for k in wrong[:10]]


def _compiled(gate: WordGate) -> object:
    from textclean._classify_gates_native import _compiled_words

    return _compiled_words(gate)


@needs_native
def test_line_masks_of_no_lines_and_of_empty_lines() -> None:
    gate = DETECTOR._marker_gate
    assert line_masks(gate, ["", ""]) == [gate.always, gate.always]
    assert gate.line_masks([]) == []


@needs_native
def test_the_gate_kernels_refuse_bad_arguments() -> None:
    build, words, starts = (_kernels.kernel(name) for name in ("gate_words", "word_masks", "start_masks"))
    for needles in ([""], ["a\nb"], [3]):
        with pytest.raises(ValueError, match="non-empty strings"):
            build(needles, [1], 0, "")
    with pytest.raises(ValueError, match="one mask per needle"):
        build(["a"], [], 0, "")
    with pytest.raises(ValueError, match="twins in pairs"):
        build(["a"], [1], 0, "abc")
    with pytest.raises(OverflowError):
        build(["a"], [-1], 0, "")
    with pytest.raises(TypeError):
        build(["a"], ["1"], 0, "")
    gate = build(["ab"], [1], 0, _TWIN_PAIRS)
    one = np.zeros(1, dtype=np.int64)
    with pytest.raises(ValueError, match="PyCapsule"):
        words(object(), "ab", one, one)
    with pytest.raises(ValueError, match="a row out of the text"):
        words(gate, "ab", one + 1, one + 2)
    with pytest.raises(ValueError, match="a row out of the text"):
        words(gate, "ab", one - 1, one)
    with pytest.raises(ValueError, match="a row out of the text"):
        words(gate, "ab", one, one - 1)
    with pytest.raises(ValueError, match="one size per start"):
        words(gate, "ab", np.zeros(2, dtype=np.int64), one)
    with pytest.raises(TypeError, match="expected items of 8 bytes"):
        words(gate, "ab", one.astype(np.int32), one)
    assert np.frombuffer(words(gate, "xab", one + 1, one + 2), dtype=np.uint64).tolist() == [1]

    text = line_text(["Comments", "(3) replies"])
    assert text is not None
    table = DETECTOR.starts
    keys = np.array(sorted(table.by_key), dtype=np.int64)
    masks = np.array([table.by_key[key] for key in keys.tolist()], dtype=np.uint64)
    rows = text.starts.astype(np.int64), text.size.astype(np.int64)

    def run(**changed: object) -> bytes:
        given_args = {"text": text.joined, "bits": text.bits, "starts": rows[0], "sizes": rows[1], "letter": LETTER,
                      "classes": table.classes, "keys": keys, "masks": masks, "sets": [(1, "([")]}  # fmt: skip
        given_args.update(changed)
        return starts(*given_args.values())  # type: ignore[no-any-return]

    assert np.frombuffer(run(), dtype=np.uint64).tolist()[1] & 1
    with pytest.raises(ValueError, match="wrong size"):
        run(bits=text.bits[:-1])
    with pytest.raises(ValueError, match="wrong size"):
        run(classes=table.classes[:-1])
    with pytest.raises(ValueError, match="wrong size"):
        run(masks=masks[:-1])
    with pytest.raises(ValueError, match="one to four non-zero bytes"):
        run(keys=np.array([0x100] * len(keys), dtype=np.int64))
    with pytest.raises(ValueError, match="one to four non-zero bytes"):
        run(keys=np.array([-1] * len(keys), dtype=np.int64))
    with pytest.raises(ValueError, match="one to four non-zero bytes"):
        run(keys=np.array([1 << 40] * len(keys), dtype=np.int64))
    with pytest.raises(TypeError, match="char_sets must be"):
        run(sets=[("(", 1)])
    with pytest.raises(TypeError):
        run(sets=("(",))
    with pytest.raises(ValueError, match="a row out of the text"):
        run(starts=rows[0] + 100)
    with pytest.raises(OverflowError):
        run(sets=[(-1, "(")])
    assert np.frombuffer(run(starts=rows[0][::-1].copy(), sizes=rows[1][::-1].copy()), np.uint64).tolist()[0] & 1
