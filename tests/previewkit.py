"""Test helpers for the live preview: run `build.py serve` as a user does, and listen to its event stream as
an open tab does."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .sitekit import ROOT

WAIT = 30.0  # seconds to wait for anything the preview should do at once (generous: CI machines are shared)


@dataclass
class Served:
    """A running `build.py serve`: its port, what it printed, and how to stop it as Ctrl+C does."""

    proc: subprocess.Popen
    port: int
    stdout: queue.Queue[str]
    stderr: Path
    reader: threading.Thread | None = None
    printed: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_for_line(self, pattern: str, timeout: float = WAIT) -> str:
        """The next line printed on stdout that matches `pattern` (a regular expression)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.stdout.get(timeout=0.2)
            except queue.Empty:
                assert self.proc.poll() is None, f"the preview stopped:\n{self.err()}"
                continue
            self.printed.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r}; printed: {self.printed}\n{self.err()}")

    def err(self) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")

    def printed_after_stop(self) -> list[str]:
        """Everything printed on stdout that was not read yet (call after `stop`)."""
        if self.reader is not None:
            self.reader.join(timeout=10)
        while not self.stdout.empty():
            self.printed.append(self.stdout.get_nowait())
        return self.printed

    def stop(self) -> int:
        """Ctrl+C; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
            raise AssertionError("the preview did not stop on Ctrl+C") from None


def start_preview(site_dir: Path, log_dir: Path, *args: str, path: tuple[Path, ...] = (),
                  env: dict[str, str] | None = None) -> Served:
    """`build.py serve` on `site_dir` with `args`; `path`: folders put before carepages on PYTHONPATH, `env`:
    more environment variables."""
    stderr = log_dir / "preview-stderr.txt"
    with stderr.open("wb") as err:
        proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", str(site_dir), "--port", "0", *args],
                                stdout=subprocess.PIPE, stderr=err, text=True,
                                env=dict(os.environ, PYTHONPATH=os.pathsep.join(map(str, (*path, ROOT))),
                                         PYTHONUNBUFFERED="1", **(env or {})))
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line.rstrip("\n")) for line in proc.stdout], daemon=True)
    reader.start()
    served = Served(proc, 0, lines, stderr, reader)
    try:
        line = served.wait_for_line(r"Serving the site at http://localhost:\d+/", timeout=60)
        served.port = int(re.search(r"localhost:(\d+)/", line)[1])
        served.wait_for_line(r"^Watching ")
    except BaseException:
        served.stop()
        raise
    return served


@dataclass(frozen=True)
class Event:
    name: str
    data: dict


class EventStream:
    """`GET /__carepages/events`, read as a browser's EventSource reads it, the events put on a queue."""

    def __init__(self, port: int, host: str = "localhost") -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        self.sock.sendall(f"GET /__carepages/events HTTP/1.1\r\nHost: {host}:{port}\r\n"
                          "Accept: text/event-stream\r\n\r\n".encode())
        self.file = self.sock.makefile("rb")
        self.status_line = self.file.readline().decode("latin-1").rstrip()
        self.headers: dict[str, str] = {}
        while (line := self.file.readline().decode("latin-1").rstrip("\r\n")):
            name, _, value = line.partition(":")
            self.headers[name.lower()] = value.strip()
        self.events: queue.Queue[Event] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        name, data = "message", []
        try:
            for raw in self.file:
                line = raw.decode("utf-8").rstrip("\r\n")
                if not line:
                    if data:
                        self.events.put(Event(name, json.loads("\n".join(data))))
                    name, data = "message", []
                elif line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
        except OSError:
            pass

    def next(self, timeout: float = WAIT) -> Event:
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no event within {timeout} s") from None

    def next_named(self, *names: str, timeout: float = WAIT) -> Event:
        """The next event with one of `names`, skipping others (a watcher may report a save in two parts)."""
        deadline = time.monotonic() + timeout
        while True:
            event = self.next(max(0.1, deadline - time.monotonic()))
            if event.name in names:
                return event

    def close(self) -> None:
        self.sock.close()


def save(site, rel: str, text: str) -> None:
    """Save a file as many editors do, in one step (a new file renamed over the old one): the preview never
    reads it half-written, so what it reports is what the test wrote."""
    path = site.root / rel
    temporary = path.with_name(f".{path.name}.saving")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
