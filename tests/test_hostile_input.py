"""Hostile and broken input: never a traceback, never an escape.

Property-based tests throw arbitrary front matter, Markdown, bibliography entries and bytes at a real build:
the only allowed outcomes are a clean build or a `SiteError` whose every message names a file of the site,
a line and a rule id (what the command line prints as `path:line:col: error: message [rule]`). A suite of
XSS payloads goes through every field a page, feed or structured-data block shows.

How hard the properties try is a Hypothesis profile, chosen with HYPOTHESIS_PROFILE: `dev` (the default, a
quick local run), `ci` (the default when CI is set, as .ci/run does) and `nightly` (`make fuzz`: 20,000
examples per property, no deadline). A failure prints the smallest input found and how to reproduce it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import carepages
from carepages.discover import yaml as front_yaml
from carepages.errors import SiteError
from carepages.render import templates
from carepages.rules import RULES
from carepages.textutil import add_months

from .sitekit import BIBLIOGRAPHY, MINIMAL_CONFIG, article

FIELDS = ["title", "summary", "slug", "layout", "date", "updated", "topics", "audience", "authors", "reviewed_by",
          "last_reviewed", "next_review", "references", "faq", "related", "key_points", "draft", "weight"]

# -- how hard to try -----------------------------------------------------------------------------------------

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
           "database": None, "print_blob": True}
settings.register_profile("dev", max_examples=40, **_COMMON)
settings.register_profile("ci", max_examples=150, **_COMMON)
settings.register_profile("nightly", max_examples=20_000, **_COMMON)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
fuzz = settings(settings.get_profile(PROFILE))


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja compiles the theme afresh for every build, three quarters of a small build's time; the
    properties build thousands of sites from the same theme, so they keep the compiled templates."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(autouse=True, scope="module")
def _compiled_once():
    cache, init = _CompiledTemplates(), templates.Templates.__init__

    def with_cache(self, folders, remember=None):
        init(self, folders, remember)
        self.env.bytecode_cache = cache

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(templates.Templates, "__init__", with_cache)
        yield


# -- the one allowed failure ---------------------------------------------------------------------------------

def fresh_site(config: str = "", bibliography: str = BIBLIOGRAPHY, bibliography_name: str = "references.yaml",
               ) -> Path:
    root = Path(tempfile.mkdtemp(prefix="carepages-fuzz-"))
    (root / "content").mkdir()
    (root / "site.toml").write_text(config + "\n" + MINIMAL_CONFIG, encoding="utf-8")
    (root / "content" / bibliography_name).write_text(bibliography, encoding="utf-8", errors="surrogatepass")
    return root


def build_outcome(root: Path, page: Path | None = None) -> None:
    """Build; a failure must be a SiteError whose every message names a file of the site, a line and a rule."""
    try:
        result = carepages.build(root, root / "_site", search=False)
        for warning in result.warnings:
            assert warning.location.path is not None and warning.rule in RULES, warning
            warning.format(root).encode("utf-8")
    except SiteError as exc:
        for diagnostic in exc.diagnostics:
            where = diagnostic.location
            assert where.path is not None and where.line is not None, diagnostic
            assert Path(where.path).resolve().is_relative_to(root.resolve()), diagnostic
            assert diagnostic.rule in RULES, diagnostic
            diagnostic.format(root).encode("utf-8")  # the command line can print it
    finally:
        shutil.rmtree(root, ignore_errors=True)


def build_page(text: str, config: str = "") -> None:
    root = fresh_site(config)
    page = root / "content" / "page.md"
    page.write_text(text, encoding="utf-8", errors="surrogatepass")
    build_outcome(root, page)


# -- what people (and exports, and editors) write ------------------------------------------------------------

# Every script's zero; the next nine code points are its 1-9. int() and str.isdigit() accept them all, and so
# does \d in a Python regex, but no date, PMID or DOI is written with them.
_ZEROS = [c for c in map(chr, range(0x10000)) if unicodedata.category(c) == "Nd" and unicodedata.digit(c) == 0]
_ZEROS += ["\U000104a0", "\U00011066", "\U0001d7ce", "\U0001d7d8"]  # Osmanya, Brahmi, mathematical bold


@st.composite
def digits_of_any_script(draw, written: str) -> str:
    """`written` (ASCII digits and punctuation) with its digits in one script, or a mix of scripts."""
    zeros = draw(st.lists(st.sampled_from(_ZEROS), min_size=1, max_size=3))
    return "".join(chr(ord(draw(st.sampled_from(zeros))) + int(c)) if c.isascii() and c.isdigit() else c
                   for c in written)


far_dates = st.dates(min_value=dt.date(9990, 1, 1)) | st.dates(max_value=dt.date(10, 1, 1)) | st.sampled_from(
    [dt.date.max, dt.date.min, dt.date(9999, 12, 1), dt.date(9995, 1, 31)])
any_dates = st.dates() | far_dates
# Dates as a person types them: real and impossible (2020-02-30, month 13), in other scripts' digits,
# as timestamps with a time zone at either end of time.
written_dates = st.one_of(
    any_dates.map(dt.date.isoformat),
    st.tuples(st.integers(0, 99999), st.integers(0, 99), st.integers(0, 99)).map(
        lambda ymd: f"{ymd[0]:04d}-{ymd[1]:02d}-{ymd[2]:02d}"),
    any_dates.map(dt.date.isoformat).flatmap(digits_of_any_script),
    st.tuples(any_dates, st.sampled_from(["", "Z", "+14:00", "-12:00", "+05:30"]), st.booleans()).map(
        lambda d: f"{d[0].isoformat()}{'T' if d[2] else ' '}23:59:59{d[1]}"),
)
huge_ints = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**60), max_value=10**60),
    st.sampled_from([10**40, -(10**40), 2**63, 2**64 + 1, -(2**63) - 1]),
    st.integers(90, 4000).map(lambda n: 10**n),  # (above 4,300 digits, str() fails: see written_numbers)
)
# Numbers as a person (or a careless export) types them; YAML 1.1 reads many as numbers of any size:
# `0x` + 4,000 digits is an int that str() refuses to print, `1:2:3:...` is base 60.
# Lengths around the 4,300-digit limit, and anything up to past it.
sizes = st.sampled_from([3600, 4400, 6000]) | st.integers(1, 6000) | st.sampled_from([1, 40])
written_numbers = st.one_of(
    sizes.map(lambda n: "0x" + "F" * n),  # 3,600 hex digits are 4,335 decimal ones
    sizes.map(lambda n: "1:" + ":".join(["59"] * n)),
    sizes.map(lambda n: "9" * n),
    sizes.map(lambda n: "9" * n + "-" + "9" * n),
    huge_ints.map(str),
    st.floats().map(repr),
    st.sampled_from(["1e400", "1.0e+400", "-1.0e+309", ".inf", "-.inf", ".nan", ".NaN", "-0", "+0", "0b1_0",
                     "0o777", "0x_FFFF", "1_000_000", "190:20:30", "2020.5", "1.", ".5", "-1"]),
    st.sampled_from(["0123456789", "١٢٣", "²", "½", "2020", "12345678"]).flatmap(digits_of_any_script),
)
# Lone surrogates can only come from an escape (the files themselves are UTF-8): "\ud800" in YAML or JSON.
surrogate_escapes = st.tuples(st.text(max_size=5), st.integers(0xD800, 0xDFFF), st.text(max_size=5)).map(
    lambda t: json.dumps(t[0])[:-1] + f"\\u{t[1]:04x}" + json.dumps(t[2])[1:])
written_scalars = st.one_of(written_numbers, written_dates, written_numbers, surrogate_escapes,
                            st.integers(10_000, 200_000).map(lambda n: "x" * n))

yaml_values = st.recursive(
    st.none() | st.booleans() | huge_ints
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=40) | any_dates
    | st.text(st.characters(categories=["Nd", "No"]), max_size=12) | written_dates,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


SHAPES = {  # a scalar as a field's value: alone, in a list, or in the mappings front matter and CSL use
    "alone": "{}", "list": "[{}]", "faq": "[{{question: {}, answer: {}}}]", "date-parts": "{{date-parts: [[{}]]}}",
    "date-parts-2": "{{date-parts: [[2020, {}, {}]]}}", "raw": "{{raw: {}}}", "names": "[{{family: {}, given: {}}}]",
}
front_shapes = st.sampled_from(["alone", "list", "faq"])
csl_places = st.sampled_from([  # (field, shape) pairs a CSL entry has
    ("issued", "alone"), ("issued", "date-parts"), ("issued", "date-parts-2"), ("issued", "raw"),
    ("accessed", "date-parts"), ("accessed", "raw"), ("author", "names"), ("editor", "names"), ("PMID", "alone"),
    ("DOI", "alone"), ("PMCID", "alone"), ("volume", "alone"), ("title", "alone"), ("title", "list"),
])


def written_in(shape: str, scalar: str) -> str:
    return SHAPES[shape].format(scalar, scalar)


# -- front matter --------------------------------------------------------------------------------------------

@fuzz
@given(field=st.sampled_from(FIELDS), value=yaml_values)
def test_any_yaml_value_in_any_field(field, value):
    front = {"title": "T", "summary": "S", field: value}
    build_page("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\nBody [@smith2020].\n")


@fuzz
@given(field=st.sampled_from(FIELDS), scalar=written_scalars, shape=front_shapes)
def test_any_value_as_typed_in_any_field(field, scalar, shape):
    """Values as written in the file, which YAML reads its own way (huge numbers, timestamps, escapes)."""
    fields = {"title": "T", "summary": "S", field: written_in(shape, scalar)}
    build_page("---\n" + "".join(f"{k}: {v}\n" for k, v in fields.items()) + "---\nBody [@smith2020].\n")


@fuzz
@given(last_reviewed=st.one_of(any_dates.map(dt.date.isoformat), written_dates),
       next_review=st.none() | any_dates.map(dt.date.isoformat) | written_dates,
       months=st.integers(1, 60), dated=st.booleans())
def test_review_dates_up_to_the_end_of_time(last_reviewed, next_review, months, dated):
    """The next review is last_reviewed plus review_interval_months, unless given: 9999-12-01 + 60 is not."""
    extra = {"date": last_reviewed, "updated": last_reviewed} if dated else {}
    build_page(article("Review", body="Body [@smith2020].\n", last_reviewed=last_reviewed,
                       next_review=next_review, **extra), config=f"review_interval_months = {months}")


@fuzz
@given(front=st.text(st.characters(exclude_categories=()), max_size=300),
       body=st.text(st.characters(exclude_categories=()), max_size=300))
def test_any_text_as_front_matter_and_body(front, body):
    """Any characters, lone surrogates included (written as their UTF-8-like bytes, which no reader takes)."""
    build_page(f"---\n{front}\n---\n{body}")


# -- bibliography --------------------------------------------------------------------------------------------

date_part = st.one_of(st.integers(-3000, 3000), huge_ints, st.floats(),
                      st.sampled_from(["2020", "13", "0", "-0", " 7 ", "2020.5", "1e309"]),
                      st.sampled_from(["2020", "12", "31"]).flatmap(digits_of_any_script),
                      st.booleans(), st.none(), st.text(max_size=4))
csl_dates = st.one_of(
    huge_ints, st.floats(), any_dates, written_dates,
    st.integers(1000, 2999).map(str).flatmap(digits_of_any_script),
    st.fixed_dictionaries({"date-parts": st.lists(st.lists(date_part, max_size=4), max_size=2)}),
    st.fixed_dictionaries({"date-parts": st.lists(date_part, max_size=3)}),
    st.fixed_dictionaries({"raw": written_dates | date_part}),
    st.fixed_dictionaries({"literal": written_dates | date_part}),
)
identifiers = st.one_of(
    st.sampled_from(["12345678", "PMC1234567", "10.1000/x.1", "https://doi.org/10.1000/x"]).flatmap(
        digits_of_any_script),
    st.text(max_size=20), huge_ints, st.floats(),
)
csl_text = st.one_of(st.text(max_size=30), huge_ints, st.floats(),
                     st.booleans(), st.none(), st.lists(st.text(max_size=3), max_size=2))
csl_names = st.lists(st.dictionaries(st.sampled_from(["family", "given", "literal", "suffix"]), csl_text,
                                     max_size=3) | csl_text, max_size=3)
csl_entries = st.fixed_dictionaries(
    {"title": st.just("A title") | csl_text},
    optional={"type": st.sampled_from(["article-journal", "book", "chapter", "webpage", "report"]) | csl_text,
              "issued": csl_dates, "accessed": csl_dates, "PMID": identifiers, "DOI": identifiers,
              "PMCID": identifiers, "URL": identifiers, "volume": csl_text, "issue": csl_text,
              "container-title": csl_text, "publisher": csl_text, "author": csl_names, "editor": csl_names,
              "et-al": csl_text, "edition": csl_text, "page": csl_text},
)


@fuzz
@given(entry=csl_entries)
def test_any_csl_entry_in_yaml(entry):
    root = fresh_site(bibliography=yaml.safe_dump({"x": entry}, allow_unicode=True))
    (root / "content" / "page.md").write_text(article("Cites", body="Body [@x].\n"), encoding="utf-8")
    build_outcome(root)


@fuzz
@given(entry=csl_entries, value=written_scalars, place=csl_places)
def test_any_csl_value_as_typed(entry, value, place):
    """One field as typed in references.yaml (YAML reads `0xFFFF...`, `1e400` and escapes its own way)."""
    field, shape = place
    text = "x:\n" + "".join(f"  {k}: {json.dumps(v, default=str)}\n" for k, v in entry.items() if k != field)
    root = fresh_site(bibliography=text + f"  {field}: {written_in(shape, value)}\n")
    (root / "content" / "page.md").write_text(article("Cites", body="Body [@x].\n"), encoding="utf-8")
    build_outcome(root)


@fuzz
@given(entry=csl_entries)
def test_any_csl_entry_in_json(entry):
    data = json.dumps([{"id": "x", **entry}], default=str, allow_nan=True)
    root = fresh_site(bibliography=data, bibliography_name="references.json")
    (root / "content" / "page.md").write_text(article("Cites", body="Body [@x].\n"), encoding="utf-8")
    build_outcome(root)


# -- each class the properties found, as the exact message a user sees -------------------------------------

HEX = "0x" + "F" * 4000  # YAML reads it as an int of 4,817 digits, which str() refuses to print
SEXAGESIMAL = "1:" + ":".join(["59"] * 3000)  # base 60, in YAML 1.1: another int of thousands of digits


def errors_of(site, config: str = "") -> list[str]:
    if config:
        site.write("site.toml", config + "\n" + MINIMAL_CONFIG)
    with pytest.raises(SiteError) as info:
        site.build()
    return [d.format(site.root) for d in info.value.diagnostics]


@pytest.mark.parametrize(("fields", "expected"), [
    ({"weight": str(10**40)},
     f"content/first.md:10:9: error: 'weight' must be between -1000000 and 1000000, not {10**40} "
     "[front-matter/invalid]"),
    ({"weight": HEX}, "content/first.md:10:9: error: 'weight' must be between -1000000 and 1000000, not a number "
                      "of more than 100 digits [front-matter/invalid]"),
    ({"weight": ".inf"}, "content/first.md:10:9: error: 'weight' must be a whole number, not inf "
                         "[front-matter/invalid]"),
    ({"title": HEX}, "content/first.md:2:8: error: 'title' is a number of more than 100 digits; if it is meant "
                     "as text, put it in quotes [front-matter/invalid]"),
    ({"topics": f"[{SEXAGESIMAL}]"}, "content/first.md:6:10: error: 'topics[1]' is a number of more than 100 "
                                     "digits; if it is meant as text, put it in quotes [front-matter/invalid]"),
    ({"faq": f"[{{question: {HEX}, answer: A}}]"},
     "content/first.md:10:18: error: 'faq[1].question' is a number of more than 100 digits; if it is meant as "
     "text, put it in quotes [front-matter/invalid]"),
    ({"date": "٢٠٢٦-٠١-١٠"}, "content/first.md:4:7: error: 'date' must be a date written YYYY-MM-DD, not "
                             "'٢٠٢٦-٠١-١٠' [front-matter/invalid]"),
    ({"date": "２０２６-０１-１０"}, "content/first.md:4:7: error: 'date' must be a date written YYYY-MM-DD, not "
                                   "'２０２６-０１-１０' [front-matter/invalid]"),
    ({"date": "2020-02-30"}, "content/first.md:4:7: error: 'date' is not a real date: '2020-02-30' "
                             "[front-matter/invalid]"),
    ({"date": "1e400"}, "content/first.md:4:7: error: 'date' must be a date written YYYY-MM-DD, not '1e400' "
                        "[front-matter/invalid]"),
    ({"date": "x" * 100_000}, "content/first.md:4:7: error: 'date' must be a date written YYYY-MM-DD, not "
                              f"'{'x' * 57}...' [front-matter/invalid]"),
    ({"slug": "x" * 10_000}, "content/first.md:10:7: error: 'slug' is 10,000 characters long: an address may have "
                             "at most 100 [front-matter/invalid]"),
    ({"title": '"\\ud800"'}, "content/first.md:2:11: error: invalid front matter: found invalid Unicode "
                             "character escape code (while parsing a quoted scalar) [yaml/syntax]"),
], ids=["weight-10**40", "weight-hex", "weight-inf", "title-hex", "topic-base-60", "faq-hex", "arabic-indic-date",
        "full-width-date", "february-30", "date-1e400", "huge-date", "huge-slug", "surrogate-escape"])
def test_front_matter_number_and_date_classes(site, fields, expected):
    fields = {"title": "First article", **fields}
    site.write("content/first.md", article(fields.pop("title"), **fields))
    assert expected in errors_of(site)


@pytest.mark.parametrize("months", [1, 12, 60])
def test_review_interval_past_the_last_date(site, months):
    site.write("content/first.md", article("First", last_reviewed="9999-12-01", next_review=None))
    assert errors_of(site, f"review_interval_months = {months}") == [
        f"content/first.md:8:1: error: 'last_reviewed' (9999-12-01) plus review_interval_months ({months}) is after "
        "9999-12-31, the last date there is: give 'next_review', or correct 'last_reviewed' [front-matter/dates]"]


def test_review_interval_past_the_last_date_is_reported_with_the_other_errors(site):
    site.write("content/first.md", article("First", last_reviewed="9999-12-01", next_review=None))
    site.write("content/second.md", article("Second", body="See [it](nowhere.md).\n"))
    assert [e.rsplit(" [", 1)[1] for e in errors_of(site)] == ["front-matter/dates]", "links/broken]"]


def test_review_interval_up_to_the_last_date(site):
    site.write("content/first.md", article("First", last_reviewed="9999-11-30", next_review=None))
    site.write("site.toml", "review_interval_months = 1\n" + MINIMAL_CONFIG)
    site.build()
    assert '<time datetime="9999-12-30">30 December 9999</time>' in site.html("articles/first/")


def test_add_months_keeps_the_day_or_the_months_last_and_refuses_past_the_end():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 1, 31), 13) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2026, 1, 12), 12) == dt.date(2027, 1, 12)
    assert add_months(dt.date(2020, 5, 31), -3) == dt.date(2020, 2, 29)
    assert add_months(dt.date(9999, 11, 30), 1) == dt.date(9999, 12, 30)
    with pytest.raises(OverflowError, match="past 9999-12-31"):
        add_months(dt.date(9999, 12, 1), 1)
    with pytest.raises(OverflowError, match="before year 1"):
        add_months(dt.date(1, 1, 31), -1)


def test_lone_surrogate_from_a_pure_python_yaml_parser_is_located(site, monkeypatch):
    """libyaml refuses "\\ud800"; PyYAML's own parser (when built without libyaml) lets it through."""
    monkeypatch.setattr(front_yaml, "_Loader", yaml.SafeLoader)
    site.write("content/first.md", article('"A \\ud800 title"'))
    assert errors_of(site) == ["content/first.md:2:8: error: 'title' contains U+D800, half of a surrogate pair, "
                               "which is not a character (a broken \\u escape?) [front-matter/invalid]"]


