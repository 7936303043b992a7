"""The shared online index on Redis: many crawler processes, one answer per near-duplicate cluster.

Layout (every key starts with the hash tag ``{namespace}``, so a cluster keeps them on one slot)::

    {ns}:meta         hash: ``parameters`` = the canonical JSON of OnlineIndexConfig.describe()
    {ns}:next         counter: the last document number given out
    {ns}:signature    hash: document number -> signature (num_perm little-endian uint32)
    {ns}:id           hash: document number -> doc_id
    {ns}:b:<key>      set: the document numbers in one LSH bucket (band mixed into the key)
    {ns}:op:<token>   string, expires: the number stored by one call (makes retries idempotent)

Check-and-insert is one Lua script (``EVALSHA``, reloaded after a server restart): it reads the
buckets, verifies every candidate's stored signature, and either answers with the kept
duplicate or stores the document, before any other client's command runs. So two crawlers
racing on near-duplicates never both keep one. A call that loses its connection is retried
with the same token: if the first attempt had stored the document, the retry answers "kept"
instead of finding the document a duplicate of itself.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np
from numpy.typing import NDArray

from textclean._errors import ConfigError, IndexMismatchError
from textclean._online import (
    IndexDecision,
    IndexUnavailableError,
    OnlineIndex,
    OnlineIndexConfig,
    bucket_keys,
    is_empty_signature,
    mismatch_message,
)

__all__ = ["RedisIndex"]

_TOKEN_SECONDS = 300

# KEYS: meta, signature hash, id hash, counter, token, bucket sets...
# ARGV: parameters JSON, signature bytes, doc id, needed agreement, token lifetime (s)
_INSERT_IF_NEW = """
local parameters = redis.call('HGET', KEYS[1], 'parameters')
if not parameters then return {'missing'} end
if parameters ~= ARGV[1] then return {'mismatch', parameters} end
local done = redis.call('GET', KEYS[5])
if done then return {'kept', done} end
local signature, needed = ARGV[2], tonumber(ARGV[4])
local query = nil
local seen, best, best_count = {}, nil, -1
for i = 6, #KEYS do
  for _, number in ipairs(redis.call('SMEMBERS', KEYS[i])) do
    if not seen[number] then
      seen[number] = true
      local stored = redis.call('HGET', KEYS[2], number)
      if stored then
        if not query then
          query = {}
          for offset = 1, #signature, 4 do query[#query + 1] = string.sub(signature, offset, offset + 3) end
        end
        local count, k = 0, 1
        for offset = 1, #stored, 4 do
          if string.sub(stored, offset, offset + 3) == query[k] then count = count + 1 end
          k = k + 1
        end
        if count >= needed and (count > best_count or
            (count == best_count and tonumber(number) < tonumber(best))) then
          best, best_count = number, count
        end
      end
    end
  end
end
if best then return {'duplicate', redis.call('HGET', KEYS[3], best), best_count} end
local number = redis.call('INCR', KEYS[4])
redis.call('HSET', KEYS[2], number, signature)
redis.call('HSET', KEYS[3], number, ARGV[3])
for i = 6, #KEYS do redis.call('SADD', KEYS[i], number) end
redis.call('SET', KEYS[5], number, 'EX', tonumber(ARGV[5]))
return {'kept', number}
"""

_CREATE_META = """
redis.call('HSETNX', KEYS[1], 'parameters', ARGV[1])
return redis.call('HGET', KEYS[1], 'parameters')
"""


def _redacted(url: str) -> str:
    """The URL without its password (for messages).

    Examples:
        >>> _redacted("redis://user:secret@cache.example:6380/2")
        'redis://user:***@cache.example:6380/2'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}{port}"))


def _import_redis() -> Any:
    try:
        import redis
        import redis.backoff
        import redis.retry
    except ImportError:
        raise ConfigError(
            "a Redis index needs the redis package: pip install 'textclean[redis]'"
        ) from None
    return redis


