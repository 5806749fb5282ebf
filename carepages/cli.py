"""The command line: `carepages build | serve | new` (also `python build.py ...`).

Exit codes: 0 success, 1 the site's content or config is wrong (every problem printed as
`path:line:col: error: message`), 2 the command was used wrongly. `--debug` shows a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import SiteError
from .fields import did_you_mean
from .stopping import Stopped, stop_on_signals
from .terminal import count, print_diagnostics, shown_path

if TYPE_CHECKING:
    from .freshness import Known

EXIT_OK, EXIT_SITE_ERROR, EXIT_USAGE = 0, 1, 2
COMMANDS = ("build", "serve", "new", "related", "check", "report")
_LIBRARIES = {"yaml", "jinja2", "markupsafe", "markdown_it", "mdit_py_plugins", "nh3"}
_TAKES_A_VALUE = {"--out", "--port", "--host", "--topic", "--site", "--slug", "--format", "--today", "--jobs", "-j",
                  "--cache-dir"}


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", help="show a Python traceback for errors")

    parser = argparse.ArgumentParser(
        prog="carepages", parents=[common],
        description="Build a patient-education website from Markdown articles.",
        epilog="Run 'carepages COMMAND --help' for a command's options. With no command, builds the site.")
    parser.add_argument("--version", action="version", version=f"carepages {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", parents=[common], help="build the site into its output folder")
    _site_arguments(build)
    build.add_argument("--strict", action="store_true", help="treat warnings as errors (for CI)")
    build.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    build.add_argument("--handouts", action="store_true",
                       help="also make a printable PDF handout of each article (needs the optional "
                            "WeasyPrint and segno: pip install 'carepages[handouts]')")
    _search_argument(build)
    _work_arguments(build)

    serve = commands.add_parser("serve", parents=[common],
                                help="build, preview the site in a browser, and rebuild and reload it on each save")
    _site_arguments(serve)
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000; 0: any free one)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this computer only)")
    _search_argument(serve)
    _work_arguments(serve)

    related = commands.add_parser("related", parents=[common],
                                  help="explain one page's related pages: each candidate's score and why")
    related.add_argument("slug", help="the page's slug, e.g. what-is-ms")
    related.add_argument("site_dir", nargs="?", type=Path, default=Path("."), metavar="SITE_DIR",
                         help="folder with site.toml and content/ (default: here)")
    related.add_argument("--drafts", action="store_true", help="include pages marked draft: true")

    new = commands.add_parser("new", parents=[common], help="start a new article from a template")
    new.add_argument("title", help='the article title, in quotes: "Living with MS fatigue"')
    new.add_argument("--topic", action="append", default=[], type=_topic, help="a topic (repeat for several)")
    new.add_argument("--site", type=Path, default=Path("."), help="the site folder (default: here)")
    new.add_argument("--slug", help="the file and address name (default: made from the title)")

    _add_check_commands(commands, common)
    return parser


def _search_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-search", dest="search", action="store_false",
                        help="leave out the search index (quicker, for previews and benchmarks)")


def _work_arguments(parser: argparse.ArgumentParser, work: str = "parse and render") -> None:
    parser.add_argument("-j", "--jobs", type=_positive, metavar="N",
                        help=f"{work} on N processes (default: one per CPU; 1: in this process only)")
    parser.add_argument("--cache-dir", type=Path, metavar="DIR",
                        help="keep the build cache in DIR (default: cache_dir in site.toml, .carepages-cache)")
    parser.add_argument("--no-cache", dest="cache", action="store_false",
                        help=f"neither read nor write the build cache: {work} every page")


def _topic(text: str) -> str:
    topic = " ".join(text.split())
    if not topic:
        raise argparse.ArgumentTypeError("expected a topic's name, not an empty one")
    return topic


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, not '{text}'")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, 1 or more, not '{text}'")
    return value


def _site_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site_dir", nargs="?", type=Path, default=Path("."), metavar="SITE_DIR",
                        help="folder with site.toml and content/ (default: here)")
    parser.add_argument("--out", type=Path, help="output folder (default: output_dir in site.toml, _site)")
    parser.add_argument("--drafts", action="store_true", help="include pages marked draft: true")


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = _parser()
    except ModuleNotFoundError as exc:
        return _missing(exc)
    word = _first_word(args_list)
    if word not in COMMANDS and not any(a in {"-h", "--help", "--version"} for a in args_list):
        if word is not None and not Path(word).is_dir():
            return _unknown_command(word)
        args_list = ["build", *args_list]  # `python build.py [SITE_DIR]` builds
    args = parser.parse_args(args_list)
    with stop_on_signals():  # SIGTERM and SIGHUP stop a command as Ctrl+C does, with the same clean-up
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command == "serve":
            return _serve(args)
        if args.command == "new":
            return _new(args)
        if args.command == "related":
            return _related(args)
        if args.command in {"check", "report"}:
            from .checks.output import run_command
            return run_command(args)
        return _build(args)
    except SiteError as exc:
        if args.debug:
            raise
        print_diagnostics(exc.diagnostics)
        if args.command == "new":
            print("Nothing was created.", file=sys.stderr)
        else:
            print(f"Build failed: {count(len(exc.diagnostics), 'error')}. The previous output was left as it was.",
                  file=sys.stderr)
        if args.command == "serve":
            print("The server did not start.", file=sys.stderr)
        return EXIT_SITE_ERROR
    except KeyboardInterrupt as exc:
        print("\nStopped.", file=sys.stderr)
        return exc.exit_code if isinstance(exc, Stopped) else 130
    except ModuleNotFoundError as exc:
        if args.debug:
            raise
        return _missing(exc)
    except Exception as exc:
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in carepages, not in your site. Run again with --debug and report the traceback.",
              file=sys.stderr)
        return EXIT_SITE_ERROR


def _missing(exc: ModuleNotFoundError) -> int:
    """The libraries are imported when first needed: a Python without them gets build.py's one line."""
    if exc.name not in _LIBRARIES:
        raise exc
    print("carepages's packages are not installed here: run `make build` once, "
          "or use `.venv/bin/python build.py ...`", file=sys.stderr)
    return EXIT_USAGE


