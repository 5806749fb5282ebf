"""Care cards (`::: care non-urgent|urgent|emergency`), the site-wide "when to get help" card, and the
phone-size pointer to a page's urgent advice: real sites built in temporary folders."""

from __future__ import annotations

import json
import re

import pytest

from carepages.errors import SiteError

from .sitekit import MINIMAL_CONFIG, article, run_cli

CARD_CONFIG = MINIMAL_CONFIG.replace('[organisation]', '''emergency_number = "999"
when_to_get_help = """
::: care emergency Call 999 now if you suddenly cannot move your legs
Do not wait.
:::

::: care urgent Contact your team within a day or two
If a new symptom lasts more than 24 hours [@smith2020].
:::
"""

[organisation]''')


def body_of(html: str) -> str:
    return html.split('<div class="prose">', 1)[1].split('<section class="review"', 1)[0]


def test_each_level_has_its_class_its_words_for_screen_readers_and_its_title(site):
    site.write("site.toml", CARD_CONFIG)
    site.write("content/first.md", article("First", """\
    ::: care non-urgent It can wait
    Tell your nurse next time.
    :::

    ## Then

    ::: care urgent
    Call your team.
    :::

    ## Next

    ::: care emergency Call now
    Go to hospital.
    :::

    ## Last
    """))
    site.build()
    html = body_of(site.html("articles/first/"))
    assert ('<div class="care-card care-non-urgent" id="care-1">\n<p class="care-title"><span class="visually-hidden">'
            'Non-urgent advice: </span>It can wait</p>\n<div class="care-body">\n<p>Tell your nurse next time.</p>\n'
            '</div>\n</div>') in html
    assert '<div class="care-card care-urgent" id="care-2">\n<p class="care-title">Urgent advice</p>' in html
    assert ('<p class="care-title"><span class="visually-hidden">Immediate action required: </span>Call now</p>'
            in html)
    assert '<p class="care-call"><a href="tel:999">Call 999</a></p>\n</div>\n</div>' in html


def test_the_old_urgent_callout_is_an_urgent_care_card(site):
    site.write("content/first.md", article("First", "::: urgent Get help\nCall us.\n:::\n"))
    site.build()
    html = body_of(site.html("articles/first/"))
    assert '<div class="care-card care-urgent" id="care-1">' in html
    assert '<span class="visually-hidden">Urgent advice: </span>Get help</p>' in html


def test_the_emergency_number_is_dialled_as_written_in_site_toml(site):
    site.write("site.toml", MINIMAL_CONFIG.replace("[organisation]", 'emergency_number = "+44 20 7946 0000"\n\n'
                                                                     "[organisation]"))
    site.write("content/first.md", article("First", "::: care emergency\nCall.\n:::\n"))
    site.build()
    assert '<a href="tel:+442079460000">Call +44 20 7946 0000</a>' in site.html("articles/first/")


def test_the_site_wide_card_is_placed_with_one_line_and_says_the_same_on_every_page(site):
    site.write("site.toml", CARD_CONFIG)
    site.write("content/first.md", article("First", "Intro [@lee2019].\n\n## When to get help\n\n"
                                                    "{{ when-to-get-help }}\n\n## More\n\nText.\n"))
    site.write("content/second.md", article("Second", "## Help\n\n{{when-to-get-help}}\n\n## After\n"))
    site.build()
    first, second = site.html("articles/first/"), site.html("articles/second/")

    def card(html: str) -> str:
        return html.split('<div class="help-card" id="help-card">', 1)[1].split("\n</div>\n<h2", 1)[0]

    assert 'care-emergency' in card(first) and "Call 999 now if you suddenly cannot move your legs" in card(first)
    assert 'care-urgent' in card(first)
    # the card's citation takes the page's next number: 2 on the first page, 1 on the second
    assert re.sub(r"Reference \d|#ref-\d|>\d<", "", card(first)) == re.sub(r"Reference \d|#ref-\d|>\d<", "",
                                                                             card(second))
    assert 'href="#ref-2" aria-label="Reference 2">2</a>' in card(first)
    assert 'href="#ref-1" aria-label="Reference 1">1</a>' in card(second)
    assert "A study of things" in first.split('id="references"', 1)[1]


