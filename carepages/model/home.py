"""The home page's "start here" path: the pages site.toml's `start_here` names, in its order; without that
setting, the first pages with a `weight` (lowest first). Each is a page of the site, or an error at its line."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import PurePosixPath

from ..config import SiteConfig
from ..errors import Diagnostic, Found
from ..fields import did_you_mean, shown
from .site import Page

DEFAULT_LENGTH = 3  # without start_here: this many of the weighted pages


def start_path(config: SiteConfig, pages: Sequence[Page],
               drafts: Collection[PurePosixPath] = ()) -> Found[tuple[str, ...]]:
    """Routes of the pages that start the home page, in order."""
    if config.start_here is None:
        weighted = sorted((p for p in pages if p.kind.listed and p.front.weight is not None and not p.front.draft),
                          key=lambda p: (p.front.weight, p.title.lower(), p.route))
        return Found(tuple(p.route for p in weighted[:DEFAULT_LENGTH]))
    by_slug = {p.slug: p for p in pages}
    draft_names = {rel.stem for rel in drafts}
    routes, found = [], []
    for ref in config.start_here:
        page = by_slug.get(ref.slug)
        if page is not None:
            routes.append(page.route)
            continue
        if ref.slug in draft_names:
            why = "is a draft: publish it, or take it out of 'start_here'"
        else:
            why = f"is not the slug of any page{did_you_mean(ref.slug, by_slug)}"
        found.append(Diagnostic("error", f"'start_here': '{shown(ref.slug)}' {why}", ref.location, "home/start-here"))
    return Found(tuple(routes), tuple(found))
