"""`portal backup` → `portal restore` brings everything back, on SQLite and on PostgreSQL.

A portal with a confirmed, sealed request, an attached file and its audit trail is backed up
through the command line while it runs; the instance folder and the database are then lost; a
restore into empty ones gives back the same requests, the file (decrypted to the same bytes),
receipts that verify with the restored key, and an audit chain that verifies.
"""

from __future__ import annotations

import hashlib
import shutil
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.cli import main
from portal.core import audit, backup, files, keys
from portal.core.models import Attachment, DataRequest
from portal.db import get_session
from tests.portal.staff.test_attachments import CSV, _attach, _login, _submitted
from tests.portal.support.staff import StaffActions

PASSPHRASE = "kolme iloista kaurista hyppää"


def _snapshot(app: Flask) -> dict[str, object]:
    """Return what must survive: requests with their seals, files' bytes, the audit verdict."""
    with app.app_context():
        session = get_session()
        requests = [
            (r.reference, r.status, r.name, r.sealed_payload, r.seal_signature, r.seal_key_id)
            for r in session.scalars(select(DataRequest).order_by(DataRequest.id))
        ]
        seals = [keys.verify_request_seal(app, r) for r in session.scalars(select(DataRequest))]
        contents = {}
        for row in session.scalars(select(Attachment).order_by(Attachment.id)):
            data = b"".join(files.read_chunks(app, files.app_keys(app), row))
            contents[row.filename] = hashlib.sha256(data).hexdigest()
        report = audit.verify(session)
        return {
            "requests": requests,
            "seals": seals,
            "files": contents,
            "audit": (report.ok, report.checked, report.head_hash),
        }


def _lose(app: Flask, url: str) -> None:
    """Lose the instance folder and the database, as a broken disk would."""
    app.extensions["db_engine"].dispose()
    shutil.rmtree(app.instance_path)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database or "").unlink(missing_ok=True)
        return
    schema = backup._libpq(url)[1]
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def test_backup_and_restore_give_back_requests_files_receipts_and_audit(
    app: Flask, db_url: str, smtp_server, staff: StaffActions, tmp_path: Path, monkeypatch
) -> None:
    row, _ = _submitted(app, smtp_server)
    _login(staff)
    assert _attach(staff, row.reference, ("tiedot.csv", CSV)).status_code == 302
    before = _snapshot(app)
    assert before["seals"] == [True]
    assert before["files"] == {"tiedot.csv": hashlib.sha256(CSV).hexdigest()}
    assert before["audit"][0] is True

    instance = Path(app.instance_path)
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("PORTAL_DATABASE_URL", db_url)
    monkeypatch.setenv("PORTAL_BACKUP_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "backups" / "seloste.tar"
    made = CliRunner().invoke(main, ["backup", "--out", str(out)])
    assert made.exit_code == 0, made.output
    assert "1 request, 1 file, " in made.output and "keys encrypted" in made.output
    with tarfile.open(out) as archive:
        names = archive.getnames()
        secret_part = archive.extractfile(backup.SECRETS_MEMBER).read()
    assert backup.MANIFEST in names and any(n.startswith("database/") for n in names)
    signing_key = (instance / app.config["SIGNING_KEY_FILE"]).read_bytes()
    assert signing_key not in secret_part and b"PRIVATE KEY" not in secret_part

    _lose(app, db_url)
    # A restore into anything but an empty instance and database is refused.
    (instance).mkdir()
    (instance / "stray.txt").write_text("x", encoding="utf-8")
    refused = CliRunner().invoke(main, ["restore", str(out)])
    assert refused.exit_code == 1 and "is not empty" in refused.output
    shutil.rmtree(instance)
    monkeypatch.setenv("PORTAL_BACKUP_PASSPHRASE", "väärä")
    wrong = CliRunner().invoke(main, ["restore", str(out)])
    assert wrong.exit_code == 1 and "wrong passphrase" in wrong.output
    shutil.rmtree(instance, ignore_errors=True)
    if make_url(db_url).get_backend_name() != "sqlite":
        _lose_partial_schema(db_url)

    monkeypatch.setenv("PORTAL_BACKUP_PASSPHRASE", PASSPHRASE)
    restored = CliRunner().invoke(main, ["restore", str(out)])
    assert restored.exit_code == 0, restored.output
    assert "1 request, 1 file, " in restored.output
    modes = {p.relative_to(instance): p.stat().st_mode & 0o777 for p in instance.rglob("*")}
    assert modes and all(mode in {0o600, 0o700} for mode in modes.values()), modes
    again = create_app(
        {
            **{k: app.config[k] for k in ("TESTING", "PUBLIC_URL", "SITE_DIR")},
            "INSTANCE_PATH": str(instance),
            "DATABASE_URL": db_url,
            "SECRET_KEY": app.config["SECRET_KEY"],
        }
    )
    try:
        assert _snapshot(again) == before
        verified = CliRunner().invoke(
            main, ["audit", "verify"], obj=ScriptInfo(create_app=lambda: again)
        )
        assert verified.exit_code == 0, verified.output
    finally:
        again.extensions["db_engine"].dispose()


def _lose_partial_schema(url: str) -> None:
    """Drop what a refused restore may have left (nothing, when the refusal came first)."""
    schema = backup._libpq(url)[1]
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def test_a_changed_backup_is_refused(tmp_path: Path) -> None:
    blob = backup.encrypt_secrets(b"secret", PASSPHRASE)
    assert backup.decrypt_secrets(blob, PASSPHRASE) == b"secret"
    damaged = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(backup.BackupError, match="wrong passphrase, or the backup's key part"):
        backup.decrypt_secrets(damaged, PASSPHRASE)
    with pytest.raises(backup.BackupError, match="empty passphrase"):
        backup.encrypt_secrets(b"secret", "")
