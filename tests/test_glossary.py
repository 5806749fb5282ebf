"""The glossary: terms marked where an article first uses them, the glossary page, and located errors.

Each test builds a real site in a temporary folder and reads the HTML a reader would get.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from carepages.errors import SiteError

from .sitekit import MINIMAL_CONFIG, article, run_cli

GLOSSARY = """\
- term: lesion
  plurals: [lesions]
  definition: An area of damage, seen as a spot on a scan.
  see: second.md

- term: magnetic resonance imaging
  abbreviations: [MRI]
  synonyms: [MRI scan]
  definition: A scan that uses a strong magnet to take pictures inside the body.

- term: lumbar puncture
  synonyms: [spinal tap]
  definition: A test that takes a little fluid from your lower back with a thin needle.

- term: puncture
  definition: A small hole made by a needle.

- term: T2
  definition: A kind of MRI picture on which lesions look bright.

- term: optic neuritis
  definition: Inflammation of the nerve of the eye.
"""


def marked(html: str) -> list[tuple[str, str]]:
    """(data-term, text) of every marked word in the article's body, in order."""
    body = html.split('<div class="prose">', 1)[1].split("</article>", 1)[0]
    return [(slug, re.sub(r"<[^>]+>", "", inner)) for slug, inner in
            re.findall(r'<a class="term" href="[^"]*" data-term="([^"]+)"><dfn>(.*?)</dfn></a>', body, re.S)]


@pytest.fixture
def gsite(site):
    site.write("content/glossary.yaml", GLOSSARY)
    site.write("content/second.md", article("Second", "More about lesions.\n"))
    return site


def build_body(site, body: str, **fields: str) -> str:
    site.write("content/first.md", article("First article", body, **fields))
    site.build()
    return site.html("articles/first-article/") if (site.out / "articles/first-article").exists() \
        else site.html("articles/first/")


def test_only_the_first_use_of_a_term_is_marked_whatever_form_it_takes(gsite):
    html = build_body(gsite, "Lesions show on a scan. A lesion can be small. More lesions.\n")
    assert marked(html) == [("lesion", "Lesions")]


def test_a_synonym_or_abbreviation_counts_as_the_term_and_the_abbreviation_gets_its_expansion(gsite):
    html = build_body(gsite, "Your MRI scan is booked. The magnetic resonance imaging takes an hour.\n")
    assert marked(html) == [("magnetic-resonance-imaging", "MRI scan")]
    html = build_body(gsite, "An MRI takes pictures. The magnetic resonance imaging is loud.\n")
    assert marked(html) == [("magnetic-resonance-imaging", "MRI")]
    assert '<dfn><abbr title="magnetic resonance imaging">MRI</abbr></dfn>' in html


def test_case_rules_lower_case_forms_match_any_case_forms_with_capitals_only_as_written(gsite):
    html = build_body(gsite, "A t2 picture, mri and Mri are not the abbreviations. LUMBAR PUNCTURE is.\n")
    assert marked(html) == [("lumbar-puncture", "LUMBAR PUNCTURE")]


def test_whole_words_only(gsite):
    html = build_body(gsite, "Punctured tyres, T21 and MRIs are not terms here; xlesion neither.\n")
    assert marked(html) == []
    html = build_body(gsite, "A T2-weighted picture.\n")
    assert marked(html) == [("t2", "T2")]


def test_the_longest_term_wins_and_a_term_inside_another_is_not_marked_there(gsite):
    html = build_body(gsite, "A lumbar puncture is a test. A puncture is a hole.\n")
    assert marked(html) == [("lumbar-puncture", "lumbar puncture"), ("puncture", "puncture")]
    html = build_body(gsite, "A lumbar puncture is a test. Another lumbar puncture.\n")
    assert marked(html) == [("lumbar-puncture", "lumbar puncture")]


def test_a_term_may_run_over_a_line_break_in_the_markdown(gsite):
    html = build_body(gsite, "Doctors call it optic\nneuritis.\n")
    assert marked(html) == [("optic-neuritis", "optic\nneuritis")]


