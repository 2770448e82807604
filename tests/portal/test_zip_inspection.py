"""ZIP uploads inspected all the way down (issue 18): nested ZIPs count against one unpacked-size
budget, a depth and a ratio limit; member names that could unpack outside their folder are refused.

Every archive is a real ZIP built here with `zipfile`, stored through `files.store` into a real
instance folder.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import pytest

from portal.core import files
from tests.portal.test_files import _read, _store, _stored_files

MiB = 1024 * 1024
LIMITS = files.Limits(max_bytes=20 * MiB, types=frozenset(files.MEDIA_TYPES), zip_max_bytes=1 * MiB)
ROOMY = files.Limits(
    max_bytes=20 * MiB, types=frozenset(files.MEDIA_TYPES), zip_max_bytes=200 * MiB
)


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


def _nested(levels: int, inner: dict[str, bytes]) -> bytes:
    """A ZIP `levels` deep: level 1 holds level 2 … holds `inner`."""
    data = _zip(inner)
    for level in range(levels - 1, 0, -1):
        data = _zip({f"taso{level + 1}.zip": data, f"lueminut{level}.txt": b"hei"})
    return data


def _refused(tmp_path: Path, data: bytes, limits: files.Limits = LIMITS) -> files.FileRejected:
    with pytest.raises(files.FileRejected) as caught:
        _store(tmp_path, data, "paketti.zip", limits)
    assert _stored_files(tmp_path) == []
    return caught.value


def test_zips_nested_three_levels_with_plain_names_are_kept(tmp_path: Path) -> None:
    data = _nested(3, {"kansio/alikansio/tiedot.csv": b"a;b\n", "ääkköset/日本語..txt": b"x"})
    attachment, keys = _store(tmp_path, data, "paketti.zip", LIMITS)
    assert _read(keys, attachment) == data


def test_a_fourth_level_is_refused(tmp_path: Path) -> None:
    error = _refused(tmp_path, _nested(4, {"tiedot.csv": b"a;b\n"}))
    assert error.code == "zip_depth"
    assert str(error.message) == "The ZIP file has ZIP files inside it more than 3 levels deep."


def test_five_levels_as_in_the_issue_are_refused(tmp_path: Path) -> None:
    assert _refused(tmp_path, _nested(5, {"tiedot.csv": b"a;b\n"})).code == "zip_depth"


def test_unpacked_sizes_add_up_over_every_level(tmp_path: Path) -> None:
    # Each inner ZIP holds 300 kB of random bytes: one level alone unpacks to 600 kB (under the
    # 1 MiB limit); with what the inner ZIPs unpack to, the upload unpacks to 1.2 MB.
    inner = [_zip({"satunnainen.bin": os.urandom(300_000)}) for _ in range(2)]
    outer = _zip({"a.zip": inner[0], "b.zip": inner[1]}, zipfile.ZIP_STORED)
    assert sum(len(part) for part in inner) < LIMITS.zip_max_bytes
    error = _refused(tmp_path, outer)
    assert error.code == "zip_bomb"
    assert str(error.message) == "The ZIP file unpacks to more than 1 MB."


def test_a_bomb_hidden_one_level_down_is_refused_by_its_ratio(tmp_path: Path) -> None:
    # 50 MB of zeros packs to ~50 kB; the outer ZIP unpacks only that. The old check passed it.
    inner = _zip({"nollat.csv": b"0" * (50 * MiB)})
    outer = _zip({"sisempi.zip": inner})
    assert len(outer) < 100_000
    error = _refused(tmp_path, outer, ROOMY)
    assert error.code == "zip_ratio"
    assert str(error.message) == "The ZIP file is packed suspiciously tightly (a zip bomb?)."


def test_ordinary_text_compresses_within_the_ratio(tmp_path: Path) -> None:
    rows = b"".join(
        f"{n};Asiakas {n};asiakas{n}@example.fi;{n * 7 % 1000}\n".encode() for n in range(60_000)
    )
    assert len(rows) > files.ZIP_RATIO_FLOOR
    attachment, _keys = _store(tmp_path, _zip({"asiakkaat.csv": rows}), "paketti.zip", ROOMY)
    assert attachment.media_type == "application/zip"


@pytest.mark.parametrize(
    ("member", "shown"),
    [
        ("../../../../tmp/evil.sh", "../../../../tmp/evil.sh"),
        ("/etc/cron.d/x", "/etc/cron.d/x"),
        ("kansio/../../ulos.txt", "kansio/../../ulos.txt"),
        ("kansio\\..\\..\\ulos.txt", "kansio\\..\\..\\ulos.txt"),
        ("\\\\palvelin\\jako\\x.txt", "\\\\palvelin\\jako\\x.txt"),
        ("C:\\Windows\\System32\\x.dll", "C:\\Windows\\System32\\x.dll"),
        ("c:x.txt", "c:x.txt"),
        ("nolla\u200bleveys.txt", "nolla\\u200bleveys.txt"),
        ("\ufeffalku.txt", "\\ufeffalku.txt"),
        ("rivi\u2028vaihto.txt", "rivi\\u2028vaihto.txt"),
        ("väri\x1b[31m.txt", "väri\\u001b[31m.txt"),
        ("evil\u202egpj.exe", "evil\\u202egpj.exe"),
    ],
)
def test_unsafe_member_names_are_refused_and_shown_escaped(
    tmp_path: Path, member: str, shown: str
) -> None:
    error = _refused(tmp_path, _zip({"hyva.txt": b"ok", member: b"x"}))
    assert error.code == "zip_member_name"
    assert str(error.message) == (
        "A file inside the ZIP has a name that could unpack outside its folder or hides "
        f"characters: {shown}"
    )


def test_an_unsafe_name_one_level_down_is_refused(tmp_path: Path) -> None:
    outer = _zip({"sisempi.zip": _zip({"../../etc/passwd": b"root"})})
    assert _refused(tmp_path, outer).code == "zip_member_name"


def test_a_symbolic_link_member_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("linkki")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    error = _refused(tmp_path, buffer.getvalue())
    assert error.code == "zip_link"
    assert str(error.message) == "The ZIP file contains a link (linkki); send the file itself."
