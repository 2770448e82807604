"""A development OpenID Provider: the demo's stand-in for an FTN broker, and the tests' provider.

Never part of a production portal: `portal.demo` mounts it (like its mailbox) and the tests serve
it on a local port. It speaks the FTN profile the relying party expects: discovery, a JWKS, an
authorization endpoint that accepts only a request object signed with a key of the client's JWKS
(with PKCE), a token endpoint that authenticates the client by `private_key_jwt`, redeems a code
once, and returns an ID token signed with its own key and encrypted to the client's encryption
key (RSA-OAEP, A256GCM). Its people are made up; it identifies whoever clicks. `fault` makes it
misbehave in one named way, so the tests can see the relying party refuse each.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask import Blueprint, abort, jsonify, redirect, render_template_string, request
from flask.typing import ResponseReturnValue
from joserfc import jwe, jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

from portal.config import DEFAULT_PUBLIC_URL, settings_of
from portal.core.labels import DEMO_PROVIDER_NAME

FAULTS = (
    "wrong_nonce",
    "expired",
    "not_yet_valid",
    "wrong_audience",
    "wrong_issuer",
    "unsigned",
    "wrong_key",
    "unencrypted",
)

TEST_PEOPLE: dict[str, dict[str, str]] = {
    "1": {
        "given_name": "Testi",
        "family_name": "Henkilö",
        "personal_identity_code": "010170-999R",
    },
    "2": {
        "given_name": "Maija",
        "family_name": "Meikäläinen",
        "personal_identity_code": "121285-998X",
    },
}
"""Made-up people (identity codes in the 9xx test range, never issued to anyone)."""

PAGE_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Development identity provider",
        "warning": "DEVELOPMENT IDENTITY PROVIDER — demo and tests only, not a real "
        "identification.",
        "heading": "Identify as a test person",
        "cancel": "Cancel",
    },
    "fi": {
        "title": "Kehityskäytön tunnistuspalvelu",
        "warning": "KEHITYSKÄYTÖN TUNNISTUSPALVELU — vain esittelyyn ja testeihin, ei oikea "
        "tunnistautuminen.",
        "heading": "Tunnistaudu testihenkilönä",
        "cancel": "Peruuta",
    },
    "sv": {
        "title": "Identifieringstjänst för utveckling",
        "warning": "IDENTIFIERINGSTJÄNST FÖR UTVECKLING — endast för demo och tester, ingen "
        "riktig identifiering.",
        "heading": "Identifiera dig som testperson",
        "cancel": "Avbryt",
    },
}
"""The choice page in the language the portal asked for (`ui_locales`), as a real provider does."""

PAGE = """<!doctype html><html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ words.title }}</title></head><body><main>
<p><strong>{{ words.warning }}</strong></p>
<h1>{{ words.heading }}</h1>
<ul>{% for key, person in people.items() %}
<li><a href="{{ approve }}?pending={{ pending }}&amp;person={{ key }}">
{{- person.given_name }} {{ person.family_name }}</a></li>
{% endfor %}</ul>
<p><a href="{{ approve }}?pending={{ pending }}&amp;cancel=1">{{ words.cancel }}</a></p>
</main></body></html>"""


def page_language(ui_locales: str | None) -> str:
    """Return the first of the asked languages (`ui_locales`, space-separated) the page speaks."""
    for tag in (ui_locales or "").split():
        lang = tag.split("-")[0].lower()
        if lang in PAGE_WORDS:
            return lang
    return "en"


@dataclass
class DevProvider:
    """The provider's state: its key, the one client it knows, pending logins and codes."""

    issuer: str
    client_id: str
    redirect_uri: str
    client_jwks: Callable[[], dict[str, Any]]
    """Returns the client's published JWKS (fetched from its URL in the demo)."""
    auto_approve: str | None = None
    """A TEST_PEOPLE key: identify that person without the choice page (tests)."""
    fault: str | None = None
    key: RSAKey = field(
        default_factory=lambda: RSAKey.generate_key(
            2048, parameters={"use": "sig", "alg": "RS256"}, auto_kid=True
        )
    )
    pending: dict[str, dict[str, Any]] = field(default_factory=dict)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def client_keys(self) -> KeySet:
        """Return the client's current public keys."""
        return KeySet.import_key_set(self.client_jwks())  # type: ignore[arg-type]


