"""``egovnet config`` against the real lab: every FRR device over SSH, through the device agent.

The module starts from the fresh lab (the lab's own initial FRR config), pushes the rendered
intent and leaves every device converged on it (OSPF Full and BFD up on every inventory link,
the lab's fast timers kept by ``policy.routing``), so modules that run later see a working lab.
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

import lab as lab_api
from inventory.models import Platform
from lab import frr
from tests.conftest import REPO, run_egovnet
from tests.lab.conftest import SessionLab
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


def running(lab: SessionLab, device: str) -> str:
    return lab.vtysh(device, "show running-config")


def configure(lab: SessionLab, device: str, *commands: str) -> None:
    """A manual change on the device, as an engineer would type it in vtysh."""
    frr.vtysh(lab_api.namespace(device), "configure terminal", *commands)


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


def templates_with(tmp_path: Path, file: str, old: str, new: str) -> Path:
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "automation" / "templates", templates)
    path = templates / "frr" / file
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
    # snmpd's v1/v2c access is part of the diff: only the legacy devices have a community
    removes_v2c = {d["device"] for d in report["devices"] if "-  rocommunity " in d["diff"]}
    assert removes_v2c == set(legacy(lab))
    assert all(v2c_answers(lab, d) for d in legacy(lab)), "diff changed snmpd access"


def test_2_push_converges_every_device_and_routing_stays_up(lab: SessionLab) -> None:
    report = config(lab, "push", "--commit")
    assert statuses(report) == dict.fromkeys(devices(lab), "committed")
    assert statuses(config(lab, "diff")) == dict.fromkeys(devices(lab), "unchanged")
    assert wait_for(lambda: not routing_problems(lab), 30), routing_problems(lab)
    # the lab's fast timers come from policy.routing, so the push kept them
    assert " ip ospf dead-interval 4" in running(lab, "vil1")


def test_2b_push_leaves_snmpv3_only_on_the_legacy_v2c_devices(lab: SessionLab) -> None:
    assert {"vil1", "vil3"} <= set(legacy(lab))
    for device in devices(lab):
        assert v3_answers(lab, device), f"{device}: SNMPv3 does not answer after the push"
    for device in legacy(lab):
        assert not v2c_answers(lab, device), f"{device}: v2c still answers after the push"


def test_3_lldp_neighbours_through_the_frr_napalm_driver_match_the_inventory(
    lab: SessionLab,
) -> None:
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
    for device in devices(lab):
        conn = frr_driver(lab, device)
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


def test_4_a_rejected_command_restores_that_device_and_the_others_converge(
    lab: SessionLab, tmp_path: Path
) -> None:
    templates = templates_with(
        tmp_path,
        "routing.j2",
        "router ospf\n",
        'router ospf\n{% if d.name == "vil2" %}\n ospf bogus-command 1\n{% endif %}\n',
    )
    configure(lab, "vil2", "interface eth1", "ip ospf cost 88")
    before = running(lab, "vil2")
    assert " ip ospf cost 88" in before
    report = config(lab, "push", "--commit", "--templates", str(templates), expect=1)
    got = statuses(report)
    assert got.pop("vil2") == "failed"
    assert set(got.values()) <= {"committed", "unchanged"}, got
    vil2 = next(d for d in report["devices"] if d["device"] == "vil2")
    assert "bogus-command" in vil2["error"] and "restored" in vil2["error"]
    assert running(lab, "vil2") == before
    others = [d for d in devices(lab) if d != "vil2"]
    assert statuses(config(lab, "diff", *others)) == dict.fromkeys(others, "unchanged")
    assert statuses(config(lab, "push", "--commit", "vil2")) == {"vil2": "committed"}


def test_5_an_unconfirmed_push_reverts_by_itself_a_confirmed_one_stays(
    lab: SessionLab, tmp_path: Path
) -> None:
    templates = templates_with(
        tmp_path, "interfaces.j2", " ip ospf cost {{ i.ospf_cost }}", " ip ospf cost 12"
    )
    give_v2c(lab, "vil1")  # the push takes it away again; the revert must give it back
    before = running(lab, "vil1")
    report = config(
        lab, "push", "--commit", "--confirm-within", "1m", "--templates", str(templates), "vil1"
    )
    assert statuses(report) == {"vil1": "pending-confirm"}
    assert " ip ospf cost 12" in running(lab, "vil1")
    assert "-  rocommunity " in report["devices"][0]["diff"]
    assert wait_for(lambda: not v2c_answers(lab, "vil1"), 10), "v2c still answers"
    assert wait_for(lambda: running(lab, "vil1") == before, 90), "vil1 did not revert in 90 s"
    assert wait_for(partial(v2c_answers, lab, "vil1"), 10), "the revert left snmpd v3-only"
    assert statuses(config(lab, "confirm", "vil1")) == {"vil1": "nothing-pending"}

    report = config(
        lab, "push", "--commit", "--confirm-within", "1m", "--templates", str(templates), "vil1"
    )
    assert statuses(report) == {"vil1": "pending-confirm"}
    assert statuses(config(lab, "confirm", "vil1")) == {"vil1": "confirmed"}
    assert statuses(config(lab, "confirm", "vil1")) == {"vil1": "nothing-pending"}
    assert " ip ospf cost 12" in running(lab, "vil1")
    assert not v2c_answers(lab, "vil1")
    assert statuses(config(lab, "push", "--commit", "vil1")) == {"vil1": "committed"}


def test_6_a_manual_change_shows_as_drift_and_backup_commits_only_it(lab: SessionLab) -> None:
    config(lab, "backup")
    configure(lab, "vil3", "interface eth1", "ip ospf cost 77")
    give_v2c(lab, "vil3")
    report = config(lab, "drift", expect=3)
    assert statuses(report) == {d: ("drift" if d == "vil3" else "in-sync") for d in devices(lab)}
    vil3 = next(d for d in report["devices"] if d["device"] == "vil3")
    assert "ip ospf cost 77" in vil3["diff"] and "-  rocommunity " in vil3["diff"]
    report = config(lab, "backup")
    assert statuses(report) == {
        d: ("backed-up" if d == "vil3" else "unchanged") for d in devices(lab)
    }
    backups = lab.state_dir / "automation" / "backups"
    saved = (backups / "vil3.cfg").read_text(encoding="utf-8")
    assert "ip ospf cost 77" in saved and v2c_section(lab, "vil3") in saved


def test_7_rollback_restores_the_backup(lab: SessionLab) -> None:
    assert statuses(config(lab, "push", "--commit", "vil3")) == {"vil3": "committed"}
    assert " ip ospf cost 77" not in running(lab, "vil3")
    assert wait_for(lambda: not v2c_answers(lab, "vil3"), 10), "v2c still answers"
    assert statuses(config(lab, "rollback", "vil3")) == {"vil3": "rolled-back"}
    assert " ip ospf cost 77" in running(lab, "vil3")
    assert wait_for(partial(v2c_answers, lab, "vil3"), 10), "rollback left snmpd v3-only"
    # leave the lab converged on the intent for the modules that run next
    assert statuses(config(lab, "push", "--commit", "vil3")) == {"vil3": "committed"}
    assert statuses(config(lab, "diff")) == dict.fromkeys(devices(lab), "unchanged")
    assert wait_for(lambda: not routing_problems(lab), 30), routing_problems(lab)
