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

__version__ = "0.1.0"

from textclean._cleaner import Cleaner, clean_text
from textclean._config import CleanConfig, config_from_mapping, load_config
from textclean._errors import (
    ConfigError,
    DecodeError,
    IndexMismatchError,
    InputError,
    OutputError,
    RecordError,
    TextCleanError,
)
from textclean._normalize import NormalizeConfig, normalize
from textclean._result import CleanResult, CleanStats, Removal
from textclean._rule import Rule, Verdict

__all__ = [
    "CleanConfig",
    "CleanResult",
    "CleanStats",
    "Cleaner",
    "ConfigError",
    "DecodeError",
    "IndexMismatchError",
    "InputError",
    "NormalizeConfig",
    "OutputError",
    "RecordError",
    "Removal",
    "Rule",
    "TextCleanError",
    "Verdict",
    "__version__",
    "clean_text",
    "config_from_mapping",
    "load_config",
    "normalize",
]
