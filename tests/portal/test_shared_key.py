"""Several instances on one database sign with one key: recorded, exported, imported, enforced."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo

from portal.cli import main
from portal.config import ConfigurationError
from portal.core import keys, seal


def cli(app: Flask, *args: str) -> tuple[int, str]:
    """Run a portal command against `app`; return its exit code and output."""
    result = CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))
    return result.exit_code, result.output


def test_second_instance_with_its_own_key_refuses_to_start(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    first = make_app(INSTANCE_PATH=str(tmp_path / "one"))
    recorded = seal.app_key(first).key_id
    with pytest.raises(ConfigurationError, match=f"database records key {recorded}"):
        make_app(INSTANCE_PATH=str(tmp_path / "two"))
    # A folder that made a key of its own is refused too, naming both keys.
    own = seal.load_or_create_key(tmp_path / "three").key_id
    with pytest.raises(ConfigurationError, match=f"{own} .* not the key {recorded}"):
        make_app(INSTANCE_PATH=str(tmp_path / "three"))


def test_exported_key_lets_a_second_instance_start_and_verify(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    first = make_app(INSTANCE_PATH=str(tmp_path / "one"))
    exported = tmp_path / "transfer" / "key.pem"
    code, output = cli(first, "keys", "export", "--private", "--out", str(exported))
    assert code == 0, output
    assert stat.S_IMODE(os.stat(exported).st_mode) == 0o600
    # Exporting never overwrites a file.
    assert cli(first, "keys", "export", "--private", "--out", str(exported))[0] != 0

    second_folder = tmp_path / "two"
    result = CliRunner().invoke(
        main, ["keys", "import", str(exported), "--instance", str(second_folder)]
    )
    assert result.exit_code == 0, result.output
    # The file keys' master key is the other secret every instance shares.
    with pytest.raises(ConfigurationError, match="no master key: set PORTAL_MASTER_KEY or create"):
        make_app(INSTANCE_PATH=str(second_folder))
    shutil.copy2(tmp_path / "one" / "master-key", second_folder / "master-key")
    second = make_app(INSTANCE_PATH=str(second_folder))
    assert seal.app_key(second).key_id == seal.app_key(first).key_id
    key_file = second_folder / second.config["SIGNING_KEY_FILE"]
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


def test_import_refuses_a_foreign_key_over_an_existing_one(tmp_path: Path) -> None:
    other = seal.load_or_create_key(tmp_path / "other")
    exported = tmp_path / "other" / "receipt-signing-key.pem"
    mine = seal.load_or_create_key(tmp_path / "mine")
    with pytest.raises(ValueError, match=f"already holds key {mine.key_id}"):
        keys.import_key(tmp_path / "mine", "receipt-signing-key.pem", exported.read_bytes())
    assert seal.load_or_create_key(tmp_path / "mine").key_id == mine.key_id != other.key_id
    with pytest.raises(ValueError, match="private key"):
        keys.import_key(tmp_path / "new", "receipt-signing-key.pem", other.public_pem())


def test_rotation_records_the_new_key(make_app: Callable[..., Flask], tmp_path: Path) -> None:
    app = make_app(INSTANCE_PATH=str(tmp_path / "one"))
    old, new = keys.rotate_key(app)
    assert keys.recorded_key_id(app) == new != old
    # The instance restarts with its new key; one still holding the old key is refused.
    make_app(INSTANCE_PATH=str(tmp_path / "one"))


def test_init_with_the_exported_key_is_the_documented_path(db_url: str, tmp_path: Path) -> None:
    runner = CliRunner(env={"PORTAL_DATABASE_URL": db_url, "PORTAL_SITE_DIR": ""})
    first = runner.invoke(main, ["init", "--instance", str(tmp_path / "one")])
    assert first.exit_code == 0, first.output
    key = seal.load_or_create_key(tmp_path / "one")
    exported = tmp_path / "one" / "receipt-signing-key.pem"

    alone = runner.invoke(main, ["init", "--instance", str(tmp_path / "two")])
    assert alone.exit_code == 1
    assert f"database records key {key.key_id}" in alone.output
    assert "portal keys import" in alone.output and "Traceback" not in alone.output

    shared = runner.invoke(
        main,
        [
            "init",
            "--instance",
            str(tmp_path / "three"),
            "--signing-key",
            str(exported),
            "--master-key",
            str(tmp_path / "one" / "master-key"),
        ],
    )
    assert shared.exit_code == 0, shared.output
    assert f"({key.key_id}, imported), recorded in the database" in shared.output


def test_keys_import_goes_to_the_instance_folder_every_command_uses(tmp_path: Path) -> None:
    """`portal --instance DIR keys import` and PORTAL_INSTANCE_PATH choose the folder, as they do
    for `init` and every other command (the checkout's instance/ only when neither is given)."""
    key = seal.load_or_create_key(tmp_path / "source")
    exported = tmp_path / "source" / "receipt-signing-key.pem"
    given, from_env = tmp_path / "given", tmp_path / "from-env"
    runner = CliRunner()

    result = runner.invoke(main, ["--instance", str(given), "keys", "import", str(exported)])
    assert (result.exit_code, result.output) == (
        0,
        f"signing key {key.key_id} installed in {given / 'receipt-signing-key.pem'} (0600)\n",
    )
    result = runner.invoke(
        main, ["keys", "import", str(exported)], env={"PORTAL_INSTANCE_PATH": str(from_env)}
    )
    assert (result.exit_code, result.output) == (
        0,
        f"signing key {key.key_id} installed in {from_env / 'receipt-signing-key.pem'} (0600)\n",
    )
    for folder in (given, from_env):
        assert seal.load_or_create_key(folder).key_id == key.key_id
