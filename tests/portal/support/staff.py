"""What a member of staff does in the back office, as test-client calls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal.core import passwords
from portal.core.models import StaffUser, utcnow
from portal.db import get_session
from tests.portal.support.web import csrf_token

STAFF = "/requests/staff"
PASSWORD = "purple elephant runs quietly"


@dataclass
class Account:
    """A staff account made for a test, with what is needed to sign in."""

    id: int
    username: str
    password: str
    role: str
    totp_secret: str | None


class StaffActions:
    """What a member of staff does in the browser, as test-client calls."""

    def __init__(self, app: Flask, client: FlaskClient) -> None:
        self.app = app
        self.client = client

    def create(
        self,
        username: str = "hanna",
        role: str = "handler",
        *,
        password: str = PASSWORD,
        totp: bool | None = None,
        must_change: bool = False,
        active: bool = True,
    ) -> Account:
        """Create an account that can sign in (with a TOTP secret for admins by default)."""
        secret = pyotp.random_base32() if (totp if totp is not None else role == "admin") else None
        with self.app.app_context():
            session = get_session()
            user = StaffUser(
                username=username,
                display_name=username.capitalize() + " Testinen",
                role=role,
                password_hash=passwords.hash_password(password),
                must_change_password=must_change,
                totp_secret=secret,
                is_active=active,
                session_version=1,
                failed_logins=0,
            )
            session.add(user)
            session.commit()
            return Account(user.id, username, password, role, secret)

    def user(self, account: Account) -> StaffUser:
        """Return the account's current row."""
        with self.app.app_context():
            user = get_session().get(StaffUser, account.id)
            assert user is not None
            get_session().expunge(user)
            return user

    def update(self, account: Account, **values: Any) -> None:
        """Change columns of an account directly."""
        with self.app.app_context():
            session = get_session()
            user = session.get(StaffUser, account.id)
            for key, value in values.items():
                setattr(user, key, value)
            session.commit()

    def token(self, path: str = f"{STAFF}/login") -> str:
        """Load `path` and return its CSRF token."""
        return csrf_token(self.client, path)

    def totp_code(self, account: Account) -> str:
        """Return a code the server has not seen yet (the next step when the current is used)."""
        assert account.totp_secret
        totp = pyotp.TOTP(account.totp_secret)
        now = utcnow()
        last = self.user(account).totp_last_step
        step = totp.timecode(now)
        for candidate in (step, step + 1):
            if last is None or candidate > last:
                return totp.generate_otp(candidate)
        raise AssertionError("no unused TOTP code in the window; move the clock on")

    def login_password(self, username: str, password: str) -> TestResponse:
        """Post the sign-in form."""
        token = self.token()
        return self.client.post(
            f"{STAFF}/login",
            data={"csrf_token": token, "username": username, "password": password},
        )

    def login(self, account: Account) -> TestResponse:
        """Sign in completely (password, then TOTP when the account has one)."""
        response = self.login_password(account.username, account.password)
        assert response.status_code == 302, response.status_code
        if response.headers["Location"].endswith("/totp"):
            token = self.token(f"{STAFF}/totp")
            response = self.client.post(
                f"{STAFF}/totp", data={"csrf_token": token, "code": self.totp_code(account)}
            )
            assert response.status_code == 302, response.status_code
        assert response.headers["Location"] == f"{STAFF}/", response.headers["Location"]
        return response

    def logout(self) -> TestResponse:
        """Press the sign-out button."""
        token = self.token(f"{STAFF}/")
        return self.client.post(f"{STAFF}/logout", data={"logout-csrf_token": token})

    def post_action(self, reference: str, action: str, **fields: Any) -> TestResponse:
        """Send one action form of a request's detail page."""
        token = self.token(f"{STAFF}/r/{reference}")
        data = {f"{action}-{key}": value for key, value in fields.items()}
        data[f"{action}-csrf_token"] = token
        return self.client.post(f"{STAFF}/r/{reference}/{action}", data=data)
