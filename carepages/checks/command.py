"""`check`: everything the build validates, and every editorial rule, as one list of findings.

The site is read by the build's own stages up to the model (`pipeline.model_site`, which `build` uses too).
If the build would fail, its errors become findings, and the model is made all the same from the pages that
can be modelled, so every rule still runs on them: one run shows every problem. Then each finding gets its
severity from site.toml's `[checks]` table (or is dropped if its rule is off), and silences are applied.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, Location, SiteError
from ..model.site import Site
from . import run_all
from .settings import CheckSettings, read_settings
from .silence import Silence, apply_silences, page_silences


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Diagnostic, ...]  # in file and line order
    site: Site | None  # None if not even the config could be read
    settings: CheckSettings

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.findings if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.findings if d.severity == "warning")


def check_site(site_dir: Path | str = ".", *, today: dt.date | None = None) -> CheckResult:
    root = Path(os.path.abspath(site_dir))
    today = today or dt.date.today()
    site, found = _load(root)
    interval = site.config.review_interval_months if site else 12
    table = _checks_table(root)
    if table is None:
        settings, problems = CheckSettings(today=today, review_interval_months=interval), []
    else:
        settings, problems = read_settings(*table, today=today, review_interval_months=interval)
    found += problems
    silences: list[Silence] = []
    if site is not None:
        found += run_all(site, settings)
        for page in site.pages:
            silences += page_silences(page)
    applied = [d for d in (settings.apply(f) for f in found) if d is not None]
    kept = apply_silences(applied, silences, settings)
    return CheckResult(tuple(sorted(set(kept), key=Diagnostic.sort_key)), site, settings)


def _load(root: Path) -> tuple[Site | None, list[Diagnostic]]:
    """The build's stages up to the model, run to their end: the model of every page that can be modelled,
    and every error and warning the build would report."""
    from ..pipeline import model_site

    try:
        modelled = model_site(root, keep_tokens=True)  # the prose checks read the tokens
    except SiteError as exc:  # nothing to model: site.toml unreadable, or no pages
        return None, list(exc.diagnostics)
    return modelled.site, list(modelled.findings)


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
