"""Every `notice check --explain` example pastes into a site in Finnish, Swedish and English.

An example with only `{en: ...}` texts, pasted into a fi/sv/en site, is a load error ("missing
translation for language 'sv'") before it fixes anything. Each example is put where it belongs in
the default content (fi, sv, en) and the content must still load.
"""

from __future__ import annotations

import copy
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from notice.checks import RULES
from notice.checks.report import explain, scan_rules
from notice.loader import ContentError, load_content
from notice.model import Register, Site
from tests import REPO_ROOT

CONTENT = REPO_ROOT / "content"
REGISTER = "asiakasrekisteri"

# Examples that are part of a list item, or an item's own keys: the file and the place they go.
INSIDE: dict[str, tuple[str | int, ...]] = {
    "E05-legal-basis": ("register", "purposes"),
    "E12-consent-withdrawal": ("register", "purposes"),
    "E06-legitimate-interest": ("register", "purposes", 0),
    "E06-interest-is-relationship": ("register", "purposes", 0),
    "E06-interest-without-basis": ("register", "purposes", 0),
    "E08-recipient-name": ("register", "recipients"),
    "E08-recipients-vague": ("register", "recipients"),
    "E09-transfer-details": ("register", "recipients", 0),
    "E09-mechanism-fit": ("register", "recipients", 0),
    "E16-category-source": ("register", "data_categories"),
    "E07-special-condition": ("register", "data_categories"),
    "E07-special-undeclared": ("register", "data_categories"),
    "E07-criminal-authorisation": ("register", "data_categories"),
    "E23-cookie-fields": ("site", "cookies", 0),
    "E23-third-party-access": ("site", "cookies", 0),
    "E15-automated-safeguards": ("register", "automated_decisions", 0),
    "E11-law-one-string": ("register", "restrictions", 0),
}

# Examples of a key that site.yaml and a register both have, for the file the rule is about.
FILE = {"E12-withdrawal": "site", "consent-not-needed": "register", "storage-basis": "site"}

# What the place holds before an example of a part of it is pasted in.
HOSTS: dict[str, dict[str, Any]] = {
    "E15-automated-safeguards": {
        "automated_decisions": [
            {
                "description": {"fi": "Pisteytys.", "sv": "Poängsättning.", "en": "Scoring."},
                "logic": {"fi": "Maksuhistoria.", "sv": "Betalningshistorik.", "en": "History."},
                "significance": {"fi": "Lasku.", "sv": "Faktura.", "en": "Invoice."},
                "consequences": {"fi": "Ennakko.", "sv": "Förskott.", "en": "Prepayment."},
            }
        ]
    },
    "E11-law-one-string": {
        "restrictions": [
            {
                "right": "erasure",
                "reason": {
                    "fi": "Kirjanpitolaki vaatii säilyttämään tiedot.",
                    "sv": "Bokföringslagen kräver att uppgifterna bevaras.",
                    "en": "The Accounting Act requires us to keep the data.",
                },
            }
        ]
    },
    "research-impact-assessment": {"research": {"plan": {"fi": "S.", "sv": "S.", "en": "S."}}},
    "research-safeguards": {"research": {"plan": {"fi": "S.", "sv": "S.", "en": "S."}}},
    "cctv-audio": {
        "cctv": {
            "areas": [{"fi": "Piha.", "sv": "Gården.", "en": "The yard."}],
            "signs": {"fi": "Kyltit.", "sv": "Skyltar.", "en": "Signs."},
            "viewers": {"fi": "Isännöitsijä.", "sv": "Disponenten.", "en": "The manager."},
        }
    },
}


def merge(base: Any, patch: Any) -> Any:
    """Return `base` with `patch` pasted in: mappings key by key, lists item by item."""
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for key, value in patch.items():
            merged[key] = merge(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(patch, list):
        pasted = [
            merge(base[index], item) if index < len(base) else item
            for index, item in enumerate(patch)
        ]
        return pasted + base[len(patch) :]
    return patch


def paste(rule_id: str, scope: str, example: Any, site: dict, register: dict) -> None:
    """Paste `example` into `site` or `register` where it belongs."""
    register.update(HOSTS.get(rule_id, {}))
    if rule_id in INSIDE:
        target, *path = INSIDE[rule_id]
        data = register if target == "register" else site
        *parents, last = path
        node: Any = data
        for key in parents:
            node = node[key]
        node[last] = merge(node[last], example)
        return
    assert isinstance(example, dict), rule_id
    keys = set(example)
    on_site = keys <= set(Site.model_fields) and (
        FILE.get(rule_id, scope) == "site" or not keys <= set(Register.model_fields)
    )
    assert on_site or keys <= set(Register.model_fields), (rule_id, keys)
    data = site if on_site else register
    data.update(merge(data, example))


EXAMPLES = [rule for rule in [*RULES, *scan_rules()] if rule.example.strip()]


@pytest.mark.parametrize("rule", EXAMPLES, ids=[rule.id for rule in EXAMPLES])
def test_every_example_loads_into_a_finnish_swedish_and_english_site(
    tmp_path: Path, rule: Any
) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    site_path, register_path = root / "site.yaml", root / "registers" / f"{REGISTER}.yaml"
    site = yaml.safe_load(site_path.read_text(encoding="utf-8"))
    register = yaml.safe_load(register_path.read_text(encoding="utf-8"))
    assert site["languages"] == ["fi", "sv", "en"]
    # What the author copies: the example as `--explain` prints it, indented by four.
    printed = explain(rule.id).split("\nExample:\n", 1)[1]
    example = yaml.safe_load(textwrap.dedent(printed))
    assert example == yaml.safe_load(textwrap.dedent(rule.example))
    paste(rule.id, rule.scope, copy.deepcopy(example), site, register)
    dump = {"allow_unicode": True, "sort_keys": False}
    site_path.write_text(yaml.safe_dump(site, **dump), encoding="utf-8")
    register_path.write_text(yaml.safe_dump(register, **dump), encoding="utf-8")
    try:
        load_content(root, allow_html=True)
    except ContentError as exc:
        pytest.fail("\n".join(str(error) for error in exc.errors))
