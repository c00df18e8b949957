"""Production platforms against recorded output (we cannot run Huawei, H3C or Cisco here).

The real drivers run (napalm-huawei-vrp, napalm ios, our Netmiko session); only the SSH
channel is replaced by a replay of recorded command output, files named after the command
in tests/golden/automation/recorded/<platform>/. Those recordings are written in each
vendor's display format for district devices before hardening (telnet on, a v2c
community, a wrong OSPF cost).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from automation.intent import build_intent
from automation.platforms import platform_spec
from automation.render import Renderer
from automation.sessions import NapalmSession, NetmikoSession, SessionTarget, open_session
from base.errors import AutomationError
from inventory.catalog import Inventory
from inventory.models import Platform

pytestmark = pytest.mark.unit

RECORDED = Path(__file__).resolve().parents[1] / "golden" / "automation" / "recorded"
TARGET = SessionTarget(name="dev", host="192.0.2.10", username="netops", password="x")


def recorded(platform: str, command: str) -> str:
    return (RECORDED / platform / f"{command.replace(' ', '_')}.txt").read_text(encoding="utf-8")


class Replay:
    """Stands in for a Netmiko connection: answers from recordings, records what is sent."""

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers
        self.sent: list[str] = []
        self.config_sets: list[list[str]] = []
        self.saved = 0
        self.global_cmd_verify: bool | None = False  # what Netmiko's hp_comware sets
        self.verify_seen: list[bool | None] = []

    def send_command(self, command: str, *args: Any, **kwargs: Any) -> str:
        self.sent.append(command)
        self.verify_seen.append(self.global_cmd_verify)
        for prefix, answer in self.answers.items():
            if command.startswith(prefix):
                return answer
        return ""

    def send_config_set(self, commands: list[str], *args: Any, **kwargs: Any) -> str:
        self.config_sets.append(list(commands))
        return ""

    # what the Netmiko session types line by line in system view
    base_prompt = "dev"
    refuse: tuple[str, ...] = ()

    def config_mode(self, *args: Any, **kwargs: Any) -> str:
        self.config_sets.append([])
        return "[dev]"

    def exit_config_mode(self, *args: Any, **kwargs: Any) -> str:
        return "<dev>"

    def normalize_cmd(self, command: str) -> str:
        return command + "\n"

    def write_channel(self, text: str) -> None:
        self.config_sets[-1].append(text.rstrip("\n"))

    def read_until_pattern(self, pattern: str, *args: Any, **kwargs: Any) -> str:
        line = self.config_sets[-1][-1]
        if line in self.refuse:
            return f"{line}\n  ^\n % Unrecognized command found at '^' position.\n[dev]"
        return f"{line}\n[dev]"

    def save_config(self, *args: Any, **kwargs: Any) -> str:
        self.saved += 1
        return ""

    def clear_buffer(self, *args: Any, **kwargs: Any) -> str:
        return ""

    def check_config_mode(self, *args: Any, **kwargs: Any) -> bool:
        return True

    def disconnect(self) -> None:
        pass


def intended(inv: Inventory, name: str) -> str:
    dev = inv.device(name)
    return Renderer().render(build_intent(inv, dev, dev.platform)).text


def test_the_map_picks_netmiko_for_comware_and_napalm_elsewhere() -> None:
    assert isinstance(open_session(platform_spec(Platform.hp_comware), TARGET), NetmikoSession)
    for p in (Platform.huawei_vrp, Platform.cisco_ios, Platform.frr):
        assert isinstance(open_session(platform_spec(p), TARGET), NapalmSession)


def test_comware_merge_sends_negations_then_additions(district_inventory: Inventory) -> None:
    session = NetmikoSession(platform_spec(Platform.hp_comware), TARGET)
    replay = Replay(
        {"display current-configuration": recorded("hp_comware", "display current-configuration")}
    )
    session.conn = replay
    running = session.running_config()
    want = intended(district_inventory, "wj-town-xilian")
    change = session.change(running, want)
    unified = change.unified()
    assert "- telnet server enable" in unified
    assert "- snmp-agent community read simple public" in unified
    assert "-  idle-timeout 30 0" in unified and "+  idle-timeout 10 0" in unified
    # the device prints the SNMPv3 user's keys as cipher text: not a difference
    assert "usm-user" not in unified
    session.apply(running, want)
    (commands,) = replay.config_sets
    assert commands[:4] == [
        "undo telnet server enable",
        "undo snmp-agent sys-info version v2c v3",
        "undo snmp-agent community read simple public",
        "line vty 0 63",
    ]
    assert commands.index("undo idle-timeout 30 0") < commands.index("idle-timeout 10 0")
    assert replay.saved == 1
    # a refused line stops the push there: nothing after it is typed, nothing is saved
    replay.refuse = ("undo snmp-agent community read simple public",)
    with pytest.raises(AutomationError, match=r"^dev: the device refused 'undo snmp-agent"):
        session.apply(running, want)
    assert replay.config_sets[-1] == commands[:3] and replay.saved == 1
    # once converged, the same running config yields nothing to do
    assert session.change(want, want).empty
    with pytest.raises(AutomationError, match="cannot revert by itself"):
        session.apply(running, want, revert_in=60)


def test_a_comware_config_read_waits_for_the_echo_and_refuses_half_a_config() -> None:
    whole = recorded("hp_comware", "display current-configuration")
    session = NetmikoSession(platform_spec(Platform.hp_comware), TARGET)
    replay = Replay({"display current-configuration": whole})
    session.conn = replay
    assert session.running_config() == whole
    # the echo check is on for the read and back off after it
    assert replay.verify_seen == [True] and replay.global_cmd_verify is False
    cut = "\n".join(whole.splitlines()[:12])  # a read that ended at a stray prompt
    replay.answers = {"display current-configuration": cut}
    with pytest.raises(AutomationError, match=r"^dev: the running config read was cut short"):
        session.running_config()
    assert len(replay.sent) == 3  # one more read before giving up
    assert replay.global_cmd_verify is False


def test_a_vrp_config_read_without_its_closing_return_is_refused() -> None:
    session = NapalmSession(platform_spec(Platform.huawei_vrp), TARGET)
    whole = recorded("huawei_vrp", "display current-configuration")
    session.driver.device = Replay({"display current-configuration": whole.replace("return", "")})
    with pytest.raises(AutomationError, match="no closing 'return'"):
        session.running_config()


def test_huawei_merge_through_napalm_huawei_vrp(district_inventory: Inventory) -> None:
    session = NapalmSession(platform_spec(Platform.huawei_vrp), TARGET)
    replay = Replay(
        {
            "display current-configuration": recorded(
                "huawei_vrp", "display current-configuration"
            ),
            "dir ": "No file found",
            "save": "Are you sure to continue?[Y/N]",
            "y": "Save the configuration successfully.",
        }
    )
    session.driver.device = replay  # the driver's own open() would connect over SSH
    running = session.running_config()
    assert running.startswith("!Software Version")
    want = intended(district_inventory, "wj-vil-xilian-02")
    change = session.change(running, want)
    assert "- telnet server enable" in change.unified()
    session.apply(running, want)
    # napalm-huawei-vrp: system-view, our commands in order, commit, return; then save
    start = replay.sent.index("system-view")
    end = replay.sent.index("commit")
    assert replay.sent[start + 1 : end] == change.commands(session.spec.syntax)
    assert "undo telnet server enable" in replay.sent[start + 1 : end]
    assert any(c.startswith("save") for c in replay.sent[end:])


def test_ios_running_config_and_diff_through_napalm_ios(district_inventory: Inventory) -> None:
    session = NapalmSession(platform_spec(Platform.cisco_ios), TARGET)
    replay = Replay({"show running-config": recorded("cisco_ios", "show running-config")})
    session.driver.device = replay
    running = session.running_config()
    change = session.change(running, intended(district_inventory, "wj-vil-xilian-03"))
    unified = change.unified()
    assert "- snmp-server community public RO" in unified
    assert "-  transport input telnet ssh" in unified
    # IOS hides SNMPv3 users: not reported as missing; headers are not configuration
    assert "snmp-server user" not in unified and "Current configuration" not in unified
    assert "version 17.9" not in unified
    assert change.removed == {
        (): ["snmp-server community public RO"],
        ("line vty 0 4",): ["transport input telnet ssh"],
    }
    assert change.added == {("line vty 0 4",): ["transport input ssh"]}
