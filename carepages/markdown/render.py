"""HTML for the tokens markdown-it's defaults get wrong for us: citations, links whose URL the model
decided, scrollable tables, accessible footnotes, and (only when a site enables raw HTML) sanitising.

A document is rendered once, when it is parsed, into a `PreRendered`: its HTML with a hole wherever the
output depends on what the model decides later (a link's URL, a citation's number, an author's HTML whose
addresses are rewritten). `fill` puts those values in. So a parsed page is compact plain data (no token tree
to keep, pickle or cache), and rendering a page is string joining.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from ..errors import plain_pickle
from ..ids import citation_id, footnotes_heading_id, reference_id
from ..routes import Router
from .citations import CitedItem
from .rawhtml import rewrite


@dataclass(frozen=True)
class RenderContext:
    """Everything rendering needs beyond the tokens: plain data, so pages can render in any process."""

    links: Mapping[str, str] = field(default_factory=dict)  # href as written -> URL in the output
    citation_numbers: Mapping[str, int] = field(default_factory=dict)  # bibliography key -> number
    citation_prefix: str = ""  # makes this document's citation ids unique on the page
    router: Router | None = None  # gives links to the site's own pages their full address for print
    help_card_html: str = ""  # the site-wide "when to get help" card, made for this page (markdown/helpcard.py)


@plain_pickle
@dataclass(frozen=True, slots=True)
class Hole:
    """A place in pre-rendered HTML whose text depends on the `RenderContext`; `value` is plain data."""

    kind: str  # a key of FILLERS
    value: Any


@dataclass(frozen=True)
class PreRendered:
    """HTML with holes: `parts[0] + fill(holes[0]) + parts[1] + ...`; one more part than holes."""

    parts: tuple[str, ...]
    holes: tuple[Hole, ...]


# Marks a hole in the renderer's output. It cannot come from a document: markdown-it turns every NUL of
# the source (and every `&#0;`) into U+FFFD before parsing.
HOLE_MARK = "\x00"
_HOLES = "carepages_holes"  # the env key render rules append their holes to


def hole(env: Any, kind: str, value: Any) -> str:
    """For a render rule whose output depends on the model: record the hole and return its mark."""
    env[_HOLES].append(Hole(kind, value))
    return HOLE_MARK


def pre_render(md: MarkdownIt, tokens: Sequence[Token], env: dict[str, Any]) -> PreRendered:
    holes: list[Hole] = []
    html = md.renderer.render(tokens, md.options, {**env, _HOLES: holes})
    parts = html.split(HOLE_MARK)
    if len(parts) != len(holes) + 1:  # a render rule wrote the mark without a hole: a bug, not bad input
        raise AssertionError(f"pre-rendered HTML has {len(parts) - 1} hole marks for {len(holes)} holes")
    return PreRendered(tuple(parts), tuple(holes))


def fill(pre: PreRendered, context: RenderContext) -> str:
    if not pre.holes:
        return pre.parts[0]
    out = [pre.parts[0]]
    for part, item in zip(pre.parts[1:], pre.holes, strict=True):
        out.append(FILLERS[item.kind](item.value, context))
        out.append(part)
    return "".join(out)


def compress_numbers(numbers: Sequence[int]) -> list[tuple[int, int]]:
    """[1, 2, 3, 5, 7, 8] -> [(1, 3), (5, 5), (7, 7), (8, 8)]: runs of three or more become ranges (NLM
    style: '1-3,5,7,8')."""
    runs: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    result: list[tuple[int, int]] = []
    for first, last in runs:
        if last - first == 1:
            result += [(first, first), (last, last)]
        else:
            result.append((first, last))
    return result


def install_render_rules(md: MarkdownIt) -> None:
    md.add_render_rule("citation", _citation)
    md.add_render_rule("softbreak", _softbreak)
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("image", _image)
    md.add_render_rule("table_open", lambda *a: '<div class="table-wrap" role="region" aria-label="Table" '
                                                'tabindex="0">\n<table>\n')
    md.add_render_rule("table_close", lambda *a: "</table>\n</div>\n")
    md.add_render_rule("footnote_ref", _footnote_ref)
    md.add_render_rule("footnote_block_open", _footnote_block_open)
    md.add_render_rule("footnote_anchor", _footnote_anchor)
    md.add_render_rule("html_block", _html)
    md.add_render_rule("html_inline", _html)


def _citation(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    return hole(env, "citation", (tuple(token.meta["items"]), token.meta["ordinal"], token.content))


def _fill_citation(value: tuple[tuple[CitedItem, ...], int, str], context: RenderContext) -> str:
    items, ordinal, content = value
    if len(items) == 1 and not items[0].locator:  # the commonest citation: one reference, as the loop below
        n = context.citation_numbers.get(items[0].key)
        if n is not None:
            return (f'<sup class="citation" id="{citation_id(context.citation_prefix, ordinal)}">'
                    f'<a href="#{reference_id(n)}" aria-label="Reference {n}">{n}</a></sup>')
    numbered = [(context.citation_numbers.get(item.key), item.locator) for item in items]
    if any(n is None for n, _ in numbered):  # unknown keys are build errors; never reached in a real build
        return escapeHtml(content)
    parts: list[str] = []
    if any(locator for _, locator in numbered):
        for n, locator in numbered:
            label = f"Reference {n}" + (f", {locator}" if locator else "")
            text = f"{n}" + (f" ({locator})" if locator else "")
            parts.append(f'<a href="#{reference_id(n)}" aria-label="{escapeHtml(label)}">{escapeHtml(text)}</a>')
    else:
        for first, last in compress_numbers([n for n, _ in numbered if n is not None]):
            if first == last:
                parts.append(f'<a href="#{reference_id(first)}" aria-label="Reference {first}">{first}</a>')
            else:
                # the name holds the visible "1-3" as it is (WCAG 2.5.3: a speech user says what they see)
                label = f"References {first}-{last}"
                parts.append(f'<a href="#{reference_id(first)}" aria-label="{label}">{first}-{last}</a>')
    ident = citation_id(context.citation_prefix, ordinal)
    return f'<sup class="citation" id="{ident}">' + ",".join(parts) + "</sup>"


_UNSAFE_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file):", re.IGNORECASE)


def _safe_url(url: str) -> str:
    # The model refuses these with a located error; this is the second lock on the same door.
    return "#" if _UNSAFE_SCHEME.match(url) else url


def _softbreak(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return "" if (tokens[idx].meta or {}).get("glued") else "\n"


def _link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    attrs = f' href="{hole(env, "url", href)}"'
    title = token.attrGet("title")
    if title:
        attrs += f' title="{escapeHtml(str(title))}"'
    return f"<a{attrs}{hole(env, 'print-url', href)}>"


def print_address(url: str, router: Router | None) -> str:
    """The full address a printout shows after a link to one of the site's own pages or files, or ''.

    On paper a root-relative '/patient-info/faq/' is no use, so the stylesheet prints this instead
    (`a[data-print-href]::after`). Links within the page (#ref-1) print nothing; links to other sites
    already carry their full address and are printed from `href`."""
    if router is None or url.startswith("//") or not url.startswith(router.base_path):
        return ""
    return router.absolute(url[len(router.base_path):])


def _image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    attrs = f' src="{hole(env, "url", str(token.attrGet("src") or ""))}" alt="{escapeHtml(alt)}"'
    title = token.attrGet("title")
    if title:
        attrs += f' title="{escapeHtml(str(title))}"'
    return f'<img{attrs} loading="lazy" decoding="async">'


def _resolved(href: str, context: RenderContext) -> str:
    return _safe_url(context.links.get(_decoded(href), href))


def _fill_url(href: str, context: RenderContext) -> str:
    return escapeHtml(_resolved(href, context))


def _fill_print_url(href: str, context: RenderContext) -> str:
    printed = print_address(_resolved(href, context), context.router)
    return f' data-print-href="{escapeHtml(printed)}"' if printed else ""


def _html(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return hole(env, "html", tokens[idx].content)


def _fill_html(content: str, context: RenderContext) -> str:
    # An author's HTML (raw_html = true) links pages by their .md file and images by their path in content/,
    # as Markdown does: each address becomes the URL the model decided for it.
    links = context.links
    if not links:
        return content
    return rewrite(content, lambda url: links.get(_decoded(url)))


# What fills each kind of hole. A plugin whose HTML depends on the model adds its render rule (calling
# `hole`) and its filler here.
FILLERS: dict[str, Callable[[Any, RenderContext], str]] = {
    "citation": _fill_citation,
    "url": _fill_url,
    "print-url": _fill_print_url,
    "html": _fill_html,
    "help-card": lambda value, context: _fill_help_card(value, context),
}


def _fill_help_card(value: Any, context: RenderContext) -> str:
    from .helpcard import fill_help_card  # helpcard.py imports this module for `hole`

    return fill_help_card(value, context)


def _decoded(href: str) -> str:
    return unquote(href)


def _footnote_ref(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    ident = self.rules["footnote_anchor_name"](tokens, idx, options, env)
    n = token.meta["id"] + 1
    sub = token.meta.get("subId", -1)
    refid = ident + (f":{sub}" if sub > 0 else "")
    return (f'<sup class="footnote-ref"><a href="#fn{ident}" id="fnref{refid}" aria-label="Note {n}">'
            f"[{n}]</a></sup>")


def _footnote_block_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    prefix = env.get("carepages_id_prefix", "") if isinstance(env, dict) else ""
    heading_id = footnotes_heading_id(prefix)
    return (f'<section class="footnotes" aria-labelledby="{heading_id}">\n'
            f'<h2 id="{heading_id}">Notes</h2>\n<ol class="footnotes-list">\n')


def _footnote_anchor(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    ident = self.rules["footnote_anchor_name"](tokens, idx, options, env)
    sub = token.meta.get("subId", -1)
    if sub > 0:
        ident += f":{sub}"
    return f' <a href="#fnref{ident}" class="footnote-backref" aria-label="Back to text">Back</a>'


# What raw HTML in Markdown may contain when a site turns it on: text formatting and structure, never
# scripts, styles, frames, forms or event handlers.
_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "dfn", "div", "dl",
    "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}
_ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "lang", "title", "role", "aria-label", "aria-labelledby", "aria-describedby",
          "aria-hidden", "tabindex"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "ol": {"start", "reversed", "type"},
    "time": {"datetime"},
    "details": {"open"},
}


_ADDRESS_SCHEME = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.-]*:")


def _no_outside_images(tag: str, attribute: str, value: str) -> str | None:
    # The model reports an image from another site as an error (`images/external`); this is the second
    # lock: such an address never reaches a page. (A path from the site's root is the site's own file: the
    # model writes Markdown images that way.)
    if tag == "img" and attribute == "src" and (_ADDRESS_SCHEME.match(value) or value.lstrip().startswith("//")):
        return None
    return value


def sanitise_html(html: str) -> str:
    """Allow-list sanitising of rendered Markdown that may contain an author's raw HTML."""
    return nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto", "tel"}, link_rel=None,
                     strip_comments=True, attribute_filter=_no_outside_images)
