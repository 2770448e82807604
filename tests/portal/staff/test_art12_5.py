"""Art 12(5): a request is refused as manifestly unfounded or excessive only after a clarification
letter, with the facts recorded; both letters cite Article 12(5) and the remedies."""

from __future__ import annotations

from collections.abc import Callable

from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from portal.core.models import AuditEvent, DataRequest, Letter
from portal.db import get_session
from tests.portal.staff.test_attachments import _login
from tests.portal.support.staff import StaffActions
from tests.readback import pdf_text

FACTS = "Five identical access requests between 1 and 5 March 2025, each answered in full."


def _letter(app: Flask, request_id: int, kind: str) -> str:
    """Return the words of the request's newest `kind` letter as its PDF says them."""
    with app.app_context():
        letter = (
            get_session()
            .scalars(
                select(Letter)
                .where(Letter.request_id == request_id, Letter.kind == kind)
                .order_by(Letter.id.desc())
            )
            .first()
        )
        assert letter is not None and letter.pdf, kind
        return " ".join(pdf_text(letter.pdf).split())


def _refuse(staff: StaffActions, reference: str, ground: str = "excessive"):  # type: ignore[no-untyped-def]
    return staff.post_action(
        reference,
        "decide",
        decision="refused",
        reasons="The request repeats earlier ones without anything new.",
        limit_ground=ground,
        limit_facts=FACTS,
    )


def test_refusal_under_art12_5_only_after_a_clarification_letter(
    app: Flask, staff: StaffActions, make_request: Callable[..., DataRequest]
) -> None:
    row = make_request(language="en")
    _login(staff)
    refused_early = _refuse(staff, row.reference)
    assert refused_early.status_code == 409
    words = " ".join(BeautifulSoup(refused_early.text, "html.parser").get_text().split())
    assert (
        "First ask the person what they want: a request for information marked as the "
        "clarification before a refusal under Article 12(5). Refuse only after that letter."
    ) in words

    asked = staff.post_action(
        row.reference,
        "ask_info",
        reason="You have asked for the same data five times this month.",
        message="Please tell us which data you need that our earlier answers did not give.",
        art12_5="y",
    )
    assert asked.status_code == 302
    clarification = _letter(app, row.id, "info_request")
    assert (
        "Under Article 12(5) GDPR we may refuse to act on a request that is manifestly "
        "unfounded or excessive, in particular because of its repetitive character"
    ) in clarification
    assert "Right to lodge a complaint" in clarification
    assert "Right to a judicial remedy" in clarification

    assert _refuse(staff, row.reference).status_code == 302
    decision = _letter(app, row.id, "decision")
    assert (
        "We consider the request excessive, in particular because of its repetitive character. "
        "Under Article 12(5) GDPR a controller may refuse to act on a manifestly unfounded or "
        "excessive request; the controller must demonstrate this."
    ) in decision
    assert "The facts on which we rely " + FACTS in decision
    assert "Right to lodge a complaint" in decision
    with app.app_context():
        stored = get_session().get(DataRequest, row.id)
        assert (stored.decision, stored.limit_ground, stored.limit_facts) == (
            "refused",
            "excessive",
            FACTS,
        )
        details = list(
            get_session().scalars(
                select(AuditEvent.detail).where(
                    AuditEvent.request_id == row.id,
                    AuditEvent.action.in_(["request.info_requested", "request.decided"]),
                )
            )
        )
    assert details[0].endswith(" art12_5=yes")
    assert details[-1].endswith(" art12_5=excessive")


def test_art12_5_needs_a_refusal_and_facts(
    staff: StaffActions, make_request: Callable[..., DataRequest]
) -> None:
    row = make_request(language="en")
    _login(staff)
    granted = staff.post_action(
        row.reference, "decide", decision="granted", limit_ground="excessive", limit_facts=FACTS
    )
    assert granted.status_code == 409
    assert "Article 12(5) is a ground to refuse: choose the decision Refused." in granted.text
    no_facts = staff.post_action(
        row.reference,
        "decide",
        decision="refused",
        reasons="Repeats.",
        limit_ground="manifestly_unfounded",
    )
    assert no_facts.status_code == 400  # the facts field is empty
    assert "Record the facts that show the ground." in no_facts.text


def _ask(staff: StaffActions, reference: str, **fields: str):  # type: ignore[no-untyped-def]
    return staff.post_action(
        reference,
        "ask_info",
        reason="You have asked for the same data five times this month.",
        message="Please tell us whether you accept the fee.",
        **fields,
    )


def test_a_fee_only_after_the_clarification_letter(
    app: Flask, staff: StaffActions, make_request: Callable[..., DataRequest]
) -> None:
    row = make_request(language="en")
    _login(staff)
    early = _ask(staff, row.reference, fee="25")
    assert early.status_code == 409
    assert (
        "A fee under Article 12(5) may be asked only after the clarification letter: send that "
        "first."
    ) in early.text
    assert _ask(staff, row.reference, art12_5="y").status_code == 302
    assert staff.post_action(row.reference, "resume").status_code == 302
    badly = _ask(staff, row.reference, fee="25 euros")
    assert badly.status_code == 409
    assert "Write the fee in euros, for example 25 or 25,50." in badly.text
    assert _ask(staff, row.reference, fee="25,50").status_code == 302
    letter = _letter(app, row.id, "info_request")
    assert (
        "Under Article 12(5)(a) GDPR we may then charge a reasonable fee that covers the "
        "administrative costs of answering it: €25.50."
    ) in letter
    assert "Right to lodge a complaint" in letter
    with app.app_context():
        stored = get_session().get(DataRequest, row.id)
        assert (stored.fee_cents, stored.status, stored.paused_at is not None) == (
            2550,
            "awaiting_info",
            True,
        )
