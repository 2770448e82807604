"""Settings: typed, checked all at once, documented from the table; `portal init` and `--help`."""

from __future__ import annotations

import dataclasses
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect

from portal import ConfigurationError, config, create_app
from portal.cli import main
from portal.config import BY_NAME, DOCS_PATH, SETTINGS, load_settings, settings_markdown
from tests import REPO_ROOT
from tests.portal.support.web import content_with_portal_url


@pytest.fixture(autouse=True)
def _no_portal_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("PORTAL_") and not name.startswith("PORTAL_TEST_"):
            monkeypatch.delenv(name)


def _errors(instance: Path, **overrides: object) -> str:
    with pytest.raises(ConfigurationError) as caught:
        load_settings(instance, overrides)
    return str(caught.value)


def test_every_setting_has_a_type_a_default_of_that_type_and_a_doc() -> None:
    for setting in SETTINGS:
        assert setting.doc.strip(), setting.name
        if setting.default is None:
            assert setting.optional, setting.name
        else:
            assert type(setting.default) is setting.type, setting.name


def test_defaults_load_and_derive_the_database(tmp_path: Path) -> None:
    values = load_settings(tmp_path)
    assert values["MAIL_PORT"] == 8025 and values["SECURE_COOKIES"] is True
    assert values["DATABASE_URL"] == f"sqlite:///{tmp_path / 'portal.sqlite3'}"


def test_file_and_environment_set_typed_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "portal.toml").write_text('mail_server = "smtp.example"\nmail_port = 587\n')
    monkeypatch.setenv("PORTAL_MAIL_USE_TLS", "yes")
    monkeypatch.setenv("PORTAL_MAIL_PORT", "2525")
    values = load_settings(tmp_path)
    assert (values["MAIL_SERVER"], values["MAIL_PORT"], values["MAIL_USE_TLS"]) == (
        "smtp.example",
        2525,
        True,
    )


def test_unknown_keys_and_bad_values_are_refused_all_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "portal.toml").write_text(
        'mail_servr = "typo"\nmail_port = "587"\npublic_url = "ftp://x"\n'
    )
    monkeypatch.setenv("PORTAL_SECURE_COOKIE", "1")
    monkeypatch.setenv("PORTAL_MAIL_USE_TLS", "perhaps")
    monkeypatch.setenv("PORTAL_CONFIRM_MAX_AGE_HOURS", "72h")
    message = _errors(tmp_path, RATELIMIT_SUBMIT="lots", SESSION_IDLE_MINUTES=True)
    lines = message.splitlines()[1:]
    named = [
        "mail_servr: unknown setting",
        "mail_port: expected int, got str '587'",
        "public_url: must be an http:// or https:// address",
        "PORTAL_SECURE_COOKIE: unknown setting",
        "PORTAL_MAIL_USE_TLS: expected true or false, got 'perhaps'",
        "PORTAL_CONFIRM_MAX_AGE_HOURS: expected a whole number, got '72h'",
        "RATELIMIT_SUBMIT: must be a rate limit",
        "SESSION_IDLE_MINUTES: expected int, got bool True",
    ]
    for part in named:
        assert sum(part in line for line in lines) == 1, (part, message)
    assert len(lines) == len(named), message


def test_the_app_refuses_to_start_on_a_bad_value(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="MAIL_PORT: must be a TCP port"):
        create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", "MAIL_PORT": 0})


def test_settings_docs_are_generated_from_the_table() -> None:
    assert DOCS_PATH.read_text(encoding="utf-8") == settings_markdown(), (
        "stale: run `python -m portal.config docs`"
    )
    for name in BY_NAME:
        assert f"| `{name}` |" in settings_markdown()


