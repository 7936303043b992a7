"""Reference implementations for tests/test_classify_fast.py: the straightforward code the fast paths replace.

Kept verbatim from before the speed work (one big alternation per bucket; features by small regexes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import regex

from textclean._matcher import MAX_PATTERN_CHARS
from textclean._rule import Rule, Verdict
from textclean._rules._build import ANCHORS, language_of
from textclean._rules._index import anchored_parts, first_prefixes, required_literals

_FLAGS = regex.IGNORECASE | regex.V0

_LEADING = regex.compile(r"[\W\d_]*")
_HEAD = ANCHORS["start"][0][: -len("(?:")]  # the optional leading punctuation phrase rules allow
_MAX_LEAD = 8


@dataclass(frozen=True)
class ReferenceMatcher:
    """Pattern rules compiled behind cheap gates (see :mod:`textclean._rules._index`).

    Lines are matched lowercased. Alternatives of anchored phrase rules are filed by the first
    one or two letters they can start with (after up to eight leading punctuation characters): a
    line tries only the bucket of its own first letters. Floating patterns run only when the line
    contains one of their required words. Lines longer than :data:`MAX_PATTERN_CHARS` are never
    matched.
    """

    rules: tuple[Rule, ...]
    buckets: dict[str, regex.Pattern[str]]
    fallback: regex.Pattern[str] | None
    gate: tuple[str, ...] | None
    floating: regex.Pattern[str] | None
    singles: tuple[regex.Pattern[str], ...]

    @classmethod
    def build(cls, rules: Sequence[Rule], languages: frozenset[str]) -> ReferenceMatcher:
        kept: list[Rule] = []
        filed: dict[str, list[tuple[int, str]]] = defaultdict(list)
        anchored: list[tuple[int, str]] = []  # tried at the line's start on every line
        loose: list[tuple[int, str]] = []  # searched in lines that contain one of their words
        literals: set[str] = set()
        ungated = False
        for rule in rules:
            patterns = [p for p in rule.patterns if _language_on(language_of(p), languages)]
            if not patterns:
                continue
            kept.append(rule)
            for pattern in patterns:
                head, alternatives, tail = anchored_parts(pattern)
                for alternative in alternatives:
                    prefixes = first_prefixes(alternative) if head == _HEAD else None
                    if prefixes is not None:
                        for prefix in prefixes:
                            filed[prefix].append((len(kept) - 1, f"(?:{alternative}){tail}"))
                        continue
                    source = f"{head}(?:{alternative}){tail}"
                    if head.startswith("^"):
                        anchored.append((len(kept) - 1, source))
                        continue
                    words = required_literals(alternative)
                    ungated = ungated or words is None
                    literals |= words or set()
                    loose.append((len(kept) - 1, source))
        return cls(
            rules=tuple(kept),
            buckets=_buckets(filed),
            fallback=_alternation(anchored, _FLAGS) if anchored else None,
            gate=None if ungated else tuple(sorted(literals)),
            floating=_alternation(loose, _FLAGS) if loose else None,
            singles=tuple(regex.compile("|".join(f"(?:{p})" for p in r.patterns), _FLAGS) for r in kept),
        )

    def match(self, line: str, words: int) -> Verdict | None:
        """The verdict of the first rule matching ``line`` (stripped), or ``None``."""
        if len(line) > MAX_PATTERN_CHARS:
            return None
        lower = line.lower()
        found = None
        lead = _LEADING.match(lower)
        start = lead.end() if lead else 0
        if start <= _MAX_LEAD:
            bucket = self.buckets.get(lower[start : start + 2]) or self.buckets.get(lower[start : start + 1])
            found = bucket.match(lower, start) if bucket is not None else None
        if found is None and self.fallback is not None:
            found = self.fallback.match(lower)
        if found is None and self.floating is not None and (
            self.gate is None or any(word in lower for word in self.gate)
        ):
            found = self.floating.search(lower)
        if found is None:
            return None
        rule = self.rules[int(str(found.lastgroup)[1:].split("_")[0])]
        if rule.max_words is None or words <= rule.max_words:
            return _removed(rule, line[found.start() : found.end()])
        return self._slow_match(line, words)

    def _slow_match(self, line: str, words: int) -> Verdict | None:
        """Try each rule in turn (when the first match belonged to a rule for shorter lines)."""
        for rule, pattern in zip(self.rules, self.singles, strict=True):
            if rule.max_words is None or words <= rule.max_words:
                hit = pattern.search(line)
                if hit is not None:
                    return _removed(rule, hit.group(0))
        return None


def _buckets(filed: dict[str, list[tuple[int, str]]]) -> dict[str, regex.Pattern[str]]:
    """One alternation per one- or two-letter prefix; a two-letter bucket includes its letter's entries."""
    buckets = {}
    for prefix, entries in filed.items():
        shorter = filed.get(prefix[0], []) if len(prefix) == 2 else []
        buckets[prefix] = _alternation(entries + shorter, regex.V0)
    return buckets


