"""A progress line on stderr, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
import time

__all__ = ["Progress"]


class Progress:
    """Rewrites one status line at most five times a second.

    Examples:
        >>> p = Progress(enabled=False)
        >>> p.update(10); p.close()
    """

    def __init__(self, *, enabled: bool, unit: str = "documents") -> None:
        self.enabled = enabled
        self.unit = unit
        self.started = time.monotonic()
        self.last = 0.0
        self.count = 0

    def update(self, count: int) -> None:
        """Record ``count`` items done so far and redraw if it is time."""
        self.count = count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last >= 0.2:
            self.last = now
            rate = count / max(now - self.started, 1e-9)
            sys.stderr.write(f"\r{count:,} {self.unit} ({rate:,.0f}/s)")
            sys.stderr.flush()

    def close(self) -> None:
        """Clear the status line."""
        if self.enabled and self.last:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
