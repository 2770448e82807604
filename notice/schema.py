"""JSON Schema of the content files, generated from the model, for editors' completion and checks.

Editors such as VS Code (YAML extension) read a `# yaml-language-server: $schema=...` line at the
top of a YAML file. The schema is shaped for them: a localized text lists its languages as
properties (so they are completed), and mappings keyed by an enumeration (slugs, rights) list every
key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, JsonSchemaValue
from pydantic_core import core_schema

from notice.model import SUPPORTED_LANGUAGES, Register, Site, Text

SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "site.schema.json": Site,
    "register.schema.json": Register,
}
"""File name of each schema under `docs/schema/`, and the model it describes."""

# The validator that makes a mapping a localized text; it identifies `Text` in the core schema.
_TEXT_VALIDATOR = Text.__metadata__[0].func
_TEXT_MARK = "x-seloste-text"
_TEXT_DEF: JsonSchemaValue = {
    "type": "object",
    "description": "A localized text: one key per language listed in site.yaml. Markdown "
    "allowed, raw HTML not.",
    "properties": {lang: {"type": "string"} for lang in SUPPORTED_LANGUAGES},
    "additionalProperties": False,
    "minProperties": 1,
}


class _ContentSchema(GenerateJsonSchema):
    """Pydantic's generator, with localized texts given their own definition."""

    def function_after_schema(
        self, schema: core_schema.AfterValidatorFunctionSchema
    ) -> JsonSchemaValue:
        """Mark a localized text (the model's only after-validator on a mapping) for `generate`."""
        if schema["function"]["function"] is _TEXT_VALIDATOR:
            return {_TEXT_MARK: True}
        return super().function_after_schema(schema)

    def generate(self, schema: core_schema.CoreSchema, mode: JsonSchemaMode = "validation") -> Any:
        """Generate the schema, then resolve the text marks and enumeration-keyed mappings."""
        result = super().generate(schema, mode)
        definitions = result.setdefault("$defs", {})
        _rewrite(result, definitions)
        definitions["Text"] = _TEXT_DEF
        result["$defs"] = dict(sorted(definitions.items()))
        return result


def _rewrite(node: Any, definitions: dict[str, Any]) -> None:
    """Replace text marks by `$ref: Text` and enum-keyed mappings by explicit properties."""
    if isinstance(node, list):
        for item in node:
            _rewrite(item, definitions)
        return
    if not isinstance(node, dict):
        return
    if node.pop(_TEXT_MARK, False):
        node["$ref"] = "#/$defs/Text"
    names = node.get("propertyNames")
    if isinstance(names, dict) and "$ref" in names:
        # Editors complete `properties`, not `propertyNames`: spell out every allowed key.
        enum = definitions[names["$ref"].rsplit("/", 1)[-1]]["enum"]
        value = node.pop("additionalProperties", {})
        del node["propertyNames"]
        node["properties"] = {key: dict(value) for key in enum}
        node["additionalProperties"] = False
    for child in list(node.values()):
        _rewrite(child, definitions)


def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a content file described by `model`."""
    schema = model.model_json_schema(schema_generator=_ContentSchema)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_json(model: type[BaseModel]) -> str:
    """Return the schema of `model` as the committed JSON text (stable, newline-terminated)."""
    return json.dumps(schema_of(model), ensure_ascii=False, indent=2) + "\n"


def site_schema_json() -> str:
    """Return the JSON Schema text of `site.yaml`."""
    return schema_json(Site)


def register_schema_json() -> str:
    """Return the JSON Schema text of a register file."""
    return schema_json(Register)


def write_schemas(out_dir: Path) -> list[Path]:
    """Write `site.schema.json` and `register.schema.json` into `out_dir`; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMA_FILES.items():
        path = out_dir / name
        path.write_text(schema_json(model), encoding="utf-8")
        written.append(path)
    return written
