"""The rule cache on disk (textclean/_rule_cache.py): hits equal live builds, any change misses, failures build live."""

from __future__ import annotations

import ast
import dataclasses
import io
import json
import os
import pickle
import shutil
import stat
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import regex

from tests.conftest import EXAMPLE, Runner
from textclean import CleanConfig, Cleaner, Rule
from textclean import _patterns as patterns
from textclean import _rule_cache as rule_cache
from textclean._classify import compile_rules
from textclean._classify_comments import CommentDetector, _detector, _Gates, _gates
from textclean._matcher import Matcher
from textclean._rules import PATTERN_RULES
from textclean._rules.comments import COMMENT_HEADERS, COMMENT_MARKERS

PACKAGE = Path(rule_cache.__file__).parent
CASES = Path(__file__).parent / "cases"
BUILDERS = (
    "textclean._matcher",
    "textclean._classify_comments",
    "textclean._rule",
    "textclean._rule_cache",
    "textclean._patterns",
    "textclean._ftfy_gate",
    "textclean._normalize_scan",
)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory of the test's own (it does not exist yet: the first write makes it)."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("TEXTCLEAN_CACHE_DIR", str(directory))
    monkeypatch.delenv("TEXTCLEAN_NO_CACHE", raising=False)
    return directory


class Counted:
    """A build that counts its calls."""

    def __init__(self, rules: list[Rule], languages: frozenset[str] = frozenset()) -> None:
        self.rules, self.languages, self.calls = rules, languages, 0

    def __call__(self) -> Matcher:
        self.calls += 1
        return Matcher.build(self.rules, self.languages)

    def load(self) -> Matcher:
        """The matcher through the cache, as ``compile_rules`` gets it."""
        inputs = [self.rules, self.languages]
        return rule_cache.load_or_build("matcher", inputs, self, Matcher, shared=self.rules)


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.pickle"))


# --- the key covers everything the build reads ---


def _imported(module: str) -> set[str]:
    """The textclean modules ``module`` imports anywhere in its source (functions included)."""
    relative = module.removeprefix("textclean").lstrip(".").replace(".", "/")
    path = PACKAGE / f"{relative}.py"
    if not path.exists():
        path = PACKAGE / relative / "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("textclean"):
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("textclean")}
    known = {_module(str(path.relative_to(PACKAGE))) for path in PACKAGE.rglob("*.py")}
    return found & known


def _module(source: str) -> str:
    """The module a source file of the package holds (``"_rules/__init__.py"``: ``"textclean._rules"``)."""
    return f"textclean.{source.replace(os.sep, '/').removesuffix('.py').replace('/', '.')}".removesuffix(".__init__")


def test_sources_cover_the_builds_import_closure() -> None:
    hashed = {_module(name) for name in rule_cache.source_files()}
    closure: set[str] = set()
    todo = list(BUILDERS)
    while todo:
        module = todo.pop()
        if module not in closure and module != "textclean":  # the package's __init__: its version is keyed
            closure.add(module)
            todo += _imported(module)
    assert closure <= hashed, f"add to _rule_cache.SOURCES: {sorted(closure - hashed)}"
    assert "_rules/comments.py" in rule_cache.source_files()


def test_the_build_reads_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []

    def audit(event: str, args: tuple[Any, ...]) -> None:
        if event == "open" and watching:
            opened.append(str(args[0]))

    watching = True
    sys.addaudithook(audit)  # hooks cannot be removed: this one goes quiet below
    try:
        Matcher.build(PATTERN_RULES, frozenset())
        _gates(COMMENT_HEADERS, COMMENT_MARKERS)
    finally:
        watching = False
    assert [name for name in opened if "textclean" in name] == []


