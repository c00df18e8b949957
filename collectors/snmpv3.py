"""SNMPv3 protocols: the inventory's names, and what each SNMP library calls them.

One map serves every SNMPv3 client and receiver of the project: the poller and the lab's
probe speak gufo-snmp (key classes), the trap receiver speaks pysnmp (USM protocol constants,
named here by their attribute in ``pysnmp.entity.config`` so the poller never imports pysnmp).
"""

from __future__ import annotations

from dataclasses import dataclass

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

#: What a profile without a protocol name uses (net-snmp's defaults too).
DEFAULT_AUTH = "SHA"
DEFAULT_PRIV = "AES"


@dataclass(frozen=True)
class AuthProtocol:
    gufo: type[BaseAuthKey]
    pysnmp: str


@dataclass(frozen=True)
class PrivProtocol:
    gufo: type[BasePrivKey]
    pysnmp: str


#: Inventory names of authentication protocols.
AUTH: dict[str, AuthProtocol] = {
    "MD5": AuthProtocol(Md5Key, "USM_AUTH_HMAC96_MD5"),
    "SHA": AuthProtocol(Sha1Key, "USM_AUTH_HMAC96_SHA"),
    "SHA-256": AuthProtocol(Sha256Key, "USM_AUTH_HMAC192_SHA256"),
    "SHA-512": AuthProtocol(Sha512Key, "USM_AUTH_HMAC384_SHA512"),
}
#: Inventory names of privacy protocols.
PRIV: dict[str, PrivProtocol] = {
    "AES": PrivProtocol(Aes128Key, "USM_PRIV_CFB128_AES"),
    "AES-256": PrivProtocol(Aes256Key, "USM_PRIV_CFB256_AES"),
    "DES": PrivProtocol(DesKey, "USM_PRIV_CBC56_DES"),
}


def gufo_user(
    name: str,
    *,
    auth_protocol: str | None,
    auth_key: str | None,
    priv_protocol: str | None,
    priv_key: str | None,
) -> User:
    """A gufo-snmp user; a protocol left unnamed is the default, a key left out is none."""
    auth = None
    priv = None
    if auth_key is not None:
        auth = AUTH[auth_protocol or DEFAULT_AUTH].gufo(auth_key.encode())
    if priv_key is not None:
        priv = PRIV[priv_protocol or DEFAULT_PRIV].gufo(priv_key.encode())
    return User(name, auth_key=auth, priv_key=priv)
