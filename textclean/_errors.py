"""The exception tree.

Every error textclean raises on purpose derives from :class:`TextCleanError`, and each
subclass also derives from the standard-library type a caller would catch anyway::

    TextCleanError
    ├── ConfigError(TextCleanError, ValueError)      a bad option, rule or config file
    ├── InputError(TextCleanError, ValueError)       input that cannot be read as documented
    │   ├── DecodeError(InputError)                  invalid UTF-8 (names file and byte offset)
    │   └── RecordError(InputError)                  malformed JSONL line or missing field (names file and line)
    ├── OutputError(TextCleanError, OSError)         an output that cannot (or must not) be written
    ├── IndexMismatchError(TextCleanError, ValueError)  a dedup index built with other parameters
    └── IndexUnavailableError(TextCleanError, ConnectionError)  a shared index that cannot be reached

Messages say what went wrong *and* what to do next. The CLI prints them as
``textclean: error: <message>`` and exits non-zero, without a traceback.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DecodeError",
    "IndexMismatchError",
    "IndexUnavailableError",
    "InputError",
    "OutputError",
    "RecordError",
    "TextCleanError",
]


class TextCleanError(Exception):
    """Base class of every error textclean raises on purpose."""


class ConfigError(TextCleanError, ValueError):
    """An option, rule or configuration file is invalid."""


class InputError(TextCleanError, ValueError):
    """An input cannot be read as documented (missing, binary, too long, ...)."""


class DecodeError(InputError):
    """An input is not valid UTF-8.

    Attributes:
        path: the file name (``<stdin>`` for standard input).
        offset: the byte offset of the first invalid byte.
    """

    def __init__(self, message: str, *, path: str, offset: int) -> None:
        super().__init__(message)
        self.path = path
        self.offset = offset


class RecordError(InputError):
    """A JSONL line is malformed or lacks the text field.

    Attributes:
        path: the file name.
        line: the 1-based line number.
    """

    def __init__(self, message: str, *, path: str, line: int) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


class OutputError(TextCleanError, OSError):
    """An output cannot be written, or writing it would overwrite an input."""


class IndexMismatchError(TextCleanError, ValueError):
    """A persistent dedup index was built with other parameters than the ones requested."""


class IndexUnavailableError(TextCleanError, ConnectionError):
    """A shared index cannot be reached (after retries), or refused an operation.

    Raised instead of answering "not a duplicate" when the answer is unknown.
    """
