"""What templates receive: plain, frozen view data made from the model, with HTML already rendered.

Templates never reach into the model, so a theme can be rewritten without knowing how the engine works,
and everything a template can show is listed here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from ..bibliography import Reference, vancouver_html
from ..markdown import MarkdownEngine, ParsedMarkdown, RenderContext
from ..model.build import faq_anchor
from ..model.site import Page, Site, SiteText, Topic
from ..routes import FAQ, FEED, HOME, SOURCES, TOPICS
from ..textutil import human_date, plain_text
from . import jsonld

WORDS_PER_MINUTE = 200


@dataclass(frozen=True)
class LinkView:
    title: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class OrganisationView:
    name: str
    url: str
    phone: str
    email: str
    address: str
    contact_html: Markup


@dataclass(frozen=True)
class SiteView:
    title: str
    tagline: str
    language: str
    home_url: str
    nav: tuple[LinkView, ...]
    footer_links: tuple[LinkView, ...]
    organisation: OrganisationView
    emergency_html: Markup
    disclaimer_html: Markup
    stylesheet_url: str
    script_url: str
    feed_url: str
    faq_url: str
    topics_url: str
    sources_url: str


@dataclass(frozen=True)
class PageMeta:
    title: str  # for <title>, without the site name
    description: str
    url: str  # root-relative
    canonical_url: str  # absolute
    jsonld: Markup
    kind: str
    draft: bool = False


@dataclass(frozen=True)
class DateView:
    iso: str
    text: str


@dataclass(frozen=True)
class TopicView:
    name: str
    url: str
    description: str


@dataclass(frozen=True)
class Teaser:
    title: str
    url: str
    summary: str


@dataclass(frozen=True)
class TopicGroup:
    topic: TopicView
    pages: tuple[Teaser, ...]


@dataclass(frozen=True)
class TocEntry:
    id: str
    text: str


@dataclass(frozen=True)
class FaqView:
    id: str
    question: str
    answer_html: Markup


@dataclass(frozen=True)
class ReferenceView:
    number: int
    id: str
    html: Markup
    backlinks: tuple[str, ...]  # '#cite-3', in order of appearance


@dataclass(frozen=True)
class ArticleView:
    layout: str
    title: str
    summary: str
    key_points: tuple[Markup, ...]
    body_html: Markup
    toc: tuple[TocEntry, ...]
    date: DateView | None
    updated: DateView | None
    last_reviewed: DateView | None
    next_review: DateView | None
    reviewed_by: str
    authors: tuple[str, ...]
    audience: str
    topics: tuple[TopicView, ...]
    faq: tuple[FaqView, ...]
    references: tuple[ReferenceView, ...]
    related: tuple[Teaser, ...]
    reading_minutes: int
    draft: bool


@dataclass(frozen=True)
class QuestionLink:
    question: str
    url: str


@dataclass(frozen=True)
class QuestionGroup:
    page: Teaser
    questions: tuple[QuestionLink, ...]


@dataclass(frozen=True)
class SourceView:
    id: str
    html: Markup
    cited_by: tuple[LinkView, ...]


def _date(value: dt.date | None) -> DateView | None:
    return DateView(value.isoformat(), human_date(value)) if value else None


class ViewBuilder:
    """Makes view data for one site; renders Markdown with the links and numbers the model decided."""

    def __init__(self, site: Site, engine: MarkdownEngine) -> None:
        self.site = site
        self.engine = engine
        self.router = site.router
        self._texts: dict[str, Markup] = {}

    # -- site-wide ---------------------------------------------------------------------------------------
    def text_html(self, name: str) -> Markup:
        """A site.toml Markdown text as HTML (rendered once, then reused on every page)."""
        if name not in self._texts:
            text: SiteText | None = self.site.texts.get(name)
            self._texts[name] = Markup(self.engine.render(text.doc, RenderContext(links=text.links))) \
                if text else Markup("")
        return self._texts[name]

    def site_view(self, current_url: str) -> SiteView:
        site, router = self.site, self.router
        org = site.config.organisation
        return SiteView(
            title=site.config.title, tagline=site.config.tagline, language=site.config.language,
            home_url=router.url(HOME),
            nav=tuple(LinkView(n.title, n.url, n.url == current_url) for n in site.nav),
            footer_links=tuple(LinkView(n.title, n.url, n.url == current_url) for n in site.footer_links),
            organisation=OrganisationView(org.name, org.url, org.phone, org.email, org.address,
                                          self.text_html("contact")),
            emergency_html=self.text_html("emergency"), disclaimer_html=self.text_html("disclaimer"),
            stylesheet_url=self.static_url("css/site.css"), script_url=self.static_url("js/site.js"),
            feed_url=router.url(FEED), faq_url=router.url(FAQ), topics_url=router.url(TOPICS),
            sources_url=router.url(SOURCES),
        )

    def static_url(self, rel: str) -> str:
        route = f"static/{rel}"
        version = self.site.static_versions.get(route)
        return self.router.url(route) + (f"?v={version}" if version else "")

    def meta(self, title: str, description: str, route: str, kind: str, data: Markup,
             draft: bool = False) -> PageMeta:
        return PageMeta(title, description, self.router.url(route), self.router.absolute(route), data, kind, draft)

    # -- pieces ------------------------------------------------------------------------------------------
    def topic_view(self, topic: Topic) -> TopicView:
        return TopicView(topic.name, self.router.url(topic.route), topic.description)

    def teaser(self, page: Page) -> Teaser:
        return Teaser(page.title, self.router.url(page.route), page.front.summary)

    def render_doc(self, page: Page, doc: ParsedMarkdown, prefix: str) -> Markup:
        context = RenderContext(links=page.links, citation_numbers=page.citation_numbers, citation_prefix=prefix)
        return Markup(self.engine.render(doc, context))

    # -- pages -------------------------------------------------------------------------------------------
    def article(self, page: Page) -> ArticleView:
        parsed, front = page.parsed, page.front
        docs = dict((id(doc), prefix) for prefix, doc in parsed.documents())
        key_points = tuple(self.render_doc(page, doc, docs[id(doc)]) for doc in parsed.key_points)
        faq = tuple(FaqView(faq_anchor(i), entry.question, self.render_doc(page, doc, docs[id(doc)]))
                    for i, (entry, doc) in enumerate(zip(front.faq, parsed.faq_answers, strict=True)))
        toc = tuple(TocEntry(h.id, h.text) for h in parsed.body.headings if h.level == 2)
        if len(toc) < self.site.config.toc_min_headings or self.site.config.toc_min_headings == 0:
            toc = ()
        references = tuple(ReferenceView(r.number, f"ref-{r.number}", vancouver_html(r.reference),
                                         tuple(f"#{ident}" for ident in r.citation_ids)) for r in page.references)
        words = parsed.body.words + sum(d.words for d in parsed.faq_answers)
        return ArticleView(
            layout=page.layout, title=front.title, summary=front.summary, key_points=key_points,
            body_html=self.render_doc(page, parsed.body, ""), toc=toc, date=_date(front.date),
            updated=_date(front.updated), last_reviewed=_date(front.last_reviewed),
            next_review=_date(page.next_review), reviewed_by=front.reviewed_by, authors=front.authors,
            audience=front.audience, topics=tuple(self.topic_view(t) for t in page.topics), faq=faq,
            references=references,
            related=tuple(self.teaser(self.site.by_route[r]) for r in page.related),
            reading_minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)), draft=front.draft,
        )

    def article_meta(self, page: Page, article: ArticleView) -> PageMeta:
        answers = [plain_text(item.answer_html) for item in article.faq]
        return self.meta(page.title, page.front.summary, page.route, page.layout,
                         jsonld.medical_web_page(self.site, page, answers), page.front.draft)

    def topic_groups(self) -> tuple[TopicGroup, ...]:
        groups = [TopicGroup(self.topic_view(t), tuple(self.teaser(p) for p in _by_title(self.site.pages_in(t))))
                  for t in self.site.topics]
        return tuple(g for g in groups if g.pages)

    def untopical(self) -> tuple[Teaser, ...]:
        return tuple(self.teaser(p) for p in _by_title([a for a in self.site.articles if not a.topics]))

    def topic_pages(self, topic: Topic) -> tuple[Teaser, ...]:
        return tuple(self.teaser(p) for p in _by_title(self.site.pages_in(topic)))

    def faq_groups(self) -> tuple[QuestionGroup, ...]:
        """Questions answered on other pages, grouped by page, each linking to its answer."""
        groups = []
        for page in _by_title(self.site.articles):
            if not page.front.faq:
                continue
            questions = tuple(QuestionLink(entry.question, self.router.url(page.route, faq_anchor(i)))
                              for i, entry in enumerate(page.front.faq))
            groups.append(QuestionGroup(self.teaser(page), questions))
        return tuple(groups)

    def sources(self) -> tuple[SourceView, ...]:
        citing: dict[str, list[Page]] = {}
        for page in self.site.pages:
            for ref in page.references:
                citing.setdefault(ref.reference.key, []).append(page)
        views = []
        for key, pages in citing.items():
            reference = self.site.bibliography.entries[key]
            views.append((_source_sort_key(reference), SourceView(
                source_id(key), vancouver_html(reference),
                tuple(LinkView(p.title, self.router.url(p.route)) for p in _by_title(pages)))))
        return tuple(view for _, view in sorted(views, key=lambda item: item[0]))


def source_id(key: str) -> str:
    return "source-" + "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in key)


def _source_sort_key(reference: Reference) -> tuple[str, int, str]:
    first = reference.authors[0] if reference.authors else None
    name = (first.literal or first.family) if first else reference.title
    return (name.lower(), reference.year or 0, reference.title.lower())


def _by_title(pages: Iterable[Page]) -> list[Page]:
    """Reading order: pages with a `weight` first (lowest first), then the rest by title."""
    return sorted(pages, key=lambda p: (p.front.weight is None, p.front.weight or 0, p.title.lower(), p.route))