def test_init_prepares_an_instance_and_keeps_what_exists(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    first = CliRunner().invoke(main, ["init", "--instance", str(instance)])
    assert first.exit_code == 0, first.output
    for name in ("secret_key", BY_NAME["SIGNING_KEY_FILE"].default):
        mode = stat.S_IMODE((instance / name).stat().st_mode)
        assert mode == 0o600, (name, oct(mode))
    secret = (instance / "secret_key").read_text()
    engine = create_engine(f"sqlite:///{instance / 'portal.sqlite3'}")
    try:
        assert {"data_request", "staff_user", "audit_event"} <= set(
            inspect(engine).get_table_names()
        )
    finally:
        engine.dispose()
    assert "Next steps" in first.output and "portal staff add" in first.output
    again = CliRunner().invoke(main, ["init", "--instance", str(instance)])
    assert again.exit_code == 0, again.output
    assert (instance / "secret_key").read_text() == secret
    assert "(kept)" in again.output and ", kept)" in again.output


def test_help_needs_no_configuration(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    result = subprocess.run(
        [sys.executable, "-c", "from portal.cli import main; main()", "--help"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Error" not in result.stderr, result.stderr
    assert {"init", "keys", "send-mail", "staff"} <= {
        line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()
    }


def test_mail_comes_from_the_contact_address_people_know(make_app, tmp_path) -> None:
    """With no MAIL_SENDER, the sender is site.yaml's contact e-mail, never a made-up one."""
    import shutil

    from portal.config import ConfigurationError

    assert make_app().config["MAIL_SENDER"] == "esa.kemppainen@proleader.fi"
    assert make_app(MAIL_SENDER="dpo@example.fi").config["MAIL_SENDER"] == "dpo@example.fi"
    content = tmp_path / "no-mail"
    shutil.copytree(Path(__file__).resolve().parents[2] / "content", content)
    site = content / "site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8").replace("  email: esa.kemppainen@proleader.fi\n", ""),
        encoding="utf-8",
    )
    with pytest.raises(ConfigurationError, match="no MAIL_SENDER: set PORTAL_MAIL_SENDER"):
        make_app(CONTENT_DIR=str(content))


@pytest.mark.parametrize(
    "value",
    [
        "10 per hour",
        "10 PER HOURS",
        "1/second",
        "1/second; 5/minute",
        "12 per day,3 per 2 hours|1 per year",
        " 5 per 15 minutes ",
        "",
        "10",
        "per hour",
        "10 per fortnight",
        "10 per hour;",
        "-1 per hour",
        "10 per hour and more",
        "1/1",
        "10 per hourss",
    ],
)
def test_rate_limits_are_checked_as_the_limiter_reads_them(value: str) -> None:
    from limits import parse_many

    try:
        parse_many(value)
    except ValueError:
        accepted = False
    else:
        accepted = True
    assert (config._rate_limit(value) is None) is accepted


def test_settings_are_typed_frozen_and_derive_their_paths(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, {"ATTACHMENT_MAX_MB": 2, "SITE_DIR": ""})
    assert settings.mail_port == 8025 and settings["MAIL_PORT"] == 8025
    assert settings.signing_key_path == tmp_path / "receipt-signing-key.pem"
    assert settings.content_path == REPO_ROOT / "content"
    assert settings.site_path is None
    assert settings.attachment_max_bytes == 2 * 1024 * 1024
    assert settings.attachment_type_names[:3] == ("csv", "json", "pdf")
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.mail_port = 25  # type: ignore[misc]
    with pytest.raises(TypeError):
        settings.sources["MAIL_PORT"] = "here"  # type: ignore[index]
    assert settings.source("ATTACHMENT_MAX_MB") == "ATTACHMENT_MAX_MB"
    assert settings.source("MAIL_PORT") == "default"


def test_the_table_is_the_settings_fields() -> None:
    names = [f.name for f in dataclasses.fields(config.Settings) if not f.metadata.get("derived")]
    assert names == [setting.name.lower() for setting in SETTINGS]
    assert BY_NAME["PUBLIC_URL"].optional and BY_NAME["MAIL_PORT"].type is int


def test_the_app_keeps_its_settings_and_a_change_makes_new_ones(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    with app.app_context():
        settings = config.current_settings()
    assert settings.public_url == "https://www.proleader.fi"  # from site.yaml's portal_url
    assert settings.portal_url == "https://www.proleader.fi/requests/"
    changed = config.change_settings(app, public_url="http://127.0.0.1:9999")
    assert settings.public_url == "https://www.proleader.fi"
    assert config.settings_of(app) is changed
    assert app.config["PUBLIC_URL"] == "http://127.0.0.1:9999"


def test_a_public_url_that_disagrees_with_portal_url_stops_the_start(make_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "portal.toml").write_text('public_url = "https://portal.example"\n')
    with pytest.raises(ConfigurationError) as caught:
        make_app()
    assert str(caught.value) == (
        f"PUBLIC_URL https://portal.example ({instance / 'portal.toml'}: public_url) and "
        f"portal_url https://www.proleader.fi/requests/ ({REPO_ROOT / 'content' / 'site.yaml'}) "
        "disagree: the portal is at https://portal.example/requests/ (PUBLIC_URL + URL_PREFIX "
        "/requests + /); set one, or make them equal"
    )
    agreeing = make_app(PUBLIC_URL="https://www.proleader.fi/")
    assert agreeing.config["PUBLIC_URL"] == "https://www.proleader.fi/"


def test_portal_url_must_end_in_the_url_prefix(make_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = content_with_portal_url(
        tmp_path / "c", "https://www.proleader.fi/tietosuoja/pyynnot/"
    )
    with pytest.raises(ConfigurationError) as caught:
        make_app(CONTENT_DIR=str(content))
    assert str(caught.value) == (
        f"portal_url https://www.proleader.fi/tietosuoja/pyynnot/ ({content / 'site.yaml'}) "
        "does not end in URL_PREFIX /requests (default) + /: make them agree, "
        "or set PUBLIC_URL"
    )
    app = make_app(CONTENT_DIR=str(content), URL_PREFIX="/tietosuoja/pyynnot")
    assert app.config["PUBLIC_URL"] == "https://www.proleader.fi"


def test_without_portal_url_the_public_url_is_loopback(make_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = content_with_portal_url(tmp_path / "c", None)
    assert make_app(CONTENT_DIR=str(content)).config["PUBLIC_URL"] == "http://127.0.0.1:8000"
    given = make_app(CONTENT_DIR=str(content), PUBLIC_URL="https://tietosuoja.example.fi")
    assert given.config["PUBLIC_URL"] == "https://tietosuoja.example.fi"
