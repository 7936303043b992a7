"""Corpus-learned site templates (``T001``): learning, matching, the template file, the CLI."""

from __future__ import annotations

import argparse
import json
import pickle
import random
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textclean import CleanConfig, Cleaner, ConfigError, InputError, OutputError
from textclean._cli_templates import add_parser, templates_for_clean
from textclean._sites import site_for_record, site_of
from textclean._template_learner import TemplateLearner, learn_templates
from textclean._templates import (
    FORMAT_VERSION,
    TEMPLATE_RULES,
    TemplateConfig,
    TemplateStore,
    line_key,
    load_templates,
)

# ---------------------------------------------------------------------------------------------------------------
# A generated corpus: sites with their own chrome, pages with their own articles.

_WORDS = (
    "river council bridge harvest museum teacher winter station market village engineer report budget "
    "garden festival library hospital election orchestra mountain harbour factory railway painter forest "
    "vote repair study open close measure describe announce finish travel build remember follow discover "
    "quickly slowly early late quietly almost nearly often rarely again already together"
).split()
_QUOTE = '"We shall not be moved from this valley," the old farmer told the crowd gathered at the gate.'
_SYNDICATED = (
    "The regional water authority said on Tuesday that the reservoirs serving the northern valleys had reached "
    "their lowest level in a decade, and asked households and farms to cut their use by a fifth until the autumn "
    "rains return, while engineers inspect the ageing pipes that lose a third of the supply before it reaches a tap."
)


@dataclass
class Page:
    site: str
    lines: list[str]
    template: set[int] = field(default_factory=set)  # indexes of the site's template lines

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(14, 28))]
    return (" ".join(words) + ".").capitalize()


def _site_chrome(index: int, rng: random.Random) -> tuple[list[str], list[str]]:
    name = f"The {rng.choice(_WORDS).title()} {rng.choice(('Gazette', 'Herald', 'Review', 'Journal'))} {index}"
    header = [
        name,
        f"{name}: news and views from the {rng.choice(_WORDS)} district since 19{index + 10}",
        "Home",
        f"{rng.choice(_WORDS).title()} section",
        "Sign in | Register",
        "Page {page} of {pages}",  # digits vary from page to page: folded
        "Last updated {year}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}",
    ]
    footer = [
        f"Copyright © {{year}} {name}. All rights reserved.",
        f"Subscribe to the {name} newsletter",
        "Contact us | Privacy policy | Terms of use",
        f"{{online}} readers online at {name.lower()}",
    ]
    return header, footer


def generate_corpus(sites: int = 24, pages: int = 32, seed: int = 7) -> list[Page]:
    """Pages of ``sites`` sites with per-site header and footer, unique articles, a shared quotation, a syndicated
    paragraph on a few pages of one site and another on most pages of a second (both content)."""
    rng = random.Random(seed)
    corpus = []
    for s in range(sites):
        site = f"site{s:02d}.example"
        header, footer = _site_chrome(s, rng)
        for p in range(pages):
            values = {
                "page": p + 1, "pages": pages, "year": 2000 + rng.randint(0, 24), "month": rng.randint(1, 12),
                "day": rng.randint(1, 28), "hour": rng.randint(0, 23), "minute": rng.randint(0, 59),
                "online": rng.randint(2, 9999),
            }  # fmt: skip
            article = [_sentence(rng) for _ in range(rng.randint(4, 9))]
            if s in (0, 1) and p % 4 == 0:  # 8 of 32 pages of two sites quote the same farmer
                article.insert(1, _QUOTE)
            if s == 2 and p < 5:  # syndicated on a few pages
                article.append(_SYNDICATED)
            if s == 3 and p < 24:  # a long paragraph on 75% of the pages: prose, below the long-line share
                article.append(_SYNDICATED)
            lines = [line.format(**values) for line in header] + [""] + article + [""]
            lines += [line.format(**values) for line in footer]
            footer_start = len(header) + 1 + len(article) + 1
            chrome = set(range(len(header))) | set(range(footer_start, len(lines)))
            corpus.append(Page(site, lines, chrome))
    return corpus


@pytest.fixture(scope="module")
def corpus() -> list[Page]:
    return generate_corpus()


@pytest.fixture(scope="module")
def store(corpus: list[Page]) -> TemplateStore:
    return learn_templates((page.site, page.text) for page in corpus)


