"""Reading a text file the way an editor's file should be read: UTF-8 (with or without BOM), any line
endings, and a located error for bytes that are not text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, Location

MAX_FILE_BYTES = 20 * 1024 * 1024  # a patient-education page is a few kB; 20 MB is a mistake, not an article


@dataclass(frozen=True)
class SourceText:
    path: Path
    text: str  # newlines normalised to \n

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


def decode_text(raw: bytes, path: Path) -> SourceText:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError(f"file is not valid UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
                           Location(path, line, col)) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(path, text)


def read_text(path: Path) -> SourceText:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ContentError(f"file is {size / 1024 / 1024:.0f} MB; the limit is "
                               f"{MAX_FILE_BYTES // 1024 // 1024} MB", Location(path))
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError(f"cannot read file: {exc.strerror}", Location(path)) from None
    return decode_text(raw, path)
