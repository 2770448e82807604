"""A finding's hint says what to add for this content: only the missing address keys, and no
`{placeholder}` left in the text a person reads (`notice check`, text and JSON, every language)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from notice.cli import main
from tests.notice.fixtures_checks import _DELETE, CASES, TODAY, Edit, S, build, write_content


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", "--today", TODAY, *args])


def content_with(tmp_path: Path, edit: Edit) -> str:
    site, register = build(edit)
    return str(write_content(tmp_path / "content", site, [register]))


def _line(output: str, rule_id: str) -> str:
    lines = [line for line in output.splitlines() if f" {rule_id}: " in line]
    assert len(lines) == 1, output
    return lines[0]


@pytest.mark.parametrize(
    ("missing", "hints"),
    [
        (
            ["city"],
            {
                "en": "add `city` under `controller`",
                "fi": "lisää `controller`-kohtaan `city`",
                "sv": "lägg till `city` under `controller`",
            },
        ),
        (
            ["postal_code", "city"],
            {
                "en": "add `postal_code` and `city` under `controller`",
                "fi": "lisää `controller`-kohtaan `postal_code` ja `city`",
                "sv": "lägg till `postal_code` och `city` under `controller`",
            },
        ),
        (
            ["street_address", "postal_code", "city"],
            {
                "en": "add `street_address`, `postal_code` and `city` under `controller`",
                "fi": "lisää `controller`-kohtaan `street_address`, `postal_code` ja `city`",
                "sv": "lägg till `street_address`, `postal_code` och `city` under `controller`",
            },
        ),
    ],
)
def test_the_postal_address_hint_names_only_the_missing_keys(
    tmp_path: Path, missing: list[str], hints: dict[str, str]
) -> None:
    def edit(site: dict, register: dict) -> None:
        for key in missing:
            S(f"controller.{key}", _DELETE)(site, register)
        site["controller"].setdefault("email", "privacy@example.fi")  # still reachable

    folder = content_with(tmp_path, edit)
    for lang, hint in hints.items():
        result = run("--content", folder, "--lang", lang)
        line = _line(result.output, "E01-postal-address")
        word = {"en": "hint", "fi": "vihje", "sv": "tips"}[lang]
        assert line.endswith(f"({word}: {hint})"), line
    found = json.loads(run("--content", folder, "--format", "json").output)
    (finding,) = [f for f in found["findings"] if f["rule_id"] == "E01-postal-address"]
    assert finding["hint"] == hints


@pytest.mark.parametrize("rule_id", ["E01-postal-address", "E01-register-controller"])
def test_no_hint_shows_a_placeholder(tmp_path: Path, rule_id: str) -> None:
    folder = content_with(tmp_path, CASES[rule_id].trigger)
    for lang in ("en", "fi", "sv"):
        line = _line(run("--content", folder, "--lang", lang).output, rule_id)
        assert not re.search(r"\{\w+\}", line), line
