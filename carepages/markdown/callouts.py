"""`::: note`, `::: warning` and `::: urgent` blocks, rendered as labelled notes.

The kind is said in words as well as colour (a screen reader and a black-and-white printout must both get
it), and the optional title after the kind becomes the visible heading of the box.

The title is inline Markdown like any other: at parse time it becomes an `inline` token of the stream
(between `callout_title_open` and `callout_title_close`), so its links, images and citations are collected,
located, resolved and numbered exactly as the body's are, and rendered by the same rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

# kind -> the label a reader sees before the title
CALLOUT_KINDS = {
    "note": "Note",
    "warning": "Important",
    "urgent": "Urgent",
}
_OPEN_TYPES = {f"container_{kind}_open" for kind in CALLOUT_KINDS}


def callout_plugin(md: MarkdownIt) -> None:
    for kind in CALLOUT_KINDS:
        container_plugin(md, kind, validate=_validator(kind), render=_render_container)
    # After the block parse (which makes the container tokens), before inline parsing fills every inline token.
    md.core.ruler.after("block", "carepages_callout_titles", _title_tokens)
    md.add_render_rule("callout_title_open", _render_title_open)
    md.add_render_rule("callout_title_close", lambda *_: "</p>\n")


def _validator(kind: str) -> Any:
    def validate(params: str, *_: Any) -> bool:
        words = params.strip().split(maxsplit=1)
        return bool(words) and words[0] == kind

    return validate


def callout_title(token: Token) -> tuple[str, str]:
    """(kind, title) of a container_*_open token; title is '' when none was given."""
    words = token.info.strip().split(maxsplit=1)
    return words[0], (words[1].strip() if len(words) > 1 else "")


def _title_tokens(state: StateCore) -> None:
    """Insert the title tokens after every callout's opening token: open, inline (if titled), close."""
    tokens: list[Token] = []
    for token in state.tokens:
        tokens.append(token)
        if token.type not in _OPEN_TYPES:
            continue
        kind, title = callout_title(token)
        line = token.map[0] if token.map else 0
        opening = Token("callout_title_open", "p", 1)
        opening.meta = {"kind": kind, "titled": bool(title)}
        opening.map, opening.level, opening.block = [line, line + 1], token.level + 1, True
        tokens.append(opening)
        if title:
            inline = Token("inline", "", 0)
            inline.content, inline.map, inline.level, inline.children = title, [line, line + 1], token.level + 2, []
            tokens.append(inline)
        closing = Token("callout_title_close", "p", -1)
        closing.level, closing.block = token.level + 1, True
        tokens.append(closing)
    state.tokens = tokens


def _render_container(self: Any, tokens: Sequence[Token], idx: int, _options: Any, env: Any) -> str:
    token = tokens[idx]
    if token.nesting != 1:
        return "</div>\n"
    kind, _ = callout_title(token)
    return f'<div class="callout callout-{kind}" role="note">\n'


def _render_title_open(self: Any, tokens: Sequence[Token], idx: int, _options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    titled = meta["titled"]
    label = escapeHtml(CALLOUT_KINDS[meta["kind"]])
    return f'<p class="callout-title"><span class="callout-kind">{label}{":" if titled else ""}</span>' + \
        (" " if titled else "")
