"""A request's detail page and its actions, from a request made through the public form."""

from __future__ import annotations

from babel.dates import format_date
from bs4 import BeautifulSoup
from sqlalchemy import select

from notice.i18n import locale_of
from portal.core import audit, keys
from portal.core.models import AuditEvent, DataRequest
from portal.db import get_session
from portal.web import dates
from tests.portal.support.staff import STAFF, StaffActions
from tests.portal.support.web import confirm_from_mail, https_client, submit_request


def _submitted(app, smtp_server, right: str = "access", **fields) -> DataRequest:
    person = https_client(app)
    assert submit_request(person, right, **fields).status_code in (200, 302, 303)
    confirm_from_mail(person, smtp_server)
    with app.app_context():
        row = get_session().scalars(select(DataRequest).order_by(DataRequest.id.desc())).first()
        get_session().expunge(row)
    return row


def _page(staff: StaffActions, reference: str) -> BeautifulSoup:
    response = staff.client.get(f"{STAFF}/r/{reference}?lang=en")
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def test_detail_shows_request_seal_and_due_date(app, smtp_server, staff: StaffActions) -> None:
    row = _submitted(app, smtp_server)
    account = staff.create("hanna")
    staff.login(account)
    page = _page(staff, row.reference)
    assert page.h1.get_text(strip=True) == f"Request {row.reference}"
    assert "Verified" in page.find(id="seal-title").find_parent("section").get_text()
    steps = page.find(id="due-title").find_parent("section").find("details").find_all("li")
    assert len(steps) >= 4
    assert "Finnish time" in steps[0].get_text()  # as the e-mails and letters say
    submitted = page.find(id="submitted-title").find_parent("section").get_text(" ", strip=True)
    assert "maija@example.fi" in submitted
    with app.app_context():
        viewed = (
            get_session()
            .scalars(select(AuditEvent).where(AuditEvent.action == "request.viewed"))
            .all()
        )
    assert [(e.staff_id, e.request_id) for e in viewed] == [(account.id, row.id)]


def test_changed_request_is_not_verified(app, smtp_server, staff: StaffActions) -> None:
    row = _submitted(app, smtp_server)
    with app.app_context():
        stored = get_session().get(DataRequest, row.id)
        stored.email = "someone.else@example.fi"
        get_session().commit()
    staff.login(staff.create("hanna"))
    seal = _page(staff, row.reference).find(id="seal-title").find_parent("section")
    assert seal.find(class_="seal-broken") is not None


def test_a_request_sealed_before_a_key_rotation_still_verifies(
    app, smtp_server, staff: StaffActions
) -> None:
    row = _submitted(app, smtp_server)
    old_key, new_key = keys.rotate_key(app)
    assert (row.seal_key_id, old_key != new_key) == (old_key, True)
    staff.login(staff.create("hanna"))
    seal = _page(staff, row.reference).find(id="seal-title").find_parent("section")
    assert seal.find(class_="seal-ok") is not None, seal.get_text(" ", strip=True)
    assert seal.find(class_="seal-broken") is None


