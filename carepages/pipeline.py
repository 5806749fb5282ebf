"""The build, end to end: config -> discover -> parse -> model -> checks -> render -> write.

Each stage is a function with explicit inputs that returns its result and what it found; this module only
calls them in order and gathers the findings. Every problem that can be found is found in one run: a page
with a front-matter error is left out of the later stages, and every other page goes on to be checked.

Parsing and rendering are many small pure tasks: they run on every CPU (`parallel.py`, `jobs`), and their
results are kept in the build cache (`cache.py`) under a digest of exactly their inputs, so a rebuild parses
and renders only what changed. The output is the same bytes whichever way each file was made.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import itertools
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from markupsafe import Markup

from . import edits, freshness, parallel
from .bibliography import Bibliography, bibliography_files, load_bibliography
from .cache import DEFAULT_FOLDER, Cache, Identity, engine_fingerprint, unusable
from .checks import run_checks
from .config import SiteConfig, load_config
from .discover.files import site_boundary
from .discover.frontmatter import FaqEntry, FrontMatter, Located
from .discover.sources import FrontLookup, PageSource, Sources, discover
from .discover.theme import theme_dirs
from .errors import (
    BuildFailed,
    ContentError,
    Diagnostic,
    Found,
    Location,
    OutputError,
    Problems,
    SiteError,
    all_diagnostics,
    raise_errors,
)
from .glossary import Glossary, glossary_path, load_glossary
from .glossary.matching import site_engine
from .ids import site_text_prefix
from .kinds import KINDS
from .markdown import CitationUse, CitedItem, Heading, LinkUse, MarkdownEngine, ParsedMarkdown
from .markdown.document import CareUse
from .markdown.render import Hole, PreRendered
from .model.build import build_model
from .model.site import Site
from .parse import ParsedPage, parse_page
from .render.digest import Digester, digest
from .render.jobs import (
    ContentInputs,
    CopyInputs,
    OutputFile,
    RenderJob,
    article_view,
    job_digest,
    plan_jobs,
    render_job,
    structured_data,
    template_name,
)
from .render.shared import SharedView, build_shared, with_settings
from .render.templates import Named, TemplateBytecodeCache, Templates
from .result import BuildResult, Counts, Update
from .routes import Router
from .search import BUNDLE, SearchError, SearchResult, index_site
from .write.output import (
    MARKER,
    Staged,
    check_output_dir,
    discard,
    holds,
    output_target,
    put_in_place,
    stage_beside,
    update_site,
    write_files,
    write_site,
)

# A build with --drafts shows unreviewed pages: it goes to its own folder, and carries this file so that a
# deploy step can refuse it (see the README's "Publishing").
DRAFTS_MARKER = ".carepages-drafts"
DRAFTS_MARKER_TEXT = ("This site was built with --drafts: it contains pages that are not reviewed. Do not "
                      "publish it.\n")


@dataclass(frozen=True)
class ParseEntry:
    """What the cache keeps under a page's parse key (its path and text): its front matter and the warnings
    reading it gave, so that discovery reads no YAML for a page that did not change, and its parse."""

    front: FrontMatter
    warnings: tuple[Diagnostic, ...]
    parsed: ParsedPage


# What a parse entry may contain (the cache's unpickler knows no other class).
PARSED_CLASSES = (ParseEntry, ParsedPage, ParsedMarkdown, PreRendered, Hole, Heading, CitationUse, LinkUse,
                  CitedItem, CareUse, Location, type(Path()), FrontMatter, Located, FaqEntry, dt.date, Diagnostic)


@dataclass(frozen=True)
class Work:
    """How a build does its work: on how many processes, with which cache, telling whom of its progress."""

    jobs: int = 1  # worker processes for parsing and rendering (1: all in this one)
    cache: Cache = field(default_factory=lambda: Cache(None))
    fingerprint: str = ""  # of the engine's code: part of every cache key
    progress: Progress | None = None


class Progress:
    """Told of long work as it goes (the command line shows it on a terminal)."""

    def start(self, what: str, total: int) -> None: ...

    def advance(self, done: int) -> None: ...


@dataclass(frozen=True)
class LoadedSite:
    """Everything up to rendering: the validated model, and what renders it."""

    site: Site
    engine: MarkdownEngine
    templates: Templates
    warnings: tuple[Diagnostic, ...]
    parsed: int = 0  # pages parsed by this load
    parse_reused: int = 0  # parse results read from the cache


@dataclass(frozen=True)
class RenderPlan:
    """The render stage's input: one job per output file, and the site-wide values they read."""

    jobs: tuple[RenderJob, ...]
    shared: SharedView
    digests: Mapping[str, str]  # route -> digest of that job (`job_digest`)
    config: str = ""  # digest of the config the jobs are rendered with


@dataclass(frozen=True)
class ModelledSite:
    """The stages up to the model, run to their end whatever they found: the model made of every page that
    could be modelled, and every error and warning on the way. `build` fails on the errors; `check` reports
    them beside its own rules."""

    site: Site
    engine: MarkdownEngine
    errors: tuple[SiteError, ...]
    warnings: tuple[Diagnostic, ...]  # in file and line order
    parsed: int = 0  # pages parsed
    parse_reused: int = 0  # parse results read from the cache

    @property
    def findings(self) -> tuple[Diagnostic, ...]:
        """Errors and warnings, each once, in file and line order."""
        return all_diagnostics(self.errors, self.warnings)


def model_site(site_dir: Path | str = ".", *, drafts: bool = False, keep_tokens: bool = False,
               work: Work | None = None) -> ModelledSite:
    """Read, parse and model the whole site, and run the build's checks, without stopping at errors.

    Raises `SiteError` only when there is nothing to model: site.toml cannot be read, or the content folder
    has no Markdown pages. `keep_tokens` keeps each text's token tree in the model (for checks that read the
    prose; such a run neither reads nor writes the cache)."""
    root = Path(os.path.abspath(site_dir))
    problems = Problems()
    config = load_config(root, problems)
    return _model(config, problems, drafts=drafts, keep_tokens=keep_tokens, work=work or Work())


