"""`review/missing`: a health page shows who checked it and when; one without them should not go out."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from ..model.site import Page

RULE = "review/missing"


def review_fields(page: Page) -> Iterator[Diagnostic]:
    if not page.kind.needs_review:
        return
    for name in ("reviewed_by", "last_reviewed"):
        if not getattr(page.front, name):
            yield Diagnostic("warning", f"no '{name}': patients are shown who checked a health page and when",
                             page.front.where(""), RULE)
