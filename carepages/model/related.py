"""Related pages: the ones an author pinned first, then the ones sharing the most topics.

A simple, explainable ranking (ties broken by newer first, then title) that the fuller Hugo-style ranking
of a later release can replace without changing its inputs or output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


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
