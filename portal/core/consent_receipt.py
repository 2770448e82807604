"""Consent receipts: what a visitor downloads to prove their consent, sealed with the portal's key.

The shape follows the DPV guide to ISO/IEC TS 27560 (schema version, record id, pseudonymous data
subject, notice version and language, controller, processing, consent events). Every field but
`seal` is signed: canonical JSON (portal.core.seal), SHA-256, Ed25519 with the receipt key. Kept
apart from the records (portal.core.consent) so that checking a receipt needs only the key.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from portal.core import seal

RECEIPT_KIND = "seloste.consent.receipt/1"
RECEIPT_SCHEMA = "https://w3id.org/dpv/guides/consent-27560"
ALGORITHM = "Ed25519"
LEGAL_BASIS = {"necessary": "eu-gdpr:A6-1-f", "exempt": "eu-gdpr:A6-1-f"}
"""DPV legal basis of a category that needs no consent; every other one is consent (A6-1-a)."""


def _state(category: str, accepted: list[str], ever_given: set[str]) -> str:
    """A purpose's consent now: given, withdrawn (given in an earlier event, refused in the
    latest: DPV's ConsentWithdrawn) or refused (never given)."""
    if category in accepted:
        return "given"
    return "withdrawn" if category in ever_given else "refused"


def receipt_content(
    records: list[Any], *, controller: Mapping[str, Any], notice_url: str
) -> dict[str, Any]:
    """Return a consent receipt in the shape of the DPV guide to ISO/IEC TS 27560: schema
    version, record id, data subject (pseudonymous), notice, controller, processing, events."""
    last = records[-1]
    choice = json.loads(last.choice)
    ever_given = {c for row in records for c in json.loads(row.choice)["accepted"]}
    processing = [
        {
            "purpose": category,
            "legal_basis": LEGAL_BASIS.get(category, "eu-gdpr:A6-1-a"),
            "state": _state(category, choice["accepted"], ever_given),
            "services": choice["accepted_services"].get(category, [])
            + choice["refused_services"].get(category, []),
        }
        for category in sorted(choice["accepted"] + choice["refused"])
    ]
    events = []
    for row in records:
        state = json.loads(row.choice)
        optional = [c for c in state["accepted"] if c != "necessary"]
        events.append(
            {
                "record": row.id,
                "time": seal.iso_time(row.at),
                "kind": row.kind,
                "source": row.source,
                "state": "given" if optional else "withdrawn",
                "accepted": state["accepted"],
                "refused": state["refused"],
                "accepted_services": state["accepted_services"],
                "refused_services": state["refused_services"],
                "notice_revision": row.revision,
                "notice_hash": row.notice_hash,
                "language": row.lang,
                "hash": row.hash,
            }
        )
    return {
        "kind": RECEIPT_KIND,
        "schema_version": RECEIPT_SCHEMA,
        "record_id": last.consent_id,
        "data_subject": {"id": last.consent_id, "id_type": "pseudonymous (random, in the cookie)"},
        "notice": {
            "revision": last.revision,
            "hash": last.notice_hash,
            "language": last.lang,
            "url": notice_url.format(hash=last.notice_hash),
        },
        "controller": dict(controller),
        "processing": processing,
        "consent_events": events,
        "expires_at": seal.iso_time(last.expires_at),
    }


def seal_receipt(content: dict[str, Any], key: seal.SigningKey) -> dict[str, Any]:
    """Return the receipt with its seal: SHA-256 and Ed25519 signature of the canonical JSON."""
    payload = seal.canonical_json(content)
    return {
        **content,
        "seal": {
            "algorithm": ALGORITHM,
            "key_id": key.key_id,
            "digest": seal.digest(payload),
            "signature": base64.b64encode(key.sign(payload)).decode("ascii"),
        },
    }


def is_consent_receipt(document: Any) -> bool:
    """Whether a parsed JSON document claims to be a consent receipt."""
    return isinstance(document, dict) and document.get("kind") == RECEIPT_KIND


def verify_receipt(document: Any, public_key_pem: bytes) -> seal.VerifyResult:
    """Check a consent receipt: every field but the seal is signed, digest and signature hold."""
    try:
        public_key = seal.load_public_key(public_key_pem)
    except ValueError as exc:
        return seal.VerifyResult(False, f"the public key cannot be used: {exc}", "bad_key")
    if not is_consent_receipt(document):
        return seal.VerifyResult(False, "this is not a consent receipt", "not_receipt")
    stamp = document.get("seal")
    if not isinstance(stamp, dict) or set(stamp) != {"algorithm", "key_id", "digest", "signature"}:
        return seal.VerifyResult(False, "the receipt has no seal", "malformed")
    if stamp["algorithm"] != ALGORITHM:
        return seal.VerifyResult(False, "unknown receipt algorithm", "unsupported")
    content = {k: v for k, v in document.items() if k != "seal"}
    try:
        payload = seal.canonical_json(content)
    except TypeError:
        return seal.VerifyResult(False, "the receipt holds a value no receipt has", "malformed")
    if seal.digest(payload) != stamp["digest"]:
        return seal.VerifyResult(False, "the digest does not match the receipt (altered)", "digest")
    if stamp["key_id"] != seal.key_id(public_key):
        return seal.VerifyResult(False, "the receipt names a different signing key", "key")
    try:
        signature = base64.b64decode(str(stamp["signature"]), validate=True)
        public_key.verify(signature, payload)
    except Exception:  # noqa: BLE001 - any decoding or signature failure means the same
        return seal.VerifyResult(False, "the signature is not valid for the receipt", "signature")
    return seal.VerifyResult(
        True, "the signature and digest are valid and the receipt is unaltered"
    )


def receipt_summary(document: Mapping[str, Any]) -> str:
    """Return what an authentic consent receipt vouches for, as one line."""
    last = document["consent_events"][-1]
    return (
        f"consent {document['record_id']}, {last['state']} at {last['time']} "
        f"({last['source']}), accepted {', '.join(last['accepted'])}; "
        f"notice revision {document['notice']['revision']} sha256 {document['notice']['hash']}"
    )
