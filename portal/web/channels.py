"""Staff enter a request received by post, phone, e-mail or in person (`portal.core.channels`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    EmailField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from portal.core import channels, duedates, files, notify, workflow
from portal.core import content as site
from portal.core.labels import RIGHTS
from portal.core.models import RequestRight
from portal.db import get_session, session_factory
from portal.web import attachments, auth, intake
from portal.web.forms import TextForm
from portal.web.i18n import LANGUAGE_NAMES, current_language, switch_order

bp = Blueprint("channels", __name__)

CHANNEL_NAMES: dict[str, Any] = {
    "post": _l("Letter by post"),
    "phone": _l("Telephone"),
    "email": _l("E-mail"),
    "in_person": _l("In person"),
}


@bp.app_template_filter("iso_date")
def iso_date(value: str) -> dt.date:
    """Read a stored ISO date (a staff-entered date of receipt) for a page to format."""
    return dt.date.fromisoformat(value)


@bp.app_template_global("channel_name")
def channel_name(channel: str) -> str:
    """Return how a request arrived, in the page's language."""
    return str(CHANNEL_NAMES.get(channel, channel))


class EntryForm(TextForm):
    """A request received outside the web form."""

    channel = SelectField(_l("How the request arrived"), validators=[InputRequired()])
    received_on = DateField(
        _l("Date of receipt (the clock runs from it)"), validators=[InputRequired()]
    )
    right = SelectField(_l("Right"), validators=[InputRequired()])
    register = SelectField(_l("Register"), validators=[InputRequired()])
    language = SelectField(_l("Language of the answer"), validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        _l("E-mail address (optional: without it, give a postal address)"),
        validators=[
            Optional(),
            Length(max=254),
            Email(
                message=_l("Enter an e-mail address like name@example.fi."),
                check_deliverability=False,
            ),
        ],
    )
    postal_address = TextAreaField(
        _l("Postal address (needed without e-mail: letters then go by post)"),
        validators=[Optional(), Length(max=channels.POSTAL_ADDRESS_MAX)],
        render_kw={"rows": 3, "autocomplete": "off"},
    )
    phone = StringField(_l("Phone (optional)"), validators=[Optional(), Length(max=40)])
    message = TextAreaField(
        _l("What the person asks, in their words"), validators=[Optional(), Length(max=5000)]
    )
    scans = MultipleFileField(_l("Scan of the letter (optional: PDF or image)"))


def _form(formdata: Any = None) -> EntryForm:
    kwargs = {} if formdata is None else {"formdata": formdata}
    form = EntryForm(prefix="entry", **kwargs)
    lang = current_language()
    form.channel.choices = [SelectChoice(c, str(CHANNEL_NAMES[c])) for c in channels.CHANNELS]
    form.right.choices = [SelectChoice(r.value, str(RIGHTS[r.value].short)) for r in RequestRight]
    form.register.choices = [SelectChoice(c.id, c.name) for c in site.register_choices(lang)]
    form.language.choices = [SelectChoice(code, LANGUAGE_NAMES[code]) for code in switch_order()]
    if formdata is None:
        form.received_on.data = duedates.helsinki_today()
        form.language.data = lang
    return form


def _page(form: EntryForm, status: int = 200) -> Any:
    return render_template("portal/staff/new_request.html", form=form), status


@bp.get("/new")
@auth.acting_required
def new() -> Any:
    """Show the form for a request received by post, phone, e-mail or in person."""
    return _page(_form())


@bp.post("/new")
@auth.acting_required
def create() -> Any:
    """Record, seal and acknowledge the request; then show it."""
    form = _form(attachments.upload_formdata())
    if not form.validate():
        return _page(form, 400)
    user = auth.current_staff()
    assert user is not None  # login_required ran first
    session = get_session()
    try:
        row = channels.enter_request(
            session,
            actor=user,
            reference=intake.new_reference(),
            right=form.right.data or "",
            register_id=form.register.data or "",
            language=form.language.data or "",
            channel=form.channel.data or "",
            received_on=form.received_on.data,
            name=form.name.data or "",
            email=form.email.data,
            phone=form.phone.data,
            message=form.message.data or "",
            postal_address=form.postal_address.data,
            scans=attachments.uploads(form, field="scans"),
        )
    except (workflow.WorkflowError, files.FileRejected) as error:
        session.rollback()
        form.form_errors.append(attachments.error_text(error))
        return _page(form, 422)
    session.commit()
    # After the commit, as every staff action: the receipt's PDF to print (or the e-mail's).
    notify.deliver_letters(session_factory(current_app), request_id=row.id)  # type: ignore[arg-type]
    flash(_("The request was recorded and sealed; the receipt is ready."), "success")
    return redirect(url_for("staff.detail", reference=row.reference))
