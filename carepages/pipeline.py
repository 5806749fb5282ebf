"""The build, end to end: config -> discover -> parse -> model -> checks -> render -> write.

Each stage is a function with explicit inputs that returns its result and what it found; this module only
calls them in order and gathers the findings. Every problem that can be found is found in one run: a page
with a front-matter error is left out of the later stages, and every other page goes on to be checked.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .bibliography import bibliography_files, load_bibliography
from .checks import run_checks
from .config import SiteConfig, load_config
from .discover.files import site_boundary
from .discover.sources import Sources, discover
from .discover.theme import theme_dirs
from .errors import (
    BuildFailed,
    ContentError,
    Diagnostic,
    Location,
    OutputError,
    Problems,
    SiteError,
    all_diagnostics,
    raise_errors,
)
from .ids import site_text_prefix
from .markdown import MarkdownEngine, ParsedMarkdown
from .model.build import build_model
from .model.site import Site
from .parse import ParsedPage, parse_page
from .render.jobs import OutputFile, RenderJob, job_digest, plan_jobs, render_job
from .render.shared import SharedView, build_shared
from .render.templates import Templates
from .routes import Router
from .search import BUNDLE, SearchResult, index_site
from .write.output import Update, check_output_dir, update_site, write_site

# A build with --drafts shows unreviewed pages: it goes to its own folder, and carries this file so that a
# deploy step can refuse it (see the README's "Publishing").
DRAFTS_SUFFIX = "-drafts"
DRAFTS_MARKER = ".carepages-drafts"
DRAFTS_MARKER_TEXT = ("This site was built with --drafts: it contains pages that are not reviewed. Do not "
                      "publish it.\n")


@dataclass(frozen=True)
class BuildResult:
    output_dir: Path
    pages: int
    files: int
    warnings: tuple[Diagnostic, ...]
    base_path: str = "/"
    search: SearchResult | None = None  # None: built with search=False (--no-search), or in place
    update: Update | None = None  # with in_place: what changed in the output folder
    handouts: int = 0  # PDF handouts made (build with handouts=True, --handouts)


@dataclass(frozen=True)
class LoadedSite:
    """Everything up to rendering: the validated model, and what renders it."""

    site: Site
    engine: MarkdownEngine
    templates: Templates
    warnings: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class RenderPlan:
    """The render stage's input: one job per output file, and the site-wide values they read."""

    jobs: tuple[RenderJob, ...]
    shared: SharedView
    digests: Mapping[str, str]  # route -> digest of that job's inputs


@dataclass(frozen=True)
class ModelledSite:
    """The stages up to the model, run to their end whatever they found: the model made of every page that
    could be modelled, and every error and warning on the way. `build` fails on the errors; `check` reports
    them beside its own rules."""

    site: Site
    engine: MarkdownEngine
    errors: tuple[SiteError, ...]
    warnings: tuple[Diagnostic, ...]  # in file and line order

    @property
    def findings(self) -> tuple[Diagnostic, ...]:
        """Errors and warnings, each once, in file and line order."""
        return all_diagnostics(self.errors, self.warnings)


def model_site(site_dir: Path | str = ".", *, drafts: bool = False) -> ModelledSite:
    """Read, parse and model the whole site, and run the build's checks, without stopping at errors.

    Raises `SiteError` only when there is nothing to model: site.toml cannot be read, or the content folder
    has no Markdown pages."""
    root = Path(os.path.abspath(site_dir))
    problems = Problems()
    config = load_config(root, problems)
    router = Router(config.base_url, config.base_path)
    engine = MarkdownEngine(raw_html=config.raw_html)
    bib_paths = bibliography_files(config.content_dir, config.bibliography)

    found = discover(config.content_dir, theme_dirs(root, "static"), bib_paths, router, include_drafts=drafts)
    problems.add(found.diagnostics)
    sources = found.value
    parsed = _parse_pages(sources, engine, problems)
    texts = _parse_site_texts(config, engine)
    loaded = load_bibliography(bib_paths)
    problems.add(loaded.diagnostics)
    if not (sources.pages or sources.drafts or sources.unplaced):
        raise ContentError("the content folder has no Markdown (.md) pages yet: add one with "
                           "'python build.py new \"Title\"'", Location(config.content_dir), rule="content/empty")

    model = build_model(config, router, sources, parsed, loaded.value, texts)
    problems.add(model.diagnostics)
    problems.add(run_checks(model.value))
    return ModelledSite(model.value, engine, tuple(problems.errors), tuple(problems.sorted_warnings()))


def load_site(site_dir: Path | str = ".", *, drafts: bool = False) -> LoadedSite:
    """Read, parse and check the whole site; raises `BuildFailed` with every error found."""
    modelled = model_site(site_dir, drafts=drafts)
    raise_errors(modelled.errors)  # every error of every stage, reported together
    templates = Templates(theme_dirs(modelled.site.config.root, "templates"))
    return LoadedSite(modelled.site, modelled.engine, templates, modelled.warnings)


def plan(loaded: LoadedSite, *, handouts: bool = False) -> RenderPlan:
    site = loaded.site
    shared = build_shared(site, loaded.engine)
    jobs = tuple(plan_jobs(site, handouts=handouts))
    shared_digest, templates_digest = shared.digest, loaded.templates.digest
    digests = {job.route: job_digest(job, site.config, shared_digest, templates_digest) for job in jobs}
    return RenderPlan(jobs, shared, digests)


