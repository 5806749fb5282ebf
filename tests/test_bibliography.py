"""The shared bibliography: CSL YAML and CSL-JSON, validated entry by entry with exact locations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carepages.bibliography import load_bibliography
from carepages.errors import Problems, SiteError

from .sitekit import BIBLIOGRAPHY


def load(tmp_path: Path, name: str, text: str) -> tuple[object, Problems]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    return load_bibliography([path], problems), problems


def errors(exc: SiteError, tmp_path: Path) -> list[str]:
    return [d.format(relative_to=tmp_path) for d in exc.diagnostics]


def test_yaml_entries_are_read(tmp_path):
    bib, problems = load(tmp_path, "references.yaml", BIBLIOGRAPHY)
    smith = bib.entries["smith2020"]
    assert smith.authors[0].family == "Smith" and smith.year == 2020
    assert smith.doi_url == "https://doi.org/10.1000/things.2020.1"
    assert smith.pubmed_url == "https://pubmed.ncbi.nlm.nih.gov/12345678/"
    assert smith.location.line == 1
    assert problems.warnings == []


def test_csl_json_export_is_accepted_unchanged(tmp_path):
    export = [{
        "id": "reich2018", "type": "article-journal", "title": "Multiple Sclerosis",
        "container-title": "New England Journal of Medicine", "journalAbbreviation": "N Engl J Med",
        "author": [{"family": "Reich", "given": "Daniel S."}, {"family": "Lucchinetti", "given": "Claudia F."}],
        "issued": {"date-parts": [[2018, 1, 11]]}, "volume": "378", "issue": "2", "page": "169-180",
        "DOI": "10.1056/NEJMra1401483", "PMID": "29320652", "ISSN": "0028-4793", "abstract": "...",
        "accessed": {"date-parts": [[2026, 11, 1]]}, "language": "en", "source": "PubMed",
    }]
    bib, problems = load(tmp_path, "library.json", json.dumps(export, indent=2))
    entry = bib.entries["reich2018"]
    assert entry.journal_abbreviation == "N Engl J Med"
    assert entry.issued.month == 1
    assert entry.authors[0].given == "Daniel S."
    assert problems.warnings == []


def test_malformed_doi(tmp_path):
    with pytest.raises(SiteError) as info:
        load(tmp_path, "references.yaml", "a1:\n  title: T\n  issued: 2020\n  DOI: 10.1000\n")
    assert errors(info.value, tmp_path) == [
        "references.yaml:4:3: error: reference 'a1': malformed DOI '10.1000' (a DOI looks like "
        "10.1016/S1474-4422(17)30470-2)"]


def test_doi_url_prefix_is_normalised(tmp_path):
    bib, _ = load(tmp_path, "references.yaml", "a1:\n  title: T\n  issued: 2020\n"
                                               "  DOI: https://doi.org/10.1000/abc\n")
    assert bib.entries["a1"].doi == "10.1000/abc"


def test_non_numeric_pmid(tmp_path):
    with pytest.raises(SiteError) as info:
        load(tmp_path, "references.yaml", "a1:\n  title: T\n  issued: 2020\n  PMID: PMC123\n")
    assert errors(info.value, tmp_path) == [
        "references.yaml:4:3: error: reference 'a1': PMID must be digits only, not 'PMC123'"]


def test_missing_title_and_missing_year_are_both_reported(tmp_path):
    with pytest.raises(SiteError) as info:
        load(tmp_path, "references.yaml", "a1:\n  issued: 2020\nb2:\n  title: No year\n")
    assert errors(info.value, tmp_path) == [
        "references.yaml:1:1: error: reference 'a1': missing 'title'",
        "references.yaml:3:1: error: reference 'b2': missing year ('issued'; a web page may give 'accessed' "
        "instead)",
    ]


def test_same_doi_under_two_keys(tmp_path):
    text = ("first:\n  title: T\n  issued: 2020\n  DOI: 10.1000/Same\n"
            "second:\n  title: T again\n  issued: 2020\n  DOI: 10.1000/same\n")
    with pytest.raises(SiteError) as info:
        load(tmp_path, "references.yaml", text)
    (message,) = errors(info.value, tmp_path)
    assert message.startswith("references.yaml:8:3: error: reference 'second': DOI 10.1000/same is already used "
                              "by 'first' (")
    assert message.endswith("references.yaml:1:1); one paper should have one key")


def test_errors_in_json_point_at_the_entry(tmp_path):
    export = [{"id": "ok", "title": "Fine", "issued": {"date-parts": [[2020]]}},
              {"id": "bad", "title": "Bad", "issued": {"date-parts": [[2020]]}, "PMID": "12a"}]
    with pytest.raises(SiteError) as info:
        load(tmp_path, "library.json", json.dumps(export, indent=2))
    assert errors(info.value, tmp_path) == [
        "library.json:23:5: error: reference 'bad': PMID must be digits only, not '12a'"]


def test_unknown_field_warns_with_the_right_spelling(tmp_path):
    _, problems = load(tmp_path, "references.yaml", "a1:\n  title: T\n  issued: 2020\n  doi: 10.1/x\n"
                                                    "  jornal: X\n")
    assert [d.format(relative_to=tmp_path) for d in problems.sorted_warnings()] == [
        "references.yaml:4:3: warning: reference 'a1': unknown CSL field 'doi' (did you mean 'DOI'?)",
        "references.yaml:5:3: warning: reference 'a1': unknown CSL field 'jornal'",
    ]


def test_web_page_may_have_an_access_date_instead_of_a_year(tmp_path):
    bib, _ = load(tmp_path, "references.yaml", "w:\n  type: webpage\n  title: Page\n  accessed: 2026-11-24\n"
                                               "  URL: https://example.org/page\n")
    assert bib.entries["w"].accessed.day == 24


def test_invalid_json_has_line_and_column(tmp_path):
    with pytest.raises(SiteError) as info:
        load(tmp_path, "library.json", '[\n  {"id": "x",\n  }\n]')
    assert errors(info.value, tmp_path)[0].startswith("library.json:3:3: error: invalid CSL-JSON:")
