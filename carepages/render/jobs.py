"""The render stage as pure jobs: one job per output file.

`plan_jobs` reads the site model once and gives each output file a job holding exactly what that file
shows of the site: a page's own parsed content, the teasers of its related pages, a topic's page list. Its
result, `render_job(job, shared, engine, templates)`, depends on nothing else, so a job can be rendered
alone, in another process, or skipped when its digest is unchanged. `job_digest` covers the job; with
the digests of the config, of the site-wide `SharedView` and of its template (and the templates that one
uses), it makes the key of its rendered file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from markupsafe import Markup

from .. import __version__
from ..config import SiteConfig
from ..kinds import FILES, KINDS, Made, PageKind
from ..markdown import MarkdownEngine
from ..model.site import Page, Site
from ..routes import Router, output_file
from ..textutil import plain_text
from . import jsonld, views
from .digest import Digester
from .feeds import FeedEntry, SitemapEntry, atom_feed, robots_txt, sitemap
from .headers import headers_file
from .shared import SharedView
from .templates import Templates


@dataclass(frozen=True)
class OutputFile:
    route: str
    output: PurePosixPath  # where in the output folder
    data: bytes | None = None  # rendered content, or
    source: Path | None = None  # a file copied as it is
    same_as: Path | None = None  # or a file holding exactly this file's bytes (a cache entry): linked if it can be


@dataclass(frozen=True)
class ContentInputs:
    """A page written in content/ (an article, a plain page, or a written questions page)."""

    page: Page
    related: tuple[views.Teaser, ...]
    context: tuple[tuple[str, Any], ...] = ()  # what its kind shows of other pages (see _CONTEXT)
    handout_url: str = ""  # its PDF handout, linked from the page (built with --handouts)
    words: tuple[views.WordView, ...] = ()  # the glossary terms its body uses, with their meanings


@dataclass(frozen=True)
class GeneratedInputs:
    """A page the engine makes (home, topic lists, sources, 404), with the view data its template shows. Its
    title and description are its kind's, filled in with site.toml's values when it is rendered
    (`generated_text`), so that a job does not change with them."""

    context: tuple[tuple[str, Any], ...] = ()  # template variable -> view data
    shared: tuple[str, ...] = ()  # SharedView values the template also gets by name (e.g. intro_html)
    topic: str = ""  # a topic's page: the topic's name ('{name}' in its kind's title)
    topic_description: str = ""  # and its description from site.toml, if it has one


@dataclass(frozen=True)
class SitemapInputs:
    entries: tuple[SitemapEntry, ...]


@dataclass(frozen=True)
class FeedInputs:
    entries: tuple[FeedEntry, ...]


@dataclass(frozen=True)
class RobotsInputs:
    pass


@dataclass(frozen=True)
class HeadersInputs:
    pass


@dataclass(frozen=True)
class CopyInputs:
    path: Path
    digest: str  # of the file's bytes, taken at discovery


Inputs = (ContentInputs | GeneratedInputs | SitemapInputs | FeedInputs | RobotsInputs | HeadersInputs
          | CopyInputs)


@dataclass(frozen=True)
class RenderJob:
    route: str
    output: PurePosixPath  # a source file's place; for generated pages, their route's file
    kind: str  # a name from kinds.KINDS or kinds.FILES, or 'copy'
    inputs: Inputs

    @property
    def uses_templates(self) -> bool:
        return self.kind in KINDS


def job_digest(job: RenderJob, digester: Digester | None = None) -> str:
    """A digest of the job itself: what its file shows of its page and of the rest of the site. The key of
    a kept job (edits.py), which an edit of site.toml or of a template leaves valid when the job is the same.
    A rendered file's cache key adds the digests of what it is rendered with (see `pipeline.render_key`). One
    `digester` for all the jobs of a build hashes the values they share once."""
    make = (digester or Digester()).digest
    if isinstance(job.inputs, CopyInputs):
        return make("copy", job.route, job.inputs.digest)
    return make(__version__, job.kind, job.route, job.inputs)


def template_name(job: RenderJob) -> str | None:
    """The template a job renders with (None: it uses none)."""
    kind = KINDS.get(job.kind)
    return kind.template if kind is not None else None


# -- planning: the model in, one job per output file out --------------------------------------------------
def plan_jobs(site: Site, *, handouts: bool = False) -> list[RenderJob]:
    """`handouts`: the pages that have a PDF handout (see carepages.handouts) link to it."""
    listing = views.listing(site)
    jobs = [_content_job(site, page, listing, handouts) for page in site.pages]
    jobs += _generated_jobs(site, listing)
    jobs.append(_generated("sitemap", FILES["sitemap"].route, SitemapInputs(_sitemap_entries(site))))
    jobs.append(_generated("feed", FILES["feed"].route, FeedInputs(_feed_entries(site))))
    jobs.append(_generated("robots", FILES["robots"].route, RobotsInputs()))
    jobs.append(_generated("headers", FILES["headers"].route, HeadersInputs()))
    jobs += [RenderJob(item.place.route, item.place.output, "copy", CopyInputs(item.path, item.digest))
             for item in (*site.static, *site.assets)]
    return sorted(jobs, key=lambda job: job.route)


# What each kind's template shows of the rest of the site, beyond its own page. A kind without an entry
# shows only its own page (and the site-wide values every page has).
_CONTEXT: dict[str, Callable[[Site, views.Listing], dict[str, Any]]] = {
    "home": lambda site, listing: {"start_here": views.start_here(site, listing),
                                   "topic_entries": views.topic_entries(site),
                                   "other_pages": views.untopical(site, listing)},
    "topics": lambda site, listing: {"groups": views.topic_groups(site, listing)},
    "faq": lambda site, listing: {"questions": views.question_groups(site, listing)},
    "sources": lambda site, listing: {"sources": views.sources(site, listing)},
    "related": lambda site, listing: {"entries": views.related_entries(site, listing)},
    "glossary": lambda site, listing: {"letters": views.glossary_groups(site)},
}
# SharedView values a kind's template gets by name, besides `site`.
_SHARED: dict[str, tuple[str, ...]] = {"home": ("intro_html",)}


def _context(kind: PageKind, site: Site, listing: views.Listing) -> tuple[tuple[str, Any], ...]:
    make = _CONTEXT.get(kind.name)
    return tuple(make(site, listing).items()) if make else ()


def _content_job(site: Site, page: Page, listing: views.Listing, handouts: bool = False) -> RenderJob:
    related = tuple(listing.teasers[route] for route in page.related)
    handout = page.source.handout.url if handouts and page.source.handout else ""
    return RenderJob(page.route, page.source.place.output, page.kind.name,
                     ContentInputs(page, related, _context(page.kind, site, listing), handout,
                                   views.page_words(site, page)))


def _generated(kind: str, route: str, inputs: Inputs) -> RenderJob:
    return RenderJob(route, output_file(route), kind, inputs)


def generated_text(kind: PageKind, config: SiteConfig, inputs: GeneratedInputs) -> tuple[str, str]:
    """A generated page's title and description."""
    values = {"site": config.title, "description": config.description or config.tagline, "name": inputs.topic}
    return kind.title.format(**values), inputs.topic_description or kind.description.format(**values)


