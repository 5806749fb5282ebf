"""Front matter: splitting, typed fields, and errors/warnings that name file, line and field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from carepages.discover.frontmatter import parse_front_matter
from carepages.discover.text import decode_text
from carepages.errors import BuildFailed, ContentError, Problems


def parse(text: str) -> tuple[object, Problems]:
    problems = Problems()
    return parse_front_matter(decode_text(text.encode(), Path("a.md")), problems), problems


def messages(exc: ContentError) -> list[str]:
    return [d.format() for d in exc.diagnostics]


def test_fields_are_typed_and_body_keeps_its_line():
    text = ("---\ntitle: Spine MRI\nsummary: Why it matters.\ndate: 2026-01-02\ntopics: [Spine MRI, Diagnosis]\n"
            "faq:\n  - question: Does it hurt?\n    answer: No.\ndraft: false\n---\n\nBody starts here.\n")
    front, problems = parse(text)
    assert front.title == "Spine MRI"
    assert front.date == dt.date(2026, 1, 2)
    assert [t.value for t in front.topics] == ["Spine MRI", "Diagnosis"]
    assert front.topics[1].location.line == 5
    assert front.faq[0].question == "Does it hurt?"
    assert front.faq[0].location.line == 7
    assert front.body_line == 11
    assert "\n".join(text.split("\n")[front.body_line - 1:]).strip() == "Body starts here."
    assert problems.warnings == []


def test_missing_required_fields_are_all_reported():
    with pytest.raises(BuildFailed) as info:
        parse("---\ndate: 2026-01-02\n---\nText\n")
    assert messages(info.value) == [
        "a.md:2:1: error: missing required field 'summary' [front-matter/required]",
        "a.md:2:1: error: missing required field 'title' [front-matter/required]",
    ]


def test_wrong_type_names_field_and_line():
    with pytest.raises(ContentError) as info:
        parse("---\ntitle: T\nsummary: S\ntopics:\n  - ok\n  - {nested: map}\n---\n")
    assert messages(info.value) == ["a.md:6:5: error: 'topics[2]' must be text, not a mapping [front-matter/invalid]"]


def test_impossible_date_is_an_error_with_the_value():
    with pytest.raises(ContentError) as info:
        parse("---\ntitle: T\nsummary: S\nlast_reviewed: 2026-13-45\n---\n")
    assert messages(info.value) == ["a.md:4:16: error: 'last_reviewed' is not a real date: '2026-13-45' "
                                    "[front-matter/invalid]"]


def test_date_written_in_another_format_is_refused():
    with pytest.raises(ContentError) as info:
        parse("---\ntitle: T\nsummary: S\ndate: 12/01/2026\n---\n")
    assert "'date' must be a date written YYYY-MM-DD, not '12/01/2026'" in messages(info.value)[0]


def test_review_dates_must_be_in_order():
    with pytest.raises(ContentError) as info:
        parse("---\ntitle: T\nsummary: S\nlast_reviewed: 2026-05-01\nnext_review: 2026-04-01\n---\n")
    assert messages(info.value) == [
        "a.md:5:14: error: 'next_review' (2026-04-01) is before 'last_reviewed' (2026-05-01) [front-matter/dates]"]


def test_unknown_field_is_a_warning_with_a_hint():
    _, problems = parse("---\ntitle: T\nsummary: S\nreviewd_by: Dr X\n---\n")
    assert [d.format() for d in problems.warnings] == [
        "a.md:4:1: warning: unknown front-matter field 'reviewd_by' (did you mean 'reviewed_by'?) "
        "[front-matter/unknown-field]"]


def test_yaml_syntax_error_points_at_the_line():
    with pytest.raises(ContentError) as info:
        parse("---\ntitle: T\nsummary: [unclosed\n---\n")
    # the unclosed list is pointed at where it starts, in words an editor understands
    assert messages(info.value) == ["a.md:3:10: error: the list that starts with '[' here must end with ']', "
                                    "with a comma between its items [yaml/syntax]"]


def test_duplicate_key_is_an_error():
    with pytest.raises(ContentError) as info:
        parse("---\ntitle: T\nsummary: S\ntitle: Again\n---\n")
    assert messages(info.value) == ["a.md:4:1: error: duplicate key 'title' (first given on line 2) [yaml/syntax]"]


def test_missing_and_unclosed_front_matter():
    with pytest.raises(ContentError, match="missing front matter"):
        parse("# Just a heading\n")
    with pytest.raises(ContentError, match="front matter is not closed"):
        parse("---\ntitle: T\n")


def test_slug_must_be_safe():
    with pytest.raises(ContentError, match="'slug' may only use lower-case letters"):
        parse("---\ntitle: T\nsummary: S\nslug: ../../etc\n---\n")


def test_faq_entries_need_question_and_answer():
    with pytest.raises(ContentError) as info:
        parse("---\ntitle: T\nsummary: S\nfaq:\n  - question: Only a question?\n---\n")
    assert messages(info.value) == ["a.md:5:5: error: faq entry 1 is missing 'answer' [front-matter/invalid]"]


def test_yes_and_no_keys_stay_words():
    _, problems = parse("---\ntitle: T\nsummary: S\nno: 1\n---\n")
    assert "unknown front-matter field 'no'" in problems.warnings[0].message


def test_bom_and_crlf_are_accepted():
    front, _ = parse("\ufeff---\r\ntitle: T\r\nsummary: S\r\n---\r\nBody\r\n")
    assert front.title == "T"
    assert front.body_line == 5
