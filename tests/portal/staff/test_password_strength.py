"""zxcvbn next to the common list: exact outcomes for good and bad passwords, in fi, sv and en."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale

from portal.core import content, passwords

USERNAME = "hanna.virtanen"
ORGANISATION = "Tilitoimisto Virtanen Oy"
COMMON_VARIANT = (
    "This password is a common password with small changes, so it is easy to guess. "
    "Choose another one."
)
USERNAME_VARIANT = (
    "This password is the username with small changes, so it is easy to guess. Choose another one."
)


def easy(reason: str) -> str:
    return (
        f"This password is easy to guess. {reason} Use three or more unrelated words, or a "
        "random password from a password manager."
    )


REPEAT = easy("It repeats a word or a group of characters.")
PERSONAL = easy("It contains the username or the organisation's name.")
WORDS = easy("It is made of one or two common words or names.")
DATE = easy("It contains a date or a year.")
SEQUENCE = easy("It contains a sequence such as abc or 1234.")

OUTCOMES = [
    # Refused: a word said twice around a year, in ASCII and not (zxcvbn misses Kesä).
    ("Summer2026Summer", REPEAT),
    ("Kesä2026Kesä", REPEAT),
    ("Talvi2025Talvi!", REPEAT),
    ("Password123!Password", REPEAT),
    ("Ἀθῆναι2026Ἀθῆναι", REPEAT),
    # Refused by the common list and its disguises (checked before zxcvbn).
    ("qwertyuiop1234", COMMON_VARIANT),
    ("Password1234", COMMON_VARIANT),
    ("hanna.virtanen2026", USERNAME_VARIANT),
    # Refused: the username's or the organisation's words with a year or symbols.
    ("Virtanen2026!!", PERSONAL),
    ("HannaVirtanen!", PERSONAL),
    ("Tilitoimisto2026!", PERSONAL),
    # Refused: one or two dictionary words with a date, a year or a sequence.
    ("Gazebo Violet 2026", WORDS),
    ("December 2026!", WORDS),
    ("Gazebo 1987-08-12", DATE),
    ("Xylophone 31121999", DATE),
    ("Gazebo abcdefgh", SEQUENCE),
    # Accepted: passphrases and random passwords, in several scripts.
    ("correct horse battery staple violet", None),
    ("correct horse battery staple", None),
    ("x7#Lq9!vR2mZ", None),
    ("trombone-gazebo-lantern-92", None),
    ("Kärpänen lentää kuuhun", None),
    ("Maija ja 7 veljestä", None),
    ("Иван любит крепкий чай", None),
    ("Ζωή είναι ωραία 2024", None),
    # Accepted: a one-time password in which a group of letters recurs by chance.
    ("8h9y2-5cjq6-f7cjq-25ytg", None),
]


@pytest.mark.parametrize(("password", "expected"), OUTCOMES, ids=[p for p, _ in OUTCOMES])
def test_exact_outcome(password: str, expected: str | None) -> None:
    problem = passwords.password_problem(password, USERNAME, ORGANISATION)
    assert (str(problem) if problem is not None else None) == expected


@pytest.mark.parametrize(("password", "expected"), OUTCOMES, ids=[p for p, _ in OUTCOMES])
def test_check_password_raises_exactly_when_refused(password: str, expected: str | None) -> None:
    if expected is None:
        passwords.check_password(password, USERNAME, ORGANISATION)
        return
    with pytest.raises(passwords.PasswordRejected) as caught:
        passwords.check_password(password, USERNAME, ORGANISATION)
    assert str(caught.value.message) == expected


def test_the_organisation_name_is_what_makes_it_personal() -> None:
    assert passwords.password_problem("Kuusikoski2026!", "maija", "Kuusikoski Oy") == PERSONAL
    assert passwords.password_problem("Kuusikoski2026!", "maija", "Muu Yritys Ab") is None


def test_the_organisations_web_and_e_mail_domains_make_it_personal_too(app: Flask) -> None:
    # The default content: www.proleader.fi, esa.kemppainen@proleader.fi, controller Esa
    # Kemppainen. A newcomer chose `proleader2026!!` and it was taken.
    with app.test_request_context(), force_locale("en"):
        assert content.organisation_hosts() == ["www.proleader.fi", "proleader.fi"]
        assert "proleader" not in content.controller_name().casefold()
        assert passwords.organisation_name() == "Esa Kemppainen proleader"
        assert passwords.password_problem("proleader2026!!", "admin") == PERSONAL
        assert passwords.password_problem("Kemppainen2026!", "admin") == PERSONAL
        assert passwords.password_problem("lantern quietly gazebo 7", "admin") is None


def test_personal_words_are_each_text_and_its_words() -> None:
    assert passwords.personal_words("hanna.virtanen", "Tilitoimisto Virtanen Oy") == [
        "hanna.virtanen",
        "hanna",
        "virtanen",
        "tilitoimisto virtanen oy",
        "tilitoimisto",
    ]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "fi",
            "Salasana on helppo arvata. Siinä toistuu sana tai merkkiryhmä. Käytä vähintään "
            "kolmea toisiinsa liittymätöntä sanaa tai salasanojen hallintaohjelman luomaa "
            "satunnaista salasanaa.",
        ),
        (
            "sv",
            "Lösenordet är lätt att gissa. Det upprepar ett ord eller en teckengrupp. Använd "
            "tre eller fler orelaterade ord eller ett slumpmässigt lösenord från en "
            "lösenordshanterare.",
        ),
        ("en", REPEAT),
    ],
)
def test_the_refusal_and_its_reason_are_in_the_pages_language(
    app: Flask, lang: str, expected: str
) -> None:
    with app.test_request_context(), force_locale(lang):
        problem = passwords.password_problem("Summer2026Summer", USERNAME, ORGANISATION)
        assert str(problem) == expected


def test_every_reason_is_translated(app: Flask) -> None:
    with app.test_request_context():
        for lang in ("fi", "sv"):
            with force_locale(lang):
                for code, english in passwords.REASONS.items():
                    with force_locale("en"):
                        source = str(english)
                    assert str(english) != source, (lang, code)


def test_a_password_longer_than_zxcvbn_takes_is_judged_by_its_beginning() -> None:
    strong = (
        "correct horse battery staple violet, trombone gazebo lantern quietly; "
        "Kärpänen lentää kuuhun ja tähdet syttyvät"
    )
    assert len(strong) > passwords.ZXCVBN_MAX_LENGTH
    assert passwords.password_problem(strong[:128], USERNAME, ORGANISATION) is None
    weak = "Summer2026Summer" + " " * 60 + "x7#Lq9!vR2mZ"
    assert passwords.password_problem(weak, USERNAME, ORGANISATION) == REPEAT


FI_REPEAT = (
    "Salasana on helppo arvata. Siinä toistuu sana tai merkkiryhmä. Käytä vähintään kolmea "
    "toisiinsa liittymätöntä sanaa tai salasanojen hallintaohjelman luomaa satunnaista "
    "salasanaa."
)
FI_USERNAME_VARIANT = (
    "Salasana on käyttäjätunnus pienin muutoksin, joten se on helppo arvata. Valitse toinen."
)
FI_PERSONAL = (
    "Salasana on helppo arvata. Siinä on käyttäjätunnus tai organisaation nimi. Käytä "
    "vähintään kolmea toisiinsa liittymätöntä sanaa tai salasanojen hallintaohjelman luomaa "
    "satunnaista salasanaa."
)


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("Summer2026Summer", FI_REPEAT),
        ("Kesä2026Kesä", FI_REPEAT),
        # The default content's controller is Esa Kemppainen.
        ("Kemppainen2026!", FI_PERSONAL),
        ("Anneli.Ranta2026", FI_USERNAME_VARIANT),
        ("RantaAnneli!", FI_PERSONAL),
        ("correct horse battery staple violet", None),
        ("x7#Lq9!vR2mZ", None),
    ],
)
def test_the_staff_password_form_in_finnish(staff, password: str, error: str | None) -> None:
    """After an admin's reset the person chooses a password: refused ones say why in Finnish."""
    from bs4 import BeautifulSoup

    from tests.portal.support.staff import STAFF

    account = staff.create("anneli.ranta", totp=False, must_change=True)
    response = staff.login_password(account.username, account.password)
    assert response.headers["Location"] == f"{STAFF}/password"
    url = f"{STAFF}/password?lang=fi"
    token = staff.token(url)
    response = staff.client.post(
        url, data={"csrf_token": token, "new_password": password, "confirm": password}
    )
    if error is None:
        assert response.status_code == 302
        assert response.headers["Location"] == f"{STAFF}/"
        return
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    assert page.find("html")["lang"] == "fi"
    shown = page.find(id="new_password-error") or page.find(class_="error-message")
    assert shown.get_text(" ", strip=True).removeprefix("Virhe:").strip() == error
    assert "easy to guess" not in response.text
    assert staff.user(account).must_change_password is True


