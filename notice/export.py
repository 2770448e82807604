"""Machine-readable exports of the notice: the model as JSON, an index, the consent configuration.

The JSON is the model itself (the same shape as the YAML), so a program that reads it needs no
other documentation than `notice schema`; the one key the YAML has not, `website_transfers`, lists
the website analytics' transfers (site.yaml `analytics.transfers`, in the shape of `transfers`)
that the notice states for a register with `website: true` besides the register's own. The
JSON-LD says the same in the W3C Data Privacy Vocabulary (DPV), for tools that compare notices
across controllers. Keys are sorted and dates are ISO 8601, so the files change only when the
content does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from pydantic_core import to_json

from notice import banner, countries
from notice.model import (
    Art9Condition,
    Art49Ground,
    AutomatedDecision,
    Cctv,
    Contact,
    Controller,
    Cookie,
    CookieCategory,
    DataCategory,
    DirectMarketing,
    Dpo,
    JointController,
    LegalBasis,
    MarketingBasis,
    Purpose,
    Recipient,
    RecipientRole,
    Register,
    Research,
    Right,
    RightExtent,
    Safeguards,
    Site,
    SpecialCategory,
    StorageType,
    Transfer,
    TransferMechanism,
    address_line,
)
from notice.render import (
    absolute,
    analytics_title,
    json_path,
    jsonld_path,
    pdf_path,
    register_path,
)


def dumps(payload: Any) -> str:
    """Serialise `payload` as stable, readable JSON (sorted keys, UTF-8 text, final newline).

    The text is exactly `json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True)`'s.
    With an indent the standard library encodes in pure Python, a tenth of a large site's build;
    pydantic-core's encoder writes the same layout and escapes (two-space indent, `": "`, `[]`
    and `{}` for empty containers, only quote, backslash and control characters escaped, those
    without a short form as lower-case `\\u00XX`), so the keys are sorted here and the rest is
    left to it. Anything but strings, integers, booleans, None, lists, string-keyed dicts and
    floats that both write positionally (a tuple, an exponent, a type the standard library
    refuses) goes to `json.dumps`.
    """
    try:
        ordered = _sorted_plain(payload)
    except _NotPlain:
        return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return to_json(ordered, indent=2).decode("utf-8") + "\n"


class _NotPlain(Exception):
    """The payload holds a value `_sorted_plain` does not pass to pydantic-core."""


_SCALARS = frozenset({str, int, bool, type(None)})
"""Kinds that both encoders write alike, passed as they are (`_sorted_plain` checks the rest)."""

_STR_KEYS = {str}


def _sorted_plain(value: Any) -> Any:
    """Return `value` with every dict's keys in sorted order; raise _NotPlain for other kinds."""
    # Most values of a register are strings: they are taken in place, without a call each.
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is float and (value == 0 or 1e-4 <= abs(value) < 1e15):
        # Written in positional notation with the shortest digits that read back (`2.1`, the
        # content version) by both; beyond this range the exponents are spelled differently.
        return value
    if kind is dict:
        if value and {*map(type, value)} != _STR_KEYS:
            raise _NotPlain
        return {
            key: item if type(item) in _SCALARS else _sorted_plain(item)
            for key, item in sorted(value.items())
        }
    if kind is list:
        return [item if type(item) in _SCALARS else _sorted_plain(item) for item in value]
    raise _NotPlain


WEBSITE_TRANSFERS = "website_transfers"
"""The key of a register's JSON that lists the transfers its notice states from site.yaml: not a
field of the register (the rest of the file is the register as written), so none of its keys."""


