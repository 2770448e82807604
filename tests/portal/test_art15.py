# ruff: noqa: E501 - expected lines are compared whole, one per line of the letter
"""Art 15 information, line by line, in fi, sv and en: for our own register and for one unlike it.

The register unlike ours is a clinic's: two legal bases on one purpose, special-category data,
per-category retention, a named public source, recipients in the US, India and China (one with
no safeguard given), a transfer not tied to a recipient (Singapore), and an automated decision.
Every line is compared in full, so a line that goes missing, moves, or prints a repr fails.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from notice.loader import Content, load_content
from notice.model import Register, model_context
from portal.core import art15
from portal.core.letters import render_html
from tests.portal.support.requests import new_request

LANGUAGES = ("fi", "sv", "en")

CLINIC = {
    "id": "potilasrekisteri",
    "slug": {"fi": "potilasrekisteri", "sv": "patientregister", "en": "patient-register"},
    "name": {"fi": "Potilasrekisteri", "sv": "Patientregister", "en": "Patient register"},
    "prepared": "2024-03-01",
    "purposes": [
        {
            "id": "care",
            "description": {
                "fi": "Potilaan **hoito** ja hoidon suunnittelu.",
                "sv": "Patientens **vård** och planering av vården.",
                "en": "Treating the patient and planning the **care**.",
            },
            "legal_bases": ["legal_obligation", "public_task"],
        },
        {
            "id": "reminders",
            "description": {
                "fi": "Ajanvarausmuistutukset tekstiviestillä.",
                "sv": "Påminnelser om bokade tider per sms.",
                "en": "Appointment reminders by text message.",
            },
            "legal_bases": ["legitimate_interests"],
            "legitimate_interest": {
                "fi": "Vähentää peruuttamattomia poissaoloja.",
                "sv": "Att minska uteblivna besök.",
                "en": "Fewer missed appointments.",
            },
        },
    ],
    "data_categories": [
        {
            "name": {
                "fi": "Henkilötunnus",
                "sv": "Personbeteckning",
                "en": "Personal identity code",
            },
            "sources": [
                "data_subject",
                {
                    "name": {
                        "fi": "Väestötietojärjestelmä",
                        "sv": "Befolkningsdatasystemet",
                        "en": "Population Information System",
                    },
                    "publicly_accessible": True,
                },
            ],
        },
        {
            "name": {"fi": "Potilaskertomus", "sv": "Patientjournal", "en": "Patient record"},
            "retention": {
                "fi": "12 vuotta kuolemasta (STM:n asetus 94/2022).",
                "sv": "12 år efter döden (SHM:s förordning 94/2022).",
                "en": "12 years after death (Ministry decree 94/2022).",
            },
            "special": {"category": "health", "condition": "health_or_social_care"},
        },
        {
            "name": {"fi": "Puhelinnumero", "sv": "Telefonnummer", "en": "Phone number"},
            "retention": {
                "fi": "Kunnes hoitosuhde päättyy.",
                "sv": "Tills vårdrelationen upphör.",
                "en": "Until the care relationship ends.",
            },
        },
    ],
    "recipients": [
        {
            "name": {
                "fi": "Vastaanoton henkilökunta",
                "sv": "Mottagningens personal",
                "en": "Clinic staff",
            },
            "role": "internal",
        },
        {
            "name": {
                "fi": "Kanta-palvelut (Kela)",
                "sv": "Kanta-tjänsterna (FPA)",
                "en": "Kanta Services (Kela)",
            },
            "role": "public_authority",
            "country": "FI",
        },
        {
            "name": {"fi": "SmsCloud Inc.", "sv": "SmsCloud Inc.", "en": "SmsCloud Inc."},
            "role": "processor",
            "country": "US",
            "purposes": ["reminders"],
            "transfer": {"mechanisms": ["sccs"]},
        },
        {
            "name": {"fi": "Infosys BPM Ltd", "sv": "Infosys BPM Ltd", "en": "Infosys BPM Ltd"},
            "role": "sub_processor",
            "country": "IN",
            "purpose": {
                "fi": "Laskutuksen tukipalvelut.",
                "sv": "Stödtjänster för fakturering.",
                "en": "Billing support.",
            },
            "transfer": {
                "mechanisms": ["sccs", "derogation"],
                "decision": "2021/914",
                "derogation_ground": "explicit_consent",
                "details": {
                    "fi": "Jäljennös lausekkeista: tietosuoja@klinikka.example.",
                    "sv": "Kopia av klausulerna: tietosuoja@klinikka.example.",
                    "en": "Copy of the clauses: tietosuoja@klinikka.example.",
                },
            },
        },
        {
            "name": {
                "fi": "Telemetria Oy:n emoyhtiö",
                "sv": "Telemetri Ab:s moderbolag",
                "en": "Telemetry parent company",
            },
            "role": "controller",
            "country": "CN",
        },
    ],
    "transfers": [
        {"recipient": "Backup Vault Pte", "country": "SG", "mechanisms": ["bcr"]},
    ],
    "retention": {
        "fi": "Muut tiedot 5 vuotta.",
        "sv": "Övriga uppgifter 5 år.",
        "en": "Other data 5 years.",
    },
    "automated_decisions": [
        {
            "description": {
                "fi": "Kiireellisyysluokitus.",
                "sv": "Brådskandeklassificering.",
                "en": "Urgency triage.",
            },
            "logic": {
                "fi": "Oireet pisteytetään.",
                "sv": "Symtomen poängsätts.",
                "en": "Symptoms are scored.",
            },
            "significance": {"fi": "Määrää jonon.", "sv": "Avgör kön.", "en": "Sets the queue."},
            "consequences": {
                "fi": "Aika voi siirtyä.",
                "sv": "Tiden kan flyttas.",
                "en": "Your time may move.",
            },
            "ground": "law",
        }
    ],
}

CLINIC_LINES: dict[str, list[tuple[str, str]]] = {
    "en": [
        (
            "purposes-0",
            "Treating the patient and planning the care. Legal basis: Legal obligation (Article 6(1)(c)); Task in the public interest (Article 6(1)(e)).",
        ),
        (
            "purposes-1",
            "Appointment reminders by text message. Legal basis: Legitimate interests (Article 6(1)(f)). Our legitimate interest: Fewer missed appointments.",
        ),
        ("categories-0", "Personal identity code"),
        ("categories-1", "Patient record (health data)"),
        ("categories-2", "Phone number"),
        ("recipients-1", "Kanta Services (Kela) (Finland) — Authority"),
        ("recipients-2", "SmsCloud Inc. (United States) — Processor acting on our behalf"),
        (
            "recipients-3",
            "Infosys BPM Ltd (India) — Sub-processor acting on our processor's behalf. Billing support.",
        ),
        ("recipients-4", "Telemetry parent company (China) — Independent controller"),
        (
            "transfers-0",
            "SmsCloud Inc., United States: Standard contractual clauses (Article 46(2)(c)). Ask us for a copy of the safeguard and we will send it to you.",
        ),
        (
            "transfers-1",
            "Infosys BPM Ltd, India: Standard contractual clauses (Article 46(2)(c)); Derogation for a specific situation (Article 49). Decision: 2021/914. Ground: your explicit consent (Article 49(1)(a)). Copy of the clauses: tietosuoja@klinikka.example.",
        ),
        (
            "transfers-2",
            "Telemetry parent company, China: the register names no safeguard for this transfer; ask us and we will tell you the safeguard and give you a copy of it (Article 15(2) GDPR).",
        ),
        (
            "transfers-3",
            "Backup Vault Pte, Singapore: Binding corporate rules (Article 47). Ask us for a copy of the safeguard and we will send it to you.",
        ),
        ("retention-0", "Other data 5 years."),
        ("retention-2", "Patient record: 12 years after death (Ministry decree 94/2022)."),
        ("retention-3", "Phone number: Until the care relationship ends."),
        (
            "rights-0",
            "You may ask us to rectify or erase your data, to restrict its processing, and object to its processing (Articles 16–18 and 21 GDPR).",
        ),
        ("complaint-0", "You may lodge a complaint with the supervisory authority (see below)."),
        ("source-1", "Personal identity code: Population Information System (publicly accessible)"),
        (
            "automated-0",
            "Urgency triage. Logic: Symptoms are scored. Significance: Sets the queue. Consequences: Your time may move.",
        ),
    ],
    "fi": [
        (
            "purposes-0",
            "Potilaan hoito ja hoidon suunnittelu. Oikeusperuste: Lakisääteinen velvoite (6 artiklan 1 kohdan c alakohta); Yleistä etua koskeva tehtävä (6 artiklan 1 kohdan e alakohta).",
        ),
        (
            "purposes-1",
            "Ajanvarausmuistutukset tekstiviestillä. Oikeusperuste: Oikeutettu etu (6 artiklan 1 kohdan f alakohta). Oikeutettu etumme: Vähentää peruuttamattomia poissaoloja.",
        ),
        ("categories-0", "Henkilötunnus"),
        ("categories-1", "Potilaskertomus (terveystiedot)"),
        ("categories-2", "Puhelinnumero"),
        ("recipients-1", "Kanta-palvelut (Kela) (Suomi) — Viranomainen"),
        (
            "recipients-2",
            "SmsCloud Inc. (Yhdysvallat) — Lukuumme tietoja käsittelevä henkilötietojen käsittelijä",
        ),
        (
            "recipients-3",
            "Infosys BPM Ltd (Intia) — Alihankkija, joka toimii käsittelijämme lukuun. Laskutuksen tukipalvelut.",
        ),
        ("recipients-4", "Telemetria Oy:n emoyhtiö (Kiina) — Itsenäinen rekisterinpitäjä"),
        (
            "transfers-0",
            "SmsCloud Inc., Yhdysvallat: Vakiosopimuslausekkeet (46 artiklan 2 kohdan c alakohta). Saat suojatoimista jäljennöksen pyytämällä sitä meiltä.",
        ),
        (
            "transfers-1",
            "Infosys BPM Ltd, Intia: Vakiosopimuslausekkeet (46 artiklan 2 kohdan c alakohta); Erityistilanteita koskeva poikkeus (49 artikla). Päätös: 2021/914. Peruste: nimenomainen suostumuksesi (49 artiklan 1 kohdan a alakohta). Jäljennös lausekkeista: tietosuoja@klinikka.example.",
        ),
        (
            "transfers-2",
            "Telemetria Oy:n emoyhtiö, Kiina: rekisteriselosteessa ei mainita tämän siirron suojatoimia; kysy meiltä, niin kerromme suojatoimet ja annamme niistä jäljennöksen (tietosuoja-asetuksen 15 artiklan 2 kohta).",
        ),
        (
            "transfers-3",
            "Backup Vault Pte, Singapore: Yritystä koskevat sitovat säännöt (47 artikla). Saat suojatoimista jäljennöksen pyytämällä sitä meiltä.",
        ),
        ("retention-0", "Muut tiedot 5 vuotta."),
        ("retention-2", "Potilaskertomus: 12 vuotta kuolemasta (STM:n asetus 94/2022)."),
        ("retention-3", "Puhelinnumero: Kunnes hoitosuhde päättyy."),
        (
            "rights-0",
            "Voit pyytää meitä oikaisemaan tai poistamaan tietosi ja rajoittamaan niiden käsittelyä sekä vastustaa niiden käsittelyä (tietosuoja-asetuksen 16–18 ja 21 artikla).",
        ),
        ("complaint-0", "Voit tehdä valituksen valvontaviranomaiselle (ks. alla)."),
        ("source-1", "Henkilötunnus: Väestötietojärjestelmä (julkisesti saatavilla)"),
        (
            "automated-0",
            "Kiireellisyysluokitus. Käsittelyn logiikka: Oireet pisteytetään. Merkitys: Määrää jonon. Seuraukset: Aika voi siirtyä.",
        ),
    ],
    "sv": [
        (
            "purposes-0",
            "Patientens vård och planering av vården. Rättslig grund: Rättslig förpliktelse (artikel 6.1 c); Uppgift av allmänt intresse (artikel 6.1 e).",
        ),
        (
            "purposes-1",
            "Påminnelser om bokade tider per sms. Rättslig grund: Berättigat intresse (artikel 6.1 f). Vårt berättigade intresse: Att minska uteblivna besök.",
        ),
        ("categories-0", "Personbeteckning"),
        ("categories-1", "Patientjournal (uppgifter om hälsa)"),
        ("categories-2", "Telefonnummer"),
        ("recipients-1", "Kanta-tjänsterna (FPA) (Finland) — Myndighet"),
        (
            "recipients-2",
            "SmsCloud Inc. (USA) — Personuppgiftsbiträde som behandlar uppgifter för vår räkning",
        ),
        (
            "recipients-3",
            "Infosys BPM Ltd (Indien) — Underbiträde som agerar för vårt personuppgiftsbiträdes räkning. Stödtjänster för fakturering.",
        ),
        ("recipients-4", "Telemetri Ab:s moderbolag (Kina) — Självständig personuppgiftsansvarig"),
        (
            "transfers-0",
            "SmsCloud Inc., USA: Standardavtalsklausuler (artikel 46.2 c). Be oss om en kopia av skyddsåtgärden, så skickar vi den till dig.",
        ),
        (
            "transfers-1",
            "Infosys BPM Ltd, Indien: Standardavtalsklausuler (artikel 46.2 c); Undantag i särskilda situationer (artikel 49). Beslut: 2021/914. Grund: ditt uttryckliga samtycke (artikel 49.1 a). Kopia av klausulerna: tietosuoja@klinikka.example.",
        ),
        (
            "transfers-2",
            "Telemetri Ab:s moderbolag, Kina: registret anger ingen skyddsåtgärd för denna överföring; fråga oss, så berättar vi vilken skyddsåtgärd som gäller och ger dig en kopia av den (artikel 15.2 i dataskyddsförordningen).",
        ),
        (
            "transfers-3",
            "Backup Vault Pte, Singapore: Bindande företagsbestämmelser (artikel 47). Be oss om en kopia av skyddsåtgärden, så skickar vi den till dig.",
        ),
        ("retention-0", "Övriga uppgifter 5 år."),
        ("retention-2", "Patientjournal: 12 år efter döden (SHM:s förordning 94/2022)."),
        ("retention-3", "Telefonnummer: Tills vårdrelationen upphör."),
        (
            "rights-0",
            "Du kan begära att vi rättar eller raderar dina uppgifter och begränsar behandlingen av dem, och du kan invända mot behandlingen (artiklarna 16–18 och 21 i dataskyddsförordningen).",
        ),
        ("complaint-0", "Du kan lämna in ett klagomål till tillsynsmyndigheten (se nedan)."),
        ("source-1", "Personbeteckning: Befolkningsdatasystemet (allmänt tillgänglig)"),
        (
            "automated-0",
            "Brådskandeklassificering. Logiken: Symtomen poängsätts. Betydelse: Avgör kön. Följder: Tiden kan flyttas.",
        ),
    ],
}

CUSTOMER_REGISTER_LINES: dict[str, list[tuple[str, str]]] = {
    "en": [
        (
            "purposes-0",
            "Managing the customer relationship: keeping the customer register and receiving, processing, delivering and archiving customers' orders. Legal basis: Contract (Article 6(1)(b)).",
        ),
        (
            "purposes-1",
            "Meeting our statutory bookkeeping and tax obligations. Legal basis: Legal obligation (Article 6(1)(c)).",
        ),
        (
            "purposes-2",
            "Checking credit information when a customer buys on invoice or applies for credit, and collecting unpaid invoices. Legal basis: Legitimate interests (Article 6(1)(f)). Our legitimate interest: Making sure that we are paid for the orders we deliver.",
        ),
        (
            "purposes-3",
            "Targeting our own direct marketing to our customers, for example printing address labels and similar lists for direct mail. We do not hand data over for anyone else's marketing. Legal basis: Legitimate interests (Article 6(1)(f)). Our legitimate interest: Offering our own products and services to people who already do business with us.",
        ),
        (
            "purposes-4",
            "Developing our business and services with statistics on customers and orders. Legal basis: Legitimate interests (Article 6(1)(f)). Our legitimate interest: Developing our products and services to meet customers' needs.",
        ),
        (
            "purposes-5",
            "Measuring the use of our website with Google Analytics 4 to develop the site and plan our marketing. Legal basis: Consent (Article 6(1)(a)).",
        ),
        ("categories-0", "First name and surname"),
        ("categories-1", "Company or organisation you represent"),
        ("categories-2", "E-mail address"),
        ("categories-3", "Postal address"),
        ("categories-4", "Telephone number"),
        ("categories-5", "Details of previous orders"),
        ("categories-6", "Invoicing and payment details and the result of a credit check"),
        ("categories-7", "Objections to marketing and to publication in lists"),
        (
            "categories-8",
            "Website usage data with your consent: cookie identifier, pages viewed and viewing times, time of visit, browser and device, and approximate location at country or city level",
        ),
        (
            "recipients-1",
            "Accounting firm (our outsourcing partner for bookkeeping and invoicing) — Processor acting on our behalf. Bookkeeping and invoicing.",
        ),
        (
            "recipients-2",
            "Providers of the customer register's information systems and servers — Processor acting on our behalf. Storing the data and maintaining the systems on our behalf.",
        ),
        (
            "recipients-3",
            "Google Ireland Limited (Ireland) — Processor acting on our behalf. Google Analytics 4 website analytics, only with your consent.",
        ),
        (
            "recipients-4",
            "Google LLC (United States) — Sub-processor acting on our processor's behalf. Processing the Google Analytics 4 data in the United States.",
        ),
        (
            "recipients-5",
            "Credit reference agency — Independent controller. Checking credit information when you buy on invoice or apply for credit.",
        ),
        (
            "recipients-6",
            "Debt collection agency — Independent controller. Collecting unpaid invoices.",
        ),
        (
            "recipients-7",
            "Authorities, such as the Finnish Tax Administration (Finland). When the law requires us to disclose data.",
        ),
        (
            "transfers-0",
            "Google LLC, United States: Adequacy decision of the European Commission (Article 45). The decision is (EU) 2023/1795 of 10 July 2023 on the EU–US Data Privacy Framework, and Google LLC is certified under the framework. The decision is available at https://eur-lex.europa.eu/eli/dec_impl/2023/1795/oj and the list of certified companies at https://www.dataprivacyframework.gov.",
        ),
        (
            "retention-0",
            "We keep customer, order and invoicing data for 10 years from the end of the customer relationship. This also covers the retention duties of the Finnish Accounting Act. The categories kept for another period are listed below.",
        ),
        (
            "retention-8",
            "Objections to marketing and to publication in lists: For as long as the objection is in force.",
        ),
        (
            "retention-9",
            "Website usage data with your consent: cookie identifier, pages viewed and viewing times, time of visit, browser and device, and approximate location at country or city level: 2 months in Google Analytics; your cookie choice for 12 months.",
        ),
        (
            "rights-0",
            "You may ask us to rectify or erase your data, to restrict its processing, and object to its processing (Articles 16–18 and 21 GDPR).",
        ),
        ("complaint-0", "You may lodge a complaint with the supervisory authority (see below)."),
        (
            "source-0",
            "We get the data mainly from you: when you register as a customer, place an order or tell us something during the customer relationship. Updates to names and addresses come from authorities and companies that provide address update services. Credit information comes from a credit reference agency when you buy on invoice or apply for credit. Website usage data is collected with Google Analytics cookies if you have accepted them. We do not collect data from publicly accessible sources.",
        ),
        (
            "source-4",
            "Postal address: Authorities and companies that provide address update services",
        ),
        (
            "source-7",
            "Invoicing and payment details and the result of a credit check: Credit reference agency",
        ),
        (
            "source-9",
            "Website usage data with your consent: cookie identifier, pages viewed and viewing times, time of visit, browser and device, and approximate location at country or city level: Google Analytics cookies",
        ),
        ("automated-0", "We make no decisions about you based solely on automated processing."),
    ],
    "fi": [
        (
            "purposes-0",
            "Asiakassuhteen hoitaminen: asiakasrekisterin ylläpitäminen sekä asiakkaiden tilausten vastaanottaminen, käsittely, toimittaminen ja arkistointi. Oikeusperuste: Sopimus (6 artiklan 1 kohdan b alakohta).",
        ),
        (
            "purposes-1",
            "Kirjanpitoa ja verotusta koskevien lakisääteisten velvoitteiden täyttäminen. Oikeusperuste: Lakisääteinen velvoite (6 artiklan 1 kohdan c alakohta).",
        ),
        (
            "purposes-2",
            "Luottotietojen tarkistaminen laskulla ostettaessa tai luottoa haettaessa sekä maksamattomien laskujen periminen. Oikeusperuste: Oikeutettu etu (6 artiklan 1 kohdan f alakohta). Oikeutettu etumme: Varmistaa, että saamme maksun toimittamistamme tilauksista.",
        ),
        (
            "purposes-3",
            "Oman suoramarkkinointimme kohdistaminen asiakkaillemme, esimerkiksi suoramainosten osoitetarrojen ja vastaavien luetteloiden tulostaminen. Emme luovuta tietoja muiden markkinointiin. Oikeusperuste: Oikeutettu etu (6 artiklan 1 kohdan f alakohta). Oikeutettu etumme: Tarjota omia tuotteitamme ja palvelujamme niille, jotka jo asioivat kanssamme.",
        ),
        (
            "purposes-4",
            "Toimintamme ja palvelujemme kehittäminen asiakas- ja tilaustietoja koskevien tilastojen avulla. Oikeusperuste: Oikeutettu etu (6 artiklan 1 kohdan f alakohta). Oikeutettu etumme: Kehittää tuotteitamme ja palvelujamme asiakkaiden tarpeiden mukaisiksi.",
        ),
        (
            "purposes-5",
            "Verkkosivuston käytön mittaaminen Google Analytics 4 -palvelulla sivuston kehittämiseksi ja markkinoinnin suunnittelemiseksi. Oikeusperuste: Suostumus (6 artiklan 1 kohdan a alakohta).",
        ),
        ("categories-0", "Etu- ja sukunimi"),
        ("categories-1", "Yritys tai yhteisö, jota edustat"),
        ("categories-2", "Sähköpostiosoite"),
        ("categories-3", "Postiosoite"),
        ("categories-4", "Puhelinnumero"),
        ("categories-5", "Tiedot aiemmista tilauksista"),
        ("categories-6", "Laskutus- ja maksutiedot sekä luottotietojen tarkistuksen tulos"),
        ("categories-7", "Markkinointikiellot ja luetteloihin julkaisemisen kiellot"),
        (
            "categories-8",
            "Verkkosivuston käyttötiedot suostumuksellasi: evästetunniste, katsotut sivut ja katseluajat, käynnin ajankohta, selain ja laite sekä arvioitu sijainti maan tai kaupungin tarkkuudella",
        ),
        (
            "recipients-1",
            "Tilitoimisto (kirjanpidon ja laskutuksen ulkoistuskumppani) — Lukuumme tietoja käsittelevä henkilötietojen käsittelijä. Kirjanpito ja laskutus.",
        ),
        (
            "recipients-2",
            "Asiakasrekisterin tietojärjestelmä- ja palvelintoimittajat — Lukuumme tietoja käsittelevä henkilötietojen käsittelijä. Tietojen tallentaminen ja järjestelmien ylläpito puolestamme.",
        ),
        (
            "recipients-3",
            "Google Ireland Limited (Irlanti) — Lukuumme tietoja käsittelevä henkilötietojen käsittelijä. Google Analytics 4 -sivustoanalytiikka, vain suostumuksellasi.",
        ),
        (
            "recipients-4",
            "Google LLC (Yhdysvallat) — Alihankkija, joka toimii käsittelijämme lukuun. Google Analytics 4 -palvelun tietojen käsittely Yhdysvalloissa.",
        ),
        (
            "recipients-5",
            "Luottotietoyhtiö — Itsenäinen rekisterinpitäjä. Luottotietojen tarkistaminen laskulla ostettaessa tai luottoa haettaessa.",
        ),
        (
            "recipients-6",
            "Perintätoimisto — Itsenäinen rekisterinpitäjä. Maksamattomien laskujen periminen.",
        ),
        (
            "recipients-7",
            "Viranomaiset, kuten Verohallinto (Suomi). Kun laki velvoittaa luovuttamaan tietoja.",
        ),
        (
            "transfers-0",
            "Google LLC, Yhdysvallat: Euroopan komission tietosuojan riittävyyttä koskeva päätös (45 artikla). Päätös on (EU) 2023/1795 (10.7.2023) EU:n ja Yhdysvaltojen välisestä tietosuojakehyksestä (EU–US Data Privacy Framework), ja Google LLC on sitoutunut kehykseen. Päätös on luettavissa osoitteessa https://eur-lex.europa.eu/eli/dec_impl/2023/1795/oj ja kehykseen sitoutuneiden yritysten luettelo osoitteessa https://www.dataprivacyframework.gov.",
        ),
        (
            "retention-0",
            "Säilytämme asiakas-, tilaus- ja laskutustiedot 10 vuotta asiakkuuden päättymisestä. Aika kattaa myös kirjanpitolain mukaiset säilytysvelvoitteet. Tietoryhmät, joiden säilytysaika on toinen, on lueteltu alla.",
        ),
        (
            "retention-8",
            "Markkinointikiellot ja luetteloihin julkaisemisen kiellot: Niin kauan kuin kielto on voimassa.",
        ),
        (
            "retention-9",
            "Verkkosivuston käyttötiedot suostumuksellasi: evästetunniste, katsotut sivut ja katseluajat, käynnin ajankohta, selain ja laite sekä arvioitu sijainti maan tai kaupungin tarkkuudella: 2 kuukautta Google Analyticsissa; evästevalintasi 12 kuukautta.",
        ),
        (
            "rights-0",
            "Voit pyytää meitä oikaisemaan tai poistamaan tietosi ja rajoittamaan niiden käsittelyä sekä vastustaa niiden käsittelyä (tietosuoja-asetuksen 16–18 ja 21 artikla).",
        ),
        ("complaint-0", "Voit tehdä valituksen valvontaviranomaiselle (ks. alla)."),
        (
            "source-0",
            "Saamme tiedot pääosin sinulta itseltäsi: kun rekisteröidyt asiakkaaksi, teet tilauksen tai ilmoitat meille jotain asiakassuhteen aikana. Nimi- ja osoitetietojen päivityksiä saamme osoitepäivityspalveluja tarjoavilta viranomaisilta ja yrityksiltä. Luottotiedot saamme luottotietoyhtiöltä, kun ostat laskulla tai haet luottoa. Verkkosivuston käyttötiedot kerätään Google Analytics -evästeillä, jos olet hyväksynyt ne. Emme kerää tietoja julkisesti saatavilla olevista lähteistä.",
        ),
        ("source-4", "Postiosoite: Osoitepäivityspalveluja tarjoavat viranomaiset ja yritykset"),
        (
            "source-7",
            "Laskutus- ja maksutiedot sekä luottotietojen tarkistuksen tulos: Luottotietoyhtiö",
        ),
        (
            "source-9",
            "Verkkosivuston käyttötiedot suostumuksellasi: evästetunniste, katsotut sivut ja katseluajat, käynnin ajankohta, selain ja laite sekä arvioitu sijainti maan tai kaupungin tarkkuudella: Google Analytics -evästeet",
        ),
        (
            "automated-0",
            "Emme tee sinua koskevia päätöksiä pelkästään automaattisen käsittelyn perusteella.",
        ),
    ],
    "sv": [
        (
            "purposes-0",
            "Att sköta kundrelationen: att föra kundregistret och ta emot, behandla, leverera och arkivera kundernas beställningar. Rättslig grund: Avtal (artikel 6.1 b).",
        ),
        (
            "purposes-1",
            "Att fullgöra lagstadgade skyldigheter som gäller bokföring och beskattning. Rättslig grund: Rättslig förpliktelse (artikel 6.1 c).",
        ),
        (
            "purposes-2",
            "Att kontrollera kreditupplysningar när en kund köper mot faktura eller ansöker om kredit, och att driva in obetalda fakturor. Rättslig grund: Berättigat intresse (artikel 6.1 f). Vårt berättigade intresse: Att se till att vi får betalt för de beställningar vi levererar.",
        ),
        (
            "purposes-3",
            "Att rikta vår egen direktmarknadsföring till våra kunder, till exempel att skriva ut adressetiketter för direktreklam och liknande förteckningar. Vi lämnar inte ut uppgifter för andras marknadsföring. Rättslig grund: Berättigat intresse (artikel 6.1 f). Vårt berättigade intresse: Att erbjuda våra egna produkter och tjänster till dem som redan gör affärer med oss.",
        ),
        (
            "purposes-4",
            "Att utveckla vår verksamhet och våra tjänster med statistik om kunder och beställningar. Rättslig grund: Berättigat intresse (artikel 6.1 f). Vårt berättigade intresse: Att utveckla våra produkter och tjänster efter kundernas behov.",
        ),
        (
            "purposes-5",
            "Att mäta användningen av vår webbplats med Google Analytics 4 för att utveckla webbplatsen och planera vår marknadsföring. Rättslig grund: Samtycke (artikel 6.1 a).",
        ),
        ("categories-0", "För- och efternamn"),
        ("categories-1", "Företag eller organisation som du företräder"),
        ("categories-2", "E-postadress"),
        ("categories-3", "Postadress"),
        ("categories-4", "Telefonnummer"),
        ("categories-5", "Uppgifter om tidigare beställningar"),
        (
            "categories-6",
            "Fakturerings- och betalningsuppgifter samt resultatet av en kreditupplysning",
        ),
        ("categories-7", "Förbud mot marknadsföring och mot publicering i förteckningar"),
        (
            "categories-8",
            "Uppgifter om användningen av webbplatsen med ditt samtycke: kakans identifierare, visade sidor och visningstider, tidpunkt för besöket, webbläsare och enhet samt ungefärlig plats på lands- eller stadsnivå",
        ),
        (
            "recipients-1",
            "Bokföringsbyrå (vår partner för utlagd bokföring och fakturering) — Personuppgiftsbiträde som behandlar uppgifter för vår räkning. Bokföring och fakturering.",
        ),
        (
            "recipients-2",
            "Leverantörer av kundregistrets informationssystem och servrar — Personuppgiftsbiträde som behandlar uppgifter för vår räkning. Att lagra uppgifterna och underhålla systemen för vår räkning.",
        ),
        (
            "recipients-3",
            "Google Ireland Limited (Irland) — Personuppgiftsbiträde som behandlar uppgifter för vår räkning. Webbanalys med Google Analytics 4, bara med ditt samtycke.",
        ),
        (
            "recipients-4",
            "Google LLC (USA) — Underbiträde som agerar för vårt personuppgiftsbiträdes räkning. Behandling av uppgifterna i Google Analytics 4 i USA.",
        ),
        (
            "recipients-5",
            "Kreditupplysningsföretag — Självständig personuppgiftsansvarig. Kontroll av kreditupplysningar vid köp mot faktura eller kreditansökan.",
        ),
        (
            "recipients-6",
            "Inkassobyrå — Självständig personuppgiftsansvarig. Indrivning av obetalda fakturor.",
        ),
        (
            "recipients-7",
            "Myndigheter, såsom Skatteförvaltningen (Finland). När lagen kräver att uppgifter lämnas ut.",
        ),
        (
            "transfers-0",
            "Google LLC, USA: Europeiska kommissionens beslut om adekvat skyddsnivå (artikel 45). Beslutet är (EU) 2023/1795 av den 10 juli 2023 om ramen för dataskydd mellan EU och USA (EU–US Data Privacy Framework), och Google LLC är certifierat enligt ramen. Beslutet finns på https://eur-lex.europa.eu/eli/dec_impl/2023/1795/oj och förteckningen över certifierade företag på https://www.dataprivacyframework.gov.",
        ),
        (
            "retention-0",
            "Vi bevarar kund-, beställnings- och faktureringsuppgifter i 10 år från det att kundrelationen upphörde. Tiden täcker också bokföringslagens krav på bevarande. Uppgiftsgrupper med en annan lagringstid anges nedan.",
        ),
        (
            "retention-8",
            "Förbud mot marknadsföring och mot publicering i förteckningar: Så länge förbudet gäller.",
        ),
        (
            "retention-9",
            "Uppgifter om användningen av webbplatsen med ditt samtycke: kakans identifierare, visade sidor och visningstider, tidpunkt för besöket, webbläsare och enhet samt ungefärlig plats på lands- eller stadsnivå: 2 månader i Google Analytics; ditt val om kakor 12 månader.",
        ),
        (
            "rights-0",
            "Du kan begära att vi rättar eller raderar dina uppgifter och begränsar behandlingen av dem, och du kan invända mot behandlingen (artiklarna 16–18 och 21 i dataskyddsförordningen).",
        ),
        ("complaint-0", "Du kan lämna in ett klagomål till tillsynsmyndigheten (se nedan)."),
        (
            "source-0",
            "Vi får uppgifterna huvudsakligen av dig: när du registrerar dig som kund, gör en beställning eller meddelar oss något under kundrelationen. Uppdateringar av namn och adresser får vi av myndigheter och företag som erbjuder adressuppdateringstjänster. Kreditupplysningar får vi av ett kreditupplysningsföretag när du köper mot faktura eller ansöker om kredit. Uppgifter om användningen av webbplatsen samlas in med Google Analytics-kakor, om du har godkänt dem. Vi samlar inte in uppgifter ur allmänt tillgängliga källor.",
        ),
        ("source-4", "Postadress: Myndigheter och företag som erbjuder adressuppdateringstjänster"),
        (
            "source-7",
            "Fakturerings- och betalningsuppgifter samt resultatet av en kreditupplysning: Kreditupplysningsföretag",
        ),
        (
            "source-9",
            "Uppgifter om användningen av webbplatsen med ditt samtycke: kakans identifierare, visade sidor och visningstider, tidpunkt för besöket, webbläsare och enhet samt ungefärlig plats på lands- eller stadsnivå: Google Analytics-kakor",
        ),
        (
            "automated-0",
            "Vi fattar inga beslut om dig som enbart grundar sig på automatiserad behandling.",
        ),
    ],
}


@pytest.fixture(scope="module")
def content(repo_root: Path) -> Content:
    return load_content(repo_root / "content")


def clinic() -> Register:
    return Register.model_validate(CLINIC, context=model_context(list(LANGUAGES)))


def lines(register: Register, lang: str, languages: Any = LANGUAGES) -> list[tuple[str, str]]:
    found = []
    for section in art15.sections(register, lang, languages, site=None):
        for line_id, text in section.lines:
            assert line_id.rsplit("-", 1)[0] == section.key  # each line in its own point
            found.append((line_id, text))
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_clinic_register_reads_line_by_line(lang: str) -> None:
    assert lines(clinic(), lang) == CLINIC_LINES[lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_our_customer_register_reads_line_by_line(content: Content, lang: str) -> None:
    register = content.register("asiakasrekisteri")
    assert lines(register, lang, content.site.languages) == CUSTOMER_REGISTER_LINES[lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_line_carries_a_repr_or_markdown(content: Content, lang: str) -> None:
    everything = lines(clinic(), lang) + lines(
        content.register("asiakasrekisteri"), lang, content.site.languages
    )
    for _line_id, text in everything:
        for artefact in ("None", "{'", "name=", "<", "**", "%(", "Enum", "ProvisionRequirement"):
            assert artefact not in text, (artefact, text)


@pytest.mark.parametrize(
    ("lang", "decision"),
    [
        ("fi", "Päätös: Komission täytäntöönpanopäätös (EU) 2021/914."),
        ("sv", "Beslut: Kommissionens genomförandebeslut (EU) 2021/914."),
        ("en", "Decision: Commission Implementing Decision (EU) 2021/914."),
    ],
)
def test_a_decision_written_per_language_is_named_in_the_letter_s(
    repo_root: Path, lang: str, decision: str
) -> None:
    # A real study register (tests/fixtures/registers-real) writes its SCC decision per language;
    # the letter printed the whole mapping ("Decision: {'fi': ...}") before.
    study = load_content(repo_root / "tests" / "fixtures" / "registers-real" / "study")
    [register] = study.registers
    transfers = [
        text for key, text in lines(register, lang, study.site.languages) if "transfers" in key
    ]
    assert len(transfers) == 1
    assert decision in transfers[0]
    assert "{'" not in transfers[0]


def test_the_points_come_in_the_order_of_article_15() -> None:
    keys = [section.key for section in art15.sections(clinic(), "en", LANGUAGES, site=None)]
    assert keys == [
        "purposes",
        "categories",
        "recipients",
        "transfers",
        "retention",
        "rights",
        "complaint",
        "source",
        "automated",
    ]


def test_a_register_without_transfers_or_automated_decisions_says_so() -> None:
    plain = Register.model_validate(
        {
            "id": "jasenet",
            "slug": {"fi": "jasenet", "sv": "medlemmar", "en": "members"},
            "name": {"fi": "Jäsenrekisteri", "sv": "Medlemsregister", "en": "Members"},
            "prepared": "2020-01-01",
            "data_categories": [{"name": {"fi": "Nimi", "sv": "Namn", "en": "Name"}}],
            "transfers": "none",
            "automated_decisions": "none",
        },
        context=model_context(list(LANGUAGES)),
    )
    assert lines(plain, "sv") == [
        ("categories-0", "Namn"),
        (
            "rights-0",
            "Du kan begära att vi rättar eller raderar dina uppgifter och begränsar behandlingen "
            "av dem, och du kan invända mot behandlingen (artiklarna 16–18 och 21 i "
            "dataskyddsförordningen).",
        ),
        ("complaint-0", "Du kan lämna in ett klagomål till tillsynsmyndigheten (se nedan)."),
        (
            "automated-0",
            "Vi fattar inga beslut om dig som enbart grundar sig på automatiserad behandling.",
        ),
    ]


def test_staff_strike_lines_and_add_their_own() -> None:
    sections = art15.sections(clinic(), "en", LANGUAGES, site=None)
    kept = art15.chosen(sections, ["categories-1", "transfers-1"], "Ask for the log.\n\n  More. ")
    assert [(s.key, s.lines) for s in kept] == [
        ("categories", [("categories-1", "Patient record (health data)")]),
        ("transfers", [("transfers-1", dict(CLINIC_LINES["en"])["transfers-1"])]),
        ("extra", [("extra-0", "Ask for the log."), ("extra-1", "More.")]),
    ]
    assert art15.chosen(sections, None, None) == [s for s in sections if s.lines]
    assert art15.chosen(sections, [], "") == []


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("en", "Transfers outside the EEA and their safeguards (Article 15(2) GDPR)"),
        ("fi", "Siirrot ETA-alueen ulkopuolelle ja niiden suojatoimet"),
        ("sv", "Överföringar utanför EES och deras skyddsåtgärder"),
    ],
)
def test_the_access_letter_shows_every_point_under_its_heading(
    content: Content, lang: str, heading: str
) -> None:
    request = new_request(language=lang, decision="granted")
    register = content.register("asiakasrekisteri")
    html = render_html(
        "decision",
        request,
        lang,
        content=content,
        verify_url="v",
        now=dt.datetime(2025, 2, 3, 9, 0, tzinfo=dt.UTC),
        art15=art15.sections(register, lang, content.site.languages, site=content.site),
    )
    soup = BeautifulSoup(html, "html.parser")
    section = soup.select_one('[data-section="art15"]')
    assert section is not None
    assert any(h3.get_text().startswith(heading) for h3 in section.find_all("h3"))
    shown = [(li["data-line"], li.get_text()) for li in section.find_all("li")]
    assert shown == CUSTOMER_REGISTER_LINES[lang]
