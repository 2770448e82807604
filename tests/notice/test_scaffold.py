"""`notice new` writes a register that loads and that `notice check` walks through, line by line."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from notice.checks import Severity, run_checks
from notice.cli import main
from notice.loader import load_content
from notice.model import LegalBasis
from notice.scaffold import scaffold
from tests import REPO_ROOT

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small"
TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(SMALL, root)
    return root


def test_new_register_loads_and_every_todo_is_an_error_at_its_line(content: Path) -> None:
    result = CliRunner().invoke(
        main, ["new", "hakijat", "--content", str(content), "--kind", "applicants"]
    )
    assert result.exit_code == 0, result.output
    path = content / "registers" / "hakijat.yaml"
    register = load_content(content).register("hakijat")
    assert register.name == {"fi": "Työnhakijarekisteri", "en": "Job applicant register"}
    assert [p.bases for p in register.purposes] == [[LegalBasis.contract], [LegalBasis.consent]]
    assert register.purposes[1].withdrawal is not None
    findings = [f for f in run_checks(load_content(content), today=TODAY) if f.owner == "hakijat"]
    lines = path.read_text(encoding="utf-8").splitlines()
    todo_lines = {n for n, line in enumerate(lines, start=1) if '"TODO:' in line}
    placeholder = [f.line for f in findings if f.rule_id == "placeholder"]
    assert placeholder == sorted(todo_lines)  # each field once, not once per language
    assert {f.message["en"].rsplit("(", 1)[1] for f in findings} == {"fi and en)"}
    # Decisions rather than texts are asked for by a TODO too: the TODOs are all that is listed.
    assert {f.rule_id for f in findings} == {"placeholder"}
    assert all(f.severity is Severity.error for f in findings)


def test_new_refuses_to_overwrite_and_bad_ids(content: Path) -> None:
    existing = content / "registers" / "uutiskirje.yaml"
    before = existing.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["new", "uutiskirje", "--content", str(content)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert existing.read_text(encoding="utf-8") == before
    bad = CliRunner().invoke(main, ["new", "Bad Id", "--content", str(content)])
    assert bad.exit_code == 1 and "not a valid id" in bad.output


@pytest.mark.parametrize(
    ("bases", "expected"),
    [
        ([LegalBasis.legitimate_interests], "legitimate_interest:"),
        ([LegalBasis.public_task], "national_law:"),
        ([], "# TODO: give `legal_bases"),
    ],
)
def test_each_basis_asks_for_what_it_needs(bases: list[LegalBasis], expected: str) -> None:
    text = scaffold("r", ["fi", "sv", "en"], bases=bases, today=TODAY)
    assert expected in text
    assert 'sv: "TODO:' in text


RECORDS = Path(__file__).resolve().parents[1] / "fixtures" / "records"


@pytest.mark.parametrize(
    ("kind", "slugs"),
    [
        ("customers", {"fi": "asiakasrekisteri", "sv": "kundregister", "en": "customer-register"}),
        ("newsletter", {"fi": "uutiskirje", "sv": "nyhetsbrev", "en": "newsletter"}),
        ("applicants", {"fi": "tyonhakijat", "sv": "arbetssokande", "en": "job-applicants"}),
        (
            "employees",
            {"fi": "henkilostorekisteri", "sv": "personalregister", "en": "personnel-register"},
        ),
        # No kind: no known word, and no basis (given here, else E05 asks for one).
        ("generic", {"fi": "kassa", "sv": "kassa", "en": "kassa"}),
    ],
)
def test_fresh_skeleton_check_lists_exactly_its_todos(
    kind: str, slugs: dict[str, str], tmp_path: Path
) -> None:
    root = tmp_path / "content"
    root.mkdir()
    # A site in three languages whose registers/ holds only the new file.
    shutil.copy(RECORDS / "site.yaml", root / "site.yaml")
    basis = ["--basis", "legitimate_interests"] if kind == "generic" else []
    new = CliRunner().invoke(main, ["new", "kassa", "--content", str(root), "--kind", kind, *basis])
    assert new.exit_code == 0, new.output
    path = root / "registers" / "kassa.yaml"
    register = load_content(root).register("kassa")
    assert register.slug == slugs
    assert register.transfers == "none"
    (decision,) = register.automated_decisions or []
    assert decision.logic is not None and decision.consequences is not None
    check = CliRunner().invoke(main, ["check", "--content", str(root), "--today", "2026-12-01"])
    lines = path.read_text(encoding="utf-8").splitlines()
    todo = [n for n, line in enumerate(lines, start=1) if '"TODO:' in line]
    todo_keys = [lines[n - 1].split(":")[0].strip(" -") for n in todo]
    assert "transfers_note" in todo_keys
    assert todo_keys.count("description") == len(register.purposes) + 1  # + the decision
    assert {"logic", "significance", "consequences"} <= set(todo_keys)
    listed = [line for line in check.output.splitlines() if line.startswith(str(path))]
    # One line per field to fill, at the field's line, naming its key as the YAML says it and
    # every language the TODO is left in.
    shown = [line.split(": ERROR placeholder: ", 1)[1].split(": ", 1)[0] for line in listed]
    assert [key.rsplit(".", 1)[-1] for key in shown] == todo_keys
    assert {"purposes.0.description", "automated_decisions.0.logic", "transfers_note"} <= set(shown)
    expected = [
        f'{path}:{n}: ERROR placeholder: {key}: placeholder left in the text: "TODO" '
        "(fi, sv and en) (hint: replace it with the real content in each language named)"
        for n, key in zip(todo, shown, strict=True)
    ]
    assert listed == expected
    assert check.output.endswith(f"{len(expected)} errors; checked site.yaml and 1 register\n")


def test_new_tells_a_newcomer_what_to_fill_and_what_to_run_next(content: Path) -> None:
    result = CliRunner().invoke(main, ["new", "kassa", "--content", str(content)])
    assert result.exit_code == 0, result.output
    path = content / "registers" / "kassa.yaml"
    check = CliRunner().invoke(main, ["check", "--content", str(content), "--today", "2026-12-01"])
    to_fill = [line for line in check.output.splitlines() if line.startswith(f"{path}:")]
    assert result.output == (
        f"wrote {path}: {len(to_fill)} fields to fill, each marked TODO (in fi, en).\n"
        "Next:\n"
        "  1. Open the file and replace every TODO with the real text, in every language;\n"
        "     the comments say what a field needs, and where `none` may stand instead.\n"
        f"  2. Run `notice check --content {content}`: one line per field still to fill,\n"
        "     `file:line: ERROR rule: key: message`, until it reports no errors.\n"
        "     `notice check --explain RULE` gives a rule's legal source and a YAML example.\n"
        f"  3. See the notice: `notice serve --watch --content {content}`\n"
        "     (it rebuilds on every save).\n"
    )
    # The count is the checker's: every TODO field once, and the purpose's missing legal basis.
    assert sum(": ERROR placeholder: " in line for line in to_fill) == len(to_fill) - 1
    assert sum(": ERROR E05-legal-basis: " in line for line in to_fill) == 1
    header = path.read_text(encoding="utf-8").splitlines()[1:4]
    assert "it lists each field that remains, once, at its line." in " ".join(header)


def test_a_website_newsletter_on_a_google_analytics_site_states_the_transfer(
    tmp_path: Path,
) -> None:
    """`transfers: none` beside the site's Google Analytics gave E09 once per language."""
    root = tmp_path / "content"
    (root / "registers").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "content" / "site.yaml", root / "site.yaml")
    new = CliRunner().invoke(
        main, ["new", "uutiskirje", "--content", str(root), "--kind", "newsletter", "--website"]
    )
    assert new.exit_code == 0, new.output
    text = (root / "registers" / "uutiskirje.yaml").read_text(encoding="utf-8")
    assert "transfers: none" not in text
    assert "# E-mail direct marketing (Information Society Code 917/2014 s 200)" in text
    register = load_content(root).register("uutiskirje")
    assert [
        (t.country, t.safeguards and t.safeguards.decision)
        for t in register.third_country_transfers
    ] == [("US", "(EU) 2023/1795")]
    assert register.marketing is not None and register.direct_marketing
    findings = run_checks(load_content(root), today=TODAY)
    # Only the texts to write are asked for: no finding on transfers, Google or marketing.
    assert {f.rule_id for f in findings if f.owner == "uutiskirje"} == {"placeholder"}
    refusal = [f for f in findings if f.key_path == ("marketing", "refusal")]
    assert [f.message["en"] for f in refusal] == [
        'marketing.refusal: placeholder left in the text: "TODO" (fi, sv and en)'
    ]


