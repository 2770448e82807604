"""Forms of the staff back office; every one carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional

from portal.core.models import Decision, StaffRole

REASONS_MAX = 5000


class ActionForm(FlaskForm):
    """A button that changes state: only the CSRF token."""


class LoginForm(FlaskForm):
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


class TotpForm(FlaskForm):
    """A six-digit code from the authenticator app."""

    code = StringField(
        _l("Six-digit code"),
        validators=[DataRequired(), Length(max=12)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class PasswordChangeForm(FlaskForm):
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


class AssignForm(FlaskForm):
    """Give the request to a handler."""

    assignee = SelectField(_l("Handler"), coerce=int, validators=[InputRequired()])


class NoteForm(FlaskForm):
    """An internal note."""

    text = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=REASONS_MAX)])


class AskInfoForm(FlaskForm):
    """Ask the person for more information (Art 12(6): only on reasonable doubt)."""

    reason = TextAreaField(
        _l("Why the information is needed"),
        validators=[DataRequired(), Length(max=REASONS_MAX)],
    )
    message = TextAreaField(
        _l("What the person is asked to send"),
        validators=[DataRequired(), Length(max=REASONS_MAX)],
    )
    pause_clock = BooleanField(_l("Pause the clock until the person answers"))


class ExtendForm(FlaskForm):
    """Extend the period (Art 12(3)), with reasons sent to the person."""

    months = RadioField(
        _l("Extension"),
        choices=[SelectChoice("1", _l("One month")), SelectChoice("2", _l("Two months"))],
        default="2",
        validators=[InputRequired()],
    )
    reasons = TextAreaField(
        _l("Reasons (sent to the person)"),
        validators=[DataRequired(), Length(max=REASONS_MAX)],
    )


class DecideForm(FlaskForm):
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


class NotifyForm(FlaskForm):
    """Art 19: record that a recipient was told, or why that was impossible."""

    recipient = SelectField(_l("Recipient"), validators=[InputRequired()])
    outcome = RadioField(
        _l("Outcome"),
        choices=[
            SelectChoice("done", _l("Recipient notified")),
            SelectChoice("impossible", _l("Impossible or disproportionate")),
        ],
        validators=[InputRequired()],
    )
    reason = TextAreaField(
        _l("Reason (when not notified)"), validators=[Optional(), Length(max=REASONS_MAX)]
    )


class AccountForm(FlaskForm):
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
        ],
        default=StaffRole.handler.value,
        validators=[InputRequired()],
    )


class ResetForm(FlaskForm):
    """Reset an account's password, optionally its second factor."""

    reset_totp = BooleanField(_l("Also remove the second factor (lost device)"))
