"""Periods read as people say them: "3 years", not "1095 days"."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from portal.web.i18n import period


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", "säilytämme niitä 3 vuotta pyynnön sulkemisen jälkeen"),
        ("sv", "bevarar dem i 3 år efter att den har avslutats"),
        ("en", "keep them for 3 years after it is closed"),
    ],
)
def test_the_form_states_the_retention_in_years(
    client: FlaskClient, lang: str, expected: str
) -> None:
    page = BeautifulSoup(client.get(f"/requests/{lang}/new/access").text, "html.parser")
    hints = [" ".join(p.get_text().split()) for p in page.find_all("p", class_="hint")]
    assert any(expected in hint for hint in hints), hints
    assert not any("1095" in hint for hint in hints)


@pytest.mark.parametrize(
    ("days", "lang", "expected"),
    [(1095, "en", "3 years"), (7, "fi", "1 viikko"), (10, "sv", "10 dygn"), (1, "en", "1 day")],
)
def test_period_picks_the_largest_whole_unit(
    app: Flask, days: int, lang: str, expected: str
) -> None:
    with app.test_request_context(), force_locale(lang):
        assert period(days) == expected
