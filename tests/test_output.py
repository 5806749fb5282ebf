"""Nothing lost: the output folder is replaced only by a complete build, and only if carepages made it."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from carepages.errors import OutputError, SiteError
from carepages.routes import output_file
from carepages.write import output

from .sitekit import article, tree_bytes


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


def test_full_disk_while_writing_keeps_the_previous_site(site, monkeypatch):
    site.build()
    before = tree_bytes(site.out)
    site.write("content/second.md", article("Second"))
    written = []
    real_write = Path.write_bytes

    def fill_up(self: Path, data: bytes) -> int:
        written.append(self)
        if len(written) > 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", fill_up)
    with pytest.raises(OutputError, match="No space left on device"):
        site.build()
    assert tree_bytes(site.out) == before
    assert leftovers(site.out) == []


def test_failure_while_swapping_keeps_the_old_site(site, monkeypatch):
    site.build()
    before = tree_bytes(site.out)

    def broken_exchange(a: Path, b: Path) -> bool:
        raise OSError(errno.EIO, "Input/output error", str(b))

    monkeypatch.setattr(output, "_exchange", broken_exchange)
    with pytest.raises(OutputError, match="Input/output error"):
        site.build(cache=False)  # nothing changed: with its cache, the build would not write at all
    assert tree_bytes(site.out) == before
    assert leftovers(site.out) == []


def test_failure_while_swapping_without_exchange_puts_the_old_site_back(site, monkeypatch):
    site.build()
    before = tree_bytes(site.out)
    real_rename = os.rename

    def flaky(source, target):
        if output.STAGING in os.fspath(source) and not os.fspath(source).endswith(output.RETIRED_SUFFIX):
            raise OSError(errno.EIO, "Input/output error", str(source))
        return real_rename(source, target)

    monkeypatch.setattr(output, "_exchange", lambda a, b: False)  # another system: two renames
    monkeypatch.setattr(os, "rename", flaky)
    with pytest.raises(OutputError):
        site.build(cache=False)  # nothing changed: with its cache, the build would not write at all
    assert tree_bytes(site.out) == before
    assert leftovers(site.out) == []


def test_output_folder_not_made_by_carepages_is_never_replaced(site):
    site.out.mkdir()
    (site.out / "precious.txt").write_text("someone's notes")
    with pytest.raises(OutputError, match="was not made by carepages"):
        site.build()
    assert (site.out / "precious.txt").read_text() == "someone's notes"


def test_empty_folder_may_be_used(site):
    site.out.mkdir()
    site.build()
    assert (site.out / ".carepages-output").is_file()


@pytest.mark.parametrize(("target", "says"), [
    ("content", "is the content folder"),
    (".", "is the site folder"),
    ("..", "contains the site folder"),
    ("/", "file system root"),
    ("templates", "is the templates folder"),
])
def test_dangerous_output_folders_are_refused(site, target, says):
    site.write("templates/extra.html", "x")
    out = Path("/") if target == "/" else site.root / target
    with pytest.raises(OutputError) as info:
        import carepages

        carepages.build(site.root, out)
    assert says in info.value.message  # the message names the folder that would be lost
    assert (site.root / "content" / "first.md").is_file()


def test_output_inside_content_is_refused(site):
    import carepages

    with pytest.raises(OutputError, match="inside the content folder"):
        carepages.build(site.root, site.root / "content" / "_site")


def test_output_dir_from_site_toml_cannot_be_the_project(site):
    site.write("site.toml", site.root.joinpath("site.toml").read_text().replace(
        'language = "en-GB"', 'language = "en-GB"\noutput_dir = "."'))
    import carepages

    with pytest.raises(SiteError, match="is the site folder") as info:  # site.toml's reader may see it first
        carepages.build(site.root)
    assert info.value.rule == "output/refused"


@pytest.mark.parametrize("route", ["../x", "a/../../x", "/etc/passwd", "c:/x", "a\\..\\b", "x\x00y"])
def test_routes_cannot_leave_the_output_folder(route):
    with pytest.raises(OutputError):
        output_file(route)


def test_symlink_out_of_the_site_is_refused(site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not publish")
    os.symlink(secret, site.root / "content" / "leak.txt")
    with pytest.raises(SiteError, match="outside the site") as info:
        site.build()
    assert [d.rule for d in info.value.diagnostics] == ["file/outside-site"]


def test_symlinked_folder_out_of_the_site_is_refused(site, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", site.root / "content" / "more")
    with pytest.raises(SiteError, match="outside the site") as info:
        site.build()
    assert [d.rule for d in info.value.diagnostics] == ["file/outside-site"]


def test_links_and_images_cannot_reach_outside_content(site):
    site.write("content/first.md", article("First", body="![x](../../etc/passwd) and [y](../site.toml)\n"))
    with pytest.raises(SiteError) as info:
        site.build()
    messages = [d.message for d in info.value.diagnostics]
    assert messages == ["image to '../../etc/passwd' leads outside the content folder",
                        "link to '../site.toml' leads outside the content folder"]


def test_build_is_the_same_whatever_order_the_file_system_lists(site, tmp_path, monkeypatch):
    for name in ("b", "a", "d", "c"):
        site.write(f"content/{name}.md", article(f"Page {name}", body=f"Text [@smith2020] {name}.\n"))
    site.build()
    first = tree_bytes(site.out)
    real_walk = os.walk

    def reversed_walk(top, *args, **kwargs):
        for folder, dirs, files in real_walk(top, *args, **kwargs):
            dirs.reverse()
            files.reverse()
            yield folder, dirs, files

    monkeypatch.setattr(os, "walk", reversed_walk)
    import carepages

    carepages.build(site.root, tmp_path / "second", search=False)
    assert tree_bytes(tmp_path / "second") == first


@pytest.mark.parametrize(("markdown", "message"), [
    ("![x](https://tracker.example/pixel.png)", "image 'https://tracker.example/pixel.png' must be a file in content/"),
    ("![x](/etc/passwd)", "image '/etc/passwd' must be a file in content/"),
    ("![x](C:/Users/me/scan.png)", "image to 'C:/Users/me/scan.png' looks like a path on one computer"),
    ("[report](C:\\\\Users\\\\me\\\\report.pdf)", "looks like a path on one computer"),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "link to a 'data:' address is not allowed"),
    ("[x](JavaScript:alert(1))", "link to a 'javascript:' address is not allowed"),
])
def test_unsafe_or_private_addresses_are_refused(site, markdown, message):
    site.write("content/first.md", article("First", body=markdown + "\n"))
    with pytest.raises(SiteError) as info:
        site.build()
    assert message in info.value.diagnostics[0].message
    assert info.value.diagnostics[0].location.line == 12
