"""Ask a lab device over SNMP (gufo-snmp): is it answering, with which sysName?"""

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
    SnmpError,
    User,
)
from gufo.snmp.sync import SnmpSession

from .credentials import SnmpV3User

SYS_NAME = "1.3.6.1.2.1.1.5.0"

AUTH_KEYS: dict[str, type[BaseAuthKey]] = {
    "MD5": Md5Key,
    "SHA": Sha1Key,
    "SHA-256": Sha256Key,
    "SHA-512": Sha512Key,
}
PRIV_KEYS: dict[str, type[BasePrivKey]] = {"AES": Aes128Key, "AES-256": Aes256Key, "DES": DesKey}


def v3_user(user: SnmpV3User) -> User:
    return User(
        user.user,
        auth_key=AUTH_KEYS[user.auth_protocol](user.auth_key.encode()),
        priv_key=PRIV_KEYS[user.priv_protocol](user.priv_key.encode()),
    )


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def sys_name(
    address: str,
    user: SnmpV3User | None = None,
    community: str | None = None,
    timeout: float = 1.0,
) -> str | None:
    """sysName.0 over SNMPv3 (``user``) or v2c (``community``); None if no answer."""
    try:
        if user is not None:
            with SnmpSession(addr=address, user=v3_user(user), timeout=timeout) as session:
                return _text(session.get(SYS_NAME))
        with SnmpSession(addr=address, community=community or "", timeout=timeout) as session:
            return _text(session.get(SYS_NAME))
    except (TimeoutError, SnmpError, OSError):
        return None
