"""The fonts this system has, as a digest: part of what a PDF handout depends on (they lay out its text), so
that a handout kept in the cache, or a build with handouts found unchanged, is not trusted after a font is
installed or removed. Kept apart from carepages.handouts so that the command line's early check for an
unchanged build can ask without importing the rest."""

from __future__ import annotations

import hashlib
import shutil
import subprocess


def installed_fonts() -> str:
    """A digest of the fonts fontconfig knows (each file and its version), as `fc-list` lists them; '-' where
    there is no `fc-list`."""
    program = shutil.which("fc-list")
    if program is None:
        return "-"
    try:
        listed = subprocess.run([program, "--format", "%{file} %{fontversion}\n"], capture_output=True,
                                timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return "-"
    return hashlib.sha256(b"\n".join(sorted(listed.splitlines()))).hexdigest()
