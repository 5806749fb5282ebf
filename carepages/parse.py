"""Parsing one content file: front matter, then the Markdown of its body, key points and FAQ answers.

`parse_page` depends only on the file's text and the Markdown settings, so its result can be cached by
content hash and computed in a worker process.
"""

from __future__ import annotations

from dataclasses import dataclass

from .discover.files import ContentFile
from .discover.frontmatter import FrontMatter, parse_front_matter
from .discover.text import SourceText, read_text
from .errors import Diagnostic, Location, Problems
from .markdown import MarkdownEngine, ParsedMarkdown


@dataclass(frozen=True)
class ParsedPage:
    file: ContentFile
    front: FrontMatter
    body: ParsedMarkdown
    key_points: tuple[ParsedMarkdown, ...]
    faq_answers: tuple[ParsedMarkdown, ...]
    warnings: tuple[Diagnostic, ...] = ()

    def documents(self) -> list[tuple[str, ParsedMarkdown]]:
        """Every Markdown text of the page in reading order, with its citation-id prefix."""
        docs = [(f"k{i + 1}-", doc) for i, doc in enumerate(self.key_points)]
        docs.append(("", self.body))
        docs += [(f"faq{i + 1}-", doc) for i, doc in enumerate(self.faq_answers)]
        return docs


def parse_page(file: ContentFile, engine: MarkdownEngine) -> ParsedPage:
    return parse_source(file, read_text(file.path), engine)


def parse_source(file: ContentFile, source: SourceText, engine: MarkdownEngine) -> ParsedPage:
    problems = Problems()
    front = parse_front_matter(source, problems)
    lines = source.lines
    body = engine.parse(front.body, source.path, front.body_line, lines)
    key_points = tuple(engine.parse(point.value, source.path, point.location.line or 1, lines,
                                    id_prefix=f"k{i + 1}-", inline=True)
                       for i, point in enumerate(front.key_points))
    answers = tuple(engine.parse(entry.answer, source.path, entry.answer_location.line or 1, lines,
                                 id_prefix=f"faq{i + 1}-")
                    for i, entry in enumerate(front.faq))
    if not front.draft:
        _warn_unfinished(source, problems)
    return ParsedPage(file, front, body, key_points, answers, tuple(problems.warnings))


def _warn_unfinished(source: SourceText, problems: Problems) -> None:
    """`new` marks what an editor must fill in with TODO; a published page should have none left."""
    for number, line in enumerate(source.lines, start=1):
        if "TODO" in line:
            problems.warn("this page is published but still has TODO markers from 'new'; finish them or set "
                          "'draft: true'", Location(source.path, number, line.index("TODO") + 1))
            return
