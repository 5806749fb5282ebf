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


# How a type is digested, decided once per type (`Digester._how`).
_SCALAR, _SKIP, _DATACLASS, _MAPPING, _SEQUENCE, _SET = range(6)


class Digester:
    """Digests values, remembering the digest of each dataclass instance it has seen: the jobs of one build
    share many values (the config, teasers, references), and each is then hashed once."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, bytes]] = {}  # id -> (the value, kept alive; its digest)
        self._how: dict[type, tuple[int, tuple[str, ...]]] = {}  # type -> (how, a dataclass's field names)

    def digest(self, *values: Any) -> str:
        out: list[bytes] = []
        for value in values:
            self._feed(value, out)
        return hashlib.sha256(b"".join(out)).hexdigest()

    def _feed(self, value: Any, out: list[bytes]) -> None:
        # Hot: a build digests some 300 values a page. A string, the commonest value, is written in place
        # wherever it occurs (in a dataclass, a mapping or a sequence), as the same bytes as here.
        kind = type(value)
        if kind is str:
            out.append(b"str:" + value.encode("utf-8", "surrogatepass") + b"\x00")
            return
        how = self._how.get(kind)
        if how is None:
            how = self._how[kind] = _classify(value)
        what = how[0]
        if what == _SCALAR:
            out.append(f"{kind.__name__}:{value!s}\x00".encode("utf-8", "surrogatepass"))
        elif what == _DATACLASS:
            known = self._memo.get(id(value))
            if known is None:
                inner = [f"<{kind.__name__}\x00".encode()]
                for name in how[1]:
                    inner.append(name.encode() + b"=")
                    item = getattr(value, name)
                    if type(item) is str:
                        inner.append(b"str:" + item.encode("utf-8", "surrogatepass") + b"\x00")
                    else:
                        self._feed(item, inner)
                inner.append(b">")
                known = (value, hashlib.sha256(b"".join(inner)).digest())
                self._memo[id(value)] = known
            out.append(b"#" + known[1])
        elif what == _SKIP:
            out.append(b"derived\x00")
        elif what == _MAPPING:
            out.append(b"{")
            for key, item in value.items():
                for part in (key, item):
                    if type(part) is str:
                        out.append(b"str:" + part.encode("utf-8", "surrogatepass") + b"\x00")
                    else:
                        self._feed(part, out)
            out.append(b"}")
        else:  # a sequence, or a set in a fixed order
            out.append(b"[")
            for item in (sorted(value, key=repr) if what == _SET else value):
                if type(item) is str:
                    out.append(b"str:" + item.encode("utf-8", "surrogatepass") + b"\x00")
                else:
                    self._feed(item, out)
            out.append(b"]")


def _classify(value: Any) -> tuple[int, tuple[str, ...]]:
    if value is None or isinstance(value, _SCALARS):
        return _SCALAR, ()
    if isinstance(value, _DERIVED):
        return _SKIP, ()
    if dataclasses.is_dataclass(value):
        return _DATACLASS, tuple(item.name for item in dataclasses.fields(value))
    if isinstance(value, Mapping):
        return _MAPPING, ()
    if isinstance(value, list | tuple):
        return _SEQUENCE, ()
    if isinstance(value, frozenset | set):
        return _SET, ()
    raise TypeError(f"cannot digest a {type(value).__name__}")  # a new input type must be taught here
