"""Digests of a render job's inputs: equal inputs, equal digest; any change that can change the output,
another digest. This is what a render cache and an incremental preview key on.

A page's parsed Markdown is represented by the digest of its source text (parsing is a pure function of the
text and the Markdown settings, which are part of the config), so token trees are never walked here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping
from enum import Enum
from pathlib import PurePath
from typing import Any

from ..discover.frontmatter import FrontMatter
from ..discover.text import SourceText
from ..markdown import ParsedMarkdown
from ..parse import ParsedPage

# Values standing for something hashed elsewhere (see the module docstring): a page's front matter is a
# function of its text and path, which its `PageSource` carries (the text as its digest).
_DERIVED = (ParsedPage, ParsedMarkdown, SourceText, FrontMatter)
_SCALARS = (bool, int, float, str, dt.date, PurePath, Enum)


def digest(*values: Any) -> str:
    return Digester().digest(*values)


class Digester:
    """Digests values, remembering the digest of each dataclass instance it has seen: the jobs of one build
    share many values (the config, teasers, references), and each is then hashed once."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, bytes]] = {}  # id -> (the value, kept alive; its digest)
        self._fields: dict[type, tuple[str, ...]] = {}

    def digest(self, *values: Any) -> str:
        out: list[bytes] = []
        for value in values:
            self._feed(value, out)
        return hashlib.sha256(b"".join(out)).hexdigest()

    def _feed(self, value: Any, out: list[bytes]) -> None:
        kind = type(value)
        if kind is str:  # the commonest value first; the same bytes as the general case below
            out.append(b"str:" + value.encode("utf-8", "surrogatepass") + b"\x00")
        elif value is None or isinstance(value, _SCALARS):
            out.append(f"{type(value).__name__}:{value!s}\x00".encode("utf-8", "surrogatepass"))
        elif isinstance(value, _DERIVED):
            out.append(b"derived\x00")
        elif dataclasses.is_dataclass(value):
            known = self._memo.get(id(value))
            if known is None:
                names = self._fields.get(kind)
                if names is None:
                    names = self._fields[kind] = tuple(item.name for item in dataclasses.fields(value))
                inner = [f"<{kind.__name__}\x00".encode()]
                for name in names:
                    inner.append(name.encode() + b"=")
                    self._feed(getattr(value, name), inner)
                inner.append(b">")
                known = (value, hashlib.sha256(b"".join(inner)).digest())
                self._memo[id(value)] = known
            out.append(b"#" + known[1])
        elif isinstance(value, Mapping):
            out.append(b"{")
            for key, item in value.items():
                self._feed(key, out)
                self._feed(item, out)
            out.append(b"}")
        elif isinstance(value, list | tuple | frozenset | set):
            items = sorted(value, key=repr) if isinstance(value, frozenset | set) else value
            out.append(b"[")
            for item in items:
                self._feed(item, out)
            out.append(b"]")
        else:
            raise TypeError(f"cannot digest a {type(value).__name__}")  # a new input type must be taught here
