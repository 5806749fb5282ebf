"""Knowing, before any work, that a build would change nothing: every input file's bytes, the options and
the engine are as they were for the last build into the same folder, and that folder is as it left it.

The record of a build (in the cache) holds a digest of its inputs (and of each input file, so that an
edit of a few pages can be told apart: see edits.py, with its size and modification time, so that the next
build reads only the files whose time changed: see `scan`), the size and modification time of every file it
wrote, and what it reported. A build whose inputs digest the same and whose output folder matches
returns that report at once; any difference (an edited, added or removed file, a file touched in the output
folder, a link among the inputs, a new carepages) means an ordinary build, which the cache still makes quick.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from stat import S_ISREG

from . import fonts
from .cache import Cache
from .config import SiteConfig
from .discover.theme import theme_dirs
from .errors import Diagnostic, Location, SiteError
from .result import BuildResult, Counts, Update
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
    handouts: int = 0


@dataclass(frozen=True)
class PageEntry:
    """What the last build knew of one content page."""

    path: str  # the source file, as discovery found it
    rel: str  # inside the content folder, posix (a string: a record holds thousands, read at every build)
    route: str
    job: str  # the digest of its render job: the key of its kept job and of its rendered file
    front: str  # digest of its front matter's text
    facets: str  # digest of what the rest of the site sees of its Markdown (see `facets`)
    parse: str  # the key of its parse in the cache


@dataclass(frozen=True)
class KeptJob:
    """A render job the last build kept (see edits.py), for a rebuild after a template edit."""

    route: str
    output: str  # its file in the output folder, posix
    job: str  # the digest of the job alone (`job_digest`): the key of the kept job
    template: str  # the template it renders with ('' for a file made without one: the feed, the sitemap)


@dataclass(frozen=True)
class Snapshot:
    """What a full build leaves for this path: its pages, and the digests of the site-wide render inputs."""

    pages: tuple[PageEntry, ...]
    shared: str  # SharedView.digest, also the key of the kept SharedView
    templates: str  # Templates.digest
    engine: str  # MarkdownEngine.fingerprint
    jobs: tuple[KeptJob, ...] = ()  # every job but the copies of static files, in job order
    template_digests: tuple[tuple[str, str], ...] = ()  # (template, Templates.digest_for it), of those jobs
    config: str = ""  # digest of the config (RenderPlan.config)
    settings: str = ""  # edits.settings_digest: what the model and the jobs read of site.toml
    references: str = ""  # the key of the values the kept jobs name by an id (edits.shared_values)
    replaced: tuple[str, ...] = ()  # render keys of the files a restyle replaced, kept for one more build


@dataclass(frozen=True)
class Record:
    inputs: str
    outputs: tuple[tuple[str, int, int], ...]  # (path in the output folder, size, mtime in ns), sorted
    report: Report
    files: tuple[tuple[str, str], ...] = ()  # (input file, digest of its bytes), sorted: what changed since
    snapshot: Snapshot | None = None  # what a rebuild of edited pages needs (see edits.py; None: not kept)
    stats: tuple[tuple[int, int], ...] = ()  # (size, mtime in ns) of each of `files`, or UNSURE (see `scan`)


_CLASSES = (Record, Report, Diagnostic, Location, SearchResult, PageEntry, KeptJob, Snapshot, type(Path()),
            PurePosixPath)


@dataclass(frozen=True)
class Known:
    """What `unchanged_build` found: the result of a build that would change nothing, or how to remember the
    one that is about to run."""

    result: BuildResult | None
    cache: Cache
    key: str
    inputs: str | None
    files: tuple[tuple[str, str], ...] = ()  # every input file and the digest of its bytes, now
    record: Record | None = None  # the last build's, if any
    skip: tuple[str, ...] = ()  # top-level output folders the record leaves out
    stats: tuple[tuple[int, int], ...] = ()  # of `files`, as `Record.stats`

    def remember(self, result: BuildResult, snapshot: Snapshot | None = None,
                 found: tuple[tuple[str, int, int], ...] | None = None) -> None:
        """`found`: the output folder's files as they are now, if the caller knows (else they are listed)."""
        if self.inputs is not None:
            self.cache.write_value(_SPACE, self.key, Record(
                self.inputs, outputs(result.output_dir, self.skip) if found is None else found,
                Report(result.pages, result.files, result.warnings, result.base_path, result.search,
                       result.handouts), self.files,
                snapshot, self.stats))


