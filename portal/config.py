"""Portal settings: one table of names, types, defaults and docs; loaded and checked, not run.

Order: defaults, then `instance/portal.toml`, then `PORTAL_<NAME>` environment variables, then the
mapping given to `create_app` (tests, the demo). Every value is checked against its setting's type
and rule when the app starts; an unknown key in the file or the environment, or a bad value
anywhere, stops the start with one message that names every bad key at once. Secrets have no
default: `SECRET_KEY` comes from the environment or from `instance/secret_key`, which `portal init`
creates. `docs/portal-settings.md` is generated from this table (`python -m portal.config docs`).
"""

from __future__ import annotations

import os
import re
import secrets
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from portal.core.paths import ROOT

ENV_PREFIX = "PORTAL_"
NOT_SETTINGS_PREFIX = "PORTAL_TEST_"
"""Environment variables of the test suite (its databases), not settings of the portal."""
INSTANCE_ENV = "PORTAL_INSTANCE_PATH"
"""Where the instance folder is (settings file, keys, SQLite database): not a setting, since the
settings file lives in it. Default: `instance/` in the checkout."""
DEFAULT_INSTANCE = ROOT / "instance"
SECRET_KEY_FILE = "secret_key"
SETTINGS_FILE = "portal.toml"
DOCS_PATH = ROOT / "docs" / "portal-settings.md"


class ConfigurationError(RuntimeError):
    """The portal cannot start with this configuration; the message names every bad key."""


def _positive(value: Any) -> str | None:
    return None if value > 0 else "must be greater than 0"


def _not_negative(value: Any) -> str | None:
    return None if value >= 0 else "must be 0 or more"


def _port(value: Any) -> str | None:
    return None if 0 < value < 65536 else "must be a TCP port (1–65535)"


def _http_url(value: Any) -> str | None:
    parts = urlsplit(value)
    if parts.scheme in {"http", "https"} and parts.netloc and not parts.query:
        return None
    return "must be an http:// or https:// address without a query"


def _url_prefix(value: Any) -> str | None:
    if value == "" or (value.startswith("/") and not value.endswith("/")):
        return None
    return "must be empty or start with / and not end with /"


_ONE_LIMIT = (
    r"\s*[0-9]+\s*(?:/|\s*per\s*)\s*(?:[0-9]+)?"
    r"\s*(?:second|minute|hour|day|month|year)s?\s*"
)
_RATE_LIMITS = re.compile(rf"{_ONE_LIMIT}(?:[,;|]{_ONE_LIMIT})*", re.IGNORECASE)
"""The rate-limit strings `limits.parse_many` accepts (`10 per hour`, `1/second; 5/minute`), as its
grammar states them; matched here because importing `limits` (its storage back-ends) cost every
command, `portal staff list` too, 70–100 ms (tests/portal/test_config.py keeps the two equal)."""


def _rate_limit(value: Any) -> str | None:
    if isinstance(value, str) and _RATE_LIMITS.fullmatch(value):
        return None
    return "must be a rate limit such as `10 per hour`"


def _file_name(value: Any) -> str | None:
    return (
        None if value and "/" not in value and value not in {".", ".."} else "must be a file name"
    )


FILE_TYPES = ("csv", "json", "pdf", "zip", "png", "jpeg", "tiff", "webp")
"""File types an attachment may have (`portal.core.files` sniffs each from its content)."""


def _file_types(value: Any) -> str | None:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = sorted(set(names) - set(FILE_TYPES))
    if not names or unknown:
        return "must be a comma-separated list of: " + ", ".join(FILE_TYPES)
    return None


