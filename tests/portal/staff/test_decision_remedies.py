"""A decision names the remedies its letter names, in every copy the person gets.

The letter (HTML and PDF) and both bodies of its e-mail name both courts in the letter's own words,
the court of the person's home (Art 79(2) GDPR), the supervisory authority and its page in the
request's language, in fi, sv and en.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from tests.portal.support.decisions import decided, flat
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import StaffActions

COURTS = {
    "fi": ("käräjäoikeudessa", "hallinto-oikeuteen"),
    "sv": ("tingsrätten (käräjäoikeus)", "förvaltningsdomstolen (hallinto-oikeus)"),
    "en": ("district court (käräjäoikeus)", "administrative court (hallinto-oikeus)"),
}

AUTHORITY_PAGES = {  # content/site.yaml: the authority's contact page in each language
    "fi": "https://tietosuoja.fi/yhteystiedot",
    "sv": "https://tietosuoja.fi/sv/kontaktuppgifter",
    "en": "https://tietosuoja.fi/en/contact-information",
}

SAID = {
    "fi": (
        "Tietosuoja-asetuksen 79 artiklan 2 kohdan mukaan voit nostaa kanteen sen maan "
        "tuomioistuimessa, jossa on pysyvä asuinpaikkasi (Suomessa kotikuntasi "
        "käräjäoikeudessa), tai sen maan tuomioistuimessa, jossa meillä on toimipaikka."
    ),
    "sv": (
        "Enligt artikel 79.2 i dataskyddsförordningen får du väcka talan i det land där du har "
        "din hemvist (i Finland vid tingsrätten i din hemkommun) eller där vi är etablerade."
    ),
    "en": (
        "Under Article 79(2) GDPR you may bring it before the courts of the country where you "
        "have your habitual residence (in Finland, the district court of your home "
        "municipality) or of the country where we are established."
    ),
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_decision_e_mail_names_the_letter_s_remedies(
    app: Flask, smtp_server: SmtpServer, staff: StaffActions, lang: str
) -> None:
    copies = decided(
        app,
        smtp_server,
        staff,
        right="erasure",
        lang=lang,
        email=f"remedies.{lang}@example.fi",
        decision="refused",
        reasons="Kirjanpitolaki.",
    )
    soup = BeautifulSoup(copies.letter_html, "html.parser")
    court = flat(soup.find(attrs={"data-section": "judicial-remedy"}).p.get_text())
    authority = flat(soup.find(attrs={"data-field": "authority"}).strong.get_text())
    district, administrative = COURTS[lang]
    assert district in court and administrative in court  # what the letter says, in `lang`
    assert SAID[lang] in court  # the court of the person's home, Art 79(2)
    assert copies.reference in copies.subject
    others = [url for other, url in AUTHORITY_PAGES.items() if other != lang]
    for where in (copies.letter_text, copies.pdf_text, *copies.mail_bodies):
        assert district in where and administrative in where
        assert SAID[lang] in where
        assert authority in where
        assert AUTHORITY_PAGES[lang] in where  # the authority's page in the person's language
        assert not any(url in where for url in others)
    for body in copies.mail_bodies:
        assert court in body  # the letter's own sentences, same words
