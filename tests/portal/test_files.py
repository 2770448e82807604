"""The file store on its own: checks, chunked encryption, tampering, keys, rotation."""

from __future__ import annotations

import hashlib
import io
import json
import stat
import zipfile
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag

from portal.core import files
from portal.core.models import DataRequest
from tests.portal.support.requests import new_request

LIMITS = files.Limits(
    max_bytes=2 * 1024 * 1024,
    types=frozenset(files.MEDIA_TYPES),
    zip_max_bytes=1024 * 1024,
)
PDF = b"%PDF-1.7\n" + b"0" * 300 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


class FakeSession:
    """Collects what `store` adds; the store needs nothing else of a session."""

    def __init__(self) -> None:
        self.added: list[object] = []

    def add(self, item: object) -> None:
        self.added.append(item)

    def flush(self) -> None:
        return None


def _store(tmp_path: Path, data: bytes, name: str, limits: files.Limits = LIMITS):
    request: DataRequest = new_request()
    keys = files.load_keys(tmp_path)
    attachment = files.store(
        FakeSession(),  # type: ignore[arg-type]
        request,
        io.BytesIO(data),
        name,
        purpose="answer",
        limits=limits,
        instance_path=tmp_path,
        keys=keys,
    )
    return attachment, keys


def _stored_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / files.FILES_DIR
    return sorted(folder.iterdir()) if folder.is_dir() else []


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
    raw = stored.read_bytes()
    assert data[:32] not in raw and raw.startswith(files.MAGIC)
    assert b"".join(files.read_chunks(tmp_path, keys, attachment)) == data


def test_keys_are_private_files(tmp_path: Path) -> None:
    keys = files.load_keys(tmp_path)
    key_file = tmp_path / files.KEYS_DIR / f"{keys.current}.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert files.load_keys(tmp_path) == keys  # loaded again, not made again


@pytest.mark.parametrize("where", ["flip", "truncate", "drop-last-chunk", "swap-name"])
def test_tampering_is_detected(tmp_path: Path, where: str) -> None:
    data = b"a;b\n" * 50_000  # three whole chunks and a short last one
    attachment, keys = _store(tmp_path, data, "paketti.csv")
    (stored,) = _stored_files(tmp_path)
    raw = bytearray(stored.read_bytes())
    if where == "flip":
        raw[100] ^= 1
    elif where == "truncate":
        del raw[-10:]
    elif where == "drop-last-chunk":
        del raw[-(len(data) % files.CHUNK + files.TAG) :]
    else:
        attachment.storage_name = "0" * 32
        (tmp_path / files.FILES_DIR / attachment.storage_name).write_bytes(bytes(raw))
    if where != "swap-name":
        stored.write_bytes(bytes(raw))
    with pytest.raises(InvalidTag):
        b"".join(files.read_chunks(tmp_path, keys, attachment))


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
    attachment, old_keys = _store(tmp_path, b"a;b\n1;2\n", "tiedot.csv")
    new_id = files.new_key(tmp_path)
    keys = files.load_keys(tmp_path)
    assert keys.current == new_id != old_keys.current
    attachment.key_id, attachment.wrapped_key = keys.wrap(
        keys.unwrap(attachment.key_id, attachment.wrapped_key)
    )
    (tmp_path / files.KEYS_DIR / f"{old_keys.current}.key").unlink()
    assert b"".join(files.read_chunks(tmp_path, files.load_keys(tmp_path), attachment)) == (
        b"a;b\n1;2\n"
    )


@pytest.mark.parametrize(
    ("size", "locale", "text"),
    [(999, "en", "999 B"), (1500, "en_GB", "1.5 kB"), (20_500_000, "fi_FI", "20,5 MB")],
)
def test_sizes_read_in_the_locale(size: int, locale: str, text: str) -> None:
    assert files.format_size(size, locale) == text