def _first_word(args: Sequence[str]) -> str | None:
    """The first argument that is neither an option nor an option's value: the command, or a site folder."""
    takes_value = False
    for arg in args:
        if takes_value:
            takes_value = False
        elif arg.startswith("-"):
            takes_value = arg in _TAKES_A_VALUE
        else:
            return arg
    return None


def _unknown_command(word: str) -> int:
    """A word that is neither a command nor a folder: a typo, most often (`bild`), so say so, not 'bild/site.toml
    not found'."""
    hint = did_you_mean(word, COMMANDS)
    if hint:
        print(f"carepages: unknown command '{word}'{hint}", file=sys.stderr)
    elif "/" in word or os.sep in word or Path(word).exists():
        print(f"carepages: '{word}' is not a folder: give the folder that holds site.toml", file=sys.stderr)
    else:
        print(f"carepages: unknown command '{word}': the commands are {', '.join(COMMANDS[:-1])} and "
              f"{COMMANDS[-1]} (run with --help to see them)", file=sys.stderr)
    return EXIT_USAGE


CHECK_FORMATS = ("text", "json", "github")  # check --format (carepages.checks.output writes each)


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def _add_check_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    check = commands.add_parser("check", parents=[common], help="check every page before publishing (no network)")
    _site_and_today(check)
    check.add_argument("--format", choices=CHECK_FORMATS, default="text",
                       help="text (default), json, or github (annotations in GitHub Actions)")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    _work_arguments(check, "parse and check")

    report = commands.add_parser("report", parents=[common],
                                 help="write the review dashboard: one HTML file to open from disk")
    _site_and_today(report)
    report.add_argument("--out", type=Path, required=True, help="the HTML file to write, e.g. review.html")
    _work_arguments(report, "parse and check")


def _site_and_today(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site_dir", nargs="?", type=Path, default=Path("."), metavar="SITE_DIR",
                        help="folder with site.toml and content/ (default: here)")
    parser.add_argument("--today", type=_iso_date, metavar="YYYY-MM-DD",
                        help="the date review dates are counted from (default: today), for reproducible results")


def _build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    known = _unchanged_build(args)  # before importing the rest: a build with nothing to do takes no time
    result = known.result if known else None
    if result is None:
        from .pipeline import build
        from .progress import TerminalProgress

        progress = TerminalProgress()
        try:
            result = build(args.site_dir, args.out, drafts=args.drafts, strict=args.strict, search=args.search,
                           jobs=args.jobs, cache_dir=args.cache_dir, cache=args.cache, progress=progress,
                           handouts=args.handouts, known=known)
        finally:
            progress.close()
    print_diagnostics(result.warnings)
    if not args.quiet:
        seconds = time.perf_counter() - started
        warnings = f", {count(len(result.warnings), 'warning')}" if result.warnings else ""
        counts = result.counts
        if counts.unchanged:
            done = f"nothing changed since the last build, its {count(counts.render_reused, 'file')} kept"
        else:
            done = (f"{len(counts.rendered)} rendered, {counts.render_reused} re-used from the cache, "
                    f"{count(result.files, 'file')} written")
        print(f"Built {count(result.pages, 'page')} into {shown_path(result.output_dir)} in {seconds:.2f} s: "
              f"{done}{warnings}.")
        if result.search and counts.unchanged:
            print(f"Search: the index of {count(result.search.pages, 'page')} was kept.")
        elif result.search:
            print(f"Search: {count(result.search.pages, 'page')} indexed in {result.search.seconds:.2f} s "
                  "(part of the time above).")
        else:
            print("Search: not indexed (--no-search); the search page will say that search is not available.")
        if args.handouts:
            kept = f", {result.handouts_reused} of them from the cache" if result.handouts_reused else ""
            print(f"Handouts: {count(result.handouts, 'PDF')}, one per article (handout.pdf in its folder){kept}.")
    return EXIT_OK


