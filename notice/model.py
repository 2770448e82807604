"""The content model: what `content/site.yaml` and `content/registers/*.yaml` may say.

This module is the product's public interface. Every field carries a one-line description; the
JSON Schema (`notice schema`) and `docs/content-format.md` are generated from these classes, so a
field is documented here or nowhere.

Structure is validated here (types, languages, enumerations, dates, unknown keys). Whether a
notice is *legally complete* is not: a register may omit an element and still load, so that
`notice check` can say what is missing and why (see `notice/checks`). `notice build` refuses to
publish errors.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
)

SUPPORTED_LANGUAGES: tuple[str, ...] = ("fi", "en", "sv")
"""Languages the generator ships fixed strings and rights texts for."""

_RAW_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?\s*>")


def find_raw_html(text: str) -> str | None:
    """Return the first HTML tag in `text`, or None when the text is HTML-free."""
    match = _RAW_HTML.search(text)
    return match.group(0) if match else None


def _check_text(value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
    """Check a localized text against the site's languages (passed as validation context)."""
    context = info.context or {}
    languages: list[str] = list(context.get("languages") or SUPPORTED_LANGUAGES)
    unknown = [key for key in value if key not in languages]
    if unknown:
        raise ValueError(
            f"unknown language {unknown[0]!r}; site.yaml declares {', '.join(languages)}"
        )
    if context.get("languages"):
        missing = [lang for lang in languages if lang not in value]
        if missing:
            raise ValueError(f"missing translation for language {missing[0]!r}")
    if not context.get("allow_html", False):
        for lang, text in value.items():
            tag = find_raw_html(text)
            if tag:
                raise ValueError(f"raw HTML {tag!r} in {lang!r} text; write Markdown instead")
    return value


Text = Annotated[dict[str, str], AfterValidator(_check_text)]
"""A localized text `{fi: "...", en: "..."}`: one key per site language, Markdown allowed."""


