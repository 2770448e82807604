"""The person's files: listed on the status page, downloaded only after a one-time e-mailed code.

The status link alone shows each file's name, size and SHA-256. Downloading needs, in the same
browser session, a code sent to the request's e-mail address and typed back within
`DOWNLOAD_CODE_MINUTES`; the session then holds a grant for that one request until the same time
has passed again. A wrong, foreign or expired link, a file of another request, an expired file:
all get the same "not found" answer. Every download is an audit event.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
from typing import Any

from flask import Blueprint, Response, g, redirect, render_template, url_for
from flask import session as browser_session
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from portal.config import current_settings
from portal.core import answers, audit, files
from portal.core import content as site
from portal.core.identity import policy
from portal.core.models import DataRequest, DownloadCode, utcnow
from portal.db import get_session
from portal.web import attachments, identify, intake
from portal.web.forms import TextForm
from portal.web.i18n import current_language
from portal.web.intake import LANG

bp = Blueprint("downloads", __name__)

GRANTS = "download_grants"
"""Browser-session key: reference → ISO time until which its downloads are open."""
RESEND_AFTER = dt.timedelta(minutes=1)
"""A new code is sent at most this often per request (each one is an e-mail)."""
CODE_NOTICE = "download_code_notice"
"""Session key of what the last "send me a code" did: sent now, or wait N seconds (shown once)."""


class CodeRequestForm(TextForm):
    """Ask for a download code: only the CSRF token."""


class CodeForm(TextForm):
    """The one-time code from the e-mail."""

    code = StringField(
        _l("Code from the e-mail"),
        validators=[DataRequired(), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


def _secret() -> str:
    secret = current_settings().secret_key
    assert secret, "create_app refuses to start without SECRET_KEY"
    return secret


def _minutes() -> int:
    return current_settings().download_code_minutes


def unlocked(reference: str, now: dt.datetime | None = None) -> bool:
    """Return whether this browser session confirmed a code for `reference` recently."""
    until = (browser_session.get(GRANTS) or {}).get(reference)
    if not until:
        return False
    return dt.datetime.fromisoformat(until) > (now or utcnow())


def grant(reference: str, now: dt.datetime) -> None:
    """Open `reference`'s downloads in this browser session for DOWNLOAD_CODE_MINUTES."""
    grants = {
        ref: until
        for ref, until in (browser_session.get(GRANTS) or {}).items()
        if dt.datetime.fromisoformat(until) > now
    }
    grants[reference] = (now + dt.timedelta(minutes=_minutes())).isoformat()
    browser_session[GRANTS] = grants


@bp.app_context_processor
def _status_globals() -> dict[str, Any]:
    return {
        "files_panel": panel,
        "file_size": lambda size: files.format_size(size, current_language()),
    }


def panel(data_request: DataRequest, token: str) -> Markup:
    """Return the status page's files section (empty when there is nothing to download)."""
    available = answers.downloadable(data_request)
    if not available and not data_request.answer_payload:
        return Markup("")
    return Markup(
        render_template(
            "portal/intake/_files.html",
            request_=data_request,
            token=token,
            files=available,
            ever_given=any(a.delivered_at is not None for a in answers.answer_files(data_request)),
            unlocked=unlocked(data_request.reference),
            has_email=bool(data_request.email),
            request_form=CodeRequestForm(prefix="send"),
            code_form=g.get("download_code_form") or CodeForm(prefix="code"),
            minutes=_minutes(),
            code_notice=_code_notice(data_request.reference),
            identify_url=_identify_url(data_request, token),
        )
    )


def _strong_release(data_request: DataRequest) -> bool:
    """Return whether the register releases this right's answer only after strong identification."""
    register = next((r for r in site.content().registers if r.id == data_request.register_id), None)
    return register is not None and policy.strong_before_release(register, data_request.right)


def _identify_url(data_request: DataRequest, token: str) -> str | None:
    """Return where to identify strongly to open the downloads, when the register asks for it."""
    if not _strong_release(data_request):
        return None
    return url_for(
        "identify.start",
        lang=current_language(),
        right=data_request.right,
        register=data_request.register_id,
        release=token,
    )


def _code_notice(reference: str) -> dict[str, int] | None:
    """Return (once) what the last request for a code did for `reference`, or None."""
    notice = browser_session.get(CODE_NOTICE)
    if not isinstance(notice, dict) or notice.get("reference") != reference:
        return None
    browser_session.pop(CODE_NOTICE)
    return {"wait": int(notice.get("wait") or 0)}


def _status(lang: str, token: str) -> ResponseReturnValue:
    return redirect(url_for("intake.status", lang=lang, token=token) + "#files", code=303)


