"""A site.yaml that is not valid YAML does not hide what is wrong in the registers.

The registers are read and validated in the same run; their texts are checked for every
language the `languages:` lines of the broken site.yaml declare (they parse alone), so a missing
translation is reported beside the YAML error, not only after that error is fixed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from notice.cli import main
from tests import REPO_ROOT

MISSING_SV = (
    "      sv: Att fullgöra lagstadgade skyldigheter som gäller bokföring och beskattning.\n"
)


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SELOSTE_CACHE_DIR", str(tmp_path / "cache-home"))
    folder = Path(shutil.copytree(REPO_ROOT / "content", tmp_path / "content"))
    customers = folder / "registers" / "asiakasrekisteri.yaml"
    text = customers.read_text("utf-8")
    assert MISSING_SV in text
    customers.write_text(text.replace(MISSING_SV, "", 1), "utf-8")
    site = folder / "site.yaml"
    text = site.read_text("utf-8")
    assert "\nbase_url: https://" in text
    site.write_text(text.replace("\nbase_url: https://", "\nbase_url: [https://", 1), "utf-8")
    return folder


def check(content: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["check", "--content", str(content), "--no-cache", *args])


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": " in line]


def test_the_yaml_error_and_the_registers_missing_translation_in_one_run(content: Path) -> None:
    result = check(content)
    assert result.exit_code == 1
    lines = error_lines(result)
    customers = content / "registers" / "asiakasrekisteri.yaml"
    line = customers.read_text("utf-8").splitlines().index("  - id: bookkeeping") + 2
    assert f"{customers}:{line}: purposes.1.description: missing translation for language 'sv'" in (
        lines
    )
    site = content / "site.yaml"
    at = site.read_text("utf-8").index("base_url: [https://")
    line = site.read_text("utf-8").count("\n", 0, at) + 1
    where = f"{site}:{line}: base_url:"
    assert f"{where} the '[' on this line is not closed: add ']' after its last item" in lines
    assert result.stderr.splitlines()[-1] == "2 errors in content."
    finnish = check(content, "--lang", "fi").stderr
    assert "purposes.1.description: käännös kielelle 'sv' puuttuu" in finnish


def test_a_block_list_of_languages_is_read_too(content: Path) -> None:
    site = content / "site.yaml"
    text = site.read_text("utf-8").replace(
        "\nlanguages: [fi, sv, en]\n", "\nlanguages:\n  - fi\n  # Swedish later\n  - en\n", 1
    )
    site.write_text(text, "utf-8")
    # fi and en only: the registers' Swedish texts are the unknown language, said once a file.
    lines = error_lines(check(content))
    assert not any("missing translation" in x for x in lines)
    unknown = [x for x in lines if "unknown language 'sv'" in x]
    assert len(unknown) == 2, lines
    assert all("site.yaml declares fi, en" in x for x in unknown)


def test_a_broken_languages_line_leaves_translations_unchecked(content: Path) -> None:
    site = content / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("languages: [fi, sv, en]", "languages: [fi"))
    lines = error_lines(check(content))
    assert not any("missing translation" in x for x in lines)
    assert any(x.startswith(f"{site}:") for x in lines)
