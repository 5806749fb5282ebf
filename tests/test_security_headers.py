"""The security policy in the built output: one policy (carepages/render/headers.py) in every page's meta tag
and in the `_headers` file, pages that need nothing the policy refuses, and a README that shows what the code
writes. (That browsers keep it is tested in test_browser.py.)"""

from __future__ import annotations

import re

from carepages.render.headers import content_security_policy, security_headers

from .browserkit import site_headers
from .sitekit import ROOT, SiteDir

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def html_files(out):
    return sorted(p for p in out.rglob("*.html") if "pagefind" not in p.parts)


def test_the_headers_file_sends_every_security_header(starter_site):
    headers = site_headers(starter_site.out)
    assert headers == {name.lower(): value for name, value in security_headers()}
    policy = dict(d.split(" ", 1) for d in headers["content-security-policy"].split("; "))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self' 'wasm-unsafe-eval'"  # Pagefind's WebAssembly; no 'unsafe-inline'
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"


def test_every_page_carries_the_policy_before_anything_it_governs(starter_site):
    expected = content_security_policy(meta=True)
    assert "frame-ancestors" not in expected  # a meta tag cannot carry it: only the header does
    assert expected == content_security_policy().replace("; frame-ancestors 'none'", "")
    for path in html_files(starter_site.out):
        html = path.read_text(encoding="utf-8")
        found = META.findall(html)
        assert [value.replace("&#39;", "'") for value in found] == [expected], path
        head = html[:html.index("</head>")]
        assert head.index("http-equiv") < min(head.index(tag) for tag in ("<link", "<script")), path


def test_no_page_has_inline_script_style_or_event_handler(starter_site):
    """What a policy without 'unsafe-inline' would refuse: none of it is in the output."""
    for path in html_files(starter_site.out):
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"<[a-z][^>]*\sstyle=", html), path
        assert "<style" not in html, path
        assert not re.search(r"<[a-z][^>]*\son[a-z]+=", html), path
        for attributes in re.findall(r"<script([^>]*)>", html):
            assert 'type="application/ld+json"' in attributes or " src=" in attributes, (path, attributes)
        assert "javascript:" not in html, path


def test_a_site_at_its_root_gets_the_same_headers(site: SiteDir):
    site.build()
    assert site_headers(site.out) == {name.lower(): value for name, value in security_headers()}


def test_the_readme_shows_what_the_code_writes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, value in security_headers():
        assert f"  {name}: {value}\n" in readme, name  # the _headers example
        assert f'add_header {name} "{value}" always;' in readme, name  # nginx
        assert f'Header always set {name} "{value}"' in readme, name  # Apache
