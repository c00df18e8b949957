"""Config parsing and drift on configurations captured from real devices.

netutils' Comware 7 backup and the intended config its tests push
(tests/fixtures/captures/netutils/), and napalm-huawei-vrp's VRP merge case
(tests/fixtures/captures/napalm-huawei-vrp/), each with its project's LICENSE and SOURCE.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from automation import syntaxes
from automation.confdiff import diff_text, parse

pytestmark = pytest.mark.unit

CAPTURES = Path(__file__).resolve().parents[1] / "fixtures" / "captures"
BACKUP = (CAPTURES / "netutils" / "hp_comware_full_backup.txt").read_text("utf-8")
SENT = (CAPTURES / "netutils" / "hp_comware_full_sent.txt").read_text("utf-8")
REDACTED = "<REDACTED>"  # netutils sanitised the backup's secrets, not the pushed config's


def test_a_real_comware_config_parses_into_its_views() -> None:
    tree = parse(BACKUP, syntaxes.HP_COMWARE)
    assert "sysname NTC123456" in tree.lines(())
    assert tree.lines(("interface Ten-GigabitEthernet1/0/1",))
    assert ("bgp 65003", "ip vpn-instance vpn2") in tree.contexts
    assert "version 7.1.045, Release 2418P06" not in tree.lines(())  # a stamp, not config
    assert diff_text(BACKUP, BACKUP, syntaxes.HP_COMWARE).empty


def test_comware_drift_adds_to_an_empty_vlan_without_recreating_it() -> None:
    change = diff_text(BACKUP, SENT, syntaxes.HP_COMWARE)
    # the backup prints the empty VLAN as a bare line: it is the same view, not a new one
    assert ("vlan 101",) not in change.deleted_contexts
    assert ("vlan 101",) not in change.new_contexts
    assert change.added[("vlan 101",)] == ["name Test-Vlan-101", "description Test Vlan 101"]
    assert "ntp-service unicast-server ntp.example.com vpn-instance internal" in change.added[()]
    commands = change.commands(syntaxes.HP_COMWARE)
    assert "undo vlan 101" not in commands
    vlan = commands.index("vlan 101")
    assert commands[vlan : vlan + 4] == [
        "vlan 101",
        "name Test-Vlan-101",
        "description Test Vlan 101",
        "quit",
    ]
    # beyond that, only the sanitised secrets differ
    others = {ctx for ctx in change.removed if ctx != ("vlan 101",)}
    assert all(REDACTED in ln for ctx in others for ln in change.removed[ctx])


def test_vrp_merge_of_an_acl_matches_the_captured_diff() -> None:
    folder = CAPTURES / "napalm-huawei-vrp"
    initial = (folder / "initial.conf").read_text("utf-8")
    merge = (folder / "merge_good.conf").read_text("utf-8")
    change = diff_text(initial, initial.replace("return", "") + merge, syntaxes.HUAWEI_VRP)
    ours = [ln[1:].strip() for ln in change.unified().splitlines()]
    theirs = [ln.strip().lstrip("+") for ln in (folder / "merge_good.diff").read_text().split("\n")]
    assert ours == [ln for ln in theirs if ln]
    assert change.commands(syntaxes.HUAWEI_VRP)[-1] == "quit"