def csl_entry(**fields: str) -> str:
    return BIBLIOGRAPHY + "x:\n  type: article-journal\n  title: T\n" + "".join(
        f"  {name}: {value}\n" for name, value in fields.items())


@pytest.mark.parametrize(("fields", "expected"), [
    ({"issued": "{date-parts: [[1.0e+309]]}"},
     "'issued' must be a year, YYYY-MM-DD, or {date-parts: [[year, month, day]]} in digits 0-9, not "
     "{'date-parts': [[inf]]}"),
    ({"issued": "{date-parts: [[99999999999999999999]]}"}, "'issued' has an impossible year: 99999999999999999999"),
    ({"issued": f"{{date-parts: [[{HEX}]]}}"}, "'issued' has an impossible year: a number of more than 100 digits"),
    ({"issued": f"{{raw: {HEX}}}"}, "'issued' has an impossible year: a number of more than 100 digits"),
    ({"issued": '{date-parts: [["2020", "13"]]}'}, "'issued' is not a real date: {'date-parts': [['2020', '13']]}"),
    ({"issued": "{date-parts: [[2020, 99999999999999999999]]}"},
     "'issued' is not a real date: {'date-parts': [[2020, 99999999999999999999]]}"),
    ({"issued": '{raw: "٢٠٢٠"}'},
     "'issued' must be a year, YYYY-MM-DD, or {date-parts: [[year, month, day]]} in digits 0-9, not "
     "{'raw': '٢٠٢٠'}"),
    ({"issued": '{date-parts: [["٢٠٢٠"]]}'},
     "'issued' must be a year, YYYY-MM-DD, or {date-parts: [[year, month, day]]} in digits 0-9, not "
     "{'date-parts': [['٢٠٢٠']]}"),
    ({"issued": "{date-parts: [[2020.5]]}"},
     "'issued' must be a year, YYYY-MM-DD, or {date-parts: [[year, month, day]]} in digits 0-9, not "
     "{'date-parts': [[2020.5]]}"),
    ({"issued": "2020.5"}, "'issued' must be a year, YYYY-MM-DD, or {date-parts: [[year, month, day]]} in digits "
                           "0-9, not 2020.5"),
    ({"issued": "-0"}, "'issued' must be a year, YYYY-MM-DD, or {date-parts: [[year, month, day]]} in digits "
                       "0-9, not -0"),
    ({"issued": "2020-02-30"}, "'issued' is not a real date: 2020-02-30"),
    ({"issued": "2020", "PMID": "١٢٣"}, "PMID must be digits only, not '١٢٣'"),
    ({"issued": "2020", "PMCID": "PMC١٢٣"}, "PMCID must look like PMC1234567, not 'PMC١٢٣'"),
    ({"issued": "2020", "DOI": "10.١٠٠٠/x"},
     "malformed DOI '10.١٠٠٠/x' (a DOI looks like 10.1016/S1474-4422(17)30470-2)"),
    ({"issued": "2020", "author": f"[{{family: {HEX}}}]"}, "'author 1 family' is a number of more than 100 digits"),
], ids=["1e309", "year-10**20", "year-hex", "raw-hex", "month-13", "month-10**20", "raw-arabic-indic",
        "part-arabic-indic", "part-2020.5", "2020.5", "-0", "february-30", "pmid-arabic-indic", "pmcid-arabic-indic",
        "doi-arabic-indic", "family-hex"])
