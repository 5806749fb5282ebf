"""site.toml: typed settings, every problem reported with its line, unknown keys hinted."""

from __future__ import annotations

import json
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


# -- base_url: the path every page loads its stylesheet and script from --------------------------------------

def with_base_url(url: str) -> str:
    return MINIMAL_CONFIG.replace('base_url = "https://example.org/info/"', f"base_url = {json.dumps(url)}")


@pytest.mark.parametrize(("url", "problem"), [
    ("https://example.org//evil.com/", "has an empty path segment ('//'), which browsers read as another host"),
    ("https://example.org/a/../b/", "has a '.' or '..' segment in its path"),
    ("https://example.org/a/./b/", "has a '.' or '..' segment in its path"),
    ("https://example.org/a/%2E%2e/", "has a '.' or '..' segment in its path"),
    ("https://example.org/\nUser-agent: *\nDisallow: /", "must not contain spaces, tabs, line breaks or control "
                                                         "characters ('https://example.org/\\x0aUser-agent"),
    ("https://example.org/a\tb/", "must not contain spaces, tabs, line breaks or control characters"),
    ("https://example.org/a\u2028b/", "must not contain spaces, tabs, line breaks or control characters"),
    ("https://example.org/a b/", "must not contain spaces, tabs, line breaks or control characters"),
    ("https://user@evil.com/", "must not contain a user name or password before the host"),
    ("https://example.org:pw@evil.com/", "must not contain a user name or password before the host"),
    ("https:///path", "must name a host, such as example.org, after 'https://'"),
    ("https://exa_mple.org/", "must name a host"),
    ("https:/example.org/", "must be a full http(s) address"),
    ("//example.org/", "must be a full http(s) address"),
    ("javascript:alert(1)", "must be a full http(s) address such as 'https://example.org/patient-info/', not "
                            "'javascript:alert(1)'"),
    ("ftp://example.org/", "must be a full http(s) address"),
    ("https://example.org\\@evil.com/", "must not contain a backslash"),
    ("https://example.org/a%2Fb/", "has an encoded '/' or '\\' (%2F, %5C) in its path"),
    ("https://example.org/%zz/", "has a '%' in its path that does not start an escape"),
    ("https://example.org/a<b/", "has characters in its path that must be percent-encoded"),
    ("https://example.org/info/?page=1", "must not have a query (?) or fragment (#)"),
    ("https://example.org/info/#top", "must not have a query (?) or fragment (#)"),
    ("https://example.org:http/", "has a port that is not a number"),
    ("https://exämple.org/", "must be plain ASCII"),
])
def test_base_url_must_be_a_clean_address(tmp_path, url, problem):
    with pytest.raises(ConfigError) as info:
        load(tmp_path, with_base_url(url))
    (message,) = errors(info.value)
    assert message.startswith(f":3:1: error: 'base_url' {problem}"), message
    assert message.endswith("[config/invalid]")
    assert "\n" not in message and "\t" not in message and "\u2028" not in message


@pytest.mark.parametrize(("url", "path"), [
    ("https://example.org", "/"),
    ("https://example.org/patient-info/", "/patient-info/"),
    ("http://localhost:8000/docs", "/docs/"),
    ("https://[::1]:8080/x/", "/x/"),
    ("https://example.org/caf%C3%A9/", "/caf%C3%A9/"),
    ("https://example.org/a-b_c~d/", "/a-b_c~d/"),
])
def test_clean_base_urls_are_accepted(tmp_path, url, path):
    config, _ = load(tmp_path, with_base_url(url))
    assert config.base_path == path


# -- paths in site.toml stay inside the site folder ------------------------------------------------------------

def with_setting(line: str) -> str:
    return MINIMAL_CONFIG.replace('language = "en-GB"', f'language = "en-GB"\n{line}')


def config_error(tmp_path: Path, line: str) -> str:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, with_setting(line))
    (message,) = errors(info.value)
    return message


@pytest.mark.parametrize("value", ["/tmp/site-out", "../public", "a/../../public", "C:/public", "C:\\public",
                                   "\\\\server\\share", "_site/../../out"])
def test_output_dir_outside_the_site_folder_is_refused_at_its_line(tmp_path, value):
    site = tmp_path / "site"
    site.mkdir()
    message = config_error(site, f"output_dir = {json.dumps(value)}")
    assert message.startswith(":5:1: error: 'output_dir' (")
    assert "--out" in message
    assert message.endswith("[config/outside-site]")


