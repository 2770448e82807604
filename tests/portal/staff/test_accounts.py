"""Accounts: creation, first admin, disable/reset, and the `portal staff` commands."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo
from flask_babel import force_locale

from portal.cli import main
from portal.core import accounts, passwords
from portal.core.models import AuditEvent, StaffUser
from portal.db import get_session
from tests.portal.support.staff import STAFF, StaffActions


def test_first_admin_is_created_once(app: Flask) -> None:
    with app.app_context():
        session = get_session()
        one_time = accounts.ensure_first_admin(session)
        assert one_time is not None
        admin = accounts.find_staff(session, "admin")
        assert admin is not None and admin.role == "admin" and admin.must_change_password
        assert passwords.verify_password(admin.password_hash, one_time)
        assert accounts.ensure_first_admin(session) is None


@pytest.mark.parametrize(
    "username,message",
    [
        ("A", "A username is 2–64 lower-case letters, digits, dots, hyphens or underscores."),
        (
            "has space",
            "A username is 2–64 lower-case letters, digits, dots, hyphens or underscores.",
        ),
        ("hanna", "That username is already taken."),
        ("HANNA", "That username is already taken."),
    ],
)
def test_username_rules(app: Flask, username: str, message: str) -> None:
    with app.app_context():
        session = get_session()
        accounts.create_staff(session, "hanna", "Hanna", "handler")
        with pytest.raises(accounts.AccountError) as caught:
            accounts.create_staff(session, username, "Someone", "handler")
        with force_locale("en"):
            assert str(caught.value.message) == message


def _cli(app: Flask, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))


def test_cli_add_list_disable_reset(app: Flask) -> None:
    added = _cli(app, "staff", "add", "hanna", "--name", "Hanna V", "--role", "handler")
    assert added.exit_code == 0, added.output
    one_time = re.search(r"one-time password: (\S+)", added.output).group(1)
    listed = _cli(app, "staff", "list")
    assert listed.output.split("\t")[:4] == ["hanna", "handler", "active", "-"]
    assert _cli(app, "staff", "disable", "hanna").exit_code == 0
    assert "disabled" in _cli(app, "staff", "list").output
    reset = _cli(app, "staff", "reset-password", "hanna", "--totp")
    new = re.search(r"one-time password for hanna: (\S+)", reset.output).group(1)
    assert new != one_time
    with app.app_context():
        user = accounts.find_staff(get_session(), "hanna")
        assert passwords.verify_password(user.password_hash, new)
        assert user.must_change_password and not user.is_active
        actions = [e.action for e in get_session().query(AuditEvent).order_by(AuditEvent.id)]
    assert actions == ["staff.create", "staff.disable", "staff.reset_password"]
    missing = _cli(app, "staff", "disable", "nobody")
    assert missing.exit_code != 0 and "no account called 'nobody'" in missing.output
    duplicate = _cli(app, "staff", "add", "hanna", "--name", "Toinen")
    # The command line speaks the portal's default language, Finnish.
    assert duplicate.exit_code != 0 and "Käyttäjätunnus on jo käytössä." in duplicate.output


def test_one_time_password_must_be_changed_and_policy_applies(staff: StaffActions) -> None:
    with staff.app.app_context():
        _user, one_time = accounts.create_staff(get_session(), "hanna", "Hanna", "handler")
        get_session().commit()
    response = staff.login_password("hanna", one_time)
    assert response.headers["Location"] == f"{STAFF}/password"
    token = staff.token(f"{STAFF}/password?lang=en")
    for bad, message in [
        ("short", "The password must be at least 12 characters long."),
        ("qwerty123456", "This password is too common. Choose another one."),
        (one_time, "Choose a password you have not used here now."),
    ]:
        page = staff.client.post(
            f"{STAFF}/password?lang=en",
            data={"csrf_token": token, "new_password": bad, "confirm": bad},
        )
        assert page.status_code == 200
        assert message in page.text
    good = "seven green tables dancing"
    done = staff.client.post(
        f"{STAFF}/password", data={"csrf_token": token, "new_password": good, "confirm": good}
    )
    assert done.headers["Location"] == f"{STAFF}/"
    assert staff.client.get(f"{STAFF}/").status_code == 200


def test_admin_pages_add_disable_and_reset(staff: StaffActions) -> None:
    admin = staff.create("anna", role="admin")
    staff.login(admin)
    token = staff.token(f"{STAFF}/accounts")
    created = staff.client.post(
        f"{STAFF}/accounts",
        data={"csrf_token": token, "username": "pekka", "display_name": "Pekka", "role": "handler"},
    )
    assert created.status_code == 200
    assert re.search(r'<code class="one-time">[a-z0-9-]{23}</code>', created.text)
    with staff.app.app_context():
        pekka = accounts.find_staff(get_session(), "pekka")
        pekka_id = pekka.id
    assert (
        staff.client.post(
            f"{STAFF}/accounts/{pekka_id}/disable", data={"csrf_token": token}
        ).status_code
        == 302
    )
    with staff.app.app_context():
        user = get_session().get(StaffUser, pekka_id)
        assert not user.is_active and user.session_version == 2
    reset = staff.client.post(
        f"{STAFF}/accounts/{pekka_id}/reset", data={"csrf_token": token, "reset_totp": "y"}
    )
    assert reset.status_code == 200
    duplicate = staff.client.post(
        f"{STAFF}/accounts?lang=en",
        data={"csrf_token": token, "username": "pekka", "display_name": "P", "role": "handler"},
    )
    assert duplicate.status_code == 400
    assert "That username is already taken." in duplicate.text
