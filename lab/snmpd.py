"""snmpd per device: SNMPv3 authPriv (and v2c only where the inventory keeps a legacy
profile), IF-MIB from the namespace's own counters, and optional linkUp/linkDown informs.

net-snmp notes that shaped this: the persistent dir must differ from the config dir (snmpd
rewrites its own ``snmpd.conf`` there); the listen address is given once (here, in the
config); no MIB files are installed, so every OID is numeric.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from base.hostport import parse_host_port

from . import shell
from .credentials import SnmpV3User
from .plan import Node

AUTH_TOKENS = {"MD5": "MD5", "SHA": "SHA", "SHA-256": "SHA-256", "SHA-512": "SHA-512"}
PRIV_TOKENS = {"AES": "AES", "AES-256": "AES-256", "DES": "DES"}

IF_INDEX = ".1.3.6.1.2.1.2.2.1.1"
IF_DESCR = ".1.3.6.1.2.1.2.2.1.2"
IF_ADMIN_STATUS = ".1.3.6.1.2.1.2.2.1.7"
IF_OPER_STATUS = ".1.3.6.1.2.1.2.2.1.8"
IF_NAME = ".1.3.6.1.2.1.31.1.1.1.1"
LINK_DOWN = ".1.3.6.1.6.3.1.1.5.3"
LINK_UP = ".1.3.6.1.6.3.1.1.5.4"
#: How often (seconds) snmpd samples ifOperStatus for the link monitors.
MONITOR_SECONDS = 2
IQUERY_USER = "egovnet-iquery"


@dataclass(frozen=True)
class TrapSink:
    """Where devices send linkUp/linkDown: SNMPv3 authPriv as the device's v3 user.

    ``inform`` (default): acknowledged, so the receiver needs no per-device engine ID; net-snmp
    discovers the receiver's engine ID *synchronously*, so a sink that is not listening
    stalls the agent ~3 s per notification: start the receiver before the lab. ``trap``:
    fire-and-forget, authenticated with the device's own engine ID (see
    :func:`lab.plan.snmp_engine_id`), never stalls.
    """

    host: str
    port: int = 162
    kind: str = "inform"

    @classmethod
    def parse(cls, text: str, kind: str = "inform") -> TrapSink:
        try:
            host, port = parse_host_port(text, default_port=162)
        except ValueError:
            raise ValueError(f"trap sink {text!r}: expected HOST:PORT") from None
        if kind not in {"inform", "trap"}:
            raise ValueError(f"trap kind {kind!r}: expected inform or trap")
        return cls(host, port, kind)

    def __str__(self) -> str:
        return f"{self.kind}:{self.host}:{self.port}"

    @classmethod
    def from_record(cls, text: str) -> TrapSink:
        kind, _, rest = text.partition(":")
        return cls.parse(rest, kind)


def render(
    node: Node,
    *,
    location: str,
    user: SnmpV3User,
    trap_sink: TrapSink | None,
    iquery_key: str,
    access_file: Path,
    agentx_socket: Path | None = None,
    extra: list[str] | None = None,
) -> str:
    """The device's snmpd.conf; ``extra``: more lines (an emulated device's health MIBs)."""
    dev = node.device
    production = " ".join(x for x in (dev.platform.value, dev.model or "") if x)
    runs = f"{dev.platform.value} emulation, FRR routing" if node.emulation else "FRR on Linux"
    lines = [
        f"# egovnet lab: snmpd of {node.name} (generated; lab-only keys, mode 0600)",
        f"agentAddress udp:{node.mgmt.ip}:161",
        f"exactEngineID 0x{node.snmp_engine_id}",
        f"sysName {node.name}",
        f"sysLocation {location}",
        "sysContact egovnet NOC",
        f"sysDescr egovnet lab {node.role.value} {node.name}: {runs} (production {production})",
        "sysServices 78",
        "dontLogTCPWrappersConnects yes",
        f'createUser {user.user} {AUTH_TOKENS[user.auth_protocol]} "{user.auth_key}" '
        f'{PRIV_TOKENS[user.priv_protocol]} "{user.priv_key}"',
        f"rouser {user.user} authpriv",
    ]
    if agentx_socket is not None:  # lldpd registers LLDP-MIB (1.0.8802.1.1.2) here
        lines += ["master agentx", f"agentXSocket unix:{agentx_socket}", "agentXPerms 0600 0700"]
    # v1/v2c lives in the access file (render_access), which the device agent rewrites
    lines.append(f"includeFile {access_file}")
    lines += extra or []
    if trap_sink is not None:
        oids = " ".join(
            f"-o {oid}" for oid in (IF_INDEX, IF_ADMIN_STATUS, IF_OPER_STATUS, IF_NAME, IF_DESCR)
        )
        lines += [
            f'createUser {IQUERY_USER} SHA-256 "{iquery_key}"',
            f"rouser {IQUERY_USER} auth .1.3.6.1.2.1",
            f"iquerySecName {IQUERY_USER}",
            f"trapsess {'-Ci -t 1 -r 2 ' if trap_sink.kind == 'inform' else ''}"
            f"-v 3 -u {user.user} -l authPriv -a {AUTH_TOKENS[user.auth_protocol]} "
            f'-A "{user.auth_key}" -x {PRIV_TOKENS[user.priv_protocol]} -X "{user.priv_key}" '
            f"udp:{trap_sink.host}:{trap_sink.port}",
            f"notificationEvent egovnetLinkUp {LINK_UP} {oids}",
            f"notificationEvent egovnetLinkDown {LINK_DOWN} {oids}",
            f'monitor -r {MONITOR_SECONDS} -e egovnetLinkUp "egovnet linkUp" {IF_OPER_STATUS} == 1',
            f'monitor -r {MONITOR_SECONDS} -e egovnetLinkDown "egovnet linkDown" '
            f"{IF_OPER_STATUS} == 2",
        ]
    return "\n".join(lines) + "\n"


#: Where v1/v2c may come from (the management network).
COMMUNITY_SOURCE = "172.31.0.0/16"


def render_access(community: str | None) -> str:
    """The device's initial v1/v2c access (the inventory's legacy profile, else none)."""
    lines = ["# egovnet lab: v1/v2c access of this device's snmpd (the device agent rewrites it)"]
    if community is not None:
        lines.append(f"rocommunity {community} {COMMUNITY_SOURCE}")
    return "\n".join(lines) + "\n"


def argv(
    node: Node,
    config: Path,
    persistent_dir: Path,
    log: Path,
    *,
    pidfile: Path,
    run_as: tuple[int, int],
) -> list[str]:
    """Foreground snmpd reading only our config (``-C``), no MIB files (``-m ''``); it binds
    udp/161 as root, then runs as the lab login user (``run_as``: uid, gid), so the device
    agent of an SSH session may make it re-read its access file (SIGHUP)."""
    return shell.in_device(
        node.namespace,
        node.name,
        [
            "/usr/sbin/snmpd",
            "-f",
            "-C",
            "-c",
            str(config),
            "-Lf",
            str(log),
            f"--persistentDir={persistent_dir}",
            "-m",
            "",
            "-I",
            "-smux",
            "-p",
            str(pidfile),
            "-u",
            str(run_as[0]),
            "-g",
            str(run_as[1]),
        ],
    )
