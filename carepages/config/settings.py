"""site.toml: the typed settings of one site.

The schema is declared once (`FIELDS` and the readers below); unknown keys are warnings with a "did you mean"
hint, wrong types are errors naming the key and its line. Every problem in the file is reported in one run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError, Location, Problems
from ..fields import Reader, did_you_mean
from ..textutil import slugify
from .toml import LocatedToml, load_toml

CONFIG_FILE = "site.toml"

TOP_LEVEL = {
    "title", "tagline", "base_url", "language", "description", "intro", "disclaimer", "emergency",
    "review_interval_months", "output_dir", "raw_html", "related_count", "toc_min_headings", "bibliography",
    "organisation", "nav", "footer_links", "topics",
}
ORGANISATION = {"name", "url", "phone", "email", "address", "contact"}
LINK = {"title", "url"}
TOPIC = {"name", "slug", "description"}

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_WEB_ADDRESS = re.compile(r"^https?://[^\s\"'<>]+$")
_EMAIL = re.compile(r"^[^@\s\"'<>?&]+@[^@\s\"'<>?&]+\.[^@\s\"'<>?&]+$")


@dataclass(frozen=True)
class Link:
    """A navigation or footer link as written in site.toml; resolved to a URL by the router."""

    title: str
    target: str
    location: Location = Location()


@dataclass(frozen=True)
class Organisation:
    name: str
    url: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    contact: str = ""  # Markdown: how and when to contact the service


@dataclass(frozen=True)
class TopicSpec:
    name: str
    slug: str
    description: str = ""


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    title: str
    base_url: str
    organisation: Organisation
    disclaimer: str
    emergency: str
    tagline: str = ""
    description: str = ""
    intro: str = ""
    language: str = "en"
    review_interval_months: int = 12
    output_dir: Path = Path("_site")
    raw_html: bool = False
    related_count: int = 3
    toc_min_headings: int = 3
    bibliography: tuple[str, ...] = ()
    nav: tuple[Link, ...] = ()
    footer_links: tuple[Link, ...] = ()
    topics: tuple[TopicSpec, ...] = ()
    path: Path = field(default=Path(CONFIG_FILE))
    # where each Markdown setting starts in site.toml, so a bad link in it can be pointed at
    text_locations: Mapping[str, Location] = field(default_factory=dict)
    source_lines: tuple[str, ...] = ()

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, e.g. '/patient-info/' (always starts and ends with '/')."""
        return urlsplit(self.base_url).path or "/"


def load_config(site_dir: Path, problems: Problems) -> SiteConfig:
    """Read and validate `site_dir/site.toml`. Errors are raised together; warnings go to `problems`."""
    path = site_dir / CONFIG_FILE
    toml = load_toml(path)
    return _ConfigReader(site_dir, path, toml, problems).read()


