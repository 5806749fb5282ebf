"""Where the default theme (templates/ and static/) lives: beside the package in a source checkout, inside
it in an installed wheel. A site's own folders of the same names override it file by file."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def project_root() -> Path:
    """The checkout the package runs from (its templates/ and static/ are the default theme)."""
    return _PACKAGE.parent


def default_theme_dir(name: str) -> Path:
    installed = _PACKAGE / "theme" / name
    return installed if installed.is_dir() else project_root() / name


def theme_dirs(site_dir: Path, name: str) -> list[Path]:
    """The site's folder first, then the default theme's; the same folder is listed once."""
    folders: list[Path] = []
    for folder in (site_dir / name, default_theme_dir(name)):
        if folder.is_dir() and all(folder.resolve() != f.resolve() for f in folders):
            folders.append(folder)
    return folders
