"""The device side of the FRR driver: the SSH login command of an FRR device.

An FRR box has no commit-confirm and vtysh runs no shell commands, yet ``revert_in`` must
revert even when the management session dies, and LLDP and counters live outside vtysh.
So the device runs this module as sshd's ``ForceCommand``::

    ForceCommand /path/to/python -m automation.frr.agent --pathspace core1

* a login without a command (Netmiko, a person) gets ``vtysh -N core1``, exactly as before;
* ``ssh core1 egovnet-agent <verb>`` runs one of the verbs below and prints JSON. Nothing
  else runs: there is no shell behind it.

Verbs: ``revert-arm SECONDS`` (stdin: the config to go back to; starts a detached timer
in the device's own namespace that survives the SSH session), ``revert-cancel``,
``revert-status``, ``snapshot-save`` (stdin: the config before a commit),
``rollback-point`` (prints the config saved before the last commit),
``lldp`` (``lldpcli`` neighbours), ``counters`` (``ip -s link``), ``facts`` (uptime),
``snmpd-access`` (stdin: the lines of the ``host-service snmpd`` context, e.g.
``rocommunity public 172.31.0.0/16``; rewrites the v1/v2c access file the device's snmpd
includes and makes snmpd re-read it; no line leaves SNMPv3 only, the 等保 baseline),
``host-services`` (that context as the running config shows it, see
:mod:`automation.frr.hostservice`).
State lives in ``--state-dir`` (default ``/var/lib/egovnet-agent/<pathspace>``).

Only the standard library is imported before a verb needs more, so a vtysh login costs
one interpreter start.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VERB_PREFIX = "egovnet-agent"
VERBS = (
    "revert-arm",
    "revert-cancel",
    "revert-status",
    "snapshot-save",
    "rollback-point",
    "lldp",
    "counters",
    "facts",
    "snmpd-access",
    "host-services",
)
PENDING = "pending.json"
SNAPSHOT = "snapshot.cfg"
LOG = "agent.log"


@dataclass(frozen=True)
class Device:
    pathspace: str | None
    state_dir: Path
    lldpd_socket: str | None
    vtysh: str = "vtysh"
    snmpd_access: str | None = None
    snmpd_pidfile: str | None = None

    def vtysh_args(self) -> list[str]:
        return [self.vtysh, "-N", self.pathspace] if self.pathspace else [self.vtysh]

    def running_config(self) -> str:
        """The running config as the FRR driver sees it: vtysh's, then the host services."""
        return self.vtysh_running() + self.host_services()

    def host_services(self) -> str:
        """The ``host-service`` contexts this agent manages ("" when it manages none)."""
        from automation.frr import hostservice

        if not self.snmpd_access:
            return ""
        return hostservice.render(
            hostservice.SNMPD, hostservice.read_snmpd_access(Path(self.snmpd_access))
        )

    def vtysh_running(self) -> str:
        done = subprocess.run(
            [*self.vtysh_args(), "-c", "show running-config"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"vtysh show running-config failed: {done.stderr.strip()}")
        return done.stdout

    def log(self, message: str) -> None:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        with (self.state_dir / LOG).open("a", encoding="utf-8") as fh:
            fh.write(f"{stamp} {message}\n")


def _tool(name: str) -> str:
    """A system tool by full path: sshd gives users a PATH without the sbin directories."""
    found = shutil.which(
        name,
        path=os.pathsep.join(
            [os.environ.get("PATH", ""), "/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        ),
    )
    return found or name


def _emit(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps({"agent": "egovnet", **payload}, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _read_pending(dev: Device) -> dict[str, Any] | None:
    path = dev.state_dir / PENDING
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return data


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def revert_arm(dev: Device, seconds: int, snapshot: str, base_argv: list[str]) -> dict[str, Any]:
    if seconds <= 0:
        raise ValueError("revert-arm needs a positive number of seconds")
    if not snapshot.strip():
        raise ValueError("revert-arm needs the config to go back to on stdin")
    old = _read_pending(dev)
    if old is not None and _alive(int(old.get("pid", 0))):
        raise RuntimeError("a commit is already pending confirmation")
    token = f"{time.time_ns():x}"
    deadline = time.time() + seconds
    (dev.state_dir / SNAPSHOT).write_text(snapshot, encoding="utf-8")
    log = (dev.state_dir / LOG).open("a", encoding="utf-8")
    # A new session: no controlling terminal, no SIGHUP when sshd closes the channel; the
    # process stays in this network namespace because sshd (our parent) runs in it.
    timer = subprocess.Popen(
        [sys.executable, "-m", "automation.frr.agent", *base_argv, "revert-timer", token],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        start_new_session=True,
        close_fds=True,
    )
    pending = {"token": token, "deadline": deadline, "pid": timer.pid, "seconds": seconds}
    tmp = dev.state_dir / f".{PENDING}.tmp"
    tmp.write_text(json.dumps(pending), encoding="utf-8")
    tmp.replace(dev.state_dir / PENDING)
    dev.log(f"armed revert token={token} in {seconds}s pid={timer.pid}")
    return {"pending": True, **pending}


def revert_cancel(dev: Device) -> dict[str, Any]:
    pending = _read_pending(dev)
    if pending is None:
        return {"cancelled": False, "pending": False}
    (dev.state_dir / PENDING).unlink(missing_ok=True)
    pid = int(pending.get("pid", 0))
    if pid and _alive(pid):
        os.kill(pid, signal.SIGTERM)
    dev.log(f"confirmed, revert token={pending.get('token')} cancelled")
    return {"cancelled": True, "pending": False, "token": pending.get("token")}


def revert_status(dev: Device) -> dict[str, Any]:
    pending = _read_pending(dev)
    if pending is None or not _alive(int(pending.get("pid", 0))):
        return {"pending": False}
    left = max(0.0, float(pending["deadline"]) - time.time())
    return {"pending": True, "seconds_left": round(left, 1), **pending}


def revert_timer(dev: Device, token: str) -> int:
    """Sleep until the deadline; if still pending, put the snapshot back."""
    pending = _read_pending(dev)
    if pending is None or pending.get("token") != token:
        return 0
    while time.time() < float(pending["deadline"]):
        time.sleep(min(1.0, max(0.05, float(pending["deadline"]) - time.time())))
    current = _read_pending(dev)
    if current is None or current.get("token") != token:
        return 0  # confirmed meanwhile
    snapshot = (dev.state_dir / SNAPSHOT).read_text(encoding="utf-8")
    ok = restore(dev, snapshot)
    (dev.state_dir / PENDING).unlink(missing_ok=True)
    dev.log(f"revert token={token} {'done' if ok else 'INCOMPLETE'}")
    return 0 if ok else 1


def restore(dev: Device, target: str) -> bool:
    """Converge the running config (host services included) to ``target`` on this device;
    True when the running config then equals it."""
    from automation.confdiff import diff_text, parse
    from automation.syntaxes import FRR

    change = diff_text(dev.running_config(), target, FRR)
    if change.empty:
        return True
    cli, hosts = change.split(FRR.is_host_context)
    commands = cli.commands(FRR)
    if commands:
        path = dev.state_dir / "revert-commands.conf"
        path.write_text("\n".join(commands) + "\n", encoding="utf-8")
        # -f goes on past a failing line (it reports it), which is what a revert wants
        done = subprocess.run(
            [*dev.vtysh_args(), "-f", str(path)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.stdout.strip() or done.stderr.strip():
            dev.log(f"vtysh -f: {(done.stdout + done.stderr).strip()}")
        subprocess.run(
            [*dev.vtysh_args(), "-c", "write memory"], capture_output=True, timeout=60, check=False
        )
    wanted = parse(target, FRR)
    for ctx in hosts:
        apply_host_service(dev, ctx[0], wanted.lines(ctx))
    return diff_text(dev.running_config(), target, FRR).empty


def apply_host_service(dev: Device, context: str, lines: list[str]) -> dict[str, Any]:
    from automation.frr import hostservice

    if context != hostservice.SNMPD:
        raise ValueError(f"{context!r}: no such host service (known: {hostservice.SNMPD})")
    return snmpd_access(dev, lines)


def lldp(dev: Device) -> dict[str, Any]:
    cmd = [_tool("lldpcli")]
    if dev.lldpd_socket:
        cmd += ["-u", dev.lldpd_socket]
    done = subprocess.run(
        [*cmd, "-f", "json0", "show", "neighbors"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"lldpcli failed: {done.stderr.strip() or done.stdout.strip()}")
    return {"neighbors": parse_lldpcli(json.loads(done.stdout or "{}"))}


def _first_value(item: Any) -> str:
    if isinstance(item, list):
        item = item[0] if item else ""
    if isinstance(item, dict):
        return str(item.get("value", ""))
    return str(item or "")


def parse_lldpcli(data: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """``lldpcli -f json0 show neighbors`` (every level a list) to NAPALM's
    ``{local port: [{"hostname", "port"}]}``; the remote port is its port ID (the lab
    sets ``portidsubtype ifname``), or its description when the ID is a MAC address."""
    out: dict[str, list[dict[str, str]]] = {}
    for block in data.get("lldp", []):
        for iface in block.get("interface", []):
            chassis = (iface.get("chassis") or [{}])[0]
            port = (iface.get("port") or [{}])[0]
            pid = port.get("id") or [{}]
            remote = _first_value(pid)
            if isinstance(pid, list) and pid and pid[0].get("type") == "mac" and port.get("descr"):
                remote = _first_value(port.get("descr"))  # a MAC says less than the name
            out.setdefault(str(iface.get("name", "")), []).append(
                {"hostname": _first_value(chassis.get("name")), "port": remote}
            )
    return out


def snmpd_access(dev: Device, lines: list[str]) -> dict[str, Any]:
    """Write the device's snmpd v1/v2c access file (``rocommunity`` lines), then SIGHUP
    snmpd (it re-reads its config and includes). Without ``--snmpd-access`` the device's
    snmpd is not managed here: nothing changes and ``managed`` is false."""
    from automation.frr import hostservice

    if not dev.snmpd_access:
        return {"managed": False}
    if not dev.snmpd_pidfile:
        raise RuntimeError("snmpd-access needs --snmpd-pidfile to make snmpd re-read it")
    written = hostservice.write_snmpd_access(Path(dev.snmpd_access), lines)
    pid = int(Path(dev.snmpd_pidfile).read_text(encoding="utf-8").strip())
    os.kill(pid, signal.SIGHUP)
    dev.log(f"snmpd access: {len(written)} v1/v2c communities, snmpd {pid} re-reading")
    return {"managed": True, "communities": len(written)}


def counters() -> dict[str, Any]:
    done = subprocess.run(
        [_tool("ip"), "-j", "-s", "link", "show"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    out: dict[str, dict[str, int]] = {}
    for link in json.loads(done.stdout):
        stats = link.get("stats64") or link.get("stats") or {}
        rx, tx = stats.get("rx", {}), stats.get("tx", {})
        out[link["ifname"].split("@")[0]] = {
            "rx_octets": int(rx.get("bytes", 0)),
            "tx_octets": int(tx.get("bytes", 0)),
            "rx_unicast_packets": int(rx.get("packets", 0)) - int(rx.get("multicast", 0)),
            "tx_unicast_packets": int(tx.get("packets", 0)),
            "rx_multicast_packets": int(rx.get("multicast", 0)),
            "tx_multicast_packets": 0,
            "rx_broadcast_packets": 0,
            "tx_broadcast_packets": 0,
            "rx_errors": int(rx.get("errors", 0)),
            "tx_errors": int(tx.get("errors", 0)),
            "rx_discards": int(rx.get("dropped", 0)),
            "tx_discards": int(tx.get("dropped", 0)),
        }
    return {"counters": out}


def facts(dev: Device) -> dict[str, Any]:
    """Uptime of the routing stack: how long this device's zebra has been running."""
    from base.pidstat import start_ticks  # standard library only, like this agent

    run_dir = Path("/var/run/frr") / (dev.pathspace or "")
    try:
        ticks = start_ticks(int((run_dir / "zebra.pid").read_text().strip()))
        if ticks is None:
            raise ValueError("zebra is not running")
        boot = float(Path("/proc/uptime").read_text().split()[0])
        uptime = boot - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        uptime = -1.0
    return {"uptime": round(uptime, 1)}


def _options(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="automation.frr.agent", add_help=True)
    parser.add_argument("--pathspace", "-N", default=None)
    parser.add_argument("--state-dir", default=None)
    parser.add_argument("--lldpd-socket", default=None)
    parser.add_argument("--vtysh", default="vtysh")
    parser.add_argument("--snmpd-access", default=None)
    parser.add_argument("--snmpd-pidfile", default=None)
    return parser.parse_known_args(argv)


def main(argv: list[str] | None = None) -> int:
    args, rest = _options(list(sys.argv[1:] if argv is None else argv))
    base = []
    for flag, value in (
        ("--pathspace", args.pathspace),
        ("--state-dir", args.state_dir),
        ("--lldpd-socket", args.lldpd_socket),
        ("--vtysh", args.vtysh),
        ("--snmpd-access", args.snmpd_access),
        ("--snmpd-pidfile", args.snmpd_pidfile),
    ):
        if value:
            base += [flag, value]
    state = Path(args.state_dir or f"/var/lib/egovnet-agent/{args.pathspace or 'default'}")
    dev = Device(
        args.pathspace,
        state,
        args.lldpd_socket,
        args.vtysh,
        args.snmpd_access,
        args.snmpd_pidfile,
    )
    if rest[:1] == ["revert-timer"] and len(rest) == 2:  # started by revert-arm only
        return revert_timer(dev, rest[1])
    original = os.environ.get("SSH_ORIGINAL_COMMAND", "").strip()
    words = shlex.split(original) if original else rest
    if not words:
        os.execvp(dev.vtysh, dev.vtysh_args())  # an interactive login: plain vtysh
    if words[0] == VERB_PREFIX:
        words = words[1:]
    if not words or words[0] not in VERBS:
        _emit({"ok": False, "error": f"unknown request {original!r}; verbs: {', '.join(VERBS)}"})
        return 2
    state.mkdir(parents=True, exist_ok=True, mode=0o700)
    verb = words[0]
    try:
        if verb == "revert-arm":
            result = revert_arm(dev, int(words[1]), sys.stdin.read(), base)
        elif verb == "revert-cancel":
            result = revert_cancel(dev)
        elif verb == "revert-status":
            result = revert_status(dev)
        elif verb == "snapshot-save":
            (state / SNAPSHOT).write_text(sys.stdin.read(), encoding="utf-8")
            result = {"saved": True}
        elif verb == "rollback-point":
            path = state / SNAPSHOT
            result = {"config": path.read_text(encoding="utf-8") if path.exists() else None}
        elif verb == "lldp":
            result = lldp(dev)
        elif verb == "counters":
            result = counters()
        elif verb == "snmpd-access":
            result = snmpd_access(dev, sys.stdin.read().splitlines())
        elif verb == "host-services":
            result = {"config": dev.host_services()}
        else:
            result = facts(dev)
    except (OSError, ValueError, RuntimeError, IndexError, subprocess.SubprocessError) as exc:
        _emit({"ok": False, "error": f"{verb}: {exc}"})
        return 1
    _emit({"ok": True, **result})
    return 0


if __name__ == "__main__":
    sys.exit(main())
