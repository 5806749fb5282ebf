"""Printable PDF handouts (`build --handouts`): one PDF per article, for a clinic to hand to a patient after
an appointment, linked from the article ("Print-friendly handout (PDF)").

- `document.py` makes each handout's HTML from the theme's `handout.html` template: the article's own view
  data (title, summary, key points, body, questions, references, review dates), the clinic's contact, the
  page's full address and a QR code back to it. A pure function of its inputs.
- `pdf.py` turns that HTML into a PDF with WeasyPrint and the theme's `static/css/handout.css`, reading
  images and the stylesheet from the site's own files only (never the network), in the paper size of
  site.toml's `[handouts] paper`. The same input gives the same bytes (no creation time, no random id).
- `make.py` makes them all: each PDF is kept in the build cache under a digest of its HTML, the site's files
  and the renderer's version, and the ones not there are made on the worker processes.

WeasyPrint and segno are optional (the `handouts` extra of the package). A build without `--handouts` never
imports them; `load_renderer` imports them only when asked and, if they are missing, raises a located error
that says how to install them. Where a handout goes is decided at discovery (`PageSource.handout`, from
`kinds.PageKind.handout_route`), like every other address.
"""

from __future__ import annotations

from .document import HandoutJob, HandoutView, handout_html, plan_handouts
from .make import HandoutError, Handouts, load_renderer, make_handouts

__all__ = [
           "HandoutError",
           "HandoutJob",
           "HandoutView",
           "Handouts",
           "handout_html",
           "load_renderer",
           "make_handouts",
           "plan_handouts",
]
