"""`notice check`: exit codes, text and JSON output, --strict, --lang, --list-rules, docs."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from notice.checks import RULES
from notice.checks.report import rules_markdown
from notice.checks.rules import Rule
from notice.cli import main
from tests.notice.fixtures_checks import CASES, TODAY, Edit, build, write_content


def run(*args: str) -> Result:
    """Run `notice check` with a fixed today."""
    return CliRunner().invoke(main, ["check", "--today", TODAY, *args])


def content_with(tmp_path: Path, edit: Edit) -> str:
    """Write the clean fixture content with `edit` applied and return its folder."""
    site, register = build(edit)
    return str(write_content(tmp_path / "content", site, [register]))


def test_clean_content_exits_0_with_a_summary(tmp_path: Path) -> None:
    result = run("--content", content_with(tmp_path, lambda s, r: None))
    assert result.exit_code == 0
    assert result.output == "no findings; checked site.yaml and 1 register\n"


def test_error_exits_1_and_prints_linter_lines_grouped_by_owner(tmp_path: Path) -> None:
    folder = content_with(tmp_path, CASES["E15-automated-decisions"].trigger)
    result = run("--content", folder)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "== register asiakkaat"
    assert lines[1].startswith(f"{folder}/registers/asiakkaat.yaml:")
    assert " ERROR E15-automated-decisions: [fi] automated decision-making" in lines[1]
    assert "(hint: describe the logic and effects" in lines[1]
    assert lines[-1] == "2 errors; checked site.yaml and 1 register"


def test_warnings_exit_0_unless_strict(tmp_path: Path) -> None:
    folder = content_with(tmp_path, CASES["E01-business-id"].trigger)
    assert run("--content", folder).exit_code == 0
    strict = run("--content", folder, "--strict")
    assert strict.exit_code == 1
    assert "WARNING E01-business-id" in strict.output


def test_info_passes_strict(tmp_path: Path) -> None:
    result = run("--content", content_with(tmp_path, CASES["typo"].trigger), "--strict")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "1 info; checked site.yaml and 1 register"


def test_finnish_messages(tmp_path: Path) -> None:
    folder = content_with(tmp_path, CASES["E01-business-id"].trigger)
    result = run("--content", folder, "--lang", "fi")
    assert "WARNING E01-business-id: rekisterinpitäjän Y-tunnus puuttuu (vihje: " in result.output
    assert result.output.splitlines()[-1] == "1 varoitus; tarkistettu site.yaml ja 1 rekisteri"


def test_the_summary_names_the_files_checked_not_the_owners_of_findings(tmp_path: Path) -> None:
    # A site.yaml warning with two registers: it used to say "1 warning(s) in 2 register(s)".
    # Singular after 1 in every language: "1 varoitus", "1 varning", not "1 varoitusta".
    site, register = build(CASES["E01-business-id"].trigger)
    other = {**register, "id": "toinen", "slug": {"fi": "toinen", "en": "other"}}
    other["name"] = {"fi": "Toinen rekisteri", "en": "Other register"}  # not a second warning
    folder = str(write_content(tmp_path / "content", site, [register, other]))
    lines = {lang: run("--content", folder, "--lang", lang).output for lang in ("en", "fi", "sv")}
    assert lines["en"].splitlines()[-1] == "1 warning; checked site.yaml and 2 registers"
    assert lines["fi"].splitlines()[-1] == "1 varoitus; tarkistettu site.yaml ja 2 rekisteriä"
    assert lines["sv"].splitlines()[-1] == "1 varning; kontrollerade site.yaml och 2 register"


def test_json_output(tmp_path: Path) -> None:
    folder = content_with(tmp_path, CASES["placeholder"].trigger)
    result = run("--content", folder, "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.output)
    # One field, a placeholder in each of its languages: one finding naming both.
    assert payload["summary"] == {"error": 1, "warning": 0, "info": 0, "registers": 1}
    first = payload["findings"][0]
    assert first["rule_id"] == "placeholder"
    assert first["severity"] == "error"
    assert first["owner"] == "asiakkaat"
    assert first["key_path"] == ["data_subjects"]
    assert first["key"] == "data_subjects"
    assert first["language"] is None
    assert first["path"].endswith("registers/asiakkaat.yaml")
    assert isinstance(first["line"], int)
    assert set(first["message"]) == set(first["hint"]) == {"en", "fi", "sv"}
    assert first["message"]["en"] == (
        'data_subjects: placeholder left in the text: "(s-postiosoite)" (fi), "[name]" (en)'
    )


def test_default_content_passes(
    repo_root: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shutil.copytree(repo_root / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    result = run()
    assert result.exit_code == 0, result.output
    assert " ERROR " not in result.output


def test_seed_fails(repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo_root)
    result = run("--content", "tests/fixtures/seed-original")
    assert result.exit_code == 1
    assert "tests/fixtures/seed-original/registers/asiakasrekisteri.yaml:" in result.output


def test_content_error_exits_1_without_traceback(tmp_path: Path) -> None:
    folder = Path(content_with(tmp_path, lambda s, r: None))
    (folder / "site.yaml").write_text("languages: [fi]\nbase_url: 3\n", encoding="utf-8")
    result = run("--content", str(folder))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "site.yaml:" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_list_rules_shows_every_rule(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--list-rules"])
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.splitlines()]
    scan = ["scan-before-consent", "scan-duration", "scan-no-banner", "scan-not-seen"]
    scan += ["scan-third-party-host", "scan-undeclared"]
    assert sorted(listed) == sorted([*(rule.id for rule in RULES), *scan])
    # The scan rules come last, after every rule of `notice check`.
    assert sorted(listed[-len(scan) :]) == scan
    finnish = CliRunner().invoke(main, ["check", "--list-rules", "--lang", "fi"]).output
    assert "rekisterinpitäjän Y-tunnus puuttuu" in finnish


def test_docs_list_every_rule_and_are_current(repo_root: Path) -> None:
    text = (repo_root / "docs" / "checks.md").read_text(encoding="utf-8")
    assert text == rules_markdown(), "docs/checks.md is stale; run python -m notice.docs"
    for rule in RULES:
        assert f"\n## {rule.id}\n" in text
        assert rule.hint["en"] in text and rule.hint["fi"] in text


def test_explain_prints_the_legal_source_fix_and_a_loadable_example() -> None:
    result = CliRunner().invoke(main, ["check", "--explain", "e09-transfer-mechanism"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "E09-transfer-mechanism (error, element E09)"
    assert lines[1] == "Legal source: Art 13(1)(f), 44-49"
    assert lines[3].startswith("Fix: give the recipient `transfer:")
    example = "\n".join(line[4:] for line in lines[lines.index("Example:") + 1 :])
    assert yaml.safe_load(example)["recipients"][0]["transfer"]["mechanisms"] == ["sccs"]
    finnish = CliRunner().invoke(main, ["check", "--explain", "E23-cookie-basis", "--lang", "fi"])
    assert "Oikeuslähde: 917/2014 §205" in finnish.output


def test_explain_an_unknown_rule_suggests_close_ones() -> None:
    result = CliRunner().invoke(main, ["check", "--explain", "E09-transfer"])
    assert result.exit_code == 2
    assert "did you mean E09-transfers" in result.output


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_rule_has_an_example_that_is_yaml(rule: Rule) -> None:
    assert rule.example.strip()
    assert yaml.safe_load(textwrap.dedent(rule.example)) is not None


@pytest.mark.parametrize(
    ("lang", "first", "finding"),
    [
        (
            "en",
            "(warning, element E01)",
            "Finding: controller's postal address is incomplete: … missing",
        ),
        (
            "fi",
            "(varoitus, kohta E01)",
            "Havainto: rekisterinpitäjän postiosoite on puutteellinen: …",
        ),
        ("sv", "(varning, ", "den personuppgiftsansvariges postadress är ofullständig: … saknas"),
    ],
)
def test_explain_reads_as_words_in_each_language(lang: str, first: str, finding: str) -> None:
    result = CliRunner().invoke(main, ["check", "--explain", "E01-postal-address", "--lang", lang])
    assert result.exit_code == 0, result.output
    assert first in result.output.splitlines()[0]
    assert finding in result.output
    assert "{" not in result.output.split("Example")[0]
    listed = CliRunner().invoke(main, ["check", "--list-rules", "--lang", lang]).output
    assert "{" not in listed


def test_explain_a_rule_with_no_close_name_points_at_the_list() -> None:
    result = CliRunner().invoke(main, ["check", "--explain", "nonsense"])
    assert result.exit_code == 2
    assert "no rule 'nonsense'; see --list-rules" in result.output


def test_one_mistake_is_one_error_and_check_writes_nothing(repo_root: Path, tmp_path: Path) -> None:
    """A misspelt basis in the default content is reported once, at its line: the recipients
    that name its purpose's id are not reported as naming an unknown purpose."""
    content = tmp_path / "content"
    shutil.copytree(repo_root / "content", content)
    register = content / "registers" / "asiakasrekisteri.yaml"
    text = register.read_text(encoding="utf-8")
    assert "    legal_bases: [contract]\n" in text
    register.write_text(text.replace("legal_bases: [contract]", "legal_bases: [contrat]", 1))
    line = text[: text.index("legal_bases: [contract]")].count("\n") + 1
    result = CliRunner().invoke(main, ["check", "--content", str(content)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{register}:{line}: purposes.0.legal_bases.0: 'contrat' is not one of 'consent', "
        "'contract', 'legal_obligation', 'vital_interests', 'public_task' or "
        "'legitimate_interests' (did you mean 'contract'?)",
        "1 error in content.",
    ]
    # site.yaml loaded, so its own warnings are reported beside the error (and nothing else).
    assert result.stdout.splitlines()[-1] == (
        "1 error, 2 warnings; checked site.yaml and 1 register; "
        f"not checked (did not load): {register}"
    )


def _unloadable(tmp_path: Path) -> tuple[Path, Path, int]:
    """Content whose register has a date that is not one: its folder, the file and the line."""
    folder = Path(content_with(tmp_path, lambda site, register: None))
    register = next((folder / "registers").glob("*.yaml"))
    lines = register.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("prepared:"))
    lines[at] = "prepared: 3. lokakuuta"
    register.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder, register, at + 1


