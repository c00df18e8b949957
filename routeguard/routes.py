"""The route guard: a lab inventory's traffic never leaves this machine.

The lab's management addresses (172.31.250.0/24) exist only while the lab runs. Without it
they are ordinary private addresses that the machine's default route would carry off to
its real network, so a ``poll --profile lab`` on a machine with no lab would send SNMP to
whatever answers there. A state file cannot prove the lab is up (it outlives a crash); the
kernel's routing table can: before any command sends to the devices of a lab inventory it
asks ``ip -j route get ADDR`` for every target and refuses unless each would leave through
the lab's management bridge (or stay on the machine through loopback, as in tests that move
a lab inventory onto 127.x).

Real inventories (no platform override, no lab endpoints) are routed normally: the guard
does not look at them.

::

    require_lab_routes(inv, device_targets(devices), state_dir)   # LabNotUpError, exit 2
"""

from __future__ import annotations

import ipaddress
import json
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from base.errors import LabNotUpError, LabUsageError
from inventory.catalog import Inventory
from inventory.models import Device

#: Output devices a lab target may use: the lab's bridge, or none at all (this machine).
#: The lab's management bridge in the root namespace (lab.names takes its name from here).
MGMT_BRIDGE = "egmgmt0"
ALLOWED_DEVICES = frozenset({MGMT_BRIDGE, "lo"})
#: ``ip route get`` answers from the kernel's tables at once; a hang means something is wrong.
IP_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class RouteTarget:
    """Something a command is about to send to: a device (or server) name and its address."""

    name: str
    address: str


@dataclass(frozen=True)
class Route:
    """Where the kernel would send a packet for ``address`` (``dev`` None: no route)."""

    address: str
    dev: str | None
    gateway: str | None = None
    kind: str = "unicast"
    problem: str | None = None

    @property
    def stays_on_machine(self) -> bool:
        return self.dev in ALLOWED_DEVICES

    def __str__(self) -> str:
        """``ip route``'s own words: ``dev eth0 via 192.0.2.1``, ``dev lo (local)``."""
        if self.dev is None:
            return f"no route ({self.problem or 'unknown'})"
        via = f" via {self.gateway}" if self.gateway else ""
        local = f" ({self.kind})" if self.kind != "unicast" else ""
        return f"dev {self.dev}{via}{local}"

    def describe(self) -> str:
        """What a packet would do: ``would go out dev eth0 via 192.0.2.1`` or ``has no route``."""
        return f"has {self}" if self.dev is None else f"would go out {self}"


RouteLookup = Callable[[str], Route]


def is_lab_inventory(inv: Inventory) -> bool:
    """A lab inventory runs every device on one platform and lists what the lab serves."""
    return inv.profile.platform_override is not None and bool(inv.profile.lab_endpoints)


def device_targets(devices: Iterable[Device]) -> list[RouteTarget]:
    return [RouteTarget(d.name, str(d.mgmt_address)) for d in devices]


def parse_route(address: str, output: str) -> Route:
    """Read ``ip -j route get ADDR``'s JSON (a list of one route)."""
    try:
        routes = json.loads(output)
        first = routes[0]
        dev = first.get("dev")
    except (ValueError, LookupError, TypeError, AttributeError):
        return Route(address, None, problem=f"unreadable `ip route get` output {output!r}")
    if not isinstance(dev, str) or not dev:
        return Route(address, None, problem="`ip route get` named no device")
    gateway = first.get("gateway")
    return Route(
        address,
        dev,
        gateway=gateway if isinstance(gateway, str) else None,
        kind=str(first.get("type") or "unicast"),
    )


def route_get(address: str) -> Route:
    """Ask the kernel where a packet to ``address`` would go; it sends nothing."""
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return Route(address, None, problem="not an IP address")
    try:
        done = subprocess.run(
            ["ip", "-j", "route", "get", address],
            capture_output=True,
            text=True,
            timeout=IP_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        raise LabUsageError(
            f"cannot check where {address} routes: `ip` (iproute2) is not installed"
        ) from None
    except subprocess.TimeoutExpired:
        return Route(address, None, problem=f"`ip route get` took over {IP_TIMEOUT_SECONDS:g}s")
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        return Route(address, None, problem=lines[-1] if lines else f"exit {done.returncode}")
    return parse_route(address, done.stdout)


def first_escape(
    targets: Iterable[RouteTarget], lookup: RouteLookup = route_get
) -> tuple[RouteTarget, Route] | None:
    """The first target whose route leaves the machine other than through the lab (or
    through nothing), with that route; None when every target stays."""
    seen: dict[str, Route] = {}
    for target in targets:
        route = seen.get(target.address)
        if route is None:
            route = seen[target.address] = lookup(target.address)
        if not route.stays_on_machine:
            return target, route
    return None


def require_lab_routes(
    inv: Inventory,
    targets: Iterable[RouteTarget],
    state_dir: Path | None,
    *,
    hint: str = "",
    lookup: RouteLookup = route_get,
) -> None:
    """Refuse (LabNotUpError) before a lab inventory's traffic could leave this machine.

    ``hint`` is appended to the message: the command's own way around (e.g. an external
    exporter). Inventories that are not lab inventories pass without a lookup.
    """
    if not is_lab_inventory(inv):
        return
    escape = first_escape(targets, lookup)
    if escape is None:
        return
    target, route = escape
    lab_up = "egovnet lab up" + (f" --state-dir {state_dir}" if state_dir is not None else "")
    raise LabNotUpError(
        f"the lab is not up: {target.name} ({target.address}) {route.describe()}, not through"
        f" the lab's bridge {MGMT_BRIDGE}, so nothing was sent; run `{lab_up}` first{hint}"
    )
