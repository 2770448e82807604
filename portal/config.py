"""Portal settings: one table of names, types, defaults and docs; loaded and checked, not run.

The table is the frozen dataclass `Settings`: `load_settings` returns one, `create_app` keeps it
on the app (`current_settings()`, `settings_of(app)`) and copies it into `app.config` for Flask,
its extensions and the commands that still read that.

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
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, get_args, get_type_hints
from urllib.parse import urlsplit

from portal.core.paths import ROOT, SIGNING_KEY_FILE, resolve

if TYPE_CHECKING:
    from flask import Flask

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
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
"""The public URL of a portal whose content gives no `portal_url` (development on loopback)."""
EXTENSION = "seloste.settings"
"""Where an app keeps its `Settings` (`app.extensions`)."""


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

    @property
    def attribute(self) -> str:
        """Return the setting's attribute on `Settings` (`MAIL_PORT` -> `mail_port`)."""
        return self.name.lower()


def _setting(default: Any, doc: str, *, check: Callable[[Any], str | None] | None = None) -> Any:
    """Declare one setting of `Settings`: its default, its line in the docs and its rule."""
    return field(default=default, metadata={"doc": doc, "check": check})


def _derived(**kwargs: Any) -> Any:
    """Declare a value of `Settings` that is not a setting but follows from them."""
    return field(metadata={"derived": True}, **kwargs)


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """The portal's checked settings, typed and frozen: the one table of names, types, defaults
    and docs (`SETTINGS` and `docs/portal-settings.md` are made from these fields).

    An attribute is the setting's name in lower case (`MAIL_PORT` is `mail_port`). It also reads
    as a mapping of the upper-case names (`settings["MAIL_PORT"]`), so `app.config.update`
    takes it for Flask and its extensions.
    """

    secret_key: str | None = _setting(
        None, "Signs sessions, CSRF tokens and links; from the environment or instance/secret_key."
    )
    master_key: str | None = _setting(
        None,
        "Wraps the keys that wrap file keys (base64 of 32 bytes), the same on every instance; from"
        " the environment or instance/master-key.",
    )
    database_url: str | None = _setting(
        None, "SQLAlchemy URL; default: the SQLite file instance/portal.sqlite3."
    )
    database_connect_timeout: int = _setting(
        5,
        "Seconds to wait for a database connection (PostgreSQL: at least 2) before a 503 page.",
        check=_positive,
    )
    database_statement_timeout: int = _setting(
        15,
        "Seconds a statement or lock may wait in the database before the request gets a 503 page.",
        check=_positive,
    )
    database_read_timeout: int = _setting(
        30,
        "Seconds the portal waits for any answer from PostgreSQL (a frozen server) before it drops"
        " the connection and the request gets a 503 page; keep it above the statement timeout.",
        check=_positive,
    )
    content_dir: str = _setting("content", "Folder with site.yaml and registers/ (the content).")
    site_dir: str = _setting("site", "Built notice site served under / (empty: not served).")
    url_prefix: str = _setting("/requests", "Where the portal's pages live.", check=_url_prefix)
    public_url: str | None = _setting(
        None,
        "External base URL of the portal (e-mailed links, the accepted Host): the portal is "
        "PUBLIC_URL + URL_PREFIX + `/`, the address site.yaml's `portal_url` must give; "
        f"default: taken from `portal_url`, else `{DEFAULT_PUBLIC_URL}`.",
        check=_http_url,
    )
    backup_passphrase: str | None = _setting(
        None, "Encrypts the instance keys inside `portal backup` files (else the command prompts)."
    )
    proxy_fix: int = _setting(
        0,
        "Number of reverse proxies in front of the portal whose X-Forwarded-For, -Proto and -Host "
        "to trust (0: none; 1 behind one nginx). Rate limits and sign-in throttling see the "
        "client's address only when this is right.",
        check=_not_negative,
    )
    trusted_hosts: str = _setting(
        "",
        "Host names answered besides PUBLIC_URL's and loopback (comma-separated; .example.org "
        "matches its subdomains); any other Host header gets 400.",
    )
    mail_server: str = _setting("127.0.0.1", "SMTP relay host.")
    mail_port: int = _setting(8025, "SMTP relay port.", check=_port)
    mail_use_tls: bool = _setting(False, "Use STARTTLS with the relay.")
    mail_username: str | None = _setting(None, "SMTP user name, if the relay needs one.")
    mail_password: str | None = _setting(None, "SMTP password, if the relay needs one.")
    mail_sender: str | None = _setting(
        None,
        "From address of messages to people; default: the contact's (else the controller's) e-mail"
        " in site.yaml. The From header names it by the theme's display name, else the"
        " controller's name; `Name <address>` gives a name of its own.",
    )
    mail_send_inline: bool = _setting(
        True, "Send a request's mail from a background thread at once (never inside the request)."
    )
    warm_up: bool = _setting(
        True,
        "Compile templates and load fonts and the PDF renderer at start, not at the first visitor "
        "(skipped in tests; turn off under gunicorn --preload).",
    )
    mail_max_attempts: int = _setting(
        8, "Attempts before a message is marked failed.", check=_positive
    )
    ratelimit_storage_uri: str = _setting(
        "memory://", "Flask-Limiter storage; redis://… when several processes serve the portal."
    )
    ratelimit_submit: str = _setting(
        "10 per hour",
        "Accepted submissions per client address (a form sent back to fix does not count).",
        check=_rate_limit,
    )
    ratelimit_submit_email: str = _setting(
        "12 per day",
        "Accepted submissions per e-mail address (room for every right, twice, in a day).",
        check=_rate_limit,
    )
    ratelimit_login: str = _setting(
        "10 per 15 minutes", "Staff login attempts per client address.", check=_rate_limit
    )
    ratelimit_verify: str = _setting(
        "60 per hour", "Receipt checks on the verify page per client address.", check=_rate_limit
    )
    ratelimit_consent: str = _setting(
        "600 per hour",
        "Consent records posted by the cookie banner per client address (offices share one).",
        check=_rate_limit,
    )
    consent_proof_days: int = _setting(
        1095,
        "Consent records are kept this many days after the consent itself expires (3 years).",
        check=_positive,
    )
    ratelimit_unlock: str = _setting(
        "20 per 15 minutes",
        "Download codes typed per client address (every try counts; each code also allows 5).",
        check=_rate_limit,
    )
    confirm_max_age_hours: int = _setting(
        72, "Lifetime of an e-mail confirmation link, in hours.", check=_positive
    )
    unconfirmed_retention_days: int = _setting(
        7, "Unconfirmed requests are purged after this many days.", check=_positive
    )
    closed_retention_days: int = _setting(
        1095, "Closed requests are anonymised after this many days (3 years).", check=_positive
    )
    status_link_max_age_days: int = _setting(
        400, "Lifetime of a status-page link, in days.", check=_positive
    )
    signing_key_file: str = _setting(
        SIGNING_KEY_FILE,
        "Ed25519 receipt-signing key, a file in the instance folder.",
        check=_file_name,
    )
    session_idle_minutes: int = _setting(30, "Staff session idle timeout.", check=_positive)
    session_absolute_hours: int = _setting(12, "Staff session absolute timeout.", check=_positive)
    totp_required_for_handlers: bool = _setting(False, "Require a second factor for handlers too.")
    secure_cookies: bool = _setting(
        True, "Secure, __Host- session cookie (off only for plain-HTTP development)."
    )
    attachment_max_mb: int = _setting(
        25,
        "Largest attachment (staff's data copy, a reply, a scan), in megabytes.",
        check=_positive,
    )
    attachment_max_files: int = _setting(10, "Files per upload form.", check=_positive)
    attachment_types: str = _setting(
        "csv,json,pdf,zip,png,jpeg,tiff,webp",
        "Accepted attachment types, comma-separated: csv, json, pdf, zip, png, jpeg, tiff, webp.",
        check=_file_types,
    )
    attachment_zip_max_mb: int = _setting(
        200,
        "Largest decompressed size of a ZIP attachment, in megabytes (zip bombs are refused).",
        check=_positive,
    )
    download_days: int = _setting(
        30,
        "Days a person may download the files of an answer; `portal purge` deletes them after.",
        check=_positive,
    )
    download_code_minutes: int = _setting(
        15,
        "Lifetime of an e-mailed download code, and of the downloads it opens, in minutes.",
        check=_positive,
    )
    oidc_issuer: str | None = _setting(
        None,
        "Issuer of the OpenID Connect provider that identifies people strongly (an FTN broker, "
        "Suomi.fi, a company's own); none: registers asking for strong identification point people"
        " to the other channels.",
        check=_http_url,
    )
    oidc_client_id: str | None = _setting(
        None, "The portal's client id at that provider (needed with OIDC_ISSUER)."
    )
    oidc_provider_name: str = _setting(
        "", "The provider's name as people and staff see it; default: the issuer's host."
    )
    oidc_scope: str = _setting("openid profile", "Scopes asked for (space-separated).")
    oidc_identity_claim: str = _setting(
        "personal_identity_code",
        "ID token claim with the national identity number; kept only as a keyed hash.",
    )
    oidc_acr_values: str = _setting(
        "", "Levels of assurance asked for (space-separated acr values); empty: the provider's."
    )
    oidc_require_encryption: bool = _setting(
        True, "Refuse ID tokens that are not encrypted to the portal's key (RSA-OAEP, A256GCM)."
    )
    oidc_key_overlap_days: int = _setting(
        7,
        "Days a rotated key stays published in /.well-known/jwks.json (`portal keys rotate-oidc`).",
        check=_positive,
    )
    remind_within_days: int = _setting(
        7, "`portal remind`: requests due within this many days.", check=_not_negative
    )

    instance_path: Path = _derived(default=DEFAULT_INSTANCE)
    """The instance folder (settings file, keys, SQLite database)."""
    sources: Mapping[str, str] = _derived(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )
    """Where each setting not left at its default came from (`PORTAL_PUBLIC_URL`, a file's key)."""

    @property
    def content_path(self) -> Path:
        """Return the content folder (site.yaml and registers/), resolved."""
        return resolve(self.content_dir)

    @property
    def site_path(self) -> Path | None:
        """Return the built notice site's folder, resolved; None when no site is served."""
        return resolve(self.site_dir) if self.site_dir else None

    @property
    def signing_key_path(self) -> Path:
        """Return the receipt-signing key's file in the instance folder."""
        return self.instance_path / self.signing_key_file

    @property
    def portal_url(self) -> str:
        """Return the portal's public address, as site.yaml's `portal_url` must give it."""
        return portal_address(self.public_url or DEFAULT_PUBLIC_URL, self.url_prefix)

    @property
    def attachment_max_bytes(self) -> int:
        """Return the largest attachment, in bytes."""
        return self.attachment_max_mb * 1024 * 1024

    @property
    def attachment_zip_max_bytes(self) -> int:
        """Return the largest decompressed size of a ZIP attachment, in bytes."""
        return self.attachment_zip_max_mb * 1024 * 1024

    @property
    def attachment_type_names(self) -> tuple[str, ...]:
        """Return the accepted attachment types (`pdf`, `zip`, …), in the setting's order."""
        return tuple(name.strip() for name in self.attachment_types.split(",") if name.strip())

    def source(self, name: str) -> str:
        """Return where setting `name` came from: a file's key, a variable, or the default."""
        return self.sources.get(name, "default")

    def keys(self) -> tuple[str, ...]:
        """Return the settings' names (upper case), as a mapping of them has."""
        return tuple(setting.name for setting in SETTINGS)

    def __getitem__(self, name: str) -> Any:
        if name not in BY_NAME:
            raise KeyError(name)
        return getattr(self, BY_NAME[name].attribute)

    def get(self, name: str, default: Any = None) -> Any:
        """Return setting `name` (upper case), or `default` when there is no such setting."""
        return self[name] if name in BY_NAME else default


