"""Build benchmark: whole-process timings of carepages against a floor and peers measured in the same run.

    python bench/run.py [--articles 2000] [--repeat 5]
                        [--scenarios cold,noop,body,title,template,config,check,check-cold]
                        [--no-peers] [--no-search] [--jobs N] [--engine DIR] [--record FILE]

Every figure is a whole process started the way a person starts it (`python build.py build SITE --out OUT`,
`hugo ...`), so interpreter start-up and imports count. Each scenario is run `--repeat` times, in rounds
that visit every command once (in a rotated order), so that drift on the machine (thermal, other jobs, the
page cache) touches all of them alike; the table shows medians. The floor is `floor.py`: plain markdown-it
over the same bodies in as many processes as CPUs, timed the same way, so each ratio says how much a build
costs on top of the Markdown parsing no generator can skip.

Edit scenarios start each run from the same state: a copy of the site with its output already built
(restored from a snapshot at the same path, so any cache the engine keeps inside the site or output folder
is restored too), then one edit, then the timed build. Peak memory is the child's maximum resident set size
from wait4; for a command that starts worker processes it is the largest single process, not their sum.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
import peers  # noqa: E402

ROOT = BENCH.parent
WORK = BENCH / "_work" / "run"
RECORD = BENCH / "results" / "latest.json"
EDIT_MARK = "benchmark edit"

# name -> label, in the order of the table
SCENARIOS: dict[str, str] = {
    "cold": "cold build",
    "noop": "no-op rebuild",
    "body": "rebuild after editing one article's body",
    "title": "rebuild after editing one article's title",
    "template": "rebuild after editing one template",
    "config": "rebuild after editing site.toml",
}
# `check` (the editorial rules, which builds do not run): not a build, shown in the table after them.
CHECKS: dict[str, str] = {
    "check": "check, after a build and a check (from the cache)",
    "check-cold": "check with --no-cache",
}
CHECK_TODAY = "2026-06-01"  # (review dates count from it: the same findings on any day)


@dataclass
class Run:
    """One timed process."""

    seconds: float
    peak_mb: float
    cpu_seconds: float
    load_before: float  # 1-minute load average just before: other work on the machine shows up here
    idle_before: float | None = None  # share of CPU time idle over the moments before the run (Linux)
    waited_s: float = 0.0  # how long the run waited for the machine to settle


@dataclass
class Command:
    """Something to time: the command line, and the untimed preparation that puts its inputs in place."""

    key: str
    label: str
    kind: str  # floor | carepages | check | peer | search
    argv: list[str]
    cwd: Path
    prepare: Callable[[], None] = lambda: None
    verify: Callable[[], str | None] = lambda: None  # after a run: None, or what is wrong with its output
    runs: list[Run] = field(default_factory=list)
    said: str = ""  # the last run's summary line (carepages: what it rendered and re-used)


# -- timing -----------------------------------------------------------------------------------------------

def child_env() -> dict[str, str]:
    """The environment for timed commands: Python may cache bytecode (as an installed carepages has it),
    in a folder of the benchmark's own so that nothing is written into the engine's checkout."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(BENCH / "_work" / "pycache")
    return env


def timed(argv: Sequence[str], cwd: Path, log: Path) -> tuple[Run, int]:
    """Run a command to completion; wall time from fork to reaping, max RSS and CPU time from wait4."""
    load = os.getloadavg()[0]
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(list(argv), cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env=child_env())
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    run = Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, load)
    return run, process.returncode


def cpu_idle(window: float = 2.0) -> float | None:
    """The share of all CPUs' time spent idle during the next `window` seconds (None where /proc/stat is not)."""
    def sample() -> list[int]:
        with open("/proc/stat", encoding="ascii") as handle:
            return [int(x) for x in handle.readline().split()[1:]]
    try:
        before = sample()
        time.sleep(window)
        after = sample()
    except OSError:
        return None
    deltas = [b - a for a, b in zip(before, after, strict=False)]
    return (deltas[3] + deltas[4]) / max(1, sum(deltas))  # idle + iowait


def settle(max_wait: float, idle_needed: float = 0.75) -> tuple[float | None, float]:
    """Wait (up to `max_wait` seconds) until the machine is mostly idle, so other people's jobs on a shared
    machine do not land in one run; returns the last idle share and the seconds waited."""
    started = time.perf_counter()
    idle = cpu_idle() if max_wait > 0 else None
    while idle is not None and idle < idle_needed and time.perf_counter() - started < max_wait:
        idle = cpu_idle()
    return idle, time.perf_counter() - started


