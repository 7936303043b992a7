"""The whole suite's settings: here, at the root, so that they hold for the doctests in ``textclean/`` too.

``tests/conftest.py`` holds the tests' fixtures. It governs only ``tests/`` (``pytest textclean`` never loads
it), and the tests import it again as ``tests.conftest``, so code it runs on import runs twice.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest
from hypothesis import settings

# No time limit per example: this suite runs on shared, noisy machines, where a slow moment is not a bug (a
# property's own @settings may still set one). The example counts stay each test's own.
settings.register_profile("textclean", deadline=None)
settings.load_profile("textclean")

_SAVED: dict[str, str | None] = {}


def pytest_configure(config: pytest.Config) -> None:
    """Point the rule cache (``textclean/_rule_cache.py``) at a fresh directory of the session's own, and on.

    Set before collection (test modules compile rules as they are imported) and inherited by the CLI's
    subprocesses: no test reads or writes the user's own cache, and none starts warm by chance.
    """
    for name in ("TEXTCLEAN_CACHE_DIR", "TEXTCLEAN_NO_CACHE"):
        _SAVED[name] = os.environ.pop(name, None)
    os.environ["TEXTCLEAN_CACHE_DIR"] = tempfile.mkdtemp(prefix="textclean-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the session's cache directory and restore the variables."""
    shutil.rmtree(os.environ.pop("TEXTCLEAN_CACHE_DIR", ""), ignore_errors=True)
    for name, value in _SAVED.items():
        if value is not None:
            os.environ[name] = value
