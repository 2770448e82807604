"""Pages staged as they are rendered (`notice.staging`): each of the build's two processes writes
the pages it renders under a temporary name, and they are put in place only once the checks allow
the build. What a person gets must not change: a build refused by its checks, or stopped by a
failing page, leaves the site that was there (no new folder, no temporary file, no page
replaced); a build that succeeds leaves no temporary file behind."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

import notice.build
import notice.checks
from notice.build import ChecksFailed, build_site
from notice.page_share import PageShare
from notice.staging import SUFFIX, Staging
from tests import REPO_ROOT
from tests.notice.added_findings import add_findings, an_error

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


@pytest.fixture(autouse=True)
def fork_for_little(monkeypatch: pytest.MonkeyPatch) -> None:
    """Check beside the rendering even with the fixture's few registers and stray threads."""
    monkeypatch.setattr(notice.build, "FORK_AT_ITEMS", 1)
    monkeypatch.setattr(notice.build, "only_thread", lambda: True)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(REPO_ROOT / "tests" / "fixtures" / "small", tmp_path / "content"))


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder (None) under `folder`."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in folder.rglob("*")
    }


def add_register(content: Path) -> str:
    """Add a copy of the newsletter register under a new id and slugs; return its Finnish slug."""
    data = yaml.safe_load((content / "registers" / "uutiskirje.yaml").read_text("utf-8"))
    data["id"] = "uutiskirje-kopio"
    data["slug"] = {lang: f"{slug}-kopio" for lang, slug in data["slug"].items()}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (content / "registers" / "uutiskirje-kopio.yaml").write_text(text, encoding="utf-8")
    return data["slug"]["fi"]


def edit_every_text(content: Path) -> None:
    """Change the newsletter's retention, so that each of its pages is rendered anew."""
    path = content / "registers" / "uutiskirje.yaml"
    text = path.read_text("utf-8")
    assert "Tilauksen ajan." in text
    path.write_text(text.replace("Tilauksen ajan.", "Tilauksen ajan ja kuukauden."), "utf-8")


def leave_every_page_to_the_checks_process(monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()
    real_render = PageShare.render

    def render(share: PageShare, *, from_front: bool = True) -> dict[str, bool]:
        return {} if os.getpid() == parent else real_render(share, from_front=from_front)

    monkeypatch.setattr(PageShare, "render", render)


@pytest.mark.parametrize("renderers", ["as it happens", "the checks' process alone"])
def test_a_build_refused_by_its_checks_leaves_the_site_that_was_there(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, renderers: str
) -> None:
    out = tmp_path / "site"
    if renderers != "as it happens":
        leave_every_page_to_the_checks_process(monkeypatch)
    build_site(content, out, pdf=False, jobs=2)
    before = snapshot(out)
    slug = add_register(content)
    edit_every_text(content)
    # An error in the new register (the checks check it anew; the others are in the cache).
    add_findings(monkeypatch, an_error("no basis", owner="uutiskirje-kopio"))
    staged = tmp_path / "staged"
    real_stage = Staging.stage

    def stage(self: Staging, path: str, data: bytes) -> bool:
        done = real_stage(self, path, data)
        with staged.open("a") as file:  # from either process
            file.write(f"{path} {done} {os.getpid()}\n")
        return done

    monkeypatch.setattr(Staging, "stage", stage)
    with pytest.raises(ChecksFailed):
        build_site(content, out, pdf=False, jobs=2)
    # Every page was staged in place while the checks ran (the new register's among them), and
    # none of them is left.
    lines = [line.split() for line in staged.read_text().splitlines()]
    assert [f"fi/{slug}/index.html", "True"] in [line[:2] for line in lines]
    if renderers != "as it happens":
        assert str(os.getpid()) not in {line[2] for line in lines}
    assert snapshot(out) == before
    assert not [p for p in out.rglob(f"*{SUFFIX}")]
    assert not (out / "fi" / slug).exists()


def test_a_page_that_fails_after_others_were_staged_leaves_nothing(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = 0
    real_keep = Staging.stage

    def stage(self: Staging, path: str, data: bytes) -> bool:
        nonlocal pages
        pages += 1
        if pages == 5:  # in whichever process gets there: both have staged files by now
            raise OSError("disk on fire while rendering")
        return real_keep(self, path, data)

    monkeypatch.setattr(Staging, "stage", stage)
    out = tmp_path / "deeper" / "site"
    with pytest.raises(OSError, match="disk on fire"):
        build_site(content, out, pdf=False, jobs=2)
    assert not (tmp_path / "deeper").exists()


def test_a_build_leaves_no_staged_file_and_replaces_only_what_changed(
    content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    first = build_site(content, out, pdf=False, jobs=2)
    assert first.written and not first.unchanged
    assert not list(out.rglob(f"*{SUFFIX}"))
    edit_every_text(content)
    again = build_site(content, out, pdf=False, jobs=2)
    # The newsletter's pages changed; the rest were not rendered, or rendered to the same bytes.
    assert again.written
    assert [p for p in again.written if "uutiskirje" not in p and not p.endswith(".xml")] == []
    assert not list(out.rglob(f"*{SUFFIX}"))
    assert "Tilauksen ajan ja kuukauden." in (out / "fi" / "uutiskirje" / "index.html").read_text()


def test_discard_removes_only_what_the_build_made(tmp_path: Path) -> None:
    out = tmp_path / "site"
    (out / "old").mkdir(parents=True)
    (out / "old" / "index.html").write_bytes(b"old")
    (out / "empty-before").mkdir()
    staging = Staging(out, ["old/index.html", "new/deep/index.html", "empty-before/x.html"])
    assert staging.stage("old/index.html", b"old") is False  # the same bytes: not staged
    assert staging.stage("new/deep/index.html", b"new") is True
    assert staging.stage("empty-before/x.html", b"x") is True
    staging.discard()
    assert snapshot(out) == {"old": None, "old/index.html": b"old", "empty-before": None}


def test_commit_puts_each_staged_file_in_place(tmp_path: Path) -> None:
    out = tmp_path / "site"
    staging = Staging(out, ["a/index.html", "index.html"])
    assert staging.stage("a/index.html", b"A") and staging.stage("index.html", b"I")
    assert snapshot(out) == {"a": None, f"a/index.html{SUFFIX}": b"A", f"index.html{SUFFIX}": b"I"}
    for path in staging.paths:
        staging.commit(path)
    assert snapshot(out) == {"a": None, "a/index.html": b"A", "index.html": b"I"}
