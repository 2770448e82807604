"""The portal's Swedish names itself one way: "tjänsten för dataskyddsbegäranden"."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from tests.portal.staff.test_detail import _submitted
from tests.portal.support.staff import STAFF, StaffActions

OTHER_NAMES = re.compile(r"portal|begärandetjänst|begäranstjänst|begärandeportal", re.IGNORECASE)


def test_no_swedish_message_names_the_service_another_way(repo_root: Path) -> None:
    path = repo_root / "portal/translations/sv/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="sv")
    strings = [
        text
        for message in catalog
        if message.id
        for text in (message.string if isinstance(message.string, tuple) else (message.string,))
    ]
    assert [text for text in strings if OTHER_NAMES.search(text)] == []
    assert "Dataskyddsbegäranden" in strings  # the title stays


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
