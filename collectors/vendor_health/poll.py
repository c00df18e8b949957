"""Poll one device's vendor health through the shared :class:`~collectors.poller.Poller`."""

from __future__ import annotations

from dataclasses import replace

from ..poller import Poller
from ..readings import ErrorKind, PollError
from . import HEALTH_PLATFORMS
from .readings import HealthReading, Tables


async def poll_health(
    poller: Poller, device: str, platform: str, timeout: float | None = None
) -> HealthReading:
    """Walk the platform's columns and parse them; never raises for device trouble.

    Optics are kept for the inventory's interfaces only (a 48-port switch has 48 optics;
    the NOC watches the ones that carry a circuit).
    """
    spec = HEALTH_PLATFORMS[platform]
    walked, error = await poller.walk(device, spec.columns, timeout)
    if error is not None:
        return HealthReading(device, platform, ok=False, error=error)
    tables: Tables = {}
    for column, rows in walked.items():
        cut = len(column) + 1
        tables[column] = {oid[cut:]: value for oid, value in rows}
    if not any(tables.values()):
        missing = PollError(ErrorKind.no_such_name, f"no {platform} health MIB on the device")
        return HealthReading(device, platform, ok=False, error=missing)
    parts = spec.parse(tables, lambda index: poller.interface_name(device, index))
    wanted = set(poller.target(device).interfaces)
    parts = replace(parts, optics=tuple(o for o in parts.optics if o.interface in wanted))
    return HealthReading(device, platform, ok=True, parts=parts)