def test_csl_number_and_date_classes(site, fields, expected):
    site.write("content/references.yaml", csl_entry(**fields))
    found = errors_of(site)
    assert any(line.startswith("content/references.yaml:") and f"error: reference 'x': {expected} "
               "[bibliography/invalid]" in line for line in found), found


@pytest.mark.parametrize("entry", [
    pytest.param({"type": "book", "edition": "²", "publisher": "P"}, id="superscript-edition"),
    pytest.param({"type": "book", "edition": "9" * 5000, "publisher": "P"}, id="huge-edition"),
    pytest.param({"page": "9" * 5000 + "-" + "9" * 5000}, id="huge-page-range"),
])
def test_vancouver_edition_and_pages_in_any_digits(site, entry):
    site.write("content/references.yaml", BIBLIOGRAPHY + "x:\n  title: T\n  issued: 2020\n" + "".join(
        f"  {k}: \"{v}\"\n" for k, v in entry.items()))
    site.write("content/first.md", article("First", body="Text [@x].\n"))
    site.build()  # formatted as written, never an internal error
    html = site.html("articles/first/")
    assert all(v.split("-")[0][:50] in html for k, v in entry.items() if k in {"edition", "page"})


markdown_bits = st.sampled_from([
    "# ", "## ", "> ", "- ", "1. ", "* ", "```", "~~~", "    ", "\t", "[", "]", "(", ")", "[@", "@", ";", ",",
    "::: note", "::: urgent", ":::", "|", "---", "[^1]", "[^1]: ", ": ", "![", "<", ">", "&", "*", "_", "`",
    "\n", "\n\n", "text", "x.md", "#a", "javascript:", "http://x", "\\", "\x00", "\u2028", "é", "\r",
])


