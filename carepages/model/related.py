"""Related pages, ranked the way Hugo's `related` does it, and explainably.

For a page P and another listed page C, each *index* (topics, keywords) adds its weight times the rarity of
every term P and C share:

    score(P, C) = sum over indexes i of  weight_i * sum over shared terms t of  ln(N / pages_with(t))

where N is the number of listed pages. A term on every page adds nothing (ln 1 = 0) and a term on one page
in ten adds ln 10 = 2.3, so a topic most pages carry cannot dominate; a term on more than the `common`
share of the pages adds nothing at all (by default only a term on every page). Pages scoring below `threshold` are
left out rather than padding the list. The author's `related:` pins come first, always; then the others
by score, newer first among equals, then by title. Drafts and the page itself never appear.

It runs on an inverted index (term -> pages), never on every pair of pages, and reads each term's list
only up to `SCAN_LIMIT` pages (the newest first), so the cost stays linear when a term is on most pages.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from ..config import RelatedConfig
from ..errors import Found, Problems
from ..fields import did_you_mean
from .site import Page

SCAN_LIMIT = 200
_NONE: frozenset[str] = frozenset()
INDEXES = ("topics", "keywords")


@dataclass(frozen=True)
class RelatedSettings:
    count: int = 3
    weights: Mapping[str, float] = field(default_factory=lambda: {"topics": 1.0, "keywords": 1.0})
    threshold: float = 0.4  # a term on more than two pages in three scores less (ln 1.5 = 0.405)
    common: float = 1.0  # a term on more than this share of the pages scores nothing

    @classmethod
    def of(cls, config: RelatedConfig) -> RelatedSettings:
        """site.toml's [related] table."""
        return cls(config.count, dict(config.weights), config.threshold, config.common)


@dataclass(frozen=True)
class Candidate:
    route: str
    title: str
    terms: Mapping[str, frozenset[str]]  # index -> terms
    sort_date: str  # ISO date, '' if unknown


@dataclass(frozen=True)
class Match:
    """Why a page is related: its score and the terms it shares, per index."""

    route: str
    score: float
    shared: Mapping[str, tuple[str, ...]]
    pinned: bool = False
    shown: bool = True  # False: below the threshold, or beyond the list's length


@dataclass(frozen=True)
class TermIndex:
    """Candidates in tie-break order, and for each (index, term) the positions of the pages that have it."""

    ordered: tuple[Candidate, ...]
    postings: Mapping[tuple[str, str], tuple[int, ...]]
    rank_of: Mapping[str, int] = field(default_factory=dict)  # route -> position in `ordered`

    @classmethod
    def of(cls, candidates: Sequence[Candidate]) -> TermIndex:
        ordered = tuple(tie_break_order(candidates))
        postings: dict[tuple[str, str], list[int]] = {}
        for rank, candidate in enumerate(ordered):
            for index in INDEXES:
                for term in sorted(candidate.terms.get(index, ())):
                    postings.setdefault((index, term), []).append(rank)
        return cls(ordered, {key: tuple(ranks) for key, ranks in postings.items()},
                   {c.route: rank for rank, c in enumerate(ordered)})

    def rarity(self, index: str, term: str, common: float = 1.0) -> float:
        """ln(N / pages with the term); 0 for a term on more than the `common` share of the N pages."""
        pages = len(self.postings.get((index, term), ()))
        if not pages or pages > common * len(self.ordered):
            return 0.0
        return math.log(len(self.ordered) / pages)


@dataclass(frozen=True)
class Ranking:
    """A page's related list and the closest pages it left out, best first (see `Match.shown`), and how many
    pages were considered in all. The model keeps only the closest `MISSES_KEPT` misses: keeping every
    candidate of every page grows with the square of the site."""

    matches: tuple[Match, ...]
    considered: int

    def __iter__(self) -> Iterator[Match]:
        return iter(self.matches)


MISSES_KEPT = 5


