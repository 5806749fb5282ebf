"""A local preview server for the built site.

It listens on 127.0.0.1 unless told otherwise, serves the site under its base path (so links behave as they
will when published under a sub-path), answers only from the output folder (no `..`, encoded or not, and no
symlink out of it), and shows the site's own 404 page for missing files. Bound to this computer (the
default), it answers only requests addressed to this computer (`Host: localhost`, `127.0.0.1`, any IP
address): a web page elsewhere cannot read the preview by pointing one of its own names at 127.0.0.1
(DNS rebinding).

For a live preview (`live`, see `carepages/preview/`) it also serves the preview's own files and its event
stream under `/__carepages/`, and adds the preview's script tag to each HTML page as it sends it; the files
of the site are never changed. Which folder and base path it serves are then read from the preview's state
for each request, so an edit to site.toml's `base_url` is followed.

Whatever a client sends, the server answers with a status line (or closes quietly when nothing was asked),
writes one short line per request, and goes on serving: the request line and headers are read and checked
here (`_read_request`), not by `http.server`'s `parse_request`, whose error paths answer HTTP/0.9 requests
without a status line and call the logger before `path` exists. A Python traceback is printed only with
`debug`, and only for a bug in carepages.
"""

from __future__ import annotations

import contextlib
import email.parser
import html
import http.client
import http.server
import io
import ipaddress
import os
import posixpath
import re
import socket
import sys
import time
import traceback
from functools import partial
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .preview.client import EVENTS, PREFIX, asset, inject
from .preview.live import HELLO, Channel, Event
from .render.headers import security_headers

NOT_FOUND_PAGE = "404.html"

# Limits on what a client may send before it gets an answer; the usual ones of web servers (nginx: 8 KB lines).
MAX_REQUEST_LINE = 8192
MAX_HEADER_LINE = 8192
MAX_HEADERS = 100
MAX_HEADER_BYTES = 65536
MAX_EMPTY_LINES = 8  # RFC 9112 2.2: empty lines before a request line are ignored
REQUEST_TIMEOUT = 30.0  # seconds a connection may stay silent (idle, or in the middle of a request)
# After refusing a request, the rest of it is read and dropped before closing: closing a socket with unread data
# sends a reset, which can destroy the answer before the client reads it.
DRAIN_SECONDS = 2.0
DRAIN_BYTES = 1 << 20
METHODS = frozenset({"GET", "HEAD"})

_TOKEN = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 5.6.2
_TARGET = re.compile(rb"[\x21-\x7e]+")  # a URL as sent on the wire: printable ASCII, no spaces
_VERSION = re.compile(rb"HTTP/([0-9]{1,3})(?:\.([0-9]{1,3}))?")
_ABSOLUTE = re.compile(r"https?://", re.IGNORECASE)
_FIELD = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+:[^\x00-\x08\x0a-\x1f\x7f]*\r?\n")  # no CTL but tab in values
_SHOWN_LENGTH = 80
_ESCAPED = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))} | {ord("\\"): "\\\\"}
_PHRASES = {HTTPStatus.REQUEST_URI_TOO_LONG: "URI Too Long"}  # RFC 9110's name; http.server has the old one
KEEP_ALIVE = 15.0  # seconds between comments on an idle event stream, so a tab that went away is noticed
EVENT_RETRY_MS = 1000  # how soon a tab reconnects after the stream ends (the server restarting, say)


class _Refused(Exception):
    """The request cannot be answered as asked: answer `code`, and say why in the log line."""

    def __init__(self, code: HTTPStatus, why: str) -> None:
        super().__init__(why)
        self.code = code
        self.why = why


