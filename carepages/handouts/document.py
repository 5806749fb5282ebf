"""Each handout's HTML: the article as it is on the site, laid out for paper, with the clinic's contact, the
page's full address and a QR code that leads back to it. Pure: the same page and settings give the same HTML."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..config import SiteConfig
from ..markdown import MarkdownEngine
from ..model.site import Page, Site
from ..render import views
from ..render.shared import SharedView
from ..render.templates import Templates
from ..routes import STATIC_PREFIX, Router

TEMPLATE = "handout.html"
STYLESHEET = "css/handout.css"  # in the theme's static/ folder
# CSS page sizes for site.toml's [handouts] paper
PAPER_SIZES = {"A4": "A4", "letter": "letter"}
QR_SCALE = 8  # pixels per module: crisp at 3 cm, and big enough for a phone camera from an arm's length


@dataclass(frozen=True)
class HandoutJob:
    """One PDF to make: the page it prints and where the PDF goes (decided at discovery)."""

    route: str  # 'articles/what-is-ms/handout.pdf'
    output: PurePosixPath
    page: Page

    @property
    def source(self) -> Path:
        return self.page.source.path


@dataclass(frozen=True)
class HandoutView:
    """What `handout.html` shows besides the article and the site-wide values."""

    address: str  # the page's full address, printed and in the QR code
    qr_data_uri: str  # a PNG of the QR code (raster, so the PDF keeps its pixels exact)
    page_size: str  # CSS @page size: 'A4' or 'letter'
    stylesheet_url: str  # absolute; read from the theme's files, never fetched
    modified: str  # ISO date of the page's last review or update, for the PDF's metadata ('' if none)


def plan_handouts(site: Site) -> tuple[HandoutJob, ...]:
    """A job for every page whose kind has a handout, in route order."""
    return tuple(HandoutJob(p.source.handout.route, p.source.handout.output, p)
                 for p in site.pages if p.source.handout is not None)


def handout_html(job: HandoutJob, config: SiteConfig, shared: SharedView, engine: MarkdownEngine,
                 templates: Templates) -> str:
    page = job.page
    router = Router(config.base_url, config.base_path)
    article = views.article(engine, page, (), 0, router)  # no related pages and no contents list on paper
    address = router.absolute(page.route)
    modified = page.last_modified
    view = HandoutView(address, qr_png_data_uri(address), PAPER_SIZES[config.handout_paper],
                       router.absolute(STATIC_PREFIX + STYLESHEET), modified.isoformat() if modified else "")
    return templates.render(TEMPLATE, site=shared.site_view(page.url), article=article, handout=view)


def qr_png_data_uri(address: str) -> str:
    import segno  # optional: checked by pdf.load_renderer before any handout is made

    return segno.make(address, error="m").png_data_uri(scale=QR_SCALE, border=4)
