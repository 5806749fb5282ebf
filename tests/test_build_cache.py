"""The build cache and worker processes: a rebuild parses and renders only what changed, and the output is
the same bytes whichever way it was made (cold, from the cache, after an edit, on one process or several).
Speed itself is measured by bench/, not here: these tests count what was parsed and rendered."""

from __future__ import annotations

import dataclasses
import os
import pickle
import re
import shutil
import time
from pathlib import Path

import pytest

import carepages
from carepages import freshness, pipeline
from carepages.cache import Cache, engine_fingerprint
from carepages.discover import frontmatter

from .sitekit import BIBLIOGRAPHY, MINIMAL_CONFIG, SiteDir, article, run_cli, tree_bytes

ARTICLES = 40  # enough for two worker processes to get work (see parallel.MIN_TASKS_PER_WORKER)
TOPICS = ("Scans", "Sleep", "Diet")


def _article(n: int) -> str:
    topics = f"[{TOPICS[n % 3]}, {TOPICS[(n + 1) % 3]}]" if n % 4 == 0 else f"[{TOPICS[n % 3]}]"
    following = (n + 1) % ARTICLES
    body = (f"## About page {n}\n\nSee [page {following}](page-{following:02}.md#about-page-{following}) and "
            f"a study [@smith2020].\n\n- one\n- two [@lee2019, p. 4]\n\n| a | b |\n|---|---|\n| {n} | x |\n")
    return article(f"Page number {n}", body, topics=topics, summary=f"What page {n} is about.",
                   key_points=f"\n  - The first point of page {n} [@lee2019].\n  - A second point.",
                   faq=f"\n  - question: Why page {n}?\n    answer: Because [@smith2020].")


@pytest.fixture
def big(tmp_path: Path) -> SiteDir:
    return make_big(tmp_path)


def make_big(tmp_path: Path) -> SiteDir:
    """A site of ARTICLES articles in three topics, linking to each other and citing the bibliography."""
    site = SiteDir(tmp_path / "big")
    site.write("site.toml", MINIMAL_CONFIG)
    site.write("content/references.yaml", BIBLIOGRAPHY)
    for n in range(ARTICLES):
        site.write(f"content/page-{n:02}.md", _article(n))
    return site


def _build(site: SiteDir, out: Path, **kwargs) -> tuple[carepages.BuildResult, dict[str, bytes]]:
    kwargs.setdefault("search", False)
    result = carepages.build(site.root, out, **kwargs)
    return result, tree_bytes(out)


def _cold(site: SiteDir, tmp_path: Path, name: str) -> dict[str, bytes]:
    """The reference: one process, no cache."""
    return _build(site, tmp_path / name, jobs=1, cache=False)[1]


def test_serial_parallel_and_cached_builds_write_the_same_bytes(big: SiteDir, tmp_path: Path) -> None:
    reference = _cold(big, tmp_path, "serial")
    parallel, parallel_files = _build(big, tmp_path / "parallel", jobs=2)  # fills the cache
    assert parallel.counts.parsed == ARTICLES and parallel.counts.parse_reused == 0
    assert parallel_files == reference
    cached, cached_files = _build(big, tmp_path / "cached", jobs=2)
    assert cached.counts.parsed == 0 and cached.counts.parse_reused == ARTICLES
    assert cached.counts.rendered == () and cached.counts.render_reused > ARTICLES
    assert cached_files == reference


def test_a_body_edit_parses_and_renders_that_page_only(big: SiteDir, tmp_path: Path) -> None:
    _build(big, big.out, jobs=2)
    path = big.root / "content" / "page-07.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    result, files = _build(big, big.out, jobs=2)
    assert (result.counts.parsed, result.counts.rendered) == (1, ("articles/page-07/",))
    assert result.counts.edited_only and result.files == 1  # no other page read, no other file written
    assert files == _cold(big, tmp_path, "cold")


def test_the_cache_stays_the_size_of_one_build_through_edits_of_text(big: SiteDir) -> None:
    """A quick rebuild after a text edit removes the page's parse and file as they were (a full build prunes
    what it did not use; without this, every save in the preview left both behind till the next one)."""
    _build(big, big.out)
    cache = big.root / ".carepages-cache"
    before = {space: {entry.name for entry in _entries(cache, space)} for space in ("parse", "render")}
    for n in range(3):
        _edit(big, "page-07.md", "## About page 7\n", f"## About page 7\n\nSentence {n}.\n")
        assert _build(big, big.out)[0].counts.edited_only
    for space, names in before.items():
        now = {entry.name for entry in _entries(cache, space)}
        assert len(now) == len(names) and len(now - names) == 1, space  # the edited page's entry alone is new


