"""Topics: the ones site.toml declares (in its order), then any others pages name, each with its page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..config import SiteConfig
from ..discover.sources import PageSource
from ..errors import ContentError, Found, Problems
from ..fields import did_you_mean
from ..kinds import KINDS
from ..routes import Router
from ..textutil import slugify
from .site import Topic


@dataclass(frozen=True)
class Topics:
    topics: tuple[Topic, ...]  # used by at least one page: site.toml's order, then the others by name
    of_page: dict[PurePosixPath, tuple[Topic, ...]]  # each page's topics, in its own order


def collect_topics(config: SiteConfig, pages: Sequence[PageSource], router: Router) -> Found[Topics]:
    problems = Problems()
    kind = KINDS["topic"]

    def topic(name: str, slug: str, description: str = "") -> Topic:
        route = kind.route_for(slug)
        return Topic(name, slug, route, router.url(route), description)

    declared = {spec.slug: topic(spec.name, spec.slug, spec.description) for spec in config.topics}
    names = [spec.name for spec in config.topics]
    found: dict[str, Topic] = {}
    of_page: dict[PurePosixPath, tuple[Topic, ...]] = {}
    for page in pages:
        chosen: dict[Topic, None] = {}
        for item in page.front.topics:
            slug = slugify(item.value)
            if not slug:
                problems.error(ContentError(f"topic '{item.value}' needs at least one letter or digit",
                                            item.location, rule="topics/invalid"))
                continue
            known = declared.get(slug) or found.get(slug)
            if known is None:
                if declared:
                    problems.warn(f"topic '{item.value}' is not one of the topics in site.toml"
                                  f"{did_you_mean(item.value, names)}", item.location, rule="topics/unknown")
                known = found[slug] = topic(item.value, slug)
            chosen[known] = None
        of_page[page.rel] = tuple(chosen)
    used = {t.slug for chosen in of_page.values() for t in chosen}
    ordered = [t for t in declared.values() if t.slug in used]
    ordered += sorted(found.values(), key=lambda t: t.name.lower())
    return Found(Topics(tuple(ordered), of_page), problems.diagnostics)
