"""Strong identification in the request portal: the redirect to the provider and back.

A register may ask for strong identification before it accepts a request (the content's
`identification`). The form then first shows `required.html`; its button starts the
authorization code flow (`portal.core.identity.client`). What the session keeps meanwhile is the
attempt (state, nonce, PKCE verifier) and, after success, the verified identity for
IDENTITY_VALID minutes: the name, the keyed hash of the identity number, the provider, the time and
the level of assurance, never the number. A failure shows `failed.html` in the person's language
with the other ways to make the request. The portal's public keys are at `/.well-known/jwks.json`.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as browser_session
from flask.typing import ResponseReturnValue

from portal.config import settings_of
from portal.core import content as site
from portal.core import links
from portal.core.identity import keys as client_keys
from portal.core.identity import subject
from portal.core.identity.client import IdentificationFailed, ProviderSettings, begin, complete
from portal.core.identity.client import discover as discover_provider
from portal.core.models import RequestIdentity, RequestRight
from portal.web.i18n import current_language

bp = Blueprint("identify", __name__)
log = logging.getLogger(__name__)

LANG = "<any(fi,en,sv):lang>"
RIGHT = "<any(" + ",".join(r.value for r in RequestRight) + "):right>"
ATTEMPT_KEY = "oidc_attempt"
IDENTITY_KEY = "oidc_identity"
IDENTITY_VALID = dt.timedelta(minutes=30)
"""How long a person may take to fill the form after identifying."""


def provider_settings(app: Flask) -> ProviderSettings | None:
    """Return the configured provider, or None when strong identification is not set up."""
    config = settings_of(app)
    if not config.oidc_issuer or not config.oidc_client_id:  # load_settings: both or neither
        return None
    return ProviderSettings(
        issuer=config.oidc_issuer,
        client_id=config.oidc_client_id,
        name=config.oidc_provider_name or urlsplit(config.oidc_issuer).netloc,
        scope=config.oidc_scope,
        identity_claim=config.oidc_identity_claim,
        require_encryption=config.oidc_require_encryption,
        acr_values=config.oidc_acr_values,
    )


def identified_for(register_id: str, right: str) -> subject.VerifiedIdentity | None:
    """Return the session's identity when it was made for this register and right, still fresh."""
    kept = browser_session.get(IDENTITY_KEY)
    if not isinstance(kept, dict) or kept.get("register") != register_id:
        return None
    if kept.get("right") != right:
        return None
    fields = {k: v for k, v in kept.items() if k not in {"register", "right"}}
    try:
        verified = subject.VerifiedIdentity(**fields)
    except TypeError:
        return None
    if dt.datetime.now(dt.UTC) - verified.at > IDENTITY_VALID:
        return None
    return verified


def take_identity(register_id: str, right: str) -> RequestIdentity | None:
    """Return the session's identity as a row for the new request, and forget it in the session."""
    verified = identified_for(register_id, right)
    if verified is None:
        return None
    browser_session.pop(IDENTITY_KEY, None)
    return row_of(verified)


def row_of(verified: subject.VerifiedIdentity) -> RequestIdentity:
    """Return the row that records `verified` on a request."""
    return RequestIdentity(
        method=verified.method,
        provider=verified.provider,
        name=verified.name,
        subject_hash=verified.subject_hash,
        level=verified.level,
        identified_at=verified.at,
    )


def required_page(lang: str, right: str, register: Any) -> ResponseReturnValue:
    """Tell the person this register needs strong identification, with the way to do it."""
    return render_template(
        "portal/identify/required.html",
        right=right,
        register=register,
        register_name=site.text(register.name, lang),
        provider=provider_settings(current_app),
        contact_email=site.contact_email(),
        controller=site.register_controller(site.content(), register.id),
    )


@bp.get(f"/{LANG}/identify/{RIGHT}")
def start(lang: str, right: str) -> ResponseReturnValue:
    """Send the person to the provider with a signed request object; keep the attempt."""
    settings = provider_settings(current_app)
    register_id = request.args.get("register", "")
    release = request.args.get("release")
    if register_id not in {r.id for r in site.content().registers}:
        abort(404)
    if settings is None:
        return failed_page("unavailable")
    try:
        metadata = discover_provider(settings)
    except IdentificationFailed as exc:
        log.warning("identification: discovery failed: %s", exc)
        return failed_page(exc.reason, register_id=register_id, right=right)
    url, attempt = begin(
        settings,
        metadata,
        client_keys.load(current_app.instance_path),
        links.public_url("identify.callback"),
        lang,
    )
    browser_session[ATTEMPT_KEY] = attempt | {
        "lang": lang,
        "right": right,
        "register": register_id,
        "release": release,
    }
    return redirect(url, code=303)


@bp.get("/identify/callback")
def callback() -> ResponseReturnValue:
    """Check the provider's answer; on success keep the identity and go back to the form."""
    attempt = browser_session.pop(ATTEMPT_KEY, None)
    settings = provider_settings(current_app)
    if settings is None:
        return failed_page("unavailable")
    context = attempt if isinstance(attempt, dict) else {}
    try:
        verified = complete(
            settings,
            client_keys.load(current_app.instance_path),
            attempt if isinstance(attempt, dict) else None,
            request.args.to_dict(),
            subject.hmac_key(current_app.instance_path),
        )
    except IdentificationFailed as exc:
        # The reason only: a provider's error text could carry personal data.
        log.warning("identification failed: %s", exc.reason)
        return failed_page(
            exc.reason, register_id=context.get("register"), right=context.get("right")
        )
    browser_session[IDENTITY_KEY] = verified.as_dict() | {
        "register": context["register"],
        "right": context["right"],
    }
    log.info("identification succeeded (%s)", verified.provider)
    if context.get("release"):
        # For an answer's files: the downloads page checks who it is (portal.web.downloads).
        return redirect(
            url_for("downloads.identified", lang=context["lang"], token=context["release"]),
            code=303,
        )
    return redirect(
        url_for(
            "intake.new_request",
            lang=context["lang"],
            right=context["right"],
            register=context["register"],
        ),
        code=303,
    )


FAILURE_STATUS = {"unavailable": 503, "provider_unreachable": 502}


def failed_page(
    reason: str, *, register_id: str | None = None, right: str | None = None
) -> ResponseReturnValue:
    """Tell the person identification failed, why in plain words, and the other ways in."""
    return render_template(
        "portal/identify/failed.html",
        reason=reason,
        right=right,
        register_id=register_id,
        contact_email=site.contact_email(),
        controller=site.register_controller(site.content(), register_id),
        lang=current_language(),
    ), FAILURE_STATUS.get(reason, 400)


def jwks() -> ResponseReturnValue:
    """Publish the portal's public signing and encryption keys (rotated keys during the overlap)."""
    response = jsonify(client_keys.load(current_app.instance_path).public_jwks())
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def init_app(app: Flask) -> None:
    """Register the identification pages under the portal's prefix, the JWKS at the root."""
    prefix = settings_of(app).url_prefix
    app.register_blueprint(bp, url_prefix=prefix)
    app.add_url_rule("/.well-known/jwks.json", endpoint="oidc_jwks", view_func=jwks)
    # Also under the prefix, for a proxy that forwards only the portal's prefix.
    app.add_url_rule(
        prefix + "/.well-known/jwks.json",
        endpoint="oidc_jwks_prefixed",
        view_func=jwks,
    )
