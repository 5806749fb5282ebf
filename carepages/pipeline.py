"""The build, end to end: config -> discover -> parse -> model -> render -> write.

Each stage is a named function with explicit inputs and outputs; the only state shared between them is
the `Problems` collector, which gathers warnings (and the errors of a stage, raised at its end).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .bibliography import bibliography_files, load_bibliography
from .config.settings import SiteConfig, load_config
from .discover.files import ContentFile, discover_content, theme_files
from .discover.theme import theme_dirs
from .errors import BuildFailed, Diagnostic, Location, Problems, SiteError
from .markdown import MarkdownEngine, ParsedMarkdown
from .model.build import build_model
from .model.site import Site
from .parse import ParsedPage, parse_page
from .render.jobs import OutputFile, render_site
from .render.templates import Templates
from .write.output import check_output_dir, write_site


@dataclass(frozen=True)
class BuildResult:
    output_dir: Path
    pages: int
    files: int
    warnings: tuple[Diagnostic, ...]
    base_path: str = "/"


@dataclass(frozen=True)
class LoadedSite:
    site: Site
    engine: MarkdownEngine
    templates: Templates
    warnings: tuple[Diagnostic, ...]


def load_site(site_dir: Path | str = ".", *, drafts: bool = False) -> LoadedSite:
    """Everything up to (not including) rendering: the validated model of the site."""
    root = Path(os.path.abspath(site_dir))
    problems = Problems()
    config = load_config(root, problems)
    engine = MarkdownEngine(raw_html=config.raw_html)
    bib_paths = bibliography_files(config.content_dir, config.bibliography)
    sources = discover_content(config.content_dir, tuple(bib_paths))

    parsed = _parse_pages(sources.markdown, engine, problems)
    texts = _parse_site_texts(config, engine, problems)
    try:
        bibliography = load_bibliography(bib_paths, problems)
    except BuildFailed as exc:  # report bibliography and page errors together
        problems.errors.extend(exc.errors)
    except SiteError as exc:
        problems.error(exc)
    problems.raise_if_errors()
    if not parsed:
        raise SiteError("the content folder has no Markdown (.md) pages yet: add one with "
                        "'python build.py new \"Title\"'", Location(config.content_dir))

    static = theme_files(theme_dirs(root, "static"))
    site = build_model(config, parsed, bibliography, sources.assets, static, texts, drafts, problems)
    templates = Templates(theme_dirs(root, "templates"))
    return LoadedSite(site, engine, templates, tuple(problems.sorted_warnings()))


def render(loaded: LoadedSite) -> list[OutputFile]:
    return render_site(loaded.site, loaded.engine, loaded.templates)


def build(site_dir: Path | str = ".", out: Path | str | None = None, *, drafts: bool = False,
          strict: bool = False) -> BuildResult:
    """Build the site in `site_dir` into `out` (default: site.toml's output_dir). Raises `SiteError`."""
    loaded = load_site(site_dir, drafts=drafts)
    config = loaded.site.config
    if strict and loaded.warnings:
        raise BuildFailed([SiteError(f"{d.message} (warnings are errors with --strict)", d.location)
                           for d in loaded.warnings])
    out_dir = _output_dir(config, out)
    check_output_dir(out_dir, _protected(config))
    files = render(loaded)
    count = write_site(files, out_dir)
    return BuildResult(out_dir, len(loaded.site.pages), count, loaded.warnings, config.base_path)


def _output_dir(config: SiteConfig, out: Path | str | None) -> Path:
    if out is not None:
        return Path(os.path.abspath(out))
    path = config.output_dir if config.output_dir.is_absolute() else config.root / config.output_dir
    return Path(os.path.abspath(path))


def _protected(config: SiteConfig) -> list[tuple[str, Path]]:
    root = config.root
    folders = [("site folder", root), ("content folder", config.content_dir)]
    folders += [(f"{name} folder", root / name) for name in ("templates", "static") if (root / name).is_dir()]
    folders.append(("current folder", Path.cwd()))
    return folders


def _parse_pages(files: Sequence[ContentFile], engine: MarkdownEngine, problems: Problems) -> list[ParsedPage]:
    parsed = []
    for file in files:
        try:
            page = parse_page(file, engine)
        except SiteError as exc:
            problems.error(exc)
            continue
        problems.warnings.extend(page.warnings)
        parsed.append(page)
    return parsed


def _parse_site_texts(config: SiteConfig, engine: MarkdownEngine, problems: Problems) -> dict[str, ParsedMarkdown]:
    texts = {"intro": config.intro, "disclaimer": config.disclaimer, "emergency": config.emergency,
             "contact": config.organisation.contact}
    parsed = {}
    for name, text in texts.items():
        if not text:
            continue
        where = config.text_locations.get(name)
        first_line = where.line if where and where.line else 1
        parsed[name] = engine.parse(text, config.path, first_line, config.source_lines, id_prefix=f"{name}-")
    return parsed
