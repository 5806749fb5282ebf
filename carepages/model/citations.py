"""Numbering one page's citations.

Numbers follow the order of first citation in the page as a reader meets it (key points, body, FAQ
answers). References listed in front matter but never cited follow the cited ones (the `citations/uncited`
check warns about them). A key the bibliography does not know is an error at the citation's line and column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..bibliography import Bibliography
from ..discover.frontmatter import FrontMatter
from ..errors import BibliographyError, Found, Problems
from ..fields import did_you_mean
from ..ids import citation_id
from ..markdown import ParsedMarkdown
from ..parse import ParsedPage
from .site import NumberedReference


@dataclass(frozen=True)
class PageCitations:
    numbers: Mapping[str, int]  # bibliography key -> number on this page
    references: tuple[NumberedReference, ...]  # in number order


def number_citations(front: FrontMatter, parsed: ParsedPage, bibliography: Bibliography,
                     help_card: ParsedMarkdown | None = None) -> Found[PageCitations]:
    """`help_card`: the site-wide card the page places, read after the body (where the reader meets it)."""
    problems = Problems()
    numbers: dict[str, int] = {}
    backlinks: dict[str, dict[str, None]] = {}  # key -> citation ids, in order (a dict as an ordered set)
    known = bibliography.entries
    documents = [*parsed.key_points, parsed.body, *([help_card] if help_card else []), *parsed.faq_answers]
    for doc in documents:
        for use in doc.citations:
            for key in use.keys:
                if key not in known:
                    if key not in bibliography.invalid:  # an invalid entry has its own error
                        problems.error(BibliographyError(f"unknown reference key '{key}'{did_you_mean(key, known)}",
                                                         use.location, rule="citations/unknown-key"))
                    continue
                numbers.setdefault(key, len(numbers) + 1)
                backlinks.setdefault(key, {})[citation_id(doc.id_prefix, use.ordinal)] = None
    for listed in front.references:
        key = listed.value
        if key not in known:
            if key not in bibliography.invalid:
                problems.error(BibliographyError(f"unknown reference key '{key}' in 'references'"
                                                 f"{did_you_mean(key, known)}", listed.location,
                                                 rule="citations/unknown-key"))
            continue
        numbers.setdefault(key, len(numbers) + 1)
    references = tuple(NumberedReference(n, known[key], tuple(backlinks.get(key, {}))) for key, n in numbers.items())
    return Found(PageCitations(numbers, references), problems.diagnostics)