def register_json(site: Site, register: Register) -> str:
    """Return the validated register as JSON, without the internal `record` (Art 30) blocks.

    The register's keys are as written; a register with `website: true` whose notice also lists
    the website analytics' transfers (`Register.website_transfers`: those it does not give
    itself) has them under `website_transfers`, each as site.yaml gives it, so that a program
    reading the JSON finds every transfer the notice states (Art 13(1)(f)) without changing what
    the register says of its own."""
    internal = {"record": True, "data_categories": {"__all__": {"record"}}}
    payload = register.model_dump(mode="json", exclude_none=True, exclude=internal)
    website = [
        transfer.safeguards.model_dump(mode="json", exclude_none=True)
        for transfer in register.website_transfers(site)
        if transfer.safeguards is not None
    ]
    if website:
        payload[WEBSITE_TRANSFERS] = website
    return dumps(payload)


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
        if register.controller is not None:
            # The register's own controller (format 2.1), where it is not the site's.
            entry["controller"] = register.controller.model_dump(mode="json", exclude_none=True)
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
    The built site's own banner (`notice.banner`) is named here with its revision, for tools.
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
            # None where every cookie is strictly necessary: the site has no banner to name.
            "banner": {
                "library": banner.LIBRARY,
                "config": banner.CONFIG_PATH,
                "snippet": banner.SNIPPET_PATH,
                "revision": banner.revision(site),
                "cookie": banner.consent_cookie_name(site),
            }
            if banner.asks_consent(site)
            else None,
        }
    )


DPV_CONTEXT: dict[str, str] = {
    "dpv": "https://w3id.org/dpv#",
    "pd": "https://w3id.org/dpv/pd#",
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
    "loc": "https://w3id.org/dpv/loc#",
    "dct": "http://purl.org/dc/terms/",
}
"""JSON-LD context: W3C DPV 2.x, its personal-data, GDPR and location extensions, Dublin Core."""

SCHEMA_ORG = "https://schema.org/"
"""Added to the context of a register that gives a minimum age (`schema:suggestedMinAge`)."""

DPV_LEGAL_BASES: dict[LegalBasis, str] = {
    LegalBasis.consent: "eu-gdpr:A6-1-a",
    LegalBasis.contract: "eu-gdpr:A6-1-b",
    LegalBasis.legal_obligation: "eu-gdpr:A6-1-c",
    LegalBasis.vital_interests: "eu-gdpr:A6-1-d",
    LegalBasis.public_task: "eu-gdpr:A6-1-e",
    LegalBasis.legitimate_interests: "eu-gdpr:A6-1-f",
}

DPV_ART9: dict[Art9Condition, str] = {
    condition: f"eu-gdpr:A9-2-{letter}"
    for condition, letter in zip(Art9Condition, "abcdefghij", strict=True)
}
"""Art 9(2)(a)-(j), in the order the model's enumeration lists them."""

DPV_TRANSFERS: dict[TransferMechanism, str] = {
    TransferMechanism.adequacy: "eu-gdpr:A45-3",
    TransferMechanism.bcr: "eu-gdpr:A46-2-b",
    TransferMechanism.sccs: "eu-gdpr:A46-2-c",
    TransferMechanism.code_of_conduct: "eu-gdpr:A46-2-e",
    TransferMechanism.certification: "eu-gdpr:A46-2-f",
}

DPV_DEROGATIONS: dict[Art49Ground, str] = {
    Art49Ground.explicit_consent: "eu-gdpr:A49-1-a",
    Art49Ground.contract: "eu-gdpr:A49-1-b",
    Art49Ground.contract_in_interest: "eu-gdpr:A49-1-c",
    Art49Ground.public_interest: "eu-gdpr:A49-1-d",
    Art49Ground.legal_claims: "eu-gdpr:A49-1-e",
    Art49Ground.vital_interests: "eu-gdpr:A49-1-f",
    Art49Ground.public_register: "eu-gdpr:A49-1-g",
    Art49Ground.compelling_legitimate_interests: "eu-gdpr:A49-2",
}

DPV_SPECIAL: dict[SpecialCategory, str] = {
    SpecialCategory.racial_or_ethnic_origin: "pd:EthnicOrigin",
    SpecialCategory.political_opinions: "pd:PoliticalOpinion",
    SpecialCategory.religious_or_philosophical_beliefs: "pd:ReligiousBelief",
    SpecialCategory.trade_union_membership: "pd:TradeUnionMembership",
    SpecialCategory.genetic: "pd:Genetic",
    SpecialCategory.biometric: "pd:Biometric",
    SpecialCategory.health: "pd:Health",
    SpecialCategory.sex_life: "pd:SexualHistory",
    SpecialCategory.sexual_orientation: "pd:SexualPreference",
}

DPV_RECIPIENTS: dict[RecipientRole | None, str] = {
    RecipientRole.processor: "dpv:DataProcessor",
    RecipientRole.sub_processor: "dpv:DataSubProcessor",
    RecipientRole.controller: "dpv:DataController",
    RecipientRole.public_authority: "dpv:Authority",
    RecipientRole.internal: "dpv:Recipient",
    None: "dpv:Recipient",
}


