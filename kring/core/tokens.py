"""The one way Kring makes secret link tokens and keeps them: only a hash is stored.

Invitations, line-manager confirmations and calendar feeds all carry a token in a URL.
The database keeps its SHA-256, so a leaked database or backup gives no working links;
a token has 256 random bits, so an unsalted fast hash is enough.
"""

import hashlib
import secrets

TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh token for a link, and the hash to store instead of it."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)
