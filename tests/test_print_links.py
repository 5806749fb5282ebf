"""The full address a printout shows after a link (`data-print-href`), decided when the page is rendered:
links to the site's own pages and files get base_url's host and sub-path; in-page links and links to other
sites get none (the stylesheet prints an outside link's own href)."""

from __future__ import annotations

import re

from .sitekit import SiteDir, article

BODY = """\
[Other](second.md), [its part](second.md#part), [topics](/topics/), [here](#top), [web](https://nhs.example/x),
[mail](mailto:a@example.org) and a citation [@smith2020].
"""


def print_addresses(html: str) -> dict[str, str]:
    return dict(re.findall(r'<a href="([^"]*)" data-print-href="([^"]*)"', html))


def test_links_to_site_pages_carry_their_full_address(site: SiteDir):
    site.write("content/first.md", article("First", BODY))
    site.write("content/second.md", article("Second", "## Part\n\nText.\n"))
    site.build()
    html = site.html("articles/first/")
    assert print_addresses(html) == {
        "/info/articles/second/": "https://example.org/info/articles/second/",
        "/info/articles/second/#part": "https://example.org/info/articles/second/#part",
        "/info/topics/": "https://example.org/info/topics/",
    }
    assert html.count("data-print-href=") == 3  # none on #top, the outside link, mail or the citation


def test_site_texts_links_carry_it_too(site: SiteDir):
    config = (site.root / "site.toml").read_text(encoding="utf-8")
    site.write("site.toml", config.replace('emergency = "Call 999 in an emergency."',
                                           'emergency = "Call 999, or see [urgent care](first.md)."'))
    site.build()
    assert print_addresses(site.html(""))["/info/articles/first/"] == "https://example.org/info/articles/first/"
