"""The configured Markdown parser: CommonMark plus tables, footnotes, definition lists, heading ids,
callouts and care cards, citations and glossary terms; raw HTML off unless the site turns it on.

`parse` is a pure function of the text (its result can be cached and computed in any process): it renders
the tokens once, into HTML with holes; `render` fills the holes once the model has decided every link's URL
and every citation's number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ..errors import BuildFailed, ContentError, Location
from . import rawhtml
from .callouts import EMERGENCY_NUMBER, callout_plugin, collect_care
from .citations import citation_plugin
from .document import CitationUse, Heading, LinkUse, ParsedMarkdown
from .headings import heading_ids_plugin
from .helpcard import help_card_plugin
from .render import RenderContext, fill, install_render_rules, pre_render, sanitise_html
from .terms import MARK, MARKED, TermMatcher, terms_plugin

_WORD = re.compile(r"[\w'’-]+")


class MarkdownEngine:
    """One configured parser. Build one per site (or per worker process); it holds no per-page state."""

    def __init__(self, raw_html: bool = False, *, terms: TermMatcher | None = None,
                 emergency_number: str = "") -> None:
        """`terms`: the glossary's forms, marked where a text asks (`parse(mark_terms=True)`);
        `emergency_number`: what an emergency care card's call link dials."""
        self.raw_html = raw_html
        self.emergency_number = emergency_number
        # what a parse depends on besides the text: a cache of parsed pages must key on it too
        self.fingerprint = f"{raw_html}:{emergency_number}:{terms.fingerprint if terms else ''}"
        # (strikethrough_single_tilde as it defaults: named, because looking up an option not set raises and
        # catches a KeyError, and strikethrough asks for this one in every paragraph)
        md = MarkdownIt("commonmark", {"html": raw_html, "typographer": False, "linkify": False,
                                       "strikethrough_single_tilde": False})
        md.enable(["table", "strikethrough"])
        # Every link is judged by the model (which can name the file and line); the parser keeps them all.
        md.validateLink = lambda url: True  # type: ignore[method-assign]
        md.use(footnote_plugin, inline=False)
        md.use(deflist_plugin)
        md.use(callout_plugin)
        md.use(citation_plugin)
        md.use(heading_ids_plugin)
        md.use(help_card_plugin)
        md.use(terms_plugin, terms or TermMatcher(None))
        install_render_rules(md)
        self.md = md

    def parse(self, text: str, path: Path, first_line: int = 1, file_lines: Sequence[str] = (),
              *, id_prefix: str = "", inline: bool = False, keep_tokens: bool = False,
              mark_terms: bool = False) -> ParsedMarkdown:
        """Parse `text`, which starts at line `first_line` of `path`; `file_lines` (the whole file) lets
        locations point at the exact column. `keep_tokens` keeps the token tree in the result; `mark_terms`
        marks the first use of each glossary term."""
        env: dict[str, Any] = {"carepages_id_prefix": id_prefix, MARK: mark_terms,
                               EMERGENCY_NUMBER: self.emergency_number}
        tokens = self.md.parseInline(text, env) if inline else self.md.parse(text, env)
        locator = _Locator(path, first_line, file_lines)
        found = _Collector(locator, self.raw_html)
        found.collect(tokens)
        care, care_errors = collect_care(tokens, locator.find)
        found.errors += care_errors
        render_env: dict[str, Any] = {"carepages_id_prefix": id_prefix}
        if id_prefix:
            render_env["docId"] = id_prefix.rstrip("-")
        shown = (tokens[0].children or []) if inline and tokens else [] if inline else tokens
        doc = ParsedMarkdown(pre_render(self.md, shown, render_env), tuple(found.headings),
                             tuple(found.citations), tuple(found.links), id_prefix, inline, found.words,
                             tuple(tokens) if keep_tokens else (), terms=tuple(env.get(MARKED, ())), care=tuple(care))
        if self.raw_html and not found.errors:
            found.check_no_text_lost(tokens, inline, sanitise_html(self.render(doc, RenderContext(), sanitise=False)))
        if len(found.errors) == 1:
            raise found.errors[0]
        if found.errors:
            raise BuildFailed(found.errors)
        return doc

    def render(self, doc: ParsedMarkdown, context: RenderContext, *, sanitise: bool = True) -> str:
        html = fill(doc.html, context)
        return sanitise_html(html) if self.raw_html and sanitise else html


