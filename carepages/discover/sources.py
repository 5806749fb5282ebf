"""Discovery: every input file of a site as one object that knows, from then on, where it goes.

A Markdown page's address depends on its front matter (`slug`, `layout`), so discovery reads each page's
front matter (cheap: YAML only) and decides its slug, route, URL and output path here, once (as MkDocs'
`File` does); nothing later recomputes them. The expensive work, parsing the Markdown, comes after, in
`carepages.parse`, as a pure function of the file's text.

A page whose front matter cannot be read is still listed (`unplaced`), so links to it are not reported as
broken on top of its own error, and every other page goes on to be checked in the same run.

A build with a cache gives `discover` a `FrontLookup`: the front matter a page's parse entry kept for the same
path and text (by its digest), so that a rebuild reads no YAML for a page that did not change.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .. import parallel
from ..errors import ContentError, Diagnostic, Found, Location, Problems, SiteError
from ..kinds import KINDS, PageKind
from ..routes import Router, asset_route, output_file, static_route
from ..textutil import slugify
from .files import (
    ACTIVE_SUFFIXES,
    MARKDOWN_SUFFIXES,
    active_suffix,
    boundary_error,
    real_path,
    site_boundary,
    walk_files,
)
from .frontmatter import FrontMatter, parse_front_matter
from .text import SourceText, read_text

ACTIVE_RULE = "file/active-content"

# (path, digest of its text) -> the front matter read from that same text before, and the warnings it gave
# (in the order they were given); None when it is not known
FrontLookup = Callable[[Path, str], tuple[FrontMatter, tuple[Diagnostic, ...]] | None]


@dataclass(frozen=True)
class Place:
    """Where one file ends up in the built site. Made once, at discovery."""

    slug: str
    route: str  # 'articles/what-is-ms/' (see carepages.routes)
    url: str  # root-relative, with the site's sub-path: '/patient-info/articles/what-is-ms/'
    output: PurePosixPath  # inside the output folder: articles/what-is-ms/index.html


def place(router: Router, route: str, slug: str = "") -> Place:
    return Place(slug or route_slug(route), route, router.url(route), output_file(route))


def route_slug(route: str) -> str:
    return route.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class PageSource:
    """A Markdown page: its text, its front matter, and its place in the site."""

    path: Path
    rel: PurePosixPath  # relative to content/, with forward slashes
    text: SourceText  # (None in a kept render job: edits.kept_job)
    front: FrontMatter
    kind: PageKind
    place: Place
    digest: str  # of the file's text: the parse stage's cache key
    handout: Place | None = None  # where its PDF handout goes (`build --handouts`), if its kind has one
    warnings: tuple[Diagnostic, ...] = ()  # what its front matter warned of (discovery reports them)

    @property
    def body(self) -> str:
        """The Markdown after the front matter (made when asked for: a site of 10,000 pages would otherwise
        keep every body twice)."""
        return "\n".join(self.text.lines[self.front.body_line - 1:])

    @property
    def draft(self) -> bool:
        return self.front.draft


@dataclass(frozen=True)
class StaticFile:
    """A file copied as it is: the theme's static/ files and images or PDFs under content/."""

    path: Path
    rel: PurePosixPath
    place: Place
    digest: str  # of its bytes; the first characters version its URL (style.css?v=...)

    @property
    def version(self) -> str:
        return self.digest[:10]


@dataclass(frozen=True)
class Sources:
    pages: tuple[PageSource, ...]  # published pages (and drafts, when building with --drafts)
    drafts: frozenset[PurePosixPath]  # drafts left out of this build
    unplaced: frozenset[PurePosixPath]  # pages whose front matter has errors (reported with them)
    assets: tuple[StaticFile, ...]
    static: tuple[StaticFile, ...]


