"""What a build reports: the numbers of its summary line, its warnings and its search index."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic
from .search import SearchResult


@dataclass(frozen=True)
class Update:
    """What an update in place did to the output folder."""

    written: tuple[str, ...]  # routes whose file changed
    removed: tuple[str, ...]  # files the site no longer has
    unchanged: int


@dataclass(frozen=True)
class Counts:
    """What a build did, for its summary line."""

    parsed: int = 0  # pages parsed
    parse_reused: int = 0  # parse results read from the cache
    rendered: tuple[str, ...] = ()  # routes rendered
    render_reused: int = 0  # files read from the cache
    copied: int = 0  # files copied as they are
    unchanged: bool = False  # nothing had changed since the last build: the output folder was left as it was
    edited_only: bool = False  # only edited pages were read and made again (see carepages.edits)
    restyled: bool = False  # only templates or settings only rendering reads had changed: the pages they show
    # on were made again from the jobs the last build kept (see carepages.edits)


@dataclass(frozen=True)
class BuildResult:
    output_dir: Path
    pages: int
    files: int  # files written
    warnings: tuple[Diagnostic, ...]
    base_path: str = "/"
    search: SearchResult | None = None  # None: built with search=False (--no-search), or in place
    counts: Counts = Counts()
    update: Update | None = None  # with in_place: what changed in the output folder
    handouts: int = 0  # PDF handouts made (build with handouts=True, --handouts)
    handouts_reused: int = 0  # of them read from the cache