def _table() -> tuple[Setting, ...]:
    hints = get_type_hints(Settings)
    table = []
    for item in fields(Settings):
        if item.metadata.get("derived"):
            continue
        hint = hints[item.name]
        arguments = [a for a in get_args(hint) if a is not type(None)]
        table.append(
            Setting(
                item.name.upper(),
                arguments[0] if arguments else hint,
                item.default,
                item.metadata["doc"],
                optional=bool(arguments),
                check=item.metadata["check"],
            )
        )
    return tuple(table)


SETTINGS: tuple[Setting, ...] = _table()
"""Every setting, in the order of `Settings` (the docs' order)."""

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


def load_settings(instance_path: Path, overrides: Mapping[str, Any] | None = None) -> Settings:
    """Return the checked settings; raise ConfigurationError naming every bad key at once.

    The mapping given to `create_app` may also carry Flask's and its extensions' own keys
    (`TESTING`, `RATELIMIT_ENABLED`, …): they are not settings and are left out here. The file
    and the environment hold only settings. `PUBLIC_URL` and `MAIL_SENDER` may still be None:
    `with_content` fills them from the content.
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
        if name in BY_NAME:
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
    return Settings(
        **{BY_NAME[name].attribute: value for name, value in values.items()},
        instance_path=instance_path,
        sources=MappingProxyType(source),
    )


def portal_address(public_url: str, url_prefix: str) -> str:
    """Return the portal's public address: `public_url`, then `url_prefix`, then `/`."""
    return public_url.rstrip("/") + url_prefix + "/"


