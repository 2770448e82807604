"""Hostile posts to every public form and the verify page: never a 5xx.

A fuzz of 9,000 posts once produced 264 server errors: a file part named like a text field, a
deeply nested JSON receipt, a lone surrogate in a receipt; later a rare well-formed sign-in with
the limits switched off, as here (Flask-Limiter then has no store). Each has an example below that
hypothesis always tries first; the rest is generated (bounded examples locally, more under CI).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import example, given
from hypothesis import strategies as st

from portal.core import seal
from portal.core.models import RequestRight
from portal.core.receipt_file import NotAReceipt, load_receipt
from tests.portal.support.properties import PORTAL_HYPOTHESIS
from tests.portal.support.web import csrf_token, https_client, valid_fields

FORM_FIELDS = [
    "register", "name", "email", "phone", "customer_number", "message", "language",
    "signature_name", "attest", "wrong", "correct", "direct_marketing", "profiling",
    "publishing", "other", "grounds", "website", "receipt_text", "receipt_file", "username",
    "password",
]  # fmt: skip
PATHS = [f"/requests/en/new/{right.value}" for right in RequestRight] + [
    "/requests/fi/verify",
    "/requests/staff/login",
]

texts = st.one_of(
    st.text(max_size=200),
    st.sampled_from(["y", "fi", "asiakasrekisteri", "maija@example.fi", "jörg@example.com"]),
    st.integers(min_value=0, max_value=70_000).map(lambda n: "x" * n),  # up to the body limit
)
nested = st.integers(min_value=1, max_value=40_000).map(lambda depth: "[" * depth + "]" * depth)
receipts = st.one_of(
    nested,
    st.integers(min_value=1, max_value=5_000).map(
        lambda depth: '{"a":' * depth + "1" + "}" * depth
    ),
    st.sampled_from(['{"payload": "\\ud800"}', '"\\udfff"', '{"\\ud83d": 1}', "[1e999999]"]),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=30,
    ).map(json.dumps),
)
parts = st.dictionaries(
    st.sampled_from(FORM_FIELDS) | st.text(min_size=1, max_size=10),
    st.one_of(
        texts.map(lambda value: ("text", value)),
        receipts.map(lambda value: ("text", value)),
        st.binary(max_size=300).map(lambda data: ("file", data)),
        receipts.map(lambda value: ("file", value.encode("utf-8", "surrogatepass"))),
    ),
    max_size=8,
)
SURROGATE_RECEIPT = json.dumps(
    {shown: "x" for shown, _ in seal.SHOWN_FIELDS}
    | {
        "version": seal.RECEIPT_VERSION,
        "algorithm": seal.ALGORITHM,
        "payload": "\ud800",
        "digest": "0" * 64,
        "signature": "",
        "key_id": "",
    }
)
"""A receipt of the right shape whose payload is a lone surrogate: JSON can say it, UTF-8 cannot."""
DEEP = 16_000
"""Nesting that fits the 32 KiB receipt limit and is far deeper than the JSON parser goes."""

encodings = st.sampled_from(["multipart", "urlencoded", "json", "text", "none"])


def post(client: FlaskClient, path: str, fields: dict[str, Any], encoding: str) -> int:
    """Post `fields` to `path` encoded as `encoding`; return the status."""
    if encoding == "multipart":
        data = {
            name: (io.BytesIO(value), "receipt.json") if kind == "file" else value
            for name, (kind, value) in fields.items()
        }
        return client.post(path, data=data, content_type="multipart/form-data").status_code
    plain = {
        name: value.decode("latin-1") if kind == "file" else value
        for name, (kind, value) in fields.items()
    }
    if encoding == "urlencoded":
        return client.post(path, data=plain).status_code
    if encoding == "json":
        return client.post(path, json=plain).status_code
    body = "&".join(f"{k}={v}" for k, v in plain.items()).encode("utf-8", "surrogatepass")
    content_type = "text/plain" if encoding == "text" else None
    return client.post(path, data=body, content_type=content_type).status_code


@pytest.fixture
def fuzz_client(make_app: Callable[..., Flask]) -> Callable[[str], FlaskClient]:
    """Return a factory of clients holding a CSRF token of a page (limits off: 429 is fine too)."""
    app = make_app(RATELIMIT_ENABLED=False, MAIL_SEND_INLINE=False)
    clients: dict[str, tuple[FlaskClient, str]] = {}

    def for_path(path: str) -> FlaskClient:
        if path not in clients:
            client = https_client(app)
            clients[path] = (client, csrf_token(client, path))
        return clients[path][0]

    for_path.token = lambda path: clients[path][1]  # type: ignore[attr-defined]
    return for_path


@PORTAL_HYPOTHESIS
@example(
    path="/requests/en/new/access",
    fields={"name": ("file", b"Maija"), "message": ("file", b"x")},
    encoding="multipart",
    with_token=True,
)
@example(
    path="/requests/staff/login",
    fields={"username": ("file", b"hanna"), "password": ("file", b"x" * 20)},
    encoding="multipart",
    with_token=True,
)
@example(
    path="/requests/fi/verify",
    fields={"receipt_text": ("text", "[" * DEEP + "]" * DEEP)},
    encoding="multipart",
    with_token=True,
)
@example(
    path="/requests/fi/verify",
    fields={"receipt_text": ("text", SURROGATE_RECEIPT)},
    encoding="urlencoded",
    with_token=True,
)
@example(
    path="/requests/fi/verify",
    fields={"receipt_file": ("file", SURROGATE_RECEIPT.encode("ascii"))},
    encoding="multipart",
    with_token=True,
)
@example(
    path="/requests/staff/login",
    fields={"username": ("text", "hanna"), "password": ("text", "x")},
    encoding="urlencoded",
    with_token=True,
)
@given(path=st.sampled_from(PATHS), fields=parts, encoding=encodings, with_token=st.booleans())
def test_hostile_posts_never_get_a_server_error(
    fuzz_client: Callable[[str], FlaskClient],
    path: str,
    fields: dict[str, Any],
    encoding: str,
    with_token: bool,
) -> None:
    client = fuzz_client(path)
    if with_token:
        fields = {**fields, "csrf_token": ("text", fuzz_client.token(path))}  # type: ignore[attr-defined]
    status = post(client, path, fields, encoding)
    assert status < 500, (path, encoding, status)


def test_a_sign_in_with_the_limits_switched_off_is_answered(
    fuzz_client: Callable[[str], FlaskClient],
) -> None:
    """With RATELIMIT_ENABLED off Flask-Limiter makes no store: a well-formed sign-in once met
    its assertion (a 500) where the address's attempt is counted; it now counts nothing."""
    path = "/requests/staff/login"
    client = fuzz_client(path)
    response = client.post(
        path + "?lang=en",
        data={"username": "hanna", "password": "x", "csrf_token": fuzz_client.token(path)},  # type: ignore[attr-defined]
    )
    assert response.status_code == 200, response.status_code
    assert "Sign-in failed. Check the username and password" in response.text


@pytest.mark.parametrize("right", [r.value for r in RequestRight])
def test_a_file_in_place_of_every_text_field_is_sent_back(
    fuzz_client: Callable[[str], FlaskClient], right: str
) -> None:
    path = f"/requests/en/new/{right}"
    client = fuzz_client(path)
    data: dict[str, Any] = valid_fields(right, "en") | {"csrf_token": fuzz_client.token(path)}  # type: ignore[attr-defined]
    for name in ("name", "email", "message", "signature_name", "register"):
        data[name] = (io.BytesIO(b"Maija"), "name.txt")
    response = client.post(path, data=data, content_type="multipart/form-data")
    assert response.status_code == 422


@pytest.mark.parametrize(
    "text", ["[" * DEEP + "]" * DEEP, SURROGATE_RECEIPT, '{"\\udfff": 1}', "[1, 2"]
)
def test_the_command_line_check_refuses_the_same_receipts(text: str) -> None:
    with pytest.raises(NotAReceipt, match="the file"):
        load_receipt(text.encode("utf-8", "surrogatepass"))