@dataclass(frozen=True)
class Setting:
    """One configuration key: its type, default, a one-line description and an optional rule."""

    name: str
    type: type
    default: Any
    doc: str
    optional: bool = False
    """None is allowed (and is the default): the setting is off or derived."""
    check: Callable[[Any], str | None] | None = None
    """Return what is wrong with a value of the right type, or None."""

    @property
    def type_name(self) -> str:
        """Return the type as the docs write it (`int`, `str or none`)."""
        return self.type.__name__ + (" or none" if self.optional else "")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "SECRET_KEY",
        str,
        None,
        "Signs sessions, CSRF tokens and links; from the environment or instance/secret_key.",
        optional=True,
    ),
    Setting(
        "MASTER_KEY",
        str,
        None,
        "Wraps the keys that wrap file keys (base64 of 32 bytes), the same on every instance; "
        "from the environment or instance/master-key.",
        optional=True,
    ),
    Setting(
        "DATABASE_URL",
        str,
        None,
        "SQLAlchemy URL; default: the SQLite file instance/portal.sqlite3.",
        optional=True,
    ),
    Setting(
        "DATABASE_CONNECT_TIMEOUT",
        int,
        5,
        "Seconds to wait for a database connection (PostgreSQL: at least 2) before a 503 page.",
        check=_positive,
    ),
    Setting(
        "DATABASE_STATEMENT_TIMEOUT",
        int,
        15,
        "Seconds a statement or lock may wait in the database before the request gets a 503 page.",
        check=_positive,
    ),
    Setting(
        "DATABASE_READ_TIMEOUT",
        int,
        30,
        "Seconds the portal waits for any answer from PostgreSQL (a frozen server) before it "
        "drops the connection and the request gets a 503 page; keep it above the statement "
        "timeout.",
        check=_positive,
    ),
    Setting("CONTENT_DIR", str, "content", "Folder with site.yaml and registers/ (the content)."),
    Setting("SITE_DIR", str, "site", "Built notice site served under / (empty: not served)."),
    Setting("URL_PREFIX", str, "/requests", "Where the portal's pages live.", check=_url_prefix),
    Setting(
        "PUBLIC_URL",
        str,
        "http://127.0.0.1:8000",
        "External base URL of e-mailed links.",
        check=_http_url,
    ),
    Setting(
        "BACKUP_PASSPHRASE",
        str,
        None,
        "Encrypts the instance keys inside `portal backup` files (else the command prompts).",
        optional=True,
    ),
    Setting(
        "PROXY_FIX",
        int,
        0,
        "Number of reverse proxies in front of the portal whose X-Forwarded-For, -Proto and -Host "
        "to trust (0: none; 1 behind one nginx). Rate limits and sign-in throttling see the "
        "client's address only when this is right.",
        check=_not_negative,
    ),
    Setting(
        "TRUSTED_HOSTS",
        str,
        "",
        "Host names answered besides PUBLIC_URL's and loopback (comma-separated; .example.org "
        "matches its subdomains); any other Host header gets 400.",
    ),
    Setting("MAIL_SERVER", str, "127.0.0.1", "SMTP relay host."),
    Setting("MAIL_PORT", int, 8025, "SMTP relay port.", check=_port),
    Setting("MAIL_USE_TLS", bool, False, "Use STARTTLS with the relay."),
    Setting("MAIL_USERNAME", str, None, "SMTP user name, if the relay needs one.", optional=True),
    Setting("MAIL_PASSWORD", str, None, "SMTP password, if the relay needs one.", optional=True),
    Setting(
        "MAIL_SENDER",
        str,
        None,
        "From address of messages to people; default: the contact's (else the controller's) "
        "e-mail in site.yaml.",
        optional=True,
    ),
    Setting(
        "MAIL_SEND_INLINE",
        bool,
        True,
        "Send a request's mail from a background thread at once (never inside the request).",
    ),
    Setting(
        "WARM_UP",
        bool,
        True,
        "Compile templates and load fonts and the PDF renderer at start, not at the first "
        "visitor (skipped in tests; turn off under gunicorn --preload).",
    ),
    Setting(
        "MAIL_MAX_ATTEMPTS", int, 8, "Attempts before a message is marked failed.", check=_positive
    ),
    Setting(
        "RATELIMIT_STORAGE_URI",
        str,
        "memory://",
        "Flask-Limiter storage; redis://… when several processes serve the portal.",
    ),
    Setting(
        "RATELIMIT_SUBMIT",
        str,
        "10 per hour",
        "Accepted submissions per client address (a form sent back to fix does not count).",
        check=_rate_limit,
    ),
    Setting(
        "RATELIMIT_SUBMIT_EMAIL",
        str,
        "12 per day",
        "Accepted submissions per e-mail address (room for every right, twice, in a day).",
        check=_rate_limit,
    ),
    Setting(
        "RATELIMIT_LOGIN",
        str,
        "10 per 15 minutes",
        "Staff login attempts per client address.",
        check=_rate_limit,
    ),
    Setting(
        "RATELIMIT_VERIFY",
        str,
        "60 per hour",
        "Receipt checks on the verify page per client address.",
        check=_rate_limit,
    ),
    Setting(
        "RATELIMIT_CONSENT",
        str,
        "600 per hour",
        "Consent records posted by the cookie banner per client address (offices share one).",
        check=_rate_limit,
    ),
    Setting(
        "CONSENT_PROOF_DAYS",
        int,
        1095,
        "Consent records are kept this many days after the consent itself expires (3 years).",
        check=_positive,
    ),
    Setting(
        "RATELIMIT_UNLOCK",
        str,
        "20 per 15 minutes",
        "Download codes typed per client address (every try counts; each code also allows 5).",
        check=_rate_limit,
    ),
    Setting(
        "CONFIRM_MAX_AGE_HOURS",
        int,
        72,
        "Lifetime of an e-mail confirmation link, in hours.",
        check=_positive,
    ),
    Setting(
        "UNCONFIRMED_RETENTION_DAYS",
        int,
        7,
        "Unconfirmed requests are purged after this many days.",
        check=_positive,
    ),
    Setting(
        "CLOSED_RETENTION_DAYS",
        int,
        1095,
        "Closed requests are anonymised after this many days (3 years).",
        check=_positive,
    ),
    Setting(
        "STATUS_LINK_MAX_AGE_DAYS",
        int,
        400,
        "Lifetime of a status-page link, in days.",
        check=_positive,
    ),
    Setting(
        "SIGNING_KEY_FILE",
        str,
        "receipt-signing-key.pem",
        "Ed25519 receipt-signing key, a file in the instance folder.",
        check=_file_name,
    ),
    Setting("SESSION_IDLE_MINUTES", int, 30, "Staff session idle timeout.", check=_positive),
    Setting("SESSION_ABSOLUTE_HOURS", int, 12, "Staff session absolute timeout.", check=_positive),
    Setting("TOTP_REQUIRED_FOR_HANDLERS", bool, False, "Require a second factor for handlers too."),
    Setting(
        "SECURE_COOKIES",
        bool,
        True,
        "Secure, __Host- session cookie (off only for plain-HTTP development).",
    ),
    Setting(
        "ATTACHMENT_MAX_MB",
        int,
        25,
        "Largest attachment (staff's data copy, a reply, a scan), in megabytes.",
        check=_positive,
    ),
    Setting(
        "ATTACHMENT_MAX_FILES",
        int,
        10,
        "Files per upload form.",
        check=_positive,
    ),
    Setting(
        "ATTACHMENT_TYPES",
        str,
        ",".join(FILE_TYPES),
        "Accepted attachment types, comma-separated: " + ", ".join(FILE_TYPES) + ".",
        check=_file_types,
    ),
    Setting(
        "ATTACHMENT_ZIP_MAX_MB",
        int,
        200,
        "Largest decompressed size of a ZIP attachment, in megabytes (zip bombs are refused).",
        check=_positive,
    ),
    Setting(
        "DOWNLOAD_DAYS",
        int,
        30,
        "Days a person may download the files of an answer; `portal purge` deletes them after.",
        check=_positive,
    ),
    Setting(
        "DOWNLOAD_CODE_MINUTES",
        int,
        15,
        "Lifetime of an e-mailed download code, and of the downloads it opens, in minutes.",
        check=_positive,
    ),
    Setting(
        "OIDC_ISSUER",
        str,
        None,
        "Issuer of the OpenID Connect provider that identifies people strongly (an FTN broker, "
        "Suomi.fi, a company's own); none: registers asking for strong identification point "
        "people to the other channels.",
        optional=True,
        check=_http_url,
    ),
    Setting(
        "OIDC_CLIENT_ID",
        str,
        None,
        "The portal's client id at that provider (needed with OIDC_ISSUER).",
        optional=True,
    ),
    Setting(
        "OIDC_PROVIDER_NAME",
        str,
        "",
        "The provider's name as people and staff see it; default: the issuer's host.",
    ),
    Setting("OIDC_SCOPE", str, "openid profile", "Scopes asked for (space-separated)."),
    Setting(
        "OIDC_IDENTITY_CLAIM",
        str,
        "personal_identity_code",
        "ID token claim with the national identity number; kept only as a keyed hash.",
    ),
    Setting(
        "OIDC_ACR_VALUES",
        str,
        "",
        "Levels of assurance asked for (space-separated acr values); empty: the provider's.",
    ),
    Setting(
        "OIDC_REQUIRE_ENCRYPTION",
        bool,
        True,
        "Refuse ID tokens that are not encrypted to the portal's key (RSA-OAEP, A256GCM).",
    ),
    Setting(
        "OIDC_KEY_OVERLAP_DAYS",
        int,
        7,
        "Days a rotated key stays published in /.well-known/jwks.json (`portal keys rotate-oidc`).",
        check=_positive,
    ),
    Setting(
        "REMIND_WITHIN_DAYS",
        int,
        7,
        "`portal remind`: requests due within this many days.",
        check=_not_negative,
    ),
)

BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def parse_env(setting: Setting, raw: str) -> Any:
    """Convert an environment string to the setting's type; raise ValueError when it is not."""
    if setting.optional and raw == "":
        return None
    if setting.type is bool:
        word = raw.strip().lower()
        if word not in _TRUE | _FALSE:
            raise ValueError(f"expected true or false, got {raw!r}")
        return word in _TRUE
    if setting.type is int:
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"expected a whole number, got {raw!r}") from None
    return raw


def problem(setting: Setting, value: Any) -> str | None:
    """Return what is wrong with `value` for `setting`, or None."""
    if value is None:
        return None if setting.optional else "must be set"
    # bool is an int in Python; a setting is one or the other, never both.
    if not isinstance(value, setting.type) or (setting.type is int and isinstance(value, bool)):
        return f"expected {setting.type.__name__}, got {type(value).__name__} {value!r}"
    return setting.check(value) if setting.check else None


def load_settings(
    instance_path: Path, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Return the checked settings; raise ConfigurationError naming every bad key at once.

    The mapping given to `create_app` may also carry Flask's and its extensions' own keys
    (`TESTING`, `RATELIMIT_ENABLED`, …); the file and the environment hold only settings.
    """
    values: dict[str, Any] = {setting.name: setting.default for setting in SETTINGS}
    source: dict[str, str] = {}
    errors: list[str] = []
    toml_path = instance_path / SETTINGS_FILE
    if toml_path.is_file():
        try:
            with toml_path.open("rb") as handle:
                document = tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigurationError(f"{toml_path}: not TOML: {exc}") from None
        for key, value in document.items():
            name = key.upper()
            if name not in BY_NAME:
                errors.append(f"{toml_path}: {key}: unknown setting")
                continue
            values[name], source[name] = value, f"{toml_path}: {key}"
    for variable, raw in sorted(os.environ.items()):
        if not variable.startswith(ENV_PREFIX) or variable.startswith(NOT_SETTINGS_PREFIX):
            continue
        if variable == INSTANCE_ENV:
            continue
        name = variable.removeprefix(ENV_PREFIX)
        if name not in BY_NAME:
            errors.append(f"{variable}: unknown setting (environment)")
            continue
        try:
            values[name] = parse_env(BY_NAME[name], raw)
        except ValueError as exc:
            errors.append(f"{variable}: {exc}")
            continue
        source[name] = variable
    for name, value in (overrides or {}).items():
        values[name], source[name] = value, name
    for setting in SETTINGS:
        wrong = problem(setting, values[setting.name])
        if wrong is not None:
            errors.append(f"{source.get(setting.name, setting.name)}: {wrong}")
    if values["OIDC_ISSUER"] and not values["OIDC_CLIENT_ID"]:
        errors.append("OIDC_CLIENT_ID: must be set with OIDC_ISSUER")
    if errors:
        raise ConfigurationError("bad portal settings:\n  " + "\n  ".join(errors))
    if not values.get("SECRET_KEY"):
        key_file = instance_path / SECRET_KEY_FILE
        if key_file.is_file():
            values["SECRET_KEY"] = key_file.read_text(encoding="utf-8").strip()
    if not values.get("DATABASE_URL"):
        values["DATABASE_URL"] = f"sqlite:///{instance_path / 'portal.sqlite3'}"
    return values


def instance_path(explicit: str | Path | None = None) -> Path:
    """Return the instance folder: `explicit`, else `PORTAL_INSTANCE_PATH`, else `instance/`."""
    chosen = explicit if explicit is not None else os.environ.get(INSTANCE_ENV) or DEFAULT_INSTANCE
    return Path(chosen).expanduser().resolve()


def write_secret_key(instance_path: Path) -> Path | None:
    """Create `instance/secret_key` (owner-only) unless it exists; return it when created."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / SECRET_KEY_FILE
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(48) + "\n")
    return key_file


