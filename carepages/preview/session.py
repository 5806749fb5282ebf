"""One live preview: build, serve, then rebuild in place on every saved change and tell the open tabs.

The first build must succeed (as for `build`, every error is printed and the server does not start). After
that the preview keeps going whatever is saved:

- a change is rebuilt with the same `build` as the command line, in place (`in_place`): only files whose
  bytes changed are written, each atomically, so a tab never reads half a file;
- a build that changed files gives the site a new version: each tab showing another version reloads;
- a build that failed changes nothing on disk: the last good site is still served, and each tab shows the
  errors (file, line, message) over the page until a build succeeds; the terminal shows them too;
- search is indexed once the tabs told to reload have shown the new pages (they open a new event stream;
  at most `SHOWN_WAIT` s), never before, from a copy of the site's pages (so the index matches one build),
  by a thread of its own; the new bundle is then brought into the output folder.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import Diagnostic, SiteError
from ..pipeline import BuildResult
from ..search import BUNDLE, index_site
from ..server import make_server
from ..terminal import count, print_diagnostics, shown_path
from ..write.output import output_target, update_folder
from .builder import Builder, BuilderBroke, BuildOptions, InternalError
from .live import ERROR, OK, RELOAD, Channel, LiveState, Problem
from .watch import Watcher

SHOWN_CHANGES = 3  # changed files named in the terminal line before "and N more"
SHOWN_WAIT = 3.0  # seconds the search index waits for the open tabs to show a new version, at most


@dataclass(frozen=True)
class Options:
    site_dir: Path
    out: Path | None = None
    drafts: bool = False
    search: bool = True
    host: str = "127.0.0.1"
    port: int = 8000
    debug: bool = False
    jobs: int | None = None  # worker processes of each build (default: one per CPU)
    cache_dir: Path | None = None
    cache: bool = True

    def build_options(self) -> BuildOptions:
        return BuildOptions(os.path.abspath(self.site_dir), None if self.out is None else str(self.out), self.drafts,
                            self.search, self.jobs, None if self.cache_dir is None else str(self.cache_dir),
                            self.cache)


def run_preview(options: Options) -> None:
    """Build, serve the site and rebuild it on each change until Ctrl+C. Raises `SiteError` when the first
    build fails or the port is taken (nothing is served then)."""
    preview = Preview(options)
    first = preview.first_build()
    try:
        server = make_server(first.output_dir, first.base_path, options.host, options.port, debug=options.debug,
                             live=preview.channel)
    except OSError as exc:
        change = "--host" if isinstance(exc, socket.gaierror) else "--port"  # (a name that is no address here)
        raise SiteError(f"cannot listen on {options.host}:{options.port}: {exc.strerror}; try another {change}",
                        rule="serve/port") from None
    interrupted = False
    try:
        preview.start()
        preview.announce(first, server.server_address[1])
        server.serve_forever()
    except KeyboardInterrupt:
        interrupted = True
    finally:
        preview.stop()  # a rebuild under way finishes (and says so) first
        server.server_close()
    if interrupted:
        print("\nStopped.", flush=True)


class Preview:
    """The rebuild loop and the search indexer of one preview, and the channel its tabs listen to."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.site_dir = Path(os.path.abspath(options.site_dir))
        self.channel: Channel  # set by the first build
        self._nonce = secrets.token_hex(4)  # a restarted preview is another version, whatever it builds
        self._builds = 0
        self._writing = threading.Lock()  # held while the output folder changes, and while it is copied
        self._stopping = threading.Event()
        self._index_wanted = threading.Event()
        self._threads: list[threading.Thread] = []
        self._watcher: Watcher | None = None
        self._warnings: tuple[Diagnostic, ...] = ()
        self._indexed_once = False
        self._search_error = ""
        self._builder: Builder | None = None  # the rebuilds' process, from `start` on

    # --- the first build and the start -------------------------------------------------------------------------

    def first_build(self) -> BuildResult:
        result = self._build()  # (here, with no other thread yet: on every CPU)
        self._warnings = result.warnings
        print_diagnostics(result.warnings)
        self.channel = Channel(LiveState(_real(result.output_dir), result.base_path, self._version()))
        return result

    def announce(self, result: BuildResult, port: int) -> None:
        host = self.options.host
        shown_host = "localhost" if host in {"127.0.0.1", "::1"} else f"[{host}]" if ":" in host else host
        print(f"Built {count(result.pages, 'page')} into {shown_path(result.output_dir)}.")
        print(f"Serving the site at http://{shown_host}:{port}{result.base_path}  (Ctrl+C to stop)")
        if host not in {"127.0.0.1", "::1", "localhost"}:
            print("Note: other computers on your network can see this preview.")
        print("Watching content, templates, static files and site.toml: open pages reload when you save.",
              flush=True)

    def start(self) -> None:
        self._builder = Builder(self.options.build_options())  # before the threads: ready by the first save
        self._watcher = Watcher(self.site_dir, lambda: (self.channel.state.root,),
                                report=lambda line: print(line, file=sys.stderr, flush=True))
        self._threads.append(_thread(self._rebuild_loop, "carepages-rebuild"))
        if self.options.search:
            self._threads.append(_thread(self._index_loop, "carepages-search"))
            self._index_wanted.set()  # the first build was not indexed: the pages came first

    def stop(self) -> None:
        self._stopping.set()
        self._index_wanted.set()
        if self._watcher is not None:
            self._watcher.stop()
        self.channel.close()
        for thread in self._threads:
            thread.join(timeout=5)
        if self._builder is not None:
            self._builder.close()

    # --- rebuilding --------------------------------------------------------------------------------------------

    def _build(self) -> BuildResult:
        """A build in place: in the builder process once the preview runs (this process has threads then,
        and a build here could not use more than one CPU: see builder.py), here before."""
        with self._writing:
            if self._builder is not None:
                return self._builder.build()
            return self.options.build_options().run()

    def _version(self) -> str:
        return f"{self._nonce}-{self._builds}"

    def _rebuild_loop(self) -> None:
        assert self._watcher is not None
        while not self._stopping.is_set():
            changed = self._watcher.changes(timeout=0.2)
            if changed is not None and not self._stopping.is_set():
                self.rebuild(changed)

    def rebuild(self, changed: Iterable[Path] = ()) -> None:
        """Build again after `changed` were saved, and tell the tabs what came of it."""
        started = time.perf_counter()
        what = _describe(changed, self.site_dir)
        state = self.channel.state
        try:
            result = self._build()
        except SiteError as exc:
            print_diagnostics(exc.diagnostics)
            print(f"{what}: the site did not build ({count(len(exc.diagnostics), 'error')}). The preview shows "
                  "the last good site until the file is fixed.", flush=True)
            self.channel.publish(ERROR, replace(state, problems=tuple(Problem.of(d, self.site_dir)
                                                                      for d in exc.diagnostics)))
            return
        except BuilderBroke as exc:  # killed, or out of memory: nothing to show in the page
            if not self._stopping.is_set():  # (else the preview is stopping, and closed it)
                print(f"{what}: {exc}. The next save builds again.", file=sys.stderr, flush=True)
            return
        except Exception as exc:  # a bug in carepages: said on one line, and the preview goes on
            summary = str(exc) if isinstance(exc, InternalError) else f"{type(exc).__name__}: {exc}"
            message = f"internal error: {summary}; this is a bug in carepages, please report it"
            print(message, file=sys.stderr, flush=True)
            if self.options.debug:
                if isinstance(exc, InternalError):
                    print(exc.details, file=sys.stderr, end="", flush=True)
                else:
                    traceback.print_exc()
            self.channel.publish(ERROR, replace(state, problems=(Problem("", None, None, message, ""),)))
            return
        if result.warnings != self._warnings:
            print_diagnostics(result.warnings)
            self._warnings = result.warnings
        update = result.update
        seconds = time.perf_counter() - started
        if update is None or update.written or update.removed:  # None: not said, so reload to be sure
            self._builds += 1
            new = LiveState(_real(result.output_dir), result.base_path, self._version())
            self.channel.publish(RELOAD, new)
            if update is None:
                print(f"{what}: rebuilt in {seconds:.2f} s.", flush=True)
            else:
                removed = f", {count(len(update.removed), 'file')} removed" if update.removed else ""
                print(f"{what}: rebuilt in {seconds:.2f} s, {count(len(update.written), 'file')} written"
                      f"{removed}.", flush=True)
            self._index_wanted.set()
        else:
            self.channel.publish(OK, replace(state, problems=()))
            print(f"{what}: rebuilt in {seconds:.2f} s, no file changed.", flush=True)

    # --- search, after the pages -------------------------------------------------------------------------------

    def _index_loop(self) -> None:
        while True:
            self._index_wanted.wait()
            if self._stopping.is_set():
                return
            self._index_wanted.clear()
            self.channel.wait_until_reloaded(SHOWN_WAIT)  # the pages first: Pagefind takes both CPUs for a while
            if not self._stopping.is_set():
                self.index()

    def index(self) -> None:
        """Index a copy of the served pages, then bring the new bundle into the output folder."""
        out = self.channel.state.root
        with tempfile.TemporaryDirectory(prefix="carepages-preview-search-") as scratch:
            copy = Path(scratch) / "site"
            with self._writing:
                _copy_pages(out, copy)
            try:
                result = index_site(copy, shown=out, stop=self._stopping)
                with self._writing:
                    if self._stopping.is_set() or self.channel.state.root != out:
                        return
                    update_folder(copy / BUNDLE, out, BUNDLE)
            except SiteError as exc:
                if self._stopping.is_set():  # Ctrl+C reached Pagefind too: nothing to report
                    return
                message = "\n".join(d.format() for d in exc.diagnostics)
                if message != self._search_error:  # said once, not after every save
                    print(message, file=sys.stderr, flush=True)
                    self._search_error = message
                return
        self._search_error = ""
        if not self._indexed_once:
            print(f"Search: {count(result.pages, 'page')} indexed in {result.seconds:.2f} s; the index follows "
                  "each change once the page has reloaded.", flush=True)
            self._indexed_once = True


def _copy_pages(out: Path, copy: Path) -> None:
    """The HTML pages of `out`, without its search bundle: hard links where possible (the preview replaces a
    file rather than writing into it, so a link keeps the version copied), copies elsewhere."""
    target = output_target(out)
    for page in target.rglob("*.html"):
        rel = page.relative_to(target)
        if rel.parts[0] == BUNDLE or page.is_symlink():
            continue
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(page, copy / rel)
        except OSError:
            shutil.copyfile(page, copy / rel)


def _describe(changed: Iterable[Path], site_dir: Path) -> str:
    names = sorted({_relative(path, site_dir) for path in changed})
    if not names:
        return "A change"
    shown = ", ".join(names[:SHOWN_CHANGES])
    more = len(names) - SHOWN_CHANGES
    return f"{shown} and {more} more changed" if more > 0 else f"{shown} changed"


def _relative(path: Path, site_dir: Path) -> str:
    try:
        return path.resolve().relative_to(site_dir.resolve()).as_posix()
    except ValueError:
        return str(path)


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _thread(target, name: str) -> threading.Thread:
    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.start()
    return thread

