"""Lab logins: the accounts and each device's sshd, whose sessions land in vtysh.

The accounts (one per credential profile, e.g. ``netops``) exist only inside the lab: the
devices' sshd runs in a private mount namespace where copies of the host's passwd, shadow
and group, with the lab accounts added, are bind-mounted over ``/etc``. The host's own
account files are never written. Lab users are in groups ``frrvty`` (vtysh sockets),
``frr`` (the config dir, for ``write memory``) and ``adm`` (``lldpcli`` is setuid ``_lldpd``,
group ``adm``). A device login runs the device agent (:mod:`automation.frr.agent`) with Debian's
``/usr/bin/python3``: a plain login still lands in vtysh, and ``egovnet-agent <verb>`` gives
the revert timer, LLDP and counters that vtysh cannot.
"""

from __future__ import annotations

import grp
import os
import pwd
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import shell
from .credentials import Account
from .plan import Node

FIRST_LAB_UID = 62000
VTY_GROUPS = ("frrvty", "frr", "adm")
AGENT_PYTHON = "/usr/bin/python3"
REPO = Path(__file__).resolve().parent.parent
SSHD = "/usr/sbin/sshd"


@dataclass(frozen=True)
class LabUser:
    username: str
    uid: int
    gid: int
    home: str
    password_hash: str


def lab_users(accounts: list[Account], home_root: str = "/nonexistent") -> list[LabUser]:
    """Give each account a UID the host does not use, its primary group ``frrvty``."""
    gid = grp.getgrnam("frrvty").gr_gid
    used = {p.pw_uid for p in pwd.getpwall()}
    users: list[LabUser] = []
    uid = FIRST_LAB_UID
    for account in accounts:
        while uid in used:
            uid += 1
        used.add(uid)
        home = home_root if home_root == "/nonexistent" else f"{home_root}/{account.username}"
        users.append(LabUser(account.username, uid, gid, home, hash_password(account.password)))
    return users


def hash_password(password: str) -> str:
    """SHA-512 crypt, as /etc/shadow holds it (the password goes through stdin only)."""
    out = shell.run(["openssl", "passwd", "-6", "-stdin"], input=password + "\n").stdout
    return out.strip()


def write_account_files(
    target_etc: Path, users: list[LabUser], shell_path: str, source_etc: Path = Path("/etc")
) -> None:
    """Copies of passwd, shadow and group with the lab users added (replacing same names)."""
    target_etc.mkdir(parents=True, exist_ok=True)
    names = {u.username for u in users}

    def keep(line: str) -> bool:
        return bool(line) and line.split(":", 1)[0] not in names

    passwd = [ln for ln in (source_etc / "passwd").read_text().splitlines() if keep(ln)]
    passwd += [f"{u.username}:x:{u.uid}:{u.gid}:egovnet lab:{u.home}:{shell_path}" for u in users]
    shadow = [ln for ln in (source_etc / "shadow").read_text().splitlines() if keep(ln)]
    shadow += [f"{u.username}:{u.password_hash}:19000:0:99999:7:::" for u in users]
    group_lines: list[str] = []
    for line in (source_etc / "group").read_text().splitlines():
        if not line:
            continue
        name, pw, gid, members = [*line.split(":"), "", "", ""][:4]
        if name in VTY_GROUPS:
            current = [m for m in members.split(",") if m and m not in names]
            members = ",".join(current + sorted(names))
        group_lines.append(f"{name}:{pw}:{gid}:{members}")
    _write(target_etc / "passwd", passwd, 0o644, source_etc / "passwd")
    _write(target_etc / "shadow", shadow, 0o640, source_etc / "shadow")
    _write(target_etc / "group", group_lines, 0o644, source_etc / "group")


def _write(path: Path, lines: list[str], mode: int, like: Path) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    st = like.stat()
    os.chown(path, st.st_uid, st.st_gid)
    os.chmod(path, mode)


