"""Staff back office: the queue, a request's detail with its actions, and account admin.

Every route requires a signed-in account (`auth.login_required`); account pages require an admin.
Every state change is a POST with a CSRF token; actions go through `portal.core.workflow`, which
decides what is allowed for this request and this account (`allowed_actions`) — the page only
offers those, and a POST of anything else is refused with 403 and the reason, in the page's
language, whatever the form said. The actions themselves are one table (`web.staff_actions` on
top of `workflow.ACTIONS`): `act` looks the posted action up and runs it. Every view
of a request and every action is an audit event. Pages are `no-store` (`web.security`) and never
put personal data in a URL: requests are addressed by their reference.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import load_only

from portal.core import (
    accounts,
    answers,
    audit,
    duedates,
    files,
    keys,
    labels,
    letters,
    notify,
    postal,
    queue,
    requesters,
    workflow,
)
from portal.core import content as site
from portal.core.models import (
    DataRequest,
    Letter,
    OutboxMessage,
    RequestRight,
    StaffRole,
    StaffUser,
)
from portal.db import get_session, session_factory
from portal.web import (
    attachments,
    auth,
    channels,
    dates,
    staff_actions,
    staff_postal,
    timeline,
)
from portal.web.i18n import LANGUAGES, current_language, switch_order
from portal.web.intake_forms import detail_label
from portal.web.staff_forms import (
    AccountForm,
    ActionForm,
    DetachForm,
    ResetForm,
)

bp = Blueprint("staff", __name__)
bp.register_blueprint(auth.bp)
bp.register_blueprint(channels.bp)
bp.register_blueprint(staff_postal.bp)


def today() -> dt.date:
    """Return today's date in Helsinki, where the due dates are counted."""
    return duedates.helsinki_today()


def _staff() -> StaffUser:
    user = auth.current_staff()
    assert user is not None  # login_required ran first
    return user


@bp.after_request
def _remember_staff_language(response: Response) -> Response:
    """A signed-in person reading the staff pages in another language gets their e-mails in it."""
    user = auth.current_staff()
    if user is not None and request.method == "GET" and user.language != current_language():
        user.language = current_language()
        get_session().commit()
    return response


@bp.app_template_global("staff_name")
def staff_name(user: StaffUser) -> str:
    """Return a staff account's name as the pages show it (see `accounts.shown_name`)."""
    return accounts.shown_name(user)


def letters_to_post() -> int | None:
    """Return how many letters wait to be posted, for the navigation (None: not this account's
    work). Called by the layout as it is drawn, so only a page with the link counts them."""
    if not auth.may_act(auth.current_staff()):
        return None
    return postal.count_to_post(get_session())


@bp.context_processor
def _staff_globals() -> dict[str, Any]:
    return {
        "staff_user": auth.current_staff(),
        "letters_to_post": letters_to_post,
        "logout_form": ActionForm(prefix="logout"),
        "fmt_date": fmt_date,
        "fmt_datetime": fmt_datetime,
        "fmt_day_of": lambda value: dates.format_day_of(value, current_language()),
        "local_day": dates.local_day,
        "fmt_count": lambda value: dates.format_count(value, current_language()),
        "channel_name": lambda code: str(channels.CHANNEL_NAMES.get(code, code)),
        "detail_label": detail_label,
        "recipient_name": lambda register_id, name: timeline.recipient_name(
            register_id, name, current_language()
        ),
        "fmt_size": lambda size: files.format_size(size, current_language()),
        "assurance_level": labels.assurance_level,
    }


def fmt_date(value: dt.date | None) -> str:
    """Format a date for the staff pages' language ("4.1.2027", "4 jan. 2027", "4 Jan 2027")."""
    return dates.format_day(value, current_language())


def fmt_datetime(value: dt.datetime | None) -> str:
    """Format a moment in Helsinki time for the staff pages' language."""
    return dates.format_moment(value, current_language())


HANDLER_ON_OTHERS = frozenset({"note"})
"""What a handler may do on a request assigned to someone else (admins may do everything)."""


def allowed(row: DataRequest, user: StaffUser) -> set[str]:
    """Return the detail page's actions that `user` may take on `row` now.

    The workflow decides by state and account; on top of that, a request assigned to another
    handler is theirs: a handler may only add notes to it, until an admin reassigns it.
    """
    names = workflow.allowed_actions(row, user)
    mine_or_free = row.assignee_id in (None, user.id)
    if user.role != StaffRole.admin and not mine_or_free:
        names &= HANDLER_ON_OTHERS
    if "assign" in names and row.assignee_id != user.id:
        names.add("take")
    if user.role != StaffRole.admin and row.assignee_id is None:
        names.discard("assign")  # handlers take free requests; admins distribute them
    return names