def run_checked(command: Command, log: Path, max_wait: float = 0.0) -> Run:
    """Time one run and stop the benchmark if it failed or (for carepages) printed a warning: a build
    that does less than it should must not be reported as fast."""
    command.prepare()
    idle, waited = settle(max_wait)
    run, code = timed(command.argv, command.cwd, log)
    run.idle_before, run.waited_s = idle, round(waited, 1)
    output = log.read_text(encoding="utf-8", errors="replace")
    # (check exits 1 when it finds errors: the corpus has some)
    allowed = (0, 1) if command.kind == "check" else (0,)
    if code not in allowed or (command.kind == "carepages" and ("warning:" in output or "error:" in output)):
        raise SystemExit(f"{command.label} failed (exit {code}); output in {log}:\n{output[-3000:]}")
    problem = command.verify()
    if problem:
        raise SystemExit(f"{command.label}: {problem}")
    command.said = next((line for line in reversed(output.splitlines()) if line.startswith("Built ")), "")
    return run


def shows(out: Path, evidence: str) -> bool:
    """Whether any built HTML page contains `evidence`."""
    return any(evidence in page.read_text(encoding="utf-8", errors="replace") for page in out.rglob("*.html"))


# -- preparing inputs ------------------------------------------------------------------------------------

def restore(snapshot: Path, target: Path) -> None:
    """Put `target` back exactly as `snapshot` (modification times included, since a cache may use them)."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(snapshot, target, symlinks=True)


def build_argv(python: str, engine: Path, site: Path, out: Path, jobs: int) -> list[str]:
    """Search indexing is left out (it is timed on its own); an engine with worker processes gets as many as
    the floor has."""
    argv = [python, str(engine / "build.py"), "build", str(site), "--out", str(out)]
    cli = (engine / "carepages" / "cli.py").read_text(encoding="utf-8") if (engine / "carepages" / "cli.py").is_file() \
        else ""
    argv += ["--no-search"] if "--no-search" in cli else []
    argv += ["--jobs", str(jobs)] if '"--jobs"' in cli else []
    return argv


def edited_article(site: Path) -> Path:
    """The article in the middle of the sorted list: neither first nor last in any listing."""
    articles = sorted(p for p in (site / "content").glob("*.md") if p.name not in {"about.md", "faq.md"})
    return articles[len(articles) // 2]


def edit_body(site: Path) -> None:
    path = edited_article(site)
    path.write_text(path.read_text(encoding="utf-8") + f"\nOne more sentence for the {EDIT_MARK}.\n",
                    encoding="utf-8")


def edit_title(site: Path) -> None:
    path = edited_article(site)
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("title: "))
    title = lines[index][len("title: "):].strip('"')
    lines[index] = "title: " + json.dumps(f"{title} (revised)")
    path.write_text("\n".join(lines), encoding="utf-8")


def edit_template(site: Path) -> None:
    path = site / "templates" / "article.html"
    text = path.read_text(encoding="utf-8")
    block = "{% block content %}"
    text = text.replace(block, f"{block}<!-- {EDIT_MARK} -->", 1) if block in text else text + f"<!-- {EDIT_MARK} -->"
    path.write_text(text, encoding="utf-8")


def edit_config(site: Path) -> None:
    path = site / "site.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('tagline = "', f'tagline = "({EDIT_MARK}) ', 1), encoding="utf-8")


# What each edit leaves in the built site, so a rebuild that skipped the edit is caught rather than timed.
EDIT_EVIDENCE = {"body": EDIT_MARK, "title": "(revised)", "template": EDIT_MARK, "config": EDIT_MARK}

EDITS: dict[str, Callable[[Path], None] | None] = {
    "cold": None, "noop": None, "body": edit_body, "title": edit_title, "template": edit_template,
    "config": edit_config,
}


def theme_template(engine: Path, name: str) -> Path | None:
    """The engine's default template `name`, wherever the engine keeps its theme."""
    for candidate in (engine / "templates" / name, engine / "carepages" / "theme" / "templates" / name):
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class Setup:
    """Paths and settings shared by every command."""

    python: str
    engine: Path
    corpus: Path
    work: Path
    jobs: int


