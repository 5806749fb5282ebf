"""Topics: the ones site.toml declares (in its order), then any others pages name, each with its page.

A topic is known by its slug, so case and spacing do not make two topics (`Spine MRI`, `spine  mri`). Names
that are close but not the same (`MRI` and `mri scans`, `Diagnosis` and `Diagnoses`) would still split one
subject over two lists; they are warned about at the front-matter line that brings in the second one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..config import SiteConfig
from ..discover.sources import PageSource
from ..errors import ContentError, Found, Location, Problems
from ..fields import did_you_mean, shown
from ..kinds import KINDS
from ..routes import Router
from ..textutil import slugify
from .site import Topic

# Spelling slips are looked for in longer names only: 'tumour' and 'tumor', 'diagnosis' and 'diagnoses' are one
# subject, 'brain' and 'drain' are not.
MIN_LETTERS = 6  # a letter more or fewer, in a name of at least this many
MIN_CHANGED = 7  # a letter changed


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
    near_declared = NearNames()
    for spec in config.topics:
        near_declared.add(spec.slug)
    found: dict[str, Topic] = {}
    near_found = NearNames()
    first_use: dict[str, Location] = {}
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
                    near = near_declared.near(slug)
                    hint = f" (did you mean '{declared[near].name}'?)" if near else did_you_mean(item.value, names)
                    problems.warn(f"topic '{item.value}' is not one of the topics in site.toml{hint}",
                                  item.location, rule="topics/unknown")
                else:
                    near = near_found.near(slug)
                    if near:
                        problems.warn(f"topic '{shown(item.value)}' is very like the topic '{shown(found[near].name)}' "
                                      f"({first_use[near].format(config.root)}): if they are one subject, use one "
                                      "name; if not, list both in site.toml's [[topics]]", item.location,
                                      rule="topics/near-duplicate")
                known = found[slug] = topic(item.value, slug)
                near_found.add(slug)
                first_use[slug] = item.location
            chosen[known] = None
        of_page[page.rel] = tuple(chosen)
    used = {t.slug for chosen in of_page.values() for t in chosen}
    ordered = [t for t in declared.values() if t.slug in used]
    ordered += sorted(found.values(), key=lambda t: t.name.lower())
    return Found(Topics(tuple(ordered), of_page), problems.diagnostics)


class NearNames:
    """Topic slugs, found again by a near miss: the same words but for plural endings (`mri-scan`,
    `mri-scans`), one word more or fewer (`mri`, `mri-scans`), or one letter more, fewer or changed
    (`tumour`, `tumor`; `diagnosis`, `diagnoses`). A lookup costs a few dictionary probes, not a pass over
    every topic."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], str] = {}  # key -> the first slug added with it

    def add(self, slug: str) -> None:
        words = _words(slug)
        keys = [("words", _key(words))]
        if len(words) > 1:
            keys += [("fewer", _key(words - {word})) for word in words]  # this topic, one word fewer
        if len(slug) >= MIN_LETTERS:
            keys += [("exact", slug), *(("dropped", variant) for variant in _dropped(slug))]
        if len(slug) >= MIN_CHANGED:
            keys += [("changed", variant) for variant in _changed(slug)]
        for key in keys:
            self.keys.setdefault(key, slug)

    def near(self, slug: str) -> str | None:
        """The first slug added that is near `slug` (and not `slug` itself), or None."""
        words = _words(slug)
        probes = [("words", _key(words)), ("fewer", _key(words))]  # the same words; one word fewer than it
        if len(words) > 1:
            probes += [("words", _key(words - {word})) for word in words]  # one word more than it
        probes.append(("dropped", slug))  # this one is a topic with a letter dropped
        if len(slug) >= MIN_LETTERS:
            probes += [("exact", variant) for variant in _dropped(slug)]  # with a letter more
        if len(slug) >= MIN_CHANGED:
            probes += [("changed", variant) for variant in _changed(slug)]  # with a letter changed
        for probe in probes:
            found = self.keys.get(probe)
            if found is not None and found != slug:
                return found
        return None


def _dropped(slug: str) -> list[str]:
    return [slug[:i] + slug[i + 1:] for i in range(len(slug))]


def _changed(slug: str) -> list[str]:
    return [slug[:i] + "\0" + slug[i + 1:] for i in range(len(slug))]


def _words(slug: str) -> frozenset[str]:
    return frozenset(_stem(word) for word in slug.split("-"))


def _stem(word: str) -> str:
    for ending in ("ies", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)] + ("y" if ending == "ies" else "")
    return word


def _key(words: frozenset[str]) -> str:
    return " ".join(sorted(words))
