"""site.toml: typed settings, every problem reported with its line, unknown keys hinted."""

from __future__ import annotations

from pathlib import Path

import pytest

from carepages.config import load_config
from carepages.errors import ConfigError, Problems, SiteError

from .sitekit import MINIMAL_CONFIG


def load(tmp_path: Path, text: str) -> tuple[object, Problems]:
    (tmp_path / "site.toml").write_text(text, encoding="utf-8")
    problems = Problems()
    return load_config(tmp_path, problems), problems


def errors(exc: SiteError) -> list[str]:
    return [d.format(relative_to=None).split("site.toml", 1)[1] for d in exc.diagnostics]


def test_minimal_config_has_sensible_defaults(tmp_path):
    config, problems = load(tmp_path, MINIMAL_CONFIG)
    assert config.title == "Test Health Site"
    assert config.base_path == "/info/"
    assert config.output_dir == Path("_site")
    assert config.raw_html is False
    assert config.review_interval_months == 12
    assert problems.warnings == []


def test_base_url_gets_a_trailing_slash(tmp_path):
    config, _ = load(tmp_path, MINIMAL_CONFIG.replace("https://example.org/info/", "https://example.org/info"))
    assert config.base_url == "https://example.org/info/"


def test_every_wrong_setting_is_reported_with_its_line(tmp_path):
    text = 'raw_html = "yes"\nreview_interval_months = 0\n' + MINIMAL_CONFIG.replace(
        'base_url = "https://example.org/info/"', 'base_url = "example.org"').replace(
        'language = "en-GB"', 'language = "English (UK)"')
    with pytest.raises(SiteError) as info:
        load(tmp_path, text)
    assert errors(info.value) == [
        ":1:1: error: 'raw_html' must be true or false, not text [config/invalid]",
        ":2:1: error: 'review_interval_months' must be between 1 and 60, not 0 [config/invalid]",
        ":5:1: error: 'base_url' must be a full http(s) address such as 'https://example.org/patient-info/', "
        "not 'example.org' [config/invalid]",
        ":6:1: error: 'language' must be a language tag such as 'en' or 'en-GB', not 'English (UK)' [config/invalid]",
    ]


def test_missing_required_settings(tmp_path):
    with pytest.raises(SiteError) as info:
        load(tmp_path, 'title = "Only a title"\n')
    text = "\n".join(errors(info.value))
    for name in ("base_url", "disclaimer", "emergency", "[organisation]"):
        assert name in text


def test_unknown_keys_warn_with_a_hint_and_line(tmp_path):
    _, problems = load(tmp_path, 'tagine = "x"\n' + MINIMAL_CONFIG + '\n[organisation2]\nname = "x"\n')
    found = [d.format().split("site.toml", 1)[1] for d in problems.sorted_warnings()]
    assert found == [
        ":1:1: warning: unknown setting 'tagine' (did you mean 'tagline'?) [config/unknown-key]",
        ":13:1: warning: unknown setting 'organisation2' (did you mean 'organisation'?) [config/unknown-key]",
    ]


def test_unknown_key_inside_a_table(tmp_path):
    _, problems = load(tmp_path, MINIMAL_CONFIG + 'emial = "a@b.c"\n')
    assert [d.message for d in problems.warnings] == [
        "unknown setting 'organisation.emial' (did you mean 'email'?)"]
    assert problems.warnings[0].location.line == 11


def test_toml_syntax_error_has_line_and_column(tmp_path):
    with pytest.raises(ConfigError) as info:
        load(tmp_path, MINIMAL_CONFIG + "broken = \n")
    assert errors(info.value) == [":11:10: error: invalid TOML: Invalid value [config/syntax]"]


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match=r"site\.toml not found"):
        load_config(tmp_path, Problems())


def test_nav_and_topics(tmp_path):
    config, _ = load(tmp_path, MINIMAL_CONFIG + '\n[[nav]]\ntitle = "FAQ"\nurl = "/faq/"\n\n[[topics]]\n'
                                                'name = "Spine MRI"\ndescription = "Scans."\n')
    assert config.nav[0].title == "FAQ"
    assert config.nav[0].location.line == 14  # the line of its url
    assert config.topics[0].slug == "spine-mri"


def test_two_topics_with_the_same_address(tmp_path):
    text = MINIMAL_CONFIG + '\n[[topics]]\nname = "Spine MRI"\n\n[[topics]]\nname = "Spine: MRI"\n'
    with pytest.raises(ConfigError, match=r"topic 'Spine: MRI' has the same address \(/topics/spine-mri/\)"):
        load(tmp_path, text)