class _Incomplete(Exception):
    """The client closed its side before the end of the request: there is nothing to answer."""


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    # Every answer has a status line, even to a request line without a version (HTTP/0.9 is refused).
    default_request_version = "HTTP/1.0"

    def version_string(self) -> str:
        return "carepages-preview"

    def __init__(self, *args, root: Path, base_path: str, live: Channel | None = None, **kwargs) -> None:
        self.live = live
        if live is not None:  # the folder and base path of the latest good build, read once per connection
            state = live.state
            root, base_path = state.root, state.base_path
        self.root = root
        self.base_path = base_path
        super().__init__(*args, directory=str(root), **kwargs)

    def setup(self) -> None:
        self.timeout = self.server.request_timeout  # type: ignore[attr-defined]
        self._drain_on_close = False
        super().setup()

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            if self._drain_on_close:
                self._drain()

    def end_headers(self) -> None:
        # The preview should always show the latest build, under the headers the published site is meant to
        # be served with (`_headers`): a page that breaks its Content-Security-Policy breaks here first.
        self.send_header("Cache-Control", "no-store")
        for name, value in security_headers():
            self.send_header(name, value)
        super().end_headers()

    # --- one request -------------------------------------------------------------------------------------------

    def handle_one_request(self) -> None:
        self.command = ""
        self.path = ""
        self.requestline = ""
        self.request_version = self.default_request_version
        self.close_connection = True
        self._why = ""
        self._answered = False
        self._reading = False
        try:
            try:
                if not self._read_request():
                    return
            except _Refused as refused:
                self._refuse(refused.code, refused.why)
                return
            if self.command not in METHODS:
                self._refuse(HTTPStatus.NOT_IMPLEMENTED, "only GET and HEAD are supported")
                return
            getattr(self, f"do_{self.command}")()
            self.wfile.flush()
        except _Incomplete:
            self._log(f"{self._shown()}: the connection was closed before the end of the request")
        except TimeoutError:
            if self._reading:  # stalled in the middle of a request; an idle connection is closed without a word
                self._refuse(HTTPStatus.REQUEST_TIMEOUT, f"nothing more came for {self.timeout:g} s")
        except ConnectionError:
            pass  # the client went away (a browser cancelling a load): nobody is left to answer
        except Exception as exc:
            self._failed(exc)

    def _refuse(self, code: HTTPStatus, why: str) -> None:
        self._why = why
        self._drain_on_close = True
        if self._answered:
            return
        with contextlib.suppress(OSError):  # the client may already be gone
            self.send_error(code)

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, OSError):  # reading a file of the site failed, e.g. while a build replaces it
            self._why = f"could not send the file: {exc.strerror or exc}"
        else:
            self._why = (f"internal error: {type(exc).__name__}: {exc}; this is a bug in carepages, "
                         "please report it")
        if self.server.debug:  # type: ignore[attr-defined]
            traceback.print_exc()
        if self._answered:
            self._log(f"{self._shown()}: {self._why}")
            return
        self._refuse(HTTPStatus.INTERNAL_SERVER_ERROR, self._why)

    def send_response(self, code: int, message: str | None = None) -> None:
        self._answered = True
        super().send_response(code, message)

    # --- reading and checking the request ----------------------------------------------------------------------

    def _read_request(self) -> bool:
        """Read and check the request line and headers; False when the client closed without asking anything."""
        line = b""
        for _ in range(MAX_EMPTY_LINES + 1):
            self._reading = False
            if not self.rfile.peek(1):
                return False
            self._reading = True
            line = self.rfile.readline(MAX_REQUEST_LINE + 1)
            if len(line) > MAX_REQUEST_LINE:
                self.requestline = line[:_SHOWN_LENGTH + 1].decode("latin-1")  # enough to show it was cut
                raise _Refused(HTTPStatus.REQUEST_URI_TOO_LONG, f"the request line is over {MAX_REQUEST_LINE} bytes")
            if not line.endswith(b"\n"):
                self.requestline = line.decode("latin-1")
                raise _Incomplete
            if line not in (b"\r\n", b"\n"):
                break
        else:
            raise _Refused(HTTPStatus.BAD_REQUEST, "only empty lines")
        text = line.rstrip(b"\r\n")
        self.requestline = text.decode("latin-1")
        minor = self._check_request_line(text)
        self.headers = self._read_headers()
        hosts = self.headers.get_all("Host") or []
        if len(hosts) > 1 or (minor >= 1 and not hosts):
            raise _Refused(HTTPStatus.BAD_REQUEST, "an HTTP/1.1 request needs exactly one Host header")
        if hosts and self.server.local_only and not is_local_host(hosts[0]):  # type: ignore[attr-defined]
            raise _Refused(HTTPStatus.FORBIDDEN, "the Host header names another site; this preview answers only "
                           "to localhost and IP addresses (a guard against DNS rebinding)")
        if "Content-Length" in self.headers or "Transfer-Encoding" in self.headers:
            self._drain_on_close = True  # a body is never read: drop it before closing
        self._reading = False
        return True

    def _check_request_line(self, text: bytes) -> int:
        """Set command, path and version from `METHOD /address HTTP/1.x`; return the minor version."""
        words = text.split()
        if len(words) != 3:
            raise _Refused(HTTPStatus.BAD_REQUEST, 'not a request line of the form "METHOD /address HTTP/1.1"')
        method, target, version = words
        match = _VERSION.fullmatch(version)
        if not match or (int(match[1]) == 1 and match[2] is None):
            raise _Refused(HTTPStatus.BAD_REQUEST, "the protocol is not HTTP/1.0 or HTTP/1.1")
        if int(match[1]) != 1:
            raise _Refused(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED, "only HTTP/1.0 and HTTP/1.1 are supported")
        if not _TOKEN.fullmatch(method):
            raise _Refused(HTTPStatus.BAD_REQUEST, "the method is not a word")
        if not _TARGET.fullmatch(target):
            raise _Refused(HTTPStatus.BAD_REQUEST, "the address has control characters or non-ASCII bytes")
        path = target.decode("ascii")
        if _ABSOLUTE.match(path):  # absolute form: keep only the path, so a redirect never names another host
            try:
                parts = urlsplit(path)
            except ValueError:  # `http://[::1/`
                raise _Refused(HTTPStatus.BAD_REQUEST, "the address is not a URL") from None
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if not path.startswith("/"):
            raise _Refused(HTTPStatus.BAD_REQUEST, "the address does not start with /")
        if path.startswith("//"):  # `//host/x` would be another host in a Location header
            path = "/" + path.lstrip("/")
        self.command, self.path = method.decode("ascii"), path
        self.request_version = version.decode("ascii")
        return int(match[2])

    def _read_headers(self) -> http.client.HTTPMessage:
        lines: list[bytes] = []
        size = 0
        while True:
            line = self.rfile.readline(MAX_HEADER_LINE + 1)
            if len(line) > MAX_HEADER_LINE:
                raise _Refused(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                               f"a header line is over {MAX_HEADER_LINE} bytes")
            if not line.endswith(b"\n"):
                raise _Incomplete
            if line in (b"\r\n", b"\n"):
                break
            size += len(line)
            if len(lines) == MAX_HEADERS or size > MAX_HEADER_BYTES:
                raise _Refused(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                               f"more than {MAX_HEADERS} headers or {MAX_HEADER_BYTES} bytes of headers")
            if not _FIELD.fullmatch(line):
                raise _Refused(HTTPStatus.BAD_REQUEST, 'a header line is not "Name: value"')
            lines.append(line)
        text = b"".join(lines).decode("latin-1")
        return email.parser.Parser(_class=http.client.HTTPMessage).parsestr(text)  # as http.client does

    def _drain(self) -> None:
        """Read and drop what the client still sends (bounded in time and size), then let the socket close."""
        sock = self.connection
        deadline = time.monotonic() + DRAIN_SECONDS
        received = 0
        try:
            sock.shutdown(socket.SHUT_WR)
            while received < DRAIN_BYTES and (left := deadline - time.monotonic()) > 0:
                sock.settimeout(left)
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += len(chunk)
        except OSError:
            pass

    # --- answering ---------------------------------------------------------------------------------------------

    def do_GET(self) -> None:
        if self._answer_preview() or self._redirect_to_base():
            return
        super().do_GET()

    def do_HEAD(self) -> None:
        if self._answer_preview() or self._redirect_to_base():
            return
        super().do_HEAD()

    def send_head(self):
        """As `SimpleHTTPRequestHandler`, but a live preview's HTML pages get the preview's script tag."""
        if self.live is not None and (page := self._html_file()) is not None:
            version = self.live.state.version  # before the file: a page newer than its version only reloads again
            body = inject(page.read_bytes(), version)
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()

    def _html_file(self) -> Path | None:
        """The HTML file a GET would send as it is (a folder's index.html), or None: not HTML, or missing, or a
        folder address without its final slash (redirected by `send_head`)."""
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not urlsplit(self.path).path.endswith("/"):
                return None
            path = os.path.join(path, "index.html")
        if not path.endswith((".html", ".htm")) or not os.path.isfile(path):
            return None
        return Path(path)

    def _answer_preview(self) -> bool:
        """Answer an address of the live preview's own (`/__carepages/...`); False for any other address."""
        path = urlsplit(self.path).path
        if self.live is None or not path.startswith(PREFIX):
            return False
        if path == EVENTS:
            self._send_events(self.live)
            return True
        found = asset(path)
        if found is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return True
        body, content_type = found
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return True

    def _send_events(self, live: Channel) -> None:
        """The event stream of one tab: the current state at once, then each new one, until the tab goes away
        or the server stops."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.end_headers()
        if self.command == "HEAD":
            return
        latest = live.join()
        try:
            greeting = Event(latest.serial, HELLO, latest.state)
            self.wfile.write(f"retry: {EVENT_RETRY_MS}\n\n".encode() + greeting.encode())
            seen = latest.serial
            while not live.closed:
                event = live.next_after(seen, KEEP_ALIVE)
                if event is not None:
                    self.wfile.write(event.encode())
                    seen = event.serial
                elif not live.closed:
                    self.wfile.write(b": still here\n\n")
        finally:
            live.leave()

    def _redirect_to_base(self) -> bool:
        path = urlsplit(self.path).path
        if self.base_path != "/" and path in {"", "/"}:
            self.send_response(302)
            self.send_header("Location", self.base_path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return True
        return False

    def translate_path(self, path: str) -> str:
        """Map a URL path to a file inside the output folder, or to a path that does not exist."""
        raw = unquote(urlsplit(path).path, errors="replace")
        if not raw.startswith(self.base_path):
            return str(self.root / ".carepages-no-such-file")
        inside = raw[len(self.base_path):]
        parts = [p for p in posixpath.normpath("/" + inside).split("/") if p]
        if any(p in {".", ".."} or "\x00" in p or "\\" in p for p in parts):
            return str(self.root / ".carepages-no-such-file")
        candidate = self.root.joinpath(*parts)
        real = Path(os.path.realpath(candidate))
        if not real.is_relative_to(self.root):
            return str(self.root / ".carepages-no-such-file")
        result = str(candidate)
        if raw.endswith("/") and not result.endswith(os.sep):
            result += os.sep
        return result

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer an error with the site's 404 page, or a short page of our own; never with client data."""
        status = HTTPStatus(code)
        phrase = _PHRASES.get(status, status.phrase)
        version = self.live.state.version if self.live is not None else ""  # before the page, as in send_head
        body = self._not_found_page() if status == HTTPStatus.NOT_FOUND else None
        if body is None:
            body = (f"<!doctype html>\n<title>{status.value} {phrase}</title>\n<h1>{status.value} {phrase}</h1>\n"
                    f"<p>{html.escape(status.description)}.</p>\n").encode()
        if status == HTTPStatus.NOT_FOUND and self.live is not None:  # a page not built yet appears when it is
            body = inject(body, version)
        self.send_response(status, phrase)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if status != HTTPStatus.NOT_FOUND:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_found_page(self) -> bytes | None:
        if self.command not in METHODS:
            return None
        try:
            return (self.root / NOT_FOUND_PAGE).read_bytes()
        except OSError:  # no 404 page, or it is being replaced by a build
            return None

    def list_directory(self, path):
        self.send_error(404)
        return None

    # --- the log: one short line per request -------------------------------------------------------------------

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        shown = int(code) if isinstance(code, int) else code
        if self.live is not None and self.path.startswith(PREFIX) and shown == HTTPStatus.OK:
            return  # the preview's own files and events, asked for by every page: not worth a line each
        self._log(f"{self._shown()} -> {shown}" + (f" ({self._why})" if self._why else ""))

    def log_message(self, format: str, *args) -> None:
        self._log(format % args)

    def _shown(self) -> str:
        """The request, shortened; `_log` escapes its control characters."""
        def short(text: str) -> str:
            return text if len(text) <= _SHOWN_LENGTH else text[:_SHOWN_LENGTH] + "..."

        if self.command and self.path:
            return short(f"{self.command} {self.path}")
        return f'"{short(self.requestline)}"' if self.requestline else "(an empty request)"

    def _log(self, line: str) -> None:
        if not self.server.quiet:  # type: ignore[attr-defined]
            _write_log(line)


