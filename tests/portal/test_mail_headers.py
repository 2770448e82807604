"""The e-mails' header classes are made once: the messages' bytes are the standard policy's."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP

import pytest

from portal.core import mail

HEADERS = [
    ("From", "Esimerkki Oy <tietosuoja@esimerkki.fi>"),
    ("From", '"Åbo Dataskydd, kundtjänst" <dataskydd@example.se>'),
    ("To", "maija.meikalainen@example.fi"),
    ("Subject", "Vahvista tietosuojapyyntösi Z2VA-BNSG-RQ3P-V2BL"),
    ("Subject", "Ilmoitus määräajan pidentämisestä: " + "pitkä otsikko " * 12),
    ("Subject", "Подтвердите запрос 😀"),
    ("Date", "Sun, 06 Dec 2026 01:54:05 +0000"),
    ("Message-ID", "<179652204508.3784.8518051748001173231@esimerkki.fi>"),
    ("Auto-Submitted", "auto-generated"),
    ("Content-Language", "sv"),
]


def _written(policy: object, headers: list[tuple[str, str]]) -> bytes:
    message = EmailMessage(policy=policy)  # type: ignore[arg-type]
    for name, value in headers:
        message[name] = value
    message.set_content("Hei\n")
    return message.as_bytes()


@pytest.mark.parametrize(("name", "value"), HEADERS)
def test_a_header_is_written_as_the_standard_policy_writes_it(name: str, value: str) -> None:
    assert _written(mail._BUILD_POLICY, [(name, value)]) == _written(SMTP, [(name, value)])


def test_header_classes_are_made_once_per_name() -> None:
    first = EmailMessage(policy=mail._BUILD_POLICY)
    second = EmailMessage(policy=mail._BUILD_POLICY)
    first["Subject"] = "yksi"
    second["subject"] = "kaksi"
    assert type(first["Subject"]) is type(second["Subject"])
    one_each = list(dict(HEADERS).items())  # a message has at most one From, one Subject
    assert _written(mail._BUILD_POLICY, one_each) == _written(SMTP, one_each)
