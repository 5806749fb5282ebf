"""The floor: the least work any Markdown site generator must do for a corpus, timed as a whole process.

    python bench/floor.py CONTENT_DIR [--jobs N]

It reads every .md file under CONTENT_DIR, drops the front matter and renders the body with plain
markdown-it-py (CommonMark, no plugins), split over N worker processes (default: every CPU). Nothing is
validated, templated or written. The benchmark runs this as a subprocess exactly as it runs a build, so
the floor also pays Python's start-up and imports: a build's ratio to it is the price of everything a
build does beyond parsing Markdown, with the parallelism the machine offers taken as given.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from markdown_it import MarkdownIt

_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def body(text: str) -> str:
    """The Markdown after a leading `---` front-matter block (the whole text if there is none)."""
    if not text.startswith("---"):
        return text
    first_newline = text.find("\n")
    end = _CLOSE.search(text, first_newline + 1) if first_newline >= 0 else None
    return text[end.end():] if end else text


def render_files(paths: Sequence[str]) -> tuple[int, int]:
    """Render one worker's share; returns (files, bytes of HTML) so the work cannot be optimised away."""
    md = MarkdownIt("commonmark")
    html_bytes = 0
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            html_bytes += len(md.render(body(handle.read())))
    return len(paths), html_bytes


def split(paths: Sequence[str], jobs: int) -> list[list[str]]:
    """Deal files out in turn, so each worker gets a similar mix of sizes."""
    return [list(paths[i::jobs]) for i in range(jobs) if paths[i::jobs]]


def render_all(paths: Sequence[str], jobs: int) -> tuple[int, int]:
    if jobs <= 1 or len(paths) <= 1:
        return render_files(paths)
    shares = split(paths, jobs)
    with multiprocessing.get_context("fork").Pool(len(shares)) as pool:
        results = pool.map(render_files, shares)
    return sum(r[0] for r in results), sum(r[1] for r in results)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content_dir", type=Path, help="folder of Markdown files (searched recursively)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes (default: the number of CPUs)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = sorted(str(p) for p in args.content_dir.rglob("*.md"))
    if not paths:
        print(f"no .md files under {args.content_dir}", file=sys.stderr)
        return 1
    files, html_bytes = render_all(paths, args.jobs)
    if not args.quiet:
        print(f"Rendered {files} files ({html_bytes / 1e6:.1f} MB of HTML) with {args.jobs} processes "
              f"in {time.perf_counter() - started:.2f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
