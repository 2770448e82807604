"""Render notice pages from the model: one Jinja environment, one URL scheme, gettext per language.

Autoescape is on for every template (HTML and XML alike). Content text reaches a page only through
the `md`/`mdi` filters (`notice.markdown`, which escapes raw HTML) or as escaped plain text (`t`).
The fixed strings are gettext messages: headings and labels below, the rest in the templates.

The URL scheme lives here and nowhere else (`build.py` plans files from it), relative to the site:

    index.html                      language chooser
    <lang>/                         list of registers
    <lang>/<slug>/                  a register's notice (and `<slug>.pdf` beside it)
    <lang>/<slug>/history/          its version archive
    <lang>/cookies/                 the website's cookies and analytics
    <lang>/cookie-settings/         the cookie banner at work (settings); consent/ its files
                                    (neither where every cookie is necessary: `asks_consent`)
    registers.json, registers/<id>.json, registers/<id>.jsonld, consent.json, sitemap.xml, static/
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from babel.lists import format_list
from jinja2 import Environment, FileSystemLoader, StrictUndefined, nodes, pass_context
from jinja2.bccache import BytecodeCache
from jinja2.ext import InternationalizationExtension
from jinja2.runtime import Context
from markupsafe import Markup

from notice import countries, i18n, presence, theme
from notice.markdown import render_inline, render_markdown
from notice.model import (
    AnalyticsService,
    Art9Condition,
    Art22Ground,
    Art49Ground,
    CookieCategory,
    CookieParty,
    LegalBasis,
    MarketingBasis,
    MarketingChannel,
    ProvisionRequirement,
    Purpose,
    Recipient,
    RecipientRole,
    Register,
    Right,
    RightExtent,
    SccModule,
    Site,
    SpecialCategory,
    StorageType,
    ThirdCountryTransfer,
    TransferMechanism,
    address_line,
)
from notice.paths import NOT_FOUND_PATH, TEMPLATES_DIR
from notice.template_cache import template_code_cache

Variant = Literal["web", "pdf"]


def N_(message: str) -> str:
    """Mark `message` for extraction; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Section:
    """A section of a register's notice: anchor id and heading (a gettext msgid)."""

    id: str
    title: str


# In the order of the seed notice's headings (LEGAL.md §2): readers of the old one find their way.
SECTIONS: tuple[Section, ...] = (
    Section("prepared", N_("Date prepared")),
    Section("controller", N_("Controller")),
    Section("contact", N_("Contact person for register matters")),
    Section("register-name", N_("Name of the register")),
    Section("purposes", N_("Legal basis and purpose of processing")),
    Section("legitimate-interest", N_("Legitimate interest")),
    Section("data-subjects", N_("Categories of data subjects")),
    Section("recipients", N_("Recipients and categories of recipients")),
    Section("consent", N_("Consent")),
    Section("data-content", N_("Data content of the register")),
    Section("sources", N_("Regular sources of data")),
    Section("retention", N_("Retention period of personal data")),
    Section("disclosures", N_("Regular disclosures of data")),
    Section("transfers", N_("Transfers of data outside the EU or EEA")),
    Section("security", N_("Principles of protecting the register")),
    Section("research", N_("Scientific research")),
    # Named after Act 703/2023, which gives these rights to social-welfare clients and patients.
    Section("health", N_("Rights over social welfare and health care client data")),
    Section("cctv", N_("Camera surveillance")),
    Section("direct-marketing", N_("Direct marketing")),
    Section("service-cookies", N_("Cookies and similar technologies in our service")),
    Section("cookies", N_("Cookies")),
    Section("analytics", N_("Google Analytics")),
    Section("automated-decisions", N_("Automated decision-making and profiling")),
    Section("rights", N_("Your rights")),
)
WEBSITE_SECTIONS = frozenset({"cookies", "analytics"})


# --- what counts as given ------------------------------------------------------------------------
# The page decides here whether a register gives an element. `notice check` must decide the same
# way (a source the checker counts is a source the page shows): the lead unifies these with the
# checker's `notice/presence.py`.


OPTIONAL_SECTIONS: dict[str, Callable[[Register], bool]] = {
    "sources": presence.sources_present,
    "disclosures": presence.disclosures_present,
    "security": presence.security_present,
    "research": lambda register: register.research is not None,
    "health": lambda register: register.health is not None,
    "cctv": lambda register: register.cctv is not None,
    "direct-marketing": lambda register: register.marketing is not None,
    "service-cookies": lambda register: bool(register.cookies),
}
"""Sections shown only when the register gives their content, and what decides that.

Every other section is required and shows "Not specified." when its element is missing (the
checks report it). "Regular sources of data" is required by Art 14(1)-(2)(f) when any category is
not collected from the person; such a category names its source (`data_categories[].sources`),
so the section is there whenever a source is given, in prose or per category, and shows every
named source with whether it is publicly accessible. A register that gives no source at all says
nothing to show; `notice check` (E16-sources) asks for one. Regular disclosures and the
protection principles are Finnish practice, no GDPR article requires them in a notice.
"""

NOT_SHOWN: dict[str, str] = {
    "id": "the register's identifier names its files and JSON, it is not notice text",
    "slug": "the page's address in each language, not its text",
    "version": "the content format version",
    "record": "Art 30 records of processing only (`notice records`), never published",
    "purposes.*.id": "a reference that recipients use; the page numbers the purposes instead",
    "recipients.*.purposes": "purpose ids, shown as the numbers of the purposes they name",
    "recipients.*.id": "a reference that sub-processors use; the page names the recipient",
    "recipients.*.processor": "a recipient id, shown as that processor's name",
    "data_categories.*.id": "a reference that purposes use; the page names the category",
    "data_categories.*.record": "Art 30 records of processing only (`notice records`), never "
    "published",
    "purposes.*.data_categories": "data category ids, shown as the categories' names",
    "automated_decisions.*.purposes": "purpose ids, shown as the numbers of the purposes",
}
"""Register fields the notice page deliberately does not show as written, and why.

Keys are field paths, `*` for any list position; a path covers everything below it. Every other
text of a register (localized or plain) appears on its page in every language and in its PDF,
and the history on the version archive (tests/notice/test_coverage.py reads this table).
"""