def test_a_changed_source_file_changes_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "textclean"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.so", "data"))
    monkeypatch.setattr(rule_cache, "_PACKAGE", copy)
    rule_cache._code_digest.cache_clear()
    try:
        before = rule_cache._key("matcher", [])
        rule_cache._code_digest.cache_clear()
        assert rule_cache._key("matcher", []) == before  # the same bytes: the same key
        for name in ("_matcher_affixes.py", "_rules/_literals.py", "_rules/legal.py", "_classify_gates.py"):
            path = copy / name
            original = path.read_bytes()
            path.write_bytes(original + b"\n")
            rule_cache._code_digest.cache_clear()
            assert rule_cache._key("matcher", []) != before, name
            path.write_bytes(original)
        (copy / "_rules" / "extra.py").write_text("EXTRA = 1\n")  # a new rule module is read as well
        rule_cache._code_digest.cache_clear()
        assert rule_cache._key("matcher", []) != before
    finally:
        monkeypatch.undo()
        rule_cache._code_digest.cache_clear()


@pytest.mark.parametrize(
    ("module", "name", "value"),
    [
        (rule_cache, "__version__", "0.0.0"),
        (rule_cache.regex, "__version__", "1.0"),
        (rule_cache.sys, "version", "3.0.0 (other)"),
        (rule_cache.unicodedata, "unidata_version", "1.1.0"),
    ],
)
def test_other_versions_change_the_key(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, value: str) -> None:
    before = rule_cache._key("matcher", [])
    monkeypatch.setattr(module, name, value)
    assert rule_cache._key("matcher", []) != before


def test_inputs_key_the_same_in_every_process() -> None:
    # frozensets iterate in hash order, salted per process: the key must not see it
    a = rule_cache._key("matcher", [frozenset({"de", "fr", "en", "es"})])
    b = rule_cache._key("matcher", [frozenset({"es", "en", "fr", "de"})])
    assert a == b
    with pytest.raises(TypeError):
        rule_cache._plain(object())


# --- hits, misses and what a hit gives ---


def test_same_inputs_hit_and_equal_a_live_build(cache: Path) -> None:
    rules = list(PATTERN_RULES)
    build = Counted(rules)
    cold = build.load()
    assert build.calls == 1 and len(entries(cache)) == 1
    warm = build.load()
    assert build.calls == 1  # read back, not built
    assert warm == Matcher.build(rules, frozenset()) == cold
    assert all(any(rule is given for given in rules) for rule in warm.rules)  # the caller's own rule objects
    lines = ["Share on Facebook", "The river rose two metres overnight.", "© 2024 Example Ltd. All rights reserved."]
    assert warm.match_lines(lines, [3, 6, 6]) == cold.match_lines(lines, [3, 6, 6])


def _gates_of(detector: CommentDetector) -> list[object]:
    """Everything a detector built, in comparable form (its gated patterns compare by identity)."""
    starts = detector.starts
    gated = [dataclasses.astuple(g) for g in (*detector.headers, *detector.markers)]
    arrays = [starts.row_numbers.tolist(), *(table.tolist() for table in starts.prefixes)]
    return [gated, detector.date, starts.classes, starts.by_key, arrays, detector.header_words]


def test_comment_gates_hit_and_equal_a_live_build(cache: Path) -> None:
    _detector.cache_clear()
    try:
        cold = _detector(COMMENT_HEADERS, COMMENT_MARKERS)
        assert [path.name.split("-")[0] for path in entries(cache)] == ["comments"]
        _detector.cache_clear()
        warm = _detector(COMMENT_HEADERS, COMMENT_MARKERS)
    finally:
        _detector.cache_clear()
    live = CommentDetector(COMMENT_HEADERS, COMMENT_MARKERS, *_gates(COMMENT_HEADERS, COMMENT_MARKERS))
    assert warm is not cold
    assert _gates_of(warm) == _gates_of(live) == _gates_of(cold)
    assert warm.starts.row_numbers.dtype == np.uint8 and warm.starts.prefixes.two.dtype == np.uint64


