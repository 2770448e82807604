"""Staff sign-in: password, second factor, sessions that can be killed from the server.

Sessions are signed cookies (nothing shared between instances), so killing one works through the
account's `session_version`: the cookie carries the version it was issued with, and a request whose
version differs from the account's is signed out. Logout, a password change, a reset and
disablement all bump the version. Signing in clears the old session and starts a new one with a
random nonce, so a cookie planted before login is worth nothing afterwards (session fixation).

Sign-in goes through stages kept in the session: password → TOTP (when the account has one) →
password change (when it still has a one-time password) → TOTP enrolment (admins always, handlers
when TOTP_REQUIRED_FOR_HANDLERS) → signed in. Only the last stage reaches any staff page.

Throttling is twofold: per account and client address, failed attempts lock that pair for an
increasing time, and failures from addresses that never signed in to the account lock it for such
addresses only (`portal.core.accounts`: a stranger cannot lock the owner out of a known address);
per client address, failed attempts are limited at RATELIMIT_LOGIN, each counted before it is
checked (one atomic increment in the limiter's store) and given back when it succeeds. A complete
sign-in leaves a signed device cookie; a browser that holds it is known to the account and is
counted under its own key, whatever address a proxy gives it. Every failure shows the same
message, so the form does not tell which usernames exist.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import pyotp
import qrcode
import qrcode.image.svg
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeTimedSerializer
from markupsafe import Markup
from sqlalchemy import or_, update
from sqlalchemy.orm import object_session
from sqlalchemy.orm.attributes import set_committed_value

from portal.config import current_settings
from portal.core import accounts, audit, passwords
from portal.core.models import StaffRole, StaffUser, utcnow
from portal.db import get_session
from portal.web.i18n import current_language
from portal.web.staff_forms import LoginForm, PasswordChangeForm, TotpForm

bp = Blueprint("auth", __name__)

SESSION_KEY = "staff"
TOTP_ISSUER = "Seloste"
lock_delay = accounts.lock_delay

STAGE_TOTP = "totp"
STAGE_PASSWORD = "password"
STAGE_ENROLL = "enroll"
STAGE_DONE = "done"
_STAGE_ENDPOINTS = {
    STAGE_TOTP: "staff.auth.totp",
    STAGE_PASSWORD: "staff.auth.change_password",
    STAGE_ENROLL: "staff.auth.enroll",
}

F = TypeVar("F", bound=Callable[..., Any])


def _now_ts() -> float:
    return utcnow().timestamp()


def totp_required(user: StaffUser) -> bool:
    """Return True when this account must have a second factor."""
    if user.role in (StaffRole.admin, StaffRole.dpo):
        return True
    return current_settings().totp_required_for_handlers


def _next_stage(user: StaffUser, done: set[str]) -> str:
    if user.totp_secret and STAGE_TOTP not in done:
        return STAGE_TOTP
    if user.must_change_password:
        return STAGE_PASSWORD
    if not user.totp_secret and totp_required(user):
        return STAGE_ENROLL
    return STAGE_DONE


def _start_session(user: StaffUser) -> None:
    """Replace whatever session there was with a fresh one for `user` (fixation-proof)."""
    session.clear()
    now = _now_ts()
    session[SESSION_KEY] = {
        "id": user.id,
        "ver": user.session_version,
        "nonce": secrets.token_urlsafe(16),
        "login": now,
        "seen": now,
        "done": [],
    }
    session.permanent = False


def _advance(user: StaffUser, step: str | None = None) -> Response:
    """Mark `step` done, then go to the next stage (or the queue)."""
    state = session[SESSION_KEY]
    done = set(state.get("done", []))
    if step:
        done.add(step)
    state["done"] = sorted(done)
    state["ver"] = user.session_version
    stage = _next_stage(user, done)
    state["stage"] = stage
    session.modified = True
    if stage == STAGE_DONE:
        audit.record(get_session(), action="staff.login", actor="staff", staff_id=user.id)
        user.last_login_at = utcnow()
        user.language = current_language()
        get_session().commit()
        return redirect(url_for("staff.queue"))
    get_session().commit()
    return redirect(url_for(_STAGE_ENDPOINTS[stage]))


def _session_user(*, stage: str | None) -> StaffUser | None:
    """Return the account of a valid session at `stage` (None: fully signed in)."""
    state = session.get(SESSION_KEY)
    if not isinstance(state, dict):
        return None
    now = _now_ts()
    settings = current_settings()
    idle = settings.session_idle_minutes * 60
    absolute = settings.session_absolute_hours * 3600
    if now - state.get("seen", 0) > idle or now - state.get("login", 0) > absolute:
        session.pop(SESSION_KEY, None)
        g.staff_session_expired = True
        return None
    user = get_session().get(StaffUser, state.get("id"))
    if user is None or not user.is_active or user.session_version != state.get("ver"):
        session.pop(SESSION_KEY, None)
        return None
    if state.get("stage") != (stage or STAGE_DONE):
        return None
    state["seen"] = now
    session.modified = True
    return user


def current_staff() -> StaffUser | None:
    """Return the signed-in staff account of this request, if any."""
    if "staff_user" not in g:
        g.staff_user = _session_user(stage=None)
    return g.staff_user


def _to_login() -> Response:
    if g.get("staff_session_expired"):
        flash(_("Your session has ended. Sign in again."), "info")
    return redirect(url_for("staff.auth.login"))


def login_required(view: F) -> F:
    """Let only a fully signed-in, active staff account through."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        user = current_staff()
        if user is None:
            state = session.get(SESSION_KEY)
            if isinstance(state, dict) and state.get("stage") in _STAGE_ENDPOINTS:
                return redirect(url_for(_STAGE_ENDPOINTS[state["stage"]]))
            return _to_login()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def admin_required(view: F) -> F:
    """Let only signed-in admins through; handlers get 403."""

    @login_required
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        user = current_staff()
        if user is None or user.role != StaffRole.admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


