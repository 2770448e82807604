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
import functools
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from notice import contrast, countries

SUPPORTED_LANGUAGES: tuple[str, ...] = ("fi", "en", "sv")
"""Languages the generator ships fixed strings and rights texts for."""

_RAW_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?\s*>")


def find_raw_html(text: str) -> str | None:
    """Return the first HTML tag in `text`, or None when the text is HTML-free."""
    match = _RAW_HTML.search(text)
    return match.group(0) if match else None


@functools.cache
def _format_keys() -> frozenset[str]:
    """Return every key of the content format (the fields of this module's models)."""
    models = [value for value in globals().values() if isinstance(value, type)]
    return frozenset(
        name
        for model in models
        if issubclass(model, BaseModel) and model.__module__ == __name__
        for name in model.model_fields
    )


def _check_text(value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
    """Check a localized text against the site's languages (passed as validation context)."""
    context = info.context or {}
    languages: list[str] = list(context.get("languages") or SUPPORTED_LANGUAGES)
    unknown = [key for key in value if key not in languages]
    if unknown:
        if unknown[0] in _format_keys():
            # `description:` then `  legal_bases: "…"`: a key of the format indented too far.
            raise ValueError(
                f"unknown language {unknown[0]!r}: it is a key of the format, indented under "
                "a text; indent it less, as far as the text's own key"
            )
        raise ValueError(
            f"unknown language {unknown[0]!r}; site.yaml declares {', '.join(languages)}"
        )
    if context.get("languages"):
        # A language the model does not support is site.yaml's one error, not one per text.
        missing = [lang for lang in languages if lang not in value and lang in SUPPORTED_LANGUAGES]
        if missing:
            raise ValueError(f"missing translation for language {missing[0]!r}")
    if not context.get("allow_html", False):
        for lang, text in value.items():
            tag = find_raw_html(text)
            if tag:
                raise ValueError(f"raw HTML {tag!r} in {lang!r} text; write Markdown instead")
    shared: dict[str, str] | None = context.get(SHARED_STRINGS)
    if shared is not None:
        # Validation copied each text: the copies of one text become one again (see there).
        return {lang: shared.setdefault(text, text) for lang, text in value.items()}
    return value


SHARED_STRINGS = "shared_strings"
"""A key of the validation context: a dict in which the localized texts of every model validated
with it are kept once (text -> the one copy used). Registers of one organisation repeat most of
their texts; validation makes each its own copy, which the loader's forked child pickled and its
parent unpickled as 17 KB more per register, and the memory held them all."""


Text = Annotated[dict[str, str], AfterValidator(_check_text)]
"""A localized text `{fi: "...", en: "..."}`: one key per site language, Markdown allowed."""


_NOT_IN_URLS = frozenset('"<>\\^`{|}')
"""Characters RFC 3986 leaves out of addresses: in a page they would end an attribute or a tag."""


def _check_web_url(value: str) -> str:
    """Accept an absolute http(s) address only: a `javascript:` or `data:` link runs code, and a
    quote or `<` would break out of the HTML attribute the address is written into."""
    scheme, _, rest = value.partition("://")
    if scheme.lower() not in {"https", "http"} or not rest or rest[0] in "/?#":
        raise ValueError(f"{value!r} is not a web address; write it as https://...")
    if any(char.isspace() or unicodedata.category(char) in _INVISIBLE for char in value):
        raise ValueError(
            f"{value!r} is not a web address; it contains a space, control or invisible character"
        )
    bad = sorted({char for char in value if char in _NOT_IN_URLS})
    if bad:
        raise ValueError(
            f"{value!r} is not a web address; {' '.join(bad)} cannot appear in one "
            '(percent-encode it, e.g. %22 for ")'
        )
    return value


_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})
"""Unicode categories of control, format (zero-width, bidi, tag) and line/paragraph separators."""


_EMAIL = re.compile(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]+")


def _check_email(value: str) -> str:
    value = value.strip()
    if not _EMAIL.fullmatch(value):
        raise ValueError(f"{value!r} is not an e-mail address (write it as name@example.fi)")
    return value


EmailAddress = Annotated[str, AfterValidator(_check_email)]
"""An e-mail address people write to: `name@domain.tld`, no spaces, no "(at)" disguise."""

WebUrl = Annotated[str, AfterValidator(_check_web_url)]
"""A web address: `https://...` (or `http://...`); every other scheme is refused."""

PlaceText = str | Text
"""A place (street, city, PO box) as one string for every language, or a localized text where its
name differs by language (Helsinki / Helsingfors)."""


UrlText = Annotated[dict[str, WebUrl], AfterValidator(_check_text)]
"""Web addresses per language: `{fi: https://x.fi, sv: https://x.fi/sv/, en: https://x.fi/en/}`."""

LocalizedWebUrl = WebUrl | UrlText
"""A web address: one for every language, or one per language where the site has pages in each."""


def all_urls(url: str | dict[str, str] | None) -> list[str]:
    """Return every address `url` holds (one, or one per language)."""
    if not url:
        return []
    return [url] if isinstance(url, str) else list(dict.fromkeys(url.values()))


LawRef = str | Text
"""A law or decision by reference: one string for every language (format 2), or a localized text
`{fi: Tietosuojalaki 1050/2018 31 §, sv: dataskyddslagen 1050/2018 31 §, en: ...}` (format 2.1)."""

FORMAT_VERSIONS: tuple[float, ...] = (1, 2, 2.1)
"""Content format versions the model reads; `notice migrate` writes the last."""

Version = Literal[1, 2, 2.1] | None  # type: ignore[valid-type]  # pydantic reads a float literal
"""The content format version: `1`, `2` or `2.1` (`notice migrate` writes `2.1`)."""


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


class StorageType(StrEnum):
    """Where a cookie-like identifier is stored on the person's device (917/2014 §205)."""

    cookie = "cookie"
    local_storage = "local_storage"
    """The browser's localStorage (kept until deleted)."""
    session_storage = "session_storage"
    """The browser's sessionStorage (deleted when the tab is closed)."""
    sdk_identifier = "sdk_identifier"
    """An identifier kept by a mobile app's software development kit (e.g. an advertising ID)."""


class SccModule(StrEnum):
    """Module of the standard contractual clauses (Commission decision (EU) 2021/914)."""

    controller_to_controller = "controller_to_controller"
    controller_to_processor = "controller_to_processor"
    processor_to_processor = "processor_to_processor"
    processor_to_controller = "processor_to_controller"


class MarketingChannel(StrEnum):
    """A channel of direct marketing."""

    email = "email"
    sms = "sms"
    phone = "phone"
    post = "post"
    push = "push"
    social_media = "social_media"


