"""The preview server as a user runs it (`python build.py serve --port 0`, its log on stderr), fed raw bytes:
every malformed or hostile request gets its exact status (or, when nothing was asked, a quiet close), one log
line, never a traceback, and the server goes on serving."""

from __future__ import annotations

import os
import queue
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from carepages.server import make_server

from .sitekit import BIBLIOGRAPHY, MINIMAL_CONFIG, ROOT, SiteDir, article

HOST = "Host: localhost\r\n"
OK = b"GET /info/ HTTP/1.1\r\n" + HOST.encode() + b"\r\n"


@dataclass
class Preview:
    proc: subprocess.Popen
    port: int
    log: Path

    def log_size(self) -> int:
        return self.log.stat().st_size

    def log_since(self, mark: int, expect: str = "") -> str:
        """The log written since `mark`, waiting (a bounded time) for `expect` to appear in it."""
        deadline = time.monotonic() + 5
        while True:
            text = self.log.read_bytes()[mark:].decode("utf-8", "replace")
            if expect in text or time.monotonic() > deadline:
                return text


@pytest.fixture(scope="module")
def preview(tmp_path_factory) -> Iterator[Preview]:
    folder = tmp_path_factory.mktemp("preview")
    site = SiteDir(folder / "site")
    site.write("site.toml", MINIMAL_CONFIG)
    site.write("content/first.md", article("First article"))
    site.write("content/references.yaml", BIBLIOGRAPHY)
    log = folder / "stderr.txt"
    with log.open("wb") as stderr:
        proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", str(site.root), "--port", "0"],
                                stdout=subprocess.PIPE, stderr=stderr, text=True,
                                env=dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1"))
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    try:
        port = None
        deadline = time.monotonic() + 60
        while port is None and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                assert proc.poll() is None, log.read_text()
                continue
            if found := re.search(r"Serving the site at http://localhost:(\d+)/info/", line):
                port = int(found[1])
        assert port, f"the server did not start:\n{log.read_text()}"
        yield Preview(proc, port, log)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    text = log.read_text(errors="replace")
    assert "Traceback" not in text and "Exception" not in text, text
    assert proc.returncode == 0, text