def test_a_phone_sees_a_pointer_to_the_urgent_advice_before_the_first_section(site):
    site.write("site.toml", CARD_CONFIG)
    site.write("content/first.md", article("First", "## Start\n\nText.\n\n## Help\n\n{{ when-to-get-help }}\n",
                                           key_points='["One point."]'))
    site.write("content/second.md", article("Second", "::: care non-urgent\nLater.\n:::\n"))
    site.build()
    html = site.html("articles/first/")
    jump = html.index('<div class="care-jump" id="care-jump"')
    assert html.index("</h1>") < jump < html.index('class="key-points"') < html.index('id="start"')
    assert ('<a href="#help-card">who to contact, and how fast</a>. In an emergency, call '
            '<a href="tel:999">999</a>.') in html
    assert "minute read" in html and "Key points" in html
    assert "care-jump" not in site.html("articles/second/")  # non-urgent advice only: no pointer


def test_placing_the_card_without_one_in_site_toml_or_twice_is_a_located_error(site):
    site.write("content/first.md", article("First", "Text.\n\n{{ when-to-get-help }}\n"))
    with pytest.raises(SiteError) as caught:
        site.build()
    (found,) = caught.value.diagnostics
    lines = (site.root / "content/first.md").read_text().splitlines()
    assert (found.location.line, found.location.col, found.rule) == (lines.index("{{ when-to-get-help }}") + 1,
                                                                     1, "care/invalid")
    assert "site.toml has no 'when_to_get_help'" in found.message

    site.write("site.toml", CARD_CONFIG)
    site.write("content/first.md", article("First", "{{ when-to-get-help }}\n\n## A\n\n{{ when-to-get-help }}\n"))
    with pytest.raises(SiteError) as caught:
        site.build()
    assert [d.rule for d in caught.value.diagnostics] == ["care/invalid"]
    assert "already placed on this page" in caught.value.diagnostics[0].message


def test_an_unknown_level_and_an_emergency_card_without_a_number_are_located_errors(site):
    site.write("content/first.md", article("First", "Text.\n\n::: care severe Oh no\nText.\n:::\n"))
    site.write("content/second.md", article("Second", "::: care emergency\nCall.\n:::\n"))
    with pytest.raises(SiteError) as caught:
        site.build()
    found = sorted((d.location.path.name, d.location.line, d.message) for d in caught.value.diagnostics)
    first = (site.root / "content/first.md").read_text().splitlines()
    second = (site.root / "content/second.md").read_text().splitlines()
    assert [where[:2] for where in found] == [("first.md", first.index("::: care severe Oh no") + 1),
                                              ("second.md", second.index("::: care emergency") + 1)]
    found = [(line, message) for _, line, message in found]
    assert found[0][1].startswith("unknown care level 'severe': write '::: care emergency'")
    assert "site.toml has no 'emergency_number'" in found[1][1]


def test_a_bad_emergency_number_is_a_config_error_at_its_line(site):
    site.write("site.toml", MINIMAL_CONFIG.replace("[organisation]", 'emergency_number = "call 999"\n\n'
                                                                     "[organisation]"))
    result = run_cli("build", str(site.root), "--out", str(site.out))
    assert result.code == 1
    line = MINIMAL_CONFIG.splitlines().index("[organisation]") + 1
    assert f"site.toml:{line}:" in result.err and "'emergency_number' must be a phone number" in result.err


def _heading_after(site) -> list[int]:
    result = run_cli("check", str(site.root), "--format", "json")
    return [f["line"] for f in json.loads(result.out) if f["rule"] == "care/heading-after"]


def test_check_warns_when_the_text_after_a_care_card_does_not_start_with_a_heading(site):
    site.write("site.toml", CARD_CONFIG)
    site.write("content/first.md", article("First", """\
    ::: care urgent Call your team
    Today.
    :::
    This paragraph looks like part of the card.

    ## Fine

    {{ when-to-get-help }}

    - a list after the card

    ::: care non-urgent
    Later.
    :::
    """))
    lines = (site.root / "content/first.md").read_text().splitlines()
    assert _heading_after(site) == [lines.index("This paragraph looks like part of the card.") + 1,
                                    lines.index("- a list after the card") + 1]


def test_no_warning_when_a_heading_follows_or_the_card_ends_the_page(site):
    site.write("content/first.md", article("First", "::: care urgent\nToday.\n:::\n\n## Next\n\nText.\n\n"
                                                    "::: care non-urgent\nLater.\n:::\n"))
    assert _heading_after(site) == []
