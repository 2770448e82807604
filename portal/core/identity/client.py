"""The OpenID Connect relying party: authorization code flow as the FTN profile asks.

`begin` returns the provider's authorization URL and what the browser session must keep (state,
nonce, PKCE verifier); `complete` takes the provider's answer back, redeems the code with a
`private_key_jwt` client assertion and checks the ID token: decrypted with our encryption key
(RSA-OAEP, A256GCM), its signature verified with the provider's published keys, then issuer,
audience, times and nonce. Every failure raises `IdentificationFailed` with a reason the page
explains; nothing of a failed attempt is kept.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwe, jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from portal.core.identity.keys import SIGNING_ALG, ClientKeys
from portal.core.identity.subject import VerifiedIdentity, subject_hash

ID_TOKEN_SIGNING_ALGS = ["RS256", "PS256", "ES256"]
"""What a provider may sign ID tokens with; `none` and symmetric algorithms never."""
ID_TOKEN_ENCRYPTION = ["RSA-OAEP", "A256GCM"]
"""The FTN profile's key management and content encryption."""
LEEWAY_SECONDS = 60
ATTEMPT_MAX_AGE = dt.timedelta(minutes=10)
HTTP_TIMEOUT = 10
CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class IdentificationFailed(Exception):
    """Identification did not succeed; `reason` is one of REASONS."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


REASONS = (
    "cancelled",
    "state",
    "attempt_expired",
    "provider_unreachable",
    "code_refused",
    "not_encrypted",
    "decryption",
    "signature",
    "issuer",
    "audience",
    "expired",
    "not_yet_valid",
    "nonce",
    "claims",
)


@dataclass(frozen=True)
class ProviderSettings:
    """One configured provider (the portal's OIDC_* settings)."""

    issuer: str
    client_id: str
    name: str
    scope: str = "openid profile"
    identity_claim: str = "personal_identity_code"
    identity_kind: str = "fi-hetu"
    require_encryption: bool = True
    acr_values: str = ""


@dataclass(frozen=True)
class Metadata:
    """What discovery said about the provider."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


def _get_json(url: str) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT) as response:  # noqa: S310 - http(s) from settings
            document = json.load(response)
    except (OSError, ValueError) as exc:
        raise IdentificationFailed("provider_unreachable", f"{url}: {exc}") from None
    if not isinstance(document, dict):
        raise IdentificationFailed("provider_unreachable", f"{url}: not a JSON object")
    return document


def discover(settings: ProviderSettings) -> Metadata:
    """Read the provider's metadata; its issuer must be the configured one exactly."""
    document = _get_json(settings.issuer.rstrip("/") + "/.well-known/openid-configuration")
    try:
        metadata = Metadata(
            issuer=document["issuer"],
            authorization_endpoint=document["authorization_endpoint"],
            token_endpoint=document["token_endpoint"],
            jwks_uri=document["jwks_uri"],
        )
    except KeyError as exc:
        raise IdentificationFailed("provider_unreachable", f"discovery lacks {exc}") from None
    if metadata.issuer != settings.issuer:
        raise IdentificationFailed("issuer", f"discovery names {metadata.issuer!r}")
    return metadata


def provider_keys(metadata: Metadata) -> KeySet:
    """Fetch the provider's published keys."""
    try:
        return KeySet.import_key_set(_get_json(metadata.jwks_uri))  # type: ignore[arg-type]
    except (JoseError, ValueError, KeyError, TypeError) as exc:
        raise IdentificationFailed("provider_unreachable", f"jwks: {exc}") from None


def begin(
    settings: ProviderSettings,
    metadata: Metadata,
    keys: ClientKeys,
    redirect_uri: str,
    ui_locale: str,
) -> tuple[str, dict[str, Any]]:
    """Return the authorization URL and the attempt to keep in the browser session."""
    state, nonce = generate_token(32), generate_token(32)
    verifier = generate_token(64)
    now = int(time.time())
    request_claims = {
        "iss": settings.client_id,
        "aud": metadata.issuer,
        "client_id": settings.client_id,
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "scope": settings.scope,
        "state": state,
        "nonce": nonce,
        "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256",
        "ui_locales": ui_locale,
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": secrets.token_urlsafe(16),
    }
    if settings.acr_values:
        request_claims["acr_values"] = settings.acr_values
    signing = keys.signing_key()
    request_object = jws.serialize_compact(
        {"alg": SIGNING_ALG, "kid": signing.kid, "typ": "oauth-authz-req+jwt"},
        json.dumps(request_claims),
        signing,
        algorithms=[SIGNING_ALG],
    )
    query = urllib.parse.urlencode(
        {
            "client_id": settings.client_id,
            "response_type": "code",
            "scope": settings.scope,
            "request": request_object,
        }
    )
    attempt = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "redirect_uri": redirect_uri,
        "started": now,
    }
    return f"{metadata.authorization_endpoint}?{query}", attempt


def _client_assertion(settings: ProviderSettings, metadata: Metadata, keys: ClientKeys) -> str:
    now = int(time.time())
    signing = keys.signing_key()
    claims = {
        "iss": settings.client_id,
        "sub": settings.client_id,
        "aud": metadata.token_endpoint,
        "jti": secrets.token_urlsafe(16),
        "iat": now,
        "exp": now + 60,
    }
    return jws.serialize_compact(
        {"alg": SIGNING_ALG, "kid": signing.kid}, json.dumps(claims), signing, [SIGNING_ALG]
    )


