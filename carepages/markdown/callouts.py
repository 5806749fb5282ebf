"""`::: note`, `::: warning` and care cards (`::: care non-urgent|urgent|emergency`), rendered as labelled boxes.

The kind is said in words as well as colour (a screen reader and a black-and-white printout must both get
it), and the optional title after the kind becomes the visible heading of the box.

Care cards are the national-health-site pattern for "who to contact, and how fast": each level has its own
colour and a prefix for screen readers ("Urgent advice: "), and an emergency card ends with a `tel:` link to
the site's emergency number (site.toml `emergency_number`). `::: urgent` is the older name of
`::: care urgent` and renders the same.

The title is inline Markdown like any other: at parse time it becomes an `inline` token of the stream
(between `callout_title_open` and `callout_title_close`), so its links, images and citations are collected,
located, resolved and numbered exactly as the body's are, and rendered by the same rules. Every token keeps
its source lines (`map`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from ..errors import ContentError
from ..ids import HELP_CARD_ID, care_card_id
from .document import CareUse

# kind -> the label a reader sees before the title
CALLOUT_KINDS = {
    "note": "Note",
    "warning": "Important",
    "urgent": "Urgent",
}
# care level -> what a screen reader says first (and what an untitled card shows)
CARE_LEVELS = {
    "non-urgent": "Non-urgent advice",
    "urgent": "Urgent advice",
    "emergency": "Immediate action required",
}
CARE = "care"
_CONTAINERS = (*CALLOUT_KINDS, CARE)
_OPEN_TYPES = {f"container_{kind}_open" for kind in _CONTAINERS}
_CLOSE_TYPES = {f"container_{kind}_close" for kind in _CONTAINERS}
EMERGENCY_NUMBER = "carepages_emergency_number"  # parse env key: the number an emergency card's link dials


def callout_plugin(md: MarkdownIt) -> None:
    for kind in _CONTAINERS:
        container_plugin(md, kind, validate=_validator(kind), render=_render_container)
    # Block rules are tried on every line (and as paragraph and list terminators): one rule that looks at the
    # line's first character and hands a `:::` line to its kind's container rule, instead of four rules each
    # scanning every line. The containers are the plugin's own, so their tokens are exactly the plugin's.
    names = {f"container_{kind}": kind for kind in _CONTAINERS}
    rules = {names[rule.name]: rule.fn for rule in md.block.ruler.__rules__ if rule.name in names}
    md.block.ruler.disable(list(names))
    md.block.ruler.before("fence", "carepages_containers", _dispatch(rules),
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    # After the block parse (which makes the container tokens), before inline parsing fills every inline token.
    md.core.ruler.after("block", "carepages_callout_titles", _title_tokens)
    md.add_render_rule("callout_title_open", _render_title_open)
    md.add_render_rule("callout_title_close", _render_title_close)


def _dispatch(rules: dict[str, Any]) -> Any:
    def containers(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        start = state.bMarks[start_line] + state.tShift[start_line]
        if state.src[start:start + 3] != ":::":
            return False
        words = state.src[start:state.eMarks[start_line]].lstrip(":").split(maxsplit=1)
        rule = rules.get(words[0]) if words else None
        return bool(rule and rule(state, start_line, end_line, silent))

    return containers


def _validator(kind: str) -> Any:
    def validate(params: str, *_: Any) -> bool:
        words = params.strip().split(maxsplit=1)
        return bool(words) and words[0] == kind

    return validate


def callout_title(token: Token) -> tuple[str, str]:
    """(kind, title) of a container_*_open token; title is '' when none was given. A care card's kind is its
    level ('urgent', 'emergency', 'non-urgent'; '' if none is given), and `::: urgent` is 'urgent' too."""
    words = token.info.strip().split(maxsplit=1)
    if words and words[0] == CARE:
        rest = words[1].split(maxsplit=1) if len(words) > 1 else []
        return (rest[0] if rest else ""), (rest[1].strip() if len(rest) > 1 else "")
    return words[0], (words[1].strip() if len(words) > 1 else "")


def care_level(token: Token) -> str | None:
    """The care level of a container_*_open token ('' for `::: care` with no level or an unknown one), or
    None for a note or a warning."""
    words = token.info.strip().split()
    if not words or words[0] not in (CARE, "urgent"):
        return None
    level = callout_title(token)[0]
    return level if level in CARE_LEVELS else ""


def _title_tokens(state: StateCore) -> None:
    """Insert the title tokens after every callout's opening token (open, inline if titled, close), and give
    each closing token its opening's kind (a care card closes two boxes, and may end with a call link)."""
    tokens: list[Token] = []
    opened: list[dict[str, Any]] = []
    cards = 0
    prefix = state.env.get("carepages_id_prefix", "")
    for token in state.tokens:
        tokens.append(token)
        if token.type in _CLOSE_TYPES:
            token.meta = opened.pop() if opened else {}
            continue
        if token.type not in _OPEN_TYPES:
            continue
        kind, title = callout_title(token)
        level = care_level(token)
        meta: dict[str, Any] = {"kind": kind, "titled": bool(title), "care": level}
        if level is not None:
            cards += 1
            meta["id"] = care_card_id(prefix, cards)
            # the number is part of the parse (as the engine's setting), so any engine renders the card alike
            meta["call"] = state.env.get(EMERGENCY_NUMBER, "") if level == "emergency" else ""
        token.meta = meta
        opened.append(meta)
        line = token.map[0] if token.map else 0
        opening = Token("callout_title_open", "p", 1)
        opening.meta = meta
        opening.map, opening.level, opening.block = [line, line + 1], token.level + 1, True
        tokens.append(opening)
        if title:
            inline = Token("inline", "", 0)
            inline.content, inline.map, inline.level, inline.children = title, [line, line + 1], token.level + 2, []
            tokens.append(inline)
        closing = Token("callout_title_close", "p", -1)
        closing.level, closing.block = token.level + 1, True
        closing.meta = meta
        tokens.append(closing)
    state.tokens = tokens


