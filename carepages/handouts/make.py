"""Making every handout of a build: load the optional libraries (or say how to install them), then one
WeasyPrint render per article. Runs before the output folder is swapped, so a failure leaves the previous
site as it was."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from ..errors import Diagnostic, Found, Location, SiteError
from ..markdown import MarkdownEngine
from ..model.site import Site
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


def make_handouts(site: Site, engine: MarkdownEngine, templates: Templates, shared: SharedView,
                  to_pdf: ToPdf) -> Found[list[OutputFile]]:
    """One PDF per page that has a handout, as output files (written with the rest of the site), and a
    warning for each thing WeasyPrint could not use (an image it cannot read, a rule of a theme's CSS)."""
    config = site.config
    router = Router(config.base_url, config.base_path)
    files = {router.absolute(item.place.route): item.path for item in (*site.static, *site.assets)}
    made, warnings = [], []
    for job in plan_handouts(site):
        html = handout_html(job, config, shared, engine, templates)
        with _weasyprint_messages() as said:
            try:
                data = to_pdf(html, router.absolute(job.page.route), files)
            except Exception as exc:  # WeasyPrint's own errors have no common base class
                raise HandoutError(f"the PDF handout of this page could not be made: {type(exc).__name__}: "
                                   f"{exc}", Location(job.source)) from exc
        warnings += [Diagnostic("warning", f"the PDF handout of this page is incomplete: WeasyPrint said: {message}",
                                Location(job.source), "handouts/incomplete") for message in dict.fromkeys(said)]
        made.append(OutputFile(job.route, job.output, data))
    return Found(made, tuple(warnings))


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
