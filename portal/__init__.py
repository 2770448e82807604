"""Seloste request portal: data subjects submit GDPR requests, staff answer them on time."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portal.config import (
    ConfigurationError,
    Settings,
    current_settings,
    install,
    instance_path,
    load_settings,
    with_content,
)
from portal.core.paths import STATIC_DIR, TEMPLATES_DIR

if TYPE_CHECKING:  # Flask is imported by create_app: `portal --help` needs none of it
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the portal application from defaults, instance file, environment and `config`."""
    from flask import Flask

    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(TEMPLATES_DIR),
        static_folder=str(STATIC_DIR),
        static_url_path="/static",
    )
    app.instance_path = str(instance_path(config.get("INSTANCE_PATH") if config else None))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    settings = load_settings(Path(app.instance_path), config)
    if not settings.secret_key:
        raise ConfigurationError(
            "no SECRET_KEY: set PORTAL_SECRET_KEY or run `portal init` (writes instance/secret_key)"
        )
    app.config.update(config or {})  # Flask's and its extensions' own keys (TESTING, …)
    install(app, settings)
    settings = _settings_with_content(app, settings)
    install(app, settings)
    from flask_wtf.csrf import CSRFProtect

    from portal import db
    from portal.web import bodylimits, errors, favicon, i18n, notice_site, ratelimit, security

    # First: every later hook that reads the body (security's part-name check, CSRF) must read
    # it within the limit bodylimits chooses for the route before anything reads it.
    bodylimits.init_app(app)
    security.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    CSRFProtect(app)  # every POST, PUT, PATCH and DELETE needs the session's token
    ratelimit.init_app(app)
    errors.init_app(app)

    from portal.web import downloads, identify, intake, replies, staff, staff_consent, verify

    # Portal assets also live under the prefix, so a proxy that forwards only URL_PREFIX to
    # the portal (the notice site elsewhere) still serves its stylesheet and fonts.
    prefix = settings.url_prefix
    app.add_url_rule(
        prefix + "/static/<path:filename>",
        endpoint="portal_static",
        view_func=app.send_static_file,
    )
    app.register_blueprint(intake.bp, url_prefix=prefix)
    app.register_blueprint(downloads.bp, url_prefix=prefix)
    app.register_blueprint(replies.bp, url_prefix=prefix)
    app.register_blueprint(staff.bp, url_prefix=prefix + "/staff")
    staff_consent.init_app(app)
    app.register_blueprint(verify.bp, url_prefix=prefix)
    identify.init_app(app)
    ratelimit.limit_endpoint(app, "verify.verify", "RATELIMIT_VERIFY")
    ratelimit.limit_endpoint(app, "downloads.unlock", "RATELIMIT_UNLOCK")
    # Submissions count when accepted: a person correcting a form is not held back by it.
    ratelimit.limit_endpoint(
        app, "intake.new_request", "RATELIMIT_SUBMIT", deduct_when=ratelimit.accepted
    )
    ratelimit.limit_endpoint(
        app,
        "intake.new_request",
        "RATELIMIT_SUBMIT_EMAIL",
        key_func=ratelimit.email_key,
        deduct_when=ratelimit.accepted,
    )
    from portal.web import consent

    consent.init_app(app)  # the cookie banner's consent records (its own CSRF defence)
    notice_site.init_app(app)
    favicon.init_app(app)  # /favicon.ico: a rule of its own, taken before the site's catch-all
    from portal.web import theme

    theme.init_app(app)  # site.yaml's logo, colours and display name on every page
    if settings.proxy_fix:  # last, outermost: every WSGI layer (consent.FastConsent) sees its fix
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = settings.proxy_fix
        # Trust exactly this many proxies: the client address is the one the outermost added.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    from portal.core import filekeys, keys

    try:
        keys.check_instance_key(app)  # instances sharing a database must sign with one key
        filekeys.check_master_key(app)  # ... and wrap file keys under one master key
    except ConfigurationError:
        app.extensions["db_engine"].dispose()
        raise
    from portal.core import audit

    audit.init_app(app)  # appends sign a checkpoint every audit.CHECKPOINT_EVERY events
    if settings.warm_up and not app.testing:
        from portal import warmup

        warmup.warm_up(app)  # before the first visitor, not at it
        warmup.set_aside_what_lasts()  # the collector's pauses stay short (a submit's p99)
    return app


def _settings_with_content(app: Flask, settings: Settings) -> Settings:
    """Return the settings with the public URL and the sender the content gives (`with_content`).

    The content is loaded here once and kept for the app (the pages load it anyway).
    """
    with app.app_context():
        from portal.core import content

        site = content.content().site
        sender = content.contact_email()
    return with_content(settings, site.portal_url, sender, settings.content_path / "site.yaml")


__all__ = ["ConfigurationError", "Settings", "create_app", "current_settings"]
