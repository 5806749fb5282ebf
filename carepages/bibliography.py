"""The shared bibliography: CSL entries, as Zotero, Mendeley and PubMed export them, checked field by field.

Accepted files (in `content/`): `references.yaml` (a mapping keyed by citation key, or a list of entries with
`id`, as Pandoc writes CSL YAML) and `references.json` (CSL-JSON, unchanged from a reference manager).
Validation names the entry and field: malformed DOI, non-numeric PMID, missing title or year, one DOI under
two keys.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .discover.text import read_text
from .discover.yaml import load_yaml
from .errors import BibliographyError, Location, Problems, SiteError
from .fields import did_you_mean, type_name

DEFAULT_FILES = ("references.yaml", "references.yml", "references.json")

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
_FIELD_BY_LOWER = {name.lower(): name for name in KNOWN_FIELDS}

_KEY = re.compile(r"^[A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*[\w])?$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_PMID = re.compile(r"^\d{1,9}$")
_PMCID = re.compile(r"^PMC\d{1,9}$")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


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

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def get(self, key: str) -> Reference | None:
        return self.entries.get(key)


def bibliography_files(content_dir: Path, configured: Iterable[str]) -> list[Path]:
    names = list(configured)
    if names:
        return [content_dir / name for name in names]
    return [content_dir / name for name in DEFAULT_FILES if (content_dir / name).is_file()]


def load_bibliography(files: Iterable[Path], problems: Problems) -> Bibliography:
    """Load and validate every bibliography file; all errors are raised together."""
    errors = Problems()
    entries: dict[str, Reference] = {}
    by_doi: dict[str, Reference] = {}
    paths = []
    for path in files:
        paths.append(path)
        try:
            raw_entries = _read_file(path)
        except SiteError as exc:
            errors.error(exc)
            continue
        for key, data, where, locate in raw_entries:
            try:
                reference = _read_entry(key, data, where, locate, problems)
            except SiteError as exc:
                errors.error(exc)
                continue
            if key in entries:
                first = entries[key].location
                errors.error(BibliographyError(f"reference key '{key}' is defined twice (first at "
                                               f"{first.format()})", where))
                continue
            if reference.doi:
                doi = reference.doi.lower()
                if doi in by_doi:
                    other = by_doi[doi]
                    errors.error(BibliographyError(
                        f"reference '{key}': DOI {reference.doi} is already used by '{other.key}' "
                        f"({other.location.format()}); one paper should have one key", locate("DOI")))
                else:
                    by_doi[doi] = reference
            entries[key] = reference
    errors.raise_if_errors()
    return Bibliography(dict(sorted(entries.items())), tuple(paths))


# (key, entry data, location of the entry, function field -> location)
RawEntry = tuple[str, dict[str, Any], Location, Any]


def _with_raw_scalars(entry: dict[str, Any], located: Any, path: tuple[Any, ...]) -> dict[str, Any]:
    """Top-level numbers as the author typed them: 'DOI: 10.1000' must stay '10.1000', not 10.1."""
    return {name: located.scalars.get((*path, name), value) if isinstance(value, int | float)
            and not isinstance(value, bool) else value for name, value in entry.items()}


def _read_file(path: Path) -> list[RawEntry]:
    if not path.is_file():
        raise BibliographyError("bibliography file not found", Location(path))
    source = read_text(path)
    if path.suffix.lower() == ".json":
        return _read_json(source.text, path)
    located = load_yaml(source.text, path, 1, what="bibliography YAML")
    data = located.value
    if isinstance(data, dict) and set(data) == {"references"} and isinstance(data["references"], list):
        data = data["references"]
        prefix: tuple[Any, ...] = ("references",)
    else:
        prefix = ()
    result: list[RawEntry] = []
    if data is None:
        return result
    if isinstance(data, dict):
        for key, entry in data.items():
            where = located.key_at(*prefix, key)
            if not isinstance(entry, dict):
                raise BibliographyError(f"reference '{key}' must be a mapping of CSL fields, not "
                                        f"{type_name(entry)}", where)
            result.append((key, _with_raw_scalars(entry, located, (*prefix, key)), where,
                           _yaml_locator(located, (*prefix, key))))
        return result
    if isinstance(data, list):
        for i, entry in enumerate(data):
            where = located.at(*prefix, i)
            if not isinstance(entry, dict) or "id" not in entry:
                raise BibliographyError(f"bibliography entry {i + 1} must be a mapping with an 'id'", where)
            result.append((str(entry["id"]), _with_raw_scalars(entry, located, (*prefix, i)), where,
                           _yaml_locator(located, (*prefix, i))))
        return result
    raise BibliographyError("a bibliography must map citation keys to entries (or list entries with 'id')",
                            located.at())


def _yaml_locator(located: Any, path: tuple[Any, ...]) -> Any:
    def locate(name: str | None = None) -> Location:
        return located.key_at(*path, name) if name else located.key_at(*path)

    return locate


def _read_json(text: str, path: Path) -> list[RawEntry]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BibliographyError(f"invalid CSL-JSON: {exc.msg}", Location(path, exc.lineno, exc.colno)) from None
    except RecursionError:
        raise BibliographyError("invalid CSL-JSON: nested too deeply", Location(path, 1)) from None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list):
        raise BibliographyError("CSL-JSON must be a list of entries (as exported by a reference manager)",
                                Location(path, 1, 1))
    lines = text.split("\n")
    result: list[RawEntry] = []
    search_from = 0
    for i, entry in enumerate(data):
        if not isinstance(entry, dict) or "id" not in entry:
            raise BibliographyError(f"CSL-JSON entry {i + 1} must be an object with an \"id\"", Location(path))
        key = str(entry["id"])
        line = _find_json_line(lines, json.dumps(key), "id", search_from)
        search_from = max(search_from, (line or 1) - 1)
        where = Location(path, line)
        result.append((key, entry, where, _json_locator(path, lines, line)))
    return result


def _find_json_line(lines: list[str], quoted_value: str, name: str, start: int) -> int | None:
    pattern = re.compile(r'"' + re.escape(name) + r'"\s*:\s*' + re.escape(quoted_value))
    for index in range(start, len(lines)):
        if pattern.search(lines[index]):
            return index + 1
    return None


def _json_locator(path: Path, lines: list[str], entry_line: int | None) -> Any:
    def locate(name: str | None = None) -> Location:
        if entry_line is None or name is None:
            return Location(path, entry_line)
        pattern = re.compile(r'"' + re.escape(name) + r'"\s*:')
        # The field is near the id: search a little way up (fields before "id") and then down.
        for index in [*range(entry_line - 1, max(entry_line - 60, 0) - 1, -1), *range(entry_line, len(lines))]:
            found = pattern.search(lines[index]) if 0 <= index < len(lines) else None
            if found:
                return Location(path, index + 1, found.start() + 1)
            if index > entry_line - 1 and lines[index].strip().startswith("{"):
                break
        return Location(path, entry_line)

    return locate


class _EntryReader:
    def __init__(self, key: str, data: dict[str, Any], where: Location, locate: Any, problems: Problems):
        self.key = key
        self.data = data
        self.where = where
        self.locate = locate
        self.problems = problems

    def fail(self, name: str, message: str) -> BibliographyError:
        return BibliographyError(f"reference '{self.key}': {message}", self.locate(name))

    def text(self, name: str) -> str:
        value = self.data.get(name)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(name, f"'{name}' must be text, not {type_name(value)}")
        return " ".join(str(value).split())

    def names(self, name: str) -> tuple[Name, ...]:
        value = self.data.get(name)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(name, f"'{name}' must be a list of names ({{family: ..., given: ...}} or "
                                  f"{{literal: ...}})")
        names = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.fail(name, f"{name} {i + 1} must be {{family: ..., given: ...}} or {{literal: ...}}, "
                                      f"not {type_name(item)}")
            parts = {k: " ".join(str(v).split()) for k, v in item.items() if isinstance(v, str | int)}
            literal = parts.get("literal", "")
            family = parts.get("family", "")
            if not (literal or family):
                raise self.fail(name, f"{name} {i + 1} has neither 'family' nor 'literal'")
            names.append(Name(family=family, given=parts.get("given", ""), literal=literal,
                              particle=parts.get("non-dropping-particle", ""), suffix=parts.get("suffix", "")))
        return tuple(names)

    def date(self, name: str) -> PartialDate | None:
        value = self.data.get(name)
        if value is None:
            return None
        parts = _date_parts(value)
        if parts is None:
            raise self.fail(name, f"'{name}' must be a year, YYYY-MM-DD, or {{date-parts: [[year, month, day]]}}, "
                                  f"not {value!r}")
        year, month, day = parts
        if not 1000 <= year <= 2999:
            raise self.fail(name, f"'{name}' has an impossible year: {year}")
        try:
            dt.date(year, month or 1, day or 1)
        except ValueError:
            raise self.fail(name, f"'{name}' is not a real date: {value!r}") from None
        return PartialDate(year, month, day)

    def identifiers(self) -> dict[str, str]:
        doi = _DOI_PREFIX.sub("", self.text("DOI"))
        if doi and not _DOI.match(doi):
            raise self.fail("DOI", f"malformed DOI '{self.text('DOI')}' "
                                   "(a DOI looks like 10.1016/S1474-4422(17)30470-2)")
        pmid = self.text("PMID")
        if pmid and not _PMID.match(pmid):
            raise self.fail("PMID", f"PMID must be digits only, not '{pmid}'")
        pmcid = self.text("PMCID").upper()
        if pmcid and not _PMCID.match(pmcid):
            raise self.fail("PMCID", f"PMCID must look like PMC1234567, not '{self.text('PMCID')}'")
        url = self.text("URL")
        if url and not re.match(r"^https?://\S+$", url):
            raise self.fail("URL", f"URL must start with http:// or https://, not '{url}'")
        return {"doi": doi, "pmid": pmid, "pmcid": pmcid, "url": url}

    def read(self) -> Reference:
        for name in self.data:
            if name not in KNOWN_FIELDS:
                hint = (f" (did you mean '{_FIELD_BY_LOWER[name.lower()]}'?)" if name.lower() in _FIELD_BY_LOWER
                        else did_you_mean(name, KNOWN_FIELDS))
                self.problems.warn(f"reference '{self.key}': unknown CSL field '{name}'{hint}", self.locate(name))
        if not _KEY.match(self.key):
            raise BibliographyError(f"reference key '{self.key}' cannot be cited as [@{self.key}]: use letters, "
                                    "digits and - _ : . only", self.where)
        kind = self.text("type") or "article-journal"
        title = self.text("title")
        if not title:
            raise self.fail("title" if "title" in self.data else None, "missing 'title'")
        issued = self.date("issued")
        accessed = self.date("accessed")
        if issued is None and not (kind in WEB_TYPES and accessed):
            raise self.fail("issued" if "issued" in self.data else None,
                            "missing year ('issued'; a web page may give 'accessed' instead)")
        truncated = self.data.get("et-al", False)
        if not isinstance(truncated, bool):
            raise self.fail("et-al", "'et-al' must be true or false")
        return Reference(
            key=self.key, type=kind, title=title, location=self.where,
            authors=self.names("author"), editors=self.names("editor"), authors_truncated=truncated,
            container_title=self.text("container-title"),
            journal_abbreviation=self.text("container-title-short") or self.text("journalAbbreviation"),
            issued=issued, accessed=accessed, volume=self.text("volume"), issue=self.text("issue"),
            page=self.text("page"), edition=self.text("edition"), publisher=self.text("publisher"),
            publisher_place=self.text("publisher-place"), genre=self.text("genre"), number=self.text("number"),
            collection_title=self.text("collection-title"), **self.identifiers(),
        )


def _read_entry(key: str, data: dict[str, Any], where: Location, locate: Any, problems: Problems) -> Reference:
    return _EntryReader(key, data, where, locate, problems).read()


def _date_parts(value: Any) -> tuple[int, int | None, int | None] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.year, value.month, value.day
    if isinstance(value, int):
        return value, None, None
    if isinstance(value, str):
        match = _PARTIAL_DATE.match(value.strip())
        if not match:
            return None
        return tuple(int(g) if g else None for g in match.groups())  # type: ignore[return-value]
    if isinstance(value, dict):
        if "date-parts" in value:
            parts = value["date-parts"]
            if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
                numbers = parts[0][:3]
                try:
                    ints = [int(n) for n in numbers]
                except (TypeError, ValueError):
                    return None
                ints += [None] * (3 - len(ints))  # type: ignore[list-item]
                return ints[0], ints[1], ints[2]
            return None
        for name in ("raw", "literal"):
            if name in value:
                return _date_parts(str(value[name]))
    return None
