"""Owner-only files (keys, secrets) have one writer: 0600 from the start, durable, atomic."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from portal import config
from portal.core import filekeys, keys, seal
from portal.core.identity import subject
from portal.core.private_files import write_owner_only


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_is_owner_only_and_an_existing_one_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "key"
    assert write_owner_only(target, b"first") is True
    assert target.read_bytes() == b"first" and _mode(target) == 0o600
    assert write_owner_only(target, b"second") is False
    assert target.read_bytes() == b"first"
    assert write_owner_only(target, b"third", replace=True) is True
    assert target.read_bytes() == b"third" and _mode(target) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["key"]  # no temporary file left


def test_every_key_of_the_instance_is_written_owner_only(tmp_path: Path) -> None:
    assert config.write_secret_key(tmp_path) == tmp_path / config.SECRET_KEY_FILE
    assert filekeys.write_master_key(tmp_path) == tmp_path / filekeys.MASTER_KEY_FILE
    seal.load_or_create_key(tmp_path)
    subject.hmac_key(tmp_path)
    keys.write_private(tmp_path / "exported.pem", b"pem")
    names = [
        config.SECRET_KEY_FILE,
        filekeys.MASTER_KEY_FILE,
        seal.DEFAULT_KEY_FILE,
        subject.HMAC_KEY_FILE,
        "exported.pem",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)
    assert [_mode(tmp_path / name) for name in names] == [0o600] * 5
    with pytest.raises(FileExistsError):
        keys.write_private(tmp_path / "exported.pem", b"other")
    assert (tmp_path / "exported.pem").read_bytes() == b"pem"
    assert config.write_secret_key(tmp_path) is None
    assert filekeys.write_master_key(tmp_path) is None
