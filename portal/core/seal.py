"""Seal a confirmed request so that the person can later prove what was received, and when.

On confirmation the request's content is written as canonical JSON, hashed with SHA-256 and signed
with the controller's Ed25519 key; the person's receipt carries the payload, digest, signature and
key id, and the public key is published with the notice site.

Why Ed25519: 32-byte keys and 64-byte signatures fit in a receipt and a QR code; signing is
deterministic (no per-signature randomness that a bad RNG could leak the key through); it is fast;
and it has no parameters to choose (curve, hash, padding), so a verifier in any language cannot
pick the wrong ones.

Why canonical JSON: the signature covers bytes, so anyone who re-creates the payload must produce
the very same bytes. Keys are sorted, the text is UTF-8 (no \\u escapes), there is no whitespace,
and the values are only strings, integers, booleans, null, lists and objects: the subset on which
RFC 8785 (JCS) and `json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)` agree.
Floats are refused because their textual form differs between languages. Times are UTC, to the
second, with a `Z`: SQLite returns naive datetimes and PostgreSQL aware ones, and both must seal
alike.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from portal.config import settings_of
from portal.core import paths
from portal.core.models import DataRequest
from portal.core.private_files import write_owner_only

if TYPE_CHECKING:
    from flask import Flask

ALGORITHM = "Ed25519"
RECEIPT_VERSION = 1
"""Version of the receipt and payload format; a verifier refuses versions it does not know."""

DEFAULT_KEY_FILE = paths.SIGNING_KEY_FILE
"""Default of SIGNING_KEY_FILE: a file in the instance folder, never in the repository."""

SHOWN_FIELDS: tuple[tuple[str, str], ...] = (
    ("reference", "reference"),
    ("right", "right"),
    ("register", "register"),
    ("received_at", "received_at"),
    ("due_on", "due_on"),
)
"""Receipt fields shown to people, each paired with the payload field it must equal."""


@dataclass(frozen=True)
class SigningKey:
    """The controller's Ed25519 private key and the id that receipts name it by."""

    private_key: Ed25519PrivateKey
    key_id: str

    @property
    def public_key(self) -> Ed25519PublicKey:
        """Return the public half of the key."""
        return self.private_key.public_key()

    def public_pem(self) -> bytes:
        """Return the public key as PEM (SubjectPublicKeyInfo), the form that is published."""
        return public_key_pem(self.public_key)

    def sign(self, message: bytes) -> bytes:
        """Return the 64-byte Ed25519 signature of `message`."""
        return self.private_key.sign(message)


