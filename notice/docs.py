"""Generated documentation: `python -m notice.docs` rewrites every file in `GENERATED`.

The content model is the one table that drives validation, the JSON Schema and
`docs/content-format.md`; a test fails when a committed file differs from what its generator
returns now. To add a generated file, add its path and generator to `GENERATED`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys
import types
import typing
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import Any, Literal

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from notice.model import SUPPORTED_LANGUAGES, Color, Register, Site, Text
from notice.paths import ROOT

GENERATED: tuple[tuple[str, str], ...] = (
    ("docs/content-format.md", "notice.docs:content_format"),
    ("docs/schema/site.schema.json", "notice.schema:site_schema_json"),
    ("docs/schema/register.schema.json", "notice.schema:register_schema_json"),
    ("docs/checks.md", "notice.checks.report:rules_markdown"),
    ("docs/records.md", "notice.records.columns:columns_markdown"),
)
"""Each generated file (relative to the repository root) and its generator, `module:function`.

Generators are named, not imported, so that a module can register its doc here without this
module importing it (and everything it imports) at start-up.
"""

_TEXT_VALIDATOR = Text.__metadata__[0].func
_COLOR_VALIDATOR = Color.__metadata__[0].func

SITE_EXAMPLE = """\
# yaml-language-server: $schema=../docs/schema/site.schema.json
languages: [fi, en]
base_url: https://example.fi/tietosuoja/
controller:
  name: Esimerkki Oy
  business_id: 1234567-8
  street_address: Esimerkkikatu 1
  postal_code: "00100"
  city: Helsinki
  email: tietosuoja@example.fi
dpo: none
cookies:
  - name: _ga
    provider: Google Ireland Limited
    party: first
    category: analytics
    purpose: {fi: Kävijöiden erottaminen toisistaan., en: Tells visitors apart.}
    duration: {fi: 2 vuotta, en: 2 years}
consent:
  mechanism: {fi: Evästebanneri., en: A cookie banner.}
  withdrawal: {fi: Evästeasetukset-linkki., en: The Cookie settings link.}
"""
"""A short, valid `site.yaml` shown in the content-format document."""

REGISTER_EXAMPLE = """\
# yaml-language-server: $schema=../../docs/schema/register.schema.json
version: 2.1
id: asiakkaat
slug: {fi: asiakasrekisteri, en: customer-register}
name: {fi: Asiakasrekisteri, en: Customer register}
prepared: 2024-01-31
purposes:
  - id: orders
    description: {fi: Tilausten toimittaminen., en: Delivering orders.}
    legal_bases: [contract]
    data_categories: [address]
  - id: books
    description: {fi: Kirjanpito., en: Bookkeeping.}
    legal_bases: [legal_obligation]
    national_law: {fi: Kirjanpitolaki 1336/1997, en: Accounting Act 1336/1997}
  - description: {fi: Suoramarkkinointi., en: Direct marketing.}
    legal_bases: [legitimate_interests]
    direct_marketing: true
    legitimate_interest: {fi: Omien tuotteiden tarjoaminen., en: Offering our own products.}
data_categories:
  - id: address
    name: {fi: Nimi ja osoite, en: Name and address}
    sources: [data_subject]
  - name: {fi: Markkinointikiellot, en: Marketing objections}
    retention: {fi: Kiellon voimassaoloajan., en: While the objection is in force.}
recipients:
  - name: {fi: Tilitoimisto Esimerkki Oy, en: Accounting firm Esimerkki Oy}
    role: processor
    country: FI
    purposes: [books]
  - name: {fi: Postituspalvelu Example Inc., en: Mailing service Example Inc.}
    role: processor
    country: US
    purposes: [orders]
    transfer:
      mechanisms: [sccs]
      details: {fi: Vakiosopimuslausekkeet; kopio pyynnöstä., en: SCCs; a copy on request.}
retention:
  fi: 10 vuotta asiakkuuden päättymisestä.
  en: 10 years from the end of the customer relationship.
automated_decisions: none
marketing:
  channels:
    - {channel: email, basis: customer_relationship}
    - {channel: post, basis: opt_out}
website: true
history:
  - date: 2024-01-31
    change: {fi: Seloste laadittu., en: Notice prepared.}
