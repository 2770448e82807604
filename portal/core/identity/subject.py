"""What the portal keeps of a strong identification: never the identity number itself.

The national identity number (henkilötunnus) is processing that 1050/2018 s 29 limits; the portal
needs it only to recognise the same person across requests. It keeps an HMAC-SHA-256 of it under a
key of the instance folder (`identity-hmac-key`), so a copy of the database alone cannot be turned
back into numbers by trying every valid one. Kept besides: the verified name, the method, the
provider, the time and the level of assurance.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from portal.core.private_files import write_owner_only

HMAC_KEY_FILE = "identity-hmac-key"
METHOD = "oidc"


@dataclass(frozen=True)
class VerifiedIdentity:
    """The outcome of a successful identification, as kept."""

    name: str
    subject_hash: str
    provider: str
    level: str
    identified_at: str
    """ISO 8601, UTC."""
    method: str = METHOD

    def as_dict(self) -> dict[str, Any]:
        """Return the fields as a JSON-ready mapping (kept in the browser session meanwhile)."""
        return asdict(self)

    @property
    def at(self) -> dt.datetime:
        """Return the identification time."""
        return dt.datetime.fromisoformat(self.identified_at)


def hmac_key(instance_path: Path | str) -> bytes:
    """Return the instance's identity key, creating it (owner-only) when missing."""
    path = Path(instance_path) / HMAC_KEY_FILE
    if not path.exists():
        write_owner_only(path, (secrets.token_hex(32) + "\n").encode("ascii"))
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def subject_hash(key: bytes, kind: str, value: str) -> str:
    """Return the keyed hash that recognises a person: `kind` names the identifier's scheme."""
    message = f"{kind}:{value.strip().upper()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
