"""Stopping a command from outside: Ctrl+C, and SIGTERM or SIGHUP (a service manager, a closed terminal).

Python's default for SIGTERM and SIGHUP ends the process on the spot: a build would leave its staging folder
and Pagefind running behind it, the preview its copies of the site in the temporary folder, and worker
processes would print tracebacks as their parent vanished. Within `stop_on_signals()` such a signal is
raised in the main thread as `Stopped`, a `KeyboardInterrupt`, so the clean-up that Ctrl+C runs runs for it
too. A signal the caller ignores (`nohup`) stays ignored.

Workers (`quiet_worker`) leave stopping to the command that started them: a terminal's Ctrl+C reaches the
whole process group, and the command ends its workers itself.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# What stops a command as Ctrl+C does, where the platform has it.
SIGNALS: tuple[signal.Signals, ...] = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP")
                                            if hasattr(signal, name))


class Stopped(KeyboardInterrupt):
    """The command was asked to stop by `signum` (not by Ctrl+C)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # the shell's convention for a command ended by a signal


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise `Stopped` in the main thread until the block ends; the handlers before are
    put back then. The first such signal is the only one: the clean-up it starts is not cut short by a second
    (SIGKILL still ends the process). Outside the main thread, where handlers cannot be set, nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.getsignal(number) for number in SIGNALS}
    handled = [number for number, handler in previous.items() if handler is signal.SIG_DFL]

    def stop(signum: int, frame: object) -> None:
        for number in handled:
            signal.signal(number, signal.SIG_IGN)
        raise Stopped(signum)

    for number in handled:
        signal.signal(number, stop)
    try:
        yield
    finally:
        for number in handled:
            signal.signal(number, previous[number])


def quiet_worker() -> None:
    """In a worker process a command forked: Ctrl+C is the command's to handle (it ends its workers), and
    SIGTERM or SIGHUP end the worker at once, without the command's handlers it was forked with."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in SIGNALS:
        if signal.getsignal(number) is not signal.SIG_IGN:
            signal.signal(number, signal.SIG_DFL)