@bp.get(f"/{LANG}/status/<token>/files/identified")
def identified(lang: str, token: str) -> ResponseReturnValue:
    """Open the downloads to the strongly identified person the request is about.

    A request made after strong identification opens only to the same person (the same keyed
    hash); a request made by e-mail alone records this identification, so staff see who took
    the files.
    """
    data_request = intake.request_for_status(token)
    if data_request is None or not _strong_release(data_request):
        return intake.invalid_link()
    verified = identify.identified_for(data_request.register_id, data_request.right)
    if verified is None:
        return _status(lang, token)
    browser_session.pop(identify.IDENTITY_KEY, None)
    db = get_session()
    same = data_request.identity is None or hmac.compare_digest(
        data_request.identity.subject_hash, verified.subject_hash
    )
    if data_request.identity is None:
        data_request.identity = identify.row_of(verified)
    audit.record(
        db,
        action="request.identified",
        actor="subject",
        request_id=data_request.id,
        detail=f"release: {verified.provider}" if same else "release refused: another person",
    )
    db.commit()
    if not same:
        return identify.failed_page("other_person")
    grant(data_request.reference, utcnow())
    return _status(lang, token)


@bp.post(f"/{LANG}/status/<token>/files/code")
def send_code(lang: str, token: str) -> ResponseReturnValue:
    """E-mail a one-time download code to the request's address (at most one a minute).

    The check for a recent code and the new code are one step under the audit chain's lock, so
    parallel requests for a code send one code and one e-mail.
    """
    data_request = intake.request_for_status(token)
    if data_request is None or not answers.downloadable(data_request) or not data_request.email:
        return intake.invalid_link()
    if _strong_release(data_request):
        return _status(lang, token)  # no e-mail code: the register asks for strong identification
    if not CodeRequestForm(prefix="send").validate_on_submit():
        return _status(lang, token)
    session = get_session()
    # Held until the commit: parallel clicks wait here, then see the code the first one sent.
    audit.lock_chain(session)
    now = utcnow()
    latest = session.scalar(
        select(DownloadCode.created_at)
        .where(DownloadCode.request_id == data_request.id)
        .order_by(DownloadCode.id.desc())
        .limit(1)
    )
    waited = None if latest is None else now - answers.aware(latest)
    if waited is None or waited > RESEND_AFTER:
        message = answers.send_code(
            session,
            data_request,
            secret=_secret(),
            minutes=_minutes(),
            now=now,
        )
        session.commit()
        intake.send_inline([message.id])
        browser_session[CODE_NOTICE] = {"reference": data_request.reference, "wait": 0}
    else:
        wait = max(int((RESEND_AFTER - waited).total_seconds()) + 1, 1)
        browser_session[CODE_NOTICE] = {"reference": data_request.reference, "wait": wait}
    return _status(lang, token)


@bp.post(f"/{LANG}/status/<token>/files/unlock")
def unlock(lang: str, token: str) -> ResponseReturnValue:
    """Check the typed code; a right one opens this request's downloads in this browser."""
    data_request = intake.request_for_status(token)
    if data_request is None or not answers.downloadable(data_request):
        return intake.invalid_link()
    if _strong_release(data_request):
        return _status(lang, token)
    form = CodeForm(prefix="code")
    if form.validate_on_submit():
        session = get_session()
        now = utcnow()
        ok = answers.redeem_code(
            session,
            data_request,
            form.code.data or "",
            secret=_secret(),
            now=now,
        )
        session.commit()
        if ok:
            grant(data_request.reference, now)
            return _status(lang, token)
        form.code.errors = [
            *form.code.errors,
            _l("The code is wrong, used or expired. Ask for a new code."),
        ]
    g.download_code_form = form
    return intake.render_status(data_request, lang, token), 422


@bp.get(f"/{LANG}/status/<token>/files/<public_id>")
def download(lang: str, token: str, public_id: str) -> ResponseReturnValue:
    """Stream one file of the answer to the holder of the link who confirmed a code."""
    data_request = intake.request_for_status(token)
    if data_request is None or not unlocked(data_request.reference):
        return intake.invalid_link()
    item = next((a for a in answers.downloadable(data_request) if a.public_id == public_id), None)
    if item is None:
        return intake.invalid_link()
    answers.record_download(get_session(), item)
    get_session().commit()
    return attachments.stream(item)


@bp.get(f"/{LANG}/status/<token>/answer.json")
def answer_receipt(lang: str, token: str) -> ResponseReturnValue:
    """Download the signed receipt of the answer: the files' names and SHA-256, sealed."""
    data_request = intake.request_for_status(token)
    if data_request is None or not data_request.answer_payload:
        return intake.invalid_link()
    intake.record_view(data_request, "answer.json")
    body = json.dumps(answers.answer_receipt(data_request), ensure_ascii=False, indent=2)
    response = Response(body + "\n", mimetype="application/json")
    name = f"answer-{data_request.reference}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
