"""Making every handout of a build: load the optional libraries (or say how to install them), then one
WeasyPrint render per article that the build cache does not have, on the worker processes. Runs before the
output folder is swapped, so a failure leaves the previous site as it was."""

from __future__ import annotations

import importlib.metadata
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import fonts, parallel
from ..cache import Cache
from ..errors import Diagnostic, Found, Location, SiteError
from ..markdown import MarkdownEngine
from ..model.site import Site
from ..parallel import Progress
from ..render.digest import digest
from ..render.jobs import OutputFile
from ..render.shared import SharedView
from ..render.templates import Templates
from ..routes import Router
from .document import handout_html, plan_handouts

ToPdf = Callable[[str, str, Mapping[str, Path]], bytes]
INSTALL = ("install them with: python -m pip install 'carepages[handouts]' (in a clone of carepages: "
           "make handouts, or .venv/bin/python -m pip install -e '.[handouts]'), or build without --handouts")
DEBIAN_LIBRARIES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core"


class HandoutError(SiteError):
    """A handout could not be made, or the libraries that make them are not installed."""

    default_rule = "handouts/render"


def load_renderer() -> ToPdf:
    """The HTML-to-PDF function, once WeasyPrint, the system libraries it needs, and segno are all loaded."""
    try:
        import segno  # noqa: F401  (used by document.qr_png_data_uri)

        from .pdf import html_to_pdf
    except ImportError as exc:
        missing = exc.name or "weasyprint"
        raise HandoutError(f"handouts need the Python packages WeasyPrint and segno, and '{missing}' is not "
                           f"installed: {INSTALL}", rule="handouts/unavailable") from None
    except OSError as exc:  # WeasyPrint is there, but not the Pango text libraries it loads
        raise HandoutError(f"WeasyPrint cannot load the text-layout libraries it needs ({exc}); on Debian or "
                           f"Ubuntu install them with: sudo apt-get install {DEBIAN_LIBRARIES} (or run "
                           "make handouts), or build without --handouts", rule="handouts/unavailable") from None
    return html_to_pdf


@dataclass(frozen=True)
class Handouts:
    """A build's handouts, and how many of them the cache had."""

    files: tuple[OutputFile, ...]  # one PDF per page that has a handout, in route order
    reused: int  # of them read from the cache


# What a handout's bytes depend on besides its HTML and the site's files: the PDF writer and the text layout
_RENDERER_PACKAGES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "fonttools", "Pillow")
SPACE = "handouts"  # the cache's space for PDFs


def make_handouts(site: Site, engine: MarkdownEngine, templates: Templates, shared: SharedView,
                  to_pdf: ToPdf, *, cache: Cache | None = None, fingerprint: str = "", jobs: int = 1,
                  progress: Progress | None = None) -> Found[Handouts]:
    """One PDF per page that has a handout, as output files (written with the rest of the site), and a
    warning for each thing WeasyPrint could not use (an image it cannot read, a rule of a theme's CSS).

    Each PDF is kept in `cache` under a digest of its HTML, every file of the site it may read and the
    renderer's version (`fingerprint`: carepages' own, `engine_fingerprint`), with its warnings: an
    unchanged handout is read back, not made again. The others are made on `jobs` processes (about a second
    each)."""
    config = site.config
    router = Router(config.base_url, config.base_path)
    static = (*site.static, *site.assets)
    files = {router.absolute(item.place.route): item.path for item in static}
    site_files = digest(sorted((router.absolute(item.place.route), item.digest) for item in static))
    renderer = _renderer_version(to_pdf) if cache is not None and cache.folder is not None else ""
    planned = plan_handouts(site)
    made: dict[str, tuple[bytes, tuple[str, ...]]] = {}
    todo: list[tuple[str, str, str]] = []  # (route, HTML, the page's address)
    keys: dict[str, str] = {}
    for job in planned:
        html = handout_html(job, config, shared, engine, templates)
        keys[job.route] = key = digest(fingerprint, SPACE, renderer, site_files, html)
        kept = cache.read_value(SPACE, key, ()) if cache is not None and renderer else None
        if _sound(kept):
            made[job.route] = kept
        else:
            todo.append((job.route, html, router.absolute(job.page.route)))
    if todo and progress:
        progress.start("making", len(todo))
    results = parallel.run_tasks(_make_pdf, (to_pdf, files), todo, jobs, progress.advance if progress else None,
                                 per_worker=1)
    for (route, _, _), result in zip(todo, results, strict=True):
        made[route] = result
    outputs, warnings = [], []
    for job in planned:
        result = made[job.route]
        if isinstance(result, str):  # the first handout that could not be made, in route order
            raise HandoutError(f"the PDF handout of this page could not be made: {result}", Location(job.source))
        data, said = result
        if cache is not None and renderer:
            cache.keep_value(SPACE, keys[job.route], result)
        warnings += [Diagnostic("warning", f"the PDF handout of this page is incomplete: WeasyPrint said: {message}",
                                Location(job.source), "handouts/incomplete") for message in said]
        outputs.append(OutputFile(job.route, job.output, data))
    return Found(Handouts(tuple(outputs), len(planned) - len(todo)), tuple(warnings))


def _make_pdf(state: tuple[ToPdf, Mapping[str, Path]], task: tuple[str, str, str]
              ) -> tuple[bytes, tuple[str, ...]] | str:
    """One handout's PDF and what WeasyPrint said making it (in a worker process), or why it could not be made."""
    (to_pdf, files), (_, html, address) = state, task
    with _weasyprint_messages() as said:
        try:
            data = to_pdf(html, address, files)
        except Exception as exc:  # WeasyPrint's own errors have no common base class
            return f"{type(exc).__name__}: {exc}"
    return data, tuple(dict.fromkeys(said))


def _sound(kept: Any) -> bool:
    return (isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[0], bytes)
            and isinstance(kept[1], tuple) and all(isinstance(message, str) for message in kept[1]))


def _renderer_version(to_pdf: ToPdf) -> str:
    """Which renderer (the function, the versions of the PDF packages, and Pango and the fonts installed,
    which lay out the text: `fonts.text_layout`); '' if Pango's version cannot be read, and then nothing is
    cached."""
    layout = fonts.text_layout()
    if not layout:  # (an unusual install: make every handout, keep none)
        return ""
    versions = [f"{to_pdf.__module__}.{to_pdf.__qualname__}"]
    for name in _RENDERER_PACKAGES:
        try:
            versions.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    versions.append(layout)
    return " ".join(versions)


class _Collect(logging.Handler):
    def __init__(self, said: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.said = said

    def emit(self, record: logging.LogRecord) -> None:
        self.said.append(record.getMessage().strip())


@contextmanager
def _weasyprint_messages() -> Iterator[list[str]]:
    """WeasyPrint's warnings and errors while it makes one PDF (it logs them, and by default shows none)."""
    said: list[str] = []
    handler = _Collect(said)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield said
    finally:
        logger.removeHandler(handler)