def _removed_lines(cleaner: Cleaner, page: Page) -> dict[int, str]:
    """0-based line index -> reason code of every removed line."""
    result = cleaner.clean(page.text, site=page.site)
    return {i - 1: r.code for r in result.removed for i in range(r.line_start, r.line_end + 1)}


# ---------------------------------------------------------------------------------------------------------------
# Acceptance on the generated corpus


def test_generated_corpus_template_lines_removed_and_content_kept(corpus: list[Page], store: TemplateStore) -> None:
    assert len({page.site for page in corpus}) >= 20 and len(corpus) >= 20 * 30
    template_total = template_removed = content_by_template = 0
    for page in corpus:
        found = store.match(page.site, page.lines)
        template_total += len(page.template)
        template_removed += len(page.template & set(found))
        content_by_template += len(set(found) - page.template)
    assert template_removed / template_total >= 0.99
    assert content_by_template == 0


def test_through_the_cleaner_templates_remove_chrome_and_no_content(corpus: list[Page], store: TemplateStore) -> None:
    plain, templated = Cleaner(), Cleaner(templates=store)
    chrome_total = chrome_removed = 0
    for page in corpus[::7]:
        before, after = _removed_lines(plain, page), _removed_lines(templated, page)
        content = {i for i, line in enumerate(page.lines) if line} - page.template
        assert {i for i, code in after.items() if code == "T001"} <= page.template
        assert content & set(after) == content & set(before)  # the templates removed no content line
        chrome_total += len(page.template)
        chrome_removed += len(page.template & set(after))
    assert chrome_removed / chrome_total >= 0.99


def test_evidence_names_counts_and_site(corpus: list[Page], store: TemplateStore) -> None:
    page = corpus[40]
    result = Cleaner(templates=store).clean(page.text, site=page.site)
    evidence = {r.evidence for r in result.removed if r.code == "T001"}
    assert "seen on 32 of 32 pages of site01.example" in evidence
    assert all(r.rule == "site-template" for r in result.removed if r.code == "T001")


def test_quotation_of_two_sites_and_syndicated_paragraphs_are_kept(corpus: list[Page], store: TemplateStore) -> None:
    cleaner = Cleaner(templates=store)
    for page in corpus:
        if _QUOTE in page.lines or _SYNDICATED in page.lines:
            text = cleaner.clean(page.text, site=page.site).text
            assert all(line in text for line in (_QUOTE, _SYNDICATED) if line in page.lines)


def test_templates_are_scoped_per_site(store: TemplateStore, corpus: list[Page]) -> None:
    chrome = corpus[0].lines[0]  # site00's name, template there
    assert store.match("site00.example", [chrome])
    assert not store.match("site05.example", [chrome])
    assert not store.match("unknown.example", [chrome])


def test_digit_folding_catches_varying_numbers(store: TemplateStore) -> None:
    found = store.match("site07.example", ["Page 999 of 1000", "Last updated 1999-12-31 23:59"])
    assert set(found) == {0, 1}


def test_site_with_too_few_pages_gets_no_template() -> None:
    pages = [("small.example", f"Small Site menu\nArticle {word} is here.") for word in ("one", "two", "three", "four")]
    store = learn_templates(pages)
    assert store.sites == ()
    assert learn_templates(pages, min_pages=4).sites == ("small.example",)


def test_exact_copies_of_a_page_count_once() -> None:
    article = "A long article that a mirror printed many times, word for word, on the same site."
    pages = [("mirror.example", f"Mirror menu\n{article}")] * 10 + [("mirror.example", "Mirror menu\nOther text.")]
    learner = TemplateLearner()
    for site, text in pages:
        learner.add(site, text)
    assert learner.duplicate_pages == 9
    assert learn_templates(pages, min_pages=2, min_count=2).match("mirror.example", [article]) == {}


def test_long_lines_need_a_larger_share() -> None:
    long_line = " ".join(["word"] * 45)
    pages = [("a.example", f"Menu\n{long_line if n < 8 else ''}\nStory {w}.") for n, w in enumerate("abcdefghij")]
    store = learn_templates(pages)
    assert set(store.match("a.example", ["Menu", long_line])) == {0}
    assert set(learn_templates(pages, long_line_share=0.8).match("a.example", ["Menu", long_line])) == {0, 1}


def test_blank_lines_are_never_template(store: TemplateStore) -> None:
    assert store.match("site01.example", ["", "", ""]) == {}


# ---------------------------------------------------------------------------------------------------------------
# Keys, sites, configuration


