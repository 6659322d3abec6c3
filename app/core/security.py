"""Password hashing and bearer tokens."""

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


# The hash of a random password. Accounts without a password, and emails with no
# account, are checked against it, so the response time of a failed login does not
# reveal which emails have accounts.
_UNUSABLE_HASH = _hasher.hash(secrets.token_urlsafe(32))


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password against an argon2 hash; a missing hash fails just as slowly."""
    try:
        return _hasher.verify(password_hash or _UNUSABLE_HASH, password) and bool(
            password_hash
        )
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """Return a random URL-safe token (48 bytes of entropy, 64 characters)."""
    return secrets.token_urlsafe(48)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
