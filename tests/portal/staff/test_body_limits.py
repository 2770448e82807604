"""Bodies are limited before they are read (issue 18): a public route reads at most a text form,
from `Content-Length` and while streaming; an upload route reads files only for a known visitor
whose session was given that form, never with a token in a URL. A refusal is a 413 page in the
visitor's language, and the test counts the bytes the portal took from the client.
"""

from __future__ import annotations

import io
import select
import socket
import threading
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import EnvironBuilder, FlaskClient
from werkzeug.serving import make_server
from werkzeug.test import TestResponse

from portal.web.bodylimits import PUBLIC_LIMIT
from tests.portal.staff.test_replies import _asked, _reply
from tests.portal.support.staff import STAFF, StaffActions
from tests.portal.support.web import https_client, page_token, upload_action

HUGE = 200 * 1024 * 1024
"""Under the 251 MB an upload may be: before issue 18 every multipart POST could send it."""
MULTIPART = "multipart/form-data; boundary=xyz"


class Counted(io.RawIOBase):
    """A request body of `size` bytes that counts how many the server read."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.taken = 0
        self.position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:  # the test client measures a body by seeking to its end
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = self.size + offset if whence == io.SEEK_END else offset
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:  # noqa: ANN001 - a writable buffer
        n = min(len(buffer), self.size - self.taken)
        head = b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n'
        chunk = (head + b"x" * n)[:n] if self.taken == 0 else b"x" * n
        buffer[:n] = chunk
        self.taken += n
        self.position += n
        return n


def _heading(html: str) -> str:
    """Return the page's verdict heading (the verify page's), else its main heading."""
    soup = BeautifulSoup(html, "html.parser")
    heading = soup.select_one("[data-outcome] h2") or soup.h1
    return heading.get_text(strip=True)


def _lang(html: str) -> str:
    return str(BeautifulSoup(html, "html.parser").html["lang"])


def _send(client: FlaskClient, path: str, body: Counted, *, streamed: bool) -> TestResponse:
    builder = EnvironBuilder(
        client.application,
        path,
        method="POST",
        input_stream=body,
        content_type=MULTIPART,
        environ_base=client.environ_base,
    )
    environ = builder.get_environ()
    if streamed:  # chunked: no length; the server marks the stream as ending by itself
        environ.pop("CONTENT_LENGTH")
        environ["wsgi.input_terminated"] = True
    return client.open(environ)


@pytest.mark.parametrize("streamed", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize(
    ("path", "lang", "heading"),
    [
        ("/requests/fi/new/access", "fi", "Lähettämäsi tiedot ovat liian suuret"),
        ("/requests/sv/verify", "sv", "Det här är inte ett kvitto"),
        (f"{STAFF}/login", "en", "What you sent is too large"),
    ],
)
def test_public_routes_read_no_more_than_a_text_form(
    client: FlaskClient, path: str, lang: str, heading: str, streamed: bool
) -> None:
    client.get(f"/requests/{lang}/")  # the language a visitor chose is the page's
    body = Counted(HUGE)
    response = _send(client, path, body, streamed=streamed)
    assert response.status_code == 413
    assert _lang(response.text) == lang
    assert _heading(response.text) == heading
    if streamed:
        assert body.taken <= 2 * 1024 * 1024  # stopped at the limit, not at 200 MB
    else:
        assert body.taken == 0  # refused from the header alone


def test_an_anonymous_upload_reads_no_files(app: Flask, smtp_server, staff: StaffActions) -> None:
    _row, confirmed = _asked(app, smtp_server, staff)
    stranger = https_client(app)
    for path in (f"{STAFF}/new", f"{STAFF}/r/X/attach", f"{confirmed.status_path}/reply"):
        body = Counted(HUGE)
        response = stranger.post(
            path, input_stream=body, content_length=HUGE, content_type=MULTIPART
        )
        assert response.status_code == 413, path
        assert body.taken == 0, path
        assert _heading(response.text) in {
            "What you sent is too large",
            "Lähettämäsi tiedot ovat liian suuret",
        }, path  # the generic refusal: a stranger learns nothing about the upload limits


def test_a_reply_sent_from_another_site_takes_no_files(
    app: Flask, smtp_server, staff: StaffActions
) -> None:
    _row, confirmed = _asked(app, smtp_server, staff)
    person = https_client(app)
    page = person.get(confirmed.status_path).text
    body = Counted(PUBLIC_LIMIT + 1)
    response = person.post(
        upload_action(page, "/reply"),
        input_stream=body,
        content_length=body.size,
        content_type=MULTIPART,
        headers={"Sec-Fetch-Site": "cross-site"},  # the browser says another site's page sent it
    )
    assert response.status_code == 413 and body.taken == 0
    assert _heading(response.text) == "Lähettämäsi tiedot ovat liian suuret"  # a Finnish link


def _urls(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [str(tag.get("action") or tag.get("href") or "") for tag in soup.find_all(["form", "a"])]


@pytest.mark.parametrize(
    ("lang", "refusal"),
    [
        ("fi", "lasku.exe: Tämän tyyppisiä tiedostoja ei hyväksytä. Hyväksytyt: "),
        ("sv", "lasku.exe: Den här filtypen godtas inte. Godtas: "),
        ("en", "lasku.exe: This type of file is not accepted. Accepted: "),
    ],
)
def test_a_refused_reply_puts_no_token_in_a_url(
    app: Flask, smtp_server, staff: StaffActions, lang: str, refusal: str
) -> None:
    _row, confirmed = _asked(app, smtp_server, staff)
    confirmed.status_path = confirmed.status_path.replace("/fi/", f"/{lang}/")
    person = https_client(app)
    token = page_token(person.get(confirmed.status_path).text)
    refused = _reply(person, confirmed, "Tässä.", ("lasku.exe", b"MZ" + b"0" * 1000))
    assert refused.status_code == 422
    errors = BeautifulSoup(refused.text, "html.parser").select("#reply-error")
    assert [error.get_text(" ", strip=True) for error in errors] == [
        f"{refusal}CSV, JPEG, JPG, JSON, PDF, PNG, TIF, TIFF, WEBP, ZIP."
    ]
    # The address the browser shows is the form's action; neither it nor any link holds a token.
    assert upload_action(refused.text, "/reply") == f"{confirmed.status_path}/reply"
    assert refused.request.url.endswith(f"{confirmed.status_path}/reply")
    assert "csrf_token=" not in refused.text and token not in "".join(_urls(refused.text))
    too_large = person.post(
        f"{confirmed.status_path}/reply",
        input_stream=Counted(HUGE),
        content_length=HUGE,
        content_type=MULTIPART,
    )
    assert too_large.status_code == 413
    assert token not in too_large.request.url and "csrf_token=" not in too_large.text


def test_a_reply_with_its_token_takes_files(app: Flask, smtp_server, staff: StaffActions) -> None:
    _row, confirmed = _asked(app, smtp_server, staff)
    person = https_client(app)
    response = _reply(
        person,
        confirmed,
        "Tässä lasku.",
        ("lasku.pdf", b"%PDF-1.7\n" + b"0" * 100_000 + b"\n%%EOF\n"),
    )
    assert response.status_code == 303


@pytest.fixture
def served(app: Flask) -> Iterator[int]:
    """Serve the app on a loopback port with Werkzeug's threaded server (it dechunks bodies)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    thread.join()


