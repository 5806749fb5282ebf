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

from ..discover.text import SourceText
from ..markdown import ParsedMarkdown
from ..parse import ParsedPage

# Values standing for something hashed elsewhere (see the module docstring).
_DERIVED = (ParsedPage, ParsedMarkdown, SourceText)


def digest(*values: Any) -> str:
    hasher = hashlib.sha256()
    for value in values:
        _feed(value, hasher)
    return hasher.hexdigest()


def _feed(value: Any, hasher: Any) -> None:
    if value is None or isinstance(value, bool | int | float | str | dt.date | PurePath | Enum):
        hasher.update(f"{type(value).__name__}:{value!s}\x00".encode("utf-8", "surrogatepass"))
    elif isinstance(value, _DERIVED):
        hasher.update(b"derived\x00")
    elif dataclasses.is_dataclass(value):
        hasher.update(f"<{type(value).__name__}\x00".encode())
        for item in dataclasses.fields(value):
            hasher.update(item.name.encode() + b"=")
            _feed(getattr(value, item.name), hasher)
        hasher.update(b">")
    elif isinstance(value, Mapping):
        hasher.update(b"{")
        for key, item in value.items():
            _feed(key, hasher)
            _feed(item, hasher)
        hasher.update(b"}")
    elif isinstance(value, list | tuple | frozenset | set):
        items = sorted(value, key=repr) if isinstance(value, frozenset | set) else value
        hasher.update(b"[")
        for item in items:
            _feed(item, hasher)
        hasher.update(b"]")
    else:
        raise TypeError(f"cannot digest a {type(value).__name__}")  # a new input type must be taught here