def test_take_extend_decide_close(app, smtp_server, staff: StaffActions) -> None:
    row = _submitted(app, smtp_server)
    account = staff.create("hanna")
    staff.login(account)
    forms = {f["action"].rsplit("/", 1)[1] for f in _page(staff, row.reference).find_all("form")}
    assert {"take", "note", "ask_info", "extend", "decide"} <= forms
    assert "close" not in forms and "assign" not in forms
    assert staff.post_action(row.reference, "take").status_code == 302
    extended = staff.post_action(row.reference, "extend", months="2", reasons="Laaja pyyntö.")
    assert extended.status_code == 302
    followed = staff.client.get(extended.headers["Location"]).get_data(as_text=True)
    assert "The period was extended and the person was told why." in followed  # lang cookie: en
    no_reasons = staff.post_action(row.reference, "decide", decision="refused", reasons="")
    assert no_reasons.status_code == 400  # a missing field, said at the field
    summary = BeautifulSoup(no_reasons.text, "html.parser").select_one("#error-summary")
    link = summary.select_one('a[href="#decide-reasons"]')
    assert link is not None and "A refusal or partial refusal needs reasons." in link.get_text()
    decided = staff.post_action(
        row.reference,
        "decide",
        decision="partly_granted",
        reasons="Osa tiedoista on salaisia.",
        actions="Kopio muista tiedoista lähetettiin postitse.",
    )
    assert decided.status_code == 302
    assert staff.post_action(row.reference, "close").status_code == 302
    with app.app_context():
        stored = get_session().get(DataRequest, row.id)
        assert stored.assignee_id == account.id
        assert stored.extended_due_on is not None
        assert (stored.status, stored.decision) == ("closed", "partly_granted")
        kinds = [letter.kind for letter in stored.letters]
    assert "extension" in kinds and "decision" in kinds
    timeline = _page(staff, row.reference).find(id="timeline-title").find_parent("section")
    assert len(timeline.find_all("a", string="PDF")) == len(kinds)
    with app.app_context():
        assert audit.verify(get_session()).ok  # every view and action joined the chain


def test_direct_marketing_objection_cannot_be_refused(
    app, smtp_server, staff: StaffActions
) -> None:
    row = _submitted(app, smtp_server, "objection")
    staff.login(staff.create("hanna"))
    page = _page(staff, row.reference)
    alert = page.find(id="direct-marketing")
    assert alert.h2.get_text(strip=True) == "Direct marketing stopped on receipt"
    assert "stop using their data" not in alert.p.get_text()  # the portal already did
    for lang, granted in (("en", "Granted"), ("fi", "Hyväksytty"), ("sv", "Beviljad")):
        html = staff.client.get(f"{STAFF}/r/{row.reference}?lang={lang}").text
        decide = BeautifulSoup(html, "html.parser").find("form", class_="action-decide")
        radios = decide.find_all("input", {"name": "decide-decision"})
        # Direct marketing is all the person objected to: nothing can be refused, even in part.
        assert [(i["value"], i.has_attr("checked")) for i in radios] == [("granted", True)]
        assert decide.find("label", attrs={"for": radios[0]["id"]}).get_text() == granted
        assert decide.find("textarea", {"name": "decide-reasons"}) is None
    for decision in ("refused", "partly_granted"):
        response = staff.post_action(row.reference, "decide", decision=decision, reasons="Ei.")
        assert response.status_code == 400
    with app.app_context():
        assert get_session().get(DataRequest, row.id).status == "open"


def test_an_objection_to_more_than_direct_marketing_may_be_granted_in_part(
    app, smtp_server, staff: StaffActions
) -> None:
    row = _submitted(app, smtp_server, "objection", profiling="y", grounds="Muutin.")
    staff.login(staff.create("hanna"))
    decide = _page(staff, row.reference).find("form", class_="action-decide")
    values = [i["value"] for i in decide.find_all("input", {"name": "decide-decision"})]
    assert values == ["granted", "partly_granted"]  # profiling may be refused, marketing not
    reasons = decide.find("label", attrs={"for": "decide-reasons"}).get_text()
    assert reasons == "Reasons (required when anything is refused)"