ACTING_ROLES = frozenset({StaffRole.handler, StaffRole.admin})
"""Who may act on requests (record one, take one…): the data protection officer acts on none."""


def may_act(user: StaffUser | None) -> bool:
    """Return whether `user` may act on requests (the role check of `acting_required`)."""
    return user is not None and user.role in ACTING_ROLES


def acting_required(view: F) -> F:
    """Let only signed-in handlers and admins through; a data protection officer gets 403."""

    @login_required
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not may_act(current_staff()):
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _stage_user(stage: str) -> StaffUser:
    user = _session_user(stage=stage)
    if user is None:
        abort(_to_login())
    return user


DEVICE_COOKIE = "seloste-staff-device"
"""Signed cookie a complete sign-in leaves: this browser signed in to this account before."""


def _secret() -> str:
    secret = current_settings().secret_key
    assert secret, "create_app refuses to start without SECRET_KEY"
    return secret


def _device_cookie_name() -> str:
    secure = current_settings().secure_cookies
    return ("__Host-" if secure else "") + DEVICE_COOKIE


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_secret(), salt="staff sign-in device")


def _trusted_device(user: StaffUser) -> str | None:
    """Return this browser's device id when its cookie says it signed in to `user` before."""
    raw = request.cookies.get(_device_cookie_name())
    if not raw:
        return None
    try:
        data = _devices().loads(raw, max_age=int(accounts.KNOWN_FOR.total_seconds()))
    except BadData:
        return None
    if not isinstance(data, dict) or data.get("staff") != user.id:
        return None
    device = data.get("device")
    return device if isinstance(device, str) else None


def _remember_device(response: Response, user: StaffUser) -> Response:
    """Leave (or renew) the signed device cookie after a complete sign-in."""
    device = _trusted_device(user) or secrets.token_urlsafe(16)
    response.set_cookie(
        _device_cookie_name(),
        _devices().dumps({"staff": user.id, "device": device}),
        max_age=int(accounts.KNOWN_FOR.total_seconds()),
        path="/",
        secure=current_settings().secure_cookies,
        httponly=True,
        samesite="Lax",
    )
    return response


def _sign_in_state(user: StaffUser) -> accounts.SignInState:
    """Return where this sign-in comes from: the trusted device, else the client address."""
    secret = _secret()
    device = _trusted_device(user)
    if device is not None:
        key = accounts.address_key(secret, "device:" + device)
    else:
        key = accounts.address_key(secret, request.remote_addr or "")
    return accounts.sign_in_state(
        get_session(), user, key, utcnow(), trusted_device=device is not None
    )


def _count_failure(user: StaffUser | None, state: accounts.SignInState | None = None) -> None:
    """Count a failed attempt against the account and the client address; audit it."""
    db = get_session()
    if user is not None:
        state = state or _sign_in_state(user)
        accounts.count_failed_sign_in(db, user, state, utcnow())
    audit.record(
        db,
        action="staff.login_failed",
        actor="staff",
        staff_id=user.id if user is not None else None,
        detail="" if user is not None else "unknown account",
    )
    db.commit()


