"""Front matter: the YAML block at the top of an article, split off and checked against the schema.

Every field is declared in `FIELDS`; an unknown one is a warning with a "did you mean", a missing required
one or a wrong type is an error naming the file, line and field. All problems in a file are reported together.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ContentError, Location, Problems, plain_pickle
from ..fields import Reader, did_you_mean, shown, type_name
from ..kinds import DEFAULT_LAYOUT, LAYOUTS
from .text import SourceText
from .yaml import LocatedYaml, load_yaml

# name -> one-line description (the README's schema table is checked against this in the tests)
FIELDS: dict[str, str] = {
    "title": "required. The page title (plain text).",
    "summary": "required. One or two plain sentences; shown under the title, in lists and to search engines.",
    "slug": "the last part of the page's address; default: the file name.",
    "layout": "article (default), faq (the site's FAQ page, at /faq/) or page (e.g. /about/).",
    "date": "first published, YYYY-MM-DD.",
    "updated": "last changed, YYYY-MM-DD (not before date).",
    "topics": "list of topic names; each gets a page at /topics/<topic>/.",
    "audience": "who the page is written for, in words.",
    "authors": "list of authors (people or teams).",
    "reviewed_by": "who last reviewed the page (name and role).",
    "last_reviewed": "date of the last review, YYYY-MM-DD.",
    "next_review": "date the next review is due; default: last_reviewed plus review_interval_months.",
    "references": "list of bibliography keys this page draws on (cited ones are added automatically).",
    "faq": "list of {question, answer}; answers are Markdown and may cite.",
    "related": "list of slugs of pages to show first under 'Related pages'.",
    "keywords": "list of words or phrases the page is about, besides its topics; they rank related pages.",
    "about": "the medical condition(s) the page is about, for search engines (schema.org MedicalCondition); "
             "default: site.toml's about; [] for none.",
    "key_points": "list of short Markdown points shown at the top of the page.",
    "draft": "true keeps the page out of the site unless built with --drafts.",
    "weight": "a whole number that orders pages in lists (lower first); pages without one follow, by title.",
    "glossary": "false leaves this page's words unmarked (by default an article explains each glossary term "
                "where it first uses it).",
    "check_ignore": "list of rule ids that 'check' does not report on this page (silences for the whole page).",
}
REQUIRED = ("title", "summary")
FAQ_FIELDS = {"question", "answer"}


class FrontMatterError(ContentError):
    """A front-matter field has the wrong type or value."""

    default_rule = "front-matter/invalid"


_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
MAX_SLUG = 100  # a slug is a folder name in the output; file systems stop at 255 bytes
_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(---|\.\.\.)[ \t]*$")


@plain_pickle
@dataclass(frozen=True, slots=True)
class Located:
    """A value from front matter and where it was written."""

    value: str
    location: Location


@plain_pickle
@dataclass(frozen=True, slots=True)
class FaqEntry:
    question: str
    answer: str
    location: Location  # of the question
    answer_location: Location


@dataclass(frozen=True)
class FrontMatter:
    title: str
    summary: str
    body_line: int  # file line where the Markdown body starts (PageSource.body is the text from there)
    slug: str | None = None
    layout: str = DEFAULT_LAYOUT
    date: dt.date | None = None
    updated: dt.date | None = None
    topics: tuple[Located, ...] = ()
    audience: str = ""
    authors: tuple[str, ...] = ()
    reviewed_by: str = ""
    last_reviewed: dt.date | None = None
    next_review: dt.date | None = None
    references: tuple[Located, ...] = ()
    faq: tuple[FaqEntry, ...] = ()
    related: tuple[Located, ...] = ()
    keywords: tuple[Located, ...] = ()  # lower case, single spaces: 'lumbar puncture'
    about: tuple[Located, ...] | None = None  # conditions; None: not given (site.toml's `about` applies)
    key_points: tuple[Located, ...] = ()
    draft: bool = False
    weight: int | None = None
    check_ignore: tuple[Located, ...] = ()  # rule ids `check` does not report on this page
    glossary: bool = True  # mark the first use of each glossary term (articles)
    locations: Mapping[str, Location] = field(default_factory=dict)  # field -> where its key was written

    def where(self, name: str) -> Location:
        return self.locations.get(name) or self.locations.get("", Location())


def split_front_matter(source: SourceText) -> tuple[str, int, str, int]:
    """(yaml text, its first line, body, the body's first line). Lines count from 1."""
    lines = source.text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        raise FrontMatterError("missing front matter: the file must start with a '---' line, then at least "
                           "'title:' and 'summary:', then another '---' line", Location(source.path, 1, 1),
                           rule="front-matter/missing")
    for index in range(1, len(lines)):
        if _CLOSE.match(lines[index]):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            return yaml_text, 2, body, index + 2
    raise FrontMatterError("front matter is not closed: add a '---' line after the last field",
                       Location(source.path, 1, 1), rule="front-matter/missing")


def parse_front_matter(source: SourceText, problems: Problems) -> FrontMatter:
    """Split and validate; raises every error in the file at once, records warnings in `problems`."""
    yaml_text, yaml_line, _, body_line = split_front_matter(source)
    located = load_yaml(yaml_text, source.path, yaml_line, what="front matter")
    return _FrontMatterReader(source.path, located, body_line, problems).read()


class _FrontMatterReader:
    def __init__(self, path: Path, located: LocatedYaml, body_line: int, problems: Problems) -> None:
        self.path = path
        self.yaml = located
        self.body_line = body_line
        self.problems = problems
        self.errors = Problems()
        self.read_as = Reader(FrontMatterError)

    def guard(self, reader: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return reader(*args, **kwargs)
        except ContentError as exc:
            self.errors.error(exc)
            return None

    def read(self) -> FrontMatter:
        data = self.yaml.value
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise FrontMatterError(f"front matter must be a list of 'field: value' lines, not {type_name(data)}",
                               self.yaml.at())
        for name in data:
            first_word = name.split()[0] if name.split() else name
            if name not in FIELDS and first_word in FIELDS:
                # `audience People: with MS` is the key "audience People": a forgotten colon, not a new field
                self.errors.error(ContentError(f"'{first_word}' needs a colon after it: `{first_word}: ...`",
                                               self.yaml.key_at(name), "yaml/syntax"))
            elif name not in FIELDS:
                self.problems.warn(f"unknown front-matter field '{name}'{did_you_mean(name, FIELDS)}",
                                   self.yaml.key_at(name), rule="front-matter/unknown-field")
        for name in REQUIRED:
            if data.get(name) is None:
                self.errors.error(FrontMatterError(f"missing required field '{name}'", self.yaml.origin
                                               if name not in data else self.yaml.key_at(name),
                                               rule="front-matter/required"))
        values: dict[str, Any] = {}
        for name in ("title", "summary", "audience", "reviewed_by"):
            if data.get(name) is not None:
                values[name] = self.guard(self.read_as.text, name, data[name], self.yaml.at(name))
        for name in ("date", "updated", "last_reviewed", "next_review"):
            if data.get(name) is not None:
                values[name] = self.guard(self.read_as.date, name, data[name], self.yaml.at(name))
        for name in ("draft", "glossary"):
            if data.get(name) is not None:
                values[name] = self.guard(self.read_as.boolean, name, data[name], self.yaml.at(name))
        if data.get("weight") is not None:
            values["weight"] = self.guard(self.read_as.integer, "weight", data["weight"], self.yaml.at("weight"),
                                          minimum=-1_000_000, maximum=1_000_000)
        if data.get("authors") is not None:
            values["authors"] = self.guard(self.read_as.text_list, "authors", data["authors"],
                                           self.yaml.at("authors"), item_where=lambda i: self.yaml.at("authors", i))
        if data.get("slug") is not None:
            values["slug"] = self.guard(self.slug, data["slug"])
        if data.get("layout") is not None:
            values["layout"] = self.guard(self.layout, data["layout"])
        for name in ("topics", "references", "related", "key_points", "keywords", "check_ignore", "about"):
            if data.get(name) is not None:
                values[name] = self.guard(self.located_list, name, data[name])
        if values.get("keywords"):
            values["keywords"] = tuple(Located(" ".join(k.value.lower().split()), k.location)
                                       for k in values["keywords"])
        if data.get("faq") is not None:
            values["faq"] = self.guard(self.faq, data["faq"])
        self.check_dates(values)
        self.errors.raise_if_errors()
        locations = {name: self.yaml.key_at(name) for name in data}
        locations[""] = self.yaml.origin
        clean = {k: v for k, v in values.items() if v is not None}
        return FrontMatter(body_line=self.body_line, locations=locations, **clean)

    def slug(self, value: Any) -> str:
        where = self.yaml.at("slug")
        text = self.read_as.text("slug", value, where)
        if not _SLUG.match(text):
            raise FrontMatterError(f"'slug' may only use lower-case letters, digits and single hyphens "
                               f"(like 'spine-mri-protocol'), not '{shown(text)}'", where)
        if len(text) > MAX_SLUG:
            raise FrontMatterError(f"'slug' is {len(text):,} characters long: an address may have at most "
                                   f"{MAX_SLUG}", where)
        return text

    def layout(self, value: Any) -> str:
        where = self.yaml.at("layout")
        text = self.read_as.text("layout", value, where)
        if text not in LAYOUTS:
            raise FrontMatterError(f"'layout' must be one of {', '.join(LAYOUTS)}, not '{text}'"
                               f"{did_you_mean(text, LAYOUTS)}", where)
        return text

    def located_list(self, name: str, value: Any) -> tuple[Located, ...]:
        items = self.read_as.text_list(name, value, self.yaml.at(name),
                                       item_where=lambda i: self.yaml.at(name, i))
        if isinstance(value, str):
            return (Located(items[0], self.yaml.at(name)),)
        return tuple(Located(text, self.yaml.at(name, i)) for i, text in enumerate(items))

    def faq(self, value: Any) -> tuple[FaqEntry, ...]:
        where = self.yaml.at("faq")
        if not isinstance(value, list):
            raise FrontMatterError(f"'faq' must be a list of entries with 'question' and 'answer', "
                               f"not {type_name(value)}", where)
        entries = []
        for i, item in enumerate(value):
            item_where = self.yaml.at("faq", i)
            if not isinstance(item, dict):
                self.errors.error(FrontMatterError(f"faq entry {i + 1} must have 'question:' and 'answer:', "
                                               f"not {type_name(item)}", item_where))
                continue
            for key in item:
                if key not in FAQ_FIELDS:
                    self.problems.warn(f"unknown field '{key}' in faq entry {i + 1}"
                                       f"{did_you_mean(key, FAQ_FIELDS)}", self.yaml.key_at("faq", i, key),
                                       rule="front-matter/unknown-field")
            texts = {}
            for key in ("question", "answer"):
                if item.get(key) is None:
                    self.errors.error(FrontMatterError(f"faq entry {i + 1} is missing '{key}'", item_where))
                    continue
                texts[key] = self.guard(self.read_as.text, f"faq[{i + 1}].{key}", item[key],
                                        self.yaml.at("faq", i, key))
            if texts.get("question") and texts.get("answer"):
                entries.append(FaqEntry(texts["question"], texts["answer"], self.yaml.at("faq", i, "question"),
                                        self.yaml.at("faq", i, "answer")))
        return tuple(entries)

    def check_dates(self, values: dict[str, Any]) -> None:
        for earlier, later in (("date", "updated"), ("last_reviewed", "next_review")):
            first, second = values.get(earlier), values.get(later)
            if first and second and second < first:
                self.errors.error(FrontMatterError(f"'{later}' ({second.isoformat()}) is before '{earlier}' "
                                               f"({first.isoformat()})", self.yaml.at(later),
                                               rule="front-matter/dates"))