def host_key(path: Path) -> Path:
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        shell.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", path.parent.name, "-f", str(path)]
        )
    return path


def agent_command(
    node: Node,
    agent_state: Path,
    lldpd_socket: Path,
    snmpd_access: Path | None = None,
    snmpd_pid: Path | None = None,
) -> str:
    """The device agent as the login command (stdlib + this repository only)."""
    snmpd = []
    if snmpd_access is not None and snmpd_pid is not None:
        snmpd = ["--snmpd-access", str(snmpd_access), "--snmpd-pidfile", str(snmpd_pid)]
    return " ".join(
        shlex.quote(part)
        for part in (
            "env",
            f"PYTHONPATH={REPO}",
            AGENT_PYTHON,
            "-m",
            "automation.frr.agent",
            "--pathspace",
            node.namespace,
            "--state-dir",
            str(agent_state),
            "--lldpd-socket",
            str(lldpd_socket),
            *snmpd,
        )
    )


def render_device(
    node: Node,
    host_key_path: Path,
    authorized_keys: Path,
    banner: Path,
    users: list[str],
    *,
    force_command: str,
) -> str:
    return "\n".join(
        [
            f"# egovnet lab: sshd of {node.name}; a login is vtysh (through the device agent)",
            f"ListenAddress {node.mgmt.ip}:22",
            f"HostKey {host_key_path}",
            "PidFile none",
            "UsePAM no",
            "PermitRootLogin no",
            "PasswordAuthentication yes",
            "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes",
            f"AuthorizedKeysFile {authorized_keys}",
            "StrictModes no",
            f"AllowUsers {' '.join(users)}",
            f"ForceCommand {force_command}",
            "X11Forwarding no",
            "AllowTcpForwarding no",
            "AllowAgentForwarding no",
            "PermitTunnel no",
            f"Banner {banner}",
            "PrintMotd no",
            "PrintLastLog no",
            "ClientAliveInterval 300",
            "ClientAliveCountMax 2",
            "MaxAuthTries 5",
            "LoginGraceTime 30",
            "MaxStartups 50:30:100",
            "LogLevel INFO",
            "",
        ]
    )


def render_server(node: Node, users: list[str]) -> str:
    """The server's own ``/etc/ssh/sshd_config`` (in its copy-on-write root)."""
    sftp = "/usr/lib/openssh/sftp-server"
    return "\n".join(
        [
            f"# egovnet lab: sshd of server {node.name} (its own copy; harden it freely)",
            f"ListenAddress {node.mgmt.ip}:22",
            "HostKey /etc/ssh/ssh_host_ed25519_key",
            "PidFile /run/sshd.pid",
            "UsePAM no",
            "PermitRootLogin no",
            "PasswordAuthentication yes",
            "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes",
            "AuthorizedKeysFile .ssh/authorized_keys",
            f"AllowUsers {' '.join(users)}",
            "X11Forwarding no",
            "PrintMotd no",
            f"Subsystem sftp {sftp}",
            "",
        ]
    )


def device_argv(node: Node, accounts_etc: Path, config: Path, log: Path) -> list[str]:
    """sshd in the device namespace, with the lab accounts mounted over /etc privately.

    ``ip netns exec`` already gives the command its own mount namespace (slave of the
    host's), so these bind mounts are invisible to the host and die with sshd.
    """
    binds = " && ".join(
        f"mount --bind {shlex.quote(str(accounts_etc / f))} /etc/{f}"
        for f in ("passwd", "shadow", "group")
    )
    script = f"{binds} && exec {SSHD} -D -f {shlex.quote(str(config))} -E {shlex.quote(str(log))}"
    return shell.in_device(node.namespace, node.name, ["/bin/sh", "-c", script])


def copy_file(src: Path, dst: Path, mode: int, uid: int = 0, gid: int = 0) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    os.chown(dst, uid, gid)
    os.chmod(dst, mode)
