"""The render stage as pure jobs: one job per output file.

`plan_jobs` reads the site model once and gives each output file a job holding exactly what that file
shows of the site: a page's own parsed content, the teasers of its related pages, a topic's page list. Its
result, `render_job(job, shared, engine, templates)`, depends on nothing else, so a job can be rendered
alone, in another process, or skipped when its digest is unchanged. `job_digest` covers exactly those
inputs: the job, the site-wide `SharedView`, the templates and the config.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..config import SiteConfig
from ..kinds import FILES, KINDS, Made, PageKind
from ..markdown import MarkdownEngine
from ..model.site import Page, Site
from ..textutil import plain_text
from . import jsonld, views
from .digest import digest
from .feeds import FeedEntry, SitemapEntry, atom_feed, robots_txt, sitemap
from .shared import SharedView
from .templates import Templates


@dataclass(frozen=True)
class OutputFile:
    route: str
    data: bytes | None = None  # rendered content, or
    source: Path | None = None  # a file copied as it is


@dataclass(frozen=True)
class ContentInputs:
    """A page written in content/ (an article, a plain page, or a written questions page)."""

    page: Page
    related: tuple[views.Teaser, ...]
    questions: tuple[views.QuestionGroup, ...] = ()  # the questions page also lists other pages' questions


@dataclass(frozen=True)
class GeneratedInputs:
    """A page the engine makes (home, topic lists, sources, 404), with the view data its template shows."""

    title: str
    description: str
    context: tuple[tuple[str, Any], ...] = ()  # template variable -> view data
    shared: tuple[str, ...] = ()  # SharedView values the template also gets by name (e.g. intro_html)


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
class CopyInputs:
    path: Path
    digest: str  # of the file's bytes, taken at discovery


Inputs = ContentInputs | GeneratedInputs | SitemapInputs | FeedInputs | RobotsInputs | CopyInputs


@dataclass(frozen=True)
class RenderJob:
    route: str
    kind: str  # a name from kinds.KINDS or kinds.FILES, or 'copy'
    inputs: Inputs

    @property
    def uses_templates(self) -> bool:
        return self.kind in KINDS


def job_digest(job: RenderJob, config: SiteConfig, shared_digest: str, templates_digest: str) -> str:
    """A digest of exactly what the job's output depends on."""
    if isinstance(job.inputs, CopyInputs):
        return digest("copy", job.route, job.inputs.digest)
    if not job.uses_templates:  # sitemap, feed, robots.txt: code and config only
        return digest(__version__, job.kind, job.route, config, job.inputs)
    return digest(__version__, job.kind, job.route, config, shared_digest, templates_digest, job.inputs)


# -- planning: the model in, one job per output file out --------------------------------------------------
def plan_jobs(site: Site) -> list[RenderJob]:
    jobs = [_content_job(site, page) for page in site.pages]
    jobs += _generated_jobs(site)
    jobs.append(RenderJob(FILES["sitemap"].route, "sitemap", SitemapInputs(_sitemap_entries(site))))
    jobs.append(RenderJob(FILES["feed"].route, "feed", FeedInputs(_feed_entries(site))))
    jobs.append(RenderJob(FILES["robots"].route, "robots", RobotsInputs()))
    jobs += [RenderJob(item.place.route, "copy", CopyInputs(item.path, item.digest))
             for item in (*site.static, *site.assets)]
    return sorted(jobs, key=lambda job: job.route)


def _content_job(site: Site, page: Page) -> RenderJob:
    related = tuple(views.teaser(site.by_route[r]) for r in page.related)
    questions = views.question_groups(site) if page.kind is KINDS["faq"] else ()
    return RenderJob(page.route, page.kind.name, ContentInputs(page, related, questions))


