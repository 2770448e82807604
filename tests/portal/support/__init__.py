"""Helpers of the portal tests, imported by name from these modules (never from a conftest)."""
