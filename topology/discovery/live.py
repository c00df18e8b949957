"""LLDP discovery of live or recorded devices (:func:`discover`), and the neighbour sources
that reach real devices: SSH + TextFSM (Netmiko), NAPALM, the lab's lldpcli.

The lab's FRR devices answer through ``lldpcli`` in their namespaces (``lab.exec_in``); the
lab gives production interface names short Linux names, mapped back here through the
running lab's plan. Everything else is reached over its management address with the
credentials automation uses (environment or secrets file, never the inventory).
"""

from __future__ import annotations

import shlex
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from base.errors import DiscoveryError, TopologyError
from inventory.catalog import Inventory
from inventory.models import Device, Platform, Role
from inventory.secrets import SecretStore
from routeguard.routes import device_targets, require_lab_routes

from .drift import DEFAULT_IGNORED_INTERFACES, DriftReport, compare
from .models import DeviceNeighbors
from .sources import (
    ByPlatform,
    CommandRunner,
    CommandSource,
    NapalmLldp,
    NapalmSource,
    NeighborSource,
    read_all,
    recorded_runner,
)

#: Linux interface name -> inventory name, per lab device.
Aliases = Mapping[str, Mapping[str, str]]


class Via(StrEnum):
    """How devices are reached (``egovnet topology discover --via``)."""

    auto = "auto"
    lldpcli = "lldpcli"
    cli = "cli"
    napalm = "napalm"


@dataclass(frozen=True)
class LiveAccess:
    """Where the live sources find what they need: the lab's state, Nornir's inventory,
    the secrets file."""

    state_dir: Path
    inventory_path: Path
    secrets_file: Path


def discover(
    inv: Inventory,
    *,
    access: LiveAccess,
    devices: list[str] | None = None,
    from_dirs: list[Path] | None = None,
    via: Via = Via.auto,
    ignore_interfaces: tuple[str, ...] = DEFAULT_IGNORED_INTERFACES,
    workers: int = 8,
    progress: Callable[[int, int], None] | None = None,
) -> DriftReport:
    """Read the LLDP neighbours of ``devices`` (default: every network device) and compare
    them with the intended links.

    From recorded outputs when ``from_dirs`` are given (later directories laid over earlier
    ones), else from the devices through ``via``; a lab inventory only while the lab is up
    (``routeguard``). ``progress(done, total)`` after each device read.
    """
    targets = network_devices(inv, devices)
    aliases: Aliases | None = None
    if from_dirs:
        for directory in from_dirs:
            if not directory.is_dir():
                raise TopologyError(f"{directory}: no such directory")
        source: NeighborSource = CommandSource(recorded_runner(*from_dirs), name="recorded")
    else:
        require_lab_routes(inv, device_targets(targets), access.state_dir)
        source, aliases = live_source(inv, access, via)
    total = len(targets)
    done = 0
    lock = threading.Lock()

    def advance(_: DeviceNeighbors) -> None:
        nonlocal done
        with lock:
            done += 1
            if progress is not None:
                progress(done, total)

    if progress is not None:
        progress(0, total)
    readings = read_all(inv, source, targets, workers=workers, progress=advance)
    return compare(inv, readings, ignore_interfaces=ignore_interfaces, aliases=aliases)


def network_devices(inv: Inventory, names: list[str] | None = None) -> list[Device]:
    """The inventory's network devices (no servers), or the named ones of them."""
    network = [d for d in inv.devices if d.role is not Role.server]
    if not names:
        return network
    known = {d.name: d for d in network}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise TopologyError(f"unknown network device(s): {', '.join(unknown)}")
    return [known[n] for n in names]


def live_source(
    inv: Inventory, access: LiveAccess, via: Via
) -> tuple[NeighborSource, Aliases | None]:
    """The source for ``via``, and the lab's interface aliases when the lab answers."""
    has_frr = any(inv.platform(d) is Platform.frr for d in network_devices(inv))
    lab_needed = (
        via is Via.lldpcli
        or (via is Via.auto and has_frr)
        # the FRR driver reports the lab's Linux port names; the plan maps them back
        or (via is Via.napalm and has_frr and inv.profile.platform_override is Platform.frr)
    )
    aliases = lab_aliases(access.state_dir) if lab_needed else None
    # lldpd runs in every lab namespace, also beside an emulated vendor device
    lldpcli = CommandSource(lab_runner(access.state_dir), name="lldpcli", as_platform=Platform.frr)
    if via is Via.lldpcli:
        return lldpcli, aliases
    if via is Via.napalm:
        return NapalmSource(napalm_getter(inv, access)), aliases
    cli = CommandSource(netmiko_runner(inv, access), name="cli")
    if via is Via.cli:
        return cli, None
    return ByPlatform({Platform.frr: lldpcli}, default=cli), aliases


