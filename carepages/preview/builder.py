"""The preview's builds, in a process of their own.

A build parses and renders on every CPU by forking worker processes (`carepages/parallel.py`), but never from
a process that has other threads, since a lock one of them holds would stay held in the child for ever; and
a preview has threads (the server, the watcher, the search indexer). So its rebuilds run in a builder: a
fresh Python process (started with `spawn`, which is safe beside threads) whose only thread waits for the
next request, runs the same `build` as the command line, and sends back what came of it. The preview's own
process serves, watches and tells the tabs, as before.

The builder ignores Ctrl+C (the preview stops it once the rebuild under way is over) and ends when the
preview closes its end of the pipe. If it dies (killed, out of memory), the next request starts another.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import signal
import traceback
from dataclasses import dataclass
from typing import Any

from ..errors import BuildFailed, SiteError
from ..pipeline import BuildResult, build

JOIN_SECONDS = 10.0  # how long `close` waits for the builder to end before it is stopped


@dataclass(frozen=True)
class BuildOptions:
    """`build`'s arguments for every build of one preview."""

    site_dir: str
    out: str | None
    drafts: bool
    search: bool
    jobs: int | None
    cache_dir: str | None
    cache: bool

    def run(self) -> BuildResult:
        return build(self.site_dir, self.out, drafts=self.drafts, search=self.search, jobs=self.jobs,
                     cache_dir=self.cache_dir, cache=self.cache, in_place=True)


class BuilderBroke(Exception):
    """The builder ended in the middle of a build (it was killed, or ran out of memory)."""


class InternalError(Exception):
    """A bug in carepages, raised in the builder: its type and message, and its traceback as text."""

    def __init__(self, summary: str, details: str) -> None:
        super().__init__(summary)
        self.details = details


class Builder:
    """Runs `options.run()` in the builder process, started at once (so that it is ready by the first save)."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self._context = multiprocessing.get_context("spawn")
        self._process: Any = None
        self._connection: multiprocessing.connection.Connection | None = None
        self._start()

    def build(self) -> BuildResult:
        """A build, as `build` gives it; raises `BuildFailed` with its errors when the site does not build,
        `InternalError` for a bug, `BuilderBroke` when the builder ended before answering (the next call
        starts another)."""
        if self._connection is None or not self._process.is_alive():
            self._stop()
            self._start()
        assert self._connection is not None
        try:
            self._connection.send("build")
            kind, value = self._connection.recv()
        except (EOFError, OSError):
            self._stop()
            raise BuilderBroke("the process that builds the preview ended during a build") from None
        if kind == "built":
            return value  # type: ignore[no-any-return]
        if kind == "failed":
            raise BuildFailed(value)
        raise InternalError(*value)

    def close(self) -> None:
        """End the builder (after the build it is running, if any: see `session.Preview.stop`)."""
        self._stop()

    def _start(self) -> None:
        ours, theirs = self._context.Pipe()
        # (not a daemon: a daemon process may not start the build's workers; it ends when the pipe closes)
        self._process = self._context.Process(target=_serve, args=(theirs, self.options), name="carepages-builder")
        self._process.start()
        theirs.close()
        self._connection = ours

    def _stop(self) -> None:
        if self._connection is not None:
            self._connection.close()  # the builder sees the end of its requests, and ends
            self._connection = None
        if self._process is not None:
            self._process.join(JOIN_SECONDS)
            if self._process.is_alive():
                self._process.terminate()
                self._process.join(JOIN_SECONDS)
            self._process = None


def _serve(connection: multiprocessing.connection.Connection, options: BuildOptions) -> None:
    """The builder's life: a build for each request, until the preview closes its end."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the preview's to handle (workers inherit this)
    while True:
        try:
            connection.recv()
            answer = _answer(options)
            connection.send(answer)
        except (EOFError, OSError):  # the preview has gone (during a build, if it was stopped then)
            return


def _answer(options: BuildOptions) -> tuple[str, Any]:
    try:
        return "built", options.run()
    except SiteError as exc:  # (its errors are all the preview shows of it)
        return "failed", exc.diagnostics
    except Exception as exc:  # a bug in carepages
        return "bug", (f"{type(exc).__name__}: {exc}", traceback.format_exc())