class _ConfigReader:
    def __init__(self, root: Path, path: Path, toml: LocatedToml, problems: Problems) -> None:
        self.root = root
        self.path = path
        self.toml = toml
        self.problems = problems
        self.read_as = Reader(ConfigError)
        self.errors = Problems()

    def read(self) -> SiteConfig:
        data = self.toml.value
        self.check_keys(data, TOP_LEVEL, ())
        values: dict[str, Any] = {}
        for name in ("title", "base_url", "disclaimer", "emergency"):
            if name not in data:
                self.errors.error(ConfigError(f"missing required setting '{name}'", self.toml.origin,
                                              rule="config/missing"))
        for name in ("title", "tagline", "description", "intro", "disclaimer", "emergency"):
            if name in data:
                values[name] = self.guard(self.read_as.text, name, data[name], self.toml.at(name),
                                          allow_empty=name in {"tagline", "description", "intro"})
        if "base_url" in data:
            values["base_url"] = self.guard(self.base_url, data["base_url"])
        if "language" in data:
            values["language"] = self.guard(self.language, data["language"])
        for name, low, high in (("review_interval_months", 1, 60), ("related_count", 0, 20),
                                ("toc_min_headings", 0, 100)):
            if name in data:
                values[name] = self.guard(self.read_as.integer, name, data[name], self.toml.at(name),
                                          minimum=low, maximum=high)
        if "raw_html" in data:
            values["raw_html"] = self.guard(self.read_as.boolean, "raw_html", data["raw_html"],
                                            self.toml.at("raw_html"))
        if "output_dir" in data:
            text = self.guard(self.read_as.text, "output_dir", data["output_dir"], self.toml.at("output_dir"))
            if text is not None:
                values["output_dir"] = Path(text)
        if "bibliography" in data:
            values["bibliography"] = self.guard(self.read_as.text_list, "bibliography", data["bibliography"],
                                                self.toml.at("bibliography"))
        values["organisation"] = self.organisation(data.get("organisation"))
        values["nav"] = self.links("nav", data.get("nav", []))
        values["footer_links"] = self.links("footer_links", data.get("footer_links", []))
        values["topics"] = self.topics(data.get("topics", []))
        self.errors.raise_if_errors()
        clean = {k: v for k, v in values.items() if v is not None}
        locations = {name: self.toml.at(name) for name in ("intro", "disclaimer", "emergency")}
        locations["contact"] = self.toml.at("organisation", "contact")
        return SiteConfig(root=self.root, path=self.path, text_locations=locations,
                          source_lines=self.toml.source_lines, **clean)

    def guard(self, reader: Any, *args: Any, **kwargs: Any) -> Any:
        """Run a reader; record its error and carry on, so every problem is reported at once."""
        try:
            return reader(*args, **kwargs)
        except ConfigError as exc:
            self.errors.error(exc)
            return None

    def check_keys(self, table: dict[str, Any], known: set[str], path: tuple[str | int, ...]) -> None:
        prefix = ".".join(str(p) for p in path if isinstance(p, str))
        for key in table:
            if key not in known:
                name = f"{prefix}.{key}" if prefix else key
                self.problems.warn(f"unknown setting '{name}'{did_you_mean(key, known)}",
                                   self.toml.at(*path, key), rule="config/unknown-key")

    def base_url(self, value: Any) -> str:
        where = self.toml.at("base_url")
        text = self.read_as.text("base_url", value, where)
        parts = urlsplit(text)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ConfigError(f"'base_url' must be a full http(s) address such as "
                              f"'https://example.org/patient-info/', not '{text}'", where)
        if parts.query or parts.fragment:
            raise ConfigError("'base_url' must not have a query (?) or fragment (#)", where)
        return text if text.endswith("/") else text + "/"

    def language(self, value: Any) -> str:
        where = self.toml.at("language")
        text = self.read_as.text("language", value, where)
        if not _LANGUAGE.match(text):
            raise ConfigError(f"'language' must be a language tag such as 'en' or 'en-GB', not '{text}'", where)
        return text

    def organisation(self, value: Any) -> Organisation | None:
        where = self.toml.at("organisation")
        if value is None:
            self.errors.error(ConfigError("missing required table [organisation] (at least its 'name')",
                                          self.toml.origin, rule="config/missing"))
            return None
        table = self.guard(self.read_as.mapping, "organisation", value, where)
        if table is None:
            return None
        self.check_keys(table, ORGANISATION, ("organisation",))
        if "name" not in table:
            self.errors.error(ConfigError("missing required setting 'organisation.name'", where, rule="config/missing"))
            return None
        fields: dict[str, str] = {}
        for key in sorted(ORGANISATION & table.keys()):
            where = self.toml.at("organisation", key)
            text = self.guard(self.read_as.text, f"organisation.{key}", table[key], where, allow_empty=key != "name")
            if text and key == "url" and not _WEB_ADDRESS.match(text):
                self.errors.error(ConfigError(f"'organisation.url' must start with https:// or http://, "
                                              f"not '{text}'", where))
                continue
            if text and key == "email" and not _EMAIL.match(text):
                self.errors.error(ConfigError(f"'organisation.email' is not an email address: '{text}'", where))
                continue
            if text is not None:
                fields[key] = text
        return Organisation(**fields) if "name" in fields else None

    def links(self, name: str, value: Any) -> tuple[Link, ...]:
        if not isinstance(value, list):
            self.errors.error(ConfigError(f"'{name}' must be a list of links ([[{name}]] tables with "
                                          "'title' and 'url')", self.toml.at(name)))
            return ()
        links = []
        for i, item in enumerate(value):
            where = self.toml.at(name, i)
            if not isinstance(item, dict):
                self.errors.error(ConfigError(f"each '{name}' entry must have 'title' and 'url'", where))
                continue
            self.check_keys(item, LINK, (name, i))
            title = self.guard(self.read_as.text, f"{name}[{i + 1}].title", item.get("title"),
                               self.toml.at(name, i, "title"))
            url = self.guard(self.read_as.text, f"{name}[{i + 1}].url", item.get("url"),
                             self.toml.at(name, i, "url"))
            if title is not None and url is not None:
                links.append(Link(title, url, self.toml.at(name, i, "url")))
        return tuple(links)

    def topics(self, value: Any) -> tuple[TopicSpec, ...]:
        if not isinstance(value, list):
            self.errors.error(ConfigError("'topics' must be a list of [[topics]] tables", self.toml.at("topics")))
            return ()
        topics: list[TopicSpec] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(value):
            where = self.toml.at("topics", i)
            if not isinstance(item, dict):
                self.errors.error(ConfigError("each [[topics]] entry needs a 'name'", where))
                continue
            self.check_keys(item, TOPIC, ("topics", i))
            name = self.guard(self.read_as.text, f"topics[{i + 1}].name", item.get("name"),
                              self.toml.at("topics", i, "name"))
            if name is None:
                continue
            slug_text = item.get("slug", name)
            slug = slugify(str(slug_text))
            if not slug:
                self.errors.error(ConfigError(f"topic '{name}' needs a 'slug' made of letters or digits", where))
                continue
            if slug in seen:
                self.errors.error(ConfigError(f"topic '{name}' has the same address (/topics/{slug}/) as "
                                              f"topic number {seen[slug] + 1}", where))
                continue
            seen[slug] = i
            description = self.guard(self.read_as.text, f"topics[{i + 1}].description",
                                     item.get("description", ""), self.toml.at("topics", i, "description"),
                                     allow_empty=True)
            topics.append(TopicSpec(name, slug, description or ""))
        return tuple(topics)
