"""Open an SNMP client for a target; SNMPv3 algorithms resolved through one map."""

from __future__ import annotations

from gufo.snmp import (
    Aes128Key,
    Aes256Key,
    BaseAuthKey,
    BasePrivKey,
    DesKey,
    Md5Key,
    Sha1Key,
    Sha256Key,
    Sha512Key,
    User,
)

from base.errors import CollectorError

from .targets import SnmpCredentials, SnmpTarget
from .transport import SnmpClient

#: Inventory names of authentication protocols -> gufo key classes.
AUTH_KEYS: dict[str, type[BaseAuthKey]] = {
    "MD5": Md5Key,
    "SHA": Sha1Key,
    "SHA-256": Sha256Key,
    "SHA-512": Sha512Key,
}
#: Inventory names of privacy protocols -> gufo key classes.
PRIV_KEYS: dict[str, type[BasePrivKey]] = {"AES": Aes128Key, "AES-256": Aes256Key, "DES": DesKey}

#: GETBULK repetitions when walking ifName (snmp_exporter's default too).
MAX_REPETITIONS = 25


def v3_user(creds: SnmpCredentials) -> User:
    if not creds.user:
        raise CollectorError("an SNMPv3 profile needs a user")
    auth = None
    priv = None
    if creds.auth_key is not None:
        auth = AUTH_KEYS[creds.auth_protocol or "SHA"](creds.auth_key.reveal().encode())
    if creds.priv_key is not None:
        priv = PRIV_KEYS[creds.priv_protocol or "AES"](creds.priv_key.reveal().encode())
    return User(creds.user, auth_key=auth, priv_key=priv)


def open_session(target: SnmpTarget) -> SnmpClient:
    """A client whose requests time out after the profile's timeout (retries are ours).

    Call inside the running event loop: the client registers its socket with it.
    """
    creds = target.credentials
    if creds.version == "v3":
        return SnmpClient(
            target.address, target.port, timeout=target.timeout_seconds, user=v3_user(creds)
        )
    community = creds.community.reveal() if creds.community is not None else "public"
    return SnmpClient(
        target.address, target.port, timeout=target.timeout_seconds, community=community
    )
