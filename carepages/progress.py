"""Progress of a long build on a terminal: 'Rendering 1,200 of 2,103 files' on one line that is rewritten.

Shown only when the stream is a terminal and the build has been running for `after` seconds (a quick build
prints nothing but its summary), at most ten times a second; `close` clears the line, so what stays on the
screen is the build's one summary line. Nothing is written when the output goes to a file or a pipe.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from .pipeline import Progress

_NOUNS = {"parsing": "pages", "rendering": "files", "making": "handouts", "checking": "pages"}


class TerminalProgress(Progress):
    def __init__(self, stream: TextIO | None = None, after: float = 1.0) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.live = _is_terminal(self.stream)
        self.started = time.monotonic()
        self.after = after
        self.what, self.total, self.done = "", 0, 0
        self.last = 0.0
        self.shown = False

    def start(self, what: str, total: int) -> None:
        self.what, self.total, self.done = what, total, 0
        self._show()

    def advance(self, done: int) -> None:
        self.done += done
        self._show()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False

    def _show(self) -> None:
        if not self.live:
            return
        now = time.monotonic()
        if now - self.started < self.after or (now - self.last < 0.1 and self.done < self.total):
            return
        self.last = now
        noun = _NOUNS.get(self.what, "")
        self.stream.write(f"\r\x1b[K{self.what.capitalize()} {self.done:,} of {self.total:,} {noun}")
        self.stream.flush()
        self.shown = True


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
