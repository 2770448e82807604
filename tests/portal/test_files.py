"""The file store on its own: checks, chunked encryption, tampering, keys, rotation."""

from __future__ import annotations

import hashlib
import io
import json
import secrets
import stat
import zipfile
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from portal.core import filekeys, files, filestore
from portal.core.models import Attachment, DataRequest, utcnow
from portal.db import Base, make_engine
from tests.portal.support.requests import new_request

LIMITS = files.Limits(
    max_bytes=2 * 1024 * 1024,
    types=frozenset(files.MEDIA_TYPES),
    zip_max_bytes=1024 * 1024,
)
PDF = b"%PDF-1.7\n" + b"0" * 300 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _keyring(tmp_path: Path) -> filekeys.Keyring:
    """Return a keyring on a real SQLite file in `tmp_path` (made with the models' tables)."""
    url = f"sqlite:///{tmp_path / 'files.sqlite3'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    master = tmp_path / "master.b64"
    if not master.is_file():
        master.write_text(filekeys.new_master_key())
    keys = filekeys.Keyring(
        master=filekeys.parse_master_key(master.read_text(), str(master)),
        sessions=sessionmaker(engine, expire_on_commit=False),
    )
    keys.current_generation()  # generation 1, as an app's start makes it
    return keys


def _store(tmp_path: Path, data: bytes, name: str, limits: files.Limits = LIMITS):
    """Store one upload of a new request, committed; return (attachment, keyring)."""
    keys = _keyring(tmp_path)
    with keys.sessions() as session:
        request: DataRequest = new_request(reference=secrets.token_hex(6).upper())
        session.add(request)
        attachment = files.store(
            session,
            request,
            io.BytesIO(data),
            name,
            purpose="answer",
            limits=limits,
            keys=keys,
        )
        session.commit()
    return attachment, keys


def _database(keys: filekeys.Keyring) -> filestore.DatabaseStore:
    return filestore.DatabaseStore(keys.sessions.kw["bind"])  # type: ignore[attr-defined]


def _read(keys: filekeys.Keyring, attachment) -> bytes:
    return b"".join(files.read_chunks(_database(keys), keys, attachment))


def _stored_files(tmp_path: Path) -> list[str]:
    """Return the storage names of the files the database holds (none before the first store)."""
    if not (tmp_path / "files.sqlite3").is_file():
        return []
    return sorted(_database(_keyring(tmp_path)).names())


@pytest.mark.parametrize(
    ("data", "name", "media_type"),
    [
        ("nimi;sähköposti\nÅsa Äijälä;asa@example.fi\n".encode(), "tiedot.csv", "text/csv"),
        ("nom;ville\nZoë;Genève\n".encode("latin-1"), "latin1.csv", "text/csv"),
        (
            json.dumps({"nimi": "Ολυμπία 👋"}, ensure_ascii=False).encode(),
            "data.json",
            "application/json",
        ),
        (PDF, "kirje.PDF", "application/pdf"),
        (PNG, "kuva.png", "image/png"),
        (b"x" * (files.CHUNK * 3), "tasan.csv", "text/csv"),
    ],
    ids=["utf8-csv", "latin1-csv", "json", "pdf", "png", "three-chunks"],
)
def test_a_file_is_stored_encrypted_and_read_back(
    tmp_path: Path, data: bytes, name: str, media_type: str
) -> None:
    attachment, keys = _store(tmp_path, data, name)
    assert (attachment.filename, attachment.media_type, attachment.size) == (
        name,
        media_type,
        len(data),
    )
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    (stored,) = _stored_files(tmp_path)
    pieces = list(_database(keys).get(stored))
    raw = b"".join(pieces)
    assert data[:32] not in raw and raw.startswith(files.MAGIC)
    assert [len(p) for p in pieces[:2]] == [12, min(len(data), files.CHUNK) + files.TAG]
    assert _read(keys, attachment) == data


def test_the_master_key_file_is_private_and_made_once(tmp_path: Path) -> None:
    made = filekeys.write_master_key(tmp_path)
    assert made == tmp_path / filekeys.MASTER_KEY_FILE
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    text = made.read_text()
    assert filekeys.write_master_key(tmp_path) is None and made.read_text() == text
    assert len(filekeys.master_key(None, tmp_path)) == 32
    with pytest.raises(ValueError, match="must be base64 of 32 bytes"):
        filekeys.master_key("bHloeXQ=", tmp_path)


