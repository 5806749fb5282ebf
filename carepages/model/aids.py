"""The model's part of the plain-language aids: the glossary's `see` links, and where each page places care
cards and the site-wide "when to get help" card.

- A `see` link is resolved like any link written in content/ (from `glossary.yaml`), with its errors at
  the glossary's line.
- `{{ when-to-get-help }}` needs site.toml's `when_to_get_help`, and may be placed once a page (its ids
  must be unique); an emergency care card needs site.toml's `emergency_number`, which its call link dials.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import PurePosixPath

from ..config import SiteConfig
from ..errors import ContentError, Found, Problems
from ..glossary import GLOSSARY_FILE, Glossary
from ..markdown import LinkUse, ParsedMarkdown
from ..routes import Router
from .links import LinkTargets, resolve_links
from .site import SiteText

HELP_TEXT = "when_to_get_help"
RULE = "care/invalid"


def resolve_glossary(glossary: Glossary, targets: LinkTargets, router: Router) -> Found[Glossary]:
    uses = [LinkUse(term.see, "link", term.term, term.see_location) for term in glossary.terms if term.see]
    resolved = resolve_links(uses, PurePosixPath(GLOSSARY_FILE), frozenset(), targets, router)
    terms = tuple(replace(t, see_url=resolved.value.get(t.see, "")) if t.see else t for t in glossary.terms)
    return Found(Glossary(terms, {t.slug: t for t in terms}), resolved.diagnostics)


def placed_help_card(body: ParsedMarkdown, config: SiteConfig,
                     texts: Mapping[str, SiteText]) -> Found[SiteText | None]:
    """The site-wide card if the page places it, and a located error for each misuse of care cards."""
    problems = Problems()
    places = [use for use in body.care if use.level == "help"]
    card = texts.get(HELP_TEXT)
    if places and card is None:
        problems.error(ContentError("this page places the site's 'when to get help' card, but site.toml has no "
                                    "'when_to_get_help' text: add it there (see the README's care cards)",
                                    places[0].location, rule=RULE))
    for extra in places[1:]:
        problems.error(ContentError(f"the 'when to get help' card is already placed on this page (line "
                                    f"{places[0].location.line}): place it once", extra.location, rule=RULE))
    if not config.emergency_number:
        for use in body.care:
            if use.level == "emergency":
                problems.error(ContentError("an emergency care card links to the emergency number, but site.toml "
                                            "has no 'emergency_number': add one, such as emergency_number = "
                                            "\"999\"", use.location, rule=RULE))
    return Found(card if places else None, problems.diagnostics)


def help_card_problems(config: SiteConfig, texts: Mapping[str, SiteText]) -> Found[None]:
    """The card itself: an emergency card in it needs the emergency number too; it cannot place itself."""
    card = texts.get(HELP_TEXT)
    if card is None:
        return Found(None)
    problems = Problems()
    for use in card.doc.care:
        if use.level == "help":
            problems.error(ContentError("the 'when to get help' card cannot place itself", use.location, rule=RULE))
        elif use.level == "emergency" and not config.emergency_number:
            problems.error(ContentError("an emergency care card links to the emergency number, but site.toml has "
                                        "no 'emergency_number': add one, such as emergency_number = \"999\"",
                                        use.location, rule=RULE))
    return Found(None, problems.diagnostics)
