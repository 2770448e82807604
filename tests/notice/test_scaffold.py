"""`notice new` writes a register that loads and that `notice check` walks through, line by line."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from notice.checks import Severity, run_checks
from notice.cli import main
from notice.loader import load_content
from notice.model import LegalBasis
from notice.scaffold import scaffold

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small"
TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(SMALL, root)
    return root


def test_new_register_loads_and_every_todo_is_an_error_at_its_line(content: Path) -> None:
    result = CliRunner().invoke(
        main, ["new", "hakijat", "--content", str(content), "--kind", "applicants"]
    )
    assert result.exit_code == 0, result.output
    path = content / "registers" / "hakijat.yaml"
    register = load_content(content).register("hakijat")
    assert register.name == {"fi": "Työnhakijarekisteri", "en": "Job applicant register"}
    assert [p.bases for p in register.purposes] == [[LegalBasis.contract], [LegalBasis.consent]]
    assert register.purposes[1].withdrawal is not None
    findings = [f for f in run_checks(load_content(content), today=TODAY) if f.owner == "hakijat"]
    lines = path.read_text(encoding="utf-8").splitlines()
    todo_lines = {n for n, line in enumerate(lines, start=1) if '"TODO:' in line}
    placeholder = {(f.line, f.language) for f in findings if f.rule_id == "placeholder"}
    assert placeholder == {(n, lang) for n in todo_lines for lang in ("fi", "en")}
    # Decisions rather than texts are left for their own rules to ask for.
    rules = {f.rule_id for f in findings}
    assert {"E15-automated-decisions", "E09-transfers"} <= rules
    assert all(f.severity is not Severity.info for f in findings if f.rule_id == "placeholder")


def test_new_refuses_to_overwrite_and_bad_ids(content: Path) -> None:
    existing = content / "registers" / "uutiskirje.yaml"
    before = existing.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["new", "uutiskirje", "--content", str(content)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert existing.read_text(encoding="utf-8") == before
    bad = CliRunner().invoke(main, ["new", "Bad Id", "--content", str(content)])
    assert bad.exit_code == 1 and "not a valid id" in bad.output


@pytest.mark.parametrize(
    ("bases", "expected"),
    [
        ([LegalBasis.legitimate_interests], "legitimate_interest:"),
        ([LegalBasis.public_task], "national_law:"),
        ([], "# TODO: give `legal_bases"),
    ],
)
def test_each_basis_asks_for_what_it_needs(bases: list[LegalBasis], expected: str) -> None:
    text = scaffold("r", ["fi", "sv", "en"], bases=bases, today=TODAY)
    assert expected in text
    assert 'sv: "TODO:' in text
