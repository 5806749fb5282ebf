"""References in Vancouver style, as the NLM's *Citing Medicine* sets them out.

    Thompson AJ, Banwell BL, Barkhof F, Carroll WM, Coetzee T, Comi G, et al. Diagnosis of multiple
    sclerosis: 2017 revisions of the McDonald criteria. Lancet Neurol. 2018;17(2):162-73.
    doi:10.1016/S1474-4422(17)30470-2. PMID: 29275977.

A formatted reference is a list of `Part`s (text, optionally linked), so the same result can be written as
HTML (escaped, with DOI and PubMed links) or as plain text (for JSON-LD and feeds).

The same references are cited by many pages, so each one is formatted once per process: `vancouver_html` and
`vancouver_text` remember their result for each reference value (the whole frozen value is the key, so an
edited entry is formatted again).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..memo import remembered
from .model import JOURNAL_TYPES, WEB_TYPES, Name, PartialDate, Reference

MAX_AUTHORS = 6
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PAGE_RANGE = re.compile(r"^\s*([0-9]+)\s*[-–—]+\s*([0-9]+)\s*$")
_REMEMBERED = 8192  # formatted references kept per process: more than a large site's bibliography


@dataclass(frozen=True)
class Part:
    text: str
    href: str = ""
    label: str = ""  # accessible name for a link whose text alone is unclear


def initials(given: str) -> str:
    """'Alan J.' -> 'AJ'; 'Jean-Pierre' -> 'JP'; 'AJ' (already initials) stays 'AJ'."""
    given = given.strip()
    if re.fullmatch(r"[A-Z]{1,4}", given):
        return given
    letters = [part[0].upper() for part in re.split(r"[\s.\-]+", given) if part and part[0].isalpha()]
    return "".join(letters)


def format_name(name: Name) -> str:
    if name.literal:
        return name.literal
    family = f"{name.particle} {name.family}".strip()
    text = f"{family} {initials(name.given)}".strip()
    return f"{text} {name.suffix}".strip() if name.suffix else text


def format_names(names: tuple[Name, ...], truncated: bool = False) -> str:
    """Up to six names; more (or a list the source already cut short) ends with 'et al.'"""
    shown = [format_name(n) for n in names[:MAX_AUTHORS]]
    if len(names) > MAX_AUTHORS or (truncated and shown):
        shown.append("et al")
    return ", ".join(shown)


def compress_pages(page: str) -> str:
    """NLM drops repeated leading digits: '162-173' -> '162-73', '1622-1636' -> '1622-36'."""
    match = _PAGE_RANGE.match(page)
    if not match:
        return page.strip().replace("–", "-")
    first, last = match.groups()
    if len(first) != len(last) or last <= first:  # equal lengths: comparing the digits as text is exact
        return f"{first}-{last}"
    common = 0
    while common < len(first) - 1 and first[common] == last[common]:
        common += 1
    return f"{first}-{last[common:]}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _date(date: PartialDate | None, with_month: bool) -> str:
    if date is None:
        return ""
    text = str(date.year)
    if with_month and date.month:
        text += f" {_MONTHS[date.month - 1]}"
        if date.day:
            text += f" {date.day}"
    return text


def _publication(ref: Reference, with_month: bool) -> str:
    place_publisher = ": ".join(p for p in (ref.publisher_place, ref.publisher) if p)
    date = _date(ref.issued, with_month)
    return "; ".join(p for p in (place_publisher, date) if p)


def _journal_part(ref: Reference) -> str:
    journal = (ref.journal_abbreviation or ref.container_title).replace(".", "").strip()
    text = f"{journal}. " if journal else ""
    text += str(ref.year or "")
    if ref.volume:
        text += f";{ref.volume}"
    if ref.issue:
        text += f"({ref.issue})"
    if ref.page:
        text += f":{compress_pages(ref.page)}"
    return text + "."


def vancouver_parts(ref: Reference) -> list[Part]:
    parts: list[Part] = []
    authors = format_names(ref.authors, ref.authors_truncated)
    if authors:
        parts.append(Part(_sentence(authors) + " "))
    web = ref.type in WEB_TYPES
    title = ref.title.rstrip(".")
    if web or (ref.url and ref.type not in JOURNAL_TYPES and not ref.doi):
        parts.append(Part(f"{title} [Internet]. "))
    else:
        parts.append(Part(_sentence(title) + " "))

    if ref.type in JOURNAL_TYPES:
        parts.append(Part(_journal_part(ref)))
    elif ref.type == "chapter":
        if ref.editors:
            parts.append(Part(f"In: {format_names(ref.editors)}, editors. "))
        if ref.container_title:
            parts.append(Part(_sentence(ref.container_title) + " "))
        publication = _publication(ref, with_month=False)
        parts.append(Part(_sentence(publication) if publication else ""))
        if ref.page:
            parts.append(Part(f" p. {compress_pages(ref.page)}."))
    else:
        if ref.edition:
            edition = _ordinal(int(ref.edition)) if re.fullmatch(r"[0-9]{1,3}", ref.edition) else ref.edition
            parts.append(Part(f"{edition} ed. "))
        publication = _publication(ref, with_month=web)
        if ref.accessed:
            publication += f" [cited {_date(ref.accessed, with_month=True)}]"
        if publication:
            parts.append(Part(_sentence(publication.strip())))
        series = "; ".join(p for p in (ref.collection_title, ref.genre, ref.number) if p)
        if series:
            parts.append(Part(f" ({series})."))
    parts.extend(_identifiers(ref))
    return [p for p in parts if p.text]


def _identifiers(ref: Reference) -> list[Part]:
    parts: list[Part] = []
    if ref.doi:
        parts += [Part(" doi:"), Part(ref.doi, ref.doi_url, f"DOI {ref.doi}"), Part(".")]
    if ref.pmid:
        parts += [Part(" PMID: "), Part(ref.pmid, ref.pubmed_url, f"PubMed {ref.pmid}"), Part(".")]
    if ref.pmcid:
        parts += [Part(" PMCID: "), Part(ref.pmcid, ref.pmc_url, f"PubMed Central {ref.pmcid}"), Part(".")]
    if ref.url and not (ref.doi or ref.pmid):
        parts += [Part(" Available from: "), Part(ref.url, ref.url)]
    return parts


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@remembered(_REMEMBERED)
def vancouver_text(ref: Reference) -> str:
    return "".join(p.text for p in vancouver_parts(ref)).strip()


@remembered(_REMEMBERED)
def vancouver_html(ref: Reference) -> Markup:
    html = []
    for part in vancouver_parts(ref):
        if part.href:
            html.append(Markup('<a href="{}">{}</a>').format(part.href, part.text))
        else:
            html.append(escape(part.text))
    return Markup("".join(html).strip())
