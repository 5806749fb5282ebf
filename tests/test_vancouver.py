"""Vancouver (NLM Citing Medicine) formatting of bibliography entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from carepages.bibliography import (
    Name,
    PartialDate,
    Reference,
    compress_pages,
    format_name,
    initials,
    vancouver_html,
    vancouver_text,
)
from carepages.errors import Location


def ref(**fields) -> Reference:
    base = dict(key="k", type="article-journal", title="A title", location=Location(Path("r.yaml"), 1))
    base.update(fields)
    return Reference(**base)


def people(*names: str) -> tuple[Name, ...]:
    result = []
    for name in names:
        family, given = name.split(",")
        result.append(Name(family=family.strip(), given=given.strip()))
    return tuple(result)


def test_one_author_journal_article():
    text = vancouver_text(ref(authors=people("Kearney, Hugh"), title="Spinal cord MRI in multiple sclerosis",
                              container_title="Nature Reviews Neurology", journal_abbreviation="Nat Rev Neurol",
                              issued=PartialDate(2015), volume="11", issue="6", page="327-338",
                              doi="10.1038/nrneurol.2015.80", pmid="26009002"))
    assert text == ("Kearney H. Spinal cord MRI in multiple sclerosis. Nat Rev Neurol. 2015;11(6):327-38. "
                    "doi:10.1038/nrneurol.2015.80. PMID: 26009002.")


def test_seven_authors_become_six_and_et_al():
    authors = people("Thompson, Alan J", "Banwell, Brenda L", "Barkhof, Frederik", "Carroll, William M",
                     "Coetzee, Timothy", "Comi, Giancarlo", "Correale, Jorge")
    text = vancouver_text(ref(authors=authors, title="Diagnosis of multiple sclerosis: 2017 revisions of the "
                              "McDonald criteria", container_title="Lancet Neurol", issued=PartialDate(2018),
                              volume="17", issue="2", page="162-173"))
    assert text.startswith("Thompson AJ, Banwell BL, Barkhof F, Carroll WM, Coetzee T, Comi G, et al. Diagnosis")
    assert "Correale" not in text


def test_exactly_six_authors_are_all_listed():
    authors = people("A, Bo", "B, Cy", "C, Di", "D, Ed", "E, Fa", "F, Gi")
    assert vancouver_text(ref(authors=authors, container_title="J", issued=PartialDate(2020))).startswith(
        "A B, B C, C D, D E, E F, F G. A title. J. 2020.")


def test_source_that_lists_only_the_first_authors():
    text = vancouver_text(ref(authors=people("Montalban, Xavier"), authors_truncated=True, container_title="X",
                              issued=PartialDate(2025)))
    assert text.startswith("Montalban X, et al. A title.")


def test_no_issue_number():
    text = vancouver_text(ref(container_title="N Engl J Med", issued=PartialDate(2018), volume="378",
                              page="169-180"))
    assert text == "A title. N Engl J Med. 2018;378:169-80."


@pytest.mark.parametrize(("pages", "expected"), [
    ("162-173", "162-73"), ("1622-1636", "1622-36"), ("123-129", "123-9"), ("99-104", "99-104"),
    ("e1234", "e1234"), ("653–670", "653-70"), ("100-100", "100-100"), ("S1-S12", "S1-S12"),
])
def test_page_ranges(pages, expected):
    assert compress_pages(pages) == expected


def test_guideline_web_page_with_url_and_access_date():
    text = vancouver_text(ref(type="webpage", authors=(Name(literal="National Institute for Health and Care "
                                                                   "Excellence"),),
                              title="Multiple sclerosis in adults: management", publisher="NICE",
                              publisher_place="London", issued=PartialDate(2022, 6, 22), genre="NICE guideline",
                              number="NG220", accessed=PartialDate(2026, 11, 24),
                              url="https://www.nice.org.uk/guidance/ng220"))
    assert text == ("National Institute for Health and Care Excellence. Multiple sclerosis in adults: management "
                    "[Internet]. London: NICE; 2022 Jun 22 [cited 2026 Nov 24]. (NICE guideline; NG220). "
                    "Available from: https://www.nice.org.uk/guidance/ng220")


def test_book_with_edition():
    text = vancouver_text(ref(type="book", authors=people("Compston, Alastair"), title="McAlpine's multiple "
                              "sclerosis", edition="4", publisher="Churchill Livingstone",
                              publisher_place="Edinburgh", issued=PartialDate(2006)))
    assert text == "Compston A. McAlpine's multiple sclerosis. 4th ed. Edinburgh: Churchill Livingstone; 2006."


def test_html_links_doi_and_pubmed_and_escapes_text():
    html = str(vancouver_html(ref(title="Lesions <b>&</b> more", container_title="J", issued=PartialDate(2020),
                                  doi="10.1000/x<y>", pmid="123")))
    assert "Lesions &lt;b&gt;&amp;&lt;/b&gt; more." in html
    assert '<a href="https://doi.org/10.1000/x&lt;y&gt;">10.1000/x&lt;y&gt;</a>' in html
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/123/">123</a>' in html


@pytest.mark.parametrize(("given", "expected"), [
    ("Alan J.", "AJ"), ("Mike P", "MP"), ("Jean-Pierre", "JP"), ("AJ", "AJ"), ("", ""), ("maria", "M"),
])
def test_initials(given, expected):
    assert initials(given) == expected


def test_particles_and_suffixes():
    assert format_name(Name(family="Stefano", given="Nicola", particle="de")) == "de Stefano N"
    assert format_name(Name(family="King", given="Martin L", suffix="Jr")) == "King ML Jr"
    assert format_name(Name(literal="World Health Organization")) == "World Health Organization"


def test_title_ending_in_question_mark_keeps_it():
    assert vancouver_text(ref(title="Is it MS?", container_title="J", issued=PartialDate(2020))).startswith(
        "Is it MS? J. 2020.")
