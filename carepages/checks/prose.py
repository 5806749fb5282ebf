"""The reading text of a page, as checks see it: one `Passage` per paragraph, list item or table-free block,
with the file line of every part, so a finding can point at the sentence it is about.

Walks the parsed token stream (`ParsedMarkdown.tokens`, whose `map` gives lines) and leaves out what a
reader does not read as prose: headings, tables, code, callout titles, footnotes, citations, images and
link addresses (a link's text stays: it is read).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from markdown_it.token import Token

from ..errors import Location
from ..markdown import ParsedMarkdown
from ..model.site import Page

BODY, KEY_POINT, ANSWER = "body", "key point", "answer"

# Block tokens whose content is not prose: (opening type, closing type)
_SKIPPED = {
    "heading_open": "heading_close",
    "table_open": "table_close",
    "callout_title_open": "callout_title_close",
    "footnote_block_open": "footnote_block_close",
}
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?])")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


@dataclass(frozen=True)
class Passage:
    """One block of prose: a paragraph, a list item's paragraph, a key point or a table-free part of an answer."""

    text: str  # the prose: citations, code and image alt text left out, line breaks kept as '\n'
    path: Path
    line: int  # file line where it starts
    line_starts: tuple[int, ...]  # offset in `text` where each following line starts
    cited: bool  # a citation is in this passage
    where: str  # BODY, KEY_POINT or ANSWER
    quoted: bool = False  # inside a block quotation

    def line_at(self, offset: int) -> int:
        return self.line + bisect.bisect_right(self.line_starts, offset)

    def location(self, offset: int, snippet: str, file_lines: Sequence[str]) -> Location:
        """Where the text at `offset` (which reads `snippet`) was written: its line, and its column if found."""
        line = self.line_at(offset)
        if 0 < line <= len(file_lines):
            col = file_lines[line - 1].find(snippet.split("\n")[0])
            if col >= 0:
                return Location(self.path, line, col + 1)
        return Location(self.path, line)

    def sentences(self) -> Iterator[tuple[str, int, int]]:
        """(sentence, its file line, its offset in `text`) in order."""
        start = 0
        flat = self.text
        for match in _SENTENCE_END.finditer(flat):
            piece = flat[start:match.start()].strip()
            if piece:
                yield tidy(piece), self.line_at(start + _lead(flat, start)), start
            start = match.end()
        piece = flat[start:].strip()
        if piece:
            yield tidy(piece), self.line_at(start + _lead(flat, start)), start


def tidy(text: str) -> str:
    """One line, single spaces, no space left before punctuation where a citation was taken out."""
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(text.split()))


def _lead(text: str, start: int) -> int:
    return len(text[start:]) - len(text[start:].lstrip())


def document_lines(page: Page) -> list[tuple[ParsedMarkdown, int, str]]:
    """Every Markdown text of the page with the file line it starts on and what it is."""
    front, parsed = page.front, page.parsed
    docs = [(doc, point.location.line or 1, KEY_POINT) for doc, point in zip(parsed.key_points, front.key_points,
                                                                             strict=False)]
    docs.append((parsed.body, front.body_line, BODY))
    docs += [(doc, entry.answer_location.line or 1, ANSWER) for doc, entry in zip(parsed.faq_answers, front.faq,
                                                                                strict=False)]
    return docs


def passages(page: Page, only: str | None = None) -> list[Passage]:
    """The page's prose passages (only those of one kind with `only`, e.g. BODY)."""
    found: list[Passage] = []
    for doc, first_line, where in document_lines(page):
        if only is None or where == only:
            found.extend(doc_passages(doc, page.source.path, first_line, where))
    return found


def doc_passages(doc: ParsedMarkdown, path: Path, first_line: int, where: str) -> list[Passage]:
    tokens = doc.tokens
    if doc.inline:
        return [p for token in tokens for p in [_passage(token, path, first_line, where, False)] if p]
    found: list[Passage] = []
    closing: str | None = None
    quote_depth = 0
    for token in tokens:
        if closing:
            if token.type == closing:
                closing = None
            continue
        if token.type in _SKIPPED:
            closing = _SKIPPED[token.type]
        elif token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "inline":
            line = first_line + (token.map[0] if token.map else 0)
            passage = _passage(token, path, line, where, quote_depth > 0)
            if passage:
                found.append(passage)
    return found


def _passage(token: Token, path: Path, line: int, where: str, quoted: bool) -> Passage | None:
    parts: list[str] = []
    starts: list[int] = []
    cited = False
    length = 0
    for child in _flat(token.children or ()):
        kind = child.type
        if kind in {"softbreak", "hardbreak"}:
            parts.append("\n")
            length += 1
            starts.append(length)
        elif kind == "text":
            parts.append(child.content)
            length += len(child.content)
        elif kind == "citation":
            cited = True
    text = "".join(parts)
    if not text.strip():
        return None
    return Passage(text, path, line, tuple(starts), cited, where, quoted)


def _flat(children: Sequence[Token]) -> Iterator[Token]:
    """Inline children in order, image alt text left out (its line breaks kept)."""
    for child in children:
        if child.type == "image":
            for inner in _flat(child.children or ()):
                if inner.type in {"softbreak", "hardbreak"}:
                    yield inner
            continue
        yield child


def body_words(page: Page) -> int:
    return sum(len(p.text.split()) for p in passages(page, BODY))
