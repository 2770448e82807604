"""One form per right: the common identity part, right-specific questions, a typed signature.

Every field has a length limit and, where the answer is a choice, an allow-list; the server
validates everything (the browser's own checks are a convenience). Only the fields declared here
are read, so a posted `status` or `assignee` is ignored (ASVS 15.3.3). Labels and messages are
lazy gettext strings, translated into the language of the request that renders them.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.core import UnboundField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from portal.core.models import RequestRight
from portal.web.forms import TextForm
from portal.web.i18n import LANGUAGE_NAMES, switch_order

MAX_NAME = 200
MAX_EMAIL = 254
MAX_PHONE = 40
MAX_CUSTOMER_NUMBER = 64
MAX_TEXT = 4000
MAX_SHORT_TEXT = 2000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(value: Any) -> Any:
    """Strip surrounding space and control characters (keeping newlines and tabs)."""
    if isinstance(value, str):
        return _CONTROL.sub("", value).strip()
    return value


def _too_long(limit: int) -> Length:
    return Length(max=limit, message=_l("Use at most %(max)d characters.", max=limit))


class RequestForm(TextForm):
    """Fields every request has: register, who is asking, how to answer, the signature."""

    class Meta:
        # Trimmed input is validated and stored; surrounding whitespace never counts.
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            filters = list(unbound_field.kwargs.get("filters", ()))
            if unbound_field.field_class is not BooleanField:
                filters.append(_clean)
            return unbound_field.bind(form=form, filters=filters, **options)

    register = SelectField(
        _l("Register"),
        validators=[InputRequired(message=_l("Choose the register your request concerns."))],
        validate_choice=False,
    )
    name = StringField(
        _l("Full name"),
        validators=[DataRequired(message=_l("Enter your full name.")), _too_long(MAX_NAME)],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            _too_long(MAX_EMAIL),
            Email(
                message=_l("Enter an e-mail address like name@example.fi."),
                check_deliverability=False,
            ),
        ],
        description=_l("We send a confirmation link and our answer to this address."),
        render_kw={"autocomplete": "email"},
    )
    phone = StringField(
        _l("Phone number (optional)"),
        validators=[
            Optional(),
            _too_long(MAX_PHONE),
            Regexp(
                r"^\+?[0-9 ()\-]{5,}$",
                message=_l("Use digits, spaces and an optional + (e.g. +358 40 123 4567)."),
            ),
        ],
        render_kw={"autocomplete": "tel"},
    )
    customer_number = StringField(
        _l("Customer number (optional)"),
        validators=[
            Optional(),
            _too_long(MAX_CUSTOMER_NUMBER),
            Regexp(
                r"^[A-Za-z0-9][A-Za-z0-9 ./\-]*$",
                message=_l("Use letters, digits, spaces, dots, dashes and slashes."),
            ),
        ],
        description=_l("Helps us find your data faster, if you have one."),
    )
    message = TextAreaField(
        _l("Anything else we should know (optional)"),
        validators=[Optional(), _too_long(MAX_TEXT)],
    )
    language = SelectField(
        _l("Language of our answer"),
        # In the notice site's language order, made when a form is (the content is read then).
        choices=lambda: [SelectChoice(code, LANGUAGE_NAMES[code]) for code in switch_order()],
        validators=[InputRequired()],
    )
    signature_name = StringField(
        _l("Signature: type your full name"),
        validators=[
            DataRequired(message=_l("Type your full name as your signature.")),
            _too_long(MAX_NAME),
        ],
    )
    attest = BooleanField(
        _l(
            "I am the person concerned or authorised to act for them, "
            "and the information I have given is correct."
        ),
        validators=[DataRequired(message=_l("Confirm the statement to send the request."))],
    )
    name_differs_ok = BooleanField(
        _l("Send the request with the name I gave. It concerns the identified person.")
    )
    """Shown only when the name typed differs from the strongly identified person's
    (`intake.new_request`): ticking it sends the request as it is, both names kept."""
    website = StringField(
        _l("Leave this field empty"),
        validators=[Optional(), Length(max=200)],
        render_kw={"autocomplete": "off", "tabindex": "-1"},
    )
    """Honeypot: hidden from people by CSS; a filled value marks an automated post."""

    def validate_register(self, field: Any) -> None:
        """Accept only a register the content defines."""
        if not field.data or field.data not in {c.value for c in self.register.choices or []}:
            raise ValidationError(_l("Choose the register your request concerns."))

    def details(self) -> dict[str, Any]:
        """Return the right-specific answers to store with the request."""
        return {"message": self.message.data or ""}

    def right_fields(self) -> list[Any]:
        """Return the fields that belong to this right only (shown before the common ones)."""
        return []

    def page_order(self) -> list[Any]:
        """Return every field in the order the form's page shows them (`_form_fields.html`).

        The error summary lists the failed fields in this order, so a person correcting them
        goes down the page once. The CSRF token (form-level) comes first; the hidden honeypot
        last.
        """
        shown = [
            self.register,
            *self.right_fields(),
            self.message,
            self.name,
            self.email,
            self.phone,
            self.customer_number,
            self.language,
            self.signature_name,
            self.attest,
            self.name_differs_ok,
        ]
        rest = [field for field in self if all(field is not s for s in shown)]
        token = [field for field in rest if field.name == "csrf_token"]
        return token + shown + [field for field in rest if field.name != "csrf_token"]


class AccessForm(RequestForm):
    """Art 15: a copy of one's data and the information about its processing."""

    message = TextAreaField(
        _l("What would you like to know? (optional)"),
        validators=[Optional(), _too_long(MAX_TEXT)],
        description=_l(
            "Leave empty to receive all your data and the information about its processing."
        ),
    )


