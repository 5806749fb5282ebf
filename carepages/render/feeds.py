"""Machine-readable files: sitemap.xml, the Atom feed and robots.txt, each from explicit inputs.

Written with an XML serialiser (never string templates), after removing characters XML cannot carry, so
any title or summary gives a valid document.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..config import SiteConfig
from ..kinds import FILES, KINDS
from ..textutil import xml_safe

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass(frozen=True)
class SitemapEntry:
    route: str
    modified: dt.date | None = None


@dataclass(frozen=True)
class FeedEntry:
    route: str
    title: str
    summary: str
    published: dt.date | None
    modified: dt.date | None
    topics: tuple[tuple[str, str], ...]  # (slug, name)


def _element(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    child = ET.SubElement(parent, tag, {k: xml_safe(v) for k, v in attrs.items()})
    if text is not None:
        child.text = xml_safe(text)
    return child


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def sitemap(config: SiteConfig, entries: tuple[SitemapEntry, ...]) -> bytes:
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for entry in sorted(entries, key=lambda e: e.route):
        url = _element(root, "url")
        _element(url, "loc", config.base_url + entry.route)
        if entry.modified:
            _element(url, "lastmod", entry.modified.isoformat())
    return _serialise(root)


def _timestamp(day: dt.date | None) -> str:
    return f"{(day or dt.date(1970, 1, 1)).isoformat()}T00:00:00Z"


def atom_feed(config: SiteConfig, entries: tuple[FeedEntry, ...]) -> bytes:
    """`entries` newest first."""
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": config.language})
    home = config.base_url + KINDS["home"].route_for()
    _element(root, "id", home)
    _element(root, "title", config.title)
    if config.tagline:
        _element(root, "subtitle", config.tagline)
    _element(root, "link", rel="self", type="application/atom+xml", href=config.base_url + FILES["feed"].route)
    _element(root, "link", rel="alternate", type="text/html", href=home)
    newest = max((e.modified for e in entries if e.modified), default=None)
    _element(root, "updated", _timestamp(newest))
    author = _element(root, "author")
    _element(author, "name", config.organisation.name)
    if config.organisation.url:
        _element(author, "uri", config.organisation.url)
    for item in entries:
        entry = _element(root, "entry")
        url = config.base_url + item.route
        _element(entry, "id", url)
        _element(entry, "title", item.title)
        _element(entry, "link", rel="alternate", type="text/html", href=url)
        _element(entry, "updated", _timestamp(item.modified))
        if item.published:
            _element(entry, "published", _timestamp(item.published))
        _element(entry, "summary", item.summary)
        for slug, name in item.topics:
            _element(entry, "category", term=slug, label=name)
    return _serialise(root)


def robots_txt(config: SiteConfig) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.base_url + FILES['sitemap'].route}\n".encode()