def discover(content_dir: Path, theme_static: Sequence[Path], bibliography: Sequence[Path], router: Router,
             *, include_drafts: bool = False, site_root: Path | None = None,
             allow_active_assets: bool = False, known_front: FrontLookup | None = None,
             jobs: int = 1) -> Found[Sources]:
    """List and place every input: Markdown pages, content files, theme static files.

    Nothing is read from outside `site_root` (default: the folder that holds `content_dir`), and content
    files a browser could run (see `files.ACTIVE_SUFFIXES`) are refused unless `allow_active_assets`.
    `known_front` gives the front matter already read from a page's same text (see `read_page`). The pages
    whose front matter is not known are read on `jobs` processes (their YAML is most of discovery's work).
    """
    problems = Problems()
    site_root = content_dir.parent if site_root is None else site_root
    verdict = site_boundary(content_dir, site_root)
    if not verdict.inside:
        refused = boundary_error(content_dir, verdict, "folder")
        raise ContentError(refused.message.replace("this folder", "the content folder", 1), refused.location,
                           rule=refused.rule)
    if not content_dir.is_dir():
        raise ContentError("content folder not found (a site needs content/ with at least one .md file)",
                           Location(content_dir), rule="content/empty")
    skip = {real_path(p) for p in bibliography}
    skip_names = {p.name for p in skip}  # a file that is not a link has its real path's name
    pages: list[PageSource] = []
    drafts: set[PurePosixPath] = set()
    unplaced: set[PurePosixPath] = set()
    assets: list[StaticFile] = []
    listed = walk_files(content_dir, site_root)
    problems.add(listed.diagnostics)
    read = _read_pages([(path, rel) for path, rel in listed.value if path.suffix.lower() in MARKDOWN_SUFFIXES
                        and not ((path.name in skip_names or path.is_symlink()) and real_path(path) in skip)],
                       router, known_front, jobs)
    for path, rel in listed.value:
        if (path.name in skip_names or path.is_symlink()) and real_path(path) in skip:
            continue
        if path.suffix.lower() not in MARKDOWN_SUFFIXES:
            active = active_suffix(path.name)
            if active and not allow_active_assets:
                label, why = ACTIVE_SUFFIXES[active]
                problems.error(ContentError(
                    f"refusing to publish '{rel.name}', {label} ({active}): {why}. Files in content/ are "
                    "served from the site's own address, so only inert types are published; use a PDF or an "
                    "image (PNG, JPEG, WebP) instead", Location(path), rule=ACTIVE_RULE))
                continue
            assets.append(_static(path, rel, router, asset_route(rel), problems))
            continue
        page, diagnostics = read[rel]
        problems.add(diagnostics)
        if page is None:
            unplaced.add(rel)
            continue
        if page.draft and not include_drafts:
            drafts.add(rel)
        else:
            pages.append(page)
    themed = theme_files(theme_static, site_root)
    problems.add(themed.diagnostics)
    static = [_static(path, rel, router, static_route(rel), problems) for rel, path in themed.value]
    found = Sources(tuple(pages), frozenset(drafts), frozenset(unplaced), tuple(assets), tuple(static))
    return Found(found, problems.diagnostics)


Read = tuple[PageSource | None, tuple[Diagnostic, ...]]  # a page, or None and its errors; and its warnings
Known = tuple[FrontMatter, tuple[Diagnostic, ...]]  # front matter read before from the same text, and its warnings


