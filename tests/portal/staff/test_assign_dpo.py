"""The data protection officer acts on no request: the assign list never offers the DPO, and a
hand-made post naming the DPO gets a message that says why, in the staff member's language."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from portal.core.models import DataRequest
from portal.db import get_session
from tests.portal.support.staff import STAFF, StaffActions

REFUSED = {
    "fi": "Tietosuojavastaava ei käsittele pyyntöjä. "
    "Osoita pyyntö käsittelijälle tai ylläpitäjälle.",
    "sv": "Dataskyddsombudet handlägger inga begäranden. "
    "Tilldela begäran till en handläggare eller administratör.",
    "en": "The data protection officer handles no requests. "
    "Assign the request to a handler or an administrator.",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_dpo_is_not_offered_and_cannot_be_assigned(
    app: Flask, staff: StaffActions, make_request, lang: str
) -> None:
    row = make_request()
    dpo = staff.create("dora", role="dpo")
    staff.create("hanna")
    staff.login(staff.create("aino", role="admin"))
    staff.client.get(f"{STAFF}/?lang={lang}")
    page = BeautifulSoup(staff.client.get(f"{STAFF}/r/{row.reference}").text, "html.parser")
    offered = [o.get_text(strip=True) for o in page.find(id="assign-assignee").find_all("option")]
    assert "Hanna Testinen" in offered
    assert "Dora Testinen" not in offered
    posted = staff.post_action(row.reference, "assign", assignee=str(dpo.id))
    assert posted.status_code in (409, 422), posted.status_code
    assert REFUSED[lang] in BeautifulSoup(posted.text, "html.parser").get_text(" ", strip=True)
    with app.app_context():
        stored = (
            get_session()
            .scalars(select(DataRequest).where(DataRequest.reference == row.reference))
            .one()
        )
        assert stored.assignee_id is None
