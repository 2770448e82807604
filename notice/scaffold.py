"""`notice new`: a register file with every mandatory element present and marked to fill in.

Each element the notice must give (LEGAL.md §1) is written with a `TODO:` text in every language
of the site, so the file loads at once and `notice check` lists, line by line, what remains: the
placeholder rule reports each field with a TODO once, naming its languages. Elements that need a
decision rather than a text are written too, with a TODO asking for the decision: `transfers:
none` with a `transfers_note` to confirm it, and one automated decision whose every text is a TODO
(or `none` instead). Slugs are the kind's word in each language (`kundregister`,
`customer-register`), the id otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from notice.model import LegalBasis


@dataclass(frozen=True)
class Kind:
    """A kind of register: its name in each language and the legal bases it usually rests on."""

    names: dict[str, str]
    bases: tuple[LegalBasis, ...]
    slugs: dict[str, str]
    """The notice page's address in each language (`[a-z0-9-]`)."""


KINDS: dict[str, Kind] = {
    "customers": Kind(
        {"fi": "Asiakasrekisteri", "sv": "Kundregister", "en": "Customer register"},
        (LegalBasis.contract, LegalBasis.legal_obligation),
        {"fi": "asiakasrekisteri", "sv": "kundregister", "en": "customer-register"},
    ),
    "newsletter": Kind(
        {
            "fi": "Uutiskirjeen tilaajat",
            "sv": "Nyhetsbrevets prenumeranter",
            "en": "Newsletter subscribers",
        },
        (LegalBasis.consent,),
        {"fi": "uutiskirje", "sv": "nyhetsbrev", "en": "newsletter"},
    ),
    "applicants": Kind(
        {
            "fi": "Työnhakijarekisteri",
            "sv": "Register över arbetssökande",
            "en": "Job applicant register",
        },
        (LegalBasis.contract, LegalBasis.consent),
        {"fi": "tyonhakijat", "sv": "arbetssokande", "en": "job-applicants"},
    ),
    "employees": Kind(
        {"fi": "Henkilöstörekisteri", "sv": "Personalregister", "en": "Personnel register"},
        (LegalBasis.contract, LegalBasis.legal_obligation),
        {"fi": "henkilostorekisteri", "sv": "personalregister", "en": "personnel-register"},
    ),
    "generic": Kind({}, (), {}),
}

# What each text asks the author for, per language.
_ASK: dict[str, dict[str, str]] = {
    "name": {"fi": "rekisterin nimi", "sv": "registrets namn", "en": "name of the register"},
    "purpose": {
        "fi": "mihin tietoja käytetään",
        "sv": "vad uppgifterna används till",
        "en": "what the data is used for",
    },
    "national_law": {
        "fi": "laki, johon peruste perustuu",
        "sv": "lagen som grunden vilar på",
        "en": "the law behind this basis",
    },
    "legitimate_interest": {
        "fi": "tavoiteltava etu",
        "sv": "det intresse som eftersträvas",
        "en": "the interest pursued",
    },
    "withdrawal": {
        "fi": "miten suostumus perutaan",
        "sv": "hur samtycket återkallas",
        "en": "how consent is withdrawn",
    },
    "provision_requirement": {
        "fi": "onko tietojen antaminen pakollista ja mitä seuraa, jos niitä ei anna",
        "sv": "om uppgifterna måste lämnas och vad som följer om de inte lämnas",
        "en": "whether the data must be given and what follows if it is not",
    },
    "data_subjects": {
        "fi": "keiden tietoja käsitellään",
        "sv": "vems uppgifter som behandlas",
        "en": "whose data is processed",
    },
    "category": {"fi": "tietoryhmä", "sv": "uppgiftsgrupp", "en": "category of data"},
    "sources": {
        "fi": "mistä tiedot saadaan",
        "sv": "varifrån uppgifterna kommer",
        "en": "where the data comes from",
    },
    "recipient": {
        "fi": "vastaanottaja nimeltä",
        "sv": "mottagaren med namn",
        "en": "the recipient by name",
    },
    "retention": {
        "fi": "säilytysaika tai sen peruste",
        "sv": "lagringstiden eller grunden för den",
        "en": "how long the data is kept, or the criteria",
    },
    "transfers": {
        "fi": "vahvista, ettei tietoja siirretä ETA-alueen ulkopuolelle, ja poista tämä rivi; "
        "muuten anna vastaanottajalle `country` ja `transfer`",
        "sv": "bekräfta att inga uppgifter överförs utanför EES och ta bort raden; annars ge "
        "mottagaren `country` och `transfer`",
        "en": "confirm that no data goes outside the EEA and delete this line; otherwise give "
        "the recipient its `country` and `transfer`",
    },
    "analytics": {
        "fi": "mitä palvelu tekee tiedoilla",
        "sv": "vad tjänsten gör med uppgifterna",
        "en": "what the service does with the data",
    },
    "transfer_details": {
        "fi": "mihin siirto perustuu ja mistä päätöksen tai suojatoimet voi lukea",
        "sv": "vad överföringen grundar sig på och var beslutet eller skyddsåtgärderna finns",
        "en": "what the transfer relies on and where to read the decision or safeguards",
    },
    "refusal": {
        "fi": "miten markkinoinnin voi kieltää, esimerkiksi jokaisen viestin peruutuslinkistä",
        "sv": "hur man avböjer marknadsföringen, till exempel via avregistreringslänken i "
        "varje meddelande",
        "en": "how to refuse the marketing, e.g. the unsubscribe link in every message",
    },
    "automated": {
        "fi": "mitä päätetään tai profiloidaan automaattisesti; jos ei mitään, korvaa lista "
        "sanalla `none`",
        "sv": "vad som avgörs eller profileras automatiskt; om inget, ersätt listan med `none`",
        "en": "what is decided or profiled automatically; if nothing, replace the list with `none`",
    },
    "logic": {
        "fi": "päätöksen logiikka",
        "sv": "logiken bakom beslutet",
        "en": "the logic involved",
    },
    "significance": {
        "fi": "merkitys henkilölle",
        "sv": "betydelsen för personen",
        "en": "its significance for the person",
    },
    "consequences": {
        "fi": "odotettavissa olevat seuraukset henkilölle",
        "sv": "de förväntade följderna för personen",
        "en": "the envisaged consequences for the person",
    },
    "security": {
        "fi": "miten tiedot suojataan",
        "sv": "hur uppgifterna skyddas",
        "en": "how the data is protected",
    },
}


