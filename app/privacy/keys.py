"""The keys that encrypt personal data: Fernet keys (32 random bytes, URL-safe base64)."""

import base64
import binascii

from cryptography.fernet import Fernet

# A random 32-byte key has about 29 distinct byte values; one made by hand ("aaaa…",
# "0123…") has far fewer.
_MIN_DISTINCT_BYTES = 16


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def parse_keys(text: str) -> list[bytes]:
    """Comma-separated keys, newest first; ValueError naming the weak or malformed one (by
    position, never by its value)."""
    keys = [part.strip().encode("ascii", "replace") for part in text.split(",") if part.strip()]
    if not keys:
        raise ValueError("PERSONAL_DATA_KEYS holds no key")
    for position, key in enumerate(keys, start=1):
        _refuse_weak(key, position)
    return keys


def _refuse_weak(key: bytes, position: int) -> None:
    try:
        raw = base64.urlsafe_b64decode(key)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ValueError(
            f"PERSONAL_DATA_KEYS key {position} is not a key: 32 bytes in URL-safe base64 "
            "(`jobfair personal-data new-key` makes one)"
        )
    if len(set(raw)) < _MIN_DISTINCT_BYTES:
        raise ValueError(f"PERSONAL_DATA_KEYS key {position} is too weak: it is not random")
