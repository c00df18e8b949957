"""``egovnet config`` end to end on two real FRR devices cabled to each other.

A small inventory (r1 at the district core, r2 a town, one access circuit) is rendered by
the real templates, pushed over SSH by the real command, and checked on the devices:
OSPF and BFD come up as rendered, a second diff is empty, a failing device is restored
while the other converges, an unconfirmed push reverts by itself, drift and backups see
a manual change.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, run_egovnet
from tests.integration.automation_frr_device import (
    USER,
    FrrDevice,
    T6Network,
    can_build,
    connect,
    t6_network,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(can_build() is not None, reason=str(can_build())),
]

INVENTORY = {
    "profile.yaml": """profile:
  name: t6
  platform_override: frr
""",
    "policy.yaml": (REPO / "inventory" / "lab" / "policy.yaml").read_text(encoding="utf-8"),
    "profiles.yaml": f"""snmp_profiles:
  - {{name: noc-v3, version: v3, user: noc, auth_protocol: SHA-256,
     auth_key_env: EGOVNET_SNMP_AUTH_KEY, priv_protocol: AES, priv_key_env: EGOVNET_SNMP_PRIV_KEY}}
credential_profiles:
  - {{name: t6ops, username: {USER}, password_env: EGOVNET_T6_PASSWORD}}
""",
    "sites.yaml": """sites:
  - {id: district-core, name: 武江区电子政务外网核心机房, tier: district_core}
  - {id: town-longgui, name: 龙归镇, tier: town, parent: district-core}
""",
    "devices.yaml": """devices:
  - {name: r1, site: district-core, role: core, platform: huawei_vrp, mgmt_address: 172.30.6.2,
     loopback: 10.255.6.1, snmp_profile: noc-v3, credential_profile: t6ops,
     interfaces: [{name: eth1}]}
  - {name: r2, site: town-longgui, role: aggregation, platform: hp_comware,
     mgmt_address: 172.30.6.3, loopback: 10.255.6.2, snmp_profile: noc-v3,
     credential_profile: t6ops, interfaces: [{name: eth1}]}
""",
    "links.yaml": """links:
  - {id: r1-r2, kind: access, plane: A, committed_mbps: 100, carrier: 中国电信,
     circuit_id: SGWJ-DX-0601, a: {device: r1, interface: eth1, address: 10.6.0.1/30},
     b: {device: r2, interface: eth1, address: 10.6.0.2/30}}
