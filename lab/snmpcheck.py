"""Ask a lab device over SNMP (gufo-snmp): is it answering, with which sysName?"""

from __future__ import annotations

from gufo.snmp import SnmpError, User
from gufo.snmp.sync import SnmpSession

from collectors.snmpv3 import gufo_user

from .credentials import SnmpV3User

SYS_NAME = "1.3.6.1.2.1.1.5.0"


def v3_user(user: SnmpV3User) -> User:
    return gufo_user(
        user.user,
        auth_protocol=user.auth_protocol,
        auth_key=user.auth_key,
        priv_protocol=user.priv_protocol,
        priv_key=user.priv_key,
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
