"""Receipts checked as an outside verifier would: exact payload, digest, key id, and every verdict.

The payload, digest, key id and signature of a sealed request are recomputed here with hashlib and
`cryptography` directly (the documented format), not with the portal's own helpers; each way a
receipt can fail is checked for its exact (ok, code, verdict, reason) as the verify page shows it.
Only public functions of `portal.core.seal` are used.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import time
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import Flask

from portal.config import settings_of
from portal.core.models import RequestIdentity
from portal.core.paths import signing_key_path
from portal.core.seal import (
    SigningKey,
    app_key,
    canonical_json,
    load_or_create_key,
    receipt,
    receipt_json,
    seal_request,
    verify_receipt,
    verify_seal,
)
from tests.portal.support.requests import new_request

HELSINKI = dt.timezone(dt.timedelta(hours=2))
PAYLOAD = (
    '{"attested":true,"created_at":"2025-01-31T08:29:01Z","customer_number":"A-1001",'
    '"details":{"copy":true,"what":"Kaikki minua koskevat tiedot, myös lokit."},'
    '"due_on":"2025-02-28","email":"asa.aijala@example.fi","language":"fi","name":"Äijälä Åsa",'
    '"phone":"040 123 4567","received_at":"2025-01-31T08:30:00Z","reference":"R7KQ2M9XW4HT",'
    '"register":"asiakasrekisteri","right":"access","signature_name":"Åsa Äijälä","version":1}'
)


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> SigningKey:
    return load_or_create_key(tmp_path_factory.mktemp("instance"))


def raw_key_id(key: SigningKey) -> str:
    raw = key.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sealed(key: SigningKey, **changes: Any) -> dict[str, Any]:
    request = new_request(**changes)
    seal_request(request, key)
    return receipt(request)


def outcome(document: Any, pem: bytes) -> tuple[bool, str, str, str]:
    result = verify_receipt(document, pem)
    assert bool(result) is result.ok
    return result.ok, result.code, result.verdict, result.reason


def resigned(key: SigningKey, document: dict[str, Any], payload: str) -> dict[str, Any]:
    """Return `document` with `payload` signed properly (what only the key holder can do)."""
    raw = payload.encode("utf-8")
    return document | {
        "payload": payload,
        "digest": hashlib.sha256(raw).hexdigest(),
        "signature": base64.b64encode(key.sign(raw)).decode("ascii"),
    }


def test_the_receipt_is_exactly_the_documented_one(key: SigningKey) -> None:
    document = sealed(key)
    signature = document.pop("signature")
    assert document == {
        "version": 1,
        "algorithm": "Ed25519",
        "reference": "R7KQ2M9XW4HT",
        "right": "access",
        "register": "asiakasrekisteri",
        "received_at": "2025-01-31T08:30:00Z",
        "due_on": "2025-02-28",
        "payload": PAYLOAD,
        "digest": hashlib.sha256(PAYLOAD.encode("utf-8")).hexdigest(),
        "key_id": raw_key_id(key),
    }
    key.public_key.verify(base64.b64decode(signature, validate=True), PAYLOAD.encode("utf-8"))


def test_the_download_is_the_same_receipt_as_sorted_indented_json(key: SigningKey) -> None:
    request = new_request()
    seal_request(request, key)
    text = receipt_json(request)
    assert text == json.dumps(receipt(request), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert '"name"' not in text.replace('\\"name\\"', "")  # the name is only inside the payload
    assert "Äijälä" in text  # not escaped as \u00c4


def test_times_are_utc_seconds_and_empty_values_are_spelled_out(key: SigningKey) -> None:
    document = sealed(
        key,
        created_at=dt.datetime(2025, 3, 1, 0, 30, 59, 999_999),  # naive: taken as UTC
        received_at=dt.datetime(2025, 3, 1, 1, 15, 0, tzinfo=HELSINKI),
        due_on=None,
        details=None,
        attested=None,
        phone=None,
    )
    content = json.loads(document["payload"])
    assert {k: content[k] for k in ("created_at", "received_at", "due_on", "details")} == {
        "created_at": "2025-03-01T00:30:59Z",
        "received_at": "2025-02-28T23:15:00Z",
        "due_on": None,
        "details": {},
    }
    assert (content["attested"], content["phone"]) == (False, None)
    assert (document["received_at"], document["due_on"]) == ("2025-02-28T23:15:00Z", None)
    assert outcome(document, key.public_pem())[:3] == (True, "ok", "authentic")


def test_a_naive_time_is_utc_whatever_the_servers_time_zone(
    key: SigningKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite hands back naive UTC values: on a server in Helsinki they must not be read as local.
    monkeypatch.setenv("TZ", "Europe/Helsinki")
    time.tzset()
    try:
        document = sealed(key, created_at=dt.datetime(2025, 3, 1, 0, 30, 59))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert json.loads(document["payload"])["created_at"] == "2025-03-01T00:30:59Z"


def test_a_strongly_identified_request_seals_how_and_as_whom_but_not_the_number(
    key: SigningKey,
) -> None:
    identity = RequestIdentity(
        method="oidc",
        provider="Testitunnistaja",
        name="Åsa Äijälä",
        subject_hash="ab" * 32,
        level="http://ftn.ficora.fi/2017/loa2",
        identified_at=dt.datetime(2025, 1, 31, 10, 28, 59, 700_000, tzinfo=HELSINKI),
    )
    document = sealed(key, identity=identity)
    assert document["payload"] == PAYLOAD.replace(
        '"language"',
        '"identification":{"identified_at":"2025-01-31T08:28:59Z",'
        '"level":"http://ftn.ficora.fi/2017/loa2","method":"oidc","name":"Åsa Äijälä",'
        '"provider":"Testitunnistaja"},"language"',
    )
    assert outcome(document, key.public_pem())[:3] == (True, "ok", "authentic")


def test_an_unsealed_request_has_no_receipt() -> None:
    with pytest.raises(ValueError, match="^the request has not been sealed$"):
        receipt(new_request())


def test_canonical_json_refuses_floats_anywhere_and_keys_that_are_not_text() -> None:
    assert (
        canonical_json({"b": [1, {"z": None}], "a": "ä"}) == '{"a":"ä","b":[1,{"z":null}]}'.encode()
    )
    for value in (1.5, [1.5], {"a": {"b": [2.0]}}, (0.0,)):
        with pytest.raises(TypeError, match="^canonical JSON carries no floats"):
            canonical_json(value)
    with pytest.raises(TypeError, match="^canonical JSON object keys must be strings$"):
        canonical_json({"a": {1: "x"}})


def test_the_verdicts_of_a_key_that_cannot_be_used(key: SigningKey) -> None:
    document = sealed(key)
    rsa_pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=1024)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    assert outcome(document, rsa_pem) == (
        False,
        "bad_key",
        "unchecked",
        "the public key cannot be used: not an Ed25519 public key",
    )
    ok, code, verdict, reason = outcome(document, b"not a key")
    assert (ok, code, verdict) == (False, "bad_key", "unchecked")
    assert reason.startswith("the public key cannot be used: ")


NOT_RECEIPT = (
    False,
    "not_receipt",
    "not_receipt",
    "this is not a receipt: it has no signed content",
)


@pytest.mark.parametrize(
    "document",
    [[], "receipt", None, {}, {"version": 1, "algorithm": "Ed25519", "reference": "R"}],
    ids=["list", "text", "null", "empty", "only-shown"],
)
def test_what_has_no_signed_content_is_not_a_receipt(key: SigningKey, document: Any) -> None:
    assert outcome(document, key.public_pem()) == NOT_RECEIPT


@pytest.mark.parametrize(
    ("keep", "first_missing"),
    [
        (("payload",), "version"),
        (("version", "payload", "digest", "signature", "key_id"), "algorithm"),
        (("version", "algorithm", "digest"), "payload"),
        (("version", "algorithm", "payload"), "digest"),
        (("version", "algorithm", "payload", "digest", "key_id"), "signature"),
        (("version", "algorithm", "signature"), "payload"),
        (("version", "algorithm", "payload", "digest", "signature"), "key_id"),
    ],
)
def test_the_first_missing_envelope_field_is_named(
    key: SigningKey, keep: tuple[str, ...], first_missing: str
) -> None:
    document = {name: value for name, value in sealed(key).items() if name in keep}
    assert outcome(document, key.public_pem()) == (
        False,
        "malformed",
        "invalid",
        f"the receipt has no {first_missing!r} field",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("version", True), ("version", 1.0), ("version", "1"), ("algorithm", "ed25519")],
)
def test_a_version_or_algorithm_spelled_otherwise_is_unsupported(
    key: SigningKey, field: str, value: Any
) -> None:
    assert outcome(sealed(key) | {field: value}, key.public_pem()) == (
        False,
        "unsupported",
        "invalid",
        "unknown receipt version or algorithm",
    )


@pytest.mark.parametrize("field", ["payload", "digest", "signature", "key_id"])
def test_envelope_values_that_are_not_text_are_malformed(key: SigningKey, field: str) -> None:
    assert outcome(sealed(key) | {field: 1}, key.public_pem()) == (
        False,
        "malformed",
        "invalid",
        "payload, digest, signature and key id must be text",
    )


def test_a_receipt_of_another_key_names_the_key(key: SigningKey, tmp_path: Path) -> None:
    other = load_or_create_key(tmp_path)
    assert outcome(sealed(other), key.public_pem()) == (
        False,
        "key",
        "invalid",
        "the receipt names a different signing key",
    )


def test_a_signature_by_another_key_under_our_key_id_is_not_valid(key: SigningKey) -> None:
    document = sealed(key)
    stranger = Ed25519PrivateKey.generate()
    forged = base64.b64encode(stranger.sign(document["payload"].encode("utf-8"))).decode()
    assert outcome(document | {"signature": forged}, key.public_pem()) == (
        False,
        "signature",
        "invalid",
        "the signature is not valid for the payload",
    )


@pytest.mark.parametrize(
    "spell",
    [
        lambda s: s[:-4],  # 61 bytes
        lambda s: s + "AAAA",  # 67 bytes
        lambda s: s.replace("=", ""),  # unpadded: the same bytes spelt otherwise
        lambda s: s + "\n",
        lambda s: "*" + s[1:],
    ],
    ids=["short", "long", "unpadded", "newline", "not-base64"],
)
def test_a_signature_spelt_otherwise_is_not_valid(key: SigningKey, spell: Any) -> None:
    document = sealed(key)
    assert outcome(document | {"signature": spell(document["signature"])}, key.public_pem()) == (
        False,
        "signature",
        "invalid",
        "the signature is not valid for the payload",
    )


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ("not json", "the signed payload is not JSON"),
        ("[1, 2]", "the signed payload is not a JSON object"),
        ('"text"', "the signed payload is not a JSON object"),
    ],
)
def test_a_signed_payload_that_is_not_an_object_is_malformed(
    key: SigningKey, payload: str, reason: str
) -> None:
    document = resigned(key, sealed(key), payload)
    assert outcome(document, key.public_pem()) == (False, "malformed", "invalid", reason)


def test_a_shown_field_left_out_is_named(key: SigningKey) -> None:
    document = sealed(key)
    del document["due_on"]
    assert outcome(document, key.public_pem()) == (
        False,
        "malformed",
        "invalid",
        "the receipt has no 'due_on' field",
    )


def test_a_shown_value_must_be_the_same_json(key: SigningKey) -> None:
    document = resigned(key, sealed(key), PAYLOAD.replace('"attested":true', '"attested":1'))
    assert outcome(document, key.public_pem())[:3] == (True, "ok", "authentic")
    document = resigned(key, sealed(key), PAYLOAD.replace('"version":1', '"version":true'))
    assert outcome(document, key.public_pem())[:3] == (True, "ok", "authentic")
    assert outcome(sealed(key) | {"due_on": "2025-02-28 "}, key.public_pem()) == (
        False,
        "shown",
        "invalid",
        "the receipt's 'due_on' differs from what was signed",
    )


def test_an_answer_receipt_shows_its_kind_and_files(key: SigningKey) -> None:
    content = json.loads(PAYLOAD) | {"request_digest": "ab" * 32, "files": [{"name": "a.pdf"}]}
    payload = canonical_json(content).decode("utf-8")
    document = resigned(key, sealed(key), payload)
    assert outcome(document, key.public_pem()) == (
        False,
        "malformed",
        "invalid",
        "the receipt has no 'kind' field",
    )
    answer = document | {"kind": "answer", "files": [{"name": "a.pdf"}]}
    assert outcome(answer, key.public_pem())[:3] == (True, "ok", "authentic")
    assert outcome(answer | {"kind": "request"}, key.public_pem()) == (
        False,
        "shown",
        "invalid",
        "the receipt's 'kind' differs from what was signed",
    )
    assert outcome(answer | {"files": []}, key.public_pem()) == (
        False,
        "shown",
        "invalid",
        "the receipt's 'files' differs from what was signed",
    )


def test_a_shown_object_is_the_same_json_whatever_the_order_of_its_keys(key: SigningKey) -> None:
    # Signed with the file's keys unsorted, shown sorted (as any JSON tool may rewrite it).
    payload = PAYLOAD.replace(
        '"customer_number"',
        '"files":[{"name":"a.pdf","bytes":3}],"request_digest":"' + "ab" * 32 + '",'
        '"customer_number"',
    )
    document = resigned(key, sealed(key), payload)
    answer = document | {"kind": "answer", "files": [{"bytes": 3, "name": "a.pdf"}]}
    assert outcome(answer, key.public_pem()) == (
        True,
        "ok",
        "authentic",
        "the signature and digest are valid and the receipt is unaltered",
    )


def test_a_sealed_row_verifies_until_any_part_of_its_seal_changes(key: SigningKey) -> None:
    request = new_request()
    assert verify_seal(request, key.public_key) is False  # never sealed
    seal_request(request, key)
    assert verify_seal(request, key.public_key) is True
    for column, value in [
        ("sealed_payload", None),
        ("seal_digest", None),
        ("seal_signature", None),
        ("seal_digest", "0" * 64),
        ("seal_key_id", "0" * 16),
        ("seal_signature", request.seal_signature[:-4]),
        ("seal_signature", base64.b64encode(b"\0" * 64).decode()),
        ("sealed_payload", request.sealed_payload + " "),
        ("name", "Toinen Nimi"),
    ]:
        changed = new_request()
        seal_request(changed, key)
        setattr(changed, column, value)
        assert verify_seal(changed, key.public_key) is False, column


def test_the_key_is_created_in_an_instance_folder_not_made_yet(tmp_path: Path) -> None:
    key = load_or_create_key(tmp_path / "instance" / "nested")
    assert [p.name for p in (tmp_path / "instance" / "nested").iterdir()] == [
        "receipt-signing-key.pem"
    ]
    assert key.key_id == raw_key_id(key)


def test_a_key_written_by_another_worker_meanwhile_is_the_one_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_or_create_key(tmp_path)
    # The other worker's key appears between the check and the link: the link fails, ours is
    # discarded and theirs is loaded.
    monkeypatch.setattr(Path, "exists", lambda self: False)
    second = load_or_create_key(tmp_path)
    monkeypatch.undo()
    assert second.key_id == first.key_id
    assert [p.name for p in tmp_path.iterdir()] == ["receipt-signing-key.pem"]


def test_the_apps_key_is_read_once_and_kept(app: Flask) -> None:
    key = app_key(app)
    path = signing_key_path(app.instance_path, settings_of(app).signing_key_file)
    path.unlink()
    assert app_key(app) is key  # not a new key made because the file went away
    assert not path.exists()
