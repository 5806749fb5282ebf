"""Knowing, before any work, that a build would change nothing: every input file's bytes, the options and
the engine are as they were for the last build into the same folder, and that folder is as it left it.

The record of a build (in the cache) holds a digest of its inputs, the size and modification time of every
file it wrote, and what it reported. A build whose inputs digest the same and whose output folder matches
returns that report at once; any difference (an edited, added or removed file, a file touched in the output
folder, a link among the inputs, a new carepages) means an ordinary build, which the cache still makes quick.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .cache import Cache
from .config import SiteConfig
from .discover.theme import theme_dirs
from .errors import Diagnostic, Location, SiteError
from .result import BuildResult, Counts
from .search import SearchResult

_SPACE = "builds"
DRAFTS_SUFFIX = "-drafts"
_STAGING = "carepages-staging"  # in the name of a build's staging folder (write/output.py)


@dataclass(frozen=True)
class Report:
    """What a build reported, to report again when nothing changed."""

    pages: int
    files: int
    warnings: tuple[Diagnostic, ...]
    base_path: str
    search: SearchResult | None


@dataclass(frozen=True)
class Record:
    inputs: str
    outputs: tuple[tuple[str, int, int], ...]  # (path in the output folder, size, mtime in ns), sorted
    report: Report


_CLASSES = (Record, Report, Diagnostic, Location, SearchResult, type(Path()))


@dataclass(frozen=True)
class Known:
    """What `unchanged_build` found: the result of a build that would change nothing, or how to remember the
    one that is about to run."""

    result: BuildResult | None
    cache: Cache
    key: str
    inputs: str | None

    def remember(self, result: BuildResult) -> None:
        if self.inputs is not None:
            remember(self.cache, self.key, self.inputs, result.output_dir, Report(
                result.pages, result.files, result.warnings, result.base_path, result.search))


def unchanged_build(config: SiteConfig, cache: Cache, fingerprint: str, out: Path | str | None, *, drafts: bool,
                    search: bool, strict: bool) -> Known:
    """The last build's result again, if nothing it read has changed and its output folder is as it left it.

    Reads only files and the cache: the command line calls it before importing the rest of carepages."""
    out_dir = output_dir(config, out, drafts)
    key = hashlib.sha256(f"{fingerprint}\x00build\x00{out_dir}\x00{drafts}\x00{search}".encode(
        "utf-8", "surrogateescape")).hexdigest()
    inputs = _site_inputs(config, fingerprint, drafts, search) if cache.folder is not None else None
    if inputs is None:
        return Known(None, cache, key, None)
    report = unchanged(cache, key, inputs, out_dir)
    if report is None or (strict and report.warnings) or _staging_left(out_dir):
        return Known(None, cache, key, inputs)  # (a build that writes removes staging folders left over)
    return Known(BuildResult(out_dir, report.pages, 0, report.warnings, report.base_path, report.search,
                             Counts(render_reused=report.files, unchanged=True)), cache, key, inputs)


def output_dir(config: SiteConfig, out: Path | str | None, drafts: bool = False) -> Path:
    """`--out`, else site.toml's output_dir; a build with drafts goes beside it, in `<output_dir>-drafts`."""
    if out is not None:
        return Path(os.path.abspath(out))
    path = config.output_dir if config.output_dir.is_absolute() else config.root / config.output_dir
    if drafts:
        path = path.with_name(path.name + DRAFTS_SUFFIX)
    return Path(os.path.abspath(path))


def cache_folder(config: SiteConfig, cache_dir: Path | str | None) -> Path:
    """`--cache-dir`, else site.toml's cache_dir (in the site folder)."""
    return Path(os.path.abspath(cache_dir if cache_dir is not None else config.root / config.cache_dir))


def _site_inputs(config: SiteConfig, fingerprint: str, drafts: bool, search: bool) -> str | None:
    try:
        folders = [config.content_dir, *theme_dirs(config.root, "templates"), *theme_dirs(config.root, "static")]
    except SiteError:
        return None
    site_toml = config.path if config.path.is_absolute() else config.root / config.path
    return inputs_digest([site_toml], folders, (fingerprint, drafts, search))


def _staging_left(out_dir: Path) -> bool:
    parent = os.path.dirname(os.path.realpath(out_dir))
    try:
        return any(_STAGING in name for name in os.listdir(parent))
    except OSError:
        return False


def inputs_digest(files: Sequence[Path], folders: Sequence[Path], options: Sequence[object]) -> str | None:
    """Of the options and every file's path and bytes; None when a link is among them (a link's target may
    change without the link changing: such a site is always built)."""
    hasher = hashlib.sha256(repr(tuple(options)).encode())
    paths = [path for path in files if os.path.lexists(path)]
    for folder in folders:
        if not os.path.lexists(folder):
            continue
        if os.path.islink(folder):
            return None
        for top, dirs, names in os.walk(folder):
            dirs.sort()
            for name in (*dirs, *names):
                if os.path.islink(os.path.join(top, name)):
                    return None
            paths += [Path(top, name) for name in sorted(names)]
    for path in paths:
        if os.path.islink(path):
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        hasher.update(f"{path}\x00{len(data)}\x00".encode("utf-8", "surrogateescape") + data)
    return hasher.hexdigest()


def unchanged(cache: Cache, key: str, inputs: str, out_dir: Path) -> Report | None:
    """The last build's report, if its inputs digest to `inputs` and `out_dir` is as it left it."""
    record = cache.read_value(_SPACE, key, _CLASSES)
    if not isinstance(record, Record) or record.inputs != inputs:
        return None
    return record.report if outputs(out_dir) == record.outputs else None


def remember(cache: Cache, key: str, inputs: str | None, out_dir: Path, report: Report) -> None:
    if inputs is not None:
        cache.write_value(_SPACE, key, Record(inputs, outputs(out_dir), report))


def outputs(out_dir: Path) -> tuple[tuple[str, int, int], ...]:
    found = []
    for top, dirs, names in os.walk(out_dir):
        dirs.sort()
        for name in names:
            path = os.path.join(top, name)
            try:
                stat = os.lstat(path)
            except OSError:
                continue
            found.append((os.path.relpath(path, out_dir), stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))