@dataclass(frozen=True)
class RightSection:
    """A data-subject right: heading, and the portal link's text when the portal takes requests."""

    right: Right
    title: str
    action: str | None = None


RIGHTS: tuple[RightSection, ...] = (
    RightSection(Right.access, N_("Right of access"), N_("Ask for a copy of your data")),
    RightSection(
        Right.portability,
        N_("Right to data portability"),
        N_("Ask for your data in a machine-readable format"),
    ),
    RightSection(
        Right.rectification, N_("Right to rectification"), N_("Ask us to correct your data")
    ),
    RightSection(Right.erasure, N_("Right to erasure"), N_("Ask us to erase your data")),
    RightSection(
        Right.restriction,
        N_("Right to restriction of processing"),
        N_("Ask us to restrict the processing"),
    ),
    RightSection(Right.objection, N_("Right to object"), N_("Object to the processing")),
    RightSection(Right.withdraw_consent, N_("Right to withdraw consent")),
    RightSection(Right.complaint, N_("Right to lodge a complaint with a supervisory authority")),
    RightSection(Right.other, N_("Other rights")),
)

LEGAL_BASES: dict[LegalBasis, str] = {
    LegalBasis.consent: N_("Consent (Article 6(1)(a))"),
    LegalBasis.contract: N_("Contract (Article 6(1)(b))"),
    LegalBasis.legal_obligation: N_("Legal obligation (Article 6(1)(c))"),
    LegalBasis.vital_interests: N_("Vital interests (Article 6(1)(d))"),
    LegalBasis.public_task: N_("Task in the public interest (Article 6(1)(e))"),
    LegalBasis.legitimate_interests: N_("Legitimate interests (Article 6(1)(f))"),
}

RECIPIENT_ROLES: dict[RecipientRole, str] = {
    RecipientRole.processor: N_("Processor acting on our behalf"),
    RecipientRole.sub_processor: N_("Sub-processor acting on our processor's behalf"),
    RecipientRole.controller: N_("Independent controller"),
    RecipientRole.public_authority: N_("Authority"),
    RecipientRole.internal: N_("Within our organisation"),
}

TRANSFER_MECHANISMS: dict[TransferMechanism, str] = {
    TransferMechanism.adequacy: N_("Adequacy decision of the European Commission (Article 45)"),
    TransferMechanism.sccs: N_("Standard contractual clauses (Article 46(2)(c))"),
    TransferMechanism.bcr: N_("Binding corporate rules (Article 47)"),
    TransferMechanism.derogation: N_("Derogation for a specific situation (Article 49)"),
    TransferMechanism.code_of_conduct: N_("Approved code of conduct (Article 46(2)(e))"),
    TransferMechanism.certification: N_("Approved certification mechanism (Article 46(2)(f))"),
}

ART49_GROUNDS: dict[Art49Ground, str] = {
    Art49Ground.explicit_consent: N_("your explicit consent (Article 49(1)(a))"),
    Art49Ground.contract: N_("performing a contract with you (Article 49(1)(b))"),
    Art49Ground.contract_in_interest: N_("a contract made in your interest (Article 49(1)(c))"),
    Art49Ground.public_interest: N_("important reasons of public interest (Article 49(1)(d))"),
    Art49Ground.legal_claims: N_(
        "establishing, exercising or defending legal claims (Article 49(1)(e))"
    ),
    Art49Ground.vital_interests: N_("protecting vital interests (Article 49(1)(f))"),
    Art49Ground.public_register: N_("a public register (Article 49(1)(g))"),
    Art49Ground.compelling_legitimate_interests: N_(
        "compelling legitimate interests (Article 49(1), second subparagraph)"
    ),
}

SPECIAL_CATEGORIES: dict[SpecialCategory, str] = {
    SpecialCategory.racial_or_ethnic_origin: N_("racial or ethnic origin"),
    SpecialCategory.political_opinions: N_("political opinions"),
    SpecialCategory.religious_or_philosophical_beliefs: N_("religious or philosophical beliefs"),
    SpecialCategory.trade_union_membership: N_("trade union membership"),
    SpecialCategory.genetic: N_("genetic data"),
    SpecialCategory.biometric: N_("biometric data identifying a person"),
    SpecialCategory.health: N_("health data"),
    SpecialCategory.sex_life: N_("data on sex life"),
    SpecialCategory.sexual_orientation: N_("sexual orientation"),
}

ART9_CONDITIONS: dict[Art9Condition, str] = {
    Art9Condition.explicit_consent: N_("your explicit consent (Article 9(2)(a))"),
    Art9Condition.employment_and_social_security: N_(
        "obligations in employment and social security law (Article 9(2)(b))"
    ),
    Art9Condition.vital_interests: N_("protecting vital interests (Article 9(2)(c))"),
    Art9Condition.not_for_profit_body: N_("activities of a not-for-profit body (Article 9(2)(d))"),
    Art9Condition.made_public: N_("data you have made public (Article 9(2)(e))"),
    Art9Condition.legal_claims: N_("legal claims (Article 9(2)(f))"),
    Art9Condition.substantial_public_interest: N_(
        "substantial public interest laid down by law (Article 9(2)(g))"
    ),
    Art9Condition.health_or_social_care: N_("health or social care (Article 9(2)(h))"),
    Art9Condition.public_health: N_("public health (Article 9(2)(i))"),
    Art9Condition.archiving_research_statistics: N_(
        "archiving, research or statistics (Article 9(2)(j))"
    ),
}

