"""What templates receive: plain, frozen view data, with HTML already rendered.

Templates never reach into the model, so a theme can be rewritten without knowing how the engine works,
and everything a template can show is listed here. Each function is pure: it reads only its arguments.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from markupsafe import Markup

from ..bibliography import Reference, vancouver_html
from ..glossary import Term
from ..ids import HELP_CARD_ID, faq_id, glossary_letter_id, glossary_term_id, page_word_id, reference_id, source_id
from ..kinds import KINDS
from ..markdown import MarkdownEngine, ParsedMarkdown, RenderContext
from ..model.site import Page, Site, Topic
from ..routes import Router
from ..textutil import human_date

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
    phone_uri: str  # 'tel:01234567890', or '' when the number has no digits
    email: str
    address: str
    contact_html: Markup


@dataclass(frozen=True)
class SiteView:
    """The `site` every template gets: the site-wide values, with the current page marked in the menus."""

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
    favicon_url: str  # '' when the theme has no static/favicon.svg
    feed_url: str
    faq_url: str
    topics_url: str
    sources_url: str
    related_url: str
    locale: str  # Open Graph's form of the language: en_GB
    content_security_policy: str  # the part of render/headers.py's policy a <meta> tag can carry
    emergency_number: str = ""  # as written in site.toml: '999'
    emergency_tel: str = ""  # for a tel: link
    glossary_url: str = ""  # '' when the site has no glossary


@dataclass(frozen=True)
class PageMeta:
    title: str  # for <title>, without the site name
    description: str
    url: str  # root-relative
    canonical_url: str  # absolute
    jsonld: Markup
    kind: str
    draft: bool = False
    noindex: bool = False  # drafts, the 404 page, and pages for editors stay out of search engines
    og_type: str = "website"  # Open Graph type: 'article' for a page written in content/


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

    @property
    def count(self) -> int:
        return len(self.pages)


@dataclass(frozen=True)
class TopicEntry:
    """A topic as the home page lists it: a link, its description and how many pages it has."""

    topic: TopicView
    count: int


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
class WordView:
    """A glossary term an article uses, for its "Words used on this page" list (and the in-place meaning)."""

    id: str
    term: str
    abbreviations: tuple[str, ...]
    definition: str
    url: str  # its entry on the glossary page


@dataclass(frozen=True)
class GlossaryEntryView:
    id: str  # '' for a cross-reference ('CSF: see cerebrospinal fluid')
    term: str
    definition: str = ""
    abbreviations: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    see_url: str = ""
    see_title: str = ""
    target: str = ""  # a cross-reference's entry ('#term-cerebrospinal-fluid')
    target_term: str = ""


@dataclass(frozen=True)
class GlossaryGroup:
    letter: str
    id: str
    entries: tuple[GlossaryEntryView, ...]


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
    handout_url: str = ""  # the page's PDF handout, when the site is built with --handouts
    words: tuple[WordView, ...] = ()  # glossary terms used in the body, in order of first use
    care_jump: str = ""  # id of the page's first urgent advice (a phone shows a link to it at the top)


@dataclass(frozen=True)
class QuestionLink:
    question: str
    url: str  # the answer, on its page
    page: Teaser  # the page that answers it


@dataclass(frozen=True)
class QuestionGroup:
    topic: TopicView | None  # None: questions of pages that have no topic
    questions: tuple[QuestionLink, ...]


@dataclass(frozen=True)
class RelatedMatchView:
    page: Teaser
    score: str  # '1.21', or '' for a page the author pinned
    reason: str  # 'topics: Diagnosis, Spine MRI; keywords: lesion'
    pinned: bool
    shown: bool  # False: cut by the threshold or by the list's length


@dataclass(frozen=True)
class RelatedEntry:
    page: Teaser
    matches: tuple[RelatedMatchView, ...]
    more: int = 0  # candidates scored lower than those listed, left out (`related SLUG` lists them all)
    slug: str = ""


@dataclass(frozen=True)
class SourceView:
    id: str
    html: Markup
    cited_by: tuple[LinkView, ...]


def date_view(value: dt.date | None) -> DateView | None:
    return DateView(value.isoformat(), human_date(value)) if value else None


# -- made while planning, from the model (what a page reads of other pages) -----------------------------
def topic_view(topic: Topic) -> TopicView:
    return TopicView(topic.name, topic.url, topic.description)


def teaser(page: Page) -> Teaser:
    return Teaser(page.title, page.url, page.front.summary)


@dataclass(frozen=True)
class Listing:
    """What lists of pages read of every page, made once per plan: its teaser (one value, shown by every list
    that has the page, so it is made and digested once) and its place in reading order."""

    teasers: Mapping[str, Teaser]  # route -> teaser
    ranks: Mapping[str, int]  # route -> place in `reading_order` of all pages

    def order(self, pages: Iterable[Page]) -> list[Page]:
        """The same order as `reading_order` (a total order: routes differ), without recomputing its keys."""
        ranks = self.ranks
        return sorted(pages, key=lambda p: ranks[p.route])


def listing(site: Site) -> Listing:
    return Listing({p.route: teaser(p) for p in site.pages},
                   {p.route: rank for rank, p in enumerate(reading_order(site.pages))})


def topic_groups(site: Site, listing: Listing) -> tuple[TopicGroup, ...]:
    groups = [TopicGroup(topic_view(t), topic_teasers(site, t, listing)) for t in site.topics]
    return tuple(g for g in groups if g.pages)


def topic_teasers(site: Site, topic: Topic, listing: Listing) -> tuple[Teaser, ...]:
    return tuple(listing.teasers[p.route] for p in listing.order(site.by_topic.get(topic.slug, ())))


def topic_entries(site: Site) -> tuple[TopicEntry, ...]:
    counts = {t.slug: len(site.by_topic.get(t.slug, ())) for t in site.topics}
    return tuple(TopicEntry(topic_view(t), counts[t.slug]) for t in site.topics if counts[t.slug])


def start_here(site: Site, listing: Listing) -> tuple[Teaser, ...]:
    """The home page's short path into the site, in the order site.toml gives (see model/home.py)."""
    return tuple(listing.teasers[route] for route in site.start_here)