def test_the_bibliography_and_glossary_are_read_again_only_when_they_change(
        big: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    """They are kept in the cache as read (with their warnings, which every build still reports) under the
    digest of their bytes: a rebuild after a title edit read the starter site's 90 KB of references again."""
    big.write("content/references.yaml", BIBLIOGRAPHY + "  colour: blue\n")  # an unknown field: a warning
    big.write("content/glossary.yaml", "- term: lesion\n  definition: An area of damage.\n")
    read: list[str] = []
    for name in ("load_bibliography", "load_glossary"):
        real = getattr(pipeline, name)
        monkeypatch.setattr(pipeline, name, lambda *args, real=real, name=name: read.append(name) or real(*args))
    first = _build(big, big.out)[0]
    assert sorted(set(read)) == ["load_bibliography", "load_glossary"]
    read.clear()
    _edit(big, "page-07.md", "title: Page number 7", "title: Page number seven")
    again, files = _build(big, big.out)
    assert read == [] and not again.counts.edited_only  # a full build, which read neither file
    assert [d.message for d in again.warnings] == [d.message for d in first.warnings]
    assert any("unknown CSL field" in d.message for d in again.warnings)
    big.write("content/references.yaml", BIBLIOGRAPHY.replace("Another study", "A changed study"))
    changed, files = _build(big, big.out)
    assert read == ["load_bibliography"] and not any("unknown CSL field" in d.message for d in changed.warnings)
    assert b"A changed study" in files["sources/index.html"]


def test_templates_are_parsed_for_the_templates_they_name_only_when_they_change(
        big: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    """Which templates each template extends, includes or imports (what an edit of one re-renders) is kept
    in the cache by the digest of its source: a build parses only the templates edited since."""
    from carepages.render.templates import Templates

    parsed: list[bytes] = []
    real = Templates._named
    monkeypatch.setattr(Templates, "_named", lambda self, source: parsed.append(source) or real(self, source))
    _build(big, big.out)
    assert len(parsed) > 5  # every template, once
    parsed.clear()
    _edit(big, "page-07.md", "title: Page number 7", "title: Page number seven")
    _build(big, big.out)
    assert parsed == []
    _edit_template(big, "Edited template")
    result, files = _build(big, big.out)
    assert parsed == [(big.root / "templates" / "article.html").read_bytes()]
    assert result.counts.restyled and b"Edited template" in files["articles/page-03/index.html"]


def _edit(site: SiteDir, name: str, old: str, new: str) -> None:
    path = site.root / "content" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edits_of_page_text_write_what_a_full_build_writes(big: SiteDir, tmp_path: Path) -> None:
    """Made only from the kept jobs: a sentence added above the links and citations (which moves every line
    below it), the same sentence in two pages at once, and an edit right after another; each time the
    output is the full build's, byte for byte."""
    _build(big, big.out)
    _edit(big, "page-07.md", "## About page 7\n", "## About page 7\n\nA new first sentence.\n\nAnd a second.\n")
    result, files = _build(big, big.out)
    assert result.counts.edited_only and result.counts.rendered == ("articles/page-07/",)
    assert files == _cold(big, tmp_path, "cold-1")
    _edit(big, "page-03.md", "- one\n", "- one, and more\n")
    _edit(big, "page-11.md", "- two", "- three")
    result, files = _build(big, big.out)
    assert result.counts.edited_only and set(result.counts.rendered) == {"articles/page-03/", "articles/page-11/"}
    assert files == _cold(big, tmp_path, "cold-2")
    _edit(big, "page-07.md", "And a second.", "And a third.")
    result, files = _build(big, big.out)
    assert result.counts.edited_only and files == _cold(big, tmp_path, "cold-3")
    again = _build(big, big.out)[0]  # and the record it left says the site is as it is now
    assert again.counts.unchanged and again.counts.render_reused == result.counts.render_reused + 1


@pytest.mark.parametrize("old, new, why", [
    ("## About page 7", "## About the seventh page", "a heading: another page's link may point at it"),
    ("See [page 8]", "See [the next page]", "a link's text"),
    ("a study [@smith2020]", "a study [@lee2019]", "a citation: the sources page lists who cites what"),
    ("summary: What page 7 is about.", "summary: What page 7 covers.", "front matter: shown on other pages"),
])
def test_an_edit_other_pages_can_see_takes_the_full_build(big: SiteDir, tmp_path: Path, old: str, new: str,
                                                          why: str) -> None:
    _build(big, big.out)
    _edit(big, "page-07.md", old, new)
    result, files = _build(big, big.out)
    assert not result.counts.edited_only, why
    assert files == _cold(big, tmp_path, "cold")


def test_an_edit_that_brings_a_warning_or_an_error_is_reported_as_a_full_build_would(big: SiteDir) -> None:
    _build(big, big.out)
    before = tree_bytes(big.out)
    _edit(big, "page-07.md", "- one\n", "- one TODO: check this\n")
    result, _ = _build(big, big.out)
    assert not result.counts.edited_only
    assert [d.rule for d in result.warnings] == ["todo/left"]
    assert result.warnings[0].location.line is not None
    _edit(big, "page-07.md", "- one TODO: check this\n", "- one [broken](no-such-page.md)\n")
    with pytest.raises(carepages.SiteError) as failed:
        _build(big, big.out)
    assert [d.rule for d in failed.value.diagnostics] == ["links/broken"]
    assert tree_bytes(big.out)["articles/page-07/index.html"] != before["articles/page-07/index.html"]  # (the
    # warning build wrote it) and the failed build left that output as it was
    assert b"TODO: check this" in tree_bytes(big.out)["articles/page-07/index.html"]


def test_a_damaged_kept_job_or_a_changed_output_folder_takes_the_full_build(big: SiteDir, tmp_path: Path) -> None:
    cache = big.root / ".carepages-cache"
    _build(big, big.out)
    for entry in _entries(cache, "pages"):
        entry.write_bytes(entry.read_bytes()[:-10])  # truncated
    _edit(big, "page-07.md", "- one\n", "- one more\n")
    result, files = _build(big, big.out)
    assert not result.counts.edited_only and files == _cold(big, tmp_path, "cold-1")

    (big.out / "articles" / "page-03" / "index.html").write_text("changed by hand", encoding="utf-8")
    _edit(big, "page-07.md", "- one more\n", "- one more again\n")
    result, files = _build(big, big.out)
    assert not result.counts.edited_only and files == _cold(big, tmp_path, "cold-2")


def test_a_title_edit_renders_exactly_the_pages_that_show_the_title(big: SiteDir, tmp_path: Path) -> None:
    before = _build(big, big.out)[1]
    path = big.root / "content" / "page-07.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Page number 7\n", "Seventh page\n"),
                    encoding="utf-8")
    result, after = _build(big, big.out)
    assert after == _cold(big, tmp_path, "cold")
    changed = {name for name in after if before.get(name) != after[name]}
    rendered = {route + "index.html" if route == "" or route.endswith("/") else route
                for route in result.counts.rendered}
    assert rendered == changed  # nothing rendered whose bytes stay the same, nothing changed unrendered
    # the page itself and the lists that show its title (and the pages whose related list shows it)
    assert {"articles/page-07/index.html", "feed.xml", "topics/sleep/index.html"} <= rendered
    shows_title = {name for name, data in after.items() if b"Seventh page" in data}
    assert shows_title <= rendered
    assert result.counts.parsed == 1 and len(rendered) < ARTICLES