DPV_RIGHTS: dict[Right, str] = {
    Right.access: "eu-gdpr:A15",
    Right.rectification: "eu-gdpr:A16",
    Right.erasure: "eu-gdpr:A17",
    Right.restriction: "eu-gdpr:A18",
    Right.portability: "eu-gdpr:A20",
    Right.objection: "eu-gdpr:A21",
    Right.withdraw_consent: "eu-gdpr:A7-3",
    Right.complaint: "eu-gdpr:A77",
}
"""The GDPR extension's data-subject rights, by the article that grants each."""


def _rights(register: Register) -> dict[str, Any]:
    """Return the rights that apply (restricted ones with why) and notices of those that don't.

    The same decision as the notice's rights section and the portal's offer
    (`Register.applicable_rights`): a right that applies is a `dpv:hasRight`; a restricted one
    carries the register's reason and law; one that does not apply is a
    `dpv:RightNonFulfilmentNotice` with the reason, when the register gives one.
    """
    declared = {restriction.right: restriction for restriction in register.restrictions}
    rights: list[dict[str, Any]] = []
    notices: list[dict[str, Any]] = []
    for right, extent in register.applicable_rights().items():
        term = DPV_RIGHTS.get(right)
        if term is None:
            continue
        why = declared.get(right)
        details: dict[str, Any] = {}
        if why is not None:
            details = {
                **_described("dct:description", why.reason),
                **_law("dpv:hasApplicableLaw", why.law),
            }
        if extent == RightExtent.not_applicable:
            notices.append(
                {"@type": "dpv:RightNonFulfilmentNotice", "dpv:hasRight": {"@id": term}, **details}
            )
        else:
            rights.append({"@id": term, "@type": "dpv:DataSubjectRight", **details})
    node: dict[str, Any] = {"dpv:hasRight": rights}
    if notices:
        node["dpv:hasNotice"] = notices
    return node


def _one_or_many(key: str, values: list[Any]) -> dict[str, Any]:
    """Return `{key: value}` for one value, `{key: [values]}` for several, `{}` for none."""
    if not values:
        return {}
    return {key: values[0] if len(values) == 1 else values}


def _law(key: str, law: str | dict[str, str] | None) -> dict[str, Any]:
    """Return a law reference: one string as it is, a localized one as language-tagged texts."""
    if not law:
        return {}
    return {key: law if isinstance(law, str) else _texts(law)}


def _texts(text: dict[str, str]) -> list[dict[str, str]]:
    return [{"@value": value, "@language": lang} for lang, value in sorted(text.items())]


def _described(key: str, text: dict[str, str] | None) -> dict[str, Any]:
    return {key: _texts(text)} if text else {}


def _entity(contact: Contact | Dpo | Controller, kind: str) -> dict[str, Any]:
    """Return a controller, DPO or representative as a DPV entity."""
    node: dict[str, Any] = {"@type": kind}
    names = getattr(contact, "localized_name", None) or getattr(contact, "title", None)
    if names:
        node["dpv:hasName"] = _texts(names)
    elif contact.name:
        node["dpv:hasName"] = contact.name
    if getattr(contact, "business_id", None):
        node["dct:identifier"] = contact.business_id  # type: ignore[union-attr]
    address = address_line(contact.street_address, contact.postal_code, contact.city)
    if address:
        node["dpv:hasAddress"] = address
    contacts = [f"mailto:{contact.email}"] if contact.email else []
    contacts += (
        [f"tel:{''.join(c for c in contact.phone if c.isdigit() or c == '+')}"]
        if contact.phone
        else []
    )
    node.update(_one_or_many("dpv:hasContact", contacts))
    return node


def _transfer_bases(safeguards: Safeguards | None) -> list[dict[str, str]]:
    if safeguards is None:
        return []
    bases = [DPV_TRANSFERS[m] for m in safeguards.all_mechanisms if m in DPV_TRANSFERS]
    if safeguards.derogation_ground is not None:
        bases.append(DPV_DEROGATIONS[safeguards.derogation_ground])
    return [{"@id": basis} for basis in bases]