class MarketingBasis(StrEnum):
    """What allows direct marketing in a channel (917/2014 ss 200-202, GDPR Art 21(2))."""

    consent = "consent"
    """Prior consent: electronic direct marketing to a natural person (917/2014 s 200(1))."""
    customer_relationship = "customer_relationship"
    """Own similar products to a customer who was offered a free refusal (917/2014 s 200(2))."""
    legal_person = "legal_person"
    """Electronic marketing to a legal person's address, unless it refused (917/2014 s 201)."""
    opt_out = "opt_out"
    """Post or a call by a person: allowed until the person refuses (GDPR Art 21(2))."""


class TransferMechanism(StrEnum):
    """GDPR Chapter V ground for a transfer outside the EEA."""

    adequacy = "adequacy"
    """Art 45 adequacy decision (for the US: the Data Privacy Framework, certified recipients)."""
    sccs = "sccs"
    """Art 46(2)(c) standard contractual clauses."""
    bcr = "bcr"
    """Art 47 binding corporate rules."""
    derogation = "derogation"
    """Art 49 derogation for a specific situation (give `derogation_ground`)."""
    code_of_conduct = "code_of_conduct"
    """Art 46(2)(e) approved code of conduct with binding commitments."""
    certification = "certification"
    """Art 46(2)(f) approved certification mechanism with binding commitments."""


class Art49Ground(StrEnum):
    """Art 49(1) derogation grounds."""

    explicit_consent = "explicit_consent"
    contract = "contract"
    contract_in_interest = "contract_in_interest"
    public_interest = "public_interest"
    legal_claims = "legal_claims"
    vital_interests = "vital_interests"
    public_register = "public_register"
    compelling_legitimate_interests = "compelling_legitimate_interests"


class RecipientRole(StrEnum):
    """How a recipient stands to the controller."""

    processor = "processor"
    sub_processor = "sub_processor"
    controller = "controller"
    public_authority = "public_authority"
    internal = "internal"
    authority = "public_authority"
    """Format v1 name of `public_authority` (an alias: the same member)."""


def _recipient_role(value: Any) -> Any:
    """Accept the v1 role `authority` as `public_authority`."""
    return "public_authority" if value == "authority" else value


def _country(value: Any) -> Any:
    """Turn a country name (fi, sv or en) into its ISO code; leave anything else to validation."""
    if isinstance(value, str):
        return countries.code_of(value) or value
    return value


def _check_country(value: str) -> str:
    if value not in countries.codes():
        raise ValueError(f"unknown country {value!r}; give an ISO 3166-1 alpha-2 code such as US")
    return value


CountryCode = Annotated[str, BeforeValidator(_country), AfterValidator(_check_country)]
"""An ISO 3166-1 alpha-2 country code such as `FI` or `US` (a country name is also accepted)."""


class SpecialCategory(StrEnum):
    """Special categories of personal data (Art 9(1))."""

    racial_or_ethnic_origin = "racial_or_ethnic_origin"
    political_opinions = "political_opinions"
    religious_or_philosophical_beliefs = "religious_or_philosophical_beliefs"
    trade_union_membership = "trade_union_membership"
    genetic = "genetic"
    biometric = "biometric"
    health = "health"
    sex_life = "sex_life"
    sexual_orientation = "sexual_orientation"


class Art9Condition(StrEnum):
    """Art 9(2) conditions that lift the ban on processing special categories, (a) to (j)."""

    explicit_consent = "explicit_consent"
    employment_and_social_security = "employment_and_social_security"
    vital_interests = "vital_interests"
    not_for_profit_body = "not_for_profit_body"
    made_public = "made_public"
    legal_claims = "legal_claims"
    substantial_public_interest = "substantial_public_interest"
    health_or_social_care = "health_or_social_care"
    public_health = "public_health"
    archiving_research_statistics = "archiving_research_statistics"


class Art22Ground(StrEnum):
    """Art 22(2) grounds that allow a solely automated decision with legal or similar effects."""

    contract = "contract"
    law = "law"
    explicit_consent = "explicit_consent"


class ProvisionRequirement(StrEnum):
    """Whether a person must provide data (Art 13(2)(e))."""

    statutory = "statutory"
    contractual = "contractual"
    contract_prerequisite = "contract_prerequisite"
    voluntary = "voluntary"


class RightExtent(StrEnum):
    """How far a right is limited in a register."""

    not_applicable = "not_applicable"
    restricted = "restricted"


class Identification(StrEnum):
    """How the request portal identifies a person who uses a right (EDPB 01/2022: proportionate)."""

    email = "email"
    strong_before_accept = "strong_before_accept"
    strong_before_release = "strong_before_release"


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


def address_line(street_address: str | None, postal_code: str | None, city: str | None) -> str:
    """Return an address on one line from whichever parts are given: `Katu 1, 00100 Helsinki`."""
    town = " ".join(part for part in (postal_code, city) if part)
    return ", ".join(part for part in (street_address, town) if part)


class Contact(_Model):
    """A person or office to contact."""

    name: str = Field(description="Name of the person or office.")
    street_address: str | None = Field(None, description="Street address.")
    postal_code: str | None = Field(None, description="Postal code.")
    city: str | None = Field(None, description="Post office or city.")
    phone: str | None = Field(
        None,
        description="Telephone number as written for people; English pages give a domestic "
        "Finnish one (`050 304 4671`) in international form (`+358 50 304 4671`).",
    )
    email: EmailAddress | None = Field(None, description="E-mail address.")
    url: WebUrl | None = Field(None, description="Web address.")


class Controller(Contact):
    """The controller (Art 13(1)(a)): who decides why and how the data is processed."""

    business_id: str | None = Field(
        None, description="Business ID (Y-tunnus) or other registration number."
    )
    localized_name: Text | None = Field(
        None, description="The name in each language where it differs, e.g. a city's Swedish name."
    )


