"""Format v1 → v2: a v1 file loads as it is, and `notice migrate` rewrites it to say the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

from notice.build import build_site
from notice.cli import main
from notice.file_paths import file_key_path
from notice.loader import load_content
from notice.migrate import (
    FORMAT_VERSION,
    migrate_content,
    migrate_register,
    version_label,
)
from notice.model import LegalBasis, RecipientRole, Register, TransferMechanism
from tests import REPO_ROOT

V1_TREES = {
    "content": REPO_ROOT / "tests" / "fixtures" / "small",
    "seed": REPO_ROOT / "tests" / "fixtures" / "seed-original",
}

V1_REGISTER = {
    "id": "r",
    "purposes": [
        {"description": {"en": "Direct marketing to customers"}, "legal_basis": "consent"},
        {"description": {"en": "Bookkeeping"}, "legal_basis": "legal_obligation"},
    ],
    "data_categories": [{"en": "Name"}, {"en": "E-mail"}],
    "recipients": [
        {"name": {"en": "Mailer Inc."}, "role": "processor"},
        {"name": {"en": "Tax office"}, "role": "authority"},
    ],
    "transfers": [
        {"recipient": "Mailer Inc.", "country": "United States", "mechanism": "sccs"},
        {"recipient": "Other LLC", "country": "Intia", "mechanism": "derogation"},
    ],
    "automated_decisions": {"en": "We score applications."},
}


def test_migration_says_the_same_in_the_v2_shape() -> None:
    data, changes = migrate_register(V1_REGISTER)
    assert data["version"] == FORMAT_VERSION
    assert [p["legal_bases"] for p in data["purposes"]] == [["consent"], ["legal_obligation"]]
    assert all("legal_basis" not in p for p in data["purposes"])
    assert [p.get("direct_marketing", False) for p in data["purposes"]] == [True, False]
    assert data["data_categories"] == [{"name": {"en": "Name"}}, {"name": {"en": "E-mail"}}]
    mailer, tax = data["recipients"]
    assert tax["role"] == "public_authority"
    # A transfer to a listed recipient moves onto it; one to nobody listed stays a transfer.
    assert mailer["country"] == "US" and mailer["transfer"] == {"mechanisms": ["sccs"]}
    assert data["transfers"] == [
        {"recipient": "Other LLC", "country": "IN", "mechanisms": ["derogation"]}
    ]
    assert data["automated_decisions"] == [{"description": {"en": "We score applications."}}]
    keys = {change.key for change in changes}
    assert {"purposes.0.legal_basis", "data_categories.1", "recipients.1.role"} <= keys
    assert {"transfers.0", "transfers.1", "automated_decisions", "version"} <= keys
    assert migrate_register(V1_REGISTER)[0] == data  # the input is not modified
    assert migrate_register(data) == (data, [])  # v2 stays as it is


def test_v1_shorthands_load_as_v2_structure(tmp_path: Path) -> None:
    content = load_content(V1_TREES["content"])
    register = content.register("asiakasrekisteri")
    assert all(purpose.bases for purpose in register.purposes)
    assert register.data_categories[0].name
    (transfer,) = register.third_country_transfers
    assert transfer.country == "US"
    assert transfer.safeguards is not None
    assert transfer.safeguards.all_mechanisms == [TransferMechanism.adequacy]
    assert RecipientRole.authority is RecipientRole.public_authority
    assert LegalBasis.consent in content.register("uutiskirje").bases


@pytest.mark.parametrize("name", sorted(V1_TREES))
def test_migrated_tree_loads_and_renders_the_same_pages(name: str, tmp_path: Path) -> None:
    original = tmp_path / "v1"
    shutil.copytree(V1_TREES[name], original)
    migrated = tmp_path / "v2"
    shutil.copytree(V1_TREES[name], migrated)
    files = migrate_content(migrated)
    assert any(f.changes for f in files)
    for migration in files:
        # The written YAML reads back as exactly what the migration produced.
        again = yaml.safe_load(migration.text)
        assert again == yaml.safe_load(migration.text.replace("\r", ""))
        migration.path.write_text(migration.text, encoding="utf-8")
    assert [f.changes for f in migrate_content(migrated)] == [[] for _ in files]
    before = load_content(original, allow_html=True)
    after = load_content(migrated, allow_html=True)
    assert [r.id for r in after.registers] == [r.id for r in before.registers]
    for v1, v2 in zip(before.registers, after.registers, strict=True):
        assert v2.version == FORMAT_VERSION and v1.version is None
        assert [p.bases for p in v2.purposes] == [p.bases for p in v1.purposes]
        assert v2.data_categories == v1.data_categories
        assert _transfer_facts(v2) == _transfer_facts(v1)
        assert v2.automated_decisions == v1.automated_decisions
    if name == "seed":
        return  # raw HTML: the faithful seed loads for checking but is never built
    out_v1, out_v2 = tmp_path / "out1", tmp_path / "out2"
    build_site(original, out_v1, pdf=False, allow_errors=True)
    build_site(migrated, out_v2, pdf=False, allow_errors=True)
    pages = sorted(p.relative_to(out_v1) for p in out_v1.rglob("index.html"))
    assert pages
    for page in pages:
        if "history" in page.parts:
            continue  # the archive lists file digests, which change with the text
        text_v1 = BeautifulSoup((out_v1 / page).read_text(encoding="utf-8"), "html.parser")
        text_v2 = BeautifulSoup((out_v2 / page).read_text(encoding="utf-8"), "html.parser")
        main_v1, main_v2 = text_v1.find("main"), text_v2.find("main")
        assert main_v1 is not None and main_v2 is not None
        assert main_v2.get_text(" ", strip=True) == main_v1.get_text(" ", strip=True), page


def _transfer_facts(register: Register) -> list[tuple[object, ...]]:
    return [
        (
            t.recipient,
            t.country,
            t.safeguards.all_mechanisms if t.safeguards else None,
            t.safeguards.details if t.safeguards else None,
        )
        for t in register.third_country_transfers
    ]


def test_cli_reports_then_writes_with_a_backup(tmp_path: Path) -> None:
    tree = tmp_path / "content"
    shutil.copytree(V1_TREES["content"], tree)
    register = tree / "registers" / "asiakasrekisteri.yaml"
    before = register.read_text(encoding="utf-8")
    dry = CliRunner().invoke(main, ["migrate", "--content", str(tree)])
    assert dry.exit_code == 0, dry.output
    assert "purposes.0.legal_basis: now `legal_bases: [...]`" in dry.output
    assert register.read_text(encoding="utf-8") == before
    wet = CliRunner().invoke(main, ["migrate", "--content", str(tree), "--write"])
    assert wet.exit_code == 0, wet.output
    assert (tree / "registers" / "asiakasrekisteri.yaml.v1.bak").read_text(
        encoding="utf-8"
    ) == before
    assert yaml.safe_load(register.read_text(encoding="utf-8"))["version"] == FORMAT_VERSION
    again = CliRunner().invoke(main, ["migrate", "--content", str(tree)])
    assert "already in the current format" in again.output


def test_cli_writes_nothing_when_the_result_would_not_load(tmp_path: Path) -> None:
    tree = tmp_path / "content"
    shutil.copytree(V1_TREES["content"], tree)
    register = tree / "registers" / "asiakasrekisteri.yaml"
    broken = register.read_text(encoding="utf-8").replace("legal_basis: contract", "legal_basis: x")
    register.write_text(broken, encoding="utf-8")
    result = CliRunner().invoke(main, ["migrate", "--content", str(tree), "--write"])
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert register.read_text(encoding="utf-8") == broken
    assert not list(tree.rglob("*.bak"))


def test_findings_point_at_the_v1_spelling_of_a_path() -> None:
    lines = {("data_categories", 0, "fi"): 3, ("automated_decisions", "fi"): 9}
    assert file_key_path(("data_categories", 0, "name", "fi"), lines) == (
        "data_categories",
        0,
        "fi",
    )
    assert file_key_path(("automated_decisions", 0, "description", "fi"), lines) == (
        "automated_decisions",
        "fi",
    )
    assert file_key_path(("purposes", 0), lines) == ("purposes", 0)


COMMENTED_V1 = """\
# Jäsenrekisteri of Urheiluseura Kiri ry: reviewed by the board every spring.
# Ask Maija before changing the retention.
id: jasenrekisteri
slug: {fi: jasenrekisteri, en: member-register}
name: {fi: Jäsenrekisteri, en: Member register}
prepared: 2021-03-15
updated: 2026-11-20