def _read_pages(files: Sequence[tuple[Path, PurePosixPath]], router: Router, known_front: FrontLookup | None,
                jobs: int) -> dict[PurePosixPath, Read]:
    """Each Markdown file read (`_read_one`): those whose front matter is known here, the others on `jobs`
    processes (in file order, whatever the number). Each file is read once."""
    done: dict[PurePosixPath, Read] = {}
    unknown: list[tuple[Path, PurePosixPath, SourceText | None, None]] = []
    for path, rel in files:
        if known_front is None:
            unknown.append((path, rel, None, None))
            continue
        try:
            text = read_text(path)
        except SiteError as exc:
            done[rel] = None, exc.diagnostics
            continue
        known = known_front(path, text_digest(text))
        if known is None:
            unknown.append((path, rel, text, None))
        else:
            done[rel] = _read_one(router, (path, rel, text, known))
    for task, (page, diagnostics) in zip(unknown, parallel.run_tasks(_read_one, router, unknown, jobs),
                                         strict=True):
        if page is not None and page.kind is not KINDS[page.kind.name]:  # a copy, back from a worker process:
            page = dataclasses.replace(page, kind=KINDS[page.kind.name])  # kinds are told apart by identity
        done[task[1]] = page, diagnostics
    return done


def _read_one(router: Router, task: tuple[Path, PurePosixPath, SourceText | None, Known | None]) -> Read:
    """`read_page` as plain data (so that a worker process can return it)."""
    path, rel, text, known = task
    problems = Problems()
    try:
        page = read_page(path, rel, router, problems, known, text)
    except SiteError as exc:
        return None, (*exc.diagnostics, *problems.diagnostics)
    return page, problems.diagnostics


def text_digest(text: SourceText) -> str:
    """Of a page's text: part of its parse cache key."""
    return hashlib.sha256(text.text.encode("utf-8")).hexdigest()


def read_page(path: Path, rel: PurePosixPath, router: Router, problems: Problems,
              known: Known | None = None, text: SourceText | None = None) -> PageSource:
    """Read one Markdown file's front matter and decide its place; raises its front-matter errors.

    `known`: the front matter already read from this same text and its warnings (recorded again, as reading
    it would); else it is read from the text. `text`: the file's text, if it has been read."""
    text = read_text(path) if text is None else text
    digest = text_digest(text)
    if known is not None:
        front, warnings = known
        problems.add(warnings)
    else:
        start = len(problems.warnings)
        front = parse_front_matter(text, problems)
        warnings = tuple(problems.warnings[start:])
    kind = KINDS[front.layout]
    slug = front.slug or slugify(path.stem)
    if not slug:
        raise ContentError("cannot make a web address from this file name: add a 'slug' (lower-case letters, "
                           "digits and hyphens)", front.where("slug") if front.slug else Location(path, 1, 1),
                           rule="routes/unsafe")
    handout_route = kind.handout_route(slug)
    handout = place(router, handout_route, slug) if handout_route else None
    return PageSource(path, rel, text, front, kind, place(router, kind.route_for(slug), slug), digest, handout,
                      warnings)


def _static(path: Path, rel: PurePosixPath, router: Router, route: str, problems: Problems) -> StaticFile:
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        problems.error(ContentError(f"cannot read file: {exc.strerror}", Location(path), rule="file/unreadable"))
        digest = ""
    try:
        where = place(router, route)
    except SiteError as exc:
        problems.error(ContentError(f"cannot publish this file: {exc.message}", Location(path),
                                    rule="routes/unsafe"))
        where = Place(rel.name, route, router.url(route), PurePosixPath("unsafe"))
    return StaticFile(path, rel, where, digest)


def theme_files(folders: Sequence[Path], site_root: Path | None = None) -> Found[list[tuple[PurePosixPath, Path]]]:
    """Files of several theme folders merged by relative path; earlier folders win (site over project).

    A folder below `site_root` is the site's own, and its links must stay inside the site; the project's
    default theme is trusted, and its links must only stay inside the theme folder itself.
    """
    merged: dict[PurePosixPath, Path] = {}
    errors: list[Diagnostic] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        own = site_root is not None and Path(os.path.abspath(folder)).is_relative_to(os.path.abspath(site_root))
        listed = walk_files(folder, site_root if own else None)
        errors.extend(listed.diagnostics)
        for path, rel in listed.value:
            merged.setdefault(rel, path)
    return Found(sorted(merged.items(), key=lambda item: str(item[0])), tuple(errors))