def settings_markdown() -> str:
    """Return `docs/portal-settings.md`: every setting with its type, default and meaning."""
    lines = [
        "# Portal settings",
        "",
        "<!-- Generated from portal/config.py by `python -m portal.config docs`; do not edit. -->",
        "",
        "Set each in `instance/portal.toml` (`mail_port = 587`) or as an environment variable",
        "named `PORTAL_` and the setting (`PORTAL_MAIL_PORT=587`); the environment wins. The",
        "portal refuses to start on an unknown setting or a bad value and names each one.",
        "",
        f"The instance folder (this file, the keys, the SQLite database) is `{INSTANCE_ENV}`",
        "(default `instance/` in the checkout) or `portal --instance DIR`; it is not a setting,",
        "since the settings file lives in it. Code can then stay read-only in one place.",
        "",
        "| Setting | Type | Default | Meaning |",
        "|---|---|---|---|",
    ]
    for setting in SETTINGS:
        default = "–" if setting.default is None else f"`{_toml(setting.default)}`"
        doc = setting.doc.replace("|", "\\|")
        lines.append(f"| `{setting.name}` | {setting.type_name} | {default} | {doc} |")
    return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return f'"{value}"'


def main(argv: list[str]) -> int:
    """Write the settings docs (`docs`) or check that they are current (`check`)."""
    if argv == ["docs"]:
        DOCS_PATH.write_text(settings_markdown(), encoding="utf-8")
        print(DOCS_PATH)
        return 0
    if argv == ["check"]:
        current = (
            DOCS_PATH.is_file() and DOCS_PATH.read_text(encoding="utf-8") == settings_markdown()
        )
        print("current" if current else "stale: run `python -m portal.config docs`")
        return 0 if current else 1
    print("usage: python -m portal.config docs|check")
    return 2


if __name__ == "__main__":  # pragma: no cover - maintainer's command
    sys.exit(main(sys.argv[1:]))