def redeem(
    settings: ProviderSettings,
    metadata: Metadata,
    keys: ClientKeys,
    code: str,
    attempt: dict[str, Any],
) -> str:
    """Exchange the code for tokens (private_key_jwt, PKCE verifier); return the raw ID token."""
    body = urllib.parse.urlencode(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": attempt["redirect_uri"],
            "code_verifier": attempt["verifier"],
            "client_id": settings.client_id,
            "client_assertion_type": CLIENT_ASSERTION_TYPE,
            "client_assertion": _client_assertion(settings, metadata, keys),
        }
    ).encode()
    post = urllib.request.Request(  # noqa: S310 - the provider's token endpoint from discovery
        metadata.token_endpoint,
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(post, timeout=HTTP_TIMEOUT) as response:  # noqa: S310
            tokens = json.load(response)
    except urllib.error.HTTPError as exc:
        raise IdentificationFailed("code_refused", f"token endpoint answered {exc.code}") from None
    except (OSError, ValueError) as exc:
        raise IdentificationFailed("provider_unreachable", f"token endpoint: {exc}") from None
    id_token = tokens.get("id_token") if isinstance(tokens, dict) else None
    if not isinstance(id_token, str):
        raise IdentificationFailed("code_refused", "no id_token in the answer")
    return id_token


def open_id_token(
    settings: ProviderSettings, raw: str, keys: ClientKeys, provider: KeySet
) -> dict[str, Any]:
    """Decrypt (when a JWE) and verify an ID token's signature; return its claims unchecked."""
    signed = raw
    if raw.count(".") == 4:
        try:
            opened = jwe.decrypt_compact(
                raw, keys.decryption_keys(), algorithms=ID_TOKEN_ENCRYPTION
            )
        except (JoseError, ValueError) as exc:
            raise IdentificationFailed("decryption", str(exc)) from None
        signed = (opened.plaintext or b"").decode("ascii", "replace")
    elif settings.require_encryption:
        raise IdentificationFailed("not_encrypted")
    try:
        verified = jws.deserialize_compact(signed, provider, algorithms=ID_TOKEN_SIGNING_ALGS)
        claims = json.loads(verified.payload)
    except (JoseError, ValueError) as exc:
        raise IdentificationFailed("signature", str(exc)) from None
    if not isinstance(claims, dict):
        raise IdentificationFailed("claims", "not a JSON object")
    return claims


def check_claims(
    settings: ProviderSettings, metadata: Metadata, claims: dict[str, Any], nonce: str, now: float
) -> None:
    """Check issuer, audience, validity times and nonce of verified ID token claims."""
    if claims.get("iss") != metadata.issuer:
        raise IdentificationFailed("issuer", repr(claims.get("iss")))
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if settings.client_id not in audiences or (
        len(audiences) > 1 and claims.get("azp") != settings.client_id
    ):
        raise IdentificationFailed("audience", repr(audience))
    expires, issued = claims.get("exp"), claims.get("iat")
    if not isinstance(expires, int | float) or not isinstance(issued, int | float):
        raise IdentificationFailed("claims", "exp or iat missing")
    if expires + LEEWAY_SECONDS < now:
        raise IdentificationFailed("expired")
    not_before = claims.get("nbf", issued)
    if not isinstance(not_before, int | float) or not_before - LEEWAY_SECONDS > now:
        raise IdentificationFailed("not_yet_valid")
    if issued - LEEWAY_SECONDS > now:
        raise IdentificationFailed("not_yet_valid")
    if not isinstance(claims.get("nonce"), str) or not secrets.compare_digest(
        claims["nonce"], nonce
    ):
        raise IdentificationFailed("nonce")


def identity(
    settings: ProviderSettings, claims: dict[str, Any], hmac_key: bytes
) -> VerifiedIdentity:
    """Return what is kept of verified claims: the identity number only as a keyed hash."""
    number = claims.get(settings.identity_claim)
    if not isinstance(number, str) or not number.strip():
        raise IdentificationFailed("claims", f"no {settings.identity_claim}")
    name = claims.get("name") or " ".join(
        part for part in (claims.get("given_name"), claims.get("family_name")) if part
    )
    if not isinstance(name, str) or not name.strip():
        raise IdentificationFailed("claims", "no name")
    return VerifiedIdentity(
        name=name.strip()[:200],
        subject_hash=subject_hash(hmac_key, settings.identity_kind, number),
        provider=settings.name,
        level=str(claims.get("acr") or "")[:100],
        identified_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )


def complete(
    settings: ProviderSettings,
    keys: ClientKeys,
    attempt: dict[str, Any] | None,
    answer: dict[str, str],
    hmac_key: bytes,
) -> VerifiedIdentity:
    """Check the provider's answer (query of the redirect) and return the verified identity."""
    if attempt is None or not secrets.compare_digest(
        str(answer.get("state", "")), str(attempt.get("state", ""))
    ):
        raise IdentificationFailed("state")
    if time.time() - attempt["started"] > ATTEMPT_MAX_AGE.total_seconds():
        raise IdentificationFailed("attempt_expired")
    if "error" in answer or not answer.get("code"):
        raise IdentificationFailed("cancelled", answer.get("error", "no code"))
    metadata = discover(settings)
    raw = redeem(settings, metadata, keys, answer["code"], attempt)
    claims = open_id_token(settings, raw, keys, provider_keys(metadata))
    check_claims(settings, metadata, claims, attempt["nonce"], time.time())
    return identity(settings, claims, hmac_key)