@pytest.mark.parametrize("where", ["flip", "truncate", "drop-last-chunk", "swap-name"])
def test_tampering_is_detected(tmp_path: Path, where: str) -> None:
    data = b"a;b\n" * 50_000  # three whole chunks and a short last one
    attachment, keys = _store(tmp_path, data, "paketti.csv")
    (stored,) = _stored_files(tmp_path)
    database = _database(keys)
    pieces = [bytearray(piece) for piece in database.get(stored)]
    if where == "flip":
        pieces[2][100] ^= 1
    elif where == "truncate":
        del pieces[-1][-10:]
    elif where == "drop-last-chunk":
        del pieces[-1]
    database.delete(stored)
    if where == "swap-name":
        attachment.storage_name = "0" * 32
    database.put(attachment.storage_name, [bytes(piece) for piece in pieces])
    with pytest.raises(InvalidTag):
        _read(keys, attachment)


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"MZ\x90\x00" + b"\x00" * 100, "ohjelma.exe", "bad_type"),
        (PNG, "kuva.pdf", "content_mismatch"),
        (PDF, "taulukko.csv", "content_mismatch"),
        (b"a\x00b", "nul.csv", "content_mismatch"),
        (b"not json", "data.json", "content_mismatch"),
        (b"\xff\xfe{}", "utf16.json", "content_mismatch"),
        (b"", "tyhja.csv", "empty"),
        (b"a;b\n", "../../etc/passwd.csv", "path_in_name"),
        (b"a;b\n", "C:\\temp\\x.csv", "path_in_name"),
        (b"a;b\n", "rivi\nvaihto.csv", "control_in_name"),
        (b"a;b\n", "evil\u202egpj.csv", "control_in_name"),
        (b"a;b\n", "nolla\u200bleveys.csv", "control_in_name"),
        (b"a;b\n", "\ufefftiedot.csv", "control_in_name"),
        (b"a;b\n", "tiedot.csv\u2028", "control_in_name"),
        (b"a;b\n", "rivi\u2029kappale.csv", "control_in_name"),
        (b"a;b\n", "tag\U000e0041\U000e007f.csv", "control_in_name"),
        (b"a;b\n", "", "no_name"),
        (b"a;b\n", "x" * 300 + ".csv", "long_name"),
        (b"x" * (2 * 1024 * 1024 + 1), "iso.csv", "too_large"),
        (b"PK\x03\x04 not really a zip", "rikki.zip", "bad_zip"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_kept(
    tmp_path: Path, data: bytes, name: str, code: str
) -> None:
    with pytest.raises(files.FileRejected) as caught:
        _store(tmp_path, data, name)
    assert caught.value.code == code
    assert _stored_files(tmp_path) == []


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_is_inspected_and_a_bomb_refused(tmp_path: Path) -> None:
    good = _zip({"tiedot.json": b'{"a": 1}', "kuvat/kuva.png": PNG})
    attachment, _keys = _store(tmp_path, good, "paketti.zip")
    assert attachment.media_type == "application/zip"
    bomb = _zip({"zeros.csv": b"0" * (LIMITS.zip_max_bytes + 1)})
    assert len(bomb) < 10_000  # small on the wire, big when unpacked
    with pytest.raises(files.FileRejected) as caught:
        _store(tmp_path, bomb, "pommi.zip")
    assert caught.value.code == "zip_bomb"
    assert len(_stored_files(tmp_path)) == 1


def test_portability_limits_accept_only_machine_readable(tmp_path: Path) -> None:
    limits = files.Limits(
        max_bytes=LIMITS.max_bytes,
        types=LIMITS.types & files.MACHINE_READABLE,
        zip_max_bytes=LIMITS.zip_max_bytes,
    )
    with pytest.raises(files.FileRejected) as caught:
        _store(tmp_path, PDF, "kirje.pdf", limits)
    assert caught.value.code == "bad_type"
    attachment, _keys = _store(tmp_path, b'[{"a": 1}]', "data.json", limits)
    assert attachment.media_type == "application/json"


def test_rotation_rewraps_file_keys_and_old_files_still_open(tmp_path: Path) -> None:
    attachment, keys = _store(tmp_path, b"a;b\n1;2\n", "tiedot.csv")
    assert attachment.key_id == "g1"
    assert keys.add_generation() == 2
    assert list(filekeys.rewrap(keys, batch=1)) == [(1, 0)]
    with keys.sessions() as session:
        (row,) = session.scalars(select(Attachment)).all()
        assert filekeys.usage(session) == {"g2": 1}
        assert filekeys.drop_unused(session) == []  # retired less than an hour ago: kept
        later = utcnow() + filekeys.RETIRED_GRACE * 2
        assert filekeys.drop_unused(session, later) == [1]
    fresh = filekeys.Keyring(master=keys.master, sessions=keys.sessions)  # another worker
    assert _read(fresh, row) == b"a;b\n1;2\n"
    assert fresh.wrap(b"k" * 32)[0] == "g2"


def test_a_key_generation_does_not_open_with_another_master_key(tmp_path: Path) -> None:
    attachment, keys = _store(tmp_path, b"a;b\n", "tiedot.csv")
    stranger = filekeys.Keyring(master=bytes(32), sessions=keys.sessions)
    with pytest.raises(filekeys.UnwrapError, match="wrapped by another master key"):
        _read(stranger, attachment)


def test_a_file_in_the_old_instance_folder_is_read_and_moved(tmp_path: Path) -> None:
    attachment, keys = _store(tmp_path, b"a;b\n" * 40_000, "vanha.csv")
    database, folder = _database(keys), files.legacy_store(tmp_path)
    folder.put(attachment.storage_name, database.get(attachment.storage_name))
    database.delete(attachment.storage_name)
    assert _stored_files(tmp_path) == []
    assert b"".join(files.read_chunks(folder, keys, attachment)) == b"a;b\n" * 40_000
    assert len((tmp_path / files.FILES_DIR / attachment.storage_name).read_bytes()) == (
        12 + 160_000 + 3 * files.TAG
    )


@pytest.mark.parametrize(
    ("size", "lang", "text"),
    [(999, "en", "999 B"), (1500, "en", "1.5 kB"), (20_500_000, "fi", "20,5 MB")],
)
def test_sizes_read_in_the_language(size: int, lang: str, text: str) -> None:
    assert files.format_size(size, lang) == text
