"""The lab's kernel objects: namespaces, the management bridge, veths, LAN switches, tc.

Physical layer: every link is two veths that meet in the fabric namespace, where a u32
``mirred`` redirect joins them (a carrier circuit) and ``tbf`` enforces the committed rate of
access circuits in both directions. Cutting a circuit in the fabric takes the carrier away
from *both* device ports while they stay administratively up, as a real circuit failure
does; a *silent* cut removes only the redirect, so the ports stay up and only BFD notices.
Each site LAN is a bridge in the fabric with the gateway's ``lan0`` and servers' ``eth0``.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from . import names, shell
from .plan import LabPlan, Lan, Node, PlannedLink

NETNS_DIR = Path("/run/netns")
#: Per-namespace sysctls: forwarding on, IPv6 off (no link-local chatter), no rp_filter
#: (paths are asymmetric while OSPF reconverges).
ROUTER_SYSCTLS = {
    "net.ipv4.ip_forward": "1",
    "net.ipv6.conf.all.disable_ipv6": "1",
    "net.ipv6.conf.default.disable_ipv6": "1",
    "net.ipv4.conf.all.rp_filter": "0",
    "net.ipv4.conf.default.rp_filter": "0",
    "net.ipv4.conf.all.accept_redirects": "0",
    "net.ipv4.conf.all.send_redirects": "0",
    # OSPF joins 224.0.0.5 on every interface from one socket; the default cap is 20.
    "net.ipv4.igmp_max_memberships": "1024",
}
QUIET_SYSCTLS = {
    "net.ipv6.conf.all.disable_ipv6": "1",
    "net.ipv6.conf.default.disable_ipv6": "1",
}


def existing_namespaces() -> set[str]:
    try:
        return set(os.listdir(NETNS_DIR))
    except FileNotFoundError:
        return set()


def link_names(namespace: str | None) -> set[str]:
    argv = ["ip", "-j"] + (["-n", namespace] if namespace else []) + ["link", "show"]
    proc = shell.run(argv, check=False)
    if proc.returncode != 0:
        return set()
    return {str(x.get("ifname")) for x in json.loads(proc.stdout or "[]")}


def add_namespaces(namespaces: Iterable[str]) -> list[str]:
    todo = [ns for ns in namespaces if ns not in existing_namespaces()]
    shell.ip_batch(f"netns add {ns}" for ns in todo)
    return todo


def sysctls(namespace: str, values: dict[str, str]) -> None:
    args = [f"{k}={v}" for k, v in values.items()]
    shell.run(shell.in_netns(namespace, ["sysctl", "-q", "-w", *args]), what=f"sysctl {namespace}")


def ensure_bridge() -> None:
    """The management bridge with the host's address; the host never forwards from it."""
    bridge = names.MGMT_BRIDGE
    if bridge not in link_names(None):
        shell.run(["ip", "link", "add", bridge, "type", "bridge"])
    _host_sysctl(bridge)
    shell.ip_batch(
        [
            f"addr replace {names.HOST_MGMT_INTERFACE} dev {bridge}",
            f"link set {bridge} up",
        ]
    )


def _host_sysctl(ifname: str) -> None:
    for path, value in (
        (f"/proc/sys/net/ipv6/conf/{ifname}/disable_ipv6", "1"),
        (f"/proc/sys/net/ipv4/conf/{ifname}/forwarding", "0"),
    ):
        with contextlib.suppress(OSError):
            Path(path).write_text(value)


def build(plan: LabPlan, new_namespaces: set[str]) -> None:
    """Create what is missing and (re)apply everything idempotent: addresses, shaping."""
    fabric = names.FABRIC_NAMESPACE
    shell.parallel(
        lambda ns: sysctls(ns, QUIET_SYSCTLS if ns == fabric else ROUTER_SYSCTLS),
        [ns for ns in plan.namespaces if ns in new_namespaces],
    )
    root_have = link_names(None)
    fabric_have = link_names(fabric)
    root: list[str] = []
    fab: list[str] = []
    for node in plan.nodes:
        if node.host_port not in root_have:
            root.append(
                f"link add {node.host_port} type veth peer name {names.MGMT_IFNAME}"
                f" netns {node.namespace}"
            )
    for link in plan.links:
        for port in (link.a, link.b):
            if port.fabric_ifname not in fabric_have:
                root.append(
                    f"link add {port.ifname} netns {names.namespace(port.device)} type veth"
                    f" peer name {port.fabric_ifname} netns {fabric}"
                )
    for lan in plan.lans:
        if lan.switch not in fabric_have:
            fab.append(f"link add {lan.switch} type bridge")
        for member in (lan.gateway_device, *lan.servers):
            switch_port = names.lan_switch_port(member)
            inside = names.LAN_IFNAME if member == lan.gateway_device else names.SERVER_LAN_IFNAME
            if switch_port not in fabric_have:
                root.append(
                    f"link add {inside} netns {names.namespace(member)} type veth"
                    f" peer name {switch_port} netns {fabric}"
                )
    shell.ip_batch(fab, fabric)
    shell.ip_batch(root)
    for node in plan.nodes:
        _host_sysctl(node.host_port)
    shell.ip_batch(f"link set {n.host_port} master {names.MGMT_BRIDGE} up" for n in plan.nodes)
    shell.ip_batch(_fabric_lines(plan), fabric)
    shell.parallel(lambda n: shell.ip_batch(_node_lines(plan, n), n.namespace), plan.nodes)
    apply_circuits(plan.links)


