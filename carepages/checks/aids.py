"""Plain-language aids that `check` can see in the source.

- `glossary/unexplained`: a word from the site's "must explain" list (`[checks."glossary/unexplained"]
  terms`) used in an article, at its first use neither in the glossary nor explained in the same sentence
  ("gadolinium, a contrast dye", "gadolinium (a contrast dye)", "a dye called gadolinium", "gadolinium is a
  metal"). A patient meeting the word has nothing to go on.
- `care/heading-after`: the text after a care card (or the site-wide "when to get help" card) does not start
  with a heading. A screen reader does not announce where a box ends; a heading tells its user that the
  advice is over and what comes next.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

from ..errors import Diagnostic, Location
from ..glossary.model import is_case_sensitive
from ..model.site import Page, Site
from .prose import BODY, passages
from .settings import CheckSettings

PageCheck = Callable[[Page, CheckSettings], Iterator[Diagnostic]]

UNEXPLAINED = "glossary/unexplained"
HEADING_AFTER = "care/heading-after"
_EXPLAINED_AFTER = re.compile(r"^\s*(?:\(|[:—–]|-\s|,\s*(?:a|an|the|which|that|or|meaning|called|also|also called|"
                              r"sometimes called|known as|where|when)\b|\s+(?:is|are|was|means|mean|refers to|"
                              r"stands for)\b)", re.IGNORECASE)
_EXPLAINED_BEFORE = re.compile(r"\b(?:called|known as|named|termed|means|meaning)\s*[\"“‘']?$", re.IGNORECASE)


def unexplained_terms(site: Site, settings: CheckSettings) -> PageCheck:
    """The check of one page for the words to explain that the site's glossary does not know."""
    return functools.partial(_unexplained, wanted=tuple((w, _pattern(w)) for w in words_to_explain(site, settings)))


def words_to_explain(site: Site, settings: CheckSettings) -> tuple[str, ...]:
    """The site's list of words to explain that its glossary does not know: all that the check of a page
    reads of the rest of the site."""
    words = [w for w in settings.option(UNEXPLAINED, "terms") or [] if w.split()]
    return tuple(w for w in words if not site.glossary.knows(w))


def _unexplained(page: Page, settings: CheckSettings, *,
                 wanted: tuple[tuple[str, re.Pattern[str]], ...]) -> Iterator[Diagnostic]:
    if wanted and page.kind.marks_terms:
        yield from _unexplained_on(page, wanted)


def _pattern(word: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(part) for part in word.split())
    return re.compile(rf"(?<!\w){body}(?!\w)", 0 if is_case_sensitive(word) else re.IGNORECASE)


def _unexplained_on(page: Page, wanted: tuple[tuple[str, re.Pattern[str]], ...]) -> Iterator[Diagnostic]:
    lines = page.source.text.lines
    found: dict[str, tuple[str, str, int, int]] = {}  # word -> (passage text, as written, offset, passage index)
    body = passages(page, BODY)
    for index, passage in enumerate(body):
        for word, pattern in wanted:
            if word in found:
                continue
            match = pattern.search(passage.text)
            if match:
                found[word] = (passage.text, match.group(), match.start(), index)
    for text, written, offset, index in found.values():
        if _explained(text, offset, offset + len(written)):
            continue
        where: Location = body[index].location(offset, written, lines)
        yield Diagnostic("warning", f"'{' '.join(written.split())}' is on the site's list of words to explain, but "
                         "it is not in the glossary and not explained where it is first used: add it to "
                         f"content/glossary.yaml, or explain it here, such as '{' '.join(written.split())}, "
                         "which is ...'", where, UNEXPLAINED)


def _explained(text: str, start: int, end: int) -> bool:
    sentence_start = max(text.rfind(". ", 0, start), text.rfind("\n\n", 0, start), -1) + 1
    return bool(_EXPLAINED_AFTER.match(text[end:]) or _EXPLAINED_BEFORE.search(text[sentence_start:start]))


def heading_after_care(page: Page, settings: CheckSettings) -> Iterator[Diagnostic]:
    tokens = page.parsed.body.tokens
    path, first_line = page.source.path, page.front.body_line
    for index, token in enumerate(tokens):
        if token.level != 0:
            continue
        if token.type == "help_card":
            what = "the 'when to get help' card"
        elif token.type.startswith("container_") and token.type.endswith("_close") \
                and (token.meta or {}).get("care") is not None:
            what = "this care card"
        else:
            continue
        following = next((t for t in tokens[index + 1:] if t.level == 0), None)
        if following is None or following.type == "heading_open":
            continue
        line = first_line + (following.map[0] if following.map else 0)
        yield Diagnostic("warning", f"the text after {what} does not start with a heading, so a screen-reader user "
                         "cannot tell where the card ends: start what follows with a heading, such as "
                         "'## Where to go next'", Location(path, line, 1), HEADING_AFTER)


__all__ = ["heading_after_care", "unexplained_terms"]
