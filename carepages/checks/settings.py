"""Per-rule settings for `check`, from site.toml's `[checks]` table.

```toml
[checks]
disable = ["honesty/commercial"]        # rules switched off

[checks."readability/grade"]
severity = "warning"                    # "error", "warning" or "off"
target = 8                              # the rule's own thresholds (see OPTIONS)
ceiling = 12
```

Every rule of `carepages.rules` can be switched off or given another severity; the rules with thresholds
list them, with their defaults, in `OPTIONS`. Unknown rule ids and option names are warnings with a "did you
mean" hint, at their line; a value of the wrong type is an error there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import Diagnostic, Location, Severity
from ..fields import did_you_mean, shown, type_name
from ..rules import RULES

OFF = "off"
SEVERITIES = ("error", "warning", OFF)

# What `check` reports at another severity than the build: a broken section link, an image without alt
# text and a health page without a reviewer are warnings while writing, errors before publishing.
CHECK_SEVERITY: dict[str, Severity] = {
    "links/anchor": "error",
    "images/alt-text": "error",
    "review/missing": "error",
}

# rule -> option -> default. A default of None is worked out from the site (e.g. the review interval).
OPTIONS: dict[str, dict[str, Any]] = {
    "readability/grade": {"target": 8.0, "ceiling": 12.0, "min_words": 150},
    "readability/smog": {"target": 8.0, "ceiling": 12.0, "min_words": 150},
    "review/due-soon": {"days": 30},
    "review/interval": {"months": None},
    "honesty/commercial": {"domains": [], "disclosure": ["advert", "advertisement", "affiliate", "sponsored",
                                                         "paid link", "paid partnership"]},
    "honesty/hype": {"words": ["cure", "cures", "cured", "miracle", "miracles", "miraculous", "guaranteed",
                               "guarantee", "guarantees", "breakthrough", "breakthroughs", "game-changer",
                               "game changer", "secret weapon", "revolutionary"]},
    "accessibility/link-text": {"phrases": ["click here", "here", "read more", "this link", "more", "link",
                                            "click", "click this link", "this page", "go here"]},
    "glossary/unexplained": {"terms": []},
    "understanding/no-headings": {"min_words": 300},
    "understanding/no-key-points": {"min_words": 300},
    "understanding/no-next-step": {"min_words": 300, "phrases": [
        "next", "what to do", "what you can do", "when to get help", "get help", "getting help", "ask",
        "talk", "contact", "questions for", "questions to"]},
}

_TYPES: dict[type, tuple[type, ...]] = {float: (int, float), int: (int,), list: (list,), type(None): (int,)}


@dataclass(frozen=True)
class RuleSettings:
    severity: str | None = None  # "error", "warning" or "off"; None: as the rule reports it
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def enabled(self) -> bool:
        return self.severity != OFF


@dataclass(frozen=True)
class CheckSettings:
    """What every check reads: each rule's severity and thresholds, the date checks count from, and the site's
    review interval."""

    rules: Mapping[str, RuleSettings] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)
    review_interval_months: int = 12
    for_build: bool = False  # the build's defaults: its own severities, no date-dependent rules

    def rule(self, rule_id: str) -> RuleSettings:
        found = self.rules.get(rule_id)
        if found:
            return found
        return RuleSettings(None if self.for_build else CHECK_SEVERITY.get(rule_id), OPTIONS.get(rule_id, {}))

    def enabled(self, rule_id: str) -> bool:
        return self.rule(rule_id).enabled

    def option(self, rule_id: str, name: str) -> Any:
        value = self.rule(rule_id).options.get(name)
        if value is None and rule_id == "review/interval" and name == "months":
            return self.review_interval_months
        return value

    def apply(self, diagnostic: Diagnostic) -> Diagnostic | None:
        """The finding at its configured severity, or None if its rule is off. A rule that is not configured
        reports at the severity its check chose (readability: a warning above the target, an error above the
        ceiling)."""
        severity = (self.rule(diagnostic.rule).severity if diagnostic.rule else None) or diagnostic.severity
        if severity == OFF:
            return None
        return diagnostic if severity == diagnostic.severity else replace(diagnostic, severity=severity)


BUILD_SETTINGS = CheckSettings(for_build=True)


def read_settings(table: Any, locations: Mapping[tuple[str | int, ...], Location], origin: Location, *,
                  today: dt.date, review_interval_months: int = 12) -> tuple[CheckSettings, list[Diagnostic]]:
    """Read site.toml's `[checks]` table (`locations` are keyed by the path inside it). Problems come back as
    findings, so `check` reports them with everything else."""
    problems: list[Diagnostic] = []
    rules: dict[str, RuleSettings] = {}

    def at(*path: str | int) -> Location:
        while path:
            if path in locations:
                return locations[path]
            path = path[:-1]
        return locations.get((), origin)

    def invalid(message: str, where: Location) -> None:
        problems.append(Diagnostic("error", message, where, "config/invalid"))

    if table is None:
        table = {}
    if not isinstance(table, dict):
        invalid(f"'checks' must be a table ([checks]), not {type_name(table)}", at())
        table = {}
    for key, value in table.items():
        if key == "disable":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                invalid("'checks.disable' must be a list of rule ids, such as [\"honesty/commercial\"]", at(key))
                continue
            for rule_id in value:
                if _known(rule_id, at(key), problems):
                    rules[rule_id] = RuleSettings(OFF, OPTIONS.get(rule_id, {}))
            continue
        if not _known(key, at(key), problems):
            continue
        if not isinstance(value, dict):
            invalid(f"'checks.\"{key}\"' must be a table, such as [checks.\"{key}\"] with severity = \"warning\"",
                    at(key))
            continue
        defaults = OPTIONS.get(key, {})
        severity: str | None = CHECK_SEVERITY.get(key)
        options = dict(defaults)
        for name, setting in value.items():
            where = at(key, name)
            if name == "severity":
                if setting not in SEVERITIES:
                    invalid(f"'severity' of '{key}' must be \"error\", \"warning\" or \"off\", not {shown(setting)}",
                            where)
                else:
                    severity = setting
            elif name == "enabled":
                if not isinstance(setting, bool):
                    invalid(f"'enabled' of '{key}' must be true or false, not {type_name(setting)}", where)
                elif not setting:
                    severity = OFF
            elif name in defaults:
                expected = _TYPES.get(type(defaults[name]), (type(defaults[name]),))
                ok = isinstance(setting, expected) and not isinstance(setting, bool)
                if ok and isinstance(setting, list):
                    ok = all(isinstance(item, str) for item in setting)
                if not ok:
                    wanted = "a list of text" if list in expected else "a number"
                    invalid(f"'{name}' of '{key}' must be {wanted}, not {type_name(setting)}", where)
                else:
                    options[name] = setting
            else:
                known = ["severity", "enabled", *defaults]
                problems.append(Diagnostic("warning", f"unknown setting '{name}' for rule '{key}'"
                                           f"{did_you_mean(name, known)} (it takes: {', '.join(known)})",
                                           where, "config/unknown-key"))
        if key in rules and rules[key].severity == OFF:
            severity = OFF  # listed in `disable` as well
        rules[key] = RuleSettings(severity, options)
    return CheckSettings(rules, today, review_interval_months), problems


def _known(rule_id: str, where: Location, problems: list[Diagnostic]) -> bool:
    if rule_id in RULES:
        return True
    problems.append(Diagnostic("warning", f"unknown rule '{rule_id}'{did_you_mean(rule_id, RULES)}",
                               where, "check/unknown-rule"))
    return False