def carepages_command(key: str, setup: Setup) -> Command:
    """A carepages scenario: build once into a snapshot (untimed), then each run restores, edits, builds."""
    folder, snapshot = setup.work / key, setup.work / f"{key}.snapshot"
    site, out = folder / "site", folder / "out"
    restore(setup.corpus, site)
    (site / corpus.MARKER).unlink(missing_ok=True)
    if key == "template":
        source = theme_template(setup.engine, "article.html")
        if source is None:
            raise SystemExit(f"cannot find article.html in {setup.engine}'s theme for the template scenario")
        (site / "templates").mkdir(exist_ok=True)
        shutil.copy2(source, site / "templates" / "article.html")
    argv = build_argv(setup.python, setup.engine, site, out, setup.jobs)
    if key != "cold":  # the state before the edit: built once
        _, code = timed(argv, folder, setup.work / f"{key}.setup.log")
        if code != 0:
            raise SystemExit(f"setup build for {key} failed: see {setup.work / f'{key}.setup.log'}")
    shutil.rmtree(snapshot, ignore_errors=True)
    folder.rename(snapshot)
    edit = EDITS[key]

    def prepare() -> None:
        restore(snapshot, folder)
        if edit is not None:
            edit(site)

    def verify() -> str | None:
        evidence = EDIT_EVIDENCE.get(key)
        if not (out / "index.html").is_file():
            return f"no {out / 'index.html'} after the build"
        if evidence and not shows(out, evidence):
            return f"the rebuilt site does not show the edit ({evidence!r} is on no page)"
        return None

    return Command(key, SCENARIOS[key], "carepages", argv, snapshot.parent, prepare, verify)


def check_command(key: str, setup: Setup) -> Command:
    """`check` on the corpus: from the cache a build and a check left (each run restores that state), or
    with --no-cache."""
    folder, snapshot = setup.work / key, setup.work / f"{key}.snapshot"
    site = folder / "site"
    restore(setup.corpus, site)
    (site / corpus.MARKER).unlink(missing_ok=True)
    command = [setup.python, str(setup.engine / "build.py"), "check"]
    options = subprocess.run([*command, "--help"], capture_output=True, text=True).stdout  # what this engine takes
    argv = [*command, str(site), "--today", CHECK_TODAY]
    argv += ["--jobs", str(setup.jobs)] if "--jobs" in options else []  # (older engines: one CPU)
    if key == "check-cold":
        argv += ["--no-cache"] if "--no-cache" in options else []
    else:
        for step, steps in (("build", build_argv(setup.python, setup.engine, site, folder / "out", setup.jobs)),
                            ("check", argv)):
            _, code = timed(steps, folder, setup.work / f"{key}.{step}.log")
            if code not in (0, 1):
                raise SystemExit(f"setup {step} for {key} failed: see {setup.work / f'{key}.{step}.log'}")
    shutil.rmtree(snapshot, ignore_errors=True)
    folder.rename(snapshot)

    def verify() -> str | None:
        said = (snapshot.parent / "logs" / f"{key}.log").read_text(encoding="utf-8", errors="replace")
        return None if "Checked " in said else "check printed no summary line"

    return Command(key, CHECKS[key], "check", argv, snapshot.parent, lambda: restore(snapshot, folder), verify)


def floor_command(setup: Setup) -> Command:
    argv = [setup.python, str(BENCH / "floor.py"), str(setup.corpus / "content"), "--jobs", str(setup.jobs), "-q"]
    return Command("floor", f"floor: markdown-it, {setup.jobs} processes", "floor", argv, setup.work)


def peer_commands(setup: Setup) -> list[Command]:
    """Each installed peer, with its input written from the corpus; a missing one is named with its install."""
    commands = []
    for peer in peers.PEERS:
        if not peer.installed():
            print(f"  {peer.name}: not installed: {peer.install}")
            continue
        peer_dir, out = setup.work / "peers" / peer.name, setup.work / "peers" / f"{peer.name}-out"
        peer.write(setup.corpus, peer_dir)

        def prepare(out: Path = out, peer_dir: Path = peer_dir) -> None:
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(peer_dir / "resources", ignore_errors=True)  # Hugo's cache: a cold build has none

        commands.append(Command(peer.name, f"{peer.name} (cold build)", "peer", peer.argv(peer_dir, out),
                                peer_dir, prepare))
    return commands


