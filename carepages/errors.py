"""The one error family of carepages, and the warnings that travel beside it.

Every problem a user can cause is a `SiteError` (or a `Diagnostic` warning) that knows the file, line and
column it is about, so the command line can print `path:line:col: error: message` and an editor can jump
there. Python tracebacks are for our bugs, never for a user's typo.
"""

from __future__ import annotations

import dataclasses
import operator
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

Severity = Literal["error", "warning"]
T = TypeVar("T")
C = TypeVar("C")


def plain_pickle(cls: type[C]) -> type[C]:
    """Pickle a small frozen dataclass as its class and its fields' values: read back by calling the class.

    Sites have hundreds of thousands of these (every heading, link, citation and front-matter value keeps its
    location); the generic way pickles a slotted dataclass through Python-level `__getstate__` and
    `__setstate__` that look its fields up each time, several times slower."""
    names = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
    get = operator.attrgetter(*names)

    if len(names) == 1:
        def reduce(self: C) -> tuple[type[C], tuple[Any, ...]]:
            return cls, (get(self),)
    else:
        def reduce(self: C) -> tuple[type[C], tuple[Any, ...]]:
            return cls, get(self)
    cls.__reduce__ = reduce  # type: ignore[assignment,method-assign]
    return cls


@plain_pickle
@dataclass(frozen=True, order=True, slots=True)
class Location:
    """A place in a source file. Lines and columns count from 1; either may be unknown."""

    path: Path | None = None
    line: int | None = None
    col: int | None = None

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
    """One message for the user: an error (the build fails) or a warning (it goes on).

    `rule` is a stable id (`links/broken`, `review/missing`) that names the check, so a message can be looked
    up in the README, given another severity, or silenced; the list of ids lives in `carepages.rules`.
    """

    severity: Severity
    message: str
    location: Location = Location()
    rule: str = ""

    def format(self, relative_to: Path | None = None) -> str:
        where = self.location.format(relative_to)
        prefix = f"{where}: " if where else ""
        suffix = f" [{self.rule}]" if self.rule else ""
        return f"{prefix}{self.severity}: {self.message}{suffix}"

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (str(loc.path or ""), loc.line or 0, loc.col or 0, self.message, self.rule)


class SiteError(Exception):
    """Something about the site's input (config, content, templates, output folder) is wrong.

    Each subclass has a default rule id; a raise site that knows a more precise one passes `rule`.
    """

    default_rule = "content/invalid"

    def __init__(self, message: str, location: Location | None = None, rule: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()
        self.rule = rule or self.default_rule

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return (Diagnostic("error", self.message, self.location, self.rule),)

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)


class ConfigError(SiteError):
    """site.toml is missing, unreadable or invalid."""

    default_rule = "config/invalid"


class ContentError(SiteError):
    """A Markdown file, its front matter or a link in it is wrong."""

    default_rule = "content/invalid"


class BibliographyError(ContentError):
    """The bibliography, or a citation of it, is wrong."""

    default_rule = "bibliography/invalid"


class TemplateError(SiteError):
    """A Jinja2 template failed to load or to render."""

    default_rule = "template/render"


class OutputError(SiteError):
    """The output folder cannot be used or written."""

    default_rule = "output/refused"


class BuildFailed(SiteError):
    """Several errors found in one pass; the build stops after reporting all of them."""

    def __init__(self, errors: Iterable[SiteError | Diagnostic]) -> None:
        found = {d for e in errors for d in (e.diagnostics if isinstance(e, SiteError) else (e,))}
        ordered = sorted(found, key=Diagnostic.sort_key)
        first = ordered[0]
        super().__init__(first.message, first.location, first.rule)
        self._diagnostics = tuple(ordered)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return self._diagnostics


class Problems:
    """Collects errors and warnings, so a user sees every problem in one run.

    A stage makes its own collector and hands back what it found with its result (see `Found`); nothing
    shares one collector across stages.
    """

    def __init__(self) -> None:
        self.errors: list[SiteError] = []
        self.warnings: list[Diagnostic] = []

    def error(self, error: SiteError) -> None:
        self.errors.append(error)

    def warn(self, message: str, location: Location | None = None, rule: str = "") -> None:
        self.warnings.append(Diagnostic("warning", message, location or Location(), rule))

    def add(self, diagnostics: Iterable[Diagnostic]) -> None:
        for item in diagnostics:
            if item.severity == "error":
                self.errors.append(SiteError(item.message, item.location, item.rule))
            else:
                self.warnings.append(item)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """Errors and warnings, each once, in file and line order."""
        return all_diagnostics(self.errors, self.warnings)

    def raise_if_errors(self) -> None:
        raise_errors(self.errors)

    def sorted_warnings(self) -> list[Diagnostic]:
        return sorted(set(self.warnings), key=Diagnostic.sort_key)


def all_diagnostics(errors: Iterable[SiteError], warnings: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Errors and warnings, each once, in file and line order."""
    found = {d for e in errors for d in e.diagnostics} | set(warnings)
    return tuple(sorted(found, key=Diagnostic.sort_key))


def raise_errors(errors: Sequence[SiteError]) -> None:
    """Raise the one error as it is, or every error together; nothing if there is none."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise BuildFailed(errors)


@dataclass(frozen=True)
class Found(Generic[T]):
    """What a step returns: its result, and the errors and warnings it found on the way."""

    value: T
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")
