"""Signed links that stand in for an account: e-mail confirmation and the status page.

Each link carries the request's unguessable reference, signed with the app's secret key and a
purpose-specific salt, so a confirmation link cannot be replayed as a status link (or the other
way round) and neither can be made for another reference. Links expire (`CONFIRM_MAX_AGE_HOURS`,
`STATUS_LINK_MAX_AGE_DAYS`); a bad, foreign or expired link reads as None, and callers answer
all three the same way so that a guess learns nothing.
"""

from __future__ import annotations

from enum import StrEnum

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from portal.config import current_settings


class Purpose(StrEnum):
    """What a link may be used for; each is a separate signing salt."""

    confirm = "seloste.confirm-email.v1"
    status = "seloste.status.v1"


_EXTENSION = "portal_token_serializers"


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    """Return the app's serializer for `purpose`, built once per app and secret key.

    Keyed by the secret too, so changing the key in a running app's config never leaves a
    serializer signing with the old one; a serializer holds no per-request state.
    """
    secret = current_settings().secret_key or ""
    cache: dict[tuple[Purpose, str], URLSafeTimedSerializer] = current_app.extensions.setdefault(
        _EXTENSION, {}
    )
    serializer = cache.get((purpose, secret))
    if serializer is None:
        serializer = cache[(purpose, secret)] = URLSafeTimedSerializer(secret, salt=purpose.value)
    return serializer


def _max_age(purpose: Purpose) -> int:
    settings = current_settings()
    if purpose is Purpose.confirm:
        return settings.confirm_max_age_hours * 3600
    return settings.status_link_max_age_days * 86400


def make_token(purpose: Purpose, reference: str) -> str:
    """Return a signed, timestamped token for `reference` usable only for `purpose`."""
    return _serializer(purpose).dumps(reference)


def read_token(purpose: Purpose, token: str) -> str | None:
    """Return the reference in a valid, unexpired token for `purpose`, else None."""
    try:
        value = _serializer(purpose).loads(token, max_age=_max_age(purpose))
    except BadData:
        return None
    return value if isinstance(value, str) else None
