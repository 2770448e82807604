"""Loading and checking many registers in two processes (`notice.forked`): same outcome, always.

With a megabyte or more of register files, a forked child parses the second half while the
loading process parses the first (`notice.loader`), and `notice check` shares its items out with
a child (`notice.checking.check_in_parts`). What comes out must be exactly what one process makes:
the models, the line of every key, every error with its file and line, every finding in order; and a
child that dies only costs time.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import notice.checking
import notice.loader
from notice import forked
from notice.buildcache import CheckPlan
from notice.loader import ContentError, load_content
from tests import REPO_ROOT

SEED = REPO_ROOT / "content" / "registers" / "asiakasrekisteri.yaml"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


@pytest.fixture(autouse=True)
def may_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even when earlier tests of the run left threads behind (a browser's, a mail
    server's): these tests' children touch no lock those threads could hold."""
    monkeypatch.setattr(forked, "can_fork", lambda: True)


COUNT = 60


def _many(root: Path, count: int = COUNT) -> Path:
    """Write the default site and `count` copies of its customer register, each its own."""
    (root / "registers").mkdir(parents=True)
    shutil.copyfile(REPO_ROOT / "content" / "site.yaml", root / "site.yaml")
    seed = SEED.read_text(encoding="utf-8")
    for index in range(count):
        text = seed.replace("id: asiakasrekisteri", f"id: rekisteri-{index:03d}")
        text = text.replace(
            "slug: {fi: asiakasrekisteri, sv: kundregister, en: customer-register}",
            f"slug: {{fi: rekisteri-{index}, sv: register-{index}, en: register-{index}}}",
        )
        text = text.replace("website: true", "website: false") if index else text
        (root / "registers" / f"r{index:03d}.yaml").write_text(text, encoding="utf-8")
    return root


def _load(root: Path, *, apart: bool, patch: pytest.MonkeyPatch) -> notice.loader.Content:
    patch.setattr(notice.loader, "PARSE_APART_AT", 0 if apart else 10**12)
    return load_content(root, allow_html=True)


def test_parsing_in_two_processes_makes_the_same_models_and_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _many(tmp_path / "content")
    forks = []
    original = forked.Forked.__init__

    def counting(self: forked.Forked, work: object, **spill: object) -> None:
        forks.append(os.getpid())
        original(self, work, **spill)  # type: ignore[arg-type]

    monkeypatch.setattr(forked.Forked, "__init__", counting)
    apart = _load(root, apart=True, patch=monkeypatch)
    assert forks, "the second half was not parsed in a child"
    together = _load(root, apart=False, patch=monkeypatch)
    assert len(forks) == 1
    assert [r.model_dump() for r in apart.registers] == [r.model_dump() for r in together.registers]
    for register in together.registers:
        assert apart.sources[register.id].lines == together.sources[register.id].lines
    last = together.registers[-1].id
    assert apart.locate(last, ("purposes", 0)) == together.locate(last, ("purposes", 0))
    assert apart.locate(last, ("purposes", 0))[1] > 10


def test_an_error_in_the_childs_half_is_reported_with_its_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _many(tmp_path / "content")
    broken = root / "registers" / f"r{COUNT - 2:03d}.yaml"  # in the second half: the child's
    lines = broken.read_text(encoding="utf-8").splitlines()
    at = lines.index("prepared: 2019-10-03")
    lines[at] = "prepared: 3. lokakuuta"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as apart:
        _load(root, apart=True, patch=monkeypatch)
    with pytest.raises(ContentError) as together:
        _load(root, apart=False, patch=monkeypatch)
    assert [str(e) for e in apart.value.errors] == [str(e) for e in together.value.errors]
    (error,) = apart.value.errors
    assert (error.path, error.line, error.key) == (broken, at + 1, "prepared")


