"""Two instances on one database (issue 18): they share files, file-key and signing-key rotations.

Two portal apps with their own instance folders holding the same shared secrets (secret key,
master key, signing key) run on one SQLite file and on one PostgreSQL schema. A file attached on
one downloads on the other, through a live file-key rotation (neither restarts), a signing-key
rotation and a restart of both; receipts sealed before the rotation verify on both, on the verify
page and with `portal verify-receipt`.
"""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask
from sqlalchemy import select

from portal.core import filekeys, files, keys, seal
from portal.core.models import Attachment, DataRequest
from portal.db import get_session
from tests.portal.staff.test_attachments import CSV, JSON, PDF, _attach, _rows, _submitted
from tests.portal.support.cli import cli
from tests.portal.support.staff import STAFF, Account, StaffActions
from tests.portal.support.web import https_client
from tests.portal.test_verify import PAGE_VERDICTS, post, verdict

SHARED = ("master-key", "receipt-signing-key.pem")
"""The instance files every instance holds the same (SECRET_KEY comes from the test settings)."""


def _second_folder(first: Flask, folder: Path) -> Path:
    """Make an instance folder holding the first instance's shared secrets."""
    folder.mkdir(mode=0o700)
    for name in SHARED:
        shutil.copy2(Path(first.instance_path) / name, folder / name)
    return folder


def _staff(app: Flask, account: Account) -> StaffActions:
    actions = StaffActions(app, https_client(app))
    actions.login(account)
    actions.client.get(f"{STAFF}/?lang=en")
    return actions


def _download(staff: StaffActions, reference: str, attachment: Attachment) -> tuple[int, bytes]:
    response = staff.client.get(f"{STAFF}/r/{reference}/files/{attachment.public_id}")
    return response.status_code, response.data


def _receipt(app: Flask, request_id: int) -> str:
    with app.app_context():
        return seal.receipt_json(get_session().get(DataRequest, request_id))


def _verified_everywhere(apps: list[Flask], receipt: str, tmp_path: Path) -> list[object]:
    """Return, per app, the verify page's verdict and `portal verify-receipt`'s first line."""
    path = tmp_path / "receipt.json"
    path.write_text(receipt, encoding="utf-8")
    seen: list[object] = []
    for app in apps:
        page = post(https_client(app), "en", receipt_text=receipt)
        result = cli(app, "verify-receipt", str(path))
        seen.append((verdict(page), result.exit_code, result.output.splitlines()[0]))
    return seen


AUTHENTIC = (
    PAGE_VERDICTS["en"]["authentic"],
    0,
    "AUTHENTIC: the signature and digest are valid and the receipt is unaltered",
)


