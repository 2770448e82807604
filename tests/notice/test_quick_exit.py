"""`notice check` and `notice build` end at once after their work, output and exit code intact."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = textwrap.dedent(
    """
    import atexit, sys
    from notice import quick_exit

    def command():
        atexit.register(lambda: print("torn down"))
        print("x" * 100_000)  # more than a pipe's buffer: all of it must arrive
        if {allow}:
            quick_exit.allow()
        sys.exit({code})

    quick_exit.run(command)
    """
)


def run_script(allow: bool, code: object) -> subprocess.CompletedProcess[str]:
    script = SCRIPT.format(allow=allow, code=repr(code))
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("code", [0, 1, 2, None])
def test_an_allowed_command_ends_at_once_with_its_output_and_code(code: object) -> None:
    done = run_script(True, code)
    assert done.stdout == "x" * 100_000 + "\n"  # flushed, and no "torn down": no interpreter end
    assert done.returncode == (code or 0)
    assert done.stderr == ""


def test_a_message_as_exit_code_is_printed_and_fails() -> None:
    done = run_script(True, "no such folder")
    assert (done.returncode, done.stderr) == (1, "no such folder\n")


def test_a_command_that_does_not_allow_it_ends_as_usual() -> None:
    done = run_script(False, 2)
    assert done.stdout == "x" * 100_000 + "\n" + "torn down\n"
    assert done.returncode == 2


def test_the_console_script_reports_and_exits_as_before(tmp_path: Path) -> None:
    notice = Path(sys.executable).with_name("notice")
    content = Path(__file__).resolve().parents[2] / "content"
    checked = subprocess.run(
        [str(notice), "check", "--content", str(content), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.rstrip().endswith("}")  # the whole JSON document arrived
    missing = subprocess.run(
        [str(notice), "check", "--content", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert missing.returncode == 1
    assert missing.stderr.splitlines() == [
        f"{tmp_path / 'site.yaml'}:1: file not found",
        "1 error in content.",
    ]


def test_a_build_with_pdfs_ends_without_leaving_its_workers_semaphores(tmp_path: Path) -> None:
    # The quick exit skips the `atexit` handler that stops the PDF workers; their pool's named
    # semaphores were then reported by the resource tracker after every build with PDFs.
    notice = Path(sys.executable).with_name("notice")
    content = Path(__file__).resolve().parents[2] / "content"
    built = subprocess.run(
        [str(notice), "build", "--content", str(content), "--out", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "SELOSTE_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert built.returncode == 0, built.stderr
    assert " PDFs rendered" in built.stdout and " 0 PDFs rendered" not in built.stdout
    # Only the build's own line about the checks' warnings, nothing from the resource tracker.
    assert [
        line for line in built.stderr.splitlines() if "`notice check` lists them" not in line
    ] == []
