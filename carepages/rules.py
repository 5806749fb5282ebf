"""Every rule id carepages reports, in one table: the id a message ends with, its default severity, and what
it protects. The README's rule list is checked against this table, and so is every id the code uses.

An id is `area/name`, lower case, and never changes meaning once released: sites and the coming `check`
command refer to ids to change a severity or silence a finding.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Severity


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {rule.id: rule for rule in rules}


E, W = "error", "warning"

RULES: dict[str, Rule] = _rules(
    # site.toml
    Rule("config/syntax", E, "site.toml is not valid TOML, or not readable UTF-8 text"),
    Rule("config/missing", E, "a required setting or site.toml itself is missing"),
    Rule("config/invalid", E, "a setting has the wrong type or an impossible value"),
    Rule("config/unknown-key", W, "a setting carepages does not know (often a typo)"),
    Rule("config/outside-site", E, "a path in site.toml (output_dir, bibliography) that leaves the site folder"),
    # files
    Rule("file/unreadable", E, "a file cannot be read, is too large, or is not UTF-8 text"),
    Rule("file/outside-site", E, "a link (symlink) or path leads outside the site folder"),
    Rule("file/link-loop", E, "a symlink that leads back to itself, or a folder link to a folder that holds it"),
    Rule("file/active-content", E, "a file in content/ that a browser or web server would run (HTML, SVG, JS...)"),
    Rule("content/empty", E, "the content folder is missing or has no Markdown pages"),
    Rule("content/invalid", E, "content that cannot be used as written (the message says why)"),
    # front matter
    Rule("yaml/syntax", E, "front matter or the bibliography is not valid YAML"),
    Rule("yaml/limits", E, "YAML that expands too far or nests too deep (an alias bomb)"),
    Rule("front-matter/missing", E, "a page does not start with a front-matter block"),
    Rule("front-matter/required", E, "a required field (title, summary) is missing"),
    Rule("front-matter/invalid", E, "a field has the wrong type or value"),
    Rule("front-matter/dates", E, "dates in the wrong order (updated before date, next review before last)"),
    Rule("front-matter/unknown-field", W, "a field carepages does not know (often a typo)"),
    # addresses
    Rule("routes/clash", E, "two things would be written to the same address"),
    Rule("routes/unsafe", E, "an address that cannot be made from a file name or slug"),
    # links and images
    Rule("links/broken", E, "a link or image points to a file that does not exist"),
    Rule("links/draft", E, "a published page links to a draft"),
    Rule("links/unsafe", E, "a link with a javascript:, data: or file: address, a NUL, or a computer's path"),
    Rule("links/outside", E, "a link that leads outside the content folder"),
    Rule("links/anchor", W, "a link to a section (#id) that the page does not have"),
    Rule("images/external", E, "an image from another site (it would tell that site who reads the page)"),
    Rule("images/alt-text", W, "an image without alt text"),
    Rule("html/lost-text", E, "raw HTML (raw_html = true) that would hide the text after it: an unclosed "
                              "<style>, <textarea>, <script>, comment..."),
    # references
    Rule("bibliography/invalid", E, "a bibliography entry is malformed (missing title or year, bad DOI)"),
    Rule("bibliography/duplicate", E, "one key defined twice, or one DOI under two keys"),
    Rule("bibliography/unknown-field", W, "a CSL field carepages does not know (often a typo)"),
    Rule("bibliography/unused", W, "a bibliography entry that no page uses"),
    Rule("citations/unknown-key", E, "a citation or reference key the bibliography does not have"),
    Rule("citations/uncited", W, "a reference listed in front matter but never cited in the text"),
    # plain-language aids: the glossary and care cards
    Rule("glossary/invalid", E, "a glossary entry without a term or definition, or with a field of the wrong type"),
    Rule("glossary/duplicate", E, "a glossary word (term, synonym, plural or abbreviation) given to two entries"),
    Rule("glossary/unknown-field", W, "a glossary field carepages does not know (often a typo)"),
    Rule("glossary/long-definition", W, "a glossary definition longer than two short sentences"),
    Rule("care/invalid", E, "a care card with an unknown level, or one that needs a setting site.toml lacks"),
    # site structure
    Rule("topics/invalid", E, "a topic name with no letters or digits"),
    Rule("topics/unknown", W, "a topic that is not in site.toml's list"),
    Rule("related/unknown", W, "a related page (related:) that does not exist"),
    Rule("topics/near-duplicate", W, "a topic name close to another one (MRI and mri scans): one subject, two lists"),
    Rule("home/start-here", E, "a page named in site.toml's start_here that does not exist or is a draft"),
    # editorial
    Rule("review/missing", W, "a health page without a reviewer or review date"),
    Rule("todo/left", W, "a published page that still has TODO markers from 'new'"),
    # theme and output
    Rule("template/syntax", E, "a template has a syntax error"),
    Rule("template/missing", E, "a template cannot be found"),
    Rule("template/render", E, "a template failed while rendering a page"),
    Rule("output/refused", E, "the output folder is unsafe to replace (not ours, or holds the site)"),
    Rule("output/write", E, "the output folder (or the report file) cannot be written"),
    Rule("cache/unusable", W, "the build cache folder cannot be made or written: every page is built again"),
    Rule("search/index", E, "the search index could not be built (Pagefind failed, timed out or is missing)"),
    Rule("handouts/unavailable", E, "--handouts was given, but WeasyPrint, segno or the system libraries they "
                                    "need are not installed"),
    Rule("handouts/render", E, "a PDF handout could not be made (WeasyPrint's own message says why)"),
    Rule("handouts/incomplete", W, "a PDF handout lacks something WeasyPrint could not use (an unreadable image)"),
    # commands
    Rule("serve/port", E, "the preview server cannot listen on the port (another program uses it)"),
    Rule("new/exists", E, "'new' would overwrite an existing file"),
    Rule("new/title", E, "'new' was given no title, or one with no letters or digits to name the file by"),
    # check: editorial rules before publishing (carepages/checks/; only `check` runs them, see the README)
    Rule("review/overdue", E, "a health page whose next review date has passed"),
    Rule("review/due-soon", W, "a health page whose next review is due within 30 days"),
    Rule("review/interval", E, "next_review not after last_reviewed, or further after it than the review interval"),
    Rule("readability/grade", W, "an article's body above the site's Flesch-Kincaid grade (error above a ceiling)"),
    Rule("readability/smog", W, "an article's body above the site's SMOG grade (error above a ceiling)"),
    Rule("sources/no-references", W, "an article that cites no sources"),
    Rule("sources/number-without-citation", W, "a key point or paragraph that states a number with no citation"),
    Rule("accessibility/emoji", W, "an emoji or pictograph in a title, heading, link text or alt text"),
    Rule("accessibility/heading-level", E, "a heading that skips a level (## then ####)"),
    Rule("accessibility/extra-h1", E, "a # heading in the body: the title is the page's only top-level heading"),
    Rule("accessibility/link-text", W, "link text that says nothing out of context (click here, read more)"),
    Rule("honesty/commercial", E, "a commercial or affiliate link without a disclosure the reader sees"),
    Rule("honesty/hype", W, "cure, miracle, guaranteed or breakthrough in the page's own voice"),
    Rule("understanding/no-headings", W, "a long article without ## sections"),
    Rule("understanding/no-key-points", W, "a long article without key points"),
    Rule("understanding/no-next-step", W, "a long article that does not say what to do next"),
    Rule("understanding/natural-frequency", W, "a percentage without a natural frequency (2 in 100) beside it"),
    Rule("glossary/unexplained", W, "a word the site must explain, used in an article but neither in the glossary "
                                    "nor explained"),
    Rule("care/heading-after", W, "text after a care card that does not start with a heading"),
    Rule("duplicate/title", W, "two pages with the same title"),
    Rule("duplicate/slug", W, "two pages with the same slug"),
    Rule("duplicate/summary", W, "two pages with the same summary"),
    Rule("check/unknown-rule", W, "[checks] in site.toml or a check-ignore names a rule that does not exist"),
    Rule("check/stale-silence", W, "a check-ignore that silences nothing any more"),
)
