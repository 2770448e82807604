"""The shipped content: the seed register corrected, the portal's own register, in fi, sv and en."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from notice import i18n
from notice.loader import Content, load_content
from notice.model import (
    AnalyticsService,
    CookieCategory,
    CookieParty,
    LegalBasis,
    RecipientRole,
    Right,
    RightExtent,
    SupervisoryAuthority,
    TransferMechanism,
)

# Hedging words the WP29 transparency guidelines (WP260) warn against, per language (LEGAL.md §1).
HEDGES = {
    "fi": r"\b(voidaan|saattaa|saatetaan|jne|soveltuvin osin|mahdollisesti)\b",
    "sv": r"\b(kanske|vissa|möjligen|eventuellt|osv|i tillämpliga delar)\b",
    "en": r"\b(may|might|some|possible|possibly|etc)\b",
}
LANGUAGES = {"fi", "sv", "en"}
# Typos of the seed notice that the corrected text must not repeat (LEGAL.md §2).
SEED_TYPOS = [
    "luottihakemukseen",
    "katseluaajat",
    "Yhteys henkilö",
    "ulkoitus kumppanit",
    "henkilökohtai-semman",
    "sopimus kumppanit",
    "yrityk- tai",
    "tietosuojasetuksen",
]


@pytest.fixture(scope="module")
def content(repo_root: Path) -> Content:
    """Load the default content folder."""
    return load_content(repo_root / "content")


def texts(value: Any, path: str = "") -> Iterator[tuple[str, dict[str, str]]]:
    """Yield (key path, localized text) for every text in a model, recursively."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from texts(getattr(value, name), f"{path}.{name}".lstrip("."))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from texts(item, f"{path}.{index}")
    elif isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        if all(key in ("fi", "en", "sv") for key in value) and not path.endswith("slug"):
            yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts(item, f"{path}.{key}")


def all_texts(content: Content) -> list[tuple[str, dict[str, str]]]:
    """Return every localized text of the site and its registers."""
    found = list(texts(content.site, "site"))
    for register in content.registers:
        found += texts(register, register.id)
    return found


def test_default_content_is_two_registers_in_three_languages(content: Content) -> None:
    # Finland is bilingual: public bodies publish in Finnish and Swedish, many firms in English.
    assert content.site.languages == ["fi", "sv", "en"]
    assert [register.id for register in content.registers] == [
        "asiakasrekisteri",
        "tietosuojapyynnot",
    ]
    register = content.register("asiakasrekisteri")
    assert register.slug == {
        "fi": "asiakasrekisteri",
        "sv": "kundregister",
        "en": "customer-register",
    }
    assert register.name == {
        "fi": "Asiakasrekisteri",
        "sv": "Kundregister",
        "en": "Customer register",
    }
    assert all(r.version == 2.1 for r in content.registers) and content.site.version == 2.1


def test_every_text_is_complete_in_every_language(content: Content) -> None:
    found = all_texts(content)
    assert len(found) > 100
    incomplete = [path for path, text in found if set(text) != LANGUAGES or not all(text.values())]
    assert incomplete == []


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_texts_have_no_hedging_words(content: Content, lang: str) -> None:
    hedged = [
        (path, match.group(0))
        for path, text in all_texts(content)
        for match in re.finditer(HEDGES[lang], text[lang], flags=re.IGNORECASE)
    ]
    assert hedged == []


def test_texts_do_not_repeat_the_seed_typos(content: Content) -> None:
    found = [
        (path, typo)
        for path, text in all_texts(content)
        for typo in SEED_TYPOS
        if typo.lower() in text["fi"].lower()
    ]
    assert found == []


def test_controller_is_the_seed_controller_with_nothing_invented(content: Content) -> None:
    controller = content.site.controller
    assert controller.name == "Esa Kemppainen"
    assert controller.street_address == "Impivaarantie 25"
    assert controller.phone == "050 304 4671"
    assert controller.email == "esa.kemppainen@proleader.fi"
    # The seed gives none of these; a guessed identifier would be worse than none.
    assert (controller.business_id, controller.postal_code, controller.city) == (None, None, None)
    assert content.site.contact is not None
    assert content.site.contact.email == controller.email
    assert content.site.dpo == "none"
    assert content.site.representative == "none"


def test_supervisory_authority_is_the_current_contact(content: Content) -> None:
    assert content.site.supervisory_authority == SupervisoryAuthority(
        name={
            "fi": "Tietosuojavaltuutetun toimisto",
            "sv": "Dataombudsmannens byrå",
            "en": "Office of the Data Protection Ombudsman",
        },
        # The office's own Swedish names (tietosuoja.fi/sv): Fågelviksgränden, Helsingfors, PB.
        street_address={
            "fi": "Lintulahdenkuja 4",
            "sv": "Fågelviksgränden 4",
            "en": "Lintulahdenkuja 4",
        },
        postal_code="00530",
        city={"fi": "Helsinki", "sv": "Helsingfors", "en": "Helsinki"},
        postal_address={
            "fi": "PL 800, 00531 Helsinki",
            "sv": "PB 800, 00531 Helsingfors",
            "en": "P.O. Box 800, 00531 Helsinki, Finland",
        },
        phone="029 566 6700",
        email="tietosuoja@om.fi",
        # Each language's own pages of the office's site.
        url={
            "fi": "https://tietosuoja.fi/yhteystiedot",
            "sv": "https://tietosuoja.fi/sv/kontaktuppgifter",
            "en": "https://tietosuoja.fi/en/contact-information",
        },
    )