def test_two_instances_share_files_and_keys_through_rotations_and_restarts(
    make_app: Callable[..., Flask], smtp_server, tmp_path: Path
) -> None:
    one = make_app(INSTANCE_PATH=str(tmp_path / "one"))
    two = make_app(INSTANCE_PATH=str(_second_folder(one, tmp_path / "two")))
    account = StaffActions(one, https_client(one)).create("hanna")
    staff_one, staff_two = _staff(one, account), _staff(two, account)

    # A request sealed on instance one; a file attached on each instance opens on the other.
    row, _confirmed = _submitted(one, smtp_server)
    old_signing_key = seal.app_key(one).key_id
    assert row.seal_key_id == old_signing_key
    assert _attach(staff_one, row.reference, ("tiedot.csv", CSV)).status_code == 302
    assert _attach(staff_two, row.reference, ("tilaukset.json", JSON)).status_code == 302
    csv_row, json_row = _rows(one, row.id)
    assert (csv_row.key_id, json_row.key_id) == ("g1", "g1")
    assert _download(staff_two, row.reference, csv_row) == (200, CSV)
    assert _download(staff_one, row.reference, json_row) == (200, JSON)

    # A live file-key rotation on instance one: instance two is not restarted.
    rotated = cli(one, "files", "rotate-key", "--batch", "1")
    assert rotated.exit_code == 0, rotated.output
    assert rotated.output.splitlines() == [
        "new generation g2 recorded in the database; running instances wrap new files with it "
        "from now on (no restart needed)",
        "re-wrapped 1 file key(s), 1 left",
        "re-wrapped 2 file key(s), 0 left",
        "re-wrapped 2 file key(s) in all; 0 not on the current generation",
    ]
    assert _download(staff_two, row.reference, csv_row) == (200, CSV)
    assert _download(staff_two, row.reference, json_row) == (200, JSON)
    assert _attach(staff_two, row.reference, ("kirje.pdf", PDF)).status_code == 302
    *_, pdf_row = _rows(one, row.id)
    assert pdf_row.key_id == "g2"  # the running instance two wraps with the new generation
    assert _download(staff_one, row.reference, pdf_row) == (200, PDF)

    # A signing-key rotation on instance one; instance two is still running with the old key.
    receipt_before = _receipt(one, row.id)
    rotated = cli(one, "keys", "rotate", "--yes")
    assert rotated.exit_code == 0, rotated.output
    new_signing_key = seal.app_key(one).key_id
    assert new_signing_key != old_signing_key
    later, _ = _submitted(one, smtp_server, email="liisa@example.fi")
    assert later.seal_key_id == new_signing_key
    receipt_after = _receipt(one, later.id)
    for receipt in (receipt_before, receipt_after):
        assert _verified_everywhere([one, two], receipt, tmp_path) == [AUTHENTIC, AUTHENTIC]

    # The new signing key goes to instance two (the documented way), then both restart.
    exported = tmp_path / "transfer.pem"
    assert cli(one, "keys", "export", "--private", "--out", str(exported)).exit_code == 0
    imported = cli(
        two, "keys", "import", str(exported), "--instance", two.instance_path, "--replace"
    )
    assert imported.exit_code == 0, imported.output
    exported.unlink()
    one_again = make_app(INSTANCE_PATH=one.instance_path)
    two_again = make_app(INSTANCE_PATH=two.instance_path)
    assert seal.app_key(two_again).key_id == new_signing_key
    staff_one, staff_two = _staff(one_again, account), _staff(two_again, account)
    for attachment, data in ((csv_row, CSV), (json_row, JSON), (pdf_row, PDF)):
        assert _download(staff_one, row.reference, attachment) == (200, data)
        assert _download(staff_two, row.reference, attachment) == (200, data)
    for receipt in (receipt_before, receipt_after):
        assert _verified_everywhere([one_again, two_again], receipt, tmp_path) == [
            AUTHENTIC,
            AUTHENTIC,
        ]
    with one_again.app_context():
        assert keys.verify_request_seal(one_again, get_session().get(DataRequest, row.id))
        kept = {a.key_id for a in get_session().scalars(select(Attachment))}
    assert kept == {"g2"}
    assert not (Path(one.instance_path) / "attachments").exists()


def test_files_kept_in_the_instance_folder_before_open_and_move_into_the_database(
    app: Flask, smtp_server, staff: StaffActions
) -> None:
    row, _confirmed = _submitted(app, smtp_server)
    staff.login(staff.create("hanna"))
    assert _attach(staff, row.reference, ("tiedot.csv", CSV)).status_code == 302
    (attachment,) = _rows(app, row.id)
    # As an instance before the database store kept it: the encrypted file in the folder, its
    # key wrapped by a key file of the folder.
    database, folder = files.app_store(app), files.legacy_store(app.instance_path)
    folder.put(attachment.storage_name, database.get(attachment.storage_name))
    database.delete(attachment.storage_name)
    old_key = AESGCM.generate_key(bit_length=256)
    key_id = "0123456789abcdef"
    keys_dir = Path(app.instance_path) / filekeys.LEGACY_KEYS_DIR
    keys_dir.mkdir(mode=0o700)
    (keys_dir / f"{key_id}.key").write_bytes(base64.b64encode(old_key) + b"\n")
    file_key = files.app_keys(app).unwrap(attachment.key_id, attachment.wrapped_key)
    nonce = os.urandom(12)
    with app.app_context():
        stored = get_session().get(Attachment, attachment.id)
        stored.key_id = key_id
        stored.wrapped_key = nonce + AESGCM(old_key).encrypt(nonce, file_key, filekeys.WRAP_AAD)
        get_session().commit()
    assert _download(staff, row.reference, attachment) == (200, CSV)
    assert cli(app, "files", "status").output.splitlines()[1:] == [
        f"{key_id}: wraps 1 file key(s)",
        "files in the database: 0",
        f"files still in {folder.folder}: 1",
    ]

    moved = cli(app, "files", "move-to-db")
    assert moved.output.splitlines() == ["moved 1 file(s) into the database; 0 left in the folder"]
    assert folder.names() == set() and database.names() == {attachment.storage_name}
    assert _download(staff, row.reference, attachment) == (200, CSV)

    rotated = cli(app, "files", "rotate-key")
    assert rotated.output.splitlines()[1:] == [
        "re-wrapped 1 file key(s), 0 left",
        "re-wrapped 1 file key(s) in all; 0 not on the current generation",
        f"file-keys/{key_id}.key wraps no file key any more and no instance wraps with it: it may "
        "be deleted after the backups that need it",
    ]
    (keys_dir / f"{key_id}.key").unlink()
    assert _download(staff, row.reference, attachment) == (200, CSV)
