"""The staff timeline in Swedish names the service as the catalog does: "tjänsten för
dataskyddsbegäranden" (the catalog itself: tests/portal/test_swedish_says_kakor.py)."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.portal.staff.test_detail import _submitted
from tests.portal.support.staff import STAFF, StaffActions


def test_the_swedish_timeline_names_the_service(app, smtp_server, staff: StaffActions) -> None:
    row = _submitted(app, smtp_server, "objection", grounds="")
    staff.login(staff.create("hanna"))
    html = staff.client.get(f"{STAFF}/r/{row.reference}?lang=sv").text
    entries = [
        li.get_text(" ", strip=True)
        for li in BeautifulSoup(html, "html.parser").select("ol.timeline li")
    ]
    stopped = [entry for entry in entries if "Direktmarknadsföring" in entry]
    assert len(stopped) == 1, entries
    assert "(tjänsten för dataskyddsbegäranden)" in stopped[0]