def unchanged_build(config: SiteConfig, cache: Cache, fingerprint: str, out: Path | str | None, *, drafts: bool,
                    search: bool, strict: bool, in_place: bool = False, skip: tuple[str, ...] = (),
                    handouts: bool = False) -> Known:
    """The last build's result again, if nothing it read has changed and its output folder is as it left it.

    Reads only files and the cache: the command line calls it before importing the rest of carepages.
    `in_place` builds (the preview's) have their own record; `skip` names top-level folders of the output that
    are not the build's to keep (the preview's search bundle)."""
    out_dir = output_dir(config, out, drafts)
    key = hashlib.sha256(f"{fingerprint}\x00build\x00{out_dir}\x00{drafts}\x00{search}\x00{in_place}\x00{skip}"
                         f"\x00{handouts}".encode(
        "utf-8", "surrogateescape")).hexdigest()
    record = last_record(cache, key) if cache.folder is not None else None
    found = _site_files(config, record) if cache.folder is not None else None
    if found is None:
        return Known(None, cache, key, None, skip=skip)
    files = found.digests
    # (a build with handouts depends on Pango and the fonts too: see fonts.py)
    inputs = _digest_of(files, (fingerprint, drafts, search, handouts and fonts.text_layout()))
    report = unchanged(record, inputs, out_dir, skip)
    if report is None or (strict and report.warnings) or staging_left(out_dir):  # (a build that writes
        return Known(None, cache, key, inputs, files, record, skip, found.stats)  # removes staging left over)
    assert record is not None
    if record.stats != found.stats:  # files read again (touched, or too new to vouch for themselves last time)
        cache.write_value(_SPACE, key, dataclasses.replace(record, stats=found.stats))
    else:  # still in use: other builds keep what it names for RECORD_DAYS from now (see `other_snapshots`)
        cache.touch(_SPACE, key)
    return Known(BuildResult(out_dir, report.pages, 0, report.warnings, report.base_path, report.search,
                             Counts(render_reused=report.files, unchanged=True),
                             Update((), (), report.files) if in_place else None, handouts=report.handouts,
                             handouts_reused=report.handouts),
                 cache, key, inputs, files, record, skip, found.stats)


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


def _site_files(config: SiteConfig, record: Record | None) -> Scan | None:
    try:
        folders = [config.content_dir, *theme_dirs(config.root, "templates"), *theme_dirs(config.root, "static")]
    except SiteError:
        return None
    known = {path: (*stat, digest) for (path, digest), stat in zip(record.files, record.stats, strict=True)
             if stat != UNSURE} if record is not None and len(record.stats) == len(record.files) else {}
    return scan([config.settings_file], folders, known)


def staging_left(out_dir: Path) -> bool:
    parent = os.path.dirname(os.path.realpath(out_dir))
    try:
        return any(_STAGING in name for name in os.listdir(parent))
    except OSError:
        return False


def _digest_of(digests: Sequence[tuple[str, str]], options: Sequence[object]) -> str:
    hasher = hashlib.sha256(repr(tuple(options)).encode())
    for path, digest in digests:
        hasher.update(f"{path}\x00{digest}\x00".encode("utf-8", "surrogateescape"))
    return hasher.hexdigest()


@dataclass(frozen=True)
class Scan:
    """The input files, each with the digest of its bytes, in a stable order; and each one's size and
    modification time, to know it again without reading it."""

    digests: tuple[tuple[str, str], ...]  # (path, digest)
    stats: tuple[tuple[int, int], ...]  # (size, mtime in ns), or UNSURE


UNSURE = (-1, -1)  # a file modified too recently for its modification time to vouch for its bytes
_RECENT_NS = 2_000_000_000  # more than the coarsest file-system clock tick (FAT's two seconds)