def test_front_matter_read_on_workers_reports_as_one_process_does(big: SiteDir, tmp_path: Path) -> None:
    """Discovery reads the pages' YAML on worker processes: the same errors and warnings, in the same order and
    with the same places, as reading them here; a page of the FAQ layout is still the FAQ page."""
    big.write("content/page-05.md", _article(5).replace("summary:", "sumary:", 1))  # an error: summary missing
    big.write("content/page-11.md", _article(11).replace("title:", "colour: blue\ntitle:", 1))  # a warning
    big.write("content/page-17.md", _article(17).replace("title:", "weight: heavy\ntitle:", 1))  # an error
    big.write("content/faq.md", "---\ntitle: Questions\nsummary: Asked often.\nlayout: faq\n---\n\nText.\n")
    outcomes = []
    for jobs in (1, 2):
        with pytest.raises(carepages.SiteError) as caught:
            carepages.build(big.root, tmp_path / f"out-{jobs}", jobs=jobs, cache=False, search=False)
        outcomes.append([(d.severity, d.location.format(big.root), d.message) for d in caught.value.diagnostics])
    assert outcomes[0] == outcomes[1]
    shown = "\n".join(f"{place} {severity} {message}" for severity, place, message in outcomes[1])
    assert "page-05.md" in shown and "page-17.md" in shown and "'weight'" in shown
    big.write("content/page-05.md", _article(5))
    big.write("content/page-17.md", _article(17))
    result = carepages.build(big.root, tmp_path / "out-ok", jobs=2, cache=False, search=False)
    assert any("colour" in d.message for d in result.warnings)
    assert b"Asked often" in (tmp_path / "out-ok" / "faq" / "index.html").read_bytes()


def test_a_template_or_site_toml_edit_parses_no_markdown_again(big: SiteDir, tmp_path: Path) -> None:
    _build(big, big.out)
    theme = Path(carepages.__file__).resolve().parent.parent / "templates" / "article.html"
    big.write("templates/article.html", theme.read_text(encoding="utf-8").replace(
        "{% block content %}", "{% block content %}<p>Edited template</p>", 1))
    result, files = _build(big, big.out)
    assert result.counts.parsed == 0 and len(result.counts.rendered) >= ARTICLES
    assert b"Edited template" in files["articles/page-03/index.html"]
    assert files == _cold(big, tmp_path, "cold-template")

    big.write("site.toml", MINIMAL_CONFIG.replace('tagline = "A tagline"', 'tagline = "Another tagline"'))
    result, files = _build(big, big.out)
    assert result.counts.parsed == 0
    assert b"Another tagline" in files["articles/page-03/index.html"]
    assert files == _cold(big, tmp_path, "cold-config")


def test_a_site_toml_edit_keeps_the_render_jobs_it_does_not_change(big: SiteDir, tmp_path: Path) -> None:
    """A kept job is keyed by the job alone, not by the config it is rendered with: a tagline edit renders
    every page again but writes none of the articles' jobs again, and the next page edit is made from them."""
    _build(big, big.out)
    cache = big.root / ".carepages-cache"
    before = {entry.name: entry.stat().st_mtime_ns for entry in _entries(cache, "pages")}
    big.write("site.toml", MINIMAL_CONFIG.replace('tagline = "A tagline"', 'tagline = "Another tagline"'))
    result, files = _build(big, big.out)
    assert len(result.counts.rendered) > ARTICLES and files == _cold(big, tmp_path, "cold-1")
    after = {entry.name: entry.stat().st_mtime_ns for entry in _entries(cache, "pages")}
    assert sum(1 for name, made in before.items() if after.get(name) == made) >= ARTICLES
    _edit(big, "page-07.md", "- one\n", "- one more\n")
    result, files = _build(big, big.out)
    assert result.counts.edited_only and files == _cold(big, tmp_path, "cold-2")


