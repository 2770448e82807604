"""A staff password must not contain the person's own name or their e-mail address's local part,
however strong it looks to zxcvbn (`Dora Dataskydd 2026!` passed it)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from portal.core import passwords
from tests.portal.support.staff import STAFF, StaffActions

NAME = "The password must not contain your name or your e-mail address. Choose another one."
SAID = {
    "fi": "Salasanassa ei saa olla nimeäsi eikä sähköpostiosoitettasi. Valitse toinen.",
    "sv": "Lösenordet får inte innehålla ditt namn eller din e-postadress. Välj ett annat.",
    "en": NAME,
}
ORGANISATION = "Tilitoimisto Virtanen Oy"


@pytest.mark.parametrize(
    ("password", "names", "expected"),
    [
        ("Dora Dataskydd 2026!", ("Dora Dataskydd", "dora.dataskydd"), NAME),
        ("trombone gazebo d0ra lantern", ("Dora Dataskydd", ""), NAME),  # disguised
        ("trombone gazebo kirjaamo27 lantern", ("Eva Ek", "kirjaamo27"), NAME),  # e-mail
        ("Maija ja 7 veljestä", ("Maija Meikäläinen", "mm"), NAME),
        ("Maija ja 7 veljestä", ("Eva Ek", "eva.ek"), None),  # "ek" is too short to count
        ("trombone-gazebo-lantern-92", ("Dora Dataskydd", "dora.dataskydd"), None),
    ],
)
def test_the_persons_own_name_is_refused(
    password: str, names: tuple[str, str], expected: str | None
) -> None:
    problem = passwords.password_problem(password, "staff7", ORGANISATION, names)
    assert (str(problem) if problem is not None else None) == expected


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_password_form_refuses_the_name_in_the_persons_language(
    staff: StaffActions, lang: str
) -> None:
    account = staff.create("dora", totp=False, must_change=True)
    staff.update(account, display_name="Dora Dataskydd", email="dora.dataskydd@example.fi")
    staff.login_password(account.username, account.password)
    url = f"{STAFF}/password?lang={lang}"
    for password in ("Dora Dataskydd 2026!", "Dataskydd lantern gazebo 7"):
        response = staff.client.post(
            url,
            data={"csrf_token": staff.token(url), "new_password": password, "confirm": password},
        )
        assert response.status_code == 200
        page = BeautifulSoup(response.text, "html.parser")
        shown = page.find(id="new_password-error") or page.find(class_="error-message")
        said = shown.get_text(" ", strip=True)
        assert said.endswith(SAID[lang]) and len(said) - len(SAID[lang]) < 12, said
    assert staff.user(account).must_change_password is True
    good = "trombone gazebo lantern violet"
    response = staff.client.post(
        url, data={"csrf_token": staff.token(url), "new_password": good, "confirm": good}
    )
    assert response.status_code == 302
