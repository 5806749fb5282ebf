"""TOML that can point at a line.

`tomllib` parses correctly but keeps no positions, so after parsing we scan the text once for table headers
and `key =` lines. That is enough for a validation error to name the line of the offending key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, Location

_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_ARRAY_TABLE = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]\s*(#.*)?$")
_KEY = re.compile(r"""^(\s*)((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")
_DECODE_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_DECODE_END = re.compile(r"\(at end of document\)")

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class LocatedToml:
    value: dict[str, Any]
    lines: dict[PathKey, Location]
    origin: Location
    source_lines: tuple[str, ...] = ()  # the file's text, for pointing into its Markdown settings

    def at(self, *path: str | int) -> Location:
        """The line where `path` was set; falls back to the enclosing table."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.origin


def load_toml(path: Path) -> LocatedToml:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("site.toml not found (every site needs one)", Location(path), rule="config/missing") from None
    except OSError as exc:
        raise ConfigError(f"cannot read site.toml: {exc.strerror}", Location(path), rule="file/unreadable") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError("site.toml is not valid UTF-8 text", Location(path, line), rule="config/syntax") from None
    try:
        value = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _DECODE_POSITION.search(message)
        if found:
            where = Location(path, int(found.group(1)), int(found.group(2)))
        elif _DECODE_END.search(message):
            where = Location(path, text.count("\n") + 1)
        else:
            where = Location(path)
        message = _DECODE_POSITION.sub("", _DECODE_END.sub("", message)).strip()
        raise ConfigError(f"invalid TOML: {message}", where, rule="config/syntax") from None
    source_lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return LocatedToml(value, _scan_lines(text, path), Location(path, 1), source_lines)


def _key_parts(text: str) -> list[str]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", text)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


def _scan_lines(text: str, path: Path) -> dict[PathKey, Location]:
    lines: dict[PathKey, Location] = {}
    table: PathKey = ()
    array_counts: dict[PathKey, int] = {}
    in_multiline: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        if match := _ARRAY_TABLE.match(line):
            name = tuple(_key_parts(match.group(1)))
            index = array_counts.get(name, 0)
            array_counts[name] = index + 1
            table = (*name, index)
            lines.setdefault(name, Location(path, number, 1))
            lines[table] = Location(path, number, 1)
            continue
        if match := _TABLE.match(line):
            table = tuple(_key_parts(match.group(1)))
            lines.setdefault(table, Location(path, number, 1))
            continue
        if match := _KEY.match(line):
            key: PathKey = (*table, *_key_parts(match.group(2)))
            lines.setdefault(key, Location(path, number, len(match.group(1)) + 1))
            rest = line[match.end():]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_multiline = quote
                    break
    return lines
