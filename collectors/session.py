"""Open an SNMP client for a target; SNMPv3 algorithms resolved through one map (snmpv3)."""

from __future__ import annotations

from gufo.snmp import User

from base.errors import CollectorError

from .snmpv3 import gufo_user
from .targets import SnmpCredentials, SnmpTarget
from .transport import SnmpClient

#: GETBULK repetitions when walking ifName (snmp_exporter's default too).
MAX_REPETITIONS = 25


def v3_user(creds: SnmpCredentials) -> User:
    if not creds.user:
        raise CollectorError("an SNMPv3 profile needs a user")
    return gufo_user(
        creds.user,
        auth_protocol=creds.auth_protocol,
        auth_key=creds.auth_key.reveal() if creds.auth_key is not None else None,
        priv_protocol=creds.priv_protocol,
        priv_key=creds.priv_key.reveal() if creds.priv_key is not None else None,
    )


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
