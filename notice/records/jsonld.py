"""Records as JSON-LD in W3C DPV terms: one `dpv:Process` per activity, every language at once."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from notice.records.rows import Activity, Party, Receiver

CONTEXT: dict[str, str] = {
    "dpv": "https://w3id.org/dpv#",
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
    "loc": "https://w3id.org/dpv/loc#",
    "dct": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

LEGAL_BASES: dict[str, str] = {
    "consent": "eu-gdpr:A6-1-a",
    "contract": "eu-gdpr:A6-1-b",
    "legal_obligation": "eu-gdpr:A6-1-c",
    "vital_interests": "eu-gdpr:A6-1-d",
    "public_task": "eu-gdpr:A6-1-e",
    "legitimate_interests": "eu-gdpr:A6-1-f",
}

MECHANISMS: dict[str, str] = {
    "adequacy": "eu-gdpr:A45-3",
    "sccs": "eu-gdpr:A46-2-c",
    "bcr": "eu-gdpr:A46-2-b",
    "derogation": "eu-gdpr:A49-1",
}

RECIPIENT_TYPES: dict[str | None, str] = {
    "processor": "dpv:DataProcessor",
    "controller": "dpv:DataController",
    "authority": "dpv:Authority",
    "internal": "dpv:Recipient",
    None: "dpv:Recipient",
}


def _texts(text: Mapping[str, str]) -> list[dict[str, str]] | str:
    if "" in text:
        return text[""]
    return [{"@value": value, "@language": lang} for lang, value in sorted(text.items())]


def _country(country: str) -> dict[str, str] | str:
    """Return a `loc:` country for an ISO 3166 code, else the country's name as written."""
    code = country.strip()
    return {"@id": f"loc:{code.upper()}"} if len(code) == 2 and code.isalpha() else code


def _party(party: Party, kind: str) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": kind, "dpv:hasName": _texts(party.name)}
    if party.details:
        node["dpv:hasContact"] = list(party.details)
    if party.role:
        node["dct:description"] = _texts(party.role)
    return node


def _recipient(receiver: Receiver) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": RECIPIENT_TYPES.get(receiver.role, "dpv:Recipient"),
        "dpv:hasName": _texts(receiver.name),
    }
    if receiver.country:
        node["dpv:hasCountry"] = _country(receiver.country)
    if receiver.third_country:
        node["dpv:hasThirdCountry"] = _country(receiver.country or "")
    return node


def _process(activity: Activity, base: str) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": f"{base}#{activity.id}",
        "@type": "dpv:Process",
        "dct:identifier": activity.id,
        "dct:isPartOf": _texts(activity.register_name),
        "dpv:hasDataController": _party(activity.controller, "dpv:DataController"),
        "dpv:hasPurpose": {"@type": "dpv:Purpose", "dct:description": _texts(activity.purpose)},
        "dpv:hasLegalBasis": [{"@id": LEGAL_BASES[basis]} for basis in activity.legal_bases],
        "dpv:hasDataSubject": [
            {"@type": "dpv:DataSubject", "dct:description": _texts(t)}
            for t in activity.data_subjects
        ],
        "dpv:hasPersonalData": [
            {"@type": "dpv:PersonalData", "dct:description": _texts(t)}
            for t in activity.data_categories
        ]
        + [
            {
                "@type": "dpv:SpecialCategoryPersonalData",
                "dct:description": _texts(category),
                **({"dpv:hasLegalBasis": {"@id": f"eu-gdpr:{cond}"}} if cond else {}),
            }
            for category, cond in activity.special_categories
        ],
        "dpv:hasDataSource": [
            {"@type": "dpv:DataSource", "dct:description": _texts(t)} for t in activity.sources
        ],
        "dpv:hasRecipient": [_recipient(r) for r in activity.recipients],
        "dpv:hasStorageCondition": [
            {
                "@type": "dpv:StorageDuration",
                "dct:description": _texts(item.period),
                **({"dct:subject": _texts(item.category)} if item.category else {}),
            }
            for item in activity.retention
        ],
        "dpv:hasTechnicalOrganisationalMeasure": [
            {"@type": "dpv:TechnicalOrganisationalMeasure", "dct:description": _texts(m.text)}
            for m in activity.security
        ],
    }
    if activity.legitimate_interest:
        node["dpv:hasLegitimateInterest"] = {
            "@type": "dpv:LegitimateInterest",
            "dct:description": _texts(activity.legitimate_interest),
        }
    if activity.joint_controllers:
        node["dpv:hasJointDataControllers"] = {
            "@type": "dpv:JointDataControllers",
            "dpv:hasDataController": [
                _party(p, "dpv:DataController") for p in activity.joint_controllers
            ],
        }
    if isinstance(activity.representative, Party):
        node["dpv:hasRepresentative"] = _party(activity.representative, "dpv:Representative")
    if isinstance(activity.dpo, Party):
        node["dpv:hasDataProtectionOfficer"] = _party(activity.dpo, "dpv:DataProtectionOfficer")
    if isinstance(activity.transfers, tuple) and activity.transfers:
        node["dpv:hasProcessing"] = [
            {
                "@type": "dpv:Transfer",
                "dpv:hasRecipient": {"dpv:hasName": _texts(t.recipient)},
                "dpv:hasThirdCountry": _country(t.country),
                "dpv:hasLegalBasis": [
                    {"@id": MECHANISMS.get(m, "dpv:LegalBasis")} for m in t.mechanisms
                ],
                **({"dct:description": _texts(t.details)} if t.details else {}),
            }
            for t in activity.transfers
        ]
    if isinstance(activity.automated_decisions, tuple):
        node["dpv:hasContext"] = [
            {"@type": "dpv:AutomatedDecisionMaking", "dct:description": _texts(t)}
            for t in activity.automated_decisions
        ]
    if activity.systems:
        node["dpv:isImplementedUsingTechnology"] = list(activity.systems)
    if activity.review_date:
        node["dct:modified"] = {"@value": activity.review_date.isoformat(), "@type": "xsd:date"}
    return node


def records_jsonld(items: Sequence[Activity], *, base: str, title: str) -> str:
    """Return the records as a JSON-LD document (sorted keys, UTF-8 text, final newline)."""
    header = {"@id": base, "@type": "dpv:RecordsOfActivities", "dct:title": title}
    document = {
        "@context": CONTEXT,
        "@graph": [header, *(_process(activity, base) for activity in items)],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