class RectificationForm(RequestForm):
    """Art 16: what is wrong and what is right."""

    wrong = TextAreaField(
        _l("What information is wrong or incomplete?"),
        validators=[
            DataRequired(message=_l("Tell us which information is wrong.")),
            _too_long(MAX_SHORT_TEXT),
        ],
    )
    correct = TextAreaField(
        _l("What is the correct information?"),
        validators=[
            DataRequired(message=_l("Tell us the correct information.")),
            _too_long(MAX_SHORT_TEXT),
        ],
    )

    def details(self) -> dict[str, Any]:
        """Return what is wrong, what is right and any further message."""
        return {"wrong": self.wrong.data, "correct": self.correct.data, **super().details()}

    def right_fields(self) -> list[Any]:
        """Return the rectification questions."""
        return [self.wrong, self.correct]


class ErasureForm(RequestForm):
    """Art 17: which data to erase, and why if the person wants to say."""

    message = TextAreaField(
        _l("Which data should we erase, and why? (optional)"),
        validators=[Optional(), _too_long(MAX_TEXT)],
        description=_l("Leave empty to ask us to erase all your data in this register."),
    )


class RestrictionForm(RequestForm):
    """Art 18: restricting processing while accuracy or grounds are checked."""

    message = TextAreaField(
        _l("Why should processing be restricted? (optional)"),
        validators=[Optional(), _too_long(MAX_TEXT)],
        description=_l(
            "For example: you contest the accuracy of the data, or you have objected to its "
            "processing and are waiting for our answer."
        ),
    )


class PortabilityForm(RequestForm):
    """Art 20: the data the person provided, in a machine-readable format."""

    message = TextAreaField(
        _l("Which data would you like to receive? (optional)"),
        validators=[Optional(), _too_long(MAX_TEXT)],
        description=_l(
            "You receive the data you have given us in a common machine-readable format."
        ),
    )


class ObjectionForm(RequestForm):
    """Art 21: explicit choices, with direct marketing separate because it is absolute."""

    direct_marketing = BooleanField(_l("I object to direct marketing to me."))
    profiling = BooleanField(_l("I object to profiling that concerns me."))
    publishing = BooleanField(_l("Do not publish my details in lists or directories."))
    other = BooleanField(_l("I object to other processing on grounds relating to my situation."))
    grounds = TextAreaField(
        _l("Grounds relating to your particular situation"),
        validators=[Optional(), _too_long(MAX_SHORT_TEXT)],
        description=_l("Needed when you object to other processing."),
    )

    def validate_other(self, field: Any) -> None:
        """Require at least one choice, and grounds for an objection to other processing."""
        choices = (self.direct_marketing, self.profiling, self.publishing, self.other)
        if not any(choice.data for choice in choices):
            raise ValidationError(_l("Choose at least one thing you object to."))

    def validate(self, extra_validators: Any = None) -> bool:
        """Validate, then require grounds for the balancing objection of Art 21(1)."""
        valid = super().validate(extra_validators)
        if self.other.data and not self.grounds.data:
            # Checked here because the field's Optional() ends its own chain when it is empty.
            self.grounds.errors = [_l("Describe the grounds relating to your situation.")]
            valid = False
        return valid

    def details(self) -> dict[str, Any]:
        """Return the objection choices (as booleans) and the grounds."""
        return {
            "objection_direct_marketing": bool(self.direct_marketing.data),
            "objection_profiling": bool(self.profiling.data),
            "objection_publishing": bool(self.publishing.data),
            "objection_other": bool(self.other.data),
            "grounds": self.grounds.data or "",
            **super().details(),
        }

    def right_fields(self) -> list[Any]:
        """Return the objection choices and grounds."""
        return [self.direct_marketing, self.profiling, self.publishing, self.other, self.grounds]


FORMS: dict[str, type[RequestForm]] = {
    RequestRight.access: AccessForm,
    RequestRight.rectification: RectificationForm,
    RequestRight.erasure: ErasureForm,
    RequestRight.restriction: RestrictionForm,
    RequestRight.portability: PortabilityForm,
    RequestRight.objection: ObjectionForm,
}


class ConfirmForm(TextForm):
    """The confirmation button: only a CSRF token, so that a GET never changes anything."""


def detail_label(right: str, key: str) -> str:
    """Return how staff see a stored answer's key: the question the person answered."""
    field = getattr(FORMS.get(right), key.removeprefix("objection_"), None)
    if isinstance(field, UnboundField) and field.args:
        return str(field.args[0])
    return key.replace("_", " ")
