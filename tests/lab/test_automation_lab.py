"""``egovnet config`` against the real lab, on every platform it runs: the FRR devices over
SSH through the device agent, dept1 as an emulated Huawei VRP device and vil2 as H3C Comware
(lab/vendors/), each through the same commands and Nornir tasks.

The module starts from the fresh lab (the FRR devices' own initial config, the emulated ones
as found before egovnet: without their circuit descriptions), pushes the rendered intent and
leaves every device converged on it (OSPF Full and BFD up on every inventory link, the lab's
fast timers kept by ``policy.routing``), so modules that run later see a working lab. The
lifecycle tests (a refused push, an unconfirmed push, drift, backup, rollback) run once per
platform.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from inventory.models import Platform
from tests.conftest import REPO, run_egovnet
from tests.lab.conftest import SessionLab
from tests.lab.device_access import configure, emulated, platform_of, running, same_config
from tests.lab.snmp_access import (
    frr_driver,
    give_v2c,
    legacy,
    v2c_answers,
    v2c_section,
    v3_answers,
    wait_for,
)

pytestmark = pytest.mark.lab

#: the device each lifecycle test drives, by platform: an FRR village, the two emulations
LIFECYCLE = {"frr": "vil3", "huawei_vrp": "dept1", "hp_comware": "vil2"}
#: the platforms, as pytest parameters
PLATFORMS = pytest.mark.parametrize("platform", list(LIFECYCLE))


@pytest.fixture(scope="module", autouse=True)
def _give_legacy_devices_v2c_back(lab: SessionLab) -> Iterator[None]:
    """The push takes v2c away (the 等保 baseline); modules that run later expect the lab's
    initial SNMP access, so the legacy devices get their community back at module end."""
    yield
    for device in legacy(lab):
        give_v2c(lab, device)


def config(lab: SessionLab, *args: str, expect: int | None = 0) -> dict[str, Any]:
    done = run_egovnet(
        "config",
        *args,
        "--profile",
        "lab",
        "--state-dir",
        str(lab.state_dir),
        "--json",
        env={**lab.env, "EGOVNET_USER": "lab-tester"},
    )
    if expect is not None:
        assert done.returncode == expect, done.stdout[-3000:] + done.stderr[-3000:]
    report: dict[str, Any] = json.loads(done.stdout)
    report["exit"] = done.returncode
    return report


def statuses(report: dict[str, Any]) -> dict[str, str]:
    return {d["device"]: d["status"] for d in report["devices"]}


def devices(lab: SessionLab) -> list[str]:
    return [d.name for d in lab.inventory.devices if d.platform is not Platform.linux]


def cost_change(lab: SessionLab, device: str, cost: int) -> tuple[list[str], str]:
    """The commands that set eth1's OSPF cost by hand, and the line the running config shows."""
    if emulated(lab, device):
        return ["interface eth1", f"ospf cost {cost}"], f" ospf cost {cost}"
    return ["interface eth1", f"ip ospf cost {cost}"], f" ip ospf cost {cost}"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def link_ends(lab: SessionLab) -> list[tuple[str, str, str, str]]:
    """(device, lab ifname, peer device, peer address) of every end of every device link."""
    names = set(devices(lab))
    out = []
    for link in lab.inventory.links:
        if link.a.device in names and link.b.device in names:
            for end, far in ((link.a, link.b), (link.b, link.a)):
                assert far.address is not None
                out.append(
                    (
                        end.device,
                        lab.ifname(end.device, end.interface),
                        far.device,
                        str(far.address.ip),
                    )
                )
    return out


def routing_problems(lab: SessionLab) -> list[str]:
    problems = []
    for device, ifname, peer, address in link_ends(lab):
        full = [n for n in lab.ospf_neighbors(device) if n.interface == ifname and n.full]
        if not full:
            problems.append(f"{device} {ifname}: no OSPF Full neighbour ({peer})")
        peers = json.loads(lab.vtysh(device, "show bfd peers json") or "[]")
        if not any(p.get("peer") == address and p.get("status") == "up" for p in peers):
            problems.append(f"{device} {ifname}: BFD to {peer} {address} not up")
    return problems


def templates_with(tmp_path: Path, file: str, old: str, new: str, platform: str = "frr") -> Path:
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "automation" / "templates", templates)
    path = templates / platform / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return templates


