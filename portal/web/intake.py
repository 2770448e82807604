"""Public intake: a person chooses a right, fills its form, confirms by e-mail, gets a receipt.

A request is recorded the moment it is sent (Art 12(6) and EDPB 01/2022: identity proof is
evidence, never a precondition for recording), as `unconfirmed`, together with its confirmation
e-mail in the outbox; the clock starts when the person confirms through the signed link. The
confirmation is a POST behind a button: mail scanners that follow links must not confirm anything.
Links are signed tokens (`portal.core.tokens`); a wrong, foreign or expired link gets the same
answer.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import secrets
import threading
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as browser_session
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload
from wtforms import SelectChoice

from portal.config import current_settings
from portal.core import audit, links, mail, notify, offers, seal, submissions, tokens, workflow
from portal.core import content as site
from portal.core.identity import names, policy, subject
from portal.core.labels import RIGHT_SUMMARIES
from portal.core.letters import letter_filename, receipt_filename
from portal.core.models import (
    AuditEvent,
    DataRequest,
    Letter,
    OutboxMessage,
    RequestRight,
    RequestStatus,
    utcnow,
)
from portal.core.tokens import Purpose
from portal.db import READ_ENGINE, get_session, read_rows, session_factory
from portal.web import identify
from portal.web.i18n import current_language
from portal.web.intake_forms import FORMS, ConfirmForm, RequestForm

bp = Blueprint("intake", __name__)
log = logging.getLogger(__name__)

LANG = "<any(fi,en,sv):lang>"
RIGHT = "<any(" + ",".join(r.value for r in RequestRight) + "):right>"
VIEW_AUDIT_INTERVAL = dt.timedelta(minutes=15)
REPLY_NOTICE = "reply_received"
"""Session key: the reference whose answer just arrived (the status page says so once, so a
status page showing it is never kept)."""
"""A repeated view of the same page of a request within this time is not audited again."""
FORM_FIELDS_EXTENSION = "portal_blank_form_fields"
"""Per-app cache of blank form markup (see `blank_form_fields`)."""
FORM_PAGE_EXTENSION = "portal_blank_form_pages"
"""Per-app cache of blank form pages around their CSRF token (see `blank_form_page`)."""


def new_reference() -> str:
    """Return an unguessable reference people can read aloud: 80 random bits in base32."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode("ascii")
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


@bp.get("/")
def root() -> ResponseReturnValue:
    """Send the visitor to the start page in their language."""
    return redirect(url_for(".start", lang=current_language(), **_register_arg()))


def _register_arg() -> dict[str, str]:
    """Return `?register=` to carry on, when it names a register of the content."""
    wanted = request.args.get("register")
    known = {choice.id for choice in site.register_choices(current_language())}
    return {"register": wanted} if wanted in known else {}


def _chosen_register(register_arg: dict[str, str] | None = None) -> Any:
    """Return the register the visitor chose (`?register=`; `register_arg` if the caller has
    `_register_arg()` already), or the only one; else None."""
    registers = site.content().registers
    wanted = (_register_arg() if register_arg is None else register_arg).get("register")
    if wanted is None and len(registers) == 1:
        return registers[0]
    return next((r for r in registers if r.id == wanted), None)


def _offers(lang: str) -> tuple[list[offers.Offer], list[offers.Offer]]:
    """Return the rights offered and not offered for the chosen register (or for any register)."""
    rights = [right.value for right in RequestRight]
    register = _chosen_register()
    if register is not None:
        each = offers.offers(register, rights, lang)
        return [o for o in each if o.offered], [o for o in each if not o.offered]
    per_register = [offers.offers(r, rights, lang) for r in site.content().registers]
    offered = [
        next((o for o in column if o.offered), column[0])
        for column in zip(*per_register, strict=True)
    ]
    return [o for o in offered if o.offered], [o for o in offered if not o.offered]