def make_work(config: SiteConfig, problems: Problems, *, jobs: int | None, cache_dir: Path | str | None,
              cache: bool, progress: Progress | None) -> Work:
    """`jobs` processes (None: one per CPU), the cache in `cache_dir` (default: site.toml's cache_dir) unless
    not `cache`, and `progress`. A cache folder that cannot be used is a warning, and the work has no cache."""
    folder = freshness.cache_folder(config, cache_dir) if cache else None
    if folder is not None and (reason := unusable(folder)) is not None:
        problems.warn(f"the build cache cannot be kept here: {reason}; every page is done again, and nothing is kept "
                      "for the next run (give another folder with --cache-dir or site.toml's cache_dir, or use "
                      "--no-cache)",
                      Location(folder), rule="cache/unusable")
        folder = None
    return Work(parallel.default_jobs() if jobs is None else max(1, jobs), Cache(folder), engine_fingerprint(),
                progress)


def _model(config: SiteConfig, problems: Problems, *, drafts: bool, keep_tokens: bool, work: Work) -> ModelledSite:
    root = config.root
    router = Router(config.base_url, config.base_path)
    bib_paths = bibliography_files(config.content_dir, config.bibliography)
    glossary = load_site_glossary(config, problems, work)
    engine = site_engine(config, router, glossary)

    skipped = [*bib_paths, glossary_path(config.content_dir)]  # read as data, not copied
    kept: dict[str, ParsedPage] = {}  # parse key -> the parse the cache kept, read with the front matter
    found = discover(config.content_dir, theme_dirs(root, "static"), skipped, router, include_drafts=drafts,
                     known_front=None if keep_tokens else _known_front(work, engine, kept), jobs=work.jobs)
    problems.add(found.diagnostics)
    sources = found.value
    if keep_tokens:
        parsed = _parse_pages(sources, engine, problems, keep_tokens=True)
        fresh, reused = len(parsed), 0
    else:
        parsed, fresh, reused = _parse_cached(sources, engine, problems, work, kept)
    texts = _parse_site_texts(config, engine)
    loaded = _read_kept(work, "bibliography", bib_paths, Bibliography, lambda: load_bibliography(bib_paths))
    problems.add(loaded.diagnostics)
    if not (sources.pages or sources.drafts or sources.unplaced):
        raise ContentError("the content folder has no Markdown (.md) pages yet: add one with "
                           "'python build.py new \"Title\"'", Location(config.content_dir), rule="content/empty")

    model = build_model(config, router, sources, parsed, loaded.value, texts, glossary)
    problems.add(model.diagnostics)
    problems.add(run_checks(model.value))
    return ModelledSite(model.value, engine, tuple(problems.errors), tuple(problems.sorted_warnings()), fresh,
                        reused)


def load_site(site_dir: Path | str = ".", *, drafts: bool = False, work: Work | None = None) -> LoadedSite:
    """Read, parse and check the whole site; raises `BuildFailed` with every error found."""
    root = Path(os.path.abspath(site_dir))
    problems = Problems()
    config = load_config(root, problems)
    return _load(config, problems, drafts=drafts, work=work or Work())


def _load(config: SiteConfig, problems: Problems, *, drafts: bool, work: Work) -> LoadedSite:
    modelled = _model(config, problems, drafts=drafts, keep_tokens=False, work=work)
    raise_errors(modelled.errors)  # every error of every stage, reported together
    templates = _templates(config, work)
    return LoadedSite(modelled.site, modelled.engine, templates, modelled.warnings, modelled.parsed,
                      modelled.parse_reused)


def _templates(config: SiteConfig, work: Work) -> Templates:
    templates = Templates(theme_dirs(config.root, "templates"),
                          functools.partial(_remember_named, work) if work.cache.folder is not None else None)
    if work.cache.folder is not None:
        folder = work.cache.folder / "templates"
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            templates.keep_compiled(TemplateBytecodeCache(str(folder)))
    return templates


TEMPLATES_NAMED = "named"  # the cache's space of what each template names (`_remember_named`)


def _remember_named(work: Work, source_digest: str, find: Callable[[], Named]) -> Named:
    """Which templates a template names, kept in the cache under the digest of its source (and of the code:
    Jinja2's version is part of it), so that a build parses only the templates edited since the last one."""
    key = digest(work.fingerprint, TEMPLATES_NAMED, source_digest)
    kept = work.cache.made_value(TEMPLATES_NAMED, key, (frozenset,), _holds_named, lambda: (find(),))
    return kept[0]


def _holds_named(value: Any) -> bool:
    """Whether a value read back is `_remember_named`'s: (None,) or (a frozenset of template names,)."""
    return isinstance(value, tuple) and len(value) == 1 and (value[0] is None or (
        isinstance(value[0], frozenset) and all(isinstance(name, str) for name in value[0])))


def plan(loaded: LoadedSite, *, handouts: bool = False) -> RenderPlan:
    site = loaded.site
    shared = build_shared(site, loaded.engine)
    jobs = tuple(plan_jobs(site, handouts=handouts))
    digester = Digester()
    digests = {job.route: job_digest(job, digester) for job in jobs}
    return RenderPlan(jobs, shared, digests, digester.digest(site.config))


def render(loaded: LoadedSite, render_plan: RenderPlan | None = None) -> list[OutputFile]:
    return render_files(loaded, render_plan or plan(loaded), Work())[0]


def render_files(loaded: LoadedSite, render_plan: RenderPlan, work: Work) -> tuple[list[OutputFile], Counts]:
    """Every output file, in job order (see `render_stream`), and what was rendered and re-used."""
    tally = Tally()
    files = list(render_stream(loaded, render_plan, work, tally))
    return files, tally.counts()


@dataclass
class Tally:
    """What a render stream did; complete once the stream has been read to its end."""

    rendered: list[str] = field(default_factory=list)  # routes
    reused: int = 0
    copied: int = 0

    def counts(self) -> Counts:
        return Counts(rendered=tuple(self.rendered), render_reused=self.reused, copied=self.copied)


