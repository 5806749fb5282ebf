"""Site search with no server and no third party: Pagefind indexes the built site, and the search page runs
the index in the reader's browser, from the site's own folder.

`index_site(folder)` runs the Pagefind binary that the `pagefind-bin` package ships (offline, quiet, with a
timeout) on a complete built site, the staging folder before it is swapped in (`write_site`'s `before_swap`),
so a failed index leaves the live site as it was. Its bundle goes to `pagefind/` in the site.

What is indexed is decided by the templates: page content carries `data-pagefind-body` (so pages without
it, the generated lists, are not results), and navigation, review boxes, reference and related lists inside
it carry `data-pagefind-ignore`. Citation numbers are excluded here, as they are the same on every page.

Pagefind's result URLs are relative to the site's root; the search page gives Pagefind the site's base path
at search time (see templates/search.html and static/js/site.js), so nothing here depends on `base_url`.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import Location, SiteError

BUNDLE = "pagefind"  # the folder in the site that holds the index and pagefind.js
TIMEOUT = 600  # seconds; the starter site takes well under one, 2,000 pages about four
STOP_POLL = 0.1  # seconds between looks at `stop` while Pagefind runs
# Never results: citation numbers ([1], [2-4]) and footnote marks, which every page has.
EXCLUDE = (".citation", ".footnote-ref")
# What Pagefind writes that the site does not use: its ready-made interfaces (they add inline styles, which
# the site's Content-Security-Policy refuses; the theme has its own results list instead).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
_MESSAGE_LINES = 6  # how much of the tool's output an error shows


class SearchError(SiteError):
    """The search index could not be built."""

    default_rule = "search/index"


@dataclass(frozen=True)
class SearchResult:
    bundle: Path  # the folder written (in the staging folder, while the build runs)
    pages: int  # pages indexed, over every language
    seconds: float


def index_site(folder: Path, *, shown: Path | None = None, timeout: float = TIMEOUT,
               stop: threading.Event | None = None) -> SearchResult:
    """Index the built site in `folder` into `folder/pagefind/`. Raises `SearchError`, located at `shown`
    (the output folder a user knows; `folder` may be a staging folder that is gone by the time they read it).
    Pagefind is ended as soon as `stop` is set (the preview is stopping: SearchError then too), or when this
    raises anything (Ctrl+C): it never outlives the call."""
    where = Location(shown or folder)
    started = time.perf_counter()
    command = [str(_executable(where)), "--site", str(folder), "--output-subdir", BUNDLE, "--quiet"]
    for selector in EXCLUDE:
        command += ["--exclude-selectors", selector]
    # No PAGEFIND_* variable of the caller's environment, and no pagefind.yml/.toml/.json of the current folder,
    # may change what is indexed: the tool runs in an empty folder of its own with only our options.
    env = {key: value for key, value in os.environ.items() if not key.upper().startswith("PAGEFIND")}
    with tempfile.TemporaryDirectory(prefix="carepages-pagefind-") as empty:
        try:
            done = _run(command, cwd=empty, env=env, timeout=timeout, stop=stop)
        except subprocess.TimeoutExpired:
            raise SearchError(f"the search index was not built: Pagefind took longer than {timeout:g} s; build with "
                              "--no-search to leave search out", where, rule="search/index") from None
        except _Stopped:
            raise SearchError("the search index was not built: stopped", where, rule="search/index") from None
        except OSError as exc:
            raise SearchError(f"the search index was not built: Pagefind could not be run ({exc.strerror or exc})",
                              where, rule="search/index") from None
    if done.returncode != 0:
        said = _tool_message(done.stdout + b"\n" + done.stderr) or f"it stopped with exit code {done.returncode}"
        raise SearchError(f"the search index was not built: Pagefind said: {said}", where, rule="search/index")
    bundle = folder / BUNDLE
    pages = _pages_indexed(bundle)
    if pages is None:
        raise SearchError(f"the search index was not built: Pagefind ended without writing {BUNDLE}/pagefind-entry"
                          ".json", where, rule="search/index")
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    return SearchResult(bundle, pages, time.perf_counter() - started)


class _Stopped(Exception):
    """`stop` was set while Pagefind ran."""


def _run(command: list[str], *, cwd: str, env: dict[str, str], timeout: float,
         stop: threading.Event | None) -> subprocess.CompletedProcess[bytes]:
    """`subprocess.run(command, ..., timeout=timeout)`, that also ends the program once `stop` is set."""
    deadline = time.monotonic() + timeout
    with subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as process:
        try:
            while True:
                left = deadline - time.monotonic()
                try:
                    out, err = process.communicate(timeout=max(0.0, min(left, STOP_POLL) if stop else left))
                    return subprocess.CompletedProcess(command, process.returncode, out, err)
                except subprocess.TimeoutExpired:
                    if stop is not None and stop.is_set():
                        raise _Stopped() from None
                    if time.monotonic() >= deadline:
                        raise
        except BaseException:  # (the time is up, `stop`, Ctrl+C or SIGTERM: see stopping.py)
            process.kill()
            process.wait()
            raise


def _executable(where: Location) -> Path:
    try:
        import pagefind_bin
    except ImportError:
        raise SearchError("the search index needs Pagefind, from the Python package 'pagefind-bin', which is not "
                          "installed: run 'make build' (it installs carepages's packages) or "
                          "'.venv/bin/pip install pagefind-bin==1.5.2'; or build with --no-search",
                          where, rule="search/index") from None
    try:
        return Path(pagefind_bin.get_executable())
    except (OSError, FileNotFoundError) as exc:  # the package is there, its binary not (another platform's wheel)
        raise SearchError(f"the search index needs Pagefind, but the 'pagefind-bin' package has no program for "
                          f"this computer ({exc}); reinstall it, or build with --no-search",
                          where, rule="search/index") from None


def _tool_message(output: bytes) -> str:
    """The lines of Pagefind's output that say what went wrong, as one line."""
    lines = []
    for raw in output.decode("utf-8", errors="replace").splitlines():
        line = raw.strip()
        if line and line not in lines:  # it may print a message on both of its outputs
            lines.append(line)
    errors = [i for i, line in enumerate(lines) if line.lower().startswith("error")]
    if errors:
        lines = lines[errors[0]:]
    return " ".join(lines[:_MESSAGE_LINES])


def _pages_indexed(bundle: Path) -> int | None:
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sum(int(language["page_count"]) for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
