"""SSH public keys in OpenSSH's one-line format (`<type> <base64> [comment]`), checked as sshd reads them."""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct

from chalicelib.domain.shared.errors import ValidationFailed

KEY_TYPES = frozenset(
    {
        "ssh-ed25519",
        "ssh-rsa",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    }
)
MAX_KEY_LENGTH = 8192  # a 16384-bit RSA key is about 2 800 characters
MAX_KEYS_PER_USER = 50
MIN_BLOB_BYTES = {"ssh-ed25519": 51, "ssh-rsa": 150}  # name + 32-byte key; a 1024-bit RSA key at least

INVALID = (
    "public_key must be an OpenSSH public key on one line, such as the content of ~/.ssh/id_ed25519.pub "
    "('ssh-ed25519 AAAA... comment')."
)


def _invalid(reason: str = "") -> ValidationFailed:
    return ValidationFailed(f"{INVALID}{' ' + reason if reason else ''}", details={"field": "public_key"})


def _read_string(blob: bytes, at: int) -> tuple[bytes, int]:
    if at + 4 > len(blob):
        raise _invalid("The key data is truncated.")
    (length,) = struct.unpack(">I", blob[at : at + 4])
    end = at + 4 + length
    if end > len(blob):
        raise _invalid("The key data is truncated.")
    return blob[at + 4 : end], end


def parse_public_key(text: str) -> tuple[str, str]:
    """The key normalised (type, blob and comment separated by single spaces) and its SHA256 fingerprint, as
    `ssh-keygen -l` prints it. Raises ValidationFailed (field public_key) for anything sshd would refuse."""
    line = text.strip()
    if not line or len(line) > MAX_KEY_LENGTH or "\n" in line or "\r" in line:
        raise _invalid()
    parts = line.split(None, 2)
    if len(parts) < 2:
        raise _invalid()
    kind, data = parts[0], parts[1]
    if kind not in KEY_TYPES:
        raise _invalid(f"Key type {kind[:40]!r} is not one of {', '.join(sorted(KEY_TYPES))}.")
    try:
        blob = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _invalid("The key data is not base64.") from exc
    name, _ = _read_string(blob, 0)
    if name.decode("ascii", "replace") != kind:
        raise _invalid("The key data does not match its type.")
    if len(blob) < MIN_BLOB_BYTES.get(kind, 40):
        raise _invalid("The key is too short.")
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    comment = parts[2].strip() if len(parts) > 2 else ""
    normalised = f"{kind} {data}" + (f" {comment}" if comment else "")
    return normalised, f"SHA256:{digest}"