ART22_GROUNDS: dict[Art22Ground, str] = {
    Art22Ground.contract: N_("necessary for a contract with you (Article 22(2)(a))"),
    Art22Ground.law: N_("authorised by law (Article 22(2)(b))"),
    Art22Ground.explicit_consent: N_("your explicit consent (Article 22(2)(c))"),
}

PROVISION_REQUIREMENTS: dict[ProvisionRequirement, str] = {
    ProvisionRequirement.statutory: N_("Required by law"),
    ProvisionRequirement.contractual: N_("Required by contract"),
    ProvisionRequirement.contract_prerequisite: N_("Needed to make a contract with you"),
    ProvisionRequirement.voluntary: N_("Voluntary"),
}

STORAGE_TYPES: dict[StorageType, str] = {
    StorageType.cookie: N_("cookie"),
    StorageType.local_storage: N_("browser's local storage"),
    StorageType.session_storage: N_("browser's session storage"),
    StorageType.sdk_identifier: N_("identifier of an app's software component (SDK)"),
}

SCC_MODULES: dict[SccModule, str] = {
    SccModule.controller_to_controller: N_("module 1, controller to controller"),
    SccModule.controller_to_processor: N_("module 2, controller to processor"),
    SccModule.processor_to_processor: N_("module 3, processor to processor"),
    SccModule.processor_to_controller: N_("module 4, processor to controller"),
}

MARKETING_CHANNELS: dict[MarketingChannel, str] = {
    MarketingChannel.email: N_("E-mail"),
    MarketingChannel.sms: N_("Text message"),
    MarketingChannel.phone: N_("Telephone"),
    MarketingChannel.post: N_("Post"),
    MarketingChannel.push: N_("Push notification"),
    MarketingChannel.social_media: N_("Social media"),
}

MARKETING_BASES: dict[MarketingBasis, str] = {
    MarketingBasis.consent: N_(
        "your prior consent (Information Society Code 917/2014, section 200(1))"
    ),
    MarketingBasis.customer_relationship: N_(
        "our similar products to you as our customer, unless you refuse "
        "(Information Society Code 917/2014, section 200(2))"
    ),
    MarketingBasis.legal_person: N_(
        "marketing to an organisation's address, unless it refuses "
        "(Information Society Code 917/2014, section 201)"
    ),
    MarketingBasis.opt_out: N_("allowed until you refuse (Article 21(2) of the GDPR)"),
}

COOKIE_PARTIES: dict[CookieParty, str] = {
    CookieParty.first: N_("First party"),
    CookieParty.third: N_("Third party"),
}

COOKIE_CATEGORIES: dict[CookieCategory, str] = {
    CookieCategory.necessary: N_("Necessary"),
    CookieCategory.preferences: N_("Preferences"),
    CookieCategory.analytics: N_("Analytics"),
    CookieCategory.marketing: N_("Marketing"),
}


# --- the URL scheme ------------------------------------------------------------------------------


def index_path(lang: str) -> str:
    """Return the URL path of a language's list of registers."""
    return f"{lang}/"


def register_path(register: Register, lang: str) -> str:
    """Return the URL path of a register's notice in `lang`."""
    return f"{lang}/{register.slug[lang]}/"  # type: ignore[index]


def history_path(register: Register, lang: str) -> str:
    """Return the URL path of a register's version archive in `lang`."""
    return f"{register_path(register, lang)}history/"


def pdf_path(register: Register, lang: str) -> str:
    """Return the URL path of a register's PDF in `lang`."""
    slug = register.slug[lang]  # type: ignore[index]
    return f"{register_path(register, lang)}{slug}.pdf"


def cookies_path(lang: str) -> str:
    """Return the URL path of the cookie page in `lang`."""
    return f"{lang}/cookies/"


def cookie_settings_path(lang: str) -> str:
    """Return the URL path of the cookie settings page (the banner at work) in `lang`."""
    return f"{lang}/cookie-settings/"


def asks_consent(site: Site) -> bool:
    """Whether anything on the site waits for consent: a cookie that is not strictly necessary,
    or analytics. A site of necessary cookies only needs no banner (ePrivacy Art 5(3)), so it gets
    no banner files, no cookie settings page and no link to one: this one answer decides all."""
    return site.analytics is not None or any(
        cookie.category != CookieCategory.necessary for cookie in site.cookies
    )


def uses_google_analytics(site: Site) -> bool:
    """Whether the site declares Google Analytics (then Consent Mode and the Google tag apply)."""
    return site.analytics is not None and site.analytics.service in {
        AnalyticsService.google_analytics_4,
        AnalyticsService.universal_analytics,
    }


def page_banner(site: Site) -> dict[str, Any] | None:
    """Return what a web page of the notice site needs to run the cookie banner, or None for a
    site that asks no consent (`asks_consent`): the notice pages are pages of the website, and
    the notice tells the visitor that a banner asks on their first visit, so they load it as the
    snippet the owner pastes elsewhere does (no Google tag: these pages measure nothing).
    `google`: Consent Mode's defaults are set first; `connect`: the origin the banner posts
    consent records to (the portal's, `banner.record_endpoint`), which the page's
    Content-Security-Policy allows and nothing else."""
    if not asks_consent(site):
        return None
    portal = urlsplit(site.portal_url) if site.portal_url else None
    return {
        "google": uses_google_analytics(site),
        "connect": f"{portal.scheme}://{portal.netloc}" if portal else None,
    }


def json_path(register: Register) -> str:
    """Return the URL path of a register's JSON export."""
    return f"registers/{register.id}.json"


def jsonld_path(register: Register) -> str:
    """Return the URL path of a register's JSON-LD (W3C DPV) export."""
    return f"registers/{register.id}.jsonld"


def not_found_path(lang: str | None = None) -> str:
    """Return the URL path of the not-found page: the site's (default language) or `lang`'s."""
    return NOT_FOUND_PATH if lang is None else f"{lang}/{NOT_FOUND_PATH}"


