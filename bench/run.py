"""Build benchmark: carepages against a baseline measured in the same run.

The baseline is the work no generator can skip: rendering the same Markdown bodies with plain markdown-it-py
(CommonMark, no plugins, no templates, nothing written). The ratio says how much the whole build (front
matter, validation, citations, templates, feeds, writing files) costs on top of that.

    python bench/run.py [--pages 400] [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from markdown_it import MarkdownIt  # noqa: E402

import carepages  # noqa: E402

WORK = ROOT / "bench" / "_work"


def make_site(pages: int) -> Path:
    """A site of `pages` articles: the starter articles copied under new slugs."""
    site = WORK / "site"
    shutil.rmtree(WORK, ignore_errors=True)
    (site / "content").mkdir(parents=True)
    shutil.copy(ROOT / "site.toml", site / "site.toml")
    shutil.copy(ROOT / "content" / "references.yaml", site / "content" / "references.yaml")
    for name in ("about.md", "accessibility.md", "privacy.md", "faq.md"):
        shutil.copy(ROOT / "content" / name, site / "content" / name)
    sources = [p for p in sorted((ROOT / "content").glob("*.md")) if "layout:" not in p.read_text()]
    for i in range(pages):
        source = sources[i % len(sources)]
        text = source.read_text(encoding="utf-8")
        # Copies link to each other's originals, which exist; give each copy its own slug.
        text = text.replace("---\ntitle: ", f"---\nslug: {source.stem}-{i}\ntitle: ", 1)
        (site / "content" / f"{source.stem}-{i}.md").write_text(text, encoding="utf-8")
    for source in sources:
        shutil.copy(source, site / "content" / source.name)
    return site


def bodies(site: Path) -> list[str]:
    return [re.split(r"^---$", p.read_text(encoding="utf-8"), maxsplit=2, flags=re.M)[-1]
            for p in sorted((site / "content").glob("*.md"))]


def time_it(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    site = make_site(args.pages)
    texts = bodies(site)
    megabytes = sum(len(t.encode()) for t in texts) / 1e6
    md = MarkdownIt("commonmark")

    baseline = time_it(lambda: [md.render(t) for t in texts], args.repeat)
    build = time_it(lambda: carepages.build(site, WORK / "out"), args.repeat)
    pages = len(texts)
    print(f"{pages} pages, {megabytes:.1f} MB of Markdown; best of {args.repeat} runs")
    print(f"  baseline (markdown-it render only): {baseline:.2f} s  ({pages / baseline:.0f} pages/s)")
    print(f"  carepages build (complete site):    {build:.2f} s  ({pages / build:.0f} pages/s)")
    print(f"  ratio build / baseline:             {build / baseline:.2f}x")
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
