"""What lays out a PDF handout's text besides WeasyPrint: the Pango library and the fonts this system has.
Both are part of what a handout depends on, so that a handout kept in the cache, or a build with handouts
found unchanged, is not trusted after Pango is upgraded or a font is installed or removed. Kept apart from
carepages.handouts so that the command line's early check for an unchanged build can ask without importing
WeasyPrint (a second of start-up)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

# The names WeasyPrint loads Pango by (weasyprint.text.ffi), in its order: the library it would use.
_PANGO_NAMES = ("libpango-1.0-0", "pango-1.0-0", "pango-1.0", "libpango-1.0.so.0", "libpango-1.0.dylib",
                "libpango-1.0-0.dll")


def text_layout() -> str:
    """Pango's version and a digest of the installed fonts; '' if Pango cannot be loaded (then handouts
    cannot be made, and nothing about them is kept)."""
    version = pango_version()
    return f"pango={version} fonts={installed_fonts()}" if version else ""


def pango_version() -> str:
    """The version of the Pango library WeasyPrint would load ('1.50.12'), or '' if there is none."""
    import ctypes

    for name in _PANGO_NAMES:
        try:
            read = ctypes.CDLL(name).pango_version_string
        except (OSError, AttributeError):
            continue
        read.restype = ctypes.c_char_p
        version = read()
        return version.decode("ascii", "replace") if version else ""
    return ""


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
