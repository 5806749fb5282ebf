"""The shared bibliography: CSL YAML and CSL-JSON, validated entry by entry with exact locations."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from carepages.bibliography import Bibliography, load_bibliography
from carepages.bibliography.located_json import load_json
from carepages.errors import BibliographyError, Diagnostic, Found, Location
from carepages.rules import RULES

from .sitekit import BIBLIOGRAPHY


def load(tmp_path: Path, name: str, text: str) -> Found[Bibliography]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    found = load_bibliography([path])
    assert all(d.rule in RULES and RULES[d.rule].severity == d.severity for d in found.diagnostics)
    return found


def formatted(diagnostic: Diagnostic, tmp_path: Path) -> str:
    """`path:line:col: error: message [rule]`, whether or not `Diagnostic.format` prints the rule yet."""
    return f"{diagnostic.location.format(tmp_path)}: {diagnostic.severity}: {diagnostic.message} [{diagnostic.rule}]"


def errors(found: Found[Bibliography], tmp_path: Path) -> list[str]:
    return [formatted(d, tmp_path) for d in found.errors]


def warnings(found: Found[Bibliography], tmp_path: Path) -> list[str]:
    return [formatted(d, tmp_path) for d in found.diagnostics if d.severity == "warning"]


def test_yaml_entries_are_read(tmp_path):
    found = load(tmp_path, "references.yaml", BIBLIOGRAPHY)
    smith = found.value.entries["smith2020"]
    assert smith.authors[0].family == "Smith" and smith.year == 2020
    assert smith.doi_url == "https://doi.org/10.1000/things.2020.1"
    assert smith.pubmed_url == "https://pubmed.ncbi.nlm.nih.gov/12345678/"
    assert smith.location.line == 1
    assert found.diagnostics == ()


def test_csl_json_export_is_accepted_unchanged(tmp_path):
    export = [{
        "id": "reich2018", "type": "article-journal", "title": "Multiple Sclerosis",
        "container-title": "New England Journal of Medicine", "journalAbbreviation": "N Engl J Med",
        "author": [{"family": "Reich", "given": "Daniel S."}, {"family": "Lucchinetti", "given": "Claudia F."}],
        "issued": {"date-parts": [[2018, 1, 11]]}, "volume": "378", "issue": "2", "page": "169-180",
        "DOI": "10.1056/NEJMra1401483", "PMID": "29320652", "ISSN": "0028-4793", "abstract": "...",
        "accessed": {"date-parts": [[2026, 11, 1]]}, "language": "en", "source": "PubMed",
    }]
    found = load(tmp_path, "library.json", json.dumps(export, indent=2))
    entry = found.value.entries["reich2018"]
    assert entry.journal_abbreviation == "N Engl J Med"
    assert entry.issued.month == 1
    assert entry.authors[0].given == "Daniel S."
    assert found.diagnostics == ()


def test_malformed_doi(tmp_path):
    found = load(tmp_path, "references.yaml", "a1:\n  title: T\n  issued: 2020\n  DOI: 10.1000\n")
    assert errors(found, tmp_path) == [
        "references.yaml:4:3: error: reference 'a1': malformed DOI '10.1000' (a DOI looks like "
        "10.1016/S1474-4422(17)30470-2) [bibliography/invalid]"]


def test_doi_url_prefix_is_normalised(tmp_path):
    found = load(tmp_path, "references.yaml", "a1:\n  title: T\n  issued: 2020\n"
                                              "  DOI: https://doi.org/10.1000/abc\n")
    assert found.value.entries["a1"].doi == "10.1000/abc"


def test_non_numeric_pmid(tmp_path):
    found = load(tmp_path, "references.yaml", "a1:\n  title: T\n  issued: 2020\n  PMID: PMC123\n")
    assert errors(found, tmp_path) == [
        "references.yaml:4:3: error: reference 'a1': PMID must be digits only, not 'PMC123' [bibliography/invalid]"]


def test_missing_title_and_missing_year_are_both_reported(tmp_path):
    found = load(tmp_path, "references.yaml", "a1:\n  issued: 2020\nb2:\n  title: No year\n")
    assert errors(found, tmp_path) == [
        "references.yaml:1:1: error: reference 'a1': missing 'title' [bibliography/invalid]",
        "references.yaml:3:1: error: reference 'b2': missing year ('issued'; a web page may give 'accessed' "
        "instead) [bibliography/invalid]",
    ]


def test_same_doi_under_two_keys(tmp_path):
    text = ("first:\n  title: T\n  issued: 2020\n  DOI: 10.1000/Same\n"
            "second:\n  title: T again\n  issued: 2020\n  DOI: 10.1000/same\n")
    found = load(tmp_path, "references.yaml", text)
    (message,) = errors(found, tmp_path)
    assert message.startswith("references.yaml:8:3: error: reference 'second': DOI 10.1000/same is already used "
                              "by 'first' (")
    assert message.endswith("references.yaml:1:1); one paper should have one key [bibliography/duplicate]")


def test_errors_in_json_point_at_the_entry(tmp_path):
    export = [{"id": "ok", "title": "Fine", "issued": {"date-parts": [[2020]]}},
              {"id": "bad", "title": "Bad", "issued": {"date-parts": [[2020]]}, "PMID": "12a"}]
    found = load(tmp_path, "library.json", json.dumps(export, indent=2))
    assert errors(found, tmp_path) == [
        "library.json:23:5: error: reference 'bad': PMID must be digits only, not '12a' [bibliography/invalid]"]


def test_unknown_field_warns_with_the_right_spelling(tmp_path):
    found = load(tmp_path, "references.yaml", "a1:\n  title: T\n  issued: 2020\n  doi: 10.1/x\n"
                                              "  jornal: X\n")
    assert warnings(found, tmp_path) == [
        "references.yaml:4:3: warning: reference 'a1': unknown CSL field 'doi' (did you mean 'DOI'?) "
        "[bibliography/unknown-field]",
        "references.yaml:5:3: warning: reference 'a1': unknown CSL field 'jornal' [bibliography/unknown-field]",
    ]


def test_web_page_may_have_an_access_date_instead_of_a_year(tmp_path):
    found = load(tmp_path, "references.yaml", "w:\n  type: webpage\n  title: Page\n  accessed: 2026-11-24\n"
                                              "  URL: https://example.org/page\n")
    assert found.value.entries["w"].accessed.day == 24


def test_invalid_json_has_line_and_column(tmp_path):
    found = load(tmp_path, "library.json", '[\n  {"id": "x",\n  }\n]')
    assert errors(found, tmp_path)[0].startswith("library.json:3:3: error: invalid CSL-JSON:")


# -- CSL-JSON locations come from the parse, not from searching the text -----------------------------------
def entry(key: str, **fields: object) -> dict[str, object]:
    return {"id": key, "title": f"Title {key}", "issued": {"date-parts": [[2020]]}, **fields}


def test_json_field_in_the_third_of_many_entries_that_all_have_it(tmp_path):
    export = [entry("a", PMID="1", author=[{"family": "A", "given": "B"}]), entry("b", PMID="2"),
              entry("c", PMID="3x")]
    text = json.dumps(export, indent=2)
    found = load(tmp_path, "library.json", text)
    lines = text.split("\n")
    assert lines[41] == '    "PMID": "3x"'  # line 42, the key at column 5
    assert errors(found, tmp_path) == [
        "library.json:42:5: error: reference 'c': PMID must be digits only, not '3x' [bibliography/invalid]"]
    assert found.value.entries["a"].location == Location(tmp_path / "library.json", 3, 5)  # where "id" is


def test_minified_json_is_located_by_column(tmp_path):
    text = json.dumps([entry("a", PMID="1"), entry("b", PMID="2"), entry("c", PMID="3x")],
                      separators=(",", ":"))
    found = load(tmp_path, "library.json", text)
    assert text.rindex('"PMID"') + 1 == 209
    assert errors(found, tmp_path) == [
        "library.json:1:209: error: reference 'c': PMID must be digits only, not '3x' [bibliography/invalid]"]
    assert found.value.entries["b"].location == Location(tmp_path / "library.json", 1, 76)


def test_a_field_name_inside_a_string_value_is_not_the_field(tmp_path):
    text = ('[\n'
            '  {"id": "a", "title": "Why \\"PMID\\": 12a and \\"id\\": \\"b\\" confuse searches",\n'
            '   "abstract": "\\"id\\": \\"b\\", \\"PMID\\": \\"12a\\"", "issued": 2020},\n'
            '  {"title": "B", "issued": 2020,\n'
            '   "note": "PMID: 12a", "PMID": "12a", "id": "b"}\n'
            ']')
    found = load(tmp_path, "library.json", text)
    assert errors(found, tmp_path) == [
        "library.json:5:25: error: reference 'b': PMID must be digits only, not '12a' [bibliography/invalid]"]
    assert found.value.entries["a"].title == 'Why "PMID": 12a and "id": "b" confuse searches'
    assert found.value.invalid == {"b"}


def test_escaped_quotes_and_backslashes_do_not_shift_columns(tmp_path):
    text = r'[{"id": "a", "title": "A \"quoted\" \\ title", "issued": 2020, "DOI": "x"}]'
    found = load(tmp_path, "library.json", text)
    (message,) = errors(found, tmp_path)
    assert message.startswith("library.json:1:64: error: reference 'a': malformed DOI 'x'")


def test_fields_nested_in_names_and_dates_are_not_mistaken_for_entry_fields(tmp_path):
    # "family", "literal" and "date-parts" sit inside objects; a missing top-level field points at the entry.
    text = json.dumps([{"id": "a", "author": [{"family": "X", "title": "not the title"}],
                        "issued": {"date-parts": [[2020]], "title": "nor this"}}], indent=1)
    found = load(tmp_path, "library.json", text)
    assert errors(found, tmp_path) == ["library.json:3:3: error: reference 'a': missing 'title' [bibliography/invalid]"]


def test_json_entry_without_id_is_located_and_the_others_still_load(tmp_path):
    text = json.dumps([entry("a"), {"title": "no id"}, "text", entry("d")], indent=2)
    found = load(tmp_path, "library.json", text)
    assert errors(found, tmp_path) == [
        'library.json:13:3: error: CSL-JSON entry 2 must be an object with an "id" [bibliography/invalid]',
        'library.json:16:3: error: CSL-JSON entry 3 must be an object with an "id" [bibliography/invalid]',
    ]
    assert sorted(found.value.entries) == ["a", "d"]


def test_items_wrapper_is_accepted(tmp_path):
    found = load(tmp_path, "library.json", json.dumps({"items": [entry("a", PMID="x")]}))
    assert errors(found, tmp_path) == [
        "library.json:1:80: error: reference 'a': PMID must be digits only, not 'x' [bibliography/invalid]"]


def test_json_that_is_not_a_list(tmp_path):
    found = load(tmp_path, "library.json", '\n  {"id": "a"}')
    assert errors(found, tmp_path) == ["library.json:2:3: error: CSL-JSON must be a list of entries (as exported by "
                                       "a reference manager) [bibliography/invalid]"]


def test_json_numbers_are_kept_as_written(tmp_path):
    found = load(tmp_path, "library.json", '[{"id": "a", "title": "T", "issued": 2020, "volume": 12.10},\n'
                                           ' {"id": "b", "title": "T", "issued": 2020, "DOI": 10.1000}]')
    assert found.value.entries["a"].volume == "12.10"
    assert errors(found, tmp_path) == [
        "library.json:2:44: error: reference 'b': malformed DOI '10.1000' (a DOI looks like "
        "10.1016/S1474-4422(17)30470-2) [bibliography/invalid]"]


# -- malformed JSON: located errors, never a Python exception ----------------------------------------------
def test_lone_surrogate_is_a_located_error(tmp_path):
    found = load(tmp_path, "library.json", '[\n  {"id": "a", "title": "x\\\\ud800 \\ud800y", "issued": 2020}\n]')
    assert errors(found, tmp_path) == [
        "library.json:2:34: error: invalid CSL-JSON: lone surrogate '\\ud800' in a string (not a character) "
        "[bibliography/invalid]"]
    assert found.value.entries == {}


def test_lone_low_surrogate_and_a_lone_surrogate_as_a_key(tmp_path):
    found = load(tmp_path, "library.json", '[{"\\udc00": 1}]')
    assert errors(found, tmp_path) == [
        "library.json:1:4: error: invalid CSL-JSON: lone surrogate '\\udc00' in a string (not a character) "
        "[bibliography/invalid]"]


def test_surrogate_pair_is_one_character(tmp_path):
    found = load(tmp_path, "library.json", '[{"id": "a", "title": "Smile \\ud83d\\ude00", "issued": 2020}]')
    assert found.diagnostics == ()
    assert found.value.entries["a"].title == "Smile \U0001f600"


def test_deep_nesting_is_a_located_error(tmp_path):
    found = load(tmp_path, "library.json", "[" * 100_000 + "]" * 100_000)
    assert errors(found, tmp_path) == ["library.json:1:65: error: invalid CSL-JSON: nested too deeply "
                                       "[bibliography/invalid]"]


def test_deep_nesting_inside_an_entry_is_located_there(tmp_path):
    found = load(tmp_path, "library.json", '[\n {"id": "a",\n  "custom": ' + "[" * 70 + "]" * 70 + "}]")
    (message,) = errors(found, tmp_path)
    # the list, the entry and 62 levels of "custom" are 64 levels: the 63rd '[' of "custom" is one too many
    assert message.startswith("library.json:3:75: error: invalid CSL-JSON: nested too deeply")


def test_too_many_digits_is_a_located_error(tmp_path):
    found = load(tmp_path, "library.json", '[{"id": "a", "volume": ' + "9" * 5000 + "}]")
    assert errors(found, tmp_path) == ["library.json:1:24: error: invalid CSL-JSON: number with too many digits "
                                       "[bibliography/invalid]"]


def test_key_given_twice_in_one_json_object(tmp_path):
    found = load(tmp_path, "library.json", '[{"id": "a",\n  "title": "One",\n  "title": "Two", "issued": 2020}]')
    assert errors(found, tmp_path) == ["library.json:3:3: error: invalid CSL-JSON: duplicate key 'title' (first "
                                       "given on line 2) [bibliography/invalid]"]


# -- partial results: one bad entry hides nothing else ------------------------------------------------------
def test_good_entries_load_beside_a_bad_one_yaml(tmp_path):
    found = load(tmp_path, "references.yaml", "good:\n  title: T\n  issued: 2020\nbad:\n  title: B\n"
                                              "  issued: 2020\n  PMID: x1\nnot-a-mapping: just text\n")
    assert list(found.value.entries) == ["good"]
    assert found.value.invalid == {"bad", "not-a-mapping"}
    assert errors(found, tmp_path) == [
        "references.yaml:7:3: error: reference 'bad': PMID must be digits only, not 'x1' [bibliography/invalid]",
        "references.yaml:8:1: error: reference 'not-a-mapping' must be a mapping of CSL fields, not text "
        "[bibliography/invalid]",
    ]


def test_good_entries_load_beside_a_bad_one_json(tmp_path):
    found = load(tmp_path, "library.json", json.dumps([entry("good"), entry("bad", URL="ftp://x")], indent=2))
    assert list(found.value.entries) == ["good"] and "bad" not in found.value
    assert found.value.invalid == {"bad"}
    assert [d.rule for d in found.diagnostics] == ["bibliography/invalid"]


def test_warnings_of_an_invalid_entry_are_still_reported(tmp_path):
    found = load(tmp_path, "references.yaml", "a1:\n  titel: T\n  issued: 2020\n")
    assert [(d.severity, d.location.line) for d in found.diagnostics] == [("error", 1), ("warning", 2)]
    assert found.value.invalid == {"a1"}


def test_key_defined_twice_across_files(tmp_path):
    (tmp_path / "a.yaml").write_text("k:\n  title: T\n  issued: 2020\n", encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps([entry("k")]), encoding="utf-8")
    found = load_bibliography([tmp_path / "a.yaml", tmp_path / "b.json"])
    first = Location(tmp_path / "a.yaml", 1, 1).format()
    assert errors(found, tmp_path) == [f"b.json:1:3: error: reference key 'k' is defined twice (first at {first}) "
                                       "[bibliography/duplicate]"]
    assert found.value.entries["k"].location.path == tmp_path / "a.yaml"
    assert found.value.invalid == frozenset()


def test_a_broken_file_does_not_hide_another(tmp_path):
    (tmp_path / "a.json").write_text("[{]", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("k:\n  title: T\n  issued: 2020\n", encoding="utf-8")
    found = load_bibliography([tmp_path / "missing.yaml", tmp_path / "a.json", tmp_path / "b.yaml"])
    assert errors(found, tmp_path) == [
        "a.json:1:3: error: invalid CSL-JSON: Expecting property name enclosed in double quotes "
        "[bibliography/invalid]",
        "missing.yaml: error: bibliography file not found [file/unreadable]",
    ]
    assert list(found.value.entries) == ["k"]
    assert found.value.files == (tmp_path / "missing.yaml", tmp_path / "a.json", tmp_path / "b.yaml")


def test_yaml_syntax_error_has_its_rule(tmp_path):
    found = load(tmp_path, "references.yaml", "a1:\n  title: [unclosed\n")
    assert [d.rule for d in found.diagnostics] == ["yaml/syntax"]


def test_file_that_is_not_utf8(tmp_path):
    (tmp_path / "references.yaml").write_bytes(b"a1:\n  title: caf\xe9\n")
    found = load_bibliography([tmp_path / "references.yaml"])
    assert [(d.location.line, d.rule) for d in found.errors] == [(2, "file/unreadable")]


# -- the located parser agrees with json.loads ---------------------------------------------------------------
SAMPLE = """[
  {"id": "a\\u00e9\\n", "n": [1, -2.5e3, 0, true, false, null], "o": {"k": {"x": []}, "e": {}},
   "s": "\\"q\\" \\\\ \\/ \\t é", "z": -0.0}
]"""


def _mutations(text: str):
    yield text
    for i in range(len(text) + 1):
        yield text[:i]  # truncated
        if i < len(text):
            yield text[:i] + text[i + 1:]  # one character dropped
        for char in ',:"{}[]\\ 1e-':
            yield text[:i] + char + text[i:]  # one character added


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def test_the_located_parser_agrees_with_json_loads():
    checked = 0
    for text in dict.fromkeys(_mutations(SAMPLE)):
        try:
            expected = json.loads(text)
        except json.JSONDecodeError as exc:
            with pytest.raises(BibliographyError) as info:
                load_json(text, Path("x.json"))
            assert (info.value.message, info.value.location.line, info.value.location.col) == (
                f"invalid JSON: {exc.msg}", exc.lineno, exc.colno), text
        else:
            try:
                value = load_json(text, Path("x.json")).value
            except BibliographyError as exc:  # stricter than json.loads only for a key given twice
                assert "duplicate key" in exc.message, text
                continue
            assert _same(value, expected), text
        checked += 1
    assert checked > 1500


@pytest.mark.parametrize("text", ["NaN", "[Infinity, -Infinity]", '"\\ud83d\\ude00"', "1E+2", "-0", '{"a":{}}',
                                  " \n\t[ ] ", '"\\u0000"'])
def test_the_located_parser_agrees_on_edge_values(text):
    assert _same(load_json(text, Path("x.json")).value, json.loads(text))


def test_the_located_parser_records_every_value_and_key():
    located = load_json('{"a": [1, {"b": "x"}],\n "c": null}', Path("x.json"))
    assert located.at("a", 1, "b") == Location(Path("x.json"), 1, 17)
    assert located.key_at("a", 1, "b") == Location(Path("x.json"), 1, 12)
    assert located.key_at("c") == Location(Path("x.json"), 2, 2)
    assert located.at("missing", 3) == Location(Path("x.json"), 1, 1)
    assert located.numbers[("a", 0)] == "1"


def test_a_large_bibliography_loads_while_an_alias_bomb_is_still_refused(tmp_path):
    """A Zotero export of a whole library has far more than 20,000 YAML values; that is not an attack."""
    from carepages.bibliography import load_bibliography

    entries = "".join(f"ref{i}:\n  type: article-journal\n  author:\n    - {{family: Smith, given: A}}\n"
                      f"  title: Study {i}\n  container-title: J\n  issued: 2020\n  DOI: 10.1000/x.{i}\n"
                      for i in range(2500))
    path = tmp_path / "references.yaml"
    path.write_text(entries, encoding="utf-8")
    found = load_bibliography([path])
    assert len(found.value.entries) == 2500 and not found.errors
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdef", "bcdefg", strict=True))
    path.write_text(bomb, encoding="utf-8")
    assert any(d.rule == "yaml/limits" for d in load_bibliography([path]).diagnostics)


def test_yes_and_no_words_stay_as_written_except_in_et_al(tmp_path):
    """YAML 1.1 reads No, On and Yes as true/false; a surname or a title means the text."""
    found = load(tmp_path, "refs.yaml", "no2020:\n  type: article-journal\n  author:\n    - {family: No, given: Anna}\n"
                                        "  title: On\n  container-title: Yes\n  issued: 2020\n  et-al: yes\n")
    assert errors(found, tmp_path) == []
    entry = found.value.entries["no2020"]
    assert (entry.authors[0].family, entry.title, entry.container_title) == ("No", "On", "Yes")
    assert entry.authors_truncated is True


def test_an_edited_reference_shows_on_the_next_build_in_the_same_process(tmp_path):
    # References are formatted once per process and remembered (bibliography/vancouver.py, render/jsonld.py):
    # the preview builds again in the same process after each save, and must never show the old entry.
    from .sitekit import MINIMAL_CONFIG, SiteDir, article

    site = SiteDir(tmp_path / "site")
    site.write("site.toml", MINIMAL_CONFIG)
    site.write("content/references.yaml", BIBLIOGRAPHY)
    site.write("content/one.md", article("One", "A study [@smith2020].\n"))
    site.write("content/two.md", article("Two", "The same study [@smith2020].\n"))
    for title in ("A study of things", "A corrected study of things", "A study of things"):
        site.write("content/references.yaml", BIBLIOGRAPHY.replace("A study of things", title))
        site.build(jobs=1, cache=False)
        for route in ("articles/one/", "articles/two/"):
            html = site.html(route)
            reference = html.split('<span class="reference-text">', 1)[1].split("</span>", 1)[0]
            assert f"Smith AB, Jones C. {title}. J Things." in reference
            structured = json.loads(html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])
            assert [c["name"] for c in structured["citation"]] == [title]
            assert structured["citation"][0]["description"].startswith(f"Smith AB, Jones C. {title}.")
        assert f"Smith AB, Jones C. {title}. J Things." in site.html("sources/")
