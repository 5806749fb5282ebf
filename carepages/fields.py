"""Small typed readers shared by the front-matter and site.toml schemas.

Each reader takes a raw value and the location it came from, and returns a clean typed value or raises an
error that names the field and says what was expected. Unknown keys get a "did you mean" hint.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from typing import Any

from .errors import Location, SiteError

# [0-9], not \d: \d also matches Arabic-Indic, Devanagari, full-width... digits, which int() and
# date.fromisoformat() then read or refuse in their own ways. A date is written in ASCII digits.
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# Lone surrogates: a YAML or JSON escape such as "\ud800" can make one, and no file can be written with it.
_SURROGATE = re.compile("[\ud800-\udfff]")
# str() of an int with more than 4,300 digits raises (CPython's int_max_str_digits), and YAML reads
# `0xFFFF...` of any length as an int: a number this large is a mistake, and is refused before it is shown.
MAX_DIGITS = 100
_TOO_LARGE = 10**MAX_DIGITS


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for a near miss, else ''."""
    matches = difflib.get_close_matches(name.lower(), sorted(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def number_text(value: int | float) -> str | None:
    """A number as text, or None for an integer of more than MAX_DIGITS digits (which str() may refuse)."""
    if isinstance(value, int) and abs(value) >= _TOO_LARGE:
        return None
    return str(value)


def shown(value: Any, limit: int = 60) -> str:
    """A value as a message may quote it: short, and never failing (a huge int cannot be printed whole)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = number_text(value)
        return text if text is not None else f"a number of more than {MAX_DIGITS} digits"
    text = value if isinstance(value, str) else _safe_repr(value)
    text = _SURROGATE.sub("\ufffd", text)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)
    except ValueError:  # a huge int somewhere inside
        return f"({type_name(value)})"


def lone_surrogate(text: str) -> str | None:
    """'U+D800' if `text` holds a lone surrogate (not a character: it cannot be written to any file)."""
    found = _SURROGATE.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, dt.date):
        return "a date"
    return type(value).__name__


class Reader:
    """Reads typed values, raising `error_type` located at the field."""

    def __init__(self, error_type: type[SiteError]) -> None:
        self.error_type = error_type

    def fail(self, field: str, expected: str, value: Any, where: Location) -> SiteError:
        return self.error_type(f"'{field}' must be {expected}, not {type_name(value)}", where)

    def text(self, field: str, value: Any, where: Location, *, allow_empty: bool = False) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(field, "text", value, where)
        written = value if isinstance(value, str) else number_text(value)
        if written is None:
            raise self.error_type(f"'{field}' is a number of more than {MAX_DIGITS} digits; if it is meant as "
                                  "text, put it in quotes", where)
        text = written.strip()
        surrogate = lone_surrogate(text)
        if surrogate:
            raise self.error_type(f"'{field}' contains {surrogate}, half of a surrogate pair, which is not a "
                                  "character (a broken \\u escape?)", where)
        if not text and not allow_empty:
            raise self.error_type(f"'{field}' must not be empty", where)
        return text

    def text_list(self, field: str, value: Any, where: Location, *, item_where: Any = None) -> tuple[str, ...]:
        """A list of strings; a single string is accepted as a list of one."""
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(field, "a list of text", value, where)
        items = []
        for i, item in enumerate(value):
            at = item_where(i) if item_where else where
            items.append(self.text(f"{field}[{i + 1}]", item, at))
        return tuple(items)

    def boolean(self, field: str, value: Any, where: Location) -> bool:
        if not isinstance(value, bool):
            raise self.fail(field, "true or false", value, where)
        return value

    def integer(self, field: str, value: Any, where: Location, *, minimum: int = 0,
                maximum: int = 10_000) -> int:
        if isinstance(value, float):  # 2.5, .inf: "not a number" would puzzle
            raise self.error_type(f"'{field}' must be a whole number, not {shown(value)}", where)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(field, "a whole number", value, where)
        if not minimum <= value <= maximum:
            raise self.error_type(f"'{field}' must be between {minimum} and {maximum}, not {shown(value)}",
                                  where)
        return value

    def date(self, field: str, value: Any, where: Location) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and _ISO_DATE.match(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                raise self.error_type(f"'{field}' is not a real date: '{value.strip()}'", where) from None
        if isinstance(value, str):
            raise self.error_type(f"'{field}' must be a date written YYYY-MM-DD, not '{shown(value.strip())}'",
                                  where)
        raise self.fail(field, "a date written YYYY-MM-DD", value, where)

    def mapping(self, field: str, value: Any, where: Location) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(field, "a mapping of names to values", value, where)
        return value
