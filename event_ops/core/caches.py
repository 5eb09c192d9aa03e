"""Per-process caches, each registered by name, so all of them can be emptied at once.

Hot paths (every scan, every sign-up, every badge) keep copies of rarely changed rows in
memory. Each such copy is one of two small classes here, made at module level with a unique
name:

* :class:`Cache` — an ``OrderedDict`` that keeps entries until they are cleared, popped or
  pushed out by ``maxsize`` (the oldest inserted first; ``move_to_end`` makes it least
  recently used). Reads are plain ``dict`` reads, at C speed: for the check-in hot path
  (verified badge tokens, key rings) and for caches whose freshness rule is their own
  (the caller checks a version or the identity of what an entry was made from).
* :class:`TTLCache` — entries expire ``seconds`` after they were put (``time.monotonic``),
  optionally bounded by ``maxsize`` the same way. ``None`` is a value like any other (a token
  that is not ours is remembered as ``None``); a miss is the ``default`` of ``get``.

A cache kept in an object of its own (the badge render cache: single flight, bounded by
bytes) registers only its ``clear`` with :func:`register`.

:func:`clear_all` empties every registered cache: the tests call it after emptying the
tables, because ids restart and entries keyed by id would otherwise describe rows that are
gone. Nothing in the application needs it: every cache here is either short-lived or checks
what it holds against the source (see each cache's comment).

Why not ``cachetools``: its ``TTLCache`` keeps a linked list and a timer per entry and runs
several Python calls per read; here a read is one ``dict`` lookup (plus one time comparison
for a ``TTLCache``), as the hand-written caches were, and the check-in hot path is measured
against exactly that (``benchmarks/checkin.py``).
"""

from __future__ import annotations

import collections
import enum
import time
from collections.abc import Callable, Hashable
from typing import Final, Generic, TypeVar, overload

__all__ = ["MISSING", "Cache", "TTLCache", "clear", "clear_all", "names", "register"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
D = TypeVar("D")

_registry: dict[str, Callable[[], None]] = {}
_monotonic = time.monotonic  # one global lookup on the hot path instead of two


class _Missing(enum.Enum):
    MISSING = "MISSING"


# ``cache.get(key, MISSING)``: a miss, told apart from a cached ``None`` (type checkers
# narrow ``if hit is not MISSING`` to the value type).
MISSING: Final = _Missing.MISSING


def register(name: str, clear: Callable[[], None]) -> None:
    """Make ``clear`` part of :func:`clear_all` under ``name``. A name is taken once:
    two caches under one name are a mistake (one would never be cleared by name)."""
    if name in _registry:
        raise ValueError(f"a cache named {name!r} is registered already")
    _registry[name] = clear


def clear(name: str) -> None:
    """Empty the cache registered as ``name`` (``KeyError`` for an unknown name)."""
    _registry[name]()


def clear_all() -> None:
    """Empty every registered cache of this process."""
    for forget in _registry.values():
        forget()


def names() -> list[str]:
    """The registered names, sorted."""
    return sorted(_registry)


class Cache(collections.OrderedDict[K, V]):
    """A registered ``OrderedDict``: the ``dict`` API as is, plus :meth:`put`, which keeps
    at most ``maxsize`` entries (``None``: no bound) by dropping the oldest first."""

    def __init__(self, name: str, *, maxsize: int | None = None) -> None:
        super().__init__()
        self.name = name
        self.maxsize = maxsize
        register(name, self.clear)

    def put(self, key: K, value: V) -> None:
        """Store ``value``; a new key first makes room by dropping the oldest entries. A
        key already present keeps its place (``move_to_end`` moves it)."""
        maxsize = self.maxsize
        if maxsize is not None and len(self) >= maxsize and key not in self:
            while len(self) >= maxsize and self:
                self.popitem(last=False)
        self[key] = value

    def __repr__(self) -> str:
        return f"<Cache {self.name!r}: {len(self)} entries>"


class TTLCache(Generic[K, V]):
    """Entries that expire ``seconds`` after they were put, at most ``maxsize`` of them
    (``None``: no bound; the oldest put is dropped first). An expired entry is no longer
    returned; it stays in memory until it is put again, pushed out or cleared, so ``len``
    counts it."""

    __slots__ = ("_data", "maxsize", "name", "seconds")

    def __init__(self, name: str, *, seconds: float, maxsize: int | None = None) -> None:
        self.name = name
        self.seconds = seconds
        self.maxsize = maxsize
        self._data: collections.OrderedDict[K, tuple[float, V]] = collections.OrderedDict()
        register(name, self.clear)

    @overload
    def get(self, key: K) -> V | None: ...
    @overload
    def get(self, key: K, default: D) -> V | D: ...

    def get(self, key: K, default: object = None) -> object:
        """The value put for ``key`` if it has not expired yet, else ``default``."""
        hit = self._data.get(key)
        if hit is not None and hit[0] > _monotonic():
            return hit[1]
        return default

    def put(self, key: K, value: V, *, seconds: float | None = None) -> None:
        """Store ``value`` for ``seconds`` (default: the cache's ``seconds``) from now. With
        ``maxsize``, the entry goes to the back and the oldest entries make room for it."""
        data = self._data
        expires = _monotonic() + (self.seconds if seconds is None else seconds)
        if self.maxsize is not None:
            data.pop(key, None)
            while len(data) >= self.maxsize and data:
                data.popitem(last=False)
        data[key] = (expires, value)

    def pop(self, key: K) -> None:
        """Forget ``key`` (no error when it is not there)."""
        self._data.pop(key, None)

    def clear(self) -> None:
        self._data.clear()

    def __contains__(self, key: object) -> bool:
        hit = self._data.get(key)  # type: ignore[arg-type]
        return hit is not None and hit[0] > _monotonic()

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"<TTLCache {self.name!r}: {len(self._data)} entries, {self.seconds} s>"