def _fail_login(
    user: StaffUser | None, form: LoginForm, state: accounts.SignInState | None = None
) -> str:
    _count_failure(user, state)
    form.form_errors.append(
        _("Sign-in failed. Check the username and password, or try again in a few minutes.")
    )
    return render_template("portal/staff/login.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Show the sign-in form; check the username and password."""
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("portal/staff/login.html", form=form)
    give_back = _take_attempt()
    user = accounts.find_staff(get_session(), form.username.data or "")
    password = form.password.data or ""
    if user is None or not user.is_active:
        passwords.verify_password(None, password)  # same cost as a real check
        return _fail_login(user, form)
    state = _sign_in_state(user)
    if state.locked:
        passwords.verify_password(None, password)
        return _fail_login(user, form, state)
    if not passwords.verify_password(user.password_hash, password):
        return _fail_login(user, form, state)
    give_back()  # the right password: the address's limit counts failures only
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    _start_session(user)
    if user.totp_secret:  # with a second factor, the counts start over after the code
        return _advance(user)
    accounts.count_sign_in(get_session(), user, state, utcnow())
    return _remember_device(_advance(user), user)


@bp.route("/totp", methods=["GET", "POST"])
def totp() -> Any:
    """Ask for the current code of the second factor."""
    user = _stage_user(STAGE_TOTP)
    form = TotpForm()
    if form.validate_on_submit():
        give_back = _take_attempt()
        # A locked account gets no guesses at the code either.
        state = _sign_in_state(user)
        if not state.locked and accept_totp(user, user.totp_secret or "", form.code.data or ""):
            give_back()
            accounts.count_sign_in(get_session(), user, state, utcnow())
            return _remember_device(_advance(user, STAGE_TOTP), user)
        _count_failure(user, state)  # counts towards the locks like a wrong password
        form.form_errors.append(_("The code is not valid. Wait for the next code and try again."))
    return render_template("portal/staff/totp.html", form=form)


def accept_totp(user: StaffUser, secret: str, code: str, at: dt.datetime | None = None) -> bool:
    """Accept `code` for `secret` once: the previous, current or next step, never a used one."""
    code = "".join(code.split())
    if not secret or not code.isdigit() or len(code) != 6:
        return False
    totp = pyotp.TOTP(secret)
    when = at or utcnow()
    step = totp.timecode(when)
    for candidate in (step - 1, step, step + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return _use_step(user, candidate)
    return False


def _use_step(user: StaffUser, step: int) -> bool:
    """Record `step` as used unless it or a later one already is; False when it was.

    One conditional UPDATE, not a read then a write: two sign-ins posting the same code at once
    both read "unused", but only one UPDATE matches (the other waits for the row, then finds the
    step taken), so a code opens one session. The caller commits.
    """
    db = object_session(user) or get_session()
    result = db.execute(
        update(StaffUser)
        .where(
            StaffUser.id == user.id,
            or_(StaffUser.totp_last_step.is_(None), StaffUser.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def qr_svg(uri: str) -> Markup:
    """Return an inline SVG QR code of `uri` (rendered here: no script, no other host)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    svg = svg.replace("<svg ", '<svg role="img" aria-labelledby="totp-qr-title" ', 1)
    title = _("QR code for the authenticator app")
    svg = svg.replace(">", f'><title id="totp-qr-title">{Markup.escape(title)}</title>', 1)
    return Markup(svg)  # noqa: S704 - generated by qrcode from our own URI, title escaped


@bp.route("/totp/enroll", methods=["GET", "POST"])
def enroll() -> Any:
    """Set up the second factor: show a QR code and the secret, confirm with a code."""
    user = _stage_user(STAGE_ENROLL)
    state = session[SESSION_KEY]
    secret = state.get("pending_totp")
    if not secret:
        secret = pyotp.random_base32()
        state["pending_totp"] = secret
        session.modified = True
    form = TotpForm()
    if form.validate_on_submit():
        if accept_totp(user, secret, form.code.data or ""):
            user.totp_secret = secret
            state.pop("pending_totp", None)
            audit.record(
                get_session(), action="staff.totp_enrolled", actor="staff", staff_id=user.id
            )
            return _advance(user, STAGE_TOTP)
        form.form_errors.append(_("The code is not valid. Check the app's clock and try again."))
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render_template(
        "portal/staff/totp_enroll.html", form=form, qr=qr_svg(uri), secret=grouped
    )


@bp.route("/password", methods=["GET", "POST"])
def change_password() -> Any:
    """Replace the one-time password with the person's own."""
    user = _stage_user(STAGE_PASSWORD)
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(get_session(), user, form.new_password.data or "")
        except passwords.PasswordRejected as error:
            form.new_password.errors = [*form.new_password.errors, str(error.message)]
        else:
            return _advance(user, STAGE_PASSWORD)
    return render_template("portal/staff/password.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    """Sign out: the account's session version moves on, so every copy of the cookie dies."""
    from portal.web.staff_forms import ActionForm

    form = ActionForm(prefix="logout")
    if not form.validate_on_submit():
        abort(400)
    user = current_staff()
    if user is not None:
        user.session_version += 1
        audit.record(get_session(), action="staff.logout", actor="staff", staff_id=user.id)
        get_session().commit()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("staff.auth.login"))


def _take_attempt() -> Callable[[], None]:
    """Count this sign-in attempt against the client address (RATELIMIT_LOGIN) before it is made.

    Answers 429 when the address has used up its failures; returns the function that gives the
    attempt back when it succeeds, so colleagues behind one address can still sign in.
    """
    from portal.web import ratelimit

    give_back = ratelimit.take_attempt("RATELIMIT_LOGIN", "staff-login")
    if give_back is None:
        abort(429)
    return give_back
