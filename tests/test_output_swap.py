"""The swap of the output folder: never a moment without a site, written through a symlinked output folder,
readable as any folder the user makes, and staging folders of killed builds removed once provably dead."""

from __future__ import annotations

import errno
import os
import shutil
import socket
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

import pytest

from carepages.errors import OutputError
from carepages.pipeline import load_site, render
from carepages.render.jobs import OutputFile
from carepages.write import output
from carepages.write.output import MARKER, update_site

from .sitekit import ROOT, article, tree_bytes

LINUX = sys.platform.startswith("linux")


def beside(folder: Path) -> list[str]:
    """The staging folders and owner files next to `folder`."""
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


def modes(folder: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(folder.stat().st_mode) & 0o777}
    for path in folder.rglob("*"):
        found[path.relative_to(folder).as_posix()] = stat.S_IMODE(path.stat().st_mode) & 0o777
    return found


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    previous = os.umask(0o022)

    def set_to(value: int) -> None:
        os.umask(value)

    yield set_to
    os.umask(previous)


# --- permissions -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_output_has_the_umask_modes_after_a_first_build_and_a_rebuild(site, umask, mask):
    umask(mask)
    site.write("content/second.md", article("Second"))
    expected_dir, expected_file = 0o777 & ~mask, 0o666 & ~mask
    for _ in range(2):  # the first build renames the staging folder in; the rebuild exchanges it
        site.build()
        found = modes(site.out)
        assert found["."] == expected_dir
        assert {name: mode for name, mode in found.items() if (site.out / name).is_dir()} == {
            name: expected_dir for name in found if (site.out / name).is_dir()}
        assert {name: mode for name, mode in found.items() if (site.out / name).is_file()} == {
            name: expected_file for name in found if (site.out / name).is_file()}
        assert "static/css/site.css" in found and "articles/second/index.html" in found


def test_update_in_place_gives_new_files_and_folders_the_umask_modes(site, umask):
    umask(0o027)
    site.build()
    site.write("content/third.md", article("Third"))
    update_site(render(load_site(site.root)), site.out)
    assert stat.S_IMODE((site.out / "articles/third").stat().st_mode) == 0o750
    assert stat.S_IMODE((site.out / "articles/third/index.html").stat().st_mode) == 0o640


# --- present at every instant ------------------------------------------------------------------------------

def watch_output(monkeypatch, out: Path) -> list[tuple[str, str | None]]:
    """Record, before and after every step that changes the file system, which site `out` shows."""
    seen: list[tuple[str, str | None]] = []

    def shows() -> str | None:
        index = out / "index.html"
        return index.read_text(encoding="utf-8") if index.is_file() and (out / MARKER).is_file() else None

    def watched(name: str, function):
        def step(*args, **kwargs):
            seen.append((f"before {name}", shows()))
            try:
                return function(*args, **kwargs)
            finally:
                seen.append((f"after {name}", shows()))
        return step

    for module, name in [(os, "rename"), (os, "replace"), (os, "mkdir"), (os, "rmdir"), (os, "unlink"),
                         (shutil, "rmtree"), (output, "_exchange")]:
        monkeypatch.setattr(module, name, watched(name, getattr(module, name)))
    return seen


@pytest.mark.skipif(not LINUX, reason="renameat2 is Linux only; elsewhere the fallback's window is documented")
def test_the_output_folder_is_there_at_every_step_of_a_rebuild(site, monkeypatch):
    site.build()
    old = (site.out / "index.html").read_text(encoding="utf-8")
    # (a text of site.toml: the whole site is built again; a tagline would re-render in place from kept jobs)
    site.write("site.toml", site.root.joinpath("site.toml").read_text().replace("Test disclaimer text.",
                                                                                "A new disclaimer."))
    seen = watch_output(monkeypatch, site.out)
    site.build()
    new = (site.out / "index.html").read_text(encoding="utf-8")
    assert old != new
    assert [step for step, shown in seen if shown is None] == []  # a site at every step
    assert {shown for _, shown in seen} == {old, new}
    # the old site is shown up to the exchange, the new one from the exchange on
    flip = seen.index(("after _exchange", new))
    assert seen[flip - 1] == ("before _exchange", old)
    assert all(shown == old for _, shown in seen[:flip]) and all(shown == new for _, shown in seen[flip:])
    assert beside(site.out) == []


