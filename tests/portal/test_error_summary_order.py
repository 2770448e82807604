"""A request form's error summary lists the failed fields in the order the page shows them."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from portal.web.intake_forms import FORMS
from tests.portal.support.web import submit_request

# Every field that can fail, wrong at once (a blank or malformed answer each).
WRONG = {
    "register": "no-such-register",
    "name": "",
    "email": "not-an-address",
    "phone": "call me",
    "customer_number": "#?",
    "message": "x" * 4001,
    "language": "xx",
    "signature_name": "",
    "attest": None,
}
RIGHT_SPECIFIC = {
    "rectification": [{"wrong": "", "correct": ""}],
    # The group's "choose one" and the grounds that "other" needs cannot fail together.
    "objection": [
        {"direct_marketing": None, "grounds": "x" * 2001},
        {"direct_marketing": None, "other": "y", "grounds": ""},
    ],
}
CASES = [
    pytest.param(right, fields, id=f"{right}-{index}")
    for right in FORMS
    for index, fields in enumerate(RIGHT_SPECIFIC.get(right, [{}]))
]


@pytest.mark.parametrize(("right", "fields"), CASES)
def test_the_summary_follows_the_page(client: FlaskClient, right: str, fields: dict) -> None:
    response = submit_request(client, str(right), "en", **(WRONG | fields))
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    summary = [a["href"].removeprefix("#") for a in soup.select(".error-summary li a")]
    form = soup.find("form")
    on_page = [
        control["id"]
        for control in form.find_all(["input", "select", "textarea"])
        if control.get("type") != "hidden"
    ]
    failed = {message["id"].removesuffix("-error") for message in form.select(".error-message[id]")}
    assert set(summary) == failed  # every failed field, each once
    assert len(summary) >= 9
    assert summary == [field for field in on_page if field in failed]
