"""Content builders for the checker tests: a clean two-language notice and one case per rule.

`CASES[rule_id]` holds two edits of the clean content: `trigger` must produce the rule's finding,
`clean` is a near miss that must not. A rule without a case fails the test, so every new rule
arrives with its fixtures.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

TODAY = "2026-11-24"

SITE: dict[str, Any] = {
    "languages": ["fi", "en"],
    "base_url": "https://example.fi/",
    "controller": {
        "name": "Esimerkki Oy",
        "business_id": "1234567-8",
        "street_address": "Esimerkkikatu 1",
        "postal_code": "00100",
        "city": "Helsinki",
        "email": "tietosuoja@example.fi",
    },
    "representative": "none",
    "dpo": "none",
    "supervisory_authority": {
        "name": {"fi": "Tietosuojavaltuutetun toimisto", "en": "Data Protection Ombudsman"},
        "street_address": "Lintulahdenkuja 4",
        "postal_code": "00530",
        "city": "Helsinki",
        "postal_address": "PL 800, 00531 Helsinki",
        "phone": "029 566 6700",
        "email": "tietosuoja@om.fi",
        "url": "https://tietosuoja.fi",
    },
    "cookie_intro": {
        "fi": "Sivusto käyttää alla lueteltuja evästeitä.",
        "en": "The site uses the cookies listed below.",
    },
    "cookies": [
        {
            "name": "_ga",
            "provider": "Google Ireland Limited",
            "party": "first",
            "category": "analytics",
            "purpose": {"fi": "Kävijöiden laskeminen.", "en": "Counting visitors."},
            "duration": {"fi": "2 vuotta", "en": "2 years"},
            "third_party_access": {"fi": "Google käsittelee tiedot.", "en": "Google processes it."},
        }
    ],
    "analytics": {
        "service": "google_analytics_4",
        "provider": "Google Ireland Limited",
        "google_signals": False,
        "transfers": [
            {
                "recipient": "Google LLC",
                "country": "United States",
                "mechanism": "adequacy",
                "details": {
                    "fi": "Komission päätös (EU) 2023/1795.",
                    "en": "Commission decision (EU) 2023/1795.",
                },
            }
        ],
        "description": {
            "fi": "Mittaamme sivuston käyttöä suostumuksellasi.",
            "en": "We measure the use of the site with your consent.",
        },
        "opt_out": {
            "fi": "Peru suostumus Evästeasetukset-linkistä.",
            "en": "Withdraw consent through the Cookie settings link.",
        },
    },
    "consent": {
        "mechanism": {"fi": "Evästebanneri kysyy suostumusta.", "en": "A banner asks for consent."},
        "withdrawal": {"fi": "Evästeasetukset-linkki.", "en": "The Cookie settings link."},
    },
}

REGISTER: dict[str, Any] = {
    "id": "asiakkaat",
    "slug": {"fi": "asiakkaat", "en": "customers"},
    "name": {"fi": "Asiakasrekisteri", "en": "Customer register"},
    "prepared": "2026-01-01",
    "updated": "2026-06-01",
    "purposes": [
        {
            "description": {"fi": "Tilausten toimittaminen.", "en": "Delivering orders."},
            "legal_basis": "contract",
        }
    ],
    "provision_requirement": {
        "fi": "Tiedot tarvitaan sopimuksen tekemiseen.",
        "en": "The data is needed to make the contract.",
    },
    "data_subjects": {"fi": "Asiakkaat.", "en": "Customers."},
    "data_categories": [{"fi": "Nimi", "en": "Name"}],
    "sources": {"fi": "Sinulta itseltäsi.", "en": "From you."},
    "recipients": [
        {
            "name": {"fi": "Google Ireland Limited", "en": "Google Ireland Limited"},
            "role": "processor",
        }
    ],
    "transfers": "none",
    "retention": {"fi": "Kymmenen vuotta.", "en": "Ten years."},
    "automated_decisions": "none",
    "security": {
        "manual": {"fi": "Lukitut tilat.", "en": "Locked rooms."},
        "electronic": {"fi": "Salasanat.", "en": "Passwords."},
    },
    "website": True,
}


TWINS = "_twins"
"""Key of a register in a case's edit (never in a file) holding registers to write beside it,
for the rules that compare registers with each other (`across`)."""


def write_content(root: Path, site: dict[str, Any], registers: list[dict[str, Any]]) -> Path:
    """Write site.yaml and registers/*.yaml under `root` and return `root`."""
    (root / "registers").mkdir(parents=True, exist_ok=True)
    dump = {"allow_unicode": True, "sort_keys": False}
    (root / "site.yaml").write_text(yaml.safe_dump(site, **dump), encoding="utf-8")
    registers = [
        {key: value for key, value in one.items() if key != TWINS}
        for register in registers
        for one in (register, *register.get(TWINS, ()))
    ]
    for index, register in enumerate(registers):
        # The file name follows the id when the id can name a file (fuzzed ids may not).
        name = str(register.get("id"))
        if not re.fullmatch(r"[\w-]+", name):
            name = f"register-{index}"
        path = root / "registers" / f"{name}.yaml"
        path.write_text(yaml.safe_dump(register, **dump), encoding="utf-8")
    return root


Edit = Callable[[dict[str, Any], dict[str, Any]], None]


@dataclass(frozen=True)
class Case:
    """Two edits of the clean content: one that triggers a rule, one near miss that does not."""

    trigger: Edit
    clean: Edit


def build(edit: Edit) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return copies of the clean site and register with `edit` applied."""
    site, register = copy.deepcopy(SITE), copy.deepcopy(REGISTER)
    edit(site, register)
    return site, register


def _both(fi: str, en: str) -> dict[str, str]:
    return {"fi": fi, "en": en}


def _set(target: str, key: str, value: Any) -> Edit:
    """Return an edit that sets `key` (dotted, list indices as numbers) in site or register."""

    def edit(site: dict[str, Any], register: dict[str, Any]) -> None:
        node: Any = site if target == "site" else register
        *parents, last = key.split(".")
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if value is _DELETE:
            del node[last]
        elif isinstance(node, list):
            node[int(last)] = copy.deepcopy(value)
        else:
            node[last] = copy.deepcopy(value)

    return edit


def _all(*edits: Edit) -> Edit:
    def edit(site: dict[str, Any], register: dict[str, Any]) -> None:
        for one in edits:
            one(site, register)

    return edit


def _none(site: dict[str, Any], register: dict[str, Any]) -> None:
    """Leave the clean content as it is."""


_DELETE = object()


def _twin(name: dict[str, str]) -> Edit:
    """Return an edit that writes a copy of the register beside it, with its own id, slugs and
    `name`."""

    def edit(site: dict[str, Any], register: dict[str, Any]) -> None:
        twin = copy.deepcopy(register)
        twin.update(id="toinen", slug={"fi": "toinen", "en": "other"}, name=name)
        register[TWINS] = [twin]

    return edit


def S(key: str, value: Any) -> Edit:  # one letter keeps the case table readable
    """Return an edit of site.yaml."""
    return _set("site", key, value)


def R(key: str, value: Any) -> Edit:
    """Return an edit of the register."""
    return _set("register", key, value)


LI = {
    "description": _both("Suoramarkkinointi asiakkaille.", "Direct marketing to customers."),
    "legal_basis": "legitimate_interests",
    "legitimate_interest": _both(
        "Omien tuotteiden tarjoaminen nykyisille asiakkaille.",
        "Offering our own products to existing customers.",
    ),
}
US_RECIPIENT = {
    "name": _both("Postipalvelu Example Inc.", "Mail service Example Inc."),
    "role": "processor",
    "country": "US",
    "transfer": {"mechanisms": ["adequacy"], "details": _both("DPF.", "DPF.")},
}
DECISION = {
    "description": _both("Luottopisteytys.", "Credit scoring."),
    "logic": _both("Maksuhistoria.", "Payment history."),
    "significance": _both("Laskulla ostaminen.", "Buying on invoice."),
    "consequences": _both("Ennakkomaksu.", "Prepayment."),
}
PARAGRAPH = _both(
    "Tiedot saadaan asiakkaalta tilauksen yhteydessä sekä osoitepalvelusta kerran vuodessa.",
    "The data comes from the customer when ordering and from an address service once a year.",
)

CASES: dict[str, Case] = {
    "E01-controller": Case(
        S("controller", {"name": "Esimerkki Oy"}),
        S("controller", {"name": "Esimerkki Oy", "email": "a@example.fi"}),
    ),
    "E01-postal-address": Case(S("controller.postal_code", _DELETE), _none),
    "E01-business-id": Case(S("controller.business_id", _DELETE), _none),
    "E02-representative": Case(
        S("representative", _DELETE), S("representative", {"name": "Rep GmbH"})
    ),
    "E03-dpo": Case(S("dpo", _DELETE), S("dpo", {"name": "DPO", "email": "dpo@example.fi"})),
    "E04-purposes": Case(R("purposes.0.description.en", ""), _none),
    "E05-legal-basis": Case(R("purposes.0.legal_basis", _DELETE), _none),
    "E06-legitimate-interest": Case(
        _all(R("purposes.0", LI), R("purposes.0.legitimate_interest", _DELETE)),
        R("purposes.0", LI),
    ),
    "E06-interest-is-relationship": Case(
        _all(
            R("purposes.0", LI),
            R("purposes.0.legitimate_interest", _both("Asiakkuus", "Customer relationship")),
        ),
        _all(
            R("purposes.0", LI),
            R(
                "purposes.0.legitimate_interest",
                _both(
                    "Asiakassuhteen vuoksi odotettavien tarjousten lähettäminen asiakkaille.",
                    "Sending customers the offers that the customer relationship leads them to "
                    "expect.",
                ),
            ),
        ),
    ),
    "E06-interest-without-basis": Case(
        R("purposes.0.legitimate_interest", _both("Laskutus.", "Invoicing.")), R("purposes.0", LI)
    ),
    "E07-data-categories": Case(R("data_categories", []), _none),
    "E08-recipients": Case(R("recipients", []), _none),
    "E08-recipient-name": Case(R("recipients.0.name.fi", ""), _none),
    "E08-recipients-vague": Case(
        R("recipients.0.name", _both("Yhteistyökumppanit jne.", "Partners etc.")),
        R(
            "recipients.0.name",
            _both("Google Ireland Limited (analytiikkakumppani)", "Google (analytics partner)"),
        ),
    ),
    "E08-google-not-named": Case(
        R("recipients.0.name", _both("Tilitoimisto", "Accounting firm")), _none
    ),
    "E09-transfers": Case(R("transfers", _DELETE), _none),
    "E09-transfer-details": Case(
        R("transfers", [{"recipient": "X KK", "country": "Japan", "mechanism": "adequacy"}]),
        R(
            "transfers",
            [
                {
                    "recipient": "X KK",
                    "country": "Japan",
                    "mechanism": "adequacy",
                    "details": _both("Päätös (EU) 2019/419.", "Decision (EU) 2019/419."),
                }
            ],
        ),
    ),
    "E09-transfers-conditional": Case(
        R(
            "transfers_note",
            _both(
                "Tietoja ei siirretä ETA-alueen ulkopuolelle, ellei se ole tarpeen.",
                "Data is not transferred outside the EEA unless necessary.",
            ),
        ),
        R(
            "transfers_note",
            _both(
                "Tietoja ei siirretä ETA-alueen ulkopuolelle. Tietoja ei luovuteta yrityksen "
                "ulkopuolelle paitsi perintään.",
                "Data is not transferred outside the EEA. Data is not disclosed outside the "
                "company except for debt collection.",
            ),
        ),
    ),
    "E09-transfers-eu-not-eea": Case(
        R(
            "transfers_note",
            _both(
                "Tietoja ei siirretä EU:n ulkopuolelle.", "Data is not transferred outside the EU."
            ),
        ),
        R(
            "transfers_note",
            _both(
                "Tietoja ei siirretä EU:n tai ETA:n ulkopuolelle.",
                "Data is not transferred outside the EU or the EEA.",
            ),
        ),
    ),
    "E09-transfers-unspecified": Case(
        R(
            "transfers_note",
            _both(
                "Tietoja siirretään ETA-alueen ulkopuolelle.",
                "Data is transferred outside the EEA.",
            ),
        ),
        R(
            "transfers_note",
            _both(
                "Tietoja siirretään ETA-alueen ulkopuolelle Yhdysvaltoihin.",
                "Data is transferred outside the EEA to the United States.",
            ),
        ),
    ),
    "E09-ga-us-transfer": Case(S("analytics.transfers", []), _none),
    "E10-retention": Case(R("retention", _DELETE), _none),
    "E11-rights": Case(
        R("rights", {"access": _both("", "You can get your data.")}),
        R("rights", {"access": _both("Voit saada tietosi.", "You can get your data.")}),
    ),
    "E12-withdrawal": Case(S("consent.withdrawal.fi", ""), _none),
    # A register's own complaint text does not replace the authority in site.yaml (issue 17).
    "E13-complaint": Case(
        _all(
            S("supervisory_authority", _DELETE),
            R(
                "rights",
                {
                    "complaint": _both(
                        "Valita tietosuojavaltuutetulle.", "Complain to the Ombudsman."
                    )
                },
            ),
        ),
        R(
            "rights",
            {"complaint": _both("Valita tietosuojavaltuutetulle.", "Complain to the Ombudsman.")},
        ),
    ),
    "E13-authority-outdated": Case(
        R(
            "rights",
            {
                "complaint": _both(
                    "Tietosuojavaltuutetun toimisto, Ratapihantie 9, 00521 Helsinki.",
                    "Data Protection Ombudsman, Ratapihantie 9, 00521 Helsinki.",
                )
            },
        ),
        R(
            "rights",
            {
                "complaint": _both(
                    "Kysy ensin meiltä: a@example.fi, 050 304 4671. Tietosuojavaltuutetun "
                    "toimisto, Lintulahdenkuja 4, 00530 Helsinki.",
                    "Ask us first: a@example.fi, 050 304 4671. Data Protection Ombudsman, "
                    "PL 800, 00531 Helsinki, 029 566 6700.",
                )
            },
        ),
    ),
    "E14-provision-requirement": Case(R("provision_requirement", _DELETE), _none),
    # One string is shown in every language: the English citation inside the Finnish text.
    "E11-law-one-string": Case(
        R(
            "restrictions",
            [
                {
                    "right": "erasure",
                    "extent": "restricted",
                    "reason": _both("Tiedot tarvitaan.", "The data is needed."),
                    "law": "GDPR 17(3)(b)",
                }
            ],
        ),
        R(
            "restrictions",
            [
                {
                    "right": "erasure",
                    "extent": "restricted",
                    "reason": _both("Tiedot tarvitaan.", "The data is needed."),
                    "law": _both(
                        "tietosuoja-asetuksen 17 artiklan 3 kohdan b alakohta",
                        "GDPR Article 17(3)(b)",
                    ),
                }
            ],
        ),
    ),
    # A request register: nothing rests on a contract, so "needed to make a contract" is false;
    # the near miss makes the contract, where the same category is rightly a prerequisite.
    "E14-provision-contract-without-basis": Case(
        _all(
            R("purposes.0.legal_basis", "legal_obligation"),
            R(
                "data_categories",
                [{"name": _both("Nimi", "Name"), "provision": "contract_prerequisite"}],
            ),
        ),
        R(
            "data_categories",
            [{"name": _both("Nimi", "Name"), "provision": "contract_prerequisite"}],
        ),
    ),
    "E15-automated-decisions": Case(R("automated_decisions", _both("", "")), _none),
    "E16-sources": Case(R("sources", _DELETE), _none),
    "E20-objection-content": Case(
        _all(
            R("purposes.0", LI),
            R(
                "rights",
                {
                    "objection": _both(
                        "Voit pyytää tietojesi oikaisemista tai poistamista.",
                        "You can ask for your data to be corrected or erased.",
                    )
                },
            ),
        ),
        _all(
            R("purposes.0", LI),
            R(
                "rights",
                {
                    "objection": _both(
                        "Voit vastustaa käsittelyä ja kieltää suoramarkkinoinnin.",
                        "You can object to processing and to direct marketing.",
                    )
                },
            ),
        ),
    ),
    "E20-objection-buried": Case(
        R(
            "rights",
            {
                "objection": _both("Voit vastustaa käsittelyä.", "You can object to processing."),
                "access": _both(
                    "Voit saada tietosi. Voit myös kieltää suoramarkkinoinnin.",
                    "You can get your data. You can also object to direct marketing.",
                ),
            },
        ),
        R(
            "rights",
            {
                "access": _both(
                    "Voit saada tietosi. Voit myös kieltää suoramarkkinoinnin.",
                    "You can get your data. You can also object to direct marketing.",
                ),
            },
        ),
    ),
    "E20-objection-marketing": Case(
        _all(
            R("purposes.0", LI),
            R("rights", {"objection": _both("Voit vastustaa käsittelyä.", "You can object.")}),
        ),
        _all(
            R("purposes.0", LI),
            R(
                "rights",
                {
                    "objection": _both(
                        "Voit vastustaa käsittelyä ja kieltää suoramarkkinoinnin.",
                        "You can object to processing and to direct marketing.",
                    )
                },
            ),
        ),
    ),
    "E21-security": Case(R("security", _DELETE), _none),
    "E22-register-name": Case(R("name.en", ""), _none),
    "E22-stale": Case(
        _all(R("prepared", "2025-01-01"), R("updated", "2025-11-01")),
        _all(R("prepared", "2025-01-01"), R("updated", "2025-11-30")),
    ),
    "E23-cookie-inventory": Case(S("cookies", []), _none),
    # GA4 names its session cookie after the measurement id: `_ga` alone is not the whole list.
    "E23-ga4-session-cookie": Case(
        S("analytics.measurement_id", "G-ABC1234"),
        _all(
            S("analytics.measurement_id", "G-ABC1234"),
            S("cookies", [SITE["cookies"][0], {**SITE["cookies"][0], "name": "_ga_ABC1234"}]),
        ),
    ),
    "E23-cookie-fields": Case(S("cookies.0.duration.en", ""), _none),
    "E23-third-party-access": Case(
        S("cookies.0.third_party_access", _DELETE),
        _all(S("cookies.0.third_party_access", _DELETE), S("cookies.0.category", "necessary")),
    ),
    "E23-consent-mechanism": Case(S("consent", _DELETE), _none),
    "E23-browser-settings": Case(
        _all(
            S("consent", _DELETE),
            S(
                "cookie_intro",
                _both(
                    "Voit estää evästeet selaimen asetuksista.",
                    "You can block cookies in your browser settings.",
                ),
            ),
        ),
        S(
            "cookie_intro",
            _both(
                "Voit lisäksi poistaa evästeet selaimen asetuksista.",
                "You can also delete cookies in your browser settings.",
            ),
        ),
    ),
    "E23-identification-claim": Case(
        S(
            "cookie_intro",
            _both(
                "Keräämme IP-osoitteen. Kävijää ei voida tunnistaa.",
                "We collect the IP address. Visitors cannot be identified.",
            ),
        ),
        S(
            "cookie_intro",
            _both(
                "Emme tallenna IP-osoitteita. Kävijää ei voida tunnistaa.",
                "We do not store IP addresses. Visitors cannot be identified.",
            ),
        ),
    ),
    "E23-cookie-not-listed": Case(
        S("cookie_intro", _both("Käytämme evästettä `_gid`.", "We use the `_gid` cookie.")),
        S("cookie_intro", _both("Käytämme evästettä `_ga`.", "We use the `_ga` cookie.")),
    ),
    "E09-transfer-mechanism": Case(
        R("recipients.0", {"name": _both("Tukikeskus", "Support centre"), "country": "IN"}),
        R("recipients.0", {"name": _both("Tukikeskus", "Support centre"), "country": "SE"}),
    ),
    "E09-transfers-none-contradicted": Case(
        R("recipients.0", {**US_RECIPIENT}),
        _all(R("recipients.0", {**US_RECIPIENT}), R("transfers", _DELETE)),
    ),
    "E09-mechanism-fit": Case(
        R("recipients.0", {**US_RECIPIENT, "country": "IN"}),
        R("recipients.0", {**US_RECIPIENT, "country": "JP"}),
    ),
    "E23-cookie-basis": Case(
        R(
            "purposes.0",
            {
                **LI,
                "description": _both(
                    "Kävijäanalytiikka evästeillä.", "Visitor analytics with cookies."
                ),
            },
        ),
        R(
            "purposes.0",
            {
                **LI,
                "description": _both(
                    "Välttämättömät evästeet pitävät istunnon auki.",
                    "Strictly necessary cookies keep the session open.",
                ),
            },
        ),
    ),
    "E23-cookie-category-basis": Case(
        S("cookies.0.legal_basis", "legitimate_interests"), S("cookies.0.legal_basis", "consent")
    ),
    "E08-tracker-not-recipient": Case(
        R(
            "purposes.0.description",
            _both("Mainonta Meta-pikselillä.", "Advertising with the Meta pixel."),
        ),
        R(
            "purposes.0.description",
            _both("Emme käytä Meta-pikseliä.", "We do not use the Meta pixel."),
        ),
    ),
    "E15-automated-details": Case(
        R("automated_decisions", [{"description": _both("Luottopisteytys.", "Credit scoring.")}]),
        R(
            "automated_decisions",
            _both("Emme tee automaattisia päätöksiä.", "We make no automated decisions."),
        ),
    ),
    "E15-automated-safeguards": Case(
        R("automated_decisions", [DECISION]),
        R("automated_decisions", [{**DECISION, "ground": "law"}]),
    ),
    "E16-sources-unnamed": Case(
        R(
            "sources",
            _both("Saamme tietoja kolmansilta osapuolilta.", "We get data from third parties."),
        ),
        R(
            "sources",
            _both(
                "Saamme tietoja kolmansilta osapuolilta, kuten Suomen Asiakastieto Oy:ltä.",
                "We get data from third parties such as Suomen Asiakastieto Oy.",
            ),
        ),
    ),
    "E07-special-condition": Case(
        R(
            "data_categories",
            [{"name": _both("Allergiat", "Allergies"), "special": {"category": "health"}}],
        ),
        R(
            "data_categories",
            [
                {
                    "name": _both("Allergiat", "Allergies"),
                    "special": {"category": "health", "condition": "health_or_social_care"},
                }
            ],
        ),
    ),
    "E07-special-undeclared": Case(
        R("data_categories", [_both("Terveystiedot", "Health data")]),
        R("data_categories", [_both("Emme kerää terveystietoja", "No health data is collected")]),
    ),
    "E07-criminal-authorisation": Case(
        R("data_categories", [_both("Rikostaustaote", "Criminal record extract")]),
        R(
            "data_categories",
            [
                {
                    "name": _both("Rikostaustaote", "Criminal record extract"),
                    "criminal": {"authorisation": _both("Laki 504/2002", "Act 504/2002")},
                }
            ],
        ),
    ),
    "E12-consent-withdrawal": Case(
        R(
            "purposes.0",
            {"description": _both("Uutiskirje.", "Newsletter."), "legal_basis": "consent"},
        ),
        R(
            "purposes.0",
            {
                "description": _both("Uutiskirje.", "Newsletter."),
                "legal_basis": "consent",
                "withdrawal": _both(
                    "Peru tilaus viestin linkistä.", "Unsubscribe through the link."
                ),
            },
        ),
    ),
    "consent-not-needed": Case(
        R("consent", _both("Suostumusta ei tarvita.", "Consent is not needed.")),
        R(
            "consent",
            _both(
                "Välttämättömät evästeet eivät tarvitse suostumusta. Muu käsittely ei edellytä "
                "suostumusta.",
                "Strictly necessary cookies need no consent. Other processing needs no consent.",
            ),
        ),
    ),
    "ga-universal-analytics": Case(S("analytics.service", "universal_analytics"), _none),
    "ga-demographics": Case(
        S(
            "analytics.description",
            _both("Keräämme väestötietoja (Demographics).", "We collect Demographics."),
        ),
        S(
            "analytics.description",
            _both(
                "Googlen signaalit (väestötiedot) ovat pois päältä.",
                "Google signals (demographics) is off.",
            ),
        ),
    ),
    "ga-opt-out-addon": Case(
        S(
            "analytics.opt_out",
            _both("Estä seuranta Chrome-selaimen lisäosalla.", "Use the Chrome add-on to opt out."),
        ),
        S(
            "analytics.opt_out",
            _both(
                "Peru suostumus evästeasetuksista; Google tarjoaa myös lisäosan.",
                "Withdraw consent in cookie settings; Google also offers an add-on.",
            ),
        ),
    ),
    "legacy-signed-request": Case(
        R("rights", {"access": _both("Pyyntö on allekirjoitettava.", "Requests must be signed.")}),
        R(
            "security.manual",
            _both(
                "Työntekijät ovat allekirjoittaneet salassapitositoumuksen.",
                "Employees have signed a confidentiality undertaking.",
            ),
        ),
    ),
    "legacy-refusal-certificate": Case(
        R(
            "rights",
            {
                "rectification": _both(
                    "Epäämisestä annetaan kirjallinen todistus.",
                    "A refusal is given as a written certificate.",
                )
            },
        ),
        R(
            "rights",
            {
                "rectification": _both(
                    "Epäämisestä annetaan perusteltu päätös.",
                    "A refusal is given as a decision with reasons.",
                )
            },
        ),
    ),
    "legacy-ombudsman-referral": Case(
        R(
            "rights",
            {
                "rectification": _both(
                    "Epäämisen voi saattaa tietosuojavaltuutetun ratkaistavaksi.",
                    "A refusal can be referred to the Data Protection Ombudsman for decision.",
                )
            },
        ),
        R(
            "rights",
            {
                "rectification": _both(
                    "Voit tehdä valituksen tietosuojavaltuutetulle.",
                    "You can lodge a complaint with the Data Protection Ombudsman.",
                )
            },
        ),
    ),
    "placeholder": Case(
        R("data_subjects", _both("Asiakkaat (s-postiosoite)", "Customers, [name]")),
        R("data_subjects", _both("Asiakkaat (yksityiset)", "Customers (see [the list](x.md))")),
    ),
    "raw-html": Case(
        R("data_subjects", _both("<p>Asiakkaat</p>", "Customers")),
        R("data_subjects", _both("**Asiakkaat**", "Customers under 18 < adults")),
    ),
    "languages-disagree": Case(
        R("sources", _both("Kaupparekisteri: https://ytj.fi", "The trade register.")),
        R("sources", _both("Kaupparekisteri: https://ytj.fi/", "Trade register: https://ytj.fi")),
    ),
    "near-duplicate": Case(
        _all(R("sources", PARAGRAPH), R("disclosures", PARAGRAPH)),
        _all(
            R("sources", PARAGRAPH),
            R("disclosures", _both("Tietoja ei luovuteta.", "Data is not disclosed.")),
        ),
    ),
    "register-names-alike": Case(
        _twin(_both("Toinen rekisteri", "customer  Register")),  # English only, case aside
        _twin(_both("Toinen rekisteri", "Customer register of the shop")),
    ),
    "hedging": Case(
        R("data_subjects", _both("Tietoja voidaan kerätä.", "Data may be collected.")),
        R("data_subjects", _both("Tietoja kerätään.", "Data is collected.")),
    ),
    "typo": Case(
        R("data_subjects", _both("Yhteys henkilöt", "Contact persons")),
        R("data_subjects", _both("Yhteyshenkilöt", "Contact persons")),
    ),
    "E16-category-source": Case(
        _all(
            R("sources", _DELETE),
            R(
                "data_categories",
                [
                    {"name": _both("Nimi", "Name"), "sources": ["data_subject"]},
                    {"name": _both("Luottotiedot", "Credit information")},
                ],
            ),
        ),
        _all(
            R("sources", _DELETE),
            R(
                "data_categories",
                [
                    {"name": _both("Nimi", "Name"), "sources": ["data_subject"]},
                    {
                        "name": _both("Luottotiedot", "Credit information"),
                        "sources": [{"name": _both("Asiakastieto Oy", "Asiakastieto Oy")}],
                    },
                ],
            ),
        ),
    ),
    "request-fee": Case(
        R(
            "rights",
            {
                "access": _both(
                    "Tarkastuspyynnön käsittelystä veloitamme 20 €.",
                    "We charge 20 € for handling an access request.",
                )
            },
        ),
        R(
            "rights",
            {
                "access": _both(
                    "Saat tietosi maksutta. Lisäkopioista perimme 5 euron maksun.",
                    "You get your data free of charge. Further copies cost 5 euros.",
                )
            },
        ),
    ),
    "request-in-person": Case(
        R(
            "rights",
            {
                "access": _both(
                    "Tarkastuspyyntö on tehtävä henkilökohtaisesti toimistollamme.",
                    "Access requests can only be made in person at our office.",
                )
            },
        ),
        R(
            "rights",
            {
                "access": _both(
                    "Pyydä tietosi sähköpostitse tai henkilökohtaisesti toimistollamme.",
                    "Ask by e-mail, or in person at our office.",
                )
            },
        ),
    ),
    "request-id-copy": Case(
        R(
            "rights",
            {
                "access": _both(
                    "Liitä pyyntöön kopio passista tai henkilökortista.",
                    "Attach a copy of your passport or identity card to the request.",
                )
            },
        ),
        R(
            "rights",
            {
                "access": _both(
                    "Pyydämme kopion henkilökortista vain, jos henkilöllisyytesi on epäselvä.",
                    "We ask for a copy of your ID only if we have doubts about who you are.",
                )
            },
        ),
    ),
    "complaint-not-authority": Case(
        R(
            "rights",
            {
                "complaint": _both(
                    "Valitukset käsittelee seurakuntaneuvosto.",
                    "Complaints are handled by the parish council.",
                )
            },
        ),
        R(
            "rights",
            {
                "complaint": _both(
                    "Voit tehdä valituksen tietosuojavaltuutetulle.",
                    "You can complain to the Data Protection Ombudsman.",
                )
            },
        ),
    ),
    "consent-bundled": Case(
        R(
            "consent",
            _both(
                "Hyväksymällä käyttöehdot hyväksyt myös mainosten lähettämisen.",
                "By accepting the terms of use you also agree to receive advertising.",
            ),
        ),
        R(
            "consent",
            _both(
                "Markkinointisuostumus ei ole osa käyttöehtoja; voit hyväksyä ehdot ilman sitä.",
                "Marketing consent is not part of the terms of use; accept them without it.",
            ),
        ),
    ),
    "children-consent-age": Case(
        R("children", {"consent_age": 16}),
        R("children", {"consent_age": 13}),
    ),
    "children-parental-verification": Case(
        R(
            "children",
            {
                "guardians": _both(
                    "Alle 13-vuotias rastittaa ruudun, jossa huoltaja hyväksyy käytön.",
                    "A child under 13 ticks the box saying that a parent agrees.",
                )
            },
        ),
        R(
            "children",
            {
                "guardians": _both(
                    "Huoltaja antaa suostumuksen tunnistautumalla vahvasti.",
                    "A parent consents by signing in with strong electronic identification.",
                )
            },
        ),
    ),
    "retention-permanent": Case(
        R("retention", _both("Tiedot säilytetään pysyvästi.", "The data is kept permanently.")),
        R(
            "retention",
            _both(
                "Kastetiedot säilytetään pysyvästi kirkkolain 652/2023 nojalla.",
                "Baptism records are kept permanently under the Church Act 652/2023.",
            ),
        ),
    ),
    "retention-vague": Case(
        R(
            "retention",
            _both(
                "Tietoja säilytetään niin kauan kuin on tarpeen.",
                "Data is kept as long as necessary.",
            ),
        ),
        R(
            "retention",
            _both(
                "Tietoja säilytetään niin kauan kuin asiakassuhde on voimassa.",
                "Data is kept as long as the customer relationship lasts.",
            ),
        ),
    ),
}

# The Art 30 record rules keep their fixtures beside their own module's (notice/checks/records.py).
from tests.notice.fixtures_checks.records import CASES as _RECORD_CASES  # noqa: E402

CASES.update(_RECORD_CASES)

# Google Analytics declared exempt from consent (notice/checks/exempt.py).
CASES["cookie-tracker-exempt"] = Case(
    _all(S("cookies.0.category", "necessary"), S("cookie_rules", "omnibus_88a")),
    S("cookie_rules", "omnibus_88a"),
)

# Rules over the register blocks of format 2.1 (notice/checks/blocks.py).
_OWN_CONTROLLER = {"name": "Asunto Oy Esimerkki", "email": "hallitus@esimerkki.example.fi"}
_MUNICIPALITY = {"name": "Esimerkin kunta", "email": "kirjaamo@esimerkinkunta.example.fi"}
_PUBLIC_TASK = {
    "description": _both("Varhaiskasvatuspaikan myöntäminen.", "Granting a daycare place."),
    "legal_basis": "public_task",
    "national_law": _both("Varhaiskasvatuslaki 540/2018", "Early Childhood Education Act 540/2018"),
}
_SECTION_31 = [
    {
        "right": "rectification",
        "extent": "restricted",
        "reason": _both(
            "Mittaustuloksia ei korjata jälkikäteen.", "Measurements are not corrected afterwards."
        ),
        "law": _both("Tietosuojalaki 1050/2018, 31 §", "Data Protection Act 1050/2018, section 31"),
    }
]
_PLAN = _both("Tutkimus kestää vuodet 2026–2029.", "The study runs from 2026 to 2029.")
_ASSESSMENT = _both(
    "Vaikutustenarviointi on toimitettu tietosuojavaltuutetulle.",
    "The impact assessment has been sent to the Data Protection Ombudsman.",
)
_KEY = _both("Avainta säilyttää vain tutkimushoitaja.", "Only the research nurse holds the key.")
_KANTA = _both("Voit kieltää luovutuksen OmaKannassa.", "You can refuse disclosure in My Kanta.")
_LOG = _both("Lokitiedot saat vastaanotosta.", "Ask reception for the access log.")
_CAMERA_PURPOSE = _both(
    "Tallentava kameravalvonta porraskäytävissä.", "Camera surveillance in the stairwells."
)
_CCTV = {
    "areas": [_both("Porraskäytävät", "The stairwells")],
    "signs": _both("Ovissa on kyltti.", "Every door has a sign."),
    "audio": False,
    "viewers": _both("Vain isännöitsijä.", "Only the property manager."),
}
_STORED_ID = {
    "name": "ad_id",
    "provider": "Esimerkki Oy",
    "party": "first",
    "category": "marketing",
    "purpose": _both("Mainosten kohdentaminen.", "Targeting advertisements."),
    "duration": _both("1 vuosi", "1 year"),
    "storage": "sdk_identifier",
    "legal_basis": "legitimate_interests",
}
_REFUSAL = _both("Peru tilaus viestin linkistä.", "Use the unsubscribe link in every message.")
CASES.update(
    {
        "E01-register-controller": Case(
            R("controller", {"name": "Asunto Oy Esimerkki"}), R("controller", _OWN_CONTROLLER)
        ),
        "E01-register-contact": Case(
            R("controller", _OWN_CONTROLLER),
            _all(
                R("controller", _OWN_CONTROLLER),
                R("contact", {"name": "Isännöinti Oy", "email": "i@example.fi"}),
            ),
        ),
        "E03-dpo-contact": Case(
            R("dpo", {"name": "Maija Meikäläinen"}),
            R("dpo", {"name": "Maija Meikäläinen", "email": "dpo@example.fi"}),
        ),
        "E03-register-dpo": Case(
            _all(
                S("dpo", {"name": "Sivuston DPO", "email": "dpo@example.fi"}),
                R("controller", _OWN_CONTROLLER),
            ),
            _all(
                S("dpo", {"name": "Sivuston DPO", "email": "dpo@example.fi"}),
                R("controller", _OWN_CONTROLLER),
                R("dpo", "none"),
            ),
        ),
        # The site's `dpo: none` is the site owner's answer, not the municipality's.
        "E03-public-authority-dpo": Case(
            _all(R("controller", _MUNICIPALITY), R("purposes.0", _PUBLIC_TASK)),
            _all(
                R("controller", _MUNICIPALITY),
                R("purposes.0", _PUBLIC_TASK),
                R("dpo", {"title": _both("Tietosuojavastaava", "DPO"), "email": "dpo@k.fi"}),
            ),
        ),
        "research-plan": Case(
            R("restrictions", _SECTION_31),
            _all(R("restrictions", _SECTION_31), R("research", {"plan": _PLAN})),
        ),
        "research-impact-assessment": Case(
            _all(
                R("restrictions", _SECTION_31),
                R("research", {"plan": _PLAN, "pseudonymisation_key": _KEY}),
            ),
            _all(
                R("restrictions", _SECTION_31),
                R("research", {"plan": _PLAN, "impact_assessment": _ASSESSMENT}),
            ),
        ),
        "research-safeguards": Case(
            _all(
                R("restrictions", _SECTION_31),
                R("research", {"plan": _PLAN, "impact_assessment": _ASSESSMENT}),
            ),
            _all(
                R("restrictions", _SECTION_31),
                R("research", {"plan": _PLAN, "pseudonymisation_key": _KEY}),
            ),
        ),
        "health-patient-rights": Case(
            R("health", {"kanta_refusal": _KANTA}),
            R("health", {"kanta_refusal": _KANTA, "access_log": _LOG}),
        ),
        "cctv-undeclared": Case(
            _all(R("version", 2.1), R("purposes.0.description", _CAMERA_PURPOSE)),
            _all(
                R("version", 2.1),
                R("purposes.0.description", _CAMERA_PURPOSE),
                R("cctv", _CCTV),
            ),
        ),
        "cctv-audio": Case(R("cctv", {**_CCTV, "audio": True}), R("cctv", _CCTV)),
        "children-parental-consent": Case(
            _all(
                R("purposes.0.legal_basis", "consent"),
                R("children", {"consent_age": 13, "minimum_age": 10}),
            ),
            _all(
                R("purposes.0.legal_basis", "consent"),
                R(
                    "children",
                    {
                        "consent_age": 13,
                        "minimum_age": 10,
                        "parental_consent": _both(
                            "Huoltaja antaa suostumuksen vahvalla tunnistautumisella.",
                            "A parent consents by strong electronic identification.",
                        ),
                    },
                ),
            ),
        ),
        "marketing-electronic-consent": Case(
            R(
                "marketing",
                {"channels": [{"channel": "sms", "basis": "opt_out"}], "refusal": _REFUSAL},
            ),
            R(
                "marketing",
                {"channels": [{"channel": "post", "basis": "opt_out"}], "refusal": _REFUSAL},
            ),
        ),
        "marketing-refusal": Case(
            R("marketing", {"channels": [{"channel": "email", "basis": "consent"}]}),
            R(
                "marketing",
                {"channels": [{"channel": "email", "basis": "consent"}], "refusal": _REFUSAL},
            ),
        ),
        "marketing-none-contradicted": Case(
            _all(R("marketing", "none"), R("purposes.0", {**LI, "direct_marketing": True})),
            _all(R("marketing", "none"), R("purposes.0", {**LI, "direct_marketing": False})),
        ),
        "storage-basis": Case(
            R("cookies", [_STORED_ID]),
            R("cookies", [{**_STORED_ID, "legal_basis": "consent"}]),
        ),
    }
)

_LOCAL_ID = {
    "name": "visitor_id",
    "provider": "Esimerkki Oy",
    "party": "first",
    "category": "analytics",
    "storage": "local_storage",
    "purpose": _both("Kävijöiden laskeminen.", "Counting visitors."),
    "duration": _both("1 vuosi", "1 year"),
    "third_party_access": _both("Ei kenelläkään.", "Nobody."),
    "legal_basis": "consent",
}
CASES["storage-denied"] = Case(
    _all(
        S("cookies", [_LOCAL_ID]),
        S("cookie_intro", _both("Sivusto ei käytä evästeitä.", "The site uses no cookies.")),
    ),
    _all(
        S("cookies", [_LOCAL_ID]),
        S(
            "cookie_intro",
            _both(
                "Emme käytä evästeitä, mutta suostumuksellasi tallennamme kävijätunnisteen "
                "selaimeesi seurantaa varten.",
                "We use no cookies, but with your consent we keep a visitor identifier in your "
                "browser's local storage.",
            ),
        ),
    ),
)