def refused_because(row: DataRequest, user: StaffUser, name: str) -> str:
    """Return why `user` may not take the page's action `name` on `row` now (for a refusal)."""
    reason = workflow.refusal(row, user, staff_actions.workflow_name(name), today())
    if reason is not None:
        return str(reason.message)
    if row.assignee_id not in (None, user.id) and user.role != StaffRole.admin:
        return _("This request is assigned to another handler: you can only add notes to it.")
    if name == "take":
        return _("You are already handling this request.")
    return _("Only an admin can assign a request that nobody has taken.")


def _registers() -> dict[str, Any]:
    return {r.id: r for r in site.content().registers}


SORT_CAPTIONS: dict[tuple[str, str], Any] = {
    ("due", "asc"): _l("sorted by due date, earliest first"),
    ("due", "desc"): _l("sorted by due date, latest first"),
    ("received", "asc"): _l("sorted by date of receipt, earliest first"),
    ("received", "desc"): _l("sorted by date of receipt, latest first"),
    ("status", "asc"): _l("sorted by status in the order of handling"),
    ("status", "desc"): _l("sorted by status in reverse order of handling"),
    ("right", "asc"): _l("sorted by right in the order of the articles"),
    ("right", "desc"): _l("sorted by right in reverse order of the articles"),
}
"""The queue table's caption: how it is sorted now (`queue.SORTS`, each way)."""


@bp.get("/", endpoint="queue")
@auth.login_required
def queue_view() -> Any:
    """Show the queue: filters, counts per status, one keyset page."""
    session = get_session()
    user = _staff()
    staff = staff_actions.active_staff(session)
    registers = _registers()
    filt = queue.parse_filter(
        request.args,
        registers=set(registers),
        languages=set(LANGUAGES),
        staff_ids={s.id for s in staff},
    )
    after = queue.Cursor.decode(request.args.get("after"), filt.sort)
    page = queue.fetch_page(session, filt, staff_id=user.id, today=today(), after=after)
    counts = queue.status_counts(session)
    glance = queue.summary(session, today=today())
    lang = current_language()
    return render_template(
        "portal/staff/queue.html",
        filt=filt,
        sort_caption=SORT_CAPTIONS[filt.sort, filt.order],
        page=page,
        after=after,
        counts=counts,
        glance=glance,
        count_cap=queue.COUNT_CAP,
        statuses=queue.STATUSES,
        rights=[r.value for r in RequestRight],
        registers=[(rid, site.text(r.name, lang)) for rid, r in registers.items()],
        register_names={rid: site.text(r.name, lang) for rid, r in registers.items()},
        languages=switch_order(),  # the content's order (fi, sv, en), as elsewhere
        staff=staff,
        due_choices=queue.DUE_WITHIN_CHOICES,
        today=today(),
        effective_due=queue.effective_due_of,
        no_due=queue.NO_DUE,
        is_overdue=workflow.is_overdue,
        due_after_pause=workflow.due_after_pause,
    )


