"""How numbers are said: the patterns `sources` and `understanding` rules look for in a passage."""

from __future__ import annotations

import re

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "fifty": 50, "a hundred": 100, "one hundred": 100,
          "hundred": 100, "a thousand": 1000, "one thousand": 1000, "thousand": 1000}
_SMALL = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|fifty"
_LARGE = (r"two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|fifty|a hundred|one hundred|hundred|"
          r"a thousand|one thousand|thousand")
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
PERCENT = re.compile(rf"\b({_NUMBER})\s?(?:%|per\s?cent\b|percent\b)", re.IGNORECASE)
NATURAL_FREQUENCY = re.compile(rf"\b({_NUMBER}|{_SMALL}|a few|some)\s+(?:in|out\s+of)\s+"
                               rf"(?:every\s+)?({_NUMBER}|{_LARGE})\b", re.IGNORECASE)


def states_a_number(text: str) -> re.Match[str] | None:
    """The first percentage or natural frequency ("1 in 5", "3 out of 10") in `text`."""
    found = [m for m in (PERCENT.search(text), NATURAL_FREQUENCY.search(text)) if m]
    return min(found, key=lambda m: m.start()) if found else None


def percentages_without_frequency(text: str) -> list[re.Match[str]]:
    """The percentages in `text` that no natural frequency of about the same size ("20%" and "1 in 5")
    accompanies in the same text."""
    shares = []
    for match in NATURAL_FREQUENCY.finditer(text):
        part, whole = _value(match.group(1)), _value(match.group(2))
        shares.append(None if part is None or not whole else 100 * part / whole)
    missing = []
    for match in PERCENT.finditer(text):
        percent = _value(match.group(1))
        if percent is None or not any(share is None or _close(percent, share) for share in shares):
            missing.append(match)
    return missing


def _close(percent: float, share: float) -> bool:
    return abs(percent - share) <= max(5.0, 0.15 * percent)


def _value(text: str) -> float | None:
    words = " ".join(text.lower().split())
    if words in _WORDS:
        return float(_WORDS[words])
    try:
        return float(words.replace(",", ""))
    except ValueError:
        return None  # "a few", "some": not a number to compare, so taken as matching
