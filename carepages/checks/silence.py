"""Silencing a finding that an editor has judged and accepted, where it is, with the rule named.

- One block: on the line before it, a Markdown comment (a link reference definition, which CommonMark shows
  nowhere, so no engine change is needed):

      [//]: # (check-ignore: sources/number-without-citation)
      About 2 in 100 people ...

  or, in the front matter, a YAML comment before the field: `# check-ignore: readability/grade`.
  It covers the next line and the rest of its block: up to the next blank line in Markdown, and the field's
  indented lines in YAML. Several ids are separated by commas or spaces.
- One page: the front-matter field `check_ignore: [readability/grade]`.

A silence that silences nothing (the problem was fixed, or the text moved) is reported as
`check/stale-silence`, so silences do not pile up; one naming an unknown rule is `check/unknown-rule`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostic, Location
from ..fields import did_you_mean
from ..model.site import Page
from ..rules import RULES
from .settings import CheckSettings

_MARKDOWN = re.compile(r"^ {0,3}\[//\]:\s*#\s*\(\s*check-ignore:\s*([^)]*)\)\s*$")
_YAML = re.compile(r"^(\s*)#\s*check-ignore:\s*(.*?)\s*$")
_IDS = re.compile(r"[^\s,]+")


@dataclass
class Silence:
    rule: str
    location: Location  # where it is written
    first: int = 0  # lines it covers (0, 0 for a whole page)
    last: int = 0
    used: bool = field(default=False, compare=False)

    def covers(self, finding: Diagnostic) -> bool:
        if finding.rule != self.rule or finding.location.path != self.location.path:
            return False
        if self.first == 0:
            return True
        line = finding.location.line
        return line is not None and self.first <= line <= self.last


def page_silences(page: Page) -> list[Silence]:
    path = page.source.path
    found = [Silence(item.value, item.location) for item in page.front.check_ignore]
    lines = page.source.text.lines
    body_start = page.front.body_line  # lines before it are front matter
    for index, text in enumerate(lines):
        number = index + 1
        in_front = number < body_start
        match = _YAML.match(text) if in_front else _MARKDOWN.match(text)
        if not match:
            continue
        ids = match.group(2) if in_front else match.group(1)
        column = text.index("check-ignore") + len("check-ignore:") + 1
        first, last = _covered(lines, index, in_front, body_start)
        for rule in _IDS.finditer(ids):
            col = text.find(rule.group(), column - 1) + 1
            found.append(Silence(rule.group(), Location(path, number, col), first, last))
    return found


def _covered(lines: list[str], index: int, in_front: bool, body_start: int) -> tuple[int, int]:
    """The file lines (from, to) a silence written on `lines[index]` covers."""
    pattern = _YAML if in_front else _MARKDOWN
    start = index + 1
    while start < len(lines) and pattern.match(lines[start]):
        start += 1  # silences stacked on the lines before the same block
    if start >= len(lines):
        return index + 1, index + 1
    end = start
    if in_front:
        indent = len(lines[start]) - len(lines[start].lstrip())
        while end + 1 < body_start - 2 and (not lines[end + 1].strip() or
                                            len(lines[end + 1]) - len(lines[end + 1].lstrip()) > indent):
            end += 1
    else:
        while end + 1 < len(lines) and lines[end + 1].strip():
            end += 1
    return start + 1, end + 1


def apply_silences(findings: Iterable[Diagnostic], silences: list[Silence],
                   settings: CheckSettings) -> list[Diagnostic]:
    """The findings no silence covers, then a finding for each silence that is stale or names no rule."""
    by_path: dict[Path | None, list[Silence]] = {}
    for silence in silences:
        by_path.setdefault(silence.location.path, []).append(silence)
    kept = []
    for finding in findings:
        covering = [s for s in by_path.get(finding.location.path, ()) if s.covers(finding)]
        for silence in covering:
            silence.used = True
        if not covering:
            kept.append(finding)
    for silence in silences:
        if silence.rule not in RULES:
            kept.append(Diagnostic("warning", f"check-ignore names an unknown rule '{silence.rule}'"
                                   f"{did_you_mean(silence.rule, RULES)}", silence.location, "check/unknown-rule"))
        elif not silence.used and settings.enabled(silence.rule):
            what = "this page" if silence.first == 0 else \
                f"line{'s' if silence.last > silence.first else ''} {silence.first}" + \
                (f"-{silence.last}" if silence.last > silence.first else "")
            kept.append(Diagnostic("warning", f"check-ignore: {silence.rule} silences nothing on {what} any more: "
                                   "remove it", silence.location, "check/stale-silence"))
    return kept