def pagefind_python(python: str) -> str | None:
    """An interpreter that can run `-m pagefind_bin`: this one, the benchmark's, or bench/_work/pagefind-venv."""
    candidates = [python, sys.executable, str(BENCH / "_work" / "pagefind-venv" / "bin" / "python")]
    if importlib.util.find_spec("pagefind_bin") is not None and python == sys.executable:
        return python
    for candidate in dict.fromkeys(candidates):
        if Path(candidate).exists() and subprocess.run([candidate, "-c", "import pagefind_bin"],
                                                       capture_output=True).returncode == 0:
            return candidate
    return None


def search_command(setup: Setup, built_site: Path) -> Command | None:
    """Pagefind over a built copy of the site, timed apart from the build (carepages has no search yet)."""
    python = pagefind_python(setup.python)
    if python is None:
        print("  search indexing: not installed: python3 -m venv bench/_work/pagefind-venv && "
              "bench/_work/pagefind-venv/bin/pip install pagefind-bin")
        return None
    site = setup.work / "search-site"
    restore(built_site, site)

    def prepare() -> None:
        shutil.rmtree(site / "pagefind", ignore_errors=True)

    return Command("pagefind", "search index (pagefind over the built site)", "search",
                   [python, "-m", "pagefind_bin", "--site", str(site)], setup.work, prepare)


# -- reporting --------------------------------------------------------------------------------------------

def summary(command: Command, floor: float) -> dict[str, object]:
    seconds = [r.seconds for r in command.runs]
    median = statistics.median(seconds)
    return {
        "label": command.label, "kind": command.kind, "median_s": round(median, 3),
        "min_s": round(min(seconds), 3), "max_s": round(max(seconds), 3),
        "ratio_to_floor": round(median / floor, 2),
        "peak_mb": round(max(r.peak_mb for r in command.runs), 1),
        "cpu_s_median": round(statistics.median(r.cpu_seconds for r in command.runs), 2),
        "load_before_median": round(statistics.median(r.load_before for r in command.runs), 2),
        "idle_before_min": min((r.idle_before for r in command.runs if r.idle_before is not None), default=None),
        "runs": [asdict(r) for r in command.runs],
        "argv": command.argv,
        "last_summary_line": command.said,
    }


def table(rows: dict[str, dict[str, object]]) -> str:
    """A Markdown table, readable in a terminal and pasteable into README.md."""
    lines = ["| scenario | median s | min-max s | x floor | peak MB | CPU s |", "|---|---:|---:|---:|---:|---:|"]
    for kind in ("floor", "carepages", "check", "search", "peer"):
        for row in rows.values():
            if row["kind"] == kind:
                lines.append(f"| {row['label']} | {row['median_s']:.2f} | {row['min_s']:.2f}-{row['max_s']:.2f} | "
                             f"{row['ratio_to_floor']:.1f} | {row['peak_mb']:.0f} | {row['cpu_s_median']:.1f} |")
    return "\n".join(lines)


def git_describe(folder: Path) -> str:
    result = subprocess.run(["git", "-C", str(folder), "describe", "--always", "--dirty", "--abbrev=12"],
                            capture_output=True, text=True)
    return result.stdout.strip() or "unknown"


def engine_change(folder: Path) -> str:
    """The last commit that touched the engine or its theme: the checkout's own commit may be a bench change."""
    result = subprocess.run(["git", "-C", str(folder), "log", "-1", "--format=%h %s", "--", "carepages", "templates",
                             "static"], capture_output=True, text=True)
    return result.stdout.strip() or "unknown"


def tool_versions(commands: Sequence[Command]) -> dict[str, str]:
    probes = {"hugo": ["hugo", "version"], "eleventy": [str(peers.eleventy_bin()), "--version"],
              "pelican": [str(peers.pelican_bin()), "--version"]}
    versions = {}
    for command in commands:
        if command.key in probes:
            result = subprocess.run(probes[command.key], capture_output=True, text=True)
            versions[command.key] = (result.stdout or result.stderr).strip().splitlines()[0]
    return versions


# -- main -------------------------------------------------------------------------------------------------

