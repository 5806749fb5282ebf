"""Every HTML id the engine generates, and the ids the templates give their own sections: one owner, so a
heading can never take an id that something else on the page uses.

Heading ids come from the heading's text (`## Contrast dye` -> `contrast-dye`). Before one is used,
`is_taken` checks it against the templates' ids and the shapes of generated ids (`faq-3`, `ref-12`,
`cite-4`); a heading "FAQ 1" therefore becomes `faq-1-2`, never a second `faq-1`. A test reads the
templates and fails if one of them uses an id that is not listed here.
"""

from __future__ import annotations

import re

# ids written literally in the default templates (tests/test_ids.py keeps this in step with them), plus
# names kept free for themes.
TEMPLATE_IDS = frozenset({
    # base.html
    "main", "site-header", "site-nav", "site-footer", "emergency-heading", "contact-heading",
    "disclaimer-heading",
    # article pieces (macros.html)
    "key-points-heading", "toc-heading", "faq", "faq-heading", "review", "references", "references-heading",
    "related", "related-heading",
    # home, topics and questions pages
    "other-pages", "home-links-heading", "more-questions-heading", "start-here-heading", "topics-heading",
    # search: the header box, the 404 page's box, the search page
    "site-search-q", "not-found-q", "search-q", "search-status", "search-results", "search-list", "search-more",
    # plain-language aids: an article's word list and its phone-size "when to get help" box; the glossary page
    "words", "words-heading", "care-jump", "glossary-letters",
    # the site-wide "when to get help" card where an article places it (markdown/helpcard.py)
    "help-card",
    # kept free for themes
    "content", "top", "title", "summary", "key-points", "toc", "on-this-page", "footnotes", "footnotes-heading",
    "emergency", "disclaimer", "contact",
})

# The shapes of ids made below; a heading id of one of these shapes is taken even if unused on its page.
_GENERATED = re.compile(
    r"^(?:faq-\d+|ref-\d+|topic-\d+|related-to-\d+|cite-(?:[a-z]+\d*-)?\d+|fn(?:ref)?\d+(?::\d+)?"
    r"|(?:[a-z]+\d*-)?care-\d+|term-[a-z0-9-]+|word-[a-z0-9-]+|letter-[a-z0])$")


def is_taken(candidate: str) -> bool:
    """Whether a heading may not use this id."""
    return candidate in TEMPLATE_IDS or bool(_GENERATED.match(candidate))


def heading_id(base: str, used: set[str]) -> str:
    """A free id for a heading whose text makes `base`: `base`, else `base-2`, `base-3`... skipping the
    shapes of generated ids (a heading "FAQ" becomes `faq-section-2`, never the question id `faq-2`)."""
    candidate, n = base, 1
    while candidate in used or is_taken(candidate):
        n += 1
        candidate = f"{base}-{n}"
        if _GENERATED.match(candidate):
            candidate = f"{base}-section-{n}"
    return candidate


def faq_id(index: int) -> str:
    """The page's `index`-th question (from 0), so `page.md#faq-2` links to a question."""
    return f"faq-{index + 1}"


def reference_id(number: int) -> str:
    return f"ref-{number}"


def citation_id(prefix: str, ordinal: int) -> str:
    """The `ordinal`-th citation (from 0) of one Markdown text; `prefix` tells the page's texts apart."""
    return f"cite-{prefix}{ordinal + 1}"


def source_id(key: str) -> str:
    """A bibliography entry on the sources page."""
    return "source-" + "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in key)


def key_point_prefix(index: int) -> str:
    """Prefix of the ids inside the `index`-th key point (from 0): its citations and headings."""
    return f"k{index + 1}-"


def faq_answer_prefix(index: int) -> str:
    return f"faq{index + 1}-"


def site_text_prefix(name: str) -> str:
    """Prefix of ids inside a site.toml text (intro, disclaimer, ...), which appears on every page."""
    return f"{name}-"


def care_card_id(prefix: str, number: int) -> str:
    """The `number`-th care card (from 1) of one Markdown text, so a page can link to its urgent advice."""
    return f"{prefix}care-{number}"


HELP_CARD_ID = "help-card"


def glossary_term_id(slug: str) -> str:
    """A term's entry on the glossary page (`/glossary/#term-lesion`)."""
    return f"term-{slug}"


def page_word_id(slug: str) -> str:
    """A term's entry in an article's "Words used on this page" list."""
    return f"word-{slug}"


def glossary_letter_id(letter: str) -> str:
    """A letter's section of the glossary page: 'a' -> 'letter-a'; digits and symbols share 'letter-0'."""
    return f"letter-{letter if 'a' <= letter <= 'z' else '0'}"


def footnotes_heading_id(prefix: str) -> str:
    return f"{prefix}footnotes-heading"
