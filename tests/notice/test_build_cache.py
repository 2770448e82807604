"""The build's cache: registers and findings are reused only for the very bytes they came from."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import posixpath
import shutil
import stat
from itertools import product
from pathlib import Path
from typing import Any

import pytest
import yaml

import notice.checks
from notice.build import BuildError, build_site
from notice.buildcache import BuildCache, Store, cache_dir_for, cached_checks
from notice.checks import run_checks
from notice.loader import Content, load_content
from notice.render import _relpath
from tests import REPO_ROOT

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "small"
TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """The small fixture plus sloppy copies of its registers, so that there is much to find."""
    root = Path(shutil.copytree(FIXTURE, tmp_path / "content"))
    for number, name in enumerate(["uutiskirje", "asiakasrekisteri", "uutiskirje"], start=2):
        data = yaml.safe_load((root / "registers" / f"{name}.yaml").read_text("utf-8"))
        data["id"] = f"{name}-{number}"
        data["slug"] = {lang: f"{slug}-{number}" for lang, slug in data["slug"].items()}
        # A placeholder, vague recipients, hedging and a duplicated paragraph: findings.
        data["retention"] = {
            "fi": "TODO. Tietoja voidaan säilyttää tarvittaessa kumppaneille jne.",
            "en": "TODO. Data may be kept where applicable for partners etc.",
        }
        data["sources"] = dict(data["retention"])
        data["website"] = name == "asiakasrekisteri" and number == 3
        dump(data, root / "registers" / f"{name}-{number}.yaml")
    return root


def dump(data: Any, path: Path) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def edit(path: Path, key: str, value: dict[str, str]) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    data[key] = value
    dump(data, path)


def checked_owners(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """Record which registers each run of the checker was given."""
    runs: list[set[str]] = []
    real = notice.checks.run_checks

    def spy(part: Content, **kwargs: Any) -> list[Any]:
        runs.append({register.id for register in part.registers})
        return real(part, **kwargs)

    monkeypatch.setattr(notice.checks, "run_checks", spy)
    return runs


def as_json(findings: list[Any]) -> list[dict[str, object]]:
    return [finding.as_json() for finding in findings]


def test_findings_with_the_cache_equal_findings_without(content: Path, tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "out")
    edits = [
        None,
        ("uutiskirje-2.yaml", "retention", {"fi": "Kaksi vuotta.", "en": "Two years."}),
        ("asiakasrekisteri-3.yaml", "retention", {"fi": "TODO", "en": "TODO"}),
        ("uutiskirje-4.yaml", "sources", {"fi": "Verkkolomake, jne.", "en": "A web form etc."}),
        None,
    ]
    for change in edits:
        if change:
            name, key, value = change
            edit(content / "registers" / name, key, value)
        loaded = load_content(content, cache=cache.models)
        cached = cached_checks(loaded, cache.findings, today=TODAY)
        expected = run_checks(load_content(content), today=TODAY)
        assert len(expected) > 10
        assert as_json(cached) == as_json(expected)
        cache.flush()
        cache = BuildCache(tmp_path / "out")  # as the next build reads it


def test_changing_a_register_rechecks_and_rerenders_only_it(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    runs = checked_owners(monkeypatch)
    report = build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    assert runs == [] and report.rendered == []

    edited = content / "registers" / "uutiskirje-2.yaml"
    edit(edited, "retention", {"fi": "Vuosi.", "en": "A year."})
    report = build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    assert runs == [{"uutiskirje-2"}]  # not the site's group, not the other registers
    assert set(report.rendered) == {
        "fi/uutiskirje-2/index.html",
        "fi/uutiskirje-2/history/index.html",
        "en/newsletter-2/index.html",
        "en/newsletter-2/history/index.html",
        "registers/uutiskirje-2.json",
        "registers/uutiskirje-2.jsonld",
    }
    assert "en/newsletter-2/index.html" in report.written
    assert "A year." in (out / "en/newsletter-2/index.html").read_text("utf-8")
    assert "index.html" not in report.rendered  # the listing did not change

    # A website register is checked with the site (and the other website registers).
    edit(content / "registers" / "asiakasrekisteri-3.yaml", "retention", {"fi": "X.", "en": "X."})
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    assert runs[-1] == {"asiakasrekisteri", "asiakasrekisteri-3"}


def test_a_changed_site_invalidates_everything(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    first = build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    runs = checked_owners(monkeypatch)
    site = content / "site.yaml"
    site.write_text(site.read_text("utf-8") + "\n# a comment changes the bytes\n", "utf-8")
    cache = BuildCache(out)
    load_content(content, cache=cache.models)
    assert cache.models.models.hits == 0  # every register validated again
    report = build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    # One run: the site with its website registers, and every other register.
    assert runs == [{"uutiskirje", "asiakasrekisteri", "uutiskirje-2", "asiakasrekisteri-3",
                     "uutiskirje-4"}]  # fmt: skip
    # Every page is made again (the register's own JSON and static copies depend on their files).
    pages = {path for path in first.rendered if path.endswith((".html", ".jsonld", ".xml"))}
    assert pages <= set(report.rendered)


def test_a_corrupt_or_foreign_cache_is_ignored(content: Path, tmp_path: Path) -> None:
    out, fresh = tmp_path / "site", tmp_path / "fresh"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    entries = sorted(p for p in cache_dir_for(out).rglob("*") if p.is_file())
    assert len(entries) > 5
    # Swap two models' files (a valid entry under the wrong key), truncate or garble the rest.
    models = sorted((cache_dir_for(out) / "models").iterdir())
    first, second = models[0].read_bytes(), models[1].read_bytes()
    models[0].write_bytes(second)
    models[1].write_bytes(first)
    for index, path in enumerate(p for p in entries if p not in models[:2]):
        path.write_bytes(path.read_bytes()[: 10 * index] if index % 2 else b"not a pickle")
    edit(content / "registers" / "uutiskirje.yaml", "retention", {"fi": "Vuosi.", "en": "A year."})

    cache = BuildCache(out)
    loaded = load_content(content, cache=cache.models)
    assert cache.models.models.hits == 0
    assert as_json(cached_checks(loaded, cache.findings, today=TODAY)) == as_json(
        run_checks(load_content(content), today=TODAY)
    )
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    build_site(content, fresh, pdf=False, jobs=1, allow_errors=True)
    pages = sorted(p.relative_to(fresh) for p in fresh.rglob("*.html"))
    assert pages
    for page in pages:
        assert (out / page).read_bytes() == (fresh / page).read_bytes()


def test_the_cache_keeps_one_builds_worth(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    models = cache_dir_for(out) / "models"
    before = {path.name for path in models.iterdir()}
    edit(content / "registers" / "uutiskirje.yaml", "retention", {"fi": "Vuosi.", "en": "A year."})
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    after = {path.name for path in models.iterdir()}
    assert len(after) == len(before) == 5
    assert len(after - before) == 1  # the edited register's entry replaced its old one


def test_a_store_answers_only_for_its_key(tmp_path: Path) -> None:
    key = b"k" * 32
    store = Store(tmp_path / "s", "v1", key)
    store.put("a", [1, 2])
    store.flush()
    assert Store(tmp_path / "s", "v1", key).get("a") == [1, 2]
    assert Store(tmp_path / "s", "v1", key).get("b") is None
    assert Store(tmp_path / "s", "v2", key).get("a") is None  # other code, other keys
    assert Store(tmp_path / "s", "v1", b"o" * 32).get("a") is None  # another cache's key


def test_relative_links_are_posixpath_relpath() -> None:
    paths = ["", ".", "en/", "en/x/", "en/x/history/", "static/css/notice.css", "en/x/x.pdf",
             "registers/a.json", "index.html", "en", "a/b/c/", "../up", "/abs/"]  # fmt: skip
    for target, page in product(paths, repeat=2):
        start = posixpath.dirname(page) or "."
        assert _relpath(target or ".", start) == posixpath.relpath(target or ".", start)


# --- where the cache lives, and what it will read ---------------------------------------------


def test_the_output_holds_the_site_and_nothing_else(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    hidden = [p.relative_to(out).as_posix() for p in out.rglob(".*")]
    assert hidden == [".well-known"]  # the site's Global Privacy Control statement, nothing else
    assert [p.name for p in (out / ".well-known").iterdir()] == ["gpc.json"]
    assert not [p for p in out.rglob("*") if p.suffix in {".pickle", ".key", ".tmp"}]
    cache = cache_dir_for(out)
    assert (cache / "manifest.json").is_file() and (cache / "models").is_dir()
    assert not cache.resolve().is_relative_to(out.resolve())


def test_a_planted_pickle_never_runs(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self) -> tuple[object, ...]:
            return (Path.touch, (marker,))

    planted = pickle.dumps(("key", Exploit()))
    cache = cache_dir_for(out)
    entries = [
        p for p in cache.rglob("*") if p.is_file() and p.name not in {"key", "manifest.json"}
    ]
    assert entries
    for entry in entries:
        entry.write_bytes(planted)  # over every entry, under names the build will read
    # The old layout too: a pickle in the published folder, where earlier versions looked.
    legacy = out / ".seloste-cache" / "models"
    legacy.mkdir(parents=True)
    (legacy / "x.pickle").write_bytes(planted)
    report = build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    assert not marker.exists()
    assert report.unchanged > 0  # the manifest (plain JSON) still spares the unchanged pages
    assert not (out / ".seloste-cache").exists(), "the build removes the old published cache"


def test_entries_are_signed_with_a_key_only_this_user_can_read(
    content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    key = cache_dir_for(out) / "key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_bytes()) == 32
    # Another key (another machine's or an attacker's guess): nothing is read back.
    key.write_bytes(b"x" * 32)
    cache = BuildCache(out)
    load_content(content, cache=cache.models)
    assert cache.models.models.hits == 0


def test_the_cache_folder_is_configurable_but_not_inside_the_output(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    mine = tmp_path / "my-cache"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True, cache_dir=mine)
    assert (mine / "manifest.json").is_file()
    monkeypatch.setenv("SELOSTE_CACHE_DIR", str(tmp_path / "env-cache"))
    assert cache_dir_for(out).parent == tmp_path / "env-cache"
    with pytest.raises(BuildError, match="lies inside the output"):
        build_site(content, out, pdf=False, jobs=1, allow_errors=True, cache_dir=out / "c")


def test_a_site_built_by_an_earlier_version_moves_its_manifest_out(
    content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    cache = cache_dir_for(out)
    manifest = (cache / "manifest.json").read_bytes()
    shutil.rmtree(cache)
    (out / ".seloste-manifest.json").write_bytes(manifest)  # as earlier versions kept it
    (out / "fi" / "old-page.html").write_text("old", "utf-8")
    data = json.loads(manifest)
    data["files"]["fi/old-page.html"] = {"key": "x"}
    (out / ".seloste-manifest.json").write_text(json.dumps(data), "utf-8")
    report = build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    assert report.removed == ["fi/old-page.html"]
    assert not (out / ".seloste-manifest.json").exists()
    assert (cache / "manifest.json").is_file()


def test_an_unusable_cache_folder_is_a_clear_refusal(content: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from notice.cli import main

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", "utf-8")
    args = ["build", "--content", str(content), "--out", str(tmp_path / "site"), "--no-pdf"]
    cache = blocker / "cache"  # below a file: the folder cannot be made
    result = CliRunner().invoke(main, [*args, "--allow-errors", "--cache-dir", str(cache)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"cannot use {cache} for the build's cache" in result.output
    assert "--cache-dir" in result.output and not (tmp_path / "site").exists()


def _plant(cache: Path, key: bytes, marker: Path) -> None:
    """Fill `cache` as a stranger would: a key they know, and entries signed with it."""

    class Exploit:
        def __reduce__(self) -> tuple[object, ...]:
            return (Path.touch, (marker,))

    import hmac

    signed = hmac.new(key, pickle.dumps(("x", Exploit())), "sha256").digest()
    for entry in [p for p in cache.rglob("*") if p.is_file() and p.name != "key"]:
        if entry.name != "manifest.json":
            entry.write_bytes(signed + pickle.dumps(("x", Exploit())))
    (cache / "key").write_bytes(key)


@pytest.mark.parametrize(
    ("how", "refused"),
    [
        ("key of another user", "belongs to another user"),
        ("folder anyone can write", "can be written by others"),
    ],
)
def test_a_key_planted_in_a_shared_cache_folder_is_refused(
    content: Path, tmp_path: Path, how: str, refused: str
) -> None:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    cache, marker = cache_dir_for(out), tmp_path / "pwned"
    _plant(cache, b"k" * 32, marker)
    if how == "key of another user":
        os.chown(cache / "key", 65534, 65534)
    else:
        cache.chmod(0o777)
    with pytest.raises(BuildError, match=refused):
        build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    assert not marker.exists()


def test_a_key_others_can_read_is_replaced(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    cache, marker = cache_dir_for(out), tmp_path / "pwned"
    _plant(cache, b"k" * 32, marker)
    (cache / "key").chmod(0o644)  # anyone could have read it, and signed with it
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    assert not marker.exists()
    assert (cache / "key").read_bytes() != b"k" * 32
    assert stat.S_IMODE((cache / "key").stat().st_mode) == 0o600


@pytest.mark.parametrize("kept", [4096, 0])
def test_a_process_that_builds_again_reads_only_the_edited_register(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept: int
) -> None:
    # `notice serve` rebuilds after an edit in the same process: the models of the files that did
    # not change are kept in memory (none with KEPT_MODELS 0), and the site is what a cold build
    # of the edited content makes.
    import notice.buildcache

    monkeypatch.setattr(notice.buildcache, "KEPT_MODELS", kept)
    notice.buildcache._KEPT.clear()
    content = Path(shutil.copytree(REPO_ROOT / "tests" / "fixtures" / "small", tmp_path / "c"))
    registers = sorted((content / "registers").glob("*.yaml"))
    build_site(content, tmp_path / "site", pdf=False, jobs=1)
    read: list[str] = []
    real_get = Store.get

    def noting_get(store: Store, key: str) -> Any:
        read.append(store.folder.name)
        return real_get(store, key)

    monkeypatch.setattr(Store, "get", noting_get)
    edited = registers[0]
    edited.write_text(edited.read_text("utf-8") + "\n# edited\n", encoding="utf-8")
    build_site(content, tmp_path / "site", pdf=False, jobs=1)
    assert read.count("models") == (1 if kept else len(registers))
    cold = tmp_path / "cold"
    build_site(content, cold, pdf=False, jobs=1, cache_dir=tmp_path / "cold-cache")
    assert {p.relative_to(cold): p.read_bytes() for p in cold.rglob("*") if p.is_file()} == {
        p.relative_to(tmp_path / "site"): p.read_bytes()
        for p in (tmp_path / "site").rglob("*")
        if p.is_file()
    }
