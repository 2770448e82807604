"""Hostile site.yaml values against the banner's generated files (issue 18).

Values that could end an attribute, a tag or a script are refused when the content loads, at their
line; texts that may legitimately hold quotes, `</script>` or U+2028 go through the serializers and
come back unchanged from the generated `cookieconsent-config.js`, executed by Node.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from notice import banner
from notice.cli import main
from tests.notice.test_banner import FIXTURE, cookie, run_config, site_of

HOSTILE = '"></script><script>alert(1)</script>'


def _content_with(tmp_path: Path, old: str, new: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    site = content / "site.yaml"
    text = site.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    site.write_text(text.replace(old, new), encoding="utf-8")
    return content


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  measurement_id: G-ABC123XYZ\n",
            f"  measurement_id: 'G-ABC{HOSTILE}'\n",
            "site.yaml:73: analytics.measurement_id: 'G-ABC\"></script><script>alert(1)</script>'"
            " is not a Google Analytics 4 measurement ID; it is `G-` followed by capital letters"
            " and digits, e.g. G-ABC123XYZ (Admin → Data streams)",
        ),
        (
            "  measurement_id: G-ABC123XYZ\n",
            "  measurement_id: UA-12345-1\n",
            "site.yaml:73: analytics.measurement_id: 'UA-12345-1' is not a Google Analytics 4",
        ),
        (
            "base_url: https://example.fi/tietosuoja/\n",
            f"base_url: 'https://example.fi/{HOSTILE}'\n",
            "site.yaml:3: base_url: 'https://example.fi/\"></script><script>alert(1)</script>' is"
            ' not a web address; " < > cannot appear in one (percent-encode it, e.g. %22 for ")',
        ),
        (
            "base_url: https://example.fi/tietosuoja/\n",
            'base_url: "https://example.fi/\\u200btietosuoja/"\n',
            "site.yaml:3: base_url: 'https://example.fi/\\u200btietosuoja/' is not a web address;"
            " it contains a space, control or invisible character",
        ),
        (
            "  - name: _ga\n",
            '  - name: "a<x>\\nb"\n',
            "site.yaml:44: cookies.1.name: 'a<x>\\nb' is not a cookie name: it contains '\\n';"
            " a name is letters, digits and !#$%&'*+-.^_`|~ (RFC 6265), with `<placeholder>` or"
            " `*` for a varying part",
        ),
        (
            "  - name: _ga\n",
            f"  - name: '_ga{HOSTILE}'\n",
            "site.yaml:44: cookies.1.name: '_ga\"></script><script>alert(1)</script>' is not a"
            " cookie name: it contains '\"'",
        ),
    ],
)
def test_a_hostile_value_stops_the_build_at_its_line(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    content = _content_with(tmp_path, old, new)
    out = tmp_path / "site"
    result = CliRunner().invoke(
        main, ["build", "--content", str(content), "--out", str(out), "--no-pdf"]
    )
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit | None)
    assert "Traceback" not in result.output
    lines = [line.removeprefix(str(content) + "/") for line in result.output.splitlines()]
    assert any(line.startswith(expected) for line in lines), result.output
    assert not (out / banner.SNIPPET_PATH).exists()
    assert not (out / banner.CONFIG_PATH).exists()


TRICKY = 'He said "hi" \\ </script><script>alert(1)</script> <!-- a\u2028b\u2029c & d'


def test_hostile_but_valid_texts_round_trip_through_the_config(tmp_path: Path) -> None:
    provider = "</script><b>Ω & Co</b>"
    site = site_of(
        controller={**site_of().controller.model_dump(mode="json", exclude_none=True)}
        | {"name": "Evil */ </script> Oy\u2028"},
        cookies=[
            cookie(
                "x|y'*",
                "marketing",
                provider=provider,
                purpose={"fi": TRICKY, "en": TRICKY},
            )
        ],
    )
    config = banner.config_js(site)
    # Nothing in the file can end a <script> or a string where the file is inlined into a page.
    assert not re.search("[<>&\u2028\u2029]", config)
    result = run_config(site, tmp_path, accepted=[])
    assert result["runs"] == 1
    options = result["options"]
    section = next(
        s
        for s in options["language"]["translations"]["fi"]["preferencesModal"]["sections"]
        if s.get("linkedCategory") == "marketing"
    )
    row = section["cookieTable"]["body"][0]
    assert BeautifulSoup(row["purpose"], "html.parser").get_text() == TRICKY
    assert BeautifulSoup(row["provider"], "html.parser").get_text() == provider
    assert BeautifulSoup(row["name"], "html.parser").get_text() == "x|y'*"
    assert options["categories"]["marketing"]["autoClear"]["cookies"] == [
        {"name": {"regex": "^x\\|y'.+$"}}
    ]


def test_a_regex_literal_escapes_what_could_end_it() -> None:
    assert banner.js_regex("^a/b$") == "/^a\\u002fb$/"
    assert banner.js_regex("^a\\<b\n$") == "/^a\\u003cb\\u000a$/"
    assert banner.js_regex("^\U0001f600$") == "/^\\ud83d\\ude00$/"
    assert banner.js_regex("^_ga_.+$") == "/^_ga_.+$/"


def test_the_snippet_escapes_every_attribute() -> None:
    # A `&` in a valid address is written `&amp;` in the attribute and read back as `&`.
    site = site_of(base_url="https://example.fi/a?x=1&y='2'")
    html = banner.snippet(site)
    assert "&y='2'" not in html
    parsed = BeautifulSoup(html, "html.parser")
    hrefs = [link["href"] for link in parsed.find_all("link")]
    assert hrefs[0] == "https://example.fi/a?x=1&y='2'/consent/cookieconsent.css"
    google = parsed.find("script", attrs={"data-service": "google-analytics"})
    assert google["data-src"] == "https://www.googletagmanager.com/gtag/js?id=G-ABC123XYZ"
