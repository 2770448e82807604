"""Fixtures for the notice tests: hypothesis profiles (`CI` runs the long one)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Locally a quick sample keeps the edit-test loop fast; CI spends the time on 1,000 examples.
settings.register_profile(
    "ci", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
