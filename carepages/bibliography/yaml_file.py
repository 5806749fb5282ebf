"""CSL YAML, as Pandoc writes it: a mapping keyed by citation key, a list of entries with `id`, or
`{references: [...]}`. Locations come from `carepages.discover.yaml`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..discover.yaml import LocatedYaml, load_yaml
from ..errors import Diagnostic, Found, Location, SiteError
from .csl import INVALID, Locate, RawEntry, with_raw_numbers


def read_yaml_entries(text: str, path: Path) -> Found[tuple[RawEntry, ...]]:
    """The file's entries, unchecked; a malformed file or entry is reported and the rest still read."""
    try:
        located = load_yaml(text, path, 1, what="bibliography YAML")
    except SiteError as exc:
        return Found((), (Diagnostic("error", exc.message, exc.location, _yaml_rule(exc)),))
    data = located.value
    prefix: tuple[str, ...] = ()
    if isinstance(data, dict) and set(data) == {"references"} and isinstance(data["references"], list):
        data = data["references"]
        prefix = ("references",)
    if data is None:
        return Found(())
    entries: list[RawEntry] = []
    errors: list[Diagnostic] = []
    if isinstance(data, dict):
        for key, entry in data.items():
            entry_path = (*prefix, key)
            # An entry that is not a mapping is still passed on: its key is defined, and validation says why
            # the entry is unusable.
            fields = with_raw_numbers(entry, located.scalars, entry_path) if isinstance(entry, dict) else entry
            entries.append(RawEntry(key, fields, located.key_at(*entry_path), _locator(located, entry_path)))
    elif isinstance(data, list):
        for i, entry in enumerate(data):
            entry_path = (*prefix, i)
            if not isinstance(entry, dict) or "id" not in entry:
                errors.append(Diagnostic("error", f"bibliography entry {i + 1} must be a mapping with an 'id'",
                                         located.at(*entry_path), INVALID))
                continue
            entries.append(RawEntry(str(entry["id"]), with_raw_numbers(entry, located.scalars, entry_path),
                                    located.at(*entry_path), _locator(located, entry_path)))
    else:
        errors.append(Diagnostic("error", "a bibliography must map citation keys to entries (or list entries "
                                          "with 'id')", located.at(), INVALID))
    return Found(tuple(entries), tuple(errors))


def _yaml_rule(exc: SiteError) -> str:
    if exc.rule.startswith("yaml/"):  # the YAML loader already named the rule
        return exc.rule
    limits = ("expands to more than", "is nested more than")
    return "yaml/limits" if any(text in exc.message for text in limits) else "yaml/syntax"


def _locator(located: LocatedYaml, entry_path: tuple[Any, ...]) -> Locate:
    def locate(name: str | None = None) -> Location:
        return located.key_at(*entry_path, name) if name else located.key_at(*entry_path)

    return locate
