"""`images/alt-text`: an image without alt text says nothing to a reader who cannot see it.

An image that only decorates may have empty alt text if it says so with the title `"decorative"`:
`![](images/divider.png "decorative")`.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

from ..errors import Diagnostic
from ..markdown import ParsedMarkdown
from ..model.site import Page
from .settings import CheckSettings

RULE = "images/alt-text"
DECORATIVE = "decorative"
RAW_IMG = "img src"  # `LinkUse.element` of an <img> in raw HTML


def images_without_alt_text(page: Page, settings: CheckSettings) -> Iterator[Diagnostic]:
    for doc in page.parsed.documents():
        titles = _image_titles(doc)
        for link in doc.links:
            # an image written in Markdown, or an <img> in raw HTML; not the other addresses a browser
            # fetches (a video's poster, a <source>, a CSS url()), which have no alt text to give
            if link.kind != "image" or link.element not in ("", RAW_IMG):
                continue
            href = link.href.strip()
            waiting = titles.get(link.href) if not link.element else None
            title = waiting.pop(0) if waiting else ""
            if not link.text.strip() and title.strip().lower() != DECORATIVE:
                yield Diagnostic("warning", f"image '{href}' has no alt text: describe it in the brackets, "
                                 f"![like this]({href}), or, if it only decorates, mark it "
                                 f"![]({href} \"{DECORATIVE}\")", link.location, RULE)


def _image_titles(doc: ParsedMarkdown) -> dict[str, list[str]]:
    """src -> the titles of the images with that src, in order."""
    titles: dict[str, list[str]] = {}
    stack = list(reversed(doc.tokens))
    while stack:
        token = stack.pop()
        if token.type == "image":
            titles.setdefault(unquote(str(token.attrGet("src") or "")), []).append(str(token.attrGet("title") or ""))
        if token.children:
            stack.extend(reversed(token.children))
    return titles