def _fabric_lines(plan: LabPlan) -> list[str]:
    lines: list[str] = []
    for link in plan.links:
        for end, port in (("a", link.a), ("b", link.b)):
            lines.append(f'link set {port.fabric_ifname} alias "{link.id} {end} {port.device}"')
            lines.append(f"link set {port.fabric_ifname} up")
    for lan in plan.lans:
        lines.append(f'link set {lan.switch} alias "LAN {lan.site}"')
        lines.append(f"link set {lan.switch} up")
        for member in (lan.gateway_device, *lan.servers):
            lines.append(f"link set {names.lan_switch_port(member)} master {lan.switch} up")
    return lines


def _node_lines(plan: LabPlan, node: Node) -> list[str]:
    lines = [
        "link set lo up",
        f"addr replace {node.mgmt} dev {names.MGMT_IFNAME}",
        f"link set {names.MGMT_IFNAME} up",
    ]
    if node.loopback is not None:
        lines.append(f"addr replace {node.loopback}/32 dev lo")
    for port in node.ports:
        if port.ifname != port.inventory_name:
            lines.append(f'link set {port.ifname} alias "{port.inventory_name}"')
        lines.append(f"addr replace {port.address} dev {port.ifname}")
        lines.append(f"link set {port.ifname} up")
    lan = plan.lan_of(node.lan_site) if node.lan_site else None
    if lan is not None and node.lan_address is not None:
        if node.is_server:
            lines += _server_lan_lines(node, lan)
        else:
            lines += _gateway_lan_lines(lan)
    return lines


def _gateway_lan_lines(lan: Lan) -> list[str]:
    ifname = names.LAN_IFNAME
    lines = [f"addr replace {lan.gateway} dev {ifname}"]
    for endpoint in lan.endpoints:
        lines.append(f"addr replace {endpoint.host}/{lan.prefix.prefixlen} dev {ifname}")
    lines.append(f"link set {ifname} up")
    return lines


def _server_lan_lines(node: Node, lan: Lan) -> list[str]:
    ifname = names.SERVER_LAN_IFNAME
    return [
        f"addr replace {node.lan_address} dev {ifname}",
        f"link set {ifname} up",
        f"route replace default via {lan.gateway.ip} dev {ifname}",
    ]


def circuit_lines(link: PlannedLink, *, connected: bool = True) -> tuple[list[str], list[str]]:
    """tc for one circuit: lines that clear its redirects (may fail harmlessly when there is
    nothing to clear), then lines that set the redirect joining its two veths and the
    committed rate."""
    clear: list[str] = []
    setup: list[str] = []
    pairs = (
        (link.a.fabric_ifname, link.b.fabric_ifname),
        (link.b.fabric_ifname, link.a.fabric_ifname),
    )
    for src, dst in pairs:
        clear.append(f"qdisc del dev {src} ingress")
        setup.append(f"qdisc add dev {src} ingress")
        if connected:
            setup.append(
                f"filter add dev {src} parent ffff: protocol all prio 1 u32 match u32 0 0"
                f" action mirred egress redirect dev {dst}"
            )
        if link.shaped_mbps:
            setup.append(f"qdisc replace dev {dst} root {tbf(link.shaped_mbps)}")
    return clear, setup


def tbf(mbps: int) -> str:
    """A token bucket at the committed rate; the bucket holds ~4 ms of traffic (min 16 KB)."""
    burst = max(16 * 1024, mbps * 1_000_000 // 8 // 250)
    return f"tbf rate {mbps}mbit burst {burst} latency 50ms"


def apply_circuits(links: Iterable[PlannedLink], connected: bool = True) -> None:
    clear: list[str] = []
    setup: list[str] = []
    for link in links:
        c, s = circuit_lines(link, connected=connected)
        clear += c
        setup += s
    shell.tc_batch(clear, names.FABRIC_NAMESPACE, force=True)
    shell.tc_batch(setup, names.FABRIC_NAMESPACE)


def set_circuit(link: PlannedLink, *, carrier: bool, connected: bool) -> None:
    """Fault or heal a circuit in the fabric: ``carrier`` is the ports' link state,
    ``connected`` whether frames cross (False with carrier up is a silent cut)."""
    state = "up" if carrier else "down"
    shell.ip_batch(
        [f"link set {link.a.fabric_ifname} {state}", f"link set {link.b.fabric_ifname} {state}"],
        names.FABRIC_NAMESPACE,
    )
    apply_circuits([link], connected=connected)


def set_ports(node: Node, up: bool) -> None:
    """Every interface of a node but ``lo``, admin up or down (power on/off): its links,
    its LAN port and its management port, so a powered-off box answers nothing."""
    state = "up" if up else "down"
    ifnames = [p.ifname for p in node.ports] + [names.MGMT_IFNAME]
    if node.lan_address is not None:
        ifnames.append(names.SERVER_LAN_IFNAME if node.is_server else names.LAN_IFNAME)
    lines = [f"link set {name} {state}" for name in ifnames]
    if up and node.is_server and node.lan_address is not None and node.lan_site:
        lines.append(f"route replace default via {next(node.lan_address.network.hosts())}")
    shell.ip_batch(lines, node.namespace)


def delete_namespaces(namespaces: Iterable[str]) -> None:
    have = existing_namespaces()
    shell.ip_batch((f"netns del {ns}" for ns in namespaces if ns in have), force=True)


def delete_links(ifnames: Iterable[str]) -> None:
    have = link_names(None)
    shell.ip_batch((f"link del {name}" for name in ifnames if name in have), force=True)
