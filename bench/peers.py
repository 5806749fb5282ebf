"""Peer generators: the benchmark corpus in Hugo's, Eleventy's and Pelican's input formats.

    python bench/peers.py CORPUS_DIR OUT_DIR      # writes OUT_DIR/hugo, OUT_DIR/eleventy, OUT_DIR/pelican

Each peer gets the same Markdown bodies and titles with the least configuration it needs to build them
into one HTML page per article (its own defaults for everything else: Hugo's and Eleventy's list pages,
Pelican's default theme with its category, tag, author and feed pages). None of them validates citations
or links, renders references, FAQs or related pages, or writes structured data, so a peer's time is a
reference point for "a static site generator over these files", not for equal work. README.md says so.

Install commands are in bench/README.md; `run.py` skips a peer that is not installed and says how to get it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from floor import body  # noqa: E402

WORK = BENCH / "_work"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Peer:
    """How to write a corpus for one generator, how to run it, and how to tell whether it is installed."""

    name: str
    executable: Path | str
    install: str  # shown when the peer is missing
    write: Callable[[Path, Path], None]  # (corpus_dir, peer_dir)
    argv: Callable[[Path, Path], list[str]]  # (peer_dir, out_dir) -> command, run with cwd=peer_dir

    def installed(self) -> bool:
        return shutil.which(str(self.executable)) is not None


@dataclass(frozen=True)
class Source:
    """One corpus page, split into the fields the peers use."""

    stem: str
    meta: dict[str, Any]
    body: str
    text: str  # the original file: Hugo and Eleventy read its YAML front matter as it is


def read_corpus(corpus_dir: Path) -> Iterator[Source]:
    for path in sorted((corpus_dir / "content").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        markdown = body(text)
        meta = yaml.load(text[3:len(text) - len(markdown)].rsplit("---", 1)[0], Loader=_LOADER) or {}
        yield Source(path.stem, meta, markdown, text)


def _page(title: str, summary: str, content: str) -> str:
    return ('<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>' + title + "</title></head>\n"
            "<body>\n<h1>" + title + "</h1>\n<p>" + summary + "</p>\n" + content + "\n</body>\n</html>\n")


def _fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


# -- Hugo -------------------------------------------------------------------------------------------------

def write_hugo(corpus_dir: Path, dest: Path) -> None:
    """content/articles/*.md with the corpus's own YAML front matter; topics as a Hugo taxonomy."""
    articles = _fresh(dest) / "content" / "articles"
    articles.mkdir(parents=True)
    (dest / "hugo.toml").write_text('baseURL = "https://example.org/health/"\ntitle = "Example Health Library"\n'
                                    '[taxonomies]\ntopic = "topics"\n', encoding="utf-8")
    layouts = dest / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(_page("{{ .Title }}", "{{ .Params.summary }}", "{{ .Content }}"),
                                         encoding="utf-8")
    listing = '<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>'
    (layouts / "list.html").write_text(_page("{{ .Title }}", "", listing), encoding="utf-8")
    for source in read_corpus(corpus_dir):
        (articles / f"{source.stem}.md").write_text(source.text, encoding="utf-8")


def hugo_argv(peer_dir: Path, out: Path) -> list[str]:
    return ["hugo", "--quiet", "-s", str(peer_dir), "-d", str(out)]


# -- Eleventy ---------------------------------------------------------------------------------------------

def eleventy_bin() -> Path:
    return BENCH / "node_modules" / ".bin" / "eleventy"


def write_eleventy(corpus_dir: Path, dest: Path) -> None:
    """content/*.md as they are, a directory data file that gives them a layout, and that one layout."""
    content = _fresh(dest) / "content"
    includes = content / "_includes"
    includes.mkdir(parents=True)
    layout = _page("{{ title }}", "{{ summary }}", "{{ content | safe }}")
    for name in ("layout", "page", "faq"):  # the corpus's layout: fields name page and faq
        (includes / f"{name}.njk").write_text(layout, encoding="utf-8")
    (content / "content.json").write_text(json.dumps({"layout": "layout.njk"}) + "\n", encoding="utf-8")
    for source in read_corpus(corpus_dir):
        (content / f"{source.stem}.md").write_text(source.text, encoding="utf-8")


def eleventy_argv(peer_dir: Path, out: Path) -> list[str]:
    return [str(eleventy_bin()), f"--input={peer_dir / 'content'}", f"--output={out}", "--quiet"]


# -- Pelican ----------------------------------------------------------------------------------------------

def pelican_bin() -> Path:
    return WORK / "pelican-venv" / "bin" / "pelican"


PELICANCONF = '''AUTHOR = "Example Health Library"
SITENAME = "Example Health Library"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
'''


def _pelican_meta(meta: dict[str, Any]) -> str:
    """Pelican's Markdown metadata: `Key: value` lines, lists comma-separated, no nesting."""
    fields = {"Title": meta["title"], "Date": meta.get("date"), "Modified": meta.get("updated"),
              "Category": (meta.get("topics") or [None])[0], "Tags": ", ".join(meta.get("topics") or []),
              "Authors": ", ".join(meta.get("authors") or []), "Summary": " ".join(str(meta["summary"]).split())}
    return "".join(f"{key}: {value}\n" for key, value in fields.items() if value)


def write_pelican(corpus_dir: Path, dest: Path) -> None:
    """Articles in content/, the about and FAQ pages in content/pages/, and the settings Pelican requires."""
    content = _fresh(dest) / "content"
    (content / "pages").mkdir(parents=True)
    (dest / "pelicanconf.py").write_text(PELICANCONF, encoding="utf-8")
    for source in read_corpus(corpus_dir):
        folder = content / "pages" if source.meta.get("layout") in {"page", "faq"} else content
        (folder / f"{source.stem}.md").write_text(_pelican_meta(source.meta) + "\n" + source.body, encoding="utf-8")


def pelican_argv(peer_dir: Path, out: Path) -> list[str]:
    return [str(pelican_bin()), "content", "-o", str(out), "-s", "pelicanconf.py", "-q"]


PEERS: tuple[Peer, ...] = (
    Peer("hugo", "hugo", "apt-get update && apt-get install -y hugo", write_hugo, hugo_argv),
    Peer("eleventy", eleventy_bin(), "npm install --prefix bench --no-save --no-package-lock @11ty/eleventy@3",
         write_eleventy, eleventy_argv),
    Peer("pelican", pelican_bin(), "python3 -m venv bench/_work/pelican-venv && "
         "bench/_work/pelican-venv/bin/pip install pelican markdown", write_pelican, pelican_argv),
)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus_dir", type=Path, help="a site written by bench/corpus.py")
    parser.add_argument("out_dir", type=Path, help="folder for one input folder per peer")
    args = parser.parse_args(argv)
    for peer in PEERS:
        peer.write(args.corpus_dir, args.out_dir / peer.name)
        state = "" if peer.installed() else f" (not installed: {peer.install})"
        print(f"{peer.name}: {args.out_dir / peer.name}{state}")


if __name__ == "__main__":
    main()
