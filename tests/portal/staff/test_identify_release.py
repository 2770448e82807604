"""`strong_before_release`: an answer's files open only to the strongly identified person.

A register of a copied content asks it for access answers. The request is made and confirmed by
e-mail as usual; staff answer with files; the status page then offers strong identification
instead of an e-mailed code. The first identification is recorded on the request; a request
already identified opens only to the same person.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from portal.core.models import AuditEvent, DataRequest
from portal.db import get_session
from tests.portal.staff.test_attachments import CSV, _attach, _login
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.oidc import Browser, Setup, portal_with_provider
from tests.portal.support.staff import StaffActions
from tests.portal.support.web import page_token, valid_fields


@pytest.fixture
def setup(repo_root: Path, make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[Setup]:
    content = tmp_path / "content"
    shutil.copytree(repo_root / "content", content)
    with (content / "registers" / "asiakasrekisteri.yaml").open("a", encoding="utf-8") as out:
        out.write("\nidentification:\n  access: strong_before_release\n")
    with portal_with_provider(make_app, CONTENT_DIR=str(content)) as running:
        yield running


def _answered(setup: Setup, smtp_server: SmtpServer, browser: Browser) -> tuple[str, str]:
    """Make, confirm and answer (with a file) an access request; return reference, status URL."""
    form_url = f"{setup.portal}/requests/en/new/access?register=asiakasrekisteri"
    form = browser.open(form_url)
    assert "You are strongly identified" not in form.words()  # accepted on e-mail alone
    browser.open(form_url, valid_fields("access", "en", csrf_token=page_token(form.text)))
    smtp_server.wait_for(1)
    body = smtp_server.last_to("maija@example.fi").get_body(preferencelist=("plain",))
    link = next(u for u in re.findall(r"https?://\S+", body.get_content()) if "/confirm/" in u)
    receipt = browser.open(link, {"csrf_token": page_token(browser.open(link).text)})
    status = setup.portal + receipt.soup.find("a", string="Follow your request")["href"]
    with setup.app.app_context():
        reference = get_session().scalars(select(DataRequest.reference)).one()
    staff = StaffActions(setup.app, setup.app.test_client())
    _login(staff)
    assert _attach(staff, reference, ("tiedot.csv", CSV)).status_code == 302
    assert staff.post_action(reference, "decide", decision="granted").status_code == 302
    return reference, status


def test_files_open_after_strong_identification_which_is_recorded(
    setup: Setup, smtp_server: SmtpServer
) -> None:
    browser = Browser()
    reference, status = _answered(setup, smtp_server, browser)
    page = browser.open(status)
    assert (
        "To protect your data, we release the files only to the person they concern: identify "
        "yourself strongly to download them."
    ) in page.words()
    assert page.soup.find(string="Send me a download code") is None
    assert page.soup.select_one("a[download]") is None
    identify = page.soup.find("a", string="Identify yourself to download")["href"]
    opened = browser.open(setup.portal + identify)
    assert opened.url.startswith(status), opened.url
    [download] = opened.soup.select("a[download]")
    assert download.get_text() == "tiedot.csv"
    with browser.following.open(setup.portal + download["href"]) as response:
        assert response.read() == CSV
    with setup.app.app_context():
        row = get_session().scalars(select(DataRequest)).one()
        assert (row.identity.name, row.identity.provider) == ("Testi Henkilö", "Test broker")
        details = get_session().scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "request.identified")
        )
        assert list(details) == ["release: Test broker"]

    # Once identified, the request opens only to the same person.
    setup.provider.auto_approve = "2"
    other = Browser()
    refused = other.open(setup.portal + identify)
    assert refused.status == 400
    assert (
        "You identified as another person than the one who made this request, so we cannot "
        "release its files to you."
    ) in refused.words()
    assert reference not in refused.text
