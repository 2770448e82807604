"""The person answers a request for information on their status page: text and optional files.

The form is shown only while staff wait for information; the answer resumes the paused clock,
tells the handler and e-mails the person a confirmation (`workflow.reply`); the status page then
says once that the answer arrived. Files pass the same checks and encryption as staff's.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, g, redirect, render_template, url_for
from flask import session as browser_session
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from wtforms import MultipleFileField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.core import files, workflow
from portal.core.models import DataRequest, OutboxMessage, RequestStatus
from portal.db import get_session
from portal.web import attachments, intake
from portal.web.forms import TextForm
from portal.web.intake import LANG, REPLY_NOTICE

bp = Blueprint("replies", __name__)


class ReplyForm(TextForm):
    """The person's answer and any files it needs."""

    text = TextAreaField(_l("Your answer"), validators=[DataRequired(), Length(max=5000)])
    files = MultipleFileField(_l("Files (optional)"))


@bp.app_context_processor
def _status_globals() -> dict[str, Any]:
    return {"reply_panel": panel}


def panel(data_request: DataRequest, token: str) -> Markup:
    """Return the status page's reply form while staff wait for information (else nothing)."""
    if browser_session.get(REPLY_NOTICE) == data_request.reference:
        browser_session.pop(REPLY_NOTICE)
        return Markup(
            render_template(
                "portal/intake/_reply_received.html", has_email=bool(data_request.email)
            )
        )
    if data_request.status != RequestStatus.awaiting_info:
        return Markup("")
    return Markup(
        render_template(
            "portal/intake/_reply.html",
            asked=what_we_asked(data_request),
            token=token,
            form=g.get("reply_form") or ReplyForm(prefix="reply"),
            limits=attachments.limits_text(""),
        )
    )


_ASKED_PARTS = re.compile(
    r'<section data-section="(?:asked|reason)">.*?</section>|<p data-field="clock">.*?</p>', re.S
)


def what_we_asked(data_request: DataRequest) -> Markup:
    """Return what the latest information request asked, why, and what it said of the time
    limit, as its letter said it (the letter is kept as sent; its headings one level down)."""
    asked = [letter for letter in data_request.letters if letter.kind == "info_request"]
    if not asked:
        return Markup("")
    latest = max(asked, key=lambda letter: (letter.created_at, letter.id))
    parts = "\n".join(_ASKED_PARTS.findall(latest.html))
    shown = parts.replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    return Markup(shown)  # noqa: S704 - our own letter, rendered with autoescape


def _pending_mail(data_request: DataRequest) -> list[int]:
    """Return the ids of e-mails to the person still waiting to go (the reply's confirmation)."""
    if not data_request.email:
        return []
    return list(
        get_session().scalars(
            select(OutboxMessage.id).where(
                OutboxMessage.request_id == data_request.id,
                OutboxMessage.recipient == data_request.email,
                OutboxMessage.status == "pending",
                OutboxMessage.letter_id.is_(None),
            )
        )
    )


@bp.post(f"/{LANG}/status/<token>/reply")
def reply(lang: str, token: str) -> ResponseReturnValue:
    """Record the person's answer; on bad input show the status page again with the messages."""
    data_request = intake.request_for_status(token)
    if data_request is None or data_request.status != RequestStatus.awaiting_info:
        return intake.invalid_link()
    form = ReplyForm(prefix="reply", formdata=attachments.upload_formdata())
    if form.validate():
        session = get_session()
        try:
            workflow.reply(
                session, data_request, text=form.text.data or "", uploads=attachments.uploads(form)
            )

        except (workflow.WorkflowError, files.FileRejected) as error:
            session.rollback()
            form.form_errors.append(attachments.error_text(error))
        else:
            session.commit()
            intake.send_inline(_pending_mail(data_request))
            browser_session[REPLY_NOTICE] = data_request.reference
            return redirect(url_for("intake.status", lang=lang, token=token), code=303)
    g.reply_form = form
    return intake.render_status(data_request, lang, token), 422
