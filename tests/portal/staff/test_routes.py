"""Every staff route against every kind of visitor; CSRF on every POST; object-level checks."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.core.models import DataRequest, Letter, RequestNote, utcnow
from portal.db import get_session
from tests.portal.support.staff import STAFF, Account, StaffActions

ROLES = ["anonymous", "handler", "admin", "disabled"]


@pytest.fixture
def world(staff: StaffActions, make_request: Callable[..., DataRequest]) -> dict[str, object]:
    """Two accounts, one request and one letter of it."""
    admin = staff.create("anna", role="admin")
    other = staff.create("ville")
    row = make_request(reference="RTEST0001")
    with staff.app.app_context():
        session = get_session()
        letter = Letter(
            request_id=row.id,
            kind="receipt",
            language="fi",
            html="<p>x</p>",
            pdf=b"%PDF-1.7",
            sha256="0" * 64,
            created_at=utcnow(),
        )
        session.add(letter)
        session.commit()
        letter_id = letter.id
    return {"admin": admin, "other": other, "row": row, "letter_id": letter_id}


def _as(role: str, staff: StaffActions, world: dict[str, object]) -> None:
    if role == "anonymous":
        return
    if role == "admin":
        staff.login(world["admin"])  # type: ignore[arg-type]
        return
    account = staff.create("hanna")
    staff.login(account)
    if role == "disabled":
        staff.update(account, is_active=False)


GET_ROUTES = {
    "/": False,
    "/export.csv": False,
    "/r/RTEST0001": False,
    "/r/RTEST0001/letters/{letter}.pdf": False,
    "/letters": False,
    "/accounts": True,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path,admin_only", list(GET_ROUTES.items()))
def test_get_matrix(
    staff: StaffActions, world: dict[str, object], role: str, path: str, admin_only: bool
) -> None:
    _as(role, staff, world)
    response = staff.client.get(STAFF + path.format(letter=world["letter_id"]))
    if role in ("anonymous", "disabled"):
        assert response.status_code == 302
        assert response.headers["Location"] == f"{STAFF}/login"
    elif admin_only and role == "handler":
        assert response.status_code == 403
    else:
        assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


POST_ROUTES = [
    ("/r/RTEST0001/note", {"note-text": "Soitettu."}, False),
    ("/r/RTEST0001/take", {}, False),
    ("/letters/posted", {"letter": "1"}, False),
    ("/accounts", {"username": "uusi", "display_name": "Uusi", "role": "handler"}, True),
    ("/accounts/{other}/disable", {}, True),
    ("/accounts/{other}/enable", {}, True),
    ("/accounts/{other}/reset", {}, True),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path,data,admin_only", POST_ROUTES)
def test_post_matrix(
    staff: StaffActions,
    world: dict[str, object],
    role: str,
    path: str,
    data: dict[str, str],
    admin_only: bool,
) -> None:
    _as(role, staff, world)
    token = staff.token()  # the login page works for everyone and carries the session's token
    url = STAFF + path.format(other=world["other"].id)  # type: ignore[attr-defined]
    fields = {
        **data,
        **{f"{k.split('-')[0]}-csrf_token" if "-" in k else "csrf_token": token for k in data},
    }
    fields.setdefault("csrf_token", token)
    response = staff.client.post(url, data=fields)
    if role in ("anonymous", "disabled"):
        assert response.status_code == 302
        assert response.headers["Location"] == f"{STAFF}/login"
    elif admin_only and role == "handler":
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 302), response.status_code


ALL_POSTS = [
    "/logout",
    "/login",
    "/password",
    "/totp",
    "/totp/enroll",
    "/accounts",
    "/accounts/{other}/disable",
    "/accounts/{other}/enable",
    "/accounts/{other}/reset",
    "/letters/posted",
    "/r/RTEST0001/letters/1/posted",
    *(
        f"/r/RTEST0001/{action}"
        for action in (
            "take",
            "assign",
            "note",
            "ask_info",
            "resume",
            "extend",
            "decide",
            "notify",
            "close",
        )
    ),
]


@pytest.mark.parametrize("path", ALL_POSTS)
def test_every_post_needs_a_csrf_token(
    staff: StaffActions, world: dict[str, object], path: str
) -> None:
    staff.login(world["admin"])  # type: ignore[arg-type]
    url = STAFF + path.format(other=world["other"].id)  # type: ignore[attr-defined]
    response = staff.client.post(url, data={"note-text": "x", "username": "x", "password": "x"})
    assert response.status_code == 400
    with staff.app.app_context():
        assert get_session().scalars(select(RequestNote)).all() == []


@pytest.mark.parametrize(
    "path", ["/logout", "/r/RTEST0001/note", "/r/RTEST0001/take", "/accounts/{other}/disable"]
)
def test_no_state_change_on_get(staff: StaffActions, world: dict[str, object], path: str) -> None:
    staff.login(world["admin"])  # type: ignore[arg-type]
    url = STAFF + path.format(other=world["other"].id)  # type: ignore[attr-defined]
    assert staff.client.get(url).status_code == 405


def test_unknown_reference_and_action_are_not_found(staff: StaffActions, world) -> None:
    staff.login(world["admin"])
    assert staff.client.get(f"{STAFF}/r/NOPE").status_code == 404
    assert staff.post_action("RTEST0001", "teleport").status_code == 404


def test_letter_of_another_request_is_not_found(
    staff: StaffActions, world, make_request: Callable[..., DataRequest]
) -> None:
    make_request(reference="RTEST0002")
    staff.login(world["admin"])
    letter = world["letter_id"]
    assert staff.client.get(f"{STAFF}/r/RTEST0001/letters/{letter}.pdf").status_code == 200
    assert staff.client.get(f"{STAFF}/r/RTEST0002/letters/{letter}.pdf").status_code == 404


def test_handler_cannot_act_on_a_colleagues_request(
    staff: StaffActions, world, make_request: Callable[..., DataRequest]
) -> None:
    other: Account = world["other"]
    make_request(reference="RTEST0003", assignee_id=other.id)
    staff.login(staff.create("hanna"))
    page = staff.client.get(f"{STAFF}/r/RTEST0003")
    assert page.status_code == 200
    for action, fields in [
        ("decide", {"decision": "granted"}),
        ("take", {}),
        ("extend", {"months": "2", "reasons": "Paljon tietoa."}),
        ("ask_info", {"reason": "x", "message": "y"}),
    ]:
        assert staff.post_action("RTEST0003", action, **fields).status_code == 403, action
    assert staff.post_action("RTEST0003", "note", text="Kysyin Villeltä.").status_code == 302


def test_action_not_allowed_in_this_state_is_forbidden(
    staff: StaffActions, world, make_request: Callable[..., DataRequest]
) -> None:
    make_request(reference="RTEST0004", status="closed")
    staff.login(world["admin"])
    assert staff.post_action("RTEST0004", "decide", decision="granted").status_code == 403


def test_extra_posted_fields_are_ignored(staff: StaffActions, world) -> None:
    staff.login(world["admin"])
    response = staff.post_action(
        "RTEST0001", "note", text="Muistiinpano.", status="closed", assignee_id="1"
    )
    assert response.status_code == 302
    with staff.app.app_context():
        row = get_session().scalar(select(DataRequest).where(DataRequest.reference == "RTEST0001"))
        assert row.status == "open"
        assert row.assignee_id is None


def test_admin_cannot_disable_or_reset_themselves(staff: StaffActions, world) -> None:
    admin: Account = world["admin"]
    staff.login(admin)
    token = staff.token(f"{STAFF}/accounts")
    for verb in ("disable", "reset"):
        response = staff.client.post(
            f"{STAFF}/accounts/{admin.id}/{verb}", data={"csrf_token": token}
        )
        assert response.status_code == 403


def test_every_staff_route_requires_sign_in(staff: StaffActions, world) -> None:
    """Routes added later are covered too: each one sends a visitor without a session away."""
    token = staff.token()
    rules = [
        r
        for r in staff.app.url_map.iter_rules()
        if r.endpoint.startswith("staff.") and not r.endpoint.startswith("staff.auth.")
    ]
    assert len(rules) >= 10
    for rule in rules:
        args = {name: ("RTEST0001" if name == "reference" else 1) for name in rule.arguments}
        if "action" in rule.arguments:
            args["action"] = "note"
        url = rule.build(args)[1]
        method = "POST" if "POST" in rule.methods else "GET"
        response = staff.client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code == 302, (rule.endpoint, response.status_code)
        assert response.headers["Location"] == f"{STAFF}/login", rule.endpoint


@pytest.mark.parametrize(
    ("lang", "heading", "back"),
    [
        ("fi", "Ei sallittu tilillesi", "Takaisin jonoon"),
        ("sv", "Inte tillåtet för ditt konto", "Tillbaka till kön"),
        ("en", "Not allowed for your account", "Back to the queue"),
    ],
)
def test_a_refused_staff_page_leads_back_to_the_queue(
    staff: StaffActions, lang: str, heading: str, back: str
) -> None:
    staff.login(staff.create("dora", role="dpo", totp=True))
    staff.client.get(f"{STAFF}/?lang={lang}")
    page = BeautifulSoup(staff.client.get(f"{STAFF}/new").text, "html.parser")
    assert page.h1.get_text(strip=True) == heading
    links = [(a.get_text(strip=True), a["href"]) for a in page.main.find_all("a")]
    assert links == [(back, f"{STAFF}/")]  # the queue, never the public start page


def test_a_visitor_refused_on_a_public_page_goes_back_to_the_start_page(
    staff: StaffActions,
) -> None:
    staff.login(staff.create("dora", role="dpo", totp=True))
    page = BeautifulSoup(staff.client.get("/requests/sv/no-such-page").text, "html.parser")
    links = [(a.get_text(strip=True), a["href"]) for a in page.main.find_all("a")]
    assert links == [("Tillbaka till startsidan", "/requests/sv/")]