def _write_log(line: str) -> None:
    """One line on stderr, control characters escaped (a request must not be able to drive the terminal)."""
    with contextlib.suppress(OSError, ValueError):  # stderr is gone: the preview goes on without its log
        sys.stderr.write(f"  {line.translate(_ESCAPED)}\n")


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a burst of requests from a browser (or a test) queues instead of failing
    quiet = False
    debug = False
    local_only = True  # answer only requests addressed to this computer (set from the address it listens on)
    request_timeout = REQUEST_TIMEOUT

    def __init__(self, address: tuple[str, int], handler: Any) -> None:
        # The family of the address asked for: IPv4 by default, IPv6 for `::1` or `::` (and a name that has
        # only an IPv6 address). Raises `socket.gaierror` for a name that is no address here.
        self.address_family = socket.getaddrinfo(*address, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0][0]
        super().__init__(address, handler)

    def handle_error(self, request, client_address) -> None:
        """What escaped a handler (a bug, or a connection lost while it was set up): one line, no traceback."""
        exc = sys.exception()
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        if not self.quiet:
            _write_log(f"internal error: {type(exc).__name__}: {exc}; this is a bug in carepages, please report it")
        if self.debug:
            traceback.print_exc()


def is_local_host(value: str) -> bool:
    """Whether a Host header names this computer as only a browser on it would: `localhost` (or a name
    under `.localhost`, RFC 6761) or an IP address, with or without a port. Any other name may be a name an
    attacker controls and points at 127.0.0.1 (DNS rebinding), which would let their page read the preview."""
    host = value.strip().lower()
    if host.startswith("["):  # [IPv6 address], then an optional port
        name, bracket, rest = host[1:].partition("]")
        if not bracket or not _is_ip(name, version=6) or (rest and not rest.startswith(":")):
            return False
        port = rest[1:]
    else:
        name, _, port = host.partition(":")
        name = name.removesuffix(".")
        if not (name == "localhost" or name.endswith(".localhost") or _is_ip(name, version=4)):
            return False
    return all(c in "0123456789" for c in port)  # RFC 9110: port = *DIGIT


def _is_ip(text: str, version: int) -> bool:
    try:
        return ipaddress.ip_address(text).version == version
    except ValueError:
        return False


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def make_server(root: Path, base_path: str = "/", host: str = "127.0.0.1", port: int = 8000,
                quiet: bool = False, debug: bool = False, live: Channel | None = None) -> PreviewServer:
    """A server for the folder `root` (or, with `live`, for the folder of the preview's latest build)."""
    handler = partial(PreviewHandler, root=Path(os.path.realpath(root)), base_path=base_path, live=live)
    server = PreviewServer((host, port), handler)
    server.quiet = quiet
    server.debug = debug
    server.local_only = _is_loopback(host)
    return server

