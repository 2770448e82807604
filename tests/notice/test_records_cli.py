"""`notice records`: where it writes, what it says, what it refuses (exit codes, no traceback)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from notice.build import build_site
from notice.cli import main
from notice.loader import load_content
from notice.records import COLUMNS, activities
from tests import REPO_ROOT
from tests.notice.records_content import REGISTER, SITE, write_content

CONTENT = REPO_ROOT / "content"
SMALL = REPO_ROOT / "tests" / "fixtures" / "small"


def records(*args: str) -> Result:
    return CliRunner().invoke(main, ["records", *args])


def test_default_output_is_outside_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = records("--content", str(CONTENT), "--format", "csv")
    assert result.exit_code == 0, result.output
    written = tmp_path / "records" / "records-of-processing-fi.csv"
    assert written.is_file()
    count = len(activities(load_content(CONTENT)))
    assert result.output.startswith(
        f"wrote the records of processing ({count} activities, csv, fi)"
    )
    assert "records/records-of-processing-fi.csv" in result.output
    assert "not part of the site" in result.output
    text = written.read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))  # fi: Finnish Excel's separator
    assert len(table) == 1 + count
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("xlsx", "xlsx"), ("json", "jsonld"), ("html", "html")]
)
def test_each_format_has_its_extension(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, suffix: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = records("--content", str(CONTENT), "--format", fmt, "--lang", "sv")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "records" / f"records-of-processing-sv.{suffix}").stat().st_size > 0


def test_out_names_the_file(tmp_path: Path) -> None:
    out = tmp_path / "private" / "art30 ä.xlsx"
    result = records("--content", str(CONTENT), "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"
    assert str(out) in result.output
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left


def test_refuses_the_default_site_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = records("--content", str(CONTENT), "--out", "site/records.csv", "--format", "csv")
    assert result.exit_code == 1
    assert "inside the site folder site" in result.output
    assert "nothing was written" in result.output
    assert not (tmp_path / "site").exists()


def test_refuses_a_built_site(tmp_path: Path) -> None:
    built = tmp_path / "public"  # not named `site`: known by what `notice build` recorded
    build_site(SMALL, built, pdf=False)
    out = built / "fi" / "records.html"
    result = records("--content", str(CONTENT), "--format", "html", "--out", str(out))
    assert result.exit_code == 1
    assert f"inside the built notice site {built}" in result.output
    assert not out.exists()
    beside = tmp_path / "internal" / "records.html"
    assert (
        records("--content", str(CONTENT), "--format", "html", "--out", str(beside)).exit_code == 0
    )


def test_refuses_a_site_whose_cache_is_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = tmp_path / "www"
    build_site(SMALL, built, pdf=False, cache_dir=tmp_path / "somewhere-else")
    monkeypatch.setenv("SELOSTE_CACHE_DIR", str(tmp_path / "another-cache"))
    out = built / "records.csv"
    result = records("--content", str(CONTENT), "--format", "csv", "--out", str(out))
    assert result.exit_code == 1
    assert f"inside the built notice site {built}" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("fmt", "where", "message"),
    [
        ("csv", "content/records.csv", "inside the content folder"),
    ],
)
def test_refusals_write_nothing(tmp_path: Path, fmt: str, where: str, message: str) -> None:
    content = write_content(tmp_path / "content")
    out = tmp_path / where
    result = records("--content", str(content), "--format", fmt, "--out", str(out))
    assert result.exit_code == 1
    assert message in result.output and "nothing was written" in result.output
    assert not out.exists()


def test_bad_format_is_a_usage_error() -> None:
    result = records("--content", str(CONTENT), "--format", "docx")
    assert result.exit_code == 2
    assert "Invalid value for '--format': 'docx' is not one of" in result.output


def test_bad_content_is_reported_by_file_and_line(tmp_path: Path) -> None:
    broken = {
        **REGISTER,
        "purposes": [{"description": {"sv": "x", "en": "y"}, "legal_basis": "hunch"}],
    }
    content = write_content(tmp_path / "content", SITE, broken)
    command = [sys.executable, "-m", "notice.cli", "records", "--content", str(content)]
    command += ["--out", str(tmp_path / "r.csv"), "--format", "csv"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, check=False)
    assert result.returncode == 1
    register = content / "registers" / "kundregister.yaml"
    lines = register.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if "hunch" in text)
    assert f"{register}:{line}: purposes.0.legal_basis:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "r.csv").exists()


@pytest.mark.parametrize(
    ("lang", "option", "separator"),
    [
        ("fi", [], ";"),
        ("sv", [], ";"),
        ("en", [], ","),
        ("fi", ["--csv-delimiter", "comma"], ","),
        ("en", ["--csv-delimiter", "semicolon"], ";"),
    ],
)
def test_csv_separator_is_the_one_excel_splits_on_in_that_language(
    tmp_path: Path, lang: str, option: list[str], separator: str
) -> None:
    """Finnish and Swedish Excel split a CSV on `;` (`,` is the decimal comma there)."""
    out = tmp_path / "r.csv"
    command = ["--content", str(CONTENT), "--format", "csv", "--lang", lang, "--out", str(out)]
    result = records(*command, *option)
    assert result.exit_code == 0, result.output
    header = out.read_text(encoding="utf-8-sig").split("\r\n", 1)[0]
    table = list(csv.reader(io.StringIO(header), delimiter=separator))
    first = {"fi": "Käsittelytoimi", "sv": "Behandling", "en": "Activity"}
    assert len(table[0]) == len(COLUMNS) and table[0][0] == first[lang]
