"""Where neighbour tables come from, behind one protocol, and reading them from many devices.

* :class:`CommandSource` runs the platform's LLDP command (see :mod:`.platforms`) through a
  :data:`CommandRunner` and parses the output: SSH/CLI sessions, ``lldpcli`` inside a lab
  namespace, or :func:`recorded_runner` (outputs saved in a directory, one file per device
  named after the command).
* :class:`NapalmSource` converts NAPALM's ``get_lldp_neighbors()`` result from a getter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from base.errors import DiscoveryError
from inventory.catalog import Inventory
from inventory.models import Device, Platform

from .models import DeviceNeighbors, Neighbor
from .platforms import command_file_name, lldp_command

#: Runs one command on one device and returns what it printed.
CommandRunner = Callable[[Device, str], str]
#: NAPALM's ``get_lldp_neighbors()``: ``{local_port: [{"hostname": ..., "port": ...}]}``.
NapalmLldp = Mapping[str, Sequence[Mapping[str, str]]]


class NeighborSource(Protocol):
    """Anything that can list a device's LLDP neighbours (raising when it cannot)."""

    @property
    def name(self) -> str: ...

    def read(self, device: Device, platform: Platform) -> list[Neighbor]: ...


@dataclass(frozen=True)
class CommandSource:
    """The platform's LLDP command through ``run``, parsed by the platform's parser."""

    run: CommandRunner
    name: str = "cli"
    #: read every device with this platform's command (lldpcli beside any device's own CLI)
    as_platform: Platform | None = None

    def read(self, device: Device, platform: Platform) -> list[Neighbor]:
        command = lldp_command(self.as_platform or platform)
        return command.parse(self.run(device, command.command))


@dataclass(frozen=True)
class ByPlatform:
    """A different source per platform (e.g. lldpcli for FRR, the CLI for the rest)."""

    sources: Mapping[Platform, NeighborSource]
    default: NeighborSource
    name: str = "auto"

    def pick(self, platform: Platform) -> NeighborSource:
        return self.sources.get(platform, self.default)

    def read(self, device: Device, platform: Platform) -> list[Neighbor]:
        return self.pick(platform).read(device, platform)


def used_source(source: NeighborSource, platform: Platform) -> str:
    """What a device's reading names as its source: under ``auto``, the one really used."""
    return source.pick(platform).name if isinstance(source, ByPlatform) else source.name


def recorded_runner(*directories: Path) -> CommandRunner:
    """Outputs recorded earlier: ``<directory>/<device>/<command_file_name(command)>``.

    With several directories the last one holding a device's file wins, so a directory of
    changed outputs can be laid over a complete recording.
    """

    def run(device: Device, command: str) -> str:
        name = command_file_name(command)
        for directory in reversed(directories):
            path = directory / device.name / name
            if path.is_file():
                return path.read_text(encoding="utf-8")
        where = ", ".join(str(d / device.name / name) for d in directories)
        raise DiscoveryError(f"no recorded output {where}")

    return run


@dataclass(frozen=True)
class NapalmSource:
    """``get_lldp_neighbors()`` of a NAPALM driver, fetched by ``get`` (e.g. through Nornir)."""

    get: Callable[[Device], NapalmLldp]
    name: str = "napalm"

    def read(self, device: Device, platform: Platform) -> list[Neighbor]:
        return from_napalm(self.get(device))


def from_napalm(data: NapalmLldp) -> list[Neighbor]:
    """NAPALM's neighbour mapping as :class:`Neighbor` records (hostname and port only)."""
    return [
        Neighbor(
            local_interface=local,
            remote_system=entry.get("hostname") or None,
            remote_port=entry.get("port") or None,
        )
        for local, entries in data.items()
        for entry in entries
    ]


def read_all(
    inv: Inventory,
    source: NeighborSource,
    devices: Iterable[Device],
    workers: int = 8,
    progress: Callable[[DeviceNeighbors], None] | None = None,
) -> list[DeviceNeighbors]:
    """Read every device (in threads: the work is waiting on devices); failures are recorded
    per device, never raised, so one unreachable CPE does not stop a district run."""

    def one(device: Device) -> DeviceNeighbors:
        platform = inv.platform(device)
        name = used_source(source, platform)
        try:
            found = source.read(device, platform)
            result = DeviceNeighbors(device=device.name, source=name, neighbors=found)
        except Exception as exc:  # any driver/transport error is this device's failure
            reason = str(exc) if isinstance(exc, DiscoveryError) else f"{type(exc).__name__}: {exc}"
            result = DeviceNeighbors(device=device.name, source=name, error=reason)
        if progress is not None:
            progress(result)
        return result

    todo = list(devices)
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(todo) or 1))) as pool:
        return list(pool.map(one, todo))