@bp.get("/export.csv")
@auth.login_required
def export() -> Any:
    """Download the filtered queue as CSV: codes and dates, no names or free text."""
    session = get_session()
    user = _staff()
    registers = _registers()
    filt = queue.parse_filter(
        request.args, registers=set(registers), languages=set(LANGUAGES), staff_ids=None
    )
    audit.record(session, action="queue.exported", actor="staff", staff_id=user.id)
    session.commit()
    stamp = today().isoformat()
    factory = current_app.extensions["db_sessionmaker"]
    staff_id, day = user.id, today()

    def lines() -> Iterator[str]:
        # Its own session, opened at the first chunk and closed after the last (or when the
        # client goes away), so a long download never keeps the request's transaction open.
        with factory() as export_session:
            yield from queue.export_csv(export_session, filt, staff_id=staff_id, today=day)

    return Response(
        lines(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="requests-{stamp}.csv"'},
    )


def _load(reference: str) -> DataRequest:
    row = get_session().scalar(select(DataRequest).where(DataRequest.reference == reference))
    if row is None:
        abort(404)
    return row


def _seal_status(row: DataRequest) -> bool | None:
    """Check the request's seal with the key that made it, retired or current (None: unsealed)."""
    if not row.sealed_payload:
        return None
    return keys.verify_request_seal(current_app._get_current_object(), row)  # type: ignore[attr-defined]


ACTORS = {"subject": _l("the person"), "system": _l("the portal")}


def _actor(actor: str) -> str:
    return str(ACTORS.get(actor, actor))


def _shown_as_note(event: Any, note_ids: set[str]) -> bool:
    """Return whether `event` records a note the timeline shows in the note's own row."""
    if event.action != "request.note_added":
        return False
    words = (event.detail or "").split()
    return any(word.startswith("note=") and word[5:] in note_ids for word in words)


def _timeline(row: DataRequest) -> list[dict[str, Any]]:
    session = get_session()
    names = {user.id: accounts.shown_name(user) for user in session.scalars(select(StaffUser))}
    note_ids = {str(note.id) for note in row.notes}
    items: list[dict[str, Any]] = [
        {
            "at": event.at,
            "kind": "event",
            "action": event.action,
            "who": names.get(event.staff_id, "") if event.staff_id else _actor(event.actor),
            "detail": timeline.describe(event.detail, current_language()),
        }
        for event in audit.events_for_request(session, row.id)
        if event.action != "request.viewed" and not _shown_as_note(event, note_ids)
    ]
    items += [
        {
            "at": letter.created_at,
            "kind": "letter",
            "letter": letter,
            "action": letter.kind,
            "posted_by": names.get(letter.posted_by_id, "") if letter.posted_by_id else "",
        }
        for letter in row.letters
    ]
    items += [{"at": r.created_at, "kind": "reply", "text": r.text} for r in row.replies]
    items += [
        {
            "at": note.created_at,
            "kind": "note",
            "text": note.text,
            "who": names.get(note.staff_id, ""),
        }
        for note in row.notes
    ]

    def key(item: dict[str, Any]) -> dt.datetime:
        at = item["at"]
        return at if at.tzinfo else at.replace(tzinfo=dt.UTC)

    return sorted(items, key=key)


def _due_info(row: DataRequest) -> dict[str, Any] | None:
    if row.received_at is None or row.due_on is None:
        return None
    explanation = duedates.explain(row.received_at, 1 + workflow.extension_months(row))
    return {
        "steps": explanation.steps(current_language()),
        "due_on": row.due_on,
        "effective_due": row.effective_due,
        "extended": row.extended_due_on is not None,
        "paused_due": workflow.paused_due(row, today()),
        "paused_days": workflow.days_paused(row, today()),
        "overdue": workflow.is_overdue(row, today()),
    }


def _action_forms(row: DataRequest, allowed: set[str]) -> dict[str, FlaskForm]:
    forms: dict[str, FlaskForm] = {}
    for name in staff_actions.ACTIONS:
        if name in allowed:
            forms[name] = _build_form(name, row, formdata=None)
    return forms


def _build_form(name: str, row: DataRequest, formdata: Any = None) -> FlaskForm:
    return staff_actions.build_form(name, get_session(), row, formdata)


def _render_detail(
    row: DataRequest,
    forms: dict[str, FlaskForm] | None = None,
    status: int = 200,
    preview: Any = None,
    refused: str | None = None,
) -> Any:
    user = _staff()
    permitted = allowed(row, user)
    shown = _action_forms(row, permitted)
    shown.update(forms or {})
    lang = current_language()
    register = _registers().get(row.register_id)
    return (
        render_template(
            "portal/staff/detail.html",
            row=row,
            register_name=site.text(register.name, lang) if register else row.register_id,
            seal_ok=_seal_status(row),
            timeline=_timeline(row),
            due=_due_info(row),
            forms=shown,
            allowed=permitted,
            marketing_objection=row.is_direct_marketing_objection,
            notified={n.recipient for n in row.notifications},
            answer_files=answers.answer_files(row),
            reply_files=[a for a in row.attachments if a.purpose != "answer"],
            portability=row.right == RequestRight.portability,
            files_limits=attachments.limits_text(row.right),
            detach_form=DetachForm(prefix="detach"),
            preview=preview,
            staff_actions=staff_actions.ACTIONS,
            refused=refused,
            objected=workflow.objected_items(row),
            earlier=requesters.earlier_requests(get_session(), row),
            emails=_emails(row),
            email_states=EMAIL_STATES,
            by_post=postal.goes_by_post(row),
            may_post=auth.may_act(user),
            posted_form=ActionForm(),
        ),
        status,
    )


EMAIL_STATES: dict[str, Any] = {
    "pending": _l("Waiting to be sent"),
    "held": _l("Waiting for its letter's PDF"),
    "sent": _l("Sent"),
    "failed": _l("Not delivered"),
}
"""An outbox message's state, as staff read it."""


def _emails(row: DataRequest) -> list[OutboxMessage]:
    """Return the e-mails about `row` in the order they were queued (without their bytes)."""
    columns = (
        OutboxMessage.recipient, OutboxMessage.subject, OutboxMessage.status,
        OutboxMessage.attempts, OutboxMessage.last_error, OutboxMessage.created_at,
        OutboxMessage.sent_at, OutboxMessage.next_attempt_at,
    )  # fmt: skip
    query = (
        select(OutboxMessage)
        .options(load_only(*columns))
        .where(OutboxMessage.request_id == row.id)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    return list(get_session().scalars(query))


@bp.get("/r/<reference>")
@auth.login_required
def detail(reference: str) -> Any:
    """Show a request as submitted, its seal, due date, timeline and the allowed actions."""
    row = _load(reference)
    audit.record(
        get_session(),
        action="request.viewed",
        actor="staff",
        staff_id=_staff().id,
        request_id=row.id,
    )
    get_session().commit()
    return _render_detail(row)


@bp.get("/r/<reference>/letters/<int:letter_id>.pdf")
@auth.login_required
def letter(reference: str, letter_id: int) -> Any:
    """Download a letter of this request as sent (a letter of another request is not found)."""
    row = _load(reference)
    item = get_session().get(Letter, letter_id)
    if item is None or item.request_id != row.id or item.pdf is None:
        abort(404)
    audit.record(
        get_session(),
        action="letter.viewed",
        actor="staff",
        staff_id=_staff().id,
        request_id=row.id,
        detail=f"letter={item.id}",
    )
    get_session().commit()
    letter_name = letters.letter_filename(item, row.reference)
    return Response(
        item.pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{letter_name}"'},
    )


@bp.get("/r/<reference>/files/<public_id>")
@auth.login_required
def attachment(reference: str, public_id: str) -> Any:
    """Download a file of this request (decrypted as it streams); every download is audited."""
    row = _load(reference)
    item = next((a for a in row.attachments if a.public_id == public_id), None)
    if item is None or item.purged_at is not None:
        abort(404)
    audit.record(
        get_session(),
        action="attachment.viewed",
        actor="staff",
        staff_id=_staff().id,
        request_id=row.id,
        detail=f"attachment={item.id}",
    )
    get_session().commit()
    return attachments.stream(item)


_MAIN_TAG = re.compile(r"<(/?)main\b")
_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b")
PREVIEW_HEADING_SHIFT = 2
"""The letter's h1 sits under the preview's h2 on the staff page, so it becomes an h3."""


def preview_markup(html: str) -> Markup:
    """Return a stored letter's body as a part of the staff page, not a page of its own.

    The letter is a whole document with its own `<main>` and `<h1>`; inside the detail page's
    `<main>` it would be a second main landmark and a second top heading. Its main becomes a
    `<div>` and its headings move down under the preview's heading. The HTML is our own
    template's output, so its tags are exactly these.
    """
    body = str(letters.letter_body(html))
    body = _MAIN_TAG.sub(r"<\1div", body)
    body = _HEADING_TAG.sub(
        lambda tag: f"<{tag[1]}h{min(6, int(tag[2]) + PREVIEW_HEADING_SHIFT)}", body
    )
    return Markup(body)  # noqa: S704 - our own autoescaped template's output, tags renamed


FIELD_OF_ERROR = {
    "no_copy": "actions",
    "actions_required": "actions",
    "reasons_required": "reasons",
    "limit_facts_required": "limit_facts",
}
"""Workflow refusals that are about one field of the action's form: shown at that field."""

FORM_INPUT_ERRORS = frozenset({"objection_unanswered", "objection_mismatch", "pause_not_allowed"})
"""Workflow refusals about what the form says as a whole, not about the request's state: a 400
with the form and the message, as every other input error (not 409, the answer to a conflict)."""


@bp.post("/r/<reference>/<action>")
@auth.login_required
def act(reference: str, action: str) -> Any:
    """Carry out one action on a request, if the workflow allows it for this account."""
    if action not in staff_actions.ACTIONS:
        abort(404)
    row = _load(reference)
    user = _staff()
    if action not in allowed(row, user):
        return _render_detail(row, status=403, refused=refused_because(row, user, action))
    formdata = attachments.upload_formdata() if action == "attach" else request.form
    form = _build_form(action, row, formdata=formdata)
    if not form.validate():
        return _render_detail(row, {action: form}, status=400)
    try:
        message = staff_actions.run(action, get_session(), row, form, user)
    except (workflow.WorkflowError, files.FileRejected) as error:
        get_session().rollback()
        field = FIELD_OF_ERROR.get(getattr(error, "code", ""))
        if field is not None and field in form:
            # Something missing from one field: said at the field, like the form's own errors.
            form[field].errors = [*form[field].errors, attachments.error_text(error)]
            return _render_detail(_load(reference), {action: form}, status=400)
        form.form_errors.append(attachments.error_text(error))
        code = getattr(error, "code", "")
        status = (
            422
            if isinstance(error, files.FileRejected)
            else 400
            if code in FORM_INPUT_ERRORS
            else 409
        )
        return _render_detail(_load(reference), {action: form}, status=status)
    if action in staff_actions.PREVIEW_ACTIONS and request.form.get(f"{action}-preview") == "1":
        # The action ran in full inside the transaction, so the letter reads exactly as it
        # would be sent; rolling back leaves no letter, e-mail, audit event or state change.
        html = row.letters[-1].html if row.letters else ""
        get_session().rollback()
        return _render_detail(_load(reference), {action: form}, preview=preview_markup(html))
    get_session().commit()
    # After the commit: a letter's PDF never holds the request's lock or the decision.
    notify.deliver_letters(session_factory(current_app), request_id=row.id)  # type: ignore[arg-type]
    flash(message, "success")
    return redirect(url_for("staff.detail", reference=reference))


@bp.get("/accounts")
@auth.admin_required
def accounts_view() -> Any:
    """List staff accounts and offer a form for a new one."""
    return _render_accounts(AccountForm())


def _render_accounts(form: AccountForm, status: int = 200) -> Any:
    return (
        render_template(
            "portal/staff/accounts.html",
            users=accounts.list_staff(get_session()),
            form=form,
            action_form=ActionForm(),
            reset_form=ResetForm(),
            roles=[r.value for r in StaffRole],
        ),
        status,
    )


@bp.post("/accounts")
@auth.admin_required
def accounts_add() -> Any:
    """Create an account and show its one-time password once."""
    form = AccountForm()
    if not form.validate():
        return _render_accounts(form, status=400)
    session = get_session()
    try:
        user, one_time = accounts.create_staff(
            session,
            form.username.data or "",
            form.display_name.data or "",
            form.role.data or "",
            form.email.data,
            created_by=_staff().id,
        )
    except accounts.AccountError as error:
        session.rollback()
        form.username.errors = [*form.username.errors, str(error.message)]
        return _render_accounts(form, status=400)
    session.commit()
    return render_template("portal/staff/one_time.html", user=user, one_time=one_time)


def _account(account_id: int) -> StaffUser:
    user = get_session().get(StaffUser, account_id)
    if user is None:
        abort(404)
    return user


@bp.post("/accounts/<int:account_id>/disable")
@auth.admin_required
def account_disable(account_id: int) -> Any:
    """Disable an account (not one's own: an admin cannot lock everyone out by accident)."""
    if not ActionForm().validate():
        abort(400)
    user = _account(account_id)
    if user.id == _staff().id:
        abort(403)
    accounts.disable_staff(get_session(), user, by=_staff().id)
    get_session().commit()
    flash(_("The account %(name)s was disabled.", name=user.username), "success")
    return redirect(url_for("staff.accounts_view"))


@bp.post("/accounts/<int:account_id>/enable")
@auth.admin_required
def account_enable(account_id: int) -> Any:
    """Enable a disabled account."""
    if not ActionForm().validate():
        abort(400)
    user = _account(account_id)
    accounts.enable_staff(get_session(), user, by=_staff().id)
    get_session().commit()
    flash(_("The account %(name)s was enabled.", name=user.username), "success")
    return redirect(url_for("staff.accounts_view"))


@bp.post("/accounts/<int:account_id>/reset")
@auth.admin_required
def account_reset(account_id: int) -> Any:
    """Give an account a new one-time password and show it once."""
    form = ResetForm()
    if not form.validate():
        abort(400)
    user = _account(account_id)
    if user.id == _staff().id:
        abort(403)
    one_time = accounts.reset_password(
        get_session(), user, by=_staff().id, reset_totp=bool(form.reset_totp.data)
    )
    get_session().commit()
    return render_template("portal/staff/one_time.html", user=user, one_time=one_time)
