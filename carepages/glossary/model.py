"""Glossary terms, and the forms of each that a page's text may use (the term, its synonyms, its plurals and
its abbreviations)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Location


@dataclass(frozen=True)
class Term:
    term: str  # as the glossary page shows it: 'magnetic resonance imaging'
    slug: str  # makes its anchor: 'magnetic-resonance-imaging'
    definition: str  # plain text, one or two short sentences
    synonyms: tuple[str, ...] = ()
    plurals: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()  # 'MRI': shown in <abbr title="magnetic resonance imaging">
    see: str = ""  # a page that explains it, as written ('spine-mri-protocol.md#contrast-dye')
    see_url: str = ""  # decided by the model
    location: Location = Location()
    see_location: Location = Location()

    def forms(self) -> list[tuple[str, str]]:
        """(form, expansion) of every way a text may name this term; an abbreviation expands to the term."""
        found = [(form, "") for form in (self.term, *self.synonyms, *self.plurals)]
        found += [(form, self.term) for form in self.abbreviations]
        return found


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...] = ()  # in file order
    by_slug: dict[str, Term] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.terms)

    def knows(self, words: str) -> bool:
        """Whether `words` is one of the glossary's forms (case rules as in matching: a form with capitals
        must be written as it is, a lower-case form may be written in any case)."""
        words = " ".join(words.split())
        for term in self.terms:
            for form, _ in term.forms():
                if form == words or (form == form.lower() and form == words.lower()):
                    return True
        return False


def is_case_sensitive(form: str) -> bool:
    """'MRI', 'T2' and 'McDonald criteria' are matched as written; 'lesion' also as 'Lesion' or 'LESION'."""
    return form != form.lower()