# Snippets that start with one of these are looked up in a per-line index instead of searched for: a page
# with thousands of links or citations on one line finds each in constant time.
_INDEXED_MARKERS = ("](", "[@")
_KEY_END = re.compile(r"[\s)\]\"'<>]")


_KEY_LENGTH = 64


def _key(text: str, start: int) -> str:
    """The text after a marker up to the first character that ends a URL or citation key (at most
    _KEY_LENGTH characters, so indexing a line costs one pass over it)."""
    limit = min(len(text), start + _KEY_LENGTH)
    end = _KEY_END.search(text, start, limit)
    return text[start:end.start() if end else limit]


class _Locator:
    """Turns (line within the text, raw snippet) into a file Location with the snippet's column.

    The n-th use of the same snippet on the same line is its n-th occurrence there. Each (line, snippet)
    keeps a cursor, so finding every occurrence on a line costs one pass over it, not one pass per use.
    """

    def __init__(self, path: Path, first_line: int, file_lines: Sequence[str]) -> None:
        self.path = path
        self.first_line = first_line
        self.file_lines = file_lines
        self.cursors: dict[tuple[int, str], int] = {}  # next index to search from; -1 once none is left
        self.indexes: dict[tuple[int, str], dict[str, list[int]]] = {}  # (line, marker) -> key -> offsets

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
        for candidate in range(line, min(line + 40, len(self.file_lines) + 1)):
            col = self._next(candidate, snippet)
            if col >= 0:
                return Location(self.path, candidate, col + 1)
        return Location(self.path, line)

    def _next(self, line: int, snippet: str) -> int:
        """Index of the next unused occurrence of `snippet` on file line `line`, or -1."""
        cursor = self.cursors.get((line, snippet), 0)
        if cursor < 0:
            return -1
        text = self.file_lines[line - 1]
        marker = snippet[:2]
        if marker in _INDEXED_MARKERS and len(snippet) > 2:
            offsets = self._index(line, marker).get(_key(snippet, 2), ())
            # `cursor` counts offsets of this key already passed; those that do not match are passed too
            while cursor < len(offsets) and not text.startswith(snippet, offsets[cursor]):
                cursor += 1
            col = offsets[cursor] if cursor < len(offsets) else -1
        else:
            col = text.find(snippet, cursor)
        self.cursors[(line, snippet)] = -1 if col < 0 else cursor + 1
        return col

    def _index(self, line: int, marker: str) -> dict[str, list[int]]:
        index = self.indexes.get((line, marker))
        if index is None:
            index = {}
            text = self.file_lines[line - 1]
            at = text.find(marker)
            while at >= 0:
                index.setdefault(_key(text, at + 2), []).append(at)
                at = text.find(marker, at + 1)
            self.indexes[(line, marker)] = index
        return index


