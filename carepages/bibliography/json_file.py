"""CSL-JSON, as Zotero, Mendeley and PubMed export it: a list of entries (or `{"items": [...]}`), each an
object with an `"id"`. Every entry and every field is located from the parse itself (`located_json`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import BibliographyError, Diagnostic, Found, Location
from .csl import INVALID, Locate, RawEntry, with_raw_numbers
from .located_json import LocatedJson, load_json


def read_json_entries(text: str, path: Path) -> Found[tuple[RawEntry, ...]]:
    """The file's entries, unchecked; a malformed file or entry is reported and the rest still read."""
    try:
        located = load_json(text, path, what="CSL-JSON")
    except BibliographyError as exc:
        return Found((), exc.diagnostics)
    data = located.value
    prefix: tuple[str, ...] = ()
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
        prefix = ("items",)
    if not isinstance(data, list):
        return Found((), (Diagnostic("error", "CSL-JSON must be a list of entries (as exported by a reference "
                                               "manager)", located.at(), INVALID),))
    entries: list[RawEntry] = []
    errors: list[Diagnostic] = []
    for i, entry in enumerate(data):
        if not isinstance(entry, dict) or "id" not in entry:
            errors.append(Diagnostic("error", f"CSL-JSON entry {i + 1} must be an object with an \"id\"",
                                     located.at(*prefix, i), INVALID))
            continue
        entry_path = (*prefix, i)
        where = located.key_at(*entry_path, "id")
        entries.append(RawEntry(str(entry["id"]), with_raw_numbers(entry, located.numbers, entry_path), where,
                                _locator(located, entry_path, where)))
    return Found(tuple(entries), tuple(errors))


def _locator(located: LocatedJson, entry_path: tuple[Any, ...], where: Location) -> Locate:
    def locate(name: str | None = None) -> Location:
        return located.key_at(*entry_path, name) if name else where

    return locate
