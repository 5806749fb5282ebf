"""Edit-to-reload latency of the live preview (`build.py serve`) on the starter site.

    python bench/reload.py [--repeat 7] [--scenarios body,title,template,css,config] [--no-browser]
                           [--no-search] [--jobs N] [--record FILE]

A copy of the starter site (site.toml, content/, and the default theme copied in as the site's own
templates/ and static/, so a template edit touches only the copy) is previewed as a person runs it, in a
separate process. For each scenario, one file is saved `--repeat` times (a different edit each time), and
each save gives three figures:

- **rebuild**: the preview's own time for the build, as its terminal line prints it;
- **cpu**: the CPU time the preview's processes used from the save to the reload event (from /proc: the
  preview, its builder and their workers): the work
  itself, which other programs on the machine do not lengthen as they lengthen the wall-clock figures;
- **event**: from just before the write until an open tab's event stream (a plain socket here, read as
  EventSource reads it) receives the `reload` event: noticing the save, rebuilding in place, telling the tabs;
- **reload**: from just before the write until the page open in headless Chromium (Playwright, if
  `/usr/bin/chromium` is there) has reloaded by itself and fired `load`: what an editor waits for.

Before each save the preview is left to finish the previous one (its search index follows each change
after the reload). The table shows medians, minimum and maximum; the JSON record (default
`bench/results/reload.json`) has every sample and the load average of the machine at the time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "_work" / "reload"
RECORD = BENCH / "results" / "reload.json"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTICLE = "what-is-ms"  # the page kept open, and the article edited
TIMEOUT = 60.0

SCENARIOS: dict[str, str] = {
    "body": "edit one article's body",
    "title": "edit one article's title",
    "template": "edit the article template",  # every article page changes
    "css": "edit the stylesheet",
    "config": "edit site.toml (the tagline)",
}


# --- the site and its edits ----------------------------------------------------------------------------------

def make_site(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copy2(ROOT / "site.toml", folder / "site.toml")
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, folder / name)
    return folder


def edit(site: Path, scenario: str, n: int) -> None:
    """Save the file of `scenario` with edit number `n` (each edit differs from the last, so each rebuilds)."""
    article = site / "content" / f"{ARTICLE}.md"
    if scenario == "body":
        _replace_tail(article, f"A sentence saved by the reload bench, number {n}.")
    elif scenario == "title":
        _substitute(article, r'^title: ("?)(.*?)( \(\d+\))?\1$', lambda m: f"title: {m[1]}{m[2]} ({n}){m[1]}")
    elif scenario == "template":
        _substitute(site / "templates" / "article.html", r'^(<!-- reload bench \d+ -->\n)?(<article class="article")',
                    lambda m: f"<!-- reload bench {n} -->\n{m[2]}")
    elif scenario == "css":
        _replace_tail(site / "static" / "css" / "site.css", f"/* reload bench {n} */")
    elif scenario == "config":
        _substitute(site / "site.toml", r'^tagline = "(.*?)( \(\d+\))?"$', lambda m: f'tagline = "{m[1]} ({n})"')
    else:
        raise SystemExit(f"unknown scenario {scenario!r}")


def _replace_tail(path: Path, line: str) -> None:
    """Put `line` last in the file, in place of the benchmark's previous one."""
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    if "reload bench" in lines[-1]:
        lines.pop()
    path.write_text("\n".join([*lines, line]) + "\n", encoding="utf-8")


def _substitute(path: Path, pattern: str, replacement: Callable[[re.Match[str]], str]) -> None:
    text, count = re.subn(pattern, replacement, path.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE)
    if count != 1:
        raise SystemExit(f"{path}: the benchmark's edit no longer matches ({pattern})")
    path.write_text(text, encoding="utf-8")


# --- the preview and an open tab -----------------------------------------------------------------------------

