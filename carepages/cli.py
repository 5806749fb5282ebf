"""The command line: `carepages build | serve | new` (also `python build.py ...`).

Exit codes: 0 success, 1 the site's content or config is wrong (every problem printed as
`path:line:col: error: message`), 2 the command was used wrongly. `--debug` shows a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import Diagnostic, SiteError

EXIT_OK, EXIT_SITE_ERROR, EXIT_USAGE = 0, 1, 2


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

    serve = commands.add_parser("serve", parents=[common], help="build, then preview the site in a browser")
    _site_arguments(serve)
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this computer only)")

    new = commands.add_parser("new", parents=[common], help="start a new article from a template")
    new.add_argument("title", help='the article title, in quotes: "Living with MS fatigue"')
    new.add_argument("--topic", action="append", default=[], help="a topic (repeat for several)")
    new.add_argument("--site", type=Path, default=Path("."), help="the site folder (default: here)")
    new.add_argument("--slug", help="the file and address name (default: made from the title)")
    return parser


def _site_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site_dir", nargs="?", type=Path, default=Path("."), metavar="SITE_DIR",
                        help="folder with site.toml and content/ (default: here)")
    parser.add_argument("--out", type=Path, help="output folder (default: output_dir in site.toml, _site)")
    parser.add_argument("--drafts", action="store_true", help="include pages marked draft: true")


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    has_command = any(a in {"build", "serve", "new"} for a in args_list if not a.startswith("-"))
    if not has_command and not any(a in {"-h", "--help", "--version"} for a in args_list):
        args_list = ["build", *args_list]  # `python build.py [SITE_DIR]` builds
    args = parser.parse_args(args_list)
    try:
        if args.command == "serve":
            return _serve(args)
        if args.command == "new":
            return _new(args)
        return _build(args)
    except SiteError as exc:
        if args.debug:
            raise
        _print_diagnostics(exc.diagnostics)
        print(f"Build failed: {_count(len(exc.diagnostics), 'error')}. The previous output was left as it was.",
              file=sys.stderr)
        return EXIT_SITE_ERROR
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in carepages, not in your site. Run again with --debug and report the traceback.",
              file=sys.stderr)
        return EXIT_SITE_ERROR


def _print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    from .pipeline import build

    started = time.perf_counter()
    result = build(args.site_dir, args.out, drafts=args.drafts, strict=args.strict)
    _print_diagnostics(result.warnings)
    if not args.quiet:
        seconds = time.perf_counter() - started
        warnings = f", {_count(len(result.warnings), 'warning')}" if result.warnings else ""
        print(f"Built {_count(result.pages, 'page')} ({_count(result.files, 'file')}) into "
              f"{_shown(result.output_dir)} in {seconds:.2f} s{warnings}.")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from .pipeline import build
    from .server import serve

    result = build(args.site_dir, args.out, drafts=args.drafts)
    _print_diagnostics(result.warnings)
    print(f"Built {_count(result.pages, 'page')} into {_shown(result.output_dir)}.")
    serve(result.output_dir, result.base_path, args.host, args.port)
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from .scaffold import new_article

    path = new_article(args.site, args.title, topics=args.topic, slug=args.slug)
    print(f"Created {_shown(path)}. Fill in the fields marked TODO, then run 'python build.py serve' to see it.")
    return EXIT_OK


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
