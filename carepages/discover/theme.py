"""Where the default theme (templates/ and static/) lives: beside the package in a source checkout, inside
it in an installed wheel. A site's own folders of the same names override it file by file.

The theme's files are trusted code (a template can output raw HTML, a stylesheet and a script run on every
page), so they are reviewed like code; what is checked here is only that a site's own theme folder does not
reach outside the site through a symlink, since templates are read by Jinja2 wherever they point.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BuildFailed
from .files import boundary_error, real_path, site_boundary, walk_files

_PACKAGE = Path(__file__).resolve().parent.parent


def project_root() -> Path:
    """The checkout the package runs from (its templates/ and static/ are the default theme)."""
    return _PACKAGE.parent


def default_theme_dir(name: str) -> Path:
    installed = _PACKAGE / "theme" / name
    return installed if installed.is_dir() else project_root() / name


def theme_dirs(site_dir: Path, name: str) -> list[Path]:
    """The site's folder first, then the default theme's; the same folder is listed once.

    Raises a located error if the site's own folder, or a link inside it, leads outside the site or loops.
    """
    own = site_dir / name
    if own.is_symlink() or own.exists():
        verdict = site_boundary(own, site_dir)
        if not verdict.inside:
            raise BuildFailed([boundary_error(own, verdict, "folder")])
        if own.is_dir():
            listed = walk_files(own, site_dir)
            if listed.errors:
                raise BuildFailed(listed.errors)
    folders: list[Path] = []
    for folder in (own, default_theme_dir(name)):
        if folder.is_dir() and all(real_path(folder) != real_path(f) for f in folders):
            folders.append(folder)
    return folders