@fuzz
@given(body=st.lists(markdown_bits, max_size=80).map("".join))
def test_any_markdown_soup(body):
    build_page(article("Soup", body=body))


@fuzz
@given(data=st.binary(max_size=400))
def test_any_bytes_as_a_page(data):
    root = fresh_site()
    page = root / "content" / "page.md"
    page.write_bytes(data)
    build_outcome(root, page)


@pytest.mark.parametrize("data", [
    b"", b"\xef\xbb\xbf", b"---\n", b"---\n---\n", b"\x00" * 100, b"---\r\ntitle: T\r\nsummary: S\r\n---\r\nx",
    b"---\rtitle: T\rsummary: S\r---\rlone CRs", b"\xef\xbb\xbf---\ntitle: T\nsummary: S\n---\nBOM",
    b"---\ntitle: T\nsummary: S\n---\n\xff\xfe bad bytes",
])
def test_odd_files(data):
    root = fresh_site()
    page = root / "content" / "page.md"
    page.write_bytes(data)
    build_outcome(root, page)


def test_ten_megabyte_article_builds():
    root = fresh_site()
    paragraph = "A long line of plain text about the spinal cord and MRI scans. " * 20 + "\n\n"
    body = paragraph * (10 * 1024 * 1024 // len(paragraph))
    (root / "content" / "big.md").write_text(article("Big", body=body), encoding="utf-8")
    try:
        carepages.build(root, root / "_site", search=False)
        assert (root / "_site" / "articles" / "big" / "index.html").stat().st_size > 10 * 1024 * 1024
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("body", ["> " * 5000 + "deep", "- " * 5000 + "deep",
                                  "".join("  " * i + "- item\n" for i in range(2000)), "[" * 20000 + "]" * 20000])
def test_thousands_of_nesting_levels(body):
    root = fresh_site()
    page = root / "content" / "deep.md"
    page.write_text(article("Deep", body=body), encoding="utf-8")
    build_outcome(root, page)


def test_yaml_alias_bomb_is_refused_with_a_clear_message(site):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True))
    site.write("content/first.md", f"---\ntitle: T\nsummary: S\n{bomb}---\n")
    with pytest.raises(SiteError, match="expands to more than 20,000 values"):
        site.build()


