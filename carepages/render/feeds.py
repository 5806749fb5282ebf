"""Machine-readable files: sitemap.xml, the Atom feed and robots.txt.

Written with an XML serialiser (never string templates), after removing characters XML cannot carry, so
any title or summary gives a valid document.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from ..model.site import Page, Site
from ..routes import FEED, HOME, SITEMAP
from ..textutil import xml_safe

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _element(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    child = ET.SubElement(parent, tag, {k: xml_safe(v) for k, v in attrs.items()})
    if text is not None:
        child.text = xml_safe(text)
    return child


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def sitemap(site: Site, extra_routes: list[str]) -> bytes:
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    entries: list[tuple[str, dt.date | None]] = [(p.route, p.last_modified) for p in site.pages]
    entries += [(route, None) for route in extra_routes]
    for route, modified in sorted(entries, key=lambda e: e[0]):
        url = _element(root, "url")
        _element(url, "loc", site.router.absolute(route))
        if modified:
            _element(url, "lastmod", modified.isoformat())
    return _serialise(root)


def _timestamp(day: dt.date | None) -> str:
    return f"{(day or dt.date(1970, 1, 1)).isoformat()}T00:00:00Z"


def atom_feed(site: Site) -> bytes:
    config = site.config
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": config.language})
    _element(root, "id", site.router.absolute(HOME))
    _element(root, "title", config.title)
    if config.tagline:
        _element(root, "subtitle", config.tagline)
    _element(root, "link", rel="self", type="application/atom+xml", href=site.router.absolute(FEED))
    _element(root, "link", rel="alternate", type="text/html", href=site.router.absolute(HOME))
    articles = sorted(site.articles, key=lambda p: (p.last_modified or dt.date.min, p.route), reverse=True)
    newest = max((p.last_modified for p in articles if p.last_modified), default=None)
    _element(root, "updated", _timestamp(newest))
    author = _element(root, "author")
    _element(author, "name", config.organisation.name)
    if config.organisation.url:
        _element(author, "uri", config.organisation.url)
    for page in articles:
        _entry(root, site, page)
    return _serialise(root)


def _entry(root: ET.Element, site: Site, page: Page) -> None:
    front = page.front
    entry = _element(root, "entry")
    url = site.router.absolute(page.route)
    _element(entry, "id", url)
    _element(entry, "title", front.title)
    _element(entry, "link", rel="alternate", type="text/html", href=url)
    _element(entry, "updated", _timestamp(page.last_modified))
    if front.date:
        _element(entry, "published", _timestamp(front.date))
    _element(entry, "summary", front.summary)
    for topic in page.topics:
        _element(entry, "category", term=topic.slug, label=topic.name)


def robots_txt(site: Site) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.router.absolute(SITEMAP)}\n".encode()