def render_stream(loaded: LoadedSite, render_plan: RenderPlan, work: Work, tally: Tally, *,
                  keep: edits.KeptKeys | None = None, keys: Mapping[str, str] | None = None) -> Iterator[OutputFile]:
    """Every output file, in job order: copied, read from the cache, or rendered (on `work.jobs` processes).
    They come one at a time, to be written as they come rather than all held at once (a site of 10,000
    pages is half a gigabyte of HTML). The first template error, in job order, is raised. A file from the
    cache names its entry (`same_as`, without its bytes), so that the writer can link it rather than copy
    it; a rendered one is kept in the cache by whoever writes it (`keep_rendered`). `keep`: the content
    pages' render jobs are kept in the cache as they are rendered, under these names (see edits.py).
    `keys`: `render_keys`, if the caller has them."""
    config = loaded.site.config
    keys = render_keys(render_plan, work, loaded.templates) if keys is None else keys
    entries = {route: work.cache.linked("render", key) for route, key in keys.items()}
    todo = [job for job in render_plan.jobs if job.route in keys and entries[job.route] is None]
    if todo:
        loaded.templates.load(sorted({KINDS[job.kind].template for job in todo if job.kind in KINDS}))
        if work.progress:
            work.progress.start("rendering", len(todo))
    kept = {route: keep.key(job) for route, job in render_plan.digests.items()} if keep is not None else {}
    state = RenderState(config, render_plan.shared, loaded.engine, loaded.templates, work.cache, kept,
                        render_plan.config)
    results = parallel.iter_tasks(_render_task, state, todo, work.jobs,
                                  work.progress.advance if work.progress else None, alone=_lists_pages)
    for job in render_plan.jobs:
        if isinstance(job.inputs, CopyInputs):
            tally.copied += 1
            yield render_job(job, config, render_plan.shared, loaded.engine, loaded.templates)
            continue
        entry = entries[job.route]
        if entry is not None:
            tally.reused += 1
            yield OutputFile(job.route, job.output, same_as=entry)  # read only if it cannot be linked
            continue
        result = next(results)
        if not isinstance(result, bytes):
            raise BuildFailed(result)
        tally.rendered.append(job.route)
        yield OutputFile(job.route, job.output, result)


def render_keys(render_plan: RenderPlan, work: Work, templates: Templates) -> dict[str, str]:
    """route -> render cache key, for every job that renders (not the files copied as they are)."""
    shared = render_plan.shared.digest
    return {job.route: render_key(work, render_plan.digests[job.route], render_plan.config,
                                  shared if job.uses_templates else "", templates_digest(templates, job))
            for job in render_plan.jobs if not isinstance(job.inputs, CopyInputs)}


def keep_rendered(work: Work, keys: Mapping[str, str], item: OutputFile, path: Path) -> None:
    """Keep a page rendered by this build in the cache, as a link to `path`, where it was just written."""
    if item.same_as is None and item.data is not None and item.route in keys:
        work.cache.link("render", keys[item.route], item.data, path)


@dataclass(frozen=True)
class RenderState:
    """What every render task reads (a worker has it from the fork)."""

    config: SiteConfig
    shared: SharedView
    engine: MarkdownEngine
    templates: Templates
    cache: Cache
    kept: Mapping[str, str]  # route -> its kept job's key (`edits.KeptKeys`), for the jobs kept (see edits.py)
    config_digest: str = ""  # of `config`, kept with a page's JSON-LD


def _lists_pages(job: RenderJob) -> bool:
    """Whether a job's file may list every page (a topic, the feed, the sources), and so grow with the site."""
    return not isinstance(job.inputs, ContentInputs)


def _render_task(state: RenderState, job: RenderJob) -> bytes | tuple[Diagnostic, ...]:
    """Render one job, and keep a content page's job with its article view in the cache (see edits.py), in
    the worker."""
    try:
        article = article_view(job, state.config, state.engine)
        structured = (structured_data(state.config, job.inputs.page, article)
                      if article is not None and isinstance(job.inputs, ContentInputs) else None)
        data = render_job(job, state.config, state.shared, state.engine, state.templates, article,
                          structured).data
    except SiteError as exc:
        return exc.diagnostics
    assert data is not None
    kept = state.kept.get(job.route)
    if kept and article is not None and not state.cache.has(edits.SPACE, kept):
        state.cache.write_value(edits.SPACE, kept, edits.kept_job(
            job, article, (state.config_digest, structured) if structured is not None else None), edits.shared_id)
    return data


def build(site_dir: Path | str = ".", out: Path | str | None = None, *, drafts: bool = False,
          strict: bool = False, search: bool = True, jobs: int | None = None,
          cache_dir: Path | str | None = None, cache: bool = True, progress: Progress | None = None,
          in_place: bool = False, handouts: bool = False, known: freshness.Known | None = None) -> BuildResult:
    """Build the site in `site_dir` into `out` (default: site.toml's output_dir). Raises `SiteError`.

    With `search`, Pagefind indexes the complete staged site before it goes live (a failed index leaves the
    previous site in place); `search=False` leaves the index out, for quick previews and benchmarks.
    `jobs` worker processes parse and render (default: one per CPU); the cache is `cache_dir` (default:
    site.toml's cache_dir), or none with `cache=False`.

    `in_place` (the live preview) updates the output folder where it is instead of replacing it: only the
    files whose bytes changed are written, and `update` says which. It never indexes: with `search` the
    folder's search bundle is kept as it is, for the caller to index again once the new pages are shown.

    With `handouts`, each article also gets a PDF handout (the optional WeasyPrint and segno, checked first).
    `known`: what `freshness.unchanged_build` found for these same arguments just before (the command line asks
    it first, before importing the rest), so that every input file is not read twice."""
    to_pdf = None
    if handouts:  # before anything else: a missing library is reported at once, and the build stops
        from .handouts import load_renderer
        to_pdf = load_renderer()
    root = Path(os.path.abspath(site_dir))
    problems = Problems()
    config = load_config(root, problems)
    work = make_work(config, problems, jobs=jobs, cache_dir=cache_dir, cache=cache, progress=progress)
    # In place, the search bundle is the caller's (it indexes after the pages are shown): the record of the
    # output folder leaves it out, and an edit can be made from the kept jobs.
    if known is None or known.cache.folder != work.cache.folder:
        known = freshness.unchanged_build(config, work.cache, work.fingerprint, out, drafts=drafts, search=search,
                                          strict=strict, in_place=in_place, skip=(BUNDLE,) if in_place else (),
                                          handouts=handouts)
    if known.result is not None:
        return known.result
    if handouts:  # made by the ordinary build (each PDF from the cache if it has it)
        with parallel.frozen_heap():
            return _build(config, problems, out, drafts=drafts, strict=strict, search=search, work=work,
                          in_place=in_place, to_pdf=to_pdf, known=known)
    with parallel.frozen_heap():
        out_dir = freshness.output_dir(config, out, drafts)
        # A build that indexes (not in place) is made whole in a staging folder and indexed there: after an edit,
        # the new files made from the kept jobs, the unchanged ones linked from the live site
        index = search and not in_place
        edited = (_rebuild_edited(config, known, work, out_dir, strict, index=index)
                  or _restyle(config, known, work, out_dir, strict, problems, index=index))
        if edited is not None:
            return edited
        return _build(config, problems, out, drafts=drafts, strict=strict, search=search, work=work,
                      in_place=in_place, known=known)


