"""The one platform map: templates, drivers, config syntax and capabilities per platform.

Every per-platform difference the Python code needs is a field here; the code looks a
platform up and reads the field, it never compares platform names. Servers (``linux``)
have no entry: Ansible hardens them, automation/ does not render them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from base.errors import AutomationError
from inventory.models import Platform

from . import syntaxes
from .confdiff import ConfigSyntax

TEMPLATES = Path(__file__).resolve().parent / "templates"


class ApplyMode(StrEnum):
    #: the device takes the whole intended config and replaces its running config
    whole_config = "replace"
    #: the device takes a list of change commands (negations then additions) we compute
    merge = "merge"


class SessionKind(StrEnum):
    napalm = "napalm"
    netmiko = "netmiko"


@dataclass(frozen=True)
class PlatformSpec:
    platform: Platform
    vendor: str
    #: NAPALM driver name (``napalm.get_network_driver``) or None when Netmiko drives it
    napalm_driver: str | None
    netmiko_device_type: str
    session: SessionKind
    apply_mode: ApplyMode
    #: commit with a device-side revert timer (``commit_config(revert_in=...)``)
    supports_commit_confirm: bool
    loopback_interface: str
    #: the interface holding the site LAN's gateway address on the site's device
    lan_interface: str
    syntax: ConfigSyntax
    #: ``CiscoConfParse`` comment delimiters for structural checks; None: not parseable there
    confparse_comments: tuple[str, ...] | None
    #: the command that shows the running configuration over Netmiko
    show_running: str
    #: the last line of a complete running config as the device prints it; a read that does
    #: not end with it was cut short (a stale prompt, a slow device) and is refused. None where
    #: the driver strips or varies the closing line
    running_end: str | None

    @property
    def template_dir(self) -> Path:
        return TEMPLATES / self.platform.value


PLATFORMS: dict[Platform, PlatformSpec] = {
    Platform.huawei_vrp: PlatformSpec(
        platform=Platform.huawei_vrp,
        vendor="Huawei",
        napalm_driver="huawei_vrp",
        netmiko_device_type="huawei",
        session=SessionKind.napalm,
        apply_mode=ApplyMode.merge,
        supports_commit_confirm=False,
        loopback_interface="LoopBack0",
        lan_interface="Vlanif100",
        syntax=syntaxes.HUAWEI_VRP,
        confparse_comments=("#",),
        show_running="display current-configuration",
        running_end="return",
    ),
    Platform.hp_comware: PlatformSpec(
        platform=Platform.hp_comware,
        vendor="H3C",
        napalm_driver=None,
        netmiko_device_type="hp_comware",
        session=SessionKind.netmiko,
        apply_mode=ApplyMode.merge,
        supports_commit_confirm=False,
        loopback_interface="LoopBack0",
        lan_interface="Vlan-interface100",
        syntax=syntaxes.HP_COMWARE,
        confparse_comments=("#",),
        show_running="display current-configuration",
        running_end="return",
    ),
    Platform.cisco_ios: PlatformSpec(
        platform=Platform.cisco_ios,
        vendor="Cisco",
        napalm_driver="ios",
        netmiko_device_type="cisco_ios",
        session=SessionKind.napalm,
        apply_mode=ApplyMode.whole_config,
        supports_commit_confirm=True,
        loopback_interface="Loopback0",
        lan_interface="Vlan100",
        syntax=syntaxes.CISCO_IOS,
        confparse_comments=("!",),
        show_running="show running-config",
        running_end=None,
    ),
    Platform.frr: PlatformSpec(
        platform=Platform.frr,
        vendor="FRRouting",
        napalm_driver="frr",
        netmiko_device_type="cisco_ios",  # vtysh speaks close enough to IOS for Netmiko
        session=SessionKind.napalm,
        apply_mode=ApplyMode.whole_config,
        supports_commit_confirm=True,
        loopback_interface="lo",
        lan_interface="lan0",
        syntax=syntaxes.FRR,
        confparse_comments=None,
        show_running="show running-config",
        running_end=None,
    ),
}


def platform_spec(platform: Platform) -> PlatformSpec:
    """The map entry of a platform; servers and unknown platforms are an AutomationError."""
    try:
        return PLATFORMS[platform]
    except KeyError:
        raise AutomationError(
            f"platform {platform.value!r} is not configured by automation/ "
            f"(known: {', '.join(p.value for p in PLATFORMS)})"
        ) from None
