"""The preview server: local only by default, only the output folder, robust to odd and hostile requests."""

from __future__ import annotations

import http.client
import os
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from carepages.server import make_server


@pytest.fixture
def served(site, tmp_path, capfd):
    """The server as `serve` runs it, its log on stderr (checked for tracebacks after each test)."""
    site.build()
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT")
    os.symlink(secret, site.out / "leak.txt")
    server = make_server(site.out, "/info/", port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)
    err = capfd.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err


def get(server, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    conn.putrequest("GET", path, skip_accept_encoding=True)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def raw(server, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_binds_to_this_computer_only_by_default(served):
    assert served.server_address[0] == "127.0.0.1"


def test_serves_pages_under_the_base_path(served):
    status, body = get(served, "/info/articles/first/")
    assert status == 200 and b"<h1>First article</h1>" in body


def test_missing_page_gets_the_sites_404_page(served):
    status, body = get(served, "/info/no-such-page/")
    assert status == 404 and b"Page not found" in body


@pytest.mark.parametrize("path", [
    "/info/../../../../etc/passwd",
    "/info/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/info/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/info/%252e%252e/etc/passwd",
    "/etc/passwd",
    "/info/leak.txt",
    "/info/static/",
    "/info/%ff%fe",
    "/info/\\..\\..\\etc\\passwd",
])
def test_nothing_outside_the_output_folder_is_served(served, path):
    status, body = get(served, path)
    assert status == 404
    assert b"root:" not in body and b"SECRET-CONTENT" not in body


def test_malformed_requests_get_an_error_and_the_server_carries_on(served, capfd):
    # tests/test_server_requests.py has many more, against `build.py serve`
    assert raw(served, b"GARBAGE\r\n\r\n").startswith(b"HTTP/1.0 400 Bad Request\r\n")
    assert raw(served, b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.0 414 URI Too Long\r\n")
    assert raw(served, b"GET /info/ HTTP/2.0\r\n\r\n").startswith(b"HTTP/1.0 505 HTTP Version Not Supported\r\n")
    assert raw(served, b"\x00\xff\xfe\r\n\r\n").startswith(b"HTTP/1.0 400 Bad Request\r\n")
    assert raw(served, b"DELETE /info/ HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.0 501 Not Implemented\r\n")
    assert get(served, "/info/")[0] == 200
    assert capfd.readouterr().err.splitlines() == [
        '  "GARBAGE" -> 400 (not a request line of the form "METHOD /address HTTP/1.1")',
        '  "GET /' + "a" * 75 + '..." -> 414 (the request line is over 8192 bytes)',
        '  "GET /info/ HTTP/2.0" -> 505 (only HTTP/1.0 and HTTP/1.1 are supported)',
        '  "\\x00\xff\xfe" -> 400 (not a request line of the form "METHOD /address HTTP/1.1")',
        "  DELETE /info/ -> 501 (only GET and HEAD are supported)",
        "  GET /info/ -> 200",
    ]


def test_survives_a_burst_of_200_concurrent_requests(served):
    paths = ["/info/", "/info/articles/first/", "/info/static/css/site.css", "/info/missing/"] * 50
    with ThreadPoolExecutor(max_workers=200) as pool:
        statuses = list(pool.map(lambda p: get(served, p)[0], paths))
    assert statuses.count(200) == 150 and statuses.count(404) == 50
    assert get(served, "/info/")[0] == 200
