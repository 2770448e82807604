"""Download codes under concurrency (issue 18): every try is counted exactly once, a code is
compared by at most CODE_MAX_ATTEMPTS tries, and one address can type only so many codes.

Real app, real SMTP, threads of real test clients, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.config import change_settings
from portal.core.answers import CODE_MAX_ATTEMPTS
from portal.core.models import AuditEvent, DownloadCode
from portal.db import get_session
from tests.portal.staff.test_attachments import _code_from_mail, _decide_with
from tests.portal.support.staff import StaffActions
from tests.portal.support.web import https_client, page_token


def _person(app: Flask, address: str = "127.0.0.1") -> FlaskClient:
    client = https_client(app)
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _with_code(app: Flask, smtp_server, staff: StaffActions) -> tuple[int, str, str]:
    """Return (request id, status path, the e-mailed code) of a decided request with files."""
    row, confirmed = _decide_with(app, smtp_server, staff)
    person = _person(app)
    token = page_token(person.get(confirmed.status_path).text)
    smtp_server.clear()
    sent = person.post(f"{confirmed.status_path}/files/code", data={"send-csrf_token": token})
    assert sent.status_code == 303
    return row.id, confirmed.status_path, _code_from_mail(smtp_server)


def _wrong(code: str, n: int) -> str:
    return f"{(int(code) + n + 1) % 10**8:08d}"


def _unlock(client: FlaskClient, status_path: str, code: str, token: str | None = None) -> int:
    token = token or page_token(client.get(status_path).text)
    response = client.post(
        f"{status_path}/files/unlock", data={"code-csrf_token": token, "code-code": code}
    )
    return response.status_code


def test_parallel_wrong_codes_are_each_counted_and_kill_the_code(
    app: Flask, smtp_server, staff: StaffActions
) -> None:
    change_settings(app, ratelimit_unlock="1000 per minute")  # this test is about the code's count
    request_id, status_path, code = _with_code(app, smtp_server, staff)
    clients = [_person(app) for _ in range(24)]
    tokens = [page_token(client.get(status_path).text) for client in clients]
    start = threading.Barrier(len(clients))
    answers: list[int] = []
    errors: list[BaseException] = []

    def guess(n: int) -> None:
        try:
            start.wait()
            answers.append(_unlock(clients[n], status_path, _wrong(code, n), tokens[n]))
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert answers == [422] * 24
    with app.app_context():
        (stored,) = get_session().scalars(
            select(DownloadCode).where(DownloadCode.request_id == request_id)
        )
        assert stored.attempts == 24 and stored.used_at is None
        refused = get_session().scalars(
            select(AuditEvent).where(
                AuditEvent.request_id == request_id, AuditEvent.action == "download.code_refused"
            )
        )
        assert len(list(refused)) == 24
    # More than CODE_MAX_ATTEMPTS tries reached the code: even the right one is refused now.
    assert _unlock(_person(app), status_path, code) == 422


def test_the_right_code_works_until_the_limit_and_not_after(
    app: Flask, smtp_server, staff: StaffActions
) -> None:
    change_settings(app, ratelimit_unlock="1000 per minute")
    _request_id, status_path, code = _with_code(app, smtp_server, staff)
    person = _person(app)
    token = page_token(person.get(status_path).text)
    for n in range(CODE_MAX_ATTEMPTS - 1):
        assert _unlock(person, status_path, _wrong(code, n), token) == 422
    assert _unlock(person, status_path, code, token) == 303  # the fifth try, right: accepted
    assert _unlock(person, status_path, code, token) == 422  # used


def test_one_address_types_a_limited_number_of_codes(
    app: Flask, smtp_server, staff: StaffActions
) -> None:
    change_settings(app, ratelimit_unlock="3 per 15 minutes")
    _request_id, status_path, code = _with_code(app, smtp_server, staff)
    here = _person(app, "192.0.2.10")
    assert [_unlock(here, status_path, _wrong(code, n)) for n in range(4)] == [422, 422, 422, 429]
    assert _unlock(_person(app, "192.0.2.11"), status_path, code) == 303
