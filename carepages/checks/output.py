"""The `check` and `report` commands' options, and the three ways `check` prints its findings.

- text: `path:line:col: error|warning: message [rule-id]`, one a line, then a summary line;
- json: a list of objects with path, line, column, severity, rule and message;
- github: GitHub Actions workflow commands (`::error file=...,line=...,col=...,title=rule::message`), which
  GitHub shows as annotations on the changed lines of a pull request.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

from ..errors import Diagnostic, Location, SiteError


def run_command(args: argparse.Namespace) -> int:
    """`check` or `report`; returns the exit code."""
    from ..progress import TerminalProgress
    from .command import check_site

    started = time.perf_counter()
    progress = TerminalProgress()
    try:
        result = check_site(args.site_dir, today=args.today, jobs=args.jobs, cache_dir=args.cache_dir,
                            cache=args.cache, progress=progress)
    finally:
        progress.close()
    if args.command == "report":
        from ..report import write_report

        if result.site is None:
            for finding in result.errors:
                print(finding.format(), file=sys.stderr)
            print("No report written: the site cannot be read until these errors are fixed.", file=sys.stderr)
            return 1
        try:
            write_report(result, args.out)
        except SiteError as exc:
            for diagnostic in exc.diagnostics:
                print(diagnostic.format(), file=sys.stderr)
            print("No report written.", file=sys.stderr)
            return 1
        print(f"Wrote the review dashboard for {len(result.site.pages)} pages to {args.out}.")
        return 0
    findings = result.findings
    if args.format == "json":
        print(as_json(findings))
    elif args.format == "github":
        text = as_github(findings)
        if text:
            print(text)
    else:
        for finding in findings:
            print(finding.format())
    seconds = time.perf_counter() - started
    summary = _summary(result.errors, result.warnings, len(result.site.pages) if result.site else 0, seconds)
    print(summary, file=sys.stderr if args.format != "text" else sys.stdout)
    failed = bool(result.errors) or (args.strict and bool(result.warnings))
    return 1 if failed else 0


def _summary(errors: Sequence[Diagnostic], warnings: Sequence[Diagnostic], pages: int, seconds: float) -> str:
    if not errors and not warnings:
        return f"Checked {pages} pages in {seconds:.2f} s: no findings."
    return (f"Checked {pages} pages in {seconds:.2f} s: {len(errors)} error{'' if len(errors) == 1 else 's'}, "
            f"{len(warnings)} warning{'' if len(warnings) == 1 else 's'}.")


def as_records(findings: Sequence[Diagnostic]) -> list[dict[str, object]]:
    records = []
    for finding in findings:
        where = finding.location
        records.append({"path": Location(where.path).format() if where.path else "", "line": where.line,
                        "column": where.col, "severity": finding.severity,
                        "rule": finding.rule, "message": finding.message})
    return records


def as_json(findings: Sequence[Diagnostic]) -> str:
    return json.dumps(as_records(findings), indent=2, ensure_ascii=False)


def as_github(findings: Sequence[Diagnostic]) -> str:
    lines = []
    for record in as_records(findings):
        properties = []
        if record["path"]:
            properties.append(f"file={_property(str(record['path']))}")
        if record["line"]:
            properties.append(f"line={record['line']}")
        if record["column"]:
            properties.append(f"col={record['column']}")
        properties.append(f"title={_property(str(record['rule']) or 'carepages')}")
        message = f"{record['message']} [{record['rule']}]" if record["rule"] else str(record["message"])
        lines.append(f"::{record['severity']} {','.join(properties)}::{_data(message)}")
    return "\n".join(lines)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
