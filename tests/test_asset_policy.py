"""Files under content/ are served from the site's own address, so a type a browser runs (HTML, SVG, XML,
JS, CSS...) or a web server runs (PHP...) would get around "raw HTML is off": such files are refused, by any
extension of their name and in any case. The theme's static/ files are the site's own code and are not."""

from __future__ import annotations

import pytest

from carepages.discover.files import ACTIVE_SUFFIXES, active_suffix
from carepages.errors import SiteError

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>'


def refused(site) -> dict[str, str]:
    """{file name: message} of every active-content error; the build must fail and write nothing."""
    with pytest.raises(SiteError) as info:
        site.build()
    assert not site.out.exists()
    return {d.location.path.name: d.message for d in info.value.diagnostics if d.rule == "file/active-content"}


@pytest.mark.parametrize(("name", "suffix"), [
    ("diagram.svg", ".svg"), ("diagram.SVG", ".svg"), ("diagram.Svg", ".svg"), ("diagram.svgz", ".svg"),
    ("page.html", ".html"), ("page.Html", ".html"), ("page.HTM", ".htm"), ("page.xhtml", ".xhtml"),
    ("page.xht", ".xht"), ("page.shtml", ".shtml"), ("page.mhtml", ".mhtml"),
    ("data.xml", ".xml"), ("style.xsl", ".xsl"), ("style.xslt", ".xslt"), ("news.rss", ".rss"),
    ("app.js", ".js"), ("app.mjs", ".mjs"), ("app.wasm", ".wasm"), ("old.swf", ".swf"),
    ("theme.css", ".css"), ("shell.php", ".php"), ("shell.phtml", ".phtml"), ("run.cgi", ".cgi"),
    ("diagram.svg.png", ".svg"), ("page.html.txt", ".html"), ("shell.php.jpg", ".php"), ("x.png.svg", ".svg"),
    ("diagram.svg.", ".svg"), ("diagram.svg ", ".svg"), ("diagram.svg::$DATA", ".svg"),
])
def test_active_suffix_sees_every_extension_in_any_case(name, suffix):
    assert active_suffix(name) in {suffix, suffix + "z"}


@pytest.mark.parametrize("name", ["leaflet.pdf", "scan.png", "scan.JPG", "scan.webp", "scan.avif", "notes.txt",
                                  "table.csv", "data.json", "README", "what-is.html-guide.pdf", "report.2024.pdf",
                                  "svg", "html.png", "x.svgthing"])
def test_inert_types_are_not_active(name):
    assert active_suffix(name) is None


def test_every_active_type_in_content_is_refused_with_a_located_reason(site):
    names = [f"file{suffix}" for suffix in sorted(ACTIVE_SUFFIXES)]
    for name in names:
        site.write(f"content/files/{name}", SVG)
    found = refused(site)
    assert sorted(found) == sorted(names)
    assert found["file.svg"] == (
        "refusing to publish 'file.svg', an SVG image (.svg): SVG can carry script, which runs as this site when "
        "the file is opened. Files in content/ are served from the site's own address, so only inert types are "
        "published; use a PDF or an image (PNG, JPEG, WebP) instead")
    assert found["file.css"].startswith("refusing to publish 'file.css', a stylesheet (.css): the site's styles "
                                        "belong in static/")
    assert found["file.php"].startswith("refusing to publish 'file.php', a server program (.php): some web "
                                        "servers run it")


@pytest.mark.parametrize("name", ["diagram.SVG", "Page.Html", "diagram.svg.png", "page.html.txt", "deep/a/b/x.Js",
                                  "x.svg."])
def test_case_and_double_extensions_do_not_get_through(site, name):
    site.write(f"content/{name}", SVG)
    assert list(refused(site)) == [name.rsplit("/", 1)[-1]]


def test_an_svg_image_in_a_page_is_refused_with_the_file_named(site):
    site.write("content/diagram.svg", SVG)
    site.write("content/first.md", (site.root / "content" / "first.md").read_text(encoding="utf-8")
               + "\n![A diagram of the spine](diagram.svg)\n")
    assert list(refused(site)) == ["diagram.svg"]


def test_inert_files_are_still_published(site):
    files = {"leaflet.pdf": b"%PDF-1.4", "scan.png": b"\x89PNG", "notes.txt": b"text", "table.csv": b"a,b",
             "data.json": b"{}", "what-is.html-guide.pdf": b"%PDF-1.4"}
    for name, data in files.items():
        site.write(f"content/{name}", data)
    site.build()
    for name, data in files.items():
        assert (site.out / name).read_bytes() == data


def test_the_theme_static_folder_is_trusted_code(site):
    site.write("static/js/extra.js", b"console.log('site code');")
    site.write("static/css/extra.css", b"body { color: black; }")
    site.write("static/img/logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    site.build()
    assert (site.out / "static" / "js" / "extra.js").is_file()
    assert (site.out / "static" / "css" / "extra.css").is_file()
    assert (site.out / "static" / "img" / "logo.svg").is_file()
