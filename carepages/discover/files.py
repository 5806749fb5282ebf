"""Listing the files of a folder, and the one rule for what a site may read: nothing outside its folder.

A site folder arrives in a pull request, so its symlinks are input like any other: `site_boundary` decides,
on real paths (every symlink followed), whether a path stays inside the site folder. Every path site.toml
names (`output_dir`, `bibliography`) and every file read from content/ and the site's own templates/ and
static/ goes through it; only the command line (the site folder itself, `--out`) may point elsewhere.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import Diagnostic, Found, Location

MARKDOWN_SUFFIXES = {".md", ".markdown"}
OUTSIDE_RULE = "file/outside-site"
LOOP_RULE = "file/link-loop"


@dataclass(frozen=True)
class Verdict:
    """Where a path really is, seen from the site folder."""

    inside: bool
    reason: str = ""  # why not: completes "this file ...", "'output_dir' ..."
    rule: str = ""


INSIDE = Verdict(True)
OUTSIDE = Verdict(False, "leads outside the site folder", OUTSIDE_RULE)
# .git holds the clone's credentials (CI checkouts keep a token in .git/config), .venv the tools that run
# the build: a site file has no business there, even though they are below the site folder.
HIDDEN = Verdict(False, "leads into a hidden folder of the site (such as .git)", OUTSIDE_RULE)
LOOP = Verdict(False, "is a symlink loop (following it never reaches a file)", LOOP_RULE)


def site_boundary(path: Path, site_root: Path) -> Verdict:
    """Whether `path`, with every symlink followed, is inside `site_root` (also followed) and in none of its
    hidden folders. The path need not exist (an output folder not built yet); nothing is opened."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return LOOP
    except ValueError:  # a NUL in the name: no such file can exist, and it is no file of the site
        return OUTSIDE
    return _verdict(Path(os.path.realpath(path)), Path(os.path.realpath(site_root)))


def _verdict(real: Path, real_root: Path) -> Verdict:
    """Where a real path (no symlink in it) is, seen from the real site folder."""
    if not real.is_relative_to(real_root):
        return OUTSIDE
    if any(part.startswith(".") for part in real.relative_to(real_root).parts):
        return HIDDEN
    return INSIDE


def real_path(path: Path) -> Path:
    """`path` with every symlink followed; never raises, even on a loop (Path.resolve does, before 3.13)."""
    return Path(os.path.realpath(path))


def boundary_error(path: Path, verdict: Verdict, what: str = "file") -> Diagnostic:
    """The located error for a `path` that `site_boundary` refused; `what` is 'file' or 'folder'."""
    if verdict is LOOP:
        message = f"this {what} is a symlink loop (it leads back to itself); remove the link"
    else:
        message = f"this {what} is a link that {verdict.reason}; refusing to read it"
    return Diagnostic("error", message, Location(path), verdict.rule)


def _hidden(name: str) -> bool:
    return name.startswith((".", "_")) or name.endswith("~")


def _contains_itself(link: Path) -> bool:
    """A folder link whose target holds the link (`up -> ..`): whatever follows links never ends."""
    return real_path(link.parent).is_relative_to(real_path(link))


def walk_files(root: Path, site_root: Path | None = None) -> Found[list[tuple[Path, PurePosixPath]]]:
    """Every visible regular file below `root`, sorted by relative path, and an error for every link that
    leaves `site_root` (default: `root` itself) or loops.

    A symlinked file is read where it points; a symlinked folder that stays inside the site is not followed
    (its files are listed where they really are, if at all), one that leaves it or loops is an error.
    """
    boundary = root if site_root is None else site_root
    real_boundary = real_path(boundary)
    found: list[tuple[Path, PurePosixPath]] = []
    errors: list[Diagnostic] = []

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        errors.append(Diagnostic("error", f"cannot read this folder: {exc.strerror}", Location(where),
                                 "file/unreadable"))

    for folder, dirs, files in os.walk(root, followlinks=False, onerror=unreadable):
        folder_path = Path(folder)
        # Folders are walked only through real folders (links to folders are never followed), so a file that
        # is not a link is where its folder really is: one verdict for them all (a hidden name is skipped).
        folder_verdict = _verdict(real_path(folder_path), real_boundary)
        kept = []
        for name in sorted(dirs):
            if _hidden(name):
                continue
            candidate = folder_path / name
            if not candidate.is_symlink():
                kept.append(name)
                continue
            verdict = site_boundary(candidate, boundary)
            if verdict.inside and _contains_itself(candidate):
                verdict = LOOP
            if not verdict.inside:
                errors.append(boundary_error(candidate, verdict, "folder"))
        dirs[:] = kept
        for name in sorted(files):
            if _hidden(name):
                continue
            path = folder_path / name
            verdict = site_boundary(path, boundary) if path.is_symlink() else folder_verdict
            if not verdict.inside:
                errors.append(boundary_error(path, verdict, "folder" if path.is_dir() else "file"))
                continue
            if not path.is_file():  # a FIFO or a device: never read
                continue
            found.append((path, PurePosixPath(path.relative_to(root).as_posix())))
    found.sort(key=lambda item: str(item[1]))
    return Found(found, tuple(sorted(set(errors), key=Diagnostic.sort_key)))


# Types that a browser runs, or renders as a document that can run script, when they are opened from the
# site's own address; and types that some web servers execute. A content file of these types would get
# around "raw HTML is off". Theme static/ files are not checked: they are the site's own CSS and JS.
_ACTIVE_TYPES = {
    ("a web page", "a browser shows it as a page of this site, scripts and all"):
        ("html", "htm", "xhtml", "xht", "shtml", "shtm", "stm", "mht", "mhtml", "hta"),
    ("an SVG image", "SVG can carry script, which runs as this site when the file is opened"): ("svg", "svgz"),
    ("an XML document", "XML can carry script, which runs as this site when the file is opened"):
        ("xml", "xsl", "xslt", "rss", "atom", "rdf", "mml"),
    ("a script", "it would run as this site's own code"): ("js", "mjs", "cjs", "vbs", "wasm", "swf", "htc"),
    ("a stylesheet", "the site's styles belong in static/, and CSS can send readers' details elsewhere "
                     "through url()"): ("css",),
    ("a server program", "some web servers run it"):
        ("php", "php3", "php4", "php5", "php7", "phtml", "phar", "phps", "asp", "aspx", "ashx", "asmx", "jsp",
         "jspx", "cgi", "pl"),
}
ACTIVE_SUFFIXES: dict[str, tuple[str, str]] = {f".{ext}": kind for kind, exts in _ACTIVE_TYPES.items() for ext in exts}


def active_suffix(name: str) -> str | None:
    """The first extension in a file name that is an active type ('.svg'), in any case and in any position:
    `x.svg.png` counts, because Apache's mod_mime applies every extension of a name, not only the last."""
    for part in name.lower().split(".")[1:]:
        ext = "." + part.split(":", 1)[0].rstrip(" \t")  # Windows serves 'x.svg ' and 'x.svg::$DATA' as svg
        if ext in ACTIVE_SUFFIXES:
            return ext
    return None