def test_a_child_that_dies_costs_time_not_registers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _many(tmp_path / "content")
    parent = os.getpid()
    original = notice.loader._without_data

    def dying(results: list) -> list:  # type: ignore[type-arg]
        if os.getpid() != parent:
            os._exit(9)  # as if killed while parsing
        return original(results)

    monkeypatch.setattr(notice.loader, "_without_data", dying)
    content = _load(root, apart=True, patch=monkeypatch)
    assert [r.id for r in content.registers] == [f"rekisteri-{i:03d}" for i in range(COUNT)]
    assert content.sources["rekisteri-059"].lines[("id",)] == 6


def test_checking_in_two_processes_finds_the_same_in_the_same_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _many(tmp_path / "content")
    # One register in the child's half has a placeholder left in: the checker must find it.
    odd = root / "registers" / f"r{COUNT - 1:03d}.yaml"
    text = odd.read_text(encoding="utf-8")
    odd.write_text(text.replace("Esa Kemppainen käsittelee", "[Yrityksen nimi] käsittelee", 1))
    content = _load(root, apart=False, patch=monkeypatch)
    plan = CheckPlan(content, None)
    assert len(plan.items) == COUNT  # the site and its website register, and 59 alone
    single = plan.finish(plan.run())
    forks = []
    original = forked.Forked.__init__

    def counting(self: forked.Forked, work: object, **spill: object) -> None:
        forks.append(1)
        original(self, work, **spill)  # type: ignore[arg-type]

    monkeypatch.setattr(forked.Forked, "__init__", counting)
    parts = plan.finish(notice.checking.check_in_parts(plan, cores=2))
    assert forks == [1]
    assert [f.format() for f in parts] == [f.format() for f in single]
    odd_ones = {f.rule_id for f in parts if f.owner == "rekisteri-059"}
    assert odd_ones - {f.rule_id for f in parts if f.owner == "rekisteri-058"}
    from notice.checks import run_checks

    assert [f.format() for f in parts] == [f.format() for f in run_checks(content)]


def test_checks_whose_child_dies_are_checked_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _many(tmp_path / "content")
    content = _load(root, apart=False, patch=monkeypatch)
    plan = CheckPlan(content, None)
    expected = [f.format() for f in plan.finish(plan.run())]
    parent = os.getpid()
    original = CheckPlan.run

    def dying(self: CheckPlan, items: object = None) -> list:  # type: ignore[type-arg]
        if os.getpid() != parent:
            os._exit(9)
        return original(self, items)  # type: ignore[arg-type]

    monkeypatch.setattr(CheckPlan, "run", dying)
    found = plan.finish(notice.checking.check_in_parts(plan, cores=2))
    assert [f.format() for f in found] == expected


def _with_placeholders(root: Path) -> Path:
    """Leave a template placeholder in one register of each half (the parent's and the child's);
    return `root`."""
    for index in (1, COUNT - 1):
        odd = root / "registers" / f"r{index:03d}.yaml"
        text = odd.read_text(encoding="utf-8")
        odd.write_text(text.replace("Esa Kemppainen käsittelee", "[Yrityksen nimi] käsittelee", 1))
    return root


def _checked(root: Path, *, apart: bool, patch: pytest.MonkeyPatch, **kwargs: object) -> list[str]:
    patch.setattr(notice.loader, "PARSE_APART_AT", 0 if apart else 10**12)
    _, findings = notice.checking.load_and_check(root, **kwargs)  # type: ignore[arg-type]
    return [finding.format() for finding in findings]