def _build(config: SiteConfig, problems: Problems, out: Path | str | None, *, drafts: bool, strict: bool,
           search: bool, work: Work, in_place: bool = False, to_pdf: Any = None,
           known: freshness.Known | None = None) -> BuildResult:
    loaded = _load(config, problems, drafts=drafts, work=work)
    if strict and loaded.warnings:
        raise BuildFailed([SiteError(f"{d.message} (warnings are errors with --strict)", d.location, d.rule)
                           for d in loaded.warnings])
    out_dir = freshness.output_dir(config, out, drafts)
    if out is None:  # from site.toml (and '-drafts' beside it): it must stay inside the site; --out may not
        verdict = site_boundary(out_dir, config.root)
        if not verdict.inside:
            raise OutputError(f"the output folder '{out_dir}' {verdict.reason}; give --out to build elsewhere",
                              Location(out_dir), rule=verdict.rule)
    check_output_dir(out_dir, _protected(config))
    render_plan = plan(loaded, handouts=to_pdf is not None)
    tally = Tally()
    keep = (edits.KeptKeys(work.fingerprint, edits.settings_digest(config), loaded.engine.fingerprint)
            if to_pdf is None and known is not None else None)
    keys = render_keys(render_plan, work, loaded.templates)
    stream = render_stream(loaded, render_plan, work, tally, keep=keep, keys=keys)
    files: Iterable[OutputFile] = list(stream) if in_place or to_pdf else stream
    made, handouts_reused, warnings, handouts_space = 0, 0, loaded.warnings, ""
    if to_pdf is not None:
        from .handouts import make_handouts
        from .handouts.make import SPACE as handouts_space
        pdfs = make_handouts(loaded.site, loaded.engine, loaded.templates, render_plan.shared, to_pdf,
                             cache=work.cache, fingerprint=work.fingerprint, jobs=work.jobs, progress=work.progress)
        if strict and pdfs.diagnostics:
            raise BuildFailed([SiteError(f"{d.message} (warnings are errors with --strict)", d.location, d.rule)
                               for d in pdfs.diagnostics])
        files = [*files, *pdfs.value.files]
        made, warnings = len(pdfs.value.files), (*warnings, *pdfs.diagnostics)
        handouts_reused = pdfs.value.reused
    if drafts:
        files = itertools.chain(files, [OutputFile(DRAFTS_MARKER, PurePosixPath(DRAFTS_MARKER),
                                                   DRAFTS_MARKER_TEXT.encode())])
    if in_place:
        files = list(files)
        update = update_site(files, out_dir, keep=(BUNDLE,) if search else ())
        shown = output_target(out_dir)
        for item in files:
            keep_rendered(work, keys, item, shown / item.output)
        work.cache.save_index("render")
        result = BuildResult(out_dir, len(loaded.site.pages), len(files), loaded.warnings, config.base_path,
                             counts=_counts(loaded, tally), update=update)
        if known is not None:
            known.remember(result, _keep_jobs(loaded, render_plan, work, keep) if keep is not None else None)
        return result
    indexed: list[SearchResult] = []

    def index(staging: Path) -> None:  # on the complete staged site, before the swap
        indexed.append(index_site(staging, shown=out_dir))

    count = write_site(files, out_dir, before_swap=index if search else None,
                       written=lambda item, path: keep_rendered(work, keys, item, path))
    result = BuildResult(out_dir, len(loaded.site.pages), count, warnings, config.base_path,
                         indexed[0] if indexed else None, _counts(loaded, tally), handouts=made,
                         handouts_reused=handouts_reused)
    if known is not None:
        known.remember(result, _keep_jobs(loaded, render_plan, work, keep) if keep is not None else None)
    # The cache keeps what this build used, and nothing else; but for the jobs kept for other builds'
    # edits (a preview with drafts, another output folder), recorded recently
    own = known.key if known is not None else None
    freshness.forget_old_records(work.cache, own)
    for snapshot in freshness.other_snapshots(work.cache, own):
        for key in edits.kept_keys(work.fingerprint, snapshot):
            work.cache.mark(edits.SPACE, key)
    # (the handouts' space only by a build that makes them: a build without them leaves them for the next)
    for space in ("parse", "render", edits.SPACE, TEMPLATES_NAMED, DATA, *((handouts_space,) if to_pdf else ())):
        work.cache.prune(space)
    return result


def _counts(loaded: LoadedSite, tally: Tally) -> Counts:
    return Counts(loaded.parsed, loaded.parse_reused, tuple(tally.rendered), tally.reused, tally.copied)