@bp.get(f"/{LANG}/")
def start(lang: str) -> ResponseReturnValue:
    """Show the rights a person can exercise, each linking to its form, and why not the others."""
    offered, not_offered = _offers(lang)
    register = _chosen_register()
    return render_template(
        "portal/intake/start.html",
        offered=offered,
        not_offered=not_offered,
        register_name=site.text(register.name, lang) if register is not None else None,
        summaries=RIGHT_SUMMARIES,
        register_arg=_register_arg(),
        controller=site.controller_name(register.id if register is not None else None, lang),
    )


def _not_offered_page(lang: str, right: str, register: Any) -> ResponseReturnValue:
    """Tell why `right` is not offered for `register`, with the way back to the other rights."""
    return render_template(
        "portal/intake/not_offered.html",
        right=right,
        offer=offers.offer(register, right, lang),
        register_name=site.text(register.name, lang),
        register_arg={"register": register.id},
        contact_email=site.contact_email(),
    )


@bp.route(f"/{LANG}/new/{RIGHT}", methods=["GET", "POST"])
def new_request(lang: str, right: str) -> ResponseReturnValue:
    """Show a right's form; record a valid request and send its confirmation e-mail."""
    choices = site.register_choices(lang)
    if request.method == "GET":
        register_arg = _register_arg()
        preset = register_arg.get("register")
        selected = preset or (choices[0].id if len(choices) == 1 else None)
        register = _chosen_register(register_arg)
        if register is not None and not offers.offer(register, right, lang).offered:
            return _not_offered_page(lang, right, register)
        verified = None
        if register is not None and policy.strong_before_accept(register, right):
            verified = identify.identified_for(register.id, right)
            if verified is None:
                return identify.required_page(lang, right, register)
        if verified is None:
            return blank_form_page(right, lang, preset, selected)
        return render_template(
            "portal/intake/form.html",
            form=None,
            right=right,
            summary=RIGHT_SUMMARIES[right],
            fields_html=identified_form_fields(right, lang, selected, verified.name),
            verified=verified,
        )
    form = FORMS[right]()
    form.register.choices = [SelectChoice(c.id, c.name) for c in choices]
    if form.validate_on_submit() and _right_offered(form, right, lang):
        unidentified = _needs_identification(form, right)
        if unidentified is not None:
            # The register was chosen in the form: identification comes first, then the form.
            return identify.required_page(lang, right, unidentified), 403
        differing = _name_differs_unconfirmed(form, right)
        if differing is not None:
            verified, given = differing
            return _form_again(form, right, verified, {"given": given, "identified": verified.name})
        browser_session.pop("intake_message", None)
        if form.website.data:
            # A honeypot answer: look like success, record nothing.
            log.info("intake: honeypot post ignored")
            outcome = "sent"
        else:
            outcome = record_request(form, right, lang)
        browser_session["intake_outcome"] = outcome
        return redirect(url_for(".submitted", lang=lang), code=303)
    return _form_again(form, right, identify.identified_for(form.register.data or "", right))


def _form_again(
    form: Any, right: str, verified: Any, name_differs: dict[str, str] | None = None
) -> ResponseReturnValue:
    """The form again with what to fix (422): its errors, or the name that differs from the
    identified person's, to be confirmed."""
    return render_template(
        "portal/intake/form.html",
        form=form,
        right=right,
        summary=RIGHT_SUMMARIES[right],
        fields_html=None,
        verified=verified,
        name_differs=name_differs,
    ), 422


def _right_offered(form: RequestForm, right: str, lang: str) -> bool:
    """Return whether the chosen register offers `right`; if not, say why on the form."""
    register = next(r for r in site.content().registers if r.id == form.register.data)
    offer = offers.offer(register, right, lang)
    if offer.offered:
        return True
    reason = _(offer.reason) if offer.reason_is_msgid else offer.reason
    form.register.errors = [
        *form.register.errors,
        _("This right is not available for the register you chose.") + " " + reason,
    ]
    return False


def _needs_identification(form: RequestForm, right: str) -> Any:
    """Return the chosen register when it asks for strong identification not yet made, else None."""
    register = next(r for r in site.content().registers if r.id == form.register.data)
    if not policy.strong_before_accept(register, right):
        return None
    return None if identify.identified_for(register.id, right) is not None else register


