"""YAML that remembers where each value came from.

PyYAML's `safe_load` forgets line numbers, silently keeps the last of two duplicate keys, and will happily
expand an alias bomb. Front matter and the bibliography are typed by people, so we compose the node tree
ourselves: every value gets a `Location`, duplicate keys are errors, and expansion is bounded.

PyYAML's own error messages ("did not find expected key (while parsing a block mapping)") are written for
programmers, and often point at the line after the mistake. The usual mistakes of people who are not
programmers (a tab, a line indented one space too far, a missing colon, a colon inside a value, a quote
never closed) are recognised from the error and the source lines, and told in plain words at the line
where the mistake is. Anything else keeps PyYAML's words.
"""

from __future__ import annotations

import re
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

# An alias bomb is a few lines that expand to millions of values. Without aliases every value takes at least
# one character of the text, so a document may have as many values as it has characters, and never fewer
# than MAX_NODES: a large bibliography loads, an alias bomb is refused at once.
MAX_NODES = 20_000
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]

SYNTAX = "yaml/syntax"
LIMITS = "yaml/limits"


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
                               f"({_char_name(exc.character)})", Location(path, line), SYNTAX) from None
        except yaml.YAMLError as exc:
            raise ContentError(f"invalid {what}: {exc}", origin, SYNTAX) from None
        if node is None:
            return LocatedYaml(None, {(): origin}, {}, origin)
        builder = _Builder(loader, _Source(text, first_line), path, first_line, what)
        value = builder.build(node, (), 0)
        return LocatedYaml(value, builder.values, builder.keys, origin, builder.scalars)
    finally:
        loader.dispose()


def _char_name(character: Any) -> str:
    if isinstance(character, int):
        return f"U+{character:04X}"
    return f"U+{ord(character[0]):04X}" if isinstance(character, str) and character else repr(character)


def _marked_error(exc: yaml.MarkedYAMLError, text: str, path: Path, first_line: int, what: str) -> ContentError:
    source = _Source(text, first_line)
    explained = _explain(exc, source)
    if explained is not None:
        message, line, column = explained
        return ContentError(message, Location(path, line + first_line, column + 1), SYNTAX)
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "cannot be parsed"
    context = f" ({exc.context})" if exc.context and exc.context != problem else ""
    where = Location(path, first_line) if mark is None else Location(path, mark.line + first_line, mark.column + 1)
    return ContentError(f"invalid {what}: {problem}{context}", where, SYNTAX)


class _Source:
    """The YAML text as lines, with the questions the explanations ask about them (all 0-based)."""

    _KEY = re.compile(r"^([ \t]*(?:-[ \t]+)*)([^\s:#\"'\[\]{},-][^\s:]*|-[^\s:]+)")

    def __init__(self, text: str, first_line: int = 1) -> None:
        self.lines = text.split("\n")
        self.first_line = first_line

    def number(self, line: int) -> int:
        """The line as the user counts it: from the first line of the file."""
        return line + self.first_line

    def __getitem__(self, line: int) -> str:
        return self.lines[line] if 0 <= line < len(self.lines) else ""

    def char(self, mark: yaml.Mark) -> str:
        text = self[mark.line]
        return text[mark.column] if mark.column < len(text) else ""

    def previous(self, line: int) -> int | None:
        """The nearest line above that holds something (not blank, not only a comment)."""
        for index in range(line - 1, -1, -1):
            stripped = self[index].strip()
            if stripped and not stripped.startswith("#"):
                return index
        return None

    def key(self, line: int) -> tuple[str, int] | None:
        """The word a line starts with (after its indentation and any '- '), and its column."""
        match = self._KEY.match(self[line])
        return (match.group(2), len(match.group(1))) if match else None

    def has_value(self, line: int) -> bool:
        """True for `name: something`, false for `name:` (whose value follows on the lines below)."""
        match = re.match(r"^[ \t]*(?:-[ \t]+)*[^\s:#][^:]*:[ \t]+(?!#)(\S.*)$", self[line])
        return match is not None