def _generated_jobs(site: Site) -> list[RenderJob]:
    config = site.config
    names = {"site": config.title}
    jobs = []

    def job(kind: PageKind, title: str, description: str, slug: str = "", shared: tuple[str, ...] = (),
            **context: Any) -> RenderJob:
        return RenderJob(kind.route_for(slug), kind.name,
                         GeneratedInputs(title, description, tuple(context.items()), shared))

    for kind in KINDS.values():
        if kind.made is Made.ONCE_UNLESS_WRITTEN and site.page_of_kind(kind.name) is not None:
            continue
        if kind.name == "home":
            jobs.append(job(kind, config.title, config.description or config.tagline, shared=("intro_html",),
                            groups=views.topic_groups(site), other_pages=views.untopical(site)))
        elif kind.name == "topics":
            jobs.append(job(kind, kind.title.format(**names), kind.description.format(**names),
                            groups=views.topic_groups(site)))
        elif kind.made is Made.PER_TOPIC:
            for topic in site.topics:
                values = {**names, "name": topic.name}
                jobs.append(job(kind, kind.title.format(**values),
                                topic.description or kind.description.format(**values), slug=topic.slug,
                                topic=views.topic_view(topic), pages=views.topic_teasers(site, topic)))
        elif kind.name == "faq":
            jobs.append(job(kind, kind.title.format(**names), kind.description.format(**names), article=None,
                            questions=views.question_groups(site)))
        elif kind.name == "sources":
            jobs.append(job(kind, kind.title.format(**names), kind.description.format(**names),
                            sources=views.sources(site)))
        elif kind.made is not Made.CONTENT:
            jobs.append(job(kind, kind.title.format(**names), kind.description.format(**names)))
    return jobs


def _sitemap_entries(site: Site) -> tuple[SitemapEntry, ...]:
    entries = [SitemapEntry(p.route, p.last_modified) for p in site.pages if p.kind.in_sitemap]
    for kind in KINDS.values():
        if not kind.in_sitemap or kind.made is Made.CONTENT:
            continue
        if kind.made is Made.PER_TOPIC:
            entries += [SitemapEntry(t.route) for t in site.topics]
        elif kind.made is Made.ONCE or site.page_of_kind(kind.name) is None:
            entries.append(SitemapEntry(kind.route_for()))
    return tuple(entries)


def _feed_entries(site: Site) -> tuple[FeedEntry, ...]:
    pages = sorted((p for p in site.pages if p.kind.in_feed), key=lambda p: (p.last_modified or dt.date.min,
                                                                               p.route), reverse=True)
    return tuple(FeedEntry(p.route, p.front.title, p.front.summary, p.front.date, p.last_modified,
                           tuple((t.slug, t.name) for t in p.topics)) for p in pages)


# -- rendering: one job in, one file out ------------------------------------------------------------------
def render_job(job: RenderJob, config: SiteConfig, shared: SharedView, engine: MarkdownEngine,
               templates: Templates) -> OutputFile:
    inputs = job.inputs
    if isinstance(inputs, CopyInputs):
        return OutputFile(job.route, source=inputs.path)
    if isinstance(inputs, SitemapInputs):
        return OutputFile(job.route, sitemap(config, inputs.entries))
    if isinstance(inputs, FeedInputs):
        return OutputFile(job.route, atom_feed(config, inputs.entries))
    if isinstance(inputs, RobotsInputs):
        return OutputFile(job.route, robots_txt(config))
    kind = KINDS[job.kind]
    url = config.base_path + job.route
    if isinstance(inputs, ContentInputs):
        page = inputs.page
        article = views.article(engine, page, inputs.related, config.toc_min_headings)
        answers = [plain_text(item.answer_html) for item in article.faq]
        meta = views.PageMeta(page.title, page.front.summary, url, config.base_url + job.route,
                              jsonld.medical_web_page(config, page, answers), kind.name, page.front.draft)
        context: dict[str, Any] = {"article": article}
        if kind is KINDS["faq"]:
            context["questions"] = inputs.questions
    else:
        meta = views.PageMeta(inputs.title, inputs.description, url, config.base_url + job.route,
                              jsonld.website(config), kind.name)
        context = dict(inputs.context)
        context.update({name: getattr(shared, name) for name in inputs.shared})
    html = templates.render(kind.template, site=shared.site_view(url), page=meta, **context)
    return OutputFile(job.route, html.encode("utf-8"))
