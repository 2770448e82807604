"""`notice scan`'s comparison of what a browser saw with the cookie list, without a browser.

The browser half is tested against a local site in tests/browser/test_scan.py; here observations
are written by hand so that each rule's edge (names that vary, session cookies, slack, one finding
per cookie) is pinned down.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from notice.cli import main
from notice.durations import DAY
from notice.loader import Content, load_content
from notice.scan import Observation, Phase, Seen, compare
from tests import REPO_ROOT

CONTENT = REPO_ROOT / "content"
URL = "https://www.example.fi/"


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(CONTENT, allow_html=True)


def rules(observation: Observation, content: Content) -> list[tuple[str, int, str]]:
    return [(f.rule_id, f.line, f.message["en"]) for f in compare(observation, content)]


def line(content: Content, *key: str | int) -> int:
    return content.locate("site", key)[1]


def everything(phase: Phase = "accept") -> list[Seen]:
    """Every declared cookie of content/site.yaml, seen once, within its duration."""
    return [
        Seen("cookie_consent", "cookie", "before", URL, 300 * DAY),
        Seen("_ga", "cookie", phase, URL, 399 * DAY),
        Seen("_ga_XYZ123", "cookie", phase, URL, 399 * DAY),
        # The request portal's own cookies (necessary): a session cookie, a year-long one and the
        # staff sign-in device (six months).
        Seen("__Host-session", "cookie", "before", URL),
        Seen("lang", "cookie", "before", URL, 360 * DAY),
        Seen("__Host-seloste-staff-device", "cookie", "before", URL, 180 * DAY),
    ]


def test_a_site_that_keeps_its_word_has_no_findings(content: Content) -> None:
    assert rules(Observation([URL], everything()), content) == []


def test_varying_names_match_their_declared_pattern(content: Content) -> None:
    seen = [*everything(), Seen("_ga_", "cookie", "accept", URL, DAY)]
    found = rules(Observation([URL], seen), content)
    assert [(rule, message.split(" is ")[0]) for rule, _, message in found] == [
        ("scan-undeclared", "cookie _ga_")
    ]
    assert found[0][1] == line(content, "cookies")


def test_analytics_before_consent_or_after_rejecting_is_an_error_once_per_phase(
    content: Content,
) -> None:
    seen = [
        *everything(),
        Seen("_ga", "cookie", "before", URL, DAY),
        Seen("_ga", "cookie", "before", URL + "other/", DAY),
        Seen("_ga", "cookie", "reject", URL, DAY),
    ]
    found = rules(Observation([URL], seen), content)
    assert [rule for rule, _, _ in found] == ["scan-before-consent", "scan-before-consent"]
    assert {number for _, number, _ in found} == {line(content, "cookies", 1, "category")}
    assert "before consent" in found[0][2] + found[1][2]
    assert "after rejecting all" in found[0][2] + found[1][2]


def test_durations_are_compared_with_one_day_of_slack(content: Content) -> None:
    twelve_months = 365 * DAY + DAY // 4
    within = [Seen("cookie_consent", "cookie", "before", URL, twelve_months + DAY), *everything()]
    assert rules(Observation([URL], within), content) == []
    longer = [Seen("cookie_consent", "cookie", "before", URL, twelve_months + 2 * DAY)]
    found = rules(Observation([URL], longer + everything()), content)
    assert found == [
        (
            "scan-duration",
            line(content, "cookies", 0, "duration"),
            "cookie cookie_consent is kept for 367 d but the notice declares 12 months",
        )
    ]


def test_declared_but_unseen_cookies_and_other_hosts_are_reported(content: Content) -> None:
    observation = Observation(
        [URL],
        [Seen("cookie_consent", "cookie", "before", URL, DAY)],
        hosts={"www.googletagmanager.com": URL},
        no_banner=[URL],
    )
    found = compare(observation, content)
    by_rule = {f.rule_id: f for f in found}
    assert set(by_rule) == {"scan-not-seen", "scan-third-party-host", "scan-no-banner"}
    unseen = [f for f in found if f.rule_id == "scan-not-seen"]
    assert [f.line for f in unseen] == [
        line(content, "cookies", i, "name") for i in (1, 2, 3, 4, 5)
    ]
    host = by_rule["scan-third-party-host"]
    assert host.severity == "error" and "www.googletagmanager.com" in host.message["fi"]
    assert by_rule["scan-no-banner"].line == line(content, "consent")
    assert by_rule["scan-not-seen"].severity == "warning"


def test_a_site_of_necessary_cookies_is_not_asked_for_a_banner(tmp_path: Path) -> None:
    """Its build ships no banner (ePrivacy Art 5(3)), so a page without one is as it should be."""
    copy = Path(shutil.copytree(CONTENT, tmp_path / "content"))
    data = yaml.safe_load((copy / "site.yaml").read_text(encoding="utf-8"))
    data["cookies"] = [c for c in data["cookies"] if c["category"] == "necessary"]
    del data["analytics"]
    (copy / "site.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    necessary = load_content(copy, allow_html=True)
    seen = [s for s in everything() if s.phase == "before"]
    assert rules(Observation([URL], seen, no_banner=[URL]), necessary) == []


def test_local_storage_keys_must_be_declared_too(content: Content) -> None:
    seen = [*everything(), Seen("Ωmega-😀", "storage", "before", URL)]
    found = rules(Observation([URL], seen), content)
    assert [message.split(" (")[0] for _, _, message in found] == [
        "local storage item Ωmega-😀 is stored"
    ]


def test_scan_without_playwright_says_in_one_line_what_to_install(tmp_path: Path) -> None:
    # A runtime-only install has no Playwright: a process in which it cannot be imported.
    blocker = tmp_path / "sitecustomize.py"
    blocker.write_text(
        "import sys\nsys.modules['playwright'] = None\nsys.modules['playwright.sync_api'] = None\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "notice.cli", "scan", "--content", str(CONTENT), URL],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{REPO_ROOT}"},
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: `notice scan` needs Playwright, which is not installed; run `make setup-test` "
        "(Playwright and Debian's chromium) and scan again\n"
    )


def test_scan_refuses_bad_content_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "registers").mkdir()
    (tmp_path / "site.yaml").write_text("languages: [fi]\nbase_url: 3\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", "--content", str(tmp_path), URL])
    assert result.exit_code == 1
    assert "site.yaml:" in result.output and "Traceback" not in result.output


def test_names_a_page_chooses_cannot_forge_lines_or_drive_the_terminal(content: Content) -> None:
    forged = "x\ncontent/site.yaml:1: ERROR fake: \x1b[2Jall good\u202e\u200b"
    seen = [*everything(), Seen(forged, "storage", "before", URL + "\r\n")]
    (finding,) = compare(Observation([URL], seen), content)
    line_text = finding.format("en")
    assert "\n" not in line_text and "\x1b" not in line_text and "\u202e" not in line_text
    assert "x\\ncontent/site.yaml:1: ERROR fake: \\x1b[2Jall good\\u202e\\u200b" in line_text


def test_findings_read_in_swedish_and_finnish_with_their_own_words(content: Content) -> None:
    seen = [*everything(), Seen("_ga", "cookie", "reject", URL, DAY)]
    (finding,) = compare(Observation([URL], seen), content)
    assert finding.format("sv").endswith(
        "ERROR scan-before-consent: kakan _ga (analys) lagras efter att allt avvisats "
        "(https://www.example.fi/); endast nödvändiga kakor får det (tips: spärra skriptet "
        'som lagrar den med `type="text/plain" data-category="analytics"`, eller rätta dess '
        "kategori)"
    )
    assert finding.format("fi").endswith(
        "ERROR scan-before-consent: eväste _ga (analytiikka) tallennetaan kaikkien hylkäämisen "
        "jälkeen (https://www.example.fi/); vain välttämättömät evästeet saa (vihje: estä sen "
        'asettava skripti merkinnällä `type="text/plain" data-category="analytics"` tai korjaa '
        "sen luokka)"
    )
