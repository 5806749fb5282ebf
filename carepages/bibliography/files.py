"""Which bibliography files a site has, and loading all of them into one `Bibliography`.

Every file and every entry is read even when others are broken: entries that validate are kept, and each
problem is returned as a located diagnostic, so one bad entry hides nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..discover.files import site_boundary
from ..discover.text import read_text
from ..errors import Diagnostic, Found, Location, SiteError
from .csl import RawEntry, read_entry
from .json_file import read_json_entries
from .model import Bibliography, Reference
from .yaml_file import read_yaml_entries

DEFAULT_FILES = ("references.yaml", "references.yml", "references.json")
DUPLICATE = "bibliography/duplicate"
UNREADABLE = "file/unreadable"


def bibliography_files(content_dir: Path, configured: Iterable[str], site_root: Path | None = None) -> list[Path]:
    """The files to load: site.toml's `bibliography` (relative to content/), else the default names.

    A file that is not inside `site_root` (default: the folder holding content/) is left out, never opened:
    site.toml's reader reports a configured one at its line, and discovery reports a default-named one
    that is a link out of the site.
    """
    site_root = content_dir.parent if site_root is None else site_root
    names = list(configured)
    if names:
        paths = [content_dir / name for name in names]
    else:
        paths = [content_dir / name for name in DEFAULT_FILES if (content_dir / name).is_symlink()
                 or (content_dir / name).is_file()]
    return [path for path in paths if site_boundary(path, site_root).inside]


def load_bibliography(files: Iterable[Path]) -> Found[Bibliography]:
    """Every entry that validates, from every file, with every error and warning found on the way."""
    diagnostics: list[Diagnostic] = []
    entries: dict[str, Reference] = {}
    defined: dict[str, Location] = {}  # where each key was first defined, valid or not
    invalid: set[str] = set()
    by_doi: dict[str, Reference] = {}
    paths = []
    for path in files:
        paths.append(path)
        raw_entries = _read_file(path)
        diagnostics.extend(raw_entries.diagnostics)
        for raw in raw_entries.value:
            found = read_entry(raw)
            diagnostics.extend(found.diagnostics)
            reference = found.value
            first = defined.get(raw.key)
            if first is None:
                defined[raw.key] = raw.where
            if reference is None:
                if raw.key not in entries:
                    invalid.add(raw.key)
                continue
            if first is not None:
                diagnostics.append(Diagnostic("error", f"reference key '{raw.key}' is defined twice (first at "
                                                       f"{first.format()})", raw.where, DUPLICATE))
                continue
            diagnostics.extend(_check_doi(reference, raw, by_doi))
            entries[raw.key] = reference
    value = Bibliography(dict(sorted(entries.items())), tuple(paths), frozenset(invalid))
    return Found(value, tuple(sorted(set(diagnostics), key=Diagnostic.sort_key)))


def _check_doi(reference: Reference, raw: RawEntry, by_doi: dict[str, Reference]) -> list[Diagnostic]:
    if not reference.doi:
        return []
    doi = reference.doi.lower()
    other = by_doi.setdefault(doi, reference)
    if other is reference:
        return []
    return [Diagnostic("error", f"reference '{raw.key}': DOI {reference.doi} is already used by '{other.key}' "
                                f"({other.location.format()}); one paper should have one key", raw.locate("DOI"),
                       DUPLICATE)]


def _read_file(path: Path) -> Found[tuple[RawEntry, ...]]:
    if not path.is_file():
        return Found((), (Diagnostic("error", "bibliography file not found", Location(path), UNREADABLE),))
    try:
        source = read_text(path)
    except SiteError as exc:
        return Found((), (Diagnostic("error", exc.message, exc.location, UNREADABLE),))
    if path.suffix.lower() == ".json":
        return read_json_entries(source.text, path)
    return read_yaml_entries(source.text, path)
