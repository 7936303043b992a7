"""A cache on disk of the rule analysis every process would otherwise redo at start-up.

Building the pattern matcher (:meth:`~textclean._matcher.Matcher.build`) and the comment detector's gates
(:mod:`textclean._classify_comments`) reads every pattern of the rule table (and the line shapes' character classes,
:mod:`textclean._lineshape_classes`, come from predicates run per block of code points): about 0.1 s, a quarter of what
``textclean clean`` takes on an empty file, paid again by every process (each run, each Dask worker). What
they build depends only on the rules and on the code that reads them, so :func:`load_or_build` pickles it to a
cache directory under a key made of all of that, and later processes read it back in a few milliseconds.

* **Key**: a BLAKE2b digest of the entry's kind and inputs (the active rules, every field, and the languages),
  textclean's version, the bytes of every source file in :data:`SOURCES` (the analysing modules and their whole
  import closure within textclean, this module included: ``tests/test_rule_cache.py`` keeps the list complete),
  and the versions of Python, its Unicode tables and ``regex``. Any change gives another key: a miss.
* **Where**: ``TEXTCLEAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/textclean``, else ``~/.cache/textclean``;
  ``TEXTCLEAN_NO_CACHE=1`` turns the cache off. Entries are ``KIND-DIGEST.pickle`` files, written to a temporary
  file and renamed into place; only the :data:`KEEP` most recently used are kept.
* **Trust**: unpickling runs code chosen by whoever wrote the file, so an entry is read only from a directory
  and a file the user owns and that nobody else may write to (the directory is created ``0700``, entries
  ``0600``): whoever could plant an entry there could as well edit the user's shell start-up files. As a second
  fence, the unpickler resolves only classes of the modules in :data:`SOURCES` (and ``regex``'s flag enum), and one
  function: ``regex``'s pattern constructor, through which ``regex`` pickles a compiled pattern
  (:mod:`textclean._patterns`). Nothing else, nothing from the standard library, so a foreign pickle fails to load
  instead of running anything.
* **Failures** of any kind (no home, a read-only or foreign directory, a truncated, corrupt or foreign entry)
  fall back to building live; they are logged at debug level on the ``textclean`` logger, never raised.

The result is the same object either way (``tests/test_rule_cache.py`` compares a loaded entry with a live
build, and the cleaning output with the cache cold, warm and off).
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import hashlib
import io
import json
import logging
import os
import pickle
import stat
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any, TypeVar

import regex

from textclean import __version__

__all__ = ["KEEP", "SOURCES", "cache_directory", "load_or_build"]

SOURCES = (
    "_rule_cache.py",  # the entries' format
    "_rule.py",  # the rule record
    "_rules/*.py",  # the rule table and the pattern readers (_index, _literals, _build)
    "_matcher*.py",  # the matcher and the analysis behind its probes
    "_classify_comments*.py",  # the comment detector (and its batch path)
    "_classify_gates*.py",  # its gates (and their compiled path)
    "_patterns.py",  # the compiled patterns
    "_ftfy_gate.py",  # the ftfy pre-filter's analysis of ftfy's pattern
    "_normalize_*.py",  # the normal-form marks of the document scan (_normalize_scan) and what it imports
    # what those import (their classes are used, or their names read, as they build):
    "_errors.py",
    "_features.py",
    "_features_context.py",
    "_features_repeats.py",
    "_kernels.py",
    "_lexical.py",
    "_lineshape*.py",
    "_tokens.py",
)
"""The source files (glob patterns, relative to the package) whose bytes are part of every key."""

KEEP = 32
"""Entries kept in the directory (the least recently used go first). Four are shared by every configuration (comment
gates, ftfy gate, line classes, normal-form marks) and each configuration adds two (matcher, compiled patterns):
room for fourteen configurations used in turn (modes, languages, disabled rules) before they evict each other."""

_FORMAT = 1  # bumped when the layout of an entry changes
_SUFFIX = ".pickle"
_STALE_TEMPORARY = 3600.0  # seconds after which a temporary file is the debris of a killed writer
_PACKAGE = Path(__file__).resolve().parent
_FLAG_ENUM = ("regex._regex_core", "RegexFlag")
_PATTERN_CONSTRUCTOR = ("regex._regex", "compile")  # how regex pickles a compiled pattern: its program, not its source
_T = TypeVar("_T")

log = logging.getLogger("textclean")


def cache_directory() -> Path | None:
    """The cache directory (it may not exist yet), or ``None`` when the cache is off (``TEXTCLEAN_NO_CACHE``).

    Examples:
        >>> import os
        >>> os.environ["TEXTCLEAN_CACHE_DIR"] == str(cache_directory())  # the test suite sets its own
        True
    """
    if os.environ.get("TEXTCLEAN_NO_CACHE", "") not in ("", "0"):
        return None
    chosen = os.environ.get("TEXTCLEAN_CACHE_DIR", "")
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: a relative path is to be ignored
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory to be found
            return None
    return Path(base) / "textclean"


def load_or_build(
    kind: str, inputs: object, build: Callable[[], _T], expected: type[_T], *, shared: Sequence[object] = ()
) -> _T:
    """What ``build()`` returns, read from the cache when an entry for these inputs is there, else built and stored.

    Args:
        kind: what is built (a word: the entries' file names start with it).
        inputs: everything ``build`` reads besides the code in :data:`SOURCES`: dataclasses, strings, numbers,
            ``None`` and collections of them (sets are sorted, so the key does not depend on hash order).
        build: the live build.
        expected: the type of what it builds (an entry holding anything else is a miss).
        shared: objects that the result holds and the caller already has (the rules): stored as references
            to their position here, and the caller's own objects put back on loading.

    Examples:
        >>> load_or_build("example", ["a", 1], lambda: {"built": True}, dict)
        {'built': True}
        >>> load_or_build("example", ["a", 1], lambda: {"built": False}, dict)  # the same inputs: read back
        {'built': True}
    """
    directory = cache_directory()
    if directory is None:
        return build()
    try:
        path = directory / f"{kind}-{_key(kind, inputs)}{_SUFFIX}"
    except (OSError, TypeError, ValueError) as error:  # a source file gone, inputs that cannot be keyed
        log.debug("rule cache: not used for %s (%s)", kind, error)
        return build()
    found = _read(path, shared)
    if isinstance(found, expected):
        log.debug("rule cache: read %s", path)
        return found
    built = build()
    _write(path, built, shared)
    return built


def _key(kind: str, inputs: object) -> str:
    """The digest naming the entry of ``kind`` for ``inputs`` (see the module docstring)."""
    described = [_FORMAT, kind, __version__, _code_digest(), sys.version, unicodedata.unidata_version]
    described += [regex.__version__, _plain(inputs)]
    text = json.dumps(described, ensure_ascii=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode("ascii"), digest_size=16).hexdigest()


@functools.cache
def _code_digest() -> str:
    """The digest of the bytes of the :data:`SOURCES` files (read once per process)."""
    digest = hashlib.blake2b(digest_size=16)
    for name in source_files():
        digest.update(name.encode("utf-8") + b"\0")
        digest.update((_PACKAGE / name).read_bytes())
    return digest.hexdigest()


def source_files() -> list[str]:
    """The files :data:`SOURCES` names, relative to the package directory, sorted.

    Examples:
        >>> "_matcher.py" in source_files()
        True
    """
    found: set[str] = set()
    for folder in sorted({os.path.dirname(pattern) for pattern in SOURCES}):
        names = os.listdir(_PACKAGE / folder)
        for pattern in SOURCES:
            if os.path.dirname(pattern) == folder:
                found.update(os.path.join(folder, name) for name in fnmatch.filter(names, os.path.basename(pattern)))
    return sorted(name.replace(os.sep, "/") for name in found)


def _plain(value: object) -> object:
    """``value`` as JSON-ready data, the same in every process (sets sorted, dataclasses by their fields)."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    if is_dataclass(value) and not isinstance(value, type):
        described = {field.name: _plain(getattr(value, field.name)) for field in fields(value)}
        return [type(value).__qualname__, described]
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return [[_plain(key), _plain(item)] for key, item in value.items()]
    raise TypeError(f"cannot key a {type(value).__name__}")


def _private(info: os.stat_result) -> bool:
    """Whether the file or directory ``info`` describes is the user's, and nobody else may write to it."""
    if not hasattr(os, "geteuid"):  # no owners to compare (Windows): the profile directories are the user's own
        return True
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(path: Path, shared: Sequence[object]) -> object | None:
    """The entry at ``path``, or ``None``: missing, not private, or failing to load."""
    try:
        if not _private(os.stat(path.parent)):
            log.debug("rule cache: not read: %s is not the user's own, or others may write to it", path.parent)
            return None
        with open(path, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode) or not _private(info):
                log.debug("rule cache: not read: %s is not the user's own, or others may write to it", path)
                return None
            data = file.read()
        found: object = _Unpickler(io.BytesIO(data), shared).load()
    except FileNotFoundError:
        return None
    except Exception as error:  # whatever a bad entry raises (EOFError, UnpicklingError...), build live
        log.debug("rule cache: not read: %s (%s: %s)", path, type(error).__name__, error)
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: the last to be pruned
    return found


def _write(path: Path, value: object, shared: Sequence[object]) -> None:
    """Store ``value`` at ``path`` (a temporary file renamed into place), then prune; failures are only logged."""
    directory = path.parent
    temporary = None
    try:
        buffer = io.BytesIO()
        _Pickler(buffer, shared).dump(value)
        os.makedirs(directory, mode=0o700, exist_ok=True)
        if not _private(os.stat(directory)):
            log.debug("rule cache: not written: %s is not the user's own, or others may write to it", directory)
            return
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)  # 0600
        with os.fdopen(descriptor, "wb") as file:
            file.write(buffer.getvalue())
        os.replace(temporary, path)
        temporary = None
        log.debug("rule cache: wrote %s", path)
        _prune(directory)
    except Exception as error:  # a cache that cannot be written is only slower
        log.debug("rule cache: not written: %s (%s: %s)", path, type(error).__name__, error)
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _prune(directory: Path) -> None:
    """Delete all but the :data:`KEEP` most recently used entries, and temporary files left by killed writers."""
    entries: list[tuple[float, str]] = []
    now = time.time()
    for item in os.scandir(directory):
        try:
            used = item.stat(follow_symlinks=False).st_mtime
            if item.name.endswith(_SUFFIX):
                entries.append((used, item.path))
            elif item.name.startswith(".") and item.name.endswith(".tmp") and now - used > _STALE_TEMPORARY:
                os.unlink(item.path)
        except OSError:  # gone already: another process pruned it
            continue
    for _, name in sorted(entries, reverse=True)[KEEP:]:
        try:
            os.unlink(name)
        except OSError:
            continue