@pytest.mark.parametrize(
    ("password", "lang", "expected"),
    [
        ("Password1234", "fi",
         "Salasana on yleinen salasana pienin muutoksin, joten se on helppo arvata. "
         "Valitse toinen."),
        ("Password1234", "sv",
         "Lösenordet är ett vanligt lösenord med små ändringar, så det är lätt att gissa. "
         "Välj ett annat."),
        ("Password1234", "en", COMMON_VARIANT),
        ("hanna.virtanen2026", "sv",
         "Lösenordet är användarnamnet med små ändringar, så det är lätt att gissa. "
         "Välj ett annat."),
        ("aaaaaaaaaaaaaa", "fi",
         "Salasanassa toistuu muutama merkki, joten se on helppo arvata. Valitse toinen."),
        ("aaaaaaaaaaaaaa", "en",
         "This password repeats a few characters, so it is easy to guess. Choose another one."),
        ("asdfghjklöä123", "fi",
         "Salasana on näppäimistön kuvio, joten se on helppo arvata. Valitse toinen."),
        ("asdfghjklöä123", "sv",
         "Lösenordet är ett mönster på tangentbordet, så det är lätt att gissa. Välj ett annat."),
        ("asdfghjklöä123", "en",
         "This password is a pattern on the keyboard, so it is easy to guess. "
         "Choose another one."),
    ],
)  # fmt: skip
def test_a_disguised_password_is_told_the_one_reason_that_applies(
    app: Flask, password: str, lang: str, expected: str
) -> None:
    with app.test_request_context(), force_locale(lang):
        assert str(passwords.password_problem(password, USERNAME, ORGANISATION)) == expected
