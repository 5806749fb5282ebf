"""How the command line and the preview word things on the terminal: counts, paths, located findings."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import Diagnostic


def count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def shown_path(path: Path) -> str:
    """The path relative to the working folder where it is inside it (what a user typed), else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)