def test_line_key_folds_case_digits_and_spaces() -> None:
    assert line_key("Page 3 of 12") == line_key("page  47 of 9") != line_key("Page of")
    assert len(line_key("x")) == 16


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.Example.com/a", "example.com"),
        ("http://news.example.org:8080/x?y=1", "news.example.org"),
        ("example.net/path", "example.net"),
        ("//cdn.example.com/x", "cdn.example.com"),
        ("", None),
        (None, None),
        (42, None),
        ("http://[::1", None),
        ("mailto:someone@example.com", None),
    ],
)
def test_site_of(url: object, site: str | None) -> None:
    assert site_of(url) == site


def test_site_for_record() -> None:
    assert site_for_record({"url": "https://www.a.org/x"}, None, "url") == "a.org"
    assert site_for_record({"host": "B.org", "url": "https://a.org"}, "host", "url") == "b.org"
    assert site_for_record({"url": "https://a.org"}, "host", "url") is None
    assert site_for_record(None, None, "url") is None


@pytest.mark.parametrize(
    "options",
    [{"min_pages": 0}, {"min_share": 0}, {"min_share": 1.5}, {"min_count": True}, {"long_line_share": "x"}],
)
def test_bad_thresholds_are_config_errors(options: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        TemplateLearner().build(**options)


def test_unknown_threshold_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown template option"):
        TemplateLearner().build(min_sites=3)


def test_rule_record() -> None:
    (rule,) = TEMPLATE_RULES
    assert (rule.code, rule.name) == ("T001", "site-template")


# ---------------------------------------------------------------------------------------------------------------
# The template file, determinism, pickling


def test_save_and_load_round_trip(store: TemplateStore, tmp_path: Path, corpus: list[Page]) -> None:
    path = tmp_path / "templates.json"
    store.save(str(path))
    loaded = load_templates(str(path))
    assert loaded == store
    assert loaded.to_dict() == store.to_dict()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == FORMAT_VERSION and data["parameters"]["min_pages"] == 5
    assert data["sites"]["site00.example"]["pages"] == 32
    assert corpus[0].lines[0] not in path.read_text(encoding="utf-8")  # keys, not text


def _write(tmp_path: Path, content: object) -> str:
    path = tmp_path / "t.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def _valid() -> dict[str, object]:
    return learn_templates([("a.org", f"Menu\nText {w}") for w in "vwxyz"]).to_dict()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": 2}, "version 2 .* is not supported"),
        ({"format": "something-else"}, "not a valid textclean template file"),
        ({"parameters": {"min_pages": 5, "colour": "red"}}, "parameters"),
        ({"parameters": {"min_pages": -1}}, "bad parameters"),
        ({"sites": []}, "sites"),
        ({"sites": {"a.org": {"pages": 5, "lines": {"zz": 3}}}}, "16 hex digits"),
        ({"sites": {"a.org": {"pages": 5, "lines": {"00112233445566ff": 9}}}}, "1 to 5"),
        ({"sites": {"a.org": {"pages": "5", "lines": {}}}}, "positive integer"),
    ],
)
def test_bad_template_files_are_input_errors(tmp_path: Path, change: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_templates(_write(tmp_path, {**_valid(), **change}))


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", "", "null"])
def test_malformed_json_is_an_input_error(tmp_path: Path, content: str) -> None:
    with pytest.raises(InputError, match=r"t\.json"):
        load_templates(_write(tmp_path, content))


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such template file"):
        load_templates(str(tmp_path / "absent.json"))


def test_same_store_whatever_the_page_order(corpus: list[Page], store: TemplateStore) -> None:
    shuffled = list(corpus)
    random.Random(3).shuffle(shuffled)
    other = learn_templates((page.site, page.text) for page in shuffled)
    assert other == store and other.to_dict() == store.to_dict()


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(12)), st.integers(1, 3))
def test_order_independence_property(order: Sequence[int], copies: int) -> None:
    pages = [("s.example", f"Menu\nFooter {i % 3}\nStory {'xyzw'[i % 4] * (i + 1)}.") for i in range(12)]
    pages = pages * copies
    reference = learn_templates(pages)
    assert learn_templates([pages[i] for i in order] + pages[12:]) == reference


def test_store_and_cleaner_pickle(store: TemplateStore, corpus: list[Page]) -> None:
    assert pickle.loads(pickle.dumps(store)) == store
    cleaner = pickle.loads(pickle.dumps(Cleaner(templates=store)))
    page = corpus[0]
    assert cleaner.clean(page.text, site=page.site) == Cleaner(templates=store).clean(page.text, site=page.site)


