"""Deciding what every link written in a page points to.

Authors link to other articles by their Markdown file (`spine-mri-protocol.md#contrast-dye`), which keeps
links working in an editor and on GitHub; here each becomes the target page's URL. A link to a missing file
or an unsafe scheme is an error at its line and column; a missing section is a warning.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from .. import ids
from ..errors import ContentError, Found, Problems
from ..fields import did_you_mean
from ..markdown import LinkUse
from ..routes import Router

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
UNSAFE_SCHEMES = {"javascript", "vbscript", "data", "file"}


@dataclass(frozen=True)
class LinkTarget:
    url: str
    anchors: frozenset[str]  # ids a link may point at on that page
    is_page: bool


@dataclass(frozen=True)
class LinkTargets:
    """What a link in content/ may point at: every published file, and the files it must not point at."""

    files: Mapping[PurePosixPath, LinkTarget]
    drafts: frozenset[PurePosixPath] = frozenset()  # a link to one is an error
    unplaced: frozenset[PurePosixPath] = frozenset()  # pages with their own errors: links to them are not


def resolve_links(links: Iterable[LinkUse], source: PurePosixPath, own_anchors: frozenset[str],
                  targets: LinkTargets, router: Router) -> Found[dict[str, str]]:
    """href as written -> URL in the output, for every link in one page, and the problems found."""
    problems = Problems()
    resolved: dict[str, str] = {}
    for link in links:
        try:
            url = _resolve(link, source, own_anchors, targets, router, problems)
        except ContentError as exc:
            problems.error(exc)
            continue
        resolved[link.href] = url
    return Found(resolved, problems.diagnostics)


def _resolve(link: LinkUse, source: PurePosixPath, own_anchors: frozenset[str], targets: LinkTargets,
             router: Router, problems: Problems) -> str:
    href, where = link.href.strip(), link.location
    what = "image" if link.kind == "image" else "link"
    if not href:
        raise ContentError(f"{what} has no address", where, rule="links/broken")
    if "\x00" in href:
        raise ContentError(f"{what} address contains a NUL character", where, rule="links/unsafe")
    if _DRIVE.match(href) or href.startswith("\\"):
        raise ContentError(f"{what} to '{href}' looks like a path on one computer; link to a file in content/ "
                           "with a relative path instead", where, rule="links/unsafe")
    scheme = _SCHEME.match(href)
    if link.kind == "image" and (scheme or href.startswith(("/", "//"))):
        # Pictures from other sites would tell those sites who is reading which health page.
        raise ContentError(f"image '{href}' must be a file in content/, given by a path relative to this page "
                           "(images from other sites, or absolute paths, are not allowed)", where,
                           rule="images/external")
    if scheme:
        if scheme.group(1).lower() in UNSAFE_SCHEMES:
            raise ContentError(f"{what} to a '{scheme.group(1).lower()}:' address is not allowed", where,
                               rule="links/unsafe")
        return href
    if href.startswith("//"):
        return href
    if href.startswith("#"):
        fragment = href[1:]
        if fragment and fragment not in own_anchors:
            problems.warn(f"link to '#{fragment}', but this page has no section with that id", where,
                          rule="links/anchor")
        return href
    if href.startswith("/"):
        return router.base_path + href.lstrip("/")
    parts = urlsplit(href)
    joined = posixpath.normpath(posixpath.join(source.parent.as_posix(), parts.path))
    if joined == ".." or joined.startswith("../") or "\x00" in joined:
        raise ContentError(f"{what} to '{href}' leads outside the content folder", where, rule="links/outside")
    target_path = PurePosixPath(joined)
    target = targets.files.get(target_path)
    if target is None:
        if target_path in targets.unplaced:
            return href  # that page's own errors are reported; the build fails on them anyway
        if target_path in targets.drafts:
            raise ContentError(f"{what} to '{href}', which is a draft and is not published", where,
                               rule="links/draft")
        hint = _hint(target_path, targets.files)
        raise ContentError(f"{what} to '{href}', but there is no such file in content/{hint}", where,
                           rule="links/broken")
    fragment = parts.fragment
    if fragment and target.is_page and fragment not in target.anchors:
        problems.warn(f"link to '{href}', but that page has no section with the id '{fragment}'", where,
                      rule="links/anchor")
    url = target.url
    query = f"?{parts.query}" if parts.query else ""
    return url + query + (f"#{fragment}" if fragment else "")


def _hint(missing: PurePosixPath, targets: Mapping[PurePosixPath, LinkTarget]) -> str:
    close = did_you_mean(str(missing), [str(p) for p in targets])
    if close:
        return close
    if not missing.suffix:
        return " (link to another page by its .md file, e.g. 'what-is-ms.md')"
    return ""


def page_anchors(heading_ids: Iterable[str]) -> frozenset[str]:
    """The ids a link may point at on a page: its headings, and the sections every page has."""
    return frozenset(heading_ids) | ids.TEMPLATE_IDS
