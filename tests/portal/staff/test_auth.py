"""Sign-in, sessions and the second factor (OWASP ASVS 5.0 §6, §7)."""

from __future__ import annotations

import datetime as dt

import pyotp
import time_machine
from bs4 import BeautifulSoup

from portal.core.models import AuditEvent, StaffUser
from portal.db import session_factory
from portal.web.auth import accept_totp, lock_delay
from tests.portal.support.staff import PASSWORD, STAFF, StaffActions

GENERIC = "Sign-in failed. Check the username and password, or try again in a few minutes."


def _errors(html: str) -> list[str]:
    summary = BeautifulSoup(html, "html.parser").find(id="error-summary")
    return [li.get_text(strip=True) for li in summary.find_all("li")] if summary else []


def _session_cookie(staff: StaffActions) -> str | None:
    cookie = staff.client.get_cookie("__Host-session")
    return cookie.value if cookie else None


def test_anonymous_is_sent_to_login(staff: StaffActions) -> None:
    response = staff.client.get(f"{STAFF}/")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{STAFF}/login"


def test_handler_signs_in_and_sees_the_queue(staff: StaffActions) -> None:
    account = staff.create("hanna")
    staff.login(account)
    page = staff.client.get(f"{STAFF}/?lang=en")
    assert page.status_code == 200
    assert BeautifulSoup(page.text, "html.parser").h1.get_text(strip=True) == "Requests"
    assert page.headers["Cache-Control"] == "no-store"
    assert staff.user(account).last_login_at is not None


def test_failure_message_is_the_same_for_every_reason(staff: StaffActions) -> None:
    staff.create("hanna")
    staff.create("ville", active=False)
    cases = [("hanna", "wrong password here"), ("nobody", PASSWORD), ("ville", PASSWORD)]
    for username, password in cases:
        response = staff.client.post(
            f"{STAFF}/login?lang=en",
            data={"csrf_token": staff.token(), "username": username, "password": password},
        )
        assert response.status_code == 200
        assert _errors(response.text) == [GENERIC], username


def test_failures_are_audited_without_the_username(app, staff: StaffActions) -> None:
    account = staff.create("hanna")
    staff.login_password("hanna", "wrong password here")
    staff.login_password("nobody-at-all", "wrong password here")
    with app.app_context():
        from portal.db import get_session

        events = get_session().query(AuditEvent).order_by(AuditEvent.id).all()
    failed = [e for e in events if e.action == "staff.login_failed"]
    assert [e.staff_id for e in failed] == [account.id, None]
    assert all("nobody" not in e.detail and "hanna" not in e.detail for e in failed)


def test_session_is_renewed_at_login(staff: StaffActions) -> None:
    """A cookie planted before sign-in is worth nothing after it (session fixation)."""
    account = staff.create("hanna")
    staff.token()  # the login page's session
    before = _session_cookie(staff)
    assert before is not None
    staff.login(account)
    after = _session_cookie(staff)
    assert after and after != before
    other = staff.app.test_client()
    other.environ_base["wsgi.url_scheme"] = "https"
    other.set_cookie("__Host-session", before, domain="localhost")
    assert other.get(f"{STAFF}/").status_code == 302


def test_logout_kills_every_copy_of_the_cookie(staff: StaffActions) -> None:
    account = staff.create("hanna")
    staff.login(account)
    stolen = _session_cookie(staff)
    assert staff.logout().headers["Location"] == f"{STAFF}/login"
    assert staff.client.get(f"{STAFF}/").status_code == 302
    replay = staff.app.test_client()
    replay.environ_base["wsgi.url_scheme"] = "https"
    replay.set_cookie("__Host-session", stolen, domain="localhost")
    assert replay.get(f"{STAFF}/").status_code == 302


def test_logout_needs_csrf(staff: StaffActions) -> None:
    staff.login(staff.create("hanna"))
    assert staff.client.post(f"{STAFF}/logout", data={}).status_code == 400
    assert staff.client.get(f"{STAFF}/").status_code == 200


def test_disabling_ends_the_session_at_the_next_request(staff: StaffActions) -> None:
    account = staff.create("hanna")
    staff.login(account)
    assert staff.client.get(f"{STAFF}/").status_code == 200
    staff.update(account, is_active=False)
    assert staff.client.get(f"{STAFF}/").status_code == 302


