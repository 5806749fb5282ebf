"""Structured data (schema.org JSON-LD) for search engines and assistive tools, safe inside <script>.

Any string from content can end up here, so the serialiser escapes what could close the script element or
confuse an HTML parser (`<`, `>`, `&`) and the two line separators JavaScript treats as newlines.

Many pages cite the same references: each reference is written as JSON once per process (`_citation_json`,
keyed by the whole reference value) and its text joined into each page's data (`Encoded`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..bibliography import WEB_TYPES, Name, Reference, vancouver_text
from ..config import SiteConfig
from ..kinds import PageKind
from ..memo import remembered
from ..model.site import Page

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True)
class Encoded:
    """A value already written as script-safe JSON, to be joined in as it is (a top-level value only)."""

    text: str


def dumps_script_safe(data: Any) -> Markup:
    if not (isinstance(data, dict) and any(isinstance(value, Encoded) for value in data.values())):
        return Markup(_script_safe(data))
    # JSON without spaces is the same text written whole or in runs of members, and the escapes are of
    # single characters, so the members between encoded ones are written together and joined to them.
    members: list[str] = []
    plain: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Encoded):
            if plain:
                members.append(_script_safe(plain)[1:-1])
                plain = {}
            members.append(f"{_script_safe(key)}:{value.text}")
        else:
            plain[key] = value
    if plain:
        members.append(_script_safe(plain)[1:-1])
    return Markup("{" + ",".join(members) + "}")


def _script_safe(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _ESCAPES.items():
        text = text.replace(raw, escaped)
    return text


def _person(name: Name) -> dict[str, str]:
    if name.literal:
        return {"@type": "Organization", "name": name.literal}
    person = {"@type": "Person", "name": " ".join(p for p in (name.given, name.particle, name.family) if p),
              "familyName": f"{name.particle} {name.family}".strip()}
    if name.given:
        person["givenName"] = name.given
    return person


def citation(ref: Reference) -> dict[str, Any]:
    """A reference as schema.org: ScholarlyArticle for papers, WebPage or CreativeWork otherwise."""
    kind = "WebPage" if ref.type in WEB_TYPES else ("ScholarlyArticle" if ref.container_title else "CreativeWork")
    data: dict[str, Any] = {"@type": kind, "name": ref.title, "description": vancouver_text(ref)}
    if ref.authors:
        data["author"] = [_person(n) for n in ref.authors]
    if ref.year:
        data["datePublished"] = str(ref.year)
    if ref.container_title:
        data["isPartOf"] = {"@type": "Periodical", "name": ref.container_title}
    identifiers = [{"@type": "PropertyValue", "propertyID": name, "value": value}
                   for name, value in (("DOI", ref.doi), ("PMID", ref.pmid), ("PMCID", ref.pmcid)) if value]
    if identifiers:
        data["identifier"] = identifiers
    if ref.best_url:
        data["url"] = ref.best_url
    same_as = [u for u in (ref.doi_url, ref.pubmed_url, ref.pmc_url) if u and u != ref.best_url]
    if same_as:
        data["sameAs"] = same_as
    return data


@remembered(8192)  # more than a large site's bibliography
def _citation_json(ref: Reference) -> str:
    return _script_safe(citation(ref))


def _organisation(config: SiteConfig) -> dict[str, Any]:
    org = config.organisation
    data: dict[str, Any] = {"@type": "Organization", "name": org.name}
    if org.url:
        data["url"] = org.url
    if org.phone:
        data["telephone"] = org.phone
    if org.email:
        data["email"] = org.email
    return data


def _website(config: SiteConfig) -> dict[str, Any]:
    data = {"@type": "WebSite", "name": config.title, "url": config.base_url, "inLanguage": config.language,
            "publisher": _organisation(config)}
    if config.description or config.tagline:
        data["description"] = config.description or config.tagline
    return data


def _breadcrumbs(trail: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """`trail`: (name, absolute URL) from the home page down to this page."""
    return {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": i, "name": name, "item": url} for i, (name, url) in enumerate(trail, 1)]}


def generated_page(config: SiteConfig, kind: PageKind, title: str, description: str, route: str,
                   items: Sequence[tuple[str, str]] = (), trail: Sequence[tuple[str, str]] = ()) -> Markup:
    """A page the engine makes: a `CollectionPage` of `items` (name, absolute URL) for lists of pages."""
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": kind.schema_type, "name": title,
                            "url": config.base_url + route, "inLanguage": config.language,
                            "isPartOf": _website(config)}
    if description:
        data["description"] = description
    if items:
        data["mainEntity"] = {"@type": "ItemList", "numberOfItems": len(items), "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "url": url} for i, (name, url) in enumerate(items, 1)]}
    if trail:
        data["breadcrumb"] = _breadcrumbs(trail)
    return dumps_script_safe(data)


def about(config: SiteConfig, page: Page) -> tuple[str, ...]:
    """The conditions a page is about: its own `about:`, else, for a health page, site.toml's `about`."""
    if page.front.about is not None:
        return tuple(item.value for item in page.front.about)
    return config.about if page.kind.needs_review else ()


def medical_web_page(config: SiteConfig, page: Page, faq_answers: list[str]) -> Markup:
    """`faq_answers`: the page's FAQ answers as plain text, in order (they are visible on the page)."""
    front = page.front
    schema_type = page.kind.schema_type
    types = list(schema_type) if isinstance(schema_type, tuple) else [schema_type]
    if front.faq and "FAQPage" not in types:
        types.append("FAQPage")  # the page shows its questions and answers
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": types if len(types) > 1 else types[0],
        "name": front.title, "headline": front.title, "description": front.summary,
        "url": config.base_url + page.route, "inLanguage": config.language,
        "isPartOf": {"@type": "WebSite", "name": config.title, "url": config.base_url},
        "publisher": _organisation(config),
    }
    for name, value in (("datePublished", front.date), ("dateModified", front.updated or front.date),
                        ("lastReviewed", front.last_reviewed)):
        if value:
            data[name] = value.isoformat()
    if front.reviewed_by:
        data["reviewedBy"] = {"@type": "Organization", "name": front.reviewed_by}
    if front.authors:
        data["author"] = [{"@type": "Organization", "name": a} for a in front.authors]
    if front.audience:
        data["audience"] = {"@type": "PeopleAudience", "audienceType": front.audience}
    conditions = about(config, page)
    if conditions:
        things = [{"@type": "MedicalCondition", "name": name} for name in conditions]
        data["about"] = things[0] if len(things) == 1 else things
    if page.topics:
        data["keywords"] = ", ".join(t.name for t in page.topics)
    if page.references:
        data["citation"] = Encoded("[" + ",".join(_citation_json(r.reference) for r in page.references) + "]")
    if front.faq:
        data["mainEntity"] = [{"@type": "Question", "name": entry.question,
                               "acceptedAnswer": {"@type": "Answer", "text": answer}}
                              for entry, answer in zip(front.faq, faq_answers, strict=True)]
    trail = [(config.title, config.base_url)]
    if page.topics:
        trail.append((page.topics[0].name, config.base_url + page.topics[0].route))
    trail.append((front.title, config.base_url + page.route))
    data["breadcrumb"] = _breadcrumbs(trail)
    return dumps_script_safe(data)
