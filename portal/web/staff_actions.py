"""The web half of the staff actions: each action's form, its arguments and its confirmation.

The domain half is `portal.core.workflow.ACTIONS` (states, domain function, letter); this table is
keyed by the same names, plus `take` (assigning the request to oneself, the workflow's `assign`).
Adding an action means an entry there with its domain function, and an entry here with its form.
`run` is the whole dispatch: look the action up, read its arguments from the form, call the domain
function, return the confirmation to flash.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import abort
from flask import request as http_request
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms.fields.choices import SelectChoice

from portal.core import accounts, answers, workflow
from portal.core.models import DataRequest, Decision, StaffRole, StaffUser
from portal.web import attachments, timeline
from portal.web.i18n import current_language
from portal.web.staff_forms import (
    ActionForm,
    AskInfoForm,
    AssignForm,
    AttachForm,
    DecideForm,
    DetachForm,
    ExtendForm,
    IdentityForm,
    NoteForm,
    NotifyForm,
)


@dataclass(frozen=True)
class Call:
    """What an action's arguments are read from: the request, its form and who acts."""

    session: Session
    row: DataRequest
    form: Any
    user: StaffUser


def _no_arguments(_call: Call) -> dict[str, Any]:
    return {}


def _always(_form: Any) -> bool:
    return True


Shown = tuple[str, str]
"""A field as the detail page shows it: (macro of `portal/staff/_forms.html`, field name)."""


def _field(name: str) -> Shown:
    return ("field", name)


def _radios(name: str) -> Shown:
    return ("radios", name)


def _checkbox(name: str) -> Shown:
    return ("checkbox", name)


@dataclass(frozen=True)
class StaffAction:
    """One action as the detail page offers it.

    `done` turns the domain function's result into the confirmation shown after it;
    `arguments` reads the domain function's keyword arguments from the form (`actor` is added);
    `domain` names the workflow action when it is not the action's own name (only `take`);
    `preview` offers a button that shows the letter before it is sent;
    `prepare` fills the form's choices for this request (`fresh`: not read from a POST).

    How the page shows the form (`templates/portal/staff/detail.html`): `hint` above the fields,
    `fields` in order, then `partial`, a template of the fields that depend on the request;
    `uploads` sends files; `ready` says whether the form has anything to send (else no button);
    an action not `listed` has no form among the actions (`detach` is a button beside its file).
    """

    form: type[FlaskForm]
    done: Callable[[Any], str]
    arguments: Callable[[Call], dict[str, Any]] = field(default=_no_arguments)
    domain: str | None = None
    preview: bool = False
    prepare: Callable[[Any, Session, DataRequest, bool], None] | None = None
    hint: Any = None
    fields: tuple[Shown, ...] = ()
    partial: str | None = None
    uploads: bool = False
    ready: Callable[[Any], bool] = field(default=_always)
    listed: bool = True

    def workflow_name(self, name: str) -> str:
        """Return the name of the `workflow.ACTIONS` entry this action runs."""
        return self.domain or name


def _says(text: Any) -> Callable[[Any], str]:
    return lambda _result: str(text)


def _resumed(letter: Any) -> str:
    """Say that work resumed; a request by post also has a letter with the new date to post."""
    if letter is None:
        return str(_l("Work on the request resumed."))
    return str(
        _l(
            "Work on the request resumed. The request has no e-mail address: the letter with the "
            "new time limit is on the list of letters to post; print it and post it to the person."
        )
    )


def cents(text: str | None) -> int | None:
    """Return a typed euro amount (`25`, `25,50`, `25.50 €`) in cents; None when empty."""
    cleaned = (text or "").replace("€", "").replace("\u00a0", "").replace(" ", "")
    if not cleaned:
        return None
    match = re.fullmatch(r"(\d{1,7})(?:[,.](\d{1,2}))?", cleaned)
    if match is None:
        raise workflow.WorkflowError(
            _l("Write the fee in euros, for example 25 or 25,50."), "fee_format"
        )
    return int(match[1]) * 100 + int((match[2] or "0").ljust(2, "0"))


