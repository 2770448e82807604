"""Hypothesis settings of the portal's property tests."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Property tests of the portal: a quick sample locally, a long run when CI is set. A settings
# object rather than a loaded profile, so the notice tests' profile is left alone.
settings.register_profile(
    "portal-dev",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile("portal-ci", settings.get_profile("portal-dev"), max_examples=1000)
PORTAL_HYPOTHESIS = settings.get_profile("portal-ci" if os.environ.get("CI") else "portal-dev")
