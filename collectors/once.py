"""One SNMP poll of some or all inventory devices (``egovnet poll``), start to finish.

A lab inventory is polled only while the lab is up (``routeguard``): the check comes before
the secrets, since without a lab they are missing too and the lab is what to fix.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path

from inventory.catalog import Inventory
from inventory.secrets import SecretStore
from routeguard.routes import device_targets, require_lab_routes

from .readings import DeviceReading


def poll_once(
    inv: Inventory,
    *,
    secrets_file: Path,
    state_dir: Path,
    devices: Sequence[str] | None = None,
    concurrency: int = 64,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[DeviceReading], None] | None = None,
) -> list[DeviceReading]:
    """Poll ``devices`` (default: all) once, in that order; ``on_start(count)`` before the
    first request, ``on_done(reading)`` as each device finishes. Device trouble is in the
    readings; an unknown device or a missing secret raises (bad input)."""
    from .poller import Poller  # gufo-snmp only when polling
    from .targets import targets_from_inventory

    chosen = (
        [inv.device_by_name[d] for d in devices if d in inv.device_by_name]
        if devices
        else inv.devices
    )
    require_lab_routes(inv, device_targets(chosen), state_dir)
    targets = targets_from_inventory(inv, SecretStore(secrets_file), devices or None)
    poller = Poller(targets, max_concurrency=concurrency)
    names = [t.device for t in targets]
    if on_start is not None:
        on_start(len(names))

    async def run() -> list[DeviceReading]:
        try:
            return await poller.poll_many(names, on_done=on_done)
        finally:
            poller.close()

    return asyncio.run(run())
