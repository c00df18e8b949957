"""What to poll: one :class:`SnmpTarget` per inventory device, secrets resolved.

A target carries everything the poller needs and nothing else, so tests and the benchmark
can build targets without an inventory. Secrets stay wrapped in :class:`Secret` (they hide
themselves in ``repr`` and logs) until the session is opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from base.errors import InventoryError
from inventory.secrets import Secret, SecretStore

if TYPE_CHECKING:  # targets are built from the models and unpickled without them
    from inventory.catalog import Inventory
    from inventory.models import Device, SnmpProfile


@dataclass(frozen=True)
class SnmpCredentials:
    version: str  # "v2c" or "v3"
    community: Secret | None = None
    user: str | None = None
    auth_protocol: str | None = None
    auth_key: Secret | None = None
    priv_protocol: str | None = None
    priv_key: Secret | None = None


@dataclass(frozen=True)
class SnmpTarget:
    device: str
    address: str
    port: int
    credentials: SnmpCredentials
    interfaces: tuple[str, ...]
    timeout_seconds: float = 2.0
    retries: int = 1

    @property
    def budget_seconds(self) -> float:
        """The longest one request may take with its retries."""
        return self.timeout_seconds * (self.retries + 1)


def credentials_for(profile: SnmpProfile, secrets: SecretStore) -> SnmpCredentials:
    """Resolve a profile's secret references; a missing secret raises SecretMissingError."""
    if profile.version == "v2c":
        community = secrets.get(profile.community_env) if profile.community_env else None
        return SnmpCredentials(version="v2c", community=community)
    return SnmpCredentials(
        version="v3",
        user=profile.user,
        auth_protocol=profile.auth_protocol,
        auth_key=secrets.get(profile.auth_key_env) if profile.auth_key_env else None,
        priv_protocol=profile.priv_protocol,
        priv_key=secrets.get(profile.priv_key_env) if profile.priv_key_env else None,
    )


def target_for(
    inv: Inventory, device: Device, secrets: SecretStore, *, legacy: bool = False
) -> SnmpTarget:
    """The target of one device, through its SNMP profile (or its legacy v2c profile)."""
    name = device.legacy_snmp_profile if legacy else device.snmp_profile
    if name is None:
        raise InventoryError(
            inv.location("device", device.name, "legacy_snmp_profile"),
            f"device {device.name} has no legacy SNMP profile",
        )
    profile = inv.snmp_profile_by_name[name]
    return SnmpTarget(
        device=device.name,
        address=str(device.mgmt_address),
        port=profile.port,
        credentials=credentials_for(profile, secrets),
        interfaces=tuple(i.name for i in device.interfaces),
        timeout_seconds=profile.timeout_seconds,
        retries=profile.retries,
    )


def targets_from_inventory(
    inv: Inventory, secrets: SecretStore, devices: Sequence[str] | None = None
) -> list[SnmpTarget]:
    """Targets for ``devices`` (default: every device); an unknown name is bad input."""
    if devices:
        unknown = [d for d in devices if d not in inv.device_by_name]
        if unknown:
            raise InventoryError(
                inv.location("device", unknown[0]),
                f"no device named {unknown[0]!r} in the inventory",
            )
        chosen = [inv.device(d) for d in devices]
    else:
        chosen = list(inv.devices)
    return [target_for(inv, d, secrets) for d in chosen]
