"""Sealing: the signature verifies, and any change to a sealed request or a receipt is detected."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from portal import db
from portal.core.models import DataRequest
from portal.core.seal import (
    ALGORITHM,
    SigningKey,
    canonical_json,
    digest,
    iso_time,
    key_id,
    load_or_create_key,
    load_public_key,
    receipt,
    receipt_json,
    seal_request,
    verify_receipt,
    verify_seal,
)
from tests.portal.support.database import postgres_schema
from tests.portal.support.requests import new_request


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> SigningKey:
    return load_or_create_key(tmp_path_factory.mktemp("instance"))


@pytest.fixture
def sealed(key: SigningKey) -> DataRequest:
    request = new_request()
    seal_request(request, key)
    return request


def flip(text: str, index: int) -> str:
    """Replace the character at `index` with another one of the same kind (hex, base64, text)."""
    old = text[index]
    for alphabet in ("0123456789abcdef", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"):
        if old in alphabet:
            return (
                text[:index]
                + alphabet[(alphabet.index(old) + 1) % len(alphabet)]
                + text[index + 1 :]
            )
    return text[:index] + ("a" if old != "a" else "b") + text[index + 1 :]


# ---- keys -----------------------------------------------------------------------------------


def test_key_is_created_private_and_then_reused(tmp_path: Path) -> None:
    first = load_or_create_key(tmp_path)
    mode = stat.S_IMODE(os.stat(tmp_path / "receipt-signing-key.pem").st_mode)
    assert mode == 0o600
    assert load_or_create_key(tmp_path).key_id == first.key_id
    assert [p.name for p in tmp_path.iterdir()] == ["receipt-signing-key.pem"]


def test_key_file_name_is_configurable_and_pkcs8(tmp_path: Path) -> None:
    load_or_create_key(tmp_path, "other.pem")
    assert (tmp_path / "other.pem").read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")


def test_key_id_is_sha256_of_raw_public_key(key: SigningKey) -> None:
    raw = base64.b64decode(b"".join(key.public_pem().splitlines()[1:-1]))[-32:]
    assert key.key_id == hashlib.sha256(raw).hexdigest()[:16] == key_id(key.public_key)
    assert len(key.key_id) == 16


def test_a_non_ed25519_key_file_is_refused(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (tmp_path / "receipt-signing-key.pem").write_bytes(pem)
    with pytest.raises(ValueError, match="Ed25519"):
        load_or_create_key(tmp_path)
    with pytest.raises(ValueError, match="Ed25519"):
        load_public_key(
            ec.generate_private_key(ec.SECP256R1())
            .public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )


# ---- canonical JSON -------------------------------------------------------------------------


def test_canonical_json_is_sorted_compact_utf8() -> None:
    assert canonical_json({"b": [1, True, None], "a": "äö å", "c": {"z": 1, "y": ""}}) == (
        '{"a":"äö å","b":[1,true,null],"c":{"y":"","z":1}}'.encode()
    )


@pytest.mark.parametrize("value", [1.5, {"a": [0.1]}, {1: "x"}, float("nan")])
def test_canonical_json_refuses_what_other_languages_would_spell_differently(value: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        canonical_json(value)


def test_times_are_utc_seconds_with_z_whether_naive_or_aware() -> None:
    aware = dt.datetime(2025, 1, 31, 12, 0, 5, 999, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert iso_time(aware) == "2025-01-31T10:00:05Z"
    assert iso_time(dt.datetime(2025, 1, 31, 10, 0, 5)) == "2025-01-31T10:00:05Z"
    assert iso_time(None) is None


# ---- sealing a request ----------------------------------------------------------------------


def test_seal_fills_payload_digest_signature_and_key_id(
    sealed: DataRequest, key: SigningKey
) -> None:
    payload = json.loads(sealed.sealed_payload or "")
    assert payload["reference"] == sealed.reference
    assert payload["name"] == "Äijälä Åsa"
    assert payload["received_at"] == "2025-01-31T08:30:00Z"
    assert payload["due_on"] == "2025-02-28"
    assert sealed.seal_digest == digest(canonical_json(payload))
    assert sealed.seal_key_id == key.key_id
    assert len(base64.b64decode(sealed.seal_signature or "")) == 64
    assert verify_seal(sealed, key.public_key)


def test_another_key_does_not_verify(sealed: DataRequest, tmp_path: Path) -> None:
    assert not verify_seal(sealed, load_or_create_key(tmp_path).public_key)


def test_unsealed_request_does_not_verify(key: SigningKey) -> None:
    assert not verify_seal(new_request(), key.public_key)
    with pytest.raises(ValueError, match="not been sealed"):
        receipt(new_request())


ROW_CHANGES: dict[str, Any] = {
    "reference": lambda r: flip(r.reference, 0),
    "right": lambda r: "erasure",
    "register_id": lambda r: flip(r.register_id, 3),
    "language": lambda r: "en",
    "name": lambda r: flip(r.name, 1),
    "email": lambda r: flip(r.email, 0),
    "phone": lambda r: flip(r.phone, 5),
    "customer_number": lambda r: flip(r.customer_number, 2),
    "details": lambda r: {**r.details, "what": flip(r.details["what"], 0)},
    "signature_name": lambda r: flip(r.signature_name, 0),
    "attested": lambda r: False,
    "created_at": lambda r: r.created_at + dt.timedelta(seconds=1),
    "received_at": lambda r: r.received_at - dt.timedelta(days=1),
    "due_on": lambda r: r.due_on + dt.timedelta(days=1),
    "sealed_payload": lambda r: flip(r.sealed_payload, 10),
    "seal_digest": lambda r: flip(r.seal_digest, 63),
    "seal_signature": lambda r: flip(r.seal_signature, 0),
    "seal_key_id": lambda r: flip(r.seal_key_id, 0),
}


@pytest.mark.parametrize("field", sorted(ROW_CHANGES))
def test_changing_any_sealed_column_breaks_the_seal(
    sealed: DataRequest, key: SigningKey, field: str
) -> None:
    setattr(sealed, field, ROW_CHANGES[field](sealed))
    assert not verify_seal(sealed, key.public_key)


@pytest.mark.parametrize("field", ["phone", "customer_number"])
def test_adding_an_absent_optional_field_breaks_the_seal(key: SigningKey, field: str) -> None:
    request = new_request(**{field: None})
    seal_request(request, key)
    assert verify_seal(request, key.public_key)
    setattr(request, field, "1")
    assert not verify_seal(request, key.public_key)


def test_workflow_columns_are_outside_the_seal(sealed: DataRequest, key: SigningKey) -> None:
    sealed.status = "decided"
    sealed.extended_due_on = dt.date(2025, 4, 28)
    sealed.decision = "granted"
    assert verify_seal(sealed, key.public_key)


# ---- receipts -------------------------------------------------------------------------------


def test_receipt_shows_dates_and_verifies(sealed: DataRequest, key: SigningKey) -> None:
    document = receipt(sealed)
    assert document["algorithm"] == ALGORITHM == "Ed25519"
    assert document["version"] == 1
    assert document["key_id"] == key.key_id
    assert (document["received_at"], document["due_on"]) == ("2025-01-31T08:30:00Z", "2025-02-28")
    assert document["register"] == "asiakasrekisteri"
    result = verify_receipt(document, key.public_pem())
    assert result.ok and result.code == "ok"


def test_receipt_survives_a_json_round_trip(sealed: DataRequest, key: SigningKey) -> None:
    assert verify_receipt(json.loads(receipt_json(sealed)), key.public_pem()).ok


DIGEST = "the digest does not match the payload"
SIGNATURE = "the signature is not valid for the payload"
UNSUPPORTED = "unknown receipt version or algorithm"

RECEIPT_CHANGES: list[tuple[str, Any, str]] = [
    ("payload", lambda v: flip(v, 1), "digest"),
    ("payload", lambda v: v.replace("Äijälä", "Aijala"), "digest"),
    ("digest", lambda v: flip(v, 0), "digest"),
    ("digest", lambda v: v.upper(), "digest"),
    ("signature", lambda v: flip(v, 0), "signature"),
    ("signature", lambda v: flip(v, 40), "signature"),
    ("signature", lambda v: flip(v, 85), "signature"),
    ("signature", lambda v: v.rstrip("="), "signature"),
    ("key_id", lambda v: flip(v, 15), "key"),
    ("reference", lambda v: flip(v, 0), "shown"),
    ("right", lambda v: "erasure", "shown"),
    ("register", lambda v: v + "x", "shown"),
    ("received_at", lambda v: v.replace("31", "30"), "shown"),
    ("due_on", lambda v: "2025-03-31", "shown"),
    ("due_on", lambda v: None, "shown"),
    ("algorithm", lambda v: "RSA", "unsupported"),
    ("version", lambda v: 2, "unsupported"),
]


@pytest.mark.parametrize(("field", "change", "code"), RECEIPT_CHANGES)
def test_changing_a_receipt_is_detected(
    sealed: DataRequest, key: SigningKey, field: str, change: Any, code: str
) -> None:
    document = receipt(sealed)
    document[field] = change(document[field])
    result = verify_receipt(document, key.public_pem())
    reasons = {
        "digest": DIGEST,
        "signature": SIGNATURE,
        "key": "the receipt names a different signing key",
        "shown": f"the receipt's {field!r} differs from what was signed",
        "unsupported": UNSUPPORTED,
    }
    assert (result.ok, result.code, result.reason, result.verdict) == (
        False,
        code,
        reasons[code],
        "invalid",
    )
    assert not result


def test_an_authentic_receipt_says_so_exactly(sealed: DataRequest, key: SigningKey) -> None:
    result = verify_receipt(receipt(sealed), key.public_pem())
    assert (bool(result), result.ok, result.code, result.verdict, result.reason) == (
        True,
        True,
        "ok",
        "authentic",
        "the signature and digest are valid and the receipt is unaltered",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("decision", "granted"),
        ("kind", "answer"),
        ("files", []),
        ("name", "Äijälä Åsa"),
        ("note", None),
    ],
)
def test_a_field_outside_the_signature_makes_the_receipt_invalid(
    sealed: DataRequest, key: SigningKey, field: str, value: Any
) -> None:
    document = receipt(sealed) | {field: value}
    result = verify_receipt(document, key.public_pem())
    assert (result.ok, result.code, result.verdict, result.reason) == (
        False,
        "unsigned",
        "invalid",
        f"the receipt has a field that is not signed: {field!r}",
    )


def test_the_first_unsigned_field_is_named_in_order(sealed: DataRequest, key: SigningKey) -> None:
    document = receipt(sealed) | {"zeta": 1, "decision": "granted", "alpha": 2}
    assert verify_receipt(document, key.public_pem()).reason == (
        "the receipt has a field that is not signed: 'alpha'"
    )


@pytest.mark.parametrize(
    "field",
    [
        "version",
        "algorithm",
        "payload",
        "digest",
        "signature",
        "key_id",
        "reference",
        "right",
        "register",
        "received_at",
        "due_on",
    ],
)
def test_a_removed_field_makes_the_receipt_invalid(
    sealed: DataRequest, key: SigningKey, field: str
) -> None:
    document = receipt(sealed)
    del document[field]
    result = verify_receipt(document, key.public_pem())
    assert (result.code, result.verdict, result.reason) == (
        "malformed",
        "invalid",
        f"the receipt has no {field!r} field",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("version", True), ("version", 1.0), ("version", "1"), ("algorithm", "ed25519")],
)
def test_a_version_or_algorithm_of_another_type_is_unsupported(
    sealed: DataRequest, key: SigningKey, field: str, value: Any
) -> None:
    document = receipt(sealed) | {field: value}
    result = verify_receipt(document, key.public_pem())
    assert (result.code, result.reason) == ("unsupported", UNSUPPORTED)


def _signed(key: SigningKey, content: Any, **shown: Any) -> dict[str, Any]:
    """Return a receipt of `content` (any JSON value) signed with `key`, showing `shown`."""
    payload = canonical_json(content) if not isinstance(content, bytes) else content
    return {
        "version": 1,
        "algorithm": "Ed25519",
        **shown,
        "payload": payload.decode(),
        "digest": digest(payload),
        "signature": base64.b64encode(key.sign(payload)).decode(),
        "key_id": key.key_id,
    }


SHOWN = {"reference": "R1", "right": "access", "register": "r", "received_at": None, "due_on": None}


def test_a_shown_value_of_another_json_type_differs(key: SigningKey) -> None:
    content = {"version": 1, **SHOWN, "reference": "1"}
    assert verify_receipt(_signed(key, content, **SHOWN | {"reference": "1"}), key.public_pem())
    result = verify_receipt(_signed(key, content, **SHOWN | {"reference": 1}), key.public_pem())
    assert (result.code, result.reason) == (
        "shown",
        "the receipt's 'reference' differs from what was signed",
    )


def test_a_signed_payload_that_is_not_json_is_invalid(key: SigningKey) -> None:
    result = verify_receipt(_signed(key, b"not json", **SHOWN), key.public_pem())
    assert (result.code, result.verdict, result.reason) == (
        "malformed",
        "invalid",
        "the signed payload is not JSON",
    )


def test_an_answer_receipt_shows_its_kind_and_files(key: SigningKey) -> None:
    files = [{"name": "tiedot.csv", "sha256": "ab" * 32}]
    content = {"version": 1, **SHOWN, "request_digest": "cd" * 32, "files": files}
    answer = _signed(key, content, **SHOWN, kind="answer", files=files)
    assert verify_receipt(answer, key.public_pem()).ok
    cases = {
        "kind": ("request", "the receipt's 'kind' differs from what was signed"),
        "files": ([], "the receipt's 'files' differs from what was signed"),
    }
    for field, (value, reason) in cases.items():
        result = verify_receipt(answer | {field: value}, key.public_pem())
        assert (result.code, result.reason) == ("shown", reason)
        without = {name: v for name, v in answer.items() if name != field}
        result = verify_receipt(without, key.public_pem())
        assert (result.code, result.reason) == ("malformed", f"the receipt has no {field!r} field")
    # JSON objects compare as objects: the keys of a file may come in any order.
    reordered = [dict(reversed(list(item.items()))) for item in files]
    assert list(reordered[0]) == ["sha256", "name"]
    assert verify_receipt(answer | {"files": reordered}, key.public_pem()).ok
    # A request's receipt cannot pass for an answer's, nor show files it never signed.
    request_only = _signed(key, {"version": 1, **SHOWN}, **SHOWN)
    result = verify_receipt(request_only | {"kind": "answer"}, key.public_pem())
    assert result.reason == "the receipt has a field that is not signed: 'kind'"


def test_payload_and_digest_swapped_in_together_still_fail_on_signature(
    sealed: DataRequest, key: SigningKey
) -> None:
    document = receipt(sealed)
    forged = document["payload"].replace("Äijälä", "Mallikas")
    document["payload"], document["digest"] = forged, digest(forged.encode())
    result = verify_receipt(document, key.public_pem())
    assert (result.code, result.reason) == ("signature", SIGNATURE)


@given(index=st.integers(min_value=0), replacement=st.characters(codec="utf-8"))
@settings(max_examples=60, deadline=None)
def test_any_change_of_one_payload_character_is_detected(
    key: SigningKey, index: int, replacement: str
) -> None:
    request = new_request()
    seal_request(request, key)
    document = receipt(request)
    payload = document["payload"]
    index %= len(payload)
    if payload[index] == replacement:
        replacement = "#" if replacement != "#" else "%"
    document["payload"] = payload[:index] + replacement + payload[index + 1 :]
    assert not verify_receipt(document, key.public_pem()).ok


NOT_A_RECEIPT = "this is not a receipt: it has no signed content"


@pytest.mark.parametrize(
    ("document", "code", "reason"),
    [
        ([], "not_receipt", NOT_A_RECEIPT),
        ("text", "not_receipt", NOT_A_RECEIPT),
        (None, "not_receipt", NOT_A_RECEIPT),
        ({}, "not_receipt", NOT_A_RECEIPT),
        ({"version": 1, "algorithm": "Ed25519", "reference": "R"}, "not_receipt", NOT_A_RECEIPT),
        ({"payload": "x"}, "malformed", "the receipt has no 'version' field"),
        ({"digest": "x"}, "malformed", "the receipt has no 'version' field"),
        ({"signature": "x"}, "malformed", "the receipt has no 'version' field"),
        ({"key_id": "x"}, "malformed", "the receipt has no 'version' field"),
    ],
)
def test_what_is_not_a_receipt_is_told_apart_from_a_broken_one(
    key: SigningKey, document: Any, code: str, reason: str
) -> None:
    result = verify_receipt(document, key.public_pem())
    assert (result.ok, result.code, result.reason) == (False, code, reason)
    assert result.verdict == ("not_receipt" if code == "not_receipt" else "invalid")


@pytest.mark.parametrize("field", ["payload", "digest", "signature", "key_id"])
def test_non_text_receipt_fields_are_refused(
    sealed: DataRequest, key: SigningKey, field: str
) -> None:
    document = receipt(sealed)
    document[field] = 12
    result = verify_receipt(document, key.public_pem())
    assert (result.code, result.reason) == (
        "malformed",
        "payload, digest, signature and key id must be text",
    )


def test_a_payload_that_is_not_an_object_is_refused(key: SigningKey) -> None:
    payload = canonical_json(["not", "an", "object"])
    document = {
        "version": 1,
        "algorithm": "Ed25519",
        "reference": None,
        "right": None,
        "register": None,
        "received_at": None,
        "due_on": None,
        "payload": payload.decode(),
        "digest": digest(payload),
        "signature": base64.b64encode(key.sign(payload)).decode(),
        "key_id": key.key_id,
    }
    result = verify_receipt(document, key.public_pem())
    assert (result.code, result.reason) == ("malformed", "the signed payload is not a JSON object")


def test_unusable_public_key_is_reported(sealed: DataRequest) -> None:
    result = verify_receipt(receipt(sealed), b"not a key")
    assert (result.code, result.verdict) == ("bad_key", "unchecked")
    assert result.reason.startswith("the public key cannot be used: ")


# ---- storage round trips --------------------------------------------------------------------


def _store_reload_verify(url: str, key: SigningKey) -> None:
    db.upgrade(url)
    engine = db.make_engine(url)
    try:
        with Session(engine) as session:
            request = new_request(
                created_at=dt.datetime(2025, 1, 31, 8, 29, 59, 123456, tzinfo=dt.UTC)
            )
            seal_request(request, key)
            session.add(request)
            session.commit()
            request_id = request.id
        with Session(engine) as session:
            stored = session.get(DataRequest, request_id)
            assert stored is not None
            assert verify_seal(stored, key.public_key)
            assert verify_receipt(receipt(stored), key.public_pem()).ok
            stored.details = copy.deepcopy(stored.details) | {"what": "muuta"}
            session.commit()
        with Session(engine) as session:
            stored = session.get(DataRequest, request_id)
            assert stored is not None
            assert not verify_seal(stored, key.public_key)
    finally:
        engine.dispose()


def test_seal_survives_sqlite_storage(tmp_path: Path, key: SigningKey) -> None:
    _store_reload_verify(f"sqlite:///{tmp_path / 'portal.sqlite3'}", key)


@pytest.mark.postgres
def test_seal_survives_postgresql_storage(key: SigningKey) -> None:
    with postgres_schema("t_seal", migrate=False) as url:
        _store_reload_verify(url, key)