# --- why we hold the data ---
purposes:
  - description: {fi: Jäsenyyden hoitaminen., en: Running the membership.}
    legal_basis: contract  # the membership terms, § 4
  # marketing was dropped in 2023
  - description: {fi: Kirjanpito., en: Bookkeeping.}
    legal_basis: legal_obligation
provision_requirement:
  fi: Jäseneksi ei voi liittyä ilman nimeä ja osoitetta.
  en: One cannot join without a name and an address.
data_subjects: {fi: Seuran jäsenet., en: The club's members.}
data_categories:
  - {fi: Nimi, en: Name}  # from the join form
  # birth year only, never the full date
  - {fi: Syntymävuosi, en: Year of birth}
sources: {fi: Jäsen itse., en: The member.}
recipients:
  - name: {fi: Kilpailukalenteri Inc., en: Kilpailukalenteri Inc.}
    role: processor  # signed DPA 2022
  - name: {fi: Verohallinto, en: Finnish Tax Administration}
    role: authority
transfers:
  - recipient: Kilpailukalenteri Inc.
    country: United States  # Data Privacy Framework certified
    mechanism: adequacy
retention: {fi: Jäsenyyden ajan ja 2 vuotta., en: The membership and two years.}
automated_decisions: {fi: Ei automaattista päätöksentekoa., en: No automated decision-making.}
# security reviewed 2026-10
security:
  electronic: {fi: Rekisteriin pääsee vain hallitus., en: Only the board can reach the register.}
"""

COMMENTS = [line.split("#", 1)[1] for line in COMMENTED_V1.splitlines() if "#" in line]


def test_write_keeps_every_comment_and_the_key_order(tmp_path: Path) -> None:
    tree = tmp_path / "content"
    shutil.copytree(V1_TREES["content"], tree)
    register = tree / "registers" / "jasenrekisteri.yaml"
    register.write_text(COMMENTED_V1, encoding="utf-8")
    before = CliRunner().invoke(main, ["check", "--content", str(tree)])
    result = CliRunner().invoke(main, ["migrate", "--content", str(tree), "--write"])
    assert result.exit_code == 0, result.output
    assert "comments and key order kept" in result.output
    text = register.read_text(encoding="utf-8")
    written = [line.split("#", 1)[1] for line in text.splitlines() if "#" in line]
    assert written == COMMENTS
    # Each comment stays next to what it was about.
    assert "    legal_bases: [contract] # the membership terms, § 4\n" in text
    assert "  - name: {fi: Nimi, en: Name} # from the join form\n" in text
    assert "\n  # birth year only, never the full date\n  - name: {fi: Syntymävuosi" in text
    assert text.startswith(
        "# Jäsenrekisteri of Urheiluseura Kiri ry: reviewed by the board every spring.\n"
        "# Ask Maija before changing the retention.\nversion: 2.1\nid: jasenrekisteri\n"
    )
    assert (
        "    role: processor  # signed DPA 2022\n    country: US             # Data Privacy" in text
    )
    data = yaml.safe_load(text)
    assert list(data) == [
        "version", "id", "slug", "name", "prepared", "updated", "purposes",
        "provision_requirement", "data_subjects", "data_categories", "sources", "recipients",
        "retention", "automated_decisions", "security",
    ]  # fmt: skip
    assert data["recipients"][0]["transfer"] == {"mechanisms": ["adequacy"]}
    assert data["automated_decisions"] == [
        {
            "description": {
                "fi": "Ei automaattista päätöksentekoa.",
                "en": "No automated decision-making.",
            }
        }
    ]
    # The checker finds the same in the migrated file as in the v1 one.
    after = CliRunner().invoke(main, ["check", "--content", str(tree)])
    assert after.exit_code == before.exit_code
    assert _findings(after.output) == _findings(before.output)
    assert "jasenrekisteri" in before.output


def _findings(output: str) -> list[str]:
    """The checker's lines without their line numbers (the migration moves lines)."""
    import re

    return [re.sub(r"\.yaml:\d+:", ".yaml:", line) for line in output.splitlines()]


def test_cli_backup_names_the_version_it_holds(tmp_path: Path) -> None:
    # A format-2 tree: the v1 fixture migrated, then marked `version: 2` as a format-2 author
    # would have written it.
    tree = tmp_path / "content"
    shutil.copytree(V1_TREES["content"], tree)
    first = CliRunner().invoke(main, ["migrate", "--content", str(tree), "--write"])
    assert first.exit_code == 0, first.output
    assert "the originals are in the .v1.bak copies" in first.output
    for backup in tree.rglob("*.bak"):
        backup.unlink()
    register = tree / "registers" / "asiakasrekisteri.yaml"
    v2_text = register.read_text(encoding="utf-8").replace(
        f"version: {FORMAT_VERSION}", "version: 2", 1
    )
    register.write_text(v2_text, encoding="utf-8")
    second = CliRunner().invoke(main, ["migrate", "--content", str(tree), "--write"])
    assert second.exit_code == 0, second.output
    assert "the originals are in the .v2.bak copies" in second.output
    assert [p.name for p in tree.rglob("*.bak")] == ["asiakasrekisteri.yaml.v2.bak"]
    assert (tree / "registers" / "asiakasrekisteri.yaml.v2.bak").read_text(
        encoding="utf-8"
    ) == v2_text
    assert yaml.safe_load(register.read_text(encoding="utf-8"))["version"] == FORMAT_VERSION


def test_version_label_names_the_format() -> None:
    assert [version_label(v) for v in (None, 1, 2, 2.0, 2.1)] == ["1", "1", "2", "2", "2.1"]