def _keep_jobs(loaded: LoadedSite, render_plan: RenderPlan, work: Work,
               names: edits.KeptKeys) -> freshness.Snapshot | None:
    """Keep each render job but the copies of static files (under `names`: an unchanged job is kept
    already, and a content page's was kept by its render task; one rendered by an earlier build without
    keeping it is kept here, as `edits.kept_job`) and the site-wide view, for a later rebuild after an edit
    of pages, of templates or of site.toml (see edits.py)."""
    if work.cache.folder is None:
        return None
    config, engine, cache = loaded.site.config, loaded.engine, work.cache
    entries, kept, used = [], [], {}
    for job in render_plan.jobs:
        if isinstance(job.inputs, CopyInputs):
            continue
        name = template_name(job) or ""
        key = render_plan.digests[job.route]
        kept_key = names.key(key)
        if not (cache.keep(edits.SPACE, kept_key)
                or cache.write_value(edits.SPACE, kept_key, _kept(job, config, engine), edits.shared_id)):
            return None
        kept.append(freshness.KeptJob(job.route, job.output.as_posix(), key, name))
        if name:
            used[name] = loaded.templates.digest_for(name)
        if isinstance(job.inputs, ContentInputs):
            page = job.inputs.page
            entries.append(freshness.PageEntry(str(page.source.path), page.rel.as_posix(), job.route, key,
                                               edits.front_digest(page.source.text.lines, page.front.body_line),
                                               page.parsed.facets, parse_key(work, loaded.engine, page.source)))
    shared = render_plan.shared.digest
    if not work.cache.keep_value(edits.SPACE, shared, render_plan.shared):
        return None
    references = loaded.site.bibliography.entries
    references_key = digest("references", tuple(sorted(references.items())))
    if not work.cache.keep_value(edits.SPACE, references_key, edits.shared_values(loaded.site.bibliography)):
        return None
    return freshness.Snapshot(tuple(entries), shared, loaded.templates.digest, loaded.engine.fingerprint,
                              tuple(kept), tuple(sorted(used.items())), render_plan.config, names.settings,
                              references_key)


def _kept(job: RenderJob, config: SiteConfig, engine: MarkdownEngine) -> RenderJob | edits.KeptContent:
    """A job as it is kept: a content page's with its article view (`edits.kept_job`), any other as it is."""
    article = article_view(job, config, engine)
    return job if article is None else edits.kept_job(job, article)


@dataclass(frozen=True)
class _LastBuild:
    """What a rebuild from the jobs the last build kept starts from (see edits.py)."""

    record: freshness.Record
    snapshot: freshness.Snapshot
    found: tuple[tuple[str, int, int], ...]  # the output folder's files, as the last build left them
    router: Router
    engine: MarkdownEngine
    templates: Templates
    shared: SharedView
    references: Mapping[Any, Any]  # what the kept jobs name by an id (edits.shared_values)


def _last_build(config: SiteConfig, known: freshness.Known, work: Work, out_dir: Path,
                strict: bool) -> _LastBuild | None:
    """The last build's kept state, if a rebuild can start from it: it kept its jobs, reported no warning that
    --strict makes an error, left the output folder as it is now, and parsed with the same settings."""
    record = known.record
    if record is None or record.snapshot is None or known.inputs is None or (strict and record.report.warnings):
        return None
    if freshness.staging_left(out_dir):
        return None
    found = freshness.outputs(out_dir, known.skip)
    if found != record.outputs:
        return None
    problems = Problems()
    router = Router(config.base_url, config.base_path)
    engine = site_engine(config, router, load_site_glossary(config, problems, work))
    if problems.diagnostics or engine.fingerprint != record.snapshot.engine:
        return None
    shared = work.cache.read_value(edits.SPACE, record.snapshot.shared, edits.KEPT_CLASSES)
    references = work.cache.read_value(edits.SPACE, record.snapshot.references, edits.KEPT_CLASSES)
    if not isinstance(shared, SharedView) or not isinstance(references, dict):
        return None
    return _LastBuild(record, record.snapshot, found, router, engine, _templates(config, work), shared,
                      references)


def _rebuild_edited(config: SiteConfig, known: freshness.Known, work: Work, out_dir: Path,
                    strict: bool, *, index: bool = False) -> BuildResult | None:
    """The build after editing a few pages' text, made from the jobs the last build kept (see edits.py); None
    when that cannot be done, and the ordinary build runs. The new files are written into the output folder;
    with `index`, the whole site is written into a staging folder instead (the files that did not change are
    linked from the output folder), indexed there and swapped in, as the ordinary build does (`write_site`):
    a failed index leaves the previous site."""
    record = known.record
    if record is None or record.snapshot is None:
        return None
    warned = {str(d.location.path) for d in record.report.warnings if d.location.path}
    entries = edits.changed_pages(record.snapshot, record.files, known.files, warned)
    last = _last_build(config, known, work, out_dir, strict) if entries is not None else None
    if last is None or last.templates.digest != last.snapshot.templates:
        return None
    snapshot, templates, engine = last.snapshot, last.templates, last.engine
    context = edits.EditContext(config, last.router, engine, templates, last.shared, snapshot)
    names = edits.KeptKeys.of(work.fingerprint, snapshot)
    done = []
    for entry in entries or ():
        kept = work.cache.read_value(edits.SPACE, names.key(entry.job), edits.KEPT_CLASSES, last.references)
        made = edits.rebuild_page(entry, kept.job, context) if isinstance(kept, edits.KeptContent) else None
        if made is None:
            return None
        done.append(made)
    indexed: list[SearchResult] = []
    try:
        if index:
            target = output_target(out_dir)
            written = tuple(made.output.route for made in done if not holds(target / made.output.output,
                                                                           made.output))
            _write_indexed([made.output for made in done], last.found, out_dir, indexed)
            update = Update(written, (), last.record.report.files - len(written))
        else:
            update = write_files([made.output for made in done], out_dir)
    except (OSError, OutputError):
        return None
    known_templates = dict(snapshot.template_digests)  # as they are now (their digest is the snapshot's)
    entries_now = []
    for entry, made in zip(entries or (), done, strict=True):
        source = made.job.inputs.page.source
        now = dataclasses.replace(made.entry, parse=parse_key(work, engine, source))
        entries_now.append(now)
        work.cache.write_value("parse", now.parse, ParseEntry(source.front, source.warnings, made.parsed))
        name = template_name(made.job)
        used = (known_templates.get(name) or templates_digest(templates, made.job)) if name else ""
        work.cache.link("render", render_key(work, now.job, snapshot.config, snapshot.shared, used),
                        made.output.data or b"", output_target(out_dir) / made.output.output)
        work.cache.write_value(edits.SPACE, names.key(now.job), edits.kept_job(made.job, made.article),
                               edits.shared_id)
        # The page's parse and file as they were: no build asks for them again, unless its text is put back. (Its
        # job as it was stays till the next full build: another output folder's quick edit may start from it.)
        if now.job != entry.job:
            work.cache.remove("render", render_key(work, entry.job, snapshot.config, snapshot.shared, used))
        if now.parse != entry.parse:
            work.cache.remove("parse", entry.parse)
    work.cache.save_index("render")
    new = {entry.path: entry for entry in entries_now}
    pages = tuple(new.get(entry.path, entry) for entry in snapshot.pages)
    new_jobs = {made.entry.route: made.entry.job for made in done}
    jobs = tuple(dataclasses.replace(kept, job=new_jobs[kept.route]) if kept.route in new_jobs else kept
                 for kept in snapshot.jobs)
    report = last.record.report
    result = BuildResult(out_dir, report.pages, len(update.written), report.warnings, report.base_path,
                         indexed[0] if indexed else None,
                         Counts(len(done), report.pages - len(done), tuple(m.output.route for m in done),
                                report.files - len(done), edited_only=True), update=update)
    changed = [made.output.output.as_posix() for made in done if made.output.route in update.written]
    known.remember(dataclasses.replace(result, files=report.files),
                   dataclasses.replace(snapshot, pages=pages, jobs=jobs),
                   None if index else freshness.restated(last.found, output_target(out_dir), changed))
    return result


