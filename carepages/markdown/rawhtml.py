"""What an author's raw HTML (allowed only when a site sets `raw_html = true`) asks a browser to do.

Two things the sanitiser would otherwise decide silently, found here at parse time so they can be reported
at their line and column:

- every address in a tag: what a browser fetches by itself (`<img src>`, `srcset`, `<video poster>`,
  `<iframe src>`, `<link href>`, `style="background:url(...)"`, ...) is a *resource* and obeys the rules of
  a Markdown image (a file in content/, never another site: it would tell that site who reads the page);
  what a reader follows (`<a href>`, `<form action>`) is a *link* and obeys the rules of a Markdown link;
- every construct that hides the text after it: an element whose content is raw text (`<style>`,
  `<script>`, `<textarea>`, `<title>`, `<xmp>`, `<iframe>`, `<noembed>`, `<noframes>`, `<noscript>`,
  `<template>`, `<plaintext>`) or a comment, left open in its HTML block or tag, swallows the rest of the
  page (or shows its Markdown as code) once the page is parsed and sanitised.

`visible_text` gives the text a reader sees in sanitised HTML, for the safety net that compares it with the
text written in Markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

# Elements whose content a browser does not parse as markup: it ends only at the matching end tag.
RAW_TEXT = frozenset({"style", "script", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
                      "template"})
NEVER_CLOSED = frozenset({"plaintext"})  # everything after it is text, whatever follows

# attribute -> how its value holds addresses; on any element unless _ONLY_ON says otherwise
_RESOURCE_ATTRIBUTES = {"src": "one", "srcset": "srcset", "poster": "one", "data": "one", "background": "one",
                        "lowsrc": "one", "dynsrc": "one", "codebase": "one", "manifest": "one", "icon": "one",
                        "ping": "spaces", "xlink:href": "one", "imagesrcset": "srcset"}
_LINK_ATTRIBUTES = {"action": "one", "formaction": "one"}
_ONLY_ON = {"data": {"object"}}
# `href` is followed by a reader on these elements, and fetched by the browser on every other one
# (<link>, <base>, SVG's <image> and <use>).
_HREF_IS_LINK = frozenset({"a", "area"})

_START = re.compile(r"<!--|<([A-Za-z][A-Za-z0-9:-]*)")
_ATTRIBUTE = re.compile(r"""[\s/]*([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s*(?:"([^"]*)"|'([^']*)')""",
                      re.IGNORECASE)
_REFRESH = re.compile(r"url\s*=\s*['\"]?([^'\"\s;]+)", re.IGNORECASE)


@dataclass(frozen=True)
class HtmlAddress:
    offset: int  # in the scanned text, where the attribute (or CSS url) starts
    snippet: str  # the raw text at that offset, to find its column in the file
    url: str  # unescaped, as the browser would read it
    kind: str  # "image" (fetched by the browser: same rules as a Markdown image) or "link"
    element: str  # "img src", "video poster", "style", ...
    text: str  # alt text (for <img>), else ""


@dataclass(frozen=True)
class HiddenText:
    offset: int
    snippet: str  # `<style`, `<!--`
    what: str  # "<style>", "comment"
    tag: str = ""  # "style"; "" for a comment


def opened_raw_text(tag_text: str) -> str:
    """The raw-text element an inline HTML tag opens (`<textarea rows=2>` -> "textarea"), else ""."""
    match = _START.match(tag_text)
    name = match.group(1).lower() if match and match.group(1) else ""
    return name if name in RAW_TEXT and f"</{name}" not in tag_text.lower() else ""


def closes(tag_text: str, tag: str) -> bool:
    return tag_text.lower().startswith(f"</{tag}")


def scan(text: str) -> Iterator[HtmlAddress | HiddenText]:
    """Every address and every text-hiding construct in one HTML block or tag, in order (one pass)."""
    lower = text.lower()
    pos = 0
    while True:
        match = _START.search(text, pos)
        if match is None:
            return
        if match.group(0) == "<!--":
            end = _comment_end(lower, match.end())
            if end < 0:
                yield HiddenText(match.start(), "<!--", "comment")
                return
            pos = end
            continue
        tag = match.group(1).lower()
        attributes, pos = _attributes(text, match.end())
        yield from _addresses(text, tag, attributes)
        if tag in NEVER_CLOSED:
            yield HiddenText(match.start(), match.group(0), f"<{tag}>", tag)
            return
        if tag in RAW_TEXT:
            end = lower.find(f"</{tag}", pos)
            if end < 0:
                yield HiddenText(match.start(), match.group(0), f"<{tag}>", tag)
                return
            if tag == "style":
                yield from _css_addresses(text, pos, end, "style")
            pos = end