def _check_web_url(value: str) -> str:
    """Accept an absolute http(s) address only: a `javascript:` or `data:` link runs code."""
    scheme, _, rest = value.partition("://")
    if scheme.lower() not in {"https", "http"} or not rest or rest[0] in "/?#":
        raise ValueError(f"{value!r} is not a web address; write it as https://...")
    if any(char.isspace() or ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        raise ValueError(
            f"{value!r} is not a web address; it contains a space or control character"
        )
    return value


WebUrl = Annotated[str, AfterValidator(_check_web_url)]
"""A web address: `https://...` (or `http://...`); every other scheme is refused."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Language(StrEnum):
    """A language the generator supports."""

    fi = "fi"
    en = "en"
    sv = "sv"


class LegalBasis(StrEnum):
    """GDPR Art 6(1) legal bases."""

    consent = "consent"
    contract = "contract"
    legal_obligation = "legal_obligation"
    vital_interests = "vital_interests"
    public_task = "public_task"
    legitimate_interests = "legitimate_interests"


class CookieParty(StrEnum):
    """Who sets the cookie: the site itself or another host."""

    first = "first"
    third = "third"


class CookieCategory(StrEnum):
    """Consent category of a cookie (Finnish 917/2014 §205: only `necessary` needs no consent)."""

    necessary = "necessary"
    preferences = "preferences"
    analytics = "analytics"
    marketing = "marketing"


class TransferMechanism(StrEnum):
    """GDPR Chapter V ground for a transfer outside the EEA."""

    adequacy = "adequacy"
    sccs = "sccs"
    bcr = "bcr"
    derogation = "derogation"


class RecipientRole(StrEnum):
    """How a recipient stands to the controller."""

    processor = "processor"
    controller = "controller"
    authority = "authority"
    internal = "internal"


class AnalyticsService(StrEnum):
    """Web analytics product in use."""

    google_analytics_4 = "google_analytics_4"
    universal_analytics = "universal_analytics"
    other = "other"


class Right(StrEnum):
    """Data-subject rights whose standard texts the generator ships; a register may override any."""

    access = "access"
    rectification = "rectification"
    erasure = "erasure"
    restriction = "restriction"
    portability = "portability"
    objection = "objection"
    withdraw_consent = "withdraw_consent"
    complaint = "complaint"
    other = "other"


class Contact(_Model):
    """A person or office to contact."""

    name: str = Field(description="Name of the person or office.")
    street_address: str | None = Field(None, description="Street address.")
    postal_code: str | None = Field(None, description="Postal code.")
    city: str | None = Field(None, description="Post office or city.")
    phone: str | None = Field(None, description="Telephone number as written for people.")
    email: str | None = Field(None, description="E-mail address.")
    url: WebUrl | None = Field(None, description="Web address.")


class Controller(Contact):
    """The controller (Art 13(1)(a)): who decides why and how the data is processed."""

    business_id: str | None = Field(
        None, description="Business ID (Y-tunnus) or other registration number."
    )


class SupervisoryAuthority(_Model):
    """The supervisory authority a person can complain to (Art 13(2)(d))."""

    name: Text = Field(description="Name of the authority.")
    street_address: str | None = Field(None, description="Visiting address.")
    postal_address: str | None = Field(None, description="Postal address (e.g. a PO box).")
    postal_code: str | None = Field(None, description="Postal code of the visiting address.")
    city: str | None = Field(None, description="City of the visiting address.")
    phone: str | None = Field(None, description="Switchboard telephone number.")
    email: str | None = Field(None, description="E-mail address.")
    url: WebUrl | None = Field(None, description="Web site.")


class Cookie(_Model):
    """One cookie or similar technology used on the website (Planet49, C-673/17)."""

    name: str = Field(description="Cookie name as stored in the browser, e.g. `_ga`.")
    provider: str = Field(description="Who sets and reads it, e.g. `Google Ireland Limited`.")
    party: CookieParty = Field(description="`first` (set by this site) or `third`.")
    category: CookieCategory = Field(
        description="`necessary`, `preferences`, `analytics` or `marketing`."
    )
    purpose: Text = Field(description="What the cookie is used for.")
    duration: Text = Field(description="How long it is kept, e.g. `2 years`.")
    third_party_access: Text | None = Field(
        None, description="Whether and which third parties can access the data it holds."
    )


class Transfer(_Model):
    """A transfer of personal data outside the EEA (Art 13(1)(f))."""

    recipient: str = Field(description="Who receives the data, e.g. `Google LLC`.")
    country: str = Field(description="Country of the recipient, e.g. `United States`.")
    mechanism: TransferMechanism = Field(
        description="`adequacy`, `sccs`, `bcr` or `derogation` (Chapter V ground)."
    )
    details: Text | None = Field(
        None,
        description="The decision or safeguard by name and where to get a copy of it.",
    )


class Analytics(_Model):
    """Web analytics on the site (rendered in the cookie section of registers with `website`)."""

    service: AnalyticsService = Field(
        description="`google_analytics_4`, `universal_analytics` (retired 1.7.2023) or `other`."
    )
    provider: str | None = Field(None, description="Company providing the service.")
    measurement_id: str | None = Field(
        None, description="Measurement ID, e.g. `G-XXXXXXX` (names the `_ga_<id>` cookie)."
    )
    google_signals: bool | None = Field(
        None, description="Whether Google signals (demographics, interests) is enabled."
    )
    data_retention_months: int | None = Field(
        None, ge=1, le=50, description="Event-data retention set in the service, in months."
    )
    transfers: list[Transfer] = Field(
        default_factory=list, description="Transfers outside the EEA made by the service."
    )
    description: Text | None = Field(
        None, description="What is collected and why, in the controller's words."
    )
    opt_out: Text | None = Field(None, description="How a visitor refuses or withdraws.")


class Consent(_Model):
    """How the site asks for consent and how it is withdrawn."""

    mechanism: Text = Field(description="How consent is asked (banner, choices, first layer).")
    withdrawal: Text = Field(description="How consent is withdrawn at any time.")
    settings_url: WebUrl | None = Field(None, description="Link to the consent settings page.")


class Site(_Model):
    """`content/site.yaml`: the controller and everything shared by all registers."""

    languages: list[Language] = Field(
        min_length=1, description="Languages of the notice; the first is the default."
    )
    base_url: WebUrl = Field(description="Public URL where the notice site is published.")
    portal_url: WebUrl | None = Field(
        None, description="URL of the request portal that the rights sections link to."
    )
    controller: Controller = Field(description="The controller's identity and contact details.")
    contact: Contact | None = Field(
        None, description="Contact person for register matters (defaults to the controller)."
    )
    representative: Literal["none"] | Contact | None = Field(
        None, description="EU representative of a controller outside the EU, or `none`."
    )
    dpo: Literal["none"] | Contact | None = Field(
        None, description="Data protection officer, or `none` when none is designated."
    )
    supervisory_authority: SupervisoryAuthority | None = Field(
        None, description="Authority a person can lodge a complaint with."
    )
    cookie_intro: Text | None = Field(
        None, description="Text shown above the cookie table (what cookies are, how we use them)."
    )
    cookies: list[Cookie] = Field(
        default_factory=list, description="Every cookie and similar technology on the website."
    )
    analytics: Analytics | None = Field(None, description="Web analytics on the site.")
    consent: Consent | None = Field(
        None, description="How consent to non-essential cookies is asked and withdrawn."
    )


class Purpose(_Model):
    """One purpose of processing and its legal basis (Art 13(1)(c))."""

    description: Text = Field(description="What the data is used for.")
    legal_basis: LegalBasis | None = Field(
        None, description="Art 6(1) basis: consent, contract, legal_obligation, … ."
    )
    legitimate_interest: Text | None = Field(
        None, description="The interest pursued, required when the basis is legitimate_interests."
    )


class Recipient(_Model):
    """A recipient or category of recipients (Art 13(1)(e)); also the Art 19 notification list."""

    name: Text = Field(description="Who receives the data, named where known.")
    role: RecipientRole | None = Field(
        None, description="`processor`, `controller`, `authority` or `internal`."
    )
    purpose: Text | None = Field(None, description="Why they receive it.")


class Security(_Model):
    """Principles of protecting the register (Art 30(1)(g), Finnish practice)."""

    manual: Text | None = Field(None, description="Manual (paper) records.")
    electronic: Text | None = Field(None, description="Electronically processed data.")


class HistoryEntry(_Model):
    """One dated change to the notice."""

    date: dt.date = Field(description="Date of the change (YYYY-MM-DD).")
    change: Text = Field(description="What changed.")


class Register(_Model):
    """`content/registers/<id>.yaml`: one register and its privacy notice."""

    id: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]*$", description="Stable identifier (lowercase, digits, -)."
    )
    slug: dict[Language, str] = Field(
        description="URL slug of the notice page per language, e.g. `{fi: asiakasrekisteri}`."
    )
    name: Text = Field(description="Name of the register.")
    prepared: dt.date = Field(description="Date the notice was first prepared (YYYY-MM-DD).")
    updated: dt.date | None = Field(None, description="Date of the last review or change.")
    summary: Text | None = Field(
        None, description="Short first layer: who, why, your rights (shown at the top)."
    )
    contact: Contact | None = Field(
        None, description="Contact person for this register (overrides the site's contact)."
    )
    purposes: list[Purpose] = Field(
        default_factory=list, description="Purposes of processing, each with its legal basis."
    )
    provision_requirement: Text | None = Field(
        None,
        description="Whether providing the data is statutory or contractual, and the "
        "consequences of not providing it (Art 13(2)(e)).",
    )
    data_subjects: Text | None = Field(None, description="Categories of data subjects.")
    data_categories: list[Text] = Field(
        default_factory=list, description="Categories of personal data (the register's content)."
    )
    sources: Text | None = Field(None, description="Where the data comes from (Art 14(2)(f)).")
    recipients: list[Recipient] = Field(
        default_factory=list, description="Recipients or categories of recipients."
    )
    disclosures: Text | None = Field(None, description="Regular disclosures of data.")
    transfers: Literal["none"] | list[Transfer] | None = Field(
        None, description="`none`, or every transfer outside the EEA."
    )
    transfers_note: Text | None = Field(
        None, description="Free text about transfers, shown with the list."
    )
    retention: Text | None = Field(
        None, description="How long data is kept, or the criteria (per category if they differ)."
    )
    consent: Text | None = Field(None, description="What rests on consent and how to withdraw it.")
    automated_decisions: Literal["none"] | Text | None = Field(
        None, description="Automated decisions and profiling: logic and effects, or `none`."
    )
    security: Security | None = Field(None, description="How the register is protected.")
    website: bool = Field(
        False, description="Include the site's cookie and analytics section in this notice."
    )
    rights: dict[Right, Text] = Field(
        default_factory=dict, description="Overrides of the standard rights texts, by right."
    )
    history: list[HistoryEntry] = Field(
        default_factory=list, description="Dated list of changes to the notice."
    )


def model_context(languages: list[str] | None, *, allow_html: bool = False) -> dict[str, Any]:
    """Build the validation context that ties localized texts to the site's languages."""
    return {"languages": list(languages or []), "allow_html": allow_html}
