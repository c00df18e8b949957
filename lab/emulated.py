"""Devices the profile keeps on their production platform (``profile.keep_platform``).

FRR still routes in their namespace (the lab's own FRR config, OSPF and BFD as on every
device), but their management address's port 22 is answered by the vendor emulation
(:mod:`lab.vendors.daemon`) instead of sshd and the FRR device agent, and their snmpd also
answers the vendor's health MIBs (:func:`lab.vendors.health_snmpd.snmpd_config_lines`) from
the health state file the emulation writes.

The emulation boots ``devices/<name>/vendor/config.cfg``: at the first ``up`` that is the
device as found before egovnet managed it (:func:`as_found`: the device's intended config as
automation/ renders it for its platform, handed to :func:`lab.up` by the caller since lab/
does not import automation/, without its interface descriptions), afterwards whatever the
device last saved. So the fresh lab's first ``config diff`` has something to push on every
platform, as on the FRR devices, whose first config is the lab's own.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from base.errors import LabUsageError
from inventory.catalog import Inventory

from . import shell
from .credentials import LabCredentials
from .paths import LabPaths
from .plan import LabPlan, Node
from .vendors.daemon_spec import DaemonPort, DaemonSpec
from .vendors.device import LldpNeighbor
from .vendors.health_snmpd import snmpd_config_lines
from .vendors.health_state import reset_health
from .vendors.server import listening

#: The lab's name for the emulation's process (in the state file, logs, status).
DAEMON = "vendor"
#: snmpd runs the health agent with the system's Python (standard library only)
AGENT_PYTHON = "/usr/bin/python3"


def config_file(paths: LabPaths, name: str) -> Path:
    return paths.vendor(name) / "config.cfg"


def spec_file(paths: LabPaths, name: str) -> Path:
    return paths.vendor(name) / "spec.json"


def health_file(paths: LabPaths, name: str) -> Path:
    return paths.vendor(name) / "health.json"


def reset_health_file(paths: LabPaths, name: str) -> None:
    """What ``lab up`` does to a health fault: the device's readings back to their defaults
    (nothing to do when the file is gone: the emulation writes it when it starts)."""
    path = health_file(paths, name)
    if path.is_file():
        reset_health(path)


def check_boot_configs(plan: LabPlan, paths: LabPaths, boot: Mapping[str, str]) -> None:
    """Refuse (before anything is made) an emulated device with nothing to boot from."""
    for node in plan.routers:
        missing = node.name not in boot and not config_file(paths, node.name).is_file()
        if node.emulation is not None and missing:
            raise LabUsageError(_NO_CONFIG.format(node.name, node.emulation.value))


_NO_CONFIG = (
    "{}: keeps platform {} but no config to boot its emulation from was given"
    " (`egovnet lab up` renders it)"
)


def as_found(intended: str) -> str:
    """The config a device had before egovnet: the intent without the interfaces' circuit
    descriptions (which the inventory's links give them). Routing and access are as intended."""
    kept = [line for line in intended.splitlines() if not line.startswith(" description ")]
    return "\n".join(kept) + ("\n" if intended.endswith("\n") else "")


def write_files(
    inv: Inventory,
    plan: LabPlan,
    node: Node,
    paths: LabPaths,
    *,
    creds: LabCredentials,
    boot: str | None,
) -> bool:
    """The emulation's files; True when its spec changed (the daemon must restart). The boot
    config is written only when the device has none yet (it is device state)."""
    assert node.emulation is not None
    vendor = paths.vendor(node.name)
    vendor.mkdir(parents=True, exist_ok=True)
    vendor.chmod(0o755)
    config = config_file(paths, node.name)
    if not config.is_file():
        if boot is None:
            raise LabUsageError(_NO_CONFIG.format(node.name, node.emulation.value))
        config.write_text(as_found(boot), encoding="utf-8")
        config.chmod(0o600)
    profile = node.device.credential_profile
    if profile is None:
        raise LabUsageError(f"{node.name}: an emulated device needs a credential_profile")
    account = creds.accounts[profile]
    password_env = inv.credential_profile_by_name[profile].password_env
    spec = DaemonSpec(
        platform=node.emulation.value,
        config=str(config),
        address=str(node.mgmt.ip),
        port=22,
        username=account.username,
        password_env=password_env,
        health_state=str(health_file(paths, node.name)),
        ports=[DaemonPort(p.inventory_name, p.ifname) for p in node.ports],
        neighbors=[
            LldpNeighbor(
                local_port=p.inventory_name,
                system_name=p.peer_device,
                port_id=p.peer_inventory_name,
                port_description=plan.link(p.link_id).description,
                mgmt_address=str(plan.node(p.peer_device).mgmt.ip),
            )
            for p in node.ports
        ],
    )
    return spec.write(spec_file(paths, node.name))


def argv(node: Node, paths: LabPaths) -> list[str]:
    """In the device's namespace; ``-I``: this interpreter's own packages only."""
    module = [sys.executable, "-I", "-m", "lab.vendors.daemon", str(spec_file(paths, node.name))]
    return shell.in_netns(node.namespace, module)


def answers_ssh(pid: int) -> bool:
    """The emulation listens on port 22 in its namespace. Read from its own socket table: a
    probe connection would leave a failed SSH handshake (a traceback) in its log."""
    try:
        return listening(22, f"/proc/{pid}/net/tcp")
    except OSError:
        return False


def env(creds: LabCredentials) -> dict[str, str]:
    """The daemon's environment: the tools' plus the lab's secrets (never its argv)."""
    return {**shell.TOOL_ENV, **creds.env}


def snmpd_lines(node: Node, paths: LabPaths) -> list[str]:
    if node.emulation is None:
        return []
    return snmpd_config_lines(
        node.emulation.value, health_file(paths, node.name), python=AGENT_PYTHON
    )
