"""H3C Comware 7: one-stage configuration, ``save`` with its file-name question and
``save force``, ``screen-length disable``, errors as `` % Unrecognized command ...``.

Text modelled on captured output: the byte-exact S5130 session in
tests/fixtures/captures/oxidized/ (banner, ``\\r\\n``, prompts, ``display version``) and
ntc-templates' Comware captures (``display interface brief``,
``display lldp neighbor-information list|verbose``).
"""

from __future__ import annotations

from .config import ConfigStyle
from .device import Device
from .shell import Display, VendorPlatform, VrpFamilyShell
from .words import VRP_FAMILY_WORDS, abbreviate

STYLE = ConfigStyle(
    global_indent=1,
    view_prefixes=(
        "interface ",
        "line ",
        "ospf ",
        "bgp ",
        "isis ",
        "acl ",
        "vlan ",
        "local-user ",
        "domain ",
        "radius scheme ",
        "hwtacacs scheme ",
        "traffic classifier ",
        "traffic behavior ",
        "qos policy ",
        "ip vpn-instance ",
        "public-key peer ",
        "route-policy ",
        "user-group ",
        "stp region-configuration",
        "irf-port ",
    ),
    nested_view_prefixes=(
        "area ",
        "address-family ",
        "ip vpn-instance ",
        "public-key-code begin",
    ),
    single_valued=(
        "description ",
        "sysname ",
        "ip address ",
        "idle-timeout ",
        "authentication-mode ",
        "protocol inbound ",
        "user-role ",
        "ospf cost ",
        "ospf network-type ",
        "port link-type ",
        "port access vlan ",
        "mtu ",
        "snmp-agent sys-info version ",
        "ntp-service source ",
        "info-center loghost source ",
        "password-control login-attempt ",
        "qos gts ",
    ),
    default_on=("ip http enable", "ip https enable"),
    physical_interfaces=r"^(GigabitEthernet|Ten-GigabitEthernet|FortyGigE|HundredGigE|"
    r"M-GigabitEthernet|Twenty-FiveGigE)\d",
    tail_views=("line ",),
)

WORDS = VRP_FAMILY_WORDS | frozenset(
    [
        # OSPF timers (the lab's routing policy renders them)
        "spf-schedule-interval",
        "lsa-arrival-interval",
        "lsa-generation-interval",
        "line",
        "user-role",
        "password-control",
        "local-user",
        "irf-port",
        "irf",
        "stp",
        "public-key",
        "ssh2",
        "undo-nothing",
        "mirroring-group",
        "ip-pool",
        "gateway-list",
        "expired",
        "netbios-type",
        "graceful-restart",
        "balance",
        "address-family",
        "priority-flow-control",
        "lacp",
        "link-aggregation",
        "ntp-service",
        "copyright-info",
    ]
)

_SHORT = {
    "GigabitEthernet": "GE",
    "Ten-GigabitEthernet": "XGE",
    "FortyGigE": "FGE",
    "HundredGigE": "HGE",
    "M-GigabitEthernet": "MGE",
    "LoopBack": "Loop",
    "Vlan-interface": "Vlan",
}


def short_name(name: str) -> str:
    """``GigabitEthernet1/0/1`` -> ``GE1/0/1``: how Comware's brief tables name ports."""
    return abbreviate(name, _SHORT)


def view_name(header: str) -> str:
    words = header.split()
    first = words[0]
    if first == "interface":
        return words[1]
    if first == "line":
        return "line-" + words[1] + "-".join(words[2:])
    if first == "local-user":
        role = words[3] if len(words) > 3 and words[2] == "class" else "manage"
        return f"luser-{role}-{words[1]}"
    if first in ("ospf", "isis", "bgp"):
        return f"{first}-{words[1]}" if len(words) > 1 else first
    if first == "area":
        return f"area-{words[1]}"
    if first == "vlan" and len(words) > 1:
        return f"vlan{words[1]}"
    if first == "traffic" and len(words) > 2:
        return f"{words[1]}-{words[2]}"
    if first == "qos" and len(words) > 2:
        return f"qospolicy-{words[2]}"
    if first == "acl" and len(words) > 2:
        return f"acl-{words[1]}-{words[-1]}"
    return "-".join(words[:2])


def _banner(_: Device) -> str:
    # the frame of the S5130 session's login text (tests/fixtures/captures/oxidized/), with
    # H3C's copyright line in place of HPE's
    star = "*" * 78
    return (
        f"{star}\n"
        "* Copyright (c) 2004-2023 New H3C Technologies Co., Ltd. All rights reserved.*\n"
        "* Without the owner's prior written consent,                                 *\n"
        "* no decompiling or reverse-engineering shall be allowed.                    *\n"
        f"{star}\n"
        "\n"
    )


def _version(shell: VrpFamilyShell, _: list[str]) -> str:
    device = shell.device
    model = device.model
    weeks, days, hours, minutes = device.uptime_words()
    uptime = f"{weeks} weeks, {days} days, {hours} hours, {minutes} minutes"
    return (
        f"H3C Comware Software, Version {model.software}, Release {model.release}\n"
        "Copyright (c) 2004-2023 New H3C Technologies Co., Ltd. All rights reserved.\n"
        f"H3C {model.model} uptime is {uptime}\n"
        "Last reboot reason : Cold reboot\n"
        "\n"
        f"Boot image: flash:/{model.model.lower()}-cmw710-boot-r{model.release.lower()}.bin\n"
        f"Boot image version: {model.software}, Release {model.release}\n"
        f"System image: flash:/{model.model.lower()}-cmw710-system-r{model.release.lower()}.bin\n"
        f"System image version: {model.software}, Release {model.release}\n"
        "\n"
        "Slot 1:\n"
        f"Uptime is {weeks} weeks,{days} days,{hours} hours,{minutes} minutes\n"
        f"{model.model} with 1 Processor\n"
        f"BOARD TYPE:         {model.model}\n"
        "DRAM:               1024M bytes\n"
        "FLASH:              512M bytes\n"
    )


