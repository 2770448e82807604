"""Portal settings: one table of names, defaults and one-line docs; loaded, never executed.

Order: defaults, then `instance/portal.toml`, then `PORTAL_<NAME>` environment variables, then the
mapping given to `create_app` (tests). Secrets have no default: `SECRET_KEY` comes from the
environment or from `instance/secret_key`, which `portal init` creates.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    """One configuration key with its default and a one-line description."""

    name: str
    default: Any
    doc: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "SECRET_KEY", None, "Signs sessions, CSRF tokens and links; env or instance/secret_key."
    ),
    Setting("DATABASE_URL", None, "SQLAlchemy URL; default: SQLite file instance/portal.sqlite3."),
    Setting("CONTENT_DIR", "content", "Folder with site.yaml and registers/ (the notice content)."),
    Setting(
        "SITE_DIR", "site", "Built notice site served under / by the demo (empty: not served)."
    ),
    Setting("URL_PREFIX", "/requests", "Where the portal's public pages live."),
    Setting("PUBLIC_URL", "http://127.0.0.1:8000", "External base URL used in e-mailed links."),
    Setting("MAIL_SERVER", "127.0.0.1", "SMTP relay host."),
    Setting("MAIL_PORT", 8025, "SMTP relay port."),
    Setting("MAIL_USE_TLS", False, "Use STARTTLS with the relay."),
    Setting("MAIL_USERNAME", None, "SMTP user name, if the relay needs one."),
    Setting("MAIL_PASSWORD", None, "SMTP password, if the relay needs one."),
    Setting("MAIL_SENDER", "tietosuoja@localhost", "From address of messages to data subjects."),
    Setting("MAIL_SEND_INLINE", True, "Try to send queued mail right after a request."),
    Setting("MAIL_MAX_ATTEMPTS", 8, "Attempts before a message is marked failed."),
    Setting(
        "RATELIMIT_STORAGE_URI", "memory://", "Flask-Limiter storage; redis://… for many hosts."
    ),
    Setting("RATELIMIT_SUBMIT", "10 per hour", "Submissions per client address."),
    Setting("RATELIMIT_SUBMIT_EMAIL", "5 per day", "Submissions per e-mail address."),
    Setting("RATELIMIT_LOGIN", "10 per 15 minutes", "Staff login attempts per client address."),
    Setting("RATELIMIT_VERIFY", "60 per hour", "Receipt checks on the verify page per address."),
    Setting("CONFIRM_MAX_AGE_HOURS", 72, "Lifetime of an e-mail confirmation link."),
    Setting("UNCONFIRMED_RETENTION_DAYS", 7, "Unconfirmed requests are purged after this."),
    Setting("CLOSED_RETENTION_DAYS", 1095, "Closed requests are anonymised after this (3 years)."),
    Setting("STATUS_LINK_MAX_AGE_DAYS", 400, "Lifetime of a status-page link."),
    Setting("SIGNING_KEY_FILE", "receipt-signing-key.pem", "Ed25519 key in the instance folder."),
    Setting("SESSION_IDLE_MINUTES", 30, "Staff session idle timeout."),
    Setting("SESSION_ABSOLUTE_HOURS", 12, "Staff session absolute timeout."),
    Setting("TOTP_REQUIRED_FOR_HANDLERS", False, "Require a second factor for handlers too."),
    Setting(
        "SECURE_COOKIES", True, "Secure + __Host- session cookie (off only for plain-HTTP dev)."
    ),
    Setting("REMIND_WITHIN_DAYS", 7, "`portal remind`: requests due within this many days."),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


def _coerce(raw: str, default: Any) -> Any:
    """Convert an environment string to the type of the setting's default."""
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return raw


def load_settings(
    instance_path: Path, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Return the settings from defaults, instance/portal.toml, PORTAL_* env and `overrides`."""
    values = {setting.name: setting.default for setting in SETTINGS}
    toml_path = instance_path / "portal.toml"
    if toml_path.is_file():
        with toml_path.open("rb") as handle:
            for key, value in tomllib.load(handle).items():
                values[key.upper()] = value
    for name, setting in _BY_NAME.items():
        raw = os.environ.get(f"PORTAL_{name}")
        if raw is not None:
            values[name] = _coerce(raw, setting.default)
    if overrides:
        values.update(overrides)
    if not values.get("SECRET_KEY"):
        key_file = instance_path / "secret_key"
        if key_file.is_file():
            values["SECRET_KEY"] = key_file.read_text(encoding="utf-8").strip()
    if not values.get("DATABASE_URL"):
        values["DATABASE_URL"] = f"sqlite:///{instance_path / 'portal.sqlite3'}"
    return values
