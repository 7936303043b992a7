"""The optional compiled kernels (``textclean/_native.c``): which one to run, or ``None`` for the Python path.

Every kernel has a pure-Python (numpy) reference in the module that calls it, with the same results
(property tests compare the two). The extension is built at install time when a C compiler is there
(``setup.py``, ``optional=True``); ``TEXTCLEAN_PURE_PYTHON=1`` runs the references even when it is built.
Callers look kernels up through this module (``_kernels.kernel("name")``), so a test can switch them off.
"""

from __future__ import annotations

import functools
import os
from typing import Any

__all__ = ["kernel"]


@functools.cache
def kernel(name: str) -> Any:
    """The compiled kernel ``name`` of ``textclean._native``, or ``None`` (not built, or the pure path asked for).

    Examples:
        >>> kernel("no-such-kernel") is None
        True
    """
    if os.environ.get("TEXTCLEAN_PURE_PYTHON", "") not in ("", "0"):
        return None
    try:
        from textclean import _native
    except ImportError:
        return None
    return getattr(_native, name, None)
