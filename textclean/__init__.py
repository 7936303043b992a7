"""textclean: turn scraped web text into clean, deduplicated text.

Every removal is explained: a stable reason code, the rule that fired, and its evidence.

Examples:
    >>> import textclean
    >>> result = textclean.clean_text("The post Rain in Spain appeared first on Weather Daily.\\n"
    ...                               "Rain fell on the plain for a third day on Monday, officials said.")
    >>> result.text
    'Rain fell on the plain for a third day on Monday, officials said.'
    >>> result.removed[0].rule
    'rss-footer'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from textclean._errors import (
    ConfigError,
    DecodeError,
    IndexMismatchError,
    IndexUnavailableError,
    InputError,
    OutputError,
    RecordError,
    TextCleanError,
)
from textclean._result import CleanResult, CleanStats, Removal
from textclean._rule import Rule, Verdict

if TYPE_CHECKING:  # everything else loads on first use (regex, ftfy, numpy, numba): see __getattr__
    from textclean._cleaner import Cleaner, clean_text
    from textclean._config import CleanConfig, config_from_mapping, load_config
    from textclean._dedup import DedupConfig, DedupResult, DuplicateCluster, find_duplicates
    from textclean._dedup_index import Deduplicator, DuplicateMatch
    from textclean._minhash import minhash_signatures
    from textclean._normalize import NormalizeConfig, normalize, normalize_and_explain
    from textclean._online import IndexDecision, OnlineIndex, OnlineIndexConfig, SQLiteIndex, open_index
    from textclean._online_redis import RedisIndex
    from textclean._stream import ItemCleaner, ItemOutcome, StreamStats, clean_stream
    from textclean._template_learner import TemplateLearner, learn_templates
    from textclean._templates import TemplateStore, load_templates

_LAZY = {
    "Cleaner": "textclean._cleaner",
    "clean_text": "textclean._cleaner",
    "CleanConfig": "textclean._config",
    "config_from_mapping": "textclean._config",
    "load_config": "textclean._config",
    "NormalizeConfig": "textclean._normalize",
    "normalize": "textclean._normalize",
    "normalize_and_explain": "textclean._normalize",
    "DedupConfig": "textclean._dedup",
    "DedupResult": "textclean._dedup",
    "DuplicateCluster": "textclean._dedup",
    "find_duplicates": "textclean._dedup",
    "Deduplicator": "textclean._dedup_index",
    "DuplicateMatch": "textclean._dedup_index",
    "minhash_signatures": "textclean._minhash",
    "IndexDecision": "textclean._online",
    "OnlineIndex": "textclean._online",
    "OnlineIndexConfig": "textclean._online",
    "SQLiteIndex": "textclean._online",
    "open_index": "textclean._online",
    "RedisIndex": "textclean._online_redis",
    "ItemCleaner": "textclean._stream",
    "ItemOutcome": "textclean._stream",
    "StreamStats": "textclean._stream",
    "clean_stream": "textclean._stream",
    "TemplateLearner": "textclean._template_learner",
    "TemplateStore": "textclean._templates",
    "learn_templates": "textclean._template_learner",
    "load_templates": "textclean._templates",
}


def __getattr__(name: str) -> Any:
    """Import the heavier public names on first use, so ``import textclean`` stays fast."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'textclean' has no attribute {name!r}")

__all__ = [
    "CleanConfig",
    "CleanResult",
    "CleanStats",
    "Cleaner",
    "ConfigError",
    "DecodeError",
    "DedupConfig",
    "DedupResult",
    "Deduplicator",
    "DuplicateCluster",
    "DuplicateMatch",
    "IndexDecision",
    "IndexMismatchError",
    "IndexUnavailableError",
    "InputError",
    "ItemCleaner",
    "ItemOutcome",
    "NormalizeConfig",
    "OnlineIndex",
    "OnlineIndexConfig",
    "OutputError",
    "RecordError",
    "RedisIndex",
    "Removal",
    "Rule",
    "SQLiteIndex",
    "StreamStats",
    "TemplateLearner",
    "TemplateStore",
    "TextCleanError",
    "Verdict",
    "__version__",
    "clean_stream",
    "clean_text",
    "config_from_mapping",
    "find_duplicates",
    "learn_templates",
    "load_config",
    "load_templates",
    "minhash_signatures",
    "normalize",
    "normalize_and_explain",
    "open_index",
]
