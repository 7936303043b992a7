"""The streaming API: lazy, bounded memory, copies, counts, empty pages, duplicates, reports."""

from __future__ import annotations

import itertools
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest

from textclean._config import CleanConfig
from textclean._errors import ConfigError, InputError
from textclean._online import SQLiteIndex
from textclean._stream import ItemCleaner, StreamStats, clean_stream

STORY = "The river rose two metres overnight, flooding the old town and the harbour car park."
OTHER = "The council approved a plan to plant four hundred street trees along the ring road."


def page(body: str, site: str) -> str:
    return f"Share on Facebook\n{body}\nThe post Flood appeared first on {site}.\nAbout admin"


class Source:
    """A generator of items that records how many were pulled."""

    def __init__(self, count: int, make: Any = lambda n: {"text": ""}) -> None:
        self.count, self.make, self.pulled = count, make, 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for number in range(self.count):
            self.pulled += 1
            yield self.make(number)


def test_cleans_and_drops_near_duplicates_across_sites() -> None:
    items = [
        {"url": "https://a.example/flood", "text": page(STORY, "Site A")},
        {"url": "https://b.example/flood", "text": page(STORY + " Updated.", "Site B")},
        {"url": "https://a.example/trees", "text": page(OTHER, "Site A")},
    ]
    cleaner = ItemCleaner(index=SQLiteIndex(), id_field="url")
    out = list(cleaner.clean_items(items))
    assert [item["url"] for item in out] == ["https://a.example/flood", "https://a.example/trees"]
    assert [item["text"] for item in out] == [STORY, OTHER]
    stats = cleaner.stats
    assert (stats.items, stats.kept, stats.duplicates_dropped, stats.empty_dropped) == (3, 2, 1, 0)
    assert stats.cleaning.documents == 3 and stats.cleaning.lines_removed == 9
    assert stats.cleaning.by_code == {"B010": 3, "B011": 3, "B030": 3}


def test_input_items_are_not_modified() -> None:
    item = {"text": page(STORY, "Site A"), "lang": "en"}
    original = dict(item)
    [out] = clean_stream([item])
    assert item == original and out == {"text": STORY, "lang": "en"}


def test_on_empty() -> None:
    items = [{"text": "Share on Facebook\nAbout admin"}, {"text": STORY}]
    assert [i["text"] for i in clean_stream(items)] == ["", STORY]
    assert [i["text"] for i in clean_stream(items, on_empty="drop")] == [STORY]
    cleaner = ItemCleaner(on_empty="drop")
    list(cleaner.clean_items(items))
    assert cleaner.stats.empty_dropped == 1 and cleaner.stats.cleaning.documents_empty == 1


def test_report_field_lists_the_removals() -> None:
    [out] = clean_stream([{"text": page(STORY, "Site A")}], report_field="removed")
    assert [r["rule"] for r in out["removed"]] == ["share-buttons", "rss-footer", "author-box"]
    assert out["removed"][0] == {
        "code": "B030", "rule": "share-buttons", "line_start": 1, "line_end": 1, "start": 0, "end": 17,
        "text": "Share on Facebook", "evidence": out["removed"][0]["evidence"],
    }  # fmt: skip


def test_missing_or_non_text_field() -> None:
    with pytest.raises(InputError, match=r"item #1 has no 'text' field"):
        list(clean_stream([{"text": STORY}, {"body": STORY}]))
    passed = ItemCleaner(missing_text="pass")
    assert list(passed.clean_items([{"body": "x"}])) == [{"body": "x"}]
    assert passed.stats.without_text == 1 and passed.stats.kept == 1
    with pytest.raises(InputError, match=r"holds int, not text"):
        list(clean_stream([{"text": 42}]))


def test_custom_field_names_and_config() -> None:
    config = CleanConfig(disabled_rules=frozenset({"share-buttons", "low-content-line"}))  # rule and line model
    [out] = clean_stream([{"body": page(STORY, "A")}], text_field="body", config=config)
    assert out["body"] == f"Share on Facebook\n{STORY}"


def test_bad_options() -> None:
    with pytest.raises(ConfigError, match="on_empty"):
        ItemCleaner(on_empty="skip")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="missing_text"):
        ItemCleaner(missing_text="ignore")  # type: ignore[arg-type]


def test_documents_without_an_id_are_numbered() -> None:
    cleaner = ItemCleaner(index=SQLiteIndex())
    outcomes = [cleaner.process({"text": STORY}), cleaner.process({"text": STORY})]
    assert outcomes[1].decision is not None and outcomes[1].decision.duplicate_of == "#0"
    assert [o.action for o in outcomes] == ["keep", "drop-duplicate"]


def test_stream_is_lazy_over_100k_items() -> None:
    """No read-ahead: when the n-th item comes out, exactly n items have been pulled."""
    source = Source(100_000)
    stream = clean_stream(source)
    assert source.pulled == 0  # nothing happens before the first item is asked for
    for number, _ in enumerate(stream, start=1):
        assert source.pulled == number
    assert source.pulled == 100_000


def test_memory_does_not_grow_with_the_stream() -> None:
    """Peak memory while streaming 10,000 items is that of 1,000 (within 256 KiB)."""

    def peak(count: int) -> int:
        source = Source(count, lambda n: {"id": n, "text": "" if n % 100 else "Share on Facebook"})
        cleaner = ItemCleaner(on_empty="drop")
        tracemalloc.start()
        try:
            for _ in cleaner.clean_items(source):
                pass
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(100)  # warm caches
    small, large = peak(1_000), peak(10_000)
    assert large < small + 256 * 1024, (small, large)


def test_stream_with_dedup_is_lazy() -> None:
    source = Source(50, lambda n: {"url": n, "text": f"{STORY} Edition {n % 5}." if n % 2 else f"{OTHER} {n}"})
    stream = clean_stream(source, id_field="url", dedup=SQLiteIndex())
    first = list(itertools.islice(stream, 2))
    assert [item["url"] for item in first] == [0, 1] and source.pulled == 2


def test_stats_add_up_across_shards() -> None:
    items = [{"text": page(STORY, "A")}, {"text": "About admin"}]
    one, two = ItemCleaner(on_empty="drop"), ItemCleaner(on_empty="drop")
    list(one.clean_items(items[:1]))
    list(two.clean_items(items[1:]))
    both = ItemCleaner(on_empty="drop")
    list(both.clean_items(items))
    assert one.stats + two.stats == both.stats
    assert StreamStats() + both.stats == both.stats
