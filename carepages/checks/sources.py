"""Sources: an article says where its facts come from.

`sources/no-references`: an article that cites nothing. `sources/number-without-citation`: a key point or
paragraph that states a number (a percentage, "1 in 5", "3 out of 10") with no citation in the same
paragraph. Unknown and unused citations are the build's `citations/unknown-key`, `citations/uncited` and
`bibliography/unused`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from ..model.site import Page
from .numbers import states_a_number
from .prose import passages
from .settings import CheckSettings


def no_references(page: Page, settings: CheckSettings) -> Iterator[Diagnostic]:
    if page.kind.name == "article" and not page.references:
        yield Diagnostic("warning", "this article cites no sources: cite the evidence for its facts with "
                         "[@key] (see 'Citing sources' in the README)", page.front.where("title"),
                         "sources/no-references")


def numbers_without_citation(page: Page, settings: CheckSettings) -> Iterator[Diagnostic]:
    if not page.kind.needs_review:
        return  # plain pages (about, privacy) state no health facts
    for passage in passages(page):
        if passage.cited or passage.quoted:
            continue
        found = states_a_number(passage.text)
        if found:
            yield Diagnostic("warning", f"this {passage.where} states a number ('{' '.join(found.group().split())}') "
                             "but cites no source in the same paragraph: add [@key] after the figure",
                             passage.location(found.start(), found.group(), page.source.text.lines),
                             "sources/number-without-citation")