def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="articles in the corpus (default: 2000)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default: 1)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each command (default: 5)")
    parser.add_argument("--scenarios", default=",".join([*SCENARIOS, *CHECKS]),
                        help=f"comma-separated carepages scenarios (default: all: {','.join([*SCENARIOS, *CHECKS])})")
    parser.add_argument("--no-peers", action="store_true", help="do not time Hugo, Eleventy and Pelican")
    parser.add_argument("--no-search", action="store_true", help="do not time search indexing")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="floor processes (default: CPUs)")
    parser.add_argument("--settle", type=float, default=120,
                        help="before each run, wait up to this many seconds for the CPUs to be 75%% idle "
                             "(for shared machines; 0: do not wait; default: 120)")
    parser.add_argument("--python", default=sys.executable, help="interpreter for carepages and the floor")
    parser.add_argument("--engine", type=Path, default=ROOT, help="carepages checkout to time (default: this one)")
    parser.add_argument("--record", type=Path, default=RECORD, help=f"JSON record (default: {RECORD})")
    parser.add_argument("--work", type=Path, default=WORK, help=f"scratch folder (default: {WORK})")
    args = parser.parse_args(argv)
    unknown = set(args.scenarios.split(",")) - set(SCENARIOS) - set(CHECKS)
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(sorted(unknown))}; choose from "
                     f"{', '.join([*SCENARIOS, *CHECKS])}")
    return args


def prepare_commands(args: argparse.Namespace, setup: Setup) -> list[Command]:
    print("Setting up (untimed): corpus, one build per edit scenario, peer inputs", flush=True)
    commands = [floor_command(setup)]
    for key in SCENARIOS:
        if key in args.scenarios.split(","):
            commands.append(carepages_command(key, setup))
            print(f"  {SCENARIOS[key]}: ready", flush=True)
    for key in CHECKS:
        if key in args.scenarios.split(","):
            commands.append(check_command(key, setup))
            print(f"  {CHECKS[key]}: ready", flush=True)
    if not args.no_search:
        built = next((setup.work / f"{k}.snapshot" / "out" for k in SCENARIOS if k != "cold"
                      and (setup.work / f"{k}.snapshot" / "out").is_dir()), None)
        search = search_command(setup, built) if built else None
        commands += [search] if search else []
    if not args.no_peers:
        commands += peer_commands(setup)
    return commands


def measure(commands: list[Command], repeat: int, logs: Path, max_wait: float) -> None:
    """`repeat` rounds; each round runs every command once, starting one place later than the last round."""
    logs.mkdir(parents=True, exist_ok=True)
    for command in commands:
        if command.kind not in ("carepages", "check"):  # those were run once by their setup
            run_checked(command, logs / f"{command.key}.log")
            print(f"  warm-up (untimed, writes bytecode and checks it works): {command.label}", flush=True)
    for round_number in range(repeat):
        shift = round_number % len(commands)
        for command in commands[shift:] + commands[:shift]:
            run = run_checked(command, logs / f"{command.key}.log", max_wait)
            command.runs.append(run)
            idle = "" if run.idle_before is None else f" (CPUs {run.idle_before:.0%} idle before)"
            print(f"  round {round_number + 1}/{repeat}: {command.label}: {run.seconds:.2f} s{idle}", flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    info = corpus.generate(work / "corpus", args.articles, args.seed)
    setup = Setup(args.python, args.engine.resolve(), work / "corpus", work, args.jobs)
    commands = prepare_commands(args, setup)
    measure(commands, args.repeat, work / "logs", args.settle)

    floor = statistics.median(r.seconds for r in commands[0].runs)
    rows = {c.key: summary(c, floor) for c in commands}
    text = table(rows)
    print(f"\n{info.articles} articles ({info.markdown_bytes / 1e6:.1f} MB of Markdown, {info.references} sources), "
          f"medians of {args.repeat} whole-process runs on {os.cpu_count()} CPUs:\n\n{text}\n")
    print("Search indexing is timed on its own and is not part of any build time above.")
    loads = [r.load_before for c in commands for r in c.runs]
    print(f"Load average before runs: median {statistics.median(loads):.2f}, max {max(loads):.2f} "
          f"(about 1 is this benchmark itself; more means other work shared the {os.cpu_count()} CPUs).")
    record = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": "python bench/run.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "engine": {"path": str(setup.engine), "revision": git_describe(setup.engine),
                   "last_engine_change": engine_change(setup.engine)},
        "corpus": asdict(info), "repeat": args.repeat, "floor_jobs": args.jobs,
        "peers": tool_versions(commands), "results": rows, "table": text,
    }
    args.record.parent.mkdir(parents=True, exist_ok=True)
    args.record.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"Record written to {args.record}")


if __name__ == "__main__":
    main()
