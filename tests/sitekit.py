"""Test helpers: write small real sites into temp folders, build them, run the CLI as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MINIMAL_CONFIG = """\
title = "Test Health Site"
tagline = "A tagline"
base_url = "https://example.org/info/"
language = "en-GB"
disclaimer = "Test disclaimer text."
emergency = "Call 999 in an emergency."

[organisation]
name = "Test Clinic"
phone = "01234 567890"
"""

BIBLIOGRAPHY = """\
smith2020:
  type: article-journal
  author:
    - {family: Smith, given: Anna B}
    - {family: Jones, given: Carl}
  title: A study of things
  container-title: Journal of Things
  container-title-short: J Things
  issued: 2020
  volume: 12
  issue: 3
  page: 100-110
  DOI: 10.1000/things.2020.1
  PMID: "12345678"
lee2019:
  type: article-journal
  author:
    - {family: Lee, given: Dana}
  title: Another study
  container-title: Other Journal
  issued: 2019
  volume: 4
  page: 55-60
  DOI: 10.1000/other.2019.2
"""


def article(title: str = "An article", body: str = "Some text.\n", **fields: str) -> str:
    """A complete, valid article; keyword arguments add or replace front-matter lines (raw YAML)."""
    front = {
        "title": title,
        "summary": "A short summary.",
        "date": "2026-01-10",
        "updated": "2026-01-12",
        "topics": "[Topic One]",
        "reviewed_by": "Test reviewer (nurse)",
        "last_reviewed": "2026-01-12",
        "next_review": "2027-01-12",
    }
    front.update(fields)
    lines = "\n".join(f"{k}: {v}" for k, v in front.items() if v is not None)
    return f"---\n{lines}\n---\n\n{textwrap.dedent(body)}"


@dataclass
class SiteDir:
    root: Path

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    @property
    def out(self) -> Path:
        return self.root / "_site"

    def build(self, **kwargs):
        """Build without the search index unless asked (`search=True`): Pagefind takes a third of a small
        build, and only the search tests look at its output."""
        import carepages

        kwargs.setdefault("search", False)
        return carepages.build(self.root, self.out, **kwargs)

    def html(self, route: str) -> str:
        path = self.out / route
        if route.endswith("/") or route == "":
            path = path / "index.html"
        return path.read_text(encoding="utf-8")


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*args: str, cwd: Path | None = None) -> CliResult:
    """Run `python build.py ...` as a user would, in a separate process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd or ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its content, for byte-for-byte comparisons."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
