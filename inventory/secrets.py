"""Secrets referenced by the inventory: from the environment, else from a secrets file.

The inventory names environment variables (``auth_key_env: EGOVNET_SNMP_AUTH_KEY``); values
live in the environment or in a ``KEY=VALUE`` file outside git (``$EGOVNET_SECRETS_FILE``, or
``secrets.env`` in the state directory, where the lab writes its generated credentials).
Values are never logged: :class:`Secret` hides itself in ``repr`` and ``str``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from base.errors import SecretMissingError

#: Sections whose every value is about a secret: their values are never echoed in errors.
SECRET_SECTIONS = frozenset({"snmp_profiles", "credential_profiles"})
_SECRET_FIELD = re.compile(
    r"(?:^|_)(?:password|passwd|secret|community|token|passphrase|psk|key)(?:_|$)|_env$",
    re.IGNORECASE,
)
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


def holds_secret(path: Sequence[str | int]) -> bool:
    """Whether a value at ``path`` holds or names a secret, so no message may show it."""
    return any(
        isinstance(part, str) and (part in SECRET_SECTIONS or _SECRET_FIELD.search(part))
        for part in path
    )


def looks_like_secret(value: str) -> bool:
    """A value written where a variable *name* belongs that looks like the secret itself."""
    if _ENV_NAME.match(value):
        return False
    if re.search(r"[^A-Za-z0-9_]", value):
        return True
    has_digit = any(c.isdigit() for c in value)
    return has_digit and any(c.islower() for c in value) and any(c.isupper() for c in value)


@dataclass(frozen=True)
class Secret:
    name: str
    value: str = field(repr=False)

    def __str__(self) -> str:
        return f"<secret {self.name}>"

    def reveal(self) -> str:
        return self.value


def read_secrets_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip().removeprefix("export ").strip()] = value.strip().strip("'\"")
    return values


@dataclass
class SecretStore:
    """Looks secrets up in the environment first, then in ``file``."""

    file: Path | None = None
    _cache: dict[str, str] | None = field(default=None, repr=False)

    def _file_values(self) -> dict[str, str]:
        if self._cache is None:
            self._cache = read_secrets_file(self.file) if self.file else {}
        return self._cache

    def get(self, env_name: str) -> Secret:
        value = os.environ.get(env_name)
        if value is None:
            value = self._file_values().get(env_name)
        if value is None or value == "":
            where = f" nor in {self.file}" if self.file else ""
            raise SecretMissingError(
                f"secret {env_name} is not set in the environment{where}; "
                f"export {env_name}=... or add it to the secrets file"
            )
        return Secret(env_name, value)

    def has(self, env_name: str) -> bool:
        return bool(os.environ.get(env_name) or self._file_values().get(env_name))