"""
"""A short, valid register file shown in the content-format document."""


def content_format() -> str:
    """Return `docs/content-format.md`, generated from the content model."""
    site_models = models_of(Site)
    register_models = [m for m in models_of(Register) if m not in site_models]
    languages = ", ".join(f"`{lang}`" for lang in SUPPORTED_LANGUAGES)
    lines = [
        "# Content format",
        "",
        "<!-- Generated from notice/model.py by `python -m notice.docs`; do not edit by hand. -->",
        "",
        "A controller edits two kinds of YAML file under `content/`: `site.yaml`, with the",
        "controller, the languages and the website's cookies, and one file per register under",
        "`registers/`, each becoming one privacy notice. `notice build` validates them against the",
        "tables below and reports every problem as `file:line: key.path: message`.",
        "",
        "**Localized text.** Every human-readable value is a mapping from language to text, e.g.",
        "`{fi: Asiakasrekisteri, en: Customer register}`, with one key for each language in",
        f"`site.yaml` `languages` (supported: {languages}). Markdown is allowed; raw HTML is not.",
        "A bare `https://` address becomes a link on the page and in the PDF; a full stop or",
        "closing bracket right after it stays outside the link. The PDF is read on paper: after",
        "the text of a link that leaves the page it prints the address in brackets, so write a",
        "link's text as words (`[our request service](https://…)`) and let the PDF add the",
        "address; a pointer to something only a screen has (a link at the bottom of every page)",
        'should say where that is ("on every page of our website").',
        "",
        "**Dates** are written `YYYY-MM-DD`. **Optional** keys may be left out; whether a notice",
        "is legally complete without them is for `notice check` to say, not for loading.",
        "",
        "**Editor support.** `notice schema --out docs/schema` writes the JSON Schema of both",
        "files; a first line `# yaml-language-server: $schema=<path to the schema>` gives",
        "completion and validation in editors that use the YAML language server (e.g. VS Code).",
        "",
        "**Format versions.** This is format 2.1 (`version: 2.1`). It adds optional elements",
        "that real registers could only say in prose: a register's own `controller`, a `dpo` per",
        "joint controller, law references (`restrictions[].law`, `transfer.decision`) as localized",
        "texts, purposes linked to `data_categories` (by `id`) and `data_subjects`, automated",
        "decisions linked to `purposes`, `profiling` that is not an Art 22 decision, the SCC",
        "module and transfer impact assessment of a transfer, a sub-processor's `processor`,",
        "`research`, `health`, `cctv`, children's `minimum_age` and `parental_consent`,",
        "direct-marketing channels (`marketing`), a register's own `cookies` with their",
        "`storage`, and the site's `theme`. A format-2 file loads unchanged. A file written",
        "for format 1 still loads as it is: `legal_basis:` and `mechanism:` are shorthands of",
        "`legal_bases:` and",
        "`mechanisms:`, a bare text in `data_categories` is the category's `name`, prose",
        "`automated_decisions` is one decision's `description`, a country may be given by name",
        "and recipient role `authority` reads as `public_authority`. `notice migrate [--content",
        "DIR] [--write]` rewrites such files in format 2.1 (a format-2 file gets `version: 2.1`",
        "and nothing else), keeping their comments and key order, and lists what it changed (the",
        "original of each rewritten file is kept beside it named for the format it holds:",
        "`.v1.bak` for a format-1 file, `.v2.bak` for a format-2 one).",
        "",
        "**Theme.** `theme` in `site.yaml` gives the notice site, its PDFs, the portal, letters",
        "and e-mails a `display_name`, a `logo` (an SVG or PNG file in the content folder, copied",
        "into the site as `theme/logo.svg` or `.png` and served by the portal; an SVG may hold no",
        "script, event handler or reference to another file) and `colors`, written into",
        "`theme/theme.css` as CSS custom properties. Each colour is checked against the",
        "backgrounds it is shown on: text, links and error messages need a contrast ratio of",
        "4.5:1, borders and the focus indicator 3:1 (WCAG 2.2 AA). A pair below that is a load",
        "error with the measured ratio, e.g. `site.yaml:91: theme.colors.text: #888888 on",
        "background #ffffff has a contrast ratio of 3.54:1; text must have at least 4.5:1",
        "(WCAG 2.2 AA)`. Without `theme` everything looks as before.",
        "",
        "**Starting a register.** `notice new ID [--content DIR] [--kind customers|newsletter|",
        "applicants|employees] [--basis BASIS ...]` writes `registers/ID.yaml` in the content",
        "folder (`content/` unless `--content` names another; it must hold `site.yaml`, whose",
        "languages the texts are written in) with every element the notice must give marked",
        "`TODO`; `notice check` then lists what remains, line by line, and",
        "`notice check --explain RULE` shows the legal source and an example of each fix.",
        "`notice serve --watch` builds into `site-preview/` (never over the `site/` that",
        "`notice build` makes for publishing), rebuilds on every save and serves it on 127.0.0.1;",
        "its pages show what to fix: content errors as an error page (`file:line: key: message`),",
        "the checker's summary and findings on top of each page.",
        "",
        "## `site.yaml`",
        "",
        "```yaml",
        SITE_EXAMPLE.rstrip("\n"),
        "```",
        "",
        *_model_sections(site_models),
        "## `registers/<id>.yaml`",
        "",
        "```yaml",
        REGISTER_EXAMPLE.rstrip("\n"),
        "```",
        "",
        *_model_sections(register_models),
        "## Enumerations",
        "",
    ]
    for enum in documented_enums():
        values = ", ".join(f"`{member.value}`" for member in enum)
        lines += [f"### {enum.__name__}", "", _doc(enum), "", f"Values: {values}.", ""]
    return "\n".join(lines)


def _model_sections(models: list[type[BaseModel]]) -> Iterator[str]:
    for model in models:
        yield f"### {model.__name__}"
        yield ""
        yield _doc(model)
        yield ""
        yield "| key | type | required | description |"
        yield "|---|---|---|---|"
        for name, info in model.model_fields.items():
            description = (info.description or "").replace("|", "\\|")
            yield f"| `{name}` | {_field_type(info)} | {_required(info)} | {description} |"
        yield ""


def _doc(obj: type) -> str:
    return " ".join((obj.__doc__ or "").split())


def _required(info: FieldInfo) -> str:
    if info.is_required():
        return "yes"
    default = info.get_default(call_default_factory=True)
    if default is None or default == [] or default == {}:
        return "no"
    return f"no (default `{str(default).lower()}`)"


def _field_type(info: FieldInfo) -> str:
    text = _type(info.annotation, info.metadata)
    for item in info.metadata:
        if isinstance(item, annotated_types.Ge):
            text += f", at least {item.ge}"
        elif isinstance(item, annotated_types.Le):
            text += f", at most {item.le}"
        elif isinstance(item, annotated_types.MinLen) and item.min_length:
            text += f", at least {item.min_length} item"
        elif getattr(item, "pattern", None):
            text += f", matching `{item.pattern}`"
    return text


def _type(annotation: Any, metadata: list[Any] | tuple[Any, ...] = ()) -> str:
    """Describe a type annotation the way a YAML author reads it."""
    if any(getattr(item, "func", None) is _TEXT_VALIDATOR for item in metadata):
        return "text"
    if any(getattr(item, "func", None) is _COLOR_VALIDATOR for item in metadata):
        return "colour `#rrggbb` or `#rgb`"
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type(args[0], args[1:])
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type(arg) for arg in args if arg is not type(None))
    if origin is Literal:
        return " or ".join(f"`{arg}`" for arg in args)
    if origin is list:
        return f"list of {_type(args[0])}"
    if origin is dict:
        return f"mapping of {_type(args[0])} to {_type(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel | Enum):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    names = {str: "string", bool: "`true` or `false`", int: "integer", dt.date: "date"}
    return names.get(annotation, str(annotation))


def _walk(annotation: Any) -> Iterator[Any]:
    yield annotation
    for arg in typing.get_args(annotation):
        yield from _walk(arg)


def models_of(model: type[BaseModel]) -> list[type[BaseModel]]:
    """Return `model` and the models nested in it, in the order a reader meets them."""
    found: list[type[BaseModel]] = []

    def visit(cls: type[BaseModel]) -> None:
        if cls in found:
            return
        found.append(cls)
        for info in cls.model_fields.values():
            for part in _walk(info.annotation):
                if isinstance(part, type) and issubclass(part, BaseModel):
                    visit(part)

    visit(model)
    return found


def documented_models() -> list[type[BaseModel]]:
    """Return every model of the content format (site first, then registers)."""
    site_models = models_of(Site)
    return site_models + [m for m in models_of(Register) if m not in site_models]


def documented_enums() -> list[type[Enum]]:
    """Return every enumeration used by the content format, by name."""
    enums = {
        part
        for model in documented_models()
        for info in model.model_fields.values()
        for part in _walk(info.annotation)
        if isinstance(part, type) and issubclass(part, Enum)
    }
    return sorted(enums, key=lambda enum: enum.__name__)


def generator(spec: str) -> Callable[[], str]:
    """Return the function named by a `module:function` spec from `GENERATED`."""
    module_name, _, function_name = spec.partition(":")
    function: Callable[[], str] = getattr(importlib.import_module(module_name), function_name)
    return function


def stale(root: Path = ROOT) -> list[str]:
    """Return the generated files under `root` that differ from what their generator returns."""
    result = []
    for relative, spec in GENERATED:
        path = root / relative
        if not path.is_file() or path.read_text(encoding="utf-8") != generator(spec)():
            result.append(relative)
    return result


def regenerate(root: Path = ROOT) -> list[str]:
    """Write every generated file under `root` whose content changed; return those written."""
    written = []
    for relative, spec in GENERATED:
        path = root / relative
        text = generator(spec)()
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(relative)
    return written


def main(argv: list[str] | None = None) -> int:
    """Regenerate the generated docs, or with `--check` report stale ones and exit 1."""
    parser = argparse.ArgumentParser(prog="python -m notice.docs", description=main.__doc__)
    parser.add_argument("--check", action="store_true", help="only report stale files")
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root")
    args = parser.parse_args(argv)
    if args.check:
        outdated = stale(args.root)
        for relative in outdated:
            print(f"{relative} is stale; run `python -m notice.docs`", file=sys.stderr)
        return 1 if outdated else 0
    for relative in regenerate(args.root):
        print(f"wrote {relative}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
