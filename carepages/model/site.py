"""The site model: every page, topic and reference, with URLs and numbers decided once.

Built by `assemble.build_model` from parsed pages; frozen afterwards. Templates never see these objects
directly: `views` turns them into plain view data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..bibliography import Bibliography, Reference
from ..config.settings import SiteConfig
from ..discover.frontmatter import FrontMatter
from ..markdown import ParsedMarkdown
from ..parse import ParsedPage
from ..routes import Router


@dataclass(frozen=True)
class Topic:
    name: str
    slug: str
    route: str
    description: str = ""


@dataclass(frozen=True)
class NumberedReference:
    """A reference as it appears in one page's list: its number and the citations that point at it."""

    number: int
    reference: Reference
    citation_ids: tuple[str, ...]  # ids of the in-text citations, for "back to text" links

    @property
    def cited(self) -> bool:
        return bool(self.citation_ids)


@dataclass(frozen=True)
class Page:
    parsed: ParsedPage
    slug: str
    route: str
    topics: tuple[Topic, ...]
    references: tuple[NumberedReference, ...]
    citation_numbers: Mapping[str, int]
    links: Mapping[str, str]  # every href written in the page -> the URL it becomes
    next_review: dt.date | None = None
    related: tuple[str, ...] = ()  # routes of related pages, best first

    @property
    def front(self) -> FrontMatter:
        return self.parsed.front

    @property
    def layout(self) -> str:
        return self.parsed.front.layout

    @property
    def title(self) -> str:
        return self.parsed.front.title

    @property
    def source(self) -> Path:
        return self.parsed.file.path

    @property
    def last_modified(self) -> dt.date | None:
        front = self.parsed.front
        dates = [d for d in (front.updated, front.date, front.last_reviewed) if d]
        return max(dates) if dates else None


@dataclass(frozen=True)
class SiteText:
    """A Markdown text from site.toml (introduction, disclaimer, emergency advice, contact)."""

    doc: ParsedMarkdown
    links: Mapping[str, str]


@dataclass(frozen=True)
class NavLink:
    title: str
    url: str


@dataclass(frozen=True)
class StaticFile:
    route: str
    source: Path


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    router: Router
    pages: tuple[Page, ...]  # articles, pages and the FAQ page, sorted by route
    topics: tuple[Topic, ...]  # in site.toml order, then by name
    bibliography: Bibliography
    assets: tuple[StaticFile, ...] = ()  # files from content/ copied as they are
    static: tuple[StaticFile, ...] = ()  # the theme's static/ files
    static_versions: Mapping[str, str] = field(default_factory=dict)  # static route -> content hash
    texts: Mapping[str, SiteText] = field(default_factory=dict)
    nav: tuple[NavLink, ...] = ()
    footer_links: tuple[NavLink, ...] = ()
    by_route: Mapping[str, Page] = field(default_factory=dict)

    @property
    def articles(self) -> tuple[Page, ...]:
        return tuple(p for p in self.pages if p.layout == "article")

    @property
    def faq_page(self) -> Page | None:
        return next((p for p in self.pages if p.layout == "faq"), None)

    def pages_in(self, topic: Topic) -> tuple[Page, ...]:
        return tuple(p for p in self.articles if topic in p.topics)