def with_content(
    settings: Settings, portal_url: str | None, sender: str | None, site_file: Path
) -> Settings:
    """Return `settings` with the public URL and the sender the content gives when unset.

    One public URL: the portal is at PUBLIC_URL + URL_PREFIX + `/`, and site.yaml's `portal_url`
    (what the notice links to) must be that address. Either one gives the other; when both are
    given and disagree, or `portal_url` does not end in URL_PREFIX, the portal does not start.
    The sender defaults to the e-mail address the notice gives people (`contact`, else the
    controller's).
    """
    public_url = settings.public_url
    if portal_url is not None:
        portal_url = portal_url.rstrip("/") + "/"
        if public_url is None:
            tail = settings.url_prefix + "/"
            if not urlsplit(portal_url).path.endswith(tail):
                raise ConfigurationError(
                    f"portal_url {portal_url} ({site_file}) does not end in URL_PREFIX "
                    f"{settings.url_prefix or '(empty)'} ({settings.source('URL_PREFIX')}) + /: "
                    "make them agree, or set PUBLIC_URL"
                )
            public_url = portal_url.removesuffix(tail)
        elif portal_address(public_url, settings.url_prefix) != portal_url:
            raise ConfigurationError(
                f"PUBLIC_URL {public_url} ({settings.source('PUBLIC_URL')}) and portal_url "
                f"{portal_url} ({site_file}) disagree: the portal is at "
                f"{portal_address(public_url, settings.url_prefix)} (PUBLIC_URL + URL_PREFIX "
                f"{settings.url_prefix or '(empty)'} + /); set one, or make them equal"
            )
    sender = settings.mail_sender or sender
    if not sender:
        raise ConfigurationError(
            f"no MAIL_SENDER: set PORTAL_MAIL_SENDER, or give `contact.email` in {site_file}"
        )
    return replace(settings, public_url=public_url or DEFAULT_PUBLIC_URL, mail_sender=sender)