def site_root_path(base_url: str) -> str:
    """Return the path of the site's root on its host, `/tietosuoja/` for https://x.fi/tietosuoja/.

    The not-found page is served at any address, so its links start from here (root-relative):
    a relative link would resolve against the unknown address, and the pages' CSP (`base-uri
    'none'`) rules out a `<base>`.
    """
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def file_of(url_path: str) -> str:
    """Return the output file that serves `url_path` (directories get `index.html`)."""
    return f"{url_path}index.html" if url_path == "" or url_path.endswith("/") else url_path


def absolute(base_url: str, url_path: str) -> str:
    """Join the site's public base URL and a URL path."""
    return base_url.rstrip("/") + "/" + url_path


def portal_links(site: Site, register: Register, lang: str) -> dict[str, str]:
    """Return the portal's request URL per right and `""` for its general page (none if no portal).

    The portal answers `{portal_url}{lang}/new/{right}?register={id}` and `{portal_url}{lang}/`.
    """
    if not site.portal_url:
        return {}
    base = site.portal_url.rstrip("/") + "/"
    links = {"": f"{base}{lang}/?register={register.id}"}
    for item in RIGHTS:
        if item.action:
            links[item.right.value] = f"{base}{lang}/new/{item.right.value}?register={register.id}"
    return links


# --- what a register's page shows ---------------------------------------------------------------


def consent_applies(site: Site, register: Register) -> bool:
    """Whether anything in the register rests on consent (then withdrawal must be explained)."""
    if LegalBasis.consent in register.bases:
        return True
    if register.consent is not None or Right.withdraw_consent in register.rights:
        return True
    return register.website and any(c.category != CookieCategory.necessary for c in site.cookies)


def sections(site: Site, register: Register) -> list[Section]:
    """Return the sections a register's page shows, in order."""
    shown = []
    for section in SECTIONS:
        if section.id in WEBSITE_SECTIONS and not register.website:
            continue
        present = OPTIONAL_SECTIONS.get(section.id)
        if present is not None and not present(register):
            continue
        if section.id == "analytics":
            if site.analytics is None:
                continue
            section = Section(section.id, analytics_title(site))
        shown.append(section)
    return shown


def rights(site: Site, register: Register) -> list[RightSection]:
    """Return the rights a register's page explains, in order: those that apply there.

    A right the register's legal bases exclude (no objection to legal-obligation processing,
    no portability outside consent and contract) is left out, unless the register writes its
    own text for it; a restricted right stays, with its restriction beside it.
    """
    applicable = register.applicable_rights()
    restricted = {r.right for r in register.restrictions}
    shown = []
    for item in RIGHTS:
        withdrawal = item.right == Right.withdraw_consent
        if withdrawal and item.right not in restricted and not consent_applies(site, register):
            continue
        excluded = applicable.get(item.right) is RightExtent.not_applicable
        if excluded and item.right not in register.rights:
            continue
        shown.append(item)
    return shown


_WORD = re.compile(r"\w+")


_FORMS = frozenset(
    [
        ("", "s"),
        ("", "es"),
        ("y", "ies"),
        ("", "t"),
        ("nen", "set"),
        ("", "er"),
        ("", "en"),
        ("", "erna"),
    ]
)
"""Endings that make one word of two (en `authority`, `authorities`; fi `viranomainen`,
`viranomaiset`, `käsittelijä`, `käsittelijät`; sv `myndighet`, `myndigheter`, `myndigheten`)."""


def _same_word(a: str, b: str) -> bool:
    """Whether two words are one word, singular and plural (`_FORMS`)."""
    a, b = sorted((a, b), key=len)
    stem = len(os.path.commonprefix([a, b]))
    return stem >= 3 and (a[stem:], b[stem:]) in _FORMS | {("", "")}


def role_repeats_name(name: str, role: str) -> bool:
    """Return whether a recipient's role (its translated label, `Myndighet`) only repeats what
    its name already says (`Myndigheter, såsom Skatteförvaltningen`): every word of the role is
    a word of the name's first ones, in some form. A line then gives the name without the role
    ("Myndigheter, såsom Skatteförvaltningen (Finland)", not "… — Myndighet")."""
    role_words = _WORD.findall(role.casefold())
    name_words = _WORD.findall(name.casefold())[: len(role_words) + 1]
    return bool(role_words) and all(
        any(_same_word(word, said) for said in name_words) for word in role_words
    )


def recipient_groups(register: Register) -> list[tuple[RecipientRole | None, list[Recipient]]]:
    """Return the register's recipients grouped by role, in the order roles are explained."""
    order = [*RECIPIENT_ROLES, None]
    groups: dict[RecipientRole | None, list[Recipient]] = {}
    for recipient in register.recipients:
        groups.setdefault(recipient.role, []).append(recipient)
    return [(role, groups[role]) for role in order if role in groups]


def transfers_shown(site: Site, register: Register) -> list[ThirdCountryTransfer]:
    """Return the transfers the page lists: every one outside the EEA, then any other recipient
    the register gives a transfer ground for (its country unknown, or in the EEA), then those of
    the website's analytics that the register does not give itself (`website: true`)."""
    found = register.third_country_transfers
    listed = {transfer.key_path for transfer in found}
    for index, recipient in enumerate(register.recipients):
        if recipient.transfer is not None and ("recipients", index) not in listed:
            key_path = ("recipients", index)
            found.append(
                ThirdCountryTransfer(
                    recipient.name, recipient.country, recipient.transfer, key_path
                )
            )
    return found + register.website_transfers(site)


def recipients_in_eea(register: Register) -> bool:
    """Return whether the register answers the transfers question only by placing every external
    recipient in the EEA (no `transfers`, no transfer listed): what the checker accepts as an
    answer (`presence.transfers_stated`), which the page then says in words."""
    if register.transfers is not None or register.third_country_transfers:
        return False
    return presence.transfers_stated(register)