def test_1_diff_on_the_fresh_lab_shows_changes_and_changes_nothing(lab: SessionLab) -> None:
    before = {d: sha(running(lab, d)) for d in devices(lab)}
    report = config(lab, "diff")
    assert statuses(report) == dict.fromkeys(devices(lab), "would-change")
    assert all(d["diff"] for d in report["devices"])
    assert {d: sha(running(lab, d)) for d in devices(lab)} == before
    # the emulated devices, as found, lack only their circuit descriptions
    for entry in report["devices"]:
        if emulated(lab, entry["device"]):
            changed = [ln for ln in entry["diff"].splitlines() if ln[:1] in ("+", "-")]
            changed = [ln for ln in changed if not ln.startswith(("+++", "---"))]
            assert changed and all(ln.startswith("+  description ") for ln in changed), entry
    # snmpd's v1/v2c access is part of the diff: only the legacy devices have a community
    removes_v2c = {d["device"] for d in report["devices"] if "-  rocommunity " in d["diff"]}
    assert removes_v2c == set(legacy(lab))
    assert all(v2c_answers(lab, d) for d in legacy(lab)), "diff changed snmpd access"


def test_2_push_converges_every_device_and_routing_stays_up(lab: SessionLab) -> None:
    report = config(lab, "push", "--commit")
    assert statuses(report) == dict.fromkeys(devices(lab), "committed")
    # a second diff after the push is empty on every platform
    assert statuses(config(lab, "diff")) == dict.fromkeys(devices(lab), "unchanged")
    assert {platform_of(lab, d) for d in devices(lab)} == {
        Platform.frr,
        Platform.huawei_vrp,
        Platform.hp_comware,
    }
    assert wait_for(lambda: not routing_problems(lab), 30), routing_problems(lab)
    # the lab's fast timers come from policy.routing, so the push kept them
    assert " ip ospf dead-interval 4" in running(lab, "vil1")
    assert " ospf timer dead 4" in running(lab, "dept1")
    assert " description [A] 区政务服务数据管理局 SGWJ-DX-2001" in running(lab, "dept1")


def test_2b_push_leaves_snmpv3_only_on_the_legacy_v2c_devices(lab: SessionLab) -> None:
    assert {"vil1", "vil3"} <= set(legacy(lab))
    for device in devices(lab):
        assert v3_answers(lab, device), f"{device}: SNMPv3 does not answer after the push"
    for device in legacy(lab):
        assert not v2c_answers(lab, device), f"{device}: v2c still answers after the push"


def napalm_driver(lab: SessionLab, device: str) -> Any:
    """The device's NAPALM driver: egovnet's FRR driver, or napalm-huawei-vrp."""
    if not emulated(lab, device):
        return frr_driver(lab, device)
    import napalm

    params = lab.netmiko_params(device)
    return napalm.get_network_driver("huawei_vrp")(
        params["host"], params["username"], params["password"], timeout=30
    )


def test_3_lldp_neighbours_through_the_napalm_drivers_match_the_inventory(
    lab: SessionLab,
) -> None:
    """FRR through egovnet's driver, VRP through napalm-huawei-vrp; Comware has no NAPALM
    driver (discovery reads it through Netmiko and TextFSM: test_topology_lab)."""
    expected: dict[str, set[tuple[str, str, str]]] = {}
    for device, ifname, peer, _ in link_ends(lab):
        link = next(
            lk
            for lk in lab.inventory.links
            if {lk.a.device, lk.b.device} == {device, peer}
            and lab.ifname(device, (lk.a if lk.a.device == device else lk.b).interface) == ifname
        )
        far = link.b if link.a.device == device else link.a
        expected.setdefault(device, set()).add((ifname, peer, lab.ifname(peer, far.interface)))
    read = [d for d in devices(lab) if platform_of(lab, d) is not Platform.hp_comware]
    assert "dept1" in read
    for device in read:
        conn = napalm_driver(lab, device)
        conn.open()
        try:
            found = {
                (local, n["hostname"], n["port"])
                for local, entries in conn.get_lldp_neighbors().items()
                for n in entries
            }
        finally:
            conn.close()
        assert found == expected.get(device, set()), device


def _bogus(platform: str, device: str) -> tuple[str, str]:
    """(anchor, replacement) in the platform's routing.j2: a line in the OSPF section that only
    ``device`` gets and its platform refuses."""
    line = " ospf bogus-command 1" if platform == "frr" else " bogus-command 1"
    guarded = f'{{% if d.name == "{device}" %}}\n{line}\n{{% endif %}}\n'
    if platform == "frr":
        return "router ospf\n", "router ospf\n" + guarded
    # on the vendors: inside the ospf view, right after its header line
    anchor = "{% for name in d.ospf.passive_interfaces %}"
    return anchor, guarded + anchor


