"""The rule table: one row per rule drives `notice check`, `--list-rules` and `docs/checks.md`.

A row names its id, severity, the GDPR element (E01–E23, LEGAL.md §1) or other source it enforces,
a message and a one-line fix hint in English and Finnish, and the function that finds it; the
Swedish message and hint of every rule are in `data/messages_sv.yaml`. Messages may name
parameters (`{quote}`) that the function fills in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Literal

from notice.checks import (
    blocks,
    consistency,
    cookies,
    datafiles,
    elements,
    exempt,
    fairness,
    records,
    structure,
    text,
)
from notice.checks.findings import Hit, Severity

Scope = Literal["site", "register", "across"]

E, W, INFO = Severity.error, Severity.warning, Severity.info


@dataclass(frozen=True)
class Rule:
    """One check: what it enforces, how bad a finding is, what to say and what to do."""

    id: str
    severity: Severity
    element: str
    """GDPR element id from LEGAL.md §1 (E01–E23) or `-` for form and consistency rules."""
    source: str
    """Where the requirement comes from (article, guideline, case)."""
    scope: Scope
    """`site`: run once with the whole content; `register`: run once per register; `across`:
    run once over every register after the others, comparing registers with each other (never
    in the cache's per-register parts, see `engine.across_registers`)."""
    check: Callable[..., Iterable[Hit]]
    message: dict[str, str]
    hint: dict[str, str]
    example: str = ""
    """A YAML snippet that fixes a finding (`notice check --explain RULE`)."""


def _rule(
    rule_id: str,
    severity: Severity,
    element: str,
    source: str,
    scope: Scope,
    check: Callable[..., Iterable[Hit]],
    message: tuple[str, str],
    hint: tuple[str, str],
    *,
    example: str = "",
) -> Rule:
    swedish = swedish_messages()[rule_id]
    return Rule(
        rule_id,
        severity,
        element,
        source,
        scope,
        check,
        {"en": message[0], "fi": message[1], "sv": swedish["message"]},
        {"en": hint[0], "fi": hint[1], "sv": swedish["hint"]},
        example,
    )


@cache
def swedish_messages() -> dict[str, dict[str, str]]:
    """Return the Swedish message and hint of every rule (and scan rule), by rule id."""
    data: dict[str, dict[str, str]] = datafiles.read("messages_sv.yaml")
    return data


RULES: tuple[Rule, ...] = (
    # --- Completeness: the elements of Art 13/14 (LEGAL.md §1) --------------------------------
    _rule(
        "E01-controller",
        E,
        "E01",
        "Art 13(1)(a), 14(1)(a)",
        "site",
        elements.controller_identity,
        ("controller's {what} is missing", "rekisterinpitäjän {what} puuttuu"),
        (
            "give the controller's name and e-mail, phone or postal address under `controller`",
            "anna `controller`-kohdassa rekisterinpitäjän nimi ja sähköposti, puhelin tai osoite",
        ),
        example="""\
controller:
  name: Example Oy
  email: privacy@example.fi""",
    ),
    _rule(
        "E01-postal-address",
        W,
        "E01",
        "Art 13(1)(a), 14(1)(a)",
        "site",
        elements.controller_address,
        (
            "controller's postal address is incomplete: {what} missing",
            "rekisterinpitäjän postiosoite on puutteellinen: {what}",
        ),
        (
            "add {fields} under `controller`",
            "lisää `controller`-kohtaan {fields}",
        ),
        example="""\
controller:
  street_address: Esimerkkikatu 1
  postal_code: "00100"
  city: Helsinki""",
    ),
    _rule(
        "E01-business-id",
        W,
        "E01",
        "Art 13(1)(a), 14(1)(a)",
        "site",
        elements.business_id,
        ("controller's business id is not given", "rekisterinpitäjän Y-tunnus puuttuu"),
        (
            "add `business_id` (Y-tunnus) under `controller`",
            "lisää `controller`-kohtaan `business_id` (Y-tunnus)",
        ),
        example="""\
controller:
  business_id: 1234567-8""",
    ),
    _rule(
        "E02-representative",
        W,
        "E02",
        "Art 13(1)(a), 27",
        "site",
        elements.representative,
        (
            "the notice does not say whether the controller has an EU representative "
            "(required when the controller is established outside the EU)",
            "selosteessa ei kerrota, onko rekisterinpitäjällä EU-edustajaa "
            "(pakollinen, jos rekisterinpitäjä on EU:n ulkopuolella)",
        ),
        (
            "set `representative:` to the representative's contact, or to `none`",
            "anna `representative:`-kohtaan edustajan yhteystiedot tai `none`",
        ),
        example="""\
representative: none   # established in the EU; else the representative's contact""",
    ),
    _rule(
        "E03-dpo",
        W,
        "E03",
        "Art 13(1)(b), 14(1)(b)",
        "site",
        elements.dpo,
        (
            "data protection officer is neither named nor stated as not designated",
            "tietosuojavastaavaa ei ole nimetty eikä kerrottu, ettei sellaista ole",
        ),
        (
            "set `dpo:` to the officer's contact details, or to `none`",
            "anna `dpo:`-kohtaan tietosuojavastaavan yhteystiedot tai `none`",
        ),
        example="""\
dpo:
  title: {fi: Tietosuojavastaava, sv: Dataskyddsombud, en: Data protection officer}
  email: dpo@example.fi""",
    ),
    _rule(
        "E04-purposes",
        E,
        "E04",
        "Art 13(1)(c), 14(1)(c)",
        "register",
        elements.purposes,
        ("purpose of processing is missing or empty", "käsittelyn tarkoitus puuttuu tai on tyhjä"),
        (
            "list each purpose under `purposes` with a `description` in every language",
            "luettele `purposes`-kohtaan jokainen tarkoitus ja sen `description` kaikilla kielillä",
        ),
        example="""\
purposes:
  - description:
      fi: Tilausten toimittaminen ja laskutus.
      sv: Att leverera beställningar och fakturera dem.
      en: Delivering orders and invoicing them.
    legal_bases: [contract]""",
    ),
    _rule(
        "E05-legal-basis",
        E,
        "E05",
        "Art 13(1)(c), 6(1)",
        "register",
        elements.legal_basis,
        ("purpose {purpose} has no legal basis", "tarkoitukselta {purpose} puuttuu oikeusperuste"),
        (
            "give the purpose its `legal_bases`, one or more of consent, contract, "
            "legal_obligation, vital_interests, public_task and legitimate_interests, e.g. "
            "`legal_bases: [contract]`",
            "anna tarkoitukselle `legal_bases`: yksi tai useampi perusteista consent, contract, "
            "legal_obligation, vital_interests, public_task ja legitimate_interests, esim. "
            "`legal_bases: [contract]`",
        ),
        example="""\
  - description: {fi: Kirjanpito., sv: Bokföring., en: Bookkeeping.}
    legal_bases: [legal_obligation]
    national_law:
      fi: Kirjanpitolaki 1336/1997
      sv: Bokföringslagen 1336/1997
      en: Accounting Act 1336/1997""",
    ),
    _rule(
        "E06-legitimate-interest",
        W,
        "E06",
        "Art 13(1)(d), 6(1)(f)",
        "register",
        elements.legitimate_interest,
        (
            "purpose rests on legitimate interests but does not say which interest",
            "tarkoitus perustuu oikeutettuun etuun, mutta etua ei kerrota",
        ),
        (
            "describe the interest in `legitimate_interest` (what the controller gains, not who "
            "the person is)",
            "kuvaa etu `legitimate_interest`-kohdassa (mitä rekisterinpitäjä tavoittelee, ei "
            "kuka henkilö on)",
        ),
        example="""\
    legal_bases: [legitimate_interests]
    legitimate_interest:
      fi: Korttimaksujen väärinkäytösten estäminen.
      sv: Att förhindra bedrägerier vid kortbetalningar.
      en: Preventing fraud in card payments.""",
    ),
    _rule(
        "E06-interest-is-relationship",
        W,
        "E06",
        "Art 13(1)(d); WP260 rev.01",
        "register",
        consistency.interest_is_relationship,
        (
            'legitimate interest names a relationship, not an interest: "{quote}"',
            'oikeutettu etu on suhde eikä etu: "{quote}"',
        ),
        (
            'say what the interest is, e.g. "sending offers to existing customers"',
            'kerro, mikä etu on, esim. "tarjousten lähettäminen nykyisille asiakkaille"',
        ),
        example="""\
    legitimate_interest:
      fi: Omien tuotteidemme tarjoaminen niille, jotka jo ostavat meiltä.
      sv: Att erbjuda våra egna produkter till dem som redan köper av oss.
      en: Offering our own products to people who already buy from us.""",
    ),
    _rule(
        "E06-interest-without-basis",
        W,
        "E06",
        "Art 13(1)(c)-(d)",
        "register",
        consistency.interest_without_basis,
        (
            "a legitimate interest is given but the purpose's basis is {basis}",
            "oikeutettu etu on annettu, mutta tarkoituksen peruste on {basis}",
        ),
        (
            "add `legitimate_interests` to the purpose's `legal_bases` or remove "
            "`legitimate_interest`",
            "lisää tarkoituksen `legal_bases`-luetteloon `legitimate_interests` tai poista "
            "`legitimate_interest`",
        ),
        example="""\
    legal_bases: [legitimate_interests]   # or remove legitimate_interest""",
    ),
    _rule(
        "E07-data-categories",
        E,
        "E07",
        "Art 14(1)(d)",
        "register",
        elements.data_categories,
        (
            "categories of personal data are missing or empty",
            "henkilötietoryhmät puuttuvat tai ovat tyhjiä",
        ),
        (
            "list the kinds of data (name, e-mail, orders …) under `data_categories`",
            "luettele tietojen lajit (nimi, sähköposti, tilaukset …) `data_categories`-kohtaan",
        ),
        example="""\
data_categories:
  - name: {fi: Nimi ja yhteystiedot, sv: Namn och kontaktuppgifter, en: Name and contact details}
  - name: {fi: Tilaushistoria, sv: Beställningshistorik, en: Order history}""",
    ),
    _rule(
        "E08-recipients",
        W,
        "E08",
        "Art 13(1)(e), 14(1)(e)",
        "register",
        elements.recipients,
        (
            "no recipients are listed (required when anyone receives the data)",
            "vastaanottajia ei ole lueteltu (pakollinen, jos joku saa tietoja)",
        ),
        (
            "list who receives the data under `recipients` (processors by name)",
            "luettele tietojen vastaanottajat `recipients`-kohtaan (käsittelijät nimeltä)",
        ),
        example="""\
recipients:
  - name:
      fi: Tilitoimisto Esimerkki Oy
      sv: Bokföringsbyrån Example Oy
      en: Accounting firm Example Oy
    role: processor
    country: FI""",
    ),
    _rule(
        "E08-recipient-name",
        E,
        "E08",
        "Art 13(1)(e), 14(1)(e)",
        "register",
        elements.recipient_names,
        ("a recipient has no name", "vastaanottajalta puuttuu nimi"),
        (
            "give the recipient's `name` in every language",
            "anna vastaanottajan `name` kaikilla kielillä",
        ),
        example="""\
  - name:
      fi: Tilitoimisto Esimerkki Oy
      sv: Bokföringsbyrån Example Oy
      en: Accounting firm Example Oy""",
    ),
    _rule(
        "E08-recipients-vague",
        W,
        "E08",
        "Art 13(1)(e); WP260 rev.01",
        "register",
        consistency.recipients_vague,
        ("recipients are vague: {words}", "vastaanottajat on kuvattu epämääräisesti: {words}"),
        (
            'name each recipient or a precise category (e.g. "accounting firm"), without '
            '"etc." or "where applicable"',
            'nimeä jokainen vastaanottaja tai täsmällinen ryhmä (esim. "tilitoimisto") ilman '
            'sanoja "jne" tai "soveltuvin osin"',
        ),
        example="""\
  - name:  # not: partners etc.
      fi: Sähköpostipalvelumme Example Mail Ltd
      sv: Vår e-posttjänst Example Mail Ltd
      en: Our e-mail service Example Mail Ltd""",
    ),
    _rule(
        "E08-google-not-named",
        W,
        "E08",
        "Art 13(1)(e)",
        "register",
        consistency.recipients_google,
        (
            "Google Analytics is used but Google is not named as a recipient",
            "Google Analytics on käytössä, mutta Googlea ei mainita vastaanottajana",
        ),
        (
            "add Google (Google Ireland Limited, processor) to `recipients`",
            "lisää Google (Google Ireland Limited, käsittelijä) `recipients`-kohtaan",
        ),
        example="""\
recipients:
  - name:
      fi: Google Ireland Limited (Google Analytics)
      sv: Google Ireland Limited (Google Analytics)
      en: Google Ireland Limited (Google Analytics)
    role: processor
    country: IE""",
    ),
    _rule(
        "E09-transfers",
        W,
        "E09",
        "Art 13(1)(f), 14(1)(f)",
        "register",
        elements.transfers_stated,
        (
            "the register does not state whether data is transferred outside the EEA",
            "rekisterissä ei kerrota, siirretäänkö tietoja ETA-alueen ulkopuolelle",
        ),
        (
            "set `transfers: none`, or list each transfer with country and mechanism",
            "aseta `transfers: none` tai luettele siirrot maineen ja siirtoperusteineen",
        ),
        example="""\
transfers: none   # or give each recipient its `country`""",
    ),
    _rule(
        "E09-transfer-details",
        W,
        "E09",
        "Art 13(1)(f)",
        "register",
        elements.transfer_details,
        (
            "a transfer does not say where to get the decision or safeguard",
            "siirrosta ei kerrota, mistä päätöksen tai suojatoimet saa",
        ),
        (
            "add `details` naming the decision or safeguard and where to read it",
            "lisää `details`, jossa nimetään päätös tai suojatoimi ja mistä sen saa",
        ),
        example="""\
    transfer:
      mechanisms: [sccs]
      details:
        fi: Vakiosopimuslausekkeet (EU) 2021/914; kopion saa osoitteesta privacy@example.fi.
        sv: Standardavtalsklausuler (EU) 2021/914; en kopia fås från privacy@example.fi.
        en: Standard contractual clauses (EU) 2021/914; ask privacy@example.fi for a copy.""",
    ),
    _rule(
        "E09-transfers-conditional",
        E,
        "E09",
        "Art 13(1)(f)",
        "register",
        consistency.transfers_conditional,
        (
            'transfer statement is conditional ("{word}"): "{quote}"',
            'siirtoa koskeva lause on ehdollinen ("{word}"): "{quote}"',
        ),
        (
            "say whether data is transferred; if it is, list the transfers under `transfers`",
            "kerro, siirretäänkö tietoja; jos siirretään, luettele siirrot `transfers`-kohtaan",
        ),
        example="""\
transfers_note:
  fi: Siirrämme tietoja Yhdysvaltoihin vain Example Inc:lle (ks. edellä).
  sv: Vi överför uppgifter till Förenta staterna endast till Example Inc. (se ovan).
  en: We transfer data to the United States only to Example Inc. (see above).""",
    ),
    _rule(
        "E09-transfers-eu-not-eea",
        E,
        "E09",
        "Art 13(1)(f), 44",
        "register",
        consistency.transfers_eu_not_eea,
        (
            'transfer statement speaks of the EU; Chapter V is about the EEA: "{quote}"',
            'siirtoa koskeva lause puhuu EU:sta, vaikka säännöt koskevat ETA-aluetta: "{quote}"',
        ),
        (
            'write "outside the European Economic Area (EEA)"',
            'kirjoita "Euroopan talousalueen (ETA) ulkopuolelle"',
        ),
        example="""\
transfers_note:
  fi: Emme siirrä tietoja Euroopan talousalueen (ETA) ulkopuolelle.
  sv: Vi överför inte uppgifter utanför Europeiska ekonomiska samarbetsområdet (EES).
  en: We do not transfer data outside the European Economic Area (EEA).""",
    ),
    _rule(
        "E09-transfers-unspecified",
        E,
        "E09",
        "Art 13(1)(f)",
        "register",
        consistency.transfers_unspecified,
        (
            "Google Analytics sends data abroad but the transfer text names no country or "
            'mechanism: "{quote}"',
            "Google Analytics siirtää tietoja, mutta siirtotekstissä ei ole maata eikä "
            'siirtoperustetta: "{quote}"',
        ),
        (
            "list the transfer under `transfers` with `country` and `mechanism`",
            "luettele siirto `transfers`-kohtaan (`country` ja `mechanism`)",
        ),
        example="""\
recipients:
  - name: {fi: Google LLC, sv: Google LLC, en: Google LLC}
    country: US
    transfer: {mechanisms: [adequacy], decision: (EU) 2023/1795}""",
    ),
    _rule(
        "E09-ga-us-transfer",
        E,
        "E09",
        "Art 13(1)(f), 45; Decision (EU) 2023/1795",
        "register",
        consistency.ga_us_transfer,
        (
            "Google Analytics is used but no transfer to the United States is stated",
            "Google Analytics on käytössä, mutta siirtoa Yhdysvaltoihin ei kerrota",
        ),
        (
            "add a transfer (Google LLC, United States, adequacy: EU–US Data Privacy Framework) "
            "under `analytics.transfers`",
            "lisää siirto (Google LLC, Yhdysvallat, adequacy: EU–US Data Privacy Framework) "
            "`analytics.transfers`-kohtaan",
        ),
        example="""\
analytics:
  transfers:
    - recipient: Google LLC
      country: US
      mechanisms: [adequacy]
      decision: (EU) 2023/1795""",
    ),
    _rule(
        "E10-retention",
        E,
        "E10",
        "Art 13(2)(a), 14(2)(a)",
        "register",
        elements.retention,
        ("retention period is missing or empty", "säilytysaika puuttuu tai on tyhjä"),
        (
            "say how long the data is kept, or the criteria: `retention` for the register, or "
            "`data_categories[].retention` on every category",
            "kerro, kuinka kauan tietoja säilytetään tai millä perusteella: rekisterin "
            "`retention` tai jokaisen tietoryhmän `data_categories[].retention`",
        ),
        example="""\
retention:
  fi: Kymmenen vuotta asiakassuhteen päättymisestä.
  sv: Tio år från att kundrelationen upphört.
  en: Ten years from the end of the customer relationship.
data_categories:
  - name: {fi: Markkinointikiellot, sv: Förbud mot marknadsföring, en: Marketing objections}
    retention:
      fi: Niin kauan kuin kielto on voimassa.
      sv: Så länge förbudet gäller.
      en: As long as the objection is in force.""",
    ),
    _rule(
        "E11-rights",
        E,
        "E11",
        "Art 13(2)(b), 14(2)(c)",
        "register",
        elements.rights,
        ("the override of the {right} text is empty", "oikeuden {right} korvaava teksti on tyhjä"),
        (
            "write the text, or remove the override to use the standard text",
            "kirjoita teksti tai poista korvaus, jolloin käytetään vakiotekstiä",
        ),
        example="""\
rights:
  other:
    fi: Voit myös kieltää meitä julkaisemasta nimeäsi jäsenluetteloissa.
    sv: Du kan också förbjuda oss att publicera ditt namn i medlemsförteckningar.
    en: You can also forbid us to publish your name in member lists.""",
    ),
    _rule(
        "E11-law-one-string",
        INFO,
        "E11",
        "Art 12(1)",
        "register",
        consistency.law_one_string,
        (
            'the provision "{law}" is written once, so readers of every language get it as it '
            "is written",
            'säännös "{law}" on kirjoitettu vain kerran, joten jokaisen kielen lukija saa sen '
            "sellaisenaan",
        ),
        (
            "give `law` per language, e.g. `fi: tietosuoja-asetuksen 17 artiklan 3 kohdan b "
            "alakohta`, `sv: artikel 17.3 b i dataskyddsförordningen`",
            "anna `law` kielittäin, esim. `fi: tietosuoja-asetuksen 17 artiklan 3 kohdan b "
            "alakohta`, `sv: artikel 17.3 b i dataskyddsförordningen`",
        ),
        example="""\
    law:
      fi: tietosuoja-asetuksen 17 artiklan 3 kohdan b alakohta
      sv: artikel 17.3 b i dataskyddsförordningen
      en: GDPR Article 17(3)(b)""",
    ),
    _rule(
        "E12-withdrawal",
        E,
        "E12",
        "Art 13(2)(c), 7(3)",
        "register",
        elements.withdrawal,
        (
            "something rests on consent but the notice does not say how to withdraw it",
            "jokin perustuu suostumukseen, mutta selosteessa ei kerrota, miten sen voi perua",
        ),
        (
            "describe withdrawal at any time in `consent.withdrawal` of site.yaml",
            "kuvaa suostumuksen peruminen milloin tahansa site.yaml-tiedoston kohdassa "
            "`consent.withdrawal`",
        ),
        example="""\
consent:
  withdrawal:
    fi: Voit muuttaa valintaasi milloin tahansa jokaisen sivun alareunan Evästeasetukset-linkistä.
    sv: Du kan när som helst ändra ditt val via Kakinställningar längst ned på varje sida.
    en: Change your choice at any time through Cookie settings at the bottom of every page.""",
    ),
    _rule(
        "E13-complaint",
        E,
        "E13",
        "Art 13(2)(d), 77",
        "register",
        elements.complaint,
        (
            "no supervisory authority is given for complaints (site.yaml "
            "`supervisory_authority`; a register's complaint text does not replace it)",
            "valvontaviranomaista, jolle voi tehdä valituksen, ei ole annettu (site.yaml "
            "`supervisory_authority`; rekisterin valitusteksti ei korvaa sitä)",
        ),
        (
            "add `supervisory_authority` to site.yaml",
            "lisää site.yaml-tiedostoon `supervisory_authority`",
        ),
        example="""\
supervisory_authority:
  name:
    fi: Tietosuojavaltuutetun toimisto
    sv: Dataombudsmannens byrå
    en: Office of the Data Protection Ombudsman
  url: https://tietosuoja.fi""",
    ),
    _rule(
        "E13-authority-outdated",
        W,
        "E13",
        "tietosuoja.fi",
        "site",
        consistency.authority_outdated,
        (
            "supervisory authority's contact details are outdated: {values}",
            "valvontaviranomaisen yhteystiedot ovat vanhentuneet: {values}",
        ),
        (
            "use Lintulahdenkuja 4, 00530 Helsinki; PL 800, 00531 Helsinki; 029 566 6700; "
            "tietosuoja@om.fi",
            "käytä osoitteita Lintulahdenkuja 4, 00530 Helsinki; PL 800, 00531 Helsinki; "
            "029 566 6700; tietosuoja@om.fi",
        ),
        example="""\
supervisory_authority:
  street_address: Lintulahdenkuja 4
  postal_code: "00530"
  postal_address: PL 800, 00531 Helsinki
  phone: 029 566 6700
  email: tietosuoja@om.fi
  url:
    fi: https://tietosuoja.fi/yhteystiedot
    sv: https://tietosuoja.fi/sv/kontaktuppgifter
    en: https://tietosuoja.fi/en/contact-information""",
    ),
    _rule(
        "E14-provision-requirement",
        E,
        "E14",
        "Art 13(2)(e)",
        "register",
        elements.provision_requirement,
        (
            "the notice does not say whether providing the data is required and what follows if "
            "it is not given",
            "selosteessa ei kerrota, onko tietojen antaminen pakollista ja mitä seuraa, jos niitä "
            "ei anneta",
        ),
        (
            "answer in `provision_requirement`, or give every category its "
            "`data_categories[].provision` (statutory, contractual, …) and "
            "`provision_consequence`",
            "vastaa `provision_requirement`-kohdassa tai anna jokaiselle tietoryhmälle "
            "`data_categories[].provision` (statutory, contractual, …) ja "
            "`provision_consequence`",
        ),
        example="""\
provision_requirement:
  fi: Laki ei velvoita antamaan tietoja, mutta ilman niitä emme voi toimittaa tilaustasi.
  sv: Lagen kräver inte att du lämnar uppgifterna, men utan dem kan vi inte leverera din
    beställning.
  en: Providing the data is not required by law, but without it we cannot deliver your order.""",
    ),
    _rule(
        "E14-provision-contract-without-basis",
        W,
        "E14",
        "Art 13(2)(e), 6(1)(b)",
        "register",
        consistency.provision_without_contract,
        (
            '"{category}" is said to be {provision}, but no purpose of the register rests on a '
            "contract",
            'tietoryhmästä "{category}" sanotaan, että se on {provision}, mutta mikään '
            "rekisterin käyttötarkoitus ei perustu sopimukseen",
        ),
        (
            "set the category's `provision` to what is true (`statutory` or `voluntary`, with "
            "`provision_consequence`), or give the purpose that makes the contract "
            "`legal_bases: [contract]`",
            "anna tietoryhmän `provision`-kohtaan paikkansa pitävä arvo (`statutory` tai "
            "`voluntary` ja `provision_consequence`) tai anna sopimuksen tekevälle "
            "käyttötarkoitukselle `legal_bases: [contract]`",
        ),
        example="""\
data_categories:
  - name: {fi: Nimi ja sähköpostiosoite, sv: Namn och e-postadress, en: Name and e-mail address}
    provision: voluntary
    provision_consequence:
      fi: Ilman niitä emme voi käsitellä pyyntöäsi.
      sv: Utan dem kan vi inte behandla din begäran.
      en: Without them we cannot handle your request.""",
    ),
    _rule(
        "E15-automated-decisions",
        E,
        "E15",
        "Art 13(2)(f), 14(2)(g), 22",
        "register",
        elements.automated_decisions,
        (
            "automated decision-making and profiling are not described",
            "automaattista päätöksentekoa ja profilointia ei ole kuvattu",
        ),
        (
            "describe the logic and effects in `automated_decisions`, or set it to `none`",
            "kuvaa logiikka ja vaikutukset `automated_decisions`-kohdassa tai aseta arvoksi `none`",
        ),
        example="""\
automated_decisions: none""",
    ),
    _rule(
        "E16-sources",
        W,
        "E16",
        "Art 14(2)(f)",
        "register",
        elements.sources,
        (
            "sources of the data are not given (required when data is not collected from the "
            "person)",
            "tietolähteitä ei ole kerrottu (pakollinen, kun tietoja ei saada henkilöltä itseltään)",
        ),
        (
            "give each category's `data_categories[].sources` (`data_subject` or a named source "
            "with `publicly_accessible`), or say it in `sources`",
            "anna jokaiselle tietoryhmälle `data_categories[].sources` (`data_subject` tai "
            "nimetty lähde ja `publicly_accessible`) tai kerro lähteet `sources`-kohdassa",
        ),
        example="""\
data_categories:
  - name: {fi: Osoite, sv: Adress, en: Address}
    sources:
      - data_subject
      - name:
          fi: Väestötietojärjestelmä
          sv: Befolkningsdatasystemet
          en: Population Information System
        publicly_accessible: false""",
    ),
    _rule(
        "E16-category-source",
        W,
        "E16",
        "Art 14(2)(f)",
        "register",
        elements.category_sources,
        (
            'categories state their sources, but "{category}" does not',
            'tietoryhmien lähteet on kerrottu, mutta ryhmän "{category}" ei',
        ),
        (
            "give the category its `sources`: `data_subject`, or the named source and "
            "`publicly_accessible`",
            "anna tietoryhmälle `sources`: `data_subject` tai nimetty lähde ja "
            "`publicly_accessible`",
        ),
        example="""\
  - name: {fi: Luottotiedot, sv: Kreditupplysningar, en: Credit information}
    sources:
      - name: {fi: Suomen Asiakastieto Oy, sv: Suomen Asiakastieto Oy, en: Suomen Asiakastieto Oy}
        publicly_accessible: false""",
    ),
    _rule(
        "E20-objection-content",
        E,
        "E20",
        "Art 21(4)",
        "register",
        consistency.objection_content,
        (
            "the right-to-object text does not describe objecting (it mentions: {words})",
            "vastustamisoikeuden teksti ei kuvaa vastustamista (siinä mainitaan: {words})",
        ),
        (
            "describe objection to processing and to direct marketing there, or remove the "
            "override",
            "kuvaa siinä käsittelyn ja suoramarkkinoinnin vastustaminen tai poista korvaus",
        ),
        example="""\
rights:
  objection:
    fi: Voit milloin tahansa vastustaa suoramarkkinointia; lopetamme sen silloin heti.
    sv: Du kan när som helst invända mot direktmarknadsföring; vi slutar då genast.
    en: You can object at any time to direct marketing; we then stop at once.""",
    ),
    _rule(
        "E20-objection-buried",
        E,
        "E20",
        "Art 21(4)",
        "register",
        consistency.objection_buried,
        (
            'the direct-marketing objection is outside the right-to-object section: "{quote}"',
            'suoramarkkinoinnin vastustaminen on vastustamisoikeuden osion ulkopuolella: "{quote}"',
        ),
        (
            "move it into `rights.objection`, where it is shown separately",
            "siirrä se `rights.objection`-kohtaan, jossa se esitetään erikseen",
        ),
        example="""\
rights:
  objection:  # not in the access text
    fi: Voit vastustaa suoramarkkinointia milloin tahansa.
    sv: Du kan invända mot direktmarknadsföring när som helst.
    en: You can object to direct marketing at any time.""",
    ),
    _rule(
        "E20-objection-marketing",
        W,
        "E20",
        "Art 21(2)-(4)",
        "register",
        consistency.objection_marketing,
        (
            "direct marketing is a purpose, but the right-to-object text does not mention "
            "objecting to it",
            "suoramarkkinointi on käsittelyn tarkoitus, mutta vastustamisoikeuden tekstissä ei "
            "mainita sen vastustamista",
        ),
        (
            "say that direct marketing can be refused at any time and that processing for it "
            "then stops",
            "kerro, että suoramarkkinoinnin voi kieltää milloin tahansa ja että käsittely sitä "
            "varten silloin lakkaa",
        ),
        example="""\
rights:
  objection:
    fi: Voit vastustaa suoramarkkinointia milloin tahansa perusteluja esittämättä.
    sv: Du kan invända mot direktmarknadsföring när som helst utan att ange skäl.
    en: You can object to direct marketing at any time, without giving reasons.""",
    ),
    _rule(
        "E21-security",
        INFO,
        "E21",
        "Art 30(1)(g), 32",
        "register",
        elements.security,
        ("security measures are not described", "suojauksen periaatteita ei ole kuvattu"),
        ("describe them briefly under `security`", "kuvaa ne lyhyesti `security`-kohdassa"),
        example="""\
security:
  electronic:
    fi: Henkilökohtaiset käyttäjätunnukset, kaksivaiheinen kirjautuminen ja salatut varmuuskopiot.
    sv: Personliga användarkonton, tvåstegsinloggning och krypterade säkerhetskopior.
    en: Personal user accounts, two-factor sign-in and encrypted backups.""",
    ),
    _rule(
        "E22-register-name",
        E,
        "E22",
        "Finnish practice",
        "register",
        elements.register_name,
        ("the register has no name", "rekisterillä ei ole nimeä"),
        ("give `name` in every language", "anna `name` kaikilla kielillä"),
        example="""\
name: {fi: Asiakasrekisteri, sv: Kundregister, en: Customer register}""",
    ),
    _rule(
        "E22-stale",
        W,
        "E22",
        "Art 12(1), 13(3); Finnish practice",
        "register",
        consistency.stale,
        (
            "the notice was last reviewed on {date}, over 12 months ago",
            "seloste on tarkistettu viimeksi {date}, yli 12 kuukautta sitten",
        ),
        (
            "review the notice and set `updated` to the review date",
            "tarkista seloste ja merkitse tarkistuspäivä `updated`-kohtaan",
        ),
        example="""\
updated: 2026-11-24   # after reviewing the notice""",
    ),
    _rule(
        "E23-cookie-inventory",
        E,
        "E23",
        "917/2014 §205; C-673/17 Planet49",
        "site",
        elements.cookie_inventory,
        ("the cookie list is incomplete: {detail}", "evästeluettelo on puutteellinen: {detail}"),
        (
            "list every cookie under `cookies` with name, provider, party, category, purpose and "
            "duration",
            "luettele jokainen eväste `cookies`-kohtaan: nimi, tarjoaja, osapuoli, luokka, "
            "tarkoitus ja kesto",
        ),
        example="""\
cookies:
  - name: _ga
    provider: Google Ireland Limited
    party: first
    category: analytics
    purpose: {fi: Laskee kävijät., sv: Räknar besökarna., en: Counts visitors.}
    duration: {fi: 2 vuotta, sv: 2 år, en: 2 years}
    third_party_access:
      fi: Google käsittelee tietoja henkilötietojen käsittelijänämme.
      sv: Google behandlar uppgifterna som vårt personuppgiftsbiträde.
      en: Google processes the data as our processor.""",
    ),
    _rule(
        "E23-ga4-session-cookie",
        W,
        "E23",
        "917/2014 §205; C-673/17 Planet49",
        "site",
        cookies.ga4_session_cookie,
        (
            "Google Analytics 4 with the measurement id {id} sets the cookie `{cookie}`, but "
            "{detail}",
            "Google Analytics 4 asettaa mittaustunnuksella {id} evästeen `{cookie}`, mutta "
            "{detail}",
        ),
        (
            "add `{cookie}` to `cookies` beside `_ga` (category analytics), or correct "
            "`analytics.measurement_id`",
            "lisää `{cookie}` `cookies`-luetteloon `_ga`:n rinnalle (luokka analytics) tai "
            "korjaa `analytics.measurement_id`",
        ),
        example="""\
analytics:
  measurement_id: G-ABC1234
cookies:
  - name: _ga_ABC1234
    provider: Google Ireland Limited
    party: first
    category: analytics
    purpose:
      fi: "Google Analytics 4: säilyttää istunnon tilan."
      sv: "Google Analytics 4: håller reda på sessionens tillstånd."
      en: "Google Analytics 4: keeps the state of the session."
    duration: {fi: 2 vuotta, sv: 2 år, en: 2 years}
    third_party_access:
      fi: Google käsittelee tietoja henkilötietojen käsittelijänämme.
      sv: Google behandlar uppgifterna som vårt personuppgiftsbiträde.
      en: Google processes the data as our processor.""",
    ),
    _rule(
        "E23-cookie-fields",
        E,
        "E23",
        "C-673/17 Planet49",
        "site",
        elements.cookie_fields,
        ("a cookie's {field} is empty", "evästeen kenttä {field} on tyhjä"),
        ("fill in the field in every language", "täytä kenttä kaikilla kielillä"),
        example="""\
    purpose:
      fi: Muistaa evästevalintasi.
      sv: Kommer ihåg dina val av kakor.
      en: Remembers your cookie choices.
    duration: {fi: 12 kuukautta, sv: 12 månader, en: 12 months}""",
    ),
    _rule(
        "E23-third-party-access",
        W,
        "E23",
        "C-673/17 Planet49",
        "site",
        elements.cookie_third_party_access,
        (
            "cookie {name} does not say whether third parties can access its data",
            "evästeestä {name} ei kerrota, pääsevätkö kolmannet osapuolet sen tietoihin",
        ),
        ("add `third_party_access` to the cookie", "lisää evästeelle `third_party_access`"),
        example="""\
    third_party_access:
      fi: Ei. Vain oma sivustomme lukee tämän evästeen.
      sv: Nej. Endast vår egen webbplats läser denna kaka.
      en: No. Only our own site reads this cookie.""",
    ),
    _rule(
        "E23-consent-mechanism",
        E,
        "E23",
        "917/2014 §205; Art 7",
        "site",
        elements.consent_mechanism,
        (
            "non-essential cookies or analytics are used but no consent mechanism is described",
            "muita kuin välttämättömiä evästeitä tai analytiikkaa käytetään, mutta "
            "suostumusmenettelyä ei ole kuvattu",
        ),
        (
            "describe the consent banner in `consent.mechanism` and withdrawal in "
            "`consent.withdrawal`",
            "kuvaa evästebanneri `consent.mechanism`-kohdassa ja peruminen "
            "`consent.withdrawal`-kohdassa",
        ),
        example="""\
consent:
  mechanism:
    fi: Banneri kysyy suostumusta; Hyväksy- ja Hylkää-painikkeet ovat yhtä näkyviä.
    sv: En banner frågar om samtycke; Godkänn och Avvisa är lika framträdande.
    en: A banner asks for consent; Accept and Reject are equally prominent.
  withdrawal:
    fi: Voit muuttaa valintaasi jokaisen sivun alareunan Evästeasetukset-linkistä.
    sv: Du kan ändra ditt val via Kakinställningar längst ned på varje sida.
    en: Change your choice through Cookie settings at the bottom of every page.""",
    ),
    _rule(
        "E23-browser-settings",
        E,
        "E23",
        "917/2014 §205; Helsinki Administrative Court 2021",
        "site",
        cookies.browser_settings,
        (
            "browser settings are offered as the way to refuse cookies; they are not consent: "
            '"{quote}"',
            "selaimen asetuksia tarjotaan keinoksi kieltäytyä evästeistä, mutta ne eivät ole "
            'suostumus: "{quote}"',
        ),
        (
            "ask for consent in a banner and describe it in `consent`; mention browser settings "
            "only as an extra",
            "pyydä suostumus evästebannerilla ja kuvaa se `consent`-kohdassa; mainitse selaimen "
            "asetukset vain lisänä",
        ),
        example="""\
consent:
  withdrawal:   # not: block cookies in your browser
    fi: Käytä jokaisen sivun alareunan Evästeasetukset-linkkiä.
    sv: Använd Kakinställningar längst ned på varje sida.
    en: Use Cookie settings at the bottom of every page.""",
    ),
    _rule(
        "E23-identification-claim",
        W,
        "E23",
        "Art 4(1); Recital 30",
        "site",
        cookies.identification_claim,
        (
            'text says visitors cannot be identified, but IP addresses are collected: "{quote}"',
            'tekstin mukaan kävijää ei voi tunnistaa, mutta IP-osoitteita kerätään: "{quote}"',
        ),
        (
            "remove the claim; online identifiers and IP addresses are personal data",
            "poista väite; verkkotunnisteet ja IP-osoitteet ovat henkilötietoja",
        ),
        example="""\
analytics:
  description:
    fi: Google Analytics 4 ei tallenna IP-osoitteita; evästeen tunniste on henkilötieto.
    sv: Google Analytics 4 lagrar inte IP-adresser; kakans identifierare är en personuppgift.
    en: Google Analytics 4 does not store IP addresses; the cookie identifier is personal data.""",
    ),
    _rule(
        "E23-cookie-not-listed",
        W,
        "E23",
        "917/2014 §205",
        "site",
        cookies.cookie_not_listed,
        (
            "the text names cookies missing from the cookie list: {names}",
            "tekstissä mainitaan evästeitä, joita ei ole evästeluettelossa: {names}",
        ),
        (
            "add them to `cookies` in site.yaml, or correct the name",
            "lisää ne site.yaml-tiedoston `cookies`-kohtaan tai korjaa nimi",
        ),
        example="""\
cookies:
  - name: _fbp   # every cookie the texts name is in the list""",
    ),
    # --- Structure: what the register declares, cross-checked -----------------------------------
    _rule(
        "E09-transfer-mechanism",
        E,
        "E09",
        "Art 13(1)(f), 44-49",
        "register",
        structure.transfer_without_mechanism,
        (
            "{recipient} ({country}) is outside the EEA, but no transfer mechanism is given",
            "{recipient} ({country}) on ETA:n ulkopuolella, mutta siirtoperustetta ei ole annettu",
        ),
        (
            "give the recipient `transfer: {mechanisms: [...], details: ...}` (adequacy, sccs, "
            "bcr, derogation, …) or correct its `country`",
            "anna vastaanottajalle `transfer: {mechanisms: [...], details: ...}` (adequacy, "
            "sccs, bcr, derogation, …) tai korjaa sen `country`",
        ),
        example="""\
recipients:
  - name:
      fi: Asiakastukikeskus (Example Services Pvt Ltd)
      sv: Supportcenter (Example Services Pvt Ltd)
      en: Support centre (Example Services Pvt Ltd)
    role: processor
    country: IN
    transfer:
      mechanisms: [sccs]
      details:
        fi: Vakiosopimuslausekkeet (EU) 2021/914; saat kopion meiltä pyytämällä.
        sv: Standardavtalsklausuler (EU) 2021/914; be oss om en kopia.
        en: Standard contractual clauses (EU) 2021/914; ask us for a copy.""",
    ),
    _rule(
        "E09-transfers-none-contradicted",
        E,
        "E09",
        "Art 13(1)(f)",
        "register",
        structure.transfers_none_contradicted,
        (
            "`transfers: none`, but {recipient} ({country}) is outside the EEA",
            "`transfers: none`, mutta {recipient} ({country}) on ETA:n ulkopuolella",
        ),
        (
            "remove `transfers: none`: the recipients in third countries are the transfers",
            "poista `transfers: none`: kolmansissa maissa olevat vastaanottajat ovat siirtoja",
        ),
        example="""\
# transfers: none   <- remove; the recipient with `country: US` is a transfer
recipients:
  - name:
      fi: Sähköpostipalvelu Example Inc.
      sv: E-posttjänsten Example Inc.
      en: Mail service Example Inc.
    country: US
    transfer: {mechanisms: [adequacy], decision: (EU) 2023/1795}""",
    ),
    _rule(
        "E09-mechanism-fit",
        E,
        "E09",
        "Art 45, 49(1)",
        "register",
        structure.transfer_mechanism_fit,
        ("transfer mechanism does not fit: {detail}", "siirtoperuste ei sovi: {detail}"),
        (
            "use a mechanism that applies (sccs, bcr, …), or give the Art 49 `derogation_ground`",
            "käytä soveltuvaa siirtoperustetta (sccs, bcr, …) tai anna `derogation_ground`",
        ),
        example="""\
transfer:
  mechanisms: [derogation]
  derogation_ground: contract
  details:
    fi: Tarpeen tilauksesi toimittamiseksi ulkomaille (49 artiklan 1 kohdan b alakohta).
    sv: Behövs för att leverera din beställning utomlands (artikel 49.1 b).
    en: Needed to deliver your order abroad (Art 49(1)(b)).""",
    ),
    _rule(
        "E23-cookie-basis",
        E,
        "E23",
        "917/2014 §205; Art 6(1)(a)",
        "register",
        structure.cookie_basis,
        (
            "analytics or marketing cookies rest on `{basis}`; they need consent",
            "analytiikka- tai markkinointievästeiden perusteena on `{basis}`; ne edellyttävät "
            "suostumusta",
        ),
        (
            "make the purpose's basis `consent` and say how to withdraw it",
            "muuta tarkoituksen perusteeksi `consent` ja kerro, miten suostumus perutaan",
        ),
        example="""\
purposes:
  - description:
      fi: Verkkosivustomme käytön mittaaminen Matomo-analytiikkaevästeillä.
      sv: Att mäta användningen av vår webbplats med Matomos analyskakor.
      en: Measuring the use of our website with Matomo analytics cookies.
    legal_bases: [consent]
    cookies: [analytics]
    withdrawal:
      fi: Voit muuttaa valintaasi jokaisen sivun alareunan Evästeasetukset-linkistä.
      sv: Du kan ändra ditt val via Kakinställningar längst ned på varje sida.
      en: Change your choice through Cookie settings at the bottom of every page.""",
    ),
    _rule(
        "E23-cookie-category-basis",
        E,
        "E23",
        "917/2014 §205; Art 6(1)(a)",
        "site",
        structure.site_cookie_basis,
        (
            "an analytics or marketing cookie is given the basis `{basis}`; it needs consent",
            "analytiikka- tai markkinointievästeen perusteeksi on annettu `{basis}`; se "
            "edellyttää suostumusta",
        ),
        (
            "remove the cookie's `legal_basis` (consent is the default) or set it to `consent`",
            "poista evästeen `legal_basis` (oletus on suostumus) tai aseta se arvoon `consent`",
        ),
        example="""\
cookies:
  - name: _hjSessionUser_123
    category: analytics
    legal_basis: consent""",
    ),
    _rule(
        "E08-tracker-not-recipient",
        W,
        "E08",
        "Art 13(1)(e); 917/2014 §205",
        "register",
        structure.tracker_not_recipient,
        (
            "{tracker} is used, but its company is not among the recipients",
            "{tracker} on käytössä, mutta sen yritystä ei ole vastaanottajissa",
        ),
        (
            "list the company behind the tracker under `recipients` with its role and country",
            "lisää seurannan takana oleva yritys `recipients`-kohtaan rooleineen ja maineen",
        ),
        example="""\
recipients:
  - name:
      fi: Meta Platforms Ireland Ltd (Meta-pikseli)
      sv: Meta Platforms Ireland Ltd (Meta-pixeln)
      en: Meta Platforms Ireland Ltd (Meta pixel)
    role: controller
    country: IE""",
    ),
    _rule(
        "E15-automated-details",
        E,
        "E15",
        "Art 13(2)(f), 14(2)(g), 15(1)(h)",
        "register",
        structure.automated_details,
        (
            "automated decision does not say its {what}",
            "automaattisesta päätöksestä puuttuu: {what}",
        ),
        (
            "give `logic`, `significance` and `consequences` for the decision",
            "anna päätökselle `logic`, `significance` ja `consequences`",
        ),
        example="""\
automated_decisions:
  - description:
      fi: Pisteytämme luottohakemukset automaattisesti.
      sv: Vi poängsätter kreditansökningar automatiskt.
      en: We score credit applications automatically.
    logic:
      fi: Maksuhistoria, tulot ja nykyiset luotot antavat pisteet 0–100.
      sv: Betalningshistorik, inkomster och befintliga krediter ger en poäng från 0 till 100.
      en: Payment history, income and existing credit give a score from 0 to 100.
    significance:
      fi: Pisteet ratkaisevat, voitko ostaa laskulla.
      sv: Poängen avgör om du kan köpa mot faktura.
      en: The score decides whether you can buy on invoice.
    consequences:
      fi: Alle 40 pisteellä tarjoamme vain ennakkomaksun.
      sv: Under 40 erbjuder vi endast förskottsbetalning.
      en: Below 40 we offer only prepayment.
    ground: contract
    safeguards:
      fi: Pyydä, että ihminen tarkistaa päätöksen; vastaamme viikon kuluessa.
      sv: Be att en person granskar beslutet; vi svarar inom en vecka.
      en: Ask for a person to review the decision; we answer within a week.""",
    ),
    _rule(
        "E15-automated-safeguards",
        W,
        "E15",
        "Art 22(2)-(3)",
        "register",
        structure.automated_safeguards,
        (
            "solely automated decision without its {what}",
            "pelkästään automaattiselta päätökseltä puuttuu {what}",
        ),
        (
            "give `ground` (contract, law, explicit_consent) and `safeguards` (human review, "
            "contesting the decision)",
            "anna `ground` (contract, law, explicit_consent) ja `safeguards` (ihmisen "
            "tekemä tarkistus, päätöksen riitauttaminen)",
        ),
        example="""\
    ground: contract
    safeguards:
      fi: Voit pyytää, että ihminen tarkistaa päätöksen, ja esittää näkemyksesi.
      sv: Du kan be att en person granskar beslutet och framföra din synpunkt.
      en: You can ask a person to review the decision and give your view.""",
    ),
    _rule(
        "E16-sources-unnamed",
        W,
        "E16",
        "Art 14(2)(f); WP260 rev.01 §26",
        "register",
        structure.sources_unnamed,
        (
            'sources are given only as a kind of party: "{quote}"',
            'lähteet kerrotaan vain tahon tyyppinä: "{quote}"',
        ),
        (
            "name the sources (e.g. the Population Information System, Suomen Asiakastieto Oy) "
            "and say whether they are publicly accessible",
            "nimeä lähteet (esim. väestötietojärjestelmä, Suomen Asiakastieto Oy) ja kerro, "
            "ovatko ne julkisia",
        ),
        example="""\
data_categories:
  - name: {fi: Luottotiedot, sv: Kreditupplysningar, en: Credit information}
    sources:
      - name: {fi: Suomen Asiakastieto Oy, sv: Suomen Asiakastieto Oy, en: Suomen Asiakastieto Oy}
        publicly_accessible: false""",
    ),
    _rule(
        "E07-special-condition",
        E,
        "E07",
        "Art 9(1)-(2)",
        "register",
        structure.special_without_condition,
        (
            "special-category data ({category}) without the Art 9(2) condition that allows it",
            "erityiseen henkilötietoryhmään kuuluva tieto ({category}) ilman 9 artiklan 2 "
            "kohdan perustetta",
        ),
        (
            "give `special.condition` (e.g. substantial_public_interest) and `national_law`",
            "anna `special.condition` (esim. substantial_public_interest) ja `national_law`",
        ),
        example="""\
  - name:
      fi: Allergiat ja erityisruokavaliot
      sv: Allergier och specialkost
      en: Allergies and special diets
    special:
      category: health
      condition: substantial_public_interest
      national_law:
        fi: Varhaiskasvatuslaki 540/2018 41 §; tietosuojalaki 1050/2018 6 §
        sv: Lagen om småbarnspedagogik 540/2018 41 §; dataskyddslagen 1050/2018 6 §
        en: Early Childhood Education Act 540/2018 s 41; Data Protection Act 1050/2018 s 6""",
    ),
    _rule(
        "E07-special-undeclared",
        W,
        "E07",
        "Art 9(1)-(2)",
        "register",
        structure.special_undeclared,
        (
            'category looks like special-category data ("{word}") but does not declare '
            "`special` with its Art 9(2) condition",
            'tietoryhmä näyttää erityiseltä henkilötiedolta ("{word}"), mutta siltä puuttuu '
            "`special` ja 9 artiklan 2 kohdan peruste",
        ),
        (
            "add `special: {category: health, condition: ...}` to the category",
            "lisää tietoryhmään `special: {category: health, condition: ...}`",
        ),
        example="""\
  - name:
      fi: Hoidossa tarvittavat terveystiedot
      sv: Hälsouppgifter som behövs för vården
      en: Health data needed for care
    special: {category: health, condition: health_or_social_care}""",
    ),
    _rule(
        "E07-criminal-authorisation",
        E,
        "E07",
        "Art 10",
        "register",
        structure.criminal_without_authorisation,
        (
            "criminal-offence data without the law that authorises processing it",
            "rikostuomioihin ja rikkomuksiin liittyvä tieto ilman lakia, joka sallii käsittelyn",
        ),
        (
            "give `criminal: {authorisation: ...}` naming the law (Art 10)",
            "anna `criminal: {authorisation: ...}` ja nimeä laki (10 artikla)",
        ),
        example="""\
  - name:
      fi: Rikostaustaote (nähty, ei tallennettu)
      sv: Utdrag ur straffregistret (sett, inte sparat)
      en: Criminal record extract (seen, not kept)
    criminal:
      authorisation:
        fi: Laki lasten kanssa työskentelevien rikostaustan selvittämisestä 504/2002
        sv: Lagen om kontroll av brottslig bakgrund hos personer som arbetar med barn 504/2002
        en: Act on Checking the Criminal Background of Persons Working with Children 504/2002""",
    ),
    _rule(
        "E12-consent-withdrawal",
        E,
        "E12",
        "Art 7(3), 13(2)(c)",
        "register",
        structure.consent_without_withdrawal,
        (
            "consent is a basis here, but the notice does not say how to withdraw it",
            "suostumus on käsittelyn peruste, mutta selosteessa ei kerrota, miten se perutaan",
        ),
        (
            "give the purpose a `withdrawal` text (how, where, that it is as easy as consenting)",
            "anna tarkoitukselle `withdrawal`-teksti (miten ja missä suostumus perutaan)",
        ),
        example="""\
  - description:
      fi: Uutiskirjeemme lähettäminen.
      sv: Att skicka vårt nyhetsbrev.
      en: Sending our newsletter.
    legal_bases: [consent]
    withdrawal:
      fi: Käytä jokaisen uutiskirjeen peruutuslinkkiä tai ilmoita meille osoitteeseen
        privacy@example.com.
      sv: Använd avregistreringslänken i varje nyhetsbrev eller meddela oss på privacy@example.com.
      en: Use the unsubscribe link in every newsletter, or tell us at privacy@example.com.""",
    ),
    _rule(
        "consent-not-needed",
        E,
        "E05",
        "917/2014 §205; Art 6(1)(a)",
        "site",
        consistency.consent_not_needed,
        (
            "text says consent is not needed, but analytics or marketing cookies are used: "
            '"{quote}"',
            "tekstin mukaan suostumusta ei tarvita, vaikka analytiikka- tai markkinointievästeitä "
            'käytetään: "{quote}"',
        ),
        (
            "say which cookies need consent and how it is asked and withdrawn",
            "kerro, mitkä evästeet edellyttävät suostumusta ja miten se pyydetään ja perutaan",
        ),
        example="""\
consent:
  fi: Analytiikkaevästeitä käytetään vain suostumuksellasi; muu käsittely perustuu sopimukseen.
  sv: Analyskakor används endast med ditt samtycke; annan behandling grundar sig på avtal.
  en: Analytics cookies are used only with your consent; other processing rests on contract.""",
    ),
    _rule(
        "ga-universal-analytics",
        W,
        "E23",
        "Google: GA4 replaced Universal Analytics 1.7.2023",
        "site",
        cookies.ga_universal,
        (
            'analytics is described as Universal Analytics, retired on 1 July 2023: "{quote}"',
            "analytiikka on kuvattu Universal Analytics -palveluna, joka poistui 1.7.2023: "
            '"{quote}"',
        ),
        (
            "describe Google Analytics 4 and set `analytics.service: google_analytics_4`",
            "kuvaa Google Analytics 4 ja aseta `analytics.service: google_analytics_4`",
        ),
        example="""\
analytics:
  service: google_analytics_4""",
    ),
    _rule(
        "ga-demographics",
        W,
        "E23",
        "Google Analytics 4: Google signals",
        "site",
        cookies.ga_demographics,
        (
            'demographics are described without Google signals, which now provides them: "{quote}"',
            "väestötiedot on kuvattu mainitsematta Googlen signaaleja, joiden kautta ne nyt "
            'kerätään: "{quote}"',
        ),
        (
            "say whether Google signals is on (`analytics.google_signals`) and what it collects",
            "kerro, onko Googlen signaalit käytössä (`analytics.google_signals`) ja mitä ne "
            "keräävät",
        ),
        example="""\
analytics:
  google_signals: false
  description:
    fi: Google-signaalit ovat pois päältä, joten demografisia tietoja tai kiinnostuksen kohteita ei
      kerätä.
    sv: Google-signaler är avstängda, så inga demografiska uppgifter eller intressen samlas in.
    en: Google signals is off, so no demographics or interests are collected.""",
    ),
    _rule(
        "ga-opt-out-addon",
        W,
        "E23",
        "917/2014 §205; Art 7(3)",
        "site",
        cookies.ga_opt_out_addon,
        (
            'a browser add-on is offered as the way to refuse Google Analytics: "{quote}"',
            'selaimen lisäosaa tarjotaan keinoksi kieltäytyä Google Analyticsista: "{quote}"',
        ),
        (
            "make refusing and withdrawing consent possible on the site itself (cookie settings)",
            "tee kieltäytyminen ja suostumuksen peruminen mahdolliseksi sivustolla "
            "(evästeasetukset)",
        ),
        example="""\
analytics:
  opt_out:
    fi: Hylkää analytiikkaevästeet bannerissa tai Evästeasetukset-linkistä.
    sv: Avvisa analyskakor i bannern eller via Kakinställningar.
    en: Reject analytics cookies in the banner or through Cookie settings.""",
    ),
    # --- Legacy procedures of the repealed Personal Data Act (523/1999) ---------------------
    _rule(
        "legacy-signed-request",
        E,
        "E11",
        "Art 12(2); Personal Data Act repealed 1.1.2019",
        "register",
        consistency.legacy_signed_request,
        (
            'a request must be signed — a Personal Data Act procedure: "{quote}"',
            'pyyntö on allekirjoitettava — henkilötietolain aikainen menettely: "{quote}"',
        ),
        (
            "let people make requests electronically (e-mail, the request portal) without a "
            "signature",
            "salli pyynnöt sähköisesti (sähköposti, pyyntöportaali) ilman allekirjoitusta",
        ),
        example="""\
rights:
  access:
    fi: Pyydä tietosi pyyntöportaalin kautta tai sähköpostitse; allekirjoitusta ei tarvita.
    sv: Begär dina uppgifter via begäransportalen eller per e-post; ingen underskrift behövs.
    en: Ask for your data through the request portal or by e-mail; no signature is needed.""",
    ),
    _rule(
        "legacy-refusal-certificate",
        W,
        "E11",
        "Art 12(4)",
        "register",
        consistency.legacy_certificate,
        (
            'a refusal is described as a "written certificate": "{quote}"',
            'epäämisestä annetaan "kirjallinen todistus": "{quote}"',
        ),
        (
            "say that a refusal states its reasons, the right to complain and the right to a "
            "judicial remedy",
            "kerro, että epäämisestä annetaan perustelut sekä tieto valitusoikeudesta ja "
            "oikeudesta hakea muutosta tuomioistuimelta",
        ),
        example="""\
rights:
  access:
    fi: Jos kieltäydymme, perustelemme sen ja kerromme oikeudestasi tehdä valitus ja viedä asia
      tuomioistuimeen.
    sv: Om vi vägrar motiverar vi det och berättar om din rätt att klaga och vända dig till
      domstol.
    en: If we refuse, we give reasons and tell you of your right to complain and go to court.""",
    ),
    _rule(
        "legacy-ombudsman-referral",
        W,
        "E13",
        "Art 12(4), 77, 79",
        "register",
        consistency.legacy_ombudsman,
        (
            'a refusal is referred to the Ombudsman "for decision": "{quote}"',
            'epääminen saatetaan "tietosuojavaltuutetun ratkaistavaksi": "{quote}"',
        ),
        (
            "describe the right to lodge a complaint with the authority and to go to court",
            "kuvaa oikeus tehdä valitus valvontaviranomaiselle ja hakea muutosta tuomioistuimelta",
        ),
        example="""\
rights:
  rectification:
    fi: Jos kieltäydymme, voit tehdä valituksen tietosuojavaltuutetulle tai viedä asian
      tuomioistuimeen.
    sv: Om vi vägrar kan du klaga hos dataombudsmannen eller vända dig till domstol.
    en: If we refuse, you can complain to the Data Protection Ombudsman or go to court.""",
    ),
    # --- Conditions a notice may not set (LEGAL.md §8) ------------------------------------------
    _rule(
        "request-fee",
        E,
        "E11",
        "Art 12(5)",
        "register",
        fairness.request_fee,
        (
            'using a right is made to cost money; requests are free (Art 12(5)): "{quote}"',
            "oikeuden käyttämisestä peritään maksu, vaikka pyynnöt ovat maksuttomia "
            '(12 artiklan 5 kohta): "{quote}"',
        ),
        (
            "say that requests are free of charge; a fee only for manifestly unfounded or "
            "excessive requests, or further copies",
            "kerro, että pyynnöt ovat maksuttomia; maksu vain ilmeisen perusteettomista tai "
            "kohtuuttomista pyynnöistä tai lisäkopioista",
        ),
        example="""\
rights:
  access:
    fi: Pyydä tietosi pyyntöportaalin kautta; se on maksutonta.
    sv: Begär dina uppgifter via begäransportalen; det är avgiftsfritt.
    en: Ask for your data through the request portal; it is free of charge.""",
    ),
    _rule(
        "request-in-person",
        E,
        "E11",
        "Art 12(2), 12(5)",
        "register",
        fairness.request_in_person,
        (
            'requests can be made only in person: "{quote}"',
            'pyynnön voi tehdä vain henkilökohtaisesti: "{quote}"',
        ),
        (
            "let people make requests electronically (e-mail, the request portal) and by post",
            "salli pyynnöt sähköisesti (sähköposti, pyyntöportaali) ja postitse",
        ),
        example="""\
rights:
  access:
    fi: Pyydä sähköpostitse, pyyntöportaalin kautta, postitse tai toimistollamme.
    sv: Begär per e-post, via begäransportalen, per post eller på vårt kontor.
    en: Ask by e-mail, through the request portal, by post or at our office.""",
    ),
    _rule(
        "request-id-copy",
        W,
        "E11",
        "Art 12(6); EDPB Guidelines 01/2022",
        "register",
        fairness.request_id_copy,
        (
            'a copy of an identity document is demanded by default: "{quote}"',
            'henkilöllisyystodistuksen kopiota vaaditaan aina: "{quote}"',
        ),
        (
            "verify identity only on reasonable doubt and proportionately (strong electronic "
            "identification), and keep only what the check needed",
            "tarkista henkilöllisyys vain perustellun epäilyn vuoksi ja oikeassa suhteessa "
            "(vahva sähköinen tunnistus); säilytä vain tarkistukseen tarvittava",
        ),
        example="""\
rights:
  access:
    fi: Pyydämme todistamaan henkilöllisyyden vain, jos emme muuten voi olla varmoja, että kyse on
      sinusta.
    sv: Vi ber om bevis på identitet endast om vi inte annars kan vara säkra på att det är du.
    en: We ask for proof of identity only if we cannot otherwise be sure it is you.""",
    ),
    _rule(
        "complaint-not-authority",
        E,
        "E13",
        "Art 13(2)(d), 77",
        "register",
        fairness.complaint_not_authority,
        (
            'the complaint text names no supervisory authority: "{quote}"',
            'valitustekstissä ei mainita valvontaviranomaista: "{quote}"',
        ),
        (
            "say that complaints can be lodged with the supervisory authority (in Finland the "
            "Data Protection Ombudsman), or remove the override",
            "kerro, että valituksen voi tehdä valvontaviranomaiselle (Suomessa "
            "tietosuojavaltuutetulle), tai poista korvaava teksti",
        ),
        example="""\
rights:
  complaint:
    fi: Voit tehdä valituksen tietosuojavaltuutetulle (tietosuoja.fi).
    sv: Du kan lämna in ett klagomål till dataombudsmannen (tietosuoja.fi).
    en: You can lodge a complaint with the Data Protection Ombudsman (tietosuoja.fi).""",
    ),
    _rule(
        "consent-bundled",
        E,
        "E05",
        "Art 7(4), 6(1)(b); recital 43",
        "register",
        fairness.consent_bundled,
        (
            'marketing is bundled with the terms of the service: "{quote}"',
            'markkinointi on sidottu palvelun ehtoihin: "{quote}"',
        ),
        (
            "ask marketing consent separately from the terms (`legal_bases: [consent]`), or "
            "rest it on legitimate interests with an opt-out",
            "pyydä markkinointisuostumus erikseen ehdoista (`legal_bases: [consent]`) tai "
            "perusta se oikeutettuun etuun ja kieltomahdollisuuteen",
        ),
        example="""\
purposes:
  - description:
      fi: Tarjousten lähettäminen sähköpostitse.
      sv: Att skicka erbjudanden per e-post.
      en: Sending offers by e-mail.
    legal_bases: [consent]
    direct_marketing: true
    withdrawal:
      fi: Käytä jokaisen viestin peruutuslinkkiä.
      sv: Använd avregistreringslänken i varje meddelande.
      en: Use the unsubscribe link in every message.""",
    ),
    _rule(
        "children-consent-age",
        W,
        "-",
        "Art 8(1); Data Protection Act 1050/2018 s 5",
        "register",
        fairness.children_consent_age,
        (
            'in Finland a child consents to online services from 13, not as said here: "{quote}"',
            "Suomessa lapsi voi antaa suostumuksen verkkopalveluihin 13-vuotiaana, ei kuten tässä: "
            '"{quote}"',
        ),
        (
            "set `children.consent_age: 13` and say that below 13 a parent consents",
            "aseta `children.consent_age: 13` ja kerro, että alle 13-vuotiaan puolesta "
            "suostumuksen antaa huoltaja",
        ),
        example="""\
children:
  consent_age: 13
  guardians:
    fi: Alle 13-vuotiaan puolesta suostumuksen antaa vanhempi; varmistamme sen vahvalla
      tunnistautumisella.
    sv: För barn under 13 ger en förälder samtycket; vi kontrollerar det med stark autentisering.
    en: Below 13 a parent gives consent; we verify it by strong identification.""",
    ),
    _rule(
        "children-parental-verification",
        E,
        "-",
        "Art 8(2); Data Protection Act 1050/2018 s 5",
        "register",
        fairness.children_parental_verification,
        (
            "a parent's consent is taken from a box the child ticks, which verifies nothing: "
            '"{quote}"',
            "huoltajan suostumukseksi riittää lapsen itse rastittama ruutu, joka ei todenna "
            'mitään: "{quote}"',
        ),
        (
            "verify a parent's consent with reasonable effort (e.g. the parent's strong "
            "electronic identification) and say how in `children.guardians`",
            "todenna huoltajan suostumus kohtuullisin keinoin (esim. huoltajan vahva "
            "sähköinen tunnistus) ja kerro miten `children.guardians`-kohdassa",
        ),
        example="""\
children:
  consent_age: 13
  guardians:
    fi: Vanhempi vahvistaa suostumuksen vahvalla sähköisellä tunnistautumisella.
    sv: En förälder bekräftar samtycket med stark elektronisk identifiering.
    en: A parent confirms consent by strong electronic identification.""",
    ),
    _rule(
        "retention-permanent",
        W,
        "E10",
        "Art 5(1)(e), 13(2)(a)",
        "register",
        fairness.retention_permanent,
        (
            'data is kept permanently without the law that requires it: "{quote}"',
            'tietoja säilytetään pysyvästi mainitsematta lakia, joka sitä edellyttää: "{quote}"',
        ),
        (
            "give a period or its criteria, or name the law or archive decision that requires "
            "keeping the data permanently",
            "anna säilytysaika tai sen peruste, tai nimeä laki tai arkistopäätös, joka "
            "edellyttää pysyvää säilytystä",
        ),
        example="""\
retention:
  fi: Kastetiedot säilytetään pysyvästi kirkkolain 652/2023 7 §:n nojalla.
  sv: Dopuppgifter bevaras permanent enligt kyrkolagen 652/2023 7 §.
  en: Baptism records are kept permanently under the Church Act 652/2023 s 7.""",
    ),
    _rule(
        "retention-vague",
        W,
        "E10",
        "Art 13(2)(a); WP260 rev.01 para 43",
        "register",
        fairness.retention_vague,
        (
            "retention gives neither a period nor the criteria that fix it (as long as "
            'necessary, until further notice): "{quote}"',
            "säilytysajasta ei kerrota aikaa eikä sen määräytymisperusteita (niin kauan kuin on "
            'tarpeen, toistaiseksi): "{quote}"',
        ),
        (
            "give the period, or the criteria that fix it (e.g. two years after the customer "
            "relationship ends)",
            "kerro aika tai sen määräytymisperusteet (esim. kaksi vuotta asiakassuhteen "
            "päättymisestä)",
        ),
        example="""\
retention:
  fi: Asiakastiedot poistetaan kahden vuoden kuluttua viimeisestä käynnistä.
  sv: Klientuppgifterna raderas två år efter det senaste besöket.
  en: Client data is deleted two years after the last visit.""",
    ),
    # --- Text form (Art 12(1), WP260 rev.01) -------------------------------------------------
    _rule(
        "placeholder",
        E,
        "-",
        "Art 12(1)",
        "site",
        text.placeholder,
        (
            "{key}: placeholder left in the text: {found}",
            "{key}: tekstiin on jäänyt täyte: {found}",
        ),
        (
            "replace it with the real content in each language named",
            "korvaa se oikealla sisällöllä jokaisella mainitulla kielellä",
        ),
        example="""\
contact:
  email: privacy@example.fi   # not: (e-mail address)""",
    ),
    _rule(
        "raw-html",
        E,
        "-",
        "content format",
        "site",
        text.raw_html,
        ("raw HTML {tag} in the text", "tekstissä on HTML-koodia {tag}"),
        (
            'write Markdown: blank lines between paragraphs, "- " for list items',
            'kirjoita Markdownia: tyhjä rivi kappaleiden väliin, "- " luettelon kohtiin',
        ),
        example="""\
data_categories:
  - name: {fi: Nimi, sv: Namn, en: Name}   # Markdown lists and **bold**, not <ul> or <p>""",
    ),
    _rule(
        "languages-disagree",
        W,
        "-",
        "Art 12(1)",
        "site",
        text.languages_disagree,
        (
            "this language lacks what another language's text names: {facts}",
            "tästä kieliversiosta puuttuu, mitä toisessa mainitaan: {facts}",
        ),
        (
            "make every language version name the same cookies, addresses and sites",
            "mainitse samat evästeet, osoitteet ja sivustot kaikissa kieliversioissa",
        ),
        example="""\
sources:
  fi: Tiedot saadaan YTJ:stä (ytj.fi).
  sv: Uppgifterna kommer från FODS (ytj.fi).
  en: The data comes from the Business Information System (ytj.fi).""",
    ),
    _rule(
        "register-names-alike",
        W,
        "-",
        "Art 12(1): intelligible",
        "across",
        consistency.register_names_alike,
        (
            "registers {registers} have the same name, {name}: a reader cannot tell their "
            "notices apart",
            "rekistereillä {registers} on sama nimi, {name}: lukija ei erota selosteita toisistaan",
        ),
        (
            "give each register a name of its own in every language (`name`)",
            "anna jokaiselle rekisterille oma nimi joka kielellä (`name`)",
        ),
        example="""\
# registers/asiakkaat.yaml
name: {fi: Asiakasrekisteri, sv: Kundregister, en: Customer register}
# registers/verkkokauppa.yaml
name: {fi: Verkkokaupan asiakkaat, sv: Webbutikens kunder, en: Online shop customers}""",
    ),
    _rule(
        "near-duplicate",
        INFO,
        "-",
        "Art 12(1): concise",
        "site",
        text.near_duplicate,
        ("paragraph repeats one in {other}", "kappale toistaa kohdan {other} kappaleen"),
        ("keep it in one section and remove the copy", "pidä se yhdessä kohdassa ja poista kopio"),
        example="""\
disclosures:  # said once
  fi: Luovutamme tietoja vain laissa mainituille viranomaisille.
  sv: Vi lämnar ut uppgifter endast till de myndigheter som lagen anger.
  en: We disclose data only to the authorities the law names.""",
    ),
    _rule(
        "hedging",
        INFO,
        "-",
        "WP260 rev.01 §13",
        "site",
        text.hedging,
        (
            "hedging words make the text vague: {words}",
            "varauksen sanat tekevät tekstistä epämääräisen: {words}",
        ),
        ("say what is done, not what may be done", "kerro, mitä tehdään, ei mitä voidaan tehdä"),
        example="""\
purposes:
  - description:  # not: data may be used
      fi: Käytämme tietoja tilausten toimittamiseen.
      sv: Vi använder uppgifterna för att leverera beställningar.
      en: We use the data to deliver orders.""",
    ),
    _rule(
        "typo",
        INFO,
        "-",
        "project word list",
        "site",
        text.typo,
        ("spelling: {fixes}", "oikeinkirjoitus: {fixes}"),
        ("correct the spelling", "korjaa kirjoitusasu"),
        example="""\
contact:
  name: Yhteyshenkilö   # not: Yhteys henkilö""",
    ),
    # --- Records of processing (Art 30), in notice/checks/records.py -------------------------
    *(_rule(**spec) for spec in records.SPECS),
)


# Rules over the register blocks of format 2.1 (notice/checks/blocks.py).
RULES = (
    *RULES,
    _rule(
        "E01-register-controller",
        E,
        "E01",
        "Art 13(1)(a), 14(1)(a), 26(1)",
        "register",
        blocks.register_controller_contact,
        (
            "controller {name} of this register gives no e-mail, phone or address",
            "tämän rekisterin rekisterinpitäjä {name} ei anna sähköpostia, puhelinta eikä "
            "osoitetta",
        ),
        (
            "add `email`, `phone` or `street_address` under `{field}`",
            "lisää `{field}`-kohtaan `email`, `phone` tai `street_address`",
        ),
        example="""\
controller:
  name: Asunto Oy Esimerkki
  email: hallitus@esimerkki.fi""",
    ),
    _rule(
        "E01-register-contact",
        W,
        "E01",
        "Art 13(1)(a), 14(1)(a)",
        "register",
        blocks.register_controller_own_contact,
        (
            "this register's controller {name} is not the site's, and the register names no "
            "contact person: questions and requests go to the controller's own details",
            "tämän rekisterin rekisterinpitäjä {name} ei ole sivuston, eikä rekisteri nimeä "
            "yhteyshenkilöä: kysymykset ja pyynnöt ohjataan rekisterinpitäjän omiin "
            "yhteystietoihin",
        ),
        (
            "give who answers questions about this register under the register's `contact`",
            "anna rekisterin `contact`-kohtaan, kuka vastaa tätä rekisteriä koskeviin kysymyksiin",
        ),
        example="""\
controller:
  name: Asunto Oy Esimerkki
  email: hallitus@esimerkki.fi
contact:
  name: Isännöinti Oy
  email: isannointi@esimerkki.fi""",
    ),
    _rule(
        "E03-dpo-contact",
        E,
        "E03",
        "Art 13(1)(b), 14(1)(b), 37(7)",
        "register",
        blocks.dpo_contact,
        (
            "the data protection officer under `{field}` has no contact details",
            "tietosuojavastaavalla (`{field}`) ei ole yhteystietoja",
        ),
        (
            "add `email`, `phone`, `street_address` or `url` under `{field}`",
            "lisää `{field}`-kohtaan `email`, `phone`, `street_address` tai `url`",
        ),
        example="""\
joint_controllers:
  - name: Esimerkin sairaala
    email: kirjaamo@sairaala.example.fi
    role:
      fi: Sairaala hoitaa potilaat ja vastaa potilastiedoista.
      sv: Sjukhuset vårdar patienterna och ansvarar för patientuppgifterna.
      en: The hospital treats the patients and answers for their records.
    dpo:
      title: {fi: Tietosuojavastaava, sv: Dataskyddsombud, en: Data protection officer}
      email: tietosuojavastaava@sairaala.example.fi""",
    ),
    _rule(
        "E03-register-dpo",
        W,
        "E03",
        "Art 13(1)(b), 14(1)(b)",
        "register",
        blocks.register_controller_dpo,
        (
            "this register's controller {name} is not the site's, but the register does not say "
            "whether {name} has a data protection officer",
            "tämän rekisterin rekisterinpitäjä {name} ei ole sivuston, mutta rekisteri ei kerro, "
            "onko sillä tietosuojavastaavaa",
        ),
        (
            "give that controller's officer under the register's `dpo`, or `dpo: none`",
            "anna rekisterin `dpo`-kohtaan kyseisen rekisterinpitäjän tietosuojavastaava tai "
            "`dpo: none`",
        ),
        example="""\
controller:
  name: Asunto Oy Esimerkki
  email: hallitus@esimerkki.fi
dpo: none""",
    ),
    _rule(
        "E03-public-authority-dpo",
        W,
        "E03",
        "Art 37(1)(a), 6(1)(e)",
        "register",
        blocks.public_authority_dpo,
        (
            "the register rests on a task in the public interest, which a public authority "
            "carries out, but names no data protection officer: a public authority must "
            "designate one (Art 37(1)(a))",
            "rekisterin käsittely perustuu yleisen edun mukaiseen tehtävään, jota hoitaa "
            "viranomainen, mutta rekisteri ei nimeä tietosuojavastaavaa: viranomaisen on "
            "nimitettävä tietosuojavastaava (37 artiklan 1 kohdan a alakohta)",
        ),
        (
            "give the authority's officer under the register's `dpo` (or the site's `dpo` "
            "when the site owner is the authority)",
            "anna viranomaisen tietosuojavastaava rekisterin `dpo`-kohtaan (tai sivuston "
            "`dpo`-kohtaan, kun sivuston ylläpitäjä on itse viranomainen)",
        ),
        example="""\
controller:
  name: Esimerkin kunta
  email: kirjaamo@esimerkinkunta.example.fi
dpo:
  title:
    fi: Kunnan tietosuojavastaava
    sv: Kommunens dataskyddsombud
    en: Data protection officer of the municipality
  email: tietosuojavastaava@esimerkinkunta.example.fi""",
    ),
    _rule(
        "research-plan",
        E,
        "-",
        "Data Protection Act 1050/2018 s 31(1); Art 89(2)",
        "register",
        blocks.research_plan,
        (
            "rights are restricted under 1050/2018 s 31, but the register describes no research",
            "oikeuksia rajoitetaan tietosuojalain 31 §:n nojalla, mutta rekisteri ei kuvaa "
            "tutkimusta",
        ),
        (
            "add a `research` block: `plan` (what is studied, by whom, until when), "
            "`impact_assessment`, `pseudonymisation_key` and `archive`",
            "lisää `research`-kohta: `plan` (mitä tutkitaan, kuka ja mihin asti), "
            "`impact_assessment`, `pseudonymisation_key` ja `archive`",
        ),
        example="""\
research:
  plan:
    fi: Tutkimus kestää 2026–2029; vastuullinen tutkija on professori N.N.
    sv: Studien pågår 2026–2029; ansvarig prövare är professor N.N.
    en: The study runs 2026-2029; its principal investigator is Professor N.N.
  impact_assessment:
    fi: Tehty ja toimitettu tietosuojavaltuutetulle ennen käsittelyä.
    sv: Gjord och skickad till dataombudsmannen före behandlingen.
    en: Made and sent to the Data Protection Ombudsman before processing.
  pseudonymisation_key:
    fi: Vain tutkimushoitaja pitää hallussaan avainlistaa.
    sv: Endast forskningssjukskötaren har nyckellistan.
    en: Only the research nurse holds the key list.""",
    ),
    _rule(
        "research-impact-assessment",
        E,
        "-",
        "Data Protection Act 1050/2018 s 31; Art 35, 89(2)",
        "register",
        blocks.research_impact_assessment,
        (
            "rights are restricted for research without the data protection impact assessment",
            "oikeuksia rajoitetaan tutkimuksen vuoksi ilman tietosuojaa koskevaa "
            "vaikutustenarviointia",
        ),
        (
            "say in `research.impact_assessment` that the assessment was made and sent to the "
            "Data Protection Ombudsman, or do not restrict the rights",
            "kerro `research.impact_assessment`-kohdassa, että arviointi on tehty ja toimitettu "
            "tietosuojavaltuutetulle, tai älä rajoita oikeuksia",
        ),
        example="""\
research:
  impact_assessment:
    fi: Tehty ja toimitettu tietosuojavaltuutetulle ennen käsittelyä.
    sv: Gjord och skickad till dataombudsmannen före behandlingen.
    en: Made and sent to the Data Protection Ombudsman before processing.""",
    ),
    _rule(
        "research-safeguards",
        W,
        "-",
        "Art 89(1); Data Protection Act 1050/2018 s 31",
        "register",
        blocks.research_safeguards,
        (
            "rights are restricted for research, but the register does not say who holds the "
            "pseudonymisation key",
            "oikeuksia rajoitetaan tutkimuksen vuoksi, mutta rekisteri ei kerro, kuka hallitsee "
            "pseudonymisoinnin avainta",
        ),
        (
            "say in `research.pseudonymisation_key` who holds the key (or that the data is "
            "anonymised)",
            "kerro `research.pseudonymisation_key`-kohdassa, kuka hallitsee avainta (tai että "
            "tiedot anonymisoidaan)",
        ),
        example="""\
research:
  pseudonymisation_key:
    fi: Vain tutkimushoitaja pitää avainlistaa lukitussa kassakaapissa.
    sv: Endast forskningssjukskötaren har nyckellistan, i ett låst kassaskåp.
    en: Only the research nurse holds the key list, in a locked safe.""",
    ),
    _rule(
        "health-patient-rights",
        W,
        "-",
        "Act on the Processing of Client Data in Healthcare and Social Welfare 784/2021",
        "register",
        blocks.health_patient_rights,
        (
            "the register of health or social care client data leaves out {field}",
            "sosiaali- tai terveydenhuollon asiakastietojen rekisteristä puuttuu {field}",
        ),
        (
            "say in `health.kanta_refusal` how a patient refuses disclosure through Kanta and in "
            "`health.access_log` how they get the log of who used their data",
            "kerro `health.kanta_refusal`-kohdassa, miten potilas kieltää luovutuksen "
            "Kanta-palveluissa, ja `health.access_log`-kohdassa, miten hän saa lokitiedot",
        ),
        example="""\
health:
  kanta_refusal:
    fi: Voit kieltää luovutuksen OmaKannassa (omakanta.fi) tai vastaanotossa.
    sv: Du kan förbjuda utlämnande i MittKanta (omakanta.fi) eller i receptionen.
    en: You can refuse disclosure in My Kanta (omakanta.fi) or at reception.
  access_log:
    fi: Pyydä vastaanotosta lokitiedot siitä, kuka on käyttänyt tai katsonut tietojasi.
    sv: Be receptionen om loggen över vem som har använt eller sett dina uppgifter.
    en: Ask reception for the log of who has used or seen your data.""",
    ),
    _rule(
        "cctv-undeclared",
        W,
        "-",
        "Art 13(1)(c), 5(1)(c); Data Protection Act 1050/2018",
        "register",
        blocks.cctv_undeclared,
        (
            'the register speaks of camera surveillance but has no `cctv` block: "{quote}"',
            'rekisterissä puhutaan kameravalvonnasta, mutta `cctv`-kohta puuttuu: "{quote}"',
        ),
        (
            "add `cctv` with `areas` (what the cameras cover), `signs`, `audio` and `viewers`",
            "lisää `cctv`-kohta: `areas` (mitä kamerat kattavat), `signs`, `audio` ja `viewers`",
        ),
        example="""\
cctv:
  areas:
    - fi: A- ja B-rappujen ulko-ovet
      sv: Ytterdörrarna till trapphus A och B
      en: The front doors of stairwells A and B
  signs:
    fi: Jokaisessa valvotussa ovessa on kyltti, jossa rekisterinpitäjä mainitaan.
    sv: Varje övervakad dörr har en skylt som anger den personuppgiftsansvarige.
    en: Every monitored door has a sign naming the controller.
  audio: false
  viewers:
    fi: Vain isännöitsijä ja vain silloin, kun epäillään vahinkoa tai rikosta.
    sv: Endast disponenten, och endast när skada eller brott misstänks.
    en: Only the property manager, and only when damage or a crime is suspected.""",
    ),
    _rule(
        "cctv-audio",
        W,
        "-",
        "Criminal Code 39/1889 ch 24 s 5; Art 5(1)(c)",
        "register",
        blocks.cctv_audio,
        (
            "the camera surveillance records sound, which is eavesdropping without a specific "
            "ground",
            "kameravalvonta tallentaa ääntä, mikä on salakuuntelua ilman erityistä perustetta",
        ),
        (
            "record image only (`cctv.audio: false`), or name the ground for recording sound",
            "tallenna vain kuvaa (`cctv.audio: false`) tai nimeä äänen tallentamisen peruste",
        ),
        example="""\
cctv:
  audio: false""",
    ),
    _rule(
        "children-parental-consent",
        E,
        "-",
        "Art 8(1)-(2); Data Protection Act 1050/2018 s 5",
        "register",
        blocks.children_parental_consent,
        (
            "the service accepts children from {age}, below the consent age {consent_age}, but "
            "does not say how a parent's consent is given and verified",
            "palvelu hyväksyy {age}-vuotiaat, alle suostumusiän {consent_age}, mutta ei kerro, "
            "miten huoltajan suostumus annetaan ja todennetaan",
        ),
        (
            "say in `children.parental_consent` how a parent consents and how you verify it "
            "(e.g. the parent's strong electronic identification)",
            "kerro `children.parental_consent`-kohdassa, miten huoltaja antaa suostumuksen ja "
            "miten se todennetaan (esim. huoltajan vahva sähköinen tunnistus)",
        ),
        example="""\
children:
  consent_age: 13
  minimum_age: 10
  parental_consent:
    fi: Vanhempi antaa suostumuksen vahvalla sähköisellä tunnistautumisella.
    sv: En förälder samtycker med stark elektronisk identifiering.
    en: A parent consents by strong electronic identification.""",
    ),
    _rule(
        "marketing-electronic-consent",
        E,
        "-",
        "Information Society Code 917/2014 s 200",
        "register",
        blocks.marketing_electronic_consent,
        (
            "{channel} marketing to consumers rests on an opt-out, but electronic direct "
            "marketing needs prior consent",
            "{channel}-markkinointi kuluttajille perustuu kieltomahdollisuuteen, mutta sähköinen "
            "suoramarkkinointi edellyttää ennakkosuostumusta",
        ),
        (
            "set the channel's `basis` to `consent`, `customer_relationship` (own similar "
            "products to customers) or `legal_person`",
            "aseta kanavan `basis`-arvoksi `consent`, `customer_relationship` (omat vastaavat "
            "tuotteet asiakkaille) tai `legal_person`",
        ),
        example="""\
marketing:
  channels:
    - {channel: email, basis: consent}
    - {channel: post, basis: opt_out}""",
    ),
    _rule(
        "marketing-refusal",
        W,
        "E20",
        "Art 21(2)-(4); Information Society Code 917/2014 s 200(2)",
        "register",
        blocks.marketing_refusal,
        (
            "the register does direct marketing but does not say how to refuse it",
            "rekisteriä käytetään suoramarkkinointiin, mutta siinä ei kerrota, miten sen voi "
            "kieltää",
        ),
        (
            "say in `marketing.refusal` how to refuse, free of charge and at any time",
            "kerro `marketing.refusal`-kohdassa, miten markkinoinnin voi kieltää maksutta ja "
            "milloin tahansa",
        ),
        example="""\
marketing:
  refusal:
    fi: Käytä jokaisen viestin peruutuslinkkiä tai lähetä meille sähköpostia.
    sv: Använd avregistreringslänken i varje meddelande eller skicka e-post till oss.
    en: Use the unsubscribe link in every message, or e-mail us.""",
    ),
    _rule(
        "marketing-none-contradicted",
        E,
        "-",
        "Art 13(1)(c), 21(2)",
        "register",
        blocks.marketing_none_contradicted,
        (
            "the register says `marketing: none`, but purpose {purpose} is direct marketing",
            "rekisterissä on `marketing: none`, mutta käyttötarkoitus {purpose} on "
            "suoramarkkinointia",
        ),
        (
            "list the channels and their basis under `marketing.channels`, or mark the purpose "
            "`direct_marketing: false`",
            "luettele kanavat ja niiden perusteet `marketing.channels`-kohdassa tai merkitse "
            "käyttötarkoitus `direct_marketing: false`",
        ),
        example="""\
marketing:
  channels:
    - {channel: email, basis: customer_relationship}
  refusal:
    fi: Käytä jokaisen viestin peruutuslinkkiä.
    sv: Använd avregistreringslänken i varje meddelande.
    en: Use the unsubscribe link in every message.""",
    ),
    _rule(
        "storage-denied",
        W,
        "E23",
        "Information Society Code 917/2014 s 205; Art 12(1), 13(1)(c)",
        "site",
        blocks.storage_denied,
        (
            "the cookie text says no cookies or tracking are used, but {name} ({storage}) is "
            "stored on the device for analytics or marketing, which the same rules cover",
            "evästeteksti kertoo, ettei evästeitä tai seurantaa käytetä, mutta {name} ({storage}) "
            "tallennetaan laitteelle analytiikkaa tai markkinointia varten, ja sitä koskevat samat "
            "säännöt",
        ),
        (
            "say in `cookie_intro` what is stored on the device (cookies, localStorage, SDK "
            "identifiers) and that it is asked for consent",
            "kerro `cookie_intro`-kohdassa, mitä laitteelle tallennetaan (evästeet, localStorage, "
            "SDK-tunnisteet) ja että siihen pyydetään suostumus",
        ),
        example="""\
cookie_intro:
  fi: Emme käytä evästeitä, mutta suostumuksellasi säilytämme suosituslistaa selaimesi
    paikallisessa tallennustilassa.
  sv: Vi använder inga kakor, men med ditt samtycke sparar vi en rekommendationslista i
    webbläsarens lokala lagring.
  en: We use no cookies, but with your consent we keep a recommendation list in your browser's
    local storage.""",
    ),
    _rule(
        "storage-basis",
        E,
        "E23",
        "Information Society Code 917/2014 s 205; CJEU C-673/17 Planet49",
        "register",
        blocks.storage_basis,
        (
            "{name} ({storage}) is used for analytics or marketing on the basis {basis}, but "
            "storing it on a device needs consent",
            "{name} ({storage}) on analytiikka- tai markkinointikäytössä perusteella {basis}, "
            "mutta sen tallentaminen laitteelle edellyttää suostumusta",
        ),
        (
            "set its `legal_basis: consent` and ask before storing it, or move it to "
            "`category: necessary` if the service cannot work without it",
            "aseta `legal_basis: consent` ja kysy ennen tallentamista, tai siirrä se luokkaan "
            "`category: necessary`, jos palvelu ei toimi ilman sitä",
        ),
        example="""\
cookies:
  - name: ad_id
    storage: sdk_identifier
    category: marketing
    legal_basis: consent""",
    ),
)


def rule(rule_id: str) -> Rule:
    """Return the rule with this id."""
    for candidate in RULES:
        if candidate.id == rule_id:
            return candidate
    raise KeyError(rule_id)


# Rules kept in their own modules, registered here.
RULES = (
    *RULES,
    Rule(
        "cookie-tracker-exempt",
        Severity.error,
        "E23",
        exempt.SOURCE,
        "site",
        exempt.tracker_declared_exempt,
        exempt.MESSAGE,
        exempt.HINT,
        exempt.EXAMPLE,
    ),
)