class RedisIndex(OnlineIndex):
    """The shared online index on a Redis server, for many crawler processes.

    Check-and-insert is atomic on the server (one Lua script). Connection errors and timeouts
    are retried with exponential backoff; when Redis stays unreachable,
    :class:`~textclean.IndexUnavailableError` names the URL, rather than answering "new".

    Args:
        url: a Redis URL (``redis://127.0.0.1:6379/0``; ``rediss://`` for TLS; ``unix://`` path).
        config: the index parameters (default :class:`OnlineIndexConfig`); must match the
            parameters the namespace was created with.
        namespace: prefix of every key, so several indexes share one server.
        retries: attempts after the first one, on connection errors and timeouts.
        backoff: seconds before the first retry; doubled each time, at most 2 s.
        timeout: socket connect and read timeout, in seconds.

    Examples:
        >>> RedisIndex("redis://127.0.0.1:1", retries=0)  # doctest: +IGNORE_EXCEPTION_DETAIL
        Traceback (most recent call last):
        textclean._errors.IndexUnavailableError: cannot reach the Redis index at redis://127.0.0.1:1 ...
    """

    def __init__(
        self,
        url: str,
        config: OnlineIndexConfig | None = None,
        *,
        namespace: str = "textclean",
        retries: int = 5,
        backoff: float = 0.05,
        timeout: float = 5.0,
    ) -> None:
        if not namespace or any(c in namespace for c in "{} \t\n"):
            raise ConfigError(f"namespace must be non-empty, without braces or spaces, not {namespace!r}")
        redis = _import_redis()
        self.config = config or OnlineIndexConfig()
        self.location = _redacted(url)
        self.namespace = namespace
        self.retries, self.backoff = retries, backoff
        self._bands, self._rows = self.config.banding
        self._prefix = f"{{{namespace}}}:"
        self._parameters = json.dumps(self.config.describe(), sort_keys=True)
        self._errors = (redis.ConnectionError, redis.TimeoutError)
        self._redis = redis
        try:
            self._client = redis.Redis.from_url(
                url,
                socket_timeout=timeout,
                socket_connect_timeout=timeout,
                retry=redis.retry.Retry(redis.backoff.NoBackoff(), 0),
            )
        except ValueError as exc:
            raise ConfigError(f"{self.location}: not a Redis URL ({exc}); use redis://host:port/db") from None
        self._insert_script = self._client.register_script(_INSERT_IF_NEW)
        self._create_meta()

    def _key(self, name: str) -> str:
        return self._prefix + name

    def _call(self, operation: Any, *args: Any) -> Any:
        """Run ``operation(*args)``, retrying connection errors and timeouts with backoff."""
        redis = self._redis
        delay = self.backoff
        for attempt in range(self.retries + 1):
            try:
                return operation(*args)
            except redis.AuthenticationError as exc:
                raise IndexUnavailableError(
                    f"the Redis index at {self.location} refused the credentials ({exc}); "
                    "check the user and password in the URL"
                ) from None
            except self._errors as exc:
                if attempt == self.retries:
                    raise IndexUnavailableError(
                        f"cannot reach the Redis index at {self.location} after {attempt + 1} attempts "
                        f"({exc}); check that redis-server is running and the URL is right"
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 2.0)
            except redis.ResponseError as exc:
                message = f"the Redis index at {self.location} refused the operation: {exc}"
                raise IndexUnavailableError(message) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _create_meta(self) -> None:
        meta = self._key("meta")
        found = self._call(lambda: self._client.eval(_CREATE_META, 1, meta, self._parameters))
        if found.decode() != self._parameters:
            self._raise_mismatch(found.decode())

    def _raise_mismatch(self, found: str) -> None:
        location = f"{self.location} (namespace {self.namespace!r})"
        raise IndexMismatchError(mismatch_message(location, json.loads(found), self.config.describe()))

    def insert_signature_if_new(self, doc_id: str, signature: NDArray[np.uint32]) -> IndexDecision:
        """Like :meth:`insert_if_new`, for a signature computed by :meth:`signature`."""
        if is_empty_signature(signature):
            return IndexDecision(kept=True)
        buckets = bucket_keys(signature, self._bands, self._rows).view(np.uint64)
        keys = [self._key(name) for name in ("meta", "signature", "id", "next", f"op:{uuid.uuid4().hex}")]
        keys += [f"{self._prefix}b:{int(bucket):016x}" for bucket in buckets]
        data = np.ascontiguousarray(signature, dtype="<u4").tobytes()
        args = [self._parameters, data, doc_id, self.config.needed_agreement, _TOKEN_SECONDS]
        reply = self._call(lambda: self._insert_script(keys=keys, args=args))
        status = reply[0].decode()
        if status == "kept":
            return IndexDecision(kept=True)
        if status == "duplicate":
            return IndexDecision(
                kept=False, duplicate_of=reply[1].decode(), similarity=int(reply[2]) / self.config.num_perm
            )
        if status == "mismatch":
            self._raise_mismatch(reply[1].decode())
        raise IndexUnavailableError(
            f"the Redis index at {self.location} (namespace {self.namespace!r}) lost its data "
            "(was the server restarted without persistence, or flushed?); its answers cannot be trusted: "
            "start a new crawl, or restore the server's data"
        )

    def __len__(self) -> int:
        return int(self._call(self._client.hlen, self._key("signature")))

    def clear(self) -> None:
        """Delete every key of the namespace except its parameters."""

        def delete() -> None:
            batch: list[bytes] = []
            for key in self._client.scan_iter(match=self._prefix + "*", count=1000):
                if key != self._key("meta").encode():
                    batch.append(key)
                if len(batch) >= 1000:
                    self._client.delete(*batch)
                    batch = []
            if batch:
                self._client.delete(*batch)

        self._call(delete)

    def close(self) -> None:
        """Close the connections."""
        self._client.close()
