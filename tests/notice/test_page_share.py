"""Two processes sharing out one list of pages (`notice.page_share`): every page is rendered once,
by whichever end reaches it first, and a build whose checks' process renders some of its pages
writes what one process writes."""

from __future__ import annotations

import os
import pickle
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import notice.build
from notice.build import build_site
from notice.page_share import PageShare
from tests import REPO_ROOT

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


@dataclass
class Slow:
    path: str

    def produce(self) -> bytes:
        time.sleep(0.001)  # long enough for the two processes to interleave
        return f"{self.path} by {os.getpid()}".encode()


def test_every_page_is_rendered_once_by_one_of_the_two_ends() -> None:
    pages = [Slow(f"p{index:03}") for index in range(300)]
    share = PageShare(pages)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child renders from the back, as the checks' process does
        os.close(read_end)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(pickle.dumps(share.render(from_front=False)))
        os._exit(0)
    os.close(write_end)
    mine = share.render(from_front=True)
    with os.fdopen(read_end, "rb") as pipe:
        theirs = pickle.loads(pipe.read())
    os.waitpid(pid, 0)
    share.close()
    assert not mine.keys() & theirs.keys()
    assert sorted(mine.keys() | theirs.keys()) == [page.path for page in pages]
    assert {data.decode().split(" by ")[1] for data in mine.values()} == {str(os.getpid())}
    assert {data.decode().split(" by ")[1] for data in theirs.values()} == {str(pid)}
    assert mine and theirs
    # The front end took a prefix and the back end the rest: they met once, in the middle.
    assert max(mine) < min(theirs)


def test_one_process_renders_every_page_in_order() -> None:
    pages = [Slow(f"p{index}") for index in range(20)]
    share = PageShare(pages)
    assert list(share.render()) == [page.path for page in pages]
    assert share.render() == {}  # nothing is left to claim
    share.close()


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # A handful of registers, and maybe threads earlier tests left: check beside all the same.
    monkeypatch.setattr(notice.build, "FORK_AT_ITEMS", 1)
    monkeypatch.setattr(notice.build, "only_thread", lambda: True)
    return Path(shutil.copytree(REPO_ROOT / "tests" / "fixtures" / "small", tmp_path / "content"))


def test_pages_the_checks_process_renders_are_written_as_one_process_writes_them(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = build_site(content, tmp_path / "alone", pdf=False, jobs=1)
    parent = os.getpid()
    real_render = PageShare.render

    def render(share: PageShare, *, from_front: bool = True) -> dict[str, bytes]:
        if os.getpid() == parent:
            return {}  # this process leaves every page to the checks' process
        return real_render(share, from_front=from_front)

    monkeypatch.setattr(PageShare, "render", render)
    beside = build_site(content, tmp_path / "beside", pdf=False, jobs=2)
    assert alone.written and sorted(beside.written) == sorted(alone.written)
    for path in alone.written:
        assert (tmp_path / "beside" / path).read_bytes() == (tmp_path / "alone" / path).read_bytes()


def test_a_page_that_fails_in_the_checks_process_fails_the_build_with_nothing_written(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = os.getpid()

    def render(share: PageShare, *, from_front: bool = True) -> dict[str, bytes]:
        if os.getpid() == parent:
            return {}
        raise OSError("disk on fire while rendering")

    monkeypatch.setattr(PageShare, "render", render)
    out = tmp_path / "site"
    with pytest.raises(OSError, match="disk on fire"):
        build_site(content, out, pdf=False, jobs=2)
    assert not out.exists()