# -- cross-site scripting ------------------------------------------------------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</script><script>alert(1)</script>",
    "<!--<script>",
    "javascript:alert(1)",
    "{{ 7*7 }}{% raw %}",
    "]]><x>",
    "line\u2028separator",
]


class Inspector(HTMLParser):
    """Collects what matters for script injection: script elements, event handlers, script URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict[str, str | None]] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        if tag in {"svg", "iframe", "object", "embed"}:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name in {"href", "src", "action"} and value and value.strip().lower().startswith(
                    ("javascript:", "data:", "vbscript:")):
                self.problems.append(f"{name}={value!r} on <{tag}>")


def toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid TOML basic string


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_every_field_is_rendered_harmless(tmp_path, payload):
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    p = toml_string(payload)
    (root / "site.toml").write_text(f"""
title = {p}
tagline = {p}
description = {p}
base_url = "https://example.org/info/"
disclaimer = {p}
emergency = {p}
intro = {p}

[organisation]
name = {p}
phone = {p}
address = {p}
contact = {p}

[[nav]]
title = {p}
url = "/faq/"

[[footer_links]]
title = {p}
url = "page.md"

[[topics]]
name = {p}
description = {p}
""", encoding="utf-8")
    y = json.dumps(payload)  # and a valid YAML double-quoted string
    (root / "content" / "references.yaml").write_text(f"""