def _generated_jobs(site: Site, listing: views.Listing) -> list[RenderJob]:
    jobs = []
    for kind in KINDS.values():
        if kind.made is Made.CONTENT or (kind.made is Made.ONCE_UNLESS_WRITTEN and site.page_of_kind(kind.name)):
            continue
        if kind.needs and not getattr(site, kind.needs):
            continue
        if kind.made is Made.PER_TOPIC:
            for topic in site.topics:
                context = (("topic", views.topic_view(topic)), ("pages", views.topic_teasers(site, topic, listing)))
                inputs = GeneratedInputs(context, topic=topic.name, topic_description=topic.description)
                jobs.append(_generated(kind.name, kind.route_for(topic.slug), inputs))
            continue
        context = (("article", None), *_context(kind, site, listing)) if kind.layout else _context(kind, site, listing)
        inputs = GeneratedInputs(context, _SHARED.get(kind.name, ()))
        jobs.append(_generated(kind.name, kind.route_for(), inputs))
    return jobs


def _sitemap_entries(site: Site) -> tuple[SitemapEntry, ...]:
    # a draft (built with --drafts for review) is never announced to search engines or feed readers
    entries = [SitemapEntry(p.route, p.last_modified) for p in site.pages if p.kind.in_sitemap and not p.front.draft]
    for kind in KINDS.values():
        if not kind.in_sitemap or kind.made is Made.CONTENT or (kind.needs and not getattr(site, kind.needs)):
            continue
        if kind.made is Made.PER_TOPIC:
            entries += [SitemapEntry(t.route) for t in site.topics]
        elif kind.made is Made.ONCE or site.page_of_kind(kind.name) is None:
            entries.append(SitemapEntry(kind.route_for()))
    return tuple(entries)