def _alternation(entries: Sequence[tuple[int, str]], flags: int) -> regex.Pattern[str]:
    """One pattern with a named group per entry (``r<rule>_<k>``), in rule order."""
    ordered = sorted(enumerate(entries), key=lambda item: (item[1][0], item[0]))
    return regex.compile("|".join(f"(?P<r{rule}_{k}>{source})" for k, (rule, source) in ordered), flags)





def _language_on(language: str, languages: frozenset[str]) -> bool:
    return not languages or language in ("", "*") or language in languages


def _removed(rule: Rule, phrase: str) -> Verdict:
    return Verdict(keep=False, code=rule.code, rule=rule.name, evidence=f"matched {phrase.strip()[:80]!r}")




def reference_window_mean(values: npt.NDArray[np.float64], radius: int) -> npt.NDArray[np.float64]:
    padded = np.concatenate([np.zeros(radius), values, np.zeros(radius)])
    sums = np.convolve(padded, np.ones(2 * radius + 1), mode="valid")
    counts = np.convolve(
        np.concatenate([np.zeros(radius), np.ones(len(values)), np.zeros(radius)]),
        np.ones(2 * radius + 1),
        mode="valid",
    )
    result: npt.NDArray[np.float64] = sums / np.maximum(counts, 1.0)
    return result


