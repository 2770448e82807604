"""The consent endpoint's exact answers, byte for byte, from the WSGI layer and from Flask.

`consent.FastConsent` answers the banner's usual posts in front of Flask; every answer it gives
must be the one the Flask view (with the security headers, CORS and the rate limiter) gives to
the same request: status line, every header in order, body. Each case is sent to both and the
two answers are compared with each other and with the exact answer written out here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from werkzeug.test import EnvironBuilder, run_wsgi_app

from portal.web.consent import FastConsent
from tests.portal.test_consent import SITE_ORIGIN, choice

Answer = tuple[str, list[tuple[str, str]], bytes]
INCIDENT = re.compile(rb"Tapahtumanumero: [0-9A-F]{8}\.")
SECURITY = [
    (
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    ("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    (
        "Permissions-Policy",
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    ),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cache-Control", "no-store"),
    ("Pragma", "no-cache"),
]


def send(wsgi: Callable[..., Any], method: str = "POST", data: bytes | None = None,
         content_type: str = "application/json", origin: str = SITE_ORIGIN,
         **headers: str) -> Answer:  # fmt: skip
    """Send one request to `wsgi` as a browser on `origin` would; return its raw answer."""
    builder = EnvironBuilder(
        path="/requests/consent", method=method, data=data, content_type=content_type,
        base_url="https://localhost", headers={"Origin": origin, **headers},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )  # fmt: skip
    body, status, answer_headers = run_wsgi_app(wsgi, builder.get_environ(), buffered=True)
    return status, list(answer_headers.items()), b"".join(body)


def both(app: Flask, **request: Any) -> tuple[Answer, bool]:
    """Send the request to the layer and then to Flask alone; assert both answers are the same
    bytes (but for an error page's incident number, new each time); return the answer and
    whether the layer passed it to Flask."""
    layer = app.wsgi_app
    assert isinstance(layer, FastConsent)
    flask_wsgi = layer.wsgi_app
    passed = []

    def counting(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        passed.append(True)
        return flask_wsgi(environ, start_response)

    layer.wsgi_app = counting
    try:
        fast = send(layer, **request)
    finally:
        layer.wsgi_app = flask_wsgi
    assert unnumbered(send(flask_wsgi, **request)) == unnumbered(fast)
    return fast, bool(passed)


def unnumbered(answer: Answer) -> Answer:
    return answer[0], answer[1], INCIDENT.sub(b"Tapahtumanumero: N.", answer[2])


def json_answer(status: str, body: dict[str, Any], origin: str | None = SITE_ORIGIN) -> Answer:
    data = (json.dumps(body) + "\n").encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    if origin:
        headers += [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
    return status, headers + SECURITY, data


def test_a_consent_is_answered_201_with_its_receipt(app: Flask) -> None:
    body = choice(app, accepted=["analytics"])
    answer, passed = both(app, data=json.dumps(body).encode())  # the same event: one record
    consent_id = body["consent_id"]
    receipt = f"https://localhost/requests/consent/receipt/{consent_id}.json"
    expected = {"record": 1, "consent_id": consent_id, "source": "banner", "receipt": receipt}
    assert answer == json_answer("201 CREATED", expected)
    assert not passed


def test_a_refusal_of_all_is_answered_202(app: Flask) -> None:
    answer, passed = both(app, data=json.dumps(choice(app, accepted=[])).encode())
    assert answer == json_answer("202 ACCEPTED", {"counted": True, "source": "banner"})
    assert not passed


def test_another_origin_is_answered_403_without_cors(app: Flask) -> None:
    data = json.dumps(choice(app, accepted=["analytics"])).encode()
    answer, passed = both(app, data=data, origin="https://evil.example")
    refused = {"error": "origin", "message": "this site may not post records"}
    assert answer == json_answer("403 FORBIDDEN", refused, origin=None)
    assert not passed
    answer, passed = both(app, method="OPTIONS", origin="https://evil.example")
    assert answer == json_answer("403 FORBIDDEN", refused, origin=None)


def test_a_form_is_answered_415_by_flask(app: Flask) -> None:
    answer, passed = both(app, data=b"a=b", content_type="application/x-www-form-urlencoded")
    expected = {"error": "content_type", "message": "send JSON"}
    assert answer == json_answer("415 UNSUPPORTED MEDIA TYPE", expected)
    assert passed


def test_a_body_over_8_kib_is_answered_413_by_flask(app: Flask) -> None:
    data = json.dumps(choice(app, accepted=["analytics"], pad="x" * 8200)).encode()
    answer, passed = both(app, data=data)
    expected = {"error": "too_large", "message": "the body is too large"}
    assert answer == json_answer("413 REQUEST ENTITY TOO LARGE", expected)
    assert passed


def test_a_body_that_is_not_json_is_answered_400(app: Flask) -> None:
    answer, passed = both(app, data=b"{not json")
    expected = {"error": "not_json", "message": "the body must be a JSON object"}
    assert answer == json_answer("400 BAD REQUEST", expected)
    assert not passed


def test_the_preflight_is_answered_204(app: Flask) -> None:
    answer, passed = both(app, method="OPTIONS")
    cors = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Access-Control-Allow-Methods", "POST"),
        ("Access-Control-Allow-Headers", "Content-Type"),
        ("Access-Control-Max-Age", "86400"),
        ("Access-Control-Allow-Origin", SITE_ORIGIN),
        ("Vary", "Origin"),
    ]
    assert answer == ("204 NO CONTENT", cors + SECURITY, b"")
    assert not passed


def test_posts_over_the_limit_are_answered_429_and_both_count_alike(make_app: Any) -> None:
    app = make_app(RATELIMIT_CONSENT="4 per hour")
    refused = json.dumps(choice(app, accepted=[])).encode()
    assert both(app, data=b"{not json")[0][0] == "400 BAD REQUEST"  # counts, twice
    answer, passed = both(app, data=refused)  # the third and fourth post
    assert (answer[0], passed) == ("202 ACCEPTED", False)
    answer, passed = both(app, data=refused)
    length = str(len(answer[2]))
    page = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", length)]
    assert answer[:2] == ("429 TOO MANY REQUESTS", page + SECURITY)
    text = answer[2].decode()
    assert "<title>Liian monta pyyntöä – Tietosuojapyynnöt</title>" in text
    assert "Tästä yhteydestä tai sähköpostiosoitteesta on lähetetty liian monta pyyntöä." in text
    assert INCIDENT.search(answer[2])
    assert passed  # Flask-Limiter and the portal's error page answer it
    assert both(app, method="OPTIONS")[0][0] == "204 NO CONTENT"  # a preflight is not counted


def test_an_untrusted_host_is_answered_400_by_flask(app: Flask) -> None:
    data = json.dumps(choice(app, accepted=["analytics"])).encode()
    layer = app.wsgi_app
    assert isinstance(layer, FastConsent)
    forged = unnumbered(send(layer, data=data, Host="evil.example"))
    assert forged == unnumbered(send(layer.wsgi_app, data=data, Host="evil.example"))
    assert forged[0] == "400 BAD REQUEST"
    assert "<title>Lomaketta ei voitu hyväksyä – Tietosuojapyynnöt</title>" in forged[2].decode()


def test_a_body_that_is_not_utf8_is_answered_400(app: Flask) -> None:
    answer, passed = both(app, data=b'{"event_id": "\xff"}')
    expected = {"error": "not_json", "message": "the body must be a JSON object"}
    assert answer == json_answer("400 BAD REQUEST", expected)
    assert not passed


def test_a_post_with_a_query_string_is_answered_by_flask_alike(app: Flask) -> None:
    data = json.dumps(choice(app, accepted=[])).encode()
    layer = app.wsgi_app
    assert isinstance(layer, FastConsent)
    builder = EnvironBuilder(
        path="/requests/consent", method="POST", data=data, content_type="application/json",
        base_url="https://localhost", query_string="lang=sv", headers={"Origin": SITE_ORIGIN},
    )  # fmt: skip
    body, status, headers = run_wsgi_app(layer, builder.get_environ(), buffered=True)
    assert (status, b"".join(body)) == ("202 ACCEPTED", b'{"counted": true, "source": "banner"}\n')
    assert headers["Set-Cookie"].startswith("lang=sv;")  # the language hook ran: Flask answered


def test_behind_a_proxy_each_forwarded_client_has_its_own_limit(make_app: Any) -> None:
    app = make_app(PROXY_FIX=1, RATELIMIT_CONSENT="1 per hour")
    data = json.dumps(choice(app, accepted=[])).encode()

    def status(client_address: str) -> str:
        forwarded = {"X-Forwarded-For": client_address, "X-Forwarded-Proto": "https"}
        return send(app.wsgi_app, data=data, **forwarded)[0]

    assert status("203.0.113.1") == "202 ACCEPTED"
    assert status("203.0.113.1") == "429 TOO MANY REQUESTS"
    assert status("203.0.113.2") == "202 ACCEPTED"


def test_a_length_that_is_not_a_number_is_answered_by_flask_alike(app: Flask) -> None:
    data = json.dumps(choice(app, accepted=[])).encode()
    layer = app.wsgi_app
    assert isinstance(layer, FastConsent)
    answers = []
    for wsgi in (layer, layer.wsgi_app):
        builder = EnvironBuilder(path="/requests/consent", method="POST", data=data,
                                 content_type="application/json", base_url="https://localhost",
                                 headers={"Origin": SITE_ORIGIN})  # fmt: skip
        environ = builder.get_environ()
        environ["CONTENT_LENGTH"] = "\u00b2"  # a digit to str.isdigit, not to int()
        body, status, headers = run_wsgi_app(wsgi, environ, buffered=True)
        answers.append((status, b"".join(body)))
    not_json = b'{"error": "not_json", "message": "the body must be a JSON object"}\n'
    assert answers == [("400 BAD REQUEST", not_json)] * 2  # Flask reads no body: not a 500