def test_dates_keep_the_seed_and_record_the_correction(content: Content) -> None:
    register = content.register("asiakasrekisteri")
    assert register.prepared == dt.date(2019, 10, 3)
    assert register.updated == dt.date(2026, 11, 29)
    assert register.history[-1].date == register.updated
    assert "GDPR" in register.history[-2].change["en"]
    assert "Swedish" in register.history[-1].change["en"]


def test_every_purpose_has_a_legal_basis_and_interests_are_interests(content: Content) -> None:
    purposes = content.register("asiakasrekisteri").purposes
    assert len(purposes) >= 4
    assert all(purpose.bases for purpose in purposes)
    bases = {basis for purpose in purposes for basis in purpose.bases}
    assert {LegalBasis.contract, LegalBasis.legal_obligation, LegalBasis.consent} <= bases
    for purpose in purposes:
        if LegalBasis.legal_obligation in purpose.bases:
            assert purpose.national_law is not None  # Art 6(3)
        if LegalBasis.consent in purpose.bases:
            assert purpose.withdrawal is not None
        if LegalBasis.legitimate_interests in purpose.bases:
            assert purpose.legitimate_interest is not None
            # The seed's "Asiakassuhde" named a relationship, not an interest.
            assert "asiakassuhde" not in purpose.legitimate_interest["fi"].lower()
        else:
            assert purpose.legitimate_interest is None


def test_provision_requirement_is_answered(content: Content) -> None:
    requirement = content.register("asiakasrekisteri").provision_requirement
    assert requirement is not None
    assert "not required by law" in requirement["en"]
    assert "cannot" in requirement["en"]


def test_data_subjects_and_data_categories_are_separate(content: Content) -> None:
    register = content.register("asiakasrekisteri")
    assert register.data_subjects is not None
    assert "contact persons" in register.data_subjects["en"]
    categories = [category.name["en"] for category in register.data_categories]
    for seed_item in [
        "First name and surname",
        "Company or organisation you represent",
        "E-mail address",
        "Postal address",
        "Telephone number",
        "Details of previous orders",
    ]:
        assert seed_item in categories


def test_recipients_are_named_with_their_roles(content: Content) -> None:
    recipients = content.register("asiakasrekisteri").recipients
    assert all(recipient.role is not None for recipient in recipients)
    by_name = {recipient.name["en"]: recipient.role for recipient in recipients}
    assert by_name["Google Ireland Limited"] == RecipientRole.processor
    assert by_name["Google LLC"] == RecipientRole.sub_processor
    assert any("Accounting" in name for name in by_name)
    assert RecipientRole.public_authority in by_name.values()


def test_sources_say_whether_publicly_accessible(content: Content) -> None:
    sources = content.register("asiakasrekisteri").sources
    assert sources is not None
    assert "publicly accessible" in sources["en"]
    assert "julkisesti saatavilla" in sources["fi"]


def test_retention_keeps_the_seed_period(content: Content) -> None:
    retention = content.register("asiakasrekisteri").retention
    assert retention is not None
    assert "10 years from the end of the customer" in retention["en"]
    assert "10 vuotta asiakkuuden päättymisestä" in retention["fi"]


def test_consent_and_its_withdrawal_are_stated(content: Content) -> None:
    register = content.register("asiakasrekisteri")
    assert register.consent is not None
    assert "Withdraw it at any time" in register.consent["en"]
    consent = content.site.consent
    assert consent is not None
    assert "at any time" in consent.withdrawal["en"]
    assert consent.settings_url is None  # the site's own cookie-settings page, not another host


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_notice_names_the_banner_buttons_and_link_as_the_banner_shows_them(
    content: Content, lang: str
) -> None:
    """A visitor told to press "Avböj" must find a button of that name, not "Avvisa alla"."""
    shown = i18n.translations(lang).gettext
    accept, reject, settings = shown("Accept all"), shown("Reject all"), shown("Cookie settings")
    consent = content.site.consent
    assert consent is not None
    assert f"{accept} {WORD_AND[lang]} {reject}" in " ".join(consent.mechanism[lang].split())
    register_consent = content.register("asiakasrekisteri").consent
    assert register_consent is not None
    for text in (consent.withdrawal[lang], register_consent[lang]):
        assert settings.casefold() in text.casefold()


