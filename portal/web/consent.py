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

import io
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, abort, current_app, request, url_for
from flask.typing import ResponseReturnValue
from limits import parse_many
from werkzeug.http import parse_options_header
from werkzeug.sansio.utils import host_is_trusted
from werkzeug.wsgi import get_host

from notice import banner
from portal import db
from portal.config import Settings, current_settings, settings_of
from portal.core import consent, consent_receipt, content, seal
from portal.db import get_session
from portal.web import ratelimit, security

bp = Blueprint("consent", __name__)
log = logging.getLogger(__name__)
NOTICE_EXTENSION = "portal_consent_notice"
KEEP_DAYS_EXTENSION = "portal_consent_keep_days"
PER_APP_EXTENSION = "portal_consent_per_app"
MAX_BODY = 8 * 1024


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


@dataclass(frozen=True)
class _Per:
    """What every post needs that changes only with the app's settings or content."""

    settings: Settings
    site: Any
    origins: frozenset[str]
    languages: list[str]
    gpc: bool


def _per_app() -> _Per:
    """Return this app's `_Per`, computed again only when its settings or content are replaced
    (settings are never changed in place: the demo installs new ones when it learns its port)."""
    settings, site = current_settings(), content.content().site
    per: _Per | None = current_app.extensions.get(PER_APP_EXTENSION)
    if per is None or per.settings is not settings or per.site is not site:
        origins = {_origin(site.base_url), _origin(settings.public_url or "")}
        if site.consent:
            origins |= {_origin(url) for url in site.consent.record_origins}
        languages = [lang.value for lang in site.languages]
        per = _Per(settings, site, frozenset(origins), languages, banner.gpc_enabled(site))
        current_app.extensions[PER_APP_EXTENSION] = per
    return per


def allowed_origins() -> frozenset[str]:
    """Return the origins whose pages may post records: the notice site's, the listed ones and
    the portal's own."""
    return _per_app().origins


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


ORIGIN_REFUSED: dict[str, Any] = {"error": "origin", "message": "this site may not post records"}
PREFLIGHT_HEADERS = (
    ("Access-Control-Allow-Methods", "POST"),
    ("Access-Control-Allow-Headers", "Content-Type"),
    ("Access-Control-Max-Age", "86400"),
)


def _take(payload: Any, gpc_header: bool) -> tuple[dict[str, Any], int]:
    """Record a posted choice (201), count a refusal (202) or say why not (400); a record's
    answer still lacks its `receipt` URL, which the caller adds."""
    per = _per_app()
    session = get_session()
    notice = current_notice()
    notices = {notice.hash: notice}
    digest = payload.get("notice") if isinstance(payload, dict) else None
    if isinstance(digest, str) and digest != notice.hash:
        archived = consent.archived_notice(session, digest[:64])
        if archived is not None:
            notices[archived.hash] = archived
    try:
        choice = consent.parse(
            payload,
            notices=notices,
            languages=per.languages,
            gpc_header=gpc_header and per.gpc,
        )
        outcome = consent.store(
            session,
            choice,
            keep_days=keep_days(per.site),
            fast_engine=current_app.extensions.get(db.READ_ENGINE),
        )
    except consent.ConsentError as error:
        session.rollback()
        log.info("consent record refused: %s", error.code)
        return {"error": error.code, "message": str(error)}, 400
    if outcome.record is None:
        return {"counted": True, "source": choice.source}, 202
    row = outcome.record
    return {"record": row.id, "consent_id": row.consent_id, "source": row.source}, 201


