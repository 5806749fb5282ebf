"""The preview's own files for the browser, and how a page gets them.

Only the preview server serves these, from inside the package: they are never written to the output
folder, so a published site cannot carry them. A page asks for them by one tag that the server adds to each
HTML answer as it sends it (the file on disk is not changed). The script is an external file on the same
address as the site, and it talks to the same address, so a strict Content-Security-Policy
(`default-src 'self'`, no inline scripts or styles) allows it; its overlay is styled by a stylesheet file,
never by inline styles.
"""

from __future__ import annotations

import re
from importlib import resources

PREFIX = "/__carepages/"  # the preview's own addresses, outside any site's base path
EVENTS = PREFIX + "events"
ASSETS = {  # address -> (file in preview/assets, content type)
    PREFIX + "reload.js": ("reload.js", "text/javascript; charset=utf-8"),
    PREFIX + "reload.css": ("reload.css", "text/css; charset=utf-8"),
}
_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)


def asset(address: str) -> tuple[bytes, str] | None:
    """The bytes and content type of one of the preview's files, or None for another address."""
    known = ASSETS.get(address)
    if known is None:
        return None
    name, content_type = known
    return resources.files(__package__).joinpath("assets", name).read_bytes(), content_type


def inject(page: bytes, version: str) -> bytes:
    """`page` with the preview's script tag at the end of its head (or at the end, with no head).

    `version` is the site version the page belongs to: when the preview announces another one, it reloads.
    It is made by the preview (hex digits and a dash), never from a request."""
    if not re.fullmatch(r"[0-9a-f-]+", version):
        raise ValueError(f"not a preview version: {version!r}")
    tag = f'<script src="{PREFIX}reload.js" data-version="{version}" defer></script>'.encode("ascii")
    found = _HEAD_END.search(page)
    if found is None:
        return page + tag
    return page[:found.start()] + tag + page[found.start():]
