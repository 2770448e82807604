"""Records as JSON-LD in W3C DPV terms: one `dpv:Process` per activity, every language at once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from notice.export import (
    DPV_ART9,
    DPV_CONTEXT,
    DPV_DEROGATIONS,
    DPV_LEGAL_BASES,
    DPV_RECIPIENTS,
    DPV_SPECIAL,
    DPV_TRANSFERS,
    dumps,
    website_analytics,
)
from notice.records.rows import Activity, Decision, Party, Receiver, Transfer

CONTEXT: dict[str, str] = {**DPV_CONTEXT, "xsd": "http://www.w3.org/2001/XMLSchema#"}
"""The notice's JSON-LD context, and XML Schema datatypes for dates."""

DEROGATION = "dpv:DataTransferLegalBasis"
"""A derogation whose Art 49 ground is not given: DPV has no term for Art 49(1) as a whole (its
terms are the points, `eu-gdpr:A49-1-a` to `-g`), so the general transfer basis stands in."""


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
    if party.dpo is not None:
        node["dpv:hasDataProtectionOfficer"] = _party(party.dpo, "dpv:DataProtectionOfficer")
    return node


def _transfer(transfer: Transfer) -> dict[str, Any]:
    grounds = [DPV_TRANSFERS[m] for m in transfer.mechanisms if m in DPV_TRANSFERS]
    if transfer.derogation_ground:
        grounds.append(DPV_DEROGATIONS[transfer.derogation_ground])
    elif "derogation" in transfer.mechanisms:
        grounds.append(DEROGATION)
    node: dict[str, Any] = {
        "@type": "dpv:Transfer",
        "dpv:hasRecipient": {"dpv:hasName": _texts(transfer.recipient)},
        "dpv:hasLegalBasis": [{"@id": ground} for ground in grounds],
    }
    if transfer.country:
        node["dpv:hasThirdCountry"] = _country(transfer.country)
    if transfer.decision:
        node["dct:references"] = _texts(transfer.decision)
    if transfer.scc_module:
        node["dpv:hasLegalMeasure"] = {
            "@type": "dpv:LegalMeasure",
            "dct:title": f"SCC {transfer.scc_module.replace('_', ' ')}",
        }
    if transfer.impact_assessment:
        node["dpv:hasImpactAssessment"] = {
            "@type": "dpv:ImpactAssessment",
            "dct:description": _texts(transfer.impact_assessment),
        }
    if transfer.details:
        node["dct:description"] = _texts(transfer.details)
    if transfer.service:
        # The website analytics' transfer (`Register.website_transfers`), as the notice marks it.
        node.update(website_analytics(transfer.service))
    return node


def _decision(decision: Decision) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "dpv:AutomatedDecisionMaking",
        "dct:description": _texts(decision.description),
    }
    for key, text in (
        ("dpv:hasAlgorithmicLogic", decision.logic),
        ("dpv:hasImpact", decision.significance),
        ("dpv:hasConsequence", decision.consequences),
    ):
        if text:
            node[key] = {"dct:description": _texts(text)}
    return node


def _recipient(receiver: Receiver) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": DPV_RECIPIENTS.get(receiver.role, "dpv:Recipient"),
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
        "dpv:hasLegalBasis": [{"@id": DPV_LEGAL_BASES[basis]} for basis in activity.legal_bases],
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
                "@type": "dpv:SensitivePersonalData"
                if item.kind == "criminal"
                else ["dpv:SpecialCategoryPersonalData", DPV_SPECIAL[item.kind]],
                "dct:description": _texts(item.category),
                **(
                    {"dpv:hasLegalBasis": {"@id": DPV_ART9[item.condition]}}
                    if item.condition
                    else {}
                ),
                **({"dpv:hasApplicableLaw": _texts(item.law)} if item.law else {}),
            }
            for item in activity.special_categories
        ],
        "dpv:hasDataSource": [
            {"@type": "dpv:DataSource", "dct:description": _texts(t)} for t in activity.sources
        ]
        + [
            {
                "@type": "dpv:DataSource",
                "dpv:hasName": _texts(source.name),
                "dct:subject": _texts(source.category),
                **({"dpv:hasDataSource": {"@id": "dpv:PublicDataSource"}} if source.public else {}),
            }
            for source in activity.named_sources
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
        # DPV has no property for the interest; it is the legal basis, described.
        node["dpv:hasLegalBasis"].append(
            {
                "@type": "dpv:LegitimateInterest",
                "dct:description": _texts(activity.legitimate_interest),
            }
        )
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
        node["dpv:hasProcessing"] = [_transfer(t) for t in activity.transfers]
    if isinstance(activity.automated_decisions, tuple):
        node["dpv:hasContext"] = [_decision(d) for d in activity.automated_decisions]
    if activity.national_law:
        node["dpv:hasApplicableLaw"] = _texts(activity.national_law)
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
    return dumps(document)