def test_notice_check_checks_each_half_where_it_was_parsed_and_finds_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _with_placeholders(_many(tmp_path / "content"))
    together = _checked(root, apart=False, patch=monkeypatch)
    taken: list[tuple[int, list[str]]] = []
    original = notice.checking.CheckAsLoaded.work

    def recording(self: notice.checking.CheckAsLoaded, part: object) -> object:
        found = original(self, part)  # type: ignore[arg-type]
        taken.append((os.getpid(), sorted(found)))
        return found

    monkeypatch.setattr(notice.checking.CheckAsLoaded, "work", recording)
    apart = _checked(root, apart=True, patch=monkeypatch)
    assert apart == together
    assert any("r059.yaml" in line and "placeholder" in line for line in apart)
    assert any("r001.yaml" in line and "placeholder" in line for line in apart)
    # Both halves were checked as they were parsed, in two processes; the first register is a
    # website register, checked with the site after the load.
    files = [(path, path.read_bytes()) for path in sorted((root / "registers").glob("*.yaml"))]
    split = notice.loader._split_at(files, notice.loader.CHILD_SHARE_CHECKED)
    assert COUNT * 0.4 < split < COUNT * 0.6
    mine = [ids for pid, ids in taken if pid == os.getpid()]
    # This process checked its share in two batches, taking the child's parsed registers from
    # the spill between them.
    first = round(split * notice.loader.WORK_BEFORE_TAKING)
    assert mine == [
        [f"rekisteri-{i:03d}" for i in range(1, first)],
        [f"rekisteri-{i:03d}" for i in range(first, split)],
    ]
    # The child's half came back with its models (the child's own list died with it).
    assert len(taken) == 2


def test_notice_check_keeps_what_it_checked_while_loading_in_its_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from notice.buildcache import BuildCache

    root = _with_placeholders(_many(tmp_path / "content"))
    expected = _checked(root, apart=False, patch=monkeypatch)
    cache_dir = tmp_path / "cache"
    kept = BuildCache(cache_dir, cache_dir)
    assert _checked(root, apart=True, patch=monkeypatch, cache=kept) == expected
    kept.flush()  # as `notice check` does after a check
    cache = BuildCache(cache_dir, cache_dir)
    ran: list[int] = []
    original = CheckPlan.run

    def counting(self: CheckPlan, items: object = None) -> list:  # type: ignore[type-arg]
        ran.append(len(self.items if items is None else items))  # type: ignore[arg-type]
        return original(self, items)  # type: ignore[arg-type]

    monkeypatch.setattr(CheckPlan, "run", counting)
    assert _checked(root, apart=True, patch=monkeypatch, cache=cache) == expected
    assert sum(ran) == 0, "the second check redid registers the first kept"


def test_a_half_whose_checks_fail_while_loading_is_checked_after_the_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _with_placeholders(_many(tmp_path / "content"))
    expected = _checked(root, apart=False, patch=monkeypatch)
    parent = os.getpid()
    original = notice.checking.CheckAsLoaded.work

    def failing_in_child(self: notice.checking.CheckAsLoaded, part: object) -> object:
        if os.getpid() != parent:
            raise RuntimeError("as a rule that fails on the child's half would")
        return original(self, part)  # type: ignore[arg-type]

    monkeypatch.setattr(notice.checking.CheckAsLoaded, "work", failing_in_child)
    assert _checked(root, apart=True, patch=monkeypatch) == expected


def test_findings_checked_while_loading_count_only_for_the_file_they_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _many(tmp_path / "content", count=3)
    monkeypatch.setattr(notice.loader, "PARSE_APART_AT", 10**12)
    content = load_content(root, allow_html=True)
    as_loaded = notice.checking.CheckAsLoaded(None)
    as_loaded.take(as_loaded.work(content))
    assert sorted(as_loaded.findings_of(content)) == ["rekisteri-001", "rekisteri-002"]
    edited = root / "registers" / "r002.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    moved = root / "registers" / "r001.yaml"
    moved.rename(root / "registers" / "r001b.yaml")
    again = load_content(root, allow_html=True)
    assert as_loaded.findings_of(again) == {}


def test_the_child_takes_its_share_of_the_bytes_not_of_the_files() -> None:
    small, large = (Path("s.yaml"), b"x" * 10), (Path("l.yaml"), b"x" * 1000)
    # One large file first: the loading process keeps it, the child takes the many small ones.
    files = [large, *[small] * 50]
    assert notice.loader._split_at(files, 0.45) == 1
    assert notice.loader._split_at([small] * 100, 0.45) == 55
    assert notice.loader._split_at([small] * 100, 0.48) == 52
    assert notice.loader._split_at([large, large], 0.45) == 1  # one each, whatever the share


