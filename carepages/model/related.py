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
import math
from collections.abc import Mapping, Sequence
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

    @classmethod
    def of(cls, candidates: Sequence[Candidate]) -> TermIndex:
        ordered = tuple(tie_break_order(candidates))
        postings: dict[tuple[str, str], list[int]] = {}
        for rank, candidate in enumerate(ordered):
            for index in INDEXES:
                for term in sorted(candidate.terms.get(index, ())):
                    postings.setdefault((index, term), []).append(rank)
        return cls(ordered, {key: tuple(ranks) for key, ranks in postings.items()})

    def rarity(self, index: str, term: str, common: float = 1.0) -> float:
        """ln(N / pages with the term); 0 for a term on more than the `common` share of the N pages."""
        pages = len(self.postings.get((index, term), ()))
        if not pages or pages > common * len(self.ordered):
            return 0.0
        return math.log(len(self.ordered) / pages)


def rank_related(page: Candidate, pinned: Sequence[str], index: TermIndex,
                 settings: RelatedSettings) -> tuple[Match, ...]:
    """Every page considered for `page`, best first; those with `shown` make its list."""
    matches = [Match(route, 0.0, {}, pinned=True) for route in dict.fromkeys(pinned) if route != page.route]
    taken = {m.route for m in matches} | {page.route}
    ranks: set[int] = set()
    for name in INDEXES:
        if settings.weights.get(name, 0):
            for term in page.terms.get(name, ()):
                ranks.update(index.postings.get((name, term), ())[:SCAN_LIMIT])
    scored = []
    mine = [(name, page.terms.get(name, _NONE), settings.weights.get(name, 0)) for name in INDEXES]
    # every shared term is one of this page's: their rarity once, not once per page considered
    rarities = {(name, t): index.rarity(name, t, settings.common) for name, terms, _ in mine for t in terms}
    for rank in sorted(ranks):
        other = index.ordered[rank]
        if other.route in taken:
            continue
        shared: dict[str, tuple[str, ...]] = {}
        parts = []
        for name, terms, weight in mine:
            common = tuple(sorted(terms & other.terms.get(name, _NONE))) if terms else ()
            if common:
                shared[name] = common
            # the same sums, in the same order, as the formula in the module docstring: the same floats
            parts.append(weight * sum([rarities.get((name, t), 0.0) for t in common]))
        score = sum(parts)
        scored.append((-round(score, 9), rank, other.route, score, shared))
    room = max(settings.count - len(matches), 0)
    scored.sort(key=lambda item: item[:2])
    for _, _, route, score, shared in scored:
        keep = score >= settings.threshold and score > 0 and room > 0
        room -= keep
        matches.append(Match(route, score, shared, shown=keep))
    return tuple(matches)


def tie_break_order(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Newest first, then by title, then by route: the order among pages with equal scores."""
    by_title = sorted(candidates, key=lambda c: (c.title.lower(), c.route))
    return sorted(by_title, key=lambda c: c.sort_date, reverse=True)


def related_matches(pages: Sequence[Page], settings: RelatedSettings) -> Found[dict[str, tuple[Match, ...]]]:
    """Route -> every page considered for its related list, best first (see `Match.shown`)."""
    problems = Problems()
    listed = [p for p in pages if p.kind.listed and not p.front.draft]
    candidates = {p.route: candidate(p) for p in listed}
    index = TermIndex.of(list(candidates.values()))
    by_slug = {p.slug: p for p in pages}
    result: dict[str, tuple[Match, ...]] = {}
    for page in pages:
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
        result[page.route] = rank_related(me, pinned, index, settings)
    return Found(result, problems.diagnostics)


def related_routes(pages: Sequence[Page], settings: RelatedSettings) -> Found[dict[str, tuple[str, ...]]]:
    found = related_matches(pages, settings)
    return Found({route: tuple(m.route for m in matches if m.shown) for route, matches in found.value.items()},
                 found.diagnostics)


def candidate(page: Page) -> Candidate:
    terms = {"topics": frozenset(t.slug for t in page.topics),
             "keywords": frozenset(k.value for k in page.front.keywords)}
    return Candidate(page.route, page.title, terms, _iso(page.front.updated or page.front.date))


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""
