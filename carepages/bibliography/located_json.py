"""JSON that remembers where each value came from.

`json.loads` forgets positions, so a CSL-JSON error could only be placed by searching the text for
`"id": ...`, which finds the wrong line as soon as a key's name appears in a value, an entry is written on
one line, or the same field occurs in many entries. This parser reads the text once and records, for every
value and every object key, the offset where it starts; values are the same as `json.loads` gives, and so are
its error messages and positions for malformed text.

It is stricter than `json.loads` where a lenient answer would hurt: an escaped lone surrogate (`"\\ud800"`)
is not text, a key given twice in one object is an error (not "the last one wins"), nesting is bounded, and
every failure is a located `BibliographyError`, never a `RecursionError` or `ValueError`.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BibliographyError, Location

MAX_DEPTH = 64  # CSL-JSON nests five levels (list, entry, issued, date-parts, parts)

PathKey = tuple[str | int, ...]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = json.scanner.NUMBER_RE  # type: ignore[attr-defined]
_CONSTANTS = (("null", None), ("true", True), ("false", False), ("NaN", float("nan")),
              ("Infinity", float("inf")), ("-Infinity", float("-inf")))
_SURROGATE = re.compile("[\ud800-\udfff]")
# An escape in a string's source: a surrogate pair, a lone surrogate, or any other (consumed so that `\\ud800`,
# an escaped backslash and the letters "ud800", is not mistaken for one).
_ESCAPE = re.compile(r"\\(?:(u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2})|(u[dD][89a-fA-F][0-9a-fA-F]{2})"
                     r"|u[0-9a-fA-F]{4}|.)", re.DOTALL)


@dataclass(frozen=True)
class LocatedJson:
    """A parsed JSON document with the source location of every value and every object key."""

    value: Any
    path: Path
    values: dict[PathKey, int] = field(default_factory=dict)  # offset where each value starts
    keys: dict[PathKey, int] = field(default_factory=dict)  # offset of the key naming each object member
    numbers: dict[PathKey, str] = field(default_factory=dict)  # every number as written in the file
    line_starts: tuple[int, ...] = (0,)

    def location(self, offset: int) -> Location:
        return _location(self.path, self.line_starts, offset)

    def at(self, *path: str | int) -> Location:
        """Where the value at `path` starts; falls back to the nearest enclosing value."""
        key = tuple(path)
        while key and key not in self.values:
            key = key[:-1]
        return self.location(self.values.get(key, 0))

    def key_at(self, *path: str | int) -> Location:
        """Where the key naming `path` was written (the value's location for list items)."""
        if path in self.keys:
            return self.location(self.keys[path])
        return self.at(*path)


def load_json(text: str, path: Path, what: str = "JSON") -> LocatedJson:
    """Parse `text`; a malformed document raises `BibliographyError` at the line and column of the fault."""
    line_starts = (0, *(m.end() for m in re.finditer("\n", text)))
    parser = _Parser(text)
    try:
        start = parser.skip(0)
        value, end = parser.value(start, (), 0)
        end = parser.skip(end)
        if end != len(text):
            raise _Fault("Extra data", end)
    except _Fault as fault:
        raise BibliographyError(f"invalid {what}: {fault.message}", _location(path, line_starts, fault.offset),
                                "bibliography/invalid") from None
    return LocatedJson(value, path, parser.values, parser.keys, parser.numbers, line_starts)


def _location(path: Path, line_starts: tuple[int, ...], offset: int) -> Location:
    line = bisect.bisect_right(line_starts, offset)
    return Location(path, line, offset - line_starts[line - 1] + 1)


class _Fault(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class _Parser:
    """Recursive descent following `json.decoder` step by step, so that faults are reported where it does."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.values: dict[PathKey, int] = {}
        self.keys: dict[PathKey, int] = {}
        self.numbers: dict[PathKey, str] = {}

    def skip(self, offset: int) -> int:
        return _WHITESPACE.match(self.text, offset).end()  # type: ignore[union-attr]

    def value(self, offset: int, path: PathKey, depth: int) -> tuple[Any, int]:
        text = self.text
        self.values[path] = offset
        char = text[offset:offset + 1]
        if char == '"':
            return self.string(offset)
        if char in ("{", "["):
            if depth >= MAX_DEPTH:
                raise _Fault("nested too deeply", offset)
            if char == "{":
                return self.object(offset, path, depth + 1)
            return self.array(offset, path, depth + 1)
        number = _NUMBER.match(text, offset)
        if number is not None:
            integer, fraction, exponent = number.groups()
            written = number.group()
            self.numbers[path] = written
            if fraction or exponent:
                return float(written), number.end()
            try:
                return int(integer), number.end()
            except ValueError:  # more digits than Python converts (4300 by default)
                raise _Fault("number with too many digits", offset) from None
        for word, constant in _CONSTANTS:
            if text.startswith(word, offset):
                return constant, offset + len(word)
        raise _Fault("Expecting value", offset)

    def string(self, offset: int) -> tuple[str, int]:
        try:
            value, end = json.decoder.scanstring(self.text, offset + 1, True)  # type: ignore[attr-defined]
        except json.JSONDecodeError as exc:
            raise _Fault(exc.msg, exc.pos) from None
        if _SURROGATE.search(value):
            raise _Fault(*self.lone_surrogate(offset, end))
        return value, end

    def lone_surrogate(self, start: int, end: int) -> tuple[str, int]:
        for escape in _ESCAPE.finditer(self.text, start + 1, end - 1):
            if escape.group(2):
                return f"lone surrogate '\\{escape.group(2)}' in a string (not a character)", escape.start()
        return "lone surrogate in a string (not a character)", start

    def object(self, offset: int, path: PathKey, depth: int) -> tuple[dict[str, Any], int]:
        text = self.text
        result: dict[str, Any] = {}
        end = self.skip(offset + 1)
        if text[end:end + 1] == "}":
            return result, end + 1
        while True:
            if text[end:end + 1] != '"':
                raise _Fault("Expecting property name enclosed in double quotes", end)
            key_offset = end
            key, end = self.string(end)
            member = (*path, key)
            if key in result:
                first_line = text.count("\n", 0, self.keys[member]) + 1
                raise _Fault(f"duplicate key '{key}' (first given on line {first_line})", key_offset)
            end = self.skip(end)
            if text[end:end + 1] != ":":
                raise _Fault("Expecting ':' delimiter", end)
            end = self.skip(end + 1)
            self.keys[member] = key_offset
            result[key], end = self.value(end, member, depth)
            end = self.skip(end)
            char = text[end:end + 1]
            if char == "}":
                return result, end + 1
            if char != ",":
                raise _Fault("Expecting ',' delimiter", end)
            end = self.skip(end + 1)

    def array(self, offset: int, path: PathKey, depth: int) -> tuple[list[Any], int]:
        text = self.text
        result: list[Any] = []
        end = self.skip(offset + 1)
        if text[end:end + 1] == "]":
            return result, end + 1
        while True:
            item, end = self.value(end, (*path, len(result)), depth)
            result.append(item)
            end = self.skip(end)
            char = text[end:end + 1]
            if char == "]":
                return result, end + 1
            if char != ",":
                raise _Fault("Expecting ',' delimiter", end)
            end = self.skip(end + 1)
