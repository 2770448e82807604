"""`notice build` with a core to spare: the checks run in a forked process beside the rendering.

What a person gets must not change: the same findings and files as one process makes, errors
still stop the build with nothing written, and a checks process that dies or fails is reported,
not waited for.
"""

from __future__ import annotations

import collections
import os
import shutil
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

import notice.build
import notice.buildcache
import notice.checking
import notice.checks
import notice.page_share
from notice.build import BuildError, ChecksFailed, build_site
from notice.buildcache import CheckPlan
from notice.loader import load_content
from tests import REPO_ROOT
from tests.notice.added_findings import add_findings, an_error

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "small"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


REAL_ONLY_THREAD = notice.build.only_thread


@pytest.fixture(autouse=True)
def fork_for_little(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixtures have a handful of registers: let them be checked beside the rendering, even
    when earlier tests of the run left threads behind (a browser's, a mail server's)."""
    monkeypatch.setattr(notice.build, "FORK_AT_ITEMS", 1)
    monkeypatch.setattr(notice.build, "only_thread", lambda: True)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the fixture content (the checks find no errors in it)."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "content"))


@pytest.fixture
def sloppy(content: Path) -> Path:
    """The fixture plus sloppy copies of its registers, so that the checks find much."""
    for number, name in enumerate(["uutiskirje", "asiakasrekisteri"], start=2):
        data = yaml.safe_load((content / "registers" / f"{name}.yaml").read_text("utf-8"))
        data["id"] = f"{name}-{number}"
        data["slug"] = {lang: f"{slug}-{number}" for lang, slug in data["slug"].items()}
        data["retention"] = {
            "fi": "TODO. Tietoja voidaan säilyttää tarvittaessa kumppaneille jne.",
            "en": "TODO. Data may be kept where applicable for partners etc.",
        }
        data["website"] = name == "asiakasrekisteri"
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (content / "registers" / f"{name}-{number}.yaml").write_text(text, encoding="utf-8")
    return content


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def as_json(findings: list[Any]) -> list[dict[str, object]]:
    return [finding.as_json() for finding in findings]


def replace_checks(monkeypatch: pytest.MonkeyPatch, run: Any) -> None:
    """Make every run of the checker `run(real, content, **kwargs)`."""
    real = notice.checks.run_checks
    monkeypatch.setattr(notice.checks, "run_checks", lambda part, **kw: run(real, part, **kw))


def note_checking_pids(monkeypatch: pytest.MonkeyPatch, pids: Path) -> Path:
    """Make every run of the checker write its process id to `pids`; return `pids`."""

    def note_pid(real: Any, part: Any, **kwargs: Any) -> list[Any]:
        with pids.open("a") as file:
            file.write(f"{os.getpid()}\n")
        return real(part, **kwargs)

    replace_checks(monkeypatch, note_pid)
    return pids


def test_two_jobs_find_and_write_what_one_process_does(sloppy: Path, tmp_path: Path) -> None:
    alone = build_site(sloppy, tmp_path / "one", pdf=False, jobs=1, allow_errors=True)
    beside = build_site(sloppy, tmp_path / "two", pdf=False, jobs=2, allow_errors=True)
    assert len(alone.findings) > 5
    assert as_json(beside.findings) == as_json(alone.findings)
    assert tree(tmp_path / "two") == tree(tmp_path / "one")
    assert sorted(beside.written) == sorted(alone.written)


def test_the_checks_run_in_another_process_and_their_findings_are_cached(
    sloppy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pids = note_checking_pids(monkeypatch, tmp_path / "pids")
    first = build_site(sloppy, tmp_path / "site", pdf=False, jobs=2, allow_errors=True)
    checked_in = {int(pid) for pid in pids.read_text().split()}
    # The checks' process checked (the build's own helps only once its pages are rendered).
    assert checked_in - {os.getpid()}
    pids.unlink()
    again = build_site(sloppy, tmp_path / "site", pdf=False, jobs=2, allow_errors=True)
    assert first.findings
    assert not pids.exists()  # every finding came from the cache the first build filled
    assert as_json(again.findings) == as_json(first.findings)
    assert again.written == []


def test_the_build_checks_too_once_its_pages_are_rendered(
    sloppy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A site whose checks outweigh its pages: the build's process, its pages done, takes the
    items the checks' process has not reached, and the findings are those of one process."""
    alone = build_site(sloppy, tmp_path / "one", pdf=False, jobs=1, allow_errors=True)
    pids = tmp_path / "pids"

    def slow(real: Any, part: Any, **kwargs: Any) -> list[Any]:
        alone = [r.id for r in part.registers if not r.website]
        group = ["(site)"] if any(r.website for r in part.registers) else []
        with pids.open("a") as file:
            file.write(f"{os.getpid()} {' '.join(alone + group)}\n")
        time.sleep(0.5)  # each item's checks cost more than rendering every page
        return real(part, **kwargs)

    replace_checks(monkeypatch, slow)
    monkeypatch.setattr(notice.page_share, "CHECK_SHARES", 100)  # the smallest claims: 2 items
    beside = build_site(sloppy, tmp_path / "two", pdf=False, jobs=2, allow_errors=True)
    runs = [line.split() for line in pids.read_text().splitlines()]
    checked_in = {int(run[0]) for run in runs}
    assert os.getpid() in checked_in  # the build's process checked some items
    assert checked_in - {os.getpid()}  # and the checks' process the others
    checked = sorted(item for run in runs for item in run[1:])
    plan = CheckPlan(load_content(sloppy, allow_html=True), None)
    expected = sorted("(site)" if item is None else item.id for item in plan.items)
    assert len(expected) >= 3
    assert checked == expected  # every item checked, and once
    assert as_json(beside.findings) == as_json(alone.findings)
    assert tree(tmp_path / "two") == tree(tmp_path / "one")


def test_a_process_with_other_threads_checks_in_itself(
    sloppy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As `notice serve` rebuilds beside its server's threads: a fork would copy only this one."""
    pids: list[int] = []

    def note_pid(real: Any, part: Any, **kwargs: Any) -> list[Any]:
        pids.append(os.getpid())
        return real(part, **kwargs)

    replace_checks(monkeypatch, note_pid)
    monkeypatch.setattr(notice.build, "only_thread", REAL_ONLY_THREAD)
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)
    server.start()
    try:
        report = build_site(sloppy, tmp_path / "site", pdf=False, jobs=2, allow_errors=True)
    finally:
        stop.set()
        server.join()
    assert pids and set(pids) == {os.getpid()}
    assert report.findings


def test_a_build_that_cannot_fork_checks_in_itself(
    sloppy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = build_site(sloppy, tmp_path / "one", pdf=False, jobs=1, allow_errors=True)

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    report = build_site(sloppy, tmp_path / "two", pdf=False, jobs=2, allow_errors=True)
    assert as_json(report.findings) == as_json(alone.findings)
    assert tree(tmp_path / "two") == tree(tmp_path / "one")


def test_errors_found_beside_the_rendering_stop_the_build_with_nothing_written(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_findings(monkeypatch, an_error("no basis"))
    out = tmp_path / "site"
    with pytest.raises(ChecksFailed) as caught:
        build_site(content, out, pdf=False, jobs=2)
    assert [finding.message["en"] for finding in caught.value.findings] == ["no basis"]
    assert not out.exists()


def test_a_checks_process_that_dies_is_a_build_error(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    test_process = os.getpid()

    def die(real: Any, part: Any, **kwargs: Any) -> list[Any]:
        if os.getpid() == test_process:  # never kill the test run itself
            raise AssertionError("the checks ran in the building process, not beside it")
        os.kill(os.getpid(), signal.SIGKILL)
        return []  # pragma: no cover - never reached

    replace_checks(monkeypatch, die)
    out = tmp_path / "site"
    with pytest.raises(BuildError, match="killed by signal 9 before sending its findings"):
        build_site(content, out, pdf=False, jobs=2)
    assert not out.exists()


def test_an_exception_in_the_checks_reaches_the_build(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(real: Any, part: Any, **kwargs: Any) -> list[Any]:
        raise ValueError("a rule broke")

    replace_checks(monkeypatch, fail)
    out = tmp_path / "site"
    with pytest.raises(ValueError, match="a rule broke"):
        build_site(content, out, pdf=False, jobs=2)
    assert not out.exists()


@pytest.mark.parametrize("check_errors", [True, False])
def test_a_failed_rendering_reports_the_checks_errors_first(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, check_errors: bool
) -> None:
    added = [an_error("no basis")] if check_errors else []
    add_findings(monkeypatch, *added)

    def broken(*args: Any) -> Any:
        raise BuildError("the banner library is missing")

    monkeypatch.setattr(notice.build, "plan_site", broken)
    expected = ChecksFailed if check_errors else BuildError
    with pytest.raises(expected) as caught:
        build_site(content, tmp_path / "site", pdf=False, jobs=2)
    assert isinstance(caught.value, ChecksFailed) == check_errors
    assert not (tmp_path / "site").exists()


def test_an_edit_of_a_few_registers_is_checked_here(
    sloppy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A build with much to check forks; after one register's edit, the few left are checked in
    # the building process (a new process would import the checks again for a few milliseconds).
    monkeypatch.setattr(notice.build, "FORK_AT_ITEMS", 3)
    pids = note_checking_pids(monkeypatch, tmp_path / "pids")
    first = build_site(sloppy, tmp_path / "site", pdf=False, jobs=2, allow_errors=True)
    # A checks' process checked (the building process may help once its pages are rendered).
    assert {int(pid) for pid in pids.read_text().split()} - {os.getpid()}
    pids.unlink()
    edited = sloppy / "registers" / "uutiskirje-2.yaml"
    text = edited.read_text("utf-8")
    edited.write_text(text.replace("TODO. ", "TBD. ").replace("jne.", "yms."), encoding="utf-8")
    again = build_site(sloppy, tmp_path / "site", pdf=False, jobs=2, allow_errors=True)
    assert {int(pid) for pid in pids.read_text().split()} == {os.getpid()}
    cold = build_site(
        sloppy, tmp_path / "cold", pdf=False, jobs=1, allow_errors=True, cache_dir=tmp_path / "c"
    )
    assert as_json(again.findings) == as_json(cold.findings) != as_json(first.findings)


def test_the_checks_process_writes_the_models_the_next_build_reads(
    sloppy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The checks' process writes the cache's new models beside the rendering; the building
    # process does not write them again, and the next build reads every register from them.
    # Models this process keeps from earlier tests' builds are not loaded, so not written.
    monkeypatch.setattr(notice.buildcache, "_KEPT", collections.OrderedDict())
    pids = note_checking_pids(monkeypatch, tmp_path / "pids")
    out = tmp_path / "site"
    written: list[int] = []
    real_write = notice.buildcache.Store.write_pending

    def write_pending(store: Any) -> None:
        if store.pending:
            written.append(os.getpid())
        real_write(store)

    monkeypatch.setattr(notice.buildcache.Store, "write_pending", write_pending)
    build_site(sloppy, out, pdf=False, jobs=2, allow_errors=True)
    assert {int(pid) for pid in pids.read_text().split()} - {os.getpid()}, "checked beside"
    assert os.getpid() not in written  # the models were written once, by the other process
    models = sorted((notice.buildcache.cache_dir_for(out) / "models").iterdir())
    assert len(models) == len(list((sloppy / "registers").glob("*.yaml")))
    notice.buildcache._KEPT.clear()  # what this process keeps in memory is not the cache
    cache = notice.buildcache.BuildCache(out)
    notice.checking.load(sloppy, cache)  # as the next build loads
    assert cache.models.models.hits == len(models)
    assert cache.models.models.misses == 0
