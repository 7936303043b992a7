"""Clean and deduplicate a stream of items (dicts) lazily, one item at a time, for any framework.

:class:`ItemCleaner` is the reusable engine (the Scrapy pipeline is a thin layer over it);
:func:`clean_stream` is the one-shot generator. Memory stays bounded: one item is in flight at a
time, the counts are a few integers, and the only state that grows is the online index of kept
documents (held in SQLite or Redis, not in Python objects).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Literal

from textclean._cleaner import Cleaner
from textclean._config import CleanConfig
from textclean._errors import ConfigError, InputError
from textclean._online import IndexDecision, OnlineIndex
from textclean._result import CleanResult, CleanStats, add_counts

__all__ = ["ItemCleaner", "ItemOutcome", "StreamStats", "clean_stream"]

OnEmpty = Literal["keep", "drop"]
MissingText = Literal["error", "pass"]
Action = Literal["keep", "drop-empty", "drop-duplicate", "pass"]


@dataclass(frozen=True)
class StreamStats:
    """Counts over a stream of items; shards (crawler processes) merge with ``+``.

    Attributes:
        items: items seen.
        kept: items passed on (cleaned, or passed through without a text field).
        without_text: items without the text field, passed on unchanged (``missing_text="pass"``).
        empty_dropped: items dropped because nothing was left after cleaning.
        duplicates_dropped: items dropped as near-duplicates of kept items (``D101``).
        cleaning: the line and word counts of every cleaned text, by reason code.

    Examples:
        >>> a = StreamStats(items=2, kept=1, duplicates_dropped=1)
        >>> (a + a).duplicates_dropped
        2
    """

    items: int = 0
    kept: int = 0
    without_text: int = 0
    empty_dropped: int = 0
    duplicates_dropped: int = 0
    cleaning: CleanStats = field(default_factory=CleanStats)

    def __add__(self, other: StreamStats) -> StreamStats:
        return add_counts(self, other)


@dataclass(frozen=True)
class ItemOutcome:
    """What :meth:`ItemCleaner.process` did with one item.

    Attributes:
        action: ``"keep"``, ``"drop-empty"``, ``"drop-duplicate"``, or ``"pass"`` (no text field).
        result: the cleaning result (``None`` for ``"pass"``).
        decision: the online index's answer (``None`` without an index, or for empty texts).
    """

    action: Action
    result: CleanResult | None = None
    decision: IndexDecision | None = None

    @property
    def kept(self) -> bool:
        """True when the item goes on down the pipeline."""
        return self.action in ("keep", "pass")


class ItemCleaner:
    """Clean the text field of items and drop near-duplicates, one item at a time.

    Args:
        config: a :class:`~textclean.CleanConfig`, or a ready :class:`~textclean.Cleaner`.
        text_field: the item key holding the text; replaced by the cleaned text.
        id_field: the item key holding the document id reported for duplicates (a URL, say);
            ``None`` (or a missing key) uses ``#<position>`` in this cleaner's stream.
        index: an online index (:func:`~textclean.open_index`); ``None`` does not deduplicate.
        on_empty: ``"keep"`` (default) passes items whose text is empty after cleaning on,
            ``"drop"`` drops them.
        report_field: if set, each kept item gets the list of its removals
            (:meth:`~textclean.Removal.to_dict`) under this key.
        missing_text: ``"error"`` (default) raises :class:`~textclean.InputError` for an item
            without the text field; ``"pass"`` passes it on unchanged (and counts it).

    Examples:
        >>> from textclean._online import SQLiteIndex
        >>> cleaner = ItemCleaner(index=SQLiteIndex(), id_field="url")
        >>> story = "The river rose two metres overnight, flooding the old town and the harbour."
        >>> items = [{"url": "a", "text": "Share on Facebook\\n" + story},
        ...          {"url": "b", "text": story + "\\nAbout admin"}]
        >>> [item["text"] for item in cleaner.clean_items(items)]
        ['The river rose two metres overnight, flooding the old town and the harbour.']
        >>> cleaner.stats.duplicates_dropped, cleaner.stats.cleaning.lines_removed
        (1, 2)
    """

    def __init__(
        self,
        config: CleanConfig | Cleaner | None = None,
        *,
        text_field: str = "text",
        id_field: str | None = None,
        index: OnlineIndex | None = None,
        on_empty: OnEmpty = "keep",
        report_field: str | None = None,
        missing_text: MissingText = "error",
    ) -> None:
        if on_empty not in ("keep", "drop"):
            raise ConfigError(f"on_empty must be 'keep' or 'drop', not {on_empty!r}")
        if missing_text not in ("error", "pass"):
            raise ConfigError(f"missing_text must be 'error' or 'pass', not {missing_text!r}")
        self.cleaner = config if isinstance(config, Cleaner) else Cleaner(config)
        self.text_field, self.id_field = text_field, id_field
        self.index, self.on_empty = index, on_empty
        self.report_field, self.missing_text = report_field, missing_text
        self._counts: Counter[str] = Counter()
        self._by_code: Counter[str] = Counter()

    def process(self, item: MutableMapping[str, Any]) -> ItemOutcome:
        """Clean one item in place (text field, report field) and decide whether it is kept.

        The item is modified only if it is kept. Raises :class:`~textclean.InputError` for a
        text that is not a string, or a missing field with ``missing_text="error"``.

        Examples:
            >>> item = {"text": "Share on Facebook\\nThe vote passed 52 to 48 after a long debate."}
            >>> ItemCleaner(report_field="removed").process(item).action
            'keep'
            >>> item["text"], [r["rule"] for r in item["removed"]]
            ('The vote passed 52 to 48 after a long debate.', ['share-buttons'])
        """
        position = self._counts["items"]
        self._counts["items"] += 1
        if self.text_field not in item:
            return self._without_text(position)
        text = item[self.text_field]
        if not isinstance(text, str):
            raise InputError(
                f"item #{position}: field {self.text_field!r} holds {type(text).__name__}, not text; "
                "set text_field to the key that holds the page's text"
            )
        result = self.cleaner.clean(text)
        self._count_cleaning(result)
        outcome = self._decide(item, position, result)
        self._counts[outcome.action] += 1
        if outcome.action == "keep":
            item[self.text_field] = result.text
            if self.report_field is not None:
                item[self.report_field] = [removal.to_dict() for removal in result.removed]
        return outcome

    def _without_text(self, position: int) -> ItemOutcome:
        if self.missing_text == "error":
            raise InputError(
                f"item #{position} has no {self.text_field!r} field; set text_field to the key that "
                "holds the page's text, or missing_text='pass' to pass such items on unchanged"
            )
        self._counts["pass"] += 1
        return ItemOutcome("pass")

    def _decide(self, item: Mapping[str, Any], position: int, result: CleanResult) -> ItemOutcome:
        if result.is_empty:
            return ItemOutcome("drop-empty" if self.on_empty == "drop" else "keep", result)
        if self.index is None:
            return ItemOutcome("keep", result)
        doc_id = item.get(self.id_field) if self.id_field is not None else None
        decision = self.index.insert_if_new(f"#{position}" if doc_id is None else str(doc_id), result.text)
        return ItemOutcome("keep" if decision.kept else "drop-duplicate", result, decision)

    def _count_cleaning(self, result: CleanResult) -> None:
        counts = self._counts
        counts["documents"] += 1
        counts["documents_empty"] += int(result.is_empty)
        counts["lines_total"] += result.lines_total
        counts["lines_kept"] += result.lines_kept
        counts["lines_removed"] += result.lines_removed
        counts["lines_blank"] += result.lines_blank
        counts["words_in"] += result.words_in
        counts["words_removed"] += result.words_removed
        for removal in result.removed:
            self._by_code[removal.code] += removal.line_end - removal.line_start + 1

    @property
    def stats(self) -> StreamStats:
        """The counts so far (a snapshot)."""
        counts = self._counts
        names = ("documents", "documents_empty", "lines_total", "lines_kept", "lines_removed", "lines_blank")
        cleaning = CleanStats(
            **{name: counts[name] for name in (*names, "words_in", "words_removed")},
            by_code=dict(sorted(self._by_code.items())),
        )
        return StreamStats(
            items=counts["items"],
            kept=counts["keep"] + counts["pass"],
            without_text=counts["pass"],
            empty_dropped=counts["drop-empty"],
            duplicates_dropped=counts["drop-duplicate"],
            cleaning=cleaning,
        )

    def clean_items(self, items: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
        """Yield a cleaned copy of each kept item, lazily (the input items are not modified).

        Examples:
            >>> items = [{"text": "Share on Facebook"}, {"id": 1, "text": "Hi."}]
            >>> list(ItemCleaner(on_empty="drop").clean_items(items))
            [{'id': 1, 'text': 'Hi.'}]
        """
        for item in items:
            copy = dict(item)
            if self.process(copy).kept:
                yield copy


def clean_stream(
    items: Iterable[Mapping[str, Any]],
    *,
    config: CleanConfig | Cleaner | None = None,
    text_field: str = "text",
    id_field: str | None = None,
    dedup: OnlineIndex | None = None,
    on_empty: OnEmpty = "keep",
    report_field: str | None = None,
    missing_text: MissingText = "error",
) -> Iterator[dict[str, Any]]:
    """Clean (and optionally deduplicate) an iterable of dicts lazily, one item at a time.

    A one-shot shortcut for ``ItemCleaner(...).clean_items(items)``; build an
    :class:`ItemCleaner` to read the counts (``.stats``) afterwards. The arguments are those of
    :class:`ItemCleaner` (``dedup`` is its ``index``). Input dicts are copied, never modified.

    Examples:
        >>> from textclean._online import open_index
        >>> story = "Rain fell on the plain for a third day on Monday, officials said."
        >>> pages = ({"url": f"https://site{n}.example/rain",
        ...           "text": f"{story}\\nThe post Rain appeared first on Site {n}."} for n in range(3))
        >>> for item in clean_stream(pages, id_field="url", dedup=open_index(":memory:")):
        ...     print(item["url"], item["text"])
        https://site0.example/rain Rain fell on the plain for a third day on Monday, officials said.
    """
    cleaner = ItemCleaner(
        config,
        text_field=text_field,
        id_field=id_field,
        index=dedup,
        on_empty=on_empty,
        report_field=report_field,
        missing_text=missing_text,
    )
    return cleaner.clean_items(items)
