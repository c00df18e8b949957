"""Vendor health over SNMP: CPU, memory, temperature, fans, power supplies, optics.

One module per platform, alike in shape (``PLATFORM``, ``COLUMNS`` to walk, ``parse``), found
through :data:`HEALTH_PLATFORMS` by the inventory's platform name; the OIDs are in
:mod:`collectors.vendor_oids`. :func:`collectors.vendor_health.poll.poll_health` walks the
columns on the device's own SNMP session (shared with the IF-MIB poll).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import hp_comware, huawei_vrp
from .readings import HealthParts, InterfaceOf, Tables


@dataclass(frozen=True)
class HealthPlatform:
    columns: tuple[str, ...]
    parse: Callable[[Tables, InterfaceOf], HealthParts]


HEALTH_PLATFORMS: dict[str, HealthPlatform] = {
    module.PLATFORM: HealthPlatform(module.COLUMNS, module.parse)
    for module in (huawei_vrp, hp_comware)
}