def test_json_output_gives_load_errors_as_findings_on_stdout(tmp_path: Path) -> None:
    """A tool reading `--format json` reads content that does not load in the one shape it
    reads findings in: file, line, key, severity error and a message per UI language."""
    folder, register, line = _unloadable(tmp_path)
    result = CliRunner().invoke(
        main, ["check", "--today", TODAY, "--content", str(folder), "--format", "json"]
    )
    assert result.exit_code == 1
    assert result.stderr == ""  # the JSON is the whole answer, as it is for findings
    payload = json.loads(result.stdout)
    assert set(payload) == {"findings", "summary"}
    # site.yaml loaded: the summary keeps a check's shape, counting the registers checked.
    assert payload["summary"] == {"error": 1, "warning": 0, "info": 0, "registers": 0}
    (error,) = payload["findings"]
    # The keys of a real finding's JSON, no more and no fewer.
    warned = content_with(tmp_path / "warned", CASES["E01-business-id"].trigger)
    (finding,) = json.loads(run("--content", warned, "--format", "json").stdout)["findings"]
    assert set(error) == set(finding)
    assert (error["path"], error["line"], error["key"]) == (str(register), line, "prepared")
    assert error["severity"] == "error"
    assert error["rule_id"] == "load-error"
    assert error["owner"] == register.stem
    assert error["key_path"] == ["prepared"]
    assert set(error["message"]) == set(error["hint"]) == set(finding["message"])
    assert "is not a date" in error["message"]["en"]


def test_text_output_gives_load_errors_as_lines_on_stderr(tmp_path: Path) -> None:
    folder, register, line = _unloadable(tmp_path)
    result = CliRunner().invoke(main, ["check", "--today", TODAY, "--content", str(folder)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{register}:{line}: prepared: ")
    assert "is not a date" in lines[0]
    assert lines[-1] == "1 error in content."


def test_scan_json_output_gives_load_errors_as_findings_too(tmp_path: Path) -> None:
    folder, register, line = _unloadable(tmp_path)
    result = CliRunner().invoke(
        main, ["scan", "http://127.0.0.1:9/", "--content", str(folder), "--format", "json"]
    )
    assert result.exit_code == 1
    (error,) = json.loads(result.stdout)["findings"]
    assert (error["path"], error["line"], error["severity"]) == (str(register), line, "error")