def legitimate_purposes(register: Register) -> list[Purpose]:
    """Return the purposes whose legitimate interest the page explains: those resting on it,
    and any other that describes one."""
    return [
        purpose
        for purpose in register.purposes
        if LegalBasis.legitimate_interests in purpose.bases
        or presence.filled(purpose.legitimate_interest)
    ]


def objection_callout(register: Register) -> bool:
    """Whether the first layer may promise that direct marketing can be refused at any time."""
    objectable = register.applicable_rights().get(Right.objection) is not RightExtent.not_applicable
    return register.direct_marketing and objectable


def analytics_title(site: Site) -> str:
    """Return the heading (msgid) of the analytics section: the product's name when it is known."""
    service = site.analytics.service if site.analytics else None
    if service in {AnalyticsService.google_analytics_4, AnalyticsService.universal_analytics}:
        return N_("Google Analytics")
    return N_("Web analytics")


def ga_cookie_name(measurement_id: str) -> str:
    """Return the GA4 session cookie named after a measurement id (`G-ABC123` → `_ga_ABC123`)."""
    return "_ga_" + measurement_id.removeprefix("G-")


_GA_PLACEHOLDER = re.compile(r"_ga_<[^<>]*>")


def cookie_name(name: str, analytics: Any) -> str:
    """Return a cookie's real name: `_ga_<container-id>` named after the GA4 measurement id."""
    measurement_id = getattr(analytics, "measurement_id", None)
    if measurement_id and _GA_PLACEHOLDER.fullmatch(name):
        return ga_cookie_name(measurement_id)
    return name


_NAME_PLACEHOLDER = re.compile(r"<[^<>]*>")
GA_ID_NOTE = N_("… is the site's Google Analytics ID")
VARYING_NOTE = N_("… is a part of the name that varies")


def shown_cookie_name(name: str, analytics: Any) -> tuple[str, str | None]:
    """Return a cookie's name as a visitor reads it, and the msgid of the note that explains it.

    A name still written with a placeholder (`_ga_<container-id>`, no measurement id to make it
    real) shows `…` where the placeholder is: a visitor does not read `<container-id>` as a part
    that varies, and the note says what stands there.
    """
    real = cookie_name(name, analytics)
    if not _NAME_PLACEHOLDER.search(real):
        return real, None
    note = GA_ID_NOTE if real.startswith("_ga_") else VARYING_NOTE
    return _NAME_PLACEHOLDER.sub("…", real), note


def cookie_label(name: str, analytics: Any, gettext: Callable[[str], str]) -> Markup:
    """Return a cookie's name as code, with the note on a part that varies (`shown_cookie_name`)."""
    shown, note = shown_cookie_name(name, analytics)
    code = Markup("<code>{}</code>").format(shown)
    if note is None:
        return code
    return code + Markup(' <span class="name-note">({})</span>').format(gettext(note))


@pass_context
def _cookie_label(context: Context, name: str, analytics: Any) -> Markup:
    return cookie_label(name, analytics, context.environment.notice_gettext)  # type: ignore[attr-defined]


@pass_context
def _cookie_list(context: Context, names: list[str]) -> Markup:
    """Return cookie names as code in a list of the page's language, then one note on `…`."""
    shown = [shown_cookie_name(name, None) for name in names]
    listed = _code_list(context, [name for name, _ in shown])
    notes = list(dict.fromkeys(note for _, note in shown if note))
    if not notes:
        return listed
    gettext = context.environment.notice_gettext  # type: ignore[attr-defined]
    return listed + Markup(' <span class="name-note">({})</span>').format(
        "; ".join(gettext(note) for note in notes)
    )


GA4_COOKIES = ("_ga", "_ga_<container-id>")
"""The cookies Google Analytics 4 sets, as a cookie list names them."""


def analytics_cookie_names(site: Site) -> list[str]:
    """Return the Google Analytics cookies as the site's cookie table names them, so the analytics
    section and the table agree; GA4's own two when the list declares none (the checker warns)."""
    declared = [cookie.name for cookie in site.cookies if cookie.name.startswith("_ga")]
    return [cookie_name(name, site.analytics) for name in declared or GA4_COOKIES]


# --- the environment -----------------------------------------------------------------------------


def _lang(context: Context) -> str:
    return str(context["lang"])


def _localize(context: Context, text: Mapping[str, str] | str) -> str:
    return text if isinstance(text, str) else text[_lang(context)]


@pass_context
def _t(context: Context, text: Mapping[str, str] | str) -> str:
    return _localize(context, text)


@pass_context
def _md(context: Context, text: Mapping[str, str] | str) -> Markup:
    return render_markdown(_localize(context, text), _lang(context))


@pass_context
def _mdi(context: Context, text: Mapping[str, str] | str) -> Markup:
    return render_inline(_localize(context, text), _lang(context))


@pass_context
def _code_list(context: Context, names: list[str]) -> Markup:
    """Return names as code in a list of the page's language: `a`, `b` and `c`."""
    items = [Markup("<code>%s</code>") % name for name in names]
    return Markup(format_list(items, locale=i18n.LOCALES[_lang(context)]))


@pass_context
def _country(context: Context, code: str) -> str:
    return countries.name(code, _lang(context))


@pass_context
def _date(context: Context, value: dt.date) -> str:
    return i18n.format_date(value, _lang(context))


@pass_context
def _url(context: Context, target: str) -> str:
    """Link to another page: relative on the web (any host or folder), absolute in PDFs."""
    if context["variant"] == "pdf":
        return absolute(context["site"].base_url, target)
    root = context.get("root_path")
    if root is not None:  # a page served at any address (the not-found page)
        return root + target
    return _relative_url(target, context["page_path"])


@lru_cache(maxsize=65536)
def _relative_url(target: str, page_path: str) -> str:
    """Return the link from the page at `page_path` to `target`, both relative to the site."""
    here = posixpath.dirname(file_of(page_path))
    relative = _relpath(target or ".", here or ".")
    if target.endswith("/") and relative != ".":
        relative += "/"
    return "./" if relative == "." else relative


