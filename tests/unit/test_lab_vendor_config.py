"""The emulated devices' running config: a real Comware config prints back as it was read;
lines typed in views change it where the device would put them."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.vendors.config import ChangeError, RunningConfig
from lab.vendors.hp_comware import STYLE as COMWARE
from lab.vendors.huawei_vrp import VRP5_STYLE

pytestmark = pytest.mark.unit

TESTS = Path(__file__).resolve().parents[1]
BACKUP = (TESTS / "fixtures" / "captures" / "netutils" / "hp_comware_full_backup.txt").read_text()
VRP = (
    TESTS
    / "golden"
    / "automation"
    / "recorded"
    / "huawei_vrp"
    / "display_current-configuration.txt"
).read_text()


def _body(text: str) -> list[str]:
    """A printout without its version stamp, trailing blanks and the empty first block."""
    lines = [ln.rstrip() for ln in text.splitlines()]
    lines = [ln for ln in lines if not ln.startswith(("version ", "!"))]
    out: list[str] = []
    for ln in lines:
        if ln == "#" and out and out[-1] == "#":
            continue
        out.append(ln)
    return out


def test_a_real_comware_config_prints_back_as_read() -> None:
    config = RunningConfig.parse(BACKUP, COMWARE)
    assert _body(config.render()) == _body(BACKUP)
    bgp = config.find(("bgp 65003", "ip vpn-instance vpn2"))
    assert bgp is not None and any(c.text.startswith("peer 192.0.2.61") for c in bgp.children)


def test_the_recorded_vrp_config_prints_back_as_read() -> None:
    assert _body(RunningConfig.parse(VRP, VRP5_STYLE).render()) == _body(VRP)


def test_lines_replace_join_and_undo_as_on_the_device() -> None:
    config = RunningConfig.parse(BACKUP, COMWARE)
    vty = ("line vty 0 4",)
    config.set_line(vty, "idle-timeout 10 0")  # one value per view: replaces 60 0
    node = config.find(vty)
    assert node is not None
    assert [c.text for c in node.children if c.text.startswith("idle")] == ["idle-timeout 10 0"]
    config.set_line((), "info-center loghost 10.200.0.250")
    lines = config.lines()
    at = lines.index(" info-center loghost 10.200.0.250")
    assert lines[at - 1].startswith(" info-center loghost vpn-instance")  # beside its kin
    config.set_line((), "undo telnet server enable")
    assert " telnet server enable" not in config.lines()
    config.set_line((), "undo ip http enable")  # on by default: printed as an undo line
    assert " undo ip http enable" in config.lines()
    path = config.enter((), "interface LoopBack9")
    config.set_line(path, "ip address 10.255.9.9 255.255.255.255")
    text = config.render()
    loopbacks = [ln for ln in text.splitlines() if ln.startswith("interface LoopBack")]
    assert loopbacks == ["interface LoopBack1", "interface LoopBack9"]  # after its own kind
    config.set_line((), "undo interface LoopBack9")
    assert "interface LoopBack9" not in config.render()
    with pytest.raises(ChangeError, match="cannot be deleted"):
        config.set_line((), "undo interface Ten-GigabitEthernet1/0/1")