def reference_smooth_features(logits: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The second-pass neighbour features, one Python slice per line."""
    n = len(logits)
    score = 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
    previous = np.concatenate([[0.0], score[:-1]])
    following = np.concatenate([score[1:], [0.0]])
    before_max = np.array([score[max(0, i - 3) : i].max(initial=0.0) for i in range(n)])
    after_max = np.array([score[i + 1 : i + 4].max(initial=0.0) for i in range(n)])
    return np.column_stack(
        [
            np.clip(logits, -10, 10),
            previous,
            following,
            reference_window_mean(score, 2),
            reference_window_mean(score, 5),
            np.minimum(before_max, after_max),
            before_max,
            after_max,
        ]
    ).reshape(n, 8)


# --- line features, comment section and model verdicts, as before the per-document rewrite ---

import math  # noqa: E402
from collections import Counter  # noqa: E402

from textclean._adaptive import adaptive_note  # noqa: E402
from textclean._features import BASE_FEATURES, CONTEXT_FEATURES, HEAD_CHARS  # noqa: E402
from textclean._line_model import LineScores  # noqa: E402
from textclean._rule import KEEP  # noqa: E402
from textclean._rules.comments import (  # noqa: E402
    COMMENT_LOOKAHEAD,
    COMMENT_MAIN_TEXT_WORDS,
    COMMENT_MIN_MARKERS,
)

_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
_SENTENCE_END = frozenset(".!?。！？…;；:")
_CLOSERS = "\"'”’»」』)]）›"
_BULLET = regex.compile(r"^(?:[-–—•*·▪►◦‣●○■□]|\d{1,3}[.)]|[a-z][.)])\s", regex.I)
_SEPARATORS = regex.compile(r"\s[|·•»›/]\s|\s[|·•]|[|·•]\s")
_URL = regex.compile(r"https?://|www\.|\S@\S+\.\w{2,}|\.(?:com|org|net|html?)\b", regex.I)
_BYLINE = regex.compile(r"^(?i:by|von|par|por|di|door|автор|av|af|texte?:?)\s+\p{Lu}")
_DATE = regex.compile(
    r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b|\d{4}年"
)
_DIGIT = __import__("re").compile(r"\d")
_PUNCT = __import__("re").compile(r"[^\w\s]")
_WORD_RE = __import__("re").compile(r"\w+")
_WORD_BINS = (1, 2, 4, 7, 12, 20, 40)


def reference_count_words(line: str) -> int:
    cjk = len(_CJK.findall(line[:HEAD_CHARS]))
    if len(line) > HEAD_CHARS:
        cjk = cjk * len(line) // HEAD_CHARS
    tokens = len(line.split())
    return max(tokens, tokens - min(tokens, cjk) + cjk // 2) if cjk else tokens


def _ends_sentence(line: str) -> tuple[float, float]:
    stripped = line.rstrip(_CLOSERS + " ")
    closing = float(len(stripped) < len(line.rstrip()))
    return float(bool(stripped) and stripped[-1] in _SENTENCE_END and stripped[-1] != ":"), closing


def _shape(line: str, words: int) -> list[float]:
    head = line[:HEAD_CHARS]
    size = len(head)
    tokens = head.split()
    n_tokens = max(len(tokens), 1)
    ends_sentence, closing = _ends_sentence(line)
    return [
        math.log1p(words),
        *(float(words <= edge) for edge in _WORD_BINS),
        ends_sentence,
        float(line.endswith(":")),
        closing,
        float(bool(_BULLET.match(head))),
        len(_DIGIT.findall(head)) / size,
        sum(map(str.isupper, (token[:1] for token in tokens))) / n_tokens,
        float(head.isupper() and size > 3),
        math.log1p(len(_SEPARATORS.findall(head))),
        len(_PUNCT.findall(head)) / size,
        head.count(",") / max(words, 1),
        len(_CJK.findall(head)) / size,
        float(bool(_URL.search(head))),
        float(bool(_BYLINE.match(head)) and words <= 6),
        float(bool(_DATE.search(head[:200]))),
        float(line.endswith(("...", "…"))),
        math.log1p(size / n_tokens),
    ]


def reference_document_features(
    lines: Sequence[str], rule_hits: Sequence[bool], comment_lines: Sequence[bool]
) -> tuple[npt.NDArray[np.float64], list[int], npt.NDArray[np.float64]]:
    index = [i for i, line in enumerate(lines) if line.strip()]
    stripped = [lines[i].strip() for i in index]
    words = np.array([reference_count_words(line) for line in stripped], dtype=np.float64)
    keys = [line.lower() if len(line) <= 500 else line for line in stripped]
    repeats = Counter(keys)
    base = np.array(
        [
            [1.0, *_shape(line, int(w)), math.log(repeats[key]), float(rule_hits[i]), float(comment_lines[i])]
            for line, key, w, i in zip(stripped, keys, words, index, strict=True)
        ],
        dtype=np.float64,
    ).reshape(len(index), len(BASE_FEATURES))
    blank = [not line.strip() for line in lines]
    context = _context(words, base[:, BASE_FEATURES.index("ends-sentence")], index, blank)
    return np.hstack([base, context, reference_lexical_features(stripped, words)]), index, words


def reference_lexical_features(stripped: Sequence[str], words: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """``_lexical.lexical_features`` line by line, with sets."""
    from textclean._lexical import CONTENT_WORD_LETTERS, LONG_LINE_WORDS, chrome_lexicon

    tokens = [_WORD_RE.findall(line[:HEAD_CHARS].lower()) for line in stripped]
    rows = []
    for k, mine in enumerate(tokens):
        others = {word for j, theirs in enumerate(tokens) if j != k and words[j] >= LONG_LINE_WORDS for word in theirs}
        content = [word for word in mine if len(word) >= CONTENT_WORD_LETTERS and not word.isdigit()]
        chrome = sum(word in chrome_lexicon() for word in mine)
        shared = sum(word in others for word in content)
        rows.append([shared / max(len(content), 1), chrome / max(len(mine), 1), math.log1p(chrome)])
    return np.array(rows, dtype=np.float64).reshape(len(stripped), 3)


def _distance_to_flag(flags: npt.NDArray[np.bool_], reverse: bool) -> npt.NDArray[np.float64]:
    n = len(flags)
    order = range(n - 1, -1, -1) if reverse else range(n)
    out = np.empty(n, dtype=np.float64)
    last = None
    for i in order:
        out[i] = abs(i - last) if last is not None else n + 1
        if flags[i]:
            last = i
    return out


def _short_runs(short: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    out = np.zeros(len(short), dtype=np.float64)
    start = 0
    for i in range(len(short) + 1):
        if i == len(short) or not short[i]:
            out[start:i] = i - start
            start = i + 1
    return out


def _context(
    words: npt.NDArray[np.float64], ends: npt.NDArray[np.float64], index: list[int], blank: list[bool]
) -> npt.NDArray[np.float64]:
    n = len(words)
    if n == 0:
        return np.zeros((0, len(CONTEXT_FEATURES)))
    logw = np.log1p(words)
    total = max(words.sum(), 1.0)
    before = (np.cumsum(words) - words) / total
    long_lines = words >= 15
    long_before: npt.NDArray[np.float64] = (np.cumsum(long_lines) - long_lines).astype(np.float64)
    long_total = max(int(long_lines.sum()), 1)
    shifted = np.concatenate([[0.0], logw[:-1]]), np.concatenate([logw[1:], [0.0]])
    short = (words < 6) & (ends < 1)
    columns = [
        np.arange(n) / max(n - 1, 1),
        before,
        1.0 - before - words / total,
        shifted[0],
        shifted[1],
        np.concatenate([[0.0], ends[:-1]]),
        np.concatenate([ends[1:], [0.0]]),
        reference_window_mean(logw, 2),
        reference_window_mean(logw, 5),
        np.log1p(_distance_to_flag(long_lines, reverse=False)),
        np.log1p(_distance_to_flag(long_lines, reverse=True)),
        long_before / long_total,
        (long_total - long_before - long_lines) / long_total if long_lines.any() else np.zeros(n),
        np.log1p(_short_runs(short)),
        np.array([float(i > 0 and blank[i - 1]) for i in index]),
        np.array([float(i + 1 < len(blank) and blank[i + 1]) for i in index]),
        (np.arange(n) == 0).astype(np.float64),
        (np.arange(n) == n - 1).astype(np.float64),
    ]
    return np.column_stack(columns)


def reference_comment_section(
    lines: Sequence[str], headers: regex.Pattern[str], markers: regex.Pattern[str]
) -> list[bool]:
    """``_comment_section`` with the compiled header and marker patterns passed in."""
    flags = [False] * len(lines)
    main_text_seen = False
    for i, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if not main_text_seen:
            main_text_seen = reference_count_words(text) >= COMMENT_MAIN_TEXT_WORDS
            continue
        if len(text) > 200 or headers.match(text) is None:
            continue
        following = (s.strip() for s in lines[i + 1 : i + 1 + COMMENT_LOOKAHEAD])
        found = [markers.search(s) for s in following if s and len(s) <= 200]
        hits = [hit for hit in found if hit is not None]
        if len(hits) >= COMMENT_MIN_MARKERS and any(hit.group("date") is None for hit in hits):
            flags[i:] = [True] * (len(lines) - i)
            break
    return flags


def reference_model_verdict(
    row: int, scores: LineScores, code: str, name: str, where: str, disabled: frozenset[str], *, threshold: float,
    cut: float,
) -> Verdict:
    """``_model_verdict`` given the structure rule (``_structure_of`` is unchanged) and the line's cut."""
    if code in disabled:
        return KEEP
    contributions = scores.contributions[row]
    top = (np.argsort(contributions[1:], kind="stable") + 1)[:3].tolist()  # never the constant bias column
    parts = []
    for k in top:
        if contributions[k] >= 0:
            continue
        if scores.names[k] == "first-pass-logit" and scores.first is not None:
            first = scores.first[row]
            ranked = (np.argsort(first[1:], kind="stable") + 1)[:3].tolist()
            shown = [j for j in ranked if j not in top][:2]
            inner = ", ".join(scores.names[j] for j in shown if first[j] < 0)
            if inner:
                parts.append(f"first pass ({inner})")
                continue
        parts.append(scores.names[k])
    named = ", ".join(parts)
    evidence = f"{where}; content score {scores.content[row]:.2f} (most against: {named})" + adaptive_note(
        float(scores.content[row]), cut, threshold)
    return Verdict(keep=False, code=code, rule=name, evidence=evidence)


def reference_colliding(band_keys: Any) -> dict[int, set[int]]:
    """For each row, the earlier rows sharing a key with it in some column (numpy sort per band)."""
    met: dict[int, set[int]] = {}
    for column in band_keys.T:
        order = np.argsort(column, kind="stable")
        ordered = column[order]
        repeated = np.flatnonzero(ordered[1:] == ordered[:-1]) + 1
        if not len(repeated):
            continue
        run_start = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        starts = run_start[np.searchsorted(run_start, repeated, side="right") - 1]
        for position, start in zip(repeated.tolist(), starts.tolist(), strict=True):
            met.setdefault(int(order[position]), set()).update(order[start:position].tolist())
    return met


def reference_prefiltered_pairs(
    words: Sequence[list[str]], candidates: list[int], threshold: float, num_perm: int = 128
) -> list[tuple[int, list[int]]]:
    """The paragraph near-dup prefilter in sets, one pair at a time: the pairs whose word-set minima meet in a band,
    whose word sets are close enough, and whose word-trigram sets (the 3-gram MinHash's shingles) reach the
    threshold less six standard deviations of a num_perm-slot estimate (a paragraph under three words passes)."""
    import math
    import zlib

    from textclean._paragraph_prefilter import _prefilter_permutations

    lists = [words[i] for i in candidates]
    flat = [word for paragraph in lists for word in paragraph]
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, flat)), dtype=np.uint64, count=len(flat))
    starts = np.cumsum([0] + [len(paragraph) for paragraph in lists[:-1]])
    multipliers, offsets = _prefilter_permutations()
    permuted = (hashes[:, None] * multipliers + offsets) & np.uint64(0xFFFFFFFF)
    minima = np.minimum.reduceat(permuted, starts, axis=0)
    band_keys = (minima[:, 0::2] << np.uint64(32)) | minima[:, 1::2]
    met = reference_colliding(band_keys)
    if not met:
        return []
    bound = max(0.2, threshold - 0.15)
    sets = {i: frozenset(lists[i]) for pair in met.items() for i in (pair[0], *pair[1])}
    trigrams = {i: frozenset(zip(lists[i], lists[i][1:], lists[i][2:], strict=False)) for i in sets}
    trigram_bound = threshold - 3.0 / math.sqrt(num_perm)

    def close(a: int, b: int) -> bool:
        if len(sets[a] & sets[b]) < bound * len(sets[a] | sets[b]):
            return False
        if len(lists[a]) < 3 or len(lists[b]) < 3:
            return True
        return len(trigrams[a] & trigrams[b]) >= trigram_bound * len(trigrams[a] | trigrams[b])

    pairs = []
    for later in sorted(met):
        earlier = [e for e in sorted(met[later]) if close(later, e)]
        if earlier:
            pairs.append((later, earlier))
    return pairs


