"""Common passwords in disguise are refused: case, leetspeak, added digits, walks, repeats."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale

from portal.core import passwords

DISGUISED = [
    "password1234",
    "Password1234!",
    "PASSWORD 1234",
    "P@ssw0rd1234",
    "p4$$w0rd2024",
    "!!Sunshine2024!!",
    "iloveyou1234",
    "m0nkey123456",
    "trustno1trustno1",
    "dragon-dragon-dragon",
    "1qaz2wsx3edc4rfv",
    "qwertyuiop123",
    "asdfghjklöä1",
    "zxcvbnm,.-12",
    "aaaaaaaaaaaa",
    "ab ab ab ab ab ab",
    "hanna-hanna1234",
    "Hanna2024!!!!",
]
FINE = [
    "purple elephant runs quietly",
    "x7Kp2mQv9rLs",
    "Kärpänen lentää kuuhun",
    "correct horse battery staple",
    "Maija ja 7 veljestä",
    "Ζωή είναι ωραία 2024",
    "Иван любит крепкий чай",
    "tähti-kuu-12",
]


@pytest.mark.parametrize("password", DISGUISED)
def test_disguised_common_passwords_are_refused(password: str) -> None:
    assert passwords.password_problem(password, "hanna") is not None


@pytest.mark.parametrize("password", FINE)
def test_ordinary_passphrases_pass(password: str) -> None:
    assert passwords.password_problem(password, "hanna") is None


def test_every_listed_password_with_digits_appended_is_refused() -> None:
    missed = [
        word
        for word in sorted(passwords.common_passwords())
        if word.isalpha()
        and passwords.password_problem(word.capitalize() + "2024!" + "1" * 12, "x") is None
    ]
    assert missed == []


@pytest.mark.parametrize(
    ("lang", "start"),
    [
        ("fi", "Salasana on yleinen salasana"),
        ("sv", "Lösenordet är ett vanligt lösenord"),
        ("en", "This password is a common password"),
    ],
)
def test_the_reason_is_in_the_users_language(app: Flask, lang: str, start: str) -> None:
    with app.test_request_context(), force_locale(lang):
        assert str(passwords.password_problem("password1234", "hanna")).startswith(start)
