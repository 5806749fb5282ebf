"""A local preview server for the built site.

It listens on 127.0.0.1 unless told otherwise, serves the site under its base path (so links behave as they
will when published under a sub-path), answers only from the output folder (no `..`, encoded or not, and no
symlink out of it), and shows the site's own 404 page for missing files.
"""

from __future__ import annotations

import http.server
import os
import posixpath
import sys
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import SiteError

NOT_FOUND_PAGE = "404.html"


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    def version_string(self) -> str:
        return "carepages-preview"

    def __init__(self, *args, root: Path, base_path: str, **kwargs) -> None:
        self.root = root
        self.base_path = base_path
        super().__init__(*args, directory=str(root), **kwargs)

    def end_headers(self) -> None:
        # The preview should always show the latest build, and never be embedded elsewhere.
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def do_GET(self) -> None:
        if self._redirect_to_base():
            return
        super().do_GET()

    def do_HEAD(self) -> None:
        if self._redirect_to_base():
            return
        super().do_HEAD()

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
        page = self.root / NOT_FOUND_PAGE
        if code == 404 and page.is_file() and self.command in {"GET", "HEAD"}:
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def list_directory(self, path):
        self.send_error(404)
        return None

    def log_message(self, format: str, *args) -> None:
        if self.server.quiet:  # type: ignore[attr-defined]
            return
        sys.stderr.write(f"  {self.command or '-'} {self.path} -> {args[1] if len(args) > 1 else ''}\n")


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a burst of requests from a browser (or a test) queues instead of failing
    quiet = False


def make_server(root: Path, base_path: str = "/", host: str = "127.0.0.1", port: int = 8000,
                quiet: bool = False) -> PreviewServer:
    handler = partial(PreviewHandler, root=Path(os.path.realpath(root)), base_path=base_path)
    server = PreviewServer((host, port), handler)
    server.quiet = quiet
    return server


def serve(root: Path, base_path: str = "/", host: str = "127.0.0.1", port: int = 8000) -> None:
    try:
        server = make_server(root, base_path, host, port)
    except OSError as exc:
        raise SiteError(f"cannot listen on {host}:{port}: {exc.strerror}; try another --port",
                        rule="serve/port") from None
    shown_host = "localhost" if host in {"127.0.0.1", "::1"} else host
    print(f"Serving the site at http://{shown_host}:{server.server_address[1]}{base_path}  (Ctrl+C to stop)")
    if host not in {"127.0.0.1", "::1", "localhost"}:
        print("Note: other computers on your network can see this preview.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopped.")
    finally:
        server.server_close()
