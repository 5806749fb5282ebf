"""The registry of page kinds is the one place a kind is described: adding one is an entry and a template."""

from __future__ import annotations

from pathlib import Path

from carepages import kinds
from carepages.kinds import KINDS, LAYOUTS, Made, PageKind

from .sitekit import article

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_every_kind_has_its_template() -> None:
    for kind in KINDS.values():
        assert (TEMPLATES / kind.template).is_file(), kind.name


def test_layouts_are_the_kinds_a_page_may_choose() -> None:
    assert set(LAYOUTS) == {"article", "faq", "page"}


def test_an_unknown_layout_lists_the_registry(site) -> None:
    import pytest

    from carepages.errors import SiteError

    site.write("content/first.md", article("First", layout="glossary"))
    with pytest.raises(SiteError) as info:
        site.build()
    assert "'layout' must be one of article, faq, page, not 'glossary'" in info.value.message


def test_a_new_kind_is_one_entry_and_one_template(site, monkeypatch) -> None:
    glossary = PageKind("glossary", "glossary.html", "glossary/", "DefinedTermSet", Made.ONCE, title="Glossary",
                        description="Words explained on {site}", owner="the glossary")
    monkeypatch.setitem(kinds.KINDS, "glossary", glossary)
    site.write("templates/glossary.html", '{% extends "base.html" %}{% block content %}<h1>{{ page.title }}'
                                          "</h1>{% endblock %}")
    site.build()
    html = site.html("glossary/")
    assert "<h1>Glossary</h1>" in html and '<body class="kind-glossary">' in html
    assert "<title>Glossary | Test Health Site</title>" in html
    assert "https://example.org/info/glossary/" in (site.out / "sitemap.xml").read_text()


def test_a_page_cannot_take_a_generated_page_address(site) -> None:
    import pytest

    from carepages.errors import SiteError

    site.write("content/questions.md", article("Questions", slug="faq", layout="page"))
    with pytest.raises(SiteError) as info:
        site.build()
    # both claimants are named (the page quietly replaced the questions page before)
    assert "the FAQ page would be written to faq/index.html, which page questions.md" in str(info.value)