def reference_find_repeats(
    paragraphs: Sequence[str], *, threshold: float, min_words: int, num_perm: int, seed: int = 1
) -> list[tuple[int, int, float, str]]:
    """Repeated paragraphs of one page, one pair at a time: exact keys in a dict, then for each later
    candidate its earlier partners' datasketch MinHash agreement (``(index, twin, similarity, code)``)."""
    from datasketch import MinHash

    from textclean._minhash import shingle_hashes
    from textclean._paragraphs import lowercase_words

    words = [lowercase_words(p) for p in paragraphs]
    found: dict[int, tuple[int, int, float, str]] = {}
    first_seen: dict[str, int] = {}
    for index, (paragraph, tokens) in enumerate(zip(paragraphs, words, strict=True)):
        if len(tokens) < 4 and len(paragraph) < 20:
            continue
        key = " ".join(tokens) if tokens else paragraph.strip()
        if key in first_seen:
            found[index] = (index, first_seen[key], 1.0, "D001")
        else:
            first_seen[key] = index
    candidates = [i for i, tokens in enumerate(words) if len(tokens) >= min_words and i not in found]
    pairs = reference_prefiltered_pairs(words, candidates, threshold, num_perm) if len(candidates) > 1 else []
    signatures = {}
    for i in {i for later, earlier in pairs for i in (later, *earlier)}:
        minhash = MinHash(num_perm=num_perm, seed=seed, hashfunc=int)
        minhash.update_batch(shingle_hashes(paragraphs[candidates[i]], ngram=3))
        signatures[i] = minhash.hashvalues
    removed: set[int] = set()
    for later, options in pairs:
        earlier = [e for e in options if e not in removed]
        if not earlier:
            continue
        agreement = [float(np.mean(signatures[later] == signatures[e])) for e in earlier]
        best = int(np.argmax(agreement))
        if agreement[best] >= threshold:
            removed.add(later)
            index = candidates[later]
            found[index] = (index, candidates[earlier[best]], round(agreement[best], 4), "D002")
    return [found[i] for i in sorted(found)]
