"""Scaling check: does build time grow in step with the site, or faster? (Not a test: it takes minutes.)

    python bench/scaling.py [--sizes 1000,2000,4000] [--citations 2000,4000,8000] [--links 2000,4000,8000]
                            [--repeat 1] [--series pages,citations,one-source,links] [--jobs N] [--record FILE]

Every step of a build must be linear or n log n in pages, links and citations (issue 8). Four series:

- pages: whole corpora of growing size (the floor is timed beside them, as the linear reference);
- citations: one page that cites K different sources, in a small site;
- one-source: one line that cites one source K times (one reference entry with K backlinks);
- links: one paragraph, on one line, of K links to the other articles, in the same small site.

Each time is a whole build process (start-up included), the median of `--repeat`. The work a size adds is
its time minus the time of the series' base (a one-article site for pages, the small site without the big
page for the others), so start-up and fixed costs do not hide growth. A step is flagged when doubling the
input more than doubles that work by a clear margin: time ratio above (size ratio) ** 1.38, which is 2.6x
for a doubling, and more than half a second of extra work (so that noise on small numbers is not flagged).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
import run  # noqa: E402

WORK = BENCH / "_work" / "scaling"
RECORD = BENCH / "results" / "scaling.json"
EXPONENT = 1.38  # 2 ** 1.38 = 2.6: "doubling the input more than 2.6x the time"
NOISE_S = 0.5
BASE_ARTICLES = 20  # the small site the pathological pages are added to


@dataclass
class Point:
    size: int
    seconds: float
    work_s: float  # seconds minus the series' base
    per_unit_ms: float
    growth: float | None = None  # work ratio to the previous size
    size_ratio: float | None = None
    flagged: bool = False
    floor_s: float | None = None


def median_build(site: Path, out: Path, repeat: int, setup: argparse.Namespace) -> float:
    """Median whole-process build time; stops on a failed build or a warning, like run.py."""
    argv = run.build_argv(setup.python, setup.engine, site, out, setup.jobs)
    command = run.Command("scaling", f"build of {site.name}", "carepages", argv, site.parent,
                          lambda: shutil.rmtree(out, ignore_errors=True))
    log = site.parent / f"{site.name}.log"
    return statistics.median(run.run_checked(command, log, setup.settle).seconds for _ in range(repeat))


def median_floor(site: Path, repeat: int, setup: argparse.Namespace) -> float:
    argv = [setup.python, str(BENCH / "floor.py"), str(site / "content"), "--jobs", str(setup.jobs), "-q"]
    command = run.Command("floor", "floor", "floor", argv, site.parent)
    return statistics.median(run.run_checked(command, site.parent / "floor.log", setup.settle).seconds
                             for _ in range(repeat))


def points(sizes: Sequence[int], base_s: float, times: Sequence[float]) -> list[Point]:
    """Per-unit cost and growth between consecutive sizes, with superlinear steps flagged."""
    result: list[Point] = []
    for size, seconds in zip(sizes, times, strict=True):
        work = max(seconds - base_s, 1e-3)
        point = Point(size, round(seconds, 3), round(work, 3), round(1000 * work / size, 3))
        if result and result[-1].work_s >= NOISE_S / 5:  # growth from almost nothing is noise
            previous = result[-1]
            point.size_ratio = round(size / previous.size, 2)
            point.growth = round(work / previous.work_s, 2)
            point.flagged = (point.growth > point.size_ratio ** EXPONENT and work - previous.work_s > NOISE_S)
        result.append(point)
    return result


# -- the three series -------------------------------------------------------------------------------------

def pages_series(args: argparse.Namespace) -> dict[str, object]:
    base_site = args.work / "pages-1"
    corpus.generate(base_site, 1, args.seed)
    base = median_build(base_site, args.work / "pages-1-out", args.repeat, args)
    times, floors = [], []
    for size in args.sizes:
        site = args.work / f"pages-{size}"
        corpus.generate(site, size, args.seed)
        times.append(median_build(site, args.work / f"pages-{size}-out", args.repeat, args))
        floors.append(median_floor(site, args.repeat, args))
        print(f"  pages {size}: {times[-1]:.2f} s (floor {floors[-1]:.2f} s)", flush=True)
        shutil.rmtree(site)
        shutil.rmtree(args.work / f"pages-{size}-out", ignore_errors=True)
    series = points(args.sizes, base, times)
    for point, floor in zip(series, floors, strict=True):
        point.floor_s = round(floor, 3)
    return {"unit": "article", "base": "a one-article site", "base_s": round(base, 3),
            "points": [asdict(p) for p in series]}


def small_site(args: argparse.Namespace, name: str) -> Path:
    site = args.work / name
    corpus.generate(site, BASE_ARTICLES, args.seed)
    return site


def add_citing_page(site: Path, count: int, sources: int | None = None, per_line: int = 10) -> None:
    """One page with `count` citations, one per sentence, of `sources` sources no other page cites (default:
    a different source for each citation), `per_line` sentences to a line and paragraph."""
    sources = count if sources is None else sources
    keys = [f"bulk{n}" for n in range(sources)]
    entries = [f"{key}:\n  type: article-journal\n  author:\n  - {{family: Bulk, given: A}}\n"
               f"  title: Source number {n}\n  container-title: Journal of Benchmarks\n  issued: 2020\n"
               f"  DOI: 10.9999/bulk.{n}\n  PMID: '{80000000 + n}'\n" for n, key in enumerate(keys)]
    # In files of 1,500 (about 15,000 YAML values): the engine refuses a bibliography file over 20,000.
    names = [f"bulk-{n}.yaml" for n in range(0, sources, 1500)]
    for name, start in zip(names, range(0, sources, 1500), strict=True):
        (site / "content" / name).write_text("\n".join(entries[start:start + 1500]), encoding="utf-8")
    toml = (site / "site.toml").read_text(encoding="utf-8")
    head = toml.split("[organisation]")[0]
    listed = re.findall(r'"(references[^"]*\.yaml)"', head) or ["references.yaml"]
    toml = re.sub(r"^bibliography = .*\n", "", toml, flags=re.M)
    toml = toml.replace("\nintro = ", f"\nbibliography = {json.dumps(listed + names)}\n\nintro = ", 1)
    (site / "site.toml").write_text(toml, encoding="utf-8")
    sentences = [f"Finding number {n} comes from this source [@{keys[n % sources]}]." for n in range(count)]
    paragraphs = [" ".join(sentences[i:i + per_line]) for i in range(0, count, per_line)]
    _write_page(site, "many-citations", f"A page with {count} citations", "\n\n".join(paragraphs))


def add_one_source_page(site: Path, count: int) -> None:
    """One paragraph, on one line, that cites the same source `count` times: one reference with `count`
    backlinks, and `count` identical citations on a line (as generated or pasted text can have)."""
    add_citing_page(site, count, sources=1, per_line=count)


def add_linking_page(site: Path, count: int) -> None:
    """One paragraph, on one line, of `count` links to the other articles of the site in turn (so the same
    link recurs on the line, as in generated or pasted text)."""
    targets = sorted(p.stem for p in (site / "content").glob("*.md") if p.stem not in {"about", "faq"})
    links = [f"[see page {n}]({targets[n % len(targets)]}.md)" for n in range(count)]
    _write_page(site, "many-links", f"A page with {count} links", " ".join(links))


def _write_page(site: Path, slug: str, title: str, body: str) -> None:
    front = (f"---\ntitle: {title}\nsummary: A generated page for the scaling benchmark.\nlayout: page\n"
             "date: 2024-01-01\nupdated: 2024-01-01\n---\n\n")
    (site / "content" / f"{slug}.md").write_text(front + body + "\n", encoding="utf-8")


def big_page_series(args: argparse.Namespace, name: str, sizes: Sequence[int],
                    add: Callable[[Path, int], None]) -> dict[str, object]:
    """The small site alone (the base), then with one big page of each size."""
    base_site = small_site(args, f"{name}-base")
    base = median_build(base_site, args.work / f"{name}-base-out", args.repeat, args)
    times = []
    for size in sizes:
        site = small_site(args, f"{name}-{size}")
        add(site, size)
        times.append(median_build(site, args.work / f"{name}-{size}-out", args.repeat, args))
        print(f"  {name} {size}: {times[-1]:.2f} s", flush=True)
    unit = {"citations": "citation", "one-source": "citation", "links": "link"}[name]
    return {"unit": unit, "base": f"the {BASE_ARTICLES}-article site without the page", "base_s": round(base, 3),
            "points": [asdict(p) for p in points(sizes, base, times)]}


# -- report -----------------------------------------------------------------------------------------------

def report(name: str, series: dict[str, object]) -> str:
    unit = series["unit"]
    lines = [f"{name}: base ({series['base']}) {series['base_s']:.2f} s",
             f"  {'size':>7} {'time s':>8} {'minus base':>11} {'ms per ' + str(unit):>16} {'growth':>16}"]
    for point in series["points"]:  # type: ignore[attr-defined]
        growth = ""
        if point["growth"] is not None:
            growth = f"{point['growth']:.2f}x for {point['size_ratio']:.1f}x"
            growth += "  SUPERLINEAR" if point["flagged"] else ""
        floor = f"  (floor {point['floor_s']:.2f} s)" if point["floor_s"] is not None else ""
        lines.append(f"  {point['size']:>7} {point['seconds']:>8.2f} {point['work_s']:>11.2f} "
                     f"{point['per_unit_ms']:>16.3f} {growth:>16}{floor}")
    return "\n".join(lines)


def sizes(text: str) -> list[int]:
    values = [int(part) for part in text.split(",") if part.strip()]
    if values != sorted(values) or len(set(values)) != len(values) or min(values, default=1) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive and increasing, such as 1000,2000,4000")
    return values


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=sizes, default=[1000, 2000, 4000], help="articles per corpus")
    parser.add_argument("--citations", type=sizes, default=[2000, 4000, 8000], help="citations in one page")
    parser.add_argument("--links", type=sizes, default=[2000, 4000, 8000], help="links in one paragraph")
    parser.add_argument("--series", default="pages,citations,one-source,links",
                        help="which series to run (default: pages,citations,one-source,links)")
    parser.add_argument("--repeat", type=int, default=1, help="builds per point; the median is used (default: 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--settle", type=float, default=30,
                        help="before each build, wait up to this many seconds for idle CPUs (0: do not wait)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes for the builds and the floor (default: CPUs)")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--engine", type=Path, default=run.ROOT)
    parser.add_argument("--work", type=Path, default=WORK)
    parser.add_argument("--record", type=Path, default=RECORD)
    args = parser.parse_args(argv)
    args.work = args.work.resolve()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    chosen = args.series.split(",")
    results: dict[str, dict[str, object]] = {}
    if "pages" in chosen:
        results["pages"] = pages_series(args)
    if "citations" in chosen:
        results["citations"] = big_page_series(args, "citations", args.citations, add_citing_page)
    if "one-source" in chosen:
        results["one-source"] = big_page_series(args, "one-source", args.citations, add_one_source_page)
    if "links" in chosen:
        results["links"] = big_page_series(args, "links", args.links, add_linking_page)
    print()
    for name, series in results.items():
        print(report(name, series) + "\n")
    flagged = [f"{name} at {p['size']}" for name, s in results.items() for p in s["points"]  # type: ignore[attr-defined]
               if p["flagged"]]
    print("Superlinear steps: " + (", ".join(flagged) if flagged else "none") +
          f" (flagged when the added work grows faster than size ** {EXPONENT}).")
    record = {"command": "python bench/scaling.py " + " ".join(sys.argv[1:] if argv is None else argv),
              "engine": run.git_describe(args.engine), "cpus": os.cpu_count(), "repeat": args.repeat,
              "flag_exponent": EXPONENT, "doubling_threshold": round(2 ** EXPONENT, 2),
              "series": results, "superlinear": flagged}
    args.record.parent.mkdir(parents=True, exist_ok=True)
    args.record.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"Record written to {args.record}")


if __name__ == "__main__":
    main()
