"""The consent records in the back office: the data protection officer's page.

    GET  /staff/consent          counts of the records held (expired ones are purged and leave
                                 them) by notice revision, source and category, and the anonymous
                                 refusals (aggregates only, kept), with a lookup form
    POST /staff/consent/lookup   one consent id's records (a visitor's request): every event with
                                 its revision, the hash of the texts shown, language, categories
    POST /staff/consent/export   the same records as DPV JSON-LD, downloaded (the shape of
                                 `portal consent export`, from `portal.core.consent.jsonld`)

Only a data protection officer or an admin may open it. A consent id names a browser, so it is
posted, never put in a URL, and every lookup and export is an audit event naming the record
numbers it showed (not the id).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, Flask, Response, abort, current_app, render_template
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Regexp

from notice import i18n as notice_i18n
from notice.model import CookieCategory
from notice.render import COOKIE_CATEGORIES
from portal.core import audit, consent, content
from portal.core.models import ConsentRecord, StaffRole, StaffUser
from portal.db import get_session
from portal.web import auth, staff, timeline
from portal.web import consent as consent_web
from portal.web.forms import TextForm
from portal.web.i18n import current_language

bp = Blueprint("staff_consent", __name__)
ROLES = frozenset({StaffRole.dpo, StaffRole.admin})
"""Who may read the consent records."""
SOURCE_NAMES = {
    "banner": _l("Cookie banner"),
    "settings": _l("Cookie settings"),
    "gpc": _l("Global Privacy Control (the browser's signal)"),
}
KIND_NAMES = {"first": _l("First choice"), "change": _l("Change")}

F = TypeVar("F", bound=Callable[..., Any])


class LookupForm(TextForm):
    """One consent id, as the visitor gives it (their receipt's `record_id`)."""

    consent_id = StringField(
        _l("Consent id"),
        filters=[lambda value: value.strip().lower() if isinstance(value, str) else value],
        validators=[
            DataRequired(_l("Enter the consent id.")),
            Regexp(
                consent._UUID.pattern,
                message=_l(
                    "A consent id is 36 characters: letters a–f, digits and four hyphens, "
                    "as in the visitor's consent receipt."
                ),
            ),
        ],
        render_kw={"autocapitalize": "none", "spellcheck": "false", "autocomplete": "off"},
    )


def dpo_required(view: F) -> F:
    """Let only a signed-in data protection officer or admin through; others get 403."""

    @auth.login_required
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        user = auth.current_staff()
        if user is None or user.role not in ROLES:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def category_name(code: str, lang: str) -> str:
    """Return a cookie category as the banner and the notice name it in `lang` ("Analytiikka")."""
    try:
        category = CookieCategory(code)
    except ValueError:
        return code  # not a category this version knows: the code is all there is
    return notice_i18n.translations(lang).gettext(COOKIE_CATEGORIES[category])


def _user() -> StaffUser:
    user = auth.current_staff()
    assert user is not None  # dpo_required ran first
    return user


def _render(form: LookupForm, records: list[ConsentRecord] | None = None, status: int = 200) -> Any:
    session = get_session()
    return (
        render_template(
            "portal/staff/consent.html",
            counts=consent.counts(session),
            keep_days=consent_web.keep_days(content.content().site),
            form=form,
            records=records,
            choices=[json.loads(row.choice) for row in records or []],
            source_names=SOURCE_NAMES,
            kind_names=KIND_NAMES,
            category_name=lambda code: category_name(code, current_language()),
            language_name=lambda code: timeline.language_name(code, current_language()),
        ),
        status,
    )


@bp.get("/", endpoint="page")
@dpo_required
def page() -> Any:
    """Show the counts and the lookup form."""
    return _render(LookupForm())


def _looked_up(action: str) -> tuple[LookupForm, list[ConsentRecord] | None]:
    """Validate the form; return it with the id's records (None: the form is wrong), audited."""
    form = LookupForm()
    if not form.validate():
        return form, None
    session = get_session()
    records = consent.records_of(session, form.consent_id.data or "")
    numbers = ",".join(str(row.id) for row in records) or "none"
    audit.record(
        session, action=action, actor="staff", staff_id=_user().id, detail=f"records {numbers}"
    )
    session.commit()
    return form, records


@bp.post("/lookup")
@dpo_required
def lookup() -> Any:
    """Show one consent id's records (or say there is none)."""
    form, records = _looked_up("consent.looked_up")
    if records is None:
        return _render(form, status=400)
    return _render(form, records)


@bp.post("/export")
@dpo_required
def export() -> Any:
    """Download one consent id's records as DPV JSON-LD."""
    form, records = _looked_up("consent.exported")
    if records is None:
        return _render(form, status=400)
    if not records:
        return _render(form, records, status=404)
    controller = content.controller_name()
    document = consent.jsonld_document(records, controller)
    response = current_app.response_class(
        json.dumps(document, ensure_ascii=False, indent=2) + "\n",
        mimetype="application/ld+json",
    )
    response.headers["Content-Disposition"] = 'attachment; filename="consent-records.jsonld"'
    return response


@bp.context_processor
def _globals() -> dict[str, Any]:
    """The staff layout's names (signed-in user, sign-out form, date formats)."""
    return staff._staff_globals()


@bp.after_request
def _language(response: Response) -> Response:
    return staff._remember_staff_language(response)


def init_app(app: Flask) -> None:
    """Register the page under the staff pages' prefix."""
    app.register_blueprint(bp, url_prefix=app.config["URL_PREFIX"] + "/staff/consent")
