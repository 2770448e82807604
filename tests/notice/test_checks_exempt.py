"""`cookie-tracker-exempt`: no cookie of Google Analytics or a third party passes as necessary,
under the ePrivacy rule or the proposed GDPR Art 88a (`cookie_rules: omnibus_88a`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from notice.checks import run_checks
from notice.loader import load_content
from tests import REPO_ROOT

SMALL = REPO_ROOT / "tests" / "fixtures" / "small"


def content_with(tmp_path: Path, rules: str, category: str) -> Path:
    target = tmp_path / "content"
    shutil.copytree(SMALL, target)
    site_file = target / "site.yaml"
    site = yaml.safe_load(site_file.read_text(encoding="utf-8"))
    site["cookie_rules"] = rules
    for cookie in site["cookies"]:
        if cookie["name"] == "_ga":
            cookie["category"] = category
    site_file.write_text(yaml.safe_dump(site, allow_unicode=True), encoding="utf-8")
    return target


@pytest.mark.parametrize("rules", ["eprivacy", "omnibus_88a"])
def test_google_analytics_declared_necessary_is_an_error(tmp_path: Path, rules: str) -> None:
    findings = run_checks(load_content(content_with(tmp_path, rules, "necessary")))
    found = [f for f in findings if f.rule_id == "cookie-tracker-exempt"]
    assert len(found) == 1
    assert found[0].severity == "error"
    assert found[0].message["fi"].startswith("eväste _ga on merkitty välttämättömäksi")
    assert found[0].message["en"] == (
        "cookie _ga is declared necessary, but Google Analytics and third-party trackers need "
        f"consent under `cookie_rules: {rules}`"
    )


def test_google_analytics_under_analytics_is_no_finding(tmp_path: Path) -> None:
    findings = run_checks(load_content(content_with(tmp_path, "omnibus_88a", "analytics")))
    assert not [f for f in findings if f.rule_id == "cookie-tracker-exempt"]