@PLATFORMS
def test_4_a_rejected_command_restores_that_device_and_the_others_converge(
    lab: SessionLab, tmp_path: Path, platform: str
) -> None:
    device = LIFECYCLE[platform]
    old, new = _bogus(platform, device)
    templates = templates_with(tmp_path, "routing.j2", old, new, platform)
    commands, line = cost_change(lab, device, 88)
    configure(lab, device, *commands)
    before = running(lab, device)
    assert line in before
    report = config(lab, "push", "--commit", "--templates", str(templates), expect=1)
    got = statuses(report)
    assert got.pop(device) == "failed"
    assert set(got.values()) <= {"committed", "unchanged"}, got
    failed = next(d for d in report["devices"] if d["device"] == device)
    # napalm-huawei-vrp quotes VRP's message, not the line (docs/automation.md)
    said = "Unrecognized command" if platform == "huawei_vrp" else "bogus-command"
    assert said in failed["error"] and "restored" in failed["error"]
    assert "NOT restored" not in failed["error"], failed["error"]
    assert same_config(lab, device, running(lab, device), before)
    others = [d for d in devices(lab) if d != device]
    assert statuses(config(lab, "diff", *others)) == dict.fromkeys(others, "unchanged")
    assert statuses(config(lab, "push", "--commit", device)) == {device: "committed"}
    assert statuses(config(lab, "diff", device)) == {device: "unchanged"}


@PLATFORMS
def test_5_an_unconfirmed_push_reverts_by_itself_a_confirmed_one_stays(
    lab: SessionLab, tmp_path: Path, platform: str
) -> None:
    device = LIFECYCLE[platform]
    frr_device = platform == "frr"
    old = " ip ospf cost {{ i.ospf_cost }}" if frr_device else " ospf cost {{ i.ospf_cost }}"
    new = old.split("{{", maxsplit=1)[0] + "12"
    templates = templates_with(tmp_path, "interfaces.j2", old, new, platform)
    if frr_device:
        give_v2c(lab, device)  # the push takes it away again; the revert must give it back
    before = running(lab, device)
    push = ("push", "--commit", "--confirm-within", "30s", "--templates", str(templates), device)
    report = config(lab, *push)
    assert statuses(report) == {device: "pending-confirm"}
    assert new in running(lab, device)
    if frr_device:
        assert "-  rocommunity " in report["devices"][0]["diff"]
        assert wait_for(lambda: not v2c_answers(lab, device), 10), "v2c still answers"
    reverted = lambda: same_config(lab, device, running(lab, device), before)  # noqa: E731
    assert wait_for(reverted, 90), f"{device}: no revert in 90 s"
    if frr_device:
        assert wait_for(partial(v2c_answers, lab, device), 10), "the revert left snmpd v3-only"
    assert statuses(config(lab, "confirm", device)) == {device: "nothing-pending"}

    report = config(lab, *push)
    assert statuses(report) == {device: "pending-confirm"}
    assert statuses(config(lab, "confirm", device)) == {device: "confirmed"}
    assert statuses(config(lab, "confirm", device)) == {device: "nothing-pending"}
    assert new in running(lab, device)
    if frr_device:
        assert not v2c_answers(lab, device)
    assert statuses(config(lab, "push", "--commit", device)) == {device: "committed"}
    assert new not in running(lab, device)


@PLATFORMS
def test_6_a_manual_change_is_drift_backup_keeps_it_and_rollback_restores_it(
    lab: SessionLab, platform: str
) -> None:
    device = LIFECYCLE[platform]
    frr_device = platform == "frr"
    config(lab, "backup")
    commands, line = cost_change(lab, device, 77)
    configure(lab, device, *commands)
    if frr_device:
        give_v2c(lab, device)
    report = config(lab, "drift", expect=3)
    assert statuses(report) == {d: ("drift" if d == device else "in-sync") for d in devices(lab)}
    drifted = next(d for d in report["devices"] if d["device"] == device)
    assert line.strip() in drifted["diff"]
    if frr_device:
        assert "-  rocommunity " in drifted["diff"]
    report = config(lab, "backup")
    assert statuses(report) == {
        d: ("backed-up" if d == device else "unchanged") for d in devices(lab)
    }
    backups = lab.state_dir / "automation" / "backups"
    saved = (backups / f"{device}.cfg").read_text(encoding="utf-8")
    assert line in saved
    if frr_device:
        assert v2c_section(lab, device) in saved

    # the push takes the manual change away; rollback brings the backup back
    assert statuses(config(lab, "push", "--commit", device)) == {device: "committed"}
    assert line not in running(lab, device)
    if frr_device:
        assert wait_for(lambda: not v2c_answers(lab, device), 10), "v2c still answers"
    assert statuses(config(lab, "rollback", device)) == {device: "rolled-back"}
    assert line in running(lab, device)
    if frr_device:
        assert wait_for(partial(v2c_answers, lab, device), 10), "rollback left snmpd v3-only"
    # leave the lab converged on the intent for the tests that run next
    assert statuses(config(lab, "push", "--commit", device)) == {device: "committed"}
    assert statuses(config(lab, "diff")) == dict.fromkeys(devices(lab), "unchanged")
    assert wait_for(lambda: not routing_problems(lab), 30), routing_problems(lab)
