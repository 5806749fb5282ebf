"""Fixtures shared by the tests (helpers live in sitekit.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .sitekit import BIBLIOGRAPHY, MINIMAL_CONFIG, SiteDir, article


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    """A minimal valid site with one article and a bibliography; tests add or overwrite files."""
    s = SiteDir(tmp_path / "site")
    s.write("site.toml", MINIMAL_CONFIG)
    s.write("content/first.md", article("First article"))
    s.write("content/references.yaml", BIBLIOGRAPHY)
    return s