def test_direct_marketing_alert_states_what_holds_once_decided(
    app, smtp_server, staff: StaffActions
) -> None:
    row = _submitted(app, smtp_server, "objection", profiling="y", grounds="Muutin.")
    staff.login(staff.create("hanna"))
    alert = _page(staff, row.reference).find(id="direct-marketing")
    assert alert.h2.get_text(strip=True) == "Direct marketing stopped on receipt"
    assert "stop using their data" not in alert.p.get_text()  # the portal already did
    # Profiling may still be refused: the open alert must not say "record the decision as granted".
    assert "record the decision as granted" not in alert.p.get_text()
    assert "accepted whatever you decide on the other items" in alert.p.get_text()
    response = staff.post_action(
        row.reference,
        "decide",
        decision="partly_granted",
        reasons="Profilointi on välttämätöntä luottoriskin arvioimiseksi.",
        objection_profiling="refused",
    )
    assert response.status_code == 302
    with app.app_context():
        decided = get_session().get(DataRequest, row.id).decided_at
    expected = {
        "en": (
            "The objection to direct marketing was accepted",
            "Recorded with the decision of {}.",
        ),
        "fi": ("Suoramarkkinoinnin vastustus hyväksyttiin", "Kirjattu {} tehdyllä päätöksellä."),
        "sv": ("Invändningen mot direktmarknadsföring godtogs", "Registrerat med beslutet den {}."),
    }
    for lang, (title, recorded) in expected.items():
        recorded = recorded.format(dates.format_day_of(decided, lang))
        html = staff.client.get(f"{STAFF}/r/{row.reference}?lang={lang}").text
        alert = BeautifulSoup(html, "html.parser").find(id="direct-marketing")
        text = alert.get_text(" ", strip=True)
        assert alert.h2.get_text(strip=True) == title
        assert recorded in text
        assert "alert-strong" not in alert["class"]  # nothing left for staff to do
        for stale in ("must stop", "record the decision", "lopetettava", "måste upphöra"):
            assert stale not in text