_FIELD_NAME = re.compile(r"^(?:[a-z][a-z0-9_-]*|[A-Z][A-Z0-9]+)$")  # `reviewed_by`, `container-title`, `DOI`


def _explain(exc: yaml.MarkedYAMLError, source: _Source) -> tuple[str, int, int] | None:
    """A plain-words message for a common mistake, and the line and column where the mistake is."""
    problem, context = exc.problem or "", exc.context or ""
    mark, start = exc.problem_mark, exc.context_mark
    if mark is None:
        return None
    if "tab character" in problem or ("cannot start any token" in problem and source.char(mark) == "\t"):
        return _tab(source, mark)
    if "quoted scalar" in context and "end of stream" in problem and start is not None:
        quote = source.char(start)
        return (f"this value starts with {quote} but has no closing {quote}: add {quote} at the end of the value",
                start.line, start.column)
    if "could not find expected ':'" in problem and start is not None:
        return _missing_colon(source, start.line)
    if "mapping values are not allowed" in problem:
        return _unexpected_colon(source, mark)
    if "did not find expected key" in problem or "expected '-' indicator" in problem:
        return _unexpected_line(exc, source, mark)
    if "flow" in context:
        return _unclosed_bracket(source, start if "flow node" not in context else None, mark)
    if "cannot start any token" in problem and source.char(mark) in ("@", "`"):
        return _needs_quotes(source, mark, f"starts with '{source.char(mark)}'")
    if "undefined alias" in problem:
        return _needs_quotes(source, start or mark, "starts with '*'")
    return None


def _tab(source: _Source, mark: yaml.Mark) -> tuple[str, int, int]:
    text = source[mark.line]
    indentation = text[:len(text) - len(text.lstrip(" \t"))]
    column = indentation.index("\t") if "\t" in indentation else mark.column
    return "this line is indented with a tab: use spaces instead (YAML does not allow tabs here)", mark.line, column


def _missing_colon(source: _Source, line: int) -> tuple[str, int, int] | None:
    found = source.key(line)
    if found is None:
        return None
    name, column = found
    rest = source[line][column + len(name):].strip()
    if rest.startswith(":"):
        return f"'{name}' needs a space after its colon: `{name}: {_short(rest[1:].strip())}`", line, column
    if _FIELD_NAME.match(name):
        return f"'{name}' needs a colon after it: `{name}: {_short(rest)}`", line, column
    return ("this line is not a 'field: value' line. If it continues the text above, indent it with "
            "spaces; if it starts a new field, put a colon after the field's name", line, column)


def _short(value: str) -> str:
    return value if 0 < len(value) <= 40 else (value[:37] + "..." if value else "...")


def _unexpected_colon(source: _Source, mark: yaml.Mark) -> tuple[str, int, int] | None:
    text = source[mark.line]
    before = re.sub(r"^[ \t]*(?:-[ \t]+)*", "", text[:mark.column])
    name, colon, value = before.partition(":")
    if colon and value[:1] in (" ", "\t") and name.strip():
        value = text[text.index(":", len(text) - len(text.lstrip(" \t-"))) + 1:].strip()
        quoted = f'"{value}"' if '"' not in value else "'" + value.replace("'", "''") + "'"
        return (f"the text of '{name.strip()}' has a colon followed by a space, so it must be in quotes: "
                f"`{name.strip()}: {quoted}`", mark.line, mark.column)
    if not re.fullmatch(r"[^\s:]+", before.strip()):
        return None
    above = source.previous(mark.line)
    if above is None:
        return None
    if not re.search(r":(\s|$)", source[above]):
        return _missing_colon(source, above)
    return _misaligned(source, mark.line, above)


