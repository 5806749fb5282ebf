"""The render stage: the site model in, the complete list of output files (as bytes) out.

Nothing here touches the output folder; `output.write_site` is the only writer. Each page is rendered from
the model alone, so pages can later be rendered in parallel or served from a cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..markdown import MarkdownEngine
from ..model.site import Site
from ..routes import FAQ, FEED, HOME, NOT_FOUND, ROBOTS, SITEMAP, SOURCES, TOPICS
from . import jsonld
from .feeds import atom_feed, robots_txt, sitemap
from .templates import Templates
from .views import ViewBuilder

TEMPLATE_FOR_LAYOUT = {"article": "article.html", "faq": "faq.html", "page": "page.html"}


@dataclass(frozen=True)
class OutputFile:
    route: str
    data: bytes | None = None  # rendered content, or
    source: Path | None = None  # a file copied as it is


def render_site(site: Site, engine: MarkdownEngine, templates: Templates) -> list[OutputFile]:
    views = ViewBuilder(site, engine)
    files: list[OutputFile] = []

    def page(route: str, template: str, **context: Any) -> None:
        html = templates.render(template, site=views.site_view(site.router.url(route)), **context)
        files.append(OutputFile(route, html.encode("utf-8")))

    for item in site.pages:
        article = views.article(item)
        extra = {"questions": views.faq_groups()} if item.layout == "faq" else {}
        page(item.route, TEMPLATE_FOR_LAYOUT[item.layout], page=views.article_meta(item, article), article=article,
             **extra)

    home_meta = views.meta(site.config.title, site.config.description or site.config.tagline, HOME, "home",
                           jsonld.website(site))
    page(HOME, "home.html", page=home_meta, intro_html=views.text_html("intro"), groups=views.topic_groups(),
         other_pages=views.untopical())
    page(TOPICS, "topics.html", page=views.meta("Topics", f"All topics on {site.config.title}", TOPICS, "topics",
                                                jsonld.website(site)),
         groups=views.topic_groups())
    for topic in site.topics:
        description = topic.description or f"Pages about {topic.name} on {site.config.title}"
        page(topic.route, "topic.html", page=views.meta(topic.name, description, topic.route, "topic",
                                                        jsonld.website(site)),
             topic=views.topic_view(topic), pages=views.topic_pages(topic))
    if site.faq_page is None:
        page(FAQ, "faq.html", page=views.meta("Frequently asked questions", f"Questions and answers from "
                                              f"{site.config.title}", FAQ, "faq", jsonld.website(site)),
             article=None, questions=views.faq_groups())
    page(SOURCES, "sources.html", page=views.meta("Sources", f"Every source cited on {site.config.title}",
                                                  SOURCES, "sources", jsonld.website(site)),
         sources=views.sources())
    page(NOT_FOUND, "404.html", page=views.meta("Page not found", "This page does not exist.", NOT_FOUND, "404",
                                                jsonld.website(site)))

    files.append(OutputFile(SITEMAP, sitemap(site, _listing_routes(site))))
    files.append(OutputFile(FEED, atom_feed(site)))
    files.append(OutputFile(ROBOTS, robots_txt(site)))
    files += [OutputFile(item.route, source=item.source) for item in (*site.static, *site.assets)]
    return sorted(files, key=lambda f: f.route)


def _listing_routes(site: Site) -> list[str]:
    routes = [HOME, TOPICS, SOURCES, *(t.route for t in site.topics)]
    if site.faq_page is None:
        routes.append(FAQ)
    return routes
