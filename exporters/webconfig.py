"""TLS and basic auth for the exporter, in the Prometheus exporter-toolkit file format.

``--web.config.file`` takes the same YAML as Prometheus' own exporters::

    tls_server_config:
      cert_file: server.crt
      key_file: server.key
      # client_ca_file: ca.crt
      # client_auth_type: RequireAndVerifyClientCert
      # min_version: TLS13
    basic_auth_users:
      prometheus: $2y$10$...      # bcrypt hash (htpasswd -nBC 10 "" | tr -d ':\\n')

bcrypt is slow on purpose, so a password that verified once is remembered (by its SHA-256,
never in clear) and later requests cost a hash lookup, as exporter-toolkit does.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import bcrypt
from pydantic import BaseModel, ConfigDict, Field

from base.errors import ExporterConfigError, SourceLocation
from inventory.yamlsource import Located

from .config import load_model


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TlsServerConfig(_Strict):
    cert_file: Path
    key_file: Path
    client_ca_file: Path | None = None
    client_auth_type: Literal["NoClientCert", "RequireAndVerifyClientCert"] = "NoClientCert"
    min_version: Literal["TLS12", "TLS13"] = "TLS12"


class WebConfig(_Strict):
    tls_server_config: TlsServerConfig | None = None
    basic_auth_users: dict[str, str] = Field(default_factory=dict)


class WebSecurity:
    """The loaded web config: an SSL context (or None) and a basic-auth check."""

    def __init__(self, config: WebConfig, base: Path, located: Located | None = None) -> None:
        self.config = config
        self._verified: set[bytes] = set()
        self.ssl_context: ssl.SSLContext | None = None
        tls = config.tls_server_config
        if tls is not None:
            self.ssl_context = _ssl_context(tls, base, lambda *path: _where(located, path))
        for user, hashed in config.basic_auth_users.items():
            if not hashed.startswith(("$2a$", "$2b$", "$2y$")):
                raise ExporterConfigError(
                    _where(located, ("basic_auth_users", user)),
                    "not a bcrypt hash (expected $2y$..., e.g. from htpasswd -nBC 10)",
                )

    @property
    def auth_required(self) -> bool:
        return bool(self.config.basic_auth_users)

    def authorized(self, header: str | None) -> bool:
        """Check an ``Authorization`` header against the basic-auth users."""
        if not self.auth_required:
            return True
        if not header or not header.startswith("Basic "):
            return False
        try:
            decoded = base64.b64decode(header[6:], validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        user, sep, password = decoded.partition(":")
        hashed = self.config.basic_auth_users.get(user)
        if not sep or hashed is None:
            return False
        key = hashlib.sha256(f"{user}\0{password}\0{hashed}".encode()).digest()
        if any(hmac.compare_digest(key, seen) for seen in self._verified):
            return True
        if bcrypt.checkpw(password.encode(), hashed.encode()):
            self._verified.add(key)
            return True
        return False


def _where(located: Located | None, path: tuple[str, ...]) -> SourceLocation:
    if located is None:
        return SourceLocation("web config", 1, ".".join(path))
    return located.at(path)


def _ssl_context(
    tls: TlsServerConfig, base: Path, where: Callable[..., SourceLocation]
) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = (
        ssl.TLSVersion.TLSv1_3 if tls.min_version == "TLS13" else ssl.TLSVersion.TLSv1_2
    )
    try:
        context.load_cert_chain(base / tls.cert_file, base / tls.key_file)
    except (OSError, ssl.SSLError) as exc:
        raise ExporterConfigError(
            where("tls_server_config", "cert_file"),
            f"cannot load certificate/key: {exc}",
        ) from exc
    if tls.client_ca_file is not None:
        try:
            context.load_verify_locations(base / tls.client_ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise ExporterConfigError(
                where("tls_server_config", "client_ca_file"),
                f"cannot load client CA: {exc}",
            ) from exc
    if tls.client_auth_type == "RequireAndVerifyClientCert":
        context.verify_mode = ssl.CERT_REQUIRED
    return context


def load_web_security(path: Path) -> WebSecurity:
    config, located = load_model(WebConfig, path)
    return WebSecurity(config, path.resolve().parent, located)