def test_store_is_immutable(store: TemplateStore) -> None:
    with pytest.raises(AttributeError):
        store.config = TemplateConfig()  # type: ignore[misc]


def test_accounting_holds_with_templates(corpus: list[Page], store: TemplateStore) -> None:
    result = Cleaner(CleanConfig(), templates=store).clean(corpus[5].text, site=corpus[5].site)
    assert result.lines_kept + sum(r.line_end - r.line_start + 1 for r in result.removed) + result.lines_blank == (
        result.lines_total
    )


# ---------------------------------------------------------------------------------------------------------------
# Command line and the two-pass flow


def _jsonl(tmp_path: Path, corpus: Sequence[Page], name: str = "pages.jsonl") -> str:
    path = tmp_path / name
    with path.open("w", encoding="utf-8") as out:
        for n, page in enumerate(corpus):
            url = f"https://www.{page.site}/article/{n}" if n % 50 else None  # a few records without a URL
            out.write(json.dumps({"id": n, "url": url, "source": page.site, "text": page.text}) + "\n")
    return str(path)


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="textclean")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args))


def test_cli_learn_writes_a_template_file(
    tmp_path: Path, corpus: list[Page], capsys: pytest.CaptureFixture[str]
) -> None:
    source = _jsonl(tmp_path, corpus)
    output = tmp_path / "templates.json"
    assert _run(["templates", "learn", source, "-o", str(output)]) == 0
    store = load_templates(str(output))
    assert len(store.sites) == 24
    assert "without a site" in capsys.readouterr().err
    by_field = tmp_path / "by-field.json"
    assert _run(["templates", "learn", source, "--site-field", "source", "--min-pages", "40", "-o", str(by_field)]) == 0
    assert load_templates(str(by_field)).sites == ()


def test_cli_learn_refuses_plain_text_and_overwriting_an_input(tmp_path: Path) -> None:
    text = tmp_path / "page.txt"
    text.write_text("hello\n", encoding="utf-8")
    with pytest.raises(InputError, match="JSONL"):
        _run(["templates", "learn", str(text), "-o", str(tmp_path / "t.json")])
    with pytest.raises(OutputError):
        _run(["templates", "learn", str(text), "-o", str(text)])


def test_two_pass_clean_through_templates_for_clean(tmp_path: Path, corpus: list[Page]) -> None:
    source = _jsonl(tmp_path, corpus)
    learned = templates_for_clean([source], learn=True, url_field="url")
    assert learned is not None
    saved = tmp_path / "templates.json"
    learned.save(str(saved))
    assert templates_for_clean([source], template_file=str(saved)) == learned
    assert templates_for_clean([source]) is None
    page = corpus[33]
    result = Cleaner(templates=learned).clean(page.text, site=site_for_record({"url": f"http://{page.site}/"}, None))
    assert page.lines[0] not in result.text and any(r.code == "T001" for r in result.removed)


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"learn": True, "template_file": "t.json"}, ConfigError),
        ({"min_pages": 3}, ConfigError),
        ({"learn": True, "paths": ["-"]}, InputError),
    ],
)
def test_templates_for_clean_refuses(options: dict[str, object], error: type[Exception], tmp_path: Path) -> None:
    paths = options.pop("paths", [str(tmp_path / "x.jsonl")])
    with pytest.raises(error):
        templates_for_clean(paths, **options)  # type: ignore[arg-type]


def _cli_has_templates() -> bool:
    from textclean._cli import build_parser

    parser = build_parser()
    return any("templates" in (getattr(action, "choices", None) or {}) for action in parser._actions)


@pytest.mark.skipif(not _cli_has_templates(), reason="`templates` is not registered in textclean/_cli.py yet")
def test_cli_subprocess(tmp_path: Path, corpus: list[Page]) -> None:
    source = _jsonl(tmp_path, corpus[:64])
    output = tmp_path / "templates.json"
    done = subprocess.run(
        [sys.executable, "-m", "textclean", "templates", "learn", source, "-o", str(output)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert load_templates(str(output)).sites == ("site00.example", "site01.example")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "textclean-templates", "version": 99}', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "textclean", "clean", "--templates", str(bad), source, "-o", str(tmp_path / "o.jsonl")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1 and "textclean: error:" in done.stderr and "Traceback" not in done.stderr
