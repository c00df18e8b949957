"""等保 checks of network devices from their configurations, one result format for all.

Per-platform modules are alike (``FILES``, ``HINTS``, ``PLATFORM``) and resolved through
:data:`CONFIG_AUDITS`, keyed by :class:`inventory.models.Platform`. Each parses its configuration
into :class:`~playbooks.devices.facts.DeviceFacts`: the vendor CLIs (VRP, Comware, IOS) state
their ``SYNTAX`` for the one reader in :mod:`~playbooks.devices.syntax`; FRR, whose management
lives in the namespace's daemons, has its own ``parse``. The rules in
:mod:`~playbooks.devices.evaluate` judge the facts against the controls and the policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from inventory.catalog import Inventory
from inventory.models import Device, Platform, Role

from ..assets import check_level, systems_of
from ..results import CheckResult
from . import cisco_ios, frr, hp_comware, huawei_vrp
from .configtree import ConfigFile
from .evaluate import check_device
from .facts import ConfigAuditSpec
from .sources import find_device_files

CONFIG_AUDITS: dict[Platform, ConfigAuditSpec] = {
    Platform.huawei_vrp: huawei_vrp.PLATFORM,
    Platform.hp_comware: hp_comware.PLATFORM,
    Platform.cisco_ios: cisco_ios.PLATFORM,
    Platform.frr: frr.PLATFORM,
}


@dataclass
class DeviceAudit:
    """The outcome of checking every network device: rows, and devices without configs."""

    results: dict[str, list[CheckResult]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def check_config(
    inv: Inventory,
    device: Device,
    files: dict[str, ConfigFile],
    *,
    network_level: int = 2,
    collected_at: datetime | None = None,
    platform: Platform | None = None,
) -> list[CheckResult]:
    """Check one device's collected files under the platform the profile runs it on (or
    ``platform``, e.g. a production config checked against a lab inventory)."""
    spec = CONFIG_AUDITS[platform or inv.platform(device)]
    return check_device(
        inv=inv,
        device=device,
        spec=spec,
        files=files,
        systems=systems_of(inv, device, network_level),
        level=check_level(inv, device, network_level),
        collected_at=collected_at or datetime.now().astimezone(),
    )


def check_configs(
    inv: Inventory,
    config_dir: Path,
    *,
    devices: list[str] | None = None,
    network_level: int = 2,
    collected_at: datetime | None = None,
) -> DeviceAudit:
    """Check every network device (or the named ones) whose configuration is in the folder."""
    audit = DeviceAudit()
    when = collected_at or datetime.now().astimezone()
    for device in inv.devices:
        if device.role is Role.server or (devices and device.name not in devices):
            continue
        spec = CONFIG_AUDITS[inv.platform(device)]
        files = find_device_files(config_dir, device.name, spec.files)
        if files is None:
            audit.missing.append(device.name)
            continue
        audit.results[device.name] = check_config(
            inv, device, files, network_level=network_level, collected_at=when
        )
    return audit


__all__ = ["CONFIG_AUDITS", "DeviceAudit", "check_config", "check_configs"]
