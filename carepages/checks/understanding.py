"""Understandability: the automatable items of PEMAT-P (the Patient Education Materials Assessment Tool).

For an article of at least `min_words` words of body text:
- `understanding/no-headings`: no `##` sections to break it into chunks;
- `understanding/no-key-points`: no key points summarising it;
- `understanding/no-next-step`: no section or callout that tells the reader what to do next (a heading or
  callout title with one of the configured phrases, such as "Where to go next" or "When to get help").
For every passage: `understanding/natural-frequency`: a percentage with no natural frequency of about the
same size ("20%" and "1 in 5" or "20 in 100") in the same paragraph; most people understand "2 in 100"
better than "2%".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import Diagnostic
from ..markdown.callouts import callout_title
from ..model.site import Page
from .numbers import percentages_without_frequency
from .prose import BODY, passages
from .settings import CheckSettings


def structure(page: Page, settings: CheckSettings) -> Iterator[Diagnostic]:
    if page.kind.name != "article":
        return
    words = sum(len(p.text.split()) for p in passages(page, BODY))
    where = page.front.where("title")
    headings = page.parsed.body.headings
    rule = "understanding/no-headings"
    if words >= settings.option(rule, "min_words") and not any(h.level == 2 for h in headings):
        yield Diagnostic("warning", f"this article has {words} words but no '##' sections: break it into parts "
                         "with headings that say what each part is about", where, rule)
    rule = "understanding/no-key-points"
    if words >= settings.option(rule, "min_words") and not page.front.key_points:
        yield Diagnostic("warning", f"this article has {words} words but no key_points: add the three to five "
                         "things a reader should remember", where, rule)
    rule = "understanding/no-next-step"
    if words >= settings.option(rule, "min_words"):
        phrases = [re.compile(rf"\b{re.escape(p.lower())}\b") for p in settings.option(rule, "phrases")]
        titles = [h.text.lower() for h in headings] + [t.lower() for t in _callout_titles(page)]
        if not any(phrase.search(title) for title in titles for phrase in phrases):
            yield Diagnostic("warning", "this article does not say what to do next: end with a section such as "
                             "'Where to go next' or 'Questions to ask your team', or a 'When to get help' callout",
                             where, rule)


def _callout_titles(page: Page) -> list[str]:
    return [callout_title(t)[1] for t in page.parsed.body.tokens
            if t.type.startswith("container_") and t.type.endswith("_open")]


def natural_frequencies(page: Page, settings: CheckSettings) -> Iterator[Diagnostic]:
    lines = page.source.text.lines
    if not page.kind.needs_review:
        return  # plain pages (about, privacy) state no health facts
    for passage in passages(page):
        missing = percentages_without_frequency(passage.text)
        if missing:
            found = missing[0]
            more = f" (and {len(missing) - 1} more in this paragraph)" if len(missing) > 1 else ""
            yield Diagnostic("warning", f"'{' '.join(found.group().split())}' is a percentage with no natural "
                             f"frequency of the same size beside it{more}: add one, such as 'about 2 in 100 "
                             "people (2%)'", passage.location(found.start(), found.group(), lines),
                             "understanding/natural-frequency")