WORD_AND = {"fi": "ja", "sv": "och", "en": "and"}


def test_transfer_to_the_us_names_country_mechanism_and_source(content: Content) -> None:
    register = content.register("asiakasrekisteri")
    site_transfers = content.site.analytics.transfers if content.site.analytics else []
    (derived,) = register.third_country_transfers
    assert derived.recipient["en"] == "Google LLC" and derived.country == "US"
    assert derived.key_path == ("recipients", 4)
    (site_transfer,) = site_transfers
    assert (site_transfer.recipient, site_transfer.country) == ("Google LLC", "US")
    for safeguards in (derived.safeguards, site_transfer):
        assert safeguards is not None
        assert safeguards.all_mechanisms == [TransferMechanism.adequacy]
        assert safeguards.details is not None
        for lang in ("fi", "en"):
            assert "2023/1795" in safeguards.details[lang]
            assert "https://eur-lex.europa.eu/" in safeguards.details[lang]
    assert register.transfers_note is not None
    assert "(EEA)" in register.transfers_note["en"]
    assert "(ETA)" in register.transfers_note["fi"]


def test_security_keeps_both_seed_sections(content: Content) -> None:
    security = content.register("asiakasrekisteri").security
    assert security is not None and security.manual is not None and security.electronic is not None
    assert "fire-safe" in security.manual["en"]
    assert "firewall" in security.electronic["en"]


def test_cookie_inventory_is_complete(content: Content) -> None:
    assert content.register("asiakasrekisteri").website is True
    cookies = {cookie.name: cookie for cookie in content.site.cookies}
    portal = ("__Host-session", "lang", "__Host-seloste-staff-device")  # the request portal's
    assert set(cookies) == {"cookie_consent", "_ga", "_ga_<container-id>", *portal}
    for name in ("cookie_consent", *portal):
        assert cookies[name].category == CookieCategory.necessary
        assert cookies[name].party == CookieParty.first
    for name in ("_ga", "_ga_<container-id>"):
        assert cookies[name].category == CookieCategory.analytics
        assert cookies[name].duration == {"fi": "2 vuotta", "sv": "2 år", "en": "2 years"}
    assert all(cookie.third_party_access is not None for cookie in cookies.values())


def test_google_analytics_4_settings(content: Content) -> None:
    analytics = content.site.analytics
    assert analytics is not None
    assert analytics.service == AnalyticsService.google_analytics_4
    assert analytics.google_signals is False
    assert analytics.data_retention_months == 2
    assert analytics.description is not None and analytics.opt_out is not None
    assert "Cookie settings" in analytics.opt_out["en"]


def test_automated_decisions_are_stated_as_none(content: Content) -> None:
    assert content.register("asiakasrekisteri").automated_decisions == "none"


def test_rights_overrides_are_minimal(content: Content) -> None:
    rights = content.register("asiakasrekisteri").rights
    assert set(rights) == {Right.other}
    assert "No publication in lists" in rights[Right.other]["en"]


def test_the_portal_register_describes_the_portal(content: Content) -> None:
    register = content.register("tietosuojapyynnot")
    assert {p.id for p in register.purposes} == {"requests", "identity", "audit", "protection"}
    assert all(p.national_law for p in register.purposes if LegalBasis.legal_obligation in p.bases)
    retention = register.retention
    assert retention is not None
    # The portal's settings: unconfirmed requests go after 7 days, closed ones after 3 years.
    assert "7 days" in retention["en"] and "3 years" in retention["en"]
    assert "7 dagar" in retention["sv"] and "3 år" in retention["sv"]
    rights = register.applicable_rights()
    assert rights[Right.portability] is RightExtent.not_applicable
    assert rights[Right.erasure] is RightExtent.restricted
    assert rights[Right.objection] is None  # the misuse protection rests on legitimate interests
    assert register.transfers == "none" and register.third_country_transfers == []


BUTTONS = {
    "fi": "Bannerin ensimmäisessä näkymässä ovat yhtä näkyvät painikkeet Hyväksy kaikki ja "
    "Hylkää kaikki.",
    "sv": "Bannerns första vy visar knapparna Godkänn alla och Avvisa alla, lika synliga.",
    "en": "Its first view shows Accept all and Reject all buttons, equally prominent.",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_cookie_notice_claims_no_layout_a_phone_does_not_show(
    content: Content, lang: str
) -> None:
    # At 390 px the banner stacks its buttons: "side by side" was true on a wide screen only.
    assert content.site.consent is not None
    mechanism = " ".join(content.site.consent.mechanism[lang].split())
    assert BUTTONS[lang] in mechanism
    assert not re.search(r"rinnakkain|sida vid sida|side by side", mechanism)


def test_the_identity_purpose_reads_as_swedish(content: Content) -> None:
    purpose = content.register("tietosuojapyynnot").purposes[1].description["sv"]
    assert purpose.startswith("Att bekräfta identiteten hos den som begär: e-postadressen")
