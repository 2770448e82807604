"""Structure rules (notice/checks/structure.py): exact findings, where they point, what they say.

Each case edits the clean two-language notice of tests/notice/fixtures_checks and lists every
finding of a structure rule it must give: rule, key path, language and the English message (the
wording people read, with its parameters filled in). Near misses list none. The run is the real
one: content written as YAML, loaded and checked with every rule.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from notice.checks import RULES, Finding, run_checks
from notice.loader import load_content
from tests.notice.fixtures_checks import (
    _DELETE,
    DECISION,
    LI,
    TODAY,
    US_RECIPIENT,
    Edit,
    R,
    S,
    _all,
    build,
    write_content,
)

STRUCTURE_RULES = {rule.id for rule in RULES if rule.check.__module__ == "notice.checks.structure"}


def both(fi: str, en: str) -> dict[str, str]:
    return {"fi": fi, "en": en}


def append(target: str, key: str, value: Any) -> Edit:
    """Return an edit that appends `value` to the list `key` of the site or the register."""

    def edit(site: dict[str, Any], register: dict[str, Any]) -> None:
        (site if target == "site" else register)[key].append(copy.deepcopy(value))

    return edit


def findings(tmp_path: Path, edit: Edit) -> list[Finding]:
    site, register = build(edit)
    root = write_content(tmp_path / "content", site, [register])
    content = load_content(root, allow_html=True)
    found = run_checks(content, today=dt.date.fromisoformat(TODAY))
    return [f for f in found if f.rule_id in STRUCTURE_RULES]


def said(tmp_path: Path, edit: Edit) -> list[tuple[str, tuple[str | int, ...], str | None, str]]:
    return [
        (f.rule_id, tuple(f.key_path), f.language, f.message["en"])
        for f in findings(tmp_path, edit)
    ]


SUPPORT = both("Tukikeskus", "Support centre")
IN_WORDS = {"name": both("Tukikeskus Intiassa", "Support centre in India"), "role": "processor"}
NOT_EEA = "is outside the EEA, but no transfer mechanism is given"
HOTJAR_COOKIE = {
    "name": "_hjSessionUser_1",
    "provider": "Hotjar Ltd",
    "party": "first",
    "category": "analytics",
    "purpose": both("Käytön seuranta.", "Usage tracking."),
    "duration": both("1 vuosi", "1 year"),
}
NEWSLETTER = {"description": both("Uutiskirje.", "Newsletter."), "legal_basis": "consent"}
VISITOR_ANALYTICS = {
    "description": both("Kävijäanalytiikka evästeillä.", "Visitor analytics with cookies."),
    "legal_basis": "consent",
    "cookies": ["analytics"],
}
CHINA = {"recipient": "Hosting Ltd", "country": "CN", "details": both("Katso.", "See.")}
CONSENT_COOKIES = "analytics or marketing cookies rest on `{}`; they need consent"
TRACKER = "{} is used, but its company is not among the recipients"
UNNAMED = 'sources are given only as a kind of party: "{}"'
WITHDRAWAL = "consent is a basis here, but the notice does not say how to withdraw it"
AUTOMATED_DETAILS = (
    "E15-automated-details",
    ("automated_decisions", 0, "description"),
    None,
    "automated decision does not say its logic, significance, consequences",
)


def AUTO(fi: str, en: str) -> Edit:  # noqa: N802 - reads like the R and S edits beside it
    """Return an edit giving the register one automated decision described only in words."""
    return R("automated_decisions", [{"description": both(fi, en)}])


CASES: dict[str, tuple[Edit, list[tuple[str, tuple[str | int, ...], str | None, str]]]] = {
    # --- transfers ------------------------------------------------------------------------------
    "recipient placed in India only by words": (
        R("recipients.0", IN_WORDS),
        [
            (
                "E09-transfer-mechanism",
                ("recipients", 0),
                None,
                f"Tukikeskus Intiassa (India) {NOT_EEA}",
            )
        ],
    ),
    "India named with its transfer ground in prose": (
        _all(
            R("recipients.0", IN_WORDS),
            R(
                "transfers_note",
                both(
                    "Siirrämme tietoja Intiaan vakiosopimuslausekkeiden perusteella.",
                    "We transfer data to India under standard contractual clauses.",
                ),
            ),
        ),
        [],
    ),
    "India named in words and listed as a transfer": (
        _all(
            R("recipients.0", IN_WORDS),
            R("transfers", [{**CHINA, "country": "IN", "mechanisms": ["sccs"]}]),
        ),
        [],
    ),
    "recipient in Sweden by words": (
        R(
            "recipients.0",
            {"name": both("Tukikeskus Ruotsissa", "Support centre in Sweden"), "role": "processor"},
        ),
        [],
    ),
    "recipient in the United States by words, the site's analytics transfer lists it": (
        append(
            "register",
            "recipients",
            {"name": both("Kumppani Yhdysvalloissa", "Partner in the United States")},
        ),
        [],
    ),
    "recipient in the United States by words, a register without the website": (
        _all(
            R("website", False),
            append(
                "register",
                "recipients",
                {"name": both("Kumppani Yhdysvalloissa", "Partner in the United States")},
            ),
        ),
        [
            (
                "E09-transfer-mechanism",
                ("recipients", 1),
                None,
                f"Kumppani Yhdysvalloissa (United States) {NOT_EEA}",
            )
        ],
    ),
    "recipient with a country and no transfer": (
        R("recipients.0", {"name": SUPPORT, "role": "processor", "country": "IN"}),
        [
            ("E09-transfer-mechanism", ("recipients", 0), None, f"Tukikeskus (India) {NOT_EEA}"),
            (
                "E09-transfers-none-contradicted",
                ("transfers",),
                None,
                "`transfers: none`, but Tukikeskus (India) is outside the EEA",
            ),
        ],
    ),
    "recipient with an empty list of mechanisms": (
        R(
            "recipients.0",
            {
                "name": SUPPORT,
                "country": "IN",
                "transfer": {"mechanisms": [], "details": both("Katso.", "See.")},
            },
        ),
        [
            ("E09-transfer-mechanism", ("recipients", 0), None, f"Tukikeskus (India) {NOT_EEA}"),
            (
                "E09-transfers-none-contradicted",
                ("transfers",),
                None,
                "`transfers: none`, but Tukikeskus (India) is outside the EEA",
            ),
        ],
    ),
    "adequacy for the United States, but `transfers: none`": (
        R("recipients.0", US_RECIPIENT),
        [
            (
                "E09-transfers-none-contradicted",
                ("transfers",),
                None,
                "`transfers: none`, but Postipalvelu Example Inc. (United States) is outside "
                "the EEA",
            )
        ],
    ),
    "adequacy claimed for India": (
        _all(R("recipients.0", {**US_RECIPIENT, "country": "IN"}), R("transfers", [])),
        [
            (
                "E09-mechanism-fit",
                ("recipients", 0, "transfer"),
                None,
                "transfer mechanism does not fit: India has no adequacy decision",
            )
        ],
    ),
    "adequacy and SCCs for India": (
        _all(
            R(
                "recipients.0",
                {
                    **US_RECIPIENT,
                    "country": "IN",
                    "transfer": {"mechanisms": ["adequacy", "sccs"], "details": both("x.", "x.")},
                },
            ),
            R("transfers", []),
        ),
        [],
    ),
    "a listed transfer by derogation without its ground": (
        R("transfers", [{**CHINA, "mechanisms": ["derogation"]}]),
        [
            (
                "E09-mechanism-fit",
                ("transfers", 0),
                None,
                "transfer mechanism does not fit: a derogation needs its Art 49(1) ground "
                "(`derogation_ground`)",
            )
        ],
    ),
    "a listed transfer by derogation with its ground": (
        R(
            "transfers",
            [{**CHINA, "mechanisms": ["derogation"], "derogation_ground": "explicit_consent"}],
        ),
        [],
    ),
    "a listed transfer to China without a mechanism": (
        R("transfers", [CHINA]),
        [("E09-transfer-mechanism", ("transfers", 0), None, f"Hosting Ltd (China) {NOT_EEA}")],
    ),
    # --- cookies and trackers -------------------------------------------------------------------
    "analytics cookies on consent and legitimate interests": (
        R(
            "purposes.0",
            {
                "description": both("Kävijämäärien laskeminen.", "Counting visitors."),
                "legal_bases": ["consent", "legitimate_interests"],
                "legitimate_interest": both("Tilastot.", "Statistics."),
                "cookies": ["analytics"],
            },
        ),
        [
            (
                "E23-cookie-basis",
                ("purposes", 0, "legal_bases"),
                None,
                CONSENT_COOKIES.format("legitimate_interests"),
            )
        ],
    ),
    "Google Analytics named in a purpose on legitimate interests": (
        R(
            "purposes.0",
            {
                **LI,
                "description": both(
                    "Sivuston käytön mittaus Google Analyticsilla.",
                    "Measuring site use with Google Analytics.",
                ),
            },
        ),
        [
            (
                "E23-cookie-basis",
                ("purposes", 0, "legal_basis"),
                None,
                CONSENT_COOKIES.format("legitimate_interests"),
            )
        ],
    ),
    "strictly necessary cookies on legitimate interests": (
        R(
            "purposes.0",
            {
                **LI,
                "description": both(
                    "Välttämättömät evästeet pitävät istunnon auki.",
                    "Strictly necessary cookies keep the session open.",
                ),
            },
        ),
        [],
    ),
    "analytics cookies denied": (
        R(
            "purposes.0",
            {
                **LI,
                "description": both(
                    "Emme käytä analytiikkaevästeitä.", "We do not use analytics cookies."
                ),
            },
        ),
        [],
    ),
    "analytics cookies on consent alone": (R("purposes.0", VISITOR_ANALYTICS), []),
    "the site's analytics cookie on legitimate interests": (
        S("cookies.0.legal_basis", "legitimate_interests"),
        [
            (
                "E23-cookie-category-basis",
                ("cookies", 0, "legal_basis"),
                None,
                "an analytics or marketing cookie is given the basis `legitimate_interests`; "
                "it needs consent",
            )
        ],
    ),
    "a necessary cookie on legitimate interests": (
        _all(
            S("cookies.0.legal_basis", "legitimate_interests"),
            S("cookies.0.category", "necessary"),
        ),
        [],
    ),
    "Hotjar named in Finnish only, inflected": (
        R(
            "purposes.0.description",
            both("Tilausten toimittaminen. Käytämme Hotjaria.", "Delivering orders."),
        ),
        [
            (
                "E08-tracker-not-recipient",
                ("purposes", 0, "description", "fi"),
                "fi",
                TRACKER.format("Hotjar"),
            ),
            (
                "E23-cookie-basis",
                ("purposes", 0, "legal_basis"),
                None,
                CONSENT_COOKIES.format("contract"),
            ),
        ],
    ),
    "Hotjar named and its company a recipient": (
        _all(
            R("purposes.0.description", both("Käytämme Hotjaria.", "We use Hotjar.")),
            append("register", "recipients", {"name": both("Hotjar Ltd", "Hotjar Ltd")}),
        ),
        [
            (
                "E23-cookie-basis",
                ("purposes", 0, "legal_basis"),
                None,
                CONSENT_COOKIES.format("contract"),
            )
        ],
    ),
    "a Hotjar cookie on the site, no text names it": (
        append("site", "cookies", HOTJAR_COOKIE),
        [
            (
                "E08-tracker-not-recipient",
                ("website",),
                None,
                TRACKER.format("Hotjar (_hjSessionUser_1)"),
            )
        ],
    ),
    "a Hotjar cookie on the site, a register without the website": (
        _all(R("website", False), append("site", "cookies", HOTJAR_COOKIE)),
        [],
    ),
    "Meta pixel denied, Hotjar affirmed after a contrast": (
        R(
            "purposes.0.description",
            both(
                "Emme käytä Meta-pikseliä, mutta käytämme Hotjaria.",
                "We do not use the Meta pixel, but we use Hotjar.",
            ),
        ),
        [
            (
                "E08-tracker-not-recipient",
                ("purposes", 0, "description", "fi"),
                "fi",
                TRACKER.format("Hotjar"),
            ),
            # The contrast ends the denial's scope for the cookie basis too (issue 17).
            (
                "E23-cookie-basis",
                ("purposes", 0, "legal_basis"),
                None,
                "analytics or marketing cookies rest on `contract`; they need consent",
            ),
        ],
    ),
    "Google Analytics named where the site uses it (E08-google-not-named says it)": (
        R(
            "purposes.0.description",
            both("Käytämme Google Analyticsia.", "We use Google Analytics."),
        ),
        [
            (
                "E23-cookie-basis",
                ("purposes", 0, "legal_basis"),
                None,
                CONSENT_COOKIES.format("contract"),
            )
        ],
    ),
    # --- automated decisions --------------------------------------------------------------------
    "a bare automated decision": (
        R("automated_decisions", [{"description": both("Luottopisteytys.", "Credit scoring.")}]),
        [
            (
                "E15-automated-details",
                ("automated_decisions", 0, "description"),
                None,
                "automated decision does not say its logic, significance, consequences",
            )
        ],
    ),
    "an automated decision without its consequences": (
        R("automated_decisions", [{**DECISION, "consequences": None, "ground": "law"}]),
        [
            (
                "E15-automated-details",
                ("automated_decisions", 0),
                None,
                "automated decision does not say its consequences",
            )
        ],
    ),
    "a decision that is not solely automated": (
        R(
            "automated_decisions",
            [
                {
                    "description": both("Luottopisteytys.", "Credit scoring."),
                    "solely_automated": False,
                }
            ],
        ),
        [],
    ),
    "a solely automated decision without its ground": (
        R("automated_decisions", [DECISION]),
        [
            (
                "E15-automated-safeguards",
                ("automated_decisions", 0),
                None,
                "solely automated decision without its Art 22(2) ground",
            )
        ],
    ),
    "a decision on contract without safeguards": (
        R("automated_decisions", [{**DECISION, "ground": "contract"}]),
        [
            (
                "E15-automated-safeguards",
                ("automated_decisions", 0),
                None,
                "solely automated decision without its Art 22(3) safeguards",
            )
        ],
    ),
    "a decision on contract with safeguards": (
        R(
            "automated_decisions",
            [{**DECISION, "ground": "contract", "safeguards": both("Ihminen.", "A person.")}],
        ),
        [],
    ),
    "a decision authorised by law": (R("automated_decisions", [{**DECISION, "ground": "law"}]), []),
    # --- sources, special categories, criminal data ---------------------------------------------
    "a category's source named only as third parties": (
        R(
            "data_categories",
            [
                {
                    "name": both("Luottotiedot", "Credit data"),
                    "sources": [
                        "data_subject",
                        {"name": both("Kolmansilta osapuolilta", "Third parties")},
                    ],
                }
            ],
        ),
        [
            (
                "E16-sources-unnamed",
                ("data_categories", 0, "sources", 1, "name", "fi"),
                "fi",
                UNNAMED.format("Kolmansilta osapuolilta"),
            ),
            (
                "E16-sources-unnamed",
                ("data_categories", 0, "sources", 1, "name", "en"),
                "en",
                UNNAMED.format("Third parties"),
            ),
        ],
    ),
    "the register's sources: one finding per language, the first unnamed sentence": (
        R(
            "sources",
            both(
                "Sinulta itseltäsi. Lisäksi kumppaneilta.",
                "From you. Also from partners. And from other partners.",
            ),
        ),
        [
            (
                "E16-sources-unnamed",
                ("sources", "fi"),
                "fi",
                UNNAMED.format("Lisäksi kumppaneilta."),
            ),
            ("E16-sources-unnamed", ("sources", "en"), "en", UNNAMED.format("Also from partners.")),
        ],
    ),
    "health data without its Art 9(2) condition": (
        R(
            "data_categories",
            [{"name": both("Allergiat", "Allergies"), "special": {"category": "health"}}],
        ),
        [
            (
                "E07-special-condition",
                ("data_categories", 0, "special"),
                None,
                "special-category data (health) without the Art 9(2) condition that allows it",
            )
        ],
    ),
    "a category named like health data": (
        R("data_categories", [both("Terveystiedot", "Health data")]),
        [
            (
                "E07-special-undeclared",
                ("data_categories", 0, "fi"),
                "fi",
                'category looks like special-category data ("Terveys") but does not declare '
                "`special` with its Art 9(2) condition",
            )
        ],
    ),
    "customer health scores are about an account": (
        R("data_categories", [both("Asiakkaan terveyspisteet", "Customer health scores")]),
        [],
    ),
    "criminal data declared without its authorisation": (
        R(
            "data_categories",
            [{"name": both("Rikostaustaote", "Criminal record extract"), "criminal": {}}],
        ),
        [
            (
                "E07-criminal-authorisation",
                ("data_categories", 0, "criminal"),
                None,
                "criminal-offence data without the law that authorises processing it",
            )
        ],
    ),
    "a category named like criminal data": (
        R("data_categories", [both("Rikostaustaote", "Criminal record extract")]),
        [
            (
                "E07-criminal-authorisation",
                ("data_categories", 0, "fi"),
                "fi",
                "criminal-offence data without the law that authorises processing it",
            )
        ],
    ),
    # --- consent --------------------------------------------------------------------------------
    "a newsletter on consent, withdrawal nowhere": (
        R("purposes.0", NEWSLETTER),
        [("E12-consent-withdrawal", ("purposes", 0), None, WITHDRAWAL)],
    ),
    "withdrawal said elsewhere in the register": (
        _all(
            R("purposes.0", NEWSLETTER),
            R(
                "retention",
                both(
                    "Voit perua suostumuksesi milloin tahansa.",
                    "You can withdraw your consent at any time.",
                ),
            ),
        ),
        [],
    ),
    "cookie consent withdrawn through the site's cookie settings": (
        R("purposes.0", VISITOR_ANALYTICS),
        [],
    ),
    "cookie consent in a register without the website": (
        _all(R("website", False), R("purposes.0", VISITOR_ANALYTICS)),
        [("E12-consent-withdrawal", ("purposes", 0), None, WITHDRAWAL)],
    ),
    "withdrawal restricted by law while consent is a basis": (
        _all(
            R("purposes.0", NEWSLETTER),
            R(
                "restrictions",
                [
                    {
                        "right": "withdraw_consent",
                        "extent": "not_applicable",
                        "reason": both("Laki.", "Law."),
                        "law": "Laki 1/2000",
                    }
                ],
            ),
        ),
        [("E12-consent-withdrawal", ("restrictions",), None, WITHDRAWAL)],
    ),
}


# Near misses and second branches: each pins one condition of a rule.
MORE_CASES: dict[str, tuple[Edit, list[tuple[str, tuple[str | int, ...], str | None, str]]]] = {
    "a recipient named in India with a transfer but no country is not placed by words": (
        R(
            "recipients.0",
            {
                **IN_WORDS,
                "transfer": {"mechanisms": ["sccs"], "details": both("Katso.", "See.")},
            },
        ),
        [],
    ),
    "India grounded in Finnish prose only (the English names no country)": (
        _all(
            R("recipients.0", IN_WORDS),
            R(
                "transfers_note",
                both(
                    "Siirrämme tietoja Intiaan vakiosopimuslausekkeiden perusteella.",
                    "We transfer data outside the EEA under standard contractual clauses.",
                ),
            ),
        ),
        [],
    ),
    "a recipient in words in India and China: the first unlisted country in code order": (
        R(
            "recipients.0",
            {
                "name": both(
                    "Tukikeskukset Kiinassa ja Intiassa", "Support centres in China and India"
                ),
                "role": "processor",
            },
        ),
        [
            (
                "E09-transfer-mechanism",
                ("recipients", 0),
                None,
                f"Tukikeskukset Kiinassa ja Intiassa (India) {NOT_EEA}",
            )
        ],
    ),
    "a recipient whose purpose places it in India is named by its name": (
        R(
            "recipients.0",
            {
                "name": SUPPORT,
                "role": "processor",
                "purpose": both("Asiakastuki Intiassa.", "Customer support in India."),
            },
        ),
        [("E09-transfer-mechanism", ("recipients", 0), None, f"Tukikeskus (India) {NOT_EEA}")],
    ),
    "adequacy for Japan": (
        _all(R("recipients.0", {**US_RECIPIENT, "country": "JP"}), R("transfers", [])),
        [],
    ),
    "marketing cookies on two bases other than consent": (
        R(
            "purposes.0",
            {
                "description": both("Kävijämäärien laskeminen.", "Counting visitors."),
                "legal_bases": ["contract", "legitimate_interests"],
                "legitimate_interest": both("Tilastot.", "Statistics."),
                "cookies": ["marketing"],
            },
        ),
        [
            (
                "E23-cookie-basis",
                ("purposes", 0, "legal_bases"),
                None,
                CONSENT_COOKIES.format("contract, legitimate_interests"),
            )
        ],
    ),
    "a cookie on the device that is not analytics": (
        R(
            "purposes.0",
            {
                **LI,
                "description": both(
                    "Tallennamme laitteellesi evästeen kielivalintaasi varten.",
                    "We store a cookie on your device to remember your language.",
                ),
            },
        ),
        [],
    ),
    "necessary cookies that store a choice about analytics cookies": (
        R(
            "purposes.0",
            {
                **LI,
                "description": both(
                    "Välttämättömät evästeet tallentavat analytiikkaevästeitä koskevan valintasi.",
                    "Strictly necessary cookies store your choice about analytics cookies.",
                ),
            },
        ),
        [],
    ),
    "Google Admin is not Google Ads (a case ending is at most five letters after the name)": (
        R(
            "purposes.0",
            {
                **LI,
                "description": both(
                    "Käyttäjätilejä hallitaan Google Adminissa.",
                    "User accounts are managed in Google Admin.",
                ),
            },
        ),
        [],
    ),
    "Hotjar named, its company the recipient of a listed transfer": (
        _all(
            R("purposes.0.description", both("Käytämme Hotjaria.", "We use Hotjar.")),
            R(
                "transfers",
                [
                    {
                        "recipient": "Hotjar Ltd",
                        "country": "US",
                        "mechanisms": ["adequacy"],
                        "details": both("DPF.", "DPF."),
                    }
                ],
            ),
        ),
        [
            (
                "E23-cookie-basis",
                ("purposes", 0, "legal_basis"),
                None,
                CONSENT_COOKIES.format("contract"),
            )
        ],
    ),
    "automated decisions denied": (
        AUTO("Emme tee automaattisia päätöksiä.", "We make no automated decisions."),
        [],
    ),
    "denied at the opening, then the human review described": (
        AUTO(
            "Emme tee pelkästään automaattiseen käsittelyyn perustuvia päätöksiä. Ihminen "
            "tarkistaa jokaisen hakemuksen.",
            "We make no decisions based solely on automated processing. A person reviews every "
            "application.",
        ),
        [],
    ),
    "denied, but a contrast affirms one": (
        AUTO(
            "Emme tee automaattisia päätöksiä, mutta pisteytämme hakemukset automaattisesti.",
            "We make no automated decisions, but we score applications automatically.",
        ),
        [AUTOMATED_DETAILS],
    ),
    "every sentence denies, the first without naming automation": (
        AUTO(
            "Päätöksiä ei tehdä ilman ihmistä. Emme käytä automaattista päätöksentekoa.",
            "No decision is made without a person. We do not use automated decision-making.",
        ),
        [],
    ),
    "denied, a contrast in the same sentence affirms one, a second sentence follows": (
        AUTO(
            "Emme tee automaattisia päätöksiä, mutta pisteytämme hakemukset automaattisesti. "
            "Pisteet näkyvät käsittelijälle.",
            "We make no automated decisions, but we score applications automatically. The score "
            "is shown to staff.",
        ),
        [AUTOMATED_DETAILS],
    ),
    "denied in Finnish only": (
        AUTO("Emme tee automaattisia päätöksiä.", "Credit decisions are automated."),
        [AUTOMATED_DETAILS],
    ),
    "denied in Finnish, the English is only markup (no sentence denies)": (
        AUTO("Emme tee automaattisia päätöksiä.", "<p></p>"),
        [AUTOMATED_DETAILS],
    ),
    "denied at the opening, a contrast describes the review, a later sentence no denial": (
        AUTO(
            "Emme tee automaattisia päätöksiä, mutta ihminen tarkistaa jokaisen hakemuksen. "
            "Tarkistus kestää kaksi päivää.",
            "We make no automated decisions, but a person reviews each application. The review "
            "takes two days.",
        ),
        [],
    ),
    "a decision with an empty Finnish description (E15-automated-decisions says it)": (
        AUTO("", "Credit scoring."),
        [],
    ),
    "a decision that gives only its logic": (
        R(
            "automated_decisions",
            [{"description": DECISION["description"], "logic": DECISION["logic"]}],
        ),
        [
            (
                "E15-automated-details",
                ("automated_decisions", 0),
                None,
                "automated decision does not say its significance, consequences",
            ),
            (
                "E15-automated-safeguards",
                ("automated_decisions", 0),
                None,
                "solely automated decision without its Art 22(2) ground",
            ),
        ],
    ),
    "a detailed decision that is not solely automated": (
        R("automated_decisions", [{**DECISION, "solely_automated": False}]),
        [],
    ),
    "denied, then a later sentence affirms one": (
        AUTO(
            "Emme tee automaattisia päätöksiä. Luottopäätökset tehdään automaattisesti.",
            "We make no automated decisions. Credit decisions are made automatically.",
        ),
        [AUTOMATED_DETAILS],
    ),
    "third parties denied as a source": (
        R(
            "sources",
            both(
                "Emme saa tietoja kolmansilta osapuolilta.",
                "We do not get data from third parties.",
            ),
        ),
        [],
    ),
    "partners named by example": (
        R(
            "sources",
            both(
                "Saamme tietoja kumppaneilta, kuten Esimerkki Oy:ltä.",
                "We get data from partners, such as Example Ltd.",
            ),
        ),
        [],
    ),
    "health data declared with its condition": (
        R(
            "data_categories",
            [
                {
                    "name": both("Terveystiedot", "Health data"),
                    "special": {"category": "health", "condition": "health_or_social_care"},
                }
            ],
        ),
        [],
    ),
    "health data denied": (R("data_categories", [both("Ei terveystietoja", "No health data")]), []),
    "criminal data with its authorisation": (
        R(
            "data_categories",
            [
                {
                    "name": both("Rikostaustaote", "Criminal record extract"),
                    "criminal": {"authorisation": both("Laki 504/2002", "Act 504/2002")},
                }
            ],
        ),
        [],
    ),
    "criminal records denied": (
        R("data_categories", [both("Ei rikostietoja", "No criminal records")]),
        [],
    ),
    "withdrawal restricted, but nothing rests on consent": (
        R(
            "restrictions",
            [
                {
                    "right": "withdraw_consent",
                    "extent": "not_applicable",
                    "reason": both("Laki.", "Law."),
                    "law": "Laki 1/2000",
                }
            ],
        ),
        [],
    ),
    "cookie consent, and the site has no consent settings": (
        _all(S("consent", _DELETE), R("purposes.0", VISITOR_ANALYTICS)),
        [("E12-consent-withdrawal", ("purposes", 0), None, WITHDRAWAL)],
    ),
    "the purpose says how to withdraw": (
        R(
            "purposes.0",
            {
                **NEWSLETTER,
                "withdrawal": both(
                    "Peru tilaus viestin linkistä.", "Unsubscribe through the link."
                ),
            },
        ),
        [],
    ),
    "only the second purpose rests on consent": (
        R(
            "purposes",
            [{"description": both("Tilaukset.", "Orders."), "legal_basis": "contract"}, NEWSLETTER],
        ),
        [("E12-consent-withdrawal", ("purposes", 1), None, WITHDRAWAL)],
    ),
}
CASES.update(MORE_CASES)


@pytest.mark.parametrize("case", list(CASES))
def test_structure_findings(tmp_path: Path, case: str) -> None:
    edit, expected = CASES[case]
    assert said(tmp_path, edit) == expected


def test_transfer_messages_name_the_country_in_each_language(tmp_path: Path) -> None:
    edit = R("recipients.0", {"name": SUPPORT, "role": "processor", "country": "IN"})
    first = findings(tmp_path, _all(edit, R("transfers", [])))
    assert [f.message for f in first] == [
        {
            "en": f"Tukikeskus (India) {NOT_EEA}",
            "fi": "Tukikeskus (Intia) on ETA:n ulkopuolella, mutta siirtoperustetta ei ole annettu",
            "sv": first[0].message["sv"],
        }
    ]
    assert "(Indien)" in first[0].message["sv"]


def test_adequacy_detail_in_each_language(tmp_path: Path) -> None:
    edit = _all(R("recipients.0", {**US_RECIPIENT, "country": "IN"}), R("transfers", []))
    (fit,) = findings(tmp_path, edit)
    assert fit.message["fi"] == (
        "siirtoperuste ei sovi: Intia: ei tietosuojan riittävyyttä koskevaa päätöstä"
    )
    assert "Indien har inget beslut om adekvat skyddsnivå" in fit.message["sv"]


def test_derogation_detail_in_each_language(tmp_path: Path) -> None:
    (fit,) = findings(tmp_path, R("transfers", [{**CHINA, "mechanisms": ["derogation"]}]))
    assert fit.message["fi"] == (
        "siirtoperuste ei sovi: poikkeus tarvitsee 49 artiklan 1 kohdan perusteen "
        "(`derogation_ground`)"
    )
    assert "ett undantag kräver sin grund i artikel 49.1 (`derogation_ground`)" in fit.message["sv"]


def test_automated_details_list_the_missing_parts_in_each_language(tmp_path: Path) -> None:
    edit = R("automated_decisions", [{"description": both("Luottopisteytys.", "Credit scoring.")}])
    (details,) = findings(tmp_path, edit)
    assert details.message["fi"] == (
        "automaattisesta päätöksestä puuttuu: logiikka, merkitys, seuraukset"
    )
    assert "logik, betydelse, följder" in details.message["sv"]


def test_automated_safeguards_in_each_language(tmp_path: Path) -> None:
    (ground,) = findings(tmp_path, R("automated_decisions", [DECISION]))
    assert ground.message["fi"] == (
        "pelkästään automaattiselta päätökseltä puuttuu 22 artiklan 2 kohdan peruste"
    )
    assert "grund enligt artikel 22.2" in ground.message["sv"]
    (safeguards,) = findings(
        tmp_path, R("automated_decisions", [{**DECISION, "ground": "contract"}])
    )
    assert safeguards.message["fi"] == (
        "pelkästään automaattiselta päätökseltä puuttuu 22 artiklan 3 kohdan suojatoimet"
    )
    assert "skyddsåtgärder enligt artikel 22.3" in safeguards.message["sv"]


# The Art 9(1) categories as the GDPR's own English, Finnish and Swedish texts list them.
ART_9_1 = {
    "racial_or_ethnic_origin": (
        "racial or ethnic origin",
        "rotu tai etninen alkuperä",
        "ras eller etniskt ursprung",
    ),
    "political_opinions": ("political opinions", "poliittiset mielipiteet", "politiska åsikter"),
    "religious_or_philosophical_beliefs": (
        "religious or philosophical beliefs",
        "uskonnollinen tai filosofinen vakaumus",
        "religiös eller filosofisk övertygelse",
    ),
    "trade_union_membership": (
        "trade union membership",
        "ammattiliiton jäsenyys",
        "medlemskap i fackförening",
    ),
    "genetic": ("genetic", "geneettiset tiedot", "genetiska uppgifter"),
    "biometric": ("biometric", "biometriset tiedot", "biometriska uppgifter"),
    "health": ("health", "terveystiedot", "hälsa"),
    "sex_life": ("sex life", "seksuaalinen käyttäytyminen", "sexualliv"),
    "sexual_orientation": (
        "sexual orientation",
        "seksuaalinen suuntautuminen",
        "sexuell läggning",
    ),
}


def test_each_special_category_is_named_in_each_language(tmp_path: Path) -> None:
    categories = [
        {"name": both(f"Tieto {n}", f"Data {n}"), "special": {"category": category}}
        for n, category in enumerate(ART_9_1, 1)
    ]
    found = findings(tmp_path, R("data_categories", categories))
    assert [(f.rule_id, tuple(f.key_path)) for f in found] == [
        ("E07-special-condition", ("data_categories", index, "special"))
        for index in range(len(ART_9_1))
    ]
    assert [f.message["en"] for f in found] == [
        f"special-category data ({en}) without the Art 9(2) condition that allows it"
        for en, _fi, _sv in ART_9_1.values()
    ]
    assert [f.message["fi"] for f in found] == [
        f"erityiseen henkilötietoryhmään kuuluva tieto ({fi}) ilman 9 artiklan 2 kohdan perustetta"
        for _en, fi, _sv in ART_9_1.values()
    ]
    assert [f.message["sv"].split("(", 1)[1].split(")", 1)[0] for f in found] == [
        sv for _en, _fi, sv in ART_9_1.values()
    ]