@functools.cache
def _allowed_modules() -> frozenset[str]:
    """The modules whose classes an entry may name: those of :data:`SOURCES`."""
    names = (name.removesuffix(".py").removesuffix("/__init__").replace("/", ".") for name in source_files())
    return frozenset(f"textclean.{name}" for name in names)


class _Pickler(pickle.Pickler):
    """Pickles with the ``shared`` objects stored as their position."""

    def __init__(self, file: io.BytesIO, shared: Sequence[object]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._positions = {id(item): position for position, item in enumerate(shared)}

    def persistent_id(self, obj: Any) -> int | None:
        return self._positions.get(id(obj))


class _Unpickler(pickle.Unpickler):
    """Unpickles only classes of the :data:`SOURCES` modules, ``regex``'s flags and compiled patterns, and the
    ``shared`` objects."""

    def __init__(self, file: io.BytesIO, shared: Sequence[object]) -> None:
        super().__init__(file)
        self._shared = shared

    def find_class(self, module_name: str, global_name: str) -> Any:
        if module_name in _allowed_modules() or (module_name, global_name) == _FLAG_ENUM:
            found = super().find_class(module_name, global_name)
            if isinstance(found, type):
                return found
        if (module_name, global_name) == _PATTERN_CONSTRUCTOR:
            return super().find_class(module_name, global_name)
        raise pickle.UnpicklingError(f"an entry may not name {module_name}.{global_name}")

    def persistent_load(self, pid: Any) -> object:
        if not isinstance(pid, int) or not 0 <= pid < len(self._shared):
            raise pickle.UnpicklingError(f"no shared object {pid!r}")
        return self._shared[pid]
