"""Trigger and near-miss fixtures, and first messages, of the Art 30 record rules."""

from __future__ import annotations

from tests.notice.fixtures_checks import _DELETE, Case, R, _all, _both

RECORD = {"systems": ["Asiakastietojärjestelmä"]}
JAPAN = {
    "recipient": "X KK",
    "country": "Japan",
    "mechanism": "adequacy",
    "details": _both("Päätös (EU) 2019/419.", "Decision (EU) 2019/419."),
}

CASES: dict[str, Case] = {
    "R30-security": Case(
        R("security", _DELETE),
        _all(
            R("security", _DELETE),
            R("record", {"security_measures": _both("Salaus ja MFA.", "Encryption and MFA.")}),
        ),
    ),
    "R30-retention": Case(
        R("retention", _DELETE),
        _all(
            R("retention", _DELETE),
            R(
                "data_categories",
                [{"name": _both("Nimi", "Name"), "retention": _both("1 v", "1 y")}],
            ),
        ),
    ),
    # A transfer listed on its own may be the processor's, whose country is not given; with
    # `transfers: none` (the clean content's) no recipient is abroad, and the record says so.
    "R30-recipient-country": Case(
        _all(R("record", RECORD), R("transfers", [JAPAN])), R("record", RECORD)
    ),
    "R30-review": Case(
        R("record", {**RECORD, "review_date": "2025-06-30"}),
        R("record", {**RECORD, "review_date": "2025-11-24"}),
    ),
}

MESSAGES: list[tuple[str, str | None, str, str]] = [
    (
        "R30-security",
        None,
        "the record of processing would have no description of security measures",
        "käsittelytoimien selosteesta puuttuisi turvatoimien kuvaus",
    ),
    (
        "R30-retention",
        None,
        "the record of processing would give no time limit for erasure of Name",
        "käsittelytoimien seloste ei kertoisi, milloin Nimi poistetaan",
    ),
    (
        "R30-recipient-country",
        None,
        "the record of processing cannot say whether the recipient “Google Ireland Limited” is in "
        "a third country",
        "käsittelytoimien seloste ei kerro, onko vastaanottaja ”Google Ireland Limited” "
        "kolmannessa maassa",
    ),
    (
        "R30-review",
        None,
        "the record of processing was last reviewed on 2025-06-30, over 12 months ago",
        "käsittelytoimien seloste on tarkistettu viimeksi 2025-06-30, yli 12 kuukautta sitten",
    ),
]
