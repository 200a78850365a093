"""Password hashing (argon2) and random secrets stored as hashes (API tokens, feed tokens)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from training_hub.core.settings import get_settings


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    if get_settings().mode == "test":
        # The suite creates hundreds of people; the real parameters are checked in a unit test.
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()  # argon2id with the library's current recommended parameters


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same time as a real check, so a missing account cannot be told apart by timing.
        _hasher().hash(password)
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def new_secret(nbytes: int = 32) -> str:
    """A URL-safe random secret (256 bits by default)."""
    return secrets.token_urlsafe(nbytes)


def hash_secret(secret: str) -> str:
    """SHA-256 of a high-entropy secret: enough for lookup, useless to whoever reads the table."""
    return hashlib.sha256(secret.encode()).hexdigest()


def sign(message: str, *, purpose: str) -> str:
    """HMAC of ``message`` with the secret key, separated by purpose (check-in codes, certificates…)."""
    key = hashlib.sha256(f"{purpose}:{get_settings().secret_key}".encode()).digest()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()

def password_stamp(password_hash: str | None) -> str:
    """What a session remembers of the password it was opened with (never the hash itself)."""
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]
