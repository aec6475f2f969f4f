"""Secrets at rest: access tokens and app secrets are Fernet-encrypted before they are stored.

The key comes from `$SOCIABLE_SECRET_KEY` (a Fernet key), else the file named by
`$SOCIABLE_SECRET_KEY_FILE`, else `secret.key` in the user data directory, created at first
run with 0600 permissions. Lose the key and stored tokens cannot be read: connect again.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from platformdirs import user_data_dir

ENV_KEY = "SOCIABLE_SECRET_KEY"
ENV_KEY_FILE = "SOCIABLE_SECRET_KEY_FILE"


class SecretsError(Exception):
    """The key is missing or wrong for what is stored."""


def key_path() -> Path:
    named = os.environ.get(ENV_KEY_FILE)
    if named:
        return Path(named)
    return Path(user_data_dir("sociable", appauthor=False)) / "secret.key"


def _load_or_create(path: Path) -> bytes:
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    try:
        # O_EXCL: two first runs at once cannot both write a key; 0600 from the first byte.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as fh:
        fh.write(key + b"\n")
    return key


class Vault:
    """Encrypts and decrypts small JSON objects of secrets."""

    def __init__(self, key: bytes | str | None = None) -> None:
        if key is None:
            key = os.environ.get(ENV_KEY) or _load_or_create(key_path())
        try:
            self._fernet = Fernet(key.encode() if isinstance(key, str) else key)
        except ValueError as exc:
            raise SecretsError(f"the secret key is not a Fernet key ({exc})") from None

    def __repr__(self) -> str:
        return "Vault(***)"

    def seal(self, secrets: dict[str, str]) -> str:
        return self._fernet.encrypt(json.dumps(secrets).encode()).decode() if secrets else ""

    def open(self, token: str) -> dict[str, str]:
        if not token:
            return {}
        try:
            return json.loads(self._fernet.decrypt(token.encode()))
        except InvalidToken:
            raise SecretsError("stored secrets cannot be read with this key: was "
                               f"{ENV_KEY} or {key_path()} changed? Connect the account again.") \
                from None


def redact(text: str, secrets: dict[str, str]) -> str:
    """`text` with every secret value replaced, for errors that are stored or printed."""
    for value in secrets.values():
        if isinstance(value, str) and len(value) >= 6:
            text = text.replace(value, "***")
    return text