def _relpath(path: str, start: str) -> str:
    """Return `posixpath.relpath(path, start)` for two site-relative paths, without its `getcwd`."""
    if ".." in path or ".." in start or path.startswith("/") or start.startswith("/"):
        return posixpath.relpath(path, start)
    path_parts = [part for part in posixpath.normpath(path).split("/") if part not in ("", ".")]
    start_parts = [part for part in posixpath.normpath(start).split("/") if part not in ("", ".")]
    common = 0
    for mine, theirs in zip(path_parts, start_parts, strict=False):
        if mine != theirs:
            break
        common += 1
    parts = [".."] * (len(start_parts) - common) + path_parts[common:]
    return "/".join(parts) if parts else "."


@pass_context
def _static(context: Context, target: str) -> str:
    """Link to a file under static/: PDFs resolve it in the repository, pages in the site."""
    if context["variant"] == "pdf":
        return f"static/{target}"
    return _url(context, f"static/{target}")


_KEY_VALUES = (str, int, float, bool, type(None), Section, RightSection)


def _fragment_key(value: Any, keep: list[Any]) -> Any:
    """Return what stands for `value` in a fragment's key: itself when it is a plain value (a
    string, a number, an enum member, a section), a tuple for a list, else the object's identity.

    An object stands by identity (one site's controller, its supervisory authority): it is kept
    in `keep` for as long as the cache lives, so no other object can take its id meanwhile.
    """
    if isinstance(value, _KEY_VALUES):
        return value
    if isinstance(value, list | tuple):
        return tuple(_fragment_key(item, keep) for item in value)
    keep.append(value)
    return (type(value), id(value))


@pass_context
def _once(context: Context, name: str, *inputs: Any, caller: Callable[[], str]) -> Markup:
    """Render a `{% call once(name, inputs...) %}` block once per language, variant and inputs.

    The inputs must be everything the block shows besides the site (a renderer's cache is for one
    site): pages that repeat a block (the rights texts, the controller, the contents) splice in
    the first page's output. Without a renderer's cache (`fragments`) the block is rendered.
    """
    fragments = context.get("fragments")
    if fragments is None:
        return Markup(caller())
    keep = fragments.setdefault(None, [])
    key = (name, context["lang"], context["variant"], *(_fragment_key(i, keep) for i in inputs))
    done = fragments.get(key)
    if done is None:
        done = fragments[key] = Markup(caller())
    return done


@pass_context
def _section_html(context: Context, section_id: str) -> Markup:
    """Render `notice/sections/_<id>.html` in the page's own context, as `{% include %}` would.

    An include copies the whole context (globals and page variables, twice) for each of a page's
    two dozen sections. Here the section reads the page's context itself; whatever it sets at
    its top level (a `{% set %}`, an import) is undone afterwards, so that, as with an include,
    no section sees another's names.
    """
    template = context.environment.get_template(f"notice/sections/_{section_id}.html")
    names, exported = dict(context.vars), set(context.exported_vars)
    try:
        return Markup("".join(template.root_render_func(context)))
    finally:
        context.vars.clear()
        context.vars.update(names)
        context.exported_vars.clear()
        context.exported_vars.update(exported)


_DOMESTIC_FI = re.compile(r"(\(0[1-9]\d*\)|0[1-9]\d*)((?:[ -]?\d+)*)")
"""A Finnish number dialled at home: one leading 0 (not the 00 of an international call), then
digits in groups; an area code may stand in parentheses (`(09) 123 4567`)."""

INTERNATIONAL_LANGUAGES = frozenset({"en"})
"""Languages whose readers get a Finnish number in international form: an English reader may call
from abroad. Finnish and Swedish notices keep the number as written, as Finnish authorities do."""


def international_phone(phone: str) -> str | None:
    """Return a domestic Finnish number in international form (`050 304 4671` -> `+358 50 304
    4671`), or None for anything else: a number already international, or one not parsed."""
    written = phone.strip()
    match = _DOMESTIC_FI.fullmatch(written)
    if match is None:
        return None
    digits = "".join(ch for ch in written if ch.isdigit())
    if not 6 <= len(digits) <= 12:
        return None
    area = match.group(1).strip("()")[1:]
    return f"+358 {area}{match.group(2)}"


@pass_context
def _phone(context: Context, phone: str) -> str:
    """Return a telephone number as the page's reader dials it (`INTERNATIONAL_LANGUAGES`)."""
    if _lang(context) in INTERNATIONAL_LANGUAGES:
        return international_phone(phone) or phone
    return phone


_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.DOTALL)
_HREF = re.compile(r'\bhref="([^"]*)"')
_TAG = re.compile(r"<[^>]*>")


def _plain(markup: str) -> str:
    """Return the text of an HTML fragment, for comparing addresses: case and spaces folded."""
    return " ".join(unescape(_TAG.sub("", markup)).split()).casefold()


def _bare(address: str) -> str:
    """Return an address without what a reader does not read as part of it (scheme, `www.`,
    a closing slash), to see whether the link text already shows it."""
    bare = re.sub(r"^[a-z]+://", "", address.casefold()).removeprefix("www.")
    return bare.rstrip("/")


def _printed_target(href: str) -> str | None:
    """Return what paper shows of a link's target, or None for a link that stays on the page."""
    if not href or href.startswith("#"):
        return None
    scheme, _, rest = href.partition(":")
    if scheme in {"mailto", "tel"}:
        return rest.split("?")[0] or None
    return href


