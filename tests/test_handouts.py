"""PDF handouts (`build --handouts`): one PDF per article that a clinic can print and hand over, linked from
the article, with everything the page says, the clinic's contact, the page's address and a QR code back to it.
Read back as a patient's printer or phone would: the PDF's text with pypdf, its QR code with zxing-cpp."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys

import pytest

from carepages.cli import main
from carepages.errors import SiteError

from .sitekit import BIBLIOGRAPHY, MINIMAL_CONFIG, ROOT, SiteDir, article, tree_bytes

BODY = """\
Scans are safe [@smith2020]. Read [the other article](second.md) before your visit.

![The scanner, seen from the side](images/scanner.png)

::: urgent Get help now
Call 999 if you cannot move your legs.
:::

## What happens

| Step | Time |
|---|---|
| Check-in | 10 minutes |
"""
FIRST = article("Your spine scan", BODY, summary="What happens at a spine MRI scan.",
                key_points='["You lie still for about 30 minutes."]',
                faq='[{question: "Will it hurt?", answer: "No. The scan is painless [@lee2019]."}]')
A4 = (595, 842)
LETTER = (612, 792)


def png(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def write_site(site: SiteDir, config: str = MINIMAL_CONFIG) -> SiteDir:
    site.write("site.toml", config)
    site.write("content/images/scanner.png", png(64, 24))
    site.write("content/references.yaml", BIBLIOGRAPHY)
    site.write("content/first.md", FIRST)
    site.write("content/second.md", article("Second article", "Text.\n"))
    site.write("content/about.md", article("About us", "We are a clinic.\n", layout="page"))
    return site


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    """Text without white space: line breaks in a PDF fall anywhere in a long address."""
    return re.sub(r"\s+", "", text)


def paper(data: bytes) -> tuple[int, int]:
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def first_page_qr_codes(data: bytes) -> list[str]:
    """What each QR code among the images of the PDF's first page says."""
    import zxingcpp
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(data)).pages[0]
    return [code.text for image in page.images for code in zxingcpp.read_barcodes(image.image)
            if code.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> SiteDir:
    site = write_site(SiteDir(tmp_path_factory.mktemp("handouts") / "site"))
    result = site.build(handouts=True)
    assert result.handouts == 2
    return site


def test_each_article_gets_a_handout_and_links_to_it(built):
    assert sorted(p.relative_to(built.out).as_posix() for p in built.out.rglob("*.pdf")) == [
        "articles/first/handout.pdf", "articles/second/handout.pdf"]
    link = ('<a href="/info/articles/first/handout.pdf" type="application/pdf">Print-friendly handout (PDF)</a>')
    assert link in built.html("articles/first/")
    assert "handout" not in built.html("about/")  # a plain page has none


def test_the_handout_says_what_the_page_says(built):
    data = (built.out / "articles/first/handout.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    text = flat(pdf_text(data))
    for expected in (
        "Yourspinescan", "WhathappensataspineMRIscan.",  # title, summary
        "Keypoints", "Youliestillforabout30minutes.",
        "Scansaresafe", "Check-in",  # body, with its table
        "Gethelpnow", "Call999ifyoucannotmoveyourlegs",  # the urgent callout
        "Willithurt?", "No.Thescanispainless",  # questions, answers open
        "Pagelastreviewed:12January2026", "Nextreviewdue:12January2027",
        "References", "Astudyofthings", "Anotherstudy",
        "https://example.org/info/articles/first/",  # the page's address
        "(https://example.org/info/articles/second/)",  # where the link leads
        "ContactTestClinic", "Phone:01234567890", "Call999inanemergency.",
    ):
        assert expected in text, expected


def test_the_articles_images_are_in_it(built):
    from pypdf import PdfReader

    data = (built.out / "articles/first/handout.pdf").read_bytes()
    sizes = [image.image.size for image in PdfReader(io.BytesIO(data)).pages[0].images]
    assert (64, 24) in sizes  # read from the site's own file, beside the QR code


def test_an_image_weasyprint_cannot_read_is_a_warning(site):
    write_site(site)
    site.write("content/images/scanner.png", b"not a picture")
    result = site.build(handouts=True)
    assert [(d.location.path.name, d.rule) for d in result.warnings] == [("first.md", "handouts/incomplete")]
    assert "Failed to load image at 'https://example.org/info/images/scanner.png'" in result.warnings[0].message
    assert (site.out / "articles/first/handout.pdf").is_file()


def test_its_qr_code_leads_back_to_the_page(built):
    data = (built.out / "articles/first/handout.pdf").read_bytes()
    assert first_page_qr_codes(data) == ["https://example.org/info/articles/first/"]


def test_a4_by_default_with_the_pages_metadata(built):
    from pypdf import PdfReader

    data = (built.out / "articles/first/handout.pdf").read_bytes()
    assert paper(data) == A4
    info = PdfReader(io.BytesIO(data)).metadata
    assert info["/Title"] == "Your spine scan | Test Health Site"
    assert info["/Author"] == "Test Clinic"
    assert "/CreationDate" not in info  # no build time: the same input gives the same bytes


def test_us_letter_from_site_toml_and_the_same_bytes_every_build(site, tmp_path):
    write_site(site, MINIMAL_CONFIG + '\n[handouts]\npaper = "Letter"\n')
    site.build(handouts=True)
    first = tree_bytes(site.out)
    assert paper(first["articles/first/handout.pdf"]) == LETTER
    again = SiteDir(site.root)
    import carepages

    carepages.build(again.root, tmp_path / "again", search=False, handouts=True)
    assert tree_bytes(tmp_path / "again") == first


def test_an_unknown_paper_size_is_a_located_error(site):
    write_site(site, MINIMAL_CONFIG + '\n[handouts]\npaper = "A5"\n')
    with pytest.raises(SiteError) as info:
        site.build()
    assert [d.format(site.root) for d in info.value.diagnostics] == [
        "site.toml:13:1: error: 'handouts.paper' must be \"A4\" or \"letter\" (US Letter), not 'A5' "
        "[config/invalid]"]


def test_without_the_option_there_is_no_handout_and_no_pdf_library_is_loaded(site):
    write_site(site)
    script = ("import sys, carepages\n"
              f"result = carepages.build({str(site.root)!r}, {str(site.out)!r}, search=False)\n"
              "print(sorted(m for m in ('weasyprint', 'segno', 'carepages.handouts') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    assert not list(site.out.rglob("*.pdf"))
    assert "handout" not in site.html("articles/first/")


@pytest.mark.parametrize("missing", ["weasyprint", "segno"])
def test_missing_libraries_say_how_to_install_them_and_keep_the_site(site, monkeypatch, capsys, missing):
    write_site(site)
    site.build()
    before = tree_bytes(site.out)
    monkeypatch.setitem(sys.modules, missing, None)  # `import <missing>` now fails as if not installed
    monkeypatch.delitem(sys.modules, "carepages.handouts.pdf", raising=False)  # so that it is imported again
    code = main(["build", str(site.root), "--out", str(site.out), "--no-search", "--handouts"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"error: handouts need the Python packages WeasyPrint and segno, and '{missing}' is not installed" in err
    assert "python -m pip install 'carepages[handouts]'" in err and "[handouts/unavailable]" in err
    assert "Traceback" not in err and "The previous output was left as it was." in err
    assert tree_bytes(site.out) == before


def test_a_handout_that_cannot_be_made_fails_the_build_and_keeps_the_site(site, monkeypatch):
    import carepages.handouts

    write_site(site)
    site.build()
    before = tree_bytes(site.out)

    def broken(html, base_url, files):
        raise ValueError("no room on the page")

    monkeypatch.setattr(carepages.handouts, "load_renderer", lambda: broken)
    with pytest.raises(SiteError) as info:
        site.build(handouts=True)
    assert [d.format(site.root) for d in info.value.diagnostics] == [
        "content/first.md: error: the PDF handout of this page could not be made: ValueError: no room on the "
        "page [handouts/render]"]
    assert tree_bytes(site.out) == before


def test_a_content_file_at_a_handouts_address_is_a_clash(site):
    write_site(site)
    site.write("content/articles/first/handout.pdf", b"%PDF-1.4 not ours")
    with pytest.raises(SiteError) as info:
        site.build()
    assert any(d.rule == "routes/clash" and "handout of page first.md" in d.message
               for d in info.value.diagnostics)


def test_the_command_line_reports_the_handouts(built, capsys, tmp_path):
    code = main(["build", str(built.root), "--out", str(tmp_path / "out"), "--no-search", "--handouts"])
    assert code == 0  # (the module's site was built with handouts before: they are in its cache)
    assert ("Handouts: 2 PDFs, one per article (handout.pdf in its folder), 2 of them from the cache."
            in capsys.readouterr().out)
    code = main(["build", str(built.root), "--out", str(tmp_path / "out"), "--no-search", "--handouts",
                 "--no-cache"])
    assert code == 0
    assert "Handouts: 2 PDFs, one per article (handout.pdf in its folder).\n" in capsys.readouterr().out


def test_an_unchanged_handout_comes_from_the_cache_and_an_edited_one_is_made_again(site, tmp_path, monkeypatch):
    """A handout takes about a second to make: a build makes again only those whose page (or the site's files)
    changed, and they are the bytes a build without the cache makes."""
    import carepages
    import carepages.handouts

    write_site(site)
    made: list[str] = []
    real = carepages.handouts.load_renderer()

    def counting(html, base_url, files):
        made.append(base_url)
        return real(html, base_url, files)

    monkeypatch.setattr(carepages.handouts, "load_renderer", lambda: counting)
    first = site.build(handouts=True, jobs=1)
    assert (first.handouts, first.handouts_reused, len(made)) == (2, 0, 2)
    before = tree_bytes(site.out)
    again = site.build(handouts=True, jobs=1)
    assert (again.handouts, again.handouts_reused, len(made)) == (2, 2, 2)  # none made again
    assert tree_bytes(site.out) == before
    site.write("content/second.md", article("Second article", "Text, and a new sentence on ladders.\n"))
    edited = site.build(handouts=True, jobs=1)
    assert (edited.handouts_reused, made[2:]) == (1, ["https://example.org/info/articles/second/"])
    assert "ladders" in pdf_text((site.out / "articles/second/handout.pdf").read_bytes())
    for entry in (site.root / ".carepages-cache" / "handouts").rglob("*"):  # damaged: made again, never trusted
        if entry.is_file():
            entry.write_bytes(entry.read_bytes()[:100])
    shutil.rmtree(site.out)  # (else nothing has changed, and the site is kept as it is)
    damaged = site.build(handouts=True, jobs=1)
    assert (damaged.handouts_reused, len(made)) == (0, 5)
    carepages.build(site.root, tmp_path / "fresh", search=False, handouts=True, cache=False)
    assert tree_bytes(site.out) == tree_bytes(tmp_path / "fresh")


def test_handouts_are_made_again_when_the_installed_fonts_change(site, monkeypatch):
    """The fonts lay out the text: a handout kept from before a font was installed or removed is not used."""
    from carepages import fonts

    write_site(site)
    assert site.build(handouts=True).handouts_reused == 0
    again = site.build(handouts=True)
    assert again.counts.unchanged and again.handouts_reused == 2
    listed = fonts.installed_fonts()
    monkeypatch.setattr(fonts, "installed_fonts", lambda: listed + "+a new font")
    after = site.build(handouts=True)
    assert not after.counts.unchanged and after.handouts_reused == 0


def test_handouts_are_made_again_when_pango_changes(site, monkeypatch):
    """Pango lays out the text: after an upgrade, a build with handouts and nothing else changed is not
    answered from its record, and no kept handout is used."""
    from carepages import fonts

    assert fonts.pango_version()  # (the version WeasyPrint would load, read without importing it)
    write_site(site)
    site.build(handouts=True)
    again = site.build(handouts=True)
    assert again.counts.unchanged and again.handouts_reused == 2
    monkeypatch.setattr(fonts, "pango_version", lambda: "99.0.0")
    after = site.build(handouts=True)
    assert not after.counts.unchanged and after.handouts_reused == 0
    assert site.build(handouts=True).counts.unchanged  # (and then kept as before)


def test_a_handouts_build_with_nothing_changed_is_answered_at_once_and_apart_from_a_build_without(
        site, capsys):
    """The record of a build with handouts is its own: another build with them and nothing changed keeps the
    site as it is (and says so); a build without them in the same folder is a new build (the PDFs go), and the
    next build with them brings them back, each from the cache."""
    write_site(site)
    command = ["build", str(site.root), "--out", str(site.out), "--no-search"]
    assert main([*command, "--handouts"]) == 0
    capsys.readouterr()
    before = tree_bytes(site.out)
    assert main([*command, "--handouts"]) == 0
    said = capsys.readouterr().out
    assert "nothing changed since the last build" in said
    assert "Handouts: 2 PDFs, one per article (handout.pdf in its folder), 2 of them from the cache." in said
    assert tree_bytes(site.out) == before
    assert main(command) == 0
    assert "nothing changed" not in capsys.readouterr().out
    assert not list(site.out.rglob("*.pdf"))
    assert main([*command, "--handouts"]) == 0
    said = capsys.readouterr().out
    assert "nothing changed" not in said and "2 of them from the cache" in said
    assert tree_bytes(site.out) == before
