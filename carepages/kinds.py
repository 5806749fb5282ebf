"""The kinds of page a site has, in one registry: where each lives, which template draws it, what it is to
search engines, and whether it goes in the feed and sitemap or needs a medical review date.

Adding a kind (a glossary page, a search page) means one entry here and one template; the rest of the
engine asks the registry instead of comparing kind names. A kind a Markdown file may choose with
`layout:` has `layout=True`; the others are generated from the site (home, topic lists, sources, 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Made(Enum):
    """Where a kind's pages come from."""

    CONTENT = "content"  # one per Markdown file that chooses it
    ONCE = "once"  # one generated page
    PER_TOPIC = "per-topic"  # one generated page per topic
    ONCE_UNLESS_WRITTEN = "once-unless-written"  # generated, unless a Markdown file takes its address


@dataclass(frozen=True)
class PageKind:
    name: str  # also the `layout:` value, and the page's CSS class (kind-<name>)
    template: str
    route: str  # '{slug}' is replaced by the page's or topic's slug
    schema_type: str | tuple[str, ...]  # JSON-LD @type
    made: Made
    # for generated pages: '{site}' is the site's title, '{description}' its description (or tagline),
    # '{name}' the topic's name
    title: str = ""
    description: str = ""
    layout: bool = False
    listed: bool = False  # shown in topic lists, related lists and on the questions page
    in_feed: bool = False
    in_sitemap: bool = True
    needs_review: bool = False
    handout: bool = False  # `build --handouts` also makes a PDF of each page, at HANDOUT_FILE in its folder
    owner: str = ""  # how a route clash names this page ("the topics index")
    marks_terms: bool = False  # the first use of each glossary term in its body is explained in place
    needs: str = ""  # a generated page made only if the site has this (a `Site` attribute: "glossary")

    def route_for(self, slug: str = "") -> str:
        return self.route.replace("{slug}", slug)

    def handout_route(self, slug: str = "") -> str | None:
        """Where this kind's printable handout goes ('articles/what-is-ms/handout.pdf'), or None."""
        return self.route_for(slug) + HANDOUT_FILE if self.handout else None


HANDOUT_FILE = "handout.pdf"


KINDS: dict[str, PageKind] = {kind.name: kind for kind in (
    PageKind("article", "article.html", "articles/{slug}/", "MedicalWebPage", Made.CONTENT, layout=True,
             listed=True, in_feed=True, needs_review=True, handout=True,
             marks_terms=True),
    PageKind("faq", "faq.html", "faq/", ("MedicalWebPage", "FAQPage"), Made.ONCE_UNLESS_WRITTEN,
             title="Frequently asked questions", description="Questions and answers from {site}", layout=True,
             needs_review=True, owner="the FAQ page"),
    PageKind("page", "page.html", "{slug}/", "MedicalWebPage", Made.CONTENT, layout=True),
    PageKind("home", "home.html", "", "CollectionPage", Made.ONCE, title="{site}", description="{description}",
             owner="the home page"),
    PageKind("topics", "topics.html", "topics/", "CollectionPage", Made.ONCE, title="Topics",
             description="All topics on {site}", owner="the topics index"),
    PageKind("topic", "topic.html", "topics/{slug}/", "CollectionPage", Made.PER_TOPIC, title="{name}",
             description="Pages about {name} on {site}"),
    PageKind("sources", "sources.html", "sources/", "WebPage", Made.ONCE, title="Sources",
             description="Every source cited on {site}", owner="the sources page"),
    PageKind("related", "related.html", "related/", "WebPage", Made.ONCE, title="How related pages are chosen",
             description="Each page's related pages on {site}, with their scores, for editors",
             in_sitemap=False, owner="the related-pages index"),
    PageKind("glossary", "glossary.html", "glossary/", "DefinedTermSet", Made.ONCE, title="Glossary",
             description="Medical words used on {site}, explained in plain language", owner="the glossary page",
             needs="glossary"),
    # the page reads ?q= and runs the index in the browser: nothing for search engines, so not in the sitemap
    PageKind("search", "search.html", "search/", "SearchResultsPage", Made.ONCE, title="Search",
             description="Search {site}", in_sitemap=False, owner="the search page"),
    PageKind("404", "404.html", "404.html", "WebPage", Made.ONCE, title="Page not found",
             description="This page does not exist.", in_sitemap=False, owner="the 404 page"),
)}

LAYOUTS = tuple(name for name, kind in KINDS.items() if kind.layout)
DEFAULT_LAYOUT = "article"


@dataclass(frozen=True)
class FileKind:
    """A machine-readable file the site always has (made by code in render/feeds.py or render/headers.py, not a
    template)."""

    name: str
    route: str
    owner: str


FILES: dict[str, FileKind] = {kind.name: kind for kind in (
    FileKind("sitemap", "sitemap.xml", "the sitemap"),
    FileKind("feed", "feed.xml", "the Atom feed"),
    FileKind("robots", "robots.txt", "robots.txt"),
    FileKind("headers", "_headers", "the security headers file (Netlify, Cloudflare Pages)"),
    FileKind("search-index", "pagefind/", "the search index (made by Pagefind after rendering)"),
)}


def generated_routes() -> dict[str, str]:
    """Route -> owner of every address the engine fills itself, for the route table."""
    routes = {kind.route: kind.owner for kind in KINDS.values() if kind.made is Made.ONCE}
    routes.update({kind.route: kind.owner for kind in FILES.values()})
    return routes
