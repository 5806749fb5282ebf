"""The one error family of carepages, and the warnings that travel beside it.

Every problem a user can cause is a `SiteError` (or a `Diagnostic` warning) that knows the file, line and
column it is about, so the command line can print `path:line:col: error: message` and an editor can jump
there. Python tracebacks are for our bugs, never for a user's typo.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file. Lines and columns count from 1; either may be unknown."""

    path: Path | None = None
    line: int | None = None
    col: int | None = None

    def shifted(self, lines: int) -> Location:
        """The same place in a file where this text starts `lines` lines further down."""
        if self.line is None:
            return self
        return Location(self.path, self.line + lines, self.col)

    def format(self, relative_to: Path | None = None) -> str:
        if self.path is None:
            return ""
        text = _display_path(self.path, relative_to)
        if self.line is not None:
            text += f":{self.line}"
            if self.col is not None:
                text += f":{self.col}"
        return text


def _display_path(path: Path, relative_to: Path | None) -> str:
    base = relative_to or Path.cwd()
    try:
        return os.path.relpath(path, base) if path.is_absolute() else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


@dataclass(frozen=True)
class Diagnostic:
    """One message for the user: an error (the build fails) or a warning (it goes on)."""

    severity: Severity
    message: str
    location: Location = Location()

    def format(self, relative_to: Path | None = None) -> str:
        where = self.location.format(relative_to)
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.severity}: {self.message}"


class SiteError(Exception):
    """Something about the site's input (config, content, templates, output folder) is wrong."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return (Diagnostic("error", self.message, self.location),)

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)


class ConfigError(SiteError):
    """site.toml is missing, unreadable or invalid."""


class ContentError(SiteError):
    """A Markdown file, its front matter or a link in it is wrong."""


class BibliographyError(ContentError):
    """The bibliography, or a citation of it, is wrong."""


class TemplateError(SiteError):
    """A Jinja2 template failed to load or to render."""


class OutputError(SiteError):
    """The output folder cannot be used or written."""


class BuildFailed(SiteError):
    """Several errors found in one pass; the build stops after reporting all of them."""

    def __init__(self, errors: list[SiteError]) -> None:
        ordered = sorted(errors, key=_sort_key)
        first = ordered[0]
        super().__init__(first.message, first.location)
        self.errors = tuple(ordered)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return tuple(d for e in self.errors for d in e.diagnostics)


def _sort_key(error: SiteError) -> tuple[str, int, int, str]:
    loc = error.location
    return (str(loc.path or ""), loc.line or 0, loc.col or 0, error.message)


class Problems:
    """Collects errors and warnings from one stage, so a user sees every problem in one run."""

    def __init__(self) -> None:
        self.errors: list[SiteError] = []
        self.warnings: list[Diagnostic] = []

    def error(self, error: SiteError) -> None:
        self.errors.append(error)

    def warn(self, message: str, location: Location | None = None) -> None:
        self.warnings.append(Diagnostic("warning", message, location or Location()))

    def raise_if_errors(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise BuildFailed(self.errors)

    def sorted_warnings(self) -> list[Diagnostic]:
        return sorted(set(self.warnings), key=lambda d: (str(d.location.path or ""), d.location.line or 0,
                                                          d.location.col or 0, d.message))
