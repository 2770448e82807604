"""Whom people's e-mails come from: the From header names the controller (or the theme's display
name) beside the address, encoded for names beyond ASCII, read back from a real SMTP server."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from email.header import decode_header, make_header
from email.headerregistry import Address
from pathlib import Path

import pytest
from flask import Flask

from tests import REPO_ROOT
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.web import https_client, submit_request

ADDRESS = "esa.kemppainen@proleader.fi"
"""The sender: site.yaml's contact address (MAIL_SENDER is not set)."""
CONTROLLER = {
    "fi": "Tilitoimisto Ääkkönen Oy",
    "sv": "Bokföringsbyrå Ääkkönen Ab",
    "en": "Ääkkönen Accounting Ltd",
}
CONTROLLER_YAML = """controller:
  name: Tilitoimisto Ääkkönen Oy
  localized_name:
    fi: Tilitoimisto Ääkkönen Oy
    sv: Bokföringsbyrå Ääkkönen Ab
    en: Ääkkönen Accounting Ltd
"""


@pytest.fixture
def named_content(tmp_path: Path) -> Path:
    """The default content, its controller renamed (a company with a Swedish name too)."""
    content = Path(shutil.copytree(REPO_ROOT / "content", tmp_path / "content"))
    site = content / "site.yaml"
    text = site.read_text(encoding="utf-8")
    old = "controller:\n  # The seed notice gives no business ID, postal code or city; add them here once known.\n  name: Esa Kemppainen\n"  # noqa: E501
    assert old in text
    site.write_text(text.replace(old, CONTROLLER_YAML), encoding="utf-8")
    return content


def _from(smtp_server: SmtpServer) -> tuple[Address, bytes, str]:
    """Return the newest message's From address, its raw From line and its envelope sender."""
    message = smtp_server.wait_for(1)[-1]
    (address,) = message["From"].addresses
    head = smtp_server.handler.raw[-1].split(b"\r\n\r\n", 1)[0]
    lines = re.sub(rb"\r\n(?=[ \t])", b"", head).split(b"\r\n")  # unfolded
    line = b" ".join(next(ln for ln in lines if ln.lower().startswith(b"from:")).split())
    return address, line, smtp_server.handler.envelope_senders[-1]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_e_mails_come_from_the_controllers_name_in_the_requests_language(
    make_app: Callable[..., Flask], named_content: Path, smtp_server: SmtpServer, lang: str
) -> None:
    client = https_client(make_app(CONTENT_DIR=str(named_content)))
    response = submit_request(client, "access", lang)
    assert response.status_code == 303, response.status_code
    address, line, envelope = _from(smtp_server)
    assert (address.display_name, address.addr_spec) == (CONTROLLER[lang], ADDRESS)
    # On the wire: ASCII only, the name as an RFC 2047 encoded word, the address as it is.
    assert line.isascii() and b"=?utf-8?" in line
    name, _, rest = line.removeprefix(b"From: ").rpartition(b" <")
    assert str(make_header(decode_header(name.decode()))) == CONTROLLER[lang]
    assert rest == f"{ADDRESS}>".encode()
    assert envelope == ADDRESS


def test_a_mail_sender_with_a_name_of_its_own_is_used_as_it_is(
    make_app: Callable[..., Flask], smtp_server: SmtpServer
) -> None:
    """MAIL_SENDER "Name <address>": that name in From, the address alone in the envelope, so a
    relay without SMTPUTF8 (this one) still takes the message."""
    sender = '"Tietosuoja, Tilitoimisto Ääkkönen Oy" <tietosuoja@example.fi>'
    client = https_client(make_app(MAIL_SENDER=sender))
    assert submit_request(client, "access", "sv").status_code == 303
    address, line, envelope = _from(smtp_server)
    assert address.display_name == "Tietosuoja, Tilitoimisto Ääkkönen Oy"
    assert address.addr_spec == "tietosuoja@example.fi"
    assert line.isascii()
    assert envelope == "tietosuoja@example.fi"


def test_e_mails_of_the_default_content_come_from_its_controller(
    make_app: Callable[..., Flask], smtp_server: SmtpServer
) -> None:
    client = https_client(make_app())
    assert submit_request(client, "access", "fi").status_code == 303
    address, line, _envelope = _from(smtp_server)
    assert (address.display_name, address.addr_spec) == ("Esa Kemppainen", ADDRESS)
    assert line == f"From: Esa Kemppainen <{ADDRESS}>".encode()
