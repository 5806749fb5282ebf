"""Honesty: a health page sells nothing in secret and promises nothing it cannot keep.

- `honesty/commercial`: a link to a commercial or affiliate target (a tracking or referral query string such
  as `utm_source`, `ref`, `aff_id` or `tag`, or a domain listed in site.toml) needs a disclosure the reader
  sees, on the same line: "(advert)", "(affiliate link)", "(sponsored)", "(paid link)"...
- `honesty/hype`: "cure", "miracle", "guaranteed", "breakthrough" in the page's own voice. Not reported:
  inside quotation marks or a block quotation (someone else's words, quoted), in a question ("Can MS be
  cured?"), or after a negation up to five words before ("There is no cure yet", "cannot be cured"), because
  saying honestly that there is no cure is exactly what patients need.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

from ..errors import Diagnostic, Location
from ..model.site import Page
from .prose import passages
from .settings import CheckSettings

TRACKING = {"ref", "ref_id", "refid", "referral", "referrer", "aff", "aff_id", "affid", "affiliate",
            "affiliate_id", "partner", "partner_id", "tag", "irclickid", "clickid", "gclid", "fbclid", "msclkid",
            "campaign", "coupon", "promo", "promo_code", "tracking", "trk", "via", "sponsor"}
AFFILIATE_DOMAINS = ("amzn.to", "awin1.com", "shareasale.com", "go.skimresources.com", "click.linksynergy.com",
                     "prf.hn", "clickbank.net", "anrdoezrs.net", "tkqlhce.com", "jdoqocy.com", "dpbolvw.net")
_NEGATION = re.compile(r"\b(?:no|not|never|cannot|nothing|without|none|neither|nor)\b|n[’']t\b", re.IGNORECASE)
_NEGATION_WINDOW = 5  # words before the hype word: "there is no cure", "cannot be cured", "no treatment is guaranteed"
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’")


def commercial_links(page: Page, settings: CheckSettings) -> Iterator[Diagnostic]:
    rule = "honesty/commercial"
    domains = [d.lower().lstrip(".") for d in (*AFFILIATE_DOMAINS, *settings.option(rule, "domains"))]
    disclosures = [d.lower() for d in settings.option(rule, "disclosure")]
    lines = page.source.text.lines
    for doc in page.parsed.documents():
        for link in doc.links:
            if link.kind != "link":
                continue
            why = _commercial(link.href, domains)
            if not why:
                continue
            line = lines[link.location.line - 1].lower() if link.location.line else ""
            if any(d in link.text.lower() or d in line for d in disclosures):
                continue
            yield Diagnostic("error", f"link to '{link.href}' {why}, but the reader is not told: say so next to "
                             "it, for example '(affiliate link)' or '(advert)', or link to a neutral page",
                             link.location, rule)


def _commercial(href: str, domains: list[str]) -> str:
    parts = urlsplit(href.strip())
    if parts.scheme.lower() not in {"http", "https", ""} or not parts.netloc:
        return ""
    host = (parts.hostname or "").lower()
    for domain in domains:
        if host == domain or host.endswith("." + domain):
            return f"goes to {domain}, a commercial or affiliate site"
    for key, _ in parse_qsl(parts.query, keep_blank_values=True):
        name = key.lower()
        if name.startswith("utm_") or name in TRACKING:
            return f"carries a tracking or referral code ('{key}=')"
    return ""


def hype(page: Page, settings: CheckSettings) -> Iterator[Diagnostic]:
    rule = "honesty/hype"
    words = "|".join(re.escape(w) for w in settings.option(rule, "words"))
    if not words:
        return
    pattern = re.compile(rf"\b(?:{words})\b", re.IGNORECASE)
    lines = page.source.text.lines
    texts: list[tuple[str, Location, object]] = [(page.title, page.front.where("title"), None),
                                                 (page.front.summary, page.front.where("summary"), None)]
    for doc in page.parsed.documents():
        texts += [(h.text, h.location, None) for h in doc.headings]
    for passage in passages(page):
        if not passage.quoted:
            texts.append((passage.text, Location(passage.path, passage.line), passage))
    for text, where, passage in texts:
        for sentence, offset in _sentences(text):
            unquoted = _QUOTED.sub(lambda m: " " * len(m.group()), sentence)
            for found in pattern.finditer(unquoted):
                before = " ".join(unquoted[:found.start()].split()[-_NEGATION_WINDOW:])
                if sentence.rstrip().endswith("?") or _NEGATION.search(before):
                    continue
                at = passage.location(offset + found.start(), found.group(), lines) if passage else where
                yield Diagnostic("warning", f"'{found.group()}' promises more than medicine can: say what the "
                                 "evidence shows, in plain words (or quote who said it)", at, rule)


def _sentences(text: str) -> Iterator[tuple[str, int]]:
    start = 0
    for match in re.finditer(r"(?<=[.!?])\s+", text):
        yield text[start:match.start()], start
        start = match.end()
    yield text[start:], start
