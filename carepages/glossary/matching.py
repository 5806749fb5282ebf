"""The site's Markdown engine, with the glossary's forms to mark (unless site.toml turns marking off) and
the number an emergency care card dials."""

from __future__ import annotations

from ..config import SiteConfig
from ..kinds import KINDS
from ..markdown import MarkdownEngine
from ..markdown.terms import TermMatcher, term_matcher
from ..routes import Router
from .model import Glossary


def glossary_matcher(glossary: Glossary, url: str) -> TermMatcher:
    return term_matcher(((form, term.slug, expansion) for term in glossary.terms
                         for form, expansion in term.forms()), url)


def site_engine(config: SiteConfig, router: Router, glossary: Glossary) -> MarkdownEngine:
    terms = None
    if glossary and config.mark_terms:
        terms = glossary_matcher(glossary, router.url(KINDS["glossary"].route_for()))
    return MarkdownEngine(raw_html=config.raw_html, terms=terms, emergency_number=config.emergency_number)
