"""Markdown for carepages: parsing with source positions, and rendering with resolved links and citations."""

from .citations import CitedItem, parse_citation
from .document import CitationUse, Heading, LinkUse, ParsedMarkdown
from .engine import MarkdownEngine
from .render import RenderContext, compress_numbers

__all__ = [
    "CitationUse", "CitedItem", "Heading", "LinkUse", "MarkdownEngine", "ParsedMarkdown", "RenderContext",
    "compress_numbers", "parse_citation",
]
