"""Every rule id the engine reports is declared once, in carepages.rules, and documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

from carepages.errors import SiteError
from carepages.rules import RULES

ROOT = Path(__file__).resolve().parent.parent


def _ids_in_code() -> set[str]:
    found = set()
    for path in (ROOT / "carepages").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'rule="([a-z-]+/[a-z-]+)"', text))
        found |= set(re.findall(r'default_rule = "([a-z-]+/[a-z-]+)"', text))
        found |= set(re.findall(r'^RULE = "([a-z-]+/[a-z-]+)"', text, re.M))
        found |= set(re.findall(r'"warning", [^\n]*\n?[^\n]*"([a-z]+/[a-z-]+)"\)', text))
    return found


def test_every_rule_the_code_uses_is_declared() -> None:
    used = _ids_in_code()
    assert len(used) > 20
    assert used - RULES.keys() == set()


def test_every_declared_rule_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [rule for rule in RULES if f"`{rule}`" not in readme]
    assert missing == []


def test_errors_print_their_rule_id(site) -> None:
    site.write("content/first.md", "no front matter\n")
    try:
        site.build()
    except SiteError as exc:
        assert str(exc).endswith("[front-matter/missing]")
    else:  # pragma: no cover
        raise AssertionError("expected an error")