def require_a_copy(row: DataRequest, form: Any) -> None:
    """Refuse to grant access with neither a copy of the data attached nor a word on how the
    person gets it (Art 15(3)): a letter saying "granted" and no data is no answer."""
    if row.right != "access" or form.decision.data == Decision.refused.value:
        return
    if form.limit_ground.data:  # an Art 12(5) ground: the workflow says it needs a refusal
        return
    if answers.answer_files(row) or (form.actions.data or "").strip():
        return
    raise workflow.WorkflowError(
        _l(
            "Attach the copy of the person's data (Article 15(3) GDPR), or say in the field "
            "below how they receive it (for example by post) or that we hold no data on them."
        ),
        "no_copy",
    )


def active_staff(session: Session) -> list[StaffUser]:
    """Return the active accounts that handle requests, by name: those a request can be assigned to.

    The data protection officer acts on no request (`StaffRole.dpo`), so is never offered.
    """
    return list(
        session.scalars(
            select(StaffUser)
            .where(
                StaffUser.is_active.is_(True),
                StaffUser.role.in_([StaffRole.handler, StaffRole.admin]),
            )
            .order_by(StaffUser.display_name)
        )
    )


def _assignees(form: Any, session: Session, _row: DataRequest, _fresh: bool) -> None:
    form.assignee.choices = [
        SelectChoice(s.id, accounts.shown_name(s)) for s in active_staff(session)
    ]


def _recipients(form: Any, _session: Session, row: DataRequest, _fresh: bool) -> None:
    lang = current_language()
    form.recipient.choices = [
        SelectChoice(r, timeline.recipient_name(row.register_id, r, lang))
        for r in workflow.pending_recipients(row)
    ]


def _decision(form: Any, _session: Session, row: DataRequest, fresh: bool) -> None:
    lines = [line for s in workflow.access_information(row) for line in s.lines]
    form.art15_keep.choices = [SelectChoice(line_id, text) for line_id, text in lines]
    if fresh:
        form.art15_keep.data = [line_id for line_id, _text in lines]
    if row.is_direct_marketing_objection:
        # Art 21(3): an objection to direct marketing cannot be refused; when it is all the
        # person objected to, nothing can be refused in part either.
        refusable = workflow.objected_items(row) != ["direct_marketing"]
        form.decision.choices = [
            c
            for c in form.decision.choices
            if c.value == Decision.granted.value
            or (refusable and c.value == Decision.partly_granted.value)
        ]
        if fresh and not refusable:
            form.decision.data = Decision.granted.value


def _optional(text: str | None) -> str | None:
    return (text or "").strip() or None


def _assignee(call: Call) -> dict[str, Any]:
    assignee = call.session.get(StaffUser, call.form.assignee.data)
    if assignee is None or not assignee.is_active:
        abort(400)
    return {"assignee": assignee}


def _ask_info(call: Call) -> dict[str, Any]:
    form = call.form
    return {
        "message": form.message.data,
        "reason": form.reason.data,
        "pause_clock": bool(form.pause_clock.data),
        "art12_5": bool(form.art12_5.data),
        "fee_cents": cents(form.fee.data),
    }


def _decide(call: Call) -> dict[str, Any]:
    form = call.form
    if http_request.form.get("decide-preview") != "1":  # a preview may come before the copy
        require_a_copy(call.row, form)
    return {
        "decision": Decision(form.decision.data),
        "reasons": _optional(form.reasons.data),
        "actions": _optional(form.actions.data),
        "art15_keep": form.art15_keep.data or [],
        "art15_extra": form.art15_extra.data,
        "objections": {
            item: form[f"objection_{item}"].data
            for item in ("profiling", "publishing", "other")
            if form[f"objection_{item}"].data
        },
        "limit_ground": form.limit_ground.data or None,
        "limit_facts": form.limit_facts.data,
    }


def _notify(call: Call) -> dict[str, Any]:
    form = call.form
    return {
        "recipient": form.recipient.data,
        "outcome": form.outcome.data,
        "reason": _optional(form.reason.data),
    }


