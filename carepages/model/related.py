"""Related pages: the ones an author pinned first, then the ones sharing the most topics.

A simple, explainable ranking (ties broken by newer first, then title) that the fuller Hugo-style ranking
of a later release can replace without changing its inputs or output.

It runs on an inverted index (topic -> pages, in tie-break order), never on every pair of pages. So that
the cost stays linear when one topic is on most pages, each topic's list is read only up to `SCAN_LIMIT`
pages (the newest first): past that, a page sharing only very common topics is not considered.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..errors import Found, Problems
from ..fields import did_you_mean
from .site import Page

SCAN_LIMIT = 200


@dataclass(frozen=True)
class Candidate:
    route: str
    title: str
    topics: frozenset[str]
    sort_date: str  # ISO date, '' if unknown


@dataclass(frozen=True)
class TopicIndex:
    """Candidates in tie-break order, and for each topic the positions (in that order) of its pages."""

    ordered: tuple[Candidate, ...]
    postings: Mapping[str, tuple[int, ...]]

    @classmethod
    def of(cls, candidates: Sequence[Candidate]) -> TopicIndex:
        ordered = tuple(tie_break_order(candidates))
        postings: dict[str, list[int]] = {}
        for rank, candidate in enumerate(ordered):
            for topic in sorted(candidate.topics):
                postings.setdefault(topic, []).append(rank)
        return cls(ordered, {topic: tuple(ranks) for topic, ranks in postings.items()})


def rank_related(page: Candidate, pinned: Sequence[str], index: TopicIndex, limit: int) -> tuple[str, ...]:
    """Routes of up to `limit` related pages for `page`; `pinned` routes (already checked to exist) come first."""
    chosen = [route for route in dict.fromkeys(pinned) if route != page.route]
    shown = max(limit, len(chosen))  # an author's pins are always shown
    taken = set(chosen)
    shared: Counter[int] = Counter()
    for topic in page.topics:
        shared.update(index.postings.get(topic, ())[:SCAN_LIMIT])
    # most shared topics first; among equals, the tie-break order (the rank)
    for rank, _count in sorted(shared.items(), key=lambda item: (-item[1], item[0])):
        route = index.ordered[rank].route
        if route != page.route and route not in taken:
            chosen.append(route)
            if len(chosen) >= shown:
                break
    return tuple(chosen[:shown])


def tie_break_order(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Newest first, then by title, then by route: the order among pages sharing as many topics."""
    by_title = sorted(candidates, key=lambda c: (c.title.lower(), c.route))
    return sorted(by_title, key=lambda c: c.sort_date, reverse=True)


def related_routes(pages: Sequence[Page], limit: int) -> Found[dict[str, tuple[str, ...]]]:
    """Route -> routes of its related pages: the author's pins (any page), then listed pages sharing topics."""
    problems = Problems()
    candidates = {p.route: _candidate(p, _iso(p.front.updated or p.front.date)) for p in pages if p.kind.listed}
    index = TopicIndex.of(list(candidates.values()))
    by_slug = {p.slug: p.route for p in pages}
    result: dict[str, tuple[str, ...]] = {}
    for page in pages:
        pinned = []
        for item in page.front.related:
            route = by_slug.get(item.value)
            if route is None:
                problems.warn(f"related page '{item.value}' does not exist{did_you_mean(item.value, by_slug)}",
                              item.location, rule="related/unknown")
            else:
                pinned.append(route)
        me = candidates.get(page.route) or _candidate(page, "")
        result[page.route] = rank_related(me, pinned, index, limit)
    return Found(result, problems.diagnostics)


def _candidate(page: Page, sort_date: str) -> Candidate:
    return Candidate(page.route, page.title, frozenset(t.slug for t in page.topics), sort_date)


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""
