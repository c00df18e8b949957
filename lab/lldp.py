"""lldpd per device, on the device's link interfaces only (never the management port,
never the host), so LLDP neighbours reproduce the inventory's cabling.

Port IDs are interface names (``portidsubtype ifname``); where the lab had to shorten an
inventory name the port description carries the inventory name (the interface's ifalias).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import shell
from .plan import Node

TX_INTERVAL_SECONDS = 2
TX_HOLD = 5


def render(node: Node) -> str:
    pattern = ",".join(p.ifname for p in node.ports) or "none"
    return "\n".join(
        [
            f"configure system hostname {node.name}",
            f'configure system description "egovnet lab {node.role.value} {node.name}"',
            f"configure system interface pattern {pattern}",
            f"configure system ip management pattern {node.mgmt.ip}",
            "configure lldp portidsubtype ifname",
            f"configure lldp tx-interval {TX_INTERVAL_SECONDS}",
            f"configure lldp tx-hold {TX_HOLD}",
            "",
        ]
    )


def argv(node: Node, config: Path, socket: Path, agentx: Path | None = None) -> list[str]:
    """lldpd in the device; with ``agentx`` it serves LLDP-MIB through snmpd's AgentX
    master socket (its privileged half connects, so the chroot does not hide the socket)."""
    subagent = ["-x", "-X", f"unix:{agentx}"] if agentx is not None else []
    pattern = ",".join(p.ifname for p in node.ports) or "none"
    return shell.in_device(
        node.namespace,
        node.name,
        [
            "/usr/sbin/lldpd",
            "-d",
            "-k",
            "-u",
            str(socket),
            "-O",
            str(config),
            "-I",
            pattern,
            "-m",
            str(node.mgmt.ip),
            *subagent,
        ],
    )


@dataclass(frozen=True)
class LldpNeighbor:
    local_port: str
    system_name: str
    port_id: str
    port_description: str
    management_address: str | None


def neighbors(namespace: str, socket: Path) -> list[LldpNeighbor]:
    """What ``lldpcli show neighbors`` reports inside the device's namespace."""
    proc = shell.run(
        shell.in_netns(
            namespace, ["lldpcli", "-u", str(socket), "-f", "json0", "show", "neighbors"]
        ),
        check=False,
        timeout=15,
    )
    if proc.returncode != 0:
        return []
    return parse_neighbors(json.loads(proc.stdout or "{}"))


def parse_neighbors(data: dict[str, Any]) -> list[LldpNeighbor]:
    """Read lldpcli's ``json0`` output (every level a list, whatever the count)."""
    out: list[LldpNeighbor] = []
    for lldp in data.get("lldp", []):
        for iface in lldp.get("interface", []):
            chassis = (iface.get("chassis") or [{}])[0]
            port = (iface.get("port") or [{}])[0]
            mgmt = chassis.get("mgmt-ip") or []
            out.append(
                LldpNeighbor(
                    local_port=str(iface.get("name", "")),
                    system_name=_value(chassis.get("name")),
                    port_id=_value(port.get("id")),
                    port_description=_value(port.get("descr")),
                    management_address=_value(mgmt) or None,
                )
            )
    return out


def _value(item: Any) -> str:
    if isinstance(item, list):
        item = item[0] if item else ""
    if isinstance(item, dict):
        return str(item.get("value", ""))
    return str(item or "")
