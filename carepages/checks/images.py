"""`images/alt-text`: an image without alt text says nothing to a reader who cannot see it."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from ..model.site import Page

RULE = "images/alt-text"


def images_without_alt_text(page: Page) -> Iterator[Diagnostic]:
    for doc in page.parsed.documents():
        for link in doc.links:
            if link.kind == "image" and not link.text.strip():
                href = link.href.strip()
                yield Diagnostic("warning", f"image '{href}' has no alt text: describe it in the brackets, "
                                 f"![like this]({href})", link.location, RULE)
