"""The review dashboard: one self-contained HTML file, overdue pages first, status in words, sortable table."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest

from carepages.checks.command import check_site
from carepages.errors import OutputError
from carepages.report import render_report

from .sitekit import article, run_cli


class Table(HTMLParser):
    """The dashboard's table as rows of cell texts, with the header cells' attributes, and every URL."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[dict[str, str | None]] = []
        self.rows: list[list[str]] = []
        self.urls: list[str] = []
        self.cell: list[str] | None = None
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        self.urls += [v for k, v in attrs if k in {"src", "href"} and v]
        if tag == "thead":
            self.in_head = True
        elif tag == "th" and self.in_head:
            self.headers.append(found)
        elif tag == "tr" and not self.in_head:
            self.rows.append([])
        elif tag in {"td", "th"} and not self.in_head and self.rows:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "thead":
            self.in_head = False
        elif tag in {"td", "th"} and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def test_the_dashboard_lists_overdue_pages_first_with_status_in_words(site):
    site.write("content/first.md", article("First article", body="Text [@smith2020].\n", next_review="2026-05-01"))
    site.write("content/second.md", article("Second article", body="Text [@lee2019].\n", next_review="2026-12-01"))
    site.write("content/third.md", article("Third article", body="Text [@lee2019].\n", next_review="2026-06-20"))
    page = render_report(check_site(site.root, today=dt.date(2026, 6, 1)))
    table = Table()
    table.feed(page)
    assert [h["scope"] for h in table.headers] == ["col"] * 11
    assert [h["aria-sort"] for h in table.headers].count("ascending") == 1
    assert [row[0].split("content/")[0] for row in table.rows] == ["First article", "Third article",
                                                                      "Second article"]
    assert [row[4] for row in table.rows] == ["Overdue by 31 days", "Due in 19 days",
                                              "Up to date (due in 183 days)"]
    first = table.rows[0]
    assert first[1] == "Test reviewer (nurse)"
    assert "1 × review/overdue" in first[10]
    assert table.urls == []  # self-contained: nothing loaded from anywhere
    assert "<style>" in page and "<script>" in page
    assert '<th scope="row"' in page


def test_report_command_writes_the_file(site, tmp_path):
    out = tmp_path / "review.html"
    result = run_cli("report", str(site.root), "--out", str(out), "--today", "2026-06-01")
    assert result.code == 0, result.err
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert "Wrote the review dashboard" in result.out


def test_report_of_a_site_that_cannot_be_read(site, tmp_path):
    site.write("site.toml", "title = [\n")
    result = run_cli("report", str(site.root), "--out", str(tmp_path / "r.html"))
    assert result.code == 1
    assert "[config/syntax]" in result.err
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize(("out", "says"), [
    ("reports", "cannot write the report: 'reports' is a folder; give a file name, such as reports/review.html"),
    ("notes.txt/review.html", "cannot write the report: 'notes.txt' is a file, not a folder"),
    ("notes.txt/a/review.html", "cannot write the report: 'notes.txt' is a file, not a folder"),
])
def test_a_report_that_cannot_be_written_says_why_not_a_bug(site, out, says):
    (site.root / "reports").mkdir()
    site.write("notes.txt", "a file where a folder would be\n")
    result = run_cli("report", ".", "--out", out, cwd=site.root)
    assert result.code == 1
    assert result.err.splitlines() == [f"{out}: error: {says} [output/write]", "No report written."]


def test_a_report_that_fails_to_write_leaves_the_previous_one_whole(site, tmp_path, monkeypatch):
    import errno

    from carepages import report

    out = tmp_path / "review.html"
    earlier = check_site(site.root, today=dt.date(2026, 6, 1))
    report.write_report(earlier, out)
    before = out.read_bytes()

    def full(source, target):
        raise OSError(errno.ENOSPC, "No space left on device", str(source))

    monkeypatch.setattr(report.os, "replace", full)
    with pytest.raises(OutputError, match="cannot write the report: No space left on device"):
        report.write_report(check_site(site.root, today=dt.date(2027, 6, 1)), out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review.html", "site"]  # no half-written file left
