"""Forms of the staff back office; every one carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    MultipleFileField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.core.models import Decision, StaffRole
from portal.web.forms import TextForm

REASONS_MAX = 5000
OBJECTION_OUTCOMES = [
    SelectChoice("accepted", _l("Accepted")),
    SelectChoice("refused", _l("Refused")),
]


class ActionForm(TextForm):
    """A button that changes state: only the CSRF token."""


class LoginForm(TextForm):
    """Username and password."""

    username = StringField(
        _l("Username"),
        validators=[DataRequired(), Length(max=64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


class TotpForm(TextForm):
    """A six-digit code from the authenticator app."""

    code = StringField(
        _l("Six-digit code"),
        validators=[DataRequired(), Length(max=12)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class PasswordChangeForm(TextForm):
    """A new password, typed twice."""

    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class AssignForm(TextForm):
    """Give the request to a handler."""

    # Any id is checked by the action (`workflow.assign`), which says why an account cannot
    # take requests (the DPO, a disabled account) instead of WTForms' bare "Not a valid choice".
    assignee = SelectField(
        _l("Handler"), coerce=int, validators=[InputRequired()], validate_choice=False
    )


class NoteForm(TextForm):
    """An internal note."""

    text = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=REASONS_MAX)])


class AskInfoForm(TextForm):
    """Ask the person for more information (Art 12(6): only on reasonable doubt)."""

    reason = TextAreaField(
        _l("Why the information is needed"),
        validators=[DataRequired(), Length(max=REASONS_MAX)],
    )
    message = TextAreaField(
        _l("What the person is asked to send"),
        validators=[DataRequired(), Length(max=REASONS_MAX)],
    )
    pause_clock = BooleanField(
        _l("Pause the clock until the person answers (only when their identity is in doubt)")
    )
    fee = StringField(
        _l("Fee under Article 12(5)(a), in euros (only after the clarification letter)"),
        validators=[Optional(), Length(max=12)],
    )
    art12_5 = BooleanField(
        _l(
            "Clarification before a possible refusal as manifestly unfounded or excessive "
            "(Article 12(5)): the letter says so, with the remedies"
        )
    )


class ExtendForm(TextForm):
    """Extend the period (Art 12(3)), with reasons sent to the person."""

    months = RadioField(
        _l("Extension"),
        choices=[SelectChoice("1", _l("One month")), SelectChoice("2", _l("Two months"))],
        default="1",  # the shorter one: two months only where necessary (Art 12(3))
        validators=[InputRequired()],
    )
    reasons = TextAreaField(
        _l("Reasons (sent to the person)"),
        validators=[DataRequired(), Length(max=REASONS_MAX)],
    )


class DecideForm(TextForm):
    """The decision and its reasons."""

    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice(Decision.granted.value, _l("Granted")),
            SelectChoice(Decision.partly_granted.value, _l("Partly granted")),
            SelectChoice(Decision.refused.value, _l("Refused")),
        ],
        validators=[InputRequired()],
    )
    reasons = TextAreaField(
        _l("Reasons (required when anything is refused)"),
        validators=[Optional(), Length(max=REASONS_MAX)],
    )
    actions = TextAreaField(
        _l("What we have done (sent to the person)"),
        validators=[Optional(), Length(max=REASONS_MAX)],
    )
    limit_ground = RadioField(
        _l("Refused under Article 12(5) GDPR"),
        choices=[
            SelectChoice("", _l("No")),
            SelectChoice("manifestly_unfounded", _l("Manifestly unfounded")),
            SelectChoice("excessive", _l("Excessive, in particular repetitive")),
        ],
        default="",
        validators=[Optional()],
    )
    limit_facts = TextAreaField(
        _l("Facts that show the ground (sent to the person)"),
        validators=[Optional(), Length(max=REASONS_MAX)],
    )
    art15_keep = SelectMultipleField(
        _l("Information sent with the decision (untick a line to strike it)"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
        validators=[Optional()],
    )
    objection_profiling = RadioField(
        _l("Objection to profiling"), choices=OBJECTION_OUTCOMES, validators=[Optional()]
    )
    objection_publishing = RadioField(
        _l("Objection to publishing in lists or directories"),
        choices=OBJECTION_OUTCOMES,
        validators=[Optional()],
    )
    objection_other = RadioField(
        _l("Objection to other processing (Art 21(1) balancing)"),
        choices=OBJECTION_OUTCOMES,
        validators=[Optional()],
    )
    art15_extra = TextAreaField(
        _l("Further lines of information (one per line)"),
        validators=[Optional(), Length(max=REASONS_MAX)],
    )


class IdentityForm(TextForm):
    """How the identity was checked (only this is kept; the evidence is deleted)."""

    method = RadioField(
        _l("How the identity was checked"),
        choices=[
            SelectChoice("document", _l("An identity document was seen")),
            SelectChoice("known_details", _l("Details only the person knows matched")),
            SelectChoice("in_person", _l("In person at our office")),
            SelectChoice("other", _l("Another proportionate way")),
        ],
        validators=[InputRequired()],
    )


class AttachForm(TextForm):
    """The data copy's files, checked and encrypted when they arrive."""

    files = MultipleFileField(_l("Files of the answer"))


class DetachForm(TextForm):
    """Remove a file not yet delivered."""

    public_id = HiddenField(validators=[DataRequired(), Length(max=32)])


class NotifyForm(TextForm):
    """Art 19: record for one recipient whether it was told, never had the data, or can't be."""

    recipient = SelectField(_l("Recipient"), validators=[InputRequired()])
    outcome = RadioField(
        _l("Outcome"),
        choices=[
            SelectChoice("done", _l("Recipient notified")),
            SelectChoice("not_received", _l("Did not receive this person's data")),
            SelectChoice("impossible", _l("Impossible or disproportionate effort")),
        ],
        validators=[InputRequired()],
    )
    reason = TextAreaField(
        _l("Reason (when impossible or disproportionate)"),
        validators=[Optional(), Length(max=REASONS_MAX)],
    )


class AccountForm(TextForm):
    """A new staff account."""

    username = StringField(
        _l("Username"),
        validators=[DataRequired(), Length(min=2, max=64)],
        render_kw={"autocapitalize": "none", "spellcheck": "false"},
    )
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Work e-mail (optional)"), validators=[Optional(), Length(max=254)])
    role = RadioField(
        _l("Role"),
        choices=[
            SelectChoice(StaffRole.handler.value, _l("Handler")),
            SelectChoice(StaffRole.admin.value, _l("Admin")),
            SelectChoice(StaffRole.dpo.value, _l("Data protection officer")),
        ],
        default=StaffRole.handler.value,
        validators=[InputRequired()],
    )


class ResetForm(TextForm):
    """Reset an account's password, optionally its second factor."""

    reset_totp = BooleanField(_l("Also remove the second factor (lost device)"))
