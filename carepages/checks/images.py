"""`images/alt-text`: an image without alt text says nothing to a reader who cannot see it.

An image that only decorates may have empty alt text if it says so with the title `"decorative"`:
`![](images/divider.png "decorative")`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from ..model.site import Page
from .settings import CheckSettings

RULE = "images/alt-text"
DECORATIVE = "decorative"
RAW_IMG = "img src"  # `LinkUse.element` of an <img> in raw HTML


def images_without_alt_text(page: Page, settings: CheckSettings) -> Iterator[Diagnostic]:
    for doc in page.parsed.documents():
        for link in doc.links:
            # an image written in Markdown, or an <img> in raw HTML; not the other addresses a browser
            # fetches (a video's poster, a <source>, a CSS url()), which have no alt text to give
            if link.kind != "image" or link.element not in ("", RAW_IMG):
                continue
            href = link.href.strip()
            # (a Markdown image's title; raw HTML's title attribute is not read)
            if not link.text.strip() and link.title.strip().lower() != DECORATIVE:
                yield Diagnostic("warning", f"image '{href}' has no alt text: describe it in the brackets, "
                                 f"![like this]({href}), or, if it only decorates, mark it "
                                 f"![]({href} \"{DECORATIVE}\")", link.location, RULE)

