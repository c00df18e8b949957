"""Faults: cut and restore circuits, power devices off and on.

* ``link_down(..., mode="carrier")`` (default): the carrier circuit fails; both device ports
  lose carrier (ifOperStatus down, ifAdminStatus still up), OSPF drops at once and the
  devices send linkDown. ``mode="silent"``: frames stop crossing but both ports stay up, as
  when a carrier's network fails in the middle; only BFD notices (~300 ms).
* ``device_health``: an emulated VRP/Comware device (the profile's ``keep_platform``) reports
  other health readings over SNMP: a CPU or memory load, a temperature, a failed fan or power
  supply, a transceiver's power; ``None`` puts every reading back to its default.
* ``device_down``: the device is powered off: its daemons stop (no SNMP, SSH, LLDP, routing),
  its ports go down and its neighbours' ports lose carrier. ``device_up`` powers it on: its
  daemons start again and FRR boots the config last saved with ``write memory``.

``egovnet lab up`` on a running lab heals every fault.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from base.errors import LabError, LabUsageError

from . import emulated, frr, netdev, procs
from .bringup import Progress, restart_nodes
from .plan import PlannedLink
from .running import RunningLab, open_lab
from .state import LinkFaultMode, machine_lock, save_state
from .vendors.health_state import (
    HealthState,
    deviations,
    reset_health,
    set_health,
    set_optical,
)


def link_down(state_dir: Path, link_id: str, mode: LinkFaultMode = "carrier") -> None:
    with machine_lock():
        lab = open_lab(state_dir)
        link = lab.link(link_id)
        netdev.set_circuit(link, carrier=(mode == "silent"), connected=False)
        lab.state.faults.links[link_id] = mode
        save_state(lab.state)


def link_up(state_dir: Path, link_id: str, *, wait: float = 30.0) -> None:
    """Restore a circuit; with ``wait`` > 0, return once OSPF is Full over it again and its
    BFD session is up (so a following fault is detected by BFD, as in production)."""
    with machine_lock():
        lab = open_lab(state_dir)
        link = lab.link(link_id)
        lab.state.faults.links.pop(link_id, None)
        if _powered_off(lab, link.a.device, link.b.device):
            save_state(lab.state)
            return
        netdev.set_circuit(link, carrier=True, connected=True)
        save_state(lab.state)
    if wait > 0:
        wait_converged(lab, link, wait)


def wait_converged(lab: RunningLab, link: PlannedLink, timeout: float) -> None:
    """Until both ends see each other: OSPF Full on the port and the BFD session up."""
    deadline = time.monotonic() + timeout
    ends = ((link.a, link.b), (link.b, link.a))
    while True:
        done = all(
            any(
                n.full
                for n in frr.ospf_neighbors(lab.paths.frr_run(port.device))
                if n.interface == port.ifname
            )
            and str(peer.address.ip) in frr.bfd_peers_up(lab.paths.frr_run(port.device))
            for port, peer in ends
        )
        if done:
            return
        if time.monotonic() > deadline:
            raise LabError(f"link {link.id}: OSPF/BFD not back within {timeout:.0f}s")
        time.sleep(0.1)


def _powered_off(lab: RunningLab, *devices: str) -> bool:
    return any(d in lab.state.faults.devices for d in devices)


def device_down(state_dir: Path, device: str) -> None:
    with machine_lock():
        lab = open_lab(state_dir)
        node = lab.node(device)
        if device in lab.state.faults.devices:
            return
        procs.stop(lab.state.processes_of(device))
        lab.state.processes = [p for p in lab.state.processes if p.node != device]
        netdev.set_ports(node, up=False)
        for port in node.ports:
            netdev.set_circuit(lab.link(port.link_id), carrier=False, connected=False)
        lab.state.faults.devices.append(device)
        save_state(lab.state)


def device_up(
    state_dir: Path, device: str, timeout: float = 60.0, progress: Progress | None = None
) -> None:
    with machine_lock():
        lab = open_lab(state_dir)
        node = lab.node(device)
        if (
            device not in lab.state.faults.devices
            and all(procs.alive(p) for p in lab.state.processes_of(device))
            and lab.state.processes_of(device)
        ):
            return
        netdev.set_ports(node, up=True)
        for port in node.ports:
            if port.link_id in lab.state.faults.links:
                continue
            if _powered_off(lab, port.peer_device):
                continue
            netdev.set_circuit(lab.link(port.link_id), carrier=True, connected=True)
        if device in lab.state.faults.devices:
            lab.state.faults.devices.remove(device)
        try:
            restart_nodes(lab, [device], timeout=timeout, progress=progress)
        finally:
            save_state(lab.state)


@dataclass(frozen=True)
class HealthFault:
    """What an emulated device should report; None leaves a reading as it is."""

    cpu: int | None = None
    memory: int | None = None
    temperature: int | None = None
    #: (1-based number, ok)
    fan: tuple[int, bool] | None = None
    power_supply: tuple[int, bool] | None = None
    #: the port whose transceiver reads ``rx_dbm``/``tx_dbm``
    port: str | None = None
    rx_dbm: float | None = None
    tx_dbm: float | None = None


def device_health(state_dir: Path, device: str, fault: HealthFault | None) -> list[str]:
    """Change what an emulated device reports (``None``: back to its defaults); returns what
    it now reports away from them. Its snmpd answers from the new readings at once."""
    with machine_lock():
        lab = open_lab(state_dir)
        node = lab.node(device)
        if node.emulation is None:
            kept = [n.name for n in lab.plan.routers if n.emulation is not None]
            raise LabUsageError(
                f"{device}: runs FRR in this lab and has no vendor health; devices that do: "
                f"{', '.join(kept) or 'none (the lab profile has dept1 and vil2)'}"
            )
        path = emulated.health_file(lab.paths, device)
        try:
            state = reset_health(path) if fault is None else _apply(path, fault)
        except LabUsageError as exc:  # "<health file>: what": the device is what the user named
            raise LabUsageError(f"{device}: {str(exc).split(': ', 1)[-1]}") from None
        now = deviations(state)
        if now:
            lab.state.faults.health[device] = now
        else:
            lab.state.faults.health.pop(device, None)
        save_state(lab.state)
        return now


def _apply(path: Path, fault: HealthFault) -> HealthState:
    if fault.port is None and (fault.rx_dbm is not None or fault.tx_dbm is not None):
        raise LabUsageError(f"{path}: --rx/--tx need the port (--port)")
    state = set_health(
        path,
        cpu=fault.cpu,
        memory=fault.memory,
        temperature=fault.temperature,
        fan=fault.fan,
        power_supply=fault.power_supply,
    )
    if fault.port is not None:
        if fault.rx_dbm is None and fault.tx_dbm is None:
            raise LabUsageError(f"{path}: --port {fault.port}: say --rx or --tx")
        state = set_optical(path, fault.port, rx_dbm=fault.rx_dbm, tx_dbm=fault.tx_dbm)
    return state


def parse_part(value: str | None, what: str) -> tuple[int, bool] | None:
    """A fan's or power supply's state as typed: ``2=failed`` -> (2, False), ``1=ok``."""
    if value is None:
        return None
    number, _, state = value.partition("=")
    if not number.isdigit() or state not in ("ok", "failed"):
        raise LabUsageError(f"--{what} {value!r}: expected NUMBER=ok or NUMBER=failed (2=failed)")
    return int(number), state == "ok"


def check_mode(mode: str) -> LinkFaultMode:
    if mode == "carrier":
        return "carrier"
    if mode == "silent":
        return "silent"
    raise LabUsageError(f"link fault mode {mode!r}: expected carrier or silent")
