"""One map from a device's platform to the command that lists its LLDP neighbours and the
parser of that command's output. Every platform module has the same two names::

    COMMAND: str                      the CLI command (or lldpcli call) to run
    parse(output: str) -> list[Neighbor]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from base.errors import DiscoveryError
from inventory.models import Platform

from ..models import Neighbor
from . import cisco_ios, frr, hp_comware, huawei_vrp


@dataclass(frozen=True)
class LldpCommand:
    platform: Platform
    command: str
    parse: Callable[[str], list[Neighbor]]

    @property
    def file_name(self) -> str:
        """Where a recorded output of this command is kept: named after the command."""
        return command_file_name(self.command)


def _entry(platform: Platform, module: ModuleType) -> LldpCommand:
    return LldpCommand(platform=platform, command=module.COMMAND, parse=module.parse)


LLDP_COMMANDS: dict[Platform, LldpCommand] = {
    Platform.huawei_vrp: _entry(Platform.huawei_vrp, huawei_vrp),
    Platform.hp_comware: _entry(Platform.hp_comware, hp_comware),
    Platform.cisco_ios: _entry(Platform.cisco_ios, cisco_ios),
    Platform.frr: _entry(Platform.frr, frr),
}


def lldp_command(platform: Platform) -> LldpCommand:
    try:
        return LLDP_COMMANDS[platform]
    except KeyError:
        raise DiscoveryError(f"no LLDP reader for platform {platform.value}") from None


def command_file_name(command: str) -> str:
    """``display lldp neighbor`` -> ``display_lldp_neighbor.txt``."""
    return "_".join(command.split()) + ".txt"