def _todo(what: str, languages: list[str]) -> dict[str, str]:
    ask = _ASK[what]
    return {lang: f"TODO: {ask.get(lang, ask['en'])}" for lang in languages}


def _flow(text: dict[str, str]) -> str:
    """Write a localized text as a one-line YAML flow mapping."""
    return (
        "{"
        + ", ".join(
            f"{lang}: {json.dumps(value, ensure_ascii=False)}" for lang, value in text.items()
        )
        + "}"
    )


def site_languages(content_dir: Path) -> list[str]:
    """Return the languages `site.yaml` declares.

    Raises ValueError saying what is missing when there is no site.yaml in `content_dir` or it
    names no languages: the register's texts are written in the site's languages, never guessed.
    """
    path = content_dir / "site.yaml"
    if not path.is_file():
        here = ""
        if content_dir.name == "content" and (content_dir.parent / "site.yaml").is_file():
            parent = content_dir.parent
            here = f" (there is a site.yaml in {parent}: --content {parent})"
        raise ValueError(
            f"{path}: not found; `notice new` writes the register in the languages site.yaml"
            " declares. Run it in the folder that holds content/site.yaml, or give"
            f" --content DIR, the folder with site.yaml and registers/{here}"
        )
    try:
        site = yaml.safe_load(path.read_text(encoding="utf-8"))
        languages = [str(lang) for lang in site["languages"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        languages = []
    if not languages:
        raise ValueError(
            f"{path}: no `languages` to write the register in, e.g. `languages: [fi, sv, en]`;"
            " `notice check` says what else site.yaml needs"
        )
    return languages


@dataclass(frozen=True)
class SiteAnalytics:
    """What site.yaml says of Google Analytics: its provider and where its data goes."""

    provider: str
    transfers: tuple[dict[str, object], ...]


# Google Analytics 4 data goes to Google LLC in the United States (LEGAL.md; the rule
# E09-ga-us-transfer asks for it) when site.yaml names no transfer of its own.
_GA_TRANSFER: dict[str, object] = {
    "recipient": "Google LLC",
    "country": "US",
    "mechanisms": ["adequacy"],
    "decision": "(EU) 2023/1795",
}


def site_analytics(content_dir: Path) -> SiteAnalytics | None:
    """Return the site's Google Analytics (service or `_ga` cookies), or None."""
    try:
        site = yaml.safe_load((content_dir / "site.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    if not isinstance(site, dict):
        return None
    analytics = site.get("analytics") if isinstance(site.get("analytics"), dict) else {}
    cookies = site.get("cookies") if isinstance(site.get("cookies"), list) else []
    google = str(analytics.get("service", "")) in ("google_analytics_4", "universal_analytics")
    if not google and not any(
        isinstance(c, dict) and str(c.get("name", "")).startswith("_ga") for c in cookies
    ):
        return None
    transfers = tuple(
        {key: t[key] for key in ("recipient", "country", "mechanisms", "decision") if key in t}
        for t in analytics.get("transfers") or []
        if isinstance(t, dict) and t.get("recipient") and t.get("country")
    )
    return SiteAnalytics(
        str(analytics.get("provider") or "Google Ireland Limited"), transfers or (_GA_TRANSFER,)
    )


def _analytics_recipients(analytics: SiteAnalytics, languages: list[str]) -> list[str]:
    """Return the recipient lines for the site's Google Analytics, its transfers stated."""
    lines = [
        "  # Google Analytics on the site (site.yaml `analytics`): its provider and where the",
        "  # data goes, as site.yaml states them. Check them and describe the purpose.",
        f"  - name: {_flow(dict.fromkeys(languages, analytics.provider))}",
        "    role: processor",
        "    country: IE",
        f"    purpose: {_flow(_todo('analytics', languages))}",
    ]
    for transfer in analytics.transfers:
        mechanisms = ", ".join(str(m) for m in transfer.get("mechanisms") or ["adequacy"])
        lines += [
            f"  - name: {_flow(dict.fromkeys(languages, str(transfer['recipient'])))}",
            "    role: sub_processor",
            f"    country: {transfer['country']}",
            f"    purpose: {_flow(_todo('analytics', languages))}",
            "    transfer:",
            f"      mechanisms: [{mechanisms}]",
        ]
        if transfer.get("decision"):
            lines.append(f"      decision: {json.dumps(str(transfer['decision']))}")
        lines.append(f"      details: {_flow(_todo('transfer_details', languages))}")
    return lines


_NEWSLETTER = [
    "# E-mail direct marketing (Information Society Code 917/2014 s 200): a newsletter to",
    "# consumers needs their prior consent; without it only the customer-relationship exception",
    "# allows e-mail (your own similar products to your customers, who were offered an opt-out",
    "# when they gave the address). Every message must offer a free, easy way to refuse.",
    "marketing:",
    "  channels:",
    "    - {channel: email, basis: consent}",
]


def scaffold(
    register_id: str,
    languages: list[str],
    *,
    kind: str = "generic",
    bases: list[LegalBasis] | None = None,
    website: bool = False,
    today: dt.date | None = None,
    analytics: SiteAnalytics | None = None,
) -> str:
    """Return the YAML text of a new register with every mandatory element marked TODO."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", register_id):
        raise ValueError(f"{register_id!r} is not a valid id; use lowercase letters, digits and -")
    preset = KINDS[kind]
    chosen = list(bases or preset.bases)
    names = {lang: preset.names.get(lang, "") for lang in languages}
    name = names if all(names.values()) else _todo("name", languages)
    slug = {lang: preset.slugs.get(lang, register_id) for lang in languages}
    lines = [
        "# yaml-language-server: $schema=../../docs/schema/register.schema.json",
        f"# A new register ({kind}). Replace every TODO, in every language, then run",
        "# `notice check`: it lists each field that remains, once, at its line.",
        "# `notice check --explain RULE` says why a field is asked for and shows an example.",
        "version: 2.1",
        f"id: {register_id}",
        f"slug: {_flow(slug)}",
        f"name: {_flow(name)}",
        f"prepared: {(today or dt.date.today()).isoformat()}",
        "",
        "purposes:",
    ]
    for basis in chosen or [None]:
        lines.append(f"  - description: {_flow(_todo('purpose', languages))}")
        if basis is None:
            lines.append(
                "    # TODO: give `legal_bases: [...]` (consent, contract, legal_obligation, …)"
            )
            continue
        lines.append(f"    legal_bases: [{basis.value}]")
        if basis in (LegalBasis.legal_obligation, LegalBasis.public_task):
            lines.append(f"    national_law: {_flow(_todo('national_law', languages))}")
        if basis is LegalBasis.legitimate_interests:
            lines.append(
                f"    legitimate_interest: {_flow(_todo('legitimate_interest', languages))}"
            )
        if basis is LegalBasis.consent:
            lines.append(f"    withdrawal: {_flow(_todo('withdrawal', languages))}")
    lines += [
        "",
        f"provision_requirement: {_flow(_todo('provision_requirement', languages))}",
        f"data_subjects: {_flow(_todo('data_subjects', languages))}",
        "data_categories:",
        f"  - name: {_flow(_todo('category', languages))}",
        "    sources: [data_subject]",
        f"sources: {_flow(_todo('sources', languages))}",
        "recipients:",
        f"  - name: {_flow(_todo('recipient', languages))}",
        "    role: processor",
        "    # country: FI   # ISO code; a country outside the EEA also needs `transfer:`",
    ]
    google = analytics if website else None
    if google is not None:
        # The analytics recipients state the transfer: `transfers: none` would contradict them.
        lines += _analytics_recipients(google, languages)
    else:
        lines += [
            "transfers: none",
            f"transfers_note: {_flow(_todo('transfers', languages))}",
        ]
    if kind == "newsletter":
        lines += _NEWSLETTER
        lines.append(f"  refusal: {_flow(_todo('refusal', languages))}")
    lines += [
        f"retention: {_flow(_todo('retention', languages))}",
        "automated_decisions:",
        f"  - description: {_flow(_todo('automated', languages))}",
        f"    logic: {_flow(_todo('logic', languages))}",
        f"    significance: {_flow(_todo('significance', languages))}",
        f"    consequences: {_flow(_todo('consequences', languages))}",
        "security:",
        f"  electronic: {_flow(_todo('security', languages))}",
        f"website: {'true' if website else 'false'}",
        "",
    ]
    return "\n".join(lines)
