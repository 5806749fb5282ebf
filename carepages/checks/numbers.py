"""How numbers are said: the patterns `sources` and `understanding` rules look for in a passage."""

from __future__ import annotations

import re

_SMALL = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|fifty"
_LARGE = (r"two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|fifty|a hundred|one hundred|hundred|"
          r"a thousand|one thousand|thousand")
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
PERCENT = re.compile(rf"\b{_NUMBER}\s?(?:%|per\s?cent\b|percent\b)", re.IGNORECASE)
NATURAL_FREQUENCY = re.compile(rf"\b(?:{_NUMBER}|{_SMALL}|a few|some)\s+(?:in|out\s+of)\s+"
                               rf"(?:every\s+)?(?:{_NUMBER}|{_LARGE})\b", re.IGNORECASE)


def states_a_number(text: str) -> re.Match[str] | None:
    """The first percentage or natural frequency ("1 in 5", "3 out of 10") in `text`."""
    found = [m for m in (PERCENT.search(text), NATURAL_FREQUENCY.search(text)) if m]
    return min(found, key=lambda m: m.start()) if found else None
