"""What open preview tabs are told: the state of the last build, and a channel that wakes every listener.

The preview server answers `/__carepages/events` with a stream of server-sent events. Each event carries the
whole state, so a tab needs no history: the version of the site being served (a tab showing another version
reloads) and the errors of the last build (shown over the page; none: the overlay goes). Events are named for
what happened, for people and tests reading the stream: `hello` (sent first on each connection), `reload`
(the site changed), `error` (the last change did not build; the last good site is still served) and `ok`
(a build that changed nothing, such as a fix that brought back the last good site).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import Diagnostic, Location

HELLO, RELOAD, ERROR, OK = "hello", "reload", "error", "ok"


@dataclass(frozen=True)
class Problem:
    """One error of a build, as the overlay shows it."""

    file: str  # relative to the site folder, as the terminal prints it
    line: int | None
    column: int | None
    message: str
    rule: str

    @classmethod
    def of(cls, diagnostic: Diagnostic, site_dir: Path) -> Problem:
        where = diagnostic.location
        return cls(Location(where.path).format(site_dir), where.line, where.col, diagnostic.message, diagnostic.rule)


@dataclass(frozen=True)
class LiveState:
    """The site being served and the outcome of the last build."""

    root: Path  # the output folder (resolved)
    base_path: str
    version: str  # changes whenever the served site changes
    problems: tuple[Problem, ...] = ()

    def payload(self) -> str:
        return json.dumps({"version": self.version,
                           "errors": [{"file": p.file, "line": p.line, "column": p.column, "message": p.message,
                                       "rule": p.rule} for p in self.problems]}, ensure_ascii=True)


@dataclass(frozen=True)
class Event:
    serial: int  # counts events; a listener asks for the first one after the last it sent
    name: str
    state: LiveState

    def encode(self) -> bytes:
        """The event on the wire (text/event-stream); JSON with ASCII escapes, so one line, never a raw newline."""
        return f"event: {self.name}\ndata: {self.state.payload()}\n\n".encode("ascii")


class Channel:
    """The latest event, and a way to wait for the next one. Shared by the rebuild loop and the server's
    threads (one per open tab), so every access holds the lock.

    It also counts the tabs listening, so that slower work (the search index) can wait until the tabs told
    to reload have done so: a reloaded tab opens a new stream once its page is shown."""

    def __init__(self, state: LiveState) -> None:
        self._changed = threading.Condition()
        self._event = Event(0, HELLO, state)
        self._closed = False
        self._listening = 0  # streams open now
        self._greeted = 0  # streams opened so far
        self._told = 0  # streams open when the last reload was published
        self._greeted_then = 0  # streams opened before it

    @property
    def latest(self) -> Event:
        with self._changed:
            return self._event

    @property
    def state(self) -> LiveState:
        return self.latest.state

    @property
    def closed(self) -> bool:
        with self._changed:
            return self._closed

    def publish(self, name: str, state: LiveState) -> Event:
        with self._changed:
            self._event = Event(self._event.serial + 1, name, state)
            if name == RELOAD:
                self._told, self._greeted_then = self._listening, self._greeted
            self._changed.notify_all()
            return self._event

    def join(self) -> Event:
        """A stream opens: count it, and return the event to greet it with."""
        with self._changed:
            self._listening += 1
            self._greeted += 1
            self._changed.notify_all()
            return self._event

    def leave(self) -> None:
        with self._changed:
            self._listening -= 1

    def wait_until_reloaded(self, timeout: float) -> bool:
        """Wait (up to `timeout` s) until as many streams have opened since the last reload as were open when
        it was published: each tab told has shown its new page. True if they did (or there were none)."""
        with self._changed:
            return self._changed.wait_for(
                lambda: self._closed or self._greeted - self._greeted_then >= self._told, timeout)

    def next_after(self, serial: int, timeout: float) -> Event | None:
        """The latest event if it is newer than `serial`, waiting up to `timeout` s for one; None if none came
        or the channel was closed (the server is stopping)."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._event.serial > serial, timeout)
            if self._closed or self._event.serial <= serial:
                return None
            return self._event

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()