SCC_DECISION = "https://eur-lex.europa.eu/eli/dec_impl/2021/914/oj"
"""Commission Implementing Decision (EU) 2021/914: the standard contractual clauses."""


def _transfer_measures(safeguards: Safeguards | None) -> dict[str, Any]:
    """Return what else a transfer's ground says: the decision, the SCC module, the TIA."""
    if safeguards is None:
        return {}
    measures: list[dict[str, Any]] = []
    if safeguards.scc_module is not None:
        module = list(type(safeguards.scc_module)).index(safeguards.scc_module) + 1
        measures.append(
            {
                "@type": "dpv:LegalMeasure",
                "dct:source": SCC_DECISION,
                "dct:title": f"module {module}: {safeguards.scc_module.value.replace('_', ' ')}",
            }
        )
    if safeguards.impact_assessment:
        measures.append(
            {
                "@type": "dpv:ImpactAssessment",
                **_described("dct:description", safeguards.impact_assessment),
            }
        )
    return {
        **_law("dct:references", safeguards.decision),
        **_one_or_many("dpv:hasLegalMeasure", measures),
    }


def _recipient(recipient: Recipient) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": DPV_RECIPIENTS[recipient.role],
        "dpv:hasName": _texts(recipient.name),
        **_described("dct:description", recipient.purpose),
    }
    if recipient.country:
        node["dpv:hasCountry"] = {"@id": f"loc:{recipient.country}"}
        if countries.is_third_country(recipient.country):
            node.update(_one_or_many("dpv:hasLegalBasis", _transfer_bases(recipient.transfer)))
            node.update(_transfer_measures(recipient.transfer))
    if recipient.id:
        node["@id"] = f"#recipient-{recipient.id}"
    if recipient.processor:
        node["dpv:isImplementedByEntity"] = {"@id": f"#recipient-{recipient.processor}"}
    return node


def website_analytics(service: str) -> dict[str, Any]:
    """Return the mark of a transfer the website's analytics makes (site.yaml
    `analytics.transfers`, which a register's JSON lists under `website_transfers`): the
    analytics service (`Google Analytics`) as the technology the transfer is made with. The
    notice's JSON-LD and the records' mark it alike, so a program tells these transfers from
    the register's own in either."""
    return {"dpv:isImplementedUsingTechnology": {"@type": "dpv:Technology", "dct:title": service}}


def _listed_transfer(transfer: Transfer) -> dict[str, Any]:
    return {
        "@type": "dpv:Recipient",
        "dpv:hasName": transfer.recipient,
        "dpv:hasCountry": {"@id": f"loc:{transfer.country}"},
        **_one_or_many("dpv:hasLegalBasis", _transfer_bases(transfer)),
        **_transfer_measures(transfer),
    }


def _purpose(purpose: Purpose) -> dict[str, Any]:
    kinds = ["dpv:Purpose", *(["dpv:DirectMarketing"] if purpose.direct_marketing else [])]
    node: dict[str, Any] = {
        "@type": kinds[0] if len(kinds) == 1 else kinds,
        "dct:description": _texts(purpose.description),
        **_one_or_many("dpv:hasLegalBasis", [{"@id": DPV_LEGAL_BASES[b]} for b in purpose.bases]),
        **_described("dpv:hasApplicableLaw", purpose.national_law),
        **_one_or_many(
            "dpv:hasPersonalData", [{"@id": f"#data-{i}"} for i in purpose.data_categories]
        ),
    }
    if purpose.id:
        node["@id"] = f"#purpose-{purpose.id}"
    if purpose.data_subjects:
        node["dpv:hasDataSubject"] = {
            "@type": "dpv:DataSubject",
            "dct:description": _texts(purpose.data_subjects),
        }
    return node


def _personal_data(category: DataCategory) -> dict[str, Any]:
    kinds = ["dpv:PersonalData"]
    bases = []
    if category.special is not None:
        kinds = [DPV_SPECIAL[category.special.category], "dpv:SpecialCategoryPersonalData"]
        if category.special.condition is not None:
            bases.append({"@id": DPV_ART9[category.special.condition]})
    if category.criminal is not None:
        kinds = ["pd:Criminal", *kinds[1:]] if category.special is None else [*kinds, "pd:Criminal"]
    node: dict[str, Any] = {
        "@type": kinds[0] if len(kinds) == 1 else kinds,
        "dct:description": _texts(category.name),
        **_one_or_many("dpv:hasLegalBasis", bases),
    }
    if category.id:
        node["@id"] = f"#data-{category.id}"
    if category.retention:
        node["dpv:hasStorageCondition"] = {
            "@type": "dpv:StorageDuration",
            "dct:description": _texts(category.retention),
        }
    sources = [
        {
            "@type": "dpv:DataSource",
            "dct:description": "data subject" if source == "data_subject" else _texts(source.name),
        }
        for source in category.sources
    ]
    node.update(_one_or_many("dpv:hasDataSource", sources))
    return node