class Dpo(_Model):
    """A data protection officer (Art 37): a person, or a title or function to reach."""

    title: Text | None = Field(
        None, description="Title or function to contact instead of a named person."
    )
    name: str | None = Field(
        None, validate_default=True, description="Name of the officer (or give `title`)."
    )
    street_address: str | None = Field(None, description="Street address.")
    postal_code: str | None = Field(None, description="Postal code.")
    city: str | None = Field(None, description="Post office or city.")
    phone: str | None = Field(
        None,
        description="Telephone number as written for people; English pages give a domestic "
        "Finnish one (`050 304 4671`) in international form (`+358 50 304 4671`).",
    )
    email: EmailAddress | None = Field(None, description="E-mail address.")
    url: WebUrl | None = Field(None, description="Web address.")

    @field_validator("name")
    @classmethod
    def _named(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Require a name unless a title or function is given instead."""
        if value is None and info.data.get("title") is None:
            raise PydanticCustomError("missing", "Field required")
        return value


class JointController(Controller):
    """A joint controller (Art 26): who else decides the purposes and means, and how."""

    dpo: Dpo | None = Field(
        None, description="This controller's data protection officer (format 2.1)."
    )

    role: Text = Field(description="What this controller is responsible for in the processing.")
    essence: Text | None = Field(
        None, description="The essence of the arrangement between the controllers (Art 26(2))."
    )
    contact_point: bool = Field(
        False, description="Whether people should contact this controller to use their rights."
    )


class SupervisoryAuthority(_Model):
    """The supervisory authority a person can complain to (Art 13(2)(d))."""

    name: Text = Field(description="Name of the authority.")
    street_address: PlaceText | None = Field(
        None,
        description="Visiting address: one string, or a localized text where the street's name "
        "differs (`{fi: Lintulahdenkuja 4, sv: Fågelviksgränden 4}`).",
    )
    postal_address: PlaceText | None = Field(
        None,
        description="Postal address (e.g. a PO box): one string or a localized text "
        "(`{fi: PL 800, 00531 Helsinki, sv: PB 800, 00531 Helsingfors}`).",
    )
    postal_code: str | None = Field(None, description="Postal code of the visiting address.")
    city: PlaceText | None = Field(
        None, description="City of the visiting address: one string or a localized text."
    )
    phone: str | None = Field(None, description="Switchboard telephone number.")
    email: EmailAddress | None = Field(None, description="E-mail address.")
    url: LocalizedWebUrl | None = Field(
        None,
        description="Web site: one address, or one per language where the authority has pages in "
        "each (`{fi: https://tietosuoja.fi/yhteystiedot, sv: "
        "https://tietosuoja.fi/sv/kontaktuppgifter, en: "
        "https://tietosuoja.fi/en/contact-information}`); each page links its language's.",
    )


_TOKEN_CHAR = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]")
"""One character of an RFC 6265 cookie name (an RFC 7230 token: no separators, no controls)."""
_PLACEHOLDER = re.compile(r"<[A-Za-z0-9_-]+>")
_COOKIE_NAME = re.compile(rf"(?:{_TOKEN_CHAR.pattern}|{_PLACEHOLDER.pattern})+")
"""A declared cookie name: token characters, with `<placeholder>` parts (`*` is a token char)."""


class Cookie(_Model):
    """One cookie or similar technology used on the website (Planet49, C-673/17)."""

    name: str = Field(
        description="Cookie name as stored in the browser, e.g. `_ga`; a part that varies is "
        "written `<placeholder>` or `*`, e.g. `_ga_<container-id>` (RFC 6265 token otherwise)."
    )
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
    legal_basis: LegalBasis | None = Field(
        None,
        description="Art 6(1) basis when not the default (consent; none needed for `necessary`).",
    )
    storage: StorageType | None = Field(
        None,
        description="Where it is stored: `cookie` (the default), `local_storage`, "
        "`session_storage` or `sdk_identifier` (format 2.1).",
    )

    @field_validator("name")
    @classmethod
    def _name_is_a_token(cls, value: str) -> str:
        if not _COOKIE_NAME.fullmatch(value):
            bad = next(
                (char for char in _PLACEHOLDER.sub("", value) if not _TOKEN_CHAR.match(char)), ""
            )
            shown = repr(bad) if bad else "nothing"
            raise ValueError(
                f"{value!r} is not a cookie name: it contains {shown}; a name is letters, digits "
                "and !#$%&'*+-.^_`|~ (RFC 6265), with `<placeholder>` or `*` for a varying part"
            )
        return value


class Safeguards(_Model):
    """The Chapter V ground(s) of a transfer outside the EEA (Art 13(1)(f))."""

    mechanisms: list[TransferMechanism] = Field(
        default_factory=list,
        description="Every ground relied on, first the main one: `adequacy`, `sccs`, `bcr`, "
        "`derogation`, `code_of_conduct`, `certification`.",
    )
    mechanism: TransferMechanism | None = Field(
        None,
        description="One ground; shorthand for `mechanisms: [<it>]` (format v1). Read back as "
        "the first mechanism when only `mechanisms` is given.",
    )
    decision: LawRef | None = Field(
        None,
        description="The adequacy decision or safeguard by reference, e.g. `(EU) 2023/1795` (DPF); "
        "one string or, from format 2.1, a localized text.",
    )
    scc_module: SccModule | None = Field(
        None,
        description="The module of the standard contractual clauses when a mechanism is `sccs` "
        "(format 2.1).",
    )
    impact_assessment: Text | None = Field(
        None,
        description="The transfer impact assessment: what it found about the country's law and "
        "the supplementary measures taken (format 2.1).",
    )
    derogation_ground: Art49Ground | None = Field(
        None, description="The Art 49(1) ground when a mechanism is `derogation`."
    )
    details: Text | None = Field(
        None,
        description="The decision or safeguard by name and how to get a copy of it.",
    )

    @model_validator(mode="after")
    def _first_mechanism(self) -> Safeguards:
        # Readers of format v1 (`transfer.mechanism`) keep working on v2 files.
        if self.mechanism is None and self.mechanisms:
            self.__dict__["mechanism"] = self.mechanisms[0]
        if self.scc_module is not None and TransferMechanism.sccs not in self.all_mechanisms:
            raise ValueError("`scc_module` is given but `sccs` is not among the `mechanisms`")
        return self

    @property
    def all_mechanisms(self) -> list[TransferMechanism]:
        """Return every mechanism, the shorthand `mechanism` first."""
        first = [self.mechanism] if self.mechanism else []
        return list(dict.fromkeys([*first, *self.mechanisms]))

    def decision_to_name(self, lang: str) -> str | None:
        """Return the decision to name beside the mechanisms in `lang`, or None when there is
        none or the details already name it (so a page or letter names it once)."""
        if self.decision is None:
            return None
        decision = self.decision if isinstance(self.decision, str) else self.decision[lang]
        details = (self.details or {}).get(lang, "")
        if _folded(decision) in _folded(details):
            return None
        return decision


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


class Transfer(Safeguards):
    """A transfer outside the EEA not tied to a listed recipient (e.g. an analytics service)."""

    recipient: str = Field(description="Who receives the data, e.g. `Google LLC`.")
    country: CountryCode = Field(description="Country of the recipient: ISO code, e.g. `US`.")


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
        default_factory=list,
        description="Transfers outside the EEA made by the service. A register with `website` "
        "states them among its own (its notice, its JSON as `website_transfers`, the records of "
        "processing, the access letter) unless it gives the same recipient and country itself.",
    )
    description: Text | None = Field(
        None, description="What is collected and why, in the controller's words."
    )
    opt_out: Text | None = Field(None, description="How a visitor refuses or withdraws.")

    @field_validator("measurement_id")
    @classmethod
    def _is_a_ga4_id(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"G-[A-Z0-9]+", value):
            raise ValueError(
                f"{value!r} is not a Google Analytics 4 measurement ID; it is `G-` followed by "
                "capital letters and digits, e.g. G-ABC123XYZ (Admin → Data streams)"
            )
        return value


class Consent(_Model):
    """How the site asks for consent and how it is withdrawn."""

    mechanism: Text = Field(description="How consent is asked (banner, choices, first layer).")
    withdrawal: Text = Field(description="How consent is withdrawn at any time.")
    settings_url: WebUrl | None = Field(None, description="Link to the consent settings page.")
    record_origins: list[WebUrl] = Field(
        default_factory=list,
        description="Further sites whose banner may post consent records to the portal "
        "(base_url's site always may).",
    )
    gpc: bool = Field(
        True,
        description="Honour Global Privacy Control (a browser's `Sec-GPC`) as a refusal of "
        "analytics and marketing.",
    )
    refusal_days: int = Field(
        182, ge=1, description="Days a refusal is kept and the visitor not asked again."
    )


def _check_color(value: str) -> str:
    if not contrast.HEX_COLOR.fullmatch(value):
        raise ValueError(f"{value!r} is not a colour; write it as #rrggbb (or #rgb), e.g. #0b4f8a")
    return contrast.normalize(value)


Color = Annotated[
    str,
    AfterValidator(_check_color),
    WithJsonSchema({"type": "string", "pattern": "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"}),
]
"""A colour: `#rrggbb` or `#rgb`."""

CONTRAST_RULES: tuple[tuple[str, str, float, str], ...] = (
    ("text", "background", 4.5, "text"),
    ("text", "surface", 4.5, "text in the header and footer band"),
    ("muted", "background", 4.5, "secondary text"),
    ("muted", "surface", 4.5, "secondary text in the header and footer band"),
    ("accent", "background", 4.5, "links and button text"),
    ("accent", "surface", 4.5, "links in the header and footer band"),
    ("on_accent", "accent", 4.5, "text on a filled button"),
    ("error", "background", 4.5, "error messages"),
    ("border", "background", 3.0, "boundaries of fields, tables and boxes"),
    ("focus", "background", 3.0, "the focus indicator"),
    ("focus", "surface", 3.0, "the focus indicator in the header and footer band"),
)
"""Each colour checked against a background: (colour, background, least ratio, what it is for).
Text needs 4.5:1 (WCAG 2.2, 1.4.3); focus indicators and boundaries 3:1 (1.4.11, 2.4.13)."""


class ThemeColors(_Model):
    """The colours of the notice site and the portal (e-mails take the accent); every pair is
    checked for WCAG 2.2 AA contrast when the content is loaded. A colour left out takes the
    default shown; without `colors` the pages keep their own stylesheets' colours."""

    background: Color = Field("#ffffff", description="Page background.")
    surface: Color = Field(
        "#f3f6f9", description="Background of the header and footer band, table heads and boxes."
    )
    text: Color = Field(
        "#1b1f24", validate_default=True, description="Text (4.5:1 on background and surface)."
    )
    muted: Color = Field(
        "#4a5360",
        validate_default=True,
        description="Secondary text: dates, hints (4.5:1 on background and surface).",
    )
    accent: Color = Field(
        "#0b4f8a",
        validate_default=True,
        description="Links, buttons and the header rule (4.5:1 on background and surface).",
    )
    on_accent: Color = Field(
        "#ffffff",
        validate_default=True,
        description="Text on a button filled with the accent (4.5:1 on accent).",
    )
    error: Color = Field(
        "#b00020", validate_default=True, description="Error messages (4.5:1 on background)."
    )
    border: Color = Field(
        "#8a96a3",
        validate_default=True,
        description="Boundaries of form fields, tables and boxes (3:1 on background).",
    )
    focus: Color = Field(
        "#b8470b",
        validate_default=True,
        description="The focus indicator around a link or field (3:1 on background and surface).",
    )

    @field_validator("text", "muted", "accent", "on_accent", "error", "border", "focus")
    @classmethod
    def _contrast(cls, value: str, info: ValidationInfo) -> str:
        """Refuse a colour too close to a background it is shown on (WCAG 2.2 AA)."""
        for name, against, least, purpose in CONTRAST_RULES:
            other = info.data.get(against)
            if name != info.field_name or other is None:
                continue  # a background that failed validation is reported on its own
            measured = contrast.ratio(value, other)
            if measured < least:
                raise ValueError(
                    f"{value} on {against} {other} has a contrast ratio of "
                    f"{contrast.shown(measured)}; {purpose} must have at least {least:g}:1 "
                    "(WCAG 2.2 AA)"
                )
        return value


_LOGO_PATH = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]*\.(?:svg|png)", re.IGNORECASE)


