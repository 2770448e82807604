"""A mistyped portal address: a plain "not found" page, no incident number to quote."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

HEADINGS = {"fi": "Sivua ei löydy", "sv": "Sidan hittades inte", "en": "Page not found"}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_mistyped_address_says_not_found_without_an_incident_number(
    client: FlaskClient, lang: str
) -> None:
    response = client.get(f"/requests/{lang}/nope")
    assert response.status_code == 404
    page = BeautifulSoup(response.text, "html.parser")
    assert page.h1 is not None and page.h1.get_text(strip=True) == HEADINGS[lang]
    text = page.get_text(" ", strip=True)
    assert page.select_one(".incident") is None
    for word in ("Tapahtumanumero", "Händelsenummer", "Incident number"):
        assert word not in text


def test_a_server_error_page_still_has_its_incident_number(client: FlaskClient) -> None:
    from portal.web.errors import render_error

    with client.application.test_request_context("/requests/fi/"):
        body, code = render_error(500, "ABCD1234")  # type: ignore[misc]
    assert code == 500 and "ABCD1234" in str(body)
