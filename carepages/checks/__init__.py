"""Editorial checks: what would mislead or fail a patient even though the site builds.

Each check is a plain function of one page (or of the whole site) that yields `Diagnostic`s, each with its
rule id from `carepages.rules`. The build runs them all and prints their warnings; the coming `check`
command will run the same functions with per-site severities.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from ..errors import Diagnostic
from ..model.site import Page, Site
from .citations import uncited_references, unused_references
from .images import images_without_alt_text
from .review import review_fields
from .unfinished import todo_markers

PageCheck = Callable[[Page], Iterator[Diagnostic]]
SiteCheck = Callable[[Site], Iterator[Diagnostic]]

PAGE_CHECKS: tuple[PageCheck, ...] = (todo_markers, review_fields, images_without_alt_text, uncited_references)
SITE_CHECKS: tuple[SiteCheck, ...] = (unused_references,)


def run_checks(site: Site) -> tuple[Diagnostic, ...]:
    found: list[Diagnostic] = []
    for page in site.pages:
        for page_check in PAGE_CHECKS:
            found.extend(page_check(page))
    for site_check in SITE_CHECKS:
        found.extend(site_check(site))
    return _sorted(found)


def _sorted(found: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(set(found), key=Diagnostic.sort_key))
