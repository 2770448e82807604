"""`notice check` and `notice build` agree: the same findings, severities and exit codes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from notice.cli import main
from tests import REPO_ROOT

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "small"
NEWSLETTER = "registers/uutiskirje.yaml"


def _replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        file = root / path
        text = file.read_text("utf-8")
        assert old in text
        file.write_text(text.replace(old, new, 1), "utf-8")

    return edit


def _latin1(root: Path) -> None:
    file = root / NEWSLETTER
    file.write_bytes(file.read_text("utf-8").encode("latin-1"))


# name: (edit, expected exit code, a line both must report or None)
CASES: dict[str, tuple[Callable[[Path], None], int, str | None]] = {
    "clean": (lambda root: None, 0, None),
    "duplicate slug": (
        _replace(NEWSLETTER, "  fi: uutiskirje\n", "  fi: asiakasrekisteri\n"),
        1,
        f"{NEWSLETTER}:3: slug.fi: slug 'asiakasrekisteri' is also used by register",
    ),
    "slug with a space and capitals": (
        _replace(NEWSLETTER, "  fi: uutiskirje\n", "  fi: Uutis Kirje\n"),
        1,
        f"{NEWSLETTER}:3: slug.fi: slug 'Uutis Kirje' may hold only lowercase letters a-z",
    ),
    "slug with a slash": (
        _replace(NEWSLETTER, "  en: newsletter\n", "  en: ../../etc\n"),
        1,
        f"{NEWSLETTER}:4: slug.en: slug '../../etc' may hold only",
    ),
    "reserved slug": (
        _replace(NEWSLETTER, "  en: newsletter\n", "  en: cookies\n"),
        1,
        f"{NEWSLETTER}:4: slug.en: 'cookies' is reserved",
    ),
    "raw HTML (an error of the checks: the content format is Markdown)": (
        _replace(NEWSLETTER, "  fi: Tilauksen ajan.\n", "  fi: <b>Tilauksen</b> ajan.\n"),
        1,
        f"{NEWSLETTER}:43: ERROR raw-html: [fi] raw HTML <b> in the text (hint: write Markdown: "
        'blank lines between paragraphs, "- " for list items)',
    ),
    "placeholder (an error of the checks)": (
        _replace(NEWSLETTER, "  fi: Tilauksen ajan.\n", "  fi: Tilauksen ajan [kuukautta].\n"),
        1,
        f"{NEWSLETTER}:43: ERROR placeholder:",
    ),
    "a file in Latin-1": (_latin1, 1, f"{NEWSLETTER}:11: the file is not UTF-8"),
    "a duplicate key": (
        _replace(NEWSLETTER, "updated: 2025-08-01\n", "updated: 2025-08-01\nid: toinen\n"),
        1,
        f"{NEWSLETTER}:10: id: duplicate key (first defined on line 1)",
    ),
}


def test_a_duplicate_key_is_reported_with_the_files_other_errors(tmp_path: Path) -> None:
    root = Path(shutil.copytree(FIXTURE, tmp_path / "content"))
    _replace(NEWSLETTER, "updated: 2025-08-01\n", "updated: 2024-01-01\nid: toinen\n")(root)
    _replace(NEWSLETTER, "  en: newsletter\n", "")(root)
    out = ("--out", str(tmp_path / "site"))
    for command, options in (("check", ()), ("build", out)):
        code, output = _run(command, "--content", str(root), *options)
        assert code == 1
        assert output.replace(f"{root}/", "").splitlines() == [
            f"{NEWSLETTER}:2: slug: missing translation for language 'en'",
            f"{NEWSLETTER}:8: updated: 2024-01-01 is earlier than the `prepared` date "
            "2024-02-01 on line 7; a notice cannot change before it was prepared",
            f"{NEWSLETTER}:9: id: duplicate key (first defined on line 1)",
            "3 errors in content" + ("." if command == "check" else "; nothing was written."),
        ]


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("case", CASES)
def test_check_and_build_report_alike(tmp_path: Path, case: str) -> None:
    edit, expected_exit, expected_line = CASES[case]
    root = Path(shutil.copytree(FIXTURE, tmp_path / "content"))
    edit(root)
    check_exit, check_output = _run("check", "--content", str(root), "--today", "2026-11-24")
    build_exit, build_output = _run(
        "build", "--content", str(root), "--out", str(tmp_path / "site"), "--no-pdf"
    )
    assert (check_exit, build_exit) == (expected_exit, expected_exit), (check_output, build_output)
    assert "Traceback" not in check_output + build_output
    if expected_line is not None:
        assert f"{root}/{expected_line}" in check_output
        assert f"{root}/{expected_line}" in build_output
    if expected_exit == 1:
        # Every problem check calls an error is in build's refusal, and nothing else is.
        check_errors = {line for line in check_output.splitlines() if _is_problem(line)}
        build_errors = {line for line in build_output.splitlines() if _is_problem(line)}
        assert check_errors == build_errors
        assert not (tmp_path / "site").exists()


def _is_problem(line: str) -> bool:
    """Whether an output line is one located problem that blocks publishing."""
    if not line.startswith("/"):
        return False
    location, _, rest = line.partition(": ")
    return location.count(":") == 1 and rest.split(" ", 1)[0] not in {"WARNING", "INFO"}


def test_raw_html_is_refused_and_with_allow_errors_published_as_the_text_it_is(
    tmp_path: Path,
) -> None:
    edit, _, _ = CASES["raw HTML (an error of the checks: the content format is Markdown)"]
    root = Path(shutil.copytree(FIXTURE, tmp_path / "content"))
    edit(root)
    code, output = _run("check", "--content", str(root), "--format", "json")
    assert code == 1
    findings = json.loads(output)["findings"]
    assert [(f["rule_id"], f["severity"]) for f in findings if f["rule_id"] == "raw-html"] == [
        ("raw-html", "error")
    ]
    site = tmp_path / "site"
    code, output = _run("build", "--content", str(root), "--out", str(site), "--no-pdf")
    assert code == 1
    assert not site.exists()
    code, output = _run(
        "build", "--content", str(root), "--out", str(site), "--no-pdf", "--allow-errors"
    )
    assert code == 0, output
    page = (site / "fi" / "uutiskirje" / "index.html").read_text("utf-8")
    # Never live markup: the reader sees exactly what the author wrote.
    assert "&lt;b&gt;Tilauksen&lt;/b&gt; ajan." in page
    assert "<b>Tilauksen</b>" not in page
