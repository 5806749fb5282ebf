"""Markdown stage scaling: time per link and per citation as one page grows.

Every step of `MarkdownEngine.parse` must be linear (or n log n) in the links and citations of a page; a
per-item time that grows with the size means a quadratic spot has come back.

    python bench/markdown_scaling.py [--sizes 2000,4000,8000,16000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from carepages.markdown import MarkdownEngine  # noqa: E402


def links_in_one_paragraph(n: int) -> str:
    return " ".join(f"see [page {i}](page-{i % 50}.md) and" for i in range(n)) + " done.\n"


def same_link_in_one_paragraph(n: int) -> str:
    return "Read [more](more.md) now. " * n + "\n"


def citations_in_one_page(n: int) -> str:
    lines = [f"Claim {i} [@key{i % 300}]." + ("\n" if i % 8 == 7 else " ") for i in range(n)]
    return "".join(lines) + "\n"


def citations_in_one_line(n: int) -> str:
    return "Claim [@a]. " * n + "\n"


def images_in_one_paragraph(n: int) -> str:
    return " ".join(f"![pic {i}](pic-{i % 20}.png)" for i in range(n)) + "\n"


def brackets_without_end(n: int) -> str:
    return "](a" * n + "\n"


CASES: dict[str, Callable[[int], str]] = {
    "links, one paragraph": links_in_one_paragraph,
    "same link, one line": same_link_in_one_paragraph,
    "citations, one page": citations_in_one_page,
    "same citation, one line": citations_in_one_line,
    "images, one paragraph": images_in_one_paragraph,
    "'](a' repeated, one line": brackets_without_end,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="2000,4000,8000,16000")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs (the machine may be busy)")
    parser.add_argument("--no-gc", action="store_true",
                        help="turn Python's cyclic garbage collector off, to see the algorithm's own cost")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    engine = MarkdownEngine()
    if args.no_gc:
        gc.disable()
    print(f"{'case':26}" + "".join(f"{n:>12}" for n in sizes) + "   (microseconds per item)")
    for name, make in CASES.items():
        row = f"{name:26}"
        for n in sizes:
            text = make(n)
            lines = text.split("\n")
            best = float("inf")
            for _ in range(args.repeat):
                start = time.perf_counter()
                engine.parse(text, Path("bench.md"), 1, lines)
                best = min(best, time.perf_counter() - start)
            row += f"{best / n * 1e6:12.1f}"
        print(row, flush=True)


if __name__ == "__main__":
    main()
