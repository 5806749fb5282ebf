"""What parsing one piece of Markdown yields: its pre-rendered HTML, plus the headings, citations and links
found in it, each with the file line and column it was written at (and, only when asked for, the tokens)."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it.token import Token

from ..errors import Location, plain_pickle
from .citations import CitedItem
from .render import PreRendered


@plain_pickle
@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    id: str
    location: Location


@plain_pickle
@dataclass(frozen=True, slots=True)
class CitationUse:
    items: tuple[CitedItem, ...]
    ordinal: int  # position among this document's citations, which makes its id on the page
    raw: str
    location: Location

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)


@plain_pickle
@dataclass(frozen=True, slots=True)
class LinkUse:
    href: str  # as written, percent-decoded
    kind: str  # "link" or "image"
    text: str  # link text, or an image's alt text
    location: Location
    element: str = ""  # "" when written in Markdown; in raw HTML, the tag and attribute ("video poster")
    title: str = ""  # a Markdown link's or image's title ("decorative" marks an image that only decorates)


@plain_pickle
@dataclass(frozen=True, slots=True)
class CareUse:
    """A care card, or the place of the site-wide "when to get help" card (level 'help')."""

    level: str  # 'emergency', 'urgent', 'non-urgent' or 'help'
    id: str  # its id on the page
    location: Location


@dataclass(frozen=True)
class ParsedMarkdown:
    """One parsed Markdown text. Pure data: the same text always gives an equal value.

    `tokens` are kept only when the parse was asked for them (`check` reads the prose from them); a build
    drops them, since `html` has everything rendering needs and a token tree costs memory, pickling and the
    garbage collector's time."""

    html: PreRendered
    headings: tuple[Heading, ...]
    citations: tuple[CitationUse, ...]
    links: tuple[LinkUse, ...]
    id_prefix: str
    inline: bool
    words: int
    tokens: tuple[Token, ...] = ()
    terms: tuple[str, ...] = ()  # slugs of the glossary terms marked, in order of first use
    care: tuple[CareUse, ...] = ()  # care cards, in order
