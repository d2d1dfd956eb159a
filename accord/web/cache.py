"""The workspace's in-process caches: a thread-safe LRU where each value is computed once.

Keys start with the case's stamp (a version that lives in the store), so a write from any worker
changes the key and the old entries simply age out; nothing has to be invalidated by hand.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class _Flight:
    """One computation in progress; the others asking for the same key wait for it."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.ok = False


class LRU:
    def __init__(self, size: int):
        self.size = size
        self.data: OrderedDict[Hashable, Any] = OrderedDict()
        self.flights: dict[Hashable, _Flight] = {}
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                return self.data[key]
        return None

    def put(self, key: Hashable, value: Any) -> Any:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)
        return value

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The cached value, else make() — run once however many threads ask at the same time
        (50 readers arriving on a cold analysis would otherwise compute it 50 times)."""
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                return self.data[key]
            flight = self.flights.get(key)
            owner = flight is None
            if owner:
                flight = self.flights[key] = _Flight()
        if not owner:
            flight.done.wait()
            if flight.ok:
                return flight.value
            return make()  # the owner failed: try ourselves, so the error reaches this caller too
        try:
            flight.value = self.put(key, make())
            flight.ok = True
            return flight.value
        finally:
            with self.lock:
                del self.flights[key]
            flight.done.set()
