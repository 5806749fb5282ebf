"""HTML to PDF with WeasyPrint, offline and reproducible.

Imported only by `load_renderer`, after it has checked that WeasyPrint and segno can be loaded. Resources
(the handout stylesheet, the article's images) are read from the site's own files by their address; any
other address is refused, so making a handout never contacts another server. WeasyPrint writes no creation
date and no random file identifier unless asked, and the handout's metadata comes from the page (its title,
summary, language, the clinic as author, the date of its last review or update), so the same input gives
the same bytes.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urldefrag

import weasyprint
from weasyprint.urls import URLFetcherResponse


class SiteFiles(weasyprint.URLFetcher):
    """Answers only for the site's own files (absolute address -> file) and data: URIs."""

    def __init__(self, files: Mapping[str, Path]) -> None:
        super().__init__(allowed_protocols={"http", "https", "data"})
        self.files = files

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self.files.get(unquote(urldefrag(url).url.split("?", 1)[0]))
        if path is None:
            raise ValueError(f"not one of this site's files, so not fetched: {url}")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})


def html_to_pdf(html: str, base_url: str, files: Mapping[str, Path]) -> bytes:
    """`html`, with relative addresses read against `base_url`, as PDF bytes (tagged, for screen readers)."""
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=SiteFiles(files))
    return document.write_pdf(pdf_tags=True)
