"""`report`: the review dashboard for clinic staff, one self-contained HTML file they open from disk.

Every health page with its reviewer, last and next review, review status (in words as well as colour),
readability grades, words, reading time, references and open findings by rule. The table is in server-side
order (overdue first, then by next review date), so it works with JavaScript off; a small inline script
sorts it when a column's button is pressed. The style sheet and script are inline because the file is
opened from disk, not served with the site (the site's own pages keep their strict no-inline policy).
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .checks.command import CheckResult
from .errors import Location, OutputError
from .model.site import Page
from .terminal import shown_path
from .write.output import file_in_the_way, replace_whole

WORDS_PER_MINUTE = 200


@dataclass(frozen=True)
class Row:
    page: Page
    status: str  # words: "Overdue by 12 days"
    level: str  # overdue, soon, missing, ok: the colour
    order: int  # 0 = most urgent
    grade: float | None
    smog: float | None
    words: int
    findings: Counter[str]


def write_report(result: CheckResult, out: Path | str) -> Path:
    """Write the dashboard to the file `out`, whole or not at all: a report that cannot be written leaves the
    previous one as it was. Raises `OutputError` (where and why) when the file cannot be written."""
    path = Path(os.path.abspath(out))
    if path.is_dir():
        raise OutputError(f"cannot write the report: '{out}' is a folder; give a file name, such as "
                          f"{Path(out) / 'review.html'}", Location(path), rule="output/write")
    blocker = file_in_the_way(path)
    if blocker is not None:
        raise OutputError(f"cannot write the report: '{shown_path(blocker)}' is a file, not a folder",
                          Location(path), rule="output/write")
    page = render_report(result).encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_whole(path, page)
    except OSError as exc:
        raise OutputError(f"cannot write the report: {exc.strerror or exc}", Location(path),
                          rule="output/write") from None
    return path


def rows(result: CheckResult) -> list[Row]:
    site = result.site
    assert site is not None
    today = result.settings.today
    soon = result.settings.option("review/due-soon", "days")
    pages = [p for p in site.pages if p.kind.needs_review]
    by_path: dict[Path | None, Counter[str]] = {}
    for finding in result.findings:
        by_path.setdefault(finding.location.path, Counter())[finding.rule] += 1
    found = []
    for page in pages:
        status, level, order = _status(page.next_review, today, soon)
        prose = result.prose.get(page.route)
        grade, smog, words = (prose.grade, prose.smog, prose.words) if prose else (None, None, 0)
        found.append(Row(page, status, level, order, grade, smog, words, by_path.get(page.source.path, Counter())))
    found.sort(key=lambda r: (r.order, r.page.next_review or dt.date.min, r.page.title.casefold()))
    return found


def _status(due: dt.date | None, today: dt.date, soon: int) -> tuple[str, str, int]:
    if due is None:
        return "No review date", "missing", 0
    days = (due - today).days
    if days < 0:
        return f"Overdue by {_days(-days)}", "overdue", 0
    if days == 0:
        return "Due today", "soon", 1
    if days <= soon:
        return f"Due in {_days(days)}", "soon", 1
    return f"Up to date (due in {_days(days)})", "ok", 2


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def render_report(result: CheckResult) -> str:
    site = result.site
    assert site is not None
    table = rows(result)
    today = result.settings.today
    e = html.escape
    counts = Counter(r.level for r in table)
    other = [f for f in result.findings if not any(f.location.path == r.page.source.path for r in table)]
    body_rows = "\n".join(_row(r, site.config.root) for r in table)
    lang = e(site.config.language)
    summary = (f"{len(table)} pages with a review date. {counts['overdue']} overdue, {counts['soon']} due within "
               f"{result.settings.option('review/due-soon', 'days')} days, {counts['missing']} without a review "
               f"date. {len(result.errors)} errors and {len(result.warnings)} warnings from check.")
    others = ""
    if other:
        items = "\n".join(f"<li><code>{e(f.location.format(site.config.root))}</code> {e(f.severity)}: "
                          f"{e(f.message)} <code>[{e(f.rule)}]</code></li>" for f in other)
        others = f'<h2 id="other-findings">Other findings</h2>\n<ul>\n{items}\n</ul>'
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Review dashboard: {e(site.config.title)}</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<h1>Review dashboard: {e(site.config.title)}</h1>
<p>Checked on {today.isoformat()}. {e(summary)}</p>
<p>Pages that are overdue for review come first. Press a column heading to sort by it; press it again to
reverse the order.</p>
<div class="scroll" role="region" aria-labelledby="pages-caption" tabindex="0">
<table id="pages">
<caption id="pages-caption">Health pages and their reviews</caption>
<thead>
<tr>
{_th("Page", "text")}
{_th("Reviewer", "text")}
{_th("Last reviewed", "text")}
{_th("Next review", "text", "ascending")}
{_th("Status", "number")}
{_th("Flesch-Kincaid grade", "number")}
{_th("SMOG grade", "number")}
{_th("Words", "number")}
{_th("Reading time", "number")}
{_th("References", "number")}
{_th("Open findings", "number")}
</tr>
</thead>
<tbody>
{body_rows}
</tbody>
</table>
</div>
<p id="sort-status" class="visually-hidden" aria-live="polite"></p>
{others}
</main>
<script>{_SCRIPT}</script>
</body>
</html>
"""