def untopical(site: Site, listing: Listing) -> tuple[Teaser, ...]:
    """Listed pages no topic lists, except those the home page already starts with."""
    started = set(site.start_here)
    return tuple(listing.teasers[p.route]
                 for p in listing.order(p for p in site.listed if not p.topics and p.route not in started))


def question_groups(site: Site, listing: Listing) -> tuple[QuestionGroup, ...]:
    """Every question answered on a listed page, grouped by the page's first topic (in the site's topic
    order), each linking to its answer; a page's questions stay together, in its reading order."""
    by_topic: dict[str | None, list[QuestionLink]] = {}
    for page in listing.order(site.listed):
        key = page.topics[0].slug if page.topics else None
        shown = listing.teasers[page.route]
        by_topic.setdefault(key, []).extend(QuestionLink(entry.question, f"{page.url}#{faq_id(i)}", shown)
                                            for i, entry in enumerate(page.front.faq))
    groups = [QuestionGroup(topic_view(t), tuple(by_topic[t.slug])) for t in site.topics if by_topic.get(t.slug)]
    if by_topic.get(None):
        groups.append(QuestionGroup(None, tuple(by_topic[None])))
    return tuple(groups)


def sources(site: Site, listing: Listing) -> tuple[SourceView, ...]:
    citing: dict[str, list[Page]] = {}
    for page in site.pages:
        for ref in page.references:
            citing.setdefault(ref.reference.key, []).append(page)
    views = []
    for key, pages in citing.items():
        reference = site.bibliography.entries[key]
        views.append((_source_sort_key(reference), SourceView(
            source_id(key), vancouver_html(reference),
            tuple(LinkView(p.title, p.url) for p in listing.order(pages)))))
    return tuple(view for _, view in sorted(views, key=lambda item: item[0]))


def related_entries(site: Site, listing: Listing) -> tuple[RelatedEntry, ...]:
    """For editors: every listed page with the pages considered for its related list, and why (its list,
    then the best candidates it left out)."""
    names = {t.slug: t.name for t in site.topics}
    entries = []
    for page in listing.order(site.listed):
        ranking = site.related.get(page.route)
        considered = ranking.matches if ranking else ()
        matches = []
        for match in considered:  # the list and the closest misses (the model keeps no more)
            terms = [f"{index}: " + ", ".join(names.get(t, t) if index == "topics" else t for t in shared)
                     for index, shared in match.shared.items()]
            matches.append(RelatedMatchView(listing.teasers[match.route],
                                            "" if match.pinned else f"{match.score:.2f}",
                                            "; ".join(terms), match.pinned, match.shown))
        entries.append(RelatedEntry(listing.teasers[page.route], tuple(matches),
                                    (ranking.considered if ranking else 0) - len(matches), page.slug))
    return tuple(entries)


def page_words(site: Site, page: Page) -> tuple[WordView, ...]:
    glossary_url = site.router.url(KINDS["glossary"].route_for())
    words = []
    for slug in page.parsed.body.terms:
        term = site.glossary.by_slug.get(slug)
        if term is not None:
            words.append(WordView(page_word_id(slug), _heading_case(term.term), term.abbreviations, term.definition,
                                  f"{glossary_url}#{glossary_term_id(slug)}"))
    return tuple(words)


