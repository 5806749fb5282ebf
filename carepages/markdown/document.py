"""What parsing one piece of Markdown yields: tokens, plus the headings, citations and links found in it,
each with the file line and column it was written at."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it.token import Token

from ..errors import Location
from .citations import CitedItem


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str
    location: Location


@dataclass(frozen=True)
class CitationUse:
    items: tuple[CitedItem, ...]
    ordinal: int  # position among this document's citations, which makes its id on the page
    raw: str
    location: Location

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)


@dataclass(frozen=True)
class LinkUse:
    href: str  # as written, percent-decoded
    kind: str  # "link" or "image"
    text: str  # link text, or an image's alt text
    location: Location
    element: str = ""  # "" when written in Markdown; in raw HTML, the tag and attribute ("video poster")


@dataclass(frozen=True)
class ParsedMarkdown:
    """One parsed Markdown text. Pure data: the same text always gives an equal value."""

    tokens: tuple[Token, ...]
    headings: tuple[Heading, ...]
    citations: tuple[CitationUse, ...]
    links: tuple[LinkUse, ...]
    id_prefix: str
    inline: bool
    words: int
