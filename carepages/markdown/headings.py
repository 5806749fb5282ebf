"""Stable, unique heading ids, so `article.md#contrast-dye` keeps working and a table of contents can link.

Ids come from the heading text alone (never from its position), are unique within a page, and never take
an id the page uses for something else (`carepages.ids` owns that list).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from .. import ids
from ..textutil import slugify


def heading_text(state: StateCore, index: int) -> str:
    inline = state.tokens[index + 1]
    return "".join(child.content for child in inline.children or ()
                   if child.type in {"text", "code_inline", "softbreak"}).strip()


def heading_ids_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("carepages_heading_ids", _assign_ids)


def _assign_ids(state: StateCore) -> None:
    taken: set[str] = set()
    prefix = state.env.get("carepages_id_prefix", "")
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        base = slugify(heading_text(state, index)) or "section"
        candidate = ids.heading_id(base, taken)
        taken.add(candidate)
        token.attrSet("id", prefix + candidate)