def test_notes_are_escaped_and_in_the_timeline(app, smtp_server, staff: StaffActions) -> None:
    row = _submitted(app, smtp_server)
    staff.login(staff.create("hanna"))
    text = "<script>alert(1)</script> soitin asiakkaalle"
    assert staff.post_action(row.reference, "note", text=text).status_code == 302
    raw = staff.client.get(f"{STAFF}/r/{row.reference}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt; soitin asiakkaalle" in raw


def test_art19_notifications_before_closing(app, smtp_server, staff: StaffActions) -> None:
    row = _submitted(app, smtp_server, "rectification")
    staff.login(staff.create("hanna"))
    staff.post_action(row.reference, "decide", decision="granted", reasons="")
    page = _page(staff, row.reference)
    options = [o["value"] for o in page.find("select", id="notify-recipient").find_all("option")]
    assert options
    blocked = staff.post_action(row.reference, "close")
    assert blocked.status_code == 409
    for recipient in options:
        done = staff.post_action(row.reference, "notify", recipient=recipient, outcome="done")
        assert done.status_code == 302
    assert staff.post_action(row.reference, "close").status_code == 302


def test_the_timeline_names_the_form_language_in_the_page_language(
    app, smtp_server, staff: StaffActions
) -> None:
    row = _submitted(app, smtp_server, "access", lang="en")
    staff.login(staff.create("hanna"))
    for lang, shown in (
        ("fi", "lomakkeen kieli: englanti"),
        ("sv", "formulärets språk: engelska"),
        ("en", "form language: English"),
    ):
        page = BeautifulSoup(
            staff.client.get(f"{STAFF}/r/{row.reference}?lang={lang}").text, "html.parser"
        )
        timeline = page.find("ol", class_="timeline").get_text(" ", strip=True)
        assert shown in timeline, timeline


def test_detail_lists_the_e_mails_to_the_person_and_their_state(
    app, smtp_server, staff: StaffActions
) -> None:
    from portal.core.models import OutboxMessage

    row = _submitted(app, smtp_server)
    with app.app_context():  # a later e-mail that could not be delivered, as the sender leaves it
        failed = OutboxMessage(request_id=row.id, recipient=row.email, subject="Päätös",
                               message=b"", status="failed", attempts=5,
                               last_error="550 mailbox unavailable")  # fmt: skip
        get_session().add(failed)
        get_session().commit()
    staff.login(staff.create("hanna"))
    for lang, heading, states in (
        ("en", "E-mails to the person", ["Sent", "Sent", "Not delivered"]),
        ("fi", "Sähköpostit rekisteröidylle", ["Lähetetty", "Lähetetty", "Ei toimitettu"]),
    ):
        response = staff.client.get(f"{STAFF}/r/{row.reference}?lang={lang}")
        page = BeautifulSoup(response.text, "html.parser")
        section = page.find(id="emails-title").find_parent("section")
        assert page.find(id="emails-title").get_text(strip=True) == heading
        rows = section.find("tbody").find_all("tr")
        assert [r["data-state"] for r in rows] == ["sent", "sent", "failed"]
        cells = [[td.get_text(" ", strip=True) for td in r.find_all("td")] for r in rows]
        assert {c[1] for c in cells} == {"maija@example.fi"}
        assert [c[3].split(" ")[0] for c in cells] == [s.split(" ")[0] for s in states]
        assert cells[2][2] == "Päätös"
        assert "550 mailbox unavailable" in cells[2][3] and "5" in cells[2][3]


def test_a_note_shows_once_in_the_timeline(app, smtp_server, staff: StaffActions) -> None:
    row = _submitted(app, smtp_server)
    staff.login(staff.create("hanna"))
    assert staff.post_action(row.reference, "note", text="Checked the mailing list.").status_code
    entries = [
        li.get_text(" ", strip=True) for li in _page(staff, row.reference).select("ol.timeline li")
    ]
    about_the_note = [e for e in entries if "Note" in e]
    assert len(about_the_note) == 1, entries
    assert "Checked the mailing list." in about_the_note[0]


def test_direct_marketing_only_alert_says_it_stopped_on_receipt(
    app, smtp_server, staff: StaffActions
) -> None:
    row = _submitted(app, smtp_server, "objection", grounds="")
    with app.app_context():
        received_at = get_session().get(DataRequest, row.id).received_at
    staff.login(staff.create("hanna"))
    expected = {
        "en": (
            "Direct marketing stopped on receipt",
            "the portal stopped direct marketing when the request was received ({})."
            " All that is left is to record the decision as granted.",
        ),
        "fi": (
            "Suoramarkkinointi lopetettiin pyynnön saapuessa",
            "palvelu lopetti suoramarkkinoinnin pyynnön saapuessa ({})."
            " Jäljellä on vain päätöksen kirjaaminen hyväksytyksi.",
        ),
        "sv": (
            "Direktmarknadsföringen stoppades när begäran kom in",
            "stoppade tjänsten för dataskyddsbegäranden direktmarknadsföringen när begäran kom in"
            " ({}). Det som återstår är att registrera beslutet som beviljat.",
        ),
    }
    for lang, (title, said) in expected.items():
        html = staff.client.get(f"{STAFF}/r/{row.reference}?lang={lang}").text
        page = BeautifulSoup(html, "html.parser")
        alert = page.find(id="direct-marketing")
        received = dates.format_moment(received_at, lang)
        assert alert.h2.get_text(strip=True) == title
        assert said.format(received) in alert.get_text(" ", strip=True)
        for stale in ("stop using", "lopeta henkilön", "sluta använda"):
            assert stale not in alert.get_text()


def test_the_due_date_steps_name_the_weekday_as_swedish_and_finnish_write_it(
    app, smtp_server, staff: StaffActions
) -> None:
    # sv "måndagen den 7 december 2026" in a sentence, not "måndag 7 december 2026" (a table's
    # form); fi "viimeistään maanantaina 7. joulukuuta", not "viimeistään maanantai 7. …".
    row = _submitted(app, smtp_server)
    staff.login(staff.create("hanna"))
    with app.app_context():
        due = get_session().get(DataRequest, row.id).due_on
    weekday = {
        "sv": ("måndagen", "tisdagen", "onsdagen", "torsdagen", "fredagen")[due.weekday()],
        "fi": ("maanantaina", "tiistaina", "keskiviikkona", "torstaina", "perjantaina")[
            due.weekday()
        ],
    }
    said = {
        "sv": f"Begäran ska besvaras senast {weekday['sv']} den {{date}}.",
        "fi": f"Pyyntöön on vastattava viimeistään {weekday['fi']} {{date}}.",
    }
    for lang, sentence in said.items():
        response = staff.client.get(f"{STAFF}/r/{row.reference}?lang={lang}")
        section = BeautifulSoup(response.text, "html.parser").find(id="due-title")
        steps = [" ".join(li.get_text().split()) for li in section.find_parent("section")("li")]
        date = format_date(due, "long", locale=locale_of(lang))
        assert sentence.format(date=date) in steps, steps
