"""Generated docs and schemas: current, complete, and what the content files point at."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from notice import docs
from notice.cli import main
from notice.loader import load_content
from notice.model import SUPPORTED_LANGUAGES, Register, Site
from notice.schema import SCHEMA_FILES, schema_of

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)$")


@pytest.mark.parametrize(("relative", "spec"), docs.GENERATED, ids=[p for p, _ in docs.GENERATED])
def test_generated_file_is_current(repo_root: Path, relative: str, spec: str) -> None:
    committed = (repo_root / relative).read_text(encoding="utf-8")
    assert committed == docs.generator(spec)(), f"{relative} is stale; run python -m notice.docs"


@pytest.mark.parametrize("model", docs.documented_models(), ids=lambda m: m.__name__)
def test_every_field_has_a_description(model: type) -> None:
    assert model.__doc__, f"{model.__name__} has no docstring"
    undocumented = [name for name, info in model.model_fields.items() if not info.description]
    assert undocumented == []


def test_every_model_and_enum_is_in_the_content_format(repo_root: Path) -> None:
    text = (repo_root / "docs" / "content-format.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^### (\w+)$", text, flags=re.MULTILINE))
    models = docs.documented_models()
    assert headings == {cls.__name__ for cls in [*models, *docs.documented_enums()]}
    for model in models:
        section = text.split(f"### {model.__name__}\n", 1)[1].split("\n### ", 1)[0]
        rows = re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE)
        assert rows == list(model.model_fields), model.__name__


def test_examples_in_the_content_format_load(tmp_path: Path) -> None:
    (tmp_path / "registers").mkdir()
    (tmp_path / "site.yaml").write_text(docs.SITE_EXAMPLE, encoding="utf-8")
    (tmp_path / "registers" / "asiakkaat.yaml").write_text(docs.REGISTER_EXAMPLE, encoding="utf-8")
    content = load_content(tmp_path)
    purposes = content.register("asiakkaat").purposes
    assert purposes[2].bases == ["legitimate_interests"]
    # A reader of format v1 still finds `legal_basis` on a v2 purpose: the first basis.
    assert purposes[2].legal_basis == "legitimate_interests"
    (transfer,) = content.register("asiakkaat").third_country_transfers
    assert transfer.safeguards is not None and transfer.safeguards.mechanism == "sccs"


def test_stale_and_regenerate(tmp_path: Path) -> None:
    assert set(docs.stale(tmp_path)) == {relative for relative, _ in docs.GENERATED}
    assert set(docs.regenerate(tmp_path)) == {relative for relative, _ in docs.GENERATED}
    assert docs.stale(tmp_path) == []
    assert docs.regenerate(tmp_path) == []
    (tmp_path / "docs" / "content-format.md").write_text("edited by hand\n", encoding="utf-8")
    assert docs.stale(tmp_path) == ["docs/content-format.md"]


def test_docs_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert docs.main(["--check", "--root", str(tmp_path)]) == 1
    assert "docs/content-format.md is stale" in capsys.readouterr().err
    assert docs.main(["--root", str(tmp_path)]) == 0
    assert "wrote docs/content-format.md" in capsys.readouterr().out
    assert docs.main(["--check", "--root", str(tmp_path)]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(("name", "model"), SCHEMA_FILES.items())
def test_schema_lists_every_field(name: str, model: type) -> None:
    schema = schema_of(model)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert list(schema["properties"]) == list(model.model_fields)
    assert schema["additionalProperties"] is False
    definitions = schema["$defs"]
    for nested in docs.models_of(model)[1:]:
        assert list(definitions[nested.__name__]["properties"]) == list(nested.model_fields)
    assert list(definitions["Text"]["properties"]) == list(SUPPORTED_LANGUAGES)


def test_schema_spells_out_enum_keys_for_completion() -> None:
    properties = schema_of(Register)["properties"]
    assert list(properties["slug"]["properties"]) == list(SUPPORTED_LANGUAGES)
    assert properties["rights"]["properties"]["objection"] == {"$ref": "#/$defs/Text"}
    assert properties["rights"]["additionalProperties"] is False
    assert properties["name"]["$ref"] == "#/$defs/Text"


@pytest.mark.parametrize(
    "relative",
    [
        "content/site.yaml",
        "content/registers/asiakasrekisteri.yaml",
        "tests/fixtures/seed-original/site.yaml",
        "tests/fixtures/seed-original/registers/asiakasrekisteri.yaml",
    ],
)
def test_content_files_point_at_the_committed_schema(repo_root: Path, relative: str) -> None:
    path = repo_root / relative
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.match(first_line)
    assert match, f"{relative} has no yaml-language-server modeline"
    schema = (path.parent / match["path"]).resolve()
    expected = "site.schema.json" if path.name == "site.yaml" else "register.schema.json"
    assert schema == repo_root / "docs" / "schema" / expected


def test_schema_command_writes_both_files(repo_root: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["schema", "--out", str(tmp_path / "schema")])
    assert result.exit_code == 0, result.output
    for name in SCHEMA_FILES:
        written = (tmp_path / "schema" / name).read_text(encoding="utf-8")
        assert written == (repo_root / "docs" / "schema" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "model"), [([], Register), (["site"], Site)])
def test_schema_command_prints_a_schema(args: list[str], model: type) -> None:
    result = CliRunner().invoke(main, ["schema", *args])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == schema_of(model)
