"""Every letter kind reads, in fi, sv and en, as tests/golden/letters/ says (golden_letters)."""

from __future__ import annotations

from pathlib import Path

from tests.golden_letters import GOLDEN, HOW_TO_REGENERATE, compare, render_all


def test_letters_read_as_their_golden_text() -> None:
    problems = compare(render_all())
    assert not problems, "\n\n".join([*problems, HOW_TO_REGENERATE])


def test_a_changed_letter_is_reported_with_its_diff(tmp_path: Path) -> None:
    for path in GOLDEN.glob("*.txt"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "receipt.en.txt").write_text("We never received anything.\n", encoding="utf-8")
    (tmp_path / "withdrawn.en.txt").write_text("old\n", encoding="utf-8")
    (tmp_path / "receipt.sv.txt").unlink()
    rendered = {path.name: path.read_text(encoding="utf-8") for path in GOLDEN.glob("*.txt")}
    problems = compare(rendered, tmp_path)
    assert problems[0] == "no longer rendered: withdrawn.en.txt"
    assert problems[1] == f"not in {tmp_path}: receipt.sv.txt"
    assert problems[2].startswith("--- golden/receipt.en.txt\n+++ rendered/receipt.en.txt\n")
    assert "-We never received anything." in problems[2]
    assert len(problems) == 3