def _content_facts(root: Path, *, apart: bool, patch: pytest.MonkeyPatch) -> tuple[object, ...]:
    """What `notice check` returns, as comparable values: models, every line, the findings."""
    patch.setattr(notice.loader, "PARSE_APART_AT", 0 if apart else 10**12)
    content, findings = notice.checking.load_and_check(root)
    lines = {owner: dict(content.sources[owner].lines) for owner in content.sources}
    return content.registers, lines, [finding.format() for finding in findings]


def test_notice_checks_child_spills_its_models_and_sends_only_its_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _with_placeholders(_many(tmp_path / "content"))
    together = _content_facts(root, apart=False, patch=monkeypatch)
    sent: list[object] = []
    original = forked.Forked.result

    def recording(self: forked.Forked) -> object:
        result = original(self)
        sent.append(result)
        return result

    monkeypatch.setattr(forked.Forked, "result", recording)
    assert _content_facts(root, apart=True, patch=monkeypatch) == together
    # The loading child's result carried no models (they came through the spill), only its
    # findings; the models arrived whole all the same.
    loading = [result for result in sent if isinstance(result, tuple) and len(result) == 2]
    assert loading and loading[0][0] is None and loading[0][1]  # type: ignore[index]


@pytest.mark.parametrize("failure", ["no temporary file", "a spill that does not read back"])
def test_a_spill_that_fails_costs_time_not_registers(
    failure: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _with_placeholders(_many(tmp_path / "content"))
    together = _content_facts(root, apart=False, patch=monkeypatch)
    if failure == "no temporary file":
        monkeypatch.setattr(forked.Spill, "open", classmethod(lambda cls: None))
    else:
        monkeypatch.setattr(forked.Spill, "take", lambda self: None)
    assert _content_facts(root, apart=True, patch=monkeypatch) == together


def test_a_child_that_dies_before_it_spills_costs_time_not_registers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The parent waits for the spill between its two batches: a child that dies first must
    # not leave it waiting, and its registers are parsed and checked here.
    root = _with_placeholders(_many(tmp_path / "content"))
    together = _content_facts(root, apart=False, patch=monkeypatch)

    def dying(self: forked.Spill, value: object) -> None:
        os._exit(9)

    monkeypatch.setattr(forked.Spill, "put", dying)
    assert _content_facts(root, apart=True, patch=monkeypatch) == together


def test_a_spill_is_taken_once(tmp_path: Path) -> None:
    spill = forked.Spill()
    child = forked.Forked(lambda: spill.put({"parsed": [1, 2, 3]}), spill=spill)
    try:
        assert spill.take() == {"parsed": [1, 2, 3]}
        assert child.result() is None  # put returns None: the child's own result
        with pytest.raises(RuntimeError):
            spill.take()
    finally:
        child.close()
        spill.close()


def test_registers_that_repeat_a_text_hold_it_once(tmp_path: Path) -> None:
    # Validation copies every text; the loader makes the copies one again, so a forked
    # child's share pickles each repeated text once and the memory holds it once.
    root = _many(tmp_path / "content", count=4)
    edited = root / "registers" / "r003.yaml"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("Asiakassuhteen hoitaminen", "Jäsenyyden hoitaminen", 1))
    content = load_content(root)
    descriptions = [register.purposes[0].description for register in content.registers]
    assert all(text == descriptions[0] for text in descriptions[:3])
    for lang in ("fi", "sv", "en"):
        assert len({id(text[lang]) for text in descriptions[:3]}) == 1
    # A text that differs stays its own.
    assert descriptions[3]["fi"].startswith("Jäsenyyden hoitaminen")
    assert descriptions[3]["sv"] is descriptions[0]["sv"]
