"""Text helpers with no knowledge of sites: slugs, dates for people, characters XML can carry."""

from __future__ import annotations

import calendar
import datetime as dt
import html
import re
import unicodedata

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# XML 1.0 allows tab, newline, carriage return and most of the rest of Unicode, but no other controls,
# no lone surrogates and not U+FFFE/U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def slugify(text: str, max_length: int = 80) -> str:
    """"What's a T2 scan?" -> 'whats-a-t2-scan'. ASCII only, so URLs stay readable anywhere."""
    decomposed = unicodedata.normalize("NFKD", text.replace("'", "").replace("’", ""))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NOT_SLUG.sub("-", ascii_text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


def xml_safe(text: str) -> str:
    """Remove characters that XML 1.0 cannot carry at all (escaping is the serialiser's job)."""
    return _XML_ILLEGAL.sub("", text)


def human_date(day: dt.date) -> str:
    """'24 November 2026': unambiguous for every reader, unlike 11/24/2026."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus `months`, on the same day of the month or the month's last day (31 Jan + 1 -> 28/29 Feb).

    Raises OverflowError past 9999-12-31 (or before year 1): the caller knows which field to blame.
    """
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OverflowError(f"{day.isoformat()} plus {months} months is past {dt.date.max.isoformat()}"
                            if months > 0 else f"{day.isoformat()} minus {-months} months is before year 1")
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


_CITATION_SUP = re.compile(r'<sup class="(?:citation|footnote-ref)"[^>]*>.*?</sup>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def plain_text(html_text: str) -> str:
    """Rendered HTML as one line of plain text, without citation or footnote markers."""
    text = _TAG.sub(" ", _CITATION_SUP.sub("", html_text))
    text = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(html.unescape(text).split()))
    return text