def test_without_the_exchange_the_two_renames_still_end_with_the_new_site(site, monkeypatch):
    site.build()
    site.write("content/second.md", article("Second"))
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)  # another system, or a file system without it
    seen = watch_output(monkeypatch, site.out)
    site.build()
    assert (site.out / "articles/second/index.html").is_file()
    assert [step for step, shown in seen if shown is None] == ["after rename", "before rename"]  # the documented window
    assert beside(site.out) == []


@pytest.mark.skipif(not LINUX, reason="renameat2 is Linux only")
def test_exchange_swaps_two_folders(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("from a")
    (b / "y").write_text("from b")
    assert output._exchange(a, b) is True
    assert (a / "y").read_text() == "from b" and (b / "x").read_text() == "from a"
    with pytest.raises(OSError) as info:
        output._exchange(a, tmp_path / "missing")
    assert info.value.errno == errno.ENOENT


def page(data: bytes) -> OutputFile:
    return OutputFile("", PurePosixPath("index.html"), data)


def run_killed_build(out: Path, when: str) -> None:
    """Run a build in another process that dies (os._exit, like a kill) just before or after the exchange."""
    script = textwrap.dedent(f"""
        import os
        from pathlib import Path, PurePosixPath
        from carepages.render.jobs import OutputFile
        from carepages.write import output

        real = output._exchange
        def dying(a, b):
            if {when!r} == "after":
                real(a, b)
            os._exit(9)
        output._exchange = dying
        output.write_site([OutputFile("", PurePosixPath("index.html"), b"new site")], Path({str(out)!r}))
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 9, done.stderr


@pytest.mark.skipif(not LINUX, reason="renameat2 is Linux only")
@pytest.mark.parametrize(("when", "shown"), [("before", b"old site"), ("after", b"new site")])
def test_a_build_killed_at_the_swap_leaves_a_site_and_the_next_build_cleans_up(tmp_path, when, shown):
    out = tmp_path / "_site"
    output.write_site([page(b"old site")], out)
    run_killed_build(out, when)
    assert (out / "index.html").read_bytes() == shown
    left = beside(out)
    assert len(left) == 2 and left[1] == left[0] + ".owner"  # the staging folder, and the proof it is ours
    output.write_site([page(b"third")], out)
    assert beside(out) == []
    assert (out / "index.html").read_bytes() == b"third"


# --- a symlinked output folder -----------------------------------------------------------------------------

@pytest.fixture
def linked(site, tmp_path) -> Path:
    """`_site` is a relative link to an empty folder on the web server's side, as in a deployment."""
    www = tmp_path / "srv" / "www"
    www.mkdir(parents=True)
    os.symlink(os.path.relpath(www, site.root), site.out)
    return www


def test_build_writes_through_a_symlinked_output_folder(site, linked):
    site.build()
    first = tree_bytes(linked)
    assert site.out.is_symlink() and site.out.resolve() == linked.resolve()
    assert (linked / MARKER).is_file() and (linked / "articles/first/index.html").is_file()

    site.write("content/second.md", article("Second"))
    site.build()
    assert site.out.is_symlink() and site.out.resolve() == linked.resolve()  # the link is never changed
    assert (linked / "articles/second/index.html").is_file()
    assert tree_bytes(linked) != first
    assert beside(linked) == [] and beside(site.out) == []  # staging went beside the target, and is gone


def test_update_writes_through_a_symlinked_output_folder(site, linked):
    site.build()
    site.write("content/second.md", article("Second"))
    result = update_site(render(load_site(site.root)), site.out)
    assert "articles/second/" in result.written
    assert site.out.is_symlink() and (linked / "articles/second/index.html").is_file()


def test_an_update_never_writes_through_a_linked_folder_inside_the_output(site, tmp_path):
    """A folder inside the output replaced by a link that leads out of it (by a person or another program):
    the preview's update in place refuses to write through it, and the folder it leads to is untouched."""
    site.build()
    elsewhere = tmp_path / "elsewhere"
    shutil.move(site.out / "articles", elsewhere)
    os.symlink(elsewhere, site.out / "articles")
    before = tree_bytes(elsewhere)
    site.write("content/first.md", article("First article", "New text.\n"))
    refused = r"refusing to write outside the output folder: articles/first/ \[output/refused\]"
    with pytest.raises(OutputError, match=refused):
        update_site(render(load_site(site.root)), site.out)
    assert tree_bytes(elsewhere) == before


def test_a_page_staged_beside_its_file_is_refused_through_a_linked_folder(site, tmp_path):
    """The quick rebuilds (an edit of a page or a template) stage each file beside the one it replaces, on
    worker processes: a folder on its way that leads out of the output is refused, and nothing is written."""
    site.build()
    elsewhere = tmp_path / "elsewhere"
    shutil.move(site.out / "articles", elsewhere)
    os.symlink(elsewhere, site.out / "articles")
    before = tree_bytes(elsewhere)
    with pytest.raises(OutputError, match="refusing to write outside the output folder: articles/first/index.html"
                                          r" \[output/refused\]"):  # (the rule of every such refusal)
        output.stage_beside(site.out, PurePosixPath("articles/first/index.html"), b"<p>new</p>")
    with pytest.raises(OutputError, match="refusing to write outside the output folder"):
        output.stage_beside(site.out, PurePosixPath("../escaped/index.html"), b"<p>new</p>")
    assert tree_bytes(elsewhere) == before and not (site.root / "escaped").exists()
    inside = output.stage_beside(site.out, PurePosixPath("topics/index.html"), b"<p>new</p>")  # a real folder
    assert inside.temporary is not None and Path(inside.temporary).read_bytes() == b"<p>new</p>"


def test_a_link_to_a_folder_not_made_by_carepages_is_refused(site, linked):
    (linked / "precious.txt").write_text("someone's notes")
    with pytest.raises(OutputError, match=r"a link to .* was not made by carepages"):
        site.build()
    with pytest.raises(OutputError, match="was not made by carepages"):
        update_site(render(load_site(site.root)), site.out)
    assert os.listdir(linked) == ["precious.txt"]


@pytest.mark.parametrize(("target", "says"), [
    ("content", "is the content folder"),
    (".", "is the site folder"),
    ("..", "contains the site folder"),
    ("/", "file system root"),
])
def test_a_link_to_a_protected_folder_is_refused(site, target, says):
    os.symlink(Path("/") if target == "/" else (site.root / target).resolve(), site.out)
    with pytest.raises(OutputError, match="a link to") as info:
        site.build()
    assert says in info.value.message
    assert (site.root / "content" / "first.md").is_file()


def test_a_link_placed_inside_content_is_refused(site, tmp_path):
    (tmp_path / "www").mkdir()
    os.symlink(tmp_path / "www", site.root / "content" / "_site")
    import carepages

    with pytest.raises(OutputError, match="inside the content folder"):
        carepages.build(site.root, site.root / "content" / "_site")


def test_a_dangling_link_is_refused_and_nothing_is_created(site, tmp_path):
    missing = tmp_path / "srv" / "www"
    os.symlink(missing, site.out)
    with pytest.raises(OutputError, match=r"is a link to '.*www', which does not exist; create that folder"):
        site.build()
    with pytest.raises(OutputError, match="which does not exist"):
        update_site(render(load_site(site.root)), site.out)
    assert not missing.exists() and not missing.parent.exists()
    assert site.out.is_symlink()


def test_a_link_loop_is_refused(site):
    os.symlink(site.out, site.out)
    with pytest.raises(OutputError, match="a loop"):
        site.build()


# --- staging folders left by killed builds -----------------------------------------------------------------

def dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    return int(done.stdout)  # the process has ended and been waited for


def fake_staging(out: Path, name: str, pid: int, **fields: str) -> Path:
    """A staging folder with a file in it and, unless owner=None, its owner file."""
    staging = out.with_name(f".{out.name}.{output.STAGING}-{name}")
    staging.mkdir()
    (staging / "index.html").write_text("half a site")
    text = fields.pop("text", output.OWNER_TEXT)
    record = {"pid": str(pid), "host": socket.gethostname(), "boot": output._boot_id() or "-",
              "start": output._start_time(pid) or "-", **fields}
    lines = [text, *(f"{key} {value}" for key, value in record.items())]
    owner = output._owner(staging)
    owner.write_text("\n".join(lines) + "\n")
    return staging


def test_the_next_build_removes_only_staging_folders_it_can_prove_are_its_own_and_dead(site):
    site.build()
    out, dead, me = site.out, dead_pid(), os.getpid()
    day_ago = time.time() - output.STALE_AFTER - 60
    removed = {
        "dead": fake_staging(out, f"{dead}-aa", dead),
        "reused pid": fake_staging(out, f"{me}-ab", me, start="1"),  # our pid, but not our start time
        "other boot": fake_staging(out, f"{me}-ac", me, boot="another-boot"),
        "old, other host": fake_staging(out, f"{me}-ad", me, host="elsewhere"),
    }
    os.utime(output._owner(removed["old, other host"]), (day_ago, day_ago))
    # (a later build of the same folder) leaves the owner file only: that goes too
    gone_folder = fake_staging(out, f"{dead}-ae", dead)
    shutil.rmtree(gone_folder)
    kept = {
        "alive": fake_staging(out, f"{me}-ba", me),
        "recent, other host": fake_staging(out, f"{dead}-bb", dead, host="elsewhere"),
        "not our text": fake_staging(out, f"{dead}-bc", dead, text="something else"),
        "name and pid disagree": fake_staging(out, f"{dead}-bd", me),
    }
    lookalike = out.with_name(f".{out.name}.{output.STAGING}-{dead}-be")  # no owner file: never touched
    lookalike.mkdir()
    (lookalike / "notes.txt").write_text("not ours")
    linked_owner = fake_staging(out, f"{dead}-bf", dead)  # an owner file that is a link is not proof
    real_owner = linked_owner.parent / "elsewhere.owner"
    output._owner(linked_owner).rename(real_owner)
    output._owner(linked_owner).symlink_to(real_owner)

    site.build()
    for why, folder in removed.items():
        assert not folder.exists() and not output._owner(folder).exists(), why
    assert not output._owner(gone_folder).exists()
    for why, folder in kept.items():
        assert (folder / "index.html").is_file() and output._owner(folder).is_file(), why
    assert (lookalike / "notes.txt").read_text() == "not ours"
    assert (linked_owner / "index.html").is_file()
    assert (out / "index.html").is_file()


def test_a_staging_folder_of_a_running_build_stays_until_that_build_ends(tmp_path):
    out = tmp_path / "_site"
    out.mkdir()
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        staging = fake_staging(out, f"{child.pid}-aa", child.pid)
        assert output.remove_stale_staging(out) == []
        assert staging.is_dir()
    finally:
        child.kill()
        child.wait()
    assert output.remove_stale_staging(out) == [staging]
    assert beside(out) == []


def test_cleanup_puts_back_a_site_left_between_the_fallbacks_two_renames(tmp_path):
    out = tmp_path / "_site"
    out.mkdir()
    dead = dead_pid()
    staging = fake_staging(out, f"{dead}-aa", dead)
    out.rename(output._retired(staging))  # killed after output -> .old, before staging -> output
    (output._retired(staging) / "index.html").write_text("old site")
    assert output.remove_stale_staging(out) == [staging]
    assert (out / "index.html").read_text() == "old site"
    assert beside(out) == []
