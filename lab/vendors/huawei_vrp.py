"""Huawei VRP: VRP5 (one-stage: a line takes effect when typed) and VRP8 (two-stage: lines
go to a candidate, ``[*name]`` shows it is pending, ``commit`` applies it).

Text modelled on captured output (tests/fixtures/captures/ntc-templates/huawei_vrp/ and
napalm-huawei-vrp's VRP5/VRP8 outputs): ``display version``, ``display interface brief``,
``display lldp neighbor``; the dialogues of ``save`` and ``rollback configuration``.
"""

from __future__ import annotations

import time

from .config import ConfigStyle, RunningConfig
from .device import Device
from .shell import Display, VendorPlatform, VrpFamilyShell
from .words import VRP_FAMILY_WORDS, abbreviate

_STYLE_ARGS = {
    "view_prefixes": (
        "interface ",
        "aaa",
        "user-interface ",
        "ospf ",
        "bgp ",
        "isis ",
        "acl ",
        "vlan ",
        "bfd",
        "traffic classifier ",
        "traffic behavior ",
        "traffic policy ",
        "ip vpn-instance ",
        "rsa peer-public-key ",
        "route-policy ",
        "radius-server template ",
        "hwtacacs-server template ",
    ),
    "nested_view_prefixes": (
        "area ",
        "ipv4-family",
        "domain ",
        "authentication-scheme ",
        "authorization-scheme ",
        "accounting-scheme ",
        "public-key-code begin",
    ),
    "single_valued": (
        "description ",
        "sysname ",
        "ip address ",
        "idle-timeout ",
        "authentication-mode ",
        "protocol inbound ",
        "user privilege level ",
        "ospf cost ",
        "ospf network-type ",
        "port link-type ",
        "mtu ",
        "header login information ",
        "snmp-agent sys-info version ",
        "ntp-service source-interface ",
        "info-center loghost source ",
        "qos gts ",
        "local-aaa-user wrong-password ",
    ),
    "default_on": ("http server enable", "http secure-server enable"),
    "physical_interfaces": (
        r"^(GigabitEthernet|XGigabitEthernet|10GE|25GE|40GE|100GE|Ethernet|MEth)\d"
    ),
}
VRP5_STYLE = ConfigStyle(global_indent=1, **_STYLE_ARGS)  # type: ignore[arg-type]
VRP8_STYLE = ConfigStyle(global_indent=0, **_STYLE_ARGS)  # type: ignore[arg-type]

WORDS = VRP_FAMILY_WORDS | frozenset(
    [
        # OSPF timers (the lab's routing policy renders them)
        "spf-schedule-interval",
        "lsa-arrival-interval",
        "lsa-originate-interval",
        "stelnet",
        "local-aaa-user",
        "user-interface",
        "portswitch",
        "ssh-server",
        "vlanif",
        "cpu-defend",
        "drop",
        "cluster",
        "ntdp",
        "radius-server",
        "hwtacacs-server",
    ]
)


def view_name(header: str) -> str:
    """``[name-<this>]``: what VRP shows of a view in the prompt."""
    words = header.split()
    first = words[0]
    if first == "interface":
        return words[1]
    if first == "user-interface":
        return "ui-" + "".join(words[1:2]) + "-".join(words[2:])
    if first in ("ospf", "isis"):
        return f"{first}-{words[1]}" if len(words) > 1 else first
    if first == "area":
        return f"area-{words[1]}"
    if first == "traffic" and len(words) > 2:
        kind = "trafficpolicy" if words[1] == "policy" else words[1]
        return f"{kind}-{words[2]}"
    if first == "acl" and len(words) > 2:
        return f"acl-basic-{words[2]}" if words[1] == "number" else f"acl-{words[-1]}-{words[2]}"
    if first == "vlan" and len(words) > 1:
        return f"vlan{words[1]}"
    if first == "ipv4-family":
        return "af-ipv4"
    return "-".join(words[:2])


def _banner(device: Device) -> str:
    login = time.strftime("%Y-%m-%d %H:%M:%S")
    return (
        "\nInfo: The max number of VTY users is 5, the number of current VTY users online is 1,"
        " and total number of terminal users online is 1.\n"
        f"      The current login time is {login}.\n"
    )


