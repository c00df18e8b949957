"""One interface over every way we talk to a device: NAPALM drivers and Netmiko.

``ConfigSession`` is what the Nornir tasks use; :func:`open_session` picks the
implementation from the platform map (``PlatformSpec.session``): NAPALM where a driver
supports the candidate lifecycle (our FRR driver, ``ios``, ``huawei_vrp`` for merges),
Netmiko where none does (``hp_comware``). The change itself is always computed here from
running vs intended (:mod:`automation.confdiff`), so every platform shows the same diff:
replace-mode platforms get the whole intended config, merge-mode platforms get the change
commands (negations first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from base.errors import AutomationError

from .confdiff import ConfigChange, diff_text
from .platforms import ApplyMode, PlatformSpec, SessionKind

#: error lines of the CLIs behind the Netmiko session (H3C: "% Unrecognized command")
NETMIKO_ERROR_PATTERN = r"^\s*%.*$|^\s*\^$|Error:"


@dataclass(frozen=True)
class SessionTarget:
    """Where and how to reach one device (from the Nornir host)."""

    name: str
    host: str
    username: str | None
    password: str | None
    port: int | None = None
    timeout: int = 30
    #: driver-specific options (e.g. ``{"agent": False}`` for the FRR driver)
    extras: tuple[tuple[str, Any], ...] = ()


class ConfigSession(Protocol):
    """A configuration session with one device; a context manager."""

    spec: PlatformSpec
    target: SessionTarget

    def __enter__(self) -> ConfigSession: ...

    def __exit__(self, *exc: object) -> None: ...

    def running_config(self) -> str: ...

    def change(self, running: str, intended: str) -> ConfigChange: ...

    def apply(self, running: str, intended: str, revert_in: int | None = None) -> None:
        """Make ``intended`` (secrets already resolved) the running config."""

    def has_pending_commit(self) -> bool: ...

    def confirm(self) -> None: ...


class _Base:
    def __init__(self, spec: PlatformSpec, target: SessionTarget) -> None:
        self.spec = spec
        self.target = target

    def change(self, running: str, intended: str) -> ConfigChange:
        return diff_text(running, intended, self.spec.syntax, self._protect)

    def _complete(self, text: str) -> bool:
        """Whether a running config read ends the way the platform ends a whole config."""
        end = self.spec.running_end
        if end is None:
            return True
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return bool(lines) and lines[-1] == end

    def _incomplete(self, text: str) -> AutomationError:
        lines = [line for line in text.splitlines() if line.strip()]
        return AutomationError(
            f"{self.target.name}: the running config read was cut short ({len(lines)} lines, "
            f"no closing {self.spec.running_end!r}); nothing was changed, try again"
        )

    def _protect(self, ctx: tuple[str, ...], line: str) -> bool:
        """Never remove the address the management session runs over."""
        del ctx
        return line.split()[:2] == ["ip", "address"] and self.target.host in line


class NapalmSession(_Base):
    def __init__(self, spec: PlatformSpec, target: SessionTarget) -> None:
        super().__init__(spec, target)
        import napalm

        if spec.napalm_driver is None:  # pragma: no cover - the platform map is checked
            raise AutomationError(f"{spec.platform.value}: no NAPALM driver in the map")
        driver = napalm.get_network_driver(spec.napalm_driver)
        optional: dict[str, Any] = dict(target.extras)
        if target.port:
            optional["port"] = target.port
        self.driver: Any = driver(
            target.host,
            target.username or "",
            target.password or "",
            timeout=target.timeout,
            optional_args=optional,
        )

    def __enter__(self) -> NapalmSession:
        self.driver.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.driver.close()

    def running_config(self) -> str:
        text = str(self.driver.get_config(retrieve="running")["running"])
        if not self._complete(text):
            raise self._incomplete(text)
        return text

    def apply(self, running: str, intended: str, revert_in: int | None = None) -> None:
        if self.spec.apply_mode is ApplyMode.whole_config:
            self.driver.load_replace_candidate(config=intended)
        else:
            commands = self.change(running, intended).commands(self.spec.syntax)
            # napalm-huawei-vrp appends to its merge buffer and keeps it after a failed
            # commit: a restore would send the failed lines again
            self.driver.discard_config()
            self.driver.load_merge_candidate(config="\n".join(commands) + "\n")
        if revert_in is None:
            self.driver.commit_config()
        else:
            self.driver.commit_config(revert_in=revert_in)

    def has_pending_commit(self) -> bool:
        return bool(self.driver.has_pending_commit())

    def confirm(self) -> None:
        self.driver.confirm_commit()


class NetmikoSession(_Base):
    def __init__(self, spec: PlatformSpec, target: SessionTarget) -> None:
        super().__init__(spec, target)
        self.conn: Any = None

    def __enter__(self) -> NetmikoSession:
        from netmiko import ConnectHandler

        self.conn = ConnectHandler(
            device_type=self.spec.netmiko_device_type,
            host=self.target.host,
            port=self.target.port or 22,
            username=self.target.username or "",
            password=self.target.password or "",
            timeout=self.target.timeout,
            **dict(self.target.extras),
        )
        return self

    def __exit__(self, *exc: object) -> None:
        if self.conn is not None:
            self.conn.disconnect()

    def running_config(self) -> str:
        # Wait for the command's echo before reading for the prompt, so a late prompt from
        # Netmiko's own prompt probing cannot end the read early. Netmiko's hp_comware turns
        # echo checks off for the whole session (long config lines wrap on its terminal) and
        # that setting overrides the argument, so it is lifted for this one short command.
        # After one more read a cut-short config is an error: a diff against half a config
        # hides drift and re-adds what is there
        text = ""
        verify = self.conn.global_cmd_verify
        self.conn.global_cmd_verify = True
        try:
            for _ in range(2):
                text = str(self.conn.send_command(self.spec.show_running, read_timeout=120))
                if self._complete(text):
                    return text
                self.conn.clear_buffer()
        finally:
            self.conn.global_cmd_verify = verify
        raise self._incomplete(text)

    def apply(self, running: str, intended: str, revert_in: int | None = None) -> None:
        if revert_in is not None:
            raise AutomationError(
                f"{self.target.name}: {self.spec.platform.value} cannot revert by itself "
                "(no commit-confirm); push it without --confirm-within"
            )
        commands = self.change(running, intended).commands(self.spec.syntax)
        if not commands:
            return
        self._send_config_lines(commands)
        self.conn.save_config()

    def _send_config_lines(self, commands: list[str]) -> None:
        """Type the change line by line in system view and stop at the first refused line.

        Each line is done when the device's next system-view prompt (``[name...]``) shows,
        so a line costs what the device takes, not a fixed wait: Netmiko's own per-line
        error check on Comware (echo checks off) waits for 2 s of silence after every line.
        The prompt, not the echo, ends a line, because Comware wraps long lines' echo.
        """
        import re

        conn = self.conn
        prompt = rf"\[~?\*?{re.escape(conn.base_prompt)}[^\]\r\n]*\]\s*$"
        conn.config_mode()
        conn.clear_buffer()
        try:
            for line in commands:
                conn.write_channel(conn.normalize_cmd(line))
                answer = conn.read_until_pattern(pattern=prompt, re_flags=re.M, read_timeout=120)
                found = [
                    m.group(0).strip()
                    for m in re.finditer(NETMIKO_ERROR_PATTERN, answer, flags=re.M)
                ]
                if found:
                    # the message, not the caret line that points into the echo above it
                    said = next((f for f in found if f != "^"), found[0])
                    raise AutomationError(
                        f"{self.target.name}: the device refused {line.strip()!r}: {said}"
                    )
        finally:
            conn.exit_config_mode()

    def has_pending_commit(self) -> bool:
        return False

    def confirm(self) -> None:
        raise AutomationError(
            f"{self.target.name}: {self.spec.platform.value} has no commit-confirm"
        )


SESSION_KINDS: dict[SessionKind, Callable[[PlatformSpec, SessionTarget], ConfigSession]] = {
    SessionKind.napalm: NapalmSession,
    SessionKind.netmiko: NetmikoSession,
}


def open_session(spec: PlatformSpec, target: SessionTarget) -> ConfigSession:
    """A session of the kind the platform map names (not yet connected: use ``with``)."""
    return SESSION_KINDS[spec.session](spec, target)
