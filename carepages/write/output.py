"""Writing the site: the only module that touches the output folder. Two modes:

- `write_site` (for `build`): the new site is written to a fresh sibling folder and swapped in only when
  every file is written, so a failed build (bad content, a template error, a full disk) leaves yesterday's
  site exactly as it was.
- `update_site` (for a live preview): only files whose bytes changed are rewritten (each atomically), and
  files the site no longer has are removed, so a browser reloading mid-update never sees half a file.

The output folder carries a marker file; a folder without it is never deleted or replaced.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import Location, OutputError
from ..render.jobs import OutputFile

MARKER = ".carepages-output"
MARKER_TEXT = "This folder is written by carepages; each build replaces it. Do not edit files here.\n"


def check_output_dir(out_dir: Path, protected: Sequence[tuple[str, Path]]) -> Path:
    """Refuse an output folder that is `/`, a protected folder, inside content/, or a parent of any of them."""
    out = Path(os.path.abspath(out_dir))
    real_out = out.resolve()
    if real_out == Path(real_out.anchor):
        raise OutputError(f"refusing to use the file system root '{out}' as the output folder")
    for name, folder in protected:
        real = folder.resolve()
        if real_out == real:
            raise OutputError(f"the output folder '{out}' is the {name}; choose a separate folder such as _site")
        if real.is_relative_to(real_out):
            raise OutputError(f"the output folder '{out}' contains the {name} ({folder}); building would "
                              "delete it")
        if name == "content folder" and real_out.is_relative_to(real):
            raise OutputError(f"the output folder '{out}' is inside the content folder; it would be read "
                              "back as content")
    if out.exists() and not out.is_dir():
        raise OutputError(f"the output path '{out}' exists and is not a folder")
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise OutputError(f"refusing to replace '{out}': it is not empty and was not made by carepages "
                          f"(no {MARKER} file). Empty it or choose another output folder.")
    return out


def write_site(files: Iterable[OutputFile], out_dir: Path) -> int:
    """Write every file into a staging folder, then swap it in. Returns the number of files written."""
    out = Path(os.path.abspath(out_dir))
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=parent))
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {exc.strerror}", Location(out),
                          rule="output/write") from None
    try:
        count = _write_all(files, staging)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        _swap(staging, out)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write the site: {exc.strerror or exc}", Location(
            Path(exc.filename) if getattr(exc, "filename", None) else out), rule="output/write") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def _write_all(files: Iterable[OutputFile], staging: Path) -> int:
    count = 0
    root = staging.resolve()
    for item in files:
        target = staging / item.output
        if not target.resolve().is_relative_to(root):  # places already refuse '..'; belt and braces
            raise OutputError(f"refusing to write outside the output folder: {item.route}")
        target.parent.mkdir(parents=True, exist_ok=True)
        if item.data is not None:
            target.write_bytes(item.data)
        elif item.source is not None:
            shutil.copyfile(item.source, target)
        count += 1
    return count


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except OSError:
        retired.rename(out)  # put the previous site back before reporting the failure
        raise
    shutil.rmtree(retired, ignore_errors=True)


@dataclass(frozen=True)
class Update:
    written: tuple[str, ...]  # routes whose file changed
    removed: tuple[str, ...]  # files the site no longer has
    unchanged: int


def update_site(files: Iterable[OutputFile], out_dir: Path) -> Update:
    """Bring an existing output folder up to date, touching only what changed; a new folder is written whole."""
    out = Path(os.path.abspath(out_dir))
    files = list(files)
    if not (out / MARKER).is_file():
        write_site(files, out)
        return Update(tuple(f.route for f in files), (), 0)
    written, unchanged, keep = [], 0, {MARKER}
    try:
        for item in files:
            rel = item.output
            keep.add(rel.as_posix())
            target = out / rel
            data = item.data if item.data is not None else item.source.read_bytes()  # type: ignore[union-attr]
            if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
                unchanged += 1
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.carepages-tmp")
            temporary.write_bytes(data)
            os.replace(temporary, target)
            written.append(item.route)
        removed = _remove_others(out, keep)
    except OSError as exc:
        raise OutputError(f"cannot update the site: {exc.strerror or exc}", Location(
            Path(exc.filename) if getattr(exc, "filename", None) else out), rule="output/write") from None
    return Update(tuple(written), tuple(removed), unchanged)


def _remove_others(out: Path, keep: set[str]) -> list[str]:
    removed = []
    for path in sorted(out.rglob("*"), reverse=True):  # files before the folders that hold them
        rel = path.relative_to(out).as_posix()
        if path.is_file() or path.is_symlink():
            if rel not in keep:
                path.unlink()
                removed.append(rel)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return removed
