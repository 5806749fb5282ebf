"""`todo/left`: `new` marks what an editor must fill in with TODO; a published page should have none left."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic, Location
from ..model.site import Page
from .settings import CheckSettings

RULE = "todo/left"


def todo_markers(page: Page, settings: CheckSettings) -> Iterator[Diagnostic]:
    if page.front.draft:
        return
    for number, line in enumerate(page.source.text.lines, start=1):
        if "TODO" in line:
            yield Diagnostic("warning", "this page is published but still has TODO markers from 'new'; finish "
                             "them or set 'draft: true'", Location(page.source.path, number, line.index("TODO") + 1),
                             RULE)
            return