def _name_differs_unconfirmed(
    form: RequestForm, right: str
) -> tuple[subject.VerifiedIdentity, str] | None:
    """Return the identity and the name typed when that name is not the identified person's and
    the person has not yet said to send the request so; else None.

    The request concerns the identified person. A name that differs may be theirs all the same
    (a married name) or someone acting for them (with a mandate): the form says what it means and
    asks, never refusing; ticking the box sends it, both names kept for staff to see.
    """
    verified = identify.identified_for(form.register.data or "", right)
    if verified is None or form.name_differs_ok.data:
        return None
    typed = names.differing_name(verified.name, form.name.data, form.signature_name.data)
    if typed is None:
        return None
    form.name_differs_ok.errors = [
        _("Check the name, or confirm that the request concerns the identified person.")
    ]
    return verified, typed


def identified_form_fields(right: str, lang: str, selected: str | None, name: str) -> Markup:
    """Return the form's fields with the name the identity provider verified already filled in
    (rendered per person, never cached: the name is theirs)."""
    return _form_fields(right, lang, selected, name=name)


def blank_form_page(right: str, lang: str, preset: str | None, selected: str | None) -> str:
    """Return the whole page of a blank form with this session's CSRF token in it.

    Apart from the token, the page reads the same for every visitor of one address: its right,
    language and `?register=` (a register of the content, or none; the language switch links
    carry it) decide the title, the fields, the language switch and the frame. So the page is
    rendered once per address and kept as the HTML before and after the token; each visitor
    gets the two halves around their own token (`csrf_token()`, made or read from their session
    as the template would). An address whose `?register=` names no register (it would be
    repeated in the language switch links) is rendered every time and not kept.
    """
    token = generate_csrf()
    if request.args.get("register") != preset:
        return _blank_form_html(right, lang, selected)
    cache: dict[tuple[str, str, str, str, str | None, str | None], tuple[str, str]] = (
        current_app.extensions.setdefault(FORM_PAGE_EXTENSION, {})
    )
    key = (request.script_root, request.path, right, lang, preset, selected)
    halves = cache.get(key)
    if halves is None:
        html = _blank_form_html(right, lang, selected)
        marked = CSRF_FIELD.format(escape(token))
        if html.count(marked) != 1:
            return html
        before, after = html.split(marked)
        cache[key] = (before, after)
        return html
    before, after = halves
    return before + CSRF_FIELD.format(escape(token)) + after


CSRF_FIELD = '<input id="csrf_token" name="csrf_token" type="hidden" value="{}">'
"""The CSRF field of a blank form as `form.html` writes it (`blank_form_page` splits on it)."""


def _blank_form_html(right: str, lang: str, selected: str | None) -> str:
    """Render the page of a blank form (the fields from `blank_form_fields`)."""
    return render_template(
        "portal/intake/form.html",
        form=None,
        right=right,
        summary=RIGHT_SUMMARIES[right],
        fields_html=blank_form_fields(right, lang, selected),
        verified=None,
    )


def blank_form_fields(right: str, lang: str, selected: str | None) -> Markup:
    """Return the field markup of a blank form, rendered once per right, language and register.

    A GET form carries no posted data and no errors, so its fields (labels, hints, the register
    and language lists) read the same for every visitor; only the CSRF token, rendered outside
    this markup, is per session. Building the form and its fields' HTML through WTForms was most
    of a form view's time, so a GET builds neither once the markup is cached. `selected` is a
    register of the content or None, so the cache stays small (rights x languages x registers).
    """
    cache: dict[tuple[str, str, str | None], Markup] = current_app.extensions.setdefault(
        FORM_FIELDS_EXTENSION, {}
    )
    key = (right, lang, selected)
    html = cache.get(key)
    if html is None:
        html = cache[key] = _form_fields(right, lang, selected)
    return html


