"""Glossary terms, marked where an article first uses them: a markdown-it core rule on the token stream.

The first use of each glossary term in a text (the term, a synonym, a plural or an abbreviation) becomes a
`<dfn>` that links to the term's entry on the glossary page; an abbreviation also gets `<abbr title>` with
what it stands for. Words are matched on text tokens only, so nothing in a heading, a link, code, a citation,
a callout or care-card title, a table header, a definition list's term, an image's alt text, a URL or an HTML
attribute is ever touched:

- whole words only ('MS' is not found in 'MSc'; a hyphen or an apostrophe ends a word: 'T2-weighted');
- a form with a capital letter ('MRI', 'T2') is matched as written; a lower-case form in any case;
- where forms overlap, the longest wins ('lumbar puncture' before 'puncture');
- a term counts as used once any of its forms is met; later forms of it are left as they are;
- a multi-word form may run over a line break of the Markdown source.

Matching is on when the caller asks for it (`env["carepages_mark_terms"]`: the article's body, unless its
front matter or site.toml turns it off). The slugs marked are left in `env["carepages_terms_marked"]`.
Each marked token carries its link, so any engine renders a parsed page the same way.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..ids import glossary_term_id

MARK = "carepages_mark_terms"
MARKED = "carepages_terms_marked"
# block tokens whose inline content is never marked: headings, callout and care-card titles, table headers,
# and the terms of a definition list (the author is defining that word there)
_NOT_INSIDE = {"heading_open", "callout_title_open", "th_open", "dt_open"}
# inline HTML (raw_html = true) that must not get a link or a <dfn> inside it
_HTML_OPEN = re.compile(r"^<(a|abbr|button|code|dfn|kbd|label|pre|samp|script|style|textarea)\b", re.IGNORECASE)
_HTML_CLOSE = re.compile(r"^</(a|abbr|button|code|dfn|kbd|label|pre|samp|script|style|textarea)\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class TermMatcher:
    """The glossary as the parser needs it: one pattern, and what each matched form stands for."""

    pattern: re.Pattern[str] | None
    exact: dict[str, tuple[str, str]] = field(default_factory=dict)  # form as written -> (slug, expansion)
    folded: dict[str, tuple[str, str]] = field(default_factory=dict)  # lower-case form -> (slug, expansion)
    url: str = ""  # the glossary page
    fingerprint: str = ""  # changes whenever matching or links would

    def lookup(self, matched: str) -> tuple[str, str] | None:
        words = " ".join(matched.split())
        return self.exact.get(words) or self.folded.get(words.lower())


def term_matcher(forms: Iterable[tuple[str, str, str]], url: str) -> TermMatcher:
    """From (form, slug, expansion) triples: a form with a capital letter is matched as written."""
    exact: dict[str, tuple[str, str]] = {}
    folded: dict[str, tuple[str, str]] = {}
    for form, slug, expansion in forms:
        words = " ".join(form.split())
        if words:
            (exact if words != words.lower() else folded).setdefault(words, (slug, expansion))
    if not exact and not folded:
        return TermMatcher(None, url=url)
    # One case-blind pattern over a prefix tree of every form: the regex engine then tests one character per
    # branch instead of every form at every position (3 to 7 times faster than an alternation of the forms).
    # The case rule is applied to what it finds (`lookup`); the tree's greedy branches find the longest form.
    pattern = re.compile(r"(?<!\w)" + _tree_pattern([*exact, *folded]) + r"(?!\w)", re.IGNORECASE)
    fingerprint = hashlib.sha256(repr((sorted(exact.items()), sorted(folded.items()), url)).encode()).hexdigest()
    return TermMatcher(pattern, exact, folded, url, fingerprint)


def _tree_pattern(forms: Iterable[str]) -> str:
    tree: dict[str, dict] = {}
    for form in forms:
        node = tree
        for index, word in enumerate(form.lower().split()):
            if index:
                node = node.setdefault(" ", {})
            for char in word:
                node = node.setdefault(char, {})
        node[""] = {}  # a form ends here

    def branch(node: dict[str, dict]) -> str:
        parts = [(r"\s+" if char == " " else re.escape(char)) + branch(node[char]) for char in sorted(node) if char]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        return f"(?:{body})?" if "" in node else body

    return branch(tree)


def terms_plugin(md: MarkdownIt, matcher: TermMatcher) -> None:
    def mark(state: StateCore) -> None:
        if state.env.get(MARK) and matcher.pattern is not None:
            seen: list[str] = state.env.setdefault(MARKED, [])
            _mark_tokens(state.tokens, matcher, seen)

    md.core.ruler.push("carepages_terms", mark)
    md.add_render_rule("term_open", _render_open)
    md.add_render_rule("term_close", _render_close)


def _mark_tokens(tokens: Sequence[Token], matcher: TermMatcher, seen: list[str]) -> None:
    skip_until: str | None = None
    for token in tokens:
        if skip_until:
            if token.type == skip_until:
                skip_until = None
            continue
        if token.type in _NOT_INSIDE:
            skip_until = token.type.replace("_open", "_close")
        elif token.type == "inline" and token.children:
            token.children = _mark_inline(token.children, matcher, seen)


def _mark_inline(children: list[Token], matcher: TermMatcher, seen: list[str]) -> list[Token]:
    result: list[Token] = []
    run: list[Token] = []
    link_depth = 0
    html_depth = 0
    for child in children:
        if child.type in {"text", "softbreak"} and not link_depth and not html_depth:
            run.append(child)
            continue
        result += _mark_run(run, matcher, seen)
        run = []
        if child.type == "link_open":
            link_depth += 1
        elif child.type == "link_close":
            link_depth = max(0, link_depth - 1)
        elif child.type == "html_inline":
            if _HTML_OPEN.match(child.content) and not child.content.rstrip().endswith("/>"):
                html_depth += 1
            elif _HTML_CLOSE.match(child.content):
                html_depth = max(0, html_depth - 1)
        result.append(child)
    result += _mark_run(run, matcher, seen)
    return result


def _mark_run(run: list[Token], matcher: TermMatcher, seen: list[str]) -> list[Token]:
    """Text and line breaks in a row: find the first use of each unseen term, and wrap it."""
    if not any(t.type == "text" for t in run):
        return run
    text = "".join(t.content if t.type == "text" else "\n" for t in run)
    assert matcher.pattern is not None
    marks: list[tuple[int, int, str, str]] = []
    position = 0
    while match := matcher.pattern.search(text, position):
        found = matcher.lookup(match.group())
        if found is None:  # a form with capitals, written in another case: look on from the next character
            position = match.start() + 1
            continue
        position = match.end()
        if found[0] in seen:
            continue
        seen.append(found[0])
        marks.append((match.start(), match.end(), *found))
    if not marks:
        return run
    return _rebuild(run, marks, matcher.url)


def _rebuild(run: list[Token], marks: list[tuple[int, int, str, str]], url: str) -> list[Token]:
    opens = {start: (slug, expansion, f"{url}#{glossary_term_id(slug)}") for start, _, slug, expansion in marks}
    closes = {end: (slug, expansion, "") for _, end, slug, expansion in marks}
    cuts = sorted({start for start, *_ in marks} | {end for _, end, *_ in marks})
    out: list[Token] = []
    offset = 0
    for token in run:
        if token.type != "text":  # a line break inside a multi-word term stays where it was
            out.append(token)
            offset += 1
            continue
        start, end = offset, offset + len(token.content)
        points = [start] + [c for c in cuts if start < c < end] + [end]
        for a, b in pairwise(points):
            if a in opens:
                out.append(_term_token("term_open", 1, token, *opens[a]))
            if b > a:
                piece = Token("text", "", 0)
                piece.content, piece.level = token.content[a - start:b - start], token.level
                out.append(piece)
            if b in closes:
                out.append(_term_token("term_close", -1, token, *closes[b]))
        offset = end
    return out


def _term_token(kind: str, nesting: int, near: Token, slug: str, expansion: str, href: str) -> Token:
    token = Token(kind, "a", nesting)
    token.level = near.level
    token.meta = {"slug": slug, "expansion": expansion, "href": href}
    return token


def _render_open(self: Any, tokens: Sequence[Token], idx: int, _options: Any, _env: Any) -> str:
    meta = tokens[idx].meta
    html = f'<a class="term" href="{escapeHtml(meta["href"])}" data-term="{escapeHtml(meta["slug"])}"><dfn>'
    if meta["expansion"]:
        html += f'<abbr title="{escapeHtml(meta["expansion"])}">'
    return html


def _render_close(self: Any, tokens: Sequence[Token], idx: int, _options: Any, _env: Any) -> str:
    return ("</abbr>" if tokens[idx].meta["expansion"] else "") + "</dfn></a>"
