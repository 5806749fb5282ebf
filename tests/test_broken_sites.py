"""Broken sites (tests/sites_invalid/<case>/) must fail with exactly the messages in their expected.txt.

Each case is built by the command line, as an editor would, from inside its folder; the messages are the
`path:line:col: error: ...` lines a user sees. No case may print a Python traceback or touch the output.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .sitekit import MINIMAL_CONFIG, run_cli

CASES_DIR = Path(__file__).parent / "sites_invalid"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_broken_site_fails_with_located_messages(case: str, tmp_path: Path) -> None:
    site = tmp_path / case
    shutil.copytree(CASES_DIR / case, site)
    expected = (site / "expected.txt").read_text(encoding="utf-8").splitlines()
    (site / "expected.txt").unlink()
    if not (site / "site.toml").exists():
        (site / "site.toml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.html").write_text("yesterday's site")
    (out / ".carepages-output").write_text("")

    result = run_cli("build", ".", "--out", str(out), cwd=site)

    assert result.code == 1, result.err
    lines = result.err.splitlines()
    assert lines[:-1] == expected
    assert lines[-1] == (f"Build failed: {len(expected)} error{'s' if len(expected) != 1 else ''}. "
                         "The previous output was left as it was.")
    assert "Traceback" not in result.err
    assert (out / "keep.html").read_text() == "yesterday's site"
