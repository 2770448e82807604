"""A ZIP with an unsafe member or nested too deep, attached by staff through the real app: the
refusal names the file in the staff's language and nothing is stored (issue 18)."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.portal.staff.test_attachments import (
    _attach,
    _errors,
    _login,
    _rows,
    _stored,
    _submitted,
)
from tests.portal.support.staff import StaffActions


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data)
    return buffer.getvalue()


def _deep(levels: int) -> bytes:
    data = _zip({"tiedot.csv": b"a;b\n"})
    for _ in range(levels - 1):
        data = _zip({"sisempi.zip": data})
    return data


@pytest.mark.parametrize(
    ("lang", "data", "message"),
    [
        (
            "en",
            _zip({"../../../../tmp/evil.sh": b"#!/bin/sh\n"}),
            "A file inside the ZIP has a name that could unpack outside its folder or hides "
            "characters: ../../../../tmp/evil.sh",
        ),
        (
            "fi",
            _zip({"/etc/cron.d/x": b"* * * * * root sh\n"}),
            "ZIP-tiedoston sisällä on tiedosto, jonka nimi voisi purkautua kansionsa "
            "ulkopuolelle tai joka kätkee merkkejä: /etc/cron.d/x",
        ),
        (
            "sv",
            _zip({"rapport\u2028.txt": b"x"}),
            "En fil i ZIP-filen har ett namn som kan packas upp utanför sin mapp eller som "
            "döljer tecken: rapport\\u2028.txt",
        ),
        (
            "fi",
            _deep(5),
            "ZIP-tiedoston sisällä on ZIP-tiedostoja yli 3 tason syvyydessä.",
        ),
        ("sv", _deep(4), "ZIP-filen innehåller ZIP-filer i mer än 3 nivåer."),
    ],
    ids=["climbs-en", "absolute-fi", "separator-sv", "depth-fi", "depth-sv"],
)
def test_an_unsafe_zip_is_refused_in_the_staff_language(
    app, smtp_server, staff: StaffActions, lang: str, data: bytes, message: str
) -> None:
    row, _confirmed = _submitted(app, smtp_server)
    _login(staff, lang)
    response = _attach(staff, row.reference, ("paketti.zip", data))
    assert response.status_code == 422, response.status_code
    assert _errors(response.text) == [f"paketti.zip: {message}"]
    assert _rows(app, row.id) == [] and _stored(app) == []