def test_not_in_headings_links_code_table_headers_definition_terms_or_callout_titles(gsite):
    body = """\
    ## Lesions explained

    See [a lesion](second.md), `lesion` in code, and an image ![lesion](x.png).

    | Lesion | What |
    | --- | --- |
    | T2 | shows bright spots |

    Lesion
    : the article defines the word itself here

    ::: note About lesions
    The title is not marked, but this lesion is.
    :::
    """
    gsite.write("content/x.png", b"\x89PNG\r\n\x1a\n")
    html = build_body(gsite, body)
    assert marked(html) == [("t2", "T2"), ("lesion", "lesion")]
    assert "<th>Lesion</th>" in html and "<dt>Lesion</dt>" in html
    assert '<h2 id="lesions-explained">Lesions explained</h2>' in html
    assert re.search(r'<a href="/info/articles/second/"[^>]*>a lesion</a>', html)
    assert "<code>lesion</code>" in html and 'alt="lesion"' in html
    assert '<span class="callout-kind">Note:</span> About lesions</p>' in html


def test_a_citation_key_or_address_is_never_marked(gsite):
    gsite.write("content/references.yaml", gsite.root.joinpath("content/references.yaml").read_text()
                + "lesion2020:\n  type: article-journal\n  title: About T2\n  issued: 2020\n")
    html = build_body(gsite, "Bright spots [@lesion2020]. See <https://example.org/lesion/T2>.\n")
    assert marked(html) == []
    assert 'href="https://example.org/lesion/T2"' in html


def test_a_page_can_turn_marking_off_and_so_can_the_site(gsite):
    html = build_body(gsite, "Lesions show on a scan.\n", glossary="false")
    assert marked(html) == [] and 'id="words"' not in html
    gsite.write("site.toml", MINIMAL_CONFIG + "\n[glossary]\nmark_terms = false\n")
    html = build_body(gsite, "Lesions show on a scan.\n")
    assert marked(html) == []
    assert (gsite.out / "glossary/index.html").exists()  # the glossary page stays


def test_key_points_and_answers_are_not_marked_only_the_body(gsite):
    html = build_body(gsite, "Plain text.\n", key_points='["A lesion is a spot."]',
                      faq='[{question: "What is a lesion?", answer: "A lesion is a spot."}]')
    assert marked(html) == []


class _Structure(HTMLParser):
    """Tags in document order, with attributes, to check nesting."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.dfn_parents: list[tuple[str, ...]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "dfn":
            self.dfn_parents.append(tuple(self.stack[-3:]))
        if tag not in {"br", "img", "meta", "link", "input", "hr"}:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass


def test_a_marked_term_is_a_dfn_inside_a_link_to_its_glossary_entry_and_its_meaning_is_on_the_page(gsite):
    html = build_body(gsite, "Lesions show on a scan.\n")
    assert ('<a class="term" href="/info/glossary/#term-lesion" data-term="lesion"><dfn>Lesions</dfn></a>'
            in html)
    words = html.split('<section class="page-words" id="words"', 1)[1].split("</section>", 1)[0]
    assert '<h2 id="words-heading">Words used on this page</h2>' in words
    assert '<div id="word-lesion">' in words
    assert '<dt><a href="/info/glossary/#term-lesion">Lesion</a></dt>' in words
    assert "<dd>An area of damage, seen as a spot on a scan.</dd>" in words
    parser = _Structure()
    parser.feed(html)
    assert parser.dfn_parents[0][-2:] == ("p", "a")  # phrasing content inside the paragraph: valid HTML


def test_the_glossary_page_lists_every_term_a_to_z_with_anchors_in_search_and_sitemap(gsite):
    gsite.write("site.toml", MINIMAL_CONFIG + '\n[[nav]]\ntitle = "Glossary"\nurl = "/glossary/"\n')
    build_body(gsite, "Text.\n")
    html = gsite.html("glossary/")
    letters = re.findall(r'<h2 id="(letter-[a-z0])">([^<]+)</h2>', html)
    assert letters == [("letter-l", "L"), ("letter-m", "M"), ("letter-o", "O"), ("letter-p", "P"),
                       ("letter-t", "T")]
    terms = re.findall(r'<div class="glossary-entry" id="(term-[a-z0-9-]+)">', html)
    assert terms == ["term-lesion", "term-lumbar-puncture", "term-magnetic-resonance-imaging",
                     "term-optic-neuritis", "term-puncture", "term-t2"]
    assert "<dt>MRI</dt>" in html and 'Short for <a href="#term-magnetic-resonance-imaging">' in html
    assert '<a href="/info/articles/second/">Read more in “Second”</a>' in html
    assert "Also called: MRI scan." in html
    assert "data-pagefind-body" in html
    assert '<a href="/info/glossary/" aria-current="page">Glossary</a>' in html
    assert "https://example.org/info/glossary/" in (gsite.out / "sitemap.xml").read_text()


def test_a_site_without_a_glossary_has_no_glossary_page(site):
    site.build()
    assert not (site.out / "glossary").exists()
    assert "glossary" not in (site.out / "sitemap.xml").read_text()


def test_the_glossary_file_is_data_not_a_published_file(gsite):
    build_body(gsite, "Text.\n")
    assert not (gsite.out / "glossary.yaml").exists()


def test_glossary_errors_name_the_file_line_and_field_all_at_once(site):
    site.write("content/glossary.yaml", """\
