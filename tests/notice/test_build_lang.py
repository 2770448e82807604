"""`notice build --lang fi|sv` speaks the author's language as `notice check --lang` does: the
errors that stop it, the line after them, what the checks found and the summary line. A Finnish
author used to get `No such option: --lang` and English only (found by a newcomer)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from notice.cli import main
from tests import REPO_ROOT
from tests.notice.added_findings import add_findings, an_error


def build(content: Path, out: Path, lang: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main,
        ["build", "--content", str(content), "--out", str(out), "--no-pdf", "--lang", lang],
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(REPO_ROOT / "content", tmp_path / "content"))


@pytest.mark.parametrize(
    ("lang", "summary", "found"),
    [
        ("fi", "tiedostoa kirjoitettu, 0 ennallaan", "tarkistusten tulos: 2 varoitusta; "),
        ("sv", "filer skrivna, 0 oförändrade", "kontrollerna hittade 2 varningar; "),
        ("en", "files written, 0 unchanged", "the checks found 2 warnings; "),
    ],
)
def test_a_build_says_what_it_did_and_found_in_the_authors_language(
    content: Path, tmp_path: Path, lang: str, summary: str, found: str
) -> None:
    code, stdout, stderr = build(content, tmp_path / "site", lang)
    assert code == 0, stderr
    assert summary in stdout
    assert stderr.startswith(found)


@pytest.mark.parametrize(
    ("lang", "closing"),
    [
        ("fi", "Sisällössä on 1 virhe; mitään ei kirjoitettu."),
        ("sv", "Innehållet har 1 fel; ingenting har skrivits."),
        ("en", "1 error in content; nothing was written."),
    ],
)
def test_content_that_does_not_load_is_told_in_the_authors_language(
    content: Path, tmp_path: Path, lang: str, closing: str
) -> None:
    register = content / "registers" / "asiakasrekisteri.yaml"
    text = register.read_text("utf-8")
    assert len(re.findall(r"^prepared: .*$", text, flags=re.M)) == 1
    register.write_text(re.sub(r"^prepared: .*$", "prepared: 3.1.2026", text, flags=re.M))
    code, _, stderr = build(content, tmp_path / "site", lang)
    assert code == 1
    assert stderr.splitlines()[-1] == closing
    assert "3.1.2026" in stderr.splitlines()[-2]
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    ("lang", "closing"),
    [
        ("fi", "Tarkistusten tulos: 1 virhe; mitään ei kirjoitettu. Korjaa virheet tai julkaise"),
        ("sv", "Kontrollerna hittade 1 fel; ingenting har skrivits. Rätta felen, eller publicera"),
        ("en", "1 error found by the checks; nothing was written. Fix them, or publish anyway"),
    ],
)
def test_errors_the_checks_find_are_told_in_the_authors_language(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, closing: str
) -> None:
    text = {"en": "no basis", "fi": "ei perustetta", "sv": "ingen grund"}
    hint = {"en": "add one", "fi": "lisää se", "sv": "lägg till den"}
    add_findings(monkeypatch, an_error(text, hint=hint))
    code, _, stderr = build(content, tmp_path / "site", lang)
    assert code == 1
    word = {"en": "hint", "fi": "vihje", "sv": "tips"}[lang]
    assert f"ERROR test-rule: {text[lang]} ({word}: {hint[lang]})" in stderr
    assert stderr.splitlines()[-1].startswith(closing)
    assert not (tmp_path / "site").exists()
