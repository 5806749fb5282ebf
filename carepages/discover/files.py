"""Listing the files of a folder: a stable order, hidden files skipped, nothing outside the site followed."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from ..errors import ContentError, Location

MARKDOWN_SUFFIXES = {".md", ".markdown"}


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
                                   Location(candidate), rule="file/outside-site")
        for name in sorted(files):
            if _hidden(name):
                continue
            path = folder_path / name
            if path.is_symlink():
                target = path.resolve()
                if not _inside(target, real_root):
                    raise ContentError("this file is a link to a place outside the site; refusing to read it",
                                       Location(path), rule="file/outside-site")
            if not path.is_file():
                continue
            rel = PurePosixPath(path.relative_to(root).as_posix())
            found.append((path, rel))
    return sorted(found, key=lambda item: str(item[1]))
