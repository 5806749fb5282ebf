"""The related-page ranking against the formula itself, computed the slow way: every pair of pages, every
shared term. The fast ranking (bit sets split into groups of pages that share the same terms, only the
closest misses kept) must give the same pages, in the same order, with the same scores, on a site where
many pages tie."""

from __future__ import annotations

import math
import random

import pytest

from carepages.model.related import (
    INDEXES,
    Candidate,
    RelatedSettings,
    TermIndex,
    rank_related,
    tie_break_order,
)


def _site(seed: int, pages: int) -> list[Candidate]:
    rng = random.Random(seed)
    topics = [f"topic-{n}" for n in range(4)]  # few topics: each is on hundreds of pages, and many tie
    keywords = [f"kw-{n}" for n in range(80)]
    return [Candidate(f"articles/p{n}/", f"Page {rng.randrange(50)}",
                      {"topics": frozenset(rng.sample(topics, rng.randint(1, 3))),
                       "keywords": frozenset(rng.sample(keywords, rng.randint(0, 5)))},
                      f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}")
            for n in range(pages)]


def _by_formula(page: Candidate, pinned: list[str], candidates: list[Candidate], settings: RelatedSettings):
    """score(P, C) = sum over indexes of weight * sum over shared terms of ln(N / pages with the term), for
    every page that shares a counted term."""
    ordered = tie_break_order(candidates)
    n = len(ordered)
    having = {(name, t): [c for c in ordered if t in c.terms.get(name, ())]
              for c in ordered for name in INDEXES for t in c.terms.get(name, ())}
    reached = {c.route for name in INDEXES if settings.weights.get(name, 0) for t in page.terms.get(name, ())
               for c in having.get((name, t), [])}
    scored = []
    for rank, other in enumerate(ordered):
        if other.route not in reached or other.route == page.route or other.route in pinned:
            continue
        score = 0.0
        for name in INDEXES:
            total = 0.0
            for t in sorted(page.terms.get(name, frozenset()) & other.terms.get(name, frozenset())):
                count = len(having[(name, t)])
                total += 0.0 if count > settings.common * n else math.log(n / count)
            score += settings.weights.get(name, 0) * total
        scored.append((-round(score, 9), rank, other.route, score))
    return [(route, score) for *_, route, score in sorted(scored)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_ranking_is_the_formula(seed: int) -> None:
    candidates = _site(seed, 450)
    index = TermIndex.of(candidates)
    settings = RelatedSettings(count=4, weights={"topics": 1.0, "keywords": 2.5}, threshold=0.4, common=0.9)
    rng = random.Random(seed)
    for page in rng.sample(candidates, 25):
        pinned = [c.route for c in rng.sample(candidates, rng.randint(0, 2))]
        expected = _by_formula(page, pinned, candidates, settings)
        full = rank_related(page, pinned, index, settings, misses=None)
        unpinned = [m for m in full.matches if not m.pinned]
        assert [(m.route, m.score) for m in unpinned] == expected
        assert full.considered == len(full.matches)
        # the list: the best `count` (after pins) at or over the threshold
        room = settings.count - len([m for m in full.matches if m.pinned])
        assert [m.route for m in unpinned if m.shown] == [r for r, s in expected if s >= 0.4 and s > 0][:room]
        # the model's copy: the same list and the closest five misses, and the true count of pages considered
        kept = rank_related(page, pinned, index, settings)
        assert kept.matches == full.matches[:len(kept.matches)]
        assert len([m for m in kept.matches if not m.shown and not m.pinned]) == min(
            5, len([m for m in unpinned if not m.shown]))
        assert kept.considered == full.considered


def test_shared_terms_are_named_for_each_match() -> None:
    candidates = _site(7, 60)
    index = TermIndex.of(candidates)
    page = candidates[0]
    for match in rank_related(page, [], index, RelatedSettings(), misses=None).matches:
        other = next(c for c in candidates if c.route == match.route)
        for name in INDEXES:
            assert match.shared.get(name, ()) == tuple(sorted(page.terms[name] & other.terms[name]))
