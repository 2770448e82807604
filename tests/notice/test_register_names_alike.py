"""Two registers with the same name in one language get a warning naming both and the language.

The rule compares registers with each other, so it runs after the per-register checks, over the
whole content: the cache keeps each register's own findings, and a rename in one file clears
(or raises) the warning at the other file too, whose cached findings are reused.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import notice.checks
from notice.cli import main
from tests import REPO_ROOT

TODAY = "2026-12-06"
RULE = "register-names-alike"
SWEDISH_NAME = "  sv: Behandling av dataskyddsbegäranden\n"


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SELOSTE_CACHE_DIR", str(tmp_path / "cache-home"))
    folder = Path(shutil.copytree(REPO_ROOT / "content", tmp_path / "content"))
    requests = folder / "registers" / "tietosuojapyynnot.yaml"
    text = requests.read_text("utf-8")
    assert SWEDISH_NAME in text
    # Alike in Swedish only (case and spacing aside): "Kundregister" is the customer register's.
    requests.write_text(text.replace(SWEDISH_NAME, "  sv: kundregister \n"), "utf-8")
    return folder


def check(content: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["check", "--content", str(content), "--today", TODAY, *args])


def _lines(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if f" {RULE}: " in line]


def _line_of(path: Path, text: str) -> int:
    return path.read_text("utf-8").splitlines().index(text) + 1


def test_registers_named_alike_in_one_language_are_named_with_that_language(
    content: Path,
) -> None:
    result = check(content)
    assert result.exit_code == 0, result.output  # a warning
    customers = content / "registers" / "asiakasrekisteri.yaml"
    requests = content / "registers" / "tietosuojapyynnot.yaml"
    both = "registers 'asiakasrekisteri' and 'tietosuojapyynnot' have the same name"
    tail = "a reader cannot tell their notices apart (hint: give each register a name of its own"
    customers_line = _line_of(
        customers, "name: {fi: Asiakasrekisteri, sv: Kundregister, en: Customer register}"
    )
    requests_line = _line_of(requests, "  sv: kundregister ")
    assert _lines(result) == [
        f"{customers}:{customers_line}: "
        f'WARNING {RULE}: [sv] {both}, "Kundregister": {tail} in every language (`name`))',
        f"{requests}:{requests_line}: "
        f'WARNING {RULE}: [sv] {both}, "kundregister": {tail} in every language (`name`))',
    ]
    finnish = _lines(check(content, "--lang", "fi"))
    assert "[sv] rekistereillä 'asiakasrekisteri' ja 'tietosuojapyynnot' on sama nimi" in finnish[0]
    found = json.loads(check(content, "--format", "json").output)["findings"]
    alike = [f for f in found if f["rule_id"] == RULE]
    assert [(f["owner"], f["language"], f["key"]) for f in alike] == [
        ("asiakasrekisteri", "sv", "name.sv"),
        ("tietosuojapyynnot", "sv", "name.sv"),
    ]


def test_a_rename_in_one_file_clears_the_warning_at_both_while_the_cache_is_used(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(_lines(check(content))) == 2  # fills the cache
    runs: list[list[str]] = []
    original = notice.checks.run_checks

    def spy(part, **kwargs):  # type: ignore[no-untyped-def]
        runs.append(sorted(register.id for register in part.registers))
        return original(part, **kwargs)

    monkeypatch.setattr(notice.checks, "run_checks", spy)
    requests = content / "registers" / "tietosuojapyynnot.yaml"
    text = requests.read_text("utf-8")
    requests.write_text(text.replace("  sv: kundregister \n", SWEDISH_NAME), "utf-8")
    assert _lines(check(content)) == []
    assert runs == [["tietosuojapyynnot"]], "only the edited register was checked again"
    assert _lines(check(content)) == []  # nothing kept in the cache brings it back
    requests.write_text(text, "utf-8")
    assert len(_lines(check(content))) == 2
    assert _lines(check(content)) == _lines(check(content, "--no-cache"))
