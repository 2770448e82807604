"""Submission limits count what was accepted: mistakes are free, every right fits in a day."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from portal.core.models import RequestRight
from tests.portal.support.web import https_client, submit_request


def test_forms_sent_back_to_fix_do_not_count(make_app: Callable[..., Flask]) -> None:
    client = https_client(make_app(RATELIMIT_SUBMIT="2 per hour"))
    mistakes = [
        submit_request(client, "access", "fi", email="ei-osoite").status_code for _ in range(15)
    ]
    assert set(mistakes) == {422}
    accepted = [
        submit_request(client, "access", "fi", email=f"p{n}@example.fi").status_code
        for n in range(3)
    ]
    assert accepted == [303, 303, 429]


def test_one_person_can_use_every_right_in_a_day(make_app: Callable[..., Flask]) -> None:
    client = https_client(make_app())  # the default limits
    statuses = {
        right.value: submit_request(client, right.value, "fi", email="maija@example.fi").status_code
        for right in RequestRight
    }
    assert statuses == dict.fromkeys(statuses, 303)
    assert len(statuses) == 6
