"""Machine-readable exports of the notice: the model as JSON, an index, the consent configuration.

The JSON is the model itself (the same shape as the YAML), so a program that reads it needs no
other documentation than `notice schema`. The JSON-LD says the same in the W3C Data Privacy
Vocabulary (DPV), for tools that compare notices across controllers. Keys are sorted and dates are
ISO 8601, so the files change only when the content does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from notice.model import CookieCategory, LegalBasis, RecipientRole, Register, Site
from notice.render import absolute, json_path, jsonld_path, pdf_path, register_path


def dumps(payload: Any) -> str:
    """Serialise `payload` as stable, readable JSON (sorted keys, UTF-8 text, final newline)."""
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def register_json(register: Register) -> str:
    """Return the validated register as JSON, without the internal `record` (Art 30) block."""
    return dumps(register.model_dump(mode="json", exclude_none=True, exclude={"record"}))


def register_summary(register: Register) -> dict[str, Any]:
    """Return what lists of registers show: id, names, slugs and dates."""
    return register.model_dump(
        mode="json", include={"id", "name", "slug", "prepared", "updated"}, exclude_none=True
    )


def registers_index_json(site: Site, registers: Iterable[Register], *, pdf: bool) -> str:
    """Return `registers.json`: the controller, languages and where each register's files are."""
    languages = [lang.value for lang in site.languages]
    entries = []
    for register in registers:
        entry = register_summary(register)
        entry["pages"] = {
            lang: absolute(site.base_url, register_path(register, lang)) for lang in languages
        }
        if pdf:
            entry["pdf"] = {
                lang: absolute(site.base_url, pdf_path(register, lang)) for lang in languages
            }
        entry["json"] = absolute(site.base_url, json_path(register))
        entry["jsonld"] = absolute(site.base_url, jsonld_path(register))
        entries.append(entry)
    return dumps(
        {
            "controller": site.controller.model_dump(mode="json", exclude_none=True),
            "languages": languages,
            "base_url": site.base_url,
            "portal_url": site.portal_url,
            "registers": entries,
        }
    )


def consent_config_json(site: Site) -> str:
    """Return `consent.json`: the consent banner's categories and cookies, from the notice's list.

    A banner configured from this file asks about exactly the cookies the notice describes, so
    the two cannot disagree. `necessary` is the only category set without consent (917/2014 §205).
    """
    categories: dict[str, dict[str, Any]] = {
        category.value: {"consent_required": category != CookieCategory.necessary, "cookies": []}
        for category in CookieCategory
    }
    for cookie in site.cookies:
        categories[cookie.category.value]["cookies"].append(
            cookie.model_dump(mode="json", exclude_none=True)
        )
    return dumps(
        {
            "languages": [lang.value for lang in site.languages],
            "categories": categories,
            "settings_url": site.consent.settings_url if site.consent else None,
        }
    )


DPV_CONTEXT: dict[str, str] = {
    "dpv": "https://w3id.org/dpv#",
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
    "dct": "http://purl.org/dc/terms/",
}
"""JSON-LD context: the W3C Data Privacy Vocabulary, its GDPR extension and Dublin Core terms."""

DPV_LEGAL_BASES: dict[LegalBasis, str] = {
    LegalBasis.consent: "eu-gdpr:A6-1-a",
    LegalBasis.contract: "eu-gdpr:A6-1-b",
    LegalBasis.legal_obligation: "eu-gdpr:A6-1-c",
    LegalBasis.vital_interests: "eu-gdpr:A6-1-d",
    LegalBasis.public_task: "eu-gdpr:A6-1-e",
    LegalBasis.legitimate_interests: "eu-gdpr:A6-1-f",
}

DPV_RECIPIENTS: dict[RecipientRole | None, str] = {
    RecipientRole.processor: "dpv:DataProcessor",
    RecipientRole.sub_processor: "dpv:DataSubProcessor",
    RecipientRole.controller: "dpv:DataController",
    RecipientRole.public_authority: "dpv:Authority",
    RecipientRole.internal: "dpv:Recipient",
    None: "dpv:Recipient",
}


def _one_or_many(key: str, values: list[Any]) -> dict[str, Any]:
    """Return `{key: value}` for one value, `{key: [values]}` for several, `{}` for none."""
    if not values:
        return {}
    return {key: values[0] if len(values) == 1 else values}


def _texts(text: dict[str, str]) -> list[dict[str, str]]:
    return [{"@value": value, "@language": lang} for lang, value in sorted(text.items())]


def register_jsonld(site: Site, register: Register) -> str:
    """Return the register as JSON-LD with W3C DPV terms (purposes, legal bases, data, parties)."""
    controller = site.controller
    town = " ".join(part for part in (controller.postal_code, controller.city) if part)
    address = ", ".join(part for part in (controller.street_address, town) if part)
    node: dict[str, Any] = {
        "@context": DPV_CONTEXT,
        "@id": absolute(site.base_url, jsonld_path(register)),
        "@type": "dpv:Process",
        "dct:title": _texts(register.name),
        "dct:created": register.prepared.isoformat(),
        "dpv:hasDataController": {
            "@type": "dpv:DataController",
            "dpv:hasName": controller.name,
            **({"dct:identifier": controller.business_id} if controller.business_id else {}),
            **({"dpv:hasAddress": address} if address else {}),
        },
        "dpv:hasPurpose": [
            {
                "@type": "dpv:Purpose",
                "dct:description": _texts(purpose.description),
                **_one_or_many(
                    "dpv:hasLegalBasis", [{"@id": DPV_LEGAL_BASES[b]} for b in purpose.bases]
                ),
            }
            for purpose in register.purposes
        ],
        "dpv:hasPersonalData": [
            {"@type": "dpv:PersonalData", "dct:description": _texts(category.name)}
            for category in register.data_categories
        ],
        "dpv:hasRecipient": [
            {"@type": DPV_RECIPIENTS[recipient.role], "dpv:hasName": _texts(recipient.name)}
            for recipient in register.recipients
        ],
    }
    if register.updated:
        node["dct:modified"] = register.updated.isoformat()
    if register.data_subjects:
        node["dpv:hasDataSubject"] = {
            "@type": "dpv:DataSubject",
            "dct:description": _texts(register.data_subjects),
        }
    return dumps(node)
