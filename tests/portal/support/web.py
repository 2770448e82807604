"""What a person does with the portal, as test-client calls: forms, CSRF tokens, e-mailed links."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal.core import mail
from portal.core.paths import ROOT
from tests.portal.support.mailserver import SmtpServer

PUBLIC_URL = "https://www.proleader.fi"
"""The test portal's public URL: content/site.yaml's `portal_url` is PUBLIC_URL + `/requests/`."""
REGISTER_ID = "asiakasrekisteri"


def content_with_portal_url(folder: Path, portal_url: str | None) -> Path:
    """Copy content/ into `folder` with site.yaml's `portal_url` replaced (None: left out)."""
    shutil.copytree(ROOT / "content", folder)
    return set_portal_url(folder, portal_url)


def set_portal_url(folder: Path, portal_url: str | None) -> Path:
    """Replace the `portal_url` of the content in `folder` (None: leave it out); return `folder`."""
    site = folder / "site.yaml"
    line = "" if portal_url is None else f"portal_url: {portal_url}\n"
    text, count = re.subn(r"^portal_url: .*\n", line, site.read_text(encoding="utf-8"), flags=re.M)
    assert count == 1, "content/site.yaml has no portal_url line"
    site.write_text(text, encoding="utf-8")
    return folder


def https_client(app: Flask) -> FlaskClient:
    """Return a test client that speaks HTTPS, so Secure cookies come back."""
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    client.environ_base["REMOTE_ADDR"] = "127.0.0.1"
    return client


def page_token(html: str) -> str:
    """Return the first CSRF token on a page (every form of a session carries the same one)."""
    soup = BeautifulSoup(html, "html.parser")
    field = soup.find("input", {"name": lambda n: bool(n) and n.endswith("csrf_token")})
    assert field is not None, "no CSRF token on the page"
    return str(field["value"])


def csrf_token(client: FlaskClient, path: str) -> str:
    """Load `path` and return the CSRF token of its form."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return page_token(response.text)


def valid_fields(right: str, lang: str = "fi", **fields: Any) -> dict[str, Any]:
    """Return a valid form submission for `right`, overridden by `fields` (None drops one)."""
    data: dict[str, Any] = {
        "register": REGISTER_ID,
        "name": "Maija Meikäläinen",
        "email": "maija@example.fi",
        "phone": "+358 40 123 4567",
        "customer_number": "A-1001",
        "message": "",
        "language": lang,
        "signature_name": "Maija Meikäläinen",
        "attest": "y",
    }
    if right == "rectification":
        data |= {"wrong": "Osoite on vanha.", "correct": "Uusi katu 1, 00100 Helsinki"}
    if right == "objection":
        data |= {"direct_marketing": "y", "grounds": ""}
    data |= fields
    return {k: v for k, v in data.items() if v is not None}


def submit_request(
    client: FlaskClient, right: str = "access", lang: str = "fi", **fields: Any
) -> TestResponse:
    """Fill and send the form of `right` in `lang` (valid unless `fields` say otherwise)."""
    path = f"/requests/{lang}/new/{right}"
    data = valid_fields(right, lang, **fields)
    data.setdefault("csrf_token", csrf_token(client, path))
    response = client.post(path, data=data)
    # Mail leaves from a background thread after the response: let it finish, so a test sees
    # the outbox as the person's next page would.
    mail.wait_idle(client.application)
    return response


def links_in(message: EmailMessage) -> list[str]:
    """Return the portal paths linked from an e-mail's plain-text part."""
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return [url[len(PUBLIC_URL) :] for url in re.findall(r"https?://\S+", body.get_content())]


@dataclass
class ConfirmedRequest:
    """What a person has after confirming: the receipt page's path and the status link's token."""

    receipt_path: str
    status_path: str
    token: str
    lang: str
    response: TestResponse


def confirm_from_mail(
    client: FlaskClient, smtp_server: SmtpServer, email: str = "maija@example.fi"
) -> ConfirmedRequest:
    """Open the confirmation link of the newest e-mail to `email` and press the button."""
    smtp_server.wait_for(1)
    link = next(p for p in links_in(smtp_server.last_to(email)) if "/confirm/" in p)
    page = client.get(link)
    assert page.status_code == 200, page.status_code
    response = client.post(link, data={"csrf_token": page_token(page.text)})
    assert response.status_code == 303, response.status_code
    mail.wait_idle(client.application)
    receipt_path = response.headers["Location"]
    match = re.fullmatch(r"/requests/(\w\w)/status/([^/]+)/receipt", receipt_path)
    assert match, receipt_path
    lang, status_token = match.groups()
    return ConfirmedRequest(
        receipt_path=receipt_path,
        status_path=f"/requests/{lang}/status/{status_token}",
        token=status_token,
        lang=lang,
        response=response,
    )


def upload_action(html: str, path_end: str = "") -> str:
    """Return the action of the page's multipart form (ending in `path_end`), as a browser uses it.

    The action is a plain path: a CSRF token never goes into a URL (`portal.web.bodylimits`).
    """
    soup = BeautifulSoup(html, "html.parser")
    for form in soup.find_all("form", enctype="multipart/form-data"):
        action = str(form.get("action") or "")
        if action.partition("?")[0].endswith(path_end):
            return action
    raise AssertionError(f"no upload form ending in {path_end!r} on the page")
