"""Invitation tokens: random, shown once, stored only as a hash."""

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 random bits


def new_token() -> str:
    """Return a fresh URL-safe token for an invitation link."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """Return the SHA-256 under which a token is stored and looked up."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