class Theme(_Model):
    """How the notice site, the portal, letters and e-mails look: name, logo and colours."""

    display_name: Text | None = Field(
        None,
        description="The name shown in headers, letters and e-mails (default: the controller's "
        "name).",
    )
    logo: str | None = Field(
        None,
        description="The logo: an SVG or PNG file in the content folder, e.g. `logo.svg`; its "
        "alternative text is the display name.",
    )
    colors: ThemeColors | None = Field(
        None, description="Colours, checked for contrast; left out, the pages keep today's colours."
    )

    @field_validator("logo")
    @classmethod
    def _logo_path(cls, value: str | None) -> str | None:
        if value is None:
            return value
        parts = value.split("/")
        if not _LOGO_PATH.fullmatch(value) or ".." in parts or "" in parts:
            raise ValueError(
                f"{value!r} is not a logo file; give a path inside the content folder ending in "
                ".svg or .png, e.g. logo.svg"
            )
        return value


class Site(_Model):
    """`content/site.yaml`: the controller and everything shared by all registers."""

    languages: list[Language] = Field(
        min_length=1, description="Languages of the notice; the first is the default."
    )

    @field_validator("languages")
    @classmethod
    def _languages_once(cls, languages: list[Language]) -> list[Language]:
        """Refuse a language listed twice: its pages would be built twice, over each other."""
        twice = [lang.value for n, lang in enumerate(languages) if lang in languages[:n]]
        if twice:
            raise ValueError(f"{twice[0]!r} is listed twice; list each language once")
        return languages

    base_url: WebUrl = Field(description="Public URL where the notice site is published.")
    portal_url: WebUrl | None = Field(
        None,
        description=(
            "URL of the request portal that the rights sections link to: the portal's "
            "PUBLIC_URL + URL_PREFIX + `/` (`https://www.example.fi/requests/`). The portal "
            "takes its PUBLIC_URL from it and does not start when the two disagree."
        ),
    )
    controller: Controller = Field(description="The controller's identity and contact details.")
    contact: Contact | None = Field(
        None, description="Contact person for register matters (defaults to the controller)."
    )
    representative: Literal["none"] | Contact | None = Field(
        None, description="EU representative of a controller outside the EU, or `none`."
    )
    dpo: Literal["none"] | Dpo | None = Field(
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
    cookie_rules: Literal["eprivacy", "omnibus_88a"] = Field(
        "eprivacy",
        description="Cookie rules applied: `eprivacy` (consent for all but necessary) or "
        "`omnibus_88a` (proposed GDPR Art 88a: own aggregated audience measurement exempt).",
    )
    consent: Consent | None = Field(
        None, description="How consent to non-essential cookies is asked and withdrawn."
    )
    theme: Theme | None = Field(
        None,
        description="Logo, colours and display name of the notice site, portal, letters and "
        "e-mails (format 2.1; left out: today's look).",
    )
    version: Version = Field(
        None, description="Content format version; `notice migrate` writes `2.1`."
    )


class Purpose(_Model):
    """One purpose of processing and its legal basis or bases (Art 13(1)(c))."""

    id: str | None = Field(
        None,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="Short identifier that recipients' `purposes` refer to.",
    )
    description: Text = Field(description="What the data is used for.")
    legal_bases: list[LegalBasis] = Field(
        default_factory=list,
        description="Every Art 6(1) basis this purpose rests on, where law gives several.",
    )
    legal_basis: LegalBasis | None = Field(
        None,
        description="One Art 6(1) basis; shorthand for `legal_bases: [<it>]` (format v1). "
        "Read back as the first basis when only `legal_bases` is given.",
    )
    national_law: Text | None = Field(
        None,
        description="The law behind a legal_obligation or public_task basis (Art 6(3)), e.g. "
        "`Varhaiskasvatuslaki 540/2018`.",
    )
    legitimate_interest: Text | None = Field(
        None, description="The interest pursued, required when a basis is legitimate_interests."
    )
    withdrawal: Text | None = Field(
        None, description="How to withdraw consent to this purpose (when a basis is consent)."
    )
    direct_marketing: bool = Field(
        False, description="Whether the purpose is direct marketing (Art 21(2) objection)."
    )
    cookies: list[CookieCategory] = Field(
        default_factory=list,
        description="Cookie categories this purpose relies on (these need consent, 917/2014 §205).",
    )
    data_categories: list[str] = Field(
        default_factory=list,
        description="Ids of the data categories processed for this purpose (format 2.1).",
    )
    data_subjects: Text | None = Field(
        None, description="The groups of people whose data this purpose concerns (format 2.1)."
    )

    @model_validator(mode="before")
    @classmethod
    def _v1_marketing(cls, data: Any) -> Any:
        """Mark a v1 purpose as direct marketing when its description says so."""
        if isinstance(data, dict) and "direct_marketing" not in data and "legal_bases" not in data:
            description = data.get("description")
            if isinstance(description, dict) and any(
                isinstance(text, str) and _DIRECT_MARKETING.search(text)
                for text in description.values()
            ):
                return {**data, "direct_marketing": True}
        return data

    @model_validator(mode="after")
    def _first_basis(self) -> Purpose:
        # Readers of format v1 (`purpose.legal_basis`) keep working on v2 files.
        if self.legal_basis is None and self.legal_bases:
            self.__dict__["legal_basis"] = self.legal_bases[0]
        return self

    @property
    def bases(self) -> list[LegalBasis]:
        """Return every legal basis of the purpose, the shorthand `legal_basis` first."""
        first = [self.legal_basis] if self.legal_basis else []
        return list(dict.fromkeys([*first, *self.legal_bases]))


_DIRECT_MARKETING = re.compile(
    r"direct[ -]?marketing|suoramarkkinoin|suoramainon|direktmarknadsför|direktreklam", re.I
)


class Recipient(_Model):
    """A recipient or category of recipients (Art 13(1)(e)); also the Art 19 notification list."""

    id: str | None = Field(
        None,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="Short identifier that a sub-processor's `processor` refers to (format 2.1).",
    )
    name: Text = Field(description="Who receives the data, named where known.")
    processor: str | None = Field(
        None,
        description="Id of the processor (another recipient) a `sub_processor` works for "
        "(format 2.1).",
    )
    role: Annotated[RecipientRole | None, BeforeValidator(_recipient_role)] = Field(
        None,
        description="`processor`, `sub_processor`, `controller`, `public_authority` or "
        "`internal` (v1 `authority` is read as `public_authority`).",
    )
    purpose: Text | None = Field(None, description="Why they receive it.")
    purposes: list[str] = Field(
        default_factory=list, description="Ids of the register's purposes this recipient serves."
    )
    country: CountryCode | None = Field(
        None, description="Where the recipient processes the data: ISO code, e.g. `FI`, `US`."
    )
    transfer: Safeguards | None = Field(
        None, description="The transfer ground when `country` is outside the EEA."
    )


class Source(_Model):
    """Where a category of data comes from when not from the person (Art 14(2)(f))."""

    name: Text = Field(description="The source, named where known, e.g. `Population Register`.")
    publicly_accessible: bool = Field(
        False, description="Whether the source is publicly accessible."
    )


class SpecialData(_Model):
    """Special-category data (Art 9) and the condition that allows processing it."""

    category: SpecialCategory = Field(description="Which Art 9(1) category, e.g. `health`.")
    condition: Art9Condition | None = Field(
        None, description="The Art 9(2) condition, e.g. `substantial_public_interest`."
    )
    national_law: Text | None = Field(
        None, description="The law the condition rests on where it needs one (Art 9(2)(b)(g)-(j))."
    )


class CriminalData(_Model):
    """Personal data relating to criminal convictions and offences (Art 10)."""

    authorisation: Text | None = Field(
        None, description="The law that authorises processing it, e.g. `Rikosrekisterilaki`."
    )


class CategoryRecord(_Model):
    """What only the records of processing say of one data category (`notice records`)."""

    name: Text | None = Field(
        None,
        description="The category in the record's own words, instead of its `name`, which may "
        "speak to the data subject (`Company or organisation you represent`).",
    )
    retention: Text | None = Field(
        None,
        description="The category's time limit for erasure in the record's own words, instead "
        "of its `retention` (`your cookie choice for 12 months`).",
    )


class DataCategory(_Model):
    """A category of personal data, with what differs from the register's defaults."""

    id: str | None = Field(
        None,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="Short identifier that purposes' `data_categories` refer to (format 2.1).",
    )
    name: Text = Field(description="The category, e.g. `Contact details`.")
    retention: Text | None = Field(
        None, description="How long this category is kept (period or criterion) where it differs."
    )
    provision: ProvisionRequirement | None = Field(
        None, description="Whether the person must provide it: statutory, contractual, … ."
    )
    provision_consequence: Text | None = Field(
        None, description="What follows if the person does not provide it."
    )
    sources: list[Literal["data_subject"] | Source] = Field(
        default_factory=list,
        description="Where it comes from: `data_subject` (the person) and named sources.",
    )
    special: SpecialData | None = Field(
        None, description="Set when the category is special-category data (Art 9)."
    )
    criminal: CriminalData | None = Field(
        None, description="Set when the category is criminal-offence data (Art 10)."
    )
    record: CategoryRecord | None = Field(
        None,
        description="What only the records of processing say of this category, in their own "
        "words (Art 30; `notice records`): never published.",
    )

    @property
    def record_name(self) -> Text:
        """Return the category's name as the records of processing give it."""
        return (self.record.name if self.record else None) or self.name

    @property
    def record_retention(self) -> Text | None:
        """Return the category's own time limit as the records of processing give it."""
        return (self.record.retention if self.record else None) or self.retention

    @model_validator(mode="before")
    @classmethod
    def _v1_text(cls, data: Any) -> Any:
        """Read a v1 category, a bare localized text, as the category's name."""
        if isinstance(data, dict) and data and not set(data) & set(cls.model_fields):
            return {"name": data}
        return data


class AutomatedDecision(_Model):
    """One automated decision or profiling (Art 13(2)(f), 22)."""

    description: Text = Field(description="What is decided or profiled.")
    logic: Text | None = Field(None, description="Meaningful information about the logic involved.")
    significance: Text | None = Field(None, description="Its significance for the person.")
    consequences: Text | None = Field(None, description="Its envisaged consequences.")
    ground: Art22Ground | None = Field(
        None, description="The Art 22(2) ground: `contract`, `law` or `explicit_consent`."
    )
    safeguards: Text | None = Field(
        None, description="The Art 22(3) safeguards: human review, contesting, own point of view."
    )
    solely_automated: bool = Field(
        True, description="Whether the decision is made without human involvement."
    )
    purposes: list[str] = Field(
        default_factory=list,
        description="Ids of the purposes this decision is made for (format 2.1).",
    )


def _automated(value: Any) -> Any:
    """Read a v1 prose description as one decision described in that prose."""
    if isinstance(value, dict):
        return [{"description": value}]
    return value


class Children(_Model):
    """Children among the data subjects."""

    consent_age: int = Field(
        13,
        ge=13,
        le=16,
        description="Age of consent to online services (Finland 13, 1050/2018 §5).",
    )
    guardians: Text | None = Field(
        None, description="How guardians use a child's rights, and when the child does."
    )
    minimum_age: int | None = Field(
        None,
        ge=0,
        le=17,
        description="The youngest age the service accepts, where it has one (format 2.1).",
    )
    parental_consent: Text | None = Field(
        None,
        description="How the consent of a guardian is asked and verified for a child under "
        "`consent_age` (Art 8(2)) (format 2.1).",
    )


class RightRestriction(_Model):
    """A right that does not apply in the register, or is restricted, and why."""

    right: Right = Field(description="Which right.")
    extent: RightExtent = Field(
        RightExtent.not_applicable, description="`not_applicable` or `restricted`."
    )
    reason: Text = Field(description="Why, in the reader's words.")
    law: LawRef | None = Field(
        None,
        description="The provision, e.g. `Tietosuojalaki 1050/2018 §34`: one string or, from "
        "format 2.1, a localized text.",
    )


class Research(_Model):
    """Scientific research (Art 89, 1050/2018 s 31): how the study is governed (format 2.1)."""

    plan: Text = Field(description="The research plan: what is studied, by whom, and until when.")
    ethics_review: Text | None = Field(
        None, description="The ethics committee's statement: who gave it and when."
    )
    impact_assessment: Text | None = Field(
        None,
        description="The data protection impact assessment required when rights are restricted "
        "(1050/2018 s 31(3)).",
    )
    pseudonymisation_key: Text | None = Field(
        None, description="Who holds the key that links pseudonymised data to people."
    )
    archive: Text | None = Field(
        None, description="The archive that receives the data when the study ends, or deletion."
    )


class Health(_Model):
    """Health care: patients' rights over their records beyond the GDPR's (format 2.1)."""

    kanta_refusal: Text | None = Field(
        None,
        description="How a patient refuses disclosure of their data through the Kanta services "
        "(784/2021 s 17).",
    )
    access_log: Text | None = Field(
        None,
        description="How a patient gets the log of who has used or seen their data "
        "(784/2021 s 18).",
    )


class Cctv(_Model):
    """Camera surveillance (1050/2018 s 16, Art 13): where and how (format 2.1)."""

    areas: list[Text] = Field(
        min_length=1, description="The areas the cameras cover, e.g. `Stairwells A and B`."
    )
    signs: Text = Field(description="How the surveillance is signposted at the areas.")
    audio: bool = Field(False, description="Whether sound is recorded (false: image only).")
    viewers: Text = Field(description="Who may view the recordings, and when.")


class MarketingMessage(_Model):
    """A direct marketing channel and what allows it."""

    channel: MarketingChannel = Field(
        description="`email`, `sms`, `phone`, `post`, `push` or `social_media`."
    )
    basis: MarketingBasis = Field(
        description="`consent`, `customer_relationship`, `legal_person` or `opt_out` "
        "(917/2014 ss 200-202)."
    )


class DirectMarketing(_Model):
    """Direct marketing in this register: each channel and its basis (format 2.1)."""

    channels: list[MarketingMessage] = Field(
        min_length=1, description="Every channel used and what allows it."
    )
    refusal: Text | None = Field(
        None, description="How to refuse direct marketing (free of charge, at any time)."
    )


class Security(_Model):
    """Principles of protecting the register (Art 30(1)(g), Finnish practice)."""

    manual: Text | None = Field(None, description="Manual (paper) records.")
    electronic: Text | None = Field(None, description="Electronically processed data.")


class HistoryEntry(_Model):
    """One dated change to the notice."""

    date: dt.date = Field(description="Date of the change (YYYY-MM-DD).")
    change: Text = Field(description="What changed.")


class Record(_Model):
    """What only the records of processing say (Art 30; `notice records`): never published."""

    systems: list[str] = Field(
        default_factory=list,
        description="Information systems and services the register is kept in, e.g. `Netvisor`.",
    )
    security_measures: Text | None = Field(
        None,
        description="Technical and organisational security measures in more detail than the "
        "notice gives (Art 30(1)(g), 32(1)).",
    )
    review_date: dt.date | None = Field(
        None, description="When the record was last reviewed (YYYY-MM-DD)."
    )
    sources: Text | None = Field(
        None,
        description="Where the data comes from, in the record's own words, instead of the "
        "notice's `sources`, which speaks to the data subject (`We get the data from you`).",
    )
    retention: Text | None = Field(
        None,
        description="The register's time limit for erasure in the record's own words, instead of "
        "the notice's `retention` (a sentence written for the page, such as `… are listed "
        "below`, or to the data subject); each category's own period follows it as in the "
        "notice.",
    )


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
    updated: dt.date | None = Field(
        None, description="Date of the last review or change; not earlier than `prepared`."
    )
    summary: Text | None = Field(
        None, description="Short first layer: who, why, your rights (shown at the top)."
    )
    controller: Controller | None = Field(
        None,
        description="The controller of this register where it is not the site's, e.g. a housing "
        "company for its own camera surveillance (format 2.1).",
    )
    contact: Contact | None = Field(
        None, description="Contact person for this register (overrides the site's contact)."
    )
    joint_controllers: list[JointController] = Field(
        default_factory=list, description="Joint controllers (Art 26) of this register."
    )
    dpo: Literal["none"] | Dpo | None = Field(
        None, description="Data protection officer of this register (overrides the site's)."
    )
    representative: Literal["none"] | Contact | None = Field(
        None, description="EU representative for this register (overrides the site's)."
    )
    purposes: list[Purpose] = Field(
        default_factory=list, description="Purposes of processing, each with its legal bases."
    )
    provision_requirement: Text | None = Field(
        None,
        description="Whether providing the data is statutory or contractual, and the "
        "consequences of not providing it (Art 13(2)(e)).",
    )
    data_subjects: Text | None = Field(None, description="Categories of data subjects.")
    children: Children | None = Field(
        None, description="Set when children are among the data subjects."
    )
    data_categories: list[DataCategory] = Field(
        default_factory=list,
        description="Categories of personal data (the register's content), each with what "
        "differs from the register's defaults.",
    )
    sources: Text | None = Field(
        None, description="Where the data comes from, in prose (Art 14(2)(f))."
    )
    recipients: list[Recipient] = Field(
        default_factory=list, description="Recipients or categories of recipients."
    )
    disclosures: Text | None = Field(None, description="Regular disclosures of data.")
    transfers: Literal["none"] | list[Transfer] | None = Field(
        None,
        description="`none`, or transfers outside the EEA not given on a recipient "
        "(recipients with a `country` outside the EEA are transfers too).",
    )
    transfers_note: Text | None = Field(
        None, description="Free text about transfers, shown with the list."
    )
    retention: Text | None = Field(
        None, description="How long data is kept, or the criteria (categories may differ)."
    )
    consent: Text | None = Field(None, description="What rests on consent and how to withdraw it.")
    automated_decisions: Annotated[
        Literal["none"] | list[AutomatedDecision] | None, BeforeValidator(_automated)
    ] = Field(
        None,
        description="`none`, or each automated decision with its logic, significance and "
        "consequences (a v1 prose text is read as one decision's description).",
    )
    profiling: Text | None = Field(
        None,
        description="Profiling that is not an Art 22 decision (it has no legal or similar "
        "effect), described (format 2.1).",
    )
    research: Research | None = Field(None, description="Set for scientific research (format 2.1).")
    health: Health | None = Field(
        None, description="Set for patient records in health care (format 2.1)."
    )
    cctv: Cctv | None = Field(None, description="Set for camera surveillance (format 2.1).")
    marketing: Literal["none"] | DirectMarketing | None = Field(
        None,
        description="`none`, or the channels of direct marketing and their basis (format 2.1).",
    )
    cookies: list[Cookie] = Field(
        default_factory=list,
        description="Cookies and similar technologies of this register's own service (an app, "
        "a service site), shown in its notice (format 2.1).",
    )
    security: Security | None = Field(None, description="How the register is protected.")
    website: bool = Field(
        False, description="Include the site's cookie and analytics section in this notice."
    )
    restrictions: list[RightRestriction] = Field(
        default_factory=list,
        description="Rights that do not apply or are restricted in this register, and why.",
    )
    rights: dict[Right, Text] = Field(
        default_factory=dict, description="Overrides of the standard rights texts, by right."
    )
    identification: dict[Right, Identification] = Field(
        default_factory=dict,
        description="How the request portal identifies a person, by right: `email` (the "
        "default), `strong_before_accept` or `strong_before_release` (OpenID Connect).",
    )
    history: list[HistoryEntry] = Field(
        default_factory=list, description="Dated list of changes to the notice."
    )
    record: Record | None = Field(
        None,
        description="Art 30 items for the records of processing only (`notice records`); "
        "not shown in the notice or its JSON.",
    )
    version: Version = Field(
        None, description="Content format version; `notice migrate` writes `2.1`."
    )

    @field_validator("recipients")
    @classmethod
    def _purpose_ids(cls, recipients: list[Recipient], info: ValidationInfo) -> list[Recipient]:
        """Check that recipients name only purposes the register defines."""
        known = {p.id for p in info.data.get("purposes") or [] if p.id}
        # Purposes that failed their own checks are not here: their error is the one to read.
        checked = "purposes" in info.data
        for index, recipient in enumerate(recipients if checked else []):
            unknown = [purpose for purpose in recipient.purposes if purpose not in known]
            if unknown:
                names = ", ".join(sorted(known)) or "none; give purposes an `id`"
                raise ValueError(
                    f"recipients.{index} names unknown purpose id {unknown[0]!r} "
                    f"(purpose ids: {names})"
                )
        processors = {r.id for r in recipients if r.id and r.role == RecipientRole.processor}
        ids = [r.id for r in recipients if r.id]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"recipient id {twice[0]!r} is given twice")
        for index, recipient in enumerate(recipients):
            if recipient.processor is None:
                continue
            if recipient.role != RecipientRole.sub_processor:
                raise ValueError(
                    f"recipients.{index} names a `processor` but its role is not `sub_processor`"
                )
            if recipient.processor not in processors:
                names = ", ".join(sorted(processors)) or "none; give a processor an `id`"
                raise ValueError(
                    f"recipients.{index} names unknown processor id {recipient.processor!r} "
                    f"(ids of recipients with role `processor`: {names})"
                )
        return recipients

    @field_validator("data_categories")
    @classmethod
    def _category_ids(
        cls, categories: list[DataCategory], info: ValidationInfo
    ) -> list[DataCategory]:
        """Check that purposes name only data categories the register defines, once each."""
        ids = [category.id for category in categories if category.id]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"data category id {twice[0]!r} is given twice")
        for index, purpose in enumerate(info.data.get("purposes") or []):
            unknown = [i for i in purpose.data_categories if i not in ids]
            if unknown:
                names = ", ".join(sorted(ids)) or "none; give data categories an `id`"
                raise ValueError(
                    f"purposes.{index}.data_categories names unknown data category id "
                    f"{unknown[0]!r} (data category ids: {names})"
                )
        return categories

    @field_validator("automated_decisions")
    @classmethod
    def _decision_purposes(cls, decisions: Any, info: ValidationInfo) -> Any:
        """Check that automated decisions name only purposes the register defines."""
        known = {p.id for p in info.data.get("purposes") or [] if p.id}
        checked = "purposes" in info.data and isinstance(decisions, list)
        for index, decision in enumerate(decisions if checked else []):
            unknown = [purpose for purpose in decision.purposes if purpose not in known]
            if unknown:
                names = ", ".join(sorted(known)) or "none; give purposes an `id`"
                raise ValueError(
                    f"automated_decisions.{index} names unknown purpose id {unknown[0]!r} "
                    f"(purpose ids: {names})"
                )
        return decisions

    @property
    def bases(self) -> set[LegalBasis]:
        """Return every legal basis any purpose rests on."""
        return {basis for purpose in self.purposes for basis in purpose.bases}

    @property
    def third_country_transfers(self) -> list[ThirdCountryTransfer]:
        """Return every transfer outside the EEA: recipients abroad, then the listed transfers."""
        found = [
            ThirdCountryTransfer(
                recipient.name, recipient.country, recipient.transfer, ("recipients", index)
            )
            for index, recipient in enumerate(self.recipients)
            if countries.is_third_country(recipient.country)
        ]
        if isinstance(self.transfers, list):
            found += [
                ThirdCountryTransfer(
                    {lang: t.recipient for lang in self.name}, t.country, t, ("transfers", index)
                )
                for index, t in enumerate(self.transfers)
            ]
        return found

    def website_transfers(self, site: Site) -> list[ThirdCountryTransfer]:
        """Return the transfers of the website's analytics (site.yaml `analytics.transfers`) that
        a register with `website: true` states besides its own, Art 13(1)(f): each one but those
        the register gives itself (a recipient of the same name in the same country, or with
        its country unknown), so that a page names every transfer once."""
        if not self.website or site.analytics is None:
            return []
        own = [
            ({name.casefold() for name in transfer.recipient.values()}, transfer.country)
            for transfer in self.third_country_transfers
        ]
        own += [
            ({name.casefold() for name in recipient.name.values()}, recipient.country)
            for recipient in self.recipients
            if recipient.transfer is not None
        ]
        return [
            ThirdCountryTransfer(
                {lang: transfer.recipient for lang in self.name},
                transfer.country,
                transfer,
                ("analytics", "transfers", index),
            )
            for index, transfer in enumerate(site.analytics.transfers)
            if not any(
                transfer.recipient.casefold() in names and country in {transfer.country, None}
                for names, country in own
            )
        ]

    def applicable_rights(self) -> dict[Right, RightExtent | None]:
        """Return each right and its limit here (None: applies in full)."""
        bases = self.bases
        derived: dict[Right, RightExtent | None] = dict.fromkeys(Right)
        del derived[Right.other]
        # Art 21(1): objection concerns 6(1)(e)/(f); Art 21(2) direct marketing on any basis.
        objectable = {LegalBasis.public_task, LegalBasis.legitimate_interests}
        if bases and not bases & objectable and not self.direct_marketing:
            derived[Right.objection] = RightExtent.not_applicable
        # Art 20(1)(a): portability covers consent and contract only.
        if bases and not bases & {LegalBasis.consent, LegalBasis.contract}:
            derived[Right.portability] = RightExtent.not_applicable
        if bases and LegalBasis.consent not in bases:
            derived[Right.withdraw_consent] = RightExtent.not_applicable
        for restriction in self.restrictions:
            derived[restriction.right] = restriction.extent
        return derived

    def contact_for(self, site: Site) -> Contact:
        """Return who a person contacts about this register.

        A register with a controller of its own is that controller's: without a `contact` of
        its own the controller's details answer (as in the portal's letters), never the site
        owner's contact person.
        """
        if self.contact is not None:
            return self.contact
        if self.controller is not None:
            return self.controller
        return site.contact or site.controller

    def dpo_for(self, site: Site) -> Dpo | Literal["none"] | None:
        """Return the data protection officer the notice names for this register.

        The site's `dpo` is the site owner's answer: a register with a controller of its own
        (a municipality, a housing company) speaks for that controller, so only its own `dpo`
        counts and nothing is said on its behalf when it gives none.
        """
        if self.dpo is not None or self.controller is not None:
            return self.dpo
        return site.dpo

    @property
    def structured(self) -> bool:
        """Whether the file is format 2 or later, so its structure (not prose) is authoritative."""
        return self.version is not None and self.version >= 2

    @property
    def direct_marketing(self) -> bool:
        """Return whether any purpose is direct marketing, or the register lists its channels."""
        return isinstance(self.marketing, DirectMarketing) or any(
            purpose.direct_marketing for purpose in self.purposes
        )


@dataclass(frozen=True)
class ThirdCountryTransfer:
    """A transfer outside the EEA as derived from the register (not a content element)."""

    recipient: dict[str, str]
    """The recipient's name by language."""
    country: str | None
    safeguards: Safeguards | None
    key_path: tuple[str | int, ...]
    """Where the transfer is given: `("recipients", i)` or `("transfers", i)` of the register, or
    `("analytics", "transfers", i)` of site.yaml (`Register.website_transfers`)."""

    @property
    def of_website_analytics(self) -> bool:
        """Whether the transfer is the website analytics' (site.yaml), not the register's own."""
        return self.key_path[0] == "analytics"


def model_context(languages: list[str] | None, *, allow_html: bool = False) -> dict[str, Any]:
    """Build the validation context that ties localized texts to the site's languages."""
    return {"languages": list(languages or []), "allow_html": allow_html}
