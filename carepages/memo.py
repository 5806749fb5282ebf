"""A pure function's results remembered per value of its one argument, within a bound.

For work that many pages repeat on the same values (a reference cited by a hundred pages is formatted once).
The argument is a frozen value; a result is found first by the argument's identity (the memo holds the
argument, so while its entry exists no other object can have its id: the same object, the same value), then
by the value itself (an equal value, made elsewhere: hashed and compared), so equal arguments always get the
result of the first. Hashing a large frozen dataclass walks all its fields, which the identity look-up skips.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar, cast

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
_MISSING = object()


class Remembered(Generic[K, V]):
    def __init__(self, function: Callable[[K], V], limit: int) -> None:
        self.function = function
        self.limit = limit  # entries of each kind; past it, everything is forgotten and made again
        self._by_value: dict[K, V] = {}
        self._by_id: dict[int, tuple[K, V]] = {}

    def __call__(self, value: K) -> V:
        known = self._by_id.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        found = self._by_value.get(value, _MISSING)
        if found is not _MISSING:
            result = cast(V, found)
        else:
            result = self.function(value)
            if len(self._by_value) >= self.limit:
                self._by_value.clear()
            self._by_value[value] = result
        if len(self._by_id) >= self.limit:
            self._by_id.clear()
        self._by_id[id(value)] = (value, result)
        return result


def remembered(limit: int) -> Callable[[Callable[[K], V]], Remembered[K, V]]:
    """Decorator: `@remembered(limit=8192)` over a pure function of one frozen value."""
    def wrap(function: Callable[[K], V]) -> Remembered[K, V]:
        return Remembered(function, limit)
    return wrap
