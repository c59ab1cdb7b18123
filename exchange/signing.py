"""The installation's Ed25519 key, which signs project archives.

One key per installation, created on first use at
``settings.GLOSSA_SIGNING_KEY`` (default ``VAR_DIR/signing-key.pem``, mode
0600). An archive carries ``manifest.sig`` (the signature of the exact
bytes of ``manifest.json``) and ``signing-key.pub`` (the public key, PEM);
the manifest holds every other member's SHA-256, so the signature covers
the whole archive. Someone who edits a member and re-hashes the manifest
cannot sign it again without the private key. A recipient compares the
key's fingerprint with the one the sending installation shows on its
export page (``manage.py verify_archive FILE --public-key PEM`` pins it).
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings

SIGNATURE_MEMBER = "manifest.sig"
PUBLIC_KEY_MEMBER = "signing-key.pub"


def key_path() -> Path:
    var = getattr(settings, "VAR_DIR", Path(settings.BASE_DIR) / "var")
    default = Path(var) / "signing-key.pem"
    return Path(getattr(settings, "GLOSSA_SIGNING_KEY", "") or default)


def private_key() -> Ed25519PrivateKey:
    """The installation's key, created (atomically, 0600) if missing."""
    path = key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first: use theirs
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key.")
    return key


def public_key_pem() -> bytes:
    return (
        private_key()
        .public_key()
        .public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def fingerprint(public_pem: bytes) -> str:
    """SHA-256 of the raw public key, hex in groups of four (to compare aloud)."""
    key = load_public_key(public_pem)
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    digest = hashlib.sha256(raw).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def load_public_key(public_pem: bytes) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(public_pem)
    except ValueError as exc:
        raise ValueError(f"not a PEM public key ({exc})") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def sign(data: bytes) -> bytes:
    """The base64 signature of ``data`` (one line, for a zip member)."""
    return base64.b64encode(private_key().sign(data)) + b"\n"


def verify(public_pem: bytes, data: bytes, signature: bytes) -> bool:
    try:
        load_public_key(public_pem).verify(
            base64.b64decode(signature.strip(), validate=True), data
        )
    except (InvalidSignature, ValueError):
        return False
    return True
