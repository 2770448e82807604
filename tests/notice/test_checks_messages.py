"""Each rule's trigger fixture yields its exact message, in English and Finnish."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from notice.checks import RULES, run_checks
from notice.cli import main
from notice.loader import load_content
from tests import REPO_ROOT
from tests.notice.fixtures_checks import CASES, TODAY, build, write_content
from tests.notice.fixtures_checks.records import MESSAGES as RECORD_MESSAGES

# (rule id, language of the first finding, English message, Finnish message)
MESSAGES = [
    (
        "E01-controller",
        None,
        "controller's e-mail, phone or address is missing",
        "rekisterinpitäjän sähköposti, puhelin tai osoite puuttuu",
    ),
    (
        "E01-postal-address",
        None,
        "controller's postal address is incomplete: postal code missing",
        "rekisterinpitäjän postiosoite on puutteellinen: postinumero puuttuu",
    ),
    (
        "E01-business-id",
        None,
        "controller's business id is not given",
        "rekisterinpitäjän Y-tunnus puuttuu",
    ),
    (
        "E02-representative",
        None,
        (
            "the notice does not say whether the controller has an EU representative (required "
            "when the controller is established outside the EU)"
        ),
        (
            "selosteessa ei kerrota, onko rekisterinpitäjällä EU-edustajaa (pakollinen, jos "
            "rekisterinpitäjä on EU:n ulkopuolella)"
        ),
    ),
    (
        "E03-dpo",
        None,
        "data protection officer is neither named nor stated as not designated",
        "tietosuojavastaavaa ei ole nimetty eikä kerrottu, ettei sellaista ole",
    ),
    (
        "E04-purposes",
        "en",
        "purpose of processing is missing or empty",
        "käsittelyn tarkoitus puuttuu tai on tyhjä",
    ),
    (
        "E05-legal-basis",
        None,
        # Named by its text and by the key the loader would give it (counted from 0).
        "purpose “Delivering orders.” (purposes.0) has no legal basis",
        "tarkoitukselta ”Tilausten toimittaminen.” (purposes.0) puuttuu oikeusperuste",
    ),
    (
        "E06-legitimate-interest",
        None,
        "purpose rests on legitimate interests but does not say which interest",
        "tarkoitus perustuu oikeutettuun etuun, mutta etua ei kerrota",
    ),
    (
        "E06-interest-is-relationship",
        "fi",
        'legitimate interest names a relationship, not an interest: "Asiakkuus"',
        'oikeutettu etu on suhde eikä etu: "Asiakkuus"',
    ),
    (
        "E06-interest-without-basis",
        None,
        "a legitimate interest is given but the purpose's basis is contract",
        "oikeutettu etu on annettu, mutta tarkoituksen peruste on contract",
    ),
    (
        "E07-data-categories",
        None,
        "categories of personal data are missing or empty",
        "henkilötietoryhmät puuttuvat tai ovat tyhjiä",
    ),
    (
        "E08-recipients",
        None,
        "no recipients are listed (required when anyone receives the data)",
        "vastaanottajia ei ole lueteltu (pakollinen, jos joku saa tietoja)",
    ),
    (
        "E08-recipient-name",
        "fi",
        "a recipient has no name",
        "vastaanottajalta puuttuu nimi",
    ),
    (
        "E08-recipients-vague",
        "fi",
        "recipients are vague: yhteistyökumppanit, jne",
        "vastaanottajat on kuvattu epämääräisesti: yhteistyökumppanit, jne",
    ),
    (
        "E08-google-not-named",
        None,
        "Google Analytics is used but Google is not named as a recipient",
        "Google Analytics on käytössä, mutta Googlea ei mainita vastaanottajana",
    ),
    (
        "E09-transfers",
        None,
        "the register does not state whether data is transferred outside the EEA",
        "rekisterissä ei kerrota, siirretäänkö tietoja ETA-alueen ulkopuolelle",
    ),
    (
        "E09-transfer-details",
        None,
        "a transfer does not say where to get the decision or safeguard",
        "siirrosta ei kerrota, mistä päätöksen tai suojatoimet saa",
    ),
    (
        "E09-transfers-conditional",
        "fi",
        (
            'transfer statement is conditional ("ellei"): "Tietoja ei siirretä ETA-alueen '
            'ulkopuolelle, ellei se ole tarpeen."'
        ),
        (
            'siirtoa koskeva lause on ehdollinen ("ellei"): "Tietoja ei siirretä ETA-alueen '
            'ulkopuolelle, ellei se ole tarpeen."'
        ),
    ),
    (
        "E09-transfers-eu-not-eea",
        "fi",
        (
            'transfer statement speaks of the EU; Chapter V is about the EEA: "Tietoja ei '
            'siirretä EU:n ulkopuolelle."'
        ),
        (
            'siirtoa koskeva lause puhuu EU:sta, vaikka säännöt koskevat ETA-aluetta: "Tietoja '
            'ei siirretä EU:n ulkopuolelle."'
        ),
    ),
    (
        "E09-transfers-unspecified",
        "fi",
        (
            "Google Analytics sends data abroad but the transfer text names no country or "
            'mechanism: "Tietoja siirretään ETA-alueen ulkopuolelle."'
        ),
        (
            "Google Analytics siirtää tietoja, mutta siirtotekstissä ei ole maata eikä "
            'siirtoperustetta: "Tietoja siirretään ETA-alueen ulkopuolelle."'
        ),
    ),
    (
        "E09-ga-us-transfer",
        None,
        "Google Analytics is used but no transfer to the United States is stated",
        "Google Analytics on käytössä, mutta siirtoa Yhdysvaltoihin ei kerrota",
    ),
    (
        "E10-retention",
        None,
        "retention period is missing or empty",
        "säilytysaika puuttuu tai on tyhjä",
    ),
    (
        "E11-rights",
        "fi",
        "the override of the access text is empty",
        "oikeuden access korvaava teksti on tyhjä",
    ),
    (
        "E11-law-one-string",
        None,
        'the provision "GDPR 17(3)(b)" is written once, so readers of every language get it as '
        "it is written",
        'säännös "GDPR 17(3)(b)" on kirjoitettu vain kerran, joten jokaisen kielen lukija saa '
        "sen sellaisenaan",
    ),
    (
        "E12-withdrawal",
        "fi",
        "something rests on consent but the notice does not say how to withdraw it",
        "jokin perustuu suostumukseen, mutta selosteessa ei kerrota, miten sen voi perua",
    ),
    (
        "E13-complaint",
        None,
        "no supervisory authority is given for complaints (site.yaml `supervisory_authority`; a "
        "register's complaint text does not replace it)",
        "valvontaviranomaista, jolle voi tehdä valituksen, ei ole annettu (site.yaml "
        "`supervisory_authority`; rekisterin valitusteksti ei korvaa sitä)",
    ),
    (
        "E13-authority-outdated",
        "fi",
        "supervisory authority's contact details are outdated: Ratapihantie 9, 00521",
        "valvontaviranomaisen yhteystiedot ovat vanhentuneet: Ratapihantie 9, 00521",
    ),
    (
        "E14-provision-requirement",
        None,
        (
            "the notice does not say whether providing the data is required and what follows "
            "if it is not given"
        ),
        (
            "selosteessa ei kerrota, onko tietojen antaminen pakollista ja mitä seuraa, jos "
            "niitä ei anneta"
        ),
    ),
    (
        "E14-provision-contract-without-basis",
        None,
        '"Name" is said to be needed to make a contract, but no purpose of the register rests '
        "on a contract",
        'tietoryhmästä "Nimi" sanotaan, että se on sopimuksen tekemisen edellytys, mutta mikään '
        "rekisterin käyttötarkoitus ei perustu sopimukseen",
    ),
    (
        "E15-automated-decisions",
        "fi",
        "automated decision-making and profiling are not described",
        "automaattista päätöksentekoa ja profilointia ei ole kuvattu",
    ),
    (
        "E16-sources",
        None,
        "sources of the data are not given (required when data is not collected from the person)",
        "tietolähteitä ei ole kerrottu (pakollinen, kun tietoja ei saada henkilöltä itseltään)",
    ),
    (
        "E16-category-source",
        None,
        'categories state their sources, but "Luottotiedot" does not',
        'tietoryhmien lähteet on kerrottu, mutta ryhmän "Luottotiedot" ei',
    ),
    (
        "E20-objection-content",
        "fi",
        "the right-to-object text does not describe objecting (it mentions: oikaise, poista)",
        "vastustamisoikeuden teksti ei kuvaa vastustamista (siinä mainitaan: oikaise, poista)",
    ),
    (
        "E20-objection-buried",
        "fi",
        (
            'the direct-marketing objection is outside the right-to-object section: "Voit myös '
            'kieltää suoramarkkinoinnin."'
        ),
        (
            'suoramarkkinoinnin vastustaminen on vastustamisoikeuden osion ulkopuolella: "Voit '
            'myös kieltää suoramarkkinoinnin."'
        ),
    ),
    (
        "E20-objection-marketing",
        "fi",
        (
            "direct marketing is a purpose, but the right-to-object text does not mention "
            "objecting to it"
        ),
        (
            "suoramarkkinointi on käsittelyn tarkoitus, mutta vastustamisoikeuden tekstissä ei "
            "mainita sen vastustamista"
        ),
    ),
    (
        "E21-security",
        None,
        "security measures are not described",
        "suojauksen periaatteita ei ole kuvattu",
    ),
    (
        "E22-register-name",
        "en",
        "the register has no name",
        "rekisterillä ei ole nimeä",
    ),
    (
        "E22-stale",
        None,
        "the notice was last reviewed on 2025-11-01, over 12 months ago",
        "seloste on tarkistettu viimeksi 2025-11-01, yli 12 kuukautta sitten",
    ),
    (
        "E23-cookie-inventory",
        None,
        "the cookie list is incomplete: the list is empty",
        "evästeluettelo on puutteellinen: luettelo on tyhjä",
    ),
    (
        "E23-ga4-session-cookie",
        None,
        "Google Analytics 4 with the measurement id G-ABC1234 sets the cookie `_ga_ABC1234`, but "
        "the cookie list does not name it",
        "Google Analytics 4 asettaa mittaustunnuksella G-ABC1234 evästeen `_ga_ABC1234`, mutta "
        "evästeluettelo ei mainitse sitä",
    ),
    (
        "E23-cookie-fields",
        "en",
        "a cookie's duration is empty",
        "evästeen kenttä duration on tyhjä",
    ),
    (
        "E23-third-party-access",
        None,
        "cookie _ga does not say whether third parties can access its data",
        "evästeestä _ga ei kerrota, pääsevätkö kolmannet osapuolet sen tietoihin",
    ),
    (
        "E23-consent-mechanism",
        None,
        "non-essential cookies or analytics are used but no consent mechanism is described",
        (
            "muita kuin välttämättömiä evästeitä tai analytiikkaa käytetään, mutta "
            "suostumusmenettelyä ei ole kuvattu"
        ),
    ),
    (
        "E23-browser-settings",
        "fi",
        (
            "browser settings are offered as the way to refuse cookies; they are not consent: "
            '"Voit estää evästeet selaimen asetuksista."'
        ),
        (
            "selaimen asetuksia tarjotaan keinoksi kieltäytyä evästeistä, mutta ne eivät ole "
            'suostumus: "Voit estää evästeet selaimen asetuksista."'
        ),
    ),
    (
        "E23-identification-claim",
        "fi",
        (
            'text says visitors cannot be identified, but IP addresses are collected: "Kävijää '
            'ei voida tunnistaa."'
        ),
        (
            'tekstin mukaan kävijää ei voi tunnistaa, mutta IP-osoitteita kerätään: "Kävijää '
            'ei voida tunnistaa."'
        ),
    ),
    (
        "E23-cookie-not-listed",
        "fi",
        "the text names cookies missing from the cookie list: _gid",
        "tekstissä mainitaan evästeitä, joita ei ole evästeluettelossa: _gid",
    ),
    (
        "E09-transfer-mechanism",
        None,
        "Tukikeskus (India) is outside the EEA, but no transfer mechanism is given",
        "Tukikeskus (Intia) on ETA:n ulkopuolella, mutta siirtoperustetta ei ole annettu",
    ),
    (
        "E09-transfers-none-contradicted",
        None,
        "`transfers: none`, but Postipalvelu Example Inc. (United States) is outside the EEA",
        "`transfers: none`, mutta Postipalvelu Example Inc. (Yhdysvallat) on ETA:n ulkopuolella",
    ),
    (
        "E09-mechanism-fit",
        None,
        "transfer mechanism does not fit: India has no adequacy decision",
        "siirtoperuste ei sovi: Intia: ei tietosuojan riittävyyttä koskevaa päätöstä",
    ),
    (
        "E23-cookie-basis",
        None,
        "analytics or marketing cookies rest on `legitimate_interests`; they need consent",
        (
            "analytiikka- tai markkinointievästeiden perusteena on `legitimate_interests`; ne "
            "edellyttävät suostumusta"
        ),
    ),
    (
        "E23-cookie-category-basis",
        None,
        (
            "an analytics or marketing cookie is given the basis `legitimate_interests`; it "
            "needs consent"
        ),
        (
            "analytiikka- tai markkinointievästeen perusteeksi on annettu "
            "`legitimate_interests`; se edellyttää suostumusta"
        ),
    ),
    (
        "E08-tracker-not-recipient",
        "fi",
        "Meta pixel is used, but its company is not among the recipients",
        "Meta pixel on käytössä, mutta sen yritystä ei ole vastaanottajissa",
    ),
    (
        "E15-automated-details",
        None,
        "automated decision does not say its logic, significance, consequences",
        "automaattisesta päätöksestä puuttuu: logiikka, merkitys, seuraukset",
    ),
    (
        "E15-automated-safeguards",
        None,
        "solely automated decision without its Art 22(2) ground",
        "pelkästään automaattiselta päätökseltä puuttuu 22 artiklan 2 kohdan peruste",
    ),
    (
        "E16-sources-unnamed",
        "fi",
        'sources are given only as a kind of party: "Saamme tietoja kolmansilta osapuolilta."',
        'lähteet kerrotaan vain tahon tyyppinä: "Saamme tietoja kolmansilta osapuolilta."',
    ),
    (
        "E07-special-condition",
        None,
        "special-category data (health) without the Art 9(2) condition that allows it",
        (
            "erityiseen henkilötietoryhmään kuuluva tieto (terveystiedot) ilman 9 artiklan 2 "
            "kohdan perustetta"
        ),
    ),
    (
        "E07-special-undeclared",
        "fi",
        (
            'category looks like special-category data ("Terveys") but does not declare '
            "`special` with its Art 9(2) condition"
        ),
        (
            'tietoryhmä näyttää erityiseltä henkilötiedolta ("Terveys"), mutta siltä puuttuu '
            "`special` ja 9 artiklan 2 kohdan peruste"
        ),
    ),
    (
        "E07-criminal-authorisation",
        "fi",
        "criminal-offence data without the law that authorises processing it",
        "rikostuomioihin ja rikkomuksiin liittyvä tieto ilman lakia, joka sallii käsittelyn",
    ),
    (
        "E12-consent-withdrawal",
        None,
        "consent is a basis here, but the notice does not say how to withdraw it",
        "suostumus on käsittelyn peruste, mutta selosteessa ei kerrota, miten se perutaan",
    ),
    (
        "consent-not-needed",
        "fi",
        (
            "text says consent is not needed, but analytics or marketing cookies are used: "
            '"Suostumusta ei tarvita."'
        ),
        (
            "tekstin mukaan suostumusta ei tarvita, vaikka analytiikka- tai "
            'markkinointievästeitä käytetään: "Suostumusta ei tarvita."'
        ),
    ),
    (
        "ga-universal-analytics",
        None,
        (
            "analytics is described as Universal Analytics, retired on 1 July 2023: "
            '"universal_analytics"'
        ),
        (
            "analytiikka on kuvattu Universal Analytics -palveluna, joka poistui 1.7.2023: "
            '"universal_analytics"'
        ),
    ),
    (
        "ga-demographics",
        "fi",
        (
            "demographics are described without Google signals, which now provides them: "
            '"Keräämme väestötietoja (Demographics)."'
        ),
        (
            "väestötiedot on kuvattu mainitsematta Googlen signaaleja, joiden kautta ne nyt "
            'kerätään: "Keräämme väestötietoja (Demographics)."'
        ),
    ),
    (
        "ga-opt-out-addon",
        "fi",
        (
            'a browser add-on is offered as the way to refuse Google Analytics: "Estä seuranta '
            'Chrome-selaimen lisäosalla."'
        ),
        (
            'selaimen lisäosaa tarjotaan keinoksi kieltäytyä Google Analyticsista: "Estä '
            'seuranta Chrome-selaimen lisäosalla."'
        ),
    ),
    (
        "legacy-signed-request",
        "fi",
        'a request must be signed — a Personal Data Act procedure: "Pyyntö on allekirjoitettava."',
        (
            'pyyntö on allekirjoitettava — henkilötietolain aikainen menettely: "Pyyntö on '
            'allekirjoitettava."'
        ),
    ),
    (
        "legacy-refusal-certificate",
        "fi",
        (
            'a refusal is described as a "written certificate": "Epäämisestä annetaan '
            'kirjallinen todistus."'
        ),
        'epäämisestä annetaan "kirjallinen todistus": "Epäämisestä annetaan kirjallinen todistus."',
    ),
    (
        "legacy-ombudsman-referral",
        "fi",
        (
            'a refusal is referred to the Ombudsman "for decision": "Epäämisen voi saattaa '
            'tietosuojavaltuutetun ratkaistavaksi."'
        ),
        (
            'epääminen saatetaan "tietosuojavaltuutetun ratkaistavaksi": "Epäämisen voi '
            'saattaa tietosuojavaltuutetun ratkaistavaksi."'
        ),
    ),
    (
        "request-fee",
        "fi",
        'using a right is made to cost money; requests are free (Art 12(5)): "Tarkastuspyynnön '
        'käsittelystä veloitamme 20 €."',
        "oikeuden käyttämisestä peritään maksu, vaikka pyynnöt ovat maksuttomia (12 artiklan 5 "
        'kohta): "Tarkastuspyynnön käsittelystä veloitamme 20 €."',
    ),
    (
        "request-in-person",
        "fi",
        'requests can be made only in person: "Tarkastuspyyntö on tehtävä henkilökohtaisesti '
        'toimistollamme."',
        'pyynnön voi tehdä vain henkilökohtaisesti: "Tarkastuspyyntö on tehtävä '
        'henkilökohtaisesti toimistollamme."',
    ),
    (
        "request-id-copy",
        "fi",
        'a copy of an identity document is demanded by default: "Liitä pyyntöön kopio passista '
        'tai henkilökortista."',
        'henkilöllisyystodistuksen kopiota vaaditaan aina: "Liitä pyyntöön kopio passista tai '
        'henkilökortista."',
    ),
    (
        "complaint-not-authority",
        "fi",
        'the complaint text names no supervisory authority: "Valitukset käsittelee '
        'seurakuntaneuvosto."',
        'valitustekstissä ei mainita valvontaviranomaista: "Valitukset käsittelee '
        'seurakuntaneuvosto."',
    ),
    (
        "consent-bundled",
        "fi",
        'marketing is bundled with the terms of the service: "Hyväksymällä käyttöehdot hyväksyt '
        'myös mainosten lähettämisen."',
        'markkinointi on sidottu palvelun ehtoihin: "Hyväksymällä käyttöehdot hyväksyt myös '
        'mainosten lähettämisen."',
    ),
    (
        "children-consent-age",
        None,
        "in Finland a child consents to online services from 13, not as said here: "
        '"consent_age: 16"',
        "Suomessa lapsi voi antaa suostumuksen verkkopalveluihin 13-vuotiaana, ei kuten tässä: "
        '"consent_age: 16"',
    ),
    (
        "children-parental-verification",
        "fi",
        "a parent's consent is taken from a box the child ticks, which verifies nothing: "
        '"Alle 13-vuotias rastittaa ruudun, jossa huoltaja hyväksyy käytön."',
        "huoltajan suostumukseksi riittää lapsen itse rastittama ruutu, joka ei todenna mitään: "
        '"Alle 13-vuotias rastittaa ruudun, jossa huoltaja hyväksyy käytön."',
    ),
    (
        "retention-permanent",
        "fi",
        'data is kept permanently without the law that requires it: "Tiedot säilytetään '
        'pysyvästi."',
        "tietoja säilytetään pysyvästi mainitsematta lakia, joka sitä edellyttää: "
        '"Tiedot säilytetään pysyvästi."',
    ),
    (
        "retention-vague",
        "fi",
        "retention gives neither a period nor the criteria that fix it (as long as necessary, "
        'until further notice): "Tietoja säilytetään niin kauan kuin on tarpeen."',
        "säilytysajasta ei kerrota aikaa eikä sen määräytymisperusteita (niin kauan kuin on "
        'tarpeen, toistaiseksi): "Tietoja säilytetään niin kauan kuin on tarpeen."',
    ),
    (
        "placeholder",
        None,
        'data_subjects: placeholder left in the text: "(s-postiosoite)" (fi), "[name]" (en)',
        'data_subjects: tekstiin on jäänyt täyte: "(s-postiosoite)" (fi), "[name]" (en)',
    ),
    (
        "raw-html",
        "fi",
        "raw HTML <p> in the text",
        "tekstissä on HTML-koodia <p>",
    ),
    (
        "languages-disagree",
        "en",
        "this language lacks what another language's text names: ytj.fi",
        "tästä kieliversiosta puuttuu, mitä toisessa mainitaan: ytj.fi",
    ),
    (
        "register-names-alike",
        "en",
        "registers 'asiakkaat' and 'toinen' have the same name, \"Customer register\": a reader "
        "cannot tell their notices apart",
        "rekistereillä 'asiakkaat' ja 'toinen' on sama nimi, \"Customer register\": lukija ei "
        "erota selosteita toisistaan",
    ),
    (
        "near-duplicate",
        "fi",
        "paragraph repeats one in sources.fi",
        "kappale toistaa kohdan sources.fi kappaleen",
    ),
    (
        "hedging",
        "fi",
        "hedging words make the text vague: voidaan",
        "varauksen sanat tekevät tekstistä epämääräisen: voidaan",
    ),
    (
        "typo",
        "fi",
        "spelling: Yhteys henkilöt → Yhteyshenkilöt",
        "oikeinkirjoitus: Yhteys henkilöt → Yhteyshenkilöt",
    ),
]

MESSAGES += RECORD_MESSAGES
# Rules over the register blocks of format 2.1 (notice/checks/blocks.py).
MESSAGES += [
    (
        "E01-register-controller",
        None,
        "controller Asunto Oy Esimerkki of this register gives no e-mail, phone or address",
        "tämän rekisterin rekisterinpitäjä Asunto Oy Esimerkki ei anna sähköpostia, "
        "puhelinta eikä osoitetta",
    ),
    (
        "E01-register-contact",
        None,
        "this register's controller Asunto Oy Esimerkki is not the site's, and the register "
        "names no contact person: questions and requests go to the controller's own details",
        "tämän rekisterin rekisterinpitäjä Asunto Oy Esimerkki ei ole sivuston, eikä rekisteri "
        "nimeä yhteyshenkilöä: kysymykset ja pyynnöt ohjataan rekisterinpitäjän omiin "
        "yhteystietoihin",
    ),
    (
        "E03-dpo-contact",
        None,
        "the data protection officer under `dpo` has no contact details",
        "tietosuojavastaavalla (`dpo`) ei ole yhteystietoja",
    ),
    (
        "E03-register-dpo",
        None,
        "this register's controller Asunto Oy Esimerkki is not the site's, but the "
        "register does not say whether Asunto Oy Esimerkki has a data protection officer",
        "tämän rekisterin rekisterinpitäjä Asunto Oy Esimerkki ei ole sivuston, mutta "
        "rekisteri ei kerro, onko sillä tietosuojavastaavaa",
    ),
    (
        "E03-public-authority-dpo",
        None,
        "the register rests on a task in the public interest, which a public authority carries "
        "out, but names no data protection officer: a public authority must designate one "
        "(Art 37(1)(a))",
        "rekisterin käsittely perustuu yleisen edun mukaiseen tehtävään, jota hoitaa "
        "viranomainen, mutta rekisteri ei nimeä tietosuojavastaavaa: viranomaisen on "
        "nimitettävä tietosuojavastaava (37 artiklan 1 kohdan a alakohta)",
    ),
    (
        "research-plan",
        None,
        "rights are restricted under 1050/2018 s 31, but the register describes no research",
        "oikeuksia rajoitetaan tietosuojalain 31 §:n nojalla, mutta rekisteri ei kuvaa tutkimusta",
    ),
    (
        "research-impact-assessment",
        None,
        "rights are restricted for research without the data protection impact assessment",
        "oikeuksia rajoitetaan tutkimuksen vuoksi ilman tietosuojaa koskevaa vaikutustenarviointia",
    ),
    (
        "research-safeguards",
        None,
        "rights are restricted for research, but the register does not say who holds the "
        "pseudonymisation key",
        "oikeuksia rajoitetaan tutkimuksen vuoksi, mutta rekisteri ei kerro, kuka "
        "hallitsee pseudonymisoinnin avainta",
    ),
    (
        "health-patient-rights",
        None,
        "the register of health or social care client data leaves out `health.access_log`",
        "sosiaali- tai terveydenhuollon asiakastietojen rekisteristä puuttuu `health.access_log`",
    ),
    (
        "cctv-undeclared",
        "fi",
        'the register speaks of camera surveillance but has no `cctv` block: "Tallentava '
        'kameravalvonta porraskäytävissä."',
        "rekisterissä puhutaan kameravalvonnasta, mutta `cctv`-kohta puuttuu: "
        '"Tallentava kameravalvonta porraskäytävissä."',
    ),
    (
        "cctv-audio",
        None,
        "the camera surveillance records sound, which is eavesdropping without a specific ground",
        "kameravalvonta tallentaa ääntä, mikä on salakuuntelua ilman erityistä perustetta",
    ),
    (
        "children-parental-consent",
        None,
        "the service accepts children from 10, below the consent age 13, but does not "
        "say how a parent's consent is given and verified",
        "palvelu hyväksyy 10-vuotiaat, alle suostumusiän 13, mutta ei kerro, miten "
        "huoltajan suostumus annetaan ja todennetaan",
    ),
    (
        "marketing-electronic-consent",
        None,
        "sms marketing to consumers rests on an opt-out, but electronic direct marketing "
        "needs prior consent",
        "sms-markkinointi kuluttajille perustuu kieltomahdollisuuteen, mutta sähköinen "
        "suoramarkkinointi edellyttää ennakkosuostumusta",
    ),
    (
        "marketing-refusal",
        None,
        "the register does direct marketing but does not say how to refuse it",
        "rekisteriä käytetään suoramarkkinointiin, mutta siinä ei kerrota, miten sen voi kieltää",
    ),
    (
        "marketing-none-contradicted",
        None,
        "the register says `marketing: none`, but purpose “Direct marketing to customers.” "
        "(purposes.0) is direct marketing",
        "rekisterissä on `marketing: none`, mutta käyttötarkoitus ”Suoramarkkinointi "
        "asiakkaille.” (purposes.0) on suoramarkkinointia",
    ),
    (
        "storage-denied",
        "fi",
        "the cookie text says no cookies or tracking are used, but visitor_id (local_storage) is "
        "stored on the device for analytics or marketing, which the same rules cover",
        "evästeteksti kertoo, ettei evästeitä tai seurantaa käytetä, mutta visitor_id "
        "(local_storage) tallennetaan laitteelle analytiikkaa tai markkinointia varten, ja sitä "
        "koskevat samat säännöt",
    ),
    (
        "storage-basis",
        None,
        "ad_id (sdk_identifier) is used for analytics or marketing on the basis "
        "legitimate_interests, but storing it on a device needs consent",
        "ad_id (sdk_identifier) on analytiikka- tai markkinointikäytössä perusteella "
        "legitimate_interests, mutta sen tallentaminen laitteelle edellyttää suostumusta",
    ),
]
MESSAGES.append(
    (
        "cookie-tracker-exempt",
        None,
        "cookie _ga is declared necessary, but Google Analytics and third-party trackers need "
        "consent under `cookie_rules: omnibus_88a`",
        "eväste _ga on merkitty välttämättömäksi, mutta Google Analytics ja kolmansien "
        "osapuolten seurantaevästeet tarvitsevat suostumuksen (`cookie_rules: omnibus_88a`)",
    )
)


def test_every_rule_has_a_message_row() -> None:
    assert [row[0] for row in MESSAGES] == [rule.id for rule in RULES]


@pytest.mark.parametrize(
    ("rule_id", "language", "en", "fi"), MESSAGES, ids=[r[0] for r in MESSAGES]
)
def test_first_finding_message(
    tmp_path: Path, rule_id: str, language: str | None, en: str, fi: str
) -> None:
    site, register = build(CASES[rule_id].trigger)
    content = load_content(write_content(tmp_path, site, [register]), allow_html=True)
    findings = run_checks(content, today=dt.date.fromisoformat(TODAY))
    first = next(f for f in findings if f.rule_id == rule_id)
    assert (first.language, first.message["en"], first.message["fi"]) == (language, en, fi)
    # Swedish is filled in the same way: every field, none left in braces.
    assert first.message["sv"] and "{" not in first.message["sv"].replace("`{", "")


SWEDISH = [
    (
        "E01-register-contact",
        "registrets personuppgiftsansvarige Asunto Oy Esimerkki är inte webbplatsens, och "
        "registret anger ingen kontaktperson: frågor och begäranden hänvisas till den "
        "ansvariges egna kontaktuppgifter",
    ),
    (
        "E03-public-authority-dpo",
        "registrets behandling grundar sig på en uppgift av allmänt intresse, som en myndighet "
        "utför, men registret anger inget dataskyddsombud: en myndighet ska utse ett "
        "dataskyddsombud (artikel 37.1 a)",
    ),
    (
        "request-fee",
        "det kostar pengar att utöva en rättighet; begäranden är avgiftsfria (artikel 12.5): "
        '"Tarkastuspyynnön käsittelystä veloitamme 20 €."',
    ),
    ("E16-category-source", 'kategorierna anger sina källor, men "Luottotiedot" gör det inte'),
    (
        "E01-postal-address",
        "den personuppgiftsansvariges postadress är ofullständig: postnummer saknas",
    ),
    ("E15-automated-details", "det automatiserade beslutet anger inte: logik, betydelse, följder"),
    # A purpose is named by its text and its key from 0, as the loader names it: not "ändamål 1".
    # The fixture has no Swedish text, so the first language's stands in.
    (
        "E05-legal-basis",
        "ändamålet ”Tilausten toimittaminen.” (purposes.0) saknar rättslig grund",
    ),
    (
        "marketing-none-contradicted",
        "registret anger `marketing: none`, men ändamålet ”Suoramarkkinointi asiakkaille.” "
        "(purposes.0) är direktmarknadsföring",
    ),
]


@pytest.mark.parametrize(("rule_id", "sv"), SWEDISH, ids=[r[0] for r in SWEDISH])
def test_swedish_message(tmp_path: Path, rule_id: str, sv: str) -> None:
    site, register = build(CASES[rule_id].trigger)
    content = load_content(write_content(tmp_path, site, [register]), allow_html=True)
    findings = run_checks(content, today=dt.date.fromisoformat(TODAY))
    first = next(f for f in findings if f.rule_id == rule_id)
    assert first.message["sv"] == sv
    assert first.format("sv").endswith(f"{sv} (tips: {first.hint['sv']})")


@pytest.mark.parametrize(
    ("missing", "fi"),
    [
        (["postal_code"], "postinumero puuttuu"),
        (["postal_code", "city"], "postinumero ja postitoimipaikka puuttuvat"),
        (
            ["street_address", "postal_code", "city"],
            "katuosoite, postinumero ja postitoimipaikka puuttuvat",
        ),
    ],
)
def test_finnish_postal_address_message_agrees_with_what_is_missing(
    tmp_path: Path, missing: list[str], fi: str
) -> None:
    def edit(site: dict, register: dict) -> None:  # type: ignore[type-arg]
        for field in missing:
            site["controller"].pop(field, None)

    site, register = build(edit)
    content = load_content(write_content(tmp_path, site, [register]), allow_html=True)
    findings = run_checks(content, today=dt.date.fromisoformat(TODAY))
    (found,) = [f for f in findings if f.rule_id == "E01-postal-address"]
    assert found.message["fi"] == f"rekisterinpitäjän postiosoite on puutteellinen: {fi}"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "ERROR E05-legal-basis: purpose “Meeting our statutory bookkeeping and tax "
            "obligations.” (purposes.1) has no legal basis (hint: give the purpose its "
            "`legal_bases`, one or more of consent, contract,",
        ),
        (
            "fi",
            "ERROR E05-legal-basis: tarkoitukselta ”Kirjanpitoa ja verotusta koskevien "
            "lakisääteisten velvoitte…” (purposes.1) puuttuu oikeusperuste (vihje: anna "
            "tarkoitukselle `legal_bases`: yksi tai useampi perusteista consent, contract,",
        ),
        (
            "sv",
            "ERROR E05-legal-basis: ändamålet ”Att fullgöra lagstadgade skyldigheter som gäller "
            "bokföring…” (purposes.1) saknar rättslig grund (tips: ge ändamålet dess "
            "`legal_bases`: en eller flera av consent, contract,",
        ),
    ],
)
def test_a_purpose_without_a_basis_is_named_as_the_loader_names_it(
    tmp_path: Path, lang: str, expected: str
) -> None:
    """The second purpose was "purpose 2" to the checker and `purposes.1` to the loader: it is
    named by its text, in the message's language, and by the loader's key, counted from 0."""
    root = tmp_path / "content"
    shutil.copytree(REPO_ROOT / "content", root)
    register = root / "registers" / "asiakasrekisteri.yaml"
    text = register.read_text(encoding="utf-8")
    assert text.count("    legal_bases: [legal_obligation]\n") == 1
    register.write_text(text.replace("    legal_bases: [legal_obligation]\n", ""), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", "--content", str(root), "--lang", lang, "--today", TODAY, "--no-cache"]
    )
    [line] = [line for line in result.output.splitlines() if "E05-legal-basis" in line]
    assert expected in line
    assert "purpose 2" not in result.output and "`legal_basis`" not in line


def test_a_joint_controllers_dpo_is_named_by_the_loaders_key(tmp_path: Path) -> None:
    """`joint_controllers[0].dpo` was the checker's spelling; the loader writes the same place
    as `joint_controllers.0.dpo`, and that is what an author searches the file for."""
    joint = {
        "name": "Esimerkin sairaala",
        "email": "kirjaamo@sairaala.example.fi",
        "role": {"fi": "Hoitaa potilaat.", "en": "Treats the patients."},
        "dpo": {"name": "Maija Meikäläinen"},
    }
    site, register = build(lambda _site, reg: reg.__setitem__("joint_controllers", [joint]))
    content = load_content(write_content(tmp_path, site, [register]), allow_html=True)
    findings = run_checks(content, today=dt.date.fromisoformat(TODAY))
    [found] = [f for f in findings if f.rule_id == "E03-dpo-contact"]
    assert found.message["en"] == (
        "the data protection officer under `joint_controllers.0.dpo` has no contact details"
    )
    assert "`joint_controllers.0.dpo`" in found.hint["fi"] and "[" not in found.hint["sv"]
