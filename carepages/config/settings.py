"""site.toml: the typed settings of one site.

The schema is declared once (`FIELDS` and the readers below); unknown keys are warnings with a "did you mean"
hint, wrong types are errors naming the key and its line. Every problem in the file is reported in one run.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import urlsplit

from ..discover.files import LOOP, real_path, site_boundary
from ..errors import ConfigError, Location, Problems
from ..fields import Reader, did_you_mean, shown
from ..textutil import slugify
from .toml import LocatedToml, load_toml

CONFIG_FILE = "site.toml"

TOP_LEVEL = {
    "title", "tagline", "base_url", "language", "description", "intro", "disclaimer", "emergency",
    "review_interval_months", "output_dir", "cache_dir", "raw_html", "related_count", "toc_min_headings",
    "bibliography", "organisation", "nav", "footer_links", "topics", "start_here", "related", "about",
    "emergency_number", "when_to_get_help", "glossary",
    "checks",  # read by `check` (carepages/checks/settings.py), not by the build
    "handouts",
}
ORGANISATION = {"name", "url", "phone", "email", "address", "contact"}
LINK = {"title", "url"}
TOPIC = {"name", "slug", "description"}
RELATED = {"count", "threshold", "common", "weights"}
RELATED_INDEXES = ("topics", "keywords")  # what related pages are ranked by (carepages/model/related.py)
HANDOUTS = {"paper"}
PAPER = {"a4": "A4", "letter": "letter"}  # as written in site.toml, any case -> the value used
GLOSSARY = {"mark_terms"}
_PHONE_NUMBER = re.compile(r"^\+?[0-9][0-9 -]{0,18}[0-9]$|^[0-9]$")

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_WEB_ADDRESS = re.compile(r"^https?://[^\s\"'<>]+$")
_EMAIL = re.compile(r"^[^@\s\"'<>?&]+@[^@\s\"'<>?&]+\.[^@\s\"'<>?&]+$")
_HOST_NAME = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.?$", re.IGNORECASE)
_IPV6 = re.compile(r"^\[[0-9a-f:.]+\]$", re.IGNORECASE)
# RFC 3986 path characters: unreserved, sub-delims, ':' and '@'; '%' only as the start of an escape
_PATH_CHARS = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
# what browsers treat as a '.' or '..' segment, written plainly or percent-encoded
_DOT_SEGMENTS = {".", "..", "%2e", "%2e%2e", ".%2e", "%2e."}
_NEXT_KEY = re.compile(r"^\s*(\[|[A-Za-z0-9_\"'.-]+\s*=)")  # a line that starts another setting or table
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

# Folders of the site an output folder from site.toml must not be or be inside: what the build reads
# (content/, templates/, static/), and tests/, where a built content/conftest.py would run under pytest.
RESERVED_FOLDERS = ("content", "templates", "static", "tests")
OUTSIDE_SITE = "config/outside-site"


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
class PageRef:
    """A page named by its slug in site.toml, and where."""

    slug: str
    location: Location = Location()


@dataclass(frozen=True)
class RelatedConfig:
    """site.toml's [related] table: how related pages are ranked (see carepages/model/related.py)."""

    count: int = 3
    threshold: float = 0.4
    common: float = 1.0  # a term on more than this share of the articles adds nothing
    weights: Mapping[str, float] = field(default_factory=lambda: dict.fromkeys(RELATED_INDEXES, 1.0))


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
    cache_dir: Path = Path(".carepages-cache")  # relative to the site folder; --cache-dir overrides it
    raw_html: bool = False
    toc_min_headings: int = 3
    bibliography: tuple[str, ...] = ()
    nav: tuple[Link, ...] = ()
    footer_links: tuple[Link, ...] = ()
    topics: tuple[TopicSpec, ...] = ()
    start_here: tuple[PageRef, ...] | None = None  # None: not set (the weighted pages start the home page)
    related: RelatedConfig = field(default_factory=RelatedConfig)
    about: tuple[str, ...] = ()  # the conditions the site is about, for pages that do not name their own
    handout_paper: str = "A4"  # [handouts] paper: 'A4' or 'letter' (US Letter)
    emergency_number: str = ""  # what an emergency care card's call link dials: '999'
    when_to_get_help: str = ""  # Markdown: the site-wide care card an article places with {{ when-to-get-help }}
    mark_terms: bool = True  # [glossary] mark_terms: mark the first use of each glossary term in articles
    path: Path = field(default=Path(CONFIG_FILE))
    # where each Markdown setting starts in site.toml, so a bad link in it can be pointed at
    text_locations: Mapping[str, Location] = field(default_factory=dict)
    source_lines: tuple[str, ...] = ()

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def settings_file(self) -> Path:
        """site.toml itself."""
        return self.path if self.path.is_absolute() else self.root / self.path

    @property
    def related_count(self) -> int:
        return self.related.count

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, e.g. '/patient-info/' (always starts and ends with '/')."""
        return urlsplit(self.base_url).path or "/"


def model_settings(config: SiteConfig) -> SiteConfig:
    """`config` without the settings only rendering reads (the site's title, tagline, description and
    language, the organisation's details but its contact text, the handout paper) and without the file's
    lines. The site model, the render jobs and the Markdown settings depend on what is left (where each text
    and link is written included, for their messages); an edit of site.toml that leaves it as it was
    re-renders the pages from the jobs the last build kept (see carepages/edits.py)."""
    org = config.organisation
    return dataclasses.replace(config, title="", tagline="", description="", language="", handout_paper="",
                               organisation=Organisation("", contact=org.contact), source_lines=())


def load_config(site_dir: Path, problems: Problems) -> SiteConfig:
    """Read and validate `site_dir/site.toml`. Errors are raised together; warnings go to `problems`."""
    path = site_dir / CONFIG_FILE
    toml = load_toml(path)
    return _ConfigReader(site_dir, path, toml, problems).read()


def shown_path(text: str) -> str:
    """A path or address from site.toml as a message may quote it: short, control characters escaped (a raw
    newline would start a line of its own in CI logs, where a line can be a command)."""
    return shown(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                              else f"\\u{ord(m.group()):04x}", text))


def base_url_problem(text: str) -> str | None:
    """Why `text` cannot be the site's address (the completion of "'base_url' ..."), or None.

    Every page loads its stylesheet and script from the path of this address, so the path must be a plain,
    clean path on the site's own host: `https://example.org//evil.com/` would load them from evil.com.
    """
    example = "such as 'https://example.org/patient-info/'"
    if _CONTROL.search(text) or any(c.isspace() for c in text):
        return f"must not contain spaces, tabs, line breaks or control characters ('{shown_path(text)}')"
    if not text.isascii():
        return (f"must be plain ASCII: percent-encode other characters in the path, and write a "
                f"non-ASCII host in its xn-- form ('{shown(text)}')")
    if "\\" in text:
        return f"must not contain a backslash ('{shown(text)}')"
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not text.lower().startswith(f"{parts.scheme}://"):
        return f"must be a full http(s) address {example}, not '{shown(text)}'"
    if "?" in text or "#" in text:
        return "must not have a query (?) or fragment (#)"
    if "@" in parts.netloc:
        return f"must not contain a user name or password before the host ('{shown(text)}')"
    try:
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError:
        return f"has a port that is not a number ('{shown(text)}')"
    host = parts.netloc.rsplit(":", 1)[0] if not parts.netloc.endswith("]") else parts.netloc
    if not host or not (_HOST_NAME.match(host) or _IPV6.match(host)):
        return f"must name a host, such as example.org, after '{parts.scheme}://' ('{shown(text)}')"
    path = parts.path
    if path and not path.startswith("/"):
        return f"has a path that does not start with '/' ('{shown(text)}')"
    if "//" in path:
        return f"has an empty path segment ('//'), which browsers read as another host ('{shown(text)}')"
    segments = path.split("/")
    if any(s.lower() in _DOT_SEGMENTS for s in segments):
        return f"has a '.' or '..' segment in its path; write the path as it is served ('{shown(text)}')"
    if _BAD_ESCAPE.search(path):
        return f"has a '%' in its path that does not start an escape such as %20 ('{shown(text)}')"
    if not _PATH_CHARS.match(path):
        return f"has characters in its path that must be percent-encoded ('{shown(text)}')"
    if re.search(r"%(2f|5c)", path, re.IGNORECASE):
        return f"has an encoded '/' or '\\' (%2F, %5C) in its path ('{shown(text)}')"
    return None


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
        for name in ("title", "tagline", "description", "intro", "disclaimer", "emergency", "when_to_get_help"):
            if name in data:
                values[name] = self.guard(self.read_as.text, name, data[name], self.toml.at(name),
                                          allow_empty=name in {"tagline", "description", "intro"})
        if "emergency_number" in data:
            values["emergency_number"] = self.guard(self.emergency_number, data["emergency_number"])
        if "glossary" in data:
            values["mark_terms"] = self.guard(self.glossary, data["glossary"])
        if "base_url" in data:
            values["base_url"] = self.guard(self.base_url, data["base_url"])
        if "language" in data:
            values["language"] = self.guard(self.language, data["language"])
        for name, low, high in (("review_interval_months", 1, 60), ("toc_min_headings", 0, 100)):
            if name in data:
                values[name] = self.guard(self.read_as.integer, name, data[name], self.toml.at(name),
                                          minimum=low, maximum=high)
        if "raw_html" in data:
            values["raw_html"] = self.guard(self.read_as.boolean, "raw_html", data["raw_html"],
                                            self.toml.at("raw_html"))
        if "output_dir" in data:
            values["output_dir"] = self.guard(self.output_dir, data["output_dir"])
        if "cache_dir" in data:
            values["cache_dir"] = self.guard(self.cache_dir, data["cache_dir"])
        if "bibliography" in data:
            values["bibliography"] = self.bibliography(data["bibliography"])
        values["organisation"] = self.organisation(data.get("organisation"))
        values["nav"] = self.links("nav", data.get("nav", []))
        values["footer_links"] = self.links("footer_links", data.get("footer_links", []))
        values["topics"] = self.topics(data.get("topics", []))
        if "start_here" in data:
            values["start_here"] = self.guard(self.start_here, data["start_here"])
        values["related"] = self.related(data)
        if "about" in data:
            values["about"] = self.guard(self.read_as.text_list, "about", data["about"], self.toml.at("about"))
        if "handouts" in data:
            values["handout_paper"] = self.guard(self.handouts, data["handouts"])
        self.errors.raise_if_errors()
        clean = {k: v for k, v in values.items() if v is not None}
        locations = {name: self.toml.at(name) for name in ("intro", "disclaimer", "emergency", "when_to_get_help")}
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
                self.problems.warn(f"unknown setting '{shown_path(name)}'{did_you_mean(key, known)}",
                                   self.toml.at(*path, key), rule="config/unknown-key")

    def base_url(self, value: Any) -> str:
        where = self.toml.at("base_url")
        text = self.read_as.text("base_url", value, where)
        problem = base_url_problem(text)
        if problem:
            raise ConfigError(f"'base_url' {problem}", where)
        return text if text.endswith("/") else text + "/"

    def output_dir(self, value: Any) -> Path:
        """A folder inside the site folder (real paths), and none the build reads; `--out` goes elsewhere."""
        where = self.toml.at("output_dir")
        text = self.read_as.text("output_dir", value, where)
        self.inside_site("output_dir", text, self.root, where)
        relative = real_path(self.root / text).relative_to(real_path(self.root))
        if not relative.parts:
            raise ConfigError("'output_dir' is the site folder itself; building would replace the site. "
                              "Use a folder of its own, such as _site", where, rule="output/refused")
        first = relative.parts[0]
        if first.lower() in RESERVED_FOLDERS:
            raise ConfigError(f"'output_dir' {'is' if len(relative.parts) == 1 else 'is inside'} the site's "
                              f"{first}/ folder; use a folder of its own, such as _site", where,
                              rule="output/refused")
        return Path(text)

    def bibliography(self, value: Any) -> tuple[str, ...] | None:
        where = self.toml.at("bibliography")
        names = self.guard(self.read_as.text_list, "bibliography", value, where)
        if names is None:
            return None
        for i, name in enumerate(names):
            self.guard(self.inside_site, f"bibliography[{i + 1}]", name, self.root / "content", where)
        return names

    def cache_dir(self, value: Any) -> Path:
        """A folder inside the site (it may be hidden, as the default is); `--cache-dir` goes elsewhere."""
        where = self.toml.at("cache_dir")
        text = self.read_as.text("cache_dir", value, where)
        parts = PurePosixPath(text).parts
        if _CONTROL.search(text) or "\\" in text or PureWindowsPath(text).drive or PurePosixPath(text).is_absolute() \
                or ".." in parts or not parts or parts == (".",):
            raise ConfigError(f"'cache_dir' ('{shown_path(text)}') must be a folder inside the site folder, "
                              "relative to it and written with '/' (to keep the cache elsewhere, give the folder "
                              "on the command line: --cache-dir)", where, rule=OUTSIDE_SITE)
        verdict = site_boundary(self.root / text, self.root)
        if verdict is LOOP or (not verdict.inside and not real_path(self.root / text).is_relative_to(
                real_path(self.root))):
            raise ConfigError(f"'cache_dir' ('{shown_path(text)}') {verdict.reason}", where, rule=OUTSIDE_SITE)
        return Path(text)

    def inside_site(self, field: str, text: str, base: Path, where: Location) -> None:
        """Refuse a path from site.toml that is absolute or, symlinks followed, leaves the site folder (or
        loops). The target is never opened, and nothing of it is quoted: only what site.toml says."""
        written = f"'{field}' ('{shown_path(text)}')"
        elsewhere = " (to build elsewhere, give the folder on the command line: --out)" \
            if field == "output_dir" else ""
        if _CONTROL.search(text):
            raise ConfigError(f"{written} contains a control or invisible character", where, rule=OUTSIDE_SITE)
        if "\\" in text or PureWindowsPath(text).drive or PurePosixPath(text).is_absolute():
            raise ConfigError(f"{written} must be a path inside the site folder, relative to "
                              f"{'it' if base == self.root else base.name + '/'} and written with '/'{elsewhere}",
                              where, rule=OUTSIDE_SITE)
        verdict = site_boundary(base / text, self.root)
        if verdict is LOOP:
            raise ConfigError(f"{written} {verdict.reason}", where, rule=verdict.rule)
        if not verdict.inside:
            raise ConfigError(f"{written} {verdict.reason}; site.toml may only name paths inside the site "
                              f"folder, outside its hidden folders{elsewhere}", where, rule=OUTSIDE_SITE)

    def handouts(self, value: Any) -> str | None:
        table = self.read_as.mapping("handouts", value, self.toml.at("handouts"))
        self.check_keys(table, HANDOUTS, ("handouts",))
        if "paper" not in table:
            return None
        where = self.toml.at("handouts", "paper")
        text = self.read_as.text("handouts.paper", table["paper"], where)
        paper = PAPER.get(text.strip().lower())
        if paper is None:
            raise ConfigError(f"'handouts.paper' must be \"A4\" or \"letter\" (US Letter), not "
                              f"'{shown_path(text)}'", where)
        return paper

    def emergency_number(self, value: Any) -> str:
        where = self.toml.at("emergency_number")
        text = self.read_as.text("emergency_number", value, where)
        if not _PHONE_NUMBER.match(text):
            raise ConfigError(f"'emergency_number' must be a phone number of digits (spaces, hyphens and a "
                              f"leading + are allowed), such as \"999\" or \"112\", not '{shown_path(text)}'", where)
        return text

    def glossary(self, value: Any) -> bool | None:
        where = self.toml.at("glossary")
        table = self.read_as.mapping("glossary", value, where)
        self.check_keys(table, GLOSSARY, ("glossary",))
        if "mark_terms" not in table:
            return None
        return self.read_as.boolean("glossary.mark_terms", table["mark_terms"], self.toml.at("glossary", "mark_terms"))

    def language(self, value: Any) -> str:
        where = self.toml.at("language")
        text = self.read_as.text("language", value, where)
        if not _LANGUAGE.match(text):
            raise ConfigError(f"'language' must be a language tag such as 'en' or 'en-GB', "
                              f"not '{shown_path(text)}'", where)
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
                                              f"not '{shown_path(text)}'", where))
                continue
            if text and key == "email" and not _EMAIL.match(text):
                self.errors.error(ConfigError(f"'organisation.email' is not an email address: "
                                              f"'{shown_path(text)}'", where))
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
                self.errors.error(ConfigError(f"topic '{shown_path(name)}' needs a 'slug' made of letters or "
                                              "digits", where))
                continue
            if slug in seen:
                self.errors.error(ConfigError(f"topic '{shown_path(name)}' has the same address (/topics/{slug}/) as "
                                              f"topic number {seen[slug] + 1}", where))
                continue
            seen[slug] = i
            description = self.guard(self.read_as.text, f"topics[{i + 1}].description",
                                     item.get("description", ""), self.toml.at("topics", i, "description"),
                                     allow_empty=True)
            topics.append(TopicSpec(name, slug, description or ""))
        return tuple(topics)

    def start_here(self, value: Any) -> tuple[PageRef, ...]:
        """Slugs of the pages that start the home page, in order; whether each exists is the model's to say."""
        where = self.toml.at("start_here")
        slugs = self.read_as.text_list("start_here", value, where)
        refs: list[PageRef] = []
        for i, slug in enumerate(slugs):
            earlier = slugs[:i].count(slug)
            at = self.item_location(where, slug, earlier)
            if earlier:
                self.errors.error(ConfigError(f"'start_here' names '{shown_path(slug)}' twice", at))
                continue
            refs.append(PageRef(slug, at))
        return tuple(refs)

    def item_location(self, key: Location, text: str, nth: int = 0) -> Location:
        """Where the `nth` quoted `text` is written in the list set at `key`: from the key's line to the next
        key or table (the key's own place if it is not found, e.g. written with escapes)."""
        start = (key.line or 1) - 1
        found = 0
        for number, line in enumerate(self.toml.source_lines[start:], start=start + 1):
            if number > start + 1 and _NEXT_KEY.match(line):
                break
            col = (key.col or 1) - 1 if number == key.line else 0
            while True:
                hits = [i for i in (line.find(f'"{text}"', col), line.find(f"'{text}'", col)) if i >= 0]
                if not hits:
                    break
                col = min(hits)
                if found == nth:
                    return Location(key.path, number, col + 1)
                found, col = found + 1, col + 1
        return key

    def related(self, data: dict[str, Any]) -> RelatedConfig:
        """[related] (and `related_count`, its older spelling of `count`)."""
        values: dict[str, Any] = {}
        if "related_count" in data:
            values["count"] = self.guard(self.read_as.integer, "related_count", data["related_count"],
                                         self.toml.at("related_count"), minimum=0, maximum=20)
        table = self.guard(self.read_as.mapping, "related", data.get("related", {}), self.toml.at("related"))
        if not table:
            return RelatedConfig(**{k: v for k, v in values.items() if v is not None})
        self.check_keys(table, RELATED, ("related",))
        if "count" in table:
            where = self.toml.at("related", "count")
            if "count" in values:
                self.errors.error(ConfigError("'related.count' and 'related_count' both set the number of related "
                                              "pages: keep one", where))
            values["count"] = self.guard(self.read_as.integer, "related.count", table["count"], where,
                                         minimum=0, maximum=20)
        if "threshold" in table:
            values["threshold"] = self.guard(self.number, "related.threshold", table["threshold"],
                                             self.toml.at("related", "threshold"), 0.0, 1000.0)
        if "common" in table:
            values["common"] = self.guard(self.number, "related.common", table["common"],
                                          self.toml.at("related", "common"), 0.01, 1.0)
        if "weights" in table:
            values["weights"] = self.guard(self.weights, table["weights"])
        return RelatedConfig(**{k: v for k, v in values.items() if v is not None})

    def weights(self, value: Any) -> dict[str, float]:
        where = self.toml.at("related", "weights")
        table = self.read_as.mapping("related.weights", value, where)
        self.check_keys(table, set(RELATED_INDEXES), ("related", "weights"))
        weights = dict.fromkeys(RELATED_INDEXES, 1.0)
        for name in RELATED_INDEXES:
            if name in table:
                weights[name] = self.number(f"related.weights.{name}", table[name],
                                            self.toml.at("related", "weights", name), 0.0, 100.0)
        return weights

    def number(self, field: str, value: Any, where: Location, low: float, high: float) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.read_as.fail(field, "a number", value, where)
        if not low <= value <= high:  # also refuses nan
            raise ConfigError(f"'{field}' must be between {low:g} and {high:g}, not {shown(value)}", where)
        return float(value)
