"""Lab servers: a copy-on-write root of the host in private mount, PID and UTS namespaces.

The overlay (lower = the host's root filesystem, upper/work under the state dir) is mounted
inside the server's own mount namespace, so it never appears in the host's mount table and
vanishes with the server. Its ``/dev``, ``/proc``, ``/sys``, ``/run`` and ``/tmp`` are fresh.
The server's ``sshd`` (its own ``/etc/ssh/sshd_config``) is PID 1; ``kill -HUP 1`` inside the
server (or ``pkill -HUP sshd``) makes it re-read its config after a hardening change.
Writes land in ``upper/``; the host's files are never touched.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from . import shell, sshd
from .plan import Node

SERVER_LOG = "/var/log/egovnet-lab-sshd.log"
#: /etc/default/chrony of every server: -x = never set the (shared) system clock.
CHRONY_DEFAULTS = '# egovnet lab: the server shares the host clock\nDAEMON_OPTS="-F 1 -x"\n'


def prepare_upper(node: Node, upper: Path, users: list[sshd.LabUser], public_key: str) -> None:
    """Seed the server's writable layer: its accounts, sudo, sshd config and host key."""
    etc = upper / "etc"
    sshd.write_account_files(etc, users, "/bin/bash")
    sudoers = etc / "sudoers.d" / "egovnet-lab"
    sudoers.parent.mkdir(parents=True, exist_ok=True)
    sudoers.write_text("".join(f"{u.username} ALL=(ALL) NOPASSWD: ALL\n" for u in users))
    os.chmod(sudoers, 0o440)
    ssh_dir = etc / "ssh"
    ssh_dir.mkdir(parents=True, exist_ok=True)
    (ssh_dir / "sshd_config").write_text(
        sshd.render_server(node, [u.username for u in users]), encoding="utf-8"
    )
    sshd.host_key(ssh_dir / "ssh_host_ed25519_key")
    # A server shares the host's clock: a chronyd started in it (hardening's time-sync
    # control) must never adjust it (-x), whatever its sources say.
    (etc / "default").mkdir(parents=True, exist_ok=True)
    (etc / "default" / "chrony").write_text(CHRONY_DEFAULTS, encoding="utf-8")
    (etc / "hostname").write_text(node.name + "\n")
    hosts = Path("/etc/hosts").read_text(encoding="utf-8") if Path("/etc/hosts").is_file() else ""
    (etc / "hosts").write_text(f"{hosts.rstrip()}\n127.0.1.1 {node.name}\n", encoding="utf-8")
    for user in users:
        home = upper / user.home.lstrip("/")
        dot_ssh = home / ".ssh"
        dot_ssh.mkdir(parents=True, exist_ok=True)
        keys = dot_ssh / "authorized_keys"
        keys.write_text(public_key + "\n")
        for path, mode in ((home, 0o750), (dot_ssh, 0o700), (keys, 0o600)):
            os.chown(path, user.uid, user.gid)
            os.chmod(path, mode)


def argv(node: Node, upper: Path, work: Path, root: Path) -> list[str]:
    """The server: ``unshare`` (mount, PID, UTS) running a script that ends as its sshd."""
    r = shlex.quote(str(root))
    script = "\n".join(
        [
            "set -e",
            f"mount -t overlay overlay -o lowerdir=/,upperdir={shlex.quote(str(upper))},"
            f"workdir={shlex.quote(str(work))} {r}",
            f"mount -t proc proc {r}/proc",
            f"mount -t sysfs -o ro sysfs {r}/sys",
            f"mount -t tmpfs -o mode=755,nosuid tmpfs {r}/dev",
            f"for d in null zero full random urandom tty; do touch {r}/dev/$d;"
            f" mount --bind /dev/$d {r}/dev/$d; done",
            f"mkdir -p {r}/dev/pts {r}/dev/shm",
            f"mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5 devpts {r}/dev/pts",
            f"ln -sf pts/ptmx {r}/dev/ptmx",
            f"ln -sf /proc/self/fd {r}/dev/fd",
            f"mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs {r}/dev/shm",
            f"mount -t tmpfs -o mode=755,nosuid,nodev tmpfs {r}/run",
            f"mkdir -p {r}/run/sshd {r}/run/lock",
            f"mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs {r}/tmp",
            f"hostname {shlex.quote(node.name)}",
            f"exec chroot {r} /usr/sbin/sshd -D -E {SERVER_LOG}",
        ]
    )
    return shell.in_netns(
        node.namespace,
        [
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "--pid",
            "--fork",
            "--kill-child",
            "--uts",
            "/bin/sh",
            "-c",
            script,
        ],
    )


def init_pid(unshare_pid: int) -> int | None:
    """PID (in the host's view) of the server's PID 1, the child of its ``unshare``."""
    try:
        for task in Path(f"/proc/{unshare_pid}/task").iterdir():
            children = (task / "children").read_text().split()
            if children:
                return int(children[0])
    except OSError:
        return None
    return None


def exec_argv(init: int, argv: list[str]) -> list[str]:
    """Run a command inside a server: its namespaces and its root (``nsenter``)."""
    return ["nsenter", "-t", str(init), "-m", "-u", "-n", "-p", "-r", "-w", *argv]
