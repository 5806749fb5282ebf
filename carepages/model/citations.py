"""Numbering one page's citations, and the site-wide index of who cites what.

Numbers follow the order of first citation in the page as a reader meets it (key points, body, FAQ
answers). References listed in front matter but never cited follow the cited ones, with a warning; a key the
bibliography does not know is an error at the citation's line and column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..bibliography import Bibliography, Reference
from ..errors import BibliographyError, Problems
from ..fields import did_you_mean
from ..markdown import citation_id
from ..parse import ParsedPage


@dataclass(frozen=True)
class PageCitations:
    numbers: Mapping[str, int]
    # (number, reference, ids of citations pointing at it), in number order
    entries: tuple[tuple[int, Reference, tuple[str, ...]], ...]


def number_citations(page: ParsedPage, bibliography: Bibliography, problems: Problems) -> PageCitations:
    numbers: dict[str, int] = {}
    backlinks: dict[str, list[str]] = {}
    known = bibliography.entries
    for prefix, doc in page.documents():
        for use in doc.citations:
            for key in use.keys:
                if key not in known:
                    problems.error(BibliographyError(
                        f"unknown reference key '{key}'{did_you_mean(key, known)}", use.location))
                    continue
                numbers.setdefault(key, len(numbers) + 1)
                ident = citation_id(prefix, use.ordinal)
                ids = backlinks.setdefault(key, [])
                if ident not in ids:
                    ids.append(ident)
    for listed in page.front.references:
        key = listed.value
        if key not in known:
            problems.error(BibliographyError(f"unknown reference key '{key}' in 'references'"
                                             f"{did_you_mean(key, known)}", listed.location))
            continue
        if key not in numbers:
            problems.warn(f"reference '{key}' is listed in front matter but never cited in the text "
                          f"(cite it with [@{key}] where it supports a statement)", listed.location)
            numbers[key] = len(numbers) + 1
    entries = tuple((n, known[key], tuple(backlinks.get(key, ()))) for key, n in numbers.items())
    return PageCitations(numbers, entries)


def warn_unused(bibliography: Bibliography, used: Iterable[str], problems: Problems) -> None:
    used_keys = set(used)
    for key, reference in bibliography.entries.items():
        if key not in used_keys:
            problems.warn(f"reference '{key}' is in the bibliography but no page uses it", reference.location)
