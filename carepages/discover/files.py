"""Finding a site's inputs: the Markdown pages and other files under `content/`, and the theme folders.

Discovery decides nothing about URLs (that is the router's job); it lists files in a stable order, skips
hidden ones, and refuses anything that leads outside the site (a symlink out, a name that is not a plain
relative path).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import ContentError, Location

MARKDOWN_SUFFIXES = {".md", ".markdown"}


@dataclass(frozen=True)
class ContentFile:
    path: Path  # on disk
    rel: PurePosixPath  # relative to content/, with forward slashes

    @property
    def is_markdown(self) -> bool:
        return self.path.suffix.lower() in MARKDOWN_SUFFIXES


@dataclass(frozen=True)
class Sources:
    markdown: tuple[ContentFile, ...]
    assets: tuple[ContentFile, ...]  # images, PDFs and other files copied as they are


def _hidden(name: str) -> bool:
    return name.startswith((".", "_")) or name.endswith("~")


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def walk_files(root: Path) -> list[tuple[Path, PurePosixPath]]:
    """Every visible regular file below `root`, sorted by relative path.

    A symlinked file must point inside `root`; a symlinked folder pointing outside is an error, and one
    pointing inside is not followed (its files are already listed where they really are).
    """
    real_root = root.resolve()
    found: list[tuple[Path, PurePosixPath]] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        folder_path = Path(folder)
        dirs[:] = sorted(d for d in dirs if not _hidden(d))
        for name in list(dirs):
            candidate = folder_path / name
            if candidate.is_symlink() and not _inside(candidate.resolve(), real_root):
                raise ContentError("this folder is a link to a place outside the site; refusing to read it",
                                   Location(candidate))
        for name in sorted(files):
            if _hidden(name):
                continue
            path = folder_path / name
            if path.is_symlink():
                target = path.resolve()
                if not _inside(target, real_root):
                    raise ContentError("this file is a link to a place outside the site; refusing to read it",
                                       Location(path))
            if not path.is_file():
                continue
            rel = PurePosixPath(path.relative_to(root).as_posix())
            found.append((path, rel))
    return sorted(found, key=lambda item: str(item[1]))


def discover_content(content_dir: Path, bibliography: tuple[Path, ...]) -> Sources:
    if not content_dir.is_dir():
        raise ContentError("content folder not found (a site needs content/ with at least one .md file)",
                           Location(content_dir))
    skip = {p.resolve() for p in bibliography}
    markdown, assets = [], []
    for path, rel in walk_files(content_dir):
        item = ContentFile(path, rel)
        if path.resolve() in skip:
            continue
        (markdown if item.is_markdown else assets).append(item)
    return Sources(tuple(markdown), tuple(assets))


def theme_files(folders: list[Path]) -> dict[PurePosixPath, Path]:
    """Files of several theme folders merged by relative path; earlier folders win (site over project)."""
    merged: dict[PurePosixPath, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path, rel in walk_files(folder):
            merged.setdefault(rel, path)
    return dict(sorted(merged.items(), key=lambda item: str(item[0])))