ACTIONS: dict[str, StaffAction] = {
    "resend_confirmation": StaffAction(
        ActionForm,
        _says(_l("The confirmation link was sent to the person again.")),
        hint=_l(
            "The person has not confirmed their e-mail address, so the request is not being "
            "handled yet. If their e-mail was lost or its link expired, send them a new link: it "
            "goes to the address they gave, in the language of the request. Handling starts when "
            "they confirm."
        ),
    ),
    "take": StaffAction(
        ActionForm,
        _says(_l("You took the request.")),
        lambda call: {"assignee": call.user},
        domain="assign",
    ),
    "assign": StaffAction(
        AssignForm,
        _says(_l("The request was assigned.")),
        _assignee,
        prepare=_assignees,
        fields=(_field("assignee"),),
    ),
    "note": StaffAction(
        NoteForm,
        _says(_l("The note was added.")),
        lambda call: {"text": call.form.text.data},
        fields=(_field("text"),),
    ),
    "ask_info": StaffAction(
        AskInfoForm,
        _says(_l("The person was asked for more information.")),
        _ask_info,
        preview=True,
        hint=_l(
            "Ask only when there is reasonable doubt about who the person is, and only for what "
            "removes that doubt (Art 12(6)). The request stays recorded meanwhile."
        ),
        fields=(
            _field("reason"),
            _field("message"),
            _checkbox("pause_clock"),
            _checkbox("art12_5"),
            _field("fee"),
        ),
    ),
    "resume": StaffAction(ActionForm, _resumed),
    "extend": StaffAction(
        ExtendForm,
        _says(_l("The period was extended and the person was told why.")),
        lambda call: {"months": int(call.form.months.data), "reasons": call.form.reasons.data},
        preview=True,
        hint=_l(
            "Only within the first month, and only when necessary given the complexity and number "
            "of requests. The person receives the reasons."
        ),
        fields=(_radios("months"), _field("reasons")),
    ),
    "attach": StaffAction(
        AttachForm,
        lambda stored: ngettext(
            "%(num)d file attached, checked and encrypted.",
            "%(num)d files attached, checked and encrypted.",
            len(stored),
        ),
        lambda call: {"uploads": attachments.uploads(call.form)},
        partial="portal/staff/actions/attach.html",
        uploads=True,
    ),
    "detach": StaffAction(
        DetachForm,
        _says(_l("The file was removed.")),
        lambda call: {"public_id": call.form.public_id.data},
        listed=False,
    ),
    "decide": StaffAction(
        DecideForm,
        _says(_l("The decision was recorded and its letter drawn up.")),
        _decide,
        preview=True,
        prepare=_decision,
        partial="portal/staff/actions/decide.html",
    ),
    "verify_identity": StaffAction(
        IdentityForm,
        lambda deleted: ngettext(
            "The identity check was recorded; %(num)d file deleted.",
            "The identity check was recorded; %(num)d files deleted.",
            deleted,
        ),
        lambda call: {"method": call.form.method.data},
        hint=_l(
            "Ask for identity only when there is reasonable doubt. Once checked, only who checked, "
            "when and how is kept: the files the person sent are deleted."
        ),
        fields=(_radios("method"),),
    ),
    "notify": StaffAction(
        NotifyForm,
        _says(_l("The notification was recorded.")),
        _notify,
        prepare=_recipients,
        partial="portal/staff/actions/notify.html",
        # With every recipient recorded the form only says so: nothing to send.
        ready=lambda form: bool(form.recipient.choices),
    ),
    "close": StaffAction(ActionForm, _says(_l("The request was closed."))),
}
"""The detail page's actions, by the names of `workflow.ACTIONS` (and `take`)."""

PREVIEW_ACTIONS = frozenset(name for name, action in ACTIONS.items() if action.preview)
"""Actions that send a letter staff can preview before sending it."""


def workflow_name(name: str) -> str:
    """Return the workflow action that the page's action `name` runs."""
    return ACTIONS[name].workflow_name(name)


def build_form(name: str, session: Session, row: DataRequest, formdata: Any = None) -> FlaskForm:
    """Return action `name`'s form for `row`, read from `formdata` when given (a POST)."""
    action = ACTIONS[name]
    form = action.form(prefix=name, **({} if formdata is None else {"formdata": formdata}))
    if action.prepare is not None:
        action.prepare(form, session, row, formdata is None)
    return form


def run(name: str, session: Session, row: DataRequest, form: Any, user: StaffUser) -> str:
    """Carry out action `name` through its domain function; return the confirmation."""
    action = ACTIONS[name]
    domain = workflow.ACTIONS[action.workflow_name(name)]
    arguments = action.arguments(Call(session, row, form, user))
    return action.done(domain.run(session, row, actor=user, **arguments))