def test_idle_timeout(staff: StaffActions) -> None:
    account = staff.create("hanna")
    with time_machine.travel(dt.datetime(2030, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        staff.login(account)
        clock.shift(dt.timedelta(minutes=29))
        assert staff.client.get(f"{STAFF}/").status_code == 200
        clock.shift(dt.timedelta(minutes=29))
        assert staff.client.get(f"{STAFF}/").status_code == 200  # activity moved the idle clock
        clock.shift(dt.timedelta(minutes=31))
        response = staff.client.get(f"{STAFF}/")
        assert response.status_code == 302
        assert response.headers["Location"] == f"{STAFF}/login"


def test_absolute_timeout(staff: StaffActions) -> None:
    account = staff.create("hanna")
    with time_machine.travel(dt.datetime(2030, 3, 1, 8, 0, tzinfo=dt.UTC), tick=False) as clock:
        staff.login(account)
        for _ in range(30):  # busy all day: never idle for long
            clock.shift(dt.timedelta(minutes=29))
            if staff.client.get(f"{STAFF}/").status_code != 200:
                break
        elapsed = dt.datetime.now(dt.UTC) - dt.datetime(2030, 3, 1, 8, 0, tzinfo=dt.UTC)
        assert dt.timedelta(hours=12) < elapsed <= dt.timedelta(hours=12, minutes=29)


def test_account_lock_grows_and_refuses_even_the_right_password(staff: StaffActions) -> None:
    assert [lock_delay(n) for n in (4, 5, 6, 7)] == [
        None,
        dt.timedelta(seconds=30),
        dt.timedelta(seconds=60),
        dt.timedelta(seconds=120),
    ]
    assert lock_delay(40) == dt.timedelta(minutes=30)
    account = staff.create("hanna")
    with time_machine.travel(dt.datetime(2030, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        for _ in range(5):
            assert staff.login_password("hanna", "wrong password here").status_code == 200
        locked = staff.login_password("hanna", PASSWORD)
        assert locked.status_code == 200  # right password, still refused while locked
        assert staff.user(account).failed_logins == 6
        clock.shift(dt.timedelta(minutes=2))
        assert staff.login_password("hanna", PASSWORD).status_code == 302
        assert staff.user(account).failed_logins == 0


def test_client_address_is_throttled_on_failures_only(make_app) -> None:
    app = make_app(RATELIMIT_LOGIN="3 per 15 minutes")
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    staff = StaffActions(app, client)
    account = staff.create("hanna")
    for _ in range(4):  # successes do not count
        staff.login(account)
        staff.client.delete_cookie("__Host-session", domain="localhost")
    for number in range(3):
        assert staff.login_password(f"guess{number}", "wrong password here").status_code == 200
    assert staff.login_password("guess9", "wrong password here").status_code == 429
    assert staff.login_password("hanna", PASSWORD).status_code == 429
    other = app.test_client()
    other.environ_base.update({"wsgi.url_scheme": "https", "REMOTE_ADDR": "127.0.0.2"})
    assert StaffActions(app, other).login_password("hanna", PASSWORD).status_code == 302


def test_admin_must_enrol_totp_on_first_login(staff: StaffActions) -> None:
    account = staff.create("anna", role="admin", totp=False, must_change=True)
    response = staff.login_password("anna", PASSWORD)
    assert response.headers["Location"] == f"{STAFF}/password"
    assert staff.client.get(f"{STAFF}/").headers["Location"] == f"{STAFF}/password"
    token = staff.token(f"{STAFF}/password")
    new = "seven green tables dancing"
    response = staff.client.post(
        f"{STAFF}/password", data={"csrf_token": token, "new_password": new, "confirm": new}
    )
    assert response.headers["Location"] == f"{STAFF}/totp/enroll"
    assert staff.client.get(f"{STAFF}/accounts").headers["Location"] == f"{STAFF}/totp/enroll"
    page = BeautifulSoup(staff.client.get(f"{STAFF}/totp/enroll").text, "html.parser")
    svg = page.find("svg")
    assert svg is not None and svg.find("title") is not None  # server-side QR, no script
    assert page.find("script") is None
    secret = page.find("code", class_="totp-secret").get_text().replace(" ", "")
    wrong = staff.client.post(
        f"{STAFF}/totp/enroll",
        data={"csrf_token": page_token_of(page), "code": "000000"},
    )
    assert wrong.status_code == 200
    assert staff.user(account).totp_secret is None
    response = staff.client.post(
        f"{STAFF}/totp/enroll",
        data={"csrf_token": page_token_of(page), "code": pyotp.TOTP(secret).now()},
    )
    assert response.headers["Location"] == f"{STAFF}/"
    assert staff.user(account).totp_secret == secret
    assert staff.client.get(f"{STAFF}/accounts").status_code == 200


def page_token_of(page: BeautifulSoup) -> str:
    return str(page.find("input", {"name": "csrf_token"})["value"])


def test_handlers_need_totp_only_when_configured(make_app) -> None:
    app = make_app(TOTP_REQUIRED_FOR_HANDLERS=True)
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    staff = StaffActions(app, client)
    staff.create("hanna", totp=False)
    response = staff.login_password("hanna", PASSWORD)
    assert response.headers["Location"] == f"{STAFF}/totp/enroll"


def test_handler_without_totp_setting_signs_in_with_password(staff: StaffActions) -> None:
    staff.create("hanna", totp=False)
    assert staff.login_password("hanna", PASSWORD).headers["Location"] == f"{STAFF}/"


def test_totp_code_cannot_be_used_twice(staff: StaffActions) -> None:
    account = staff.create("anna", role="admin")
    totp = pyotp.TOTP(account.totp_secret)
    with time_machine.travel(dt.datetime(2030, 3, 1, 9, 0, 5, tzinfo=dt.UTC), tick=False):
        code = totp.now()
        staff.login_password("anna", PASSWORD)
        ok = staff.client.post(
            f"{STAFF}/totp", data={"csrf_token": staff.token(f"{STAFF}/totp"), "code": code}
        )
        assert ok.headers["Location"] == f"{STAFF}/"
        staff.logout()
        staff.login_password("anna", PASSWORD)
        replay = staff.client.post(
            f"{STAFF}/totp", data={"csrf_token": staff.token(f"{STAFF}/totp"), "code": code}
        )
        assert replay.status_code == 200
        assert staff.client.get(f"{STAFF}/").status_code == 302


def test_a_totp_code_is_taken_once_by_two_sign_ins_that_read_it_unused(
    app, staff: StaffActions
) -> None:
    # Two sign-ins posting one code at once: both have read the account before either wrote.
    account = staff.create("anna", role="admin")
    assert account.totp_secret is not None
    moment = dt.datetime(2030, 3, 1, 9, 0, 5, tzinfo=dt.UTC)
    code = pyotp.TOTP(account.totp_secret).at(moment)
    sessions = session_factory(app)
    with app.app_context(), sessions() as first, sessions() as second:
        mine, theirs = first.get(StaffUser, account.id), second.get(StaffUser, account.id)
        assert mine is not None and theirs is not None
        assert mine.totp_last_step is None and theirs.totp_last_step is None
        assert accept_totp(mine, account.totp_secret, code, at=moment)
        first.commit()
        assert not accept_totp(theirs, account.totp_secret, code, at=moment)
        second.commit()
    assert staff.user(account).totp_last_step == pyotp.TOTP(account.totp_secret).timecode(moment)


def test_totp_accepts_one_step_either_side_only(staff: StaffActions) -> None:
    account = staff.create("anna", role="admin")
    totp = pyotp.TOTP(account.totp_secret)
    moment = dt.datetime(2030, 3, 1, 9, 0, 5, tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        too_old = totp.at(moment - dt.timedelta(seconds=60))
        staff.login_password("anna", PASSWORD)
        refused = staff.client.post(
            f"{STAFF}/totp", data={"csrf_token": staff.token(f"{STAFF}/totp"), "code": too_old}
        )
        assert refused.status_code == 200
        previous = totp.at(moment - dt.timedelta(seconds=30))
        accepted = staff.client.post(
            f"{STAFF}/totp", data={"csrf_token": staff.token(f"{STAFF}/totp"), "code": previous}
        )
        assert accepted.headers["Location"] == f"{STAFF}/"


def test_password_stage_cannot_be_skipped_into_totp(staff: StaffActions) -> None:
    staff.create("hanna", must_change=True)
    staff.login_password("hanna", PASSWORD)
    assert staff.client.get(f"{STAFF}/totp").headers["Location"] == f"{STAFF}/login"
    assert staff.client.get(f"{STAFF}/r/ANY").headers["Location"] == f"{STAFF}/password"


def test_wrong_codes_lock_the_account_and_stop_code_checks(staff: StaffActions) -> None:
    account = staff.create("anna", role="admin")
    with time_machine.travel(dt.datetime(2030, 3, 1, 9, 0, 5, tzinfo=dt.UTC), tick=False):
        staff.login_password("anna", PASSWORD)
        for _ in range(5):
            wrong = staff.client.post(
                f"{STAFF}/totp", data={"csrf_token": staff.token(f"{STAFF}/totp"), "code": "000000"}
            )
            assert wrong.status_code == 200
        right = staff.client.post(
            f"{STAFF}/totp",
            data={"csrf_token": staff.token(f"{STAFF}/totp"), "code": staff.totp_code(account)},
        )
        assert right.status_code == 200  # locked: even the right code is refused
        assert staff.user(account).locked_until is not None
