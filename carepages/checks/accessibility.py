"""Accessibility that can be seen in the Markdown source.

- `accessibility/emoji`: emoji and pictographs in the title, headings, link text or alt text. Screen readers
  read them out by name ("brain, magnifying glass tilted left") in the middle of a heading.
- `accessibility/heading-level`: a heading that skips a level (`##` then `####`); the title is the `#`.
- `accessibility/extra-h1`: a `#` heading in the body; the title is the page's only `#` heading.
- `accessibility/link-text`: link text that says nothing out of context ("click here", "read more"), which
  is all a screen reader's list of links shows.
(`images/alt-text` is in images.py.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import Diagnostic
from ..model.site import Page
from .settings import CheckSettings

_PICTOGRAPH = re.compile(
    "[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B1B\u2B1C\u2B50\u2B55\u231A\u231B\u23E9-\u23FA\u3030\u303D"
    "\u3297\u3299\uFE0F\u20E3]")
_PUNCTUATION = re.compile(r"[^\w\s]+")


def pictograph(text: str) -> str | None:
    found = _PICTOGRAPH.search(text)
    return found.group() if found else None


def emoji(page: Page, settings: CheckSettings) -> Iterator[Diagnostic]:
    rule = "accessibility/emoji"
    found = pictograph(page.title)
    if found:
        yield Diagnostic("warning", f"the title has an emoji or pictograph ('{found}'), which screen readers read "
                         "out by name: remove it", page.front.where("title"), rule)
    for doc in page.parsed.documents():
        for heading in doc.headings:
            found = pictograph(heading.text)
            if found:
                yield Diagnostic("warning", f"heading '{heading.text}' has an emoji or pictograph ('{found}'), "
                                 "which screen readers read out by name: say it in words or remove it",
                                 heading.location, rule)
        for link in doc.links:
            found = pictograph(link.text)
            if found:
                what = "alt text" if link.kind == "image" else "link text"
                yield Diagnostic("warning", f"{what} '{link.text}' has an emoji or pictograph ('{found}'), "
                                 "which screen readers read out by name: say it in words", link.location, rule)


def heading_levels(page: Page, settings: CheckSettings) -> Iterator[Diagnostic]:
    previous = 1  # the title
    for heading in page.parsed.body.headings:
        if heading.level == 1:
            yield Diagnostic("error", f"'# {heading.text}' is a second top-level heading: the title is the page's "
                             "only '#' heading, so start sections with '##'", heading.location,
                             "accessibility/extra-h1")
        elif heading.level > previous + 1:
            yield Diagnostic("error", f"heading '{heading.text}' jumps from level {previous} to {heading.level}: "
                             f"use {'#' * (previous + 1)} (screen-reader users move through headings by level)",
                             heading.location, "accessibility/heading-level")
        previous = heading.level


def vague_link_text(page: Page, settings: CheckSettings) -> Iterator[Diagnostic]:
    rule = "accessibility/link-text"
    vague = {_normal(p) for p in settings.option(rule, "phrases")}
    for doc in page.parsed.documents():
        for link in doc.links:
            if link.kind == "link" and _normal(link.text) in vague:
                yield Diagnostic("warning", f"link text '{link.text}' says nothing about where it goes: use the "
                                 "name of the page or what the reader will find there", link.location, rule)


def _normal(text: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", text.lower()).split())

