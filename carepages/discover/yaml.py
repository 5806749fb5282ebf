"""YAML that remembers where each value came from.

PyYAML's `safe_load` forgets line numbers, silently keeps the last of two duplicate keys, and will happily
expand an alias bomb. Front matter and the bibliography are typed by people, so we compose the node tree
ourselves: every value gets a `Location`, duplicate keys are errors, and expansion is bounded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ContentError, Location

try:  # the C parser is about ten times faster on front matter
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader  # type: ignore[misc]

MAX_NODES = 20_000  # far above any real front matter or bibliography; an alias bomb passes it at once
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]

# The YAML mistakes editors make most, and what to do about them.
_HINTS = {
    "mapping values are not allowed": " (a value containing ': ' must be put in quotes)",
    "found undefined alias": " (a value starting with '*' must be put in quotes)",
}


def _hint(problem: str, offending: str) -> str:
    if "cannot start any token" in problem:
        if offending == "\t":
            return " (indent with spaces, not tabs)"
        if offending in "@`%|>":
            return f" (a value starting with '{offending}' must be put in quotes)"
    return next((text for trigger, text in _HINTS.items() if trigger in problem), "")


@dataclass(frozen=True)
class LocatedYaml:
    """A loaded YAML document with the source location of every value and every mapping key."""

    value: Any
    values: dict[PathKey, Location] = field(default_factory=dict)
    keys: dict[PathKey, Location] = field(default_factory=dict)
    origin: Location = Location()
    scalars: dict[PathKey, str] = field(default_factory=dict)  # every scalar as written in the file

    def at(self, *path: str | int) -> Location:
        """Where the value at `path` starts; falls back to the nearest enclosing value."""
        return _lookup(self.values, path, self.origin)

    def key_at(self, *path: str | int) -> Location:
        """Where the key naming `path` was written (the value's location for list items)."""
        if path in self.keys:
            return self.keys[path]
        return self.at(*path)


def _lookup(table: dict[PathKey, Location], path: PathKey, default: Location) -> Location:
    while path:
        if path in table:
            return table[path]
        path = path[:-1]
    return table.get((), default)


def load_yaml(text: str, path: Path, first_line: int = 1, what: str = "YAML") -> LocatedYaml:
    """Parse `text` (which starts at line `first_line` of `path`) into plain Python values."""
    origin = Location(path, first_line, 1)
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            raise _marked_error(exc, text, path, first_line, what) from None
        except yaml.reader.ReaderError as exc:
            line = text.count("\n", 0, exc.position) + first_line
            raise ContentError(f"{what} contains a character that is not allowed "
                               f"({_char_name(exc.character)})", Location(path, line)) from None
        except yaml.YAMLError as exc:
            raise ContentError(f"invalid {what}: {exc}", origin) from None
        if node is None:
            return LocatedYaml(None, {(): origin}, {}, origin)
        builder = _Builder(loader, path, first_line, what)
        value = builder.build(node, (), 0)
        return LocatedYaml(value, builder.values, builder.keys, origin, builder.scalars)
    finally:
        loader.dispose()


def _char_name(character: Any) -> str:
    if isinstance(character, int):
        return f"U+{character:04X}"
    return f"U+{ord(character[0]):04X}" if isinstance(character, str) and character else repr(character)


def _marked_error(exc: yaml.MarkedYAMLError, text: str, path: Path, first_line: int, what: str) -> ContentError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "cannot be parsed"
    offending = ""
    if mark is not None:
        lines = text.split("\n")
        if mark.line < len(lines) and mark.column < len(lines[mark.line]):
            offending = lines[mark.line][mark.column]
    hint = _hint(problem, offending)
    context = f" ({exc.context})" if exc.context and exc.context != problem else ""
    if mark is None:
        return ContentError(f"invalid {what}: {problem}{context}{hint}", Location(path, first_line))
    return ContentError(f"invalid {what}: {problem}{context}{hint}",
                        Location(path, mark.line + first_line, mark.column + 1))


class _Builder:
    def __init__(self, loader: Any, path: Path, first_line: int, what: str) -> None:
        self.loader = loader
        self.path = path
        self.first_line = first_line
        self.what = what
        self.count = 0
        self.values: dict[PathKey, Location] = {}
        self.keys: dict[PathKey, Location] = {}
        self.scalars: dict[PathKey, str] = {}

    def location(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.path, mark.line + self.first_line, mark.column + 1)

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise ContentError(f"{self.what} expands to more than {MAX_NODES:,} values "
                               "(nested aliases?); refusing to load it", self.location(node))
        if depth > MAX_DEPTH:
            raise ContentError(f"{self.what} is nested more than {MAX_DEPTH} levels deep",
                               self.location(node))
        self.values.setdefault(path, self.location(node))
        if isinstance(node, yaml.MappingNode):
            return self.build_mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        self.scalars[path] = str(node.value)
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError):
            # A timestamp-shaped value that is no real date (2026-13-45): keep the text, so the schema
            # can say which field is wrong and what it holds.
            return str(node.value)
        except yaml.YAMLError as exc:
            problem = getattr(exc, "problem", None) or str(exc)
            raise ContentError(f"invalid {self.what} value: {problem}", self.location(node)) from None

    def build_mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in _members(node):
            if not isinstance(key_node, yaml.ScalarNode):
                raise ContentError(f"{self.what} keys must be plain words, not lists or mappings",
                                   self.location(key_node))
            # The key as written: `no:` stays "no", not False.
            key = str(key_node.value)
            member = (*path, key)
            if key in result:
                first = self.keys[member]
                raise ContentError(f"duplicate key '{key}' (first given on line {first.line})",
                                   self.location(key_node))
            self.keys[member] = self.location(key_node)
            result[key] = self.build(value_node, member, depth + 1)
        return result


def _members(node: yaml.MappingNode) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    yield from node.value