def _form_fields(right: str, lang: str, selected: str | None, name: str | None = None) -> Markup:
    """Render the fields of a form with nothing posted: the register list, the answer language
    and, for a person already identified, their name."""
    form = FORMS[right]()
    form.register.choices = [
        SelectChoice("", _l("Choose a register")),
        *(SelectChoice(c.id, c.name) for c in site.register_choices(lang)),
    ]
    form.register.data = selected
    form.language.data = lang
    if name is not None:
        form.name.data = name
    return Markup(render_template("portal/intake/_form_fields.html", form=form, right=right))


def record_request(form: RequestForm, right: str, lang: str) -> str:
    """Record the request and queue its confirmation e-mail; return the outcome to show."""
    data_request = DataRequest(
        reference=new_reference(),
        right=right,
        register_id=form.register.data,
        language=form.language.data,
        status=RequestStatus.unconfirmed,
        name=form.name.data,
        email=form.email.data,
        phone=form.phone.data or None,
        customer_number=form.customer_number.data or None,
        details=form.details(),
        signature_name=form.signature_name.data,
        attested=bool(form.attest.data),
        created_at=utcnow(),
    )
    data_request.identity = identify.take_identity(data_request.register_id, right)
    # The e-mail is written by its sender (`mail.compose_stored`), not while the person waits;
    # the row saying what to write is committed with the request. Only what the sender cannot
    # make again is kept: the signed link (it carries the time it was made) and its lifetime.
    message = mail.defer(
        to=data_request.email,
        template="confirm",
        language=data_request.language,
        context={
            "confirm_url": links.public_url(
                "intake.confirm",
                lang=data_request.language,
                token=tokens.make_token(Purpose.confirm, data_request.reference),
            ),
            "valid_hours": current_settings().confirm_max_age_hours,
        },
        with_request=True,
    )
    recorded = submissions.record_submission(
        get_session(),
        data_request,
        message,
        ui_language=lang,
        fast_engine=current_app.extensions.get(READ_ENGINE),
    )
    if not recorded:
        return "duplicate"
    browser_session["intake_message"] = message.id
    return "sent" if send_inline([message.id]) else "pending"


def send_inline(message_ids: list[int]) -> bool:
    """Hand committed messages to the background sender; False leaves them to `send-mail`."""
    return mail.send_soon(current_app._get_current_object(), message_ids)  # type: ignore[attr-defined]


@bp.get(f"/{LANG}/sent")
def submitted(lang: str) -> ResponseReturnValue:
    """Tell the person what happens next (confirmation mail sent, queued, or a duplicate)."""
    outcome = browser_session.get("intake_outcome")
    message_id = browser_session.get("intake_message")
    if outcome == "sent" and isinstance(message_id, int):
        # The sender works after the response: a failed attempt so far means "it will follow".
        message = get_session().get(OutboxMessage, message_id)
        if message is not None and message.status != "sent" and message.last_error:
            outcome = "pending"
    return render_template("portal/intake/submitted.html", outcome=outcome)


def _request_for(
    purpose: Purpose, token: str, *, lock: bool = False, with_files: bool = False
) -> DataRequest | None:
    """Return the request a valid token names, or None for any kind of bad link.

    The strong identification (shown with the request's facts) comes in the same query, through
    an outer join, instead of the second query its relationship's `selectin` would make; with
    `with_files` the attachments too (the status page lists the answer files).
    """
    reference = tokens.read_token(purpose, token)
    if reference is None:
        return None
    query = (
        select(DataRequest)
        .where(DataRequest.reference == reference)
        .options(joinedload(DataRequest.identity))
    )
    if with_files:
        query = query.options(joinedload(DataRequest.attachments))
    if lock:
        # `of`: the assignee is eager-loaded through an outer join, which PostgreSQL won't lock.
        query = query.with_for_update(of=DataRequest)
    return get_session().scalars(query).unique().first()


def invalid_link() -> ResponseReturnValue:
    """Answer every bad, foreign or expired link alike."""
    return render_template("portal/intake/invalid_link.html"), 404