def rank_related(page: Candidate, pinned: Sequence[str], index: TermIndex, settings: RelatedSettings,
                 misses: int | None = MISSES_KEPT) -> Ranking:
    """The pages considered for `page`, best first: pinned ones, the list (`shown`), then at most `misses`
    of the pages left out (None: all of them).

    Scores are summed per candidate from the postings of this page's own terms (never by intersecting term
    sets page by page), in the order of the formula in the module docstring, so they are the same floats."""
    matches = [Match(route, 0.0, {}, pinned=True) for route in dict.fromkeys(pinned) if route != page.route]
    taken = {m.route for m in matches} | {page.route}
    ordered = index.ordered
    taken_ranks = {index.rank_of[route] for route in taken if route in index.rank_of}
    weights = [settings.weights.get(name, 0) for name in INDEXES]
    mine = [sorted(page.terms.get(name, _NONE)) if weight else []
            for name, weight in zip(INDEXES, weights, strict=True)]
    ranks: set[int] = set()  # every page sharing a term, reached through the first SCAN_LIMIT of each term's list
    for name, terms in zip(INDEXES, mine, strict=True):
        for term in terms:
            ranks.update(index.postings.get((name, term), ())[:SCAN_LIMIT])
    ranks -= taken_ranks
    sums: list[dict[int, float]] = []  # per index: rank -> the sum of the rarities of the terms it shares
    for name, terms in zip(INDEXES, mine, strict=True):
        acc: dict[int, float] = {}
        for term in terms:  # in sorted order, as `sorted(shared)` adds them
            rarity = index.rarity(name, term, settings.common)
            postings = index.postings.get((name, term), ())
            if len(postings) <= SCAN_LIMIT:
                for rank in postings:
                    acc[rank] = acc.get(rank, 0.0) + rarity
            else:  # a term on many pages: ask each page reached instead of reading its whole list
                for rank in ranks:
                    if term in ordered[rank].terms.get(name, _NONE):
                        acc[rank] = acc.get(rank, 0.0) + rarity
        sums.append(acc)
    (w_topics, w_keywords), (topics, keywords) = weights, sums  # INDEXES

    def score(rank: int) -> float:  # = sum([w_topics * ..., w_keywords * ...]): the same float
        return w_topics * topics.get(rank, 0.0) + w_keywords * keywords.get(rank, 0.0)

    scored = [(-round(score(rank), 9), rank) for rank in ranks]
    pins = len(matches)
    room = max(settings.count - pins, 0)
    wanted = len(scored) if misses is None else room + misses
    best = heapq.nsmallest(wanted, scored) if wanted < len(scored) else sorted(scored)
    left_out = 0
    for _, rank in best:
        points = score(rank)
        keep = points >= settings.threshold and points > 0 and room > 0
        room -= keep
        if not keep:
            left_out += 1
            if misses is not None and left_out > misses:
                break
        matches.append(Match(ordered[rank].route, points, _shared(page, ordered[rank]), shown=keep))
    return Ranking(tuple(matches), pins + len(scored))


def _shared(page: Candidate, other: Candidate) -> dict[str, tuple[str, ...]]:
    """The terms the two pages share, per index."""
    shared = {}
    for name in INDEXES:
        common = tuple(sorted(page.terms.get(name, _NONE) & other.terms.get(name, _NONE)))
        if common:
            shared[name] = common
    return shared


def tie_break_order(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Newest first, then by title, then by route: the order among pages with equal scores."""
    by_title = sorted(candidates, key=lambda c: (c.title.lower(), c.route))
    return sorted(by_title, key=lambda c: c.sort_date, reverse=True)


def related_matches(pages: Sequence[Page], settings: RelatedSettings, *, misses: int | None = MISSES_KEPT,
                    only: str | None = None) -> Found[dict[str, Ranking]]:
    """Route -> its ranking: its related list, then at most `misses` of the pages it left out (None: every
    page considered). `only`: rank just the page with that route (as `related SLUG` explains it)."""
    problems = Problems()
    listed = [p for p in pages if p.kind.listed and not p.front.draft]
    candidates = {p.route: candidate(p) for p in listed}
    index = TermIndex.of(list(candidates.values()))
    by_slug = {p.slug: p for p in pages}
    result: dict[str, tuple[Match, ...]] = {}
    for page in pages:
        if only is not None and page.route != only:
            continue
        pinned = []
        for item in page.front.related:
            target = by_slug.get(item.value)
            if target is None:
                problems.warn(f"related page '{item.value}' does not exist{did_you_mean(item.value, by_slug)}",
                              item.location, rule="related/unknown")
            elif target.front.draft and not page.front.draft:
                problems.warn(f"related page '{item.value}' is a draft; it is left out until it is published",
                              item.location, rule="related/unknown")
            else:
                pinned.append(target.route)
        me = candidates.get(page.route) or candidate(page)
        result[page.route] = rank_related(me, pinned, index, settings, misses)
    return Found(result, problems.diagnostics)


def candidate(page: Page) -> Candidate:
    terms = {"topics": frozenset(t.slug for t in page.topics),
             "keywords": frozenset(k.value for k in page.front.keywords)}
    return Candidate(page.route, page.title, terms, _iso(page.front.updated or page.front.date))


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""
