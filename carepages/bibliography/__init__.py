"""The shared bibliography: CSL entries, as Zotero, Mendeley and PubMed export them, checked field by field
and formatted in Vancouver style.

    model        Name, PartialDate, Reference, Bibliography, and the CSL types and fields we know
    csl          one raw entry checked into a Reference, with located errors and warnings
    located_json a JSON parser that records where every value and key was written
    json_file    CSL-JSON files (a list of entries with "id")
    yaml_file    CSL YAML files (keyed by citation key, a list with id, or {references: [...]})
    files        which files a site has, and loading them all into one Bibliography
    vancouver    references as NLM's Citing Medicine sets them out, in HTML or plain text
"""

from __future__ import annotations

from .files import bibliography_files, load_bibliography
from .model import JOURNAL_TYPES, WEB_TYPES, Bibliography, Name, PartialDate, Reference
from .vancouver import compress_pages, format_name, initials, vancouver_html, vancouver_text

__all__ = [
    "JOURNAL_TYPES", "WEB_TYPES", "Bibliography", "Name", "PartialDate", "Reference", "bibliography_files",
    "compress_pages", "format_name", "initials", "load_bibliography", "vancouver_html", "vancouver_text",
]
