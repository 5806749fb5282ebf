"""The command line's own errors end with their rule id, as the README's rule table promises: a title `new`
cannot name a file by, a template that does not exist, an output folder that cannot be made or a disk that
is full, a port in use."""

from __future__ import annotations

import socket

import pytest

from .sitekit import run_cli


@pytest.mark.parametrize(("title", "message"), [
    ("   ", "error: the title must not be empty [new/title]"),
    ("!!!", "error: cannot make a file name from '!!!': give one with --slug [new/title]"),
])
def test_new_needs_a_title_with_letters_or_digits(site, title, message):
    result = run_cli("new", title, cwd=site.root)
    assert (result.code, result.err.splitlines()) == (1, [message, "Nothing was created."])
    assert sorted(p.name for p in (site.root / "content").iterdir()) == ["first.md", "references.yaml"]


def test_new_refuses_an_empty_topic_that_would_break_the_build(site):
    result = run_cli("new", "Fatigue", "--topic", "  ", cwd=site.root)
    assert result.code == 2
    assert result.err.splitlines()[-1] == ("carepages new: error: argument --topic: expected a topic's name, not an "
                                           "empty one")
    assert sorted(p.name for p in (site.root / "content").iterdir()) == ["first.md", "references.yaml"]
    spaced = run_cli("new", "Fatigue", "--topic", " Topic   One ", cwd=site.root)
    assert spaced.code == 0, spaced.err
    assert 'topics: ["Topic One"]' in (site.root / "content" / "fatigue.md").read_text(encoding="utf-8")


def test_a_template_that_does_not_exist_is_named_with_the_one_that_asks_for_it(site):
    site.write("templates/article.html", '{% extends "nothere.html" %}\n')
    result = run_cli("build", ".", "--no-search", cwd=site.root)
    assert result.code == 1
    assert result.err.splitlines()[0].startswith("templates/article.html: error: template 'nothere.html' not found "
                                                  "(looked in ")
    assert result.err.splitlines()[0].endswith(" [template/missing]")


def test_an_output_folder_that_cannot_be_made(site):
    site.write("blocker", "a file where a folder would go\n")
    result = run_cli("build", ".", "--no-search", "--out", "blocker/out", cwd=site.root)
    assert result.code == 1
    first, last = result.err.splitlines()
    assert first == ("blocker/out: error: cannot create the output folder: 'blocker' is a file, not a folder "
                     "[output/write]")
    assert last == "Build failed: 1 error. The previous output was left as it was."


def test_a_port_in_use_has_its_rule(site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", ".", "--port", str(port), "--no-search", cwd=site.root)
    assert result.code == 1
    assert any(line.startswith(f"error: cannot listen on 127.0.0.1:{port}") and line.endswith(" [serve/port]")
               for line in result.err.splitlines()), result.err


def test_a_full_disk_names_the_output_not_the_build_cache(site, tmp_path, monkeypatch):
    """On another disk than the cache, a page the cache kept is copied into the output; when that disk is
    full, the error names the file in the output folder (a copy's error names its source, the cache entry,
    first), and nothing is left of the half-written site."""
    import errno

    import carepages
    from carepages.errors import SiteError
    from carepages.write import output

    site.build()  # fills the cache
    other = tmp_path / "other-disk" / "site"

    def no_link(existing, target):
        raise OSError(errno.EXDEV, "Invalid cross-device link", str(existing), None, str(target))

    def full(source, target):
        raise OSError(errno.ENOSPC, "No space left on device", str(source), None, str(target))

    monkeypatch.setattr(output.os, "link", no_link)
    monkeypatch.setattr(output.shutil, "copyfile", full)
    with pytest.raises(SiteError) as failed:
        carepages.build(site.root, other, search=False)
    (diagnostic,) = failed.value.diagnostics
    assert diagnostic.message == "cannot write the site: No space left on device"
    shown = diagnostic.location.path
    assert shown.name == "index.html" and shown.is_relative_to(other)  # e.g. other/articles/first/index.html
    assert list(other.parent.iterdir()) == []


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_a_port_out_of_range_is_a_usage_error(site, port):
    result = run_cli("serve", ".", "--port", port, "--no-search", cwd=site.root)
    assert result.code == 2
    assert result.err.splitlines()[-1] == (f"carepages serve: error: argument --port: expected a port number from 0 "
                                           f"to 65535, not '{port}'")
    assert not site.out.exists()  # refused before anything was built


def test_a_host_name_that_is_no_address_here_asks_for_another_host(site, monkeypatch):
    """A --host that does not resolve is the host's fault, not the port's."""
    from carepages.errors import SiteError
    from carepages.preview import session

    def unresolved(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(session, "make_server", unresolved)
    with pytest.raises(SiteError) as failed:
        session.run_preview(session.Options(site.root, search=False, host="no.such.host.invalid", port=8123))
    assert failed.value.diagnostics[0].message == ("cannot listen on no.such.host.invalid:8123: Name or service not "
                                                   "known; try another --host")