""",
}

# what the devices run before egovnet touches them: addresses, OSPF with the wrong cost
INITIAL = {
    "r1": "hostname r1\nservice integrated-vtysh-config\n!\ninterface eth1\n"
    " ip address 10.6.0.1/30\n ip ospf cost 50\nexit\n!\nrouter ospf\n"
    " network 10.6.0.0/30 area 0\nexit\n!\n",
    "r2": "hostname r2\nservice integrated-vtysh-config\n!\ninterface eth1\n"
    " ip address 10.6.0.2/30\nexit\n!\n",
}


class Env:
    def __init__(self, tmp: Path, network: T6Network, devices: dict[str, FrrDevice]) -> None:
        self.inventory = tmp / "inventory"
        self.state = tmp / "state"
        self.devices = devices
        self.env = {
            **os.environ,
            "EGOVNET_T6_PASSWORD": network.password,
            "EGOVNET_USER": "t6-tester",
        }

    def config(self, *args: str, expect: int | None = 0) -> dict[str, Any]:
        done = run_egovnet(
            "config",
            *args,
            "--inventory",
            str(self.inventory),
            "--state-dir",
            str(self.state),
            "--json",
            env=self.env,
        )
        if expect is not None:
            assert done.returncode == expect, done.stdout + done.stderr
        report: dict[str, Any] = json.loads(done.stdout)
        report["exit"] = done.returncode
        return report

    def running(self, name: str) -> str:
        text = self.devices[name].vtysh("show running-config")
        return "\n".join(ln for ln in text.splitlines() if not ln.startswith("hostname"))

    def changes(self) -> list[dict[str, Any]]:
        path = self.state / "automation" / "changes.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def statuses(report: dict[str, Any]) -> dict[str, str]:
    return {d["device"]: d["status"] for d in report["devices"]}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    tmp = tmp_path_factory.mktemp("t6-cli")
    (tmp / "inventory").mkdir()
    for name, text in INVENTORY.items():
        (tmp / "inventory" / name).write_text(text, encoding="utf-8")
    with t6_network() as network:
        r1 = network.device("r1", 2, INITIAL["r1"])
        r2 = network.device("r2", 3, INITIAL["r2"])
        connect(r1, "eth1", r2, "eth1")
        yield Env(tmp, network, {"r1": r1, "r2": r2})


def wait_for(check: Any, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False


def test_1_diff_shows_the_change_and_changes_nothing(env: Env) -> None:
    before = {n: env.running(n) for n in env.devices}
    report = env.config("diff")
    assert statuses(report) == {"r1": "would-change", "r2": "would-change"}
    r1 = next(d for d in report["devices"] if d["device"] == "r1")
    assert "-  ip ospf cost 50" in r1["diff"] and "+  ip ospf cost 10" in r1["diff"]
    assert "+  description [A] 龙归镇 SGWJ-DX-0601 中国电信 to r2 eth1" in r1["diff"]
    assert {n: env.running(n) for n in env.devices} == before
    assert env.changes() == []


def test_2_push_converges_ospf_and_bfd_come_up(env: Env) -> None:
    report = env.config("push", "--commit")
    assert statuses(report) == {"r1": "committed", "r2": "committed"}
    assert report["backup_commit"]
    assert statuses(env.config("diff")) == {"r1": "unchanged", "r2": "unchanged"}
    records = env.changes()
    assert sorted((r["device"], r["action"], r["result"], r["who"]) for r in records) == [
        ("r1", "push", "committed", "t6-tester"),
        ("r2", "push", "committed", "t6-tester"),
    ]
    assert all(r["at"][-6] in "+-" and r["backup"] == report["backup_commit"] for r in records)

    def ospf_full() -> bool:
        out = env.devices["r1"].vtysh("show ip ospf neighbor json")
        neighbors = json.loads(out or "{}").get("neighbors", {})
        states = [n.get("nbrState", "") for v in neighbors.values() for n in v]
        return any(s.startswith("Full") for s in states)

    def bfd_up() -> bool:
        peers = json.loads(env.devices["r1"].vtysh("show bfd peers json") or "[]")
        return any(p.get("peer") == "10.6.0.2" and p.get("status") == "up" for p in peers)

    assert wait_for(ospf_full), "OSPF did not reach Full"
    assert wait_for(bfd_up), "BFD session not up"
    peers = json.loads(env.devices["r1"].vtysh("show bfd peers json"))
    assert peers[0]["transmit-interval"] == 100  # the rendered profile

    def route() -> dict[str, Any]:
        out = env.devices["r1"].vtysh("show ip route 10.255.6.2/32 json")
        routes: list[dict[str, Any]] = json.loads(out or "{}").get("10.255.6.2/32", [])
        return routes[0] if routes else {}

    assert wait_for(lambda: route().get("protocol") == "ospf"), "no OSPF route to r2's loopback"
    # the rendered plane-A cost (r1 ran cost 50 before the push; FRR's /32 stub costs 0)
    assert route()["metric"] == 10


def test_3_manual_change_shows_in_drift_and_backup_commits_it(env: Env) -> None:
    # the push changed both devices since their pre-push backup
    assert statuses(env.config("backup")) == {"r1": "backed-up", "r2": "backed-up"}
    env.devices["r2"].vtysh("configure terminal", "interface eth1", "ip ospf cost 77")
    report = env.config("drift", expect=3)  # drift found: a cron job can act on the status
    assert statuses(report) == {"r1": "in-sync", "r2": "drift"}
    r2 = next(d for d in report["devices"] if d["device"] == "r2")
    assert "-  ip ospf cost 77" in r2["diff"] and "+  ip ospf cost 10" in r2["diff"]
    backup = env.config("backup")
    assert statuses(backup) == {"r1": "unchanged", "r2": "backed-up"}
    repo = env.state / "automation" / "backups"
    shown = subprocess.run(
        ["git", "-C", str(repo), "show", "--stat", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "r2.cfg" in shown and "r1.cfg" not in shown
    assert env.config("backup")["commit"] is None  # nothing changed: no commit
    assert statuses(env.config("push", "--commit", "r2")) == {"r2": "committed"}
    assert statuses(env.config("drift")) == {"r1": "in-sync", "r2": "in-sync"}  # exit 0


def test_4_rollback_returns_to_the_last_backup(env: Env) -> None:
    backed_up = env.running("r1")  # r1 is as in its last backup (test 3)
    env.devices["r1"].vtysh("configure terminal", "interface eth1", "ip ospf cost 66")
    report = env.config("rollback", "r1")
    assert statuses(report) == {"r1": "rolled-back"}
    assert "-  ip ospf cost 66" in report["devices"][0]["diff"]
    assert env.running("r1") == backed_up
    assert env.changes()[-1]["action"] == "rollback"
    assert statuses(env.config("rollback", "r1")) == {"r1": "unchanged"}
    env.devices["r1"].vtysh("configure terminal", "interface eth1", "ip ospf cost 66")


def test_5_failing_device_is_restored_others_converge(env: Env, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "automation" / "templates", templates)
    routing = templates / "frr" / "routing.j2"
    routing.write_text(
        routing.read_text(encoding="utf-8").replace(
            "router ospf\n",
            'router ospf\n{% if d.name == "r2" %}\n ospf bogus-command 1\n{% endif %}\n',
            1,
        ),
        encoding="utf-8",
    )
    env.devices["r2"].vtysh("configure terminal", "interface eth1", "ip ospf cost 88")
    before_r2 = env.running("r2")
    report = env.config("push", "--commit", "--templates", str(templates), expect=1)
    assert statuses(report) == {"r1": "committed", "r2": "failed"}
    r2 = next(d for d in report["devices"] if d["device"] == "r2")
    assert "bogus-command" in r2["error"] and "restored from backup" in r2["error"]
    assert env.running("r2") == before_r2
    assert statuses(env.config("diff", "r1")) == {"r1": "unchanged"}
    assert env.changes()[-1]["result"].startswith("failed, restored")
    assert statuses(env.config("push", "--commit", "r2")) == {"r2": "committed"}


def test_6_unconfirmed_push_reverts_confirmed_push_stays(env: Env, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "automation" / "templates", templates)
    interfaces = templates / "frr" / "interfaces.j2"
    interfaces.write_text(
        interfaces.read_text(encoding="utf-8").replace(
            " ip ospf cost {{ i.ospf_cost }}", " ip ospf cost {{ i.ospf_cost + 1 }}"
        ),
        encoding="utf-8",
    )
    before = env.running("r1")
    report = env.config(
        "push", "--commit", "--confirm-within", "3s", "--templates", str(templates), "r1"
    )
    assert statuses(report) == {"r1": "pending-confirm"}
    assert " ip ospf cost 11" in env.running("r1")
    assert wait_for(lambda: env.running("r1") == before, timeout=20), "did not revert"
    assert statuses(env.config("confirm", "r1")) == {"r1": "nothing-pending"}

    # long enough for `config confirm` to start on a busy machine
    report = env.config(
        "push", "--commit", "--confirm-within", "15s", "--templates", str(templates), "r1"
    )
    deadline = time.monotonic() + 15
    assert statuses(report) == {"r1": "pending-confirm"}
    assert statuses(env.config("confirm")) == {"r1": "confirmed", "r2": "nothing-pending"}
    time.sleep(max(0.0, deadline - time.monotonic()) + 2)
    assert " ip ospf cost 11" in env.running("r1")
    assert statuses(env.config("push", "--commit", "r1")) == {"r1": "committed"}
