"""A lockout a stranger cannot trigger (issue 18): failures lock the (account, address) pair and,
from addresses that never signed in, the account for such addresses only; the owner's correct
password from a known address still works. Through the real app on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import threading

import time_machine
from flask import Flask
from sqlalchemy import select

from portal.core import accounts
from portal.core.models import StaffLoginAddress
from portal.db import get_session
from tests.portal.support.staff import PASSWORD, STAFF, StaffActions

OWNER = "127.0.0.1"
STRANGER = "198.51.100.23"
T0 = dt.datetime(2030, 3, 1, 9, 0, tzinfo=dt.UTC)


def _from(app: Flask, address: str) -> StaffActions:
    client = app.test_client()
    client.environ_base.update({"wsgi.url_scheme": "https", "REMOTE_ADDR": address})
    return StaffActions(app, client)


def _signed_in(response) -> bool:  # noqa: ANN001 - a werkzeug TestResponse
    return response.status_code == 302 and response.headers["Location"] == f"{STAFF}/"


def _pairs(app: Flask, staff_id: int) -> list[tuple[int, bool]]:
    with app.app_context():
        rows = get_session().scalars(
            select(StaffLoginAddress)
            .where(StaffLoginAddress.staff_id == staff_id)
            .order_by(StaffLoginAddress.failures)
        )
        return [(row.failures, row.known_at is not None) for row in rows]


def test_a_strangers_six_guesses_do_not_lock_the_owner_out(app: Flask) -> None:
    owner = _from(app, OWNER)
    account = owner.create("hanna")
    with time_machine.travel(T0, tick=False) as clock:
        owner.login(account)  # the owner's address becomes known
        owner.logout()
        # Known by the address alone here: the device cookie is another test's.
        owner.client.delete_cookie("__Host-seloste-staff-device", domain="localhost")
        clock.shift(dt.timedelta(days=3))
        stranger = _from(app, STRANGER)
        for _ in range(6):
            assert stranger.login_password("hanna", "wrong password here").status_code == 200
        # The stranger is locked out, even with the right password…
        assert stranger.login_password("hanna", PASSWORD).status_code == 200
        # …and so is any other address that never signed in (many addresses guessing together).
        assert _from(app, "203.0.113.5").login_password("hanna", PASSWORD).status_code == 200
        # The owner, from the address that signed in before, is let in.
        assert _signed_in(owner.login_password("hanna", PASSWORD))
    assert owner.user(account).failed_logins == 8  # the strangers' failures, still counted
    assert sorted(_pairs(app, account.id)) == [(0, True), (1, False), (7, False)]


def test_the_owners_own_mistakes_lock_only_their_address_and_grow(app: Flask) -> None:
    owner = _from(app, OWNER)
    account = owner.create("hanna")
    with time_machine.travel(T0, tick=False) as clock:
        owner.login(account)
        owner.logout()
        for _ in range(5):
            assert owner.login_password("hanna", "typo typo typo").status_code == 200
        assert owner.login_password("hanna", PASSWORD).status_code == 200  # locked 30 s
        clock.shift(dt.timedelta(seconds=29))
        assert owner.login_password("hanna", PASSWORD).status_code == 200
        # The sixth and seventh failures (the refused right password counts) doubled the lock.
        clock.shift(dt.timedelta(seconds=118))
        assert owner.login_password("hanna", PASSWORD).status_code == 200
        # A colleague's address was never involved: the account is not locked for it.
        assert _signed_in(_from(app, "127.0.0.2").login_password("hanna", PASSWORD))
        clock.shift(dt.timedelta(minutes=10))
        assert _signed_in(owner.login_password("hanna", PASSWORD))
    assert owner.user(account).failed_logins == 0


def test_a_known_address_is_forgotten_after_its_time(app: Flask) -> None:
    owner = _from(app, OWNER)
    account = owner.create("hanna")
    with time_machine.travel(T0, tick=False) as clock:
        owner.login(account)
        owner.logout()
        clock.shift(accounts.KNOWN_FOR + dt.timedelta(days=1))
        stranger = _from(app, STRANGER)
        for _ in range(5):
            stranger.login_password("hanna", "wrong password here")
        assert owner.login_password("hanna", PASSWORD).status_code == 200


def test_an_admin_reset_lifts_every_lock(app: Flask) -> None:
    owner = _from(app, OWNER)
    account = owner.create("hanna")
    stranger = _from(app, STRANGER)
    with time_machine.travel(T0, tick=False):
        for _ in range(6):
            stranger.login_password("hanna", "wrong password here")
        with app.app_context():
            user = accounts.find_staff(get_session(), "hanna")
            assert user is not None
            accounts.reset_password(get_session(), user)
            get_session().commit()
    assert [failures for failures, _known in _pairs(app, account.id)] == [0]
    assert owner.user(account).locked_until is None


def test_parallel_wrong_passwords_are_each_counted(make_app) -> None:  # noqa: ANN001
    # The per-address rate limit is raised out of the way: this is about the lock's counts.
    app = make_app(RATELIMIT_LOGIN="100 per 15 minutes")
    account = _from(app, OWNER).create("hanna")
    clients = [_from(app, STRANGER) for _ in range(12)]
    tokens = [client.token() for client in clients]
    start = threading.Barrier(len(clients))
    codes: list[int] = []
    errors: list[BaseException] = []

    def guess(client: StaffActions, token: str) -> None:
        try:
            start.wait()
            response = client.client.post(
                f"{STAFF}/login",
                data={"csrf_token": token, "username": "hanna", "password": "wrong password"},
            )
            codes.append(response.status_code)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    threads = [
        threading.Thread(target=guess, args=pair) for pair in zip(clients, tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert codes == [200] * 12
    assert _from(app, OWNER).user(account).failed_logins == 12
    assert _pairs(app, account.id) == [(12, False)]


def test_behind_a_proxy_the_owners_browser_is_known_by_its_device_cookie(app: Flask) -> None:
    # A proxy without PROXY_FIX: every client reaches the portal from the proxy's address.
    proxy = "10.0.0.1"
    owner = _from(app, proxy)
    account = owner.create("hanna")
    with time_machine.travel(T0, tick=False) as clock:
        owner.login(account)
        cookie = owner.client.get_cookie("__Host-seloste-staff-device")
        assert cookie is not None and cookie.http_only and cookie.secure
        owner.logout()
        clock.shift(dt.timedelta(hours=1))
        stranger = _from(app, proxy)
        for _ in range(6):
            assert stranger.login_password("hanna", "wrong password here").status_code == 200
        assert stranger.login_password("hanna", PASSWORD).status_code == 200  # locked
        assert _signed_in(owner.login_password("hanna", PASSWORD))
        # A cookie of another account, or an edited one, is worth nothing.
        forger = _from(app, proxy)
        forger.client.set_cookie(
            "__Host-seloste-staff-device", cookie.value[:-2] + "xx", domain="localhost"
        )
        assert forger.login_password("hanna", PASSWORD).status_code == 200


def test_parallel_guesses_from_one_address_stop_at_its_limit(make_app) -> None:  # noqa: ANN001
    # Each guess is counted before it is checked: twelve at once cannot all pass a check made
    # before any of them counted (before issue 18 all twelve reached the password check).
    app = make_app(RATELIMIT_LOGIN="5 per 15 minutes")
    owner = _from(app, OWNER)
    account = owner.create("hanna", totp=False)
    assert _signed_in(owner.login(account))  # the owner's address is known to the account
    clients = [_from(app, STRANGER) for _ in range(12)]
    tokens = [client.token() for client in clients]
    start = threading.Barrier(len(clients))
    codes: list[int] = []
    errors: list[BaseException] = []

    def guess(client: StaffActions, token: str) -> None:
        try:
            start.wait()
            response = client.client.post(
                f"{STAFF}/login",
                data={"csrf_token": token, "username": "hanna", "password": "wrong password"},
            )
            codes.append(response.status_code)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    threads = [
        threading.Thread(target=guess, args=pair) for pair in zip(clients, tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(codes) == [200] * 5 + [429] * 7
    assert _from(app, OWNER).user(account).failed_logins == 5
    # The owner's right password from the owner's own address still works.
    assert _signed_in(_from(app, OWNER).login_password("hanna", PASSWORD))
