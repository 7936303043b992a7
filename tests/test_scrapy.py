"""The Scrapy item pipeline: unit tests, then real crawls of a generated site served on localhost."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy_site.pages import Site, build_site
from scrapy_site.servers import RedisServer, missing, running_redis, serve_pages

from textclean._errors import ConfigError

CRAWL = Path(__file__).parent / "scrapy_site" / "crawl.py"
STORY = "The river rose two metres overnight, flooding the old town and the harbour car park."

try:
    import scrapy

    HAVE_SCRAPY = bool(scrapy.__version__)
except ImportError:
    HAVE_SCRAPY = False


@pytest.fixture(autouse=True)
def needs_scrapy() -> None:
    if not HAVE_SCRAPY:
        missing("Scrapy is not installed (pip install 'textclean[scrapy]')")


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def make_pipeline(**settings: Any) -> tuple[Any, Stats]:
    from textclean.contrib.scrapy import PipelineSettings, TextCleanPipeline

    stats = Stats()
    pipeline = TextCleanPipeline(PipelineSettings.from_mapping(settings), stats)
    pipeline.open_spider()
    return pipeline, stats


def test_pipeline_cleans_counts_and_drops() -> None:
    from scrapy.exceptions import DropItem

    pipeline, stats = make_pipeline(TEXTCLEAN_REPORT_FIELD="removed")
    item = {"url": "https://a.example/flood", "text": f"Share on Facebook\n{STORY}\nAbout admin"}
    assert pipeline.process_item(item) is item
    assert item["text"] == STORY and [r["code"] for r in item["removed"]] == ["B030", "B011"]
    with pytest.raises(DropItem, match=r"D101 near-duplicate-document: duplicate of https://a\.example/flood"):
        pipeline.process_item({"url": "https://b.example/flood", "text": STORY})
    with pytest.raises(DropItem, match="nothing left after cleaning"):
        pipeline.process_item({"url": "https://a.example/tag", "text": "Share on Facebook"})
    assert pipeline.process_item({"url": "https://a.example/image"}) == {"url": "https://a.example/image"}
    pipeline.close_spider()
    assert stats.values == {
        "textclean/items_cleaned": 3, "textclean/items_kept": 1, "textclean/duplicates_dropped": 1,
        "textclean/empty_dropped": 1, "textclean/items_empty": 1, "textclean/items_without_text": 1,
        "textclean/lines_total": 5, "textclean/lines_removed": 3, "textclean/removed/B030": 2,
        "textclean/removed/B011": 1, "textclean/words_in": 38, "textclean/words_removed": 8,
    }  # fmt: skip


def test_pipeline_handles_scrapy_items_in_place() -> None:
    import scrapy as scrapy_module

    class Page(scrapy_module.Item):
        url = scrapy_module.Field()
        body = scrapy_module.Field()

    pipeline, _ = make_pipeline(TEXTCLEAN_TEXT_FIELD="body", TEXTCLEAN_DEDUP=False, TEXTCLEAN_ON_EMPTY="keep")
    item = Page(url="u", body=f"{STORY}\nAbout admin")
    assert pipeline.process_item(item) is item and item["body"] == STORY
    assert pipeline.process_item(Page(url="v", body="About admin"))["body"] == ""
    assert pipeline.process_item(Page(url="w", body=STORY))["body"] == STORY  # dedup is off


def test_settings_are_checked() -> None:
    from textclean.contrib.scrapy import PipelineSettings

    assert PipelineSettings.from_mapping({"TEXTCLEAN_DEDUP_THRESHOLD": "0.9"}).dedup_threshold == 0.9
    with pytest.raises(ConfigError, match="TEXTCLEAN_DEDUP must be true or false"):
        PipelineSettings.from_mapping({"TEXTCLEAN_DEDUP": "maybe"})
    with pytest.raises(ConfigError, match="on_empty must be"):
        make_pipeline(TEXTCLEAN_ON_EMPTY="discard")
    with pytest.raises(ConfigError, match="no such configuration file"):
        make_pipeline(TEXTCLEAN_CONFIG="/nonexistent/textclean.toml")


# --- real crawls -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site() -> Site:
    return build_site()


@pytest.fixture(scope="module")
def site_url(site: Site) -> Iterator[str]:
    with serve_pages(site.pages) as url:
        yield url


def start_crawl(url: str, out: Path, **settings: Any) -> subprocess.Popen[str]:
    out.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(CRAWL), url + "/", "--feed", str(out / "items.jsonl"),
               "--stats", str(out / "stats.json")]  # fmt: skip
    for key, value in settings.items():
        command += ["--set", f"{key}={json.dumps(value)}"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str], out: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    _, stderr = process.communicate(timeout=180)
    assert process.returncode == 0, stderr[-3000:]
    assert "Traceback" not in stderr, stderr[-3000:]
    items = [json.loads(line) for line in (out / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    return items, json.loads((out / "stats.json").read_text(encoding="utf-8"))


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_crawl_cleans_items_and_drops_near_duplicates(site: Site, site_url: str, tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    process = start_crawl(site_url, tmp_path, TEXTCLEAN_INDEX=str(index), TEXTCLEAN_REPORT_FIELD="removed")
    items, stats = finish(process, tmp_path)

    pages = len(site.cluster_of) + len(site.chrome_only)
    assert pages >= 200 and stats["downloader/response_count"] == len(site.pages)
    # One item per article (cluster), whichever copy came first; every copy was an item.
    clusters = sorted(site.cluster_of[path_of(item["url"])] for item in items)
    assert clusters == sorted(site.articles)
    # No planted chrome left; the article's paragraphs are there.
    for item in items:
        path = path_of(item["url"])
        lines = set(item["text"].split("\n"))
        assert not lines & set(site.chrome_of[path]), (path, lines & set(site.chrome_of[path]))
        assert all(paragraph in item["text"] for paragraph in site.body_of[path]), path
        assert {r["code"] for r in item["removed"]} >= {"B010", "B011", "B020", "B030"}
    # Everything is counted in the crawl stats.
    duplicates = len(site.cluster_of) - len(site.articles)
    assert stats["textclean/items_cleaned"] == pages
    assert stats["textclean/items_kept"] == stats["item_scraped_count"] == len(site.articles)
    assert stats["textclean/duplicates_dropped"] == duplicates
    assert stats["textclean/empty_dropped"] == len(site.chrome_only)
    assert stats["item_dropped_count"] == duplicates + len(site.chrome_only)
    assert stats["textclean/removed/B010"] == len(site.cluster_of)  # one RSS footer per article page
    assert stats["textclean/removed/B030"] == 2 * len(site.cluster_of)  # two share lines
    assert stats["textclean/lines_removed"] >= 9 * len(site.cluster_of)
    # The index on disk holds exactly the kept items.
    from textclean._online import open_index

    with open_index(str(index)) as reopened:
        assert len(reopened) == len(site.articles)


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


def test_two_crawlers_share_one_redis_index(redis_server: RedisServer, tmp_path: Path) -> None:
    """Two crawler processes crawl the same site at once: each article is kept by exactly one of them."""
    site = build_site(seed=11, articles=60, syndicated=15, twice=10, chrome_only=2)
    settings = {"TEXTCLEAN_INDEX": redis_server.url, "TEXTCLEAN_INDEX_NAMESPACE": "two-crawlers"}
    with serve_pages(site.pages) as site_url:
        crawls = [start_crawl(site_url, tmp_path / name, **settings) for name in ("one", "two")]
        results = [finish(process, tmp_path / name) for process, name in zip(crawls, ("one", "two"), strict=True)]
    kept = [site.cluster_of[path_of(item["url"])] for items, _ in results for item in items]
    assert sorted(kept) == sorted(site.articles)
    dropped = sum(stats.get("textclean/duplicates_dropped", 0) for _, stats in results)
    assert dropped == 2 * len(site.cluster_of) - len(site.articles)


def test_unreachable_index_fails_the_item_and_is_counted() -> None:
    from textclean._online import IndexUnavailableError, SQLiteIndex

    class Unreachable(SQLiteIndex):
        def insert_signature_if_new(self, doc_id: str, signature: Any) -> Any:
            raise IndexUnavailableError("cannot reach the Redis index at redis://127.0.0.1:6379/0")

    pipeline, stats = make_pipeline()
    pipeline.items.index = Unreachable()
    with pytest.raises(IndexUnavailableError, match=r"redis://127\.0\.0\.1:6379/0"):
        pipeline.process_item({"url": "u", "text": STORY})
    assert stats.values == {"textclean/index_errors": 1}
