"""The fixture site, built now, equals the committed tree tests/golden/ file by file."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.golden_tool import GOLDEN, build_fixture, compare, golden_files


def test_built_fixture_matches_the_golden_tree(tmp_path: Path) -> None:
    problems = compare(build_fixture(tmp_path / "site"))
    assert not problems, (
        "the built site differs from tests/golden/; if the change is intended, run "
        "`make golden` and review the diff\n\n" + "\n\n".join(problems)
    )


def test_golden_tree_covers_every_page_and_export() -> None:
    files = set(golden_files(GOLDEN))
    assert {"index.html", "registers.json", "sitemap.xml", "fi/cookies/index.html"} <= files
    assert "registers/asiakasrekisteri.json" in files
    assert not any(path.endswith(".pdf") or path.startswith("static/") for path in files)


def test_compare_reports_a_changed_a_missing_and_an_extra_file(tmp_path: Path) -> None:
    built = build_fixture(tmp_path / "site")
    golden = tmp_path / "golden"
    shutil.copytree(GOLDEN, golden)
    (golden / "fi" / "index.html").write_text("<p>old</p>\n", encoding="utf-8")
    (built / "extra.json").write_text("{}\n", encoding="utf-8")
    (built / "sitemap.xml").unlink()
    problems = compare(built, golden)
    assert problems[0] == "missing from the build: sitemap.xml"
    assert problems[1] == "not in tests/golden: extra.json"
    assert problems[2].startswith("differs: fi/index.html\n--- golden/fi/index.html")
    assert "-<p>old</p>" in problems[2]
    assert len(problems) == 3


def test_build_is_deterministic(tmp_path: Path) -> None:
    first = build_fixture(tmp_path / "one")
    second = build_fixture(tmp_path / "two")
    assert compare(second, first) == []
