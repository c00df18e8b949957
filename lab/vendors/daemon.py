"""One emulated VRP/Comware device as a lab daemon: ``python -m lab.vendors.daemon SPEC``.

The lab starts it inside the device's network namespace, in the foreground, where sshd would
answer on an FRR device: the emulation takes the management address's port 22, FRR keeps the
routing. ``SPEC`` is a JSON file the lab writes (:mod:`lab.vendors.daemon_spec`): the
platform, the config file to boot, the login, the ports (inventory name and Linux name), LLDP
neighbours and the health state file the device's snmpd answers from.

Secrets: the config file holds ``<<secret:NAME>>`` markers, never values; the daemon takes
the values (and the login password) from its environment, as the lab hands them over. A
``save`` on the device writes the saved config back to the file with the markers put back,
so the device boots what was saved when the lab starts it again. SIGTERM stops it.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from base.atomic import write_text
from base.secretmarkers import referenced, substitute, unsubstitute

from .daemon_spec import DaemonSpec
from .device import Health, Optic, Port
from .health_state import HealthState, write_state
from .server import DeviceSpec, EmulatedDevice


def _if_index(ifname: str) -> int:
    try:
        return int(Path(f"/sys/class/net/{ifname}/ifindex").read_text(encoding="ascii"))
    except (OSError, ValueError):
        return 0


def _secret(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise SystemExit(f"lab.vendors.daemon: secret {name} is not in the environment")
    return value


def run(spec: DaemonSpec, stop: threading.Event) -> None:
    config_path = Path(spec.config)
    text = config_path.read_text(encoding="utf-8")
    names = referenced(text)
    values = {n: _secret(n) for n in names}
    health = Health(optics={p.name: Optic() for p in spec.ports})
    write_state(
        Path(spec.health_state),
        HealthState(spec.platform, health, {p.name: _if_index(p.ifname) for p in spec.ports}),
    )
    device_spec = DeviceSpec(
        spec.platform,
        substitute(text, values.__getitem__),
        [Port(p.name) for p in spec.ports],
        spec.username,
        _secret(spec.password_env),
        neighbors=spec.neighbors,
        health=health,
    )
    emu = EmulatedDevice(device_spec, spec.address, spec.port)

    def keep(saved: str) -> None:
        write_text(config_path, unsubstitute(saved, values))

    emu.device.on_save = keep
    with emu:
        print(
            f"{emu.device.sysname}: {spec.platform} emulation on {spec.address}:{spec.port}",
            flush=True,
        )
        stop.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lab.vendors.daemon", description=__doc__)
    parser.add_argument("spec", type=Path, help="the JSON spec the lab wrote")
    args = parser.parse_args(argv)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    run(DaemonSpec.read(args.spec), stop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