def _version(shell: VrpFamilyShell, _: list[str]) -> str:
    device = shell.device
    model = device.model
    weeks, days, hours, minutes = device.uptime_words()
    if shell.platform.two_stage:
        uptime = f"{weeks * 7 + days} days, {hours} hours, {minutes} minutes"
        copyright_ = "Copyright (C) 2012-2018 Huawei Technologies Co., Ltd."
    else:
        uptime = f"{weeks} week, {days} day, {hours} hours, {minutes} minutes"
        copyright_ = "Copyright (C) 2000-2021 HUAWEI TECH Co., Ltd."
    series = model.model.split("-")[0]
    return (
        "Huawei Versatile Routing Platform Software\n"
        f"VRP (R) software, Version {model.software} ({series} {model.release})\n"
        f"{copyright_}\n"
        f"HUAWEI {model.model} uptime is {uptime}\n"
        "\n"
        f"{model.model} version information:\n"
        "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -\n"
        "  SDRAM Memory Size   : 1024 M bytes\n"
        "  FLASH Memory Size   : 512 M bytes\n"
    )


_BRIEF_LEGEND = """PHY: Physical
*down: administratively down
^down: standby
(l): loopback
(s): spoofing
(b): BFD down
(e): ETHOAM down
(d): Dampening Suppressed
InUti/OutUti: input utility/output utility
Interface                   PHY   Protocol  InUti OutUti   inErrors  outErrors"""


def _interface_brief(shell: VrpFamilyShell, _: list[str]) -> str:
    device = shell.device
    rows = [_BRIEF_LEGEND]
    for name in device.interfaces():
        link, proto = device.interface_up(name)
        view = device.running.find((f"interface {name}",))
        shut = view is not None and any(c.text == "shutdown" for c in view.children)
        phy = "*down" if shut else "up" if link else "down"
        protocol = "up(s)" if name.startswith("LoopBack") else "up" if proto else "down"
        rows.append(f"{name:<28}{phy:<6}{protocol:<10}{'0%':>5}{'0%':>7}{0:>11}{0:>11}")
    return "\n".join(rows)


def _lldp_neighbor(shell: VrpFamilyShell, _: list[str]) -> str:
    device = shell.device
    out: list[str] = []
    for port in device.ports:
        found = [n for n in device.neighbors if n.local_port == port.name]
        if not found or not device.interface_up(port.name)[0]:
            out += [f"{port.name} has 0 neighbor(s)", ""]
            continue
        out += [f"{port.name} has {len(found)} neighbor(s):", ""]
        for index, nb in enumerate(found, start=1):
            out += [
                f"Neighbor index :{index}",
                "Chassis type   :MAC address",
                f"Chassis ID     :{nb.chassis_id}",
                "Port ID type   :Interface name",
                f"Port ID        :{nb.port_id}",
                f"Port description    :{nb.port_description or nb.port_id}",
                f"System name         :{nb.system_name}",
                f"System description  :{nb.system_description or nb.system_name}",
                "System capabilities supported   :bridge router",
                "System capabilities enabled     :bridge router",
                "Management address type  :ipv4",
                f"Management address value :{nb.mgmt_address}",
                "Expired time   :104s",
                "",
            ]
    return "\n".join(out)


#: how VRP's brief tables shorten port names
_SHORT = {
    "GigabitEthernet": "GE",
    "XGigabitEthernet": "XGE",
    "Ethernet": "Eth",
    "LoopBack": "Loop",
}


def _lldp_neighbor_brief(shell: VrpFamilyShell, _: list[str]) -> str:
    """``display lldp neighbor brief`` (what napalm-huawei-vrp's ``get_lldp_neighbors`` reads),
    in the layout its docstring records from a device."""
    device = shell.device
    rows = [f"{'Local Intf':<14}{'Neighbor Dev':<22}{'Neighbor Intf':<26}Exptime(s)"]
    for port in device.ports:
        if not device.interface_up(port.name)[0]:
            continue
        for nb in (n for n in device.neighbors if n.local_port == port.name):
            local = abbreviate(port.name, _SHORT)
            rows.append(f"{local:<14}{nb.system_name:<22}{nb.port_id:<26}104")
    # a blank line before the prompt: the driver's pattern needs white space after the
    # last row's Exptime (its docstring shows no table end; a blank line is an assumption)
    return "\n".join(rows) + "\n "


def _esn(shell: VrpFamilyShell, _: list[str]) -> str:
    return f"ESN of slot 0: {shell.device.model.esn}"


def _commit_list(shell: VrpFamilyShell, _: list[str]) -> str:
    rows = [
        "Max number of commit points: 50",
        "Number of commit points: " + str(len(shell.device.commits)),
        "---------------------------------------------------------------------------",
        "Idx  CommitId      Label       User     TimeStamp",
        "---------------------------------------------------------------------------",
    ]
    for index, entry in enumerate(reversed(shell.device.commits), start=1):
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(entry.at))
        rows.append(f"{index:<5}{entry.commit_id:<14}{entry.label or '-':<12}{'netops':<9}{stamp}")
    return "\n".join(rows)


def _candidate(shell: VrpFamilyShell, _: list[str]) -> str:
    config = shell.candidate or shell.device.running
    return config.render()


