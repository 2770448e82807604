"""Fixtures for the notice tests: the hypothesis profile (`CI` set: the long run)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Locally a quick sample keeps the edit-test loop fast; CI spends the time on 1,000 examples.
# Tests that need other settings (the portal's) pass their own settings object.
settings.register_profile(
    "notice-dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("notice-ci", settings.get_profile("notice-dev"), max_examples=1000)
settings.load_profile("notice-ci" if os.environ.get("CI") else "notice-dev")
