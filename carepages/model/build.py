"""The model stage: from parsed pages, the bibliography and the file lists to one `Site`.

Here, once, every page gets its route, every topic its page, every link its URL and every citation its
number; every problem found on the way is reported with its location, all in one run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath

from ..bibliography import Bibliography
from ..config.settings import Link, SiteConfig
from ..discover.files import ContentFile
from ..discover.frontmatter import FrontMatter
from ..errors import ContentError, Location, Problems
from ..fields import did_you_mean
from ..markdown import LinkUse, ParsedMarkdown
from ..parse import ParsedPage
from ..routes import (
    FAQ,
    FEED,
    HOME,
    NOT_FOUND,
    ROBOTS,
    SITEMAP,
    SOURCES,
    TOPICS,
    Router,
    RouteTable,
    article_route,
    asset_route,
    page_route,
    static_route,
    topic_route,
)
from ..textutil import add_months, slugify
from .citations import number_citations, warn_unused
from .links import LinkTarget, page_anchors, resolve_links
from .related import Candidate, rank_related, tie_break_order
from .site import NavLink, NumberedReference, Page, Site, SiteText, StaticFile, Topic

# Links in site.toml are written relative to content/, as if from a file at its top.
CONFIG_SOURCE = PurePosixPath("site.toml")

FIXED_ROUTES = {
    HOME: "the home page", TOPICS: "the topics index", SOURCES: "the sources page", NOT_FOUND: "the 404 page",
    SITEMAP: "the sitemap", FEED: "the Atom feed", ROBOTS: "robots.txt",
}


def faq_anchor(index: int) -> str:
    return f"faq-{index + 1}"


def build_model(config: SiteConfig, parsed: Sequence[ParsedPage], bibliography: Bibliography,
                assets: Sequence[ContentFile], theme_static: Mapping[PurePosixPath, Path],
                site_texts: Mapping[str, ParsedMarkdown], include_drafts: bool, problems: Problems) -> Site:
    router = Router(config.base_url, config.base_path)
    table = RouteTable()
    for route, owner in FIXED_ROUTES.items():
        table.claim(route, owner)

    published = [p for p in parsed if include_drafts or not p.front.draft]
    drafts = frozenset(p.file.rel for p in parsed if p not in published)
    routes = _assign_routes(published, table, problems)
    if not any(p.front.layout == "faq" for p in published):
        table.claim(FAQ, "the FAQ page")

    static = [StaticFile(static_route(rel), path) for rel, path in theme_static.items()]
    asset_files = [StaticFile(asset_route(f.rel), f.path) for f in assets]
    for item in static:
        _claim(table, item.route, f"static file {item.source}", Location(item.source), problems)
    for item, file in zip(asset_files, assets, strict=True):
        _claim(table, item.route, f"content file {file.rel}", Location(file.path), problems)

    topics, page_topics = _topics(config, published, problems)
    for topic in topics:
        _claim(table, topic.route, f"the page of topic '{topic.name}'", Location(config.path), problems)

    targets: dict[PurePosixPath, LinkTarget] = {
        f.rel: LinkTarget(asset_route(f.rel), frozenset(), False) for f in assets}
    anchors = {p.file.rel: _anchors(p) for p in published}
    for page in published:
        if page.file.rel in routes:
            targets[page.file.rel] = LinkTarget(routes[page.file.rel], anchors[page.file.rel], True)

    pages: list[Page] = []
    for page in published:
        route = routes.get(page.file.rel)
        if route is None:
            continue
        links: dict[str, str] = {}
        for _, doc in page.documents():
            links.update(resolve_links(list(doc.links), page.file.rel, anchors[page.file.rel], targets, drafts,
                                       router, problems))
        citations = number_citations(page, bibliography, problems)
        _review_warnings(page, problems)
        pages.append(Page(
            parsed=page, slug=route_slug(route), route=route, topics=page_topics.get(page.file.rel, ()),
            references=tuple(NumberedReference(n, ref, ids) for n, ref, ids in citations.entries),
            citation_numbers=citations.numbers, links=links, next_review=_next_review(page.front, config),
        ))
    texts = {name: SiteText(doc, resolve_links(list(doc.links), CONFIG_SOURCE, frozenset(), targets, drafts,
                                               router, problems))
             for name, doc in site_texts.items()}
    nav = _nav_links(config.nav, targets, drafts, router, problems)
    footer_links = _nav_links(config.footer_links, targets, drafts, router, problems)
    problems.raise_if_errors()  # every error of the model stage, reported together

    related = _related(pages, config.related_count, problems)
    pages = sorted((replace(p, related=related[p.route]) for p in pages), key=lambda p: p.route)
    warn_unused(bibliography, {ref.reference.key for p in pages for ref in p.references}, problems)
    return Site(
        config=config, router=router, pages=tuple(pages), topics=tuple(topics), bibliography=bibliography,
        assets=tuple(asset_files), static=tuple(static), static_versions=_versions(static),
        texts=texts, nav=nav, footer_links=footer_links,
        by_route={p.route: p for p in pages},
    )


def _nav_links(links: Sequence[Link], targets: Mapping[PurePosixPath, LinkTarget],
               drafts: frozenset[PurePosixPath], router: Router, problems: Problems) -> tuple[NavLink, ...]:
    """site.toml links: 'faq/' or '/faq/' (a route), 'what-is-ms.md' (a page) or a full address."""
    result = []
    for link in links:
        target = link.target
        if not target.startswith(("/", "#")) and not target.endswith(".md") and "://" not in target \
                and not target.startswith(("mailto:", "tel:")):
            target = "/" + target  # a bare route such as 'faq/'
        use = LinkUse(target, "link", link.title, link.location)
        resolved = resolve_links([use], CONFIG_SOURCE, frozenset(), targets, drafts, router, problems)
        if target in resolved:
            result.append(NavLink(link.title, resolved[target]))
    return tuple(result)


def route_slug(route: str) -> str:
    return route.rstrip("/").rsplit("/", 1)[-1]


def _claim(table: RouteTable, route: str, owner: str, where: Location, problems: Problems) -> bool:
    error = table.claim(route, owner, where)
    if error:
        problems.error(error)
        return False
    return True


def _assign_routes(pages: Sequence[ParsedPage], table: RouteTable,
                   problems: Problems) -> dict[PurePosixPath, str]:
    routes: dict[PurePosixPath, str] = {}
    for page in pages:
        front = page.front
        slug = front.slug or slugify(page.file.path.stem)
        where = front.where("slug") if front.slug else Location(page.file.path, 1, 1)
        if not slug:
            problems.error(ContentError("cannot make a web address from this file name: add a 'slug' "
                                      "(lower-case letters, digits and hyphens)", where))
            continue
        if front.layout == "faq":
            route = FAQ
        elif front.layout == "page":
            route = page_route(slug)
        else:
            route = article_route(slug)
        if _claim(table, route, f"page {page.file.rel}", where, problems):
            routes[page.file.rel] = route
    return routes


def _topics(config: SiteConfig, pages: Sequence[ParsedPage],
            problems: Problems) -> tuple[list[Topic], dict[PurePosixPath, tuple[Topic, ...]]]:
    declared = {spec.slug: Topic(spec.name, spec.slug, topic_route(spec.slug), spec.description)
                for spec in config.topics}
    found: dict[str, Topic] = {}
    page_topics: dict[PurePosixPath, tuple[Topic, ...]] = {}
    names = [spec.name for spec in config.topics]
    for page in pages:
        chosen: list[Topic] = []
        for item in page.front.topics:
            slug = slugify(item.value)
            if not slug:
                problems.error(ContentError(f"topic '{item.value}' needs at least one letter or digit",
                                          item.location))
                continue
            topic = declared.get(slug) or found.get(slug)
            if topic is None:
                if declared:
                    problems.warn(f"topic '{item.value}' is not one of the topics in site.toml"
                                  f"{did_you_mean(item.value, names)}", item.location)
                topic = Topic(item.value, slug, topic_route(slug))
                found[slug] = topic
            if topic not in chosen:
                chosen.append(topic)
        page_topics[page.file.rel] = tuple(chosen)
    used = {t.slug for chosen in page_topics.values() for t in chosen}
    ordered = [t for t in declared.values() if t.slug in used]
    ordered += sorted(found.values(), key=lambda t: t.name.lower())
    return ordered, page_topics


def _anchors(page: ParsedPage) -> frozenset[str]:
    ids = [h.id for _, doc in page.documents() for h in doc.headings]
    ids += [faq_anchor(i) for i in range(len(page.front.faq))]
    return page_anchors(ids)


def _next_review(front: FrontMatter, config: SiteConfig) -> dt.date | None:
    if front.next_review:
        return front.next_review
    if front.last_reviewed:
        return add_months(front.last_reviewed, config.review_interval_months)
    return None


def _review_warnings(page: ParsedPage, problems: Problems) -> None:
    front = page.front
    if front.layout == "page":
        return
    for name in ("reviewed_by", "last_reviewed"):
        if not getattr(front, name):
            problems.warn(f"no '{name}': patients are shown who checked a health page and when",
                          front.where(""))


def _related(pages: Sequence[Page], limit: int, problems: Problems) -> dict[str, tuple[str, ...]]:
    """Route -> routes of its related pages: the author's pins (any page), then articles sharing topics."""
    candidates = {p.route: Candidate(p.route, p.title, frozenset(t.slug for t in p.topics),
                                     _iso(p.front.updated or p.front.date))
                  for p in pages if p.layout == "article"}
    ordered = tie_break_order(list(candidates.values()))
    by_slug = {p.slug: p.route for p in pages}
    result: dict[str, tuple[str, ...]] = {}
    for page in pages:
        pinned = []
        for item in page.front.related:
            route = by_slug.get(item.value)
            if route is None:
                problems.warn(f"related page '{item.value}' does not exist{did_you_mean(item.value, by_slug)}",
                              item.location)
            else:
                pinned.append(route)
        me = candidates.get(page.route) or Candidate(page.route, page.title,
                                                     frozenset(t.slug for t in page.topics), "")
        result[page.route] = rank_related(me, pinned, ordered, limit)
    return result


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _versions(static: Sequence[StaticFile]) -> dict[str, str]:
    """A short content hash per static file, appended to its URL so browsers never use a stale copy."""
    return {item.route: hashlib.sha256(item.source.read_bytes()).hexdigest()[:10] for item in static}
