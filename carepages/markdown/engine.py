"""The configured Markdown parser: CommonMark plus tables, footnotes, definition lists, heading ids,
callouts and citations; raw HTML off unless the site turns it on.

`parse` is a pure function of the text (its result can be cached and computed in any process); `render`
turns parsed tokens into HTML once the model has decided every link's URL and every citation's number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ..errors import Location
from .callouts import callout_plugin
from .citations import citation_plugin
from .document import CitationUse, Heading, LinkUse, ParsedMarkdown
from .headings import heading_ids_plugin
from .render import RenderContext, install_render_rules, sanitise_html

_WORD = re.compile(r"[\w'’-]+")


class MarkdownEngine:
    """One configured parser. Build one per site (or per worker process); it holds no per-page state."""

    def __init__(self, raw_html: bool = False) -> None:
        self.raw_html = raw_html
        md = MarkdownIt("commonmark", {"html": raw_html, "typographer": False, "linkify": False})
        md.enable(["table", "strikethrough"])
        # Every link is judged by the model (which can name the file and line); the parser keeps them all.
        md.validateLink = lambda url: True  # type: ignore[method-assign]
        md.use(footnote_plugin, inline=False)
        md.use(deflist_plugin)
        md.use(callout_plugin)
        md.use(citation_plugin)
        md.use(heading_ids_plugin)
        install_render_rules(md)
        self.md = md

    def parse(self, text: str, path: Path, first_line: int = 1, file_lines: Sequence[str] = (),
              *, id_prefix: str = "", inline: bool = False) -> ParsedMarkdown:
        """Parse `text`, which starts at line `first_line` of `path`; `file_lines` (the whole file) lets
        locations point at the exact column."""
        env: dict[str, Any] = {"carepages_id_prefix": id_prefix}
        tokens = self.md.parseInline(text, env) if inline else self.md.parse(text, env)
        locator = _Locator(path, first_line, file_lines)
        headings, citations, links = _collect(tokens, locator)
        words = sum(len(_WORD.findall(t.content)) for t in _walk(tokens) if t.type in {"text", "code_inline"})
        return ParsedMarkdown(tuple(tokens), tuple(headings), tuple(citations), tuple(links), id_prefix, inline,
                              words)

    def render(self, doc: ParsedMarkdown, context: RenderContext) -> str:
        env: dict[str, Any] = {"carepages": context, "carepages_id_prefix": doc.id_prefix}
        if doc.id_prefix:
            env["docId"] = doc.id_prefix.rstrip("-")
        if doc.inline:
            html = self.md.renderer.render(doc.tokens[0].children or [], self.md.options, env) if doc.tokens else ""
        else:
            html = self.md.renderer.render(list(doc.tokens), self.md.options, env)
        return sanitise_html(html) if self.raw_html else html


def _walk(tokens: Sequence[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


class _Locator:
    """Turns (line within the text, raw snippet) into a file Location with the snippet's column."""

    def __init__(self, path: Path, first_line: int, file_lines: Sequence[str]) -> None:
        self.path = path
        self.first_line = first_line
        self.file_lines = file_lines
        self.seen: dict[tuple[int, str], int] = {}

    def find_link(self, line_in_text: int, href: str, image: bool) -> Location:
        """The column of a link's opening '[' (or an image's '!'), found from its '](href' part."""
        found = self.find(line_in_text, f"]({href}" if href else "[")
        if not href or found.col is None or not self.file_lines:
            return found
        text = self.file_lines[found.line - 1]
        depth, index = 0, found.col - 1
        while index >= 0:
            ch = text[index]
            if ch == "]":
                depth += 1
            elif ch == "[":
                depth -= 1
                if depth == 0:
                    break
            index -= 1
        if index < 0:
            return found
        if image and index > 0 and text[index - 1] == "!":
            index -= 1
        return Location(found.path, found.line, index + 1)

    def find(self, line_in_text: int, snippet: str) -> Location:
        line = self.first_line + line_in_text
        if not self.file_lines or not snippet:
            return Location(self.path, line)
        # The n-th use of the same snippet on the same line is its n-th occurrence there.
        for candidate in range(line, min(line + 40, len(self.file_lines) + 1)):
            text = self.file_lines[candidate - 1]
            occurrence = self.seen.get((candidate, snippet), 0)
            col = -1
            for _ in range(occurrence + 1):
                col = text.find(snippet, col + 1)
                if col < 0:
                    break
            if col >= 0:
                self.seen[(candidate, snippet)] = occurrence + 1
                return Location(self.path, candidate, col + 1)
        return Location(self.path, line)


def _collect(tokens: Sequence[Token], locator: _Locator) -> tuple[list[Heading], list[CitationUse], list[LinkUse]]:
    headings: list[Heading] = []
    citations: list[CitationUse] = []
    links: list[LinkUse] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            text = "".join(c.content for c in inline.children or () if c.type in {"text", "code_inline"}).strip()
            line = token.map[0] if token.map else 0
            headings.append(Heading(int(token.tag[1]), text, token.attrGet("id") or "",
                                    locator.find(line, token.markup + " ")))
        if token.type != "inline":
            continue
        line = token.map[0] if token.map else 0
        children = token.children or []
        for position, child in enumerate(children):
            if child.type in {"softbreak", "hardbreak"}:
                line += 1
            elif child.type == "citation":
                citations.append(CitationUse(child.meta["items"], child.meta["ordinal"], child.content,
                                             locator.find(line, child.content)))
            elif child.type == "link_open":
                href = unquote(str(child.attrGet("href") or ""))
                text = _link_text(children, position)
                links.append(LinkUse(href, "link", text, locator.find_link(line, href, image=False)))
            elif child.type == "image":
                src = unquote(str(child.attrGet("src") or ""))
                links.append(LinkUse(src, "image", child.content, locator.find_link(line, src, image=True)))
    return headings, citations, links


def _link_text(children: Sequence[Token], start: int) -> str:
    depth, parts = 0, []
    for child in children[start:]:
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth -= 1
            if depth == 0:
                break
        elif child.type in {"text", "code_inline"} or child.type == "image":
            parts.append(child.content)
    return "".join(parts).strip()