def _warned_article() -> str:
    """A page whose front matter gives two warnings (an unknown field, an unknown key in a FAQ entry)."""
    return article("Page with warnings", "See [page 1](page-01.md) [@smith2020].\n", topics="[Sleep]",
                   colour="blue", faq="\n  - question: Why?\n    answer: Because.\n    hint: none")


class _Reads:
    """The files whose front matter YAML is read, by this process or a worker it forks: each read is a line in
    a file (appends of a short line are whole), so a read on a worker process is counted too."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.clear()

    def append(self, path: Path) -> None:
        with open(self.log, "a", encoding="utf-8") as out:
            out.write(f"{path}\n")

    def clear(self) -> None:
        self.log.write_text("", encoding="utf-8")

    def _paths(self) -> list[Path]:
        return [Path(line) for line in self.log.read_text(encoding="utf-8").splitlines()]

    def __iter__(self):
        return iter(self._paths())

    def __len__(self) -> int:
        return len(self._paths())

    def __eq__(self, other: object) -> bool:
        return self._paths() == other


def _count_front_matter_reads(monkeypatch: pytest.MonkeyPatch, log: Path) -> _Reads:
    """The files whose front matter YAML is read from now on (here or on a worker process)."""
    read = _Reads(log)
    load_yaml = frontmatter.load_yaml

    def counting(text: str, path: Path, *args, **kwargs):
        read.append(path)
        return load_yaml(text, path, *args, **kwargs)

    monkeypatch.setattr(frontmatter, "load_yaml", counting)
    return read


def _edit_template(site: SiteDir, mark: str) -> None:
    theme = Path(carepages.__file__).resolve().parent.parent / "templates" / "article.html"
    site.write("templates/article.html", theme.read_text(encoding="utf-8").replace(
        "{% block content %}", f"{{% block content %}}<p>{mark}</p>", 1))


def test_a_rebuild_reads_no_front_matter_of_an_unchanged_page_and_warns_as_a_cold_build(
        big: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big.write("content/warned.md", _warned_article())
    read = _count_front_matter_reads(monkeypatch, tmp_path / "reads.log")
    _build(big, big.out, jobs=2)
    assert len(read) == ARTICLES + 1  # the cold build reads every page's front matter
    _edit_template(big, "Edited template")
    read.clear()
    result, files = _build(big, big.out, jobs=2)
    assert read == [] and result.counts.parsed == 0
    cold, cold_files = _build(big, tmp_path / "cold", jobs=1, cache=False)
    assert files == cold_files
    assert result.warnings == cold.warnings  # the same warnings, in the same order, at the same places
    unknown = [d.format(big.root) for d in result.warnings if d.rule == "front-matter/unknown-field"]
    assert unknown == ["content/warned.md:10:1: warning: unknown front-matter field 'colour' "
                       "[front-matter/unknown-field]",
                       "content/warned.md:14:5: warning: unknown field 'hint' in faq entry 1 "
                       "[front-matter/unknown-field]"]

    _edit(big, "page-07.md", "title: Page number 7", "title: Seventh page")  # front matter: read again
    read.clear()
    result, files = _build(big, big.out, jobs=2)
    assert set(read) == {big.root / "content" / "page-07.md"} and result.counts.parsed == 1  # (read by the
    # attempt to rebuild it alone too: see edits.py)
    cold, cold_files = _build(big, tmp_path / "cold-title", jobs=1, cache=False)
    assert (files, result.warnings) == (cold_files, cold.warnings)


def test_a_page_edited_alone_is_kept_under_the_key_the_next_full_build_looks_for(big: SiteDir,
                                                                                  tmp_path: Path) -> None:
    _build(big, big.out)
    _edit(big, "page-07.md", "- one\n", "- one more\n")
    assert _build(big, big.out)[0].counts.edited_only
    big.write("static/notes.txt", "A file no page shows.\n")  # a change the edit path leaves to the full build
    result, files = _build(big, big.out)
    assert not result.counts.edited_only and not result.counts.restyled
    assert result.counts.rendered == () and result.counts.parsed == 0  # page 7 too, from the cache
    assert files == _cold(big, tmp_path, "cold")


def test_a_page_edited_alone_keeps_its_parse_for_the_next_full_build(
        big: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(big, big.out)
    _edit(big, "page-07.md", "- one\n", "- one more\n")
    assert _build(big, big.out)[0].counts.edited_only  # writes page 7's parse entry itself (edits.py)
    _edit_template(big, "Edited template")
    read = _count_front_matter_reads(monkeypatch, tmp_path / "reads.log")
    result, files = _build(big, big.out)
    assert result.counts.parsed == 0 and len(read) <= 1  # (at most the page edited alone is read again)
    assert files == _cold(big, tmp_path, "cold")


def test_a_parse_entry_with_something_else_for_front_matter_is_ignored(site: SiteDir, tmp_path: Path) -> None:
    """An entry with a valid header and checksum whose front matter or warnings are not what a page's are is
    not trusted: the page is read and parsed as a new one."""
    site.write("content/warned.md", _warned_article().replace("page-01.md", "first.md"))
    cache = tmp_path / "cache"
    first, reference = _build(site, tmp_path / "reference", cache=False)
    _build(site, site.out, cache_dir=cache)
    entries = _entries(cache, "parse")
    assert len(entries) == 2
    store = Cache(cache)
    for path, change in zip(entries, ({"front": None}, {"warnings": ("front-matter/unknown-field",)}),
                            strict=True):
        entry = store.read_value("parse", path.name, pipeline.PARSED_CLASSES)
        assert isinstance(entry, pipeline.ParseEntry)
        store.write_value("parse", path.name, dataclasses.replace(entry, **change))
    shutil.rmtree(site.out)
    result, files = _build(site, site.out, cache_dir=cache)
    assert (files, result.warnings, result.counts.parsed) == (reference, first.warnings, 2)
    assert _build(site, site.out, cache_dir=cache)[0].counts.parsed == 0  # rewritten, and good again


def test_check_reads_every_page_itself_even_with_a_cache(site: SiteDir, tmp_path: Path) -> None:
    """`check` (the model with its token trees) never takes a page's front matter from the cache."""
    cache = tmp_path / "cache"
    _build(site, site.out, cache_dir=cache)
    [path] = _entries(cache, "parse")
    store = Cache(cache)
    entry = store.read_value("parse", path.name, pipeline.PARSED_CLASSES)
    store.write_value("parse", path.name, dataclasses.replace(
        entry, front=dataclasses.replace(entry.front, title="Planted title")))
    work = pipeline.Work(cache=Cache(cache), fingerprint=engine_fingerprint())
    titles = {page.title for page in pipeline.model_site(site.root, work=work).site.pages}
    assert "Planted title" in titles  # (the entry is found where the build looks)
    checked = pipeline.model_site(site.root, keep_tokens=True, work=pipeline.Work(cache=Cache(cache),
                                                                                  fingerprint=engine_fingerprint()))
    assert {page.title for page in checked.site.pages} == {"First article"}