def rewrite(text: str, resolve: Callable[[str], str | None]) -> str:
    """`text` with every address of a tag (not of CSS) replaced by `resolve(address)` where that gives one:
    the URLs the model decided for the same addresses written in Markdown."""
    parts: list[str] = []
    done = 0
    lower = text.lower()
    pos = 0
    while True:
        match = _START.search(text, pos)
        if match is None:
            break
        if match.group(0) == "<!--":
            pos = _comment_end(lower, match.end())
            if pos < 0:
                break
            continue
        tag = match.group(1).lower()
        attributes, pos = _attributes(text, match.end())
        for name, raw, _, end in attributes:
            how = _how(tag, name)
            if how is None or not raw:
                continue
            value = _unquoted(raw)
            urls = _urls(value, how)
            new = value
            for url in urls:
                resolved = resolve(url)
                if resolved is not None and resolved != url:
                    new = new.replace(url, resolved, 1) if how != "one" else resolved
            if new != value:
                parts += [text[done:end - len(raw)], '"', html.escape(new), '"']
                done = end
        if tag in RAW_TEXT:
            end_tag = lower.find(f"</{tag}", pos)
            if end_tag < 0:
                break
            pos = end_tag
    return "".join(parts) + text[done:]


def _how(tag: str, name: str) -> str | None:
    if name == "href":
        return "one"
    if name in _RESOURCE_ATTRIBUTES and tag in _ONLY_ON.get(name, {tag}):
        return _RESOURCE_ATTRIBUTES[name]
    return _LINK_ATTRIBUTES.get(name)


def _comment_end(lower: str, start: int) -> int:
    """Index after the comment that opened before `start` (HTML also ends one at `<!-->` and `<!--->`)."""
    for short in (">", "->"):
        if lower.startswith(short, start):
            return start + len(short)
    end = lower.find("-->", start)
    return -1 if end < 0 else end + 3


def _attributes(text: str, start: int) -> tuple[list[tuple[str, str, int, int]], int]:
    """(name, raw value, start, end) of each attribute of the tag whose name ends at `start`, and the index
    after the tag."""
    found = []
    pos = start
    while pos < len(text):
        if text[pos] == ">":
            return found, pos + 1
        match = _ATTRIBUTE.match(text, pos)
        if match is None or match.end() == pos:
            pos += 1
            continue
        if match.group(1):
            found.append((match.group(1).lower(), match.group(2) or "", match.start(1), match.end()))
        pos = match.end()
    return found, pos


def _addresses(text: str, tag: str, attributes: list[tuple[str, str, int, int]]) -> Iterator[HtmlAddress]:
    alt = next((_unquoted(raw) for name, raw, _, _ in attributes if name == "alt"), "") if tag == "img" else ""
    values = {name: raw for name, raw, _, _ in attributes}
    for name, raw, start, end in attributes:
        snippet = _first_line(text[start:end])
        value = _unquoted(raw)
        if name == "style":
            yield from _css_addresses(value, 0, len(value), f"{tag} style", offset=start, snippet=snippet)
            continue
        if name == "href":
            kind, how = ("link" if tag in _HREF_IS_LINK else "image"), "one"
        elif name == "content" and tag == "meta" and _unquoted(values.get("http-equiv", "")).lower() == "refresh":
            refresh = _REFRESH.search(value)
            if refresh:
                yield HtmlAddress(start, snippet, refresh.group(1), "link", "meta refresh", "")
            continue
        elif name in _RESOURCE_ATTRIBUTES and tag in _ONLY_ON.get(name, {tag}):
            kind, how = "image", _RESOURCE_ATTRIBUTES[name]
        elif name in _LINK_ATTRIBUTES:
            kind, how = "link", _LINK_ATTRIBUTES[name]
        else:
            continue
        for url in _urls(value, how):
            yield HtmlAddress(start, snippet, url, kind, f"{tag} {name}", alt)


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0]


def _unquoted(raw: str) -> str:
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        raw = raw[1:-1]
    return html.unescape(raw)


def _urls(value: str, how: str) -> list[str]:
    if how == "spaces":
        return value.split()
    if how == "srcset":
        return _srcset_urls(value)
    return [value.strip()]


def _srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset, as the HTML standard splits it (a URL is a run of non-space characters)."""
    urls, pos = [], 0
    while pos < len(value):
        while pos < len(value) and (value[pos].isspace() or value[pos] == ","):
            pos += 1
        start = pos
        while pos < len(value) and not value[pos].isspace():
            pos += 1
        url = value[start:pos]
        if not url:
            break
        if url.endswith(","):
            urls.append(url.rstrip(","))
            continue
        urls.append(url)
        depth = 0
        while pos < len(value) and (value[pos] != "," or depth):  # descriptors, up to the next comma
            depth += {"(": 1, ")": -1}.get(value[pos], 0)
            pos += 1
    return urls


def _css_addresses(text: str, start: int, end: int, element: str, *, offset: int | None = None,
                   snippet: str | None = None) -> Iterator[HtmlAddress]:
    for match in _CSS_URL.finditer(text, start, end):
        url = next(group for group in match.groups() if group is not None)
        where = match.start() if offset is None else offset
        yield HtmlAddress(where, snippet if snippet is not None else _first_line(match.group(0)),
                          html.unescape(url.strip()) if offset is None else url.strip(), "image", element, "")


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(sanitised: str) -> str:
    """The text of sanitised HTML (which has no scripts, styles or comments left)."""
    parser = _TextOf()
    parser.feed(sanitised)
    parser.close()
    return "".join(parser.parts)
