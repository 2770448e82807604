"""The portal offers only the rights that apply to the register, and says why not the others."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from tests.portal.support.web import csrf_token, https_client, valid_fields

PATIENTS = """\
version: 2
id: potilasrekisteri
slug: {fi: potilasrekisteri, sv: patientregister, en: patient-register}
name: {fi: Potilasrekisteri, sv: Patientregister, en: Patient register}
prepared: 2026-03-01
purposes:
  - description:
      fi: Potilaan hoidon järjestäminen ja toteuttaminen.
      sv: Ordnande och genomförande av patientens vård.
      en: Arranging and providing the patient's care.
    legal_bases: [legal_obligation]
    national_law:
      fi: Laki potilaan asemasta ja oikeuksista 785/1992
      sv: Lagen om patientens ställning och rättigheter 785/1992
      en: Act on the Status and Rights of Patients 785/1992
data_subjects: {fi: Potilaat., sv: Patienter., en: Patients.}
data_categories:
  - name: {fi: Henkilötiedot, sv: Personuppgifter, en: Personal details}
  - name: {fi: Terveystiedot, sv: Hälsouppgifter, en: Health data}
    special: {category: health, condition: health_or_social_care}
sources: {fi: Potilaalta itseltään., sv: Av patienten själv., en: From the patient.}
recipients: []
transfers: none
retention:
  fi: Potilasasiakirjat säilytetään sosiaali- ja terveysministeriön asetuksen 94/2022 mukaisesti.
  sv: Journalhandlingar bevaras enligt social- och hälsovårdsministeriets förordning 94/2022.
  en: Patient records are kept as Decree 94/2022 of the Ministry of Social Affairs requires.
automated_decisions: none
restrictions:
  - right: erasure
    reason:
      fi: Potilasasiakirjoja ei voi poistaa pyynnöstä, koska laki velvoittaa säilyttämään ne.
      sv: Journalhandlingar kan inte raderas på begäran, eftersom lagen kräver att de bevaras.
      en: Patient records cannot be erased on request, because the law requires that they are kept.
    law: Tietosuoja-asetus 17(3)(c)
security:
  electronic: {fi: Käyttöoikeudet ja lokit., sv: Behörigheter och loggar., en: Access rights.}
"""


@pytest.fixture
def clinic_app(repo_root: Path, make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    """Return the portal on content with one register: patients, on a legal obligation."""
    content = tmp_path / "content"
    shutil.copytree(repo_root / "content", content)
    for old in (content / "registers").glob("*.yaml"):
        old.unlink()
    (content / "registers" / "potilasrekisteri.yaml").write_text(PATIENTS, encoding="utf-8")
    return make_app(CONTENT_DIR=str(content))


@pytest.mark.parametrize(
    ("lang", "portability_reason", "erasure_reason"),
    [
        (
            "fi",
            "Oikeus siirtää tiedot järjestelmästä toiseen koskee tietoja, joita käsitellään",
            "Potilasasiakirjoja ei voi poistaa pyynnöstä, koska laki velvoittaa säilyttämään ne. "
            "(Tietosuoja-asetus 17(3)(c))",
        ),
        (
            "sv",
            "Rätten till dataportabilitet gäller uppgifter som behandlas med ditt samtycke",
            "Journalhandlingar kan inte raderas på begäran, eftersom lagen kräver att de bevaras. "
            "(Tietosuoja-asetus 17(3)(c))",
        ),
        (
            "en",
            "The right to data portability covers data processed on your consent",
            "Patient records cannot be erased on request, because the law requires that they are "
            "kept. (Tietosuoja-asetus 17(3)(c))",
        ),
    ],
)
def test_the_start_page_offers_what_applies_and_says_why_not(
    clinic_app: Flask, lang: str, portability_reason: str, erasure_reason: str
) -> None:
    page = BeautifulSoup(https_client(clinic_app).get(f"/requests/{lang}/").text, "html.parser")
    links = [a["href"] for a in page.select("ul.rights h2 a")]
    assert [link.rsplit("/", 1)[-1] for link in links] == ["access", "rectification", "restriction"]
    reasons = {
        dt.get_text(" ", strip=True): dd.get_text(" ", strip=True)
        for dt, dd in zip(
            page.select("dl.not-offered dt"), page.select("dl.not-offered dd"), strict=True
        )
    }
    assert len(reasons) == 3  # erasure, portability, objection
    texts = list(reasons.values())
    assert any(t.startswith(portability_reason) for t in texts), texts
    assert erasure_reason in texts


def test_a_form_of_a_right_not_offered_explains_and_refuses(clinic_app: Flask, smtp_server) -> None:
    client = https_client(clinic_app)
    page = client.get("/requests/en/new/portability")
    assert page.status_code == 200
    text = BeautifulSoup(page.text, "html.parser").get_text(" ", strip=True)
    assert "This right is not offered for the register Patient register." in text
    assert "or contact us. esa.kemppainen@proleader.fi" in text
    assert "<form" not in page.text.split("<main", 1)[1]
    # A post made anyway (an old bookmark, a script) is refused on the form, nothing recorded.
    token = csrf_token(client, "/requests/en/new/access")
    fields = valid_fields("erasure", "en", register="potilasrekisteri", csrf_token=token)
    response = client.post("/requests/en/new/erasure", data=fields)
    assert response.status_code == 422
    message = BeautifulSoup(response.text, "html.parser").get_text(" ", strip=True)
    assert "This right is not available for the register you chose." in message
    assert "Patient records cannot be erased on request" in message
    assert smtp_server.messages == []


def test_every_right_is_offered_where_every_ground_applies(app: Flask) -> None:
    # The default customer register rests on consent, contract and legitimate interests.
    page = https_client(app).get("/requests/en/?register=asiakasrekisteri")
    soup = BeautifulSoup(page.text, "html.parser")
    rights = [a["href"].split("/")[-1].split("?")[0] for a in soup.select("ul.rights h2 a")]
    assert rights == [
        "access",
        "rectification",
        "erasure",
        "restriction",
        "portability",
        "objection",
    ]
    assert soup.select("dl.not-offered") == []


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fi", "Tietosuojaselosteet: miten käsittelemme henkilötietoja, myös pyyntöjen tietoja"),
        ("sv", "Dataskyddsbeskrivningar: hur vi behandlar personuppgifter, även uppgifterna i"),
        ("en", "Privacy notices: how we process personal data, also that of requests"),
    ],
)
def test_every_form_says_where_the_privacy_notice_is(app: Flask, lang: str, text: str) -> None:
    page = BeautifulSoup(https_client(app).get(f"/requests/{lang}/new/access").text, "html.parser")
    link = next(a for a in page.select("main a") if a.get_text(strip=True).startswith(text))
    assert link["href"] == f"https://www.proleader.fi/tietosuoja/{lang}/"
