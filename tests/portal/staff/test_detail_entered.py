"""A request staff entered from a letter, call or visit reads as such on its detail page."""

from __future__ import annotations

import datetime as dt

from bs4 import BeautifulSoup

from tests.portal.support.staff import STAFF, StaffActions


def _summary(page: BeautifulSoup) -> dict[str, str]:
    found = {}
    for dl in page.find_all("dl", class_="summary"):
        for dt_tag in dl.find_all("dt"):
            found[dt_tag.get_text(strip=True)] = dt_tag.find_next_sibling("dd").get_text(
                " ", strip=True
            )
    return found


def test_a_posted_request_without_an_address_in_finnish(staff: StaffActions, make_request) -> None:
    make_request(
        reference="RPOST0001",
        channel="post",
        email="",
        signature_name="Pertti Postinen",
        name="Pertti Postinen",
        received_at=dt.datetime(2027, 1, 4, 10, tzinfo=dt.UTC),
        created_at=dt.datetime(2027, 1, 7, 7, 5, tzinfo=dt.UTC),
        due_on=dt.date(2027, 2, 4),
    )
    staff.login(staff.create("hanna"))
    page = BeautifulSoup(staff.client.get(f"{STAFF}/r/RPOST0001?lang=fi").text, "html.parser")
    summary = _summary(page)
    assert summary["Miten pyyntö saapui"] == "Kirje postitse"
    assert summary["Vastaanotettu"] == "4.1.2027"
    assert summary["Kirjattu portaaliin"] == "7.1.2027 9.05"
    assert summary["Sähköpostiosoite"] == "ei ole: kirjeet lähetetään postitse"
    assert "Allekirjoitus" not in summary
    assert "Lähetetty" not in summary
    assert page.find(id="submitted-title").get_text(strip=True) == "Käsittelijän kirjaamana"
    assert summary["Tunnistaminen"] == "ei portaalissa (henkilökunnan kirjaama)"
    assert page.find(id="earlier").find("p").get_text(strip=True) == (
        "Pyynnössä ei ole sähköpostiosoitetta eikä vahvaa tunnistamista, joihin verrata."
    )


def test_a_web_request_keeps_its_signature_and_confirmation(
    staff: StaffActions, make_request
) -> None:
    make_request(reference="RWEB00001", received_at=dt.datetime(2027, 1, 4, 10, tzinfo=dt.UTC))
    staff.login(staff.create("hanna"))
    page = BeautifulSoup(staff.client.get(f"{STAFF}/r/RWEB00001?lang=en").text, "html.parser")
    summary = _summary(page)
    assert summary["Received (e-mail address confirmed)"] == "4 Jan 2027, 12:00"
    assert summary["Signature"] == "Maija Meikäläinen – attested as true"
    assert summary["Identification"] == "e-mail address only"
    assert "How the request arrived" not in summary
    assert page.find(id="submitted-title").get_text(strip=True) == "As submitted"
