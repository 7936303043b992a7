"""Command-line options that several subcommands share, defined once."""

from __future__ import annotations

from typing import Any

__all__ = ["add_record_options", "add_verbosity"]


def add_record_options(group: Any, *, id_field: bool = True) -> None:
    """Add how records are read: ``--text-field``, ``--id-field``, ``--errors``, ``--skip-bad``."""
    group.add_argument("--text-field", default="text", help="JSONL field holding the text (default: text)")
    if id_field:
        group.add_argument("--id-field", default="id", help="JSONL field holding the id (default: id, else file:line)")
    group.add_argument("--errors", choices=("strict", "replace"), default="strict",
                       help="invalid UTF-8: stop with an error (default) or replace it with U+FFFD")  # fmt: skip
    group.add_argument("--skip-bad", action="store_true",
                       help="skip malformed JSONL lines (counted in the summary) instead of stopping")  # fmt: skip


def add_verbosity(parser: Any) -> None:
    """Add ``-v``/``-vv`` and ``-q`` in a "Messages" group."""
    group = parser.add_argument_group("Messages")
    group.add_argument("-v", "--verbose", action="count", default=0, help="more messages on stderr (-vv: debug)")
    group.add_argument("-q", "--quiet", action="store_true", help="no summary, no progress; errors only")
