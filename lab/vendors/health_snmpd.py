"""The snmpd lines that make a device's snmpd answer its vendor health MIBs.

``snmpd_config_lines(platform, state_file)`` gives ``pass_persist`` lines for ENTITY-MIB's
entPhysicalTable and the platform's vendor subtree, each served by
:mod:`lab.vendors.health_agent` from the state file (:mod:`lab.vendors.health_state`). Add
them to the device's snmpd.conf; SNMPv3 users, views and IF-MIB stay snmpd's own.
"""

from __future__ import annotations

import sys
from pathlib import Path

from base.errors import LabUsageError

AGENT = Path(__file__).resolve().with_name("health_agent.py")
ENTITY_TABLE = ".1.3.6.1.2.1.47.1.1.1"
#: The vendor subtrees each platform's agent answers under.
VENDOR_ROOTS: dict[str, tuple[str, ...]] = {
    "huawei_vrp": (".1.3.6.1.4.1.2011.5.25.31",),  # HUAWEI-ENTITY-EXTENT-MIB
    "hp_comware": (
        ".1.3.6.1.4.1.25506.2.6",  # HH3C-ENTITY-EXT-MIB
        ".1.3.6.1.4.1.25506.2.70",  # HH3C-TRANSCEIVER-INFO-MIB
    ),
}


def snmpd_config_lines(
    platform: str, state_file: Path, *, python: str = sys.executable
) -> list[str]:
    """``pass_persist`` lines for a ``huawei_vrp`` or ``hp_comware`` device's snmpd.

    ``python`` runs the agent (standard library only: the system's ``/usr/bin/python3`` does).
    """
    roots = VENDOR_ROOTS.get(platform)
    if roots is None:
        raise LabUsageError(
            f"platform {platform!r} has no vendor health MIBs (expected one of"
            f" {', '.join(VENDOR_ROOTS)})"
        )
    return [
        f"pass_persist {root} {python} {AGENT} {state_file} {root}"
        for root in (ENTITY_TABLE, *roots)
    ]
