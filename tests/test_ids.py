"""One owner for HTML ids: the templates use only ids `carepages.ids` knows, and no heading can take one."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from carepages import ids

from .sitekit import article

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _template_ids() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(TEMPLATES.glob("*.html")):
        for value in re.findall(r'\bid="([^"]*)"', path.read_text(encoding="utf-8")):
            found.setdefault(value, set()).add(path.name)
    return found


def test_every_literal_id_in_the_templates_is_owned_by_the_ids_module() -> None:
    literal = {value for value in _template_ids() if "{" not in value}
    assert literal, "the templates should have ids"
    assert literal - ids.TEMPLATE_IDS == set()


def test_every_templated_id_has_a_generated_shape() -> None:
    templated = {value for value in _template_ids() if "{" in value}
    # each comes from an ids function (or a loop index); their shapes are taken for headings
    samples = {"{{ item.id }}": ids.faq_id(0), "{{ ref.id }}": ids.reference_id(1),
               "{{ source.id }}": ids.source_id("smith2020"), "topic-{{ loop.index }}": "topic-1",
               "related-to-{{ loop.index }}": "related-to-1", "{{ word.id }}": ids.page_word_id("lesion"),
               "{{ group.id }}": ids.glossary_letter_id("a"), "{{ entry.id }}": ids.glossary_term_id("lesion")}
    assert templated <= samples.keys()
    for value in ("faq-1", "ref-1", "topic-1", "related-to-1", "cite-1", "cite-k1-2", "fn1", "fnref1:2",
                  *list(samples.values())[5:], "care-2", "faq1-care-1", "letter-0"):
        assert ids.is_taken(value), value


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.ids += [value for name, value in attrs if name == "id" and value]


def _page_ids(html: str) -> Counter[str]:
    parser = _Ids()
    parser.feed(html)
    return Counter(parser.ids)


HEADINGS = ["FAQ 1", "Ref 1", "Emergency heading", "Contact heading", "Disclaimer heading", "References",
            "Key points heading", "Related", "Related to 1", "FAQ", "Cite 1", "Main", "Topic 1", "FN1"]


@pytest.mark.parametrize("layout", ["article", "faq"])
def test_headings_never_collide_with_generated_or_template_ids(site, layout) -> None:
    body = "".join(f"## {h}\n\nText [@smith2020].[^{i}]\n\n[^{i}]: Note.\n\n" for i, h in enumerate(HEADINGS, 1))
    site.write("content/first.md", article("First", body=body, layout=layout,
                                           faq="[{question: Q one?, answer: 'A [@lee2019]'}]",
                                           key_points="['Point [@smith2020]']"))
    site.write("content/second.md", article("Second", body="See [first](first.md#faq-1-2)."))
    site.build()
    route = "faq/" if layout == "faq" else "articles/first/"
    counts = _page_ids(site.html(route))
    assert {name: n for name, n in counts.items() if n > 1} == {}
    assert "faq-1" in counts and "faq-1-2" in counts  # the question keeps its id; the heading moves aside


def test_a_heading_that_takes_a_reserved_id_gets_a_free_one() -> None:
    """A heading "FAQ" once looped forever: 'faq' is a template id and every 'faq-N' a question's id."""
    for value in [*ids.TEMPLATE_IDS, "faq-1", "ref-3", "topic-2", "related-to-4", "cite-k1-2", "fn1", "fnref1:2"]:
        free = ids.heading_id(value, {f"{value}-section-2"})
        assert not ids.is_taken(free) and free != f"{value}-section-2", value
    assert ids.heading_id("faq", set()) == "faq-section-2"
