"""`[@key]`, `[@a; @b]` and `[@key, p. 12]`: Pandoc-style citations as a markdown-it inline rule.

The rule only recognises the syntax and records the keys in a `citation` token; whether a key exists and
which number it gets are decided later, by the model, so parsing stays a pure function of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from ..errors import plain_pickle

# Pandoc's citation keys: start with a letter, digit or _, then word characters and internal punctuation.
_ITEM = re.compile(r"^\s*@([A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*[\w])?)\s*(?:,\s*(\S.*?))?\s*$", re.DOTALL)
MAX_CITATION_LENGTH = 1000


@plain_pickle
@dataclass(frozen=True, slots=True)
class CitedItem:
    key: str
    locator: str = ""  # "p. 12"


def parse_citation(inner: str) -> tuple[CitedItem, ...] | None:
    """'@a; @b, p. 4' -> (CitedItem('a'), CitedItem('b', 'p. 4')); None if this is not a citation."""
    items = []
    for part in inner.split(";"):
        match = _ITEM.match(part)
        if not match:
            return None
        items.append(CitedItem(match.group(1), " ".join((match.group(2) or "").split())))
    return tuple(items)


def citation_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "citation", _citation_rule)


def _citation_rule(state: StateInline, silent: bool) -> bool:
    start = state.pos
    src = state.src
    if not src.startswith("[@", start):
        return False
    end = src.find("]", start + 2, min(state.posMax, start + MAX_CITATION_LENGTH))
    if end < 0 or "[" in src[start + 1:end]:
        return False
    if end + 1 < state.posMax and src[end + 1] == "(":
        return False  # `[@handle](https://...)` is an ordinary link
    items = parse_citation(src[start + 1:end])
    if items is None:
        return False
    if not silent:
        # A superscript number sits right after the word it supports: "lesions¹", not "lesions ¹".
        state.pending = state.pending.rstrip(" \t")
        if not state.pending and state.tokens and state.tokens[-1].type == "softbreak":
            # The citation starts a new source line: join it to the last word all the same. The break
            # token stays (so line counting still works) but renders as nothing.
            state.tokens[-1].meta = {**(state.tokens[-1].meta or {}), "glued": True}
        ordinal = state.env.setdefault("carepages_citations", 0)
        state.env["carepages_citations"] = ordinal + 1
        token = state.push("citation", "", 0)
        token.content = src[start:end + 1]
        token.meta = {"items": items, "ordinal": ordinal}
    state.pos = end + 1
    return True