def render(loaded: LoadedSite, render_plan: RenderPlan | None = None) -> list[OutputFile]:
    render_plan = render_plan or plan(loaded)
    config = loaded.site.config
    return [render_job(job, config, render_plan.shared, loaded.engine, loaded.templates)
            for job in render_plan.jobs]


def build(site_dir: Path | str = ".", out: Path | str | None = None, *, drafts: bool = False,
          strict: bool = False, search: bool = True, in_place: bool = False,
          handouts: bool = False) -> BuildResult:
    """Build the site in `site_dir` into `out` (default: site.toml's output_dir). Raises `SiteError`.

    With `search`, Pagefind indexes the complete staged site before it goes live (a failed index leaves the
    previous site in place); `search=False` leaves the index out, for quick previews and benchmarks.

    `in_place` (the live preview) updates the output folder where it is instead of replacing it: only the
    files whose bytes changed are written, and `update` says which. It never indexes: with `search` the
    folder's search bundle is kept as it is, for the caller to index again once the new pages are shown.

    With `handouts`, each article also gets a PDF handout (the optional WeasyPrint and segno, checked first)."""
    to_pdf = None
    if handouts:  # before anything else: a missing library is reported at once, and the build stops
        from .handouts import load_renderer
        to_pdf = load_renderer()
    loaded = load_site(site_dir, drafts=drafts)
    config = loaded.site.config
    if strict and loaded.warnings:
        raise BuildFailed([SiteError(f"{d.message} (warnings are errors with --strict)", d.location, d.rule)
                           for d in loaded.warnings])
    out_dir = _output_dir(config, out, drafts)
    if out is None:  # from site.toml (and '-drafts' beside it): it must stay inside the site; --out may not
        verdict = site_boundary(out_dir, config.root)
        if not verdict.inside:
            raise OutputError(f"the output folder '{out_dir}' {verdict.reason}; give --out to build elsewhere",
                              Location(out_dir), rule=verdict.rule)
    check_output_dir(out_dir, _protected(config))
    render_plan = plan(loaded, handouts=handouts)
    files = render(loaded, render_plan)
    made, warnings = 0, loaded.warnings
    if to_pdf is not None:
        from .handouts import make_handouts
        pdfs = make_handouts(loaded.site, loaded.engine, loaded.templates, render_plan.shared, to_pdf)
        if strict and pdfs.diagnostics:
            raise BuildFailed([SiteError(f"{d.message} (warnings are errors with --strict)", d.location, d.rule)
                               for d in pdfs.diagnostics])
        files += pdfs.value
        made, warnings = len(pdfs.value), (*warnings, *pdfs.diagnostics)
    if drafts:
        files.append(OutputFile(DRAFTS_MARKER, PurePosixPath(DRAFTS_MARKER), DRAFTS_MARKER_TEXT.encode()))
    if in_place:
        update = update_site(files, out_dir, keep=(BUNDLE,) if search else ())
        return BuildResult(out_dir, len(loaded.site.pages), len(files), loaded.warnings, config.base_path,
                           update=update)
    indexed: list[SearchResult] = []

    def index(staging: Path) -> None:  # on the complete staged site, before the swap
        indexed.append(index_site(staging, shown=out_dir))

    count = write_site(files, out_dir, before_swap=index if search else None)
    return BuildResult(out_dir, len(loaded.site.pages), count, warnings, config.base_path,
                       indexed[0] if indexed else None, handouts=made)


def _output_dir(config: SiteConfig, out: Path | str | None, drafts: bool = False) -> Path:
    """`--out`, else site.toml's output_dir; a build with drafts goes beside it, in `<output_dir>-drafts`."""
    if out is not None:
        return Path(os.path.abspath(out))
    path = config.output_dir if config.output_dir.is_absolute() else config.root / config.output_dir
    if drafts:
        path = path.with_name(path.name + DRAFTS_SUFFIX)
    return Path(os.path.abspath(path))


def _protected(config: SiteConfig) -> list[tuple[str, Path]]:
    root = config.root
    folders = [("site folder", root), ("content folder", config.content_dir)]
    folders += [(f"{name} folder", root / name) for name in ("templates", "static") if (root / name).is_dir()]
    folders.append(("current folder", Path.cwd()))
    return folders


def _parse_pages(sources: Sources, engine: MarkdownEngine, problems: Problems) -> dict[PurePosixPath, ParsedPage]:
    parsed = {}
    for source in sources.pages:
        try:
            parsed[source.rel] = parse_page(source, engine)
        except SiteError as exc:
            problems.error(exc)
    return parsed


def _parse_site_texts(config: SiteConfig, engine: MarkdownEngine) -> dict[str, ParsedMarkdown]:
    texts = {"intro": config.intro, "disclaimer": config.disclaimer, "emergency": config.emergency,
             "contact": config.organisation.contact}
    parsed = {}
    for name, text in texts.items():
        if not text:
            continue
        where = config.text_locations.get(name)
        first_line = where.line if where and where.line else 1
        parsed[name] = engine.parse(text, config.path, first_line, config.source_lines,
                                    id_prefix=site_text_prefix(name))
    return parsed


__all__ = ["BuildResult", "LoadedSite", "ModelledSite", "RenderPlan", "build", "load_site", "model_site", "plan",
           "render"]
