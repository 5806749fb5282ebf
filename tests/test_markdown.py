"""Markdown rendering against input/expected fixture files (tests/fixtures/markdown/*.md -> *.html)."""

from __future__ import annotations

from pathlib import Path

import pytest

from carepages.markdown import MarkdownEngine, RenderContext, compress_numbers, parse_citation

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
CASES = sorted(p.stem for p in FIXTURES.glob("*.md"))


def render(text: str, raw_html: bool = False) -> str:
    engine = MarkdownEngine(raw_html=raw_html)
    doc = engine.parse(text, Path("x.md"), 1, text.split("\n"))
    numbers: dict[str, int] = {}
    for use in doc.citations:
        for key in use.keys:
            numbers.setdefault(key, len(numbers) + 1)
    links = {link.href: "/articles/" + link.href.replace(".md", "/") for link in doc.links if ".md" in link.href}
    return engine.render(doc, RenderContext(links=links, citation_numbers=numbers))


@pytest.mark.parametrize("case", CASES)
def test_fixture(case: str) -> None:
    source = (FIXTURES / f"{case}.md").read_text(encoding="utf-8")
    expected = (FIXTURES / f"{case}.html").read_text(encoding="utf-8")
    assert render(source) == expected


def test_raw_html_when_enabled_is_sanitised() -> None:
    html = render('<p class="lead">Hello <em>there</em></p>\n\n<script>alert(1)</script>\n\n'
                  '<img src="x.png" onerror="steal()" alt="x">\n\n<iframe src="https://evil.example"></iframe>\n',
                  raw_html=True)
    assert '<p class="lead">Hello <em>there</em></p>' in html
    assert "<script" not in html and "alert(1)" not in html
    assert "onerror" not in html and "<iframe" not in html


def test_citation_syntax() -> None:
    assert [i.key for i in parse_citation("@a; @b")] == ["a", "b"]
    assert parse_citation("@wattjes2021magnims, p. 655")[0].locator == "p. 655"
    assert parse_citation("see @a") is None
    assert parse_citation("@") is None


def test_number_runs() -> None:
    assert compress_numbers([3, 1, 2, 5]) == [(1, 3), (5, 5)]
    assert compress_numbers([1, 2]) == [(1, 1), (2, 2)]
    assert compress_numbers([4, 4, 7]) == [(4, 4), (7, 7)]


def test_positions_point_at_the_source() -> None:
    text = "Intro.\n\nSecond [@a] and [@b] and [@a].\n\n- item [link](x.md)\n"
    doc = MarkdownEngine().parse(text, Path("p.md"), 10, [""] * 9 + text.split("\n"))
    assert [(c.raw, c.location.line, c.location.col) for c in doc.citations] == [
        ("[@a]", 12, 8), ("[@b]", 12, 17), ("[@a]", 12, 26)]
    assert [(link.href, link.location.line, link.location.col) for link in doc.links] == [("x.md", 14, 8)]