@bp.route("/consent", methods=["POST", "OPTIONS"])
def record() -> ResponseReturnValue:
    """Record a consent (201), count a refusal (202), or say why not (400/403/415).

    Posts without a query string are answered by `FastConsent` in front of Flask, with the same
    bytes; this view answers the rest (and is what that layer is tested against)."""
    origin = (request.headers.get("Origin") or "").lower()
    if origin not in allowed_origins():
        return _answer(ORIGIN_REFUSED, 403, None)
    if request.method == "OPTIONS":  # the CORS preflight of a JSON post
        response = current_app.response_class(status=204)
        for name, value in PREFLIGHT_HEADERS:
            response.headers[name] = value
        return _cors(response, origin)
    if request.mimetype != "application/json":
        return _answer({"error": "content_type", "message": "send JSON"}, 415, origin)
    if (request.content_length or 0) > MAX_BODY:
        return _answer({"error": "too_large", "message": "the body is too large"}, 413, origin)
    payload = request.get_json(silent=True)
    body, status = _take(payload, request.headers.get("Sec-GPC") == "1")
    if status == 201:
        body["receipt"] = url_for("consent.receipt", consent_id=body["consent_id"], _external=True)
    return _answer(body, status, origin)


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


class FastConsent:
    """WSGI layer that answers POST and OPTIONS /consent without Flask's request machinery.

    A banner post is the portal's busiest request, and most of its CPU went to the web stack:
    Flask's request and response objects, Flask-Limiter's per-request bookkeeping, the hooks.
    This layer answers the usual posts itself with the same bytes Flask would send (status, body,
    every header the view, CORS and `security.add_headers` set, in the same order), counting them
    with the same limiter, store and key as Flask-Limiter does. Whatever is not usual goes to
    Flask unchanged and is answered there: a query string, an untrusted host, another content
    type, a body without a length or over MAX_BODY, a limit used up (429), a limiter store that
    is down (Flask-Limiter's fallback), an error while storing (the buffered body is posted to
    Flask again; its event id makes that idempotent).
    """

    def __init__(self, app: Flask, wsgi_app: Callable[..., Any]) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.path = settings_of(app).url_prefix + "/consent"
        self._receipt_urls: dict[tuple[str, ...], tuple[str, str]] = {}
        self._limits: tuple[str, Any] | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if (
            environ.get("PATH_INFO") != self.path
            or environ.get("QUERY_STRING")
            or environ.get("REQUEST_METHOD") not in {"POST", "OPTIONS"}
        ):
            return self.wsgi_app(environ, start_response)
        with self.app.app_context():
            answer = self._answer(environ)
        if answer is None:
            return self.wsgi_app(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [body]

    def _answer(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes] | None:
        """Return the answer to a usual post or preflight, or None for Flask to answer."""
        settings = current_settings()
        if not host_is_trusted(get_host(environ), security.trusted_hosts(settings)):
            return None
        origin = (environ.get("HTTP_ORIGIN") or "").lower()
        allowed = origin in allowed_origins()
        if environ["REQUEST_METHOD"] == "OPTIONS":
            if not allowed:
                return _wsgi_json(ORIGIN_REFUSED, 403, None)
            headers = [
                ("Content-Type", "text/html; charset=utf-8"),
                *PREFLIGHT_HEADERS,
                ("Access-Control-Allow-Origin", origin),
                ("Vary", "Origin"),
                *SECURITY_HEADERS,
            ]
            return "204 NO CONTENT", headers, b""
        mimetype = parse_options_header(environ.get("CONTENT_TYPE", ""))[0].lower()
        length = environ.get("CONTENT_LENGTH", "")
        if (
            mimetype != "application/json"
            or not (length.isascii() and length.isdigit())
            or int(length) > MAX_BODY
            or environ.get("HTTP_TRANSFER_ENCODING")
        ):
            return None
        if not self._hit(environ):
            return None
        if not allowed:
            return _wsgi_json(ORIGIN_REFUSED, 403, None)
        data = _read(environ["wsgi.input"], int(length))
        environ["wsgi.input"] = io.BytesIO(data)  # for Flask, should it answer after all
        if len(data) < int(length):  # the client went away mid-body: Flask says so
            return None
        try:
            payload = json.loads(data)
        except ValueError:
            payload = None
        try:
            body, status = _take(payload, environ.get("HTTP_SEC_GPC") == "1")
        except Exception:  # noqa: BLE001 - Flask answers it with its error handlers
            log.warning("consent post handed to Flask after an error", exc_info=True)
            get_session().rollback()
            return None
        if status == 201:
            prefix, suffix = self._receipt_url(environ)
            body["receipt"] = f"{prefix}{body['consent_id']}{suffix}"
        return _wsgi_json(body, status, origin)

    def _hit(self, environ: dict[str, Any]) -> bool:
        """Count this post as Flask-Limiter would (same strategy, store and key); False when
        Flask-Limiter must decide: the limit is used up, or its store is or just went down."""
        limiter = self.app.extensions[ratelimit.EXTENSION]
        if not (limiter.enabled and limiter.initialized):
            return True
        if limiter._storage_dead or limiter._request_filters:
            return False
        text = str(current_settings()["RATELIMIT_CONSENT"])
        if self._limits is None or self._limits[0] != text:
            self._limits = (text, parse_many(text))
        items = self._limits[1]
        if len(items) != 1:
            return False
        # Flask-Limiter's scope: the endpoint, then the scope `ratelimit.limit_endpoint` names.
        scope = f"consent.record:consent.record:{LIMIT_SETTING}"
        key = [environ.get("REMOTE_ADDR") or "127.0.0.1", scope]
        if limiter._key_prefix:
            key.insert(0, limiter._key_prefix)
        try:
            return bool(limiter.limiter.hit(items[0], *key))
        except Exception:  # noqa: BLE001 - the store is down: Flask-Limiter falls back
            return False

    def _receipt_url(self, environ: dict[str, Any]) -> tuple[str, str]:
        """Return what `url_for("consent.receipt", _external=True)` puts before and after the id."""
        names = ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME")
        key = tuple(str(environ.get(name, "")) for name in names)
        found = self._receipt_urls.get(key)
        if found is None:
            adapter = self.app.create_url_adapter(self.app.request_class(environ))
            assert adapter is not None
            url = adapter.build("consent.receipt", {"consent_id": "ID"}, force_external=True)
            prefix, _, suffix = url.rpartition("ID")
            if len(self._receipt_urls) > 64:  # trusted hosts only, but keep it bounded
                self._receipt_urls.clear()
            found = self._receipt_urls[key] = (prefix, suffix)
        return found


LIMIT_SETTING = "RATELIMIT_CONSENT"
STATUS_LINES = {
    201: "201 CREATED",
    202: "202 ACCEPTED",
    400: "400 BAD REQUEST",
    403: "403 FORBIDDEN",
}
SECURITY_HEADERS = [
    *security.HEADERS.items(),
    ("Cache-Control", "no-store"),
    ("Pragma", "no-cache"),
]
"""`security.HEADERS` and `no-store`, as `security.add_headers` appends them to an answer."""


def _wsgi_json(
    body: dict[str, Any], status: int, origin: str | None
) -> tuple[str, list[tuple[str, str]], bytes]:
    data = (json.dumps(body) + "\n").encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    if origin:
        headers += [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
    return STATUS_LINES[status], headers + SECURITY_HEADERS, data


def _read(stream: Any, length: int) -> bytes:
    parts, left = [], length
    while left > 0:
        part = stream.read(left)
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def init_app(app: Flask) -> None:
    """Register the endpoint under URL_PREFIX, outside the session's CSRF check, rate-limited,
    with `FastConsent` in front of Flask (inside ProxyFix: `create_app` adds that last)."""
    app.register_blueprint(bp, url_prefix=settings_of(app).url_prefix)
    app.extensions["csrf"].exempt(bp)
    ratelimit.limit_endpoint(app, "consent.record", LIMIT_SETTING)
    app.wsgi_app = FastConsent(app, app.wsgi_app)  # type: ignore[method-assign]