def _feed_entries(site: Site) -> tuple[FeedEntry, ...]:
    pages = sorted((p for p in site.pages if p.kind.in_feed and not p.front.draft),
                   key=lambda p: (p.last_modified or dt.date.min, p.route), reverse=True)
    return tuple(FeedEntry(p.route, p.front.title, p.front.summary, p.front.date, p.last_modified,
                           tuple((t.slug, t.name) for t in p.topics)) for p in pages)


def _structure(config: SiteConfig, kind: PageKind, title: str, route: str,
               context: dict[str, Any]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(items listed on a generated page, breadcrumb trail), as (name, absolute URL), for its JSON-LD."""
    def absolute(url: str) -> str:
        return config.base_url + url.removeprefix(config.base_path)

    if "groups" in context:
        items = [(group.topic.name, absolute(group.topic.url)) for group in context["groups"]]
    elif "topic_entries" in context:  # the home page: its start path, then its topics
        items = [(teaser.title, absolute(teaser.url)) for teaser in context["start_here"]]
        items += [(entry.topic.name, absolute(entry.topic.url)) for entry in context["topic_entries"]]
    else:
        items = [(teaser.title, absolute(teaser.url)) for teaser in context.get("pages", ())]
    home = KINDS["home"]
    if kind is home or kind.name == "404":
        return items, []
    trail = [(config.title, config.base_url + home.route_for())]
    if kind.made is Made.PER_TOPIC:
        topics = KINDS["topics"]
        trail.append((topics.title, config.base_url + topics.route_for()))
    return items, [*trail, (title, config.base_url + route)]


# -- rendering: one job in, one file out ------------------------------------------------------------------
def article_view(job: RenderJob, config: SiteConfig, engine: MarkdownEngine) -> views.ArticleView | None:
    """What a content page's template shows of the page itself (None for any other job): the part of its
    rendering that reads its parse. It depends on the job and on what the Markdown engine and site.toml's
    model settings make of it (`edits.KeptKeys`), not on templates or display settings, so it is kept with
    the job and a restyle renders from it without reading the page again."""
    inputs = job.inputs
    if not isinstance(inputs, ContentInputs):
        return None
    return views.article(engine, inputs.page, inputs.related, config.toc_min_headings,
                         Router(config.base_url, config.base_path), inputs.handout_url, inputs.words)


def structured_data(config: SiteConfig, page: Page, article: views.ArticleView) -> Markup:
    """A content page's JSON-LD, made from its page and its article view."""
    return jsonld.medical_web_page(config, page, [plain_text(item.answer_html) for item in article.faq])


def render_job(job: RenderJob, config: SiteConfig, shared: SharedView, engine: MarkdownEngine,
               templates: Templates, article: views.ArticleView | None = None,
               structured: Markup | None = None) -> OutputFile:
    """`article`: the content page's `article_view`, and `structured`, its `structured_data`, if they have been
    made (else they are made here)."""
    inputs = job.inputs
    if isinstance(inputs, CopyInputs):
        return OutputFile(job.route, job.output, source=inputs.path)
    if isinstance(inputs, SitemapInputs):
        return OutputFile(job.route, job.output, sitemap(config, inputs.entries))
    if isinstance(inputs, FeedInputs):
        return OutputFile(job.route, job.output, atom_feed(config, inputs.entries))
    if isinstance(inputs, RobotsInputs):
        return OutputFile(job.route, job.output, robots_txt(config))
    if isinstance(inputs, HeadersInputs):
        return OutputFile(job.route, job.output, headers_file())
    kind = KINDS[job.kind]
    url = config.base_path + job.route
    if isinstance(inputs, ContentInputs):
        page = inputs.page
        if article is None:
            article = article_view(job, config, engine)
        if structured is None:
            structured = structured_data(config, page, article)
        meta = views.PageMeta(page.title, page.front.summary, url, config.base_url + job.route,
                              structured, kind.name, page.front.draft,
                              noindex=page.front.draft or not kind.in_sitemap, og_type="article")
        context: dict[str, Any] = {"article": article, **dict(inputs.context)}
    else:
        context = dict(inputs.context)
        title, description = generated_text(kind, config, inputs)
        data = jsonld.generated_page(config, kind, title, description, job.route,
                                     *_structure(config, kind, title, job.route, context))
        meta = views.PageMeta(title, description, url, config.base_url + job.route, data, kind.name,
                              noindex=not kind.in_sitemap)
        context.update({name: getattr(shared, name) for name in inputs.shared})
    html = templates.render(kind.template, site=shared.site_view(url), page=meta, **context)
    return OutputFile(job.route, job.output, html.encode("utf-8"))
