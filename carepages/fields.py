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

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for a near miss, else ''."""
    matches = difflib.get_close_matches(name.lower(), sorted(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


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
        text = str(value).strip()
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
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(field, "a whole number", value, where)
        if not minimum <= value <= maximum:
            raise self.error_type(f"'{field}' must be between {minimum} and {maximum}, not {value}", where)
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
            raise self.error_type(f"'{field}' must be a date written YYYY-MM-DD, not '{value.strip()}'", where)
        raise self.fail(field, "a date written YYYY-MM-DD", value, where)

    def mapping(self, field: str, value: Any, where: Location) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(field, "a mapping of names to values", value, where)
        return value
