"""Machine-readable exports of the notice: the model as JSON, an index, the consent configuration.

The JSON is the model itself (the same shape as the YAML), so a program that reads it needs no
other documentation than `notice schema`. Keys are sorted and dates are ISO 8601, so the files
change only when the content does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from notice.model import CookieCategory, Register, Site
from notice.render import absolute, json_path, pdf_path, register_path


def dumps(payload: Any) -> str:
    """Serialise `payload` as stable, readable JSON (sorted keys, UTF-8 text, final newline)."""
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def register_json(register: Register) -> str:
    """Return the validated register as JSON."""
    return dumps(register.model_dump(mode="json", exclude_none=True))


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
