"""What a bibliography is once read: CSL names, dates and references, and the CSL vocabulary we check against."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Location

# Types we format specially; any other CSL type is formatted as a generic document.
JOURNAL_TYPES = {"article-journal", "article", "article-magazine", "article-newspaper", "review",
                 "review-book"}
WEB_TYPES = {"webpage", "post", "post-weblog"}
NAME_FIELDS = {
    "author", "chair", "collection-editor", "compiler", "composer", "container-author", "contributor", "curator",
    "director", "editor", "editorial-director", "editor-translator", "executive-producer", "guest", "host",
    "illustrator", "interviewer", "narrator", "organizer", "original-author", "performer", "producer",
    "recipient", "reviewed-author", "script-writer", "series-creator", "translator",
}
DATE_FIELDS = {"accessed", "available-date", "event-date", "issued", "original-date", "submitted"}
TEXT_FIELDS = {
    "abstract", "annote", "archive", "archive_collection", "archive_location", "archive-place", "authority",
    "call-number", "chapter-number", "citation-key", "citation-label", "collection-number", "collection-title",
    "container-title", "container-title-short", "dimensions", "division", "DOI", "edition", "event",
    "event-title", "event-place", "genre", "ISBN", "ISSN", "issue", "jurisdiction", "keyword", "language",
    "license", "medium", "note", "number", "number-of-pages", "number-of-volumes", "original-publisher",
    "original-publisher-place", "original-title", "page", "page-first", "part-number", "part-title", "PMCID",
    "PMID", "printing-number", "publisher", "publisher-place", "references", "reviewed-genre", "reviewed-title",
    "scale", "section", "source", "status", "supplement-number", "title", "title-short", "URL", "version",
    "volume", "volume-title", "volume-title-short", "year-suffix",
    # written by Zotero's and Mendeley's exporters
    "journalAbbreviation", "shortTitle", "citation-number", "first-reference-note-number", "locator",
}
OTHER_FIELDS = {"id", "type", "custom", "categories", "et-al"}
KNOWN_FIELDS = NAME_FIELDS | DATE_FIELDS | TEXT_FIELDS | OTHER_FIELDS


@dataclass(frozen=True)
class Name:
    family: str = ""
    given: str = ""
    literal: str = ""  # an organisation, or a name that must not be split
    particle: str = ""  # "van", "de" (CSL non-dropping-particle)
    suffix: str = ""


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None


@dataclass(frozen=True)
class Reference:
    key: str
    type: str
    title: str
    location: Location
    authors: tuple[Name, ...] = ()
    editors: tuple[Name, ...] = ()
    authors_truncated: bool = False  # the source lists only the first authors ("et al.")
    container_title: str = ""
    journal_abbreviation: str = ""
    issued: PartialDate | None = None
    accessed: PartialDate | None = None
    volume: str = ""
    issue: str = ""
    page: str = ""
    edition: str = ""
    publisher: str = ""
    publisher_place: str = ""
    genre: str = ""
    number: str = ""
    collection_title: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    url: str = ""

    @property
    def year(self) -> int | None:
        return self.issued.year if self.issued else None

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def pmc_url(self) -> str:
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{self.pmcid}/" if self.pmcid else ""

    @property
    def best_url(self) -> str:
        return self.doi_url or self.pubmed_url or self.pmc_url or self.url


@dataclass(frozen=True)
class Bibliography:
    entries: Mapping[str, Reference] = field(default_factory=dict)
    files: tuple[Path, ...] = ()
    # Keys that are defined but failed validation: their error is already reported, so a citation of one
    # must not be reported again as an unknown key.
    invalid: frozenset[str] = frozenset()

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def get(self, key: str) -> Reference | None:
        return self.entries.get(key)
