"""Letters to post: the staff page of every printed letter not yet posted (`portal.core.postal`).

    GET  /staff/letters                              the letters to post, oldest first
    POST /staff/letters/posted                       mark the letters the page showed posted
    POST /staff/r/<reference>/letters/<id>/posted    mark one letter posted (from the list or
                                                     from its request's timeline)

Only handlers and admins (`auth.acting_required`): posting a letter is work on a request. Any of
them may mark any request's letter posted, as a registry office posts everyone's mail. "All shown"
marks the letters whose ids the page sent, never ones that arrived after it was loaded.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from portal.core import accounts, duedates, labels, letters, postal
from portal.core.models import DataRequest, Letter, StaffUser
from portal.db import get_session
from portal.web import auth, dates
from portal.web.i18n import current_language
from portal.web.staff_forms import ActionForm

bp = Blueprint("postal", __name__)

BACK_TO_REQUEST = "request"
"""The `back` value of the timeline's button: return to the request, not to the list."""


def _staff() -> StaffUser:
    user = auth.current_staff()
    assert user is not None  # acting_required ran first
    return user


def _render(status: int = 200, problem: str | None = None) -> Any:
    session = get_session()
    rows = postal.letters_to_post(session)
    total = len(rows) if len(rows) < postal.SHOWN_AT_MOST else postal.count_to_post(session)
    return (
        render_template(
            "portal/staff/letters_to_post.html",
            rows=rows,
            total=total,
            shown_at_most=postal.SHOWN_AT_MOST,
            form=ActionForm(),
            today=duedates.helsinki_today(),
            filename=lambda row: f"{letters.file_stem(row.kind, row.language)}-{row.reference}.pdf",
            problem=problem,
        ),
        status,
    )


@bp.get("/letters", endpoint="letters")
@auth.acting_required
def letters_view() -> Any:
    """Show every letter that must be printed and posted and is not yet, oldest first."""
    return _render()


def _marked_message(count: int) -> str:
    return ngettext("%(num)d letter marked as posted.", "%(num)d letters marked as posted.", count)


@bp.post("/letters/posted", endpoint="mark_shown")
@auth.acting_required
def mark_shown() -> Any:
    """Mark posted the letters the page showed (their ids come with the form)."""
    if not ActionForm().validate():
        abort(400)
    try:
        ids = [int(value) for value in request.form.getlist("letter")]
    except ValueError:
        abort(400)
    if not ids or len(ids) > postal.SHOWN_AT_MOST:
        abort(400)
    session = get_session()
    marked = postal.mark_posted(session, ids, actor=_staff())
    session.commit()
    flash(_marked_message(len(marked)), "success")
    if len(marked) < len(set(ids)):
        skipped = len(set(ids)) - len(marked)
        flash(
            ngettext(
                "%(num)d letter shown was not marked: it was marked posted already, or its PDF is "
                "not ready.",
                "%(num)d letters shown were not marked: they were marked posted already, or their "
                "PDFs are not ready.",
                skipped,
            ),
            "info",
        )
    return redirect(url_for("staff.postal.letters"))


@bp.post("/r/<reference>/letters/<int:letter_id>/posted", endpoint="mark")
@auth.acting_required
def mark(reference: str, letter_id: int) -> Any:
    """Mark one letter of this request posted (a letter of another request is not found)."""
    if not ActionForm().validate():
        abort(400)
    session = get_session()
    row = session.scalar(select(DataRequest).where(DataRequest.reference == reference))
    item = session.get(Letter, letter_id)
    if row is None or item is None or item.request_id != row.id:
        abort(404)
    back = (
        url_for("staff.detail", reference=reference)
        if request.form.get("back") == BACK_TO_REQUEST
        else url_for("staff.postal.letters")
    )
    named = {"letter": labels.label(labels.LETTERS, item.kind), "reference": reference}
    if postal.mark_posted(session, [letter_id], actor=_staff()):
        session.commit()
        flash(_("Marked as posted: %(letter)s, %(reference)s.", **named), "success")
        return redirect(back)
    session.rollback()
    reason = postal.why_not(session, item)
    if reason == "not_by_post":
        abort(404)  # e-mailed with its request: there is nothing to post
    if isinstance(reason, postal.Posted):
        by = session.get(StaffUser, reason.staff_id) if reason.staff_id else None
        flash(
            _(
                "%(letter)s, %(reference)s, was marked as posted already: on %(date)s by %(name)s.",
                **named,
                date=dates.format_day_of(reason.at, current_language()),
                name=accounts.shown_name(by) if by is not None else dates.NO_VALUE,
            ),
            "info",
        )
        return redirect(back)
    return _render(
        409,
        _(
            "The PDF of %(letter)s, %(reference)s, is not made yet, so it cannot be printed or "
            "marked as posted. Try again in a moment; the request's timeline says if it failed.",
            **named,
        ),
    )
