"""The relying party's keys: one RSA signing key and one RSA encryption key, rotated with overlap.

They live in the instance folder (`oidc-client-keys.json`, owner-only) as a private JWK set. The
public halves are published at `/.well-known/jwks.json`: the provider verifies our request objects
and client assertions with the signing key and encrypts ID tokens to the encryption key. A rotation
adds a new pair and keeps the old one published (and usable for decryption) for the overlap, so a
provider that cached the old set, or a login begun before the rotation, still works.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joserfc.jwk import KeySet, RSAKey

from portal.core.private_files import write_owner_only

KEYS_FILE = "oidc-client-keys.json"
SIGNING_ALG = "PS256"
ENCRYPTION_ALG = "RSA-OAEP"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _new_pair(now: dt.datetime) -> list[dict[str, Any]]:
    pair = []
    for use, alg in (("sig", SIGNING_ALG), ("enc", ENCRYPTION_ALG)):
        key = RSAKey.generate_key(2048, parameters={"use": use, "alg": alg}, auto_kid=True)
        pair.append({**key.as_dict(private=True), "created": now.isoformat()})
    return pair


@dataclass
class ClientKeys:
    """The stored keys, newest last; a key with `retired` is published until it leaves."""

    entries: list[dict[str, Any]]

    def _active(self, use: str) -> dict[str, Any]:
        return next(e for e in reversed(self.entries) if e["use"] == use and "retired" not in e)

    def signing_key(self) -> RSAKey:
        """Return the current signing key (request objects, client assertions)."""
        return RSAKey.import_key(_jwk(self._active("sig")))

    def decryption_keys(self) -> KeySet:
        """Return every published encryption key: an ID token may be encrypted to any of them."""
        return KeySet([RSAKey.import_key(_jwk(e)) for e in self.entries if e["use"] == "enc"])

    def public_jwks(self) -> dict[str, Any]:
        """Return the JWKS to publish: the public halves of every key still in the overlap."""
        keys = KeySet([RSAKey.import_key(_jwk(e)) for e in self.entries])
        return keys.as_dict(private=False)


def _jwk(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k not in {"created", "retired"}}


def load(instance_path: Path | str) -> ClientKeys:
    """Return the keys of the instance folder, creating the first pair when there is none."""
    path = Path(instance_path) / KEYS_FILE
    if not path.exists():
        _write(path, _new_pair(_now()), exclusive=True)
    return ClientKeys(json.loads(path.read_text(encoding="utf-8"))["keys"])


def rotate(
    instance_path: Path | str, overlap: dt.timedelta, now: dt.datetime | None = None
) -> ClientKeys:
    """Add a new pair, retire the current one and drop keys retired longer than `overlap` ago."""
    now = now or _now()
    current = load(instance_path).entries
    kept = []
    for entry in current:
        retired = entry.get("retired")
        if retired is not None and dt.datetime.fromisoformat(retired) + overlap <= now:
            continue
        kept.append({**entry, "retired": retired or now.isoformat()})
    _write(Path(instance_path) / KEYS_FILE, [*kept, *_new_pair(now)], exclusive=False)
    return load(instance_path)


def _write(path: Path, entries: list[dict[str, Any]], *, exclusive: bool) -> None:
    """Write the key file atomically, owner-only; with `exclusive` a concurrent creator wins."""
    write_owner_only(path, json.dumps({"keys": entries}).encode("utf-8"), replace=not exclusive)