def glossary_groups(site: Site) -> tuple[GlossaryGroup, ...]:
    """Every term A to Z (with a cross-reference under each abbreviation), grouped by first letter."""
    titles = {p.url: p.title for p in site.pages}
    entries: list[tuple[str, GlossaryEntryView]] = []
    for term in site.glossary.terms:
        entries.append((term.term, _glossary_entry(term, titles)))
        for short in term.abbreviations:
            entries.append((short, GlossaryEntryView("", short, target=f"#{glossary_term_id(term.slug)}",
                                                     target_term=term.term)))
    groups: dict[str, list[GlossaryEntryView]] = {}
    for name, entry in sorted(entries, key=lambda item: (_letter(item[0]), item[0].lower(), item[0])):
        groups.setdefault(_letter(name), []).append(entry)
    return tuple(GlossaryGroup("0-9" if letter == "0" else letter.upper(), glossary_letter_id(letter),
                               tuple(items)) for letter, items in sorted(groups.items()))


def _letter(name: str) -> str:
    first = name.strip()[:1].lower()
    return first if "a" <= first <= "z" else "0"


def _glossary_entry(term: Term, titles: dict[str, str]) -> GlossaryEntryView:
    title = titles.get(term.see_url.split("#", 1)[0], "") if term.see_url else ""
    return GlossaryEntryView(glossary_term_id(term.slug), _heading_case(term.term), term.definition,
                             term.abbreviations, term.synonyms, term.see_url, title)


def _heading_case(term: str) -> str:
    """'lesion' -> 'Lesion', where a term heads its entry."""
    return term[:1].upper() + term[1:]


def reading_order(pages: Iterable[Page]) -> list[Page]:
    """Pages with a `weight` first (lowest first), then the rest by title."""
    return sorted(pages, key=lambda p: (p.front.weight is None, p.front.weight or 0, p.title.lower(), p.route))


def _source_sort_key(reference: Reference) -> tuple[str, int, str]:
    first = reference.authors[0] if reference.authors else None
    name = (first.literal or first.family) if first else reference.title
    return (name.lower(), reference.year or 0, reference.title.lower())


# -- made while rendering one page ------------------------------------------------------------------------
def render_doc(engine: MarkdownEngine, page: Page, doc: ParsedMarkdown, router: Router | None = None,
               help_card_html: str = "") -> Markup:
    context = RenderContext(links=page.links, citation_numbers=page.citation_numbers,
                            citation_prefix=doc.id_prefix, router=router, help_card_html=help_card_html)
    return Markup(engine.render(doc, context))


def help_card_html(engine: MarkdownEngine, page: Page, router: Router | None = None) -> str:
    """The site-wide card as this page shows it: its citations carry the page's numbers."""
    card = page.help_card
    if card is None:
        return ""
    return engine.render(card.doc, RenderContext(links=card.links, citation_numbers=page.citation_numbers,
                                                 citation_prefix=card.doc.id_prefix, router=router))


def care_jump(page: Page) -> str:
    """The id of the page's first emergency or urgent advice, or ''."""
    for use in page.parsed.body.care:
        if use.level in {"help", "emergency", "urgent"}:
            return HELP_CARD_ID if use.level == "help" else use.id
    return ""


def article(engine: MarkdownEngine, page: Page, related: tuple[Teaser, ...], toc_min_headings: int,
            router: Router | None = None, handout_url: str = "", words: tuple[WordView, ...] = ()) -> ArticleView:
    parsed, front = page.parsed, page.front
    key_points = tuple(render_doc(engine, page, doc, router) for doc in parsed.key_points)
    faq = tuple(FaqView(faq_id(i), entry.question, render_doc(engine, page, doc, router))
                for i, (entry, doc) in enumerate(zip(front.faq, parsed.faq_answers, strict=True)))
    toc = tuple(TocEntry(h.id, h.text) for h in parsed.body.headings if h.level == 2)
    if len(toc) < toc_min_headings or toc_min_headings == 0:
        toc = ()
    references = tuple(ReferenceView(r.number, reference_id(r.number), vancouver_html(r.reference),
                                     tuple(f"#{ident}" for ident in r.citation_ids)) for r in page.references)
    word_count = parsed.body.words + sum(d.words for d in parsed.faq_answers)
    return ArticleView(
        layout=page.kind.name, title=front.title, summary=front.summary, key_points=key_points,
        body_html=render_doc(engine, page, parsed.body, router, help_card_html(engine, page, router)), toc=toc,
        date=date_view(front.date),
        updated=date_view(front.updated), last_reviewed=date_view(front.last_reviewed),
        next_review=date_view(page.next_review), reviewed_by=front.reviewed_by, authors=front.authors,
        audience=front.audience, topics=tuple(topic_view(t) for t in page.topics), faq=faq,
        references=references, related=related,
        reading_minutes=max(1, math.ceil(word_count / WORDS_PER_MINUTE)), draft=front.draft,
        handout_url=handout_url, words=words, care_jump=care_jump(page),
    )
