"""Which site a page belongs to: the host of its URL, or a field naming it."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["site_for_record", "site_of"]

_HOST = re.compile(r"[\w.-]+")
_OPAQUE_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:(?!//|\d)")


def site_of(url: object) -> str | None:
    """The site of a page: its URL's host, lowercased, without ``www.`` (``None`` if there is none).

    Args:
        url: the page's URL (a scheme-less ``host/path`` is accepted); anything else gives ``None``.

    Returns:
        The host, or ``None`` for a missing, empty or invalid URL.

    Example:
        >>> site_of("https://WWW.Example.com:8080/news/1?x=2")
        'example.com'
        >>> site_of("news.example.org/a"), site_of(""), site_of(None), site_of("http://[bad")
        ('news.example.org', None, None, None)
    """
    if not isinstance(url, str) or not url.strip():
        return None
    text = url.strip()
    if _OPAQUE_SCHEME.match(text):
        return None  # mailto:, javascript:, urn:... name no host
    if "://" not in text and not text.startswith("//"):
        text = "//" + text
    from urllib.parse import urlsplit  # 10 ms of start-up, only for records with a URL

    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host if host and _HOST.fullmatch(host) else None


def site_for_record(data: dict[str, Any] | None, site_field: str | None, url_field: str | None = "url") -> str | None:
    """The site of a JSONL record: its ``site_field`` (trimmed, lowercased), else the host of its ``url_field``.

    Args:
        data: the record (``None`` for a plain-text document: no site).
        site_field: the field naming the site, or ``None`` to use the URL.
        url_field: the field holding the URL.

    Returns:
        The site, or ``None`` when the record has none.

    Example:
        >>> site_for_record({"url": "https://www.example.com/a"}, None, "url")
        'example.com'
        >>> site_for_record({"source": " Blog-A "}, "source"), site_for_record({"url": None}, None, "url")
        ('blog-a', None)
    """
    if data is None:
        return None
    if site_field is not None:
        value = data.get(site_field)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return str(value).strip().lower() or None
        return None
    return site_of(data.get(url_field)) if url_field else None