def exchange(port: int, data: bytes, close_write: bool = True) -> bytes:
    """Send `data` on a new connection (then end our side, as a client that is done), return all of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        if close_write:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and (chunk := sock.recv(65536)):
            chunks.append(chunk)
    return b"".join(chunks)


def status(answer: bytes) -> int | None:
    """The status of an answer, None for no answer; an answer without a valid status line fails the test."""
    if not answer:
        return None
    found = re.match(rb"HTTP/1\.0 (\d{3}) [^\r\n]+\r\n", answer)
    assert found, answer[:200]
    return int(found[1])


def request(line: bytes, headers: str = HOST, body: bytes = b"") -> bytes:
    return line + b"\r\n" + headers.encode() + b"\r\n" + body


REFUSED = {
    # a request line that is not one
    "garbage": (b"GARBAGE\r\n\r\n", 400),
    "garbage-words": (b"GARBAGE GARBAGE GARBAGE GARBAGE\r\n\r\n", 400),
    "four-words": (request(b"GET /info/ HTTP/1.1 extra"), 400),
    "spaces-only": (b"   \r\n\r\n", 400),
    "tabs-only": (b"\t\t\r\n", 400),
    "only-a-method": (b"GET\r\n\r\n", 400),
    "only-a-method-lf": (b"GET\n", 400),
    "http-0.9-form": (b"GET /info/\r\n\r\n", 400),
    "method-not-a-word": (request(b"G(T /info/ HTTP/1.1"), 400),
    "relative-address": (request(b"GET info/ HTTP/1.1"), 400),
    "asterisk-address": (request(b"GET * HTTP/1.1"), 400),
    "absolute-address-bad-host": (request(b"GET http://[::1/info/ HTTP/1.1"), 400),
    "binary-line": (b"\x00\xff\xfe\r\n\r\n", 400),
    # the protocol version
    "http-2.0": (request(b"GET /info/ HTTP/2.0"), 505),
    "http-2.0-no-headers": (b"GET / HTTP/2.0\r\n\r\n", 505),
    "http2-preface": (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505),
    "http-3": (request(b"GET /info/ HTTP/3"), 505),
    "http-0.9-version": (request(b"GET /info/ HTTP/0.9"), 505),
    "http-11.0": (request(b"GET /info/ HTTP/11.0"), 505),
    "http-1-no-minor": (request(b"GET /info/ HTTP/1"), 400),
    "http-lowercase": (request(b"GET /info/ http/1.1"), 400),
    "http-letters": (request(b"GET /info/ HTTP/1.x"), 400),
    "http-huge-number": (request(b"GET /info/ HTTP/1." + b"9" * 50), 400),
    "not-http": (request(b"GET /info/ SPDY/3"), 400),
    # long addresses
    "uri-9kb": (request(b"GET /info/" + b"a" * 9000 + b" HTTP/1.1"), 414),
    "uri-70kb": (request(b"GET /" + b"a" * 70000 + b" HTTP/1.1"), 414),
    "uri-200kb": (request(b"GET /" + b"a" * 200000 + b" HTTP/1.1"), 414),
    "uri-70kb-no-newline": (b"GET /" + b"a" * 70000, 414),
    # control and non-ASCII bytes in the request line
    "nul-in-path": (request(b"GET /info/\x00 HTTP/1.1"), 400),
    "nul-inside-path": (request(b"GET /info/a\x00b/ HTTP/1.1"), 400),
    "nul-method": (request(b"G\x00T /info/ HTTP/1.1"), 400),
    "escape-in-path": (request(b"GET /info/\x1b]0;owned\x07 HTTP/1.1"), 400),
    "del-in-path": (request(b"GET /info/\x7f HTTP/1.1"), 400),
    "utf8-path": (request("GET /info/café/ HTTP/1.1".encode()), 400),
    "latin1-path": (request("GET /info/café/ HTTP/1.1".encode("latin-1")), 400),
    "utf8-method": (request("GÉT /info/ HTTP/1.1".encode()), 400),
    "utf8-version": (request("GET /info/ HTTP/1.１".encode()), 400),
    # headers
    "header-9kb": (request(b"GET /info/ HTTP/1.1", HOST + "X-Big: " + "a" * 9000 + "\r\n"), 431),
    "header-70kb": (request(b"GET /info/ HTTP/1.1", HOST + "X-Big: " + "a" * 70000 + "\r\n"), 431),
    "header-200kb": (request(b"GET /info/ HTTP/1.1", HOST + "X-Big: " + "a" * 200000 + "\r\n"), 431),
    "headers-101": (request(b"GET /info/ HTTP/1.1", HOST + "".join(f"X-{i}: y\r\n" for i in range(100))), 431),
    "headers-5000": (request(b"GET /info/ HTTP/1.1", HOST + "".join(f"X-{i}: y\r\n" for i in range(5000))), 431),
    "headers-over-64kb": (request(b"GET /info/ HTTP/1.1", HOST + "".join(f"X-{i}: {'a' * 8000}\r\n"
                                                                        for i in range(9))), 431),
    "header-without-colon": (request(b"GET /info/ HTTP/1.1", HOST + "no colon here\r\n"), 400),
    "header-space-before-colon": (request(b"GET /info/ HTTP/1.1", "Host : localhost\r\n"), 400),
    "header-folded": (request(b"GET /info/ HTTP/1.1", HOST + "X-A: b\r\n  folded\r\n"), 400),
    "header-nul": (request(b"GET /info/ HTTP/1.1", HOST + "X-A: b\x00c\r\n"), 400),
    "header-bare-cr": (request(b"GET /info/ HTTP/1.1", HOST + "X-A: b\rc\r\n"), 400),
    "header-binary": (request(b"GET /info/ HTTP/1.1", HOST) [:-2] + b"\xff\xfe\x00\r\n\r\n", 400),
    "no-host": (request(b"GET /info/ HTTP/1.1", ""), 400),
    "two-hosts": (request(b"GET /info/ HTTP/1.1", HOST + HOST), 400),
    # methods this server does not have
    "post-with-body": (request(b"POST /info/ HTTP/1.1", HOST + "Content-Length: 5\r\n", b"hello"), 501),
    "put-big-body": (request(b"PUT /info/x HTTP/1.1", HOST + "Content-Length: 300000\r\n", b"x" * 300000), 501),
    "brew": (request(b"BREW /info/ HTTP/1.1"), 501),
    "options": (request(b"OPTIONS /info/ HTTP/1.1"), 501),
    "lowercase-get": (request(b"get /info/ HTTP/1.1"), 501),
    "connect": (request(b"CONNECT /info/ HTTP/1.1"), 501),
    "only-empty-lines-then-more": (b"\r\n" * 20 + OK, 400),
}


@pytest.mark.parametrize("data,code", REFUSED.values(), ids=REFUSED.keys())
@pytest.mark.parametrize("close_write", [True, False], ids=["client-done", "client-waits"])
def test_a_malformed_request_gets_its_status_and_the_server_carries_on(preview, data, code, close_write):
    mark = preview.log_size()
    answer = exchange(preview.port, data, close_write)
    assert status(answer) == code
    assert b"Connection: close\r\n" in answer and b"Traceback" not in answer
    assert b"X-Content-Type-Options: nosniff\r\n" in answer and b"Cache-Control: no-store\r\n" in answer
    log = preview.log_since(mark, f"-> {code}")
    assert f"-> {code} (" in log and len(log.splitlines()) == 1, log  # one line, saying why
    assert "Traceback" not in log and "\x1b" not in log and "\x00" not in log
    assert status(exchange(preview.port, OK)) == 200


def test_the_preview_sends_the_headers_the_site_is_to_be_served_with(preview):
    """What `_headers` asks the host for, the preview sends: a page that the published site's policy would
    break (framed elsewhere, a resource from another origin) breaks in the preview first."""
    from carepages.render.headers import security_headers

    for target, code in ((b"/info/", 200), (b"/info/no-such-page/", 404), (b"/info/static/css/site.css", 200)):
        answer = exchange(preview.port, request(b"GET " + target + b" HTTP/1.1"))
        assert status(answer) == code, target
        head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        for name, value in security_headers():
            assert f"\r\n{name}: {value}\r\n" in head + "\r\n", (target, name)
        assert "\r\nCache-Control: no-store\r\n" in head + "\r\n"


QUIET = {
    # nothing was asked, or the client left before the end of its request: nobody to answer
    "nothing-then-close": (b"", ""),
    "lone-crlf": (b"\r\n", ""),
    "lone-lf": (b"\n", ""),
    "empty-lines": (b"\r\n\r\n\r\n", ""),
    "half-request-line": (b"GET /info/ HT", "closed before the end of the request"),
    "request-line-no-headers-end": (b"GET /info/ HTTP/1.1\r\n", "closed before the end of the request"),
    "half-headers": (b"GET /info/ HTTP/1.1\r\n" + HOST.encode(), "closed before the end of the request"),
    "half-header-line": (b"GET /info/ HTTP/1.1\r\n" + HOST.encode() + b"Accept: te",
                         "closed before the end of the request"),
    "tls-hello": (bytes.fromhex("160301020001") + bytes(range(256)).replace(b"\n", b""),
                  "closed before the end of the request"),
}


@pytest.mark.parametrize("data,logged", QUIET.values(), ids=QUIET.keys())
def test_a_request_cut_short_is_closed_quietly(preview, data, logged):
    mark = preview.log_size()
    assert exchange(preview.port, data) == b""
    assert status(exchange(preview.port, OK)) == 200  # our log line for the cut request comes first
    log = preview.log_since(mark, "GET /info/ -> 200")
    *before, last = log.splitlines()
    assert last == "  GET /info/ -> 200", log
    assert len(before) == (1 if logged else 0) and all(logged in line for line in before), log


def test_a_client_that_disconnects_without_reading_does_not_disturb_the_server(preview):
    for data in (b"GET /info/ HTTP/1.1\r\n" + HOST.encode(), OK, b"GET /" + b"a" * 200000, b"GARBAGE\r\n"):
        with socket.create_connection(("127.0.0.1", preview.port), timeout=10) as sock:
            sock.sendall(data)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # reset
    assert status(exchange(preview.port, OK)) == 200
    assert "Traceback" not in preview.log_since(0)


ACCEPTED = {
    "http-1.0-without-host": (b"GET /info/ HTTP/1.0\r\n\r\n", 200, "GET /info/ -> 200"),
    "http-1.1": (OK, 200, "GET /info/ -> 200"),
    "empty-line-first": (b"\r\n" + OK, 200, "GET /info/ -> 200"),
    "lf-only": (b"GET /info/ HTTP/1.1\nHost: localhost\n\n", 200, "GET /info/ -> 200"),
    "head": (request(b"HEAD /info/ HTTP/1.1"), 200, "HEAD /info/ -> 200"),
    "uri-8000": (request(b"GET /info/" + b"a" * 8000 + b" HTTP/1.1"), 404, " -> 404"),
    "encoded-nul": (request(b"GET /info/%00 HTTP/1.1"), 404, "GET /info/%00 -> 404"),
    "encoded-utf8": (request(b"GET /info/caf%C3%A9/ HTTP/1.1"), 404, "GET /info/caf%C3%A9/ -> 404"),
    "100-headers": (request(b"GET /info/ HTTP/1.1", HOST + "".join(f"X-{i}: y\r\n" for i in range(99))), 200,
                    "GET /info/ -> 200"),
    "get-with-body": (request(b"GET /info/ HTTP/1.1", HOST + "Content-Length: 5\r\n", b"hello"), 200,
                      "GET /info/ -> 200"),
}


@pytest.mark.parametrize("data,code,logged", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_unusual_but_valid_requests_are_answered(preview, data, code, logged):
    mark = preview.log_size()
    answer = exchange(preview.port, data, close_write=False)
    assert status(answer) == code
    assert logged in preview.log_since(mark, logged)
    if code == 404:
        assert b"Page not found" in answer  # the site's own 404 page


@pytest.mark.parametrize("target", [b"http://evil.example/info/articles/first", b"//info/articles/first",
                                    b"///info/articles/first", b"HTTP://evil.example//info/articles/first"])
def test_a_redirect_never_names_another_host(preview, target):
    answer = exchange(preview.port, request(b"GET " + target + b" HTTP/1.1"))
    assert status(answer) == 301
    assert re.search(rb"\r\nLocation: /info/articles/first/\r\n", answer), answer


def test_random_bytes_never_get_a_traceback(preview):
    rng = random.Random(20260112)
    mark = preview.log_size()
    alphabet = b"GET /info/ HTTP/1.1\r\nHost: %\x00\xff:\t "
    for _ in range(150):
        length = rng.randrange(0, 300)
        data = bytes(rng.choice(alphabet) if rng.random() < 0.8 else rng.randrange(256) for _ in range(length))
        if rng.random() < 0.5:
            data = b"GET /info/ HTTP/1.1\r\n" + data
        assert status(exchange(preview.port, data)) in {None, 200, 301, 400, 403, 404, 414, 431, 501, 505}, data
    assert status(exchange(preview.port, OK)) == 200
    assert "Traceback" not in preview.log_since(mark)


# --- timeouts and the server's own failures: in this process, its log captured --------------------------------


@pytest.fixture
def local(site, capfd):
    site.build()
    server = make_server(site.out, "/info/", port=0, quiet=False)
    server.request_timeout = 0.5
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def test_an_idle_connection_is_closed_without_a_word(local, capfd):
    started = time.monotonic()
    for data in (b"", b"\r\n"):
        assert exchange(local.server_address[1], data, close_write=False) == b""
    assert time.monotonic() - started < 10
    assert status(exchange(local.server_address[1], OK)) == 200
    err = capfd.readouterr().err
    assert err == "  GET /info/ -> 200\n", err


@pytest.mark.parametrize("data", [b"GET /info/ HT", b"GET /info/ HTTP/1.1\r\n", OK[:-2]])
def test_a_stalled_request_gets_408(local, capfd, data):
    answer = exchange(local.server_address[1], data, close_write=False)
    assert status(answer) == 408
    assert status(exchange(local.server_address[1], OK)) == 200
    err = capfd.readouterr().err
    assert "-> 408 (nothing more came for 0.5 s)" in err and "Traceback" not in err, err


def test_a_bug_while_answering_is_a_500_and_one_line(local, capfd, monkeypatch):
    from carepages.server import PreviewHandler

    def broken(self, path):
        raise RuntimeError("boom")

    monkeypatch.setattr(PreviewHandler, "translate_path", broken)
    assert status(exchange(local.server_address[1], OK)) == 500
    monkeypatch.undo()
    assert status(exchange(local.server_address[1], OK)) == 200
    err = capfd.readouterr().err
    assert err.splitlines() == [
        "  GET /info/ -> 500 (internal error: RuntimeError: boom; this is a bug in carepages, please report it)",
        "  GET /info/ -> 200"], err


def test_a_bug_outside_a_request_is_one_line_and_the_traceback_only_with_debug(local, capfd, monkeypatch):
    from carepages.server import PreviewHandler

    def broken(self):
        raise ValueError("setup failed")

    def closed(data: bytes) -> bool:
        try:
            return exchange(local.server_address[1], data) == b""
        except OSError:  # reset: closed with our request unread
            return True

    monkeypatch.setattr(PreviewHandler, "setup", broken)
    assert closed(OK)
    err = capfd.readouterr().err
    assert err == "  internal error: ValueError: setup failed; this is a bug in carepages, please report it\n"
    local.debug = True
    assert closed(OK)
    err = capfd.readouterr().err
    assert "Traceback" in err and "ValueError: setup failed" in err
    monkeypatch.undo()
    assert status(exchange(local.server_address[1], OK)) == 200
