"""The right of access has one name per language wherever a person or staff read it.

Finnish says "tarkastusoikeus" (short "Tarkastus", long "Tietojesi tarkastaminen") on the
pages, in the e-mails, in the letters and in the staff queue, as the privacy notice every portal
page links to does: not the regulation's "oikeus saada pääsy tietoihin" in the letters only.
Swedish says "tillgång" ("rätt till tillgång", as the regulation), English "access". A request
for access is walked through the real app (intake, confirmation, receipt, a question, an
extension, the decision) and every name of the right found in what was read must belong to the
language's one family.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.portal.staff.test_what_people_receive import (
    Reading,
    _deliver,
    _newest,
    _page,
    _person_asks,
    _read_letters,
    _read_mail,
    browser_post,
)
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import STAFF, StaffActions

FAMILIES: dict[str, dict[str, str]] = {
    "fi": {
        "tarkastus": r"\w*tarkast\w*",
        "pääsy": r"\w*pääsy\w*(?: \w+){0,2} tietoihin|\w*pääsyoikeu\w*|\w*pääsypyyn\w*",
    },
    "sv": {
        "tillgång": r"\w*tillgång\w*",
        "insyn": r"\w*insyn\w*",
        "registerutdrag": r"\w*registerutdrag\w*",
    },
    "en": {
        "access": r"\baccess\w*",
        "inspection": r"\binspect\w*",
    },
}
"""Every way a language names the right of access; the first is the one the portal uses."""


def names_of_access(text: str, lang: str) -> dict[str, set[str]]:
    """Return the names of the right of access in `text`, by family."""
    found: dict[str, set[str]] = {}
    for family, pattern in FAMILIES[lang].items():
        words = {m.group(0).lower() for m in re.finditer(pattern, text, re.IGNORECASE)}
        if words:
            found[family] = words
    return found


def test_the_families_tell_the_names_apart() -> None:
    """The reader is not blind: the letters' former Finnish name falls in the other family."""
    text = "jonka aiheena on oikeus saada pääsy tietoihin (tietosuoja-asetuksen 15 artikla)"
    assert set(names_of_access(text, "fi")) == {"pääsy"}
    assert set(names_of_access("Pääsyoikeus; Tietojesi tarkastaminen", "fi")) == {
        "pääsy",
        "tarkastus",
    }


def read_an_access_request(
    app: Flask, smtp_server: SmtpServer, staff: StaffActions, lang: str
) -> Reading:
    """Walk a request for access in `lang` and return what the person and staff read: the start
    and form pages, the receipt and status pages (also after an extension), the staff queue and
    detail, every letter (HTML and PDF) and every e-mail."""
    reading = Reading()
    _page(reading, staff.client, f"/requests/{lang}/", lang, "start page")
    _page(reading, staff.client, f"/requests/{lang}/new/access", lang, "form page")
    person, confirmed = _person_asks(app, smtp_server, "access", lang)
    _page(reading, person, confirmed.receipt_path, lang, "receipt page")
    _page(reading, person, confirmed.status_path, lang, "status page")
    access = _newest(app)
    staff.login(staff.create("hanna"))
    _page(reading, staff.client, f"{STAFF}/?lang={lang}", lang, "staff queue")
    assert staff.post_action(access.reference, "take").status_code == 302
    asked = staff.post_action(access.reference, "ask_info", reason="x", message="Mitkä tiedot?")
    assert asked.status_code == 302
    extended = staff.post_action(access.reference, "extend", months="1", reasons="Laaja.")
    assert extended.status_code == 302
    _deliver(app)
    _page(reading, person, confirmed.status_path, lang, "status page extended")
    detail = f"{STAFF}/r/{access.reference}?lang={lang}"
    decided = browser_post(
        staff.client, detail, "decide", decision="granted", reasons="", actions="Postitse."
    )
    assert decided.status_code == 302
    _page(reading, staff.client, detail, lang, "staff detail")
    _deliver(app)
    _page(reading, person, confirmed.status_path, lang, "status page decided")
    kinds = _read_letters(reading, app, access.id, lang)
    assert kinds == ["receipt", "info_request", "extension", "decision"], kinds
    _read_mail(reading, smtp_server, lang)
    return reading


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_access_has_one_name_in_pages_mails_letters_and_the_queue(
    app: Flask, smtp_server: SmtpServer, staff: StaffActions, lang: str
) -> None:
    reading = read_an_access_request(app, smtp_server, staff, lang)
    by_family: dict[str, list[str]] = {}
    for name, _lang, text in reading.documents:
        for family, words in names_of_access(text, lang).items():
            by_family.setdefault(family, []).append(f"{name}: {sorted(words)}")
    chosen = next(iter(FAMILIES[lang]))
    others = {family: where for family, where in by_family.items() if family != chosen}
    assert not others, "\n".join(line for where in others.values() for line in where)
    read_in = {line.partition(":")[0].split(" ")[0] for line in by_family[chosen]}
    assert {"start", "staff", "letter", "e-mail"} <= read_in, read_in