VERDICTS: dict[str, str] = {
    "ok": "authentic",
    "bad_key": "unchecked",
    "not_receipt": "not_receipt",
}
"""The verdict of each result code; every other code means the receipt is invalid."""


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of checking a receipt: `code` is stable (for translations), `reason` is English."""

    ok: bool
    reason: str
    code: str = "ok"

    def __bool__(self) -> bool:
        """Return whether the receipt is authentic (so `if verify_receipt(...)` reads right)."""
        return self.ok

    @property
    def verdict(self) -> str:
        """Return `authentic`, `invalid`, `not_receipt` or `unchecked` (our key is unusable)."""
        return VERDICTS.get(self.code, "invalid")


def key_id(public_key: Ed25519PublicKey) -> str:
    """Return the key id: the first 16 hex digits of SHA-256 over the raw 32-byte public key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_key_pem(public_key: Ed25519PublicKey) -> bytes:
    """Return `public_key` as PEM (SubjectPublicKeyInfo)."""
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """Parse a PEM public key; raise ValueError unless it is an Ed25519 key."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def load_or_create_key(instance_path: Path | str, filename: str = DEFAULT_KEY_FILE) -> SigningKey:
    """Load the signing key from the instance folder, creating it (mode 0600) if it is missing.

    Creation is atomic: the key is written to a private temporary file and hard-linked into place,
    so two workers starting at once end up with one key and neither reads a half-written file.
    """
    path = paths.signing_key_path(instance_path, filename)
    if not path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        write_owner_only(path, pem)  # False: another process won the race; use its key
    private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private_key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return SigningKey(private_key=private_key, key_id=key_id(private_key.public_key()))


def canonical_json(obj: Any) -> bytes:
    """Return the canonical JSON bytes of `obj`: sorted keys, UTF-8, no whitespace, no floats."""
    _reject_floats(obj)
    return json.dumps(
        obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def _reject_floats(obj: Any) -> None:
    if isinstance(obj, float):
        raise TypeError("canonical JSON carries no floats; store the number as text")
    if isinstance(obj, dict):
        for key, value in obj.items():
            if not isinstance(key, str):
                raise TypeError("canonical JSON object keys must be strings")
            _reject_floats(value)
    elif isinstance(obj, list | tuple):
        for value in obj:
            _reject_floats(value)


def iso_time(value: dt.datetime | None) -> str | None:
    """Return `value` as UTC ISO 8601 to the second with a `Z` (naive values are taken as UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def iso_date(value: dt.date | None) -> str | None:
    """Return `value` as an ISO 8601 date, or None."""
    return value.isoformat() if value is not None else None


def request_content(request: DataRequest) -> dict[str, Any]:
    """Return the sealed content of `request`: what the person asked, as whom, and when.

    A strongly identified request also seals how (method, provider, verified name, time, level);
    the keyed hash of the identity number stays out of the receipt.
    """
    content = {
        "version": RECEIPT_VERSION,
        "reference": request.reference,
        "right": str(request.right),
        "register": request.register_id,
        "language": request.language,
        "name": request.name,
        "email": request.email,
        "phone": request.phone,
        "customer_number": request.customer_number,
        "details": request.details or {},
        "signature_name": request.signature_name,
        "attested": bool(request.attested),
        "created_at": iso_time(request.created_at),
        "received_at": iso_time(request.received_at),
        "due_on": iso_date(request.due_on),
    }
    identity = request.identity
    if identity is not None:
        content["identification"] = {
            "method": identity.method,
            "provider": identity.provider,
            "name": identity.name,
            "identified_at": iso_time(identity.identified_at),
            "level": identity.level,
        }
    return content


def digest(payload: bytes) -> str:
    """Return the SHA-256 hex digest of `payload`."""
    return hashlib.sha256(payload).hexdigest()


FINGERPRINT_DIGITS = 16
"""Hex digits of the digest in a receipt's fingerprint: 64 bits, four groups a person compares."""


def fingerprint(hex_digest: str) -> str:
    """Return a receipt's fingerprint: the first 16 hex digits of its SHA-256 digest in groups
    of four ("a1c8 7430 2d17 dc9d").

    The receipt letter prints it and the check (page and command) shows it for an authentic
    receipt, so a person can tell that the file checked is the one their letter describes
    without reading the signature or the digest; it is the start of the receipt's `digest`.
    """
    head = hex_digest[:FINGERPRINT_DIGITS]
    return " ".join(head[i : i + 4] for i in range(0, len(head), 4))


def seal_request(request: DataRequest, key: SigningKey) -> None:
    """Sign the request's content and store payload, digest, signature and key id on the row."""
    payload = canonical_json(request_content(request))
    request.sealed_payload = payload.decode("utf-8")
    request.seal_digest = digest(payload)
    request.seal_signature = base64.b64encode(key.sign(payload)).decode("ascii")
    request.seal_key_id = key.key_id


def verify_seal(request: DataRequest, public_key: Ed25519PublicKey) -> bool:
    """Return True when the row still holds exactly what was sealed, under this key."""
    if not (request.sealed_payload and request.seal_digest and request.seal_signature):
        return False
    payload = canonical_json(request_content(request))
    if payload != request.sealed_payload.encode("utf-8"):
        return False
    if digest(payload) != request.seal_digest or request.seal_key_id != key_id(public_key):
        return False
    signature = _decode_signature(request.seal_signature)
    return signature is not None and _signature_ok(public_key, signature, payload)


def receipt(request: DataRequest) -> dict[str, Any]:
    """Return the person's receipt of a sealed request (what `verify_receipt` checks)."""
    if not request.sealed_payload:
        raise ValueError("the request has not been sealed")
    content = json.loads(request.sealed_payload)
    return {
        "version": RECEIPT_VERSION,
        "reference": content["reference"],
        "right": content["right"],
        "register": content["register"],
        "received_at": content["received_at"],
        "due_on": content["due_on"],
        "payload": request.sealed_payload,
        "digest": request.seal_digest,
        "signature": request.seal_signature,
        "key_id": request.seal_key_id,
        "algorithm": ALGORITHM,
    }


def receipt_json(request: DataRequest) -> str:
    """Return the receipt as pretty JSON for a download (any formatting verifies the same)."""
    return json.dumps(receipt(request), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


ENVELOPE: tuple[str, ...] = ("version", "algorithm", "payload", "digest", "signature", "key_id")
"""Fields every receipt has besides those it shows: the signed payload and how it was signed."""

ANSWER_KIND = "answer"
"""`kind` of the receipt of an answer (`portal.core.answers`): it also shows the files."""


def shown_fields(content: dict[str, Any]) -> dict[str, Any]:
    """Return the fields a receipt of this signed content shows, with the values it must show.

    A request's receipt shows `SHOWN_FIELDS`; an answer's (its payload names the request it
    answers) also its kind and the files delivered. A receipt holds exactly these and `ENVELOPE`.
    """
    shown = {name: content.get(field) for name, field in SHOWN_FIELDS}
    if "request_digest" in content:
        shown |= {"kind": ANSWER_KIND, "files": content.get("files")}
    return shown


def verify_receipt(receipt: Any, public_key_pem: bytes) -> VerifyResult:
    """Check a receipt: digest of the payload, signature, key id, and shown fields = payload.

    A receipt is authentic only when it holds nothing but the signed payload, its digest and
    signature, and the fields shown from the payload, each equal to it (`true` is not `1`): an
    added field such as `"decision": "granted"` is not covered by the signature, so it makes the
    receipt invalid.
    """
    try:
        public_key = load_public_key(public_key_pem)
    except ValueError as exc:
        return VerifyResult(False, f"the public key cannot be used: {exc}", "bad_key")
    if not isinstance(receipt, dict) or not any(name in receipt for name in ENVELOPE[2:]):
        return VerifyResult(False, "this is not a receipt: it has no signed content", "not_receipt")
    missing = [name for name in ENVELOPE if name not in receipt]
    if missing:
        return VerifyResult(False, f"the receipt has no {missing[0]!r} field", "malformed")
    if not (_same(receipt["version"], RECEIPT_VERSION) and _same(receipt["algorithm"], ALGORITHM)):
        return VerifyResult(False, "unknown receipt version or algorithm", "unsupported")
    if not all(isinstance(receipt[name], str) for name in ENVELOPE[2:]):
        return VerifyResult(
            False, "payload, digest, signature and key id must be text", "malformed"
        )
    payload = receipt["payload"].encode("utf-8")
    if digest(payload) != receipt["digest"]:
        return VerifyResult(False, "the digest does not match the payload", "digest")
    if receipt["key_id"] != key_id(public_key):
        return VerifyResult(False, "the receipt names a different signing key", "key")
    signature = _decode_signature(receipt["signature"])
    if signature is None or not _signature_ok(public_key, signature, payload):
        return VerifyResult(False, "the signature is not valid for the payload", "signature")
    try:
        content = json.loads(payload)
    except ValueError:
        return VerifyResult(False, "the signed payload is not JSON", "malformed")
    if not isinstance(content, dict):
        return VerifyResult(False, "the signed payload is not a JSON object", "malformed")
    shown = shown_fields(content)
    unsigned = sorted(name for name in receipt if name not in shown and name not in ENVELOPE)
    if unsigned:
        return VerifyResult(
            False, f"the receipt has a field that is not signed: {unsigned[0]!r}", "unsigned"
        )
    for name, value in shown.items():
        if name not in receipt:
            return VerifyResult(False, f"the receipt has no {name!r} field", "malformed")
        if not _same(receipt[name], value):
            return VerifyResult(
                False, f"the receipt's {name!r} differs from what was signed", "shown"
            )
    return VerifyResult(True, "the signature and digest are valid and the receipt is unaltered")


def _same(left: Any, right: Any) -> bool:
    """Return whether two JSON values are the same JSON (so `true` is not `1`, `1.0` not `1`)."""
    return json.dumps(left, sort_keys=True) == json.dumps(right, sort_keys=True)


def _decode_signature(text: str) -> bytes | None:
    """Decode standard base64, refusing any other spelling of the same bytes (so edits show)."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    if base64.b64encode(raw).decode("ascii") != text or len(raw) != 64:
        return None
    return raw


def _signature_ok(public_key: Ed25519PublicKey, signature: bytes, payload: bytes) -> bool:
    try:
        public_key.verify(signature, payload)
    except InvalidSignature:
        return False
    return True


APP_KEY_EXTENSION = "seal_signing_key"


def app_key(app: Flask) -> SigningKey:
    """Return the app's signing key (SIGNING_KEY_FILE in its instance folder), loaded once."""
    key = app.extensions.get(APP_KEY_EXTENSION)
    if key is None:
        key = load_or_create_key(app.instance_path, settings_of(app).signing_key_file)
        app.extensions[APP_KEY_EXTENSION] = key
    return key
