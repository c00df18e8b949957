"""How a test reaches a lab device's configuration, whatever answers on it: vtysh for the FRR
devices, SSH for the emulated VRP and Comware devices (``profile.keep_platform``)."""

from __future__ import annotations

from typing import Any

from netmiko import ConnectHandler

import lab as lab_api
from inventory.models import Platform
from lab import frr
from lab.handle import LabHandle


def platform_of(lab: LabHandle, device: str) -> Platform:
    return lab.inventory.platform(lab.inventory.device(device))


def emulated(lab: LabHandle, device: str) -> bool:
    return platform_of(lab, device) is not Platform.frr


def vendor_session(lab: LabHandle, device: str) -> Any:
    # echo checks on: Netmiko's hp_comware has them off, and then a late prompt from its own
    # prompt probing can end a read with nothing on a loaded machine (automation does the same)
    return ConnectHandler(**lab.netmiko_params(device), global_cmd_verify=True)


#: VRP's time of the last change, which a restore moves too: not part of the config
STAMP = "!Last configuration was updated at "


def running(lab: LabHandle, device: str) -> str:
    """The device's running config as an engineer reads it (vtysh, or SSH to the emulation),
    without VRP's time stamp of the last change."""
    if not emulated(lab, device):
        return lab.vtysh(device, "show running-config")
    conn = vendor_session(lab, device)
    try:
        text = str(conn.send_command("display current-configuration", read_timeout=30))
    finally:
        conn.disconnect()
    return "\n".join(ln for ln in text.splitlines() if not ln.startswith(STAMP))


def configure(lab: LabHandle, device: str, *commands: str) -> None:
    """A manual change on the device, as an engineer would type it (vtysh, or system-view)."""
    if not emulated(lab, device):
        frr.vtysh(lab_api.namespace(device), "configure terminal", *commands)
        return
    conn = vendor_session(lab, device)
    try:
        conn.send_config_set(list(commands), read_timeout=30)
    finally:
        conn.disconnect()


def settled(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """A config as its views and their lines, each view's lines in sorted order: a restore
    puts the same lines back, but the emulation prints a view's lines in the order they were
    typed, where a device prints them in its own order (docs/vendor-emulation.md)."""
    views: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith(" ") and views:
            views[-1][1].append(line)
        else:
            views.append((line, []))
    return [(head, tuple(sorted(lines))) for head, lines in views]


def same_config(lab: LabHandle, device: str, a: str, b: str) -> bool:
    """The same config: to the line on FRR, the same lines in the same views on an emulation."""
    return settled(a) == settled(b) if emulated(lab, device) else a == b
