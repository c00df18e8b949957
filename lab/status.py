"""``status``: per device, is it there and working (daemons, OSPF, SNMP)?"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import frr, netdev, procs, shell, snmpcheck
from .bringup import memory_bytes
from .running import RunningLab, open_lab
from .state import Status, load_state


@dataclass(frozen=True)
class NodeStatus:
    device: str
    namespace: str
    kind: str
    #: what answers on the management address: frr, linux, or an emulated vendor platform
    platform: str
    namespace_present: bool
    daemons_alive: int
    daemons_total: int
    ospf_full: int | None
    ospf_expected: int | None
    snmp_sys_name: str | None
    faults: list[str]

    @property
    def healthy(self) -> bool:
        ok = self.namespace_present and self.daemons_alive == self.daemons_total
        if self.kind == "device":
            ok = ok and self.ospf_full == self.ospf_expected and self.snmp_sys_name == self.device
        return ok and not self.faults


@dataclass(frozen=True)
class LabStatus:
    state_dir: str
    status: Status | None
    profile: str | None
    up_seconds: float | None
    memory_bytes: int | None
    trap_sink: str | None
    nodes: list[NodeStatus] = field(default_factory=list)
    link_faults: dict[str, str] = field(default_factory=dict)

    @property
    def healthy(self) -> bool:
        return self.status == "up" and all(n.healthy for n in self.nodes)


def status(state_dir: Path) -> LabStatus:
    """Read the lab's state and ask every device; a lab that is down reads as empty."""
    state = load_state(state_dir.resolve())
    if state is None or state.status == "down":
        return LabStatus(str(state_dir), state.status if state else None, None, None, None, None)
    lab = open_lab(state_dir)
    present = netdev.existing_namespaces()
    rows = shell.parallel(lambda n: _node_status(lab, n, present), list(lab.state.nodes))
    return LabStatus(
        state_dir=str(state_dir),
        status=state.status,
        profile=state.profile,
        up_seconds=state.up_seconds,
        memory_bytes=memory_bytes(state),
        trap_sink=state.trap_sink,
        nodes=rows,
        link_faults=dict(state.faults.links),
    )


def _node_status(lab: RunningLab, name: str, namespaces: set[str]) -> NodeStatus:
    node = lab.node(name)
    recs = lab.state.processes_of(name)
    expected = 1 if node.is_server else len(frr.DAEMONS) + 3 + (1 if _serves_http(lab, name) else 0)
    alive = sum(1 for p in recs if procs.alive(p))
    faults = [
        f"link {lid} {mode}"
        for lid, mode in lab.state.faults.links.items()
        if lid in {p.link_id for p in node.ports}
    ]
    if name in lab.state.faults.devices:
        faults.insert(0, "device down")
    faults += [f"health: {what}" for what in lab.state.faults.health.get(name, [])]
    present = node.namespace in namespaces
    platform = lab.inventory.platform(node.device).value
    if node.is_server:
        return NodeStatus(
            name,
            node.namespace,
            "server",
            platform,
            present,
            alive,
            expected,
            None,
            None,
            None,
            faults,
        )
    full = None
    if alive:
        full = sum(1 for n in frr.ospf_neighbors(lab.paths.frr_run(name)) if n.full)
    user = lab.credentials.v3.get(node.device.snmp_profile)
    sys_name = snmpcheck.sys_name(str(node.mgmt.ip), user=user, timeout=1.0) if user else None
    return NodeStatus(
        name,
        node.namespace,
        "device",
        platform,
        present,
        alive,
        expected,
        full,
        len(node.ports),
        sys_name,
        faults,
    )


def _serves_http(lab: RunningLab, name: str) -> bool:
    return any(lan.gateway_device == name and lan.endpoints for lan in lab.plan.lans)