def scan(files: Sequence[Path], folders: Sequence[Path],
         known: Mapping[str, tuple[int, int, str]] | None = None) -> Scan | None:
    """`files` and every file in `folders`; None when a link, or anything but a file or folder, is among them.

    A file whose size and modification time are those `known` for it (path: size, mtime in ns, digest) is
    not read again: its digest is the known one, as rsync and make trust a file's time. A time is only
    remembered once it is older than any later edit's could be (UNSURE otherwise), so a file saved twice
    within one tick of the file system's clock is still read."""
    now = time.time_ns()
    found: list[tuple[str, os.stat_result]] = []
    for path in files:
        try:
            found.append((str(path), os.lstat(path)))
        except OSError:
            continue
    for folder in folders:
        if not os.path.lexists(folder):
            continue
        if os.path.islink(folder) or not _files_under(str(folder), found):
            return None
    digests, stats = [], []
    known = known or {}
    for path, stat in found:
        if not S_ISREG(stat.st_mode):
            return None
        size, mtime = stat.st_size, stat.st_mtime_ns
        seen = known.get(path)
        if seen is not None and seen[0] == size and seen[1] == mtime:
            digest = seen[2]
        else:
            try:
                with open(path, "rb") as handle:
                    digest = hashlib.sha256(handle.read()).hexdigest()
            except OSError:
                return None
        digests.append((path, digest))
        stats.append((size, mtime) if mtime < now - _RECENT_NS else UNSURE)
    return Scan(tuple(digests), tuple(stats))


def _files_under(folder: str, found: list[tuple[str, os.stat_result]]) -> bool:
    """Add the files in `folder` (sorted), then those of each folder in it (sorted), to `found`; False when
    a link is among them."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return True  # (as os.walk: a folder that cannot be listed adds nothing)
    folders = []
    for entry in entries:
        if entry.is_symlink():
            return False
        if entry.is_dir(follow_symlinks=False):
            folders.append(entry.path)
            continue
        try:
            found.append((entry.path, entry.stat(follow_symlinks=False)))
        except OSError:
            continue
    return all(_files_under(path, found) for path in folders)


def last_record(cache: Cache, key: str) -> Record | None:
    record = cache.read_value(_SPACE, key, _CLASSES)
    return record if isinstance(record, Record) else None


RECORD_DAYS = 14  # how long a build's record keeps the jobs it kept from being pruned by other builds


def other_snapshots(cache: Cache, own: str | None) -> list[Snapshot]:
    """The snapshots of the builds other than `own` (a record's key) recorded, or found unchanged, in the last
    `RECORD_DAYS`: other output folders, a build with drafts, the preview's."""
    since = time.time() - RECORD_DAYS * 24 * 3600
    records = (last_record(cache, key) for key in cache.keys(_SPACE, since) if key != own)
    return [record.snapshot for record in records if record is not None and record.snapshot is not None]


def forget_old_records(cache: Cache, own: str | None) -> None:
    """Remove the records of the builds other than `own` not made, nor found unchanged, in the last
    `RECORD_DAYS` (each is about 0.7 KB a page; one is left for every output folder, kind of build and
    version of carepages): such a build, when it comes, is a full one."""
    cache.forget_before(_SPACE, time.time() - RECORD_DAYS * 24 * 3600, keep=own)


def unchanged(record: Record | None, inputs: str, out_dir: Path, skip: tuple[str, ...] = ()) -> Report | None:
    """The last build's report, if its inputs digest to `inputs` and `out_dir` is as it left it."""
    if record is None or record.inputs != inputs:
        return None
    return record.report if outputs(out_dir, skip) == record.outputs else None


def restated(found: tuple[tuple[str, int, int], ...], out_dir: Path, changed: Sequence[str]
             ) -> tuple[tuple[str, int, int], ...]:
    """`found` (from `outputs`) with the files `changed` (paths inside `out_dir`) looked at again."""
    again = {}
    for rel in changed:
        stat = os.lstat(os.path.join(out_dir, rel))
        again[rel] = (rel, stat.st_size, stat.st_mtime_ns)
    return tuple(again.get(item[0], item) for item in found)


def outputs(out_dir: Path, skip: tuple[str, ...] = ()) -> tuple[tuple[str, int, int], ...]:
    """Every file of `out_dir` (but those in its top-level folders named in `skip`), with its size and
    modification time."""
    found: list[tuple[str, int, int]] = []
    _outputs_under(str(out_dir), "", found, frozenset(skip))
    return tuple(sorted(found))


def _outputs_under(folder: str, prefix: str, found: list[tuple[str, int, int]], skip: frozenset[str]) -> None:
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if prefix or entry.name not in skip:
                _outputs_under(entry.path, f"{prefix}{entry.name}/", found, skip)
            continue
        try:
            stat = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        found.append((prefix + entry.name, stat.st_size, stat.st_mtime_ns))
