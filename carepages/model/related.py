"""Related pages: the ones an author pinned first, then the ones sharing the most topics.

A simple, explainable ranking (ties broken by newer first, then title) that the fuller Hugo-style ranking
of a later release can replace without changing its inputs or output.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import Found, Problems
from ..fields import did_you_mean
from .site import Page


@dataclass(frozen=True)
class Candidate:
    route: str
    title: str
    topics: frozenset[str]
    sort_date: str  # ISO date, '' if unknown


def rank_related(page: Candidate, pinned: Sequence[str], candidates: Sequence[Candidate],
                 limit: int) -> tuple[str, ...]:
    """Routes of up to `limit` related pages for `page`; `pinned` routes (already checked to exist) come first."""
    chosen = [route for route in dict.fromkeys(pinned) if route != page.route]
    shown = max(limit, len(chosen))  # an author's pins are always shown
    taken = set(chosen)
    # `candidates` is expected in tie-break order (see `tie_break_order`), so a stable sort on the
    # number of shared topics alone gives the full ranking.
    scored = [(len(page.topics & other.topics), other.route) for other in candidates
              if other.route != page.route and other.route not in taken]
    scored = [item for item in scored if item[0]]
    scored.sort(key=lambda item: -item[0])
    chosen += [route for _, route in scored]
    return tuple(chosen[:shown])


def tie_break_order(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Newest first, then by title, then by route: the order among pages sharing as many topics."""
    by_title = sorted(candidates, key=lambda c: (c.title.lower(), c.route))
    return sorted(by_title, key=lambda c: c.sort_date, reverse=True)


def related_routes(pages: Sequence[Page], limit: int) -> Found[dict[str, tuple[str, ...]]]:
    """Route -> routes of its related pages: the author's pins (any page), then listed pages sharing topics."""
    problems = Problems()
    candidates = {p.route: Candidate(p.route, p.title, frozenset(t.slug for t in p.topics),
                                     _iso(p.front.updated or p.front.date))
                  for p in pages if p.kind.listed}
    ordered = tie_break_order(list(candidates.values()))
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
        me = candidates.get(page.route) or Candidate(page.route, page.title,
                                                     frozenset(t.slug for t in page.topics), "")
        result[page.route] = rank_related(me, pinned, ordered, limit)
    return Found(result, problems.diagnostics)


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""