def _headers(port: int, extra: str) -> bytes:
    return (
        f"POST /requests/fi/new/access HTTP/1.1\r\nHost: localhost:{port}\r\n"
        f"Content-Type: {MULTIPART}\r\n{extra}\r\n"
    ).encode()


def test_a_real_server_answers_a_huge_length_before_the_body(served: int) -> None:
    with socket.create_connection(("127.0.0.1", served), timeout=10) as sock:
        sock.sendall(_headers(served, f"Content-Length: {HUGE}\r\n"))
        answer = sock.recv(200)
    assert answer.startswith(b"HTTP/1.1 413 ")


def test_a_real_server_stops_a_chunked_body_at_the_limit(served: int) -> None:
    chunk = b"x" * 16384
    sent = 0
    answer = b""
    with socket.create_connection(("127.0.0.1", served), timeout=10) as sock:
        sock.sendall(_headers(served, "Transfer-Encoding: chunked\r\n"))
        try:
            while sent < 50 * 1024 * 1024 and not answer:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
                if select.select([sock], [], [], 0)[0]:
                    answer = sock.recv(200)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server closed the connection after its answer
    assert sent < 4 * 1024 * 1024, sent  # a server reading everything would take 50 MB
    assert answer == b"" or answer.startswith(b"HTTP/1.1 413 "), answer