def settings_of(app: Flask) -> Settings:
    """Return the app's settings (an app made without `create_app`: from its config)."""
    found = app.extensions.get(EXTENSION)
    if found is None:
        config = app.config
        found = Settings(
            **{s.attribute: config[s.name] for s in SETTINGS if s.name in config},
            instance_path=Path(app.instance_path),
        )
        app.extensions[EXTENSION] = found
    return found


def current_settings() -> Settings:
    """Return the settings of the app of this request, command or app context."""
    from flask import current_app

    return settings_of(current_app)  # type: ignore[arg-type]


NOT_IN_FLASK_CONFIG = frozenset({"TRUSTED_HOSTS"})
"""Settings whose name Flask reads as its own, differently: they live only on `Settings`."""


def install(app: Flask, settings: Settings) -> None:
    """Make `settings` the app's: its `Settings`, and the same values in `app.config` for Flask,
    its extensions and the commands that still read it."""
    app.extensions[EXTENSION] = settings
    app.config.update({n: settings[n] for n in settings.keys() if n not in NOT_IN_FLASK_CONFIG})


def change_settings(app: Flask, **changes: Any) -> Settings:
    """Give the app settings with `changes` (attribute names): for a demo or a test that learns
    its address after the app is made; settings are never changed in place."""
    changed = replace(settings_of(app), **changes)
    install(app, changed)
    return changed


def instance_path(explicit: str | Path | None = None) -> Path:
    """Return the instance folder: `explicit`, else `PORTAL_INSTANCE_PATH`, else `instance/`."""
    chosen = explicit if explicit is not None else os.environ.get(INSTANCE_ENV) or DEFAULT_INSTANCE
    return Path(chosen).expanduser().resolve()


def write_secret_key(instance_path: Path) -> Path | None:
    """Create `instance/secret_key` (owner-only) unless it exists; return it when created."""
    # Imported here: `portal --help` loads this module and nothing it does not need.
    from portal.core.private_files import write_owner_only

    key_file = instance_path / SECRET_KEY_FILE
    if key_file.exists():
        return None
    written = write_owner_only(key_file, (secrets.token_urlsafe(48) + "\n").encode("ascii"))
    return key_file if written else None


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
        "**One public URL.** The portal is at `PUBLIC_URL` + `URL_PREFIX` + `/`, and site.yaml's",
        "`portal_url` (where the notice's rights sections link) must be that same address. Give",
        "either: without `PUBLIC_URL` the portal takes it from `portal_url`, which must then end",
        "in `URL_PREFIX/`; with both, the portal does not start when they disagree and names",
        "both values and where each was set. `MAIL_SENDER` defaults to the e-mail address",
        "site.yaml gives people (`contact`, else `controller`).",
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
