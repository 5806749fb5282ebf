"""Review: a health page shows who checked it and when, and is checked again in time.

`review/missing` runs in the build too. The date rules (`review/overdue`, `review/due-soon`,
`review/interval`) depend on today's date, so only `check` runs them (with `--today` for reproducible
results): the build's output never depends on the day it is run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..errors import Diagnostic
from ..model.site import Page
from ..textutil import add_months
from .settings import CheckSettings

RULE = "review/missing"


def review_fields(page: Page, settings: CheckSettings) -> Iterator[Diagnostic]:
    if not page.kind.needs_review:
        return
    for name in ("reviewed_by", "last_reviewed"):
        if not getattr(page.front, name):
            yield Diagnostic("warning", f"no '{name}': patients are shown who checked a health page and when",
                             page.front.where(""), RULE)


def review_dates(page: Page, settings: CheckSettings) -> Iterator[Diagnostic]:
    if not page.kind.needs_review or page.next_review is None:
        return
    front, today = page.front, settings.today
    due = page.next_review
    where = front.where("next_review") if front.next_review else front.where("last_reviewed")
    shown = "next_review" if front.next_review else "the next review (last_reviewed plus review_interval_months)"
    if due < today:
        days = (today - due).days
        yield Diagnostic("error", f"{shown} ({due.isoformat()}) was {_days(days)} ago: review the page, then "
                         "update last_reviewed and next_review", where, "review/overdue")
    elif (due - today).days <= settings.option("review/due-soon", "days"):
        days = (due - today).days
        when = "today" if days == 0 else f"in {_days(days)}"
        yield Diagnostic("warning", f"{shown} ({due.isoformat()}) is due {when}: plan the review",
                         where, "review/due-soon")
    last = front.last_reviewed
    if front.next_review and last:
        months = settings.option("review/interval", "months")
        if front.next_review <= last:
            yield Diagnostic("error", f"next_review ({front.next_review.isoformat()}) must be after last_reviewed "
                             f"({last.isoformat()})", where, "review/interval")
        else:
            latest = _latest(last, months)
            if latest is not None and front.next_review > latest:
                yield Diagnostic("error", f"next_review ({front.next_review.isoformat()}) is more than {months} "
                                 f"months after last_reviewed ({last.isoformat()}), the site's review interval: "
                                 f"set it on or before {latest.isoformat()}", where, "review/interval")


def _latest(last: dt.date, months: int) -> dt.date | None:
    try:
        return add_months(last, months)
    except OverflowError:
        return None


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"
