"""A rebuild after editing the text of a few pages: only those pages are read, parsed, rendered and written.

Every other output of a site depends on a page only through what the rest of the site sees of it: its front
matter (title, summary, topics, dates, questions), and what its Markdown names (heading anchors, links,
citations, glossary terms, care cards); these are its *facets*. Its own file depends on those, on the site
around it, and on its text. So when the only inputs that changed since the last build are pages whose facets
did not change, every other file would come out byte for byte as it is, and the page's own file can be made
from the render job the last build kept (cached under the job's digest) with the new text put in it.

Templates are the other edit made this way (`restyled`), and so are the settings of site.toml that only
rendering reads (the site's title, tagline and language, the organisation's details: `model_settings`). A
job's digest leaves its templates and site.toml out, so when only those changed, every job is the one the
last build kept, and each job whose templates or settings changed (the template it renders with, and those
that one extends, includes or imports) is rendered again from it. A content page's job is kept with its
article view (`kept_job`), what its template shows of the page, made from its parse: a restyle reads neither
the page nor its parse. Whether an edit of site.toml is such an edit is known by `settings_digest`, of the
rest of its settings.

Anything else takes the ordinary build: a file added or removed, any other setting of site.toml, a static
file, the bibliography or the glossary changed, a template changed together with a page, a page whose front
matter or facets changed, a page with a warning before or after the edit (its messages carry line numbers
the edit may have moved), site.toml with a warning before or after its edit (the same), an output folder
that is not as the last build left it, or a cache entry that is missing. The test suite checks that these
ways write exactly the bytes a full build writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from markupsafe import Markup

from .bibliography import Bibliography, Reference
from .cache import OWN_DATA
from .checks import BUILD_PAGE_CHECKS
from .checks.settings import BUILD_SETTINGS
from .config import SiteConfig, model_settings
from .discover.sources import PageSource, read_page
from .errors import Problems, SiteError
from .freshness import PageEntry, Snapshot
from .markdown import MarkdownEngine
from .model.site import Page
from .parse import ParsedPage, parse_page
from .render.digest import digest
from .render.jobs import ContentInputs, OutputFile, RenderJob, article_view, job_digest, render_job
from .render.shared import SharedView
from .render.templates import Templates
from .render.views import ArticleView
from .routes import Router

SPACE = "pages"  # cache space of the kept render jobs (and the site-wide view they render with)
MOST_PAGES = 20  # more pages changed at once than this: the ordinary build, which does them in parallel


# What a kept job may be made of: carepages' own data classes, and these.
KEPT_CLASSES = (OWN_DATA, Markup, dt.date, dt.datetime, Path, PurePosixPath, type(Path()))


def front_digest(text_lines: Sequence[str], body_line: int) -> str:
    return hashlib.sha256("\n".join(text_lines[:max(body_line - 1, 0)]).encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class KeptContent:
    """A content page's render job as it is kept (`kept_job`)."""

    job: RenderJob  # its page without its text and parse
    article: ArticleView  # what its template shows of the page (`article_view`)
    # its JSON-LD (`structured_data`), and the digest of the config it was made with (a restyle that keeps
    # the config, a template edit, uses it as it is)
    structured: tuple[str, Markup] | None = None


def kept_job(job: RenderJob, article: ArticleView, structured: tuple[str, Markup] | None = None) -> KeptContent:
    """A content page's job as it is kept: its page without its text and parse, which the next edit of the
    page brings anew (and which are the bulk of it), but with its front matter and place; and with `article`,
    made from them, so that a restyle renders the page from this entry alone. It is written with
    `shared_id`, so its references are kept once for all jobs."""
    assert isinstance(job.inputs, ContentInputs)
    page = job.inputs.page
    page = dataclasses.replace(page, source=dataclasses.replace(page.source, text=None), parsed=None)
    return KeptContent(dataclasses.replace(job, inputs=dataclasses.replace(job.inputs, page=page)), article,
                       structured)


@dataclass(frozen=True)
class KeptKeys:
    """How kept jobs are named in the cache: besides a job's digest (`job_digest`), by what a content page's
    article view is made with: carepages' code (`cache.engine_fingerprint`), site.toml's model settings
    (`settings_digest`) and the Markdown engine (its fingerprint). A view made otherwise is then not found,
    but made again."""

    fingerprint: str
    settings: str
    engine: str

    @classmethod
    def of(cls, fingerprint: str, snapshot: Snapshot) -> KeptKeys:
        """The names of the jobs a build that left `snapshot` kept."""
        return cls(fingerprint, snapshot.settings, snapshot.engine)

    def key(self, job: str) -> str:
        """The cache key of the kept job whose digest is `job`."""
        return digest("kept", self.fingerprint, job, self.settings, self.engine)


