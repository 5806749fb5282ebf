"""`duplicate/title`, `duplicate/slug`, `duplicate/summary`: two pages that look the same in a list, a search
result or a browser tab, so a reader cannot tell which one they want."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from ..model.site import Page, Site
from .settings import CheckSettings


def duplicates(site: Site, settings: CheckSettings) -> Iterator[Diagnostic]:
    for name, rule, value in (("title", "duplicate/title", lambda p: p.title),
                              ("slug", "duplicate/slug", lambda p: p.slug),
                              ("summary", "duplicate/summary", lambda p: p.front.summary)):
        first: dict[str, Page] = {}
        for page in sorted(site.pages, key=lambda p: str(p.rel)):
            key = " ".join(str(value(page) or "").casefold().split())
            if not key:
                continue
            if key in first:
                where = page.front.where(name) if name in page.front.locations else page.front.where("title")
                yield Diagnostic("warning", f"the same {name} as {first[key].rel}: give each page its own",
                                 where, rule)
            else:
                first[key] = page
