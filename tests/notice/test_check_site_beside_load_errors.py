"""`notice check` with a register that does not load still reports site.yaml's own findings.

The load error stops that register's checks, not the site's: its warnings and the summary (with
the registers that were checked) come out beside the error, in text and in JSON. The text
summary counts the load error too and names the register file it left unchecked. When site.yaml
itself does not load, only the load errors are reported, as before.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from notice.cli import main
from tests import REPO_ROOT

TODAY = "2026-12-06"


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SELOSTE_CACHE_DIR", str(tmp_path / "cache-home"))
    folder = Path(shutil.copytree(REPO_ROOT / "content", tmp_path / "content"))
    requests = folder / "registers" / "tietosuojapyynnot.yaml"
    text = requests.read_text("utf-8")
    assert "\nretention:\n" in text
    requests.write_text(text.replace("\nretention:\n", "\nretention_typo:\n", 1), "utf-8")
    return folder


def check(content: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["check", "--content", str(content), "--today", TODAY, *args])


def test_the_site_warnings_and_summary_stay_beside_a_register_load_error(content: Path) -> None:
    result = check(content, "--no-cache")
    assert result.exit_code == 1
    site = content / "site.yaml"
    assert [
        line.split(": ", 2)[1] for line in result.stdout.splitlines() if ": WARNING" in line
    ] == [
        "WARNING E01-business-id",
        "WARNING E01-postal-address",
    ]
    assert all(
        line.startswith(f"{site}:") for line in result.stdout.splitlines() if "WARNING" in line
    )
    # The summary counts the load error (on stderr) and names the register it kept unchecked.
    requests = content / "registers" / "tietosuojapyynnot.yaml"
    assert result.stdout.splitlines()[-1] == (
        "1 error, 2 warnings; checked site.yaml and 1 register; "
        f"not checked (did not load): {requests}"
    )
    # The line of the key as the file has it (the shipped register changes; 157 went stale).
    line = requests.read_text("utf-8").splitlines().index("retention_typo:") + 1
    assert f"{requests}:{line}: retention_typo: unknown key (did you mean 'retention'?)" in (
        result.stderr.splitlines()
    )
    # The same with the cache in use, and in Finnish and Swedish.
    assert check(content).stdout == result.stdout
    finnish = check(content, "--lang", "fi").stdout.splitlines()[-1]
    assert finnish == (
        "1 virhe, 2 varoitusta; tarkistettu site.yaml ja 1 rekisteri; "
        f"ei tarkistettu (ei latautunut): {requests}"
    )
    swedish = check(content, "--lang", "sv").stdout.splitlines()[-1]
    assert swedish == (
        "1 fel, 2 varningar; kontrollerade site.yaml och 1 register; "
        f"inte kontrollerat (kunde inte läsas in): {requests}"
    )


def test_the_json_report_keeps_its_shape(content: Path) -> None:
    report = json.loads(check(content, "--format", "json").stdout)
    found = [(f["rule_id"], f["owner"]) for f in report["findings"]]
    assert found == [
        ("load-error", "tietosuojapyynnot"),
        ("E01-business-id", "site"),
        ("E01-postal-address", "site"),
    ]
    assert report["summary"] == {"error": 1, "warning": 2, "info": 0, "registers": 1}


def test_a_site_that_does_not_load_reports_only_its_errors(content: Path) -> None:
    site = content / "site.yaml"
    site.write_text(
        site.read_text("utf-8").replace("controller:\n", "controller:\n  bogus: 1\n", 1)
    )
    result = check(content, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert {f["rule_id"] for f in report["findings"]} == {"load-error"}
    assert report["summary"] == {"error": 2, "warning": 0, "info": 0}
