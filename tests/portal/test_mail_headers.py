"""The e-mails' header classes are made once: the messages' bytes are the standard policy's."""

from __future__ import annotations

import re
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


def _standard_copy(built: EmailMessage, parts: dict[str, str]) -> bytes:
    """Write the message `build_message` made again with the standard policy, same boundaries."""
    message = EmailMessage(policy=SMTP)
    for name in ("From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted"):
        message[name] = str(built[name])
    message.set_content(parts["text"])
    message.add_alternative(parts["html"], subtype="html")
    message.add_attachment(
        b"%PDF-1.7 kuitti", maintype="application", subtype="pdf", filename="k.pdf"
    )
    message["Content-Language"] = parts["language"]
    for mine, theirs in zip(built.walk(), message.walk(), strict=True):
        if mine.is_multipart():
            theirs.set_boundary(mine.get_boundary())
    return message.as_bytes()


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_whole_message_is_written_as_the_standard_policy_writes_it(language: str) -> None:
    parts = {
        "sender": '"Åbo Dataskydd, kundtjänst" <dataskydd@example.se>',
        "to": "maija.meikalainen@example.fi",
        "subject": "Vahvista tietosuojapyyntösi Z2VA-BNSG-RQ3P-V2BL",
        "text": "Hei Maija,\n\nvahvista pyyntösi: https://example.fi/c/abc\n" + "rivi " * 40,
        "html": "<p>Hei Maija,</p>\n<p>vahvista pyyntösi</p>\n",
        "language": language,
    }
    for _ in range(2):  # the second message is made of the headers kept from the first
        built = mail.build_message(
            **parts, attachments=[("k.pdf", "application/pdf", b"%PDF-1.7 kuitti")]
        )
        written = built.as_bytes()
        assert written == _standard_copy(built, parts)
        boundaries = [p.get_boundary() for p in built.walk() if p.is_multipart()]
        assert len(set(boundaries)) == 2
        assert all(re.fullmatch(r"={15}\d{19}==", b or "") for b in boundaries)


def test_a_boundary_never_appears_in_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = iter([1, 1, 2])
    monkeypatch.setattr(mail.random, "randrange", lambda _stop: next(drawn))
    text = "Rivi, joka näyttää rajalta:\n--===============0000000000000000001==\n"
    message = mail.build_message(
        sender="Esimerkki Oy <tietosuoja@esimerkki.fi>",
        to="maija@example.fi",
        subject="Hei",
        text=text,
        html="<p>Hei</p>",
        language="fi",
    )
    assert message.get_boundary() == "===============0000000000000000002=="
    assert message.get_body(preferencelist=("plain",)).get_content() == text  # type: ignore[union-attr]