def test_compile_rules_reads_back_what_it_stored(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = CleanConfig(mode="aggressive", languages=frozenset({"en", "de"}))
    cold = compile_rules(config)
    calls = []
    build = Matcher.build
    monkeypatch.setattr(Matcher, "build", lambda rules, languages: calls.append(1) or build(rules, languages))
    warm = compile_rules(config)
    assert calls == [] and warm.matcher == cold.matcher
    compile_rules(CleanConfig(mode="conservative"))  # other rules: a miss
    assert calls == [1]


def test_a_changed_rule_misses(cache: Path) -> None:
    rules = list(PATTERN_RULES)
    Counted(rules).load()
    changed = [*rules]
    changed[3] = dataclasses.replace(changed[3], patterns=(*changed[3].patterns, r"^never seen$"))
    again = Counted(changed)
    matcher = again.load()
    assert again.calls == 1 and matcher == Matcher.build(changed, frozenset()) and len(entries(cache)) == 2
    for other in (
        [*rules[:5], dataclasses.replace(rules[5], max_words=(rules[5].max_words or 0) + 1), *rules[6:]],
        [*rules[:7], dataclasses.replace(rules[7], summary="another summary"), *rules[8:]],  # held by the matcher
        [*rules, Rule("U001", "user-rule", "A user's rule.", "Test.", patterns=(r"^buy now$",))],
        rules[1:],
    ):
        build = Counted(other)
        build.load()
        assert build.calls == 1
    languages = Counted(rules, frozenset({"en"}))
    languages.load()
    assert languages.calls == 1


# --- failures build live, silently ---


def _entry(cache: Path) -> Path:
    Counted(list(PATTERN_RULES)).load()
    (path,) = entries(cache)
    return path


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: b"",  # empty
        lambda data: b"not a pickle at all",
        lambda data: data[:100] + bytes(1000) + data[1100:],  # corrupt in the middle
        lambda data: pickle.dumps({"a": "dict"}),  # a pickle of something else
        lambda data: pickle.dumps(PATTERN_RULES[0]),  # a class of textclean's, not a matcher
        lambda data: pickle.dumps(np.arange(3)),  # classes an entry may not name
        lambda data: pickle.dumps(Path("elsewhere")),
    ],
    ids=["truncated", "empty", "garbage", "corrupt", "dict", "rule", "numpy", "pathlib"],
)
def test_a_bad_entry_builds_live_and_is_replaced(cache: Path, damage: Any) -> None:
    path = _entry(cache)
    good = path.read_bytes()
    path.write_bytes(damage(good))
    build = Counted(list(PATTERN_RULES))
    assert build.load() == Matcher.build(list(PATTERN_RULES), frozenset())
    assert build.calls == 1
    assert path.read_bytes() != damage(good)  # written again
    assert Counted(list(PATTERN_RULES)).load() == Matcher.build(list(PATTERN_RULES), frozenset())


class _Planted:
    """An entry that would run code when unpickled by a plain ``pickle.load``."""

    def __init__(self, victim: Path) -> None:
        self.victim = victim

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.remove, (str(self.victim),)


def test_a_planted_pickle_runs_nothing(cache: Path, tmp_path: Path) -> None:
    path = _entry(cache)
    victim = tmp_path / "victim"
    victim.write_text("still here")
    path.write_bytes(pickle.dumps(_Planted(victim)))
    build = Counted(list(PATTERN_RULES))
    build.load()
    assert victim.exists() and build.calls == 1


def test_an_entry_in_a_directory_others_may_write_is_not_read(cache: Path) -> None:
    path = _entry(cache)
    os.chmod(cache, 0o777)
    build = Counted(list(PATTERN_RULES))
    build.load()
    assert build.calls == 1
    os.chmod(cache, 0o700)
    os.chmod(path, 0o666)
    build.load()
    assert build.calls == 2


def test_an_unwritable_place_builds_live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("TEXTCLEAN_CACHE_DIR", str(blocker / "cache"))
    build = Counted(list(PATTERN_RULES))
    assert build.load() == Matcher.build(list(PATTERN_RULES), frozenset())
    assert build.load() == Matcher.build(list(PATTERN_RULES), frozenset())
    assert build.calls == 2


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes to read-only directories")
def test_a_read_only_directory_builds_live(cache: Path) -> None:
    cache.mkdir(mode=0o500)
    try:
        build = Counted(list(PATTERN_RULES))
        assert build.load() == Matcher.build(list(PATTERN_RULES), frozenset())
        assert build.calls == 1 and entries(cache) == []
    finally:
        os.chmod(cache, 0o700)


