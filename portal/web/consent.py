"""The consent-record endpoint the cookie banner posts to, and what proves a consent later.

    POST /consent                       a choice (JSON) from the banner on a site of the allow-list
    GET  /consent/receipt/<id>.json     the visitor's sealed consent receipt (the id: their secret)
    GET  /consent/notices/<hash>.json   a notice revision's exact banner texts, by their SHA-256

The banner lives on a static site, often of another origin, so the endpoint cannot use the
session's CSRF token. It is CSRF-safe by other means: only a JSON body is accepted (a browser
sends one cross-origin only after a CORS preflight), the `Origin` must be on the allow-list
(site.yaml's `base_url` and `consent.record_origins`, and the portal itself), the body must carry
the per-revision token of the generated banner configuration, and no cookie is read or set. Posts
are rate-limited per client address and idempotent by their event id. The client's address is
used by the rate limiter only and never stored.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, abort, current_app, request, url_for
from flask.typing import ResponseReturnValue

from notice import banner
from portal.config import current_settings, settings_of
from portal.core import consent, consent_receipt, content, seal
from portal.db import get_session

bp = Blueprint("consent", __name__)
log = logging.getLogger(__name__)
NOTICE_EXTENSION = "portal_consent_notice"
KEEP_DAYS_EXTENSION = "portal_consent_keep_days"
MAX_BODY = 8 * 1024


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_origins() -> set[str]:
    """Return the origins whose pages may post records: the notice site's, the listed ones and
    the portal's own."""
    site = content.content().site
    origins = {_origin(site.base_url), _origin(current_settings().public_url or "")}
    if site.consent:
        origins |= {_origin(url) for url in site.consent.record_origins}
    return origins


def current_notice() -> consent.Notice:
    """Return the current notice revision, computed once per app and archived once."""
    notice = current_app.extensions.get(NOTICE_EXTENSION)
    if notice is None:
        notice = consent.current_notice(content.content().site)
        session = get_session()
        consent.archive_notice(session, notice)
        session.commit()
        current_app.extensions[NOTICE_EXTENSION] = notice
    return notice


def _cors(response: Response, origin: str) -> Response:
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Vary"] = "Origin"
    return response


def _answer(body: dict[str, Any], status: int, origin: str | None) -> Response:
    response = current_app.response_class(
        json.dumps(body) + "\n", status=status, mimetype="application/json"
    )
    return _cors(response, origin) if origin else response


@bp.route("/consent", methods=["POST", "OPTIONS"])
def record() -> ResponseReturnValue:
    """Record a consent (201), count a refusal (202), or say why not (400/403/415)."""
    origin = (request.headers.get("Origin") or "").lower()
    if origin not in allowed_origins():
        return _answer({"error": "origin", "message": "this site may not post records"}, 403, None)
    if request.method == "OPTIONS":  # the CORS preflight of a JSON post
        response = current_app.response_class(status=204)
        response.headers["Access-Control-Allow-Methods"] = "POST"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = "86400"
        return _cors(response, origin)
    if request.mimetype != "application/json":
        return _answer({"error": "content_type", "message": "send JSON"}, 415, origin)
    if (request.content_length or 0) > MAX_BODY:
        return _answer({"error": "too_large", "message": "the body is too large"}, 413, origin)
    payload = request.get_json(silent=True)
    site = content.content().site
    session = get_session()
    notice = current_notice()
    notices = {notice.hash: notice}
    digest = payload.get("notice") if isinstance(payload, dict) else None
    if isinstance(digest, str) and digest != notice.hash:
        archived = consent.archived_notice(session, digest[:64])
        if archived is not None:
            notices[archived.hash] = archived
    gpc_header = request.headers.get("Sec-GPC") == "1" and banner.gpc_enabled(site)
    try:
        choice = consent.parse(
            payload,
            notices=notices,
            languages=[lang.value for lang in site.languages],
            gpc_header=gpc_header,
        )
        outcome = consent.store(session, choice, keep_days=keep_days(site))
    except consent.ConsentError as error:
        session.rollback()
        log.info("consent record refused: %s", error.code)
        return _answer({"error": error.code, "message": str(error)}, 400, origin)
    if outcome.record is None:
        return _answer({"counted": True, "source": choice.source}, 202, origin)
    row = outcome.record
    receipt = url_for("consent.receipt", consent_id=row.consent_id, _external=True)
    return _answer(
        {"record": row.id, "consent_id": row.consent_id, "source": row.source, "receipt": receipt},
        201,
        origin,
    )


def keep_days(site: Any) -> int:
    """Return how long a record is kept: the consent cookie's lifetime plus CONSENT_PROOF_DAYS
    (computed once per app, like the current notice: building the banner's options is costly)."""
    days = current_app.extensions.get(KEEP_DAYS_EXTENSION)
    if days is None:
        lifetime = int(banner.options(site)["cookie"]["expiresAfterDays"])
        days = current_app.extensions[KEEP_DAYS_EXTENSION] = (
            lifetime + current_settings().consent_proof_days
        )
    return int(days)


@bp.get("/consent/receipt/<consent_id>.json")
def receipt(consent_id: str) -> ResponseReturnValue:
    """Serve the sealed consent receipt of a consent id (404 when there is no record)."""
    if not consent._UUID.fullmatch(consent_id):
        abort(404)
    records = consent.records_of(get_session(), consent_id)
    if not records:
        abort(404)
    site = content.content().site
    controller = {"name": site.controller.name, "email": content.contact_email()}
    notice_url = url_for("consent.notice", digest="HASH", _external=True).replace("HASH", "{hash}")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    document = consent_receipt.seal_receipt(
        consent_receipt.receipt_content(records, controller=controller, notice_url=notice_url),
        seal.app_key(app),
    )
    origin = (request.headers.get("Origin") or "").lower()
    response = _answer(document, 200, origin if origin in allowed_origins() else None)
    response.headers["Content-Disposition"] = 'attachment; filename="consent-receipt.json"'
    return response


@bp.get("/consent/notices/<digest>.json")
def notice(digest: str) -> ResponseReturnValue:
    """Serve a notice revision's exact banner texts and cookie tables by their hash."""
    current_notice()  # the current revision is archived before anyone asks for it
    archived = consent.archived_notice(get_session(), digest)
    if archived is None:
        abort(404)
    return current_app.response_class(archived.body, mimetype="application/json")


def init_app(app: Flask) -> None:
    """Register the endpoint under URL_PREFIX, outside the session's CSRF check, rate-limited."""
    from portal.web import ratelimit

    app.register_blueprint(bp, url_prefix=settings_of(app).url_prefix)
    app.extensions["csrf"].exempt(bp)
    ratelimit.limit_endpoint(app, "consent.record", "RATELIMIT_CONSENT")
