"""The status page kept per worker: used again only while the request's rows are the same, and never
for a page that carries a session's form."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.core.models import DataRequest, Letter, RequestStatus
from portal.db import get_session
from portal.web import intake
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.web import confirm_from_mail, https_client, page_token, submit_request


def _change(app: Flask, **values: object) -> DataRequest:
    with app.app_context():
        session = get_session()
        data_request = session.scalars(select(DataRequest)).one()
        for name, value in values.items():
            setattr(data_request, name, value)
        session.commit()
        return data_request


def _secret(token: str) -> str:
    """The part of a Flask-WTF token that is the session's own (before timestamp and signature)."""
    secret, _, _ = token.rpartition(".")[0].rpartition(".")
    assert secret
    return secret


def _letter_links(html: str) -> list[str]:
    return re.findall(r'<li><a href="[^"]*/letters/\d+\.pdf">([^<]+)</a>', html)


def test_a_kept_status_page_shows_every_change_of_the_request(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer
) -> None:
    submit_request(client, "access", "fi")
    confirmed = confirm_from_mail(client, smtp_server)
    first = client.get(confirmed.status_path)
    again = client.get(confirmed.status_path)
    assert again.text == first.text
    assert list(app.extensions[intake.STATUS_PAGES_EXTENSION]) == [confirmed.status_path]
    assert "Paljon aineistoa" not in first.text
    assert _letter_links(first.text) == ["Vastaanottokuittaus"]

    _change(app, extended_due_on=dt.date(2027, 3, 1), extension_reason="Paljon aineistoa.")
    extended = client.get(confirmed.status_path).text
    assert "<p>Paljon aineistoa.</p>" in extended
    assert "<dd>1. maaliskuuta 2027 (jatkettu)</dd>" in extended

    with app.app_context():
        session = get_session()
        request_id = session.scalars(select(DataRequest.id)).one()
        session.add(Letter(request_id=request_id, kind="extension", language="fi", html="x"))
        session.commit()
    # A letter without its PDF yet is not listed; once the PDF is there, it is.
    assert _letter_links(client.get(confirmed.status_path).text) == ["Vastaanottokuittaus"]
    with app.app_context():
        session = get_session()
        letter = session.scalars(select(Letter).where(Letter.kind == "extension")).one()
        letter.pdf = b"%PDF-1.7"
        session.commit()
    assert _letter_links(client.get(confirmed.status_path).text) == [
        "Vastaanottokuittaus",
        "Ilmoitus määräajan jatkamisesta",
    ]


def test_a_status_page_with_a_form_is_rendered_for_each_session(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer
) -> None:
    submit_request(client, "access", "fi")
    confirmed = confirm_from_mail(client, smtp_server)
    assert client.get(confirmed.status_path).status_code == 200  # kept
    _change(app, status=RequestStatus.awaiting_info)
    other = https_client(app)
    mine = client.get(confirmed.status_path).text
    theirs = other.get(confirmed.status_path).text
    assert 'name="reply-text"' in mine
    assert 'name="reply-text"' in theirs
    # Each session's own CSRF token: a kept page would have handed one session's to the other.
    # A token is the session's secret, signed with the second it was made in: the secret part
    # is what one session keeps (two pages a second apart carry different signatures).
    again = client.get(confirmed.status_path).text
    assert _secret(page_token(mine)) == _secret(page_token(again))
    assert _secret(page_token(mine)) != _secret(page_token(theirs))


def test_a_status_page_asked_with_a_query_is_not_kept(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer
) -> None:
    submit_request(client, "access", "fi")
    confirmed = confirm_from_mail(client, smtp_server)
    assert client.get(confirmed.status_path + "?register=asiakasrekisteri").status_code == 200
    assert app.extensions.get(intake.STATUS_PAGES_EXTENSION, {}) == {}
