"""Every cookie the portal sets is declared in the site's cookie list, and only where needed."""

from __future__ import annotations

from http.cookies import SimpleCookie

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from notice.loader import load_content
from tests import REPO_ROOT
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import StaffActions
from tests.portal.support.web import confirm_from_mail, https_client, submit_request


def cookie_names(response: TestResponse) -> set[str]:
    """Return the names of the cookies a response sets."""
    names: set[str] = set()
    for header in response.headers.getlist("Set-Cookie"):
        names |= set(SimpleCookie(header).keys())
    return names


def test_every_portal_cookie_is_declared_as_necessary(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer
) -> None:
    site = load_content(REPO_ROOT / "content").site
    declared = {cookie.name: cookie.category for cookie in site.cookies}
    set_by_portal: set[str] = set()
    for path in ("/requests/", "/requests/fi/", "/requests/sv/new/access", "/requests/nowhere"):
        set_by_portal |= cookie_names(client.get(path))
    set_by_portal |= cookie_names(submit_request(client, "access", "en"))
    set_by_portal |= cookie_names(confirm_from_mail(client, smtp_server).response)
    staff = StaffActions(app, https_client(app))
    set_by_portal |= cookie_names(staff.login(staff.create("hanna", totp=False)))
    assert set_by_portal == {"__Host-session", "lang", "__Host-seloste-staff-device"}
    assert {name: declared.get(name) for name in set_by_portal} == dict.fromkeys(
        set_by_portal, "necessary"
    )


def test_the_start_page_sets_no_session_cookie(client: FlaskClient) -> None:
    assert "__Host-session" not in cookie_names(client.get("/requests/fi/"))