def test_a_build_with_nothing_changed_leaves_the_output_as_it_is(big: SiteDir, tmp_path: Path) -> None:
    first = _build(big, big.out)[0]
    stamps = {path: path.stat().st_mtime_ns for path in big.out.rglob("*")}
    second = _build(big, big.out)[0]
    assert second.counts.unchanged and second.files == 0
    assert (second.pages, second.warnings) == (first.pages, first.warnings)
    assert {path: path.stat().st_mtime_ns for path in big.out.rglob("*")} == stamps

    page = big.out / "articles" / "page-03" / "index.html"
    assert page.stat().st_nlink == 2  # the cache keeps the page as a second name for it, not a copy
    page.write_text("changed by hand", encoding="utf-8")  # the output is not as the build left it
    third, files = _build(big, big.out)
    # Written into in place, so its cache entry (the same file) changed too: that page alone is made again.
    assert not third.counts.unchanged and third.counts.rendered == ("articles/page-03/",)
    assert third.counts.render_reused > ARTICLES
    assert files == _cold(big, tmp_path, "cold")

    big.write("content/page-03.md", _article(3).replace("About page 3", "About page three"))
    assert not _build(big, big.out)[0].counts.unchanged


def _age_inputs(site: SiteDir, seconds: int) -> None:
    """Every input file saved `seconds` ago, as files are on a site that has been worked on for a while."""
    for path in site.root.rglob("*"):
        if path.is_file() and ".carepages-cache" not in path.parts and site.out not in path.parents:
            stat = path.stat()
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - seconds * 10**9))


def test_an_input_saved_twice_within_a_clock_tick_is_read_again(big: SiteDir) -> None:
    """A file's size and modification time stand for its bytes only once that time is past: here the page is
    changed to other text of the same length and its time put back, as a second save within the same tick
    of a coarse file-system clock would leave it."""
    _build(big, big.out)
    path = big.root / "content" / "page-05.md"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- one", "- One"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    result, files = _build(big, big.out)
    assert not result.counts.unchanged and result.counts.rendered == ("articles/page-05/",)
    assert "<li>One</li>" in files["articles/page-05/index.html"].decode()


