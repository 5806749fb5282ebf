"""Every address in the site claimed once: two things that would write the same file are an error naming
both. Pages, topic pages, content files, theme files and the generated pages all go through one table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..discover.sources import Sources
from ..errors import Found, Location, Problems
from ..kinds import KINDS, Made, generated_routes
from ..routes import RouteTable
from .site import Topic


@dataclass(frozen=True)
class Claims:
    placed: frozenset[PurePosixPath]  # pages that got their address (a page that lost a clash did not)


def claim_routes(sources: Sources, topics: Sequence[Topic], config_path: PurePosixPath) -> Found[Claims]:
    problems = Problems()
    table = RouteTable()

    def claim(route: str, owner: str, where: Location = Location(), output: PurePosixPath | None = None) -> bool:
        error = table.claim(route, owner, where, output)
        if error:
            problems.error(error)
        return error is None

    for route, owner in generated_routes().items():
        claim(route, owner)
    placed = {page.rel for page in sources.pages
              if claim(page.place.route, f"page {page.rel}",
                       page.front.where("slug") if page.front.slug else Location(page.path, 1, 1), page.place.output)}
    for page in sources.pages:  # claimed with or without --handouts, so turning them on never makes a clash
        if page.handout and page.rel in placed:
            claim(page.handout.route, f"the handout of page {page.rel}", Location(page.path, 1, 1),
                  page.handout.output)
    faq = KINDS["faq"]
    written_faq = any(page.kind is faq for page in sources.pages)
    if not written_faq and faq.made is Made.ONCE_UNLESS_WRITTEN:
        claim(faq.route_for(), faq.owner)
    for item in sources.static:
        claim(item.place.route, f"static file {item.path}", Location(item.path), item.place.output)
    for item in sources.assets:
        claim(item.place.route, f"content file {item.rel}", Location(item.path), item.place.output)
    for topic in topics:
        claim(topic.route, f"the page of topic '{topic.name}'", Location(config_path))
    return Found(Claims(frozenset(placed)), problems.diagnostics)
