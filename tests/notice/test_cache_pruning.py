"""The cache home does not grow for ever: what no build used for a month is deleted, once a day."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from notice import cache_pruning
from notice.build import build_site
from notice.buildcache import cache_dir_for
from tests import REPO_ROOT

DAY = 24 * 3600
OLD = 31 * DAY


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def _home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    (home / "templates").mkdir(parents=True)
    for name, age in [("a" * 32, OLD), ("b" * 32, DAY), ("c" * 31, OLD), ("notes", OLD)]:
        (home / name).mkdir()
        (home / name / "entry").write_bytes(b"x")
        _age(home / name, age)
    for name, age in [("old.code", OLD), ("new.code", DAY), ("old.txt", OLD)]:
        (home / "templates" / name).write_bytes(b"x")
        _age(home / "templates" / name, age)
    return home


def test_only_caches_and_templates_unused_for_a_month_are_deleted(tmp_path: Path) -> None:
    home = _home(tmp_path)
    deleted = cache_pruning.prune(home)
    assert sorted(p.relative_to(home).as_posix() for p in deleted) == [
        "a" * 32,
        "templates/old.code",
    ]
    left = sorted(p.relative_to(home).as_posix() for p in home.rglob("*") if p.is_file())
    assert left == [
        f"{'b' * 32}/entry",
        f"{'c' * 31}/entry",
        "notes/entry",
        "pruned",
        "templates/new.code",
        "templates/old.txt",
    ]


def test_a_home_pruned_within_a_day_is_left_alone(tmp_path: Path) -> None:
    home = _home(tmp_path)
    (home / "pruned").touch()
    _age(home / "pruned", DAY - 60)
    assert cache_pruning.prune(home) == []
    assert (home / ("a" * 32)).is_dir()
    _age(home / "pruned", DAY + 60)
    assert cache_pruning.prune(home) == [home / ("a" * 32), home / "templates" / "old.code"]


def test_marking_sets_an_old_time_to_now_and_leaves_a_recent_one(tmp_path: Path) -> None:
    old, recent = tmp_path / "old", tmp_path / "recent"
    old.mkdir()
    recent.mkdir()
    _age(old, OLD)
    _age(recent, 600)
    before = recent.stat().st_mtime
    cache_pruning.mark_used(old)
    cache_pruning.mark_used(recent)
    assert time.time() - old.stat().st_mtime < 60
    assert recent.stat().st_mtime == before  # at most one write an hour
    cache_pruning.mark_used(tmp_path / "missing")  # nothing to mark: no error


def test_a_build_marks_its_cache_and_its_templates_used_and_prunes_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("SELOSTE_CACHE_DIR", str(home))
    content = tmp_path / "content"
    shutil.copytree(REPO_ROOT / "content", content)
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1)
    mine = cache_dir_for(out)
    assert mine.parent == home
    abandoned = home / ("f" * 32)
    abandoned.mkdir()
    for path in [mine, abandoned, *(home / "templates").glob("*.code")]:
        _age(path, OLD)
    _age(home / "pruned", DAY + 60)

    # A new process, as every `notice build` is, after an edit of site.yaml: every page is made
    # again from the compiled templates it reads back.
    with (content / "site.yaml").open("a", encoding="utf-8") as site:
        site.write("# edited\n")
    build = "import sys; from notice.build import build_site; build_site(*sys.argv[1:], pdf=False)"
    env = {**os.environ, "SELOSTE_CACHE_DIR": str(home)}
    subprocess.run(
        [sys.executable, "-c", build, str(content), str(out)],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        timeout=300,
    )

    assert not abandoned.exists()
    assert time.time() - mine.stat().st_mtime < 60
    assert (mine / "key").is_file()
    templates = list((home / "templates").glob("*.code"))
    assert len(templates) > 20  # compiled code read back is marked and kept
    assert all(time.time() - path.stat().st_mtime < 60 for path in templates)
