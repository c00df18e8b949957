"""A throwaway Linux server for the hardening role, built the way the lab builds its servers.

A copy-on-write root of this host (overlayfs, upper layer in a temporary directory) in its own
mount, PID and UTS namespaces, inside a network namespace ``t8-...`` joined to the host by a
veth pair in 172.30.8.0/24, with sshd started by its init script. Whatever Ansible changes
lands in the upper layer; the host's own files are never written. ``stop()`` ends the
namespace's init (which ends every process in it), deletes the network namespace and removes
the directory.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HOST_ADDRESS = "172.30.8.1"
TARGET_ADDRESS = "172.30.8.2"

_INIT = r"""
set -e
M="$1"; U="$2"; W="$3"
mount -t overlay overlay -o "lowerdir=/,upperdir=$U,workdir=$W" "$M"
mount -t proc proc "$M/proc"
mount -t sysfs sysfs "$M/sys"
mount -t tmpfs -o mode=755 tmpfs "$M/run"
mount -t tmpfs -o mode=1777 tmpfs "$M/tmp"
mount -t tmpfs -o mode=755 tmpfs "$M/dev"
for d in null zero full random urandom tty; do
  touch "$M/dev/$d"; mount --bind "/dev/$d" "$M/dev/$d"
done
mkdir -p "$M/dev/pts" "$M/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$M/dev/pts"
ln -s pts/ptmx "$M/dev/ptmx"
mount -t tmpfs tmpfs "$M/dev/shm"
hostname t8-server
exec chroot "$M" /bin/bash -c '
  /etc/init.d/ssh start >/dev/null
  trap "exit 0" TERM
  while :; do sleep 1 & wait $!; done'
"""


@dataclass
class SshTarget:
    """A running throwaway server; ``upper`` holds every file it changed."""

    base: Path
    netns: str
    host_if: str
    key: Path
    admin: str = "egadmin"
    process: subprocess.Popen[bytes] | None = None
    init_pid: int = 0
    extra_users: dict[str, str] = field(default_factory=dict)

    @property
    def upper(self) -> Path:
        return self.base / "upper"

    @classmethod
    def start(cls, timeout: float = 20.0) -> SshTarget:
        suffix = secrets.token_hex(2)
        base = Path(tempfile.mkdtemp(prefix="t8-srv-"))
        target = cls(
            base=base, netns=f"t8-srv-{suffix}", host_if=f"t8h{suffix}", key=base / "id_ed25519"
        )
        try:
            target._start(timeout)
        except BaseException:
            target.stop()
            raise
        return target

    def _start(self, timeout: float) -> None:
        for sub in ("upper", "work", "merged"):
            (self.base / sub).mkdir()
        peer = f"t8s{self.host_if[3:]}"
        run = _run
        run("ip", "netns", "add", self.netns)
        run("ip", "link", "add", self.host_if, "type", "veth", "peer", "name", peer)
        run("ip", "link", "set", peer, "netns", self.netns)
        run("ip", "addr", "add", f"{HOST_ADDRESS}/24", "dev", self.host_if)
        run("ip", "link", "set", self.host_if, "up")
        ns = ("ip", "netns", "exec", self.netns)
        run(*ns, "ip", "link", "set", "lo", "up")
        run(*ns, "ip", "addr", "add", f"{TARGET_ADDRESS}/24", "dev", peer)
        run(*ns, "ip", "link", "set", peer, "up")
        self.process = subprocess.Popen(
            [
                *ns,
                "unshare",
                "--mount",
                "--pid",
                "--uts",
                "--fork",
                "--propagation",
                "private",
                "/bin/sh",
                "-c",
                _INIT,
                "t8-init",
                str(self.base / "merged"),
                str(self.upper),
                str(self.base / "work"),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"target init exited: {err.strip()}")
            if _port_open(TARGET_ADDRESS, 22):
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("sshd in the target did not come up")
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        self.init_pid = int(children.read_text().split()[0])
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(self.key))
        public = self.key.with_suffix(".pub").read_text().strip()
        self.exec(
            f"useradd -m -s /bin/bash {self.admin} && install -d -m 700 -o {self.admin} "
            f"/home/{self.admin}/.ssh && echo '{public}' > /home/{self.admin}/.ssh/authorized_keys"
            f" && chown {self.admin} /home/{self.admin}/.ssh/authorized_keys && chmod 600 "
            f"/home/{self.admin}/.ssh/authorized_keys && echo '{self.admin} ALL=(ALL) "
            f"NOPASSWD:ALL' > /etc/sudoers.d/{self.admin} && chmod 440 /etc/sudoers.d/{self.admin}"
        )

    def add_user(self, name: str, password: str) -> None:
        """A login user with a password (to try pam_faillock over SSH)."""
        self.exec(f"useradd -m -s /bin/bash {name} && echo '{name}:{password}' | chpasswd")
        self.extra_users[name] = password

    def exec(self, script: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a shell script inside the target (its root, mounts, PIDs and network)."""
        return subprocess.run(
            [
                "nsenter",
                "-t",
                str(self.init_pid),
                "--mount",
                "--pid",
                "--net",
                "--uts",
                "--root",
                "--wd=/",
                "/bin/sh",
                "-c",
                script,
            ],
            capture_output=True,
            text=True,
            check=check,
            timeout=60,
        )

    def inventory(self, path: Path, extra_vars: dict[str, object]) -> Path:
        import yaml

        host = {
            "ansible_host": TARGET_ADDRESS,
            "ansible_user": self.admin,
            "ansible_ssh_private_key_file": str(self.key),
            "ansible_ssh_common_args": "-o StrictHostKeyChecking=no "
            "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR",
            "ansible_python_interpreter": "/usr/bin/python3",
        }
        doc = {
            "all": {
                "hosts": {"t8-server": host},
                "children": {"servers": {"hosts": {"t8-server": None}}},
                "vars": extra_vars,
            }
        }
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        return path

    def stop(self) -> None:
        if self.init_pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.init_pid, 9)
        if self.process is not None:
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        subprocess.run(["ip", "netns", "del", self.netns], capture_output=True, check=False)
        subprocess.run(["ip", "link", "del", self.host_if], capture_output=True, check=False)
        shutil.rmtree(self.base, ignore_errors=True)


def _run(*argv: str) -> None:
    subprocess.run(argv, check=True, capture_output=True, text=True, timeout=30)


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.3):
            return True
    except OSError:
        return False
