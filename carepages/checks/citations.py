"""References that support nothing: `citations/uncited` (listed on a page, never cited in its text) and
`bibliography/unused` (in the bibliography, used by no page)."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from ..model.site import Page, Site
from .settings import CheckSettings


def uncited_references(page: Page, settings: CheckSettings) -> Iterator[Diagnostic]:
    cited = {ref.reference.key for ref in page.references if ref.citation_ids}
    for listed in page.front.references:
        key = listed.value
        if key in page.citation_numbers and key not in cited:
            yield Diagnostic("warning", f"reference '{key}' is listed in front matter but never cited in the text "
                             f"(cite it with [@{key}] where it supports a statement)", listed.location,
                             "citations/uncited")


def unused_references(site: Site, settings: CheckSettings) -> Iterator[Diagnostic]:
    used = {ref.reference.key for page in site.pages for ref in page.references}
    for key, reference in site.bibliography.entries.items():
        if key not in used:
            yield Diagnostic("warning", f"reference '{key}' is in the bibliography but no page uses it",
                             reference.location, "bibliography/unused")