def lab_aliases(state_dir: Path) -> Aliases:
    """Linux interface name -> inventory name per lab device; LabUsageError (exit 2) when no
    lab is up in the state directory."""
    from lab.running import open_lab

    plan = open_lab(state_dir).plan
    return {node.name: {p.ifname: p.inventory_name for p in node.ports} for node in plan.nodes}


def lab_runner(state_dir: Path) -> CommandRunner:
    """A command on a lab device with ``lab.exec_in`` (lldpcli aimed at the device's lldpd)."""

    def run(device: Device, command: str) -> str:
        from lab import exec_in

        done = exec_in(state_dir, device.name, shlex.split(command), timeout=30)
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise DiscoveryError(f"{detail[-1] if detail else f'exit {done.returncode}'}")
        return done.stdout

    return run


def netmiko_runner(inv: Inventory, access: LiveAccess) -> CommandRunner:
    """SSH with Netmiko (device type from automation's platform map), one session per read."""

    def run(device: Device, command: str) -> str:
        from netmiko import ConnectHandler

        from automation.platforms import PLATFORMS

        username, password = credentials(inv, access, device)
        params = {
            "device_type": PLATFORMS[inv.platform(device)].netmiko_device_type,
            "host": str(device.mgmt_address),
            "username": username,
            "password": password,
            "timeout": 20,
            # wait for the command's echo before reading for the prompt: without it (Netmiko's
            # hp_comware default) a late prompt from the login ends the read with nothing,
            # and an empty neighbour table reads as every link missing. One short command
            # per session, so Comware's wrapped echo of long lines does not matter here
            "global_cmd_verify": True,
        }
        with ConnectHandler(**params) as conn:
            return str(conn.send_command(command, read_timeout=60))

    return run


def napalm_getter(inv: Inventory, access: LiveAccess) -> Callable[[Device], NapalmLldp]:
    """NAPALM ``get_lldp_neighbors`` as a Nornir task (nornir_napalm's ``napalm_get``) on
    the hosts of the inventory's Nornir plugin, with the driver the platform map names and
    the credentials automation uses (environment or secrets file)."""
    from automation.platforms import PLATFORMS
    from automation.runner import make_nornir

    nr = make_nornir(access.inventory_path, access.secrets_file, workers=1)

    def get(device: Device) -> NapalmLldp:
        from nornir.core.inventory import ConnectionOptions
        from nornir_napalm.plugins.tasks import napalm_get

        driver_name = PLATFORMS[inv.platform(device)].napalm_driver
        if driver_name is None:
            raise DiscoveryError(
                f"{device.name}: no NAPALM driver for {inv.platform(device).value}"
            )
        credentials(inv, access, device)  # a clear error when the password is missing
        one = nr.filter(name=device.name)
        host = one.inventory.hosts[device.name]
        host.connection_options["napalm"] = ConnectionOptions(
            platform=driver_name, extras={"timeout": 20}
        )
        try:
            result = one.run(task=napalm_get, getters=["lldp_neighbors"])[device.name]
        finally:
            host.close_connections()
        if result.failed:
            raise DiscoveryError(f"{device.name}: {_last_line(result.exception)}")
        lldp: NapalmLldp = result.result["lldp_neighbors"]
        return lldp

    return get


def credentials(inv: Inventory, access: LiveAccess, device: Device) -> tuple[str, str]:
    """The device's username and password (from the environment or the secrets file)."""
    if device.credential_profile is None:
        raise DiscoveryError(f"{device.name}: no credential_profile in the inventory")
    cred = inv.credential_profile_by_name[device.credential_profile]
    return cred.username, SecretStore(access.secrets_file).get(cred.password_env).reveal()


def _last_line(exc: BaseException | None) -> str:
    text = str(exc or "failed").strip().splitlines()
    return text[-1] if text else type(exc).__name__
