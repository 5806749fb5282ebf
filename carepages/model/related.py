"""Related pages, ranked the way Hugo's `related` does it, and explainably.

For a page P and another listed page C, each *index* (topics, keywords) adds its weight times the rarity of
every term P and C share:

    score(P, C) = sum over indexes i of  weight_i * sum over shared terms t of  ln(N / pages_with(t))

where N is the number of listed pages. A term on every page adds nothing (ln 1 = 0) and a term on one page
in ten adds ln 10 = 2.3, so a topic most pages carry cannot dominate; a term on more than the `common`
share of the pages adds nothing at all (by default only a term on every page). Pages scoring below `threshold` are
left out rather than padding the list. The author's `related:` pins come first, always; then the others
by score, newer first among equals, then by title. Drafts and the page itself never appear.

Every page that shares a counted term with P is considered. The ranking never visits pairs of pages: each
term's pages are a bit set (bit r: the page at position r of the tie-break order), and the pages sharing
something with P are split, term by term, into groups that share exactly the same of P's terms. A group's
pages all have the same score, computed once; within a group, the tie-break order is the order of the bits.
So a page costs a few operations on bit sets per group (at most two per term and group), whatever the
number of pages a term is on.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from ..config import RelatedConfig
from ..errors import Found, Problems
from ..fields import did_you_mean
from .site import Page

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
    pages: Mapping[tuple[str, str], int] = field(default_factory=dict)  # (index, term) -> bit set of positions

    @classmethod
    def of(cls, candidates: Sequence[Candidate]) -> TermIndex:
        ordered = tuple(tie_break_order(candidates))
        postings: dict[tuple[str, str], list[int]] = {}
        for rank, candidate in enumerate(ordered):
            for index in INDEXES:
                for term in sorted(candidate.terms.get(index, ())):
                    postings.setdefault((index, term), []).append(rank)
        return cls(ordered, {key: tuple(ranks) for key, ranks in postings.items()},
                   {c.route: rank for rank, c in enumerate(ordered)},
                   {key: _bit_set(ranks, len(ordered)) for key, ranks in postings.items()})

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
    of the pages left out (None: all of them). See the module docstring for how."""
    matches = [Match(route, 0.0, {}, pinned=True) for route in dict.fromkeys(pinned) if route != page.route]
    taken = _bit_set([index.rank_of[r] for r in (page.route, *(m.route for m in matches)) if r in index.rank_of],
                     len(index.ordered))
    terms = [(name, term) for name in INDEXES if settings.weights.get(name, 0)
             for term in sorted(page.terms.get(name, _NONE))]
    sharing = 0
    for key in terms:
        sharing |= index.pages.get(key, 0)
    sharing &= ~taken
    groups = [(0, sharing)] if sharing else []  # (which of `terms` its pages share, as bits; its pages)
    for position, key in enumerate(terms):
        having, split = index.pages.get(key, 0), []
        for shared, members in groups:
            if members & having:
                split.append((shared | 1 << position, members & having))
            if members & ~having:
                split.append((shared, members & ~having))
        groups = split
    rarities = {key: index.rarity(*key, settings.common) for key in terms}
    by_score: dict[float, list[tuple[float, int]]] = {}  # rounded score -> its groups: (score, their pages)
    for shared, members in groups:
        points = _score([key for position, key in enumerate(terms) if shared >> position & 1], rarities,
                        settings.weights)
        by_score.setdefault(round(points, 9), []).append((points, members))
    pins = len(matches)
    room = max(settings.count - pins, 0)
    left_out = 0
    for rounded in sorted(by_score, reverse=True):  # equal scores: in the tie-break order, across groups
        tied = by_score[rounded]
        members = 0
        for _, group in tied:
            members |= group
        while members:
            lowest = members & -members
            members ^= lowest
            other = index.ordered[lowest.bit_length() - 1]
            points = next(value for value, group in tied if group & lowest)
            keep = points >= settings.threshold and points > 0 and room > 0
            room -= keep
            if not keep:
                left_out += 1
                if misses is not None and left_out > misses:
                    return Ranking(tuple(matches), pins + sharing.bit_count())
            matches.append(Match(other.route, points, _shared(page, other), shown=keep))
    return Ranking(tuple(matches), pins + sharing.bit_count())


def _score(shared: Sequence[tuple[str, str]], rarities: Mapping[tuple[str, str], float],
           weights: Mapping[str, float]) -> float:
    """The formula, added up in its order: per index, the rarities of the shared terms in sorted order."""
    parts = []
    for name in INDEXES:
        total = 0.0
        for key in shared:
            if key[0] == name:
                total += rarities[key]
        parts.append(weights.get(name, 0) * total)
    return sum(parts)


def _bit_set(positions: Sequence[int], size: int) -> int:
    bits = bytearray((size + 8) // 8)
    for position in positions:
        bits[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(bits, "little")


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
