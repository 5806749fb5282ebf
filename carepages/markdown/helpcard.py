"""`{{ when-to-get-help }}` on a line of its own: where an article shows the site-wide "when to get help" card.

The card is written once, in site.toml (`when_to_get_help`, Markdown with `::: care` blocks), so every page
that places it gives the same advice. Parsing only records the place (a `help_card` block token, with its
source line); the model numbers the card's citations with the page's, and rendering puts the card, made
with the page's numbers, where the token is (`RenderContext.help_card_html`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from ..ids import HELP_CARD_ID
from .render import RenderContext, hole

PLACEMENT = "{{ when-to-get-help }}"
_LINE = re.compile(r"^\{\{\s*when-to-get-help\s*\}\}\s*$")


def help_card_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("paragraph", "carepages_help_card", _help_card_rule)
    md.add_render_rule("help_card", _render)


def _help_card_rule(state: StateBlock, start: int, _end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False  # indented code
    begin = state.bMarks[start] + state.tShift[start]
    line = state.src[begin:state.eMarks[start]]
    if not line.startswith("{{") or not _LINE.match(line):
        return False
    if silent:
        return True
    token = state.push("help_card", "div", 0)
    token.map, token.block, token.markup = [start, start + 1], True, line.strip()
    state.line = start + 1
    return True


def _render(self: Any, tokens: Sequence[Token], idx: int, _options: Any, env: Any) -> str:
    return hole(env, "help-card", None)  # the card is made for each page (its citations take the page's numbers)


def fill_help_card(_value: Any, context: RenderContext) -> str:
    html = context.help_card_html
    if not html:
        return ""  # the model reports a card placed where the site has none
    return f'<div class="help-card" id="{HELP_CARD_ID}">\n{html}</div>\n'
