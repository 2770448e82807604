"""`notice check` keeps what it worked out by file content: the next check redoes only what changed.

The findings of a check from the cache are exactly those of a check without it (`--no-cache`), after
an edit, on another day, and when the cache cannot be used.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import notice.checks
from notice.buildcache import check_cache_dir
from notice.cli import main
from tests import REPO_ROOT

TODAY = "2026-12-06"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache-home"
    monkeypatch.setenv("SELOSTE_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(REPO_ROOT / "content", folder)
    # A second register that is not the website's, so that an edit of one leaves the other.
    seed = (folder / "registers" / "tietosuojapyynnot.yaml").read_text(encoding="utf-8")
    other = seed.replace("id: tietosuojapyynnot", "id: toinen-rekisteri", 1)
    other = other.replace("tietosuojapyynnot", "toinen-rekisteri")
    other = other.replace("data-protection-requests", "other-register")
    other = other.replace("dataskyddsbegaranden", "annat-register")
    (folder / "registers" / "toinen-rekisteri.yaml").write_text(other, encoding="utf-8")
    return folder


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    """The owners each run of the checks looked at, run by run."""
    runs: list[list[str]] = []
    original = notice.checks.run_checks

    def spy(content, **kwargs):  # type: ignore[no-untyped-def]
        runs.append(sorted(register.id for register in content.registers))
        return original(content, **kwargs)

    monkeypatch.setattr(notice.checks, "run_checks", spy)
    yield runs


def check(content: Path, *args: str, today: str = TODAY) -> Result:
    return CliRunner().invoke(
        main, ["check", "--content", str(content), "--format", "json", "--today", today, *args]
    )


def test_a_second_check_after_an_edit_checks_only_the_edited_register(
    home: Path, content: Path, checked: list[list[str]]
) -> None:
    first = check(content)
    assert first.exit_code == 0, first.output
    assert sorted(id for run in checked for id in run) == [
        "asiakasrekisteri",
        "tietosuojapyynnot",
        "toinen-rekisteri",
    ]
    assert (check_cache_dir(content, home) / "key").is_file()

    edited = content / "registers" / "toinen-rekisteri.yaml"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("retention:", "retention:\n  # edited\n", 1), encoding="utf-8")
    checked.clear()
    again = check(content)

    assert checked == [["toinen-rekisteri"]]  # the others' findings came from the cache
    assert again.output == check(content, "--no-cache").output
    assert again.exit_code == 0


def test_an_unchanged_check_reports_what_a_check_without_cache_does(
    home: Path, content: Path, checked: list[list[str]]
) -> None:
    check(content)
    checked.clear()
    cached = check(content)
    assert checked == []
    fresh = check(content, "--no-cache")
    assert cached.output == fresh.output
    assert '"rule_id"' in cached.output  # the content has findings: they are compared


def test_another_day_checks_everything_again(
    home: Path, content: Path, checked: list[list[str]]
) -> None:
    check(content)
    checked.clear()
    later = check(content, today="2031-01-01")  # old enough for the staleness rules to speak
    assert sorted(id for run in checked for id in run) == [
        "asiakasrekisteri",
        "tietosuojapyynnot",
        "toinen-rekisteri",
    ]
    assert later.output == check(content, "--no-cache", today="2031-01-01").output
    assert later.output != check(content, "--no-cache").output


def test_no_cache_keeps_nothing(home: Path, content: Path) -> None:
    result = check(content, "--no-cache")
    assert result.exit_code == 0
    assert not home.exists() or not any(home.iterdir())


def test_a_cache_home_others_can_write_is_not_used_and_the_check_says_so(
    home: Path, content: Path
) -> None:
    home.mkdir()
    home.chmod(0o777)
    folder = check_cache_dir(content, home)
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    result = CliRunner().invoke(main, ["check", "--content", str(content), "--today", TODAY])
    assert result.exit_code == 0
    assert f"note: build cache not used: {folder} can be written by others (mode 777)" in (
        result.output
    )
    assert "checked site.yaml and 3 registers" in result.output
    assert not (folder / "key").exists()