def _th(label: str, kind: str, sort: str = "none") -> str:
    return (f'<th scope="col" aria-sort="{sort}" data-type="{kind}"><button type="button">{label}'
            f'<span class="arrow" aria-hidden="true"></span></button></th>')


def _row(row: Row, root: Path) -> str:
    e = html.escape
    page = row.page
    front = page.front
    last = front.last_reviewed.isoformat() if front.last_reviewed else ""
    due = page.next_review.isoformat() if page.next_review else ""
    minutes = max(1, round(row.words / WORDS_PER_MINUTE)) if row.words else 0
    findings = "".join(f"<li>{count} × <code>{e(rule)}</code></li>" for rule, count in sorted(row.findings.items()))
    total = sum(row.findings.values())
    findings_cell = f'<ul class="findings">{findings}</ul>' if findings else "None"
    where = Location(page.source.path).format(root)
    return (f'<tr class="{row.level}">'
            f'<th scope="row" data-sort="{e(page.title.casefold())}">{e(page.title)}<br><code>{e(where)}</code></th>'
            f'<td data-sort="{e(front.reviewed_by.casefold())}">{e(front.reviewed_by) or "<strong>None</strong>"}</td>'
            f'<td class="date" data-sort="{last}">{last or "None"}</td>'
            f'<td class="date" data-sort="{due or "0000-00-00"}">{due or "None"}</td>'
            f'<td data-sort="{row.order}"><span class="status {row.level}">{e(row.status)}</span></td>'
            f'<td data-sort="{_num(row.grade)}">{_grade(row.grade)}</td>'
            f'<td data-sort="{_num(row.smog)}">{_grade(row.smog)}</td>'
            f'<td data-sort="{row.words}">{row.words}</td>'
            f'<td data-sort="{minutes}">{minutes} min</td>'
            f'<td data-sort="{len(page.references)}">{len(page.references)}</td>'
            f'<td data-sort="{total}">{findings_cell}</td>'
            "</tr>")


def _num(value: float | None) -> str:
    return "-1" if value is None else f"{value:.2f}"


def _grade(value: float | None) -> str:
    return "Not measured" if value is None else f"{value:.1f}"


_CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, sans-serif; margin: 1rem; color: #1a1a1a; background: #fff; line-height: 1.4; }
main { max-width: 100rem; margin: 0 auto; }
.scroll { overflow-x: auto; }
.scroll:focus { outline: 3px solid #1d4ed8; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: bold; padding: 0.5rem 0; }
th, td { border: 1px solid #767676; padding: 0.4rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: #f0f0f0; }
th button { font: inherit; font-weight: bold; background: none; border: 0; padding: 0; cursor: pointer;
  color: #1a1a1a; text-align: left; text-decoration: underline; }
th button:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
th[aria-sort="ascending"] .arrow::after { content: " \\25B2"; }
th[aria-sort="descending"] .arrow::after { content: " \\25BC"; }
tbody th { font-weight: normal; }
tbody th code { font-size: 0.85em; color: #404040; }
.status { display: inline-block; padding: 0.1rem 0.4rem; border-radius: 0.25rem; font-weight: bold; }
.status.overdue, .status.missing { background: #fde8e8; color: #8a0000; border: 2px solid #8a0000; }
.status.soon { background: #fff4d6; color: #5c3b00; border: 2px solid #5c3b00; }
.status.ok { background: #e6f4ea; color: #14532d; border: 1px solid #14532d; }
tr.overdue, tr.missing { border-left: 6px solid #8a0000; }
td.date { white-space: nowrap; }
ul.findings { margin: 0; padding-left: 1.1rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
@media print { th button { text-decoration: none; } .arrow { display: none; } }
"""

_SCRIPT = """
(function () {
  var table = document.getElementById("pages");
  var status = document.getElementById("sort-status");
  var headers = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headers, function (th, column) {
    th.querySelector("button").addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      var numeric = th.getAttribute("data-type") === "number";
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute("data-sort"), y = b.cells[column].getAttribute("data-sort");
        var order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
      Array.prototype.forEach.call(headers, function (other) { other.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      status.textContent = "Sorted by " + th.textContent + ", " + (ascending ? "ascending" : "descending") + ".";
    });
  });
})();
"""
