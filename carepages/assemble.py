"""The model stage: from parsed pages, the bibliography and the file lists to one `Site`.

Here, once, every page gets its route, every topic its page, every link its URL and every citation its
number; every problem found on the way is reported with its location, all in one run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath

from .bibliography import Bibliography
from .citing import number_citations, warn_unused
from .config import Link, SiteConfig
from .discovery import ContentFile
from .errors import ContentError, Location, Problems
from .linking import LinkTarget, page_anchors, resolve_links
from .markdown import LinkUse, ParsedMarkdown
from .model import NavLink, NumberedReference, Page, Site, SiteText, StaticFile, Topic
from .pages import ParsedPage
from .related import Candidate, rank_related, tie_break_order
from .routes import (
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
from .schema import did_you_mean
from .textutil import add_months, slugify

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
    anchors = {id(p): _anchors(p) for p in published}
    for page in published:
        if id(page) in routes:
            targets[page.file.rel] = LinkTarget(routes[id(page)], anchors[id(page)], True)

    built: list[dict] = []
    for page in published:
        if id(page) not in routes:
            continue
        links: dict[str, str] = {}
        for _, doc in page.documents():
            links.update(resolve_links(list(doc.links), page.file.rel, anchors[id(page)], targets, drafts,
                                       router, problems))
        citations = number_citations(page, bibliography, problems)
        references = tuple(NumberedReference(n, ref, ids) for n, ref, ids in citations.entries)
        _review_warnings(page, problems)
        built.append({
            "parsed": page, "slug": routes_slug(routes[id(page)]), "route": routes[id(page)],
            "topics": page_topics.get(id(page), ()), "references": references,
            "citation_numbers": citations.numbers, "links": links,
            "next_review": _next_review(page, config),
        })
    texts = {name: SiteText(doc, resolve_links(list(doc.links), CONFIG_SOURCE, frozenset(), targets, drafts,
                                               router, problems))
             for name, doc in site_texts.items()}
    nav = _nav_links(config.nav, targets, drafts, router, problems)
    footer_links = _nav_links(config.footer_links, targets, drafts, router, problems)
    problems.raise_if_errors()  # every error of the model stage, reported together

    related = _related(built, config.related_count, problems)
    pages = tuple(sorted((Page(**fields, related=related.get(fields["route"], ())) for fields in built),
                         key=lambda p: p.route))
    warn_unused(bibliography, {ref.reference.key for p in pages for ref in p.references}, problems)
    return Site(
        config=config, router=router, pages=pages, topics=tuple(topics), bibliography=bibliography,
        assets=tuple(asset_files), static=tuple(static), static_versions=_versions(static),
        texts=texts, nav=nav, footer_links=footer_links,
        by_route={p.route: p for p in pages}, by_source={p.parsed.file.rel: p for p in pages},
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


def routes_slug(route: str) -> str:
    return route.rstrip("/").rsplit("/", 1)[-1]


def _claim(table: RouteTable, route: str, owner: str, where: Location, problems: Problems) -> bool:
    error = table.claim(route, owner, where)
    if error:
        problems.error(error)
        return False
    return True


def _assign_routes(pages: Sequence[ParsedPage], table: RouteTable, problems: Problems) -> dict[int, str]:
    routes: dict[int, str] = {}
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
            routes[id(page)] = route
    return routes


def _topics(config: SiteConfig, pages: Sequence[ParsedPage],
            problems: Problems) -> tuple[list[Topic], dict[int, tuple[Topic, ...]]]:
    declared = {spec.slug: Topic(spec.name, spec.slug, topic_route(spec.slug), spec.description)
                for spec in config.topics}
    found: dict[str, Topic] = {}
    page_topics: dict[int, tuple[Topic, ...]] = {}
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
        page_topics[id(page)] = tuple(chosen)
    used = {t.slug for chosen in page_topics.values() for t in chosen}
    ordered = [t for t in declared.values() if t.slug in used]
    ordered += sorted(found.values(), key=lambda t: t.name.lower())
    return ordered, page_topics


def _anchors(page: ParsedPage) -> frozenset[str]:
    ids = [h.id for _, doc in page.documents() for h in doc.headings]
    ids += [faq_anchor(i) for i in range(len(page.front.faq))]
    return page_anchors(ids)


def _next_review(page: ParsedPage, config: SiteConfig):
    front = page.front
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


def _related(built: list[dict], limit: int, problems: Problems) -> dict[str, tuple[str, ...]]:
    articles = [f for f in built if f["parsed"].front.layout == "article"]
    candidates = {f["route"]: Candidate(f["route"], f["parsed"].front.title,
                                        frozenset(t.slug for t in f["topics"]),
                                        _iso(f["parsed"].front.updated or f["parsed"].front.date))
                  for f in articles}
    ordered = tie_break_order(list(candidates.values()))
    by_slug = {f["slug"]: f["route"] for f in built}  # any page may be pinned; only articles are ranked
    result: dict[str, tuple[str, ...]] = {}
    for fields in built:
        page = fields["parsed"]
        pinned = []
        for item in page.front.related:
            route = by_slug.get(item.value)
            if route is None:
                problems.warn(f"related page '{item.value}' does not exist{did_you_mean(item.value, by_slug)}",
                              item.location)
            else:
                pinned.append(route)
        me = candidates.get(fields["route"]) or Candidate(fields["route"], page.front.title,
                                                          frozenset(t.slug for t in fields["topics"]), "")
        result[fields["route"]] = rank_related(me, pinned, ordered, limit)
    return result


def _iso(day) -> str:
    return day.isoformat() if day else ""


def _versions(static: Sequence[StaticFile]) -> dict[str, str]:
    """A short content hash per static file, appended to its URL so browsers never use a stale copy."""
    return {item.route: hashlib.sha256(item.source.read_bytes()).hexdigest()[:10] for item in static}
