"""`check` on every CPU and from the build cache: the same findings (and the same dashboard figures) as one
process without a cache, whatever changed in between; a page is read again only when it, or what its checks
read, changed; dated findings follow the date even when the rest comes from the cache."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from carepages.checks import command
from carepages.checks.command import check_site

from .sitekit import MINIMAL_CONFIG, article

TODAY = dt.date(2026, 6, 1)
PAGES = 40  # enough for two worker processes (parallel.MIN_TASKS_PER_WORKER each)
SETTINGS = MINIMAL_CONFIG + '\n[checks."glossary/unexplained"]\nterms = ["gadolinium", "myelin"]\n'
HARD = ("Demyelinating inflammatory lesions within the cervical spinal cord characteristically produce "
        "asymmetrical sensory disturbances, proprioceptive impairment and occasionally bladder dysfunction. ")


def body(number: int) -> str:
    """Prose that gives findings of several kinds: a hard passage on some pages, a word to explain on others,
    a number without a source."""
    text = f"Most people with MS have a brain scan first [@smith2020]. Page {number} says more [@lee2019].\n\n"
    if number % 3 == 0:
        text += HARD * 20 + "[@smith2020]\n\n"
    if number % 4 == 0:
        text += "The dye had gadolinium in it. About 30% of people feel nothing.\n\n"
    return text + "## What happens next\n\nAsk your team what the scan showed.\n"


@pytest.fixture
def many(site):
    site.write("site.toml", SETTINGS)
    (site.root / "content" / "first.md").unlink()
    for number in range(PAGES):
        due = "2026-03-01" if number % 5 == 0 else "2027-03-01"  # some overdue on TODAY
        site.write(f"content/page-{number:02d}.md", article(f"Page {number}", body(number), next_review=due))
    return site


def seen(result) -> tuple[list[tuple[object, ...]], dict[str, object]]:
    """The findings as `check` prints them, and the dashboard's figures."""
    return [(d.format(), d.severity, d.rule) for d in result.findings], dict(result.prose)


def reference(site, today=TODAY):
    """What one process without the cache finds."""
    return seen(check_site(site.root, today=today, jobs=1, cache=False))


def counting(monkeypatch) -> list[str]:
    """The pages the checks read with their token trees (in this process: jobs=1)."""
    parsed: list[str] = []
    real = command.parse_page

    def parse_page(source, engine, *, keep_tokens=False):
        parsed.append(source.rel.as_posix())
        return real(source, engine, keep_tokens=keep_tokens)

    monkeypatch.setattr(command, "parse_page", parse_page)
    return parsed


def entries(site) -> list[Path]:
    return [p for p in (site.root / ".carepages-cache" / command.SPACE).rglob("*") if p.is_file()]


def test_the_findings_are_the_same_on_two_processes_and_from_the_cache(many):
    expected = reference(many)
    rules = {rule for _, _, rule in expected[0]}
    assert {"readability/grade", "glossary/unexplained", "review/overdue",
            "sources/number-without-citation"} <= rules  # (the site gives findings of every kind checked here)
    assert len(expected[1]) == PAGES and all(p.grade is not None for p in expected[1].values())
    assert seen(check_site(many.root, today=TODAY, jobs=2)) == expected  # two processes, writing the cache
    assert len(entries(many)) == PAGES
    assert seen(check_site(many.root, today=TODAY, jobs=2)) == expected  # from the cache
    assert seen(check_site(many.root, today=TODAY, jobs=1)) == expected


def test_a_page_is_read_again_only_when_it_or_what_its_checks_read_changed(many, monkeypatch):
    parsed = counting(monkeypatch)

    def check() -> tuple[object, list[str]]:
        """What `check` finds (and reads again), against what one process without the cache finds."""
        expected = reference(many)
        parsed.clear()
        result = check_site(many.root, today=TODAY, jobs=1)
        assert seen(result) == expected
        return result, sorted(parsed)

    assert len(check()[1]) == PAGES
    assert check()[1] == []
    many.write("content/page-07.md", article("Page 7", body(7) + "\nThe nerves lost their myelin.\n",
                                               next_review="2027-03-01"))
    result, read = check()
    assert read == ["page-07.md"]
    assert any(d.rule == "glossary/unexplained" and "page-07" in str(d.location.path) for d in result.findings)
    many.write("site.toml", SETTINGS + '\n[checks."readability/grade"]\ntarget = 20\n')  # what the checks read
    assert len(check()[1]) == PAGES
    many.write("content/glossary.yaml", "- term: gadolinium\n  definition: A metal in some scan dyes.\n")
    result, read = check()
    assert len(read) == PAGES
    assert not any("gadolinium" in d.message for d in result.findings if d.rule == "glossary/unexplained")


def test_dated_findings_follow_the_date_when_the_rest_comes_from_the_cache(many, monkeypatch):
    check_site(many.root, today=TODAY, jobs=1)
    later = TODAY + dt.timedelta(days=400)  # every page overdue now
    expected = reference(many, later)
    parsed = counting(monkeypatch)
    result = check_site(many.root, today=later, jobs=1)
    assert parsed == []  # nothing read again: only the date changed
    assert seen(result) == expected
    assert sum(d.rule == "review/overdue" for d in result.findings) == PAGES


def test_a_damaged_or_foreign_entry_is_not_trusted(many):
    expected = reference(many)
    check_site(many.root, today=TODAY, jobs=1)
    kept = entries(many)
    kept[0].write_bytes(kept[0].read_bytes()[:50])  # truncated
    kept[1].write_bytes(kept[2].read_bytes())  # another page's entry under this page's key
    assert seen(check_site(many.root, today=TODAY, jobs=2)) == expected


def test_the_cache_keeps_what_the_pages_now_have_and_check_can_leave_it_alone(many):
    check_site(many.root, today=TODAY, jobs=1)
    (many.root / "content" / "page-39.md").unlink()
    many.write("content/page-38.md", article("Page 38, edited", body(38)))
    check_site(many.root, today=TODAY, jobs=1)
    assert len(entries(many)) == PAGES - 1  # the entries of the edited and the removed page are gone
    before = {p: p.read_bytes() for p in entries(many)}
    many.write("content/page-37.md", article("Page 37, edited", body(37)))
    expected = reference(many)
    assert seen(check_site(many.root, today=TODAY, jobs=1, cache=False)) == expected
    assert {p: p.read_bytes() for p in entries(many)} == before  # --no-cache: neither read nor written
