"""``traffic``: iperf3 through a site's circuit, from the site's device to the upstream end.

The server runs on the circuit's upstream (``a``) device, bound to its address on that
circuit; the client runs on the site's device, bound to its own circuit address, so the
traffic crosses exactly that circuit and its committed-rate shaping.
"""

from __future__ import annotations

import json
import random
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from base.errors import LabError, LabUsageError

from . import shell
from .preflight import TRAFFIC_TOOLS, require_tools
from .running import open_lab


@dataclass(frozen=True)
class TrafficResult:
    site: str
    link: str
    circuit_id: str | None
    client: str
    server: str
    committed_mbps: int
    offered_mbps: float
    seconds: float
    direction: str
    achieved_mbps: float
    sender_mbps: float
    retransmits: int | None


def traffic(
    state_dir: Path,
    site: str,
    mbps: float,
    seconds: float,
    *,
    link: str | None = None,
    reverse: bool = False,
) -> TrafficResult:
    """Offer ``mbps`` for ``seconds`` and measure what arrives (iperf3, TCP)."""
    require_tools(TRAFFIC_TOOLS)
    if mbps <= 0 or seconds <= 0:
        raise LabUsageError("--mbps and --seconds must be positive")
    lab = open_lab(state_dir)
    inv = lab.inventory
    if site not in inv.site_by_id:
        raise LabUsageError(f"no site {site!r} in {inv.root}")
    uplinks = inv.uplinks_of_site(site)
    if link is not None:
        chosen = next((lk for lk in uplinks if lk.id == link), None)
        if chosen is None:
            ids = ", ".join(lk.id for lk in uplinks) or "none"
            raise LabUsageError(f"link {link!r} is not an uplink of {site} (uplinks: {ids})")
    else:
        usable = [lk for lk in uplinks if lk.id not in lab.state.faults.links]
        if not usable:
            raise LabUsageError(f"site {site} has no working uplink to send through")
        chosen = usable[0]
    planned = lab.link(chosen.id)
    server, client = planned.a, planned.b
    port = random.randint(20000, 29999)
    server_argv = shell.in_netns(
        lab.node(server.device).namespace,
        ["iperf3", "-s", "-1", "-B", str(server.address.ip), "-p", str(port)],
    )
    srv = subprocess.Popen(
        server_argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=shell.TOOL_ENV
    )
    try:
        time.sleep(0.2)
        client_argv = [
            "iperf3",
            "-c",
            str(server.address.ip),
            "-B",
            str(client.address.ip),
            "-p",
            str(port),
            "-t",
            f"{seconds:g}",
            "-b",
            f"{mbps:g}M",
            "-J",
            "--connect-timeout",
            "3000",
            *(["-R"] if reverse else []),
        ]
        proc = shell.run(
            shell.in_netns(lab.node(client.device).namespace, client_argv),
            check=False,
            timeout=seconds + 30,
        )
    finally:
        if srv.poll() is None:
            srv.terminate()
        try:
            srv.wait(timeout=5)
        except subprocess.TimeoutExpired:
            srv.kill()
            srv.wait()
    data = _parse(proc.stdout)
    if proc.returncode != 0 or "error" in data:
        raise LabError(f"iperf3 {client.device} -> {server.device}: {data.get('error', 'failed')}")
    end = data.get("end", {})
    received = end.get("sum_received", {})
    sent = end.get("sum_sent", {})
    return TrafficResult(
        site=site,
        link=chosen.id,
        circuit_id=chosen.circuit_id,
        client=client.device,
        server=server.device,
        committed_mbps=chosen.committed_mbps,
        offered_mbps=mbps,
        seconds=seconds,
        direction="download" if reverse else "upload",
        achieved_mbps=round(float(received.get("bits_per_second", 0.0)) / 1e6, 2),
        sender_mbps=round(float(sent.get("bits_per_second", 0.0)) / 1e6, 2),
        retransmits=sent.get("retransmits"),
    )


def _parse(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {"error": "unreadable iperf3 output"}
    return data if isinstance(data, dict) else {"error": "unexpected iperf3 output"}