def jwks_from_url(url: str) -> Callable[[], dict[str, Any]]:
    """Return a reader of the client's JWKS at `url` (the demo's relying party on loopback)."""

    def read() -> dict[str, Any]:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback demo
            return json.load(response)

    return read


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def id_token(provider: DevProvider, grant: dict[str, Any]) -> str:
    """Return the ID token for a redeemed code, misbuilt as `provider.fault` says."""
    now = int(time.time())
    fault = provider.fault
    claims: dict[str, Any] = {
        "iss": "https://wrong.invalid" if fault == "wrong_issuer" else provider.issuer,
        "sub": "dev-" + grant["person"],
        "aud": "someone-else" if fault == "wrong_audience" else provider.client_id,
        "iat": now,
        "exp": now + 600,
        "auth_time": now,
        "nonce": "not-the-nonce" if fault == "wrong_nonce" else grant["nonce"],
        "acr": "http://ftn.ficora.fi/2017/loa2",
        **TEST_PEOPLE[grant["person"]],
    }
    claims["name"] = f"{claims['given_name']} {claims['family_name']}"
    if fault == "expired":
        claims |= {"iat": now - 3600, "exp": now - 1800}
    if fault == "not_yet_valid":
        claims |= {"iat": now + 3600, "nbf": now + 3600, "exp": now + 7200}
    payload = json.dumps(claims)
    if fault == "unsigned":
        signed = _b64(b'{"alg":"none"}') + "." + _b64(payload.encode()) + "."
    else:
        key = provider.key
        if fault == "wrong_key":
            key = RSAKey.generate_key(2048, parameters={"kid": provider.key.kid, "alg": "RS256"})
        signed = jws.serialize_compact({"alg": "RS256", "kid": provider.key.kid}, payload, key)
    if fault == "unencrypted":
        return signed
    # The newest encryption key of the client's set (a rotated one may still be listed).
    encryption = [k for k in provider.client_keys() if k.get("use") == "enc"][-1]
    return jwe.encrypt_compact(
        {"alg": "RSA-OAEP", "enc": "A256GCM", "cty": "JWT", "kid": encryption.kid},
        signed,
        encryption,
        algorithms=["RSA-OAEP", "A256GCM"],
    )


def _refuse(error: str, status: int = 400) -> ResponseReturnValue:
    return jsonify({"error": error}), status