class _Collector:
    """One pass over the token stream: headings, links, images, citations and words of every inline context
    (paragraphs, headings, table cells, list items, definition lists, footnotes, callout titles, image alt
    text), each with its Location; with raw HTML on, the addresses and text-hiding constructs in it too."""

    def __init__(self, locator: _Locator, raw_html: bool) -> None:
        self.locator = locator
        self.raw_html = raw_html
        self.headings: list[Heading] = []
        self.citations: list[CitationUse] = []
        self.links: list[LinkUse] = []
        self.errors: list[ContentError] = []
        self.words = 0  # in the text (and code) of every inline context, image alt text included

    def collect(self, tokens: Sequence[Token]) -> None:
        for index, token in enumerate(tokens):
            line = token.map[0] if token.map else 0
            if token.type == "heading_open":
                inline = tokens[index + 1]
                text = "".join(c.content for c in inline.children or () if c.type in {"text", "code_inline"})
                self.headings.append(Heading(int(token.tag[1]), text.strip(), token.attrGet("id") or "",
                                             self.locator.find(line, token.markup + " ")))
            elif token.type == "html_block" and self.raw_html:
                self._html(token.content, line)
            elif token.type == "inline":
                self._inline(token.children or [], line, in_alt=False)

    def _inline(self, children: Sequence[Token], line: int, *, in_alt: bool) -> int:
        """Collect from one inline token's children, which start at `line`; returns the line they end on."""
        open_links: list[tuple[int, list[str]]] = []  # (index in self.links, text parts) of unclosed links
        # A raw-text element opened by one inline tag may be closed by a later tag of the same paragraph.
        open_raw: tuple[rawhtml.HiddenText, Location] | None = None
        for child in children:
            kind = child.type
            if kind in {"softbreak", "hardbreak"}:
                line += 1
            elif kind in {"text", "code_inline"}:
                self.words += len(_WORD.findall(child.content))
                for _, parts in open_links:
                    parts.append(child.content)
            elif kind == "citation":
                where = self.locator.find(line, child.content)
                if in_alt:
                    self.errors.append(ContentError(
                        f"citation {child.content} is in an image's alt text, where it cannot link to its "
                        "reference; put it in the text next to the image", where))
                else:
                    self.citations.append(CitationUse(child.meta["items"], child.meta["ordinal"], child.content,
                                                      where))
            elif kind == "link_open":
                href = unquote(str(child.attrGet("href") or ""))
                self.links.append(LinkUse(href, "link", "", self.locator.find_link(line, href, image=False),
                                          title=str(child.attrGet("title") or "")))
                open_links.append((len(self.links) - 1, []))
            elif kind == "link_close" and open_links:
                position, parts = open_links.pop()
                self.links[position] = replace(self.links[position], text="".join(parts).strip())
                for _, outer in open_links:
                    outer.extend(parts)
            elif kind == "image":
                for _, parts in open_links:
                    parts.append(child.content)
                src = unquote(str(child.attrGet("src") or ""))
                self.links.append(LinkUse(src, "image", child.content, self.locator.find_link(line, src, image=True),
                                          title=str(child.attrGet("title") or "")))
                # The alt text is inline Markdown too: what it links or cites is checked like the rest.
                line = self._inline(child.children or [], line, in_alt=True)
            elif kind == "html_inline" and self.raw_html:
                if open_raw and rawhtml.closes(child.content, open_raw[0].tag):
                    open_raw = None
                elif open_raw is None:
                    open_raw = self._html(child.content, line, inline=True)
                line += child.content.count("\n")
        if open_raw:
            self._hidden(*open_raw)
        return line

    def _html(self, content: str, line: int, *, inline: bool = False) -> tuple[rawhtml.HiddenText, Location] | None:
        """Addresses and text-hiding constructs of one HTML block or inline tag; an inline tag's unclosed
        raw-text element is returned (its closing tag may follow), any other is reported."""
        offset = 0
        for found in rawhtml.scan(content):
            line += content.count("\n", offset, found.offset)
            offset = found.offset
            where = self.locator.find(line, found.snippet)
            if isinstance(found, rawhtml.HiddenText):
                if inline and found.tag:
                    return found, where
                self._hidden(found, where)
            else:
                self.links.append(LinkUse(unquote(found.url), found.kind, found.text, where, found.element))
        return None

    def _hidden(self, found: rawhtml.HiddenText, where: Location) -> None:
        self.errors.append(ContentError(
            f"{found.what} is not closed, so the text after it would be lost from the page (or shown as code) "
            "once its HTML is cleaned; close it or remove it", where, rule="html/lost-text"))

    def check_no_text_lost(self, tokens: Sequence[Token], inline: bool, sanitised: str) -> None:
        """The safety net behind `rawhtml.scan`: every piece of text written in Markdown must still be in the
        page after sanitising, in order; the first that is not is an error at its place."""
        visible = rawhtml.visible_text(sanitised)
        cursor = 0
        for line, text in _texts(tokens[0].children or [] if inline and tokens else tokens):
            wanted = text.strip()
            if not wanted:
                continue
            at = visible.find(wanted, cursor)
            if at < 0:
                self.errors.append(ContentError(
                    f"the text '{_shorten(wanted)}' would be lost from the page once its HTML is cleaned: an HTML "
                    "element or comment before it hides it; close it or remove it",
                    self.locator.find(line, wanted), rule="html/lost-text"))
                return
            cursor = at + len(wanted)


def _texts(tokens: Sequence[Token]) -> Iterator[tuple[int, str]]:
    """(line in the text, content) of every text token meant to be seen, in document order: not the alt text
    of images, nor what a paragraph puts between `<script>` and `</script>` tags."""
    for token in tokens:
        line = token.map[0] if token.map else 0
        children = token.children if token.type == "inline" else [token] if token.type == "text" else []
        inside = ""
        for child in children or ():
            if child.type in {"softbreak", "hardbreak"}:
                line += 1
            elif child.type == "html_inline":
                line += child.content.count("\n")
                if inside and rawhtml.closes(child.content, inside):
                    inside = ""
                elif not inside:
                    inside = rawhtml.opened_raw_text(child.content)
            elif child.type == "text" and not inside:
                yield line, child.content


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