def _unchanged_build(args: argparse.Namespace) -> Known | None:
    from .cache import Cache, engine_fingerprint
    from .config import load_config
    from .errors import Problems
    from .freshness import cache_folder, unchanged_build

    if not args.cache:
        return None
    config = load_config(Path(os.path.abspath(args.site_dir)), Problems())
    return unchanged_build(config, Cache(cache_folder(config, args.cache_dir)), engine_fingerprint(), args.out,
                           drafts=args.drafts, search=args.search, strict=args.strict, handouts=args.handouts)


def _serve(args: argparse.Namespace) -> int:
    from .preview.session import Options, run_preview

    options = Options(args.site_dir, args.out, drafts=args.drafts, search=args.search, host=args.host,
                      port=args.port, debug=args.debug, jobs=args.jobs, cache_dir=args.cache_dir, cache=args.cache)
    try:
        run_preview(options)
    except SiteError as exc:
        if exc.rule != "serve/port":  # the site did not build: said as for `build`
            raise
        if args.debug:  # the port is taken: the build itself went well
            raise
        print_diagnostics(exc.diagnostics)
        if _via_make():
            print("The server did not start. With make, choose the port like this: make serve PORT=8001",
                  file=sys.stderr)
        else:
            print("The server did not start.", file=sys.stderr)
        return EXIT_SITE_ERROR
    return EXIT_OK


def _related(args: argparse.Namespace) -> int:
    from .pipeline import load_site

    site = load_site(args.site_dir, drafts=args.drafts).site
    page = next((p for p in site.pages if p.slug == args.slug), None)
    if page is None:
        slugs = sorted(p.slug for p in site.pages)
        print(f"carepages: no page with the slug '{args.slug}'{did_you_mean(args.slug, slugs)}", file=sys.stderr)
        return EXIT_USAGE
    from .model.related import related_matches

    settings = site.related_settings
    assert settings is not None
    matches = related_matches(site.pages, settings, misses=None, only=page.route).value[page.route].matches
    shown = [m for m in matches if m.shown]
    print(f"Related pages of '{page.title}' ({page.url}): {len(shown)} shown, up to {settings.count}.")
    for number, match in enumerate(matches, 1):
        other = site.by_route[match.route]
        if match.pinned:
            why = "pinned by the author (related:), always first"
        else:
            terms = "; ".join(f"{index}: {', '.join(terms)}" for index, terms in match.shared.items())
            verdict = "shown" if match.shown else ("cut: below the threshold" if match.score < settings.threshold
                                                   else "cut: the list is full")
            why = f"score {match.score:.2f} ({terms}), {verdict}"
        print(f"  {number}. {other.slug}: {why}")
    if not matches:
        print("  No other page shares a topic or keyword with it.")
    weights = ", ".join(f"{name} {weight:g}" for name, weight in settings.weights.items())
    print(f"Score: the sum, over shared terms, of the index's weight ({weights}) times ln(N / pages with the "
          f"term), N = {len(site.listed)} listed pages; threshold {settings.threshold:g}.")
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from .scaffold import new_article

    path = new_article(args.site, args.title, topics=args.topic, slug=args.slug)
    if _via_make() and args.site == Path("."):
        preview = "make serve DRAFTS=1"
    else:
        site = "" if args.site == Path(".") else f" {args.site}"
        preview = f"{_program()} serve{site} --drafts"
    print(f"Created {shown_path(path)}, a draft. Fill in the fields marked TODO, and preview it with: {preview}")
    return EXIT_OK


def _via_make() -> bool:
    """Run by the Makefile (GNU make sets MAKELEVEL), so the make command is the one to suggest."""
    return bool(os.environ.get("MAKELEVEL")) and Path("Makefile").is_file()


def _program() -> str:
    """How this command was run, so that a command we suggest works when pasted as it is."""
    script = Path(sys.argv[0])
    if script.name == "carepages":
        on_path = shutil.which("carepages")
        return "carepages" if on_path and _same(Path(on_path), script) else _relative(script)
    python = "python" if _same(Path(shutil.which("python") or "-"), Path(sys.executable)) else \
        _relative(Path(sys.executable))
    if script.name == "__main__.py":
        return f"{python} -m carepages"
    return f"{python} {_relative(script)}"


def _same(a: Path, b: Path) -> bool:
    """The same path as typed, symlinks not followed: a venv's python is a link to one without our packages."""
    return os.path.abspath(a) == os.path.abspath(b)


def _relative(path: Path) -> str:
    """`path` as typed from here: relative if it is below the current folder (symlinks kept), else absolute."""
    absolute = Path(os.path.abspath(path))
    return os.path.relpath(absolute) if absolute.is_relative_to(Path.cwd()) else str(absolute)






if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
