"""The CRM's API token, kept encrypted at rest and never shown back.

Encrypted with Fernet (AES with an HMAC) under a key derived from SECRET_KEY; a token in
the environment (CRM_TOKEN) wins over the stored one, for deployments that keep secrets
out of the database.
"""

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from sop_planner.errors import DomainError


def _fernet() -> Fernet:
    digest = hashlib.sha256(f"crm-token:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def token_encrypt(token: str) -> str:
    return _fernet().encrypt(token.encode()).decode()


def token_of(encrypted: str) -> str:
    """The token to call the CRM with: CRM_TOKEN if set, else the stored one decrypted."""
    from_environment = os.environ.get("CRM_TOKEN", "")
    if from_environment:
        return from_environment
    if not encrypted:
        raise DomainError("No CRM token is stored and CRM_TOKEN is not set: enter the token.")
    try:
        return _fernet().decrypt(encrypted.encode()).decode()
    except InvalidToken:
        raise DomainError(
            "The stored CRM token cannot be read (the server's SECRET_KEY changed): "
            "enter the token again."
        ) from None


def token_from_environment() -> bool:
    return bool(os.environ.get("CRM_TOKEN"))