class Preview:
    """`build.py serve` on the copy, its printed lines on a queue."""

    def __init__(self, site: Path, search: bool, jobs: int | None = None) -> None:
        args = [sys.executable, str(ROOT / "build.py"), "serve", str(site), "--port", "0"]
        if not search:
            args.append("--no-search")
        if jobs is not None:
            args += ["--jobs", str(jobs)]
        self.log = site.parent / "preview-stderr.txt"
        with self.log.open("wb") as stderr:
            self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=stderr, text=True,
                                         env=dict(os.environ, PYTHONUNBUFFERED="1"))
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(x.rstrip("\n")) for x in self.proc.stdout],
                         daemon=True).start()
        line = self.wait_for(r"Serving the site at http://localhost:(\d+)(/\S*)")
        found = re.search(r"localhost:(\d+)(/\S*)", line)
        self.port, self.base_path = int(found[1]), found[2]
        self.search = search
        self.wait_for(r"^Watching ")
        if search:
            self.wait_for(r"^Search: ")

    def wait_for(self, pattern: str, timeout: float = TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.proc.poll() is not None:
                    raise SystemExit("the preview stopped") from None
                continue
            if re.search(pattern, line):
                return line
        raise SystemExit(f"the preview did not print {pattern!r} within {timeout:g} s; its errors are in {self.log}")

    def settle(self) -> float:
        """Wait until the preview has finished with the last save (its rebuild, then its search index); return
        the rebuild's own time as the preview printed it."""
        line = self.wait_for(r" changed: rebuilt in ")
        time.sleep(1.5 if self.search else 0.3)  # Pagefind takes about half a second on the starter site
        while not self.lines.empty():
            self.lines.get_nowait()
        return float(re.search(r"rebuilt in ([0-9.]+) s", line)[1])

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class EventStream:
    """An open tab's event stream, read from a socket; `wait_reload()` returns when a `reload` event came."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        self.sock.sendall(f"GET /__carepages/events HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n".encode())
        self.reloads: queue.Queue[float] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        with self.sock.makefile("rb") as stream:
            for line in stream:
                if line.startswith(b"event: reload"):
                    self.reloads.put(time.perf_counter())

    def drain(self) -> None:
        while not self.reloads.empty():
            self.reloads.get_nowait()

    def wait_reload(self) -> float:
        try:
            return self.reloads.get(timeout=TIMEOUT)
        except queue.Empty:
            raise SystemExit(f"no reload event within {TIMEOUT:g} s") from None


# --- measuring -----------------------------------------------------------------------------------------------

def cpu_seconds(pid: int) -> float:
    """User and system CPU time so far of a process and of every process below it (Linux): the preview and
    its builder, with the workers each has ended (counted in their parent's children's times)."""
    parents: dict[int, tuple[int, int]] = {}  # process -> (its parent, its ticks and its ended children's)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # (ended meanwhile)
                continue
            parents[int(entry.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))
    below = {pid}
    while True:
        more = {child for child, (parent, _) in parents.items() if parent in below} - below
        if not more:
            break
        below |= more
    ticks = sum(parents[p][1] for p in below if p in parents)
    return ticks / os.sysconf("SC_CLK_TCK")


def save(site: Path, scenario: str, n: int, tab: EventStream, page, pid: int) -> tuple[float, float, float | None]:
    """Save one edit; seconds until the reload event, the preview's CPU seconds until then, and seconds until
    the open page has reloaded (None: no page)."""
    tab.drain()
    cpu = cpu_seconds(pid)
    if page is None:
        started = time.perf_counter()
        edit(site, scenario, n)
        event = tab.wait_reload() - started
        return event, cpu_seconds(pid) - cpu, None
    with page.expect_navigation(wait_until="load", timeout=TIMEOUT * 1000):
        started = time.perf_counter()
        edit(site, scenario, n)
        event = tab.wait_reload() - started
        used = cpu_seconds(pid) - cpu
    return event, used, time.perf_counter() - started


def measure(site: Path, preview: Preview, scenarios: Sequence[str], repeat: int,
            page=None) -> dict[str, list[dict[str, float | None]]]:
    tab = EventStream(preview.port)
    samples: dict[str, list[dict[str, float | None]]] = {}
    saves = 0
    for scenario in scenarios:
        samples[scenario] = []
        for run in range(repeat + 1):  # the first save of each scenario warms up (imports, template caches)
            saves += 1
            load = os.getloadavg()[0]
            event, cpu, reload = save(site, scenario, saves, tab, page, preview.proc.pid)
            rebuild = preview.settle()
            if run > 0:
                samples[scenario].append({"rebuild_s": rebuild, "cpu_s": round(cpu, 3), "event_s": round(event, 4),
                                          "reload_s": None if reload is None else round(reload, 4),
                                          "load_average": round(load, 2)})
    return samples


def summary(values: Sequence[float]) -> dict[str, float]:
    return {"median_s": round(statistics.median(values), 3), "min_s": round(min(values), 3),
            "max_s": round(max(values), 3)}


def _shown(figures: dict[str, float] | None) -> str:
    return f"{figures['median_s']:.3f} ({figures['min_s']:.2f}-{figures['max_s']:.2f})" if figures else "-"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="saves per scenario (after one warm-up save)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated: " + ", ".join(SCENARIOS))
    parser.add_argument("--no-browser", dest="browser", action="store_false", help="time the event only")
    parser.add_argument("--no-search", dest="search", action="store_false", help="preview with --no-search")
    parser.add_argument("--jobs", type=int, help="serve --jobs N (default: the preview's own, one per CPU)")
    parser.add_argument("--record", type=Path, default=RECORD, help=f"JSON record (default: {RECORD})")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = [s for s in scenarios if s not in SCENARIOS]
    if unknown:
        raise SystemExit(f"unknown scenarios: {', '.join(unknown)} (known: {', '.join(SCENARIOS)})")
    use_browser = args.browser and Path(CHROMIUM).exists()
    if args.browser and not use_browser:
        print(f"Chromium not found at {CHROMIUM}: timing the event only (apt-get install chromium)")
    site = make_site(WORK / "site")
    preview = Preview(site, args.search, args.jobs)
    try:
        if use_browser:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                page = chromium.new_page()
                page.goto(f"http://127.0.0.1:{preview.port}{preview.base_path}articles/{ARTICLE}/")
                samples = measure(site, preview, scenarios, args.repeat, page)
                chromium.close()
        else:
            samples = measure(site, preview, scenarios, args.repeat)
    finally:
        preview.stop()

    rows = {}
    print(f"\nEdit-to-reload on the starter site ({args.repeat} saves each, search "
          f"{'on' if args.search else 'off'}; medians, min-max):")
    print(f"{'scenario':30} {'rebuild (s)':>18} {'cpu (s)':>18} {'event (s)':>18} {'browser reload (s)':>20}")
    for scenario, runs in samples.items():
        rebuild = summary([r["rebuild_s"] for r in runs])
        cpu = summary([r["cpu_s"] for r in runs])
        event = summary([r["event_s"] for r in runs])
        reload = summary([r["reload_s"] for r in runs]) if use_browser else None
        rows[scenario] = {"label": SCENARIOS[scenario], "rebuild": rebuild, "cpu": cpu, "event": event,
                          "reload": reload, "runs": runs}
        print(f"{SCENARIOS[scenario]:30} {_shown(rebuild):>18} {_shown(cpu):>18} {_shown(event):>18} "
              f"{_shown(reload):>20}")
    print(f"Load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
          "(other work on the machine lengthens every figure).")
    record = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": "python bench/reload.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
        "browser": use_browser, "search": args.search, "jobs": args.jobs, "repeat": args.repeat, "scenarios": rows,
    }
    args.record.parent.mkdir(parents=True, exist_ok=True)
    args.record.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"Record written to {args.record}")


if __name__ == "__main__":
    main()