def test_a_write_that_fails_leaves_no_temporary_file(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(source: str, target: str) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(rule_cache.os, "replace", refuse)
    build = Counted(list(PATTERN_RULES))
    build.load()
    assert build.calls == 1 and list(cache.iterdir()) == []


def test_the_cache_can_be_turned_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTCLEAN_NO_CACHE", "1")
    assert rule_cache.cache_directory() is None
    build = Counted(list(PATTERN_RULES))
    build.load()
    build.load()
    assert build.calls == 2 and not cache.exists()
    monkeypatch.setenv("TEXTCLEAN_NO_CACHE", "0")
    assert rule_cache.cache_directory() == cache


def test_where_the_cache_lives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEXTCLEAN_NO_CACHE", raising=False)
    monkeypatch.setenv("TEXTCLEAN_CACHE_DIR", str(tmp_path / "chosen"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert rule_cache.cache_directory() == tmp_path / "chosen"
    monkeypatch.delenv("TEXTCLEAN_CACHE_DIR")
    assert rule_cache.cache_directory() == tmp_path / "xdg" / "textclean"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # to be ignored, says the XDG specification
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert rule_cache.cache_directory() == tmp_path / "home" / ".cache" / "textclean"


def test_the_directory_and_entries_are_private(cache: Path) -> None:
    path = _entry(cache)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_only_the_most_recently_used_entries_are_kept(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rule_cache, "KEEP", 3)

    def store(n: int) -> Path:
        assert rule_cache.load_or_build("bounded", [n], lambda: n, int) == n
        return cache / f"bounded-{rule_cache._key('bounded', [n])}.pickle"

    first = store(0)
    for n in range(1, 3):
        os.utime(store(n), (10 * n, 10 * n))  # written long ago (file times are too coarse to order them)
    os.utime(first, (1, 1))  # the first even longer ago...
    store(0)  # ...but read again now: used last
    stale = cache / ".bounded-x.pickle.abc.tmp"
    stale.write_bytes(b"left by a killed writer")
    os.utime(stale, (1, 1))
    fresh = cache / ".bounded-y.pickle.abc.tmp"
    fresh.write_bytes(b"being written right now")
    for n in range(3, 5):
        store(n)
    assert len(entries(cache)) == 3 and first in entries(cache)
    assert not stale.exists() and fresh.exists()


# --- the same output whatever the cache ---


def _corpus(tmp_path: Path) -> Path:
    lines = (CASES / "clean.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["input"] for line in lines if line.strip()]
    texts.append(EXAMPLE.read_text(encoding="utf-8"))
    path = tmp_path / "pages.jsonl"
    path.write_text("".join(json.dumps({"id": k, "text": t}) + "\n" for k, t in enumerate(texts)), encoding="utf-8")
    return path


def test_cli_output_is_identical_cold_warm_and_off(
    run_cli: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = _corpus(tmp_path)
    monkeypatch.setenv("TEXTCLEAN_CACHE_DIR", str(tmp_path / "cache"))
    outputs = {}
    for run, off, workers in (("cold", "0", "1"), ("warm", "0", "1"), ("warm-workers", "0", "2"), ("off", "1", "1")):
        monkeypatch.setenv("TEXTCLEAN_NO_CACHE", off)
        out, report = tmp_path / f"{run}.jsonl", tmp_path / f"{run}.report.jsonl"
        options = ["--report", report, "--mode", "aggressive", "--workers", workers]
        done = run_cli(["clean", pages, "-o", out, *options], check=True)
        outputs[run] = (out.read_bytes(), report.read_bytes(), done.stdout, done.stderr)
        if run == "cold":
            # the matcher, the comment gates, the compiled patterns, the line classes, the ftfy gate and the
            # document scan's normal-form marks
            assert len(entries(tmp_path / "cache")) == 6
    assert outputs["cold"] == outputs["warm"] == outputs["warm-workers"] == outputs["off"]


def test_cleaning_is_identical_with_read_back_rules(cache: Path) -> None:
    lines = (CASES / "clean.jsonl").read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    for config in {CleanConfig(**case.get("config", {})) for case in cases}:
        cold, warm = Cleaner(config), Cleaner(config)
        assert cold.rules.matcher is not warm.rules.matcher
        for case in cases:
            assert warm.clean(case["input"]) == cold.clean(case["input"])


def test_gates_pickle_without_numpy() -> None:
    gates = _gates(COMMENT_HEADERS, COMMENT_MARKERS)
    assert b"numpy" not in pickle.dumps(gates)
    assert isinstance(pickle.loads(pickle.dumps(gates)), _Gates)


# --- compiled patterns (textclean/_patterns.py) ---


def _rule_lines() -> list[str]:
    """Lines the patterns are tried on: every rule's examples and keeps, and the golden cases' inputs."""
    lines = [line for rule in PATTERN_RULES for text in (*rule.examples, *rule.keeps) for line in text.splitlines()]
    for record in (CASES / "clean.jsonl").read_text(encoding="utf-8").splitlines():
        if record.strip():
            lines += json.loads(record)["input"].splitlines()
    return lines


def test_patterns_read_back_compiled_match_as_live_ones(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "_COMPILED", {})  # as in a new process: nothing compiled yet
    rules = compile_rules(CleanConfig(mode="aggressive"))
    sources = sorted(set(rules.matcher.pattern_sources() + rules.comments.pattern_sources()))
    assert len(sources) > 500 and [path.name.split("-")[0] for path in entries(cache)].count("patterns") == 1
    with monkeypatch.context() as patched:
        patched.setattr(patterns, "_COMPILED", {})
        patched.setattr(patterns.regex, "compile", lambda *args: pytest.fail(f"compiled again: {args}"))
        patterns.preload(sources)  # warm: read back, nothing compiled
        read = dict(patterns._COMPILED)
    assert sorted(read) == sources
    lines = _rule_lines()
    for source, flags in sources:
        live, back = regex.compile(source, flags), read[(source, flags)]
        assert (back.pattern, back.flags, back.groupindex) == (live.pattern, live.flags, live.groupindex)
        for line in lines:
            found, expected = back.search(line.lower()), live.search(line.lower())
            assert (found and found.span()) == (expected and expected.span()), (source, line)


def test_no_cache_compiles_on_first_use_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTCLEAN_NO_CACHE", "1")
    monkeypatch.setattr(patterns, "_COMPILED", {})
    patterns.preload([("(?:read more)", regex.IGNORECASE)])
    assert patterns.compiled_already("(?:read more)", regex.IGNORECASE) is None
    assert patterns.compile_pattern("(?:read more)", regex.IGNORECASE).match("READ MORE")


def test_a_patterns_entry_holding_other_patterns_is_not_trusted(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wanted = [("(?:share this)", regex.IGNORECASE), ("(?:read more)", regex.IGNORECASE)]
    monkeypatch.setattr(patterns, "_COMPILED", {})
    patterns.preload(wanted)
    (path,) = entries(cache)
    rule_cache._write(path, {("(?:share this)", regex.IGNORECASE): regex.compile("anything")}, ())
    monkeypatch.setattr(patterns, "_COMPILED", {})
    patterns.preload(wanted)
    assert patterns.compile_pattern("(?:share this)", regex.IGNORECASE).pattern == "(?:share this)"
    assert patterns.compile_pattern("(?:read more)", regex.IGNORECASE).match("Read more")


@pytest.mark.parametrize(
    ("module", "name", "allowed"),
    [("regex._regex", "compile", True), ("regex._main", "compile", False), ("regex", "compile", False)],
)
def test_the_unpickler_resolves_only_regex_s_own_pattern_constructor(module: str, name: str, allowed: bool) -> None:
    unpickler = rule_cache._Unpickler(io.BytesIO(b""), ())
    if allowed:
        assert callable(unpickler.find_class(module, name))
    else:
        with pytest.raises(pickle.UnpicklingError):
            unpickler.find_class(module, name)


def test_the_ftfy_gate_analysis_read_back_equals_a_live_one(cache: Path) -> None:
    from textclean import _ftfy_gate

    cold = _ftfy_gate._cached_analysis()  # built and stored
    assert [path.name.split("-")[0] for path in entries(cache)] == ["ftfy"]
    warm = _ftfy_gate._cached_analysis()  # read back
    assert cold == warm == _ftfy_gate._analyse()
    assert all(isinstance(context.before, frozenset) for context in warm.contexts.values())
