"""A NAPALM driver for FRRouting, over SSH into vtysh (Netmiko ``cisco_ios`` drives it).

Findable as ``napalm.get_network_driver("frr")`` through the ``napalm_frr`` shim package.

* Replace semantics like ``frr-reload.py``, computed here (the device only has vtysh): the
  running config and the candidate are compared per context (:mod:`automation.confdiff`)
  and only the difference is sent, negations first.
* A commit is all or nothing: if a line fails, the config from before the commit is put
  back before :class:`CommitError` is raised.
* ``commit_config(revert_in=N)`` arms a timer *on the device* before anything changes (the
  device agent, :mod:`automation.frr.agent`); unless ``confirm_commit`` cancels it, the
  device restores the previous config by itself, with or without our session.
* LLDP, counters and uptime come from the device agent too; without the agent these
  getters raise :class:`AgentUnavailableError`, everything else works.
* Host services are config too: the agent shows snmpd's v1/v2c access as a ``host-service
  snmpd`` context at the end of the running config (:mod:`automation.frr.hostservice`), so
  diff, drift, backup, revert and rollback cover it; a commit hands that context's wanted
  lines to the agent instead of vtysh.

``optional_args``: ``port`` (22), ``agent`` (True), ``save_config`` (True: ``write memory``
after a commit that needs no confirmation and after ``confirm_commit``), ``protect_addresses``
(addresses whose ``ip address`` lines a replace never removes; the management address the
session uses is always protected), ``conn_timeout``, ``read_timeout`` (seconds).
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any, cast

from napalm.base import NetworkDriver, models
from napalm.base.exceptions import (
    CommitConfirmException,
    CommitError,
    ConnectionClosedException,
    ConnectionException,
    MergeConfigException,
    ReplaceConfigException,
)
from netmiko import ConnectHandler
from netmiko.exceptions import ConfigInvalidException, NetmikoBaseException

from automation.confdiff import ConfigChange, ConfigTree, Context, compare, parse
from automation.frr.hostservice import SNMPD
from automation.platforms import PLATFORMS
from inventory.models import Platform

SPEC = PLATFORMS[Platform.frr]
SYNTAX = SPEC.syntax
#: vtysh answers every failed line with a line starting with "%"
ERROR_PATTERN = r"^%.*$"
AGENT = "egovnet-agent"


class AgentUnavailableError(ConnectionException):  # type: ignore[misc]
    """The device has no egovnet agent behind its SSH login (see automation.frr.agent)."""


class FrrDriver(NetworkDriver):  # type: ignore[misc]
    platform = "frr"

    def __init__(
        self,
        hostname: str,
        username: str,
        password: str,
        timeout: int = 60,
        optional_args: dict[str, Any] | None = None,
    ) -> None:
        self.hostname = hostname
        self.username = username
        self.password = password
        self.timeout = timeout
        opts = dict(optional_args or {})
        self.port = int(opts.pop("port", 22))
        self.use_agent = bool(opts.pop("agent", True))
        self.save_config = bool(opts.pop("save_config", True))
        self.read_timeout = float(opts.pop("read_timeout", 60))
        protect = [str(a) for a in opts.pop("protect_addresses", [])]
        self.protected = {*protect, hostname}
        self.netmiko_args = opts
        self.device: Any = None
        self._candidate: ConfigTree | None = None
        self._merge = False
        self._rollback_config: str | None = None

    # --- session ------------------------------------------------------------------------
    def open(self) -> None:
        try:
            self.device = ConnectHandler(
                device_type=SPEC.netmiko_device_type,
                host=self.hostname,
                port=self.port,
                username=self.username,
                password=self.password,
                timeout=self.timeout,
                conn_timeout=float(self.netmiko_args.pop("conn_timeout", 10)),
                **self.netmiko_args,
            )
        except (NetmikoBaseException, OSError) as exc:
            raise ConnectionException(f"{self.hostname}: {exc}") from exc

    def close(self) -> None:
        if self.device is not None:
            self.device.disconnect()
            self.device = None

    def is_alive(self) -> models.AliveDict:
        alive = bool(self.device is not None and self.device.is_alive())
        return {"is_alive": alive}

    def _conn(self) -> Any:
        if self.device is None:
            raise ConnectionClosedException(f"{self.hostname}: not connected (call open())")
        return self.device

    def _show(self, command: str) -> str:
        return str(self._conn().send_command(command, read_timeout=self.read_timeout))

    def _running(self, command: str = "show running-config") -> str:
        """vtysh's running config, then the host services the agent manages (if any)."""
        running = self._show(command)
        if self.use_agent:
            reply = self._try_agent("host-services")
            if reply is not None:
                running = running.rstrip("\n") + "\n" + str(reply.get("config") or "")
        return running

    # --- the device agent ---------------------------------------------------------------
    def _agent(self, verb: str, *args: str, stdin: str | None = None) -> dict[str, Any]:
        if not self.use_agent:
            raise AgentUnavailableError(f"{self.hostname}: agent disabled (optional_args)")
        transport = self._conn().remote_conn_pre.get_transport()
        channel = transport.open_session(timeout=self.timeout)
        channel.settimeout(self.read_timeout)
        channel.exec_command(" ".join([AGENT, verb, *args]))
        if stdin is not None:
            channel.sendall(stdin.encode("utf-8"))
        channel.shutdown_write()
        chunks: list[bytes] = []
        while True:
            data = channel.recv(65536)
            if not data:
                break
            chunks.append(data)
        channel.recv_exit_status()
        channel.close()
        text = b"".join(chunks).decode("utf-8", "replace").strip()
        try:
            reply: dict[str, Any] = json.loads(text.splitlines()[-1]) if text else {}
        except ValueError:
            reply = {}
        if reply.get("agent") != "egovnet":
            raise AgentUnavailableError(
                f"{self.hostname}: no egovnet agent behind the SSH login (the device must run "
                f"'python -m automation.frr.agent' as its ForceCommand); got {text[:80]!r}"
            )
        if not reply.get("ok"):
            raise ConnectionException(f"{self.hostname}: agent {verb}: {reply.get('error')}")
        return reply

    # --- candidate lifecycle ------------------------------------------------------------
    def _load(self, filename: str | None, config: str | None) -> str:
        if config is None and filename is None:
            raise ReplaceConfigException("load needs a filename or a config")
        if config is None:
            assert filename is not None
            with open(filename, encoding="utf-8") as fh:
                config = fh.read()
        return config

    def load_replace_candidate(
        self, filename: str | None = None, config: str | None = None
    ) -> None:
        self._candidate = parse(self._load(filename, config), SYNTAX)
        self._merge = False

    def load_merge_candidate(self, filename: str | None = None, config: str | None = None) -> None:
        try:
            self._candidate = parse(self._load(filename, config), SYNTAX)
        except ReplaceConfigException as exc:
            raise MergeConfigException(str(exc)) from exc
        self._merge = True

    def _protect(self, ctx: Context, line: str) -> bool:
        """Never remove the address the management session runs over."""
        if not line.startswith("ip address "):
            return False
        try:
            ip = str(ipaddress.ip_interface(line.split()[2]).ip)
        except (ValueError, IndexError):
            return False
        return ip in self.protected

    def _change(self, running: str) -> ConfigChange:
        if self._candidate is None:
            return ConfigChange({}, {}, [], [])
        return compare(parse(running, SYNTAX), self._wanted(running), SYNTAX, self._protect)

    def compare_config(self) -> str:
        return self._change(self._running()).unified()

    def _send(self, commands: list[str], stop_on_error: bool) -> None:
        """Config-mode commands; on return the session is back at the exec prompt, which
        is found anew (a ``hostname`` line changes it)."""
        if not commands:
            return
        conn = self._conn()
        try:
            conn.send_config_set(
                commands,
                error_pattern=ERROR_PATTERN if stop_on_error else "",
                read_timeout=self.read_timeout,
                exit_config_mode=False,
            )
        finally:
            conn.write_channel("end" + conn.RETURN)
            conn.set_base_prompt()

    def _apply(self, change: ConfigChange, wanted: ConfigTree, stop_on_error: bool) -> None:
        """vtysh gets the change without host contexts; the agent rewrites each host
        service the change touches to its wanted lines."""
        cli, hosts = change.split(SYNTAX.is_host_context)
        self._send(cli.commands(SYNTAX), stop_on_error=stop_on_error)
        for (context,) in sorted(hosts):
            if context != SNMPD:
                raise CommitError(f"{self.hostname}: {context!r}: no such host service")
            self._agent("snmpd-access", stdin="\n".join(wanted.lines((context,))) + "\n")

    def _converge(self, target: str) -> bool:
        """Put ``target`` back as the running config; True when it then matches."""
        wanted = parse(target, SYNTAX)
        change = compare(parse(self._running(), SYNTAX), wanted, SYNTAX, self._protect)
        try:
            self._apply(change, wanted, stop_on_error=False)
        except ConnectionException:
            return False
        return compare(parse(self._running(), SYNTAX), wanted, SYNTAX, self._protect).empty

    def _wanted(self, running: str) -> ConfigTree:
        """The candidate, or for a merge the running config with the candidate's lines."""
        assert self._candidate is not None
        if not self._merge:
            return self._candidate
        current = parse(running, SYNTAX)
        target = self._candidate
        return ConfigTree(
            {
                ctx: list(dict.fromkeys([*current.lines(ctx), *target.lines(ctx)]))
                for ctx in dict.fromkeys([*current.contexts, *target.contexts])
            }
        )

    def commit_config(self, message: str = "", revert_in: int | None = None) -> None:
        del message  # vtysh keeps no commit messages; the change log does
        if self._candidate is None:
            raise CommitError(f"{self.hostname}: no candidate loaded")
        if revert_in is not None and self.has_pending_commit():
            raise CommitError(f"{self.hostname}: a commit is pending confirmation already")
        before = self._running()
        change = self._change(before)
        wanted = self._wanted(before)
        if revert_in is not None:
            # armed before the first line changes: a session lost mid-commit still reverts
            self._agent("revert-arm", str(int(revert_in)), stdin=before)
        elif self.use_agent:
            self._try_agent("snapshot-save", stdin=before)
        try:
            self._apply(change, wanted, stop_on_error=True)
        except (ConfigInvalidException, NetmikoBaseException, OSError, ConnectionException) as exc:
            restored = self._converge(before)
            if revert_in is not None:
                self._agent("revert-cancel")
            state = "restored" if restored else "NOT fully restored"
            raise CommitError(f"{self.hostname}: {exc}; previous config {state}") from exc
        self._rollback_config = before
        self._candidate = None
        if revert_in is None:
            self._save()

    def _try_agent(self, verb: str, stdin: str | None = None) -> dict[str, Any] | None:
        try:
            return self._agent(verb, stdin=stdin)
        except AgentUnavailableError:
            return None

    def _save(self) -> None:
        if self.save_config:
            out = self._show("write memory")
            if "[OK]" not in out and "configuration saved" not in out.lower():
                raise CommitError(f"{self.hostname}: write memory failed: {out.strip()[-200:]}")

    def has_pending_commit(self) -> bool:
        return bool(self._agent("revert-status").get("pending"))

    def confirm_commit(self) -> None:
        if not self._agent("revert-cancel").get("cancelled"):
            raise CommitConfirmException(f"{self.hostname}: no commit pending confirmation")
        self._save()

    def discard_config(self) -> None:
        self._candidate = None

    def rollback(self) -> None:
        """Back to the config before the last commit (of this session, else the device's
        saved rollback point); cancels a pending revert first."""
        target = self._rollback_config
        if target is None:
            target = cast(str | None, self._agent("rollback-point").get("config"))
        if not target:
            raise CommitError(f"{self.hostname}: nothing to roll back to")
        self._try_agent("revert-cancel")
        if not self._converge(target):
            raise CommitError(f"{self.hostname}: rollback did not converge")
        self._save()

    # --- getters ------------------------------------------------------------------------
    def get_config(
        self,
        retrieve: str = "all",
        full: bool = False,
        sanitized: bool = False,
        format: str = "text",
    ) -> models.ConfigDict:
        del sanitized, format  # FRR's running config holds no secrets
        running = ""
        if retrieve in ("all", "running"):
            running = self._running("show running-config all" if full else "show running-config")
        candidate = ""
        if retrieve in ("all", "candidate") and self._candidate is not None:
            candidate = self._candidate.render()
        return {"running": running, "startup": "", "candidate": candidate}

    def _interfaces_json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self._show("show interface json") or "{}")
        return data

    def get_facts(self) -> models.FactsDict:
        version = self._show("show version").splitlines()
        first = version[0] if version else ""
        os_version = first.split()[1] if first.startswith("FRRouting") else first
        hostname = ""
        for line in self._show("show running-config").splitlines():
            if line.startswith("hostname "):
                hostname = line.split(None, 1)[1].strip()
                break
        uptime = -1.0
        reply = self._try_agent("facts")
        if reply is not None:
            uptime = float(reply.get("uptime", -1.0))
        return {
            "os_version": os_version,
            "uptime": uptime,
            "interface_list": sorted(self._interfaces_json()),
            "vendor": SPEC.vendor,
            "serial_number": "",
            "model": "FRRouting",
            "hostname": hostname,
            "fqdn": hostname,
        }

    def get_interfaces(self) -> dict[str, models.InterfaceDict]:
        out: dict[str, models.InterfaceDict] = {}
        for name, data in self._interfaces_json().items():
            speed = float(data.get("speed") or 0)
            out[name] = {
                "is_up": data.get("operationalStatus") == "up",
                "is_enabled": data.get("administrativeStatus") == "up",
                "description": str(data.get("description", "")),
                "last_flapped": -1.0,
                "mtu": int(data.get("mtu", 0)),
                "speed": speed if speed > 0 else -1.0,
                "mac_address": str(data.get("hardwareAddress", "")),
            }
        return out

    def get_interfaces_counters(self) -> dict[str, models.InterfaceCounterDict]:
        counters = self._agent("counters")["counters"]
        return cast(dict[str, models.InterfaceCounterDict], counters)

    def get_lldp_neighbors(self) -> dict[str, list[models.LLDPNeighborDict]]:
        neighbors = self._agent("lldp")["neighbors"]
        return cast(dict[str, list[models.LLDPNeighborDict]], neighbors)