def _render_container(self: Any, tokens: Sequence[Token], idx: int, _options: Any, env: Any) -> str:
    token = tokens[idx]
    meta = token.meta or {}
    level = meta.get("care")
    if token.nesting != 1:
        if level is None:
            return "</div>\n"
        call = ""
        number = meta.get("call", "")
        if number:
            call = (f'<p class="care-call"><a href="tel:{escapeHtml(_dialled(number))}">Call '
                    f'{escapeHtml(number)}</a></p>\n')
        return f"{call}</div>\n</div>\n"
    if level is None:
        kind, _ = callout_title(token)
        return f'<div class="callout callout-{kind}" role="note">\n'
    return f'<div class="care-card care-{level or "urgent"}" id="{escapeHtml(meta["id"])}">\n'


def _render_title_open(self: Any, tokens: Sequence[Token], idx: int, _options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    titled = meta["titled"]
    level = meta.get("care")
    if level is not None:
        label = escapeHtml(CARE_LEVELS.get(level or "urgent", "Urgent advice"))
        if titled:
            return f'<p class="care-title"><span class="visually-hidden">{label}: </span>'
        return f'<p class="care-title">{label}'
    label = escapeHtml(CALLOUT_KINDS[meta["kind"]])
    return f'<p class="callout-title"><span class="callout-kind">{label}{":" if titled else ""}</span>' + \
        (" " if titled else "")


def _render_title_close(self: Any, tokens: Sequence[Token], idx: int, _options: Any, env: Any) -> str:
    meta = tokens[idx].meta or {}
    return "</p>\n" + ('<div class="care-body">\n' if meta.get("care") is not None else "")


def _dialled(number: str) -> str:
    """'999' -> '999'; '+44 20 7946 0000' -> '+442079460000' (RFC 3966: digits, and a leading +)."""
    return "".join(ch for ch in number if ch.isdigit() or ch == "+")


def collect_care(tokens: Sequence[Token], find: Any) -> tuple[list[CareUse], list[ContentError]]:
    """Every care card of a parsed text (and where the site-wide card is placed), with its Location; and an
    error for each care card whose level is unknown. `find(line, snippet)` locates a snippet."""
    uses: list[CareUse] = []
    errors: list[ContentError] = []
    for token in tokens:
        line = token.map[0] if token.map else 0
        if token.type == "help_card":
            uses.append(CareUse("help", HELP_CARD_ID, find(line, token.markup)))
        elif token.type in _OPEN_TYPES and (token.meta or {}).get("care") is not None:
            where = find(line, token.markup)
            level = token.meta["care"]
            if not level:
                written = callout_title(token)[0]
                errors.append(ContentError(
                    (f"unknown care level '{written}'" if written else "a care card needs a level") +
                    f": write '{token.markup} care emergency', '{token.markup} care urgent' or "
                    f"'{token.markup} care non-urgent'", where, rule="care/invalid"))
                continue
            uses.append(CareUse(level, token.meta["id"], where))
    return uses, errors