def print_link_targets(page: str) -> str:
    """Return a page for paper: each link that leaves the page is followed by its address.

    On paper "Make a request in our request service." has no target; the printed notice reads
    "… request service (https://…)." An in-page anchor (`#purpose-1`) stays as it is, and so does
    a phone number. A link whose text already shows its address (an e-mail address, a written-out
    URL) gets no second one; its text is marked `link-address` instead, which print.css, like
    the `link-target` added to other links, never hyphenates.
    """

    def with_target(match: re.Match[str]) -> str:
        found = _HREF.search(match.group(1))
        target = _printed_target(unescape(found.group(1))) if found else None
        if target is None:
            return match.group(0)
        text = _plain(match.group(2))
        start, inner = match.group(0)[: match.start(2) - match.start(0)], match.group(2)
        shown = _bare(target) in _bare(text)
        if found is not None and found.group(1).startswith("tel:"):
            if shown or sum(ch.isdigit() for ch in text) >= 6:
                return match.group(0)
        elif shown:
            return f'{start}<span class="link-address">{inner}</span></a>'
        # The space is the span's own: WeasyPrint, splitting a box that does not fit what is
        # left of a line, breaks it anywhere (print.css lets an address) before it goes back to
        # a space outside it, and a list item's paragraph printed "(htt" and "ps://…)".
        printed = str(Markup('<span class="link-target"> ({})</span>').format(target))
        if inner.endswith((".", "!", "?")):  # "… our request service (https://…)."
            return f"{start}{inner[:-1]}{printed}{inner[-1]}</a>"
        return match.group(0) + printed

    return _LINK.sub(with_target, page)


def _tel(phone: str) -> str:
    """Return the `tel:` link of a number, international when it is a domestic Finnish one."""
    dialled = international_phone(phone) or phone
    return "tel:" + "".join(ch for ch in dialled if ch.isdigit() or ch == "+")


class _I18n(InternationalizationExtension):
    """Jinja's `i18n` extension, translating a message without variables when it compiles.

    An environment of `environments()` is one language's, with `notice_gettext` set before any
    template compiles: there a plain `{% trans %}` block becomes its translated text in the
    compiled template (what new-style gettext would give at every render: the translation with
    `%%` read as `%`, trusted as markup), instead of a gettext call, a Markup and an escape on
    every page. Messages with variables, plurals or a context are translated as they render.
    """

    def _make_node(
        self,
        singular: str,
        plural: str | None,
        context: str | None,
        variables: dict[str, nodes.Expr],
        plural_expr: nodes.Expr | None,
        vars_referenced: bool,
        num_called_num: bool,
    ) -> nodes.Output:
        translate = getattr(self.environment, "notice_gettext", None)
        newstyle = getattr(self.environment, "newstyle_gettext", False)
        if translate is not None and newstyle and not variables and plural_expr is None:
            if plural is None and context is None:
                return nodes.Output([nodes.TemplateData(translate(singular) % {})])
        return super()._make_node(
            singular, plural, context, variables, plural_expr, vars_referenced, num_called_num
        )