def _decision(decision: AutomatedDecision) -> dict[str, Any]:
    return {
        "@type": "dpv:AutomatedDecisionMaking",
        "dct:description": _texts(decision.description),
        **_described("dpv:hasAlgorithmicLogic", decision.logic),
        **_described("dpv:hasConsequence", decision.consequences),
        **_one_or_many("dpv:hasPurpose", [{"@id": f"#purpose-{i}"} for i in decision.purposes]),
    }


def _joint(joint: JointController) -> dict[str, Any]:
    node = {**_entity(joint, "dpv:DataController"), **_described("dct:description", joint.role)}
    if joint.dpo is not None:
        node["dpv:hasDataProtectionOfficer"] = _entity(joint.dpo, "dpv:DataProtectionOfficer")
    return node


def _measure(kind: str, text: dict[str, str] | None) -> list[dict[str, Any]]:
    return [{"@type": kind, "dct:description": _texts(text)}] if text else []


def _research(research: Research) -> list[dict[str, Any]]:
    """Return a study's plan, review, DPIA, key holder and archive as DPV measures."""
    return [
        *_measure("dpv:OrganisationalMeasure", research.plan),
        *_measure("dpv:ReviewProcedure", research.ethics_review),
        *_measure("dpv:DPIA", research.impact_assessment),
        *_measure("dpv:Pseudonymisation", research.pseudonymisation_key),
        *_measure("dpv:OrganisationalMeasure", research.archive),
    ]


def _cctv(cctv: Cctv) -> dict[str, Any]:
    """Return camera surveillance as a context: its areas, signs, sound and viewers."""
    return {
        "@type": "dpv:Context",
        "dct:title": "camera surveillance, image and sound"
        if cctv.audio
        else "camera surveillance, image only",
        "dpv:hasLocation": [
            {"@type": "dpv:Location", "dct:description": _texts(area)} for area in cctv.areas
        ],
        "dpv:hasNotice": {"@type": "dpv:Notice", "dct:description": _texts(cctv.signs)},
        "dpv:hasOrganisationalMeasure": _measure("dpv:AccessControlMethod", cctv.viewers)[0],
    }


MARKETING_TERMS: dict[MarketingBasis, str] = {
    MarketingBasis.consent: "consent (917/2014 s 200(1))",
    MarketingBasis.customer_relationship: "existing customer, unless refused (917/2014 s 200(2))",
    MarketingBasis.legal_person: "legal person, unless refused (917/2014 s 201)",
    MarketingBasis.opt_out: "until refused (GDPR Art 21(2))",
}


def _marketing(marketing: DirectMarketing) -> dict[str, Any]:
    return {
        "@type": "dpv:DirectMarketing",
        "dct:description": [
            f"{item.channel.value}: {MARKETING_TERMS[item.basis]}" for item in marketing.channels
        ],
        **_one_or_many("dpv:hasNotice", _measure("dpv:Notice", marketing.refusal)),
    }


DPV_TECH = "https://w3id.org/dpv/tech#"
"""DPV's technology extension, added to the context of a register that lists its cookies."""

TECH_TYPES: dict[StorageType | None, str] = {
    None: "tech:Cookie",
    StorageType.cookie: "tech:Cookie",
    StorageType.local_storage: "tech:LocalStorage",
    StorageType.session_storage: "tech:LocalStorage",
    StorageType.sdk_identifier: "tech:Technology",
}


def _technology(cookie: Cookie) -> dict[str, Any]:
    return {
        "@type": TECH_TYPES[cookie.storage],
        "dct:title": cookie.name,
        "dct:type": (cookie.storage.value if cookie.storage else "cookie"),
        "dct:publisher": cookie.provider,
        "dct:description": _texts(cookie.purpose),
        "dpv:hasStorageCondition": {
            "@type": "dpv:StorageDuration",
            "dct:description": _texts(cookie.duration),
        },
    }