def _write_indexed(made: list[OutputFile], found: tuple[tuple[str, int, int], ...], out_dir: Path,
                   indexed: list[SearchResult]) -> None:
    """Write the site into a staging folder, the files `made` and every other file of the output folder (as
    `found` there, linked) but its search bundle; index it (into `indexed`) and swap it in (`write_site`)."""
    target = output_target(out_dir)
    new = {item.output.as_posix() for item in made}
    kept = [OutputFile(rel, PurePosixPath(rel), same_as=target / rel) for rel, _, _ in found
            if rel not in new and rel != MARKER and rel.split("/", 1)[0] != BUNDLE]
    write_site([*made, *kept], out_dir,
               before_swap=lambda staging: indexed.append(index_site(staging, shown=out_dir)))


def _restyle(config: SiteConfig, known: freshness.Known, work: Work, out_dir: Path, strict: bool,
             config_problems: Problems, *, index: bool = False) -> BuildResult | None:
    """The build after editing only templates, or settings of site.toml that only rendering reads, made from
    the jobs the last build kept (see edits.py): each job whose templates or settings changed is rendered
    again (or read from the cache) on the worker pool, and the files whose bytes changed are updated in
    place: each is written beside its file first, and all are put in place once every one is written. With
    `index`, the whole site is written into a staging folder instead, indexed and swapped in (as in
    `_rebuild_edited`). None when that cannot be done, and the ordinary build runs. `config_problems`: what
    reading site.toml found."""
    record = known.record
    site_toml = config.settings_file
    changes = edits.restyled(record.files, known.files, theme_dirs(config.root, "templates"),
                             site_toml) if record is not None else None
    if changes is None:
        return None
    last = _last_build(config, known, work, out_dir, strict)
    target = output_target(out_dir)
    if last is None or not last.snapshot.jobs or not (target / MARKER).is_file():
        return None
    snapshot, templates, shared = last.snapshot, last.templates, last.shared
    config_digest = snapshot.config
    if changes.settings:
        # site.toml's messages point at its lines: a restyle reports the last build's messages, so only when
        # there are none for site.toml, before or now
        settings_warned = any(d.location.path == site_toml for d in record.report.warnings)
        if config_problems.diagnostics or settings_warned:
            return None
        if edits.settings_digest(config) != snapshot.settings:
            return None
        config_digest, shared = digest(config), with_settings(shared, config)
        if not work.cache.keep_value(edits.SPACE, shared.digest, shared):
            return None
    before = dict(snapshot.template_digests)
    now = {kept.template: templates.digest_for(kept.template) for kept in snapshot.jobs if kept.template}
    pages = {entry.route for entry in snapshot.pages}
    shared_digest = shared.digest
    made: dict[str, OutputFile] = {}
    todo: list[tuple[freshness.KeptJob, bool, str]] = []  # and whether it is a content page's; its render key
    replaced: list[str] = []  # the render keys of the files the last build made that this one replaces
    for kept in snapshot.jobs:
        used = now.get(kept.template, "")
        if before.get(kept.template, "") == used and config_digest == snapshot.config:
            continue  # its templates and settings are as they were, and so is its file
        # (as `render_keys`)
        key = render_key(work, kept.job, config_digest, shared_digest if kept.template else "", used)
        old = render_key(work, kept.job, snapshot.config, snapshot.shared if kept.template else "",
                         before.get(kept.template, ""))
        if old != key:
            replaced.append(old)
        entry = work.cache.linked("render", key)
        if entry is not None:
            made[kept.route] = OutputFile(kept.route, PurePosixPath(kept.output), same_as=entry)
        else:
            todo.append((kept, kept.route in pages, key))
    if todo:
        templates.load(sorted({kept.template for kept, _, _ in todo if kept.template}))
        if work.progress:
            work.progress.start("rendering", len(todo))
    state = _RestyleState(work, config, last.engine, templates, shared, target, last.references,
                          edits.KeptKeys.of(work.fingerprint, snapshot), config_digest)
    # The files as the last build rendered them stay till the next restyle (an edit undone takes them from the
    # cache); those of the build before go (while the pages render: removing a file just written may wait on
    # the disk), but for those this one uses again
    used, fresh = work.cache.used.get("render", set()), {key for _, _, key in todo}
    gone = [key for key in snapshot.replaced if key not in used and key not in fresh]
    results = parallel.run_tasks(_restyle_task, state, todo, work.jobs,
                                 work.progress.advance if work.progress else None,
                                 meanwhile=lambda: work.cache.remove_all("render", gone))
    done = [result for result in results if _staged(result)]
    staged = [item for item, _ in done]
    failed = next((result for result in results if not _staged(result)), False)
    if failed is not False:
        discard(staged)
        if failed is None:
            return None
        raise BuildFailed(failed)  # the first template error in job order, as the ordinary build reports it
    indexed: list[SearchResult] = []
    cached = [made[kept.route] for kept in snapshot.jobs if kept.route in made]  # (a few, or none)
    try:
        if index:
            differ = [item for item in cached if not holds(target / item.output, item)]
            from_cache = Update(tuple(item.route for item in differ), (), len(cached) - len(differ))
            _write_indexed([*(OutputFile(kept.route, item.rel, same_as=Path(item.temporary))
                              for (kept, _, _), item in zip(todo, staged, strict=True) if item.temporary is not None),
                            *differ], last.found, out_dir, indexed)  # (the staged names went with the old site)
        else:
            put_in_place(target, staged)
            from_cache = write_files(cached, out_dir)
    except SearchError:
        discard(staged)
        raise
    except (OSError, SiteError):
        discard(staged)
        return None
    for (_, _, key), (_, identity) in zip(todo, done, strict=True):
        if identity is not None:  # (its entry is the file now in place: the worker linked it while staged)
            work.cache.record_link("render", key, identity)
    work.cache.save_index("render")
    written = [kept.route for (kept, _, _), item in zip(todo, staged, strict=True) if item.temporary is not None]
    update = Update((*written, *from_cache.written), (), from_cache.unchanged + len(todo) - len(written))
    outputs = {kept.route: kept.output for kept in snapshot.jobs}
    report = last.record.report
    rendered = tuple(kept.route for kept, _, _ in todo)
    result = BuildResult(out_dir, report.pages, len(update.written), report.warnings, report.base_path,
                         indexed[0] if indexed else None,
                         Counts(0, report.pages, rendered, report.files - len(rendered), restyled=True),
                         update=update)
    changed = [outputs[route] for route in update.written]
    known.remember(dataclasses.replace(result, files=report.files),
                   dataclasses.replace(snapshot, shared=shared_digest, templates=templates.digest,
                                       template_digests=tuple(sorted(now.items())), config=config_digest,
                                       replaced=tuple(replaced)),
                   None if index else freshness.restated(last.found, target, changed))
    return result