def kept_keys(fingerprint: str, snapshot: Snapshot) -> set[str]:
    """The keys of what an edit made from `snapshot` reads from the cache's space `SPACE`: its kept jobs, the
    site-wide view and the bibliography's table."""
    names = KeptKeys.of(fingerprint, snapshot)
    return {names.key(kept.job) for kept in snapshot.jobs} | {snapshot.shared, snapshot.references}


def shared_id(value: object) -> tuple[str, str] | None:
    """How a kept job names a value kept once for every job (`Cache.write_value`): a bibliography entry, by
    its key (written in full, the references were two thirds of a page's kept job)."""
    return ("reference", value.key) if type(value) is Reference else None


def shared_values(bibliography: Bibliography) -> dict[tuple[str, str], Reference]:
    """What a kept job's `shared_id`s name (`Cache.read_value`'s `shared`)."""
    return {("reference", key): reference for key, reference in bibliography.entries.items()}


@dataclass(frozen=True)
class EditContext:
    """The site-wide values a page renders with, as the last build had them."""

    config: SiteConfig
    router: Router
    engine: MarkdownEngine
    templates: Templates
    shared: SharedView
    snapshot: Snapshot


@dataclass(frozen=True)
class Edited:
    """One page made again: its file, its new entry, and its parse and job (for the cache)."""

    output: OutputFile
    entry: PageEntry
    parsed: ParsedPage
    job: RenderJob
    article: ArticleView


def changed_pages(snapshot: Snapshot, before: Sequence[tuple[str, str]], now: Sequence[tuple[str, str]],
                  warned: set[str]) -> list[PageEntry] | None:
    """The pages whose files changed, if nothing else did (no file added, removed or changed that is not a
    page the last build kept, and no warning in any of them); else None."""
    old, new = dict(before), dict(now)
    if old.keys() != new.keys():
        return None
    changed = [path for path, digest in new.items() if old[path] != digest]
    entries = {entry.path: entry for entry in snapshot.pages}
    if not changed or len(changed) > MOST_PAGES or any(p not in entries or p in warned for p in changed):
        return None
    return [entries[path] for path in sorted(changed)]


@dataclass(frozen=True)
class Restyle:
    """What changed since the last build, when nothing but templates and site.toml did."""

    templates: bool
    settings: bool  # site.toml


def restyled(before: Sequence[tuple[str, str]], now: Sequence[tuple[str, str]], folders: Sequence[Path],
             site_toml: Path) -> Restyle | None:
    """Which of templates (files in the template `folders`) and site.toml changed since the last build, if
    every input file added, removed or changed is one of those (and one is); else None."""
    old, new = dict(before), dict(now)
    changed = {os.path.abspath(path) for path in old.keys() | new.keys() if old.get(path) != new.get(path)}
    settings = os.path.abspath(site_toml)
    inside = tuple(f"{os.path.abspath(folder)}{os.sep}" for folder in folders)
    templates = {path for path in changed if path != settings}
    if not changed or not all(path.startswith(inside) for path in templates):
        return None
    return Restyle(bool(templates), settings in changed)


def settings_digest(config: SiteConfig) -> str:
    """Of what the site model and the render jobs read of site.toml (`model_settings`): its texts, and where
    each setting is written, included."""
    return digest(model_settings(config))


def with_page(job: RenderJob, source: PageSource, parsed: ParsedPage) -> RenderJob:
    """A kept content job (see `kept_job`) with its page's source and parse put back."""
    inputs = job.inputs
    assert isinstance(inputs, ContentInputs)
    page: Page = dataclasses.replace(inputs.page, source=source, parsed=parsed)
    return dataclasses.replace(job, inputs=dataclasses.replace(inputs, page=page))


def rebuild_page(entry: PageEntry, job: RenderJob, context: EditContext) -> Edited | None:
    """The page of `entry` made again from its kept `job` and its file as it is now; None when it cannot be
    done this way (see the module docstring)."""
    problems = Problems()
    try:
        source = read_page(Path(entry.path), PurePosixPath(entry.rel), context.router, problems)
    except SiteError:
        return None
    if problems.diagnostics or source.place.route != entry.route:
        return None
    if front_digest(source.text.lines, source.front.body_line) != entry.front:
        return None
    try:
        parsed = parse_page(source, context.engine)
    except SiteError:
        return None
    if parsed.facets != entry.facets:
        return None
    new_job = with_page(job, source, parsed)
    page = new_job.inputs.page  # type: ignore[union-attr]
    if any(True for check in BUILD_PAGE_CHECKS for _ in check(page, BUILD_SETTINGS)):
        return None
    try:
        article = article_view(new_job, context.config, context.engine)
        data = render_job(new_job, context.config, context.shared, context.engine, context.templates,
                          article).data
    except SiteError:
        return None
    assert data is not None and article is not None
    digest = job_digest(new_job)
    return Edited(OutputFile(job.route, job.output, data), dataclasses.replace(entry, job=digest), parsed, new_job,
                  article)
