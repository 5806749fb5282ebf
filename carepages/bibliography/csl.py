"""One CSL entry, as a reader found it in a file, checked field by field into a `Reference`.

Validation names the entry and the field: a malformed DOI, a non-numeric PMID, a missing title or year. The
first error in an entry makes the entry invalid; unknown fields are warnings and the entry is still used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import BibliographyError, Diagnostic, Found, Location
from ..fields import MAX_DIGITS, did_you_mean, lone_surrogate, number_text, shown, type_name
from .model import KNOWN_FIELDS, WEB_TYPES, Name, PartialDate, Reference

# Where a field of the entry was written; None: where the entry itself was.
Locate = Callable[[str | None], Location]
PathKey = tuple[str | int, ...]

_FIELD_BY_LOWER = {name.lower(): name for name in KNOWN_FIELDS}
_KEY = re.compile(r"^[A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*[\w])?$")
# Digits are [0-9], never \d: \d matches every script's digits ('١٢٣'), which no PubMed or DOI link can use.
_DOI = re.compile(r"^10\.[0-9]{4,9}/\S+$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_PMID = re.compile(r"^[0-9]{1,9}$")
_PMCID = re.compile(r"^PMC[0-9]{1,9}$")
_URL = re.compile(r"^https?://\S+$")
_PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?$")
_DATE_PART = re.compile(r"^[0-9]{1,4}$")  # a year, month or day written as text in date-parts

INVALID = "bibliography/invalid"
UNKNOWN_FIELD = "bibliography/unknown-field"


@dataclass(frozen=True)
class RawEntry:
    """An entry as a file holds it: its citation key, its fields (not yet checked), and where it was written."""

    key: str
    data: Any  # a mapping of CSL fields, unless the file put something else under this key
    where: Location
    locate: Locate


BOOLEAN_FIELDS = frozenset({"et-al"})


def with_raw_numbers(entry: dict[str, Any], written: Mapping[PathKey, str], path: PathKey) -> dict[str, Any]:
    """Numbers and yes/no words as the author typed them: 'DOI: 10.1000' must stay '10.1000', not 10.1, and
    YAML's yes/no words are text here ('family: No' is a surname, 'title: On' a title), except in the one
    true/false field, `et-al`. Name parts (`author: [{family: No}]`) are kept as written too."""
    def as_written(key: PathKey, value: Any) -> Any:
        return written.get(key, value) if isinstance(value, int | float) else value

    kept: dict[str, Any] = {}
    for name, value in entry.items():
        if isinstance(value, list):
            value = [{part: as_written((*path, name, i, part), v) if isinstance(v, bool) else v
                      for part, v in item.items()} if isinstance(item, dict) else item
                     for i, item in enumerate(value)]
        elif name not in BOOLEAN_FIELDS:
            value = as_written((*path, name), value)
        kept[name] = value
    return kept


def read_entry(raw: RawEntry) -> Found[Reference | None]:
    """The entry as a `Reference` (None if it is invalid), with its error and warnings."""
    if not isinstance(raw.data, dict):
        error = Diagnostic("error", f"reference '{raw.key}' must be a mapping of CSL fields, not "
                                    f"{type_name(raw.data)}", raw.where, INVALID)
        return Found(None, (error,))
    reader = _EntryReader(raw)
    try:
        reference: Reference | None = reader.read()
    except BibliographyError as exc:
        reader.diagnostics.extend(exc.diagnostics)
        reference = None
    return Found(reference, tuple(reader.diagnostics))


class _EntryReader:
    def __init__(self, raw: RawEntry) -> None:
        self.key = raw.key
        self.data: dict[str, Any] = raw.data
        self.where = raw.where
        self.locate = raw.locate
        self.diagnostics: list[Diagnostic] = []

    def fail(self, name: str | None, message: str) -> BibliographyError:
        return BibliographyError(f"reference '{self.key}': {message}", self.locate(name), INVALID)

    def text(self, name: str) -> str:
        value = self.data.get(name)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(name, f"'{name}' must be text, not {type_name(value)}")
        return self.clean(name, value, name)

    def clean(self, name: str, value: str | int | float, field: str) -> str:
        """Text on one line; a number as text. `name` is what the message calls it, `field` where it is."""
        written = value if isinstance(value, str) else number_text(value)
        if written is None:
            raise self.fail(field, f"'{name}' is a number of more than {MAX_DIGITS} digits")
        surrogate = lone_surrogate(written)
        if surrogate:
            raise self.fail(field, f"'{name}' contains {surrogate}, half of a surrogate pair, which is not a "
                                   "character (a broken \\u escape?)")
        return " ".join(written.split())

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
            parts = {k: self.clean(f"{name} {i + 1} {k}", v, name) for k, v in item.items()
                     if isinstance(v, str | int)}
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
            raise self.fail(name, f"'{name}' must be a year, YYYY-MM-DD, or {{date-parts: [[year, month, day]]}} "
                                  f"in digits 0-9, not {shown(value)}")
        year, month, day = parts
        if not 1000 <= year <= 2999:
            raise self.fail(name, f"'{name}' has an impossible year: {shown(year)}")
        if not (0 <= (month or 0) <= 12 and 0 <= (day or 0) <= 31):  # small before dt.date sees them
            raise self.fail(name, f"'{name}' is not a real date: {shown(value)}")
        try:
            dt.date(year, month or 1, day or 1)
        except ValueError:
            raise self.fail(name, f"'{name}' is not a real date: {shown(value)}") from None
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
        if url and not _URL.match(url):
            raise self.fail("URL", f"URL must start with http:// or https://, not '{url}'")
        return {"doi": doi, "pmid": pmid, "pmcid": pmcid, "url": url}

    def warn_unknown_fields(self) -> None:
        for name in self.data:
            if name not in KNOWN_FIELDS:
                hint = (f" (did you mean '{_FIELD_BY_LOWER[name.lower()]}'?)" if name.lower() in _FIELD_BY_LOWER
                        else did_you_mean(name, KNOWN_FIELDS))
                self.diagnostics.append(Diagnostic("warning", f"reference '{self.key}': unknown CSL field "
                                                              f"'{name}'{hint}", self.locate(name), UNKNOWN_FIELD))

    def read(self) -> Reference:
        self.warn_unknown_fields()
        if not _KEY.match(self.key):
            raise BibliographyError(f"reference key '{self.key}' cannot be cited as [@{self.key}]: use letters, "
                                    "digits and - _ : . only", self.where, INVALID)
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


def _date_parts(value: Any) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) as written, each a whole number written in digits 0-9; None for any other shape."""
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
                numbers = [_date_part(n) for n in parts[0][:3]]
                if None in numbers:
                    return None
                numbers += [None] * (3 - len(numbers))
                return numbers[0], numbers[1], numbers[2]  # type: ignore[return-value]
            return None
        for name in ("raw", "literal"):
            if name in value:
                raw = value[name]
                return _date_parts(raw) if isinstance(raw, str | int) else None
    return None


def _date_part(value: Any) -> int | None:
    """One number of date-parts: an int, or text of ASCII digits ('2020'); never a float ('2020.5', 1e309)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _DATE_PART.match(value.strip()):
        return int(value.strip())
    return None
