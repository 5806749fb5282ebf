"""The live preview end to end: `build.py serve` on a temp site, edited as an editor does, with an open tab's
event stream listening. An edit is served and announced; a broken file is reported with its place and the
last good site stays; the fix clears the report; Ctrl+C stops without a traceback."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from carepages.preview.client import inject
from carepages.server import is_local_host

from .previewkit import WAIT, EventStream, save, start_preview
from .sitekit import ROOT, article, tree_bytes

BROKEN_TITLE = "---\ntitle: <b>MS</b>: the basics\nsummary: S\n---\n"
BROKEN_MESSAGE = ("the text of 'title' has a colon followed by a space, so it must be in quotes: "
                  "`title: \"<b>MS</b>: the basics\"`")


def fetch(url: str, host: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@pytest.fixture
def preview(site, tmp_path):
    served = start_preview(site.root, tmp_path, "--no-search")
    streams: list[EventStream] = []

    def listen() -> EventStream:
        stream = EventStream(served.port)
        streams.append(stream)
        return stream

    served.listen = listen  # type: ignore[attr-defined]
    yield served
    for stream in streams:
        stream.close()
    code = served.stop()
    err = served.err()
    assert code == 0, err
    assert "Traceback" not in err and "internal error" not in err, err
    assert served.printed_after_stop()[-2:] == ["", "Stopped."]  # Ctrl+C ends the line it interrupted


def test_an_edit_is_served_and_every_open_tab_is_told_to_reload(site, preview):
    tab, other_tab = preview.listen(), preview.listen()
    assert tab.status_line == "HTTP/1.0 200 OK"
    assert tab.headers["content-type"] == "text/event-stream; charset=utf-8"
    hello = tab.next()
    assert hello.name == "hello" and hello.data["errors"] == []
    assert other_tab.next().data == hello.data

    status, page = fetch(f"{preview.base}/info/articles/first/")
    assert status == 200 and "Some text." in page
    untouched = site.out / "static/css/site.css"  # the edit below does not change the stylesheet
    os.utime(untouched, (1_000_000, 1_000_000))
    assert f'<script src="/__carepages/reload.js" data-version="{hello.data["version"]}" defer></script></head>' \
        in page

    site.write("content/first.md", article("First article", body="A sentence written while previewing.\n"))
    reload = tab.next_named("reload")
    assert reload.data["version"] != hello.data["version"] and reload.data["errors"] == []
    assert other_tab.next_named("reload").data == reload.data
    status, page = fetch(f"{preview.base}/info/articles/first/")
    assert "A sentence written while previewing." in page and "Some text." not in page
    assert f'data-version="{reload.data["version"]}"' in page
    assert preview.wait_for_line(r"^content/first\.md changed: rebuilt in [0-9.]+ s, 1 file written")  # that page only
    assert untouched.stat().st_mtime == 1_000_000  # only files whose bytes changed are written


def test_an_output_folder_removed_while_previewing_is_built_again(site, preview):
    """`rm -rf _site` (or a clean-up script) while the preview runs: the pages come back at once, without a
    save, and the open tab is told to reload."""
    tab = preview.listen()
    tab.next()
    shutil.rmtree(site.out)
    preview.wait_for_line(r"^_site changed: rebuilt in [0-9.]+ s, \d+ files written\.")
    assert tab.next_named("reload").data["errors"] == []
    status, page = fetch(f"{preview.base}/info/articles/first/")
    assert status == 200 and "Some text." in page


def test_a_broken_file_is_shown_with_its_place_and_the_last_good_site_stays_until_fixed(site, preview):
    tab = preview.listen()
    version = tab.next().data["version"]
    good = site.out / "articles/first/index.html"
    before = tree_bytes(site.out)

    save(site, "content/first.md", BROKEN_TITLE)
    error = tab.next_named("error")
    assert error.data == {"version": version, "errors": [
        {"file": "content/first.md", "line": 2, "column": 17, "message": BROKEN_MESSAGE, "rule": "yaml/syntax"}]}
    assert tree_bytes(site.out) == before  # nothing written: the last good site is what is served
    status, page = fetch(f"{preview.base}/info/articles/first/")
    assert status == 200 and "<h1>First article</h1>" in page
    assert preview.wait_for_line(r"^content/first\.md changed: the site did not build \(1 error\)")
    assert f"content/first.md:2:17: error: {BROKEN_MESSAGE} [yaml/syntax]" in preview.err()

    late_tab = preview.listen()  # a tab opened while the site is broken is told at once
    assert late_tab.next().data == error.data

    save(site, "content/first.md", article("First article"))  # back to what was served: nothing to reload
    ok = tab.next_named("ok", "reload")
    assert ok == ok.__class__("ok", {"version": version, "errors": []})
    assert good.read_bytes() == before["articles/first/index.html"]

    save(site, "content/first.md", BROKEN_TITLE)
    assert tab.next_named("error").data["errors"][0]["line"] == 2
    save(site, "content/first.md", article("A better title"))  # fixed differently: the tabs reload
    fixed = tab.next_named("reload", "ok")
    assert fixed.name == "reload" and fixed.data["errors"] == [] and fixed.data["version"] != version
    assert "<h1>A better title</h1>" in fetch(f"{preview.base}/info/articles/first/")[1]


def test_site_toml_templates_and_static_files_are_watched_and_a_new_theme_folder_too(site, preview):
    tab = preview.listen()
    tab.next()
    config = site.root / "site.toml"
    for tagline in ("Saved in place", "Saved by renaming"):  # editors do both; the second must not end the watch
        text = config.read_text().replace('tagline = "A tagline"', f'tagline = "{tagline}"')
        text = text.replace('tagline = "Saved in place"', f'tagline = "{tagline}"')
        if tagline == "Saved in place":
            config.write_text(text)
        else:
            config.with_name("site.toml.tmp").write_text(text)
            os.replace(config.with_name("site.toml.tmp"), config)
        tab.next_named("reload")
        assert tagline in fetch(f"{preview.base}/info/")[1]

    (site.root / "static").mkdir()  # the site gets a static/ folder of its own: it is watched from now on
    assert tab.next_named("ok").data["errors"] == []
    site.write("static/notice.txt", "Clinic closed on Friday.\n")
    tab.next_named("reload")
    assert fetch(f"{preview.base}/info/static/notice.txt") == (200, "Clinic closed on Friday.\n")
    (site.root / "static/notice.txt").unlink()
    tab.next_named("reload")
    assert fetch(f"{preview.base}/info/static/notice.txt")[0] == 404


def test_the_preview_files_are_served_but_never_written_into_the_site(site, preview):
    status, script = fetch(f"{preview.base}/__carepages/reload.js")
    assert status == 200 and "new EventSource(\"/__carepages/events\")" in script
    assert ".innerHTML" not in script  # the overlay's text goes in as text only
    assert fetch(f"{preview.base}/__carepages/reload.css")[0] == 200
    assert fetch(f"{preview.base}/__carepages/nothing-here")[0] == 404
    status, page = fetch(f"{preview.base}/info/no-such-page/")
    assert status == 404 and 'src="/__carepages/reload.js"' in page  # a page not built yet appears when it is
    on_disk = b"".join(tree_bytes(site.out).values())
    assert b"__carepages" not in on_disk


def test_a_page_from_another_host_name_is_refused(site, preview):
    assert fetch(f"{preview.base}/info/", host="attacker.example")[0] == 403
    assert fetch(f"{preview.base}/info/", host=f"attacker.example:{preview.port}")[0] == 403
    stream = EventStream(preview.port, host="rebound.attacker.example")
    assert stream.status_line.startswith("HTTP/1.0 403")
    stream.close()
    assert fetch(f"{preview.base}/info/", host=f"localhost:{preview.port}")[0] == 200
    assert "-> 403 (the Host header names another site" in preview.err()


def test_search_is_indexed_after_the_page_and_kept_across_rebuilds(site, tmp_path):
    served = start_preview(site.root, tmp_path)  # with search
    try:
        served.wait_for_line(r"^Search: 1 page indexed in ")
        entry = site.out / "pagefind/pagefind-entry.json"
        assert entry.is_file()
        tab = EventStream(served.port)
        tab.next()
        site.write("content/second.md", article("Second article"))
        tab.next_named("reload")
        assert entry.is_file()  # the rebuild kept the bundle it did not write
        served.wait_for_line(r"content/second\.md changed: rebuilt")
        deadline = time.monotonic() + WAIT
        while _indexed_pages(entry) != [2] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _indexed_pages(entry) == [2]  # the new page is in the index soon after it is shown
        tab.close()
    finally:
        assert served.stop() == 0
    assert "Traceback" not in served.err()


def _indexed_pages(entry: Path) -> list[int]:
    return [language["page_count"] for language in json.loads(entry.read_text())["languages"].values()]


# --- units -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("host", "local"), [
    ("localhost", True), ("localhost:8000", True), ("LOCALHOST:8000", True), ("localhost.:8000", True),
    ("preview.localhost:8000", True), ("127.0.0.1:8000", True), ("192.168.1.20:8000", True), ("[::1]:8000", True),
    ("[::1]", True), ("example.org", False), ("localhost.example.org", False), ("127.0.0.1.nip.io", False),
    ("localhost:80x", False), ("[::1]x", False), ("[example.org]", False), ("", False), ("::1", False),
    ("localhost:8000:1", False),
])
def test_only_localhost_names_and_ip_addresses_are_this_computer(host, local):
    assert is_local_host(host) is local


def test_the_preview_listens_on_ipv6_loopback(site, tmp_path):
    """`--host ::1` (IPv6's localhost) is served, and named as localhost; it used to fail with 'Address family
    for hostname not supported', the server being IPv4 only."""
    served = start_preview(site.root, tmp_path, "--no-search", "--host", "::1")
    try:
        assert served.printed[0].startswith("Built ")  # (start_preview matched the localhost address)
        status, page = fetch(f"http://[::1]:{served.port}/info/articles/first/")
        assert status == 200 and "Some text." in page
    finally:
        assert served.stop() == 0


def test_an_ipv6_address_is_shown_in_brackets(site, tmp_path):
    """An address a browser can open: `http://[::]:8000/`, not `http://:::8000/`."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", str(site.root), "--no-search",
                             "--host", "::", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1"))
    try:
        lines = [proc.stdout.readline() for _ in range(3)]
        assert re.match(r"Serving the site at http://\[::\]:(\d+)/info/  \(Ctrl\+C to stop\)$", lines[1]), lines
        port = re.search(r"\]:(\d+)/", lines[1])[1]
        assert lines[2].startswith("Note: other computers on your network can see this preview.")
        assert fetch(f"http://[::1]:{port}/info/articles/first/")[0] == 200
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=WAIT)


def test_the_script_tag_goes_at_the_end_of_the_head_or_the_end_of_a_page_without_one():
    assert inject(b"<html><head><title>x</title></HEAD><body></body>", "ab12-3") == (
        b'<html><head><title>x</title><script src="/__carepages/reload.js" data-version="ab12-3" defer></script>'
        b"</HEAD><body></body>")
    assert inject(b"<p>no head", "ab12-3").endswith(b'data-version="ab12-3" defer></script>')
    with pytest.raises(ValueError):
        inject(b"", '"><script>')


def test_the_preview_assets_are_inside_the_package_not_the_theme():
    package = Path(__import__("carepages").__file__).parent
    assert (package / "preview/assets/reload.js").is_file()
    from .sitekit import ROOT
    assert not list((ROOT / "static").rglob("reload.*"))


def test_the_search_index_waits_until_each_tab_told_to_reload_has_come_back(tmp_path):
    from carepages.preview.live import OK, RELOAD, Channel, LiveState

    channel = Channel(LiveState(tmp_path, "/", "ab-0"))
    assert channel.wait_until_reloaded(0) is True  # no tab open: nothing to wait for
    channel.join()
    channel.join()  # two tabs open
    channel.publish(RELOAD, LiveState(tmp_path, "/", "ab-1"))
    channel.publish(OK, LiveState(tmp_path, "/", "ab-1"))  # not a reload: still waiting for the two
    channel.leave()
    channel.leave()  # both reload: their streams end...
    assert channel.wait_until_reloaded(0) is False
    channel.join()
    assert channel.wait_until_reloaded(0) is False
    channel.join()  # ...and come back with the new page
    assert channel.wait_until_reloaded(0) is True


# Started with PYTHONPATH: every Python process of the preview notes each process it forks (not the processes
# it starts by `spawn`, which fork and run a new program at once).
FORK_NOTE = """\
import os
if os.environ.get("FORK_LOG"):
    def _note():
        with open(os.environ["FORK_LOG"], "a") as log:
            log.write(f"{os.getpid()} {os.getppid()}\\n")
    os.register_at_fork(after_in_child=_note)
"""


def forks(log: Path) -> list[tuple[int, int]]:
    """(process, its parent) for each process forked so far."""
    if not log.exists():
        return []
    return [(int(a), int(b)) for a, b in (line.split() for line in log.read_text().splitlines())]


def many_articles(site, count: int = 40) -> None:
    """Enough pages for a rebuild to be worth worker processes (`parallel.MIN_TASKS_PER_WORKER` each), and
    the default article template as the site's own, to edit."""
    for number in range(count):
        site.write(f"content/page-{number:02d}.md", article(f"Page {number}", f"Text of page {number}.\n"))
    site.write("templates/article.html", (ROOT / "templates" / "article.html").read_text(encoding="utf-8"))


def builder_of(preview) -> int:
    """The preview's builder: its one child that runs Python's multiprocessing `spawn`."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if f"\nPPid:\t{preview.proc.pid}\n" in status and b"spawn_main" in command:
                return int(entry.name)
    raise AssertionError("the preview has no builder process")


def test_rebuilds_run_on_worker_processes_though_the_preview_has_threads(site, tmp_path):
    """A process with threads (the server, the watcher) never forks workers, so that a rebuild could use one
    CPU only: the preview's rebuilds run in a builder process without threads, which forks them. A template
    edit of a 40-page site with `--jobs 2` renders on two workers forked by the builder."""
    many_articles(site)
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(FORK_NOTE)
    log = tmp_path / "forks.txt"
    served = start_preview(site.root, tmp_path, "--no-search", "--jobs", "2", path=(hook,), env={"FORK_LOG": str(log)})
    try:
        first = forks(log)
        assert [parent for _, parent in first] == [served.proc.pid] * len(first) and first  # the first build's
        template = site.root / "templates" / "article.html"
        save(site, "templates/article.html", template.read_text(encoding="utf-8").replace(
            "{% block content %}", "{% block content %}<p>Edited template</p>", 1))
        served.wait_for_line(r"^templates/article\.html changed: rebuilt in .*, 4\d files written\.")
        builder = builder_of(served)
        assert {parent for _, parent in forks(log)[len(first):]} == {builder}
        assert len(forks(log)) - len(first) == 2
        assert "Edited template" in (site.out / "articles" / "page-07" / "index.html").read_text(encoding="utf-8")
    finally:
        assert served.stop() == 0
    assert "internal error" not in served.err() and "Traceback" not in served.err()


def test_a_builder_that_was_killed_is_started_again_by_the_next_save(site, tmp_path, preview):
    os.kill(builder_of(preview), signal.SIGKILL)
    time.sleep(0.5)
    save(site, "content/first.md", article("First article", "Text after the builder was killed.\n"))
    preview.wait_for_line(r"^content/first\.md changed: rebuilt in .*, \d+ files? written\.")
    assert "after the builder was killed" in (site.out / "articles" / "first" / "index.html").read_text("utf-8")


# With PYTHONPATH: the preview's builds raise RuntimeError while the file BUG_FILE names exists.
BUG = """\
import os
if os.environ.get("BUG_FILE"):
    from carepages.preview import builder
    _run = builder.BuildOptions.run
    def run(self):
        if os.path.exists(os.environ["BUG_FILE"]):
            raise RuntimeError("boom")
        return _run(self)
    builder.BuildOptions.run = run
"""


def test_a_bug_in_a_rebuild_is_one_line_and_shown_in_the_page_and_the_preview_goes_on(site, tmp_path):
    """A bug in carepages during a rebuild (raised in the builder process) is said on one line, with its
    traceback only with --debug, shown over the open pages; the next save that builds clears it."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(BUG)
    trigger = tmp_path / "bug"
    served = start_preview(site.root, tmp_path, "--no-search", "--debug", path=(hook,),
                           env={"BUG_FILE": str(trigger)})
    tab = EventStream(served.port)
    try:
        tab.next()
        trigger.touch()
        save(site, "content/first.md", article("First article", "An edit that meets a bug.\n"))
        error = tab.next_named("error")
        message = "internal error: RuntimeError: boom; this is a bug in carepages, please report it"
        assert error.data["errors"] == [{"file": "", "line": None, "column": None, "message": message, "rule": ""}]
        deadline = time.monotonic() + WAIT
        while "RuntimeError: boom\n" not in served.err().split(message)[-1] and time.monotonic() < deadline:
            time.sleep(0.1)
        said = served.err()
        assert f"{message}\nTraceback (most recent call last):\n" in said  # --debug: where, in the builder
        assert 'raise RuntimeError("boom")' in said and said.endswith("RuntimeError: boom\n")
        trigger.unlink()
        save(site, "content/first.md", article("First article", "The same edit, once the bug is gone.\n"))
        assert tab.next_named("reload").data["errors"] == []
        assert "once the bug is gone" in (site.out / "articles" / "first" / "index.html").read_text("utf-8")
    finally:
        tab.close()
        assert served.stop() == 0
