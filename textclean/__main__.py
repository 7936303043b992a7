"""``python -m textclean``: the same as the ``textclean`` command."""

from textclean._cli import entry_point

entry_point()
