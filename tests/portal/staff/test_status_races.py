"""The person's status page under concurrency (issue 18): twelve parallel "send me a code" send one
code and one e-mail; six parallel replies record one reply and one set of files.

Real app, real SMTP, threads of real test clients (each its own browser session), on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from portal.core.models import Attachment, DownloadCode, RequestReply
from portal.db import get_session
from tests.portal.staff.test_attachments import _decide_with
from tests.portal.staff.test_replies import _asked
from tests.portal.support.staff import StaffActions
from tests.portal.support.web import https_client, page_token, upload_action

PDF = b"%PDF-1.7\n" + b"1 0 obj\n<<>>\nendobj\n" * 20 + b"%%EOF\n"


def _all_at_once(count: int, act: Callable[[int], int]) -> list[int]:
    """Run `act(n)` in `count` threads released together; return the status codes, sorted."""
    start = threading.Barrier(count)
    codes: list[int] = []
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            start.wait()
            codes.append(act(n))
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return sorted(codes)


def _count(app: Flask, model: type, request_id: int) -> int:
    with app.app_context():
        return get_session().scalar(
            select(func.count()).select_from(model).where(model.request_id == request_id)
        )


def test_twelve_parallel_code_requests_send_one_code_and_one_mail(
    app: Flask, smtp_server, staff: StaffActions
) -> None:
    row, confirmed = _decide_with(app, smtp_server, staff)
    clients = [https_client(app) for _ in range(12)]
    tokens = [page_token(client.get(confirmed.status_path).text) for client in clients]
    smtp_server.clear()

    def ask(n: int) -> int:
        path = f"{confirmed.status_path}/files/code"
        return clients[n].post(path, data={"send-csrf_token": tokens[n]}).status_code

    assert _all_at_once(12, ask) == [303] * 12
    time.sleep(0.5)  # a second e-mail, if any, would have arrived by now
    assert len(smtp_server.wait_for(1)) == 1
    assert _count(app, DownloadCode, row.id) == 1


def _reply_from(client: FlaskClient, status_path: str) -> Callable[[], int]:
    """Load the status page now; return the post of its reply form with one file."""
    page = client.get(status_path).text
    fields = MultiDict([("csrf_token", page_token(page)), ("reply-text", "Tässä lasku.")])
    fields.add("reply-files", FileStorage(io.BytesIO(PDF), filename="lasku.pdf"))
    boundary, body = encode_multipart(fields)
    action = upload_action(page, "/reply")

    def post() -> int:
        content_type = f"multipart/form-data; boundary={boundary}"
        return client.post(action, data=body, content_type=content_type).status_code

    return post


def test_six_parallel_replies_record_one_reply_and_one_file(
    app: Flask, smtp_server, staff: StaffActions
) -> None:
    row, confirmed = _asked(app, smtp_server, staff)
    posts = [_reply_from(https_client(app), confirmed.status_path) for _ in range(6)]
    codes = _all_at_once(6, lambda n: posts[n]())
    assert codes[0] == 303 and all(code != 303 for code in codes[1:]), codes
    assert _count(app, RequestReply, row.id) == 1
    assert _count(app, Attachment, row.id) == 1
