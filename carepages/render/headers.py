"""The security policy every page is served with, in one place: the Content-Security-Policy that base.html
puts in a <meta> tag, and the `_headers` file (Netlify and Cloudflare Pages) that sends it, with the other
security headers, as real HTTP headers. The README shows the same headers for nginx and Apache.

The site needs nothing from anywhere else: its own stylesheet, its own script, its own images and its own
search index. So every kind of resource is limited to the site's own origin ('self'), with no
'unsafe-inline' for scripts or styles (no `style=` attribute and no inline script in any page; the JSON-LD
block is data, which a CSP does not govern). Pagefind's search runs WebAssembly, which needs
'wasm-unsafe-eval': it allows compiling WebAssembly, not `eval` of JavaScript.
"""

from __future__ import annotations

# (directive, value) in the order they are written
_DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)
# Browsers ignore these in a <meta> tag (and Chromium logs a console error for each): only a header can
# forbid other sites to frame the pages.
_HEADER_ONLY = frozenset({"frame-ancestors"})


def content_security_policy(*, meta: bool = False) -> str:
    """The policy as a header value; `meta=True` leaves out what a <meta> tag cannot carry."""
    return "; ".join(f"{name} {value}" for name, value in _DIRECTIVES if not (meta and name in _HEADER_ONLY))


def security_headers() -> tuple[tuple[str, str], ...]:
    """Every header the site should be served with, as (name, value)."""
    return (
        ("Content-Security-Policy", content_security_policy()),
        # Health pages can reveal a reader's condition: never tell other sites which page a reader came from.
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
        # The pages use none of these; a script that somehow ran could not ask for them either.
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                               "browsing-topics=()"),
        ("X-Frame-Options", "DENY"),  # frame-ancestors for browsers too old to know it
    )


def headers_file() -> bytes:
    """`_headers` in the format Netlify and Cloudflare Pages read: a path pattern, then indented headers."""
    lines = ["# Security headers for every page (Netlify, Cloudflare Pages). Written by carepages.", "/*"]
    lines += [f"  {name}: {value}" for name, value in security_headers()]
    return ("\n".join(lines) + "\n").encode("utf-8")