def _interface_brief(shell: VrpFamilyShell, _: list[str]) -> str:
    device = shell.device
    rows = [
        "Brief information on interfaces in route mode:",
        "Link: ADM - administratively down; Stby - standby",
        "Protocol: (s) - spoofing",
        "Interface            Link Protocol Primary IP        Description",
    ]
    for name in device.interfaces():
        link, proto = device.interface_up(name)
        view = device.running.find((f"interface {name}",))
        shut = view is not None and any(c.text == "shutdown" for c in view.children)
        state = "ADM" if shut else "UP" if link else "DOWN"
        protocol = "UP(s)" if name.startswith("LoopBack") else "UP" if proto else "DOWN"
        address = device.ip_address(name) or "--"
        rows.append(
            f"{short_name(name):<21}{state:<5}{protocol:<9}{address:<18}{device.description(name)}".rstrip()
        )
    return "\n".join(rows)


def _live(device: Device) -> list[tuple[int, str, list]]:  # type: ignore[type-arg]
    out = []
    for index, port in enumerate(device.ports, start=1):
        found = [n for n in device.neighbors if n.local_port == port.name]
        if found and device.interface_up(port.name)[0]:
            out.append((index, port.name, found))
    return out


def _lldp_list(shell: VrpFamilyShell, _: list[str]) -> str:
    rows = [
        "Chassis ID : * -- -- Nearest nontpmr bridge neighbor",
        "             # -- -- Nearest customer bridge neighbor",
        "             Default -- -- Nearest bridge neighbor",
        "System Name          Local Interface Chassis ID      Port ID",
    ]
    for _index, port, found in _live(shell.device):
        for nb in found:
            rows.append(
                f"{nb.system_name:<21}{short_name(port):<16}{nb.chassis_id:<16}{nb.port_id}"
            )
    return "\n".join(rows)


def _lldp_verbose(shell: VrpFamilyShell, _: list[str]) -> str:
    out: list[str] = []
    for index, port, found in _live(shell.device):
        out.append(f"LLDP neighbor-information of port {index}[{port}]:")
        out.append("LLDP agent nearest-bridge:")
        for number, nb in enumerate(found, start=1):
            out += [
                f" LLDP neighbor index : {number}",
                " Update time         : 0 days, 0 hours, 1 minutes, 2 seconds",
                " Chassis type        : MAC address",
                f" Chassis ID          : {nb.chassis_id}",
                " Port ID type        : Interface name",
                f" Port ID             : {nb.port_id}",
                " Time to live        : 121",
                f" Port description    : {nb.port_description or nb.port_id}",
                f" System name         : {nb.system_name}",
                f" System description  : {nb.system_description or nb.system_name}",
                " System capabilities supported : Bridge, Router",
                " System capabilities enabled   : Bridge, Router",
                " Management address type           : IPv4",
                f" Management address                : {nb.mgmt_address}",
                " Management address interface type : IfIndex",
                " Management address interface ID   : Unknown",
                " Management address OID            : 0",
                " Port VLAN ID(PVID)  : 1",
                " Maximum frame size         : 9216",
                "",
            ]
    return "\n".join(out)


def _save(shell: VrpFamilyShell, args: list[str]) -> str:
    done = (
        "Validating file. Please wait...\n"
        "Saved the current configuration to mainboard device successfully."
    )
    if args[:1] == ["force"]:
        shell.device.save()
        return done
    question = "The current configuration will be written to the device. Are you sure? [Y/N]:"
    if not shell.ask(question).strip().lower().startswith("y"):
        return "Configuration is not saved!"
    name = shell.ask(
        "Please input the file name(*.cfg)[flash:/startup.cfg]\n"
        "(To leave the existing filename unchanged, press the enter key):"
    ).strip()
    if name and name not in ("flash:/startup.cfg", "startup.cfg"):
        shell.device.save(name.split("/")[-1])
        return done
    if shell.ask("flash:/startup.cfg exists, overwrite? [Y/N]:").strip().lower()[:1] != "y":
        return "Configuration is not saved!"
    shell.device.save()
    return done


def _header(device: Device) -> str:
    return f"#\n version {device.model.software}, Release {device.model.release}\n"


_DISPLAYS: dict[tuple[str, ...], Display] = {
    ("version",): _version,
    ("interface", "brief"): _interface_brief,
    ("lldp", "neighbor-information", "list"): _lldp_list,
    ("lldp", "neighbor-information", "verbose"): _lldp_verbose,
}


def platform() -> VendorPlatform:
    return VendorPlatform(
        name="hp_comware",
        style=STYLE,
        banner=_banner,
        unrecognized=" % Unrecognized command found at '^' position.",
        incomplete=" % Incomplete command found at '^' position.",
        paging_off=("screen-length", "disable"),
        paging_off_reply="",
        save=_save,
        displays=_DISPLAYS,
        view_name=view_name,
        config_words=WORDS,
        config_header=_header,
    )
