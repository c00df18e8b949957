"""Where each lab file lives under ``<state>/lab/`` (the layout is described in state.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LabPaths:
    state_dir: Path

    @property
    def root(self) -> Path:
        return self.state_dir / "lab"

    @property
    def devices(self) -> Path:
        return self.root / "devices"

    @property
    def servers(self) -> Path:
        return self.root / "servers"

    @property
    def accounts(self) -> Path:
        return self.root / "accounts"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def client_key(self) -> Path:
        return self.root / "ssh" / "id_ed25519"

    @property
    def authorized_keys(self) -> Path:
        return self.accounts / "authorized_keys"

    @property
    def banner(self) -> Path:
        return self.accounts / "banner"

    #: Directories ``down`` removes (runtime only; logs, the client key and state stay).
    @property
    def runtime_dirs(self) -> list[Path]:
        return [self.devices, self.servers, self.accounts]

    def device(self, name: str) -> Path:
        return self.devices / name

    def frr_etc(self, name: str) -> Path:
        return self.device(name) / "frr"

    def frr_run(self, name: str) -> Path:
        return self.device(name) / "run"

    def frr_boot(self, name: str, daemon: str) -> Path:
        """The lab's initial config for one daemon (read at start when nothing was saved)."""
        return self.device(name) / "boot" / f"{daemon}.conf"

    def snmpd_conf(self, name: str) -> Path:
        return self.device(name) / "snmpd.conf"

    def snmp_persist(self, name: str) -> Path:
        return self.device(name) / "snmp"

    def sshd_conf(self, name: str) -> Path:
        return self.device(name) / "sshd_config"

    def host_key(self, name: str) -> Path:
        return self.device(name) / "ssh_host_ed25519_key"

    def agent_state(self, name: str) -> Path:
        """The device agent's state (revert timer, snapshots), writable by lab logins."""
        return self.device(name) / "agent"

    def snmpd_access(self, name: str) -> Path:
        """snmpd's v1/v2c access lines (included by snmpd.conf), the device agent's to write."""
        return self.agent_state(name) / "snmpd-access.conf"

    def snmpd_pid(self, name: str) -> Path:
        return self.device(name) / "snmpd.pid"

    def lldpd_conf(self, name: str) -> Path:
        return self.device(name) / "lldpd.conf"

    def lldpd_socket(self, name: str) -> Path:
        return self.device(name) / "lldpd.socket"

    def agentx_socket(self, name: str) -> Path:
        """snmpd's AgentX master socket: lldpd serves LLDP-MIB through it."""
        return self.device(name) / "agentx.socket"

    def vendor(self, name: str) -> Path:
        """An emulated device's files: ``config.cfg`` (what it boots, secrets as markers),
        ``spec.json`` (the daemon's arguments), ``health.json`` (what its snmpd reports)."""
        return self.device(name) / "vendor"

    def server(self, name: str) -> Path:
        return self.servers / name

    def log(self, node: str, daemon: str) -> Path:
        return self.logs / f"{node}.{daemon}.log"
