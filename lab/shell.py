"""Running the system's tools (ip, tc, vtysh, ...) with errors that read as one line."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from base.errors import LabError

T = TypeVar("T")
R = TypeVar("R")

#: Environment for every tool the lab runs: predictable output, no pager, UTF-8.
TOOL_ENV = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "VTYSH_PAGER": "cat",
}


def run(
    argv: Sequence[str],
    *,
    check: bool = True,
    input: str | None = None,
    timeout: float = 60.0,
    what: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a command; with ``check``, a failure raises :class:`LabError` naming it."""
    try:
        proc = subprocess.run(
            list(argv),
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env=TOOL_ENV,
        )
    except FileNotFoundError as exc:
        raise LabError(f"{argv[0]}: not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise LabError(f"{what or ' '.join(argv[:4])}: timed out after {timeout:.0f}s") from exc
    if check and proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        reason = detail[-1] if detail else f"exit {proc.returncode}"
        raise LabError(f"{what or ' '.join(argv[:6])}: {reason}")
    return proc


def in_netns(namespace: str, argv: Sequence[str]) -> list[str]:
    """``ip netns exec``: also remounts /sys for the namespace, which lldpd and snmpd read."""
    return ["ip", "netns", "exec", namespace, *argv]


def in_device(namespace: str, hostname: str, argv: Sequence[str]) -> list[str]:
    """In the device's network namespace *and* a UTS namespace named after it, so FRR,
    sshd and vtysh see the device's hostname (FRR takes it from uname; its ``hostname``
    command does not reach the daemons)."""
    script = 'hostname "$0" && exec "$@"'
    return in_netns(namespace, ["unshare", "--uts", "/bin/sh", "-c", script, hostname, *argv])


def ip_batch(lines: Iterable[str], namespace: str | None = None, *, force: bool = False) -> None:
    """Many ``ip`` commands in one process (``-force`` goes on past individual errors)."""
    script = "\n".join(lines)
    if not script:
        return
    argv = ["ip"] + (["-n", namespace] if namespace else []) + (["-force"] if force else [])
    run([*argv, "-batch", "-"], input=script + "\n", check=not force, what=f"ip batch {namespace}")


def tc_batch(lines: Iterable[str], namespace: str, *, force: bool = False) -> None:
    script = "\n".join(lines)
    if not script:
        return
    argv = ["tc", "-n", namespace] + (["-force"] if force else [])
    run([*argv, "-batch", "-"], input=script + "\n", check=not force, what=f"tc batch {namespace}")


def parallel(fn: Callable[[T], R], items: Iterable[T], workers: int = 16) -> list[R]:
    """Map over items in threads (the work is waiting on subprocesses); errors propagate."""
    todo = list(items)
    if len(todo) <= 1:
        return [fn(x) for x in todo]
    with ThreadPoolExecutor(max_workers=min(workers, len(todo))) as pool:
        return list(pool.map(fn, todo))
