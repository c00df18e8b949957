"""The lab's record of everything it made, so ``down`` removes exactly that, even after a crash.

Files under ``<state>/lab/``::

    state.json        this record (written before each object is made, updated after)
    devices/<name>/   per device: frr/ (FRR config dir), run/ (FRR sockets, pids),
                      snmpd.conf, snmp/ (snmpd persistent dir), sshd_config, host key,
                      lldpd.conf, lldpd.socket
    servers/<name>/   per server: upper/ and work/ (the copy-on-write layer), root/ (mount point)
    accounts/         passwd, shadow, group: the lab's login accounts, bind-mounted over /etc
                      for the devices' sshd only (the host's own files are never changed)
    ssh/              the client key for lab logins (kept across runs)
    logs/             one log per daemon (kept after ``down`` for post-mortems)

Two files outside it, both in ``/run/egovnet/`` (gone at reboot, like the namespaces):
``lab.lock`` serialises lab changes on the machine and ``lab.json`` names the state
directory of the lab that is up, so a second lab from elsewhere is refused clearly.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from base.atomic import write_text
from base.errors import LabError
from base.procs import ProcessRecord

STATE_FORMAT = 1
RUN_DIR = Path("/run/egovnet")
LOCK_FILE = RUN_DIR / "lab.lock"
OWNER_FILE = RUN_DIR / "lab.json"

Status = Literal["building", "up", "failed", "down"]
LinkFaultMode = Literal["carrier", "silent"]


class DaemonRecord(ProcessRecord):
    """A daemon the lab started on one of its nodes."""

    model_config = ConfigDict(frozen=True)

    node: str
    daemon: str


class Faults(BaseModel):
    links: dict[str, LinkFaultMode] = Field(default_factory=dict)
    devices: list[str] = Field(default_factory=list)
    #: emulated devices reporting health away from their defaults: what they report
    health: dict[str, list[str]] = Field(default_factory=dict)


class NodeRecord(BaseModel):
    """What others need to reach a node: its namespace, addresses and interface names."""

    model_config = ConfigDict(frozen=True)

    name: str
    namespace: str
    server: bool
    mgmt_address: str
    snmp_engine_id: str
    #: inventory interface name -> Linux interface name (they differ for names like
    #: GigabitEthernet0/0/1, which Linux cannot hold; the inventory name is the ifalias).
    ifnames: dict[str, str] = Field(default_factory=dict)
    #: OSPF adjacencies the node should have (one per link).
    ospf_neighbors: int = 0


class LabState(BaseModel):
    format: int = STATE_FORMAT
    status: Status = "building"
    state_dir: str
    inventory_root: str
    profile: str
    trap_sink: str | None = None
    secrets_file: str | None = None
    namespaces: list[str] = Field(default_factory=list)
    bridge: str | None = None
    host_ports: list[str] = Field(default_factory=list)
    symlinks: list[str] = Field(default_factory=list)
    processes: list[DaemonRecord] = Field(default_factory=list)
    nodes: dict[str, NodeRecord] = Field(default_factory=dict)
    faults: Faults = Field(default_factory=Faults)
    up_seconds: float | None = None
    memory_bytes: int | None = None
    updated_at: datetime = Field(default_factory=lambda: datetime.now(UTC))

    def processes_of(self, node: str) -> list[DaemonRecord]:
        return [p for p in self.processes if p.node == node]

    def remember(self, *, namespaces: Sequence[str] = (), symlinks: Sequence[str] = ()) -> None:
        for ns in namespaces:
            if ns not in self.namespaces:
                self.namespaces.append(ns)
        for link in symlinks:
            if link not in self.symlinks:
                self.symlinks.append(link)


def lab_dir(state_dir: Path) -> Path:
    return state_dir / "lab"


def state_file(state_dir: Path) -> Path:
    return lab_dir(state_dir) / "state.json"


def load_state(state_dir: Path) -> LabState | None:
    path = state_file(state_dir)
    if not path.is_file():
        return None
    try:
        return LabState.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise LabError(f"{path}: unreadable lab state ({exc.__class__.__name__})") from exc


def save_state(state: LabState) -> None:
    """Write the record whole or not at all (temporary file, then rename)."""
    state.updated_at = datetime.now(UTC)
    # the lab's own record, private to the user who runs the lab (as it always was)
    write_text(state_file(Path(state.state_dir)), state.model_dump_json(indent=2), mode=0o600)


@contextlib.contextmanager
def machine_lock(timeout: float = 300.0) -> Iterator[None]:
    """One lab change at a time on this machine (the lab's names are machine-wide)."""
    import time

    RUN_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOCK_FILE, "a+") as fh:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LabError(f"another lab command holds {LOCK_FILE}") from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def read_owner() -> Path | None:
    """The state directory of the lab that is up on this machine, if any."""
    try:
        data = json.loads(OWNER_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("state_dir") if isinstance(data, dict) else None
    return Path(value) if isinstance(value, str) else None


def write_owner(state_dir: Path) -> None:
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    OWNER_FILE.write_text(
        json.dumps({"state_dir": str(state_dir.resolve()), "pid": os.getpid()}) + "\n",
        encoding="utf-8",
    )


def clear_owner(state_dir: Path | None) -> None:
    owner = read_owner()
    if owner is not None and (state_dir is None or owner == state_dir.resolve()):
        OWNER_FILE.unlink(missing_ok=True)
