"""The parse stage: the Markdown of one page (its body, key points and FAQ answers) into parsed documents.

`parse_page` is a pure function of the page's text and the Markdown settings: its result can be cached by
the page's digest and computed in a worker process. Everything it finds keeps its file line and column.
Each text is parsed once; the result is compact (pre-rendered HTML and what the model needs, no token tree)
unless `keep_tokens` asks for the tokens, as `check` does to read the prose.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from . import ids
from .discover.sources import PageSource
from .markdown import MarkdownEngine, ParsedMarkdown


@dataclass(frozen=True)
class ParsedPage:
    body: ParsedMarkdown
    key_points: tuple[ParsedMarkdown, ...]
    faq_answers: tuple[ParsedMarkdown, ...]
    facets: str = ""  # digest of what the rest of the site sees of this Markdown (see `facets`)

    def documents(self) -> list[ParsedMarkdown]:
        """Every Markdown text of the page in reading order (key points, body, answers)."""
        return [*self.key_points, self.body, *self.faq_answers]


def parse_page(source: PageSource, engine: MarkdownEngine, *, keep_tokens: bool = False) -> ParsedPage:
    front, path, lines = source.front, source.path, source.text.lines
    body = engine.parse(source.body, path, front.body_line, lines, keep_tokens=keep_tokens,
                        mark_terms=source.kind.marks_terms and front.glossary)
    key_points = tuple(engine.parse(point.value, path, point.location.line or 1, lines,
                                    id_prefix=ids.key_point_prefix(i), inline=True, keep_tokens=keep_tokens)
                       for i, point in enumerate(front.key_points))
    answers = tuple(engine.parse(entry.answer, path, entry.answer_location.line or 1, lines,
                                 id_prefix=ids.faq_answer_prefix(i), keep_tokens=keep_tokens)
                    for i, entry in enumerate(front.faq))
    return ParsedPage(body, key_points, answers, facets([*key_points, body, *answers]))


def facets(documents: list[ParsedMarkdown]) -> str:
    """A digest of everything a page's parsed Markdown gives the rest of the site, without where it was written
    (an edit above moves it) and without its HTML text and word count (shown only on the page itself): an edit
    that keeps it can be rebuilt alone (see edits.py). Made here, with the parse, so it is made in the worker
    and kept in the cache."""
    return hashlib.sha256(repr([_facets(doc) for doc in documents]).encode("utf-8", "surrogatepass")).hexdigest()


def _facets(doc: ParsedMarkdown) -> tuple[object, ...]:
    return (doc.id_prefix, doc.inline, doc.terms,
            [(h.level, h.text, h.id) for h in doc.headings],
            [(c.items, c.ordinal, c.raw) for c in doc.citations],
            [(k.href, k.kind, k.text, k.element, k.title) for k in doc.links],
            [(c.level, c.id) for c in doc.care],
            [(h.kind, h.value) for h in doc.html.holes])