def test_output_dir_through_a_symlink_out_of_the_site_is_refused(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (site / "_site").symlink_to(tmp_path / "elsewhere")
    assert config_error(site, 'output_dir = "_site"') == (
        ":5:1: error: 'output_dir' ('_site') leads outside the site folder; site.toml may only name paths inside "
        "the site folder, outside its hidden folders (to build elsewhere, give the folder on the command line: "
        "--out) [config/outside-site]")
    (site / "deep").symlink_to(tmp_path)
    assert "leads outside the site folder" in config_error(site, 'output_dir = "deep/out"')


@pytest.mark.parametrize(("value", "problem"), [
    (".", "is the site folder itself"),
    ("content/..", "is the site folder itself"),
    ("content", "is the site's content/ folder"),
    ("content/_site", "is inside the site's content/ folder"),
    ("tests", "is the site's tests/ folder"),
    ("tests/_site", "is inside the site's tests/ folder"),
    ("templates/out", "is inside the site's templates/ folder"),
    ("./static", "is the site's static/ folder"),
])
def test_output_dir_must_not_be_a_folder_the_build_reads(tmp_path, value, problem):
    message = config_error(tmp_path, f"output_dir = {json.dumps(value)}")
    assert message.startswith(f":5:1: error: 'output_dir' {problem}"), message
    assert message.endswith("[output/refused]")


def test_output_dir_in_a_hidden_folder_or_with_a_control_character_is_refused(tmp_path):
    assert "leads into a hidden folder of the site (such as .git)" in config_error(tmp_path, 'output_dir = ".git/x"')
    assert config_error(tmp_path, 'output_dir = "a\\nb"') == (
        ":5:1: error: 'output_dir' ('a\\x0ab') contains a control or invisible character [config/outside-site]")


@pytest.mark.parametrize("value", ["_site", "public/html", "build/../_out"])
def test_output_dir_inside_the_site_folder_is_fine(tmp_path, value):
    config, problems = load(tmp_path, with_setting(f"output_dir = {json.dumps(value)}"))
    assert config.output_dir == Path(value)
    assert problems.warnings == []


def test_a_symlink_loop_as_output_dir_is_a_located_error(tmp_path):
    (tmp_path / "loop").symlink_to("loop")
    assert config_error(tmp_path, 'output_dir = "loop/out"') == (
        ":5:1: error: 'output_dir' ('loop/out') is a symlink loop (following it never reaches a file) "
        "[file/link-loop]")


@pytest.mark.parametrize("value", ["../../etc/passwd", "/proc/self/status", "/etc/passwd", "../../../../../etc/hosts",
                                   "C:\\Windows\\win.ini"])
def test_bibliography_outside_the_site_is_refused_without_reading_it(tmp_path, value):
    message = config_error(tmp_path, f"bibliography = [{json.dumps(value)}]")
    assert message.startswith(":5:1: error: 'bibliography[1]' (")
    assert message.endswith("[config/outside-site]")
    assert "root:" not in message and "localhost" not in message  # nothing of the target is quoted


def test_bibliography_through_a_symlink_out_is_refused(tmp_path):
    (tmp_path / "content").mkdir()
    secret = tmp_path.parent / f"{tmp_path.name}-secret.yaml"
    secret.write_text("secret-key:\n  title: Secret\n", encoding="utf-8")
    (tmp_path / "content" / "refs.yaml").symlink_to(secret)
    message = config_error(tmp_path, 'bibliography = ["refs.yaml"]')
    assert message == (":5:1: error: 'bibliography[1]' ('refs.yaml') leads outside the site folder; site.toml may "
                       "only name paths inside the site folder, outside its hidden folders [config/outside-site]")
    assert "secret" not in message


def test_bibliography_anywhere_inside_the_site_is_fine(tmp_path):
    (tmp_path / "shared").mkdir()
    config, _ = load(tmp_path, with_setting('bibliography = ["references.yaml", "../shared/refs.json"]'))
    assert config.bibliography == ("references.yaml", "../shared/refs.json")


def test_every_bad_path_is_reported_in_one_run(tmp_path):
    text = with_setting('output_dir = "/srv/www"\nbibliography = ["/etc/passwd", "ok.yaml", "../../x.yaml"]')
    with pytest.raises(SiteError) as info:
        load(tmp_path, text.replace('base_url = "https://example.org/info/"', 'base_url = "https://a//b/"'))
    found = errors(info.value)
    assert [m.split(" error: ")[1][:20] for m in found] == [
        "'base_url' has an em", "'output_dir' ('/srv/", "'bibliography[1]' ('", "'bibliography[3]' ('"]


def test_messages_never_carry_a_raw_line_break_from_site_toml(tmp_path):
    """A CI log reads each line of output as a possible command ('::set-output'): a value is quoted escaped."""
    text = MINIMAL_CONFIG.replace('phone = "01234 567890"', 'url = "https://x.org/\\n::stop-commands::x"\n'
                                  'email = "a\\n::warning::b"') + '"odd\\nkey" = 1\n'
    with pytest.raises(SiteError) as info:
        load(tmp_path, text)
    problems = Problems()
    messages = [d.message for d in info.value.diagnostics]
    assert len(messages) == 2 and all("\n" not in m and "\\x0a::" in m for m in messages)
    (tmp_path / "site.toml").write_text(MINIMAL_CONFIG + '"odd\\nkey" = 1\n', encoding="utf-8")
    load_config(tmp_path, problems)
    assert [w.message for w in problems.warnings] == ["unknown setting 'organisation.odd\\x0akey'"]