@bp.route(f"/{LANG}/confirm/<token>", methods=["GET", "POST"])
def confirm(lang: str, token: str) -> ResponseReturnValue:
    """GET shows a button; its POST confirms the address, seals the request, sends the receipt."""
    data_request = _request_for(Purpose.confirm, token, lock=request.method == "POST")
    if data_request is None or data_request.status == RequestStatus.expired:
        return invalid_link()
    if data_request.status != RequestStatus.unconfirmed:
        return redirect(_receipt_url(data_request, lang), code=303)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("portal/intake/confirm.html", form=form, request_=data_request)
    message_id = confirm_request(get_session(), data_request)
    # After the commit: the receipt PDF never holds the request's lock or the person's answer.
    notify.deliver_letters(session_factory(current_app), request_id=data_request.id)  # type: ignore[arg-type]
    send_inline([message_id])
    return redirect(_receipt_url(data_request, lang), code=303)


def confirm_request(db: Session, data_request: DataRequest) -> int:
    """Open, seal and acknowledge a request; commit; return the receipt e-mail's outbox id."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    message = workflow.confirm_and_seal(db, data_request, seal.app_key(app))
    db.commit()
    return message.id


def _receipt_url(data_request: DataRequest, lang: str) -> str:
    return url_for(
        ".receipt", lang=lang, token=tokens.make_token(Purpose.status, data_request.reference)
    )


def _sealed_request(token: str) -> DataRequest | None:
    data_request = _request_for(Purpose.status, token)
    if data_request is None or not data_request.sealed_payload:
        return None
    return data_request


def request_for_status(token: str) -> DataRequest | None:
    """Return the request a valid status link names, or None for any kind of bad link."""
    return _request_for(Purpose.status, token)


STATUS_PAGES_EXTENSION = "portal_status_pages"
STATUS_PAGES_MAX = 2_000
"""How many rendered status pages `status` keeps per app (worker), latest used kept."""
_STATUS_PAGES_LOCK = threading.Lock()
_STATUS_STATE = (
    # Everything the status page shows comes from these rows: the request (every column, so a
    # column added later is covered too), its identification and its letters with a PDF. The
    # first four columns decide whether a cached page may be used at all.
    "SELECT r.id AS id_, r.status AS status_, r.answer_payload IS NULL AS unanswered_,"
    " (SELECT COUNT(*) FROM attachment a WHERE a.request_id = r.id) AS files_,"
    " r.*, i.*, l.id AS letter_id_, l.kind AS letter_kind_, l.created_at AS letter_at_"
    " FROM data_request r"
    " LEFT JOIN request_identity i ON i.request_id = r.id"
    " LEFT JOIN letter l ON l.request_id = r.id AND LENGTH(l.pdf) > 0"
    " WHERE r.reference = {} ORDER BY l.id"
)


@dataclass(frozen=True)
class _StatusPage:
    """A rendered status page and what it was rendered from."""

    state: tuple[Any, ...]
    settings: Any
    content: Any
    body: str


@bp.get(f"/{LANG}/status/<token>")
def status(lang: str, token: str) -> ResponseReturnValue:
    """Show a request's state, due date and letters to the holder of its status link.

    The page is the same for everyone who holds the link while the request's rows stay the same,
    unless it carries a form or a one-time notice (an answer awaited or received, files to
    download: those panels hold the session's CSRF token and its download grants). Such pages are
    rendered every time; the others are kept per worker, keyed by their address, and used again
    only while the rows they were rendered from (`_STATUS_STATE`, one query), the settings and
    the content are unchanged. The link is checked and the view audited on every request.
    """
    reference = tokens.read_token(Purpose.status, token)
    if reference is None:
        return invalid_link()
    state = _status_state(reference)
    if state is None:
        return invalid_link()
    request_id, status_, unanswered, files = state[0][:4]
    _record_view(request_id, reference, "status")
    cacheable = (
        not request.args
        and status_ != RequestStatus.awaiting_info
        and unanswered
        and not files
        and browser_session.get(REPLY_NOTICE) is None
    )
    if not cacheable:
        return _render_status_page(token, lang)
    pages: dict[str, _StatusPage] = current_app.extensions.setdefault(STATUS_PAGES_EXTENSION, {})
    address = request.script_root + request.path
    page = pages.get(address)
    if (
        page is not None
        and page.state == state
        and page.settings is current_settings()
        and page.content is site.content()
    ):
        return page.body
    settings, content = current_settings(), site.content()
    body = _render_status_page(token, lang)
    # Kept only if nothing changed while it was rendered (a second, separate read).
    if isinstance(body, str) and _status_state(reference) == state:
        with _STATUS_PAGES_LOCK:
            pages.pop(address, None)
            pages[address] = _StatusPage(state, settings, content, body)
            while len(pages) > STATUS_PAGES_MAX:
                del pages[next(iter(pages))]
    return body


def _status_state(reference: str) -> tuple[tuple[Any, ...], ...] | None:
    """Return the rows the status page of `reference` shows (see `_STATUS_STATE`), or None.

    Raw values through a DB-API cursor (as the database gives them, which is all a comparison
    needs): SQLAlchemy's result set-up for the query's fifty-odd columns cost more than the
    query. On PostgreSQL one round trip (`read_rows`), so a kept page costs one.
    """
    return tuple(read_rows(_STATUS_STATE, (reference,))) or None


def _render_status_page(token: str, lang: str) -> ResponseReturnValue:
    data_request = _request_for(Purpose.status, token, with_files=True)
    if data_request is None:
        return invalid_link()
    return render_status(data_request, lang, token)


def render_status(data_request: DataRequest, lang: str, token: str) -> str:
    """Render the status page of a request (its files panel reads the blueprint's globals)."""
    return render_template(
        "portal/intake/status.html",
        request_=data_request,
        letters=_letter_links(data_request.id),
        token=token,
        # The due date the person was told: with the days of ended pauses added, as the letter
        # asking for information promised; while a pause runs, the page says so beside it.
        due=workflow.due_after_pause(data_request) if data_request.due_on else None,
        clock_paused=data_request.paused_at is not None,
        paused_days=data_request.paused_days or 0,
        decided=data_request.decision is not None and data_request.decided_at is not None,
        register_name=site.register_name(data_request.register_id, lang),
    )


@dataclass(frozen=True)
class LetterLink:
    """A letter as the status page lists it: its number within the request, kind and date."""

    number: int
    kind: str
    created_at: dt.datetime


def _letter_links(request_id: int) -> list[LetterLink]:
    """Return number, kind and date of each of a request's letters that has a PDF, oldest first.

    The number counts the request's own letters (1, 2, 3…), never the database id, which would
    tell a person how many letters everyone else has received. Only what the status page lists:
    `request_.letters` would read every letter's HTML and PDF.
    """
    query = (
        select(Letter.kind, Letter.created_at, func.length(Letter.pdf) > 0)
        .where(Letter.request_id == request_id)
        .order_by(Letter.id)
    )
    rows = get_session().execute(query).all()
    return [
        LetterLink(number, kind, created_at)
        for number, (kind, created_at, has_pdf) in enumerate(rows, start=1)
        if has_pdf
    ]


def _letter_by_number(request_id: int, number: int) -> Letter | None:
    """Return the request's `number`th letter (1 = the first, by `_letter_links`' count)."""
    if number < 1:
        return None
    query = (
        select(Letter)
        .where(Letter.request_id == request_id)
        .order_by(Letter.id)
        .offset(number - 1)
        .limit(1)
    )
    return get_session().scalars(query).first()


def record_view(data_request: DataRequest, what: str) -> None:
    """Record that the person looked at their request (ASVS 16: every access is audited).

    At most one row per request and page every VIEW_AUDIT_INTERVAL: a person reloading their
    status page a hundred times is one access, not a hundred rows in the hash chain.
    """
    _record_view(data_request.id, data_request.reference, what)


def _record_view(request_id: int, reference: str, what: str) -> None:
    views = _recent_views()
    key = (reference, what)
    now = utcnow()
    seen = views.get(key)
    if seen is not None and now - seen < VIEW_AUDIT_INTERVAL:
        # This process saw (or wrote) such an event less than the interval ago, and audit
        # events are never deleted: the query below would find it, so it is not asked again.
        return
    db = get_session()
    since = now - VIEW_AUDIT_INTERVAL
    recent = db.execute(
        select(AuditEvent.at)
        .where(
            AuditEvent.request_id == request_id,
            AuditEvent.action == "request.viewed",
            AuditEvent.detail == what,
            AuditEvent.at >= since,
        )
        .order_by(AuditEvent.at.desc())
        .limit(1)
    ).scalar()
    if recent is None:
        recent = audit.record(
            db, action="request.viewed", actor="subject", request_id=request_id, detail=what
        ).at
        db.commit()
    at = recent if recent.tzinfo else recent.replace(tzinfo=dt.UTC)
    with _RECENT_VIEWS_LOCK:
        views.pop(key, None)
        views[key] = at
        while len(views) > RECENT_VIEWS_MAX:
            del views[next(iter(views))]


RECENT_VIEWS_EXTENSION = "portal_recent_views"
RECENT_VIEWS_MAX = 10_000
"""How many (reference, page) view times `record_view` remembers per app, latest kept."""
_RECENT_VIEWS_LOCK = threading.Lock()


def _recent_views() -> dict[tuple[str, str], dt.datetime]:
    """Return this app's memo: (reference, page) → time of its latest view event seen here."""
    views: dict[tuple[str, str], dt.datetime] = current_app.extensions.setdefault(
        RECENT_VIEWS_EXTENSION, {}
    )
    return views


@bp.get(f"/{LANG}/status/<token>/receipt")
def receipt(lang: str, token: str) -> ResponseReturnValue:
    """Show the signed receipt of a confirmed request."""
    data_request = _sealed_request(token)
    if data_request is None:
        return invalid_link()
    record_view(data_request, "receipt")
    document = seal.receipt(data_request)
    return render_template(
        "portal/intake/receipt.html",
        request_=data_request,
        token=token,
        receipt=document,
        fingerprint=seal.fingerprint(document["digest"]),
        due=data_request.effective_due,
        register_name=site.register_name(data_request.register_id, lang),
    )


@bp.get(f"/{LANG}/status/<token>/receipt.json")
def receipt_json(lang: str, token: str) -> ResponseReturnValue:
    """Download the receipt as JSON (verifiable with the published public key)."""
    data_request = _sealed_request(token)
    if data_request is None:
        return invalid_link()
    record_view(data_request, "receipt.json")
    return _download(
        seal.receipt_json(data_request).encode("utf-8"),
        "application/json",
        receipt_filename(data_request),
    )


@bp.get(f"/{LANG}/status/<token>/receipt.pdf")
def receipt_pdf(lang: str, token: str) -> ResponseReturnValue:
    """Download the receipt letter as PDF."""
    data_request = _sealed_request(token)
    if data_request is None:
        return invalid_link()
    letter = next((x for x in reversed(data_request.letters) if x.kind == "receipt"), None)
    if letter is None or not letter.pdf:
        return invalid_link()
    record_view(data_request, "receipt.pdf")
    return _download(letter.pdf, "application/pdf", letter_filename(letter, data_request.reference))


@bp.get(f"/{LANG}/status/<token>/letters/<int:number>.pdf")
def letter_pdf(lang: str, token: str, number: int) -> ResponseReturnValue:
    """Download the request's `number`th letter (counted within the request, from 1)."""
    data_request = _request_for(Purpose.status, token)
    if data_request is None:
        return invalid_link()
    letter = _letter_by_number(data_request.id, number)
    if letter is None or not letter.pdf:
        return invalid_link()
    record_view(data_request, f"letter={letter.id}")
    return _download(letter.pdf, "application/pdf", letter_filename(letter, data_request.reference))


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
