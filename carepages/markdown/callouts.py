"""`::: note`, `::: warning` and `::: urgent` blocks, rendered as labelled notes.

The kind is said in words as well as colour (a screen reader and a black-and-white printout must both get
it), and the optional title after the kind becomes the visible heading of the box.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

# kind -> the label a reader sees before the title
CALLOUT_KINDS = {
    "note": "Note",
    "warning": "Important",
    "urgent": "Urgent",
}


def callout_plugin(md: MarkdownIt) -> None:
    render = _renderer(md)
    for kind in CALLOUT_KINDS:
        container_plugin(md, kind, validate=_validator(kind), render=render)


def _validator(kind: str) -> Any:
    def validate(params: str, *_: Any) -> bool:
        words = params.strip().split(maxsplit=1)
        return bool(words) and words[0] == kind

    return validate


def callout_title(token: Token) -> tuple[str, str]:
    """(kind, title) of a container_*_open token; title is '' when none was given."""
    words = token.info.strip().split(maxsplit=1)
    return words[0], (words[1].strip() if len(words) > 1 else "")


def _renderer(md: MarkdownIt) -> Any:
    def render(self: Any, tokens: Sequence[Token], idx: int, _options: Any, env: Any) -> str:
        token = tokens[idx]
        if token.nesting != 1:
            return "</div>\n"
        kind, title = callout_title(token)
        label = CALLOUT_KINDS[kind]
        heading = f'<span class="callout-kind">{escapeHtml(label)}{":" if title else ""}</span>'
        if title:
            # The title may use inline Markdown (emphasis, code); it is rendered like any other text.
            heading += " " + md.renderInline(title, dict(env) if isinstance(env, dict) else {})
        return (f'<div class="callout callout-{kind}" role="note">\n'
                f'<p class="callout-title">{heading}</p>\n')

    return render
