"""Encryption at rest and keyed lookups of personal data, with the configured keys.

A value is stored as a Fernet token (AES-128-CBC, HMAC-SHA256: tampering is detected) under the
newest key; any configured key decrypts. Lookups never use the number itself: they compare an
HMAC-SHA256 of it, keyed by a key derived from each configured key, so an older key's records
are still found while a rotation is under way."""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from app.core.settings import get_settings

_LOOKUP_CONTEXT = b"jobfair personal-data lookup v1"


class UnreadableCiphertext(RuntimeError):
    """Stored data no configured key decrypts (a key removed before its data was rotated)."""


class PersonalDataCipher:
    def __init__(self, keys: list[bytes]) -> None:
        self._fernet = MultiFernet([Fernet(key) for key in keys])
        self._lookup_keys = [hmac.digest(key, _LOOKUP_CONTEXT, "sha256") for key in keys]

    def encrypt(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode()
        except InvalidToken:
            raise UnreadableCiphertext(
                "Stored personal data is not readable with PERSONAL_DATA_KEYS: was a key "
                "removed before `jobfair personal-data rotate` ran?"
            ) from None

    def rotate(self, token: str) -> str:
        """The same value, encrypted under the newest key."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken:
            raise UnreadableCiphertext("Stored personal data is not readable") from None

    def lookup_hash(self, value: str) -> str:
        """The keyed hash stored for lookups (the newest key's)."""
        return self.lookup_hashes(value)[0]

    def lookup_hashes(self, value: str) -> list[str]:
        """The value's keyed hash under every configured key, newest first."""
        return [
            hmac.new(key, value.encode(), hashlib.sha256).hexdigest() for key in self._lookup_keys
        ]


@lru_cache
def get_cipher() -> PersonalDataCipher:
    return PersonalDataCipher(get_settings().data_keys())