def register_jsonld(site: Site, register: Register) -> str:
    """Return the register as JSON-LD in W3C DPV terms: parties, purposes, data, rights."""
    controller = _entity(register.controller or site.controller, "dpv:DataController")
    node: dict[str, Any] = {
        "@context": DPV_CONTEXT,
        "@id": absolute(site.base_url, jsonld_path(register)),
        "@type": "dpv:Process",
        "dct:title": _texts(register.name),
        "dct:created": register.prepared.isoformat(),
        "dpv:hasDataController": controller,
        "dpv:hasPurpose": [_purpose(purpose) for purpose in register.purposes],
        "dpv:hasPersonalData": [_personal_data(c) for c in register.data_categories],
        **_rights(register),
    }
    recipients = [_recipient(recipient) for recipient in register.recipients]
    if isinstance(register.transfers, list):
        recipients += [_listed_transfer(transfer) for transfer in register.transfers]
    # The website's analytics transfers the notice lists too (`website: true`), as the page does,
    # marked as the analytics' (`website_transfers` in the register's JSON).
    website = [t.safeguards for t in register.website_transfers(site)]
    mark = website_analytics(analytics_title(site))
    recipients += [{**_listed_transfer(t), **mark} for t in website if isinstance(t, Transfer)]
    node["dpv:hasRecipient"] = recipients
    if register.updated:
        node["dct:modified"] = register.updated.isoformat()
    if register.joint_controllers:
        node["dpv:hasJointDataControllers"] = {
            "@type": "dpv:JointDataControllers",
            "dpv:hasDataController": [controller]
            + [_joint(joint) for joint in register.joint_controllers],
            **_described(
                "dct:description",
                next((j.essence for j in register.joint_controllers if j.essence), None),
            ),
        }
    dpo = register.dpo_for(site)
    if dpo is not None and dpo != "none":
        node["dpv:hasDataProtectionOfficer"] = _entity(dpo, "dpv:DataProtectionOfficer")
    representative = register.representative or site.representative
    if representative is not None and representative != "none":
        node["dpv:hasRepresentative"] = _entity(representative, "dpv:Representative")
    if register.data_subjects or register.children:
        subject: dict[str, Any] = {
            "@type": ["dpv:DataSubject", "dpv:Child"] if register.children else "dpv:DataSubject",
            **_described("dct:description", register.data_subjects),
        }
        children = register.children
        if children is not None and children.minimum_age is not None:
            subject["schema:suggestedMinAge"] = children.minimum_age
            node["@context"] = {**node["@context"], "schema": SCHEMA_ORG}
        if children is not None and children.parental_consent:
            subject["dpv:hasOrganisationalMeasure"] = _measure(
                "dpv:OrganisationalMeasure", children.parental_consent
            )[0]
        node["dpv:hasDataSubject"] = subject
    if register.retention:
        node["dpv:hasStorageCondition"] = {
            "@type": "dpv:StorageDuration",
            "dct:description": _texts(register.retention),
        }
    contexts: list[dict[str, Any]] = []
    if isinstance(register.automated_decisions, list):
        contexts += [_decision(d) for d in register.automated_decisions]
    contexts += _measure("dpv:Profiling", register.profiling)
    if register.cctv is not None:
        contexts.append(_cctv(register.cctv))
    if contexts:
        node["dpv:hasContext"] = contexts
    measures = _research(register.research) if register.research else []
    if register.health is not None:
        # The Client Data Act's rights (784/2021 ss 17-18) beside the GDPR's.
        node["dpv:hasRight"] += _measure("dpv:DataSubjectRight", register.health.kanta_refusal)
        node["dpv:hasRight"] += _measure("dpv:DataSubjectRight", register.health.access_log)
    if measures:
        node["dpv:hasOrganisationalMeasure"] = measures
    if isinstance(register.marketing, DirectMarketing):
        node["dpv:hasPurpose"].append(_marketing(register.marketing))
    if register.cookies:
        node["@context"] = {**node["@context"], "tech": DPV_TECH}
        node["dpv:isImplementedUsingTechnology"] = [_technology(c) for c in register.cookies]
    return dumps(node)
