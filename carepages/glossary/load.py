"""Reading `content/glossary.yaml`, with every problem located like the rest of the site's files.

```yaml
- term: magnetic resonance imaging
  abbreviations: [MRI]
  definition: A scan that uses a strong magnet and radio waves to take detailed pictures inside the body.
  see: spine-mri-protocol.md
```

A bad entry is reported at its line (and the field's), and the other entries are still read, so one run
shows every problem. `see` is resolved later, by the model, like any other link.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..discover.text import read_text
from ..discover.yaml import LocatedYaml, load_yaml
from ..errors import ContentError, Diagnostic, Found, Location, SiteError
from ..fields import Reader, did_you_mean, shown, type_name
from ..textutil import slugify
from .model import Glossary, Term, is_case_sensitive

GLOSSARY_FILE = "glossary.yaml"
FIELDS = ("term", "definition", "synonyms", "plurals", "abbreviations", "see")
INVALID = "glossary/invalid"
DUPLICATE = "glossary/duplicate"
UNKNOWN_FIELD = "glossary/unknown-field"
LONG = "glossary/long-definition"
MAX_DEFINITION_WORDS = 45
MAX_FORM_LENGTH = 80
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


class GlossaryError(ContentError):
    default_rule = "glossary/invalid"


def glossary_path(content_dir: Path) -> Path:
    return content_dir / GLOSSARY_FILE


def load_glossary(path: Path) -> Found[Glossary]:
    """Every valid entry of the file (an empty glossary if there is no file), and every problem found."""
    if not path.is_file():
        return Found(Glossary())
    try:
        source = read_text(path)
        located = load_yaml(source.text, path, 1, what="glossary YAML")
    except SiteError as exc:
        return Found(Glossary(), exc.diagnostics)
    return read_glossary(located)


def read_glossary(located: LocatedYaml) -> Found[Glossary]:
    data = located.value
    if data is None:
        return Found(Glossary())
    if not isinstance(data, list):
        return Found(Glossary(), (Diagnostic(
            "error", f"the glossary must be a list of entries, each starting with '- term:', not {type_name(data)}",
            located.at(), INVALID),))
    diagnostics: list[Diagnostic] = []
    terms: list[Term] = []
    forms: dict[str, list[tuple[str, str, Location]]] = {}  # lower-case form -> (form, term, where it was given)
    slugs: dict[str, Term] = {}
    for index, item in enumerate(data):
        entry = _Entry(located, index, diagnostics)
        term = entry.read(item)
        if term is None:
            continue
        other = slugs.get(term.slug)
        if other is not None:
            diagnostics.append(Diagnostic("error", f"'{shown(term.term)}' has the same anchor (#term-{term.slug}) as "
                                          f"'{shown(other.term)}' at line {other.location.line}: merge the two "
                                          "entries", term.location, DUPLICATE))
            continue
        clash = _first_clash(term, forms, entry)
        if clash:
            diagnostics.append(clash)
            continue
        for form, where in entry.form_locations(term):
            forms.setdefault(" ".join(form.split()).lower(), []).append((form, term.term, where))
        slugs[term.slug] = term
        terms.append(term)
    glossary = Glossary(tuple(terms), {t.slug: t for t in terms})
    return Found(glossary, tuple(sorted(set(diagnostics), key=Diagnostic.sort_key)))


def _same_word(one: str, other: str) -> bool:
    """Whether a text could match both forms: equal, or equal but for case where either ignores case."""
    one, other = " ".join(one.split()), " ".join(other.split())
    if one.lower() != other.lower():
        return False
    return one == other or not is_case_sensitive(one) or not is_case_sensitive(other)


def _first_clash(term: Term, forms: dict[str, list[tuple[str, str, Location]]], entry: _Entry) -> Diagnostic | None:
    here: list[str] = []
    for form, where in entry.form_locations(term):
        for other, owner, first in forms.get(" ".join(form.split()).lower(), ()):
            if _same_word(form, other):
                return Diagnostic("error", f"'{shown(form)}' is already a word of '{shown(owner)}' (line "
                                  f"{first.line}): a word can lead to one entry only", where, DUPLICATE)
        if any(_same_word(form, other) for other in here):
            return Diagnostic("error", f"'{shown(form)}' is given twice in this entry", where, DUPLICATE)
        here.append(form)
    return None


class _Entry:
    """One list item of the file."""

    def __init__(self, located: LocatedYaml, index: int, diagnostics: list[Diagnostic]) -> None:
        self.located = located
        self.index = index
        self.diagnostics = diagnostics
        self.read_as = Reader(GlossaryError)

    def at(self, *path: str | int) -> Location:
        return self.located.at(self.index, *path)

    def key_at(self, name: str) -> Location:
        return self.located.key_at(self.index, name)

    def error(self, message: str, where: Location, rule: str = INVALID) -> None:
        self.diagnostics.append(Diagnostic("error", message, where, rule))

    def read(self, item: Any) -> Term | None:
        number = f"glossary entry {self.index + 1}"
        if not isinstance(item, dict):
            self.error(f"{number} must be a mapping that starts with 'term:' (such as '- term: lesion'), not "
                       f"{type_name(item)}", self.at())
            return None
        for name in item:
            if name not in FIELDS:
                self.diagnostics.append(Diagnostic("warning", f"unknown field '{shown(str(name))}' in {number}"
                                                   f"{did_you_mean(str(name), FIELDS)}", self.key_at(name),
                                                   UNKNOWN_FIELD))
        ok = True
        for name in ("term", "definition"):
            if item.get(name) is None:
                near = [str(key) for key in item if key not in FIELDS and did_you_mean(str(key), [name])]
                hint = f" ('{shown(near[0])}' is written: did you mean '{name}'?)" if near else ""
                self.error(f"{number} has no '{name}'{hint}", self.key_at(near[0]) if near else self.at())
                ok = False
        values: dict[str, Any] = {}
        for name in ("term", "definition", "see"):
            if item.get(name) is not None:
                values[name] = self.guard(self.read_as.text, name, item[name], self.at(name))
        for name in ("synonyms", "plurals", "abbreviations"):
            if item.get(name) is not None:
                values[name] = self.guard(self.read_as.text_list, name, item[name], self.at(name),
                                          item_where=lambda i, name=name: self.at(name, i))
        if not ok or any(v is None for v in values.values()):
            return None
        term = values["term"]
        if not self.forms_ok(values):
            return None
        slug = slugify(term)
        if not slug:
            self.error(f"'term' needs letters or digits, not '{shown(term)}'", self.at("term"))
            return None
        definition = " ".join(values["definition"].split())
        words = len(definition.split())
        sentences = len(_SENTENCE_END.findall(definition))
        if words > MAX_DEFINITION_WORDS or sentences > 2:
            self.diagnostics.append(Diagnostic(
                "warning", f"the definition of '{shown(term)}' has {words} words in {max(sentences, 1)} "
                f"sentence{'s' if sentences > 1 else ''}: keep it to one or two short sentences (at most "
                f"{MAX_DEFINITION_WORDS} words), and link to a page that says more with 'see'",
                self.at("definition"), LONG))
        return Term(term=" ".join(term.split()), slug=slug, definition=definition,
                    synonyms=values.get("synonyms", ()), plurals=values.get("plurals", ()),
                    abbreviations=values.get("abbreviations", ()), see=values.get("see", ""),
                    location=self.at(), see_location=self.at("see") if "see" in values else self.at())

    def forms_ok(self, values: dict[str, Any]) -> bool:
        ok = True
        for name in ("term", "synonyms", "plurals", "abbreviations"):
            written = values.get(name, ())
            for i, form in enumerate((written,) if isinstance(written, str) else written):
                where = self.at(name) if name == "term" else self.at(name, i)
                if "\n" in form or len(form) > MAX_FORM_LENGTH:
                    self.error(f"'{shown(form)}' in '{name}' must be a word or short phrase on one line (at most "
                               f"{MAX_FORM_LENGTH} characters)", where)
                    ok = False
                elif not re.search(r"\w", form):
                    self.error(f"'{shown(form)}' in '{name}' has no letters or digits", where)
                    ok = False
        return ok

    def form_locations(self, term: Term) -> list[tuple[str, Location]]:
        found = [(term.term, self.at("term"))]
        for name, forms in (("synonyms", term.synonyms), ("plurals", term.plurals),
                            ("abbreviations", term.abbreviations)):
            found += [(form, self.at(name, i)) for i, form in enumerate(forms)]
        return found

    def guard(self, reader: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return reader(*args, **kwargs)
        except SiteError as exc:
            self.diagnostics.extend(exc.diagnostics)
            return None