def make_environment(
    *, auto_reload: bool = True, bytecode_cache: BytecodeCache | None = None
) -> Environment:
    """Create the notice's one Jinja environment (autoescape and StrictUndefined everywhere)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        bytecode_cache=bytecode_cache,
        auto_reload=auto_reload,
        # Without reloading, every template is kept in a plain dict: a page looks up a dozen
        # (includes, imports), and the default LRU cache locks and reorders on every look-up.
        cache_size=400 if auto_reload else -1,
        autoescape=True,
        undefined=StrictUndefined,
        extensions=[_I18n],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.filters.update(
        t=_t,
        md=_md,
        mdi=_mdi,
        date=_date,
        tel=_tel,
        phone=_phone,
        country=_country,
        code_list=_code_list,
        cookie_list=_cookie_list,
    )
    env.globals.update(
        url=_url,
        static=_static,
        once=_once,
        section_html=_section_html,
        index_path=index_path,
        register_path=register_path,
        history_path=history_path,
        pdf_path=pdf_path,
        cookies_path=cookies_path,
        cookie_settings_path=cookie_settings_path,
        asks_consent=asks_consent,
        page_banner=page_banner,
        json_path=json_path,
        jsonld_path=jsonld_path,
        absolute=absolute,
        language_name=i18n.language_name,
        LEGAL_BASES=LEGAL_BASES,
        RECIPIENT_ROLES=RECIPIENT_ROLES,
        TRANSFER_MECHANISMS=TRANSFER_MECHANISMS,
        ART49_GROUNDS=ART49_GROUNDS,
        SPECIAL_CATEGORIES=SPECIAL_CATEGORIES,
        ART9_CONDITIONS=ART9_CONDITIONS,
        ART22_GROUNDS=ART22_GROUNDS,
        PROVISION_REQUIREMENTS=PROVISION_REQUIREMENTS,
        RightExtent=RightExtent,
        COOKIE_PARTIES=COOKIE_PARTIES,
        COOKIE_CATEGORIES=COOKIE_CATEGORIES,
        STORAGE_TYPES=STORAGE_TYPES,
        SCC_MODULES=SCC_MODULES,
        MARKETING_CHANNELS=MARKETING_CHANNELS,
        MARKETING_BASES=MARKETING_BASES,
        cookie_name=cookie_name,
        cookie_label=_cookie_label,
        analytics_cookie_names=analytics_cookie_names,
        address_line=address_line,
        analytics_title=analytics_title,
        LegalBasis=LegalBasis,
        Right=Right,
    )
    return env


_ENVIRONMENTS: dict[str, tuple[tuple[tuple[str, int, int], ...], Environment]] = {}


def _templates_signature() -> tuple[tuple[str, int, int], ...]:
    """Name, modification time and size of every template: what a compiled copy must match."""
    signature = []
    for path in sorted(TEMPLATES_DIR.glob("notice/**/*")):
        if path.is_file():
            stat = path.stat()
            signature.append((path.as_posix(), stat.st_mtime_ns, stat.st_size))
    return tuple(signature)


def _remembering_gettext(translate: Callable[[str], str]) -> Callable[..., str]:
    """Return Jinja's new-style `gettext` for `translate`, remembering each message's result.

    Does what `jinja2.ext._make_new_gettext` does (translate, mark safe under autoescape, format
    with the variables, always, so that `%%` reads as `%`), but translates and marks each message
    once per environment: a register page asks for several hundred messages, most of them the
    same on every page. `_()` is the same function, without the alias's second context call.
    """
    templates: dict[tuple[str, bool], str] = {}
    plain: dict[tuple[str, bool], str] = {}

    @pass_context
    def gettext(__context: Context, __string: str, **variables: Any) -> str:
        key = (__string, bool(__context.eval_ctx.autoescape))
        if not variables:
            done = plain.get(key)
            if done is not None:
                return done
        template = templates.get(key)
        if template is None:
            template = translate(__string)
            if key[1]:
                template = Markup(template)
            templates[key] = template
        if variables:
            return template % variables  # type: ignore[no-any-return]
        done = plain[key] = template % variables
        return done

    return gettext


def environments(languages: list[str]) -> dict[str, Environment]:
    """Return one environment per language, its translations installed, reused across builds.

    Compiled templates are kept for as long as no template changes (name, time or size): a
    process that builds many times (tests, `notice serve`, benchmarks) compiles each once, and
    `get_template` no longer checks every included file's time on every page.
    """
    signature = _templates_signature()
    result = {}
    for lang in languages:
        cached = _ENVIRONMENTS.get(lang)
        if cached is None or cached[0] != signature:
            # Compiled code is kept on disk for the next process (`notice.template_cache`).
            env = make_environment(auto_reload=False, bytecode_cache=template_code_cache(lang))
            translations = i18n.translations(lang)
            env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
            env.globals["gettext"] = env.globals["_"] = _remembering_gettext(translations.gettext)
            env.notice_gettext = translations.gettext  # type: ignore[attr-defined]
            cached = _ENVIRONMENTS[lang] = (signature, env)
        result[lang] = cached[1]
    return result


class Renderer:
    """Render the notice's templates for one site, language by language."""

    def __init__(self, site: Site, *, pdf: bool = True, root: Path | None = None) -> None:
        self.site = site
        self.pdf = pdf
        self.root = root
        """The content folder: where the theme's logo is read from for PDFs."""
        self._logo_uri: str | None = None
        self._themes: dict[tuple[str, str], dict[str, Any]] = {}
        self._fragments: dict[Any, Any] = {}
        """Blocks that pages repeat, rendered once (see `_once`): this site's, this renderer's."""
        self.languages = [lang.value for lang in site.languages]
        self.envs = environments(self.languages)
        self.env = self.envs[self.languages[0]]

    def render(
        self,
        template: str,
        lang: str,
        page_path: str,
        alternates: Mapping[str, str],
        *,
        variant: Variant = "web",
        **context: Any,
    ) -> str:
        """Render `template` in `lang` as the page at `page_path`.

        `alternates` maps each language (and `x-default`) to the URL path of this page in it.
        """
        env = self.envs.get(lang) or environments([lang])[lang]
        page = env.get_template(template).render(
            site=self.site,
            lang=lang,
            languages=self.languages,
            default_lang=self.languages[0],
            page_path=page_path,
            alternates=dict(alternates),
            variant=variant,
            pdf_enabled=self.pdf,
            theme=self.theme(lang, variant),
            fragments=self._fragments,
            **context,
        )
        return print_link_targets(page) if variant == "pdf" else page

    def theme(self, lang: str, variant: Variant) -> dict[str, Any]:
        """Return what the page frame shows of the site's theme in `lang` (see `notice.theme`)."""
        cached = self._themes.get((lang, variant))
        if cached is None:
            cached = self._themes[lang, variant] = self._theme(lang, variant)
        return cached

    def _theme(self, lang: str, variant: Variant) -> dict[str, Any]:
        site_theme = self.site.theme
        logo = theme.logo_name(site_theme)
        if logo is not None and variant == "pdf":
            logo = self._logo_data_uri()
        elif logo is not None:
            logo = f"theme/{logo}"
        css = theme.stylesheet(site_theme, theme.NOTICE_VARIABLES)
        return {
            "enabled": site_theme is not None,
            "display_name": theme.display_name(self.site, lang),
            "logo": logo,
            "css": theme.CSS_PATH if css is not None else None,
            "style": css if variant == "pdf" else None,
        }

    def _logo_data_uri(self) -> str | None:
        """Return the logo as a `data:` address, read once (PDFs embed it)."""
        if self._logo_uri is None and self.root is not None:
            self._logo_uri = theme.logo_data_uri(self.root, self.site.theme)
        return self._logo_uri

    def register_context(self, register: Register, lang: str) -> dict[str, Any]:
        """Return what a register's notice template needs beyond the model."""
        return {
            "register": register,
            "owner_name": theme.register_owner_name(self.site, register, lang),
            "sections": sections(self.site, register),
            "rights": rights(self.site, register),
            "portal": portal_links(self.site, register, lang),
            "consent_applies": consent_applies(self.site, register),
            "provision_per_category": presence.provision_per_category(register),
            "objection_callout": objection_callout(register),
            "restrictions": {r.right: r for r in register.restrictions},
            "right_limits": register.applicable_rights(),
            "recipient_groups": recipient_groups(register),
            "right_titles": {item.right: item.title for item in RIGHTS},
            "purpose_numbers": {p.id: n for n, p in enumerate(register.purposes, 1) if p.id},
            "category_names": {c.id: c.name for c in register.data_categories if c.id},
            "recipient_names": {r.id: r.name for r in register.recipients if r.id},
            "legitimate_purposes": legitimate_purposes(register),
            "transfers": transfers_shown(self.site, register),
            "recipients_in_eea": recipients_in_eea(register),
        }


def alternates_of(languages: list[str], path_of: Callable[[str], str]) -> dict[str, str]:
    """Map each language to `path_of(lang)`, and `x-default` to the default language's path."""
    result = {lang: path_of(lang) for lang in languages}
    result["x-default"] = result[languages[0]]
    return result
