"""E23-ga4-session-cookie: a GA4 cookie list names the `_ga_<id>` cookie of its measurement id.

Google Analytics 4 sets `_ga` and `_ga_<id>`, the second named after the measurement id
(`G-ABC1234` sets `_ga_ABC1234`). A list that declares GA but not that cookie, or names another
property's, misleads the visitor and `notice scan`; the hint names the cookie to add.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from notice.checks import Finding, run_checks
from notice.loader import load_content
from tests.notice.fixtures_checks import SITE, TODAY, build, write_content

RULE = "E23-ga4-session-cookie"
GA = SITE["cookies"][0]


def _findings(tmp_path: Path, measurement_id: str | None, names: list[str]) -> list[Finding]:
    def edit(site: dict[str, Any], register: dict[str, Any]) -> None:
        if measurement_id is not None:
            site["analytics"]["measurement_id"] = measurement_id
        site["cookies"] = [{**GA, "name": name} for name in names]

    site, register = build(edit)
    content = load_content(write_content(tmp_path, site, [register]), allow_html=True)
    findings = run_checks(content, today=dt.date.fromisoformat(TODAY))
    return [finding for finding in findings if finding.rule_id == RULE]


def test_a_list_with_only_ga_is_told_the_cookie_to_add(tmp_path: Path) -> None:
    (finding,) = _findings(tmp_path, "G-7QX2K9LMNB", ["_ga"])
    assert finding.severity.value == "warning"
    line = finding.format()
    assert "sets the cookie `_ga_7QX2K9LMNB`, but the cookie list does not name it" in line
    assert "(hint: add `_ga_7QX2K9LMNB` to `cookies` beside `_ga`" in line
    assert "lisää `_ga_7QX2K9LMNB` `cookies`-luetteloon" in finding.format("fi")
    assert "lägg till `_ga_7QX2K9LMNB` i `cookies`" in finding.format("sv")
    # It points at the `_ga` entry, where the missing one belongs.
    assert finding.key_path == ("cookies", 0)


def test_another_measurement_ids_cookie_is_named_in_the_warning(tmp_path: Path) -> None:
    (finding,) = _findings(tmp_path, "G-7QX2K9LMNB", ["_ga", "_ga_OLD4242"])
    assert finding.key_path == ("cookies", 1, "name")
    assert finding.message["en"].endswith(
        "the cookie list names `_ga_OLD4242`, the cookie of another measurement id"
    )
    assert "`_ga_OLD4242`" in finding.message["fi"] and "`_ga_OLD4242`" in finding.message["sv"]
    assert "add `_ga_7QX2K9LMNB`" in finding.hint["en"]


@pytest.mark.parametrize(
    "names",
    [
        ["_ga", "_ga_7QX2K9LMNB"],
        ["_ga", "_ga_<container-id>"],
        ["_ga", "_ga_*"],
        ["_ga", "_ga_OLD4242", "_ga_7QX2K9LMNB"],  # two properties, ours among them
    ],
)
def test_the_declared_cookie_or_its_pattern_is_enough(tmp_path: Path, names: list[str]) -> None:
    assert _findings(tmp_path, "G-7QX2K9LMNB", names) == []


def test_without_a_measurement_id_the_name_cannot_be_known(tmp_path: Path) -> None:
    assert _findings(tmp_path, None, ["_ga"]) == []
