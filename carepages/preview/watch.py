"""What the preview watches, and the watching: `watchfiles` (Rust's notify: inotify on Linux, FSEvents on
macOS) reports a saved file about 50 ms after the write.

Watched: site.toml, content/, and every theme folder a build reads (the site's own templates/ and static/,
then the default theme's). Two watchers run, because a file watched by itself is lost when an editor saves
by writing a new file and renaming it over the old one:

- the site folder itself, not its subfolders (a site folder is often a repository, with a virtual
  environment or node_modules below it: far too many folders to watch), for site.toml and for a theme
  folder or content/ appearing or going;
- content/ and the theme folders, with everything below them.

When the set of folders changes (a site gets its own templates/), the second watcher is started again on
the new set. Editor leftovers (swap and backup files, .git) are ignored, and so is what the preview writes in
the output folder, should it be below a watched one; the output folder's removal is a change (the site is
built again).
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from watchfiles import Change, DefaultFilter, watch

from ..config.settings import CONFIG_FILE
from ..discover.theme import default_theme_dir

# The names in the site folder a build reads; a change to anything else there (the output folder, a README,
# the .venv) is not a change to the site.
_SITE_NAMES = frozenset({CONFIG_FILE, "content", "templates", "static"})
STOP_CHECK_MS = 200  # how long a watcher may wait in Rust before looking again (it looks at its stop flag more often)
# A save is reported once no other change came for this long (watchfiles' `step`; its default is 50 ms). An
# editor's save (a temporary file renamed over the page) takes a few milliseconds; every millisecond waited
# here is one more before the page reloads.
QUIET_MS = 20
READY_TIMEOUT = 30.0  # seconds to wait for a watcher to be in place


@dataclass(frozen=True)
class Targets:
    """What one site's preview watches."""

    site_dir: Path
    folders: tuple[Path, ...]  # watched with everything below them
    ignored: tuple[Path, ...]  # output folders: written by the preview itself


def targets(site_dir: Path, ignored: Iterable[Path] = ()) -> Targets:
    """The folders a build of `site_dir` reads that exist now: content/, then the theme folders."""
    folders = [site_dir / "content"]
    for name in ("templates", "static"):
        folders += [site_dir / name, default_theme_dir(name)]
    unique: list[Path] = []
    for folder in folders:
        real = folder.resolve()
        if folder.is_dir() and real not in unique:
            unique.append(real)
    return Targets(site_dir.resolve(), tuple(unique), tuple(p.resolve() for p in ignored))


class _Filter(DefaultFilter):
    def __init__(self, ignored: tuple[Path, ...], site_dir: Path | None = None) -> None:
        super().__init__()
        self._ignored = tuple(str(p) for p in ignored)
        self._site_dir = str(site_dir) if site_dir is not None else None

    def __call__(self, change, path: str) -> bool:
        if path in self._ignored:  # an output folder itself: removed (`rm -rf _site`), it is built again
            return bool(change == Change.deleted)
        if any(path.startswith(folder + os.sep) for folder in self._ignored):
            return False
        if self._site_dir is not None and Path(path).name not in _SITE_NAMES:
            return False
        return super().__call__(change, path)


class _Flag:
    """The stop flag handed to watchfiles. It asks the flag every few milliseconds once its watches are in place,
    so the first question also says the watcher is ready: a save after that is seen."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self.ready = threading.Event()

    def is_set(self) -> bool:
        self.ready.set()
        return self._stop.is_set()

    def set(self) -> None:
        self._stop.set()
        self.ready.set()  # a watcher that failed to start must not be waited for


class Watcher:
    """Watches a site's inputs in background threads; `changes()` waits for the next batch of changed paths.

    It returns once both watchers are in place. Stop it with `stop()`."""

    def __init__(self, site_dir: Path, ignored: Callable[[], Iterable[Path]],
                 report: Callable[[str], None] = print) -> None:
        self._site_dir = site_dir
        self._report = report  # how a watcher that failed says so
        self._ignored = ignored  # asked again whenever the watched folders are chosen
        self._changed: queue.Queue[set[tuple[Change, str]]] = queue.Queue()
        self._stopped = _Flag()
        self._tree_stop = _Flag()
        self._targets = targets(site_dir, ignored())
        self._threads = [self._start(self._watch_site_folder)]
        self._threads.append(self._start(self._watch_tree, self._targets, self._tree_stop))
        self._stopped.ready.wait(READY_TIMEOUT)
        self._tree_stop.ready.wait(READY_TIMEOUT)

    @property
    def folders(self) -> tuple[Path, ...]:
        return self._targets.folders

    def changes(self, timeout: float | None = None) -> set[Path] | None:
        """The paths changed since the last call, waiting up to `timeout` s for the first; None if none came.

        A file that came and went in the meantime (an editor's or sed's temporary file) is left out, but the
        batch it came in is still returned: it may have been renamed over a watched file."""
        try:
            batch = self._changed.get(timeout=timeout)
        except queue.Empty:
            return None
        while True:
            try:
                batch |= self._changed.get_nowait()
            except queue.Empty:
                break
        kinds: dict[Path, set[Change]] = {}
        for change, path in batch:
            kinds.setdefault(Path(path), set()).add(change)
        if any(path.parent == self._targets.site_dir for path in kinds):
            self._rewatch()
        return {path for path, seen in kinds.items()
                if not ({Change.added, Change.deleted} <= seen and not os.path.lexists(path))}

    def stop(self) -> None:
        self._stopped.set()
        self._tree_stop.set()
        for thread in self._threads:
            thread.join(timeout=2)

    def _rewatch(self) -> None:
        """Start the tree watcher again if the folders it should watch are not the ones it does."""
        now = targets(self._site_dir, self._ignored())
        if now == self._targets or self._stopped.is_set():
            return
        self._tree_stop.set()
        self._tree_stop = _Flag()
        self._targets = now
        self._threads.append(self._start(self._watch_tree, now, self._tree_stop))
        self._tree_stop.ready.wait(READY_TIMEOUT)  # a file saved in a new folder from now on is seen

    def _start(self, target, *args) -> threading.Thread:
        def run() -> None:
            try:
                target(*args)
            except Exception as exc:  # no watch (too many folders for inotify, a folder gone): say so, serve on
                self._report(f"warning: the preview stopped watching for changes ({type(exc).__name__}: {exc}); "
                             "restart it to see new changes")
            finally:
                for flag in args[1:] or (self._stopped,):
                    flag.ready.set()

        thread = threading.Thread(target=run, name="carepages-watch", daemon=True)
        thread.start()
        return thread

    def _watch_site_folder(self) -> None:
        site = self._targets.site_dir
        for batch in watch(site, watch_filter=_Filter(self._targets.ignored, site), recursive=False,
                           stop_event=self._stopped, rust_timeout=STOP_CHECK_MS, step=QUIET_MS,
                           yield_on_timeout=False, raise_interrupt=False):
            self._changed.put(batch)

    def _watch_tree(self, watched: Targets, stop: _Flag) -> None:
        if not watched.folders:
            stop.ready.set()
            return
        for batch in watch(*watched.folders, watch_filter=_Filter(watched.ignored), stop_event=stop,
                           rust_timeout=STOP_CHECK_MS, step=QUIET_MS, yield_on_timeout=False, raise_interrupt=False):
            self._changed.put(batch)