def _save(shell: VrpFamilyShell, args: list[str]) -> str:
    name = args[0] if args else None
    if shell.platform.two_stage:
        question = (
            "Warning: The current configuration will be written to the device. Continue? [Y/N]:"
        )
    else:
        question = (
            "The current configuration will be written to the device.\n"
            "Are you sure to continue?[Y/N]"
        )
    if not shell.ask(question).strip().lower().startswith("y"):
        return ""
    shell.device.save(name)
    where = f"flash:/{name}" if name else "the slot 0"
    return (
        f"Now saving the current configuration to {where}.\n"
        "Info: Save the configuration successfully."
    )


def _dir(shell: VrpFamilyShell, args: list[str]) -> str:
    name = (args[-1] if args else "").split("/")[-1]
    if name and name in shell.device.files:
        size = len(shell.device.files[name])
        return (
            "Directory of flash:/\n\n"
            f"  Idx  Attr     Size(Byte)  Date        Time       FileName\n"
            f"    0  -rw-     {size:>10}  {time.strftime('%b %d %Y %H:%M:%S')}   {name}"
        )
    return f"Error: No file found in flash:/{name}" if name else "Directory of flash:/"


def _delete(shell: VrpFamilyShell, args: list[str]) -> str:
    name = (args[-1] if args else "").split("/")[-1]
    if shell.device.files.pop(name, None) is None:
        return "Error: The file does not exist."
    return f"Info: Deleting file flash:/{name}...succeeded."


def _rollback(shell: VrpFamilyShell, args: list[str]) -> str:
    """``rollback configuration last N`` / ``to commit-id ID`` / ``to file NAME`` (VRP8)."""
    device = shell.device
    if args[:1] != ["configuration"] or len(args) < 3:
        return "Error: Incomplete command found at '^' position."
    if args[1] == "last" and args[2].isdigit():
        count = int(args[2])
        if count < 1 or count > len(device.commits):
            return "Error: The number of commit points is insufficient."
        target = device.commits[-count].commit_id
        device.rollback_to(target)
        return "Info: Succeeded in rolling back configuration."
    if args[1:3] == ["to", "commit-id"] and len(args) > 3:
        if device.rollback_to(args[3]):
            return "Info: Succeeded in rolling back configuration."
        return "Error: The commit ID does not exist."
    if args[1:3] == ["to", "file"] and len(args) > 3:
        name = args[3].split("/")[-1]
        text = device.files.get(name)
        if text is None:
            return "Error: The file does not exist."
        answer = shell.ask("Warning: All configurations will be rolled back. Continue? [Y/N]:")
        if not answer.strip().lower().startswith("y"):
            return ""
        device.commit(RunningConfig.parse(text, device.running.style), label="file")
        return "Info: Succeeded in rolling back configuration. The rollback is finished."
    return "Error: Unrecognized command found at '^' position."


def _header(device: Device) -> str:
    stamp = time.strftime("%Y-%m-%d %H:%M:%S+08:00", time.localtime(device.last_change()))
    return f"!Software Version {device.model.release}\n!Last configuration was updated at {stamp}\n"


_DISPLAYS: dict[tuple[str, ...], Display] = {
    ("version",): _version,
    ("interface", "brief"): _interface_brief,
    ("lldp", "neighbor"): _lldp_neighbor,
    ("lldp", "neighbor", "brief"): _lldp_neighbor_brief,
    ("esn",): _esn,
}
_VRP8_DISPLAYS: dict[tuple[str, ...], Display] = {
    **_DISPLAYS,
    ("configuration", "commit", "list"): _commit_list,
    ("configuration", "candidate"): _candidate,
}


def platform(vrp8: bool = False) -> VendorPlatform:
    return VendorPlatform(
        name="huawei_vrp8" if vrp8 else "huawei_vrp",
        style=VRP8_STYLE if vrp8 else VRP5_STYLE,
        banner=_banner,
        unrecognized="Error: Unrecognized command found at '^' position.",
        incomplete="Error: Incomplete command found at '^' position.",
        paging_off=("screen-length", "0", "temporary"),
        paging_off_reply="Info: The configuration takes effect on the current user terminal "
        "interface only.",
        save=_save,
        displays=_VRP8_DISPLAYS if vrp8 else _DISPLAYS,
        view_name=view_name,
        config_words=WORDS,
        two_stage=vrp8,
        config_header=_header,
        uncommitted_question="Warning: Uncommitted configurations found. Are you sure to "
        "commit them before exiting? [Y(yes)/N(no)/C(cancel)]:",
        extra_user_commands={
            "dir": _dir,
            "delete": _delete,
            **({"rollback": _rollback} if vrp8 else {}),
        },
    )