def _staged(result: object) -> bool:
    """Whether a restyle task's result is its staged file (not its errors, or None)."""
    return isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], Staged)


@dataclass(frozen=True)
class _RestyleState:
    """What every task of a rebuild after a template edit reads (a worker has it from the fork)."""

    work: Work
    config: SiteConfig
    engine: MarkdownEngine
    templates: Templates
    shared: SharedView
    target: Path  # the output folder (`output_target`)
    references: Mapping[Any, Any]  # what the kept jobs name by an id (edits.shared_values)
    names: edits.KeptKeys  # how the last build named its kept jobs
    config_digest: str  # of `config`: a kept JSON-LD made with it is used as it is


def _restyle_task(state: _RestyleState, task: tuple[freshness.KeptJob, bool, str]
                  ) -> tuple[Staged, Identity | None] | tuple[Diagnostic, ...] | None:
    """Render one kept job with the templates and settings as they are now, and write its file beside the one
    it replaces (`stage_beside`), in the worker; with the render cache's entry for it (`task`'s key) made as a
    second name of the staged file (`Cache.make_link`), for the main process to record once it is in place. A
    content page (`task`'s flag) renders from the article view kept with its job: its file and parse are not
    read. None when its job is not in the cache, or its output cannot be written (the ordinary build then
    says why)."""
    kept, content, render_key = task
    value = state.work.cache.read_value(edits.SPACE, state.names.key(kept.job), edits.KEPT_CLASSES, state.references)
    job, article = (value.job, value.article) if isinstance(value, edits.KeptContent) else (value, None)
    if not isinstance(job, RenderJob) or job.route != kept.route or content != (article is not None):
        return None
    made = value.structured if isinstance(value, edits.KeptContent) else None
    structured = (made[1] if isinstance(made, tuple) and len(made) == 2 and made[0] == state.config_digest
                  and isinstance(made[1], Markup) else None)
    try:
        data = render_job(job, state.config, state.shared, state.engine, state.templates, article,
                          structured).data
    except SiteError as exc:
        return exc.diagnostics
    assert data is not None
    try:
        staged = stage_beside(state.target, PurePosixPath(kept.output), data)
    except (OSError, SiteError):
        return None
    written = Path(staged.temporary) if staged.temporary is not None else state.target / staged.rel
    return staged, state.work.cache.make_link("render", render_key, written, hashlib.sha256(data).hexdigest())


def _protected(config: SiteConfig) -> list[tuple[str, Path]]:
    root = config.root
    folders = [("site folder", root), ("content folder", config.content_dir)]
    folders += [(f"{name} folder", root / name) for name in ("templates", "static") if (root / name).is_dir()]
    folders.append(("current folder", Path.cwd()))
    return folders


def _parse_pages(sources: Sources, engine: MarkdownEngine, problems: Problems, *,
                 keep_tokens: bool = False) -> dict[PurePosixPath, ParsedPage]:
    parsed = {}
    for source in sources.pages:
        try:
            parsed[source.rel] = parse_page(source, engine, keep_tokens=keep_tokens)
        except SiteError as exc:
            problems.error(exc)
    return parsed


def _known_front(work: Work, engine: MarkdownEngine, kept: dict[str, ParsedPage]) -> FrontLookup | None:
    """Discovery's look-up in the parse cache. Each page's entry is read once, here: its front matter and
    warnings go to discovery, its parse into `kept` (by key) for `_parse_cached`. A damaged or foreign entry
    is a miss, and the page is read and parsed as a new one."""
    if work.cache.folder is None:
        return None

    def lookup(path: Path, of_text: str) -> tuple[FrontMatter, tuple[Diagnostic, ...]] | None:
        key = _parse_key(work, engine, path, of_text)
        entry = _parse_entry(work, key)
        if entry is None:
            return None
        kept[key] = entry.parsed
        return entry.front, entry.warnings

    return lookup


