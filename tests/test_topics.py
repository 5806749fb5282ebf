"""Topics are known by their normalised name; a name close to another one is warned about where it is
introduced, unless site.toml lists both."""

from __future__ import annotations

import pytest

from carepages.pipeline import load_site

from .sitekit import MINIMAL_CONFIG, article


def _warnings(site) -> list[str]:
    return [d.format(site.root) for d in load_site(site.root).warnings if d.rule.startswith("topics/")]


def test_case_and_spacing_make_one_topic(site):
    site.write("content/first.md", article("First", topics="[Spine MRI]"))
    site.write("content/second.md", article("Second", topics="['spine  mri']"))
    site.write("content/third.md", article("Third", topics="[SPINE MRI, Spine-MRI]"))
    assert _warnings(site) == []
    site.build()
    topic = site.html("topics/spine-mri/")
    assert topic.count('class="teaser-title"') == 3
    assert [p.name for p in (site.out / "topics").iterdir() if p.is_dir()] == ["spine-mri"]


@pytest.mark.parametrize(("first", "second", "col"), [
    ("MRI", "mri scans", 10), ("MRI scan", "scans, MRI", 10), ("Diagnosis", "Diagnoses", 10),
    ("Tumour", "Tumor", 10), ("Lumbar puncture", "puncture", 10)])
def test_a_near_duplicate_topic_is_warned_about_where_it_is_introduced(site, first, second, col):
    site.write("content/first.md", article("First", topics=f"[{first}]"))
    site.write("content/second.md", article("Second", topics=f"[Other, '{second}']"))
    assert _warnings(site) == [
        f"content/second.md:6:{col + 7}: warning: topic '{second}' is very like the topic '{first}' "
        "(content/first.md:6:10): if they are one subject, use one name; if not, list both in site.toml's "
        "[[topics]] [topics/near-duplicate]"]


@pytest.mark.parametrize(("first", "second"), [
    ("Spine MRI", "Brain MRI"), ("Brain", "Drain"), ("Diagnosis", "Monitoring"), ("MS", "MRI"),
    ("Relapse", "Relapsing MS"), ("Nerves", "Nurses")])
def test_different_subjects_are_not_near_duplicates(site, first, second):
    site.write("content/first.md", article("First", topics=f"[{first}]"))
    site.write("content/second.md", article("Second", topics=f"[{second}]"))
    assert _warnings(site) == []


def test_a_topic_near_a_listed_one_is_unknown_with_the_listed_name_as_the_hint(site):
    site.write("site.toml", MINIMAL_CONFIG + '\n[[topics]]\nname = "MRI"\n\n[[topics]]\nname = "MRI scans"\n')
    site.write("content/first.md", article("First", topics="[MRI, MRI scans]"))  # both listed: no warning
    site.write("content/second.md", article("Second", topics="[mri scan]"))  # 'mri-scan' is not 'mri-scans'
    assert _warnings(site) == [
        "content/second.md:6:10: warning: topic 'mri scan' is not one of the topics in site.toml "
        "(did you mean 'MRI scans'?) [topics/unknown]"]
