"""`make run` ships a development identity provider: a person identifies there and submits.

The demo's content asks for strong identification of access requests to the register of data
protection requests. Afterwards the identity code of the made-up person appears nowhere: not in a
dump of the database (requests, audit trail, outbox), not in the demo's log, not in any file of the
instance folder.
"""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

from portal.dev_identity import DEMO_PROVIDER_NAME, TEST_PEOPLE
from tests.portal.support.oidc import Browser
from tests.portal.support.web import page_token, valid_fields
from tests.portal.test_demo import Demo

PERSON = TEST_PEOPLE["2"]
CODE = PERSON["personal_identity_code"]


def test_demo_person_identifies_strongly_and_the_code_is_nowhere(tmp_path: Path) -> None:
    demo = Demo(tmp_path)
    try:
        demo.start()
        assert f"Identity: {demo.url}/requests/dev/idp   (development provider" in demo.text()
        browser = Browser()
        form_url = f"{demo.url}/requests/en/new/access?register=tietosuojapyynnot"
        required = browser.open(form_url)
        assert f"Identify with {DEMO_PROVIDER_NAME}" in required.words()
        chooser = browser.open(demo.url + required.soup.select_one("a.button")["href"])
        assert chooser.words().startswith(
            "DEVELOPMENT IDENTITY PROVIDER — demo and tests only, not a real identification."
        )
        person = next(a["href"] for a in chooser.soup.find_all("a") if "Maija" in a.get_text())
        form = browser.open(person)
        assert (
            f"You are strongly identified as Maija Meikäläinen ({DEMO_PROVIDER_NAME})."
            in form.words()
        )
        data = valid_fields(
            "access", "en", register="tietosuojapyynnot", csrf_token=page_token(form.text)
        )
        sent = browser.open(form_url, data)
        assert sent.url.endswith("/requests/en/sent"), sent.words()
        # The staff page of the request is covered by tests/portal/test_identify.py.
        assert demo.stop(signal.SIGTERM) == 0  # stopped as by Ctrl+C, "Demo stopped."
    finally:
        demo.kill()
    database = tmp_path / "instance" / "portal.sqlite3"
    with sqlite3.connect(database) as connection:
        dump = "\n".join(connection.iterdump())
        (name,) = connection.execute("SELECT name FROM request_identity").fetchone()
    assert name == "Maija Meikäläinen"
    assert "Maija Meikäläinen" in dump  # the dump is of the right database
    variants = {CODE, CODE.replace("-", ""), CODE.lower()}
    for text in (dump, demo.text()):
        assert not [v for v in variants if v in text]
    for path in (tmp_path / "instance").rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            assert not [v for v in variants if v.encode() in raw], path
