"""A Scrapy item pipeline: clean each item's text, drop near-duplicates, count everything in the stats.

Enable it in ``settings.py`` (needs ``pip install 'textclean[scrapy]'``)::

    ITEM_PIPELINES = {"textclean.contrib.scrapy.TextCleanPipeline": 300}
    TEXTCLEAN_TEXT_FIELD = "text"                     # the item field holding the page text
    TEXTCLEAN_INDEX = "redis://127.0.0.1:6379/0"      # one index for every crawler process

Settings (all optional):

=============================  ============  ===================================================
``TEXTCLEAN_TEXT_FIELD``       ``"text"``    item field with the text; replaced by the cleaned text
``TEXTCLEAN_ID_FIELD``         ``"url"``     item field with the id reported for duplicates
``TEXTCLEAN_CONFIG``           ``None``      a TOML configuration file (``textclean.load_config``)
``TEXTCLEAN_ON_EMPTY``         ``"drop"``    ``"drop"`` or ``"keep"`` items with no text left
``TEXTCLEAN_REPORT_FIELD``     ``None``      if set, the removals are attached under this field
``TEXTCLEAN_DEDUP``            ``True``      drop near-duplicates of items already kept
``TEXTCLEAN_DEDUP_THRESHOLD``  ``0.8``       estimated Jaccard similarity of word 5-grams
``TEXTCLEAN_INDEX``            ``":memory:"``  ``":memory:"``, a SQLite file, or a Redis URL
``TEXTCLEAN_INDEX_NAMESPACE``  ``"textclean"``  Redis key prefix (one per corpus)
``TEXTCLEAN_MISSING_TEXT``     ``"pass"``    items without the text field: ``"pass"`` or ``"error"``
=============================  ============  ===================================================

Stats (``crawler.stats``), all prefixed ``textclean/``: ``items_cleaned``, ``items_kept``,
``items_empty``, ``empty_dropped``, ``duplicates_dropped``, ``items_without_text``,
``lines_total``, ``lines_removed``, ``words_in``, ``words_removed``, ``removed/<CODE>`` (lines
removed per reason code, e.g. ``textclean/removed/B010``) and ``index_errors`` (items that failed
because the shared index was unreachable after retries: Scrapy logs the error, naming the index URL,
and the item is not passed on).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textclean._cleaner import Cleaner
from textclean._config import load_config
from textclean._errors import ConfigError
from textclean._online import IndexUnavailableError, OnlineIndex, OnlineIndexConfig, open_index
from textclean._stream import ItemCleaner, ItemOutcome, MissingText, OnEmpty

__all__ = ["PipelineSettings", "TextCleanPipeline"]

STATS_PREFIX = "textclean/"


def _import_scrapy() -> Any:
    try:
        import itemadapter
        import scrapy.exceptions
    except ImportError:
        raise ConfigError("the Scrapy pipeline needs Scrapy: pip install 'textclean[scrapy]'") from None
    return itemadapter, scrapy.exceptions


@dataclass(frozen=True)
class PipelineSettings:
    """The pipeline's options, read from Scrapy settings named ``TEXTCLEAN_<ATTRIBUTE>``.

    Attributes:
        text_field: item field holding the text; replaced by the cleaned text.
        id_field: item field holding the id reported for duplicates (``"url"``).
        config: path of a TOML cleaning configuration, or ``None`` for the defaults.
        on_empty: ``"drop"`` (default) or ``"keep"`` items with no text left after cleaning.
        report_field: if set, each kept item gets its removals (list of dicts) under this field.
        dedup: drop near-duplicates of items already kept (default on).
        dedup_threshold: estimated Jaccard similarity at or above which an item is a duplicate.
        index: ``":memory:"`` (this crawl only), a SQLite file, or a Redis URL shared by crawlers.
        index_namespace: Redis key prefix; crawlers of one corpus share it.
        missing_text: ``"pass"`` (default) passes items without the text field on unchanged,
            ``"error"`` raises.

    Examples:
        >>> PipelineSettings.from_mapping({"TEXTCLEAN_ON_EMPTY": "keep", "TEXTCLEAN_DEDUP": "false"})
        ... # doctest: +ELLIPSIS
        PipelineSettings(text_field='text', ..., on_empty='keep', report_field=None, dedup=False, ...)
    """

    text_field: str = "text"
    id_field: str = "url"
    config: str | None = None
    on_empty: OnEmpty = "drop"
    report_field: str | None = None
    dedup: bool = True
    dedup_threshold: float = 0.8
    index: str = ":memory:"
    index_namespace: str = "textclean"
    missing_text: MissingText = "pass"

    @classmethod
    def from_mapping(cls, settings: Any) -> PipelineSettings:
        """Read ``TEXTCLEAN_*`` keys from Scrapy ``Settings`` or a plain mapping."""
        defaults = cls()
        values: dict[str, Any] = {}
        for name in cls.__dataclass_fields__:
            value = settings.get(f"TEXTCLEAN_{name.upper()}")
            if value is None:
                continue
            default = getattr(defaults, name)
            if isinstance(default, bool):
                value = _boolean(value, name)
            elif isinstance(default, float):
                value = float(value)
            values[name] = value
        return cls(**values)

    def open_index(self) -> OnlineIndex | None:
        """Open the configured index, or ``None`` when deduplication is off."""
        if not self.dedup:
            return None
        config = OnlineIndexConfig(threshold=self.dedup_threshold)
        return open_index(self.index, config, namespace=self.index_namespace)


def _boolean(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"TEXTCLEAN_{name.upper()} must be true or false, not {value!r}")


def stat_increments(outcome: ItemOutcome) -> dict[str, int]:
    """The Scrapy stats (without the ``textclean/`` prefix) one item adds.

    Examples:
        >>> from textclean import Cleaner
        >>> result = Cleaner().clean("Share on Facebook\\nThe bridge reopened on Monday after repairs.")
        >>> stat_increments(ItemOutcome("keep", result))["removed/B030"]
        1
    """
    result = outcome.result
    if result is None:
        return {"items_without_text": 1}
    counts = {
        "items_cleaned": 1,
        "lines_total": result.lines_total,
        "lines_removed": result.lines_removed,
        "words_in": result.words_in,
        "words_removed": result.words_removed,
        "items_empty": int(result.is_empty),
        "items_kept": int(outcome.action == "keep"),
        "empty_dropped": int(outcome.action == "drop-empty"),
        "duplicates_dropped": int(outcome.action == "drop-duplicate"),
    }
    for removal in result.removed:
        key = f"removed/{removal.code}"
        counts[key] = counts.get(key, 0) + removal.line_end - removal.line_start + 1
    return counts


class TextCleanPipeline:
    """Scrapy item pipeline: cleans the text field, drops empty pages and near-duplicates.

    Items may be dicts, ``scrapy.Item``, dataclass or attrs objects (through ``itemadapter``);
    kept items are modified in place, as Scrapy pipelines do. Dropped items raise
    ``scrapy.exceptions.DropItem`` (logged at INFO level) naming the reason code and, for a
    duplicate, the id of the kept item.

    Args:
        settings: the pipeline's options.
        stats: Scrapy's stats collector (``crawler.stats``), or ``None``.
    """

    def __init__(self, settings: PipelineSettings | None = None, stats: Any = None) -> None:
        self.settings = settings or PipelineSettings()
        self.stats = stats
        self._adapter, self._exceptions = _import_scrapy()
        config = load_config(self.settings.config) if self.settings.config else None
        self._cleaner = Cleaner(config)
        self.items: ItemCleaner | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> TextCleanPipeline:
        """Build the pipeline from the crawler's settings and stats (called by Scrapy)."""
        return cls(PipelineSettings.from_mapping(crawler.settings), crawler.stats)

    def open_spider(self, spider: Any = None) -> None:
        """Open the dedup index (called by Scrapy when the crawl starts)."""
        settings = self.settings
        self.items = ItemCleaner(
            self._cleaner,
            text_field=settings.text_field,
            id_field=settings.id_field,
            index=settings.open_index(),
            on_empty=settings.on_empty,
            report_field=settings.report_field,
            missing_text=settings.missing_text,
        )

    def close_spider(self, spider: Any = None) -> None:
        """Close the dedup index (called by Scrapy when the crawl ends)."""
        if self.items is not None and self.items.index is not None:
            self.items.index.close()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        """Clean one item; raise ``DropItem`` for an empty page or a near-duplicate."""
        if self.items is None:
            self.open_spider()
        assert self.items is not None
        try:
            outcome = self.items.process(self._adapter.ItemAdapter(item))
        except IndexUnavailableError:
            if self.stats is not None:
                self.stats.inc_value(STATS_PREFIX + "index_errors")
            raise  # logged by Scrapy with the URL of the index; the item is not passed on
        if self.stats is not None:
            for key, value in stat_increments(outcome).items():
                if value:
                    self.stats.inc_value(STATS_PREFIX + key, value)
        if outcome.kept:
            return item
        raise self._drop(outcome)

    def _drop(self, outcome: ItemOutcome) -> Exception:
        decision = outcome.decision
        if decision is not None and not decision.kept:
            message = (
                f"textclean D101 near-duplicate-document: duplicate of {decision.duplicate_of} "
                f"(estimated similarity {decision.similarity:.2f})"
            )
        else:
            message = "textclean: nothing left after cleaning (TEXTCLEAN_ON_EMPTY = 'drop')"
        error: Exception = self._exceptions.DropItem(message)
        error.log_level = "INFO"  # type: ignore[attr-defined]  # read by Scrapy >= 2.13, harmless before
        return error
