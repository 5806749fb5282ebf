"""The faults of the seed article (emoji headings, an unlabelled affiliate link, unsourced claims), pasted into
a page as an editor might, are what `check` catches."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from carepages.checks.command import check_site

SEED = Path(__file__).parent / "fixtures" / "check" / "seed-article.md"


def test_check_catches_the_seed_articles_faults(site):
    site.write("content/first.md", SEED.read_text(encoding="utf-8"))
    found = {(d.location.line, d.rule) for d in check_site(site.root, today=dt.date(2026, 6, 1)).findings}
    assert {(11, "accessibility/emoji"), (16, "accessibility/emoji"), (21, "accessibility/emoji"),
            (26, "accessibility/emoji"), (30, "accessibility/emoji"), (35, "accessibility/emoji")} <= found
    assert (21, "accessibility/heading-level") in found
    assert (33, "honesty/commercial") in found
    assert (33, "accessibility/link-text") in found
    assert (2, "sources/no-references") in found
    assert (28, "sources/number-without-citation") in found
    assert (28, "understanding/natural-frequency") in found
    assert {(2, "honesty/hype"), (26, "honesty/hype"), (37, "honesty/hype")} <= found