def provider_blueprint(provider: DevProvider, name: str = "dev_identity") -> Blueprint:
    """Return the provider's endpoints as a blueprint (mount it where its issuer says)."""
    bp = Blueprint(name, __name__)

    @bp.get("/.well-known/openid-configuration")
    def discovery() -> ResponseReturnValue:
        issuer = provider.issuer
        return jsonify(
            {
                "issuer": issuer,
                "authorization_endpoint": issuer + "/authorize",
                "token_endpoint": issuer + "/token",
                "jwks_uri": issuer + "/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "id_token_encryption_alg_values_supported": ["RSA-OAEP"],
                "id_token_encryption_enc_values_supported": ["A256GCM"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
                "request_parameter_supported": True,
                "code_challenge_methods_supported": ["S256"],
            }
        )

    @bp.get("/jwks")
    def keys() -> ResponseReturnValue:
        return jsonify(KeySet([provider.key]).as_dict(private=False))

    @bp.get("/authorize")
    def authorize() -> ResponseReturnValue:
        try:
            verified = jws.deserialize_compact(
                request.args.get("request", ""), provider.client_keys(), algorithms=["PS256"]
            )
            params = json.loads(verified.payload)
        except (JoseError, ValueError):
            abort(400, "request object missing or not signed by the client")
        if (
            params.get("client_id") != provider.client_id
            or request.args.get("client_id") != provider.client_id
            or params.get("aud") != provider.issuer
            or params.get("redirect_uri") != provider.redirect_uri
            or params.get("response_type") != "code"
            or params.get("code_challenge_method") != "S256"
            or not params.get("nonce")
            or params.get("exp", 0) < time.time()
        ):
            abort(400, "request object refused")
        pending = secrets.token_urlsafe(16)
        with provider.lock:
            provider.pending[pending] = params
        if provider.auto_approve is not None:
            return _approve(pending, provider.auto_approve, cancel=False)
        lang = page_language(params.get("ui_locales"))
        return render_template_string(
            PAGE,
            lang=lang,
            words=PAGE_WORDS[lang],
            people=TEST_PEOPLE,
            pending=pending,
            approve=provider.issuer + "/approve",
        )

    def _approve(pending: str, person: str, *, cancel: bool) -> ResponseReturnValue:
        with provider.lock:
            params = provider.pending.pop(pending, None)
        if params is None or (not cancel and person not in TEST_PEOPLE):
            abort(400, "unknown login")
        answer: dict[str, str] = {"state": params["state"]}
        if cancel:
            answer["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(24)
            with provider.lock:
                provider.codes[code] = params | {"person": person, "used": False}
            answer["code"] = code
        return redirect(params["redirect_uri"] + "?" + urlencode(answer), code=302)

    @bp.get("/approve")
    def approve() -> ResponseReturnValue:
        return _approve(
            request.args.get("pending", ""),
            request.args.get("person", ""),
            cancel=bool(request.args.get("cancel")),
        )

    @bp.post("/token")
    def token() -> ResponseReturnValue:
        form = request.form
        if form.get("grant_type") != "authorization_code":
            return _refuse("unsupported_grant_type")
        try:
            assertion = jws.deserialize_compact(
                form.get("client_assertion", ""), provider.client_keys(), algorithms=["PS256"]
            )
            client = json.loads(assertion.payload)
        except (JoseError, ValueError):
            return _refuse("invalid_client", 401)
        if (
            client.get("iss") != provider.client_id
            or client.get("sub") != provider.client_id
            or client.get("aud") != provider.issuer + "/token"
            or client.get("exp", 0) < time.time()
        ):
            return _refuse("invalid_client", 401)
        with provider.lock:
            grant = provider.codes.get(form.get("code", ""))
            if grant is None or grant["used"]:
                return _refuse("invalid_grant")
            grant["used"] = True  # a code is redeemed once; a replay is refused
        if (
            form.get("redirect_uri") != grant["redirect_uri"]
            or create_s256_code_challenge(form.get("code_verifier", "")) != grant["code_challenge"]
        ):
            return _refuse("invalid_grant")
        return jsonify(
            {
                "access_token": secrets.token_urlsafe(24),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token(provider, grant),
            }
        )

    return bp


DEMO_CLIENT_ID = "seloste-demo"
# DEMO_PROVIDER_NAME (portal.core.labels) is a catalog message: people read it in their language.
DEMO_PATH = "/dev/idp"


def demo_settings(base_url: str, url_prefix: str = "/requests") -> dict[str, Any]:
    """Return the portal settings that point the demo's relying party at this provider."""
    return {
        "OIDC_ISSUER": base_url + url_prefix + DEMO_PATH,
        "OIDC_CLIENT_ID": DEMO_CLIENT_ID,
        "OIDC_PROVIDER_NAME": DEMO_PROVIDER_NAME,
    }


def mount_in_demo(app: Any) -> DevProvider:
    """Serve the provider inside the demo's app, beside its mailbox (never in production)."""
    settings = settings_of(app)
    if not settings.oidc_issuer or not settings.oidc_client_id:
        raise ValueError("the demo's provider needs OIDC_ISSUER and OIDC_CLIENT_ID (demo_settings)")
    public = (settings.public_url or DEFAULT_PUBLIC_URL).rstrip("/")
    provider = DevProvider(
        issuer=settings.oidc_issuer,
        client_id=settings.oidc_client_id,
        redirect_uri=public + settings.url_prefix + "/identify/callback",
        client_jwks=jwks_from_url(public + "/.well-known/jwks.json"),
    )
    blueprint = provider_blueprint(provider)
    # The token endpoint is called by the relying party's server, which has no CSRF token.
    app.extensions["csrf"].exempt(blueprint)
    app.register_blueprint(blueprint, url_prefix=settings.url_prefix + DEMO_PATH)
    return provider
