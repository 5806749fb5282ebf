"""Golden output (as Pelican does it): a small site that uses every page kind and Markdown feature must
build byte for byte into tests/sites_golden/kitchen_sink.expected/.

When an output change is intended (a template or engine change), regenerate with
`UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py` and review the diff in the commit.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import carepages

from .sitekit import tree_bytes

GOLDEN = Path(__file__).parent / "sites_golden"


def test_kitchen_sink_builds_byte_identical_to_its_golden_output(tmp_path: Path) -> None:
    site = tmp_path / "kitchen_sink"
    shutil.copytree(GOLDEN / "kitchen_sink", site)
    out = tmp_path / "out"
    carepages.build(site, out)
    (out / ".carepages-output").unlink()
    expected_dir = GOLDEN / "kitchen_sink.expected"
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(out, expected_dir)
    built, expected = tree_bytes(out), tree_bytes(expected_dir)
    assert sorted(built) == sorted(expected)
    for name, data in expected.items():
        assert built[name] == data, f"{name} differs from the golden output"
