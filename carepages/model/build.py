"""The model stage: from discovered and parsed pages and the bibliography to one `Site`, in small steps.

Each step is a pure function that returns its result and what it found (`Found`); `build_model` runs them
in order and gathers every error and warning, so a user sees all of them in one run:

    claim addresses -> collect topics -> resolve links -> number citations -> start path -> rank related pages
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import PurePosixPath

from ..bibliography import Bibliography
from ..config import Link, SiteConfig
from ..discover.frontmatter import FrontMatter
from ..discover.sources import Sources
from ..errors import Diagnostic, Found
from ..glossary import Glossary
from ..ids import faq_id
from ..markdown import LinkUse, ParsedMarkdown
from ..parse import ParsedPage
from ..routes import Router
from ..textutil import add_months
from .aids import help_card_problems, placed_help_card, resolve_glossary
from .citations import number_citations
from .claims import claim_routes
from .home import start_path
from .links import LinkTarget, LinkTargets, page_anchors, resolve_links
from .related import RelatedSettings, related_matches
from .site import NavLink, Page, Site, SiteText
from .topics import collect_topics

# Links in site.toml are written relative to content/, as if from a file at its top.
CONFIG_SOURCE = PurePosixPath("site.toml")


def build_model(config: SiteConfig, router: Router, sources: Sources, parsed: Mapping[PurePosixPath, ParsedPage],
                bibliography: Bibliography, site_texts: Mapping[str, ParsedMarkdown],
                glossary: Glossary | None = None) -> Found[Site]:
    """The site model, with every problem the model steps found (the caller fails the build on errors)."""
    found: list[Diagnostic] = []

    def take(step: Found) -> object:
        found.extend(step.diagnostics)
        return step.value

    topics = take(collect_topics(config, sources.pages, router))
    claims = take(claim_routes(sources, topics.topics, CONFIG_SOURCE))
    placed = [p for p in sources.pages if p.rel in claims.placed and p.rel in parsed]
    anchors = {p.rel: _anchors(parsed[p.rel], p.front) for p in placed}
    targets = LinkTargets(
        files={**{f.rel: LinkTarget(f.place.url, frozenset(), False) for f in sources.assets},
               **{p.rel: LinkTarget(p.place.url, anchors[p.rel], True) for p in placed}},
        drafts=sources.drafts,
        # pages with front-matter errors, or whose Markdown could not be parsed, exist all the same
        unplaced=sources.unplaced | {p.rel for p in sources.pages if p.rel not in parsed},
    )

    texts = {name: SiteText(doc, take(resolve_links(doc.links, CONFIG_SOURCE, frozenset(), targets, router)))
             for name, doc in site_texts.items()}
    take(help_card_problems(config, texts))
    pages: list[Page] = []
    for source in placed:
        page_parsed = parsed[source.rel]
        links = take(resolve_links(_links_of(page_parsed.documents()), source.rel, anchors[source.rel], targets,
                                   router))
        help_card = take(placed_help_card(page_parsed.body, config, texts))
        citations = take(number_citations(source.front, page_parsed, bibliography,
                                          help_card.doc if help_card else None))
        pages.append(Page(
            source=source, parsed=page_parsed, topics=topics.of_page.get(source.rel, ()),
            references=citations.references, citation_numbers=citations.numbers, links=links,
            next_review=take(_next_review(source.front, config)), help_card=help_card,
        ))
    nav = take(nav_links(config.nav, targets, router))
    footer_links = take(nav_links(config.footer_links, targets, router))

    start_here = take(start_path(config, pages, sources.drafts))
    related_settings = RelatedSettings.of(config.related)
    matches = take(related_matches(pages, related_settings))
    pages = sorted((replace(p, related=tuple(m.route for m in matches[p.route] if m.shown)) for p in pages),
                   key=lambda p: p.route)
    site = Site(
        config=config, router=router, pages=tuple(pages), topics=topics.topics, bibliography=bibliography,
        assets=sources.assets, static=sources.static, texts=texts, nav=nav, footer_links=footer_links,
        by_route={p.route: p for p in pages}, by_topic=_by_topic(pages), related=matches,
        related_settings=related_settings, start_here=start_here,
        glossary=take(resolve_glossary(glossary, targets, router)) if glossary else Glossary(),
    )
    return Found(site, tuple(found))


def _by_topic(pages: Sequence[Page]) -> dict[str, tuple[Page, ...]]:
    index: dict[str, list[Page]] = {}
    for page in pages:
        if page.kind.listed:
            for topic in page.topics:
                index.setdefault(topic.slug, []).append(page)
    return {slug: tuple(listed) for slug, listed in index.items()}


def nav_links(links: Sequence[Link], targets: LinkTargets, router: Router) -> Found[tuple[NavLink, ...]]:
    """site.toml links: 'faq/' or '/faq/' (a route), 'what-is-ms.md' (a page) or a full address."""
    result, found = [], []
    for link in links:
        target = link.target
        if not target.startswith(("/", "#")) and not target.endswith(".md") and "://" not in target \
                and not target.startswith(("mailto:", "tel:")):
            target = "/" + target  # a bare route such as 'faq/'
        use = LinkUse(target, "link", link.title, link.location)
        resolved = resolve_links([use], CONFIG_SOURCE, frozenset(), targets, router)
        found.extend(resolved.diagnostics)
        if target in resolved.value:
            result.append(NavLink(link.title, resolved.value[target]))
    return Found(tuple(result), tuple(found))


def _links_of(documents: Iterable[ParsedMarkdown]) -> list[LinkUse]:
    return [link for doc in documents for link in doc.links]


def _anchors(parsed: ParsedPage, front: FrontMatter) -> frozenset[str]:
    heading_ids = [h.id for doc in parsed.documents() for h in doc.headings]
    heading_ids += [faq_id(i) for i in range(len(front.faq))]
    return page_anchors(heading_ids)


def _next_review(front: FrontMatter, config: SiteConfig) -> Found[dt.date | None]:
    if front.next_review:
        return Found(front.next_review)
    if front.last_reviewed:
        try:
            return Found(add_months(front.last_reviewed, config.review_interval_months))
        except OverflowError:
            return Found(None, (Diagnostic(
                "error", f"'last_reviewed' ({front.last_reviewed.isoformat()}) plus review_interval_months "
                f"({config.review_interval_months}) is after {dt.date.max.isoformat()}, the last date there is: "
                "give 'next_review', or correct 'last_reviewed'", front.where("last_reviewed"),
                "front-matter/dates"),))
    return Found(None)