- term: lesion
  definition: An area of damage.
  plurals: [lesions]

- term: spot
  synonyms: lesions
  definition: A mark.

- term: scan
  defintion: A picture.

- term: dye
  definition: A liquid.
  see: nowhere.md
""")
    with pytest.raises(SiteError) as caught:
        site.build()
    found = [(d.location.path.name, d.location.line, d.location.col, d.rule, d.message)
             for d in caught.value.diagnostics]
    assert [item[:4] for item in found] == [("glossary.yaml", 6, 13, "glossary/duplicate"),
                                            ("glossary.yaml", 10, 3, "glossary/invalid"),
                                            ("glossary.yaml", 14, 8, "links/broken")]
    assert found[0][4] == "'lesions' is already a word of 'lesion' (line 3): a word can lead to one entry only"
    assert found[1][4] == "glossary entry 3 has no 'definition' ('defintion' is written: did you mean 'definition'?)"
    assert found[2][4].startswith("link to 'nowhere.md', but there is no such file in content/")


def test_a_long_definition_and_an_unknown_field_are_warnings(site):
    site.write("content/glossary.yaml", """\
- term: lesion
  definiton_note: x
  definition: One. Two. Three sentences is too many for a definition.
""")
    result = site.build()
    found = [(d.location.line, d.rule) for d in result.warnings]
    assert (2, "glossary/unknown-field") in found
    assert (3, "glossary/long-definition") in found


def test_must_explain_warns_for_an_unexplained_word_that_is_not_in_the_glossary(site):
    site.write("site.toml", MINIMAL_CONFIG + '\n[checks."glossary/unexplained"]\nterms = ["STIR", "gadolinium", '
               '"myelin", "lesion"]\n')
    site.write("content/glossary.yaml", "- term: lesion\n  definition: An area of damage.\n")
    site.write("content/first.md", article("First", """\
    The scan used STIR and showed a lesion [@smith2020].

    Gadolinium, a metal in contrast dye, was given. The nerves lost their myelin.
    """))
    result = run_cli("check", str(site.root), "--format", "json")

    findings = [f for f in json.loads(result.out) if f["rule"] == "glossary/unexplained"]
    lines = (site.root / "content/first.md").read_text().splitlines()
    stir = next(i for i, line in enumerate(lines) if "STIR" in line)
    assert [(f["line"], f["column"], f["message"].split("'")[1]) for f in findings] == [
        (stir + 1, lines[stir].index("STIR") + 1, "STIR"),
        (stir + 3, lines[stir + 2].index("myelin") + 1, "myelin")]


def test_must_explain_accepts_a_word_explained_where_it_is_first_used(site):
    site.write("site.toml", MINIMAL_CONFIG + '\n[checks."glossary/unexplained"]\nterms = ["STIR", "FLAIR", '
               '"myelin", "gadolinium"]\n')
    site.write("content/first.md", article("First", """\
    The scan used STIR (a picture that shows the cord well) [@smith2020].
    A picture called FLAIR is used for the brain. Myelin is the coating of nerves.
    Gadolinium: a metal in the dye.
    """))
    result = run_cli("check", str(site.root), "--format", "json")
    assert "glossary/unexplained" not in result.out