def _parse_entry(work: Work, key: str) -> ParseEntry | None:
    """The parse cache's entry for `key`, if there is a sound one."""
    entry = work.cache.read_value("parse", key, PARSED_CLASSES)
    if not (isinstance(entry, ParseEntry) and isinstance(entry.front, FrontMatter)
            and isinstance(entry.parsed, ParsedPage) and isinstance(entry.warnings, tuple)
            and all(isinstance(d, Diagnostic) and d.severity == "warning" for d in entry.warnings)):
        return None
    return entry


def _parse_cached(sources: Sources, engine: MarkdownEngine, problems: Problems, work: Work,
                  kept: Mapping[str, ParsedPage]) -> tuple[dict[PurePosixPath, ParsedPage], int, int]:
    """Each page's parse result, from the cache (`kept`: read at discovery, see `_known_front`) or parsed (on
    `work.jobs` processes); with how many were parsed and how many re-used. A page's errors are recorded in
    `problems`, in page order."""
    found: dict[PurePosixPath, ParsedPage | None] = {}
    keys: dict[PurePosixPath, str] = {}
    for source in sources.pages:
        key = parse_key(work, engine, source)
        cached = kept.get(key)
        if cached is not None:
            found[source.rel] = cached
        else:
            found[source.rel] = None
            keys[source.rel] = key
    todo = [source for source in sources.pages if source.rel in keys]
    if todo and work.progress:
        work.progress.start("parsing", len(todo))
    tasks = [(source, keys[source.rel]) for source in todo]
    # Each result is read as it comes and dropped: 2,000 pickled pages held at once took some 40 MB
    results = parallel.iter_tasks(_parse_task, (engine, work.cache), tasks, work.jobs,
                                  work.progress.advance if work.progress else None)
    for source, result in zip(todo, results, strict=True):
        if isinstance(result, bytes):  # the worker's own pickle of its entry, which it also wrote to the cache
            found[source.rel] = pickle.loads(result).parsed
            work.cache.mark("parse", keys[source.rel])
        else:
            problems.add(result)
    parsed = {rel: page for rel, page in found.items() if page is not None}
    return parsed, len(todo), len(sources.pages) - len(todo)


def parse_key(work: Work, engine: MarkdownEngine, source: PageSource) -> str:
    return _parse_key(work, engine, source.path, source.digest)


def _parse_key(work: Work, engine: MarkdownEngine, path: Path, text_digest: str) -> str:
    # the engine's settings (raw HTML, the glossary's words, the emergency number) change what a parse gives
    return digest(work.fingerprint, "parse", engine.fingerprint, str(path), text_digest)


def render_key(work: Work, job_digest: str, config_digest: str, shared_digest: str, templates_digest: str) -> str:
    """A rendered file's cache key: its job's digest, and those of what it is rendered with: the config, the
    site-wide `SharedView` and the templates it uses ('' for the last two where a file uses no template). So
    an edit of one template renders again only the pages that use it."""
    return digest(work.fingerprint, "render", job_digest, config_digest, shared_digest, templates_digest)


def templates_digest(templates: Templates, job: RenderJob) -> str:
    """Of the templates a job renders with ('' for a file made without one)."""
    name = template_name(job)
    return templates.digest_for(name) if name else ""


def _parse_task(state: tuple[MarkdownEngine, Cache], task: tuple[PageSource, str]) -> bytes | tuple[Diagnostic, ...]:
    """Parse one page and keep the result in the cache (under the task's key, with the page's front matter:
    see `ParseEntry`), in the worker: the main process only reads it back."""
    (engine, cache), (source, key) = state, task
    try:
        parsed = parse_page(source, engine)
    except SiteError as exc:
        return exc.diagnostics
    data = pickle.dumps(ParseEntry(source.front, source.warnings, parsed), protocol=pickle.HIGHEST_PROTOCOL)
    cache.write("parse", key, data)
    return data


def load_site_glossary(config: SiteConfig, problems: Problems, work: Work | None = None) -> Glossary:
    """content/glossary.yaml, if there is one inside the site (a link out of it is reported by discovery)."""
    path = glossary_path(config.content_dir)
    if not site_boundary(path, config.root).inside:
        return Glossary()
    found = _read_kept(work, "glossary", [path], Glossary, lambda: load_glossary(path)) if work else load_glossary(path)
    problems.add(found.diagnostics)
    return found.value


DATA = "data"  # the cache's space of the site's data files as read (`_read_kept`)
D = TypeVar("D")


def _read_kept(work: Work, what: str, paths: Sequence[Path], kind: type[D], read: Callable[[], Found[D]]) -> Found[D]:
    """`read()`, which reads the files `paths` (the bibliography's, the glossary): or what it gave the last time
    the files held the same bytes, with the same errors and warnings, from the cache. They are YAML files of
    hundreds of entries, read with the line of every field, which most builds would otherwise read again
    (60 ms for the starter site's references, in every rebuild after a title edit)."""
    if work.cache.folder is None:
        return read()
    hasher = hashlib.sha256()
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:  # missing, or not a file: `read` says so
            return read()
        hasher.update(f"{path}\x00{len(data)}\x00".encode("utf-8", "surrogateescape") + data)
    key = digest(work.fingerprint, DATA, what, hasher.hexdigest())
    return work.cache.made_value(DATA, key, (*edits.KEPT_CLASSES, frozenset),
                                 lambda kept: isinstance(kept, Found) and isinstance(kept.value, kind), read)


def _parse_site_texts(config: SiteConfig, engine: MarkdownEngine) -> dict[str, ParsedMarkdown]:
    texts = {"intro": config.intro, "disclaimer": config.disclaimer, "emergency": config.emergency,
             "contact": config.organisation.contact, "when_to_get_help": config.when_to_get_help}
    parsed = {}
    for name, text in texts.items():
        if not text:
            continue
        where = config.text_locations.get(name)
        first_line = where.line if where and where.line else 1
        parsed[name] = engine.parse(text, config.path, first_line, config.source_lines,
                                    id_prefix=site_text_prefix(name))
    return parsed


__all__ = ["DEFAULT_FOLDER", "BuildResult", "Counts", "LoadedSite", "ModelledSite", "Progress", "RenderPlan", "Work",
           "build", "load_site", "model_site", "plan", "render"]