def _unexpected_line(exc: yaml.MarkedYAMLError, source: _Source, mark: yaml.Mark) -> tuple[str, int, int] | None:
    text = source[mark.line]
    at_line_start = mark.column == len(text) - len(text.lstrip(" \t"))
    above = source.previous(mark.line)
    if not at_line_start:
        return _after_quote(exc, source, mark)
    if above is None:
        return None
    if text.lstrip().startswith("-") and source.has_value(above) and not source[above].lstrip().startswith("-"):
        name = source.key(above)
        return (f"this '-' list item is under '{name[0] if name else '?'}' on line {source.number(above)}, which "
                "already has text after its colon: a field holds text or a list, not both",
                mark.line, mark.column)
    return _misaligned(source, mark.line, above)


def _misaligned(source: _Source, line: int, above: int) -> tuple[str, int, int] | None:
    here, there = source.key(line), source.key(above)
    if here is None or there is None or here[1] == there[1]:
        return None
    what = "more" if here[1] > there[1] else "fewer"
    if source[line].lstrip().startswith("-") and source[above].lstrip().startswith("-"):
        dash = len(source[line]) - len(source[line].lstrip(" "))
        return (f"this '-' item has {what} spaces in front of it than the item on line "
                f"{source.number(above)}: the items of a list must line up", line, dash)
    return (f"'{here[0]}' has {what} spaces in front of it than '{there[0]}' on line {source.number(above)}: "
            "fields that "
            "belong together must line up, with the same number of spaces", line, here[1])


def _after_quote(exc: yaml.MarkedYAMLError, source: _Source, mark: yaml.Mark) -> tuple[str, int, int] | None:
    """Text after a closing quote: either more text after a quoted value, or a quote that was never closed
    (so the value ran on until the next quote, on a later line)."""
    scalar = None
    try:
        for token in yaml.scan("\n".join(source.lines), Loader=yaml.SafeLoader):
            if token.start_mark.index >= mark.index:
                break
            if isinstance(token, yaml.ScalarToken):
                scalar = token
    except yaml.YAMLError:
        pass
    if scalar is None or scalar.style not in ('"', "'"):
        return None
    start = scalar.start_mark
    if start.line != scalar.end_mark.line:
        return (f"this value starts with {scalar.style} but has no closing {scalar.style} on this line: "
                f"add {scalar.style} at the end of the value", start.line, start.column)
    return ("there is more text after the closing quote: put the whole value inside the quotes",
            mark.line, mark.column)


def _unclosed_bracket(source: _Source, start: yaml.Mark | None, mark: yaml.Mark) -> tuple[str, int, int] | None:
    """`topics: [Spine MRI, Diagnosis` -- PyYAML notices on a later line; the mistake is the '[' never closed."""
    if start is None:  # `title: [` at the end: find the last bracket left open before the error
        opened: list[tuple[int, int]] = []
        for line in range(mark.line + 1):
            for column, char in enumerate(source[line][:mark.column] if line == mark.line else source[line]):
                if char in "[{":
                    opened.append((line, column))
                elif char in "]}" and opened:
                    opened.pop()
        if not opened:
            return None
        line, column = opened[-1]
    else:
        line, column = start.line, start.column
    if source[line][column:column + 1] == "{":
        return "the '{' here must be closed with '}', with a comma between its entries", line, column
    if source[line][column:column + 1] == "[":
        return "the list that starts with '[' here must end with ']', with a comma between its items", line, column
    return None


def _needs_quotes(source: _Source, mark: yaml.Mark, why: str) -> tuple[str, int, int]:
    found = source.key(mark.line)
    name = found[0] if found and found[1] < mark.column else ""
    value = source[mark.line][mark.column:].strip()
    example = f"`{name}: \"{value}\"`" if name and '"' not in value else "\"...\""
    return f"a value that {why} must be put in quotes: {example}", mark.line, mark.column