evil:
  title: {y}
  container-title: {y}
  author:
    - {{family: {y}, given: {y}}}
    - {{literal: {y}}}
  publisher: {y}
  issued: 2020
  page: {y}
  DOI: "10.1000/{''.join(payload.replace('"', '').split())}"
""", encoding="utf-8")
    (root / "content" / "page.md").write_text(f"""---
title: {y}
summary: {y}
topics: [{y}]
audience: {y}
authors: [{y}]
reviewed_by: {y}
last_reviewed: 2026-01-01
key_points: [{y}]
faq:
  - question: {y}
    answer: {y}
references: [evil]
---

{payload}

## {payload}

Cited [@evil]. ![{payload}](pic.png "{payload.replace('"', '')}")

::: note {payload}
{payload}
:::
""", encoding="utf-8")
    (root / "content" / "pic.png").write_bytes(b"png")
    carepages.build(root, root / "_site", search=False)

    for path in sorted((root / "_site").rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        inspector = Inspector()
        inspector.feed(html)
        assert inspector.problems == [], path
        assert [s.get("type") or s.get("src", "").split("?")[0] for s in inspector.scripts] == [
            "/info/static/js/site.js", "application/ld+json"], path
        data = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
        assert "<" not in data and "\u2028" not in data
        json.loads(data)
        # no template evaluation of content (asset versions are hex digests and may hold "49")
        assert "49" not in re.sub(r"\?v=[0-9a-f]+", "", html).replace("2049", "")
    page = (root / "_site" / "articles" / "page" / "index.html").read_text(encoding="utf-8")
    data = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["name"] == payload  # carried exactly, only escaped
    for name in ("sitemap.xml", "feed.xml"):
        ET.fromstring((root / "_site" / name).read_bytes())


def test_control_characters_never_break_the_feed_or_sitemap(site):
    site.write("content/first.md", article('"Bell\\a and escape\\e and NUL\\0 and \\x0b"',
                                           summary='"form\\ffeed"'))
    site.build()
    feed = ET.fromstring(site.out.joinpath("feed.xml").read_bytes())
    title = feed.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title").text
    assert title == "Bell and escape and NUL and"
    ET.fromstring(site.out.joinpath("sitemap.xml").read_bytes())
