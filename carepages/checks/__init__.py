"""Editorial checks: what would mislead or fail a patient even though the site builds.

Each check is a plain function of one page (or of the whole site) and the `CheckSettings` that yields
`Diagnostic`s, each with its rule id from `carepages.rules`. The build runs `BUILD_PAGE_CHECKS` and
`BUILD_SITE_CHECKS` with the default settings and prints their warnings; `check` (see `command.py`) runs every
check, with the severities and thresholds of site.toml's `[checks]` table, and applies silences.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from ..errors import Diagnostic
from ..model.site import Page, Site
from . import accessibility, aids, duplicates, honesty, readability, review, sources, understanding
from .citations import uncited_references, unused_references
from .images import images_without_alt_text
from .settings import BUILD_SETTINGS, CheckSettings
from .unfinished import todo_markers

PageCheck = Callable[[Page, CheckSettings], Iterator[Diagnostic]]
SiteCheck = Callable[[Site, CheckSettings], Iterator[Diagnostic]]

# What the build runs: checks that need no date and no reading of the prose.
BUILD_PAGE_CHECKS: tuple[PageCheck, ...] = (todo_markers, review.review_fields, images_without_alt_text,
                                            uncited_references)
BUILD_SITE_CHECKS: tuple[SiteCheck, ...] = (unused_references,)

# What `check` runs as well: on each page by itself (`page_checks`, which a worker process can run on its
# share of the pages), and across pages.
PAGE_CHECKS: tuple[PageCheck, ...] = (
    *BUILD_PAGE_CHECKS, review.review_dates, sources.no_references, sources.numbers_without_citation,
    accessibility.emoji, accessibility.heading_levels, accessibility.vague_link_text, honesty.commercial_links,
    honesty.hype, understanding.structure, understanding.natural_frequencies, aids.heading_after_care,
    readability.readability_of,
)
SITE_CHECKS: tuple[SiteCheck, ...] = (*BUILD_SITE_CHECKS, duplicates.duplicates)
# The page checks that read today's date (`CheckSettings.today`), and nothing of the page but its front
# matter: `check` keeps what the others find of a page in the build cache, and runs these every time.
DATED_PAGE_CHECKS: tuple[PageCheck, ...] = (review.review_dates,)


def page_checks(site: Site, settings: CheckSettings) -> tuple[PageCheck, ...]:
    """Every check `check` runs on one page at a time: `PAGE_CHECKS`, and those that first need something of
    the whole site (the words to explain that its glossary does not know)."""
    return (*PAGE_CHECKS, aids.unexplained_terms(site, settings))


def run_checks(site: Site) -> tuple[Diagnostic, ...]:
    """The build's editorial warnings, with the default settings."""
    return _sorted(run_all(site, BUILD_SETTINGS, BUILD_PAGE_CHECKS, BUILD_SITE_CHECKS))


def run_all(site: Site, settings: CheckSettings, on_each_page: Iterable[PageCheck] | None = None,
            site_checks: Iterable[SiteCheck] = SITE_CHECKS) -> list[Diagnostic]:
    """Every finding of the checks (default: what `check` runs) on a site whose pages have their tokens."""
    found: list[Diagnostic] = []
    each = tuple(page_checks(site, settings) if on_each_page is None else on_each_page)
    for page in site.pages:
        for page_check in each:
            found.extend(page_check(page, settings))
    for site_check in site_checks:
        found.extend(site_check(site, settings))
    return found


def _sorted(found: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(set(found), key=Diagnostic.sort_key))