class _Builder:
    def __init__(self, loader: Any, source: _Source, path: Path, first_line: int, what: str) -> None:
        self.loader = loader
        self.source = source
        self.path = path
        self.first_line = first_line
        self.what = what
        self.count = 0
        self.limit = max(MAX_NODES, sum(len(line) + 1 for line in source.lines))
        self.values: dict[PathKey, Location] = {}
        self.keys: dict[PathKey, Location] = {}
        self.scalars: dict[PathKey, str] = {}

    def location(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.path, mark.line + self.first_line, mark.column + 1)

    def at(self, line: int, column: int) -> Location:
        return Location(self.path, line + self.first_line, column + 1)

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        self.count += 1
        if self.count > self.limit:
            raise ContentError(f"{self.what} expands to more than {self.limit:,} values "
                               "(nested aliases?); refusing to load it", self.location(node), LIMITS)
        if depth > MAX_DEPTH:
            raise ContentError(f"{self.what} is nested more than {MAX_DEPTH} levels deep",
                               self.location(node), LIMITS)
        self.values.setdefault(path, self.location(node))
        if isinstance(node, yaml.MappingNode):
            return self.build_mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        self.check_run_on_list_item(node, path)
        self.scalars[path] = str(node.value)
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError):
            # A timestamp-shaped value that is no real date (2026-13-45): keep the text, so the schema
            # can say which field is wrong and what it holds.
            return str(node.value)
        except yaml.YAMLError as exc:
            if node.tag.startswith("!") and not node.tag.startswith("tag:"):  # `title: !important`
                message, line, column = _needs_quotes(self.source, node.start_mark, "starts with '!'")
                raise ContentError(message, self.at(line, column), SYNTAX) from None
            problem = getattr(exc, "problem", None) or str(exc)
            raise ContentError(f"invalid {self.what} value: {problem}", self.location(node), SYNTAX) from None

    def check_run_on_list_item(self, node: yaml.Node, path: PathKey) -> None:
        """A '- item' line indented under a value does not start a list: YAML quietly joins it to the text
        above ("S - another"). Nobody means that, so say what happened."""
        if node.style or node.start_mark.line == node.end_mark.line:  # plain style: None, or '' from libyaml
            return
        for line in range(node.start_mark.line + 1, node.end_mark.line + 1):
            text = self.source[line]
            if text.lstrip().startswith("- ") or text.strip() == "-":
                column = len(text) - len(text.lstrip())
                if path and isinstance(path[-1], int):
                    above = node.start_mark.line + 1
                    raise ContentError(f"this '-' item has more spaces in front of it than the item on line "
                                       f"{above + self.first_line - 1}: the items of a list must line up",
                                       self.at(line, column), SYNTAX)
                name = path[-1] if path else "the value"
                raise ContentError(f"this '-' list item is under '{name}' on line "
                                   f"{node.start_mark.line + self.first_line}, which already has text after its "
                                   "colon: a field holds text or a list, not both", self.at(line, column), SYNTAX)

    def build_mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in _members(node):
            if not isinstance(key_node, yaml.ScalarNode):
                raise ContentError(f"{self.what} keys must be plain words, not lists or mappings",
                                   self.location(key_node), SYNTAX)
            # The key as written: `no:` stays "no", not False.
            key = str(key_node.value)
            self.check_missing_colon(key_node)
            member = (*path, key)
            if key in result:
                first = self.keys[member]
                raise ContentError(f"duplicate key '{key}' (first given on line {first.line})",
                                   self.location(key_node), SYNTAX)
            self.keys[member] = self.location(key_node)
            result[key] = self.build(value_node, member, depth + 1)
        return result

    def check_missing_colon(self, key_node: yaml.ScalarNode) -> None:
        """`audience "TODO: who this is for"` is valid YAML: the key `audience "TODO` with the value
        `who this is for"`. A word and then a quote in a key is always a forgotten colon."""
        if key_node.style or not re.search(r"\s[\"']", key_node.value):
            return
        explained = _missing_colon(self.source, key_node.start_mark.line)
        if explained is not None:
            message, line, column = explained
            raise ContentError(message, self.at(line, column), SYNTAX)


def _members(node: yaml.MappingNode) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    yield from node.value
