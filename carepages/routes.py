"""The URL scheme, and the one table that knows every page and file the site will contain.

A *route* is a path inside the site with no leading slash: '' (home), 'articles/what-is-ms/',
'topics/diagnosis/', 'sitemap.xml' (each kind's pattern is in `carepages.kinds`). A route ending in '/' is
written as that folder's index.html. URLs put in pages are root-relative and include the site's sub-path
('/patient-info/articles/what-is-ms/'), so the site works when hosted under a sub-path; feeds and the
sitemap use absolute URLs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .errors import Location, OutputError

STATIC_PREFIX = "static/"


def static_route(rel: PurePosixPath) -> str:
    return STATIC_PREFIX + rel.as_posix()


def asset_route(rel: PurePosixPath) -> str:
    return rel.as_posix()


def output_file(route: str) -> PurePosixPath:
    """'articles/x/' -> articles/x/index.html; refuses anything that could leave the output folder."""
    path = route + "index.html" if route == "" or route.endswith("/") else route
    parts = PurePosixPath(path).parts
    if not parts or path.startswith("/") or any(p in {"", ".", ".."} or "\\" in p or "\x00" in p or ":" in p
                                                for p in parts):
        raise OutputError(f"unsafe output path '{route}'", rule="routes/unsafe")
    return PurePosixPath(*parts)


@dataclass(frozen=True)
class Router:
    base_url: str  # 'https://example.org/patient-info/'
    base_path: str  # '/patient-info/'

    def url(self, route: str, fragment: str = "") -> str:
        return self.base_path + route + (f"#{fragment}" if fragment else "")

    def absolute(self, route: str) -> str:
        return self.base_url + route


@dataclass
class RouteTable:
    """Claims on output paths. Two things that would write the same file are an error naming both."""

    claims: dict[PurePosixPath, tuple[str, Location]] = field(default_factory=dict)

    def claim(self, route: str, owner: str, location: Location = Location(),
              output: PurePosixPath | None = None) -> OutputError | None:
        """Claim `route` (written to `output`, a source file's place; else the route's own file)."""
        try:
            target = output or output_file(route)
        except OutputError as exc:
            return OutputError(f"{owner}: {exc.message}", location, rule="routes/unsafe")
        key = PurePosixPath(str(target).lower())  # case-insensitive file systems would merge them too
        if key in self.claims:
            other, other_location = self.claims[key]
            where = other_location.format()
            return OutputError(f"{owner} would be written to {target}, which {other}"
                               f"{' (' + where + ')' if where else ''} already uses", location, rule="routes/clash")
        self.claims[key] = (owner, location)
        return None