def test_inputs_saved_long_ago_are_known_by_their_time_and_an_edit_is_still_seen(big: SiteDir,
                                                                                tmp_path: Path) -> None:
    _age_inputs(big, 3600)
    _build(big, big.out)
    assert _build(big, big.out)[0].counts.unchanged
    path = big.root / "content" / "page-05.md"
    path.write_text(path.read_text(encoding="utf-8").replace("- one", "- One"), encoding="utf-8")
    result, files = _build(big, big.out)
    assert result.counts.edited_only and result.counts.rendered == ("articles/page-05/",)
    assert files == _cold(big, tmp_path, "cold")
    # A page put back from elsewhere with its old time but other bytes (a restore, a copy that keeps times)
    # is not read again, as with make or rsync; saving it again (or touching it) is seen.
    _age_inputs(big, 3600)
    assert _build(big, big.out)[0].counts.unchanged
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("- One", "- one"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert _build(big, big.out)[0].counts.unchanged
    path.touch()
    result, files = _build(big, big.out)
    assert result.counts.rendered == ("articles/page-05/",)
    assert "<li>one</li>" in files["articles/page-05/index.html"].decode()


def _entries(folder: Path, space: str) -> list[Path]:
    return sorted((folder / space).glob("*/*"))


def test_a_damaged_or_foreign_cache_is_ignored_and_rebuilt(site: SiteDir, tmp_path: Path) -> None:
    site.write("content/second.md", article("Second article", "Text [@smith2020].\n"))
    cache = tmp_path / "cache"
    reference = _build(site, tmp_path / "reference", cache=False)[1]
    _build(site, site.out, cache_dir=cache)
    parse_entries, render_entries = _entries(cache, "parse"), _entries(cache, "render")
    assert len(parse_entries) == 2 and render_entries
    parse_entries[0].write_bytes(parse_entries[0].read_bytes()[:-20])  # truncated
    damaged = bytearray(parse_entries[1].read_bytes())
    damaged[-5] ^= 0xFF  # one byte changed
    parse_entries[1].write_bytes(bytes(damaged))
    render_entries[0].write_bytes(b"not a cache entry at all")
    shutil.copyfile(render_entries[2], render_entries[1])  # another entry's valid bytes, under this name
    shutil.rmtree(site.out)  # so that the build is not skipped as one that would change nothing
    result, files = _build(site, site.out, cache_dir=cache)
    assert files == reference
    assert result.counts.parsed == 2 and len(result.counts.rendered) == 2
    assert _build(site, site.out, cache_dir=cache)[0].counts.parsed == 0  # rewritten, and good again


def test_rendered_pages_are_trusted_only_with_the_index_that_names_their_files(site: SiteDir, tmp_path: Path) -> None:
    """A rendered page's entry has no header of its own: without the index that recorded its file (lost, or
    damaged), it is not used."""
    site.write("content/second.md", article("Second article", "Text [@smith2020].\n"))
    cache = tmp_path / "cache"
    reference = _build(site, site.out, cache_dir=cache)[1]
    (index,) = _entries(cache, "index")
    index.write_bytes(index.read_bytes()[:-3])  # truncated
    shutil.rmtree(site.out)
    result, files = _build(site, site.out, cache_dir=cache)
    assert files == reference and len(result.counts.rendered) >= 2 and result.counts.render_reused == 0
    shutil.rmtree(site.out)
    again = _build(site, site.out, cache_dir=cache)[0]
    assert again.counts.rendered == () and again.counts.render_reused >= 2  # a new index, trusted again


def test_a_cache_folder_restored_as_new_files_is_still_used(site: SiteDir, tmp_path: Path) -> None:
    """CI restores the cache folder from an archive: every entry is a new file (no longer the output's), and is
    trusted by its bytes."""
    site.write("content/second.md", article("Second article", "Text [@smith2020].\n"))
    cache = tmp_path / "cache"
    reference = _build(site, site.out, cache_dir=cache)[1]
    restored = tmp_path / "restored"
    shutil.copytree(cache, restored)  # new files, new inodes (as an archive unpacked on another machine)
    shutil.rmtree(site.out)
    result, files = _build(site, site.out, cache_dir=restored)
    assert files == reference
    assert result.counts.parsed == 0 and result.counts.rendered == () and result.counts.render_reused >= 2
    entry = next(e for e in _entries(restored, "render") if b"<html" in e.read_bytes())  # a page (not robots.txt)
    entry.write_bytes(entry.read_bytes().replace(b"<", b"(", 1))  # same size, other bytes
    shutil.rmtree(site.out)
    result, files = _build(site, site.out, cache_dir=restored)
    assert files == reference and len(result.counts.rendered) == 1  # that page alone made again


def test_where_files_cannot_be_linked_the_cache_keeps_copies(site: SiteDir, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache folder on another disk than the output (or a file system without hard links) still works."""
    import errno
    import os

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", refuse)
    cache = tmp_path / "cache"
    reference = _build(site, site.out, cache_dir=cache)[1]
    page = site.out / "articles" / "first" / "index.html"
    assert page.stat().st_nlink == 1
    shutil.rmtree(site.out)
    result, files = _build(site, site.out, cache_dir=cache)
    assert files == reference and result.counts.rendered == () and result.counts.render_reused >= 1
    _edit_template(site, "Edited template")  # pages made on the workers, kept as copies too
    result, files = _build(site, site.out, cache_dir=cache)
    assert result.counts.restyled and result.counts.rendered and files == _cold(site, tmp_path, "cold")
    (site.root / "templates" / "article.html").unlink()  # and back: every page from those copies
    result, files = _build(site, site.out, cache_dir=cache)
    assert result.counts.restyled and result.counts.rendered == () and files == reference


def test_a_cache_entry_cannot_run_code(site: SiteDir, tmp_path: Path) -> None:
    """An entry with a valid header and checksum whose pickle names another class is refused, not run."""
    cache = tmp_path / "cache"
    reference = _build(site, site.out, cache_dir=cache)[1]
    entry = _entries(cache, "parse")[0]
    witness = tmp_path / "ran"
    hostile = pickle.dumps(_Hostile(str(witness)))
    Cache(cache).write("parse", entry.name, hostile)
    shutil.rmtree(site.out)
    assert _build(site, site.out, cache_dir=cache)[1] == reference
    assert not witness.exists()


class _Hostile:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (Path.touch, (Path(self.path),))


def test_cache_folder_from_site_toml_and_the_command_line(site: SiteDir, tmp_path: Path) -> None:
    site.build()
    assert (site.root / ".carepages-cache" / "render").is_dir()  # the default
    assert (site.root / ".carepages-cache" / ".gitignore").is_file()  # it keeps itself out of git
    site.write("site.toml", 'cache_dir = "build/cache"\n' + MINIMAL_CONFIG)
    site.build()
    assert (site.root / "build" / "cache" / "parse").is_dir()
    elsewhere = tmp_path / "ci-cache"
    result = run_cli("build", str(site.root), "--no-search", "--cache-dir", str(elsewhere), "--jobs", "1")
    assert result.code == 0, result.err
    assert (elsewhere / "render").is_dir()
    shutil.rmtree(site.out)
    again = run_cli("build", str(site.root), "--no-search", "--cache-dir", str(elsewhere))
    # not a terminal: no progress, one summary line
    assert re.fullmatch(r"Built 1 page into .* s: 0 rendered, \d+ re-used from the cache, \d+ files written, "
                        r"2 warnings\.\nSearch: not indexed .*\n", again.out)
    same = run_cli("build", str(site.root), "--no-search", "--cache-dir", str(elsewhere))
    assert re.match(r"Built 1 page into .* s: nothing changed since the last build, its \d+ files kept, "
                    r"2 warnings\.\n", same.out)
    assert same.err == again.err  # the warnings are reported again
    assert "\r" not in again.err and "Rendering" not in again.err and "Parsing" not in again.err
    none = tmp_path / "none"
    assert run_cli("build", str(site.root), "--no-search", "--no-cache", "--cache-dir", str(none)).code == 0
    assert not none.exists()


def test_a_cache_folder_that_cannot_be_made_is_a_warning_and_the_build_goes_on(site: SiteDir) -> None:
    """A cache folder that cannot be made (a CI step restored a file there, a typo) would otherwise fail every
    entry quietly, and each build would do all its work: build and check say so, name the folder, and go on."""
    site.write("blocker", "a file where the cache folder would go\n")
    warning = ("blocker/cache: warning: the build cache cannot be kept here: Not a directory; every page is done "
               "again, and nothing is kept for the next run (give another folder with --cache-dir or site.toml's "
               "cache_dir, or use --no-cache) [cache/unusable]")
    for _ in range(2):  # the second build too: nothing was kept, and nothing is said to be
        built = run_cli("build", ".", "--no-search", "--cache-dir", "blocker/cache", cwd=site.root)
        assert built.code == 0, built.err
        assert warning in built.err.splitlines()
        assert re.match(r"Built 1 page into .* s: \d+ rendered, 0 re-used from the cache", built.out)
    assert (site.out / "articles" / "first" / "index.html").is_file()
    checked = run_cli("check", ".", "--cache-dir", "blocker/cache", cwd=site.root)
    assert warning in checked.err.splitlines() or warning in checked.out.splitlines()
    strict = run_cli("build", ".", "--no-search", "--strict", "--cache-dir", "blocker/cache", cwd=site.root)
    assert strict.code == 1  # a warning, so --strict stops on it (site.toml can silence the rule)


@pytest.mark.parametrize("value", ["/tmp/cache", "../cache", "a\\b"])
def test_cache_dir_in_site_toml_must_be_inside_the_site(site: SiteDir, value: str) -> None:
    site.write("site.toml", f"cache_dir = '{value}'\n" + MINIMAL_CONFIG)
    with pytest.raises(carepages.SiteError) as caught:
        site.build()
    assert "'cache_dir'" in str(caught.value) and "--cache-dir" in str(caught.value)


def test_jobs_must_be_a_positive_number(site: SiteDir) -> None:
    result = run_cli("build", str(site.root), "--jobs", "0")
    assert result.code == 2 and "1 or more" in result.err


class _Terminal:
    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_a_terminal_is_shown_pages_done_of_total_and_the_line_is_cleared(big: SiteDir, tmp_path: Path) -> None:
    from carepages.progress import TerminalProgress

    terminal = _Terminal()
    progress = TerminalProgress(terminal, after=0)  # a long build: shown from the start
    result, _ = _build(big, tmp_path / "out", jobs=2, cache=False, progress=progress)
    progress.close()
    assert f"Parsing {ARTICLES} of {ARTICLES} pages" in terminal.text
    rendered = len(result.counts.rendered)  # the count ends complete, however fast the last files came
    assert f"Rendering {rendered} of {rendered} files" in terminal.text and terminal.text.endswith("\r\x1b[K")



def test_the_preview_makes_an_edited_page_alone_while_it_indexes_search_itself(big: SiteDir, tmp_path: Path) -> None:
    """In place (the preview), the search bundle is the preview's own: the build neither indexes it nor counts
    it as a change to the output folder, so an edit after the index was updated is still made alone."""
    first = carepages.build(big.root, big.out, in_place=True, search=True)
    assert first.update is not None and not first.counts.edited_only
    bundle = big.out / "pagefind"
    bundle.mkdir(exist_ok=True)
    (bundle / "pagefind.js").write_text("// the preview's index, updated after each reload", encoding="utf-8")
    _edit(big, "page-07.md", "- one\n", "- one, edited in the preview\n")
    result = carepages.build(big.root, big.out, in_place=True, search=True)
    assert result.counts.edited_only and result.update is not None
    assert result.update.written == ("articles/page-07/",) and result.update.removed == ()
    assert (bundle / "pagefind.js").is_file()
    again = carepages.build(big.root, big.out, in_place=True, search=True)
    assert again.counts.unchanged and again.update is not None and again.update.written == ()
    files = tree_bytes(big.out)
    assert {name: data for name, data in files.items() if not name.startswith("pagefind/")} == \
        _cold(big, tmp_path, "cold")


def test_a_drafts_preview_keeps_its_quick_edits_across_a_publishing_build(big: SiteDir, tmp_path: Path) -> None:
    """The build of the published site and a preview with drafts share one cache. Each full build prunes
    what it did not use, but not the jobs the other's record keeps for its next edit: after a publishing
    build, the edit of a draft in the preview is still made from its kept job (one page read and written)."""
    big.write("content/draft-page.md", _article(90).replace("title:", "draft: true\ntitle:", 1))
    drafts_out = tmp_path / "drafts"
    _build(big, drafts_out, drafts=True, in_place=True, jobs=2)
    _build(big, big.out, jobs=2)  # the published site: no draft, so the draft's kept job is not among its jobs
    path = big.root / "content" / "draft-page.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA sentence added while writing.\n", encoding="utf-8")
    result, files = _build(big, drafts_out, drafts=True, in_place=True, jobs=2)
    assert result.counts.edited_only and result.counts.rendered == ("articles/draft-page/",)
    assert files == _build(big, tmp_path / "cold", drafts=True, jobs=1, cache=False)[1]


def test_the_records_of_builds_not_made_for_two_weeks_are_forgotten(big: SiteDir, tmp_path: Path) -> None:
    """The cache keeps a record of the last build into each output folder (and of each kind of build, and
    version of carepages). A full build forgets those not made, nor found unchanged, in `RECORD_DAYS`, so the
    cache does not grow with every folder ever built; a build found unchanged counts as made."""
    cache = big.root / ".carepages-cache"
    a, b = tmp_path / "a", tmp_path / "b"
    _build(big, a)
    _build(big, b)
    assert len(_entries(cache, "builds")) == 2
    long_ago = time.time() - (freshness.RECORD_DAYS + 1) * 24 * 3600
    for record in _entries(cache, "builds"):
        os.utime(record, (long_ago, long_ago))
    assert _build(big, a)[0].counts.unchanged  # a's record is in use again
    big.write("content/page-80.md", _article(80))
    assert not _build(big, b)[0].counts.unchanged  # a full build: it forgets the records of builds long gone
    assert len(_entries(cache, "builds")) == 2  # a's (found unchanged since) and b's own
    for record in _entries(cache, "builds"):
        os.utime(record, (long_ago, long_ago))
    big.write("content/page-81.md", _article(81))
    _build(big, b)
    assert len(_entries(cache, "builds")) == 1  # b's own


def _square(offset: int, task: int) -> int:
    return task * task + offset


def test_tasks_that_may_be_large_travel_alone_and_every_result_comes_in_task_order() -> None:
    """The pages that list the whole site (topics, the feed, the sources) come back from the workers one at a
    time rather than in a chunk with others, so a large site's largest files are never held together; the
    results are still every task's, once, in task order."""
    from carepages import parallel

    tasks = list(range(200))
    alone = {0, 1, 2, 50, 51, 120, 190}
    results = list(parallel.iter_tasks(_square, 7, tasks, 2, alone=lambda task: task in alone))
    assert results == [task * task + 7 for task in tasks]
    chunks = parallel._chunks(tasks, 12, lambda task: task in alone)
    assert [index for chunk in chunks for index in chunk] == tasks
    assert all(len(chunk) == 1 for chunk in chunks if chunk[0] in alone)
    assert all(not alone & set(chunk) for chunk in chunks if len(chunk) > 1)


def _finished_at(pause: float, task: int) -> float:
    time.sleep(pause)
    return time.monotonic()  # (system-wide: comparable between the worker processes and this one)


@pytest.mark.parametrize("jobs", [1, 2])
def test_work_done_meanwhile_runs_once_beside_the_workers_and_is_over_when_their_results_are(jobs: int) -> None:
    """A restyle removes the files the build before it replaced while the pages render (removing a file just
    written may wait on the disk); the build goes on only once they are removed. On one process it is done
    first."""
    import threading

    from carepages import parallel

    seen: list[tuple[str, float, float]] = []

    def meanwhile() -> None:
        started = time.monotonic()
        time.sleep(0.2)
        seen.append((threading.current_thread().name, started, time.monotonic()))

    tasks = list(range(64))
    finished = parallel.run_tasks(_finished_at, 0.01, tasks, jobs, meanwhile=meanwhile)
    assert len(finished) == len(tasks) and len(seen) == 1
    (thread, started, ended), = seen
    if jobs == 1:
        assert thread == threading.main_thread().name and ended <= min(finished)
    else:
        assert thread != threading.main_thread().name  # a thread of this process, not a worker
        assert started < max(finished)  # while the workers ran, not after them
