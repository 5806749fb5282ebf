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


def rank_related(page: Candidate, pinned: Sequence[str], candidates: Sequence[Candidate], limit: int) -> tuple[str, ...]:
    """Routes of up to `limit` related pages for `page`; `pinned` routes (already checked to exist) come first."""
    chosen = [route for route in dict.fromkeys(pinned) if route != page.route]
    shown = max(limit, len(chosen))  # an author's pins are always shown
    scored = []
    for other in candidates:
        if other.route == page.route or other.route in chosen:
            continue
        shared = len(page.topics & other.topics)
        if shared:
            scored.append((-shared, _newest_first(other.sort_date), other.title.lower(), other.route))
    chosen += [route for *_, route in sorted(scored)]
    return tuple(chosen[:shown])


def _newest_first(iso_date: str) -> str:
    # Invert each digit so that sorting ascending puts later dates first, keeping the sort key a string.
    return "".join(chr(ord("9") - ord(ch) + ord("0")) if ch.isdigit() else ch for ch in iso_date) or "~"
