"""The site model: every page, topic and reference, with links resolved and citations numbered.

Built by `model.build.build_model` from the discovered and parsed pages; frozen afterwards. Templates never
see these objects: `render.views` turns them into plain view data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from ..bibliography import Bibliography, Reference
from ..config import SiteConfig
from ..discover.frontmatter import FrontMatter
from ..discover.sources import PageSource, StaticFile
from ..glossary import Glossary
from ..kinds import PageKind
from ..markdown import ParsedMarkdown
from ..parse import ParsedPage
from ..routes import Router

if TYPE_CHECKING:
    from .related import Ranking, RelatedSettings


@dataclass(frozen=True)
class Topic:
    name: str
    slug: str
    route: str
    url: str
    description: str = ""


@dataclass(frozen=True)
class NumberedReference:
    """A reference as it appears in one page's list: its number and the citations that point at it."""

    number: int
    reference: Reference
    citation_ids: tuple[str, ...]  # ids of the in-text citations, for "back to text" links


@dataclass(frozen=True)
class SiteText:
    """A Markdown text from site.toml (introduction, disclaimer, emergency advice, contact)."""

    doc: ParsedMarkdown
    links: Mapping[str, str]


@dataclass(frozen=True)
class Page:
    source: PageSource
    parsed: ParsedPage
    topics: tuple[Topic, ...] = ()
    references: tuple[NumberedReference, ...] = ()
    citation_numbers: Mapping[str, int] = field(default_factory=dict)
    links: Mapping[str, str] = field(default_factory=dict)  # every href written in the page -> its URL
    next_review: dt.date | None = None
    related: tuple[str, ...] = ()  # routes of related pages, best first
    help_card: SiteText | None = None  # site.toml's "when to get help" card, if the page places it

    @property
    def front(self) -> FrontMatter:
        return self.source.front

    @property
    def kind(self) -> PageKind:
        return self.source.kind

    @property
    def title(self) -> str:
        return self.source.front.title

    @property
    def route(self) -> str:
        return self.source.place.route

    @property
    def url(self) -> str:
        return self.source.place.url

    @property
    def slug(self) -> str:
        return self.source.place.slug

    @property
    def rel(self) -> PurePosixPath:
        return self.source.rel

    @property
    def last_modified(self) -> dt.date | None:
        front = self.front
        dates = [d for d in (front.updated, front.date, front.last_reviewed) if d]
        return max(dates) if dates else None


@dataclass(frozen=True)
class NavLink:
    title: str
    url: str


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    router: Router
    pages: tuple[Page, ...]  # every page from content/, sorted by route
    topics: tuple[Topic, ...]  # in site.toml order, then by name
    bibliography: Bibliography
    assets: tuple[StaticFile, ...] = ()  # files from content/ copied as they are
    static: tuple[StaticFile, ...] = ()  # the theme's static/ files
    texts: Mapping[str, SiteText] = field(default_factory=dict)
    nav: tuple[NavLink, ...] = ()
    footer_links: tuple[NavLink, ...] = ()
    by_route: Mapping[str, Page] = field(default_factory=dict)
    by_topic: Mapping[str, tuple[Page, ...]] = field(default_factory=dict)  # topic slug -> its listed pages
    related: Mapping[str, Ranking] = field(default_factory=dict)  # route -> its list and closest misses, best first
    related_settings: RelatedSettings | None = None
    start_here: tuple[str, ...] = ()  # routes of the pages that start the home page, in order
    glossary: Glossary = field(default_factory=Glossary)

    @property
    def listed(self) -> tuple[Page, ...]:
        """Pages that appear in topic lists, related lists and the questions page (articles)."""
        return tuple(p for p in self.pages if p.kind.listed)

    def page_of_kind(self, kind: str) -> Page | None:
        return next((p for p in self.pages if p.kind.name == kind), None)
