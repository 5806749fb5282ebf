"""Stopping a command from outside: Ctrl+C, SIGTERM (a service manager, `kill`) and SIGHUP (a closed terminal)
end `build` and `serve` with the clean-up Ctrl+C runs: no staging folder, no copy of the site in the temporary
folder, no Pagefind left running, no traceback from a worker, and the previous site as it was."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .previewkit import start_preview
from .sitekit import ROOT, article, tree_bytes

WAIT = 30.0

# With PYTHONPATH: the search index is built by FAKE_PAGEFIND, a program that writes its process id to
# FAKE_PID and then waits for a minute (so that a test can stop a command while it runs).
SLOW_PAGEFIND = """\
import os
if os.environ.get("FAKE_PAGEFIND"):
    import pagefind_bin
    pagefind_bin.get_executable = lambda: os.environ["FAKE_PAGEFIND"]
"""
FAKE = '#!/bin/sh\necho $$ > "$FAKE_PID"\nexec sleep 60\n'

# With PYTHONPATH: each worker process of a build, once started, notes its id in the folder WORKER_READY
# names and waits there for half a minute (so that a test can press Ctrl+C while the workers are busy).
SLOW_WORKERS = """\
import os
if os.environ.get("WORKER_READY"):
    import multiprocessing.pool, time
    _worker = multiprocessing.pool.worker
    def worker(inqueue, outqueue, initializer=None, initargs=(), *rest):
        def start(*args):
            if initializer is not None:
                initializer(*args)
            open(os.path.join(os.environ["WORKER_READY"], str(os.getpid())), "w").close()
            time.sleep(30)
        return _worker(inqueue, outqueue, start, initargs, *rest)
    multiprocessing.pool.worker = worker
"""


def _hook(tmp_path: Path, code: str) -> Path:
    hook = tmp_path / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(code, encoding="utf-8")
    return hook


def _slow_pagefind(tmp_path: Path) -> dict[str, str]:
    fake = tmp_path / "fake-pagefind"
    fake.write_text(FAKE, encoding="utf-8")
    fake.chmod(0o755)
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    return {"FAKE_PAGEFIND": str(fake), "FAKE_PID": str(tmp_path / "pagefind.pid"), "TMPDIR": str(temporary)}


def _env(hook: Path, more: dict[str, str]) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=os.pathsep.join((str(hook), str(ROOT))), **more)


def _wait_for(path: Path, what: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + WAIT
    while not (path.exists() and path.read_text().strip()):
        assert proc.poll() is None, f"the command ended before {what}: {proc.communicate()}"
        assert time.monotonic() < deadline, f"no {what} in {WAIT:g} s"
        time.sleep(0.05)


def _running(pid: int) -> bool:
    """Whether the process runs (a zombie that nobody has waited for has ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def _end_fake(pid_file: Path) -> None:
    """Whatever the test found, the fake Pagefind does not wait out its minute."""
    if pid_file.exists() and pid_file.read_text().strip():
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid_file.read_text()), signal.SIGKILL)


def test_sigterm_during_the_search_index_stops_a_build_cleanly(site, tmp_path):
    """`kill` (SIGTERM) while Pagefind indexes the staged site: the build says it stopped, exits 143,
    ends Pagefind, and leaves the previous site, and nothing else, behind."""
    assert site.build().pages  # the site as it was
    before = tree_bytes(site.out)
    site.write("content/first.md", article("First article", "A new version that never goes live.\n"))
    env = _slow_pagefind(tmp_path)
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "build", str(site.root), "--out", str(site.out)],
                            env=_env(_hook(tmp_path, SLOW_PAGEFIND), env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    pid_file = Path(env["FAKE_PID"])
    try:
        _wait_for(pid_file, "search indexing", proc)
        pagefind = int(pid_file.read_text())
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=WAIT)
        assert (proc.returncode, err) == (128 + signal.SIGTERM, "\nStopped.\n")
        assert not _running(pagefind)
    finally:
        if proc.poll() is None:
            proc.kill()
        _end_fake(pid_file)
    assert tree_bytes(site.out) == before
    assert sorted(p.name for p in site.root.iterdir()) == [".carepages-cache", "_site", "content", "site.toml"]
    assert list(Path(env["TMPDIR"]).iterdir()) == []


def test_a_build_that_ignores_sighup_goes_on_after_it(site, tmp_path):
    """Started with `nohup` (SIGHUP ignored), a build is not stopped by a closed terminal; SIGTERM still stops it."""
    env = _slow_pagefind(tmp_path)
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "build", str(site.root), "--out", str(site.out)],
                            env=_env(_hook(tmp_path, SLOW_PAGEFIND), env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    pid_file = Path(env["FAKE_PID"])
    try:
        _wait_for(pid_file, "search indexing", proc)
        proc.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        assert proc.poll() is None
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=WAIT)
        assert proc.returncode == 128 + signal.SIGTERM
    finally:
        if proc.poll() is None:
            proc.kill()
        _end_fake(pid_file)


def test_sigterm_while_the_preview_indexes_stops_it_cleanly(site, tmp_path):
    """SIGTERM while the preview's indexer runs Pagefind on its copy of the pages: the preview stops as on
    Ctrl+C, and neither Pagefind nor the copy is left behind."""
    env = _slow_pagefind(tmp_path)
    served = start_preview(site.root, tmp_path, path=(_hook(tmp_path, SLOW_PAGEFIND),), env=env)
    pid_file = Path(env["FAKE_PID"])
    try:
        _wait_for(pid_file, "search indexing", served.proc)
        pagefind = int(pid_file.read_text())
        served.proc.send_signal(signal.SIGTERM)
        assert served.proc.wait(timeout=WAIT) == 0
        assert served.printed_after_stop()[-2:] == ["", "Stopped."]
        assert not _running(pagefind)
    finally:
        served.stop()
        _end_fake(pid_file)
    assert "Traceback" not in served.err()
    assert list(Path(env["TMPDIR"]).iterdir()) == []


def test_ctrl_c_during_a_parallel_build_prints_no_worker_traceback(site, tmp_path):
    """Ctrl+C reaches every process of the terminal's group, the build's workers too: the build alone
    answers it (its workers end quietly), and no worker outlives it."""
    for number in range(40):  # enough pages for two workers
        site.write(f"content/page-{number:02d}.md", article(f"Page {number}", f"Text of page {number}.\n"))
    ready = tmp_path / "ready"
    ready.mkdir()
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "build", str(site.root), "--out", str(site.out),
                             "--no-search", "--no-cache", "--jobs", "2"],
                            env=_env(_hook(tmp_path, SLOW_WORKERS), {"WORKER_READY": str(ready)}),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + WAIT
        while len(list(ready.iterdir())) < 2:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the build started no workers"
            time.sleep(0.05)
        workers = [int(p.name) for p in ready.iterdir()]
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal does on Ctrl+C
        _, err = proc.communicate(timeout=WAIT)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert (proc.returncode, err) == (130, "\nStopped.\n")
    time.sleep(0.5)
    assert not [pid for pid in workers if _running(pid)]
    assert not site.out.exists()
    assert sorted(p.name for p in site.root.iterdir()) == ["content", "site.toml"]
