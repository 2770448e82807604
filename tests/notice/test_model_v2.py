"""The v2 content model: the elements real notices need load as structure, with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from notice.loader import ContentError, load_content
from notice.model import (
    Art9Condition,
    Art22Ground,
    LegalBasis,
    RecipientRole,
    Right,
    RightExtent,
    SpecialCategory,
    TransferMechanism,
)

SITE = """\
languages: [fi, sv, en]
base_url: https://example.fi/
controller:
  name: Esimerkin kaupunki
  localized_name: {fi: Esimerkin kaupunki, sv: Exempelby stad, en: City of Esimerkki}
  email: kirjaamo@example.fi
dpo:
  title: {fi: Tietosuojavastaava, sv: Dataskyddsombud, en: Data protection officer}
  email: tietosuoja@example.fi
representative: none
"""

REGISTER = """\
id: r
version: 2
slug: {fi: r, sv: r, en: r}
name: {fi: R, sv: R, en: R}
prepared: 2026-01-01
joint_controllers:
  - name: Opetushallitus
    role: {fi: Varda-tietovaranto, sv: Varda-datalagret, en: The Varda repository}
    essence: {fi: Sopimus, sv: Avtal, en: Agreement}
purposes:
  - id: ecec
    description: {fi: Varhaiskasvatus, sv: Småbarnspedagogik, en: Early childhood education}
    legal_bases: [public_task, legal_obligation]
    national_law: {fi: 540/2018, sv: 540/2018, en: 540/2018}
  - id: news
    description: {fi: Uutiskirje, sv: Nyhetsbrev, en: Newsletter}
    legal_bases: [consent]
    withdrawal: {fi: Linkki, sv: Länk, en: Link}
    direct_marketing: true
children:
  guardians: {fi: Huoltaja, sv: Vårdnadshavare, en: Guardian}
data_categories:
  - name: {fi: Terveys, sv: Hälsa, en: Health}
    retention: {fi: 10 v, sv: 10 år, en: 10 years}
    provision: statutory
    sources:
      - data_subject
      - name: {fi: VTJ, sv: BDS, en: Population register}
        publicly_accessible: false
    special:
      category: health
      condition: substantial_public_interest
      national_law: {fi: 1050/2018 §6, sv: 1050/2018 §6, en: 1050/2018 s 6}
  - name: {fi: Rikostausta, sv: Brottsbakgrund, en: Criminal record}
    criminal:
      authorisation: {fi: 504/2002, sv: 504/2002, en: 504/2002}
recipients:
  - name: {fi: CRM, sv: CRM, en: CRM}
    role: processor
    purposes: [news]
    country: US
    transfer:
      mechanisms: [adequacy, sccs]
      decision: (EU) 2023/1795
      details: {fi: Kopio, sv: Kopia, en: Copy on request}
  - name: {fi: Verottaja, sv: Skatteförvaltningen, en: Tax}
    role: authority
    country: Suomi
automated_decisions:
  - description: {fi: Pisteytys, sv: Poängsättning, en: Scoring}
    logic: {fi: Malli, sv: Modell, en: Model}
    significance: {fi: Luotto, sv: Kredit, en: Credit}
    consequences: {fi: Hylkäys, sv: Avslag, en: Refusal}
    ground: contract
    safeguards: {fi: Ihminen, sv: Människa, en: Human review}
restrictions:
  - right: access
    extent: restricted
    reason: {fi: Laki, sv: Lag, en: Law}
    law: Tietosuojalaki 1050/2018 §34
"""


def _tree(tmp_path: Path, site: str = SITE, register: str = REGISTER) -> Path:
    (tmp_path / "registers").mkdir(parents=True, exist_ok=True)
    (tmp_path / "site.yaml").write_text(site, encoding="utf-8")
    (tmp_path / "registers" / "r.yaml").write_text(register, encoding="utf-8")
    return tmp_path


def test_v2_register_loads_every_element(tmp_path: Path) -> None:
    content = load_content(_tree(tmp_path))
    site, register = content.site, content.register("r")
    assert site.controller.localized_name and site.controller.localized_name["sv"] == (
        "Exempelby stad"
    )
    assert site.dpo != "none" and site.dpo is not None and site.dpo.name is None
    (joint,) = register.joint_controllers
    assert joint.name == "Opetushallitus" and joint.essence
    assert register.purposes[0].bases == [LegalBasis.public_task, LegalBasis.legal_obligation]
    assert register.children is not None and register.children.consent_age == 13
    health, criminal = register.data_categories
    assert health.special is not None
    assert health.special.category is SpecialCategory.health
    assert health.special.condition is Art9Condition.substantial_public_interest
    assert health.sources[0] == "data_subject"
    assert criminal.criminal is not None and criminal.criminal.authorisation
    crm, tax = register.recipients
    assert tax.role is RecipientRole.public_authority and tax.country == "FI"
    (transfer,) = register.third_country_transfers
    assert transfer.country == "US" and transfer.key_path == ("recipients", 0)
    assert transfer.safeguards is not None
    assert transfer.safeguards.all_mechanisms == [
        TransferMechanism.adequacy,
        TransferMechanism.sccs,
    ]
    assert register.automated_decisions != "none" and register.automated_decisions is not None
    assert register.automated_decisions[0].ground is Art22Ground.contract
    rights = register.applicable_rights()
    assert rights[Right.access] is RightExtent.restricted
    assert rights[Right.objection] is None  # public task and direct marketing
    assert rights[Right.portability] is None  # consent
    assert register.direct_marketing


def test_rights_follow_the_legal_bases(tmp_path: Path) -> None:
    register = REGISTER.replace("legal_bases: [consent]", "legal_bases: [legal_obligation]")
    register = register.replace(
        "legal_bases: [public_task, legal_obligation]", "legal_bases: [legal_obligation]"
    )
    register = register.replace("    direct_marketing: true\n", "")
    rights = load_content(_tree(tmp_path, register=register)).register("r").applicable_rights()
    assert rights[Right.objection] is RightExtent.not_applicable
    assert rights[Right.portability] is RightExtent.not_applicable
    assert rights[Right.withdraw_consent] is RightExtent.not_applicable
    assert rights[Right.rectification] is None


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("country: US", "country: Narnia", "recipients.0.country: unknown country 'Narnia'"),
        ("purposes: [news]", "purposes: [nope]", "unknown purpose id 'nope'"),
        ("condition: substantial_public_interest", "condition: because", "is not one of"),
        ("mechanisms: [adequacy, sccs]", "mechanisms: [dpf]", "'dpf' is not one of"),
    ],
)
def test_bad_v2_values_are_located(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(ContentError) as raised:
        load_content(_tree(tmp_path, register=REGISTER.replace(old, new)))
    assert any(message in str(error) for error in raised.value.errors), raised.value.errors


def test_a_dpo_needs_a_name_or_a_title(tmp_path: Path) -> None:
    site = SITE.replace(
        "  title: {fi: Tietosuojavastaava, sv: Dataskyddsombud, en: Data protection officer}\n", ""
    )
    with pytest.raises(ContentError) as raised:
        load_content(_tree(tmp_path, site=site))
    assert [str(e).split(": ", 1)[1] for e in raised.value.errors] == [
        "dpo.name: required key is missing"
    ]
