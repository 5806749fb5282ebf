"""Silencing a finding for one block or one page, and reporting silences that no longer silence anything."""

from __future__ import annotations

import datetime as dt

from carepages.checks.command import check_site

from .sitekit import article

TODAY = dt.date(2026, 6, 1)
BODY = """\
Most people have a brain scan first [@smith2020]. A cord scan can show more [@lee2019].

## What happens next

Ask your team.
"""


def found(site):
    return [(d.location.line, d.location.col, d.severity, d.rule) for d in check_site(site.root, today=TODAY).findings]


def test_a_comment_on_the_line_before_silences_its_block(site):
    body = BODY + ("\n[//]: # (check-ignore: sources/number-without-citation)\nAbout 1 in 5 people\nhave it.\n\n"
                   "About 1 in 3 people have it.\n")
    site.write("content/first.md", article("First article", body=body))
    assert found(site) == [(22, 7, "warning", "sources/number-without-citation")]


def test_a_comment_names_several_rules_and_silences_only_those(site):
    body = BODY + "\n[//]: # (check-ignore: sources/number-without-citation, honesty/hype)\nA breakthrough: 1 in 5 " \
        "get better.\n\nSee [here](first.md).\n"
    site.write("content/first.md", article("First article", body=body))
    assert found(site) == [(21, 5, "warning", "accessibility/link-text")]


def test_a_yaml_comment_silences_a_front_matter_field(site):
    site.write("content/first.md", article("First article", body=BODY, key_points=(
        "\n  # check-ignore: sources/number-without-citation\n  - About 1 in 5 people have it.")))
    assert found(site) == []


def test_a_page_silence(site):
    site.write("content/first.md", article("First article", body=BODY + "\nAbout 1 in 5 people have it.\n",
                                           check_ignore="[sources/number-without-citation]"))
    assert found(site) == []


def test_stale_silences_are_reported(site):
    body = BODY + "\n[//]: # (check-ignore: sources/number-without-citation)\nNo numbers here.\n"
    site.write("content/first.md", article("First article", body=body, check_ignore="[honesty/hype]"))
    assert found(site) == [(10, 16, "warning", "check/stale-silence"),
                           (19, 24, "warning", "check/stale-silence")]


def test_a_silence_naming_an_unknown_rule(site):
    body = BODY + "\n[//]: # (check-ignore: sources/number-without-citaton)\nAbout 1 in 5 people have it.\n"
    site.write("content/first.md", article("First article", body=body))
    result = check_site(site.root, today=TODAY)
    unknown = [d for d in result.findings if d.rule == "check/unknown-rule"]
    assert [(d.location.line, d.location.col) for d in unknown] == [(18, 24)]
    assert "did you mean 'sources/number-without-citation'" in unknown[0].message
    assert any(d.rule == "sources/number-without-citation" for d in result.findings)


def test_the_comment_is_not_shown_on_the_page(site):
    body = BODY + "\n[//]: # (check-ignore: sources/number-without-citation)\nAbout 1 in 5 people have it.\n"
    site.write("content/first.md", article("First article", body=body))
    site.build()
    html = site.html("articles/first/")
    assert "check-ignore" not in html
    assert "About 1 in 5 people have it." in html