def test_transfer_prose_without_a_country_is_one_finding_not_one_per_language(
    tmp_path: Path,
) -> None:
    root = tmp_path / "content"
    (root / "registers").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "content" / "site.yaml", root / "site.yaml")
    text = scaffold(
        "uutiskirje", ["fi", "sv", "en"], kind="newsletter", website=True, today=TODAY
    ).replace('"TODO: ', '"')
    (root / "registers" / "uutiskirje.yaml").write_text(text, encoding="utf-8")
    findings = run_checks(load_content(root), today=TODAY)
    unspecified = [f for f in findings if f.rule_id == "E09-transfers-unspecified"]
    assert [(f.language, f.message["en"][:60]) for f in unspecified] == [
        ("fi", "Google Analytics sends data abroad but the transfer text nam")
    ]


def test_new_without_a_site_yaml_names_it_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run where the content is the current folder itself: no `content/site.yaml` to read the
    languages from. The register is not written in guessed languages; the error names the
    missing file and `--content`, and `--content .` then writes it in the site's languages."""
    shutil.copy(SMALL / "site.yaml", tmp_path / "site.yaml")
    monkeypatch.chdir(tmp_path)
    args = ["new", "uutiskirje", "--kind", "newsletter", "--basis", "consent"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "content/site.yaml: not found" in result.output
    assert "--content DIR" in result.output
    assert "--content ." in result.output  # the site.yaml right here
    assert "nothing was written" in result.output
    assert not (tmp_path / "content").exists()
    assert not (tmp_path / "registers").exists()
    written = CliRunner().invoke(main, [*args, "--content", "."])
    assert written.exit_code == 0, written.output
    assert "(in fi, en)" in written.output
    assert load_content(tmp_path).register("uutiskirje").name["fi"] == "Uutiskirjeen tilaajat"


def test_new_with_a_site_yaml_without_languages_writes_nothing(content: Path) -> None:
    site = content / "site.yaml"
    text = site.read_text(encoding="utf-8")
    site.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("languages:")),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["new", "kassa", "--content", str(content)])
    assert result.exit_code == 1
    assert "site.yaml: no `languages`" in result.output
    assert not (content / "registers" / "kassa.yaml").exists()
