"""The demo's mailbox says when mail is queued but not sent yet, and when it will be.

`make run` sends its outbox every few seconds (portal/demo.py's send loop). Someone who submits a
request and opens the mailbox at once used to see "No e-mail yet." and nothing else, as if the
confirmation had been lost; the page now says how many messages are on their way and how often
the demo sends them, in the page's language, and says nothing once they are sent. It also says
that a failed send is retried after a growing wait (`mail.backoff`: 1 minute, doubling, at most
6 hours), so a message that does not arrive at once is not taken for lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from portal.core import mail
from portal.demo import SEND_INTERVAL, Mailbox, mailbox_blueprint
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.web import https_client, submit_request

WAITING = {
    "fi": (
        "1 viesti on matkalla: portaali on laittanut sen jonoon, ja esittely lähettää jonossa "
        "olevat viestit 5 sekunnin välein. Lataa sivu uudelleen hetken kuluttua. Jos lähetys "
        "epäonnistuu, portaali yrittää myöhemmin uudelleen, ja odotusaika pitenee jokaisen "
        "epäonnistumisen jälkeen: ensin se on 1 minuutti, sitten joka kerta kaksinkertainen, "
        "enintään 6 tuntia."
    ),
    "sv": (
        "1 meddelande är på väg: tjänsten har köat det, och demon skickar köade meddelanden var "
        "5:e sekund. Ladda om sidan om en stund. Om ett utskick misslyckas försöker tjänsten igen "
        "senare och väntar längre efter varje misslyckande: först 1 minut, sedan dubbelt så länge "
        "varje gång, högst 6 timmar."
    ),
    "en": (
        "1 message is on its way: the portal has queued it and the demo sends the outbox every "
        "5 seconds. Reload this page in a moment. If a send fails, the portal tries again later "
        "and waits longer after each failure: 1 minute at first, then twice as long each time, "
        "at most 6 hours."
    ),
}
EMPTY = {"fi": "Ei vielä sähköposteja.", "sv": "Ingen e-post ännu.", "en": "No e-mail yet."}


def paragraphs(html: str) -> list[str]:
    main = BeautifulSoup(html, "html.parser").main
    assert main is not None
    return [" ".join(p.get_text().split()) for p in main("p")]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_queued_mail_is_said_to_be_on_its_way_until_sent(
    make_app: Callable[..., Flask], smtp_server: SmtpServer, tmp_path: Path, lang: str
) -> None:
    assert SEND_INTERVAL == 5
    assert (mail.backoff(1), mail.backoff(2), mail.backoff(12)) == (
        dt.timedelta(minutes=1),
        dt.timedelta(minutes=2),
        dt.timedelta(hours=6),
    )
    app = make_app(MAIL_SEND_INLINE=False)  # as in the demo: the send loop sends, not the request
    app.register_blueprint(mailbox_blueprint(Mailbox(tmp_path / "mail")), url_prefix="/requests")
    person = https_client(app)
    page = f"/requests/dev/mail?lang={lang}"
    assert WAITING[lang] not in paragraphs(person.get(page).text)  # nothing queued yet
    assert submit_request(person, "access", lang, email="odottaa@example.fi").status_code == 303
    shown = paragraphs(person.get(page).text)
    assert shown[1:] == [WAITING[lang], EMPTY[lang]]
    mail.send_pending(app)  # one round of the demo's send loop
    assert smtp_server.last_to("odottaa@example.fi") is not None
    assert paragraphs(person.get(page).text)[1:] == [EMPTY[lang]]
