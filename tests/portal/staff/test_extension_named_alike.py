"""An extension of the time limit has one Finnish name: "jatkaa" (the regulation's word).

Article 12(3) in Finnish says the time limit "voidaan jatkaa", and the privacy notice says
"voimme jatkaa määräaikaa … ilmoitamme jatkamisesta". The e-mail already said "Ilmoitus
määräajan jatkamisesta on liitteenä", but the letter it attaches was titled "Määräajan
pidentäminen" and listed on the status page as "Ilmoitus määräajan pidentämisestä": a person
looked for an attachment by a name it did not have. Now the letter, its list entry, its file
name, the e-mail, the status page and the staff pages all say "jatkaa".
"""

from __future__ import annotations

import re

from flask import Flask

from tests.portal.staff.test_access_named_alike import read_an_access_request
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import StaffActions

OTHER_WORDS = re.compile(r"\w*(?:pidentä|pidennä|pidenn|pidens|pidenty)\w*", re.IGNORECASE)
"""The other Finnish verb for extending a time limit ("pidentää"), in any of its forms."""


def test_the_extension_is_called_by_one_name_in_finnish(
    app: Flask, smtp_server: SmtpServer, staff: StaffActions
) -> None:
    reading = read_an_access_request(app, smtp_server, staff, "fi")
    found = [
        f"{name}: {sorted(set(OTHER_WORDS.findall(text)))}"
        for name, _lang, text in reading.documents
        if OTHER_WORDS.search(text)
    ]
    assert not found, "\n".join(found)
    texts = {name: text for name, _lang, text in reading.documents}
    mail = next(t for n, t in texts.items() if n.startswith("e-mail") and "lisäaikaa" in n)
    # The e-mail names its attachment as the letter is titled and listed.
    assert "Ilmoitus määräajan jatkamisesta on liitteenä PDF-tiedostona." in mail
    assert "Perustelut määräajan jatkamiselle:" in mail
    assert "Määräajan jatkaminen" in texts["letter extension (PDF)"]
    assert "Ilmoitus määräajan jatkamisesta" in texts["status page extended"]
