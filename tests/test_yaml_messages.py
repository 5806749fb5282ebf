"""YAML mistakes told in an editor's words, at the line where the mistake is (not where PyYAML noticed it).

Each case is front matter as a clinic editor might type it; line numbers count from the file's first line
(the opening `---` is line 1).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from carepages.discover.frontmatter import parse_front_matter
from carepages.discover.text import decode_text
from carepages.discover.yaml import load_yaml
from carepages.errors import ContentError, Problems

from .sitekit import article, run_cli


def located(diagnostic) -> str:
    """`file:line:col: severity: message`, as printed, without the rule id (checked on its own)."""
    return f"{diagnostic.location.format()}: {diagnostic.severity}: {diagnostic.message}"


def error_of(front: str) -> tuple[str, str]:
    """The one error for a page whose front matter is `front`: (its located message, its rule id)."""
    text = f"---\n{front}---\n\nBody.\n"
    with pytest.raises(ContentError) as info:
        parse_front_matter(decode_text(text.encode(), Path("a.md")), Problems())
    (diagnostic,) = info.value.diagnostics
    return located(diagnostic), diagnostic.rule


CASES = {
    "tab used for indentation": (
        "title: T\nsummary: S\nkey_points:\n\t- A point\n",
        "a.md:5:1: error: this line is indented with a tab: use spaces instead (YAML does not allow tabs here)"),
    "tab inside the indentation of a list": (
        "title: T\nsummary: S\nkey_points:\n  - A point\n\t- Another\n",
        "a.md:6:1: error: this line is indented with a tab: use spaces instead (YAML does not allow tabs here)"),
    "field indented more than the one above": (
        "title: T\n  summary: S\n",
        "a.md:3:3: error: 'summary' has more spaces in front of it than 'title' on line 2: fields that belong "
        "together must line up, with the same number of spaces"),
    "faq answer indented more than its question": (
        "title: T\nsummary: S\nfaq:\n  - question: Does it hurt?\n      answer: No.\n",
        "a.md:6:7: error: 'answer' has more spaces in front of it than 'question' on line 5: fields that belong "
        "together must line up, with the same number of spaces"),
    "faq answer indented less than its question": (
        "title: T\nsummary: S\nfaq:\n  - question: Does it hurt?\n   answer: No.\n",
        "a.md:6:4: error: 'answer' has fewer spaces in front of it than 'question' on line 5: fields that belong "
        "together must line up, with the same number of spaces"),
    "list item indented less than the one above": (
        "title: T\nsummary: S\nkey_points:\n  - One\n - Two\n",
        "a.md:6:2: error: this '-' item has fewer spaces in front of it than the item on line 5: the items of a "
        "list must line up"),
    "list item indented more than the one above (YAML would join it to the item's text)": (
        "title: T\nsummary: S\nkey_points:\n  - One\n   - Two\n",
        "a.md:6:4: error: this '-' item has more spaces in front of it than the item on line 5: the items of a "
        "list must line up"),
    "missing colon after a field name": (
        'title: T\naudience "People with MS"\nsummary: S\n',
        "a.md:3:1: error: 'audience' needs a colon after it: `audience: \"People with MS\"`"),
    "missing colon on the last line": (
        "title: T\nsummary: S\naudience People with MS\n",
        "a.md:4:1: error: 'audience' needs a colon after it: `audience: People with MS`"),
    "missing colon on the first line": (
        'audience "People with MS"\ntitle: T\nsummary: S\n',
        "a.md:2:1: error: 'audience' needs a colon after it: `audience: \"People with MS\"`"),
    "missing colon where the value has a colon (valid YAML, but not what was meant)": (
        'title: T\nsummary: S\naudience "TODO: who this is for"\n',
        "a.md:4:1: error: 'audience' needs a colon after it: `audience: \"TODO: who this is for\"`"),
    "missing colon, unquoted value with a colon": (
        "title: T\nsummary: S\naudience People: with MS\n",
        "a.md:4:1: error: 'audience' needs a colon after it: `audience: ...`"),
    "no space after the colon": (
        "title: T\nsummary:S\ndate: 2026-01-02\n",
        "a.md:3:1: error: 'summary' needs a space after its colon: `summary: S`"),
    "unquoted colon inside a title": (
        "title: MS: the basics\nsummary: S\n",
        "a.md:2:10: error: the text of 'title' has a colon followed by a space, so it must be in quotes: "
        "`title: \"MS: the basics\"`"),
    "unquoted colon inside a faq answer": (
        "title: T\nsummary: S\nfaq:\n  - question: Is it safe?\n    answer: Yes: for most people\n",
        "a.md:6:16: error: the text of 'answer' has a colon followed by a space, so it must be in quotes: "
        "`answer: \"Yes: for most people\"`"),
    "unclosed double quote": (
        'title: "MS basics\nsummary: S\n',
        "a.md:2:8: error: this value starts with \" but has no closing \": add \" at the end of the value"),
    "unclosed quote that runs into the next quoted value": (
        'title: "MS basics\nsummary: "S"\n',
        "a.md:2:8: error: this value starts with \" but has no closing \" on this line: add \" at the end of the "
        "value"),
    "text after a closing quote": (
        'title: "MS" basics\nsummary: S\n',
        "a.md:2:13: error: there is more text after the closing quote: put the whole value inside the quotes"),
    "list item under a text field": (
        "title: T\nsummary: S\n- Another sentence\n",
        "a.md:4:1: error: this '-' list item is under 'summary' on line 3, which already has text after its "
        "colon: a field holds text or a list, not both"),
    "indented list item under a text field (YAML would join it to the text)": (
        "title: T\nsummary: S\n  - Another sentence\n",
        "a.md:4:3: error: this '-' list item is under 'summary' on line 3, which already has text after its "
        "colon: a field holds text or a list, not both"),
    "[ never closed, at the end": (
        "title: T\nsummary: S\ntopics: [Spine MRI\n",
        "a.md:4:9: error: the list that starts with '[' here must end with ']', with a comma between its items"),
    "unclosed [list]": (
        "title: T\nsummary: S\ntopics: [Spine MRI, Diagnosis\ndate: 2026-01-02\n",
        "a.md:4:9: error: the list that starts with '[' here must end with ']', with a comma between its items"),
    "value starting with @": (
        "title: '@home'\nsummary: @home care\n",
        "a.md:3:10: error: a value that starts with '@' must be put in quotes: `summary: \"@home care\"`"),
    "value starting with !": (
        "title: T\nsummary: !important\n",
        "a.md:3:10: error: a value that starts with '!' must be put in quotes: `summary: \"!important\"`"),
    "a line of text that is not a field": (
        "title: T\nsummary: Brain scans.\nA scan of the cord.\n",
        "a.md:4:1: error: this line is not a 'field: value' line. If it continues the text above, indent it "
        "with spaces; if it starts a new field, put a colon after the field's name"),
}


@pytest.mark.parametrize("front, expected", CASES.values(), ids=CASES.keys())
def test_common_yaml_mistakes_are_told_plainly_at_their_line(front, expected):
    message, rule = error_of(front)
    assert message == expected
    assert rule == "yaml/syntax"


def test_an_unknown_field_is_still_only_a_warning():
    problems = Problems()
    text = "---\ntitle: T\nsummary: S\nreviewd_by: Dr X\n---\n"
    parse_front_matter(decode_text(text.encode(), Path("a.md")), problems)
    assert [(located(d), d.rule) for d in problems.warnings] == [
        ("a.md:4:1: warning: unknown front-matter field 'reviewd_by' (did you mean 'reviewed_by'?)",
         "front-matter/unknown-field")]


def test_a_multi_line_text_value_is_still_fine():
    front = ("title: T\nsummary: Brain scans do not show everything.\n  A scan of the spinal cord can help -\n"
             "  sometimes.\n")
    text = f"---\n{front}---\n"
    parsed = parse_front_matter(decode_text(text.encode(), Path("a.md")), Problems())
    assert parsed.summary == "Brain scans do not show everything. A scan of the spinal cord can help - sometimes."


def test_the_bibliography_gets_the_same_messages():
    text = "smith2020:\n  title: A study\n  issued: 2020\n   DOI: 10.1000/x\n"
    with pytest.raises(ContentError) as info:
        load_yaml(text, Path("references.yaml"), 1, what="bibliography YAML")
    (diagnostic,) = info.value.diagnostics
    assert located(diagnostic) == (
        "references.yaml:4:4: error: 'DOI' has more spaces in front of it than 'issued' on line 3: fields that "
        "belong together must line up, with the same number of spaces")
    assert diagnostic.rule == "yaml/syntax"


def test_alias_bombs_keep_their_own_rule():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcde", "bcdef", strict=True))
    with pytest.raises(ContentError) as info:
        load_yaml(bomb, Path("a.yaml"))
    assert info.value.rule == "yaml/limits"


def test_the_command_line_prints_the_plain_message(site):
    """What an editor sees: the site's real file and line, the message, and the build's last line."""
    site.write("content/first.md", article("First article", audience='"People with MS"').replace(
        "audience: ", "audience "))
    result = run_cli("build", ".", cwd=site.root)
    assert result.code == 1
    assert result.err.splitlines() == [
        "content/first.md:10:1: error: 'audience' needs a colon after it: `audience: \"People with MS\"` "
        "[yaml/syntax]",
        "Build failed: 1 error. The previous output was left as it was.",
    ]
